#include "rs-network.h"

#include <math.h>
#include <string.h>

#include "rs-kernels.h"
#include "rs-kernels-impl.h"

/* The sparse products (rs-kernels-sparse-avx2.c) skip the zeros of a
 * hidden ReLU output: in the next layer's forward (z = x W^T + b with x
 * that output), in the input gradient through it (dz masked by a > 0), and
 * in the weight gradients on either side of it (over the output's columns).
 * They sum each entry over k in one running FMA chain, as the dense
 * kernels do while k fits one of their chunks (AVX2: 512; OpenBLAS, which
 * takes k > 384: one k-block), so up to there both agree bit for bit. */
#define RS_SPARSE_MAX_K 384
/* Below this share of nonzeros the sparse products are the faster ones
 * (~0.7-0.75 of the dense time at a half, a tie at about 0.7). */
#define RS_SPARSE_MAX_DENSITY 0.6
/* ... and for at least this many columns of C: narrower rows have too few
 * independent FMAs per nonzero (fc3's 10 outputs: a tie at best). */
#define RS_SPARSE_MIN_N RS_SPARSE_CHUNK
/* The row-list products (forward, dX) read B's strip of k rows x 64
 * columns at random rows: up to 128 rows (32 KiB) it mostly stays in L1
 * and the product wins (64-128-64-10's fc2: 37 against 44 us); at 256
 * rows it loses (784-256-128-10's fc2: 97 against 92 us). */
#define RS_SPARSE_MAX_STRIP 128

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
  /* An index for each hidden ReLU output some sparse product can use: the
   * next layer's forward or dW (C is `next` wide), this layer's dW or the
   * dX into the layer below (C is `in` wide). Each needs C at least
   * RS_SPARSE_MIN_N wide (the other conditions of dense_forward and
   * dense_backward are checked per step). */
  gboolean any = FALSE;
  for (int l = 0; l + 1 < n_layers; l++)
    {
      int in = sizes[l], out = sizes[l + 1], next = sizes[l + 2];
      gboolean useful = in >= RS_SPARSE_MIN_N || next >= RS_SPARSE_MIN_N;
      if (activation == RS_ACT_RELU && useful && rs_kernels_sparse_enabled ())
        net->nz[l] = rs_nz_index_new (max_batch, out);
      any |= net->nz[l] != NULL;
    }
  if (any)
    {
      gsize most = 0;
      for (int l = 0; l < n_layers; l++)
        most = MAX (most, (gsize) sizes[l + 1] * sizes[l]);
      net->nz_scratch = g_aligned_alloc0 (2 * most, sizeof (float), 64);
    }
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

/* Layer l's nonzero index, when it is built for this batch and in use. */
static const RsNzIndex *
sparse_index (RsNetwork *net, int l, int batch)
{
  if (l < 0 || net->nz[l] == NULL || !net->nz_use[l] || net->nz[l]->rows != batch
      || !rs_kernels_sparse_enabled ())
    return NULL;
  return net->nz[l];
}

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
  /* The index of this layer's nonzeros for the sparse products: its mask
   * written by the product's epilogue when the kernel can, else built;
   * its columns only when a weight gradient asks. */
  RsNzIndex *own = net->nz[l] != NULL && rs_kernels_sparse_enabled () ? net->nz[l] : NULL;
  gboolean nz_done = FALSE;
  RsEpilogue e = {
    .kind = RS_EPI_BIAS_ACT, .act = act, .bias = layer->bias,
    .a = fused ? layer->a : NULL, .lda = out,
    .nz = own != NULL ? (uint8_t *) own->mask : NULL,
    .ldnz = own != NULL ? (gsize) own->words * 8 : 0, .nz_done = &nz_done,
  };
  const RsNzIndex *below = in <= RS_SPARSE_MAX_STRIP && out >= RS_SPARSE_MIN_N
                             ? sparse_index (net, l - 1, batch) : NULL;
  if (below != NULL)
    {
      /* x is the ReLU output of the layer below: z[n, :] = b + sum over
       * x[n, j] > 0 of x[n, j] W^T[j, :]. W^T chunk by chunk when packed:
       * the transposes of W's blocks of RS_SPARSE_CHUNK rows. */
      gboolean packed = rs_sparse_packs (out);
      if (packed)
        for (int j0 = 0; j0 < out; j0 += RS_SPARSE_CHUNK)
          rs_transpose (layer->weight + (gsize) j0 * in, RS_SPARSE_CHUNK, in,
                        layer->weight_t + (gsize) j0 * in);
      else
        rs_transpose (layer->weight, out, in, layer->weight_t);
      rs_gemm_sparse (batch, out, below, x, in, 1,
                      layer->weight_t, packed ? RS_SPARSE_CHUNK : (gsize) out,
                      packed ? (gsize) in * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, 0.0f, layer->z,
                      out, &e);
    }
  else if (rs_kernels_active (batch, out, in) == RS_KERNELS_BLAS)
    rs_gemm_ex (batch, out, in, x, in, 1, layer->weight, 1, in, 0.0f, layer->z, out, &e);
  else
    {
      rs_transpose (layer->weight, out, in, layer->weight_t);
      rs_gemm_ex (batch, out, in, x, in, 1, layer->weight_t, out, 1, 0.0f, layer->z, out, &e);
    }
  if (!fused)
    rs_activation_forward (act, layer->z, layer->a, (gsize) batch * out);
  net->nz_use[l] = FALSE;
  net->nz_cols[l] = FALSE;
  if (own != NULL)
    {
      gsize nnz = nz_done ? rs_nz_index_count (own, batch)
                          : rs_nz_index_build (own, layer->a, batch, out, out);
      net->nz_use[l] = nnz < RS_SPARSE_MAX_DENSITY * batch * out;
    }
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

  /* dW skips the zeros of dz (this layer's ReLU output's) or of x (the
   * layer below's), whichever has fewer nonzeros, walking the index's
   * columns; not where the dense choice is OpenBLAS (large products:
   * 784-256-128-10's fc1, 547 against 506 us). */
  gboolean cols_ok = (net->nz[l] != NULL || (l > 0 && net->nz[l - 1] != NULL))
                     && batch <= RS_SPARSE_MAX_K
                     && rs_kernels_active (out, in, batch) != RS_KERNELS_BLAS;
  const RsNzIndex *own = cols_ok ? sparse_index (net, l, batch) : NULL;
  const RsNzIndex *low = cols_ok ? sparse_index (net, l - 1, batch) : NULL;
  if (own != NULL && in < RS_SPARSE_MIN_N)
    own = NULL;
  if (low != NULL && out < RS_SPARSE_MIN_N)
    low = NULL;
  if (own != NULL && low != NULL)
    {
      if ((double) low->nnz / ((gsize) batch * in) < (double) own->nnz / ((gsize) batch * out))
        own = NULL;
      else
        low = NULL;
    }
  float beta = accumulate ? 1.0f : 0.0f;
  float *part = net->nz_scratch, *sums = part + (gsize) out * in;
  if (own != NULL)
    {
      /* dW[j, :] = sum over n with a[n, j] > 0 of dz[n, j] x[n, :] */
      if (!net->nz_cols[l])
        rs_nz_index_columns (net->nz[l]);
      net->nz_cols[l] = TRUE;
      rs_gemm_sparse_cols (out, in, batch, own, dz, 1, out, x, in, part, beta,
                           layer->grad_weight, in);
    }
  else if (low != NULL)
    {
      /* dW^T[j, :] = sum over n with x[n, j] > 0 of x[n, j] dz[n, :] (the
       * same products, the same order), then transposed into dW, + dW
       * when accumulating: the dense kernel's one rounding of C + sum. */
      if (!net->nz_cols[l - 1])
        rs_nz_index_columns (net->nz[l - 1]);
      net->nz_cols[l - 1] = TRUE;
      rs_gemm_sparse_cols (in, out, batch, low, x, 1, in, dz, out, part, 0.0f, sums, out);
      if (accumulate)
        {
          rs_transpose (sums, in, out, part);
          gsize nw = (gsize) out * in;
          for (gsize i = 0; i < nw; i++)
            layer->grad_weight[i] = layer->grad_weight[i] + part[i];
        }
      else
        rs_transpose (sums, in, out, layer->grad_weight);
    }
  else
    rs_gemm_ex (out, in, batch, dz, 1, out, x, in, 1, beta, layer->grad_weight, in, NULL);
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
      /* dz is zero wherever this layer's ReLU output is (the layer
       * above's backward masked it): its index lists the terms that count. */
      const RsNzIndex *nz = out <= RS_SPARSE_MAX_STRIP && in >= RS_SPARSE_MIN_N
                              ? sparse_index (net, l, batch) : NULL;
      if (nz != NULL)
        {
          /* da_below[n, :] = sum over k with a[n, k] > 0 of dz[n, k] W[k, :],
           * W packed into weight_t (free until the next forward). */
          gboolean packed = rs_sparse_packs (in);
          if (packed)
            rs_sparse_pack (layer->weight, out, in, in, layer->weight_t);
          rs_gemm_sparse (batch, in, nz, dz, out, 1,
                          packed ? layer->weight_t : layer->weight,
                          packed ? RS_SPARSE_CHUNK : (gsize) in,
                          packed ? (gsize) out * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, dx_beta,
                          below->da, in, &e);
        }
      else
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
