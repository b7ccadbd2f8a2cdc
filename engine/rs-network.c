#include "rs-network.h"

#include <math.h>
#include <string.h>

#include "rs-kernels.h"
#include "rs-kernels-impl.h"

RsNetwork *
rs_network_new (int n_layers, const int *sizes, RsActivation activation, int max_batch)
{
  g_return_val_if_fail (n_layers >= 1 && n_layers <= RS_MAX_LAYERS, NULL);
  g_return_val_if_fail (max_batch >= 1, NULL);

  RsNetwork *net = g_new0 (RsNetwork, 1);
  net->n_layers = n_layers;
  net->max_batch = max_batch;
  net->activation = activation;

  gsize n_params = 0, n_cache = 0;
  for (int l = 0; l < n_layers; l++)
    {
      n_params += (gsize) sizes[l + 1] * sizes[l] + sizes[l + 1];
      n_cache += 3 * (gsize) max_batch * sizes[l + 1] + (gsize) sizes[l + 1] * sizes[l];
    }
  net->n_params = n_params;
  net->params = g_new0 (float, n_params);
  net->grads = g_new0 (float, n_params);
  net->cache = g_new0 (float, n_cache);

  gsize p = 0, c = 0;
  for (int l = 0; l < n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      layer->in = sizes[l];
      layer->out = sizes[l + 1];
      gsize nw = (gsize) layer->out * layer->in;
      gsize nz = (gsize) max_batch * layer->out;
      layer->weight = net->params + p;
      layer->grad_weight = net->grads + p;
      p += nw;
      layer->bias = net->params + p;
      layer->grad_bias = net->grads + p;
      p += layer->out;
      layer->z = net->cache + c;
      c += nz;
      layer->a = net->cache + c;
      c += nz;
      layer->da = net->cache + c;
      c += nz;
      layer->weight_t = net->cache + c;
      c += nw;
    }
  return net;
}

void
rs_network_free (RsNetwork *net)
{
  if (net == NULL)
    return;
  g_free (net->params);
  g_free (net->grads);
  g_free (net->cache);
  g_free (net);
}

void
rs_network_init_pytorch (RsNetwork *net, RsRng *rng)
{
  for (int l = 0; l < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      double bound = 1.0 / sqrt ((double) layer->in);
      gsize nw = (gsize) layer->out * layer->in;
      for (gsize i = 0; i < nw; i++)
        layer->weight[i] = (float) rs_rng_uniform_range (rng, -bound, bound);
      for (int i = 0; i < layer->out; i++)
        layer->bias[i] = (float) rs_rng_uniform_range (rng, -bound, bound);
    }
}

/* ---- activations: forward and backward side by side ------------------- */

void
rs_activation_forward (RsActivation act, const float *z, float *a, gsize n)
{
  switch (act)
    {
    case RS_ACT_RELU:
      /* Not z > 0 ? z : 0 with a branch: ReLU signs are coin flips. */
      for (gsize i = 0; i < n; i++)
        {
          float v = z[i];
          a[i] = v > 0.0f ? v : 0.0f;
        }
      break;
    case RS_ACT_TANH:
      for (gsize i = 0; i < n; i++)
        a[i] = tanhf (z[i]);
      break;
    case RS_ACT_SIGMOID:
      {
        /* PyTorch: 1 / (exp(0 - z) + 1), exp by SLEEF on whole blocks of 16
         * and by libm's expf on the last n % 16 (its scalar tail). */
        gsize bulk = n - n % 16;
        for (gsize i = 0; i < bulk; i++)
          a[i] = 0.0f - z[i];
        rs_vexp (a, a, bulk);
        for (gsize i = 0; i < bulk; i++)
          a[i] = 1.0f / (a[i] + 1.0f);
        for (gsize i = bulk; i < n; i++)
          a[i] = 1.0f / (1.0f + expf (-z[i]));
      }
      break;
    case RS_ACT_LINEAR:
      if (a != z)
        memcpy (a, z, n * sizeof (float));
      break;
    }
}

void
rs_activation_backward (RsActivation act, const float *a, float *da, gsize n)
{
  /* PyTorch's threshold_backward, tanh_backward (1 - y^2 fused) and
   * sigmoid_backward ((g (1 - y)) y); the kernels' epilogues do the same. */
  switch (act)
    {
    case RS_ACT_RELU:
      for (gsize i = 0; i < n; i++)
        da[i] = a[i] > 0.0f ? da[i] : 0.0f;
      break;
    case RS_ACT_TANH:
      for (gsize i = 0; i < n; i++)
        da[i] *= fmaf (-a[i], a[i], 1.0f);
      break;
    case RS_ACT_SIGMOID:
      for (gsize i = 0; i < n; i++)
        da[i] = (da[i] * (1.0f - a[i])) * a[i];
      break;
    case RS_ACT_LINEAR:
      break;
    }
}

/* ---- dense layer: forward and backward side by side ------------------- */

static void
dense_forward (RsNetwork *net, int l, const float *x, int batch)
{
  RsLayer *layer = &net->layers[l];
  int in = layer->in, out = layer->out;
  RsActivation act = l + 1 < net->n_layers ? net->activation : RS_ACT_LINEAR;
  gboolean fused = act == RS_ACT_RELU || act == RS_ACT_LINEAR;
  /* z = x W^T + b, with relu (or the copy) into a in the same pass. Our
   * kernels walk rows of W^T: transposed once here rather than packed
   * strip by strip inside; BLAS takes W as it is. */
  RsEpilogue e = {
    .kind = RS_EPI_BIAS_ACT, .act = act, .bias = layer->bias,
    .a = fused ? layer->a : NULL, .lda = out,
  };
  if (rs_kernels_active (batch, out, in) == RS_KERNELS_BLAS)
    rs_gemm_ex (batch, out, in, x, in, 1, layer->weight, 1, in, 0.0f, layer->z, out, &e);
  else
    {
      rs_transpose (layer->weight, out, in, layer->weight_t);
      rs_gemm_ex (batch, out, in, x, in, 1, layer->weight_t, out, 1, 0.0f, layer->z, out, &e);
    }
  if (!fused)
    rs_activation_forward (act, layer->z, layer->a, (gsize) batch * out);
}

/* dW = dz^T x (+ dW), db = column sums of dz (+ db), and for the layer
 * below, da_below = (beta da_below + dz W) * act'(a_below) in one pass. */
static void
dense_backward (RsNetwork *net, int l, const float *x, int batch, gboolean accumulate,
                float dx_beta)
{
  RsLayer *layer = &net->layers[l];
  int in = layer->in, out = layer->out;
  const float *dz = layer->da;

  rs_gemm_ex (out, in, batch, dz, 1, out, x, in, 1, accumulate ? 1.0f : 0.0f,
              layer->grad_weight, in, NULL);
  if (accumulate)
    for (int r = 0; r < batch; r++)
      {
        const float *row = dz + (gsize) r * out;
        for (int j = 0; j < out; j++)
          layer->grad_bias[j] += row[j];
      }
  else
    rs_colsum (dz, batch, out, layer->grad_bias);

  if (l > 0)
    {
      RsLayer *below = &net->layers[l - 1];
      RsEpilogue e = {
        .kind = RS_EPI_ACT_GRAD, .act = net->activation, .y = below->a, .ldy = in,
      };
      rs_gemm_ex (batch, in, out, dz, out, 1, layer->weight, in, 1, dx_beta, below->da, in,
                  &e);
    }
}

const float *
rs_network_forward (RsNetwork *net, const float *x, int batch)
{
  g_return_val_if_fail (batch >= 1 && batch <= net->max_batch, NULL);
  const float *input = x;
  for (int l = 0; l < net->n_layers; l++)
    {
      dense_forward (net, l, input, batch);
      input = net->layers[l].a;
    }
  return net->layers[net->n_layers - 1].a;
}

void
rs_network_backward (RsNetwork *net, const float *x, int batch)
{
  for (int l = net->n_layers - 1; l >= 0; l--)
    dense_backward (net, l, l > 0 ? net->layers[l - 1].a : x, batch, TRUE, 1.0f);
}

void
rs_network_backward_fresh (RsNetwork *net, const float *x, int batch, const gboolean *da_set)
{
  for (int l = net->n_layers - 1; l >= 0; l--)
    dense_backward (net, l, l > 0 ? net->layers[l - 1].a : x, batch, FALSE,
                    l > 0 && da_set != NULL && da_set[l - 1] ? 1.0f : 0.0f);
}

void
rs_network_zero_grads (RsNetwork *net)
{
  memset (net->grads, 0, net->n_params * sizeof (float));
}

void
rs_network_zero_output_grads (RsNetwork *net, int batch)
{
  for (int l = 0; l < net->n_layers; l++)
    memset (net->layers[l].da, 0, (gsize) batch * net->layers[l].out * sizeof (float));
}
