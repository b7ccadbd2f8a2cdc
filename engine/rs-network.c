#include "rs-network.h"

#include <math.h>
#include <string.h>

#include "rs-kernels.h"

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
      n_cache += 3 * (gsize) max_batch * sizes[l + 1];
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
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] > 0.0f ? z[i] : 0.0f;
      break;
    case RS_ACT_TANH:
      for (gsize i = 0; i < n; i++)
        a[i] = tanhf (z[i]);
      break;
    case RS_ACT_SIGMOID:
      for (gsize i = 0; i < n; i++)
        a[i] = 1.0f / (1.0f + expf (-z[i]));
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
  switch (act)
    {
    case RS_ACT_RELU:
      /* PyTorch's threshold_backward: zero where the output is not > 0. */
      for (gsize i = 0; i < n; i++)
        da[i] = a[i] > 0.0f ? da[i] : 0.0f;
      break;
    case RS_ACT_TANH:
      for (gsize i = 0; i < n; i++)
        da[i] *= 1.0f - a[i] * a[i];
      break;
    case RS_ACT_SIGMOID:
      for (gsize i = 0; i < n; i++)
        da[i] *= a[i] * (1.0f - a[i]);
      break;
    case RS_ACT_LINEAR:
      break;
    }
}

/* ---- dense layer: forward and backward side by side ------------------- */

static void
rs_dense_forward (RsLayer *layer, const float *x, int batch)
{
  /* z = x W^T + b: the bias is written first and accumulated into. */
  for (int r = 0; r < batch; r++)
    memcpy (layer->z + (gsize) r * layer->out, layer->bias, layer->out * sizeof (float));
  rs_gemm_nt (batch, layer->out, layer->in, x, layer->weight, 1.0f, layer->z);
}

static void
rs_dense_backward (RsLayer *layer, const float *x, int batch, float *dx)
{
  const float *dz = layer->da;
  /* dW += dz^T x ; db += sum over rows of dz ; dx = dz W */
  rs_gemm_tn (layer->out, layer->in, batch, dz, x, 1.0f, layer->grad_weight);
  for (int r = 0; r < batch; r++)
    {
      const float *row = dz + (gsize) r * layer->out;
      for (int j = 0; j < layer->out; j++)
        layer->grad_bias[j] += row[j];
    }
  if (dx != NULL)
    rs_gemm_nn (batch, layer->in, layer->out, dz, layer->weight, 1.0f, dx);
}

const float *
rs_network_forward (RsNetwork *net, const float *x, int batch)
{
  g_return_val_if_fail (batch >= 1 && batch <= net->max_batch, NULL);
  const float *input = x;
  for (int l = 0; l < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      gsize n = (gsize) batch * layer->out;
      rs_dense_forward (layer, input, batch);
      if (l + 1 < net->n_layers)
        rs_activation_forward (net->activation, layer->z, layer->a, n);
      else
        memcpy (layer->a, layer->z, n * sizeof (float));
      input = layer->a;
    }
  return net->layers[net->n_layers - 1].a;
}

void
rs_network_backward (RsNetwork *net, const float *x, int batch)
{
  for (int l = net->n_layers - 1; l >= 0; l--)
    {
      RsLayer *layer = &net->layers[l];
      gsize n = (gsize) batch * layer->out;
      if (l + 1 < net->n_layers)
        rs_activation_backward (net->activation, layer->a, layer->da, n);
      const float *input = l > 0 ? net->layers[l - 1].a : x;
      /* dx accumulates into the layer below's da, which may already hold
       * that layer's activity-penalty gradient. */
      float *dx = l > 0 ? net->layers[l - 1].da : NULL;
      rs_dense_backward (layer, input, batch, dx);
    }
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
