#include "rs-network.h"
#include "rs-network-private.h"

#include <math.h>
#include <string.h>

#include "rs-kernels-impl.h"
#include "rs-pool.h"

RsNetwork *
rs_network_new (int n_layers, const int *sizes, RsActivation activation, int max_batch)
{
  g_return_val_if_fail (n_layers >= 1 && n_layers <= RS_MAX_LAYERS, NULL);
  g_return_val_if_fail (max_batch >= 1, NULL);

  RsNetwork *net = g_new0 (RsNetwork, 1);
  net->n_layers = n_layers;
  net->max_batch = max_batch;
  net->activation = activation;

  /* Each cache buffer starts on a 64-byte line (sizes rounded up to 16
   * floats): the kernels' 32-byte loads then never straddle two lines (the
   * sparse products, which load a row of B per term, lost a third to
   * that). Parameters and gradients too. */
#define CACHE_ROUND(n) (((n) + 15) / 16 * 16)
  gsize n_params = 0, n_cache = 0;
  for (int l = 0; l < n_layers; l++)
    {
      n_params += (gsize) sizes[l + 1] * sizes[l] + sizes[l + 1];
      n_cache += 3 * CACHE_ROUND ((gsize) max_batch * sizes[l + 1])
                 + CACHE_ROUND ((gsize) sizes[l + 1] * sizes[l]);
    }
  net->n_params = n_params;
  net->params = g_aligned_alloc0 (n_params, sizeof (float), 64);
  net->grads = g_aligned_alloc0 (n_params, sizeof (float), 64);
  net->cache = g_aligned_alloc0 (n_cache, sizeof (float), 64);

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
      c += CACHE_ROUND (nz);
      layer->a = net->cache + c;
      c += CACHE_ROUND (nz);
      layer->da = net->cache + c;
      c += CACHE_ROUND (nz);
      layer->weight_t = net->cache + c;
      c += CACHE_ROUND (nw);
    }
  /* The index of each hidden ReLU output the sparse products can use, and
   * the scratch of the backward for the largest layer that needs one: with
   * an index, or a weight gradient computed transposed. */
  gboolean any = FALSE;
  for (int l = 0; l + 1 < n_layers; l++)
    {
      net->nz[l] = rs_linear_nz_index_new (activation, sizes[l], sizes[l + 1], sizes[l + 2],
                                           max_batch);
      any |= net->nz[l] != NULL;
    }
  gsize scratch = 0;
  for (int l = 0; l < n_layers; l++)
    if (any || rs_linear_dw_transposed (max_batch, sizes[l], sizes[l + 1], 8)
        || rs_linear_dw_transposed (max_batch, sizes[l], sizes[l + 1], 16))
      scratch = MAX (scratch, rs_linear_scratch_size (sizes[l], sizes[l + 1]));
  if (scratch > 0)
    net->nz_scratch = g_aligned_alloc0 (scratch, sizeof (float), 64);
  return net;
#undef CACHE_ROUND
}

void
rs_network_free (RsNetwork *net)
{
  if (net == NULL)
    return;
  g_aligned_free (net->params);
  g_aligned_free (net->grads);
  g_aligned_free (net->cache);
  for (int l = 0; l < net->n_layers; l++)
    rs_nz_index_free (net->nz[l]);
  g_aligned_free (net->nz_scratch);
  for (int l = 0; l < net->n_layers; l++)
    g_aligned_free (net->layers[l].keep);
  g_aligned_free (net->dropout_grad);
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

/* ---- input noise: a training batch's inputs, perturbed ------------------ */

void
rs_network_input_noise (float *dst, const float *x, gsize n, double sigma, RsRng *rng)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = x[i] + (float) (sigma * rs_rng_normal (rng));
}

/* ---- dropout: the masks, forward and backward side by side -------------- */

gboolean
rs_network_dropout_draw (RsNetwork *net, const RsLayerReg *regs, int batch, RsRng *rng)
{
  g_return_val_if_fail (batch >= 1 && batch <= net->max_batch, FALSE);
  gboolean any = FALSE;
  for (int l = 0; l + 1 < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      double p = regs[l].dropout;
      layer->dropout = (float) p;
      if (p <= 0.0)
        continue;
      any = TRUE;
      gsize n = (gsize) batch * layer->out;
      /* Once per layer, the first time its dropout is on: a network
       * without dropout carries no buffers for it. */
      if (G_UNLIKELY (layer->keep == NULL))
        {
          gsize cap = (gsize) net->max_batch * layer->out;
          layer->keep = g_aligned_alloc0 (2 * cap, sizeof (float), 64);
          layer->dropped = layer->keep + cap;
        }
      if (G_UNLIKELY (net->dropout_grad == NULL))
        {
          int widest = 0;
          for (int k = 0; k + 1 < net->n_layers; k++)
            widest = MAX (widest, net->layers[k].out);
          net->dropout_grad = g_aligned_alloc0 ((gsize) net->max_batch * widest,
                                                sizeof (float), 64);
        }
      /* torch.nn.Dropout: keep with probability 1 - p, scaled by 1/(1-p)
       * computed in float as ATen's noise.div_(1 - p). */
      const float scale = 1.0f / (float) (1.0 - p);
      for (gsize i = 0; i < n; i++)
        layer->keep[i] = rs_rng_uniform (rng) < p ? 0.0f : scale;
    }
  net->dropout_on = any;
  net->dropout_rows = batch;
  return any;
}

static inline gboolean
drops (const RsNetwork *net, int l)
{
  return net->dropout_on && l + 1 < net->n_layers && net->layers[l].dropout > 0.0f;
}

/* dropped = a * keep */
static void
dropout_forward (RsLayer *layer, int batch)
{
  gsize n = (gsize) batch * layer->out;
  for (gsize i = 0; i < n; i++)
    layer->dropped[i] = layer->a[i] * layer->keep[i];
}

/* da = (beta da + d_dropped * keep) * act'(a), beta 0 or 1: dL/dz from dL/d(dropped)
 * (and the layer's own activity gradient already in da when beta = 1). */
static void
dropout_backward (RsLayer *layer, const float *d_dropped, RsActivation act, float beta,
                  int batch)
{
  gsize n = (gsize) batch * layer->out;
  if (beta != 0.0f)
    for (gsize i = 0; i < n; i++)
      layer->da[i] += d_dropped[i] * layer->keep[i];
  else /* da's old contents ignored, NaN included, as the products' beta = 0 */
    for (gsize i = 0; i < n; i++)
      layer->da[i] = d_dropped[i] * layer->keep[i];
  rs_activation_backward (act, layer->a, layer->da, n);
}

/* ---- a dense layer: forward and backward side by side ------------------ */

/* What layer l reads: x, or the output of the layer below (after its
 * dropout while that is on). */
static const float *
layer_input (const RsNetwork *net, int l, const float *x)
{
  if (l == 0)
    return x;
  return drops (net, l - 1) ? net->layers[l - 1].dropped : net->layers[l - 1].a;
}

/* The index of layer l's input's nonzeros, when its input is a ReLU
 * output as it is (dropout zeroes more: the dense products then). */
static RsNzIndex *
input_index (const RsNetwork *net, int l)
{
  return l > 0 && !drops (net, l - 1) ? net->nz[l - 1] : NULL;
}

static void
layer_forward (RsNetwork *net, int l, const float *x, int batch, gboolean weight_t_ready)
{
  RsLayer *layer = &net->layers[l];
  RsActivation act = l + 1 < net->n_layers ? net->activation : RS_ACT_LINEAR;
  rs_linear_forward (layer->z, layer->a, layer_input (net, l, x), layer->weight, layer->bias,
                     batch, layer->in, layer->out, act, layer->weight_t, weight_t_ready,
                     input_index (net, l), net->nz[l]);
  if (drops (net, l))
    dropout_forward (layer, batch);
}

/* dW, db, and the layer below's da (its dL/dz on return). */
static void
layer_backward (RsNetwork *net, int l, const float *x, int batch, gboolean accumulate,
                float dx_beta)
{
  RsLayer *layer = &net->layers[l];
  gboolean below_drops = l > 0 && drops (net, l - 1);
  float *dx = l == 0 ? NULL : below_drops ? net->dropout_grad : net->layers[l - 1].da;
  rs_linear_backward (dx, layer->grad_weight, layer->grad_bias, layer->da,
                      layer_input (net, l, x), layer->weight, batch, layer->in, layer->out,
                      below_drops ? RS_ACT_LINEAR : net->activation, accumulate,
                      below_drops ? 0.0f : dx_beta, layer->weight_t, net->nz_scratch,
                      input_index (net, l), net->nz[l]);
  if (below_drops)
    dropout_backward (&net->layers[l - 1], net->dropout_grad, net->activation, dx_beta,
                      batch);
}

static void
transpose_task (void *data, int part, int parts)
{
  RsLayer *layer = data;
  (void) part, (void) parts;
  rs_transpose (layer->weight, layer->out, layer->in, layer->weight_t);
}

const float *
rs_network_forward (RsNetwork *net, const float *x, int batch)
{
  g_return_val_if_fail (batch >= 1 && batch <= net->max_batch, NULL);
  /* The W^T that the upper layers' split products read, transposed by a
   * thread that would wait in the first layer's (784-256-128-10: fc2's,
   * ~10 us that the worker spent idle). */
  gboolean ready[RS_MAX_LAYERS] = { FALSE };
  gboolean any = FALSE;
  for (int l = 1; l < net->n_layers; l++)
    if (rs_linear_forward_split_wt (batch, net->layers[l].in, net->layers[l].out))
      {
        rs_pool_side (transpose_task, &net->layers[l]);
        ready[l] = any = TRUE;
      }
  for (int l = 0; l < net->n_layers; l++)
    {
      if (l == 1 && any)
        rs_pool_side_wait ();
      layer_forward (net, l, x, batch, ready[l]);
    }
  return net->layers[net->n_layers - 1].a;
}

void
rs_network_backward (RsNetwork *net, const float *x, int batch)
{
  for (int l = net->n_layers - 1; l >= 0; l--)
    layer_backward (net, l, x, batch, TRUE, 1.0f);
}

void
rs_network_backward_fresh (RsNetwork *net, const float *x, int batch, const gboolean *da_set)
{
  for (int l = net->n_layers - 1; l >= 0; l--)
    layer_backward (net, l, x, batch, FALSE,
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
