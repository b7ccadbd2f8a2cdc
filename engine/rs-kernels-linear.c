/* rs-kernels-linear.c — a dense layer's op, forward and backward side by
 * side: y = act(x W^T + b) and its gradients, each product taking the
 * kernel that is fastest for it — a dense set by size (rs_gemm_ex), or the
 * products that skip a hidden ReLU output's zeros (rs-kernels-sparse*.c).
 * The network only names its buffers; every kernel choice is made here. */
#include "rs-kernels.h"
#include "rs-kernels-impl.h"

#include <math.h>
#include <string.h>

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

/* ---- the ReLU outputs' indices ------------------------------------------ */

RsNzIndex *
rs_linear_nz_index_new (RsActivation act, int in, int out, int next, int max_batch)
{
  /* Some sparse product must be able to use it: the next layer's forward
   * or dW (C is `next` wide), this layer's dW or the dX into the layer
   * below (C is `in` wide), each needing C at least RS_SPARSE_MIN_N wide
   * (their other conditions are checked per step). */
  gboolean useful = in >= RS_SPARSE_MIN_N || next >= RS_SPARSE_MIN_N;
  if (act != RS_ACT_RELU || !useful || !rs_kernels_sparse_enabled ())
    return NULL;
  return rs_nz_index_new (max_batch, out);
}

gsize
rs_linear_scratch_size (int in, int out)
{
  return 2 * (gsize) out * in;
}

/* The index, when it is built for this batch and in use, for a product
 * of batch x in x out multiply-adds. Not where the dense product is split
 * over several threads: the sparse kernels run on one, and half the dense
 * time beats their ~0.7 (the results are the same bit for bit). */
static RsNzIndex *
usable (RsNzIndex *ix, int batch, int in, int out)
{
  if (ix == NULL || !ix->use || ix->rows != batch || !rs_kernels_sparse_enabled ()
      || rs_gemm_splits (batch, in, out))
    return NULL;
  return ix;
}

/* ---- the layer: forward and backward side by side ----------------------- */

gboolean
rs_linear_forward_split_wt (int batch, int in, int out)
{
  /* Split products take no sparse kernel (usable), so the dense branch. */
  return rs_gemm_splits (batch, out, in) && rs_kernels_active (batch, out, in) != RS_KERNELS_BLAS;
}

void
rs_linear_forward (float *z, float *a, const float *x, const float *weight, const float *bias,
                   int batch, int in, int out, RsActivation act, float *weight_t,
                   gboolean weight_t_ready, RsNzIndex *x_nz, RsNzIndex *a_nz)
{
  gboolean fused = act == RS_ACT_RELU || act == RS_ACT_LINEAR;
  /* z = x W^T + b, with relu (or the copy) into a in the same pass. Our
   * kernels walk rows of W^T: transposed once here rather than packed
   * strip by strip inside; BLAS takes W as it is. */
  /* The index of this layer's nonzeros for the sparse products: its mask
   * written by the product's epilogue when the kernel can, else built;
   * its columns only when a weight gradient asks. */
  RsNzIndex *own = a_nz != NULL && rs_kernels_sparse_enabled () ? a_nz : NULL;
  gboolean nz_done = FALSE;
  RsEpilogue e = {
    .kind = RS_EPI_BIAS_ACT, .act = act, .bias = bias,
    .a = fused ? a : NULL, .lda = out,
    .nz = own != NULL ? (uint8_t *) own->mask : NULL,
    .ldnz = own != NULL ? (gsize) own->words * 8 : 0, .nz_done = &nz_done,
  };
  const RsNzIndex *below = in <= RS_SPARSE_MAX_STRIP && out >= RS_SPARSE_MIN_N
                             ? usable (x_nz, batch, in, out) : NULL;
  if (below != NULL)
    {
      /* x is the ReLU output of the layer below: z[n, :] = b + sum over
       * x[n, j] > 0 of x[n, j] W^T[j, :]. W^T chunk by chunk when packed:
       * the transposes of W's blocks of RS_SPARSE_CHUNK rows. */
      gboolean packed = rs_sparse_packs (out);
      if (packed)
        for (int j0 = 0; j0 < out; j0 += RS_SPARSE_CHUNK)
          rs_transpose (weight + (gsize) j0 * in, RS_SPARSE_CHUNK, in,
                        weight_t + (gsize) j0 * in);
      else
        rs_transpose (weight, out, in, weight_t);
      rs_gemm_sparse (batch, out, below, x, in, 1, weight_t,
                      packed ? RS_SPARSE_CHUNK : (gsize) out,
                      packed ? (gsize) in * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, 0.0f, z, out, &e);
    }
  else if (rs_kernels_active (batch, out, in) == RS_KERNELS_BLAS)
    rs_gemm_ex (batch, out, in, x, in, 1, weight, 1, in, 0.0f, z, out, &e);
  else
    {
      if (!weight_t_ready)
        rs_transpose (weight, out, in, weight_t);
      rs_gemm_ex (batch, out, in, x, in, 1, weight_t, out, 1, 0.0f, z, out, &e);
    }
  if (!fused)
    rs_activation_forward (act, z, a, (gsize) batch * out);
  if (a_nz != NULL)
    {
      a_nz->use = FALSE;
      a_nz->cols_built = FALSE;
    }
  if (own != NULL)
    {
      gsize nnz = nz_done ? rs_nz_index_count (own, batch)
                          : rs_nz_index_build (own, a, batch, out, out);
      own->use = nnz < RS_SPARSE_MAX_DENSITY * batch * out;
    }
}

gboolean
rs_linear_dw_transposed (int batch, int in, int out, int lanes)
{
  /* The vector kernels' work per batch row: a vector FMA per `lanes`
   * columns of each row of C and a broadcast per row; then the transpose. */
  double direct = (double) batch * out * ((in + lanes - 1) / lanes + 1);
  double transposed = (double) batch * in * ((out + lanes - 1) / lanes + 1) + 0.5 * in * out;
  return transposed < 0.8 * direct;
}

/* The floats in a vector of a product kernel set, 0 for the others. */
static int
vector_lanes (RsKernelSet set)
{
  return set == RS_KERNELS_AVX512 ? 16 : set == RS_KERNELS_AVX2 ? 8 : 0;
}

/* dW [out, in] from its transpose sums [in, out]: written, or added to
 * (one rounding of dW + sum, as a product's beta = 1 adds). part: in * out
 * floats of scratch. */
static void
weight_grad_from_transposed (const float *sums, int in, int out, gboolean accumulate,
                             float *part, float *dweight)
{
  if (!accumulate)
    {
      rs_transpose (sums, in, out, dweight);
      return;
    }
  rs_transpose (sums, in, out, part);
  gsize nw = (gsize) out * in;
  for (gsize i = 0; i < nw; i++)
    dweight[i] = dweight[i] + part[i];
}

/* The column masks of an index, once per forward. */
static void
need_columns (RsNzIndex *ix)
{
  if (!ix->cols_built)
    rs_nz_index_columns (ix);
  ix->cols_built = TRUE;
}

void
rs_linear_backward (float *dx, float *dweight, float *dbias, const float *dz, const float *x,
                    const float *weight, int batch, int in, int out, RsActivation x_act,
                    gboolean accumulate, float dx_beta, float *weight_t, float *scratch,
                    RsNzIndex *x_nz, RsNzIndex *a_nz)
{
  /* dW skips the zeros of dz (this layer's ReLU output's) or of x (the
   * layer below's), whichever has fewer nonzeros, walking the index's
   * columns; not where the dense choice is OpenBLAS (large products:
   * 784-256-128-10's fc1, 547 against 506 us). */
  gboolean cols_ok = (a_nz != NULL || x_nz != NULL) && batch <= RS_SPARSE_MAX_K
                     && rs_kernels_active (out, in, batch) != RS_KERNELS_BLAS;
  RsNzIndex *own = cols_ok && in >= RS_SPARSE_MIN_N ? usable (a_nz, batch, in, out) : NULL;
  RsNzIndex *low = cols_ok && out >= RS_SPARSE_MIN_N ? usable (x_nz, batch, in, out) : NULL;
  if (own != NULL && low != NULL)
    {
      if ((double) low->nnz / ((gsize) batch * in) < (double) own->nnz / ((gsize) batch * out))
        own = NULL;
      else
        low = NULL;
    }
  float beta = accumulate ? 1.0f : 0.0f;
  float *part = scratch, *sums = part + (gsize) out * in;
  if (own != NULL)
    {
      /* dW[j, :] = sum over n with a[n, j] > 0 of dz[n, j] x[n, :] */
      need_columns (own);
      rs_gemm_sparse_cols (out, in, batch, own, dz, 1, out, x, in, part, beta, dweight, in);
    }
  else if (low != NULL)
    {
      /* dW^T[j, :] = sum over n with x[n, j] > 0 of x[n, j] dz[n, :] (the
       * same products, the same order), then transposed into dW, + dW
       * when accumulating: the dense kernel's one rounding of C + sum. */
      need_columns (low);
      rs_gemm_sparse_cols (in, out, batch, low, x, 1, in, dz, out, part, 0.0f, sums, out);
      weight_grad_from_transposed (sums, in, out, accumulate, part, dweight);
    }
  else if (scratch != NULL && vector_lanes (rs_kernels_active (out, in, batch)) > 0
           && rs_kernels_active (in, out, batch) == rs_kernels_active (out, in, batch)
           && rs_linear_dw_transposed (batch, in, out,
                                       vector_lanes (rs_kernels_active (out, in, batch))))
    {
      /* dW^T = x^T dz, rows of `out` floats instead of `in`: a narrow
       * input (the seed's 10, the spirals' 2) fills few lanes of dW's
       * rows. Each entry is the same FMA chain over the batch, of the
       * same products, as the direct form's (and both forms take the same
       * kernel set, whose sets agree bit for bit anyway). */
      rs_gemm_ex (in, out, batch, x, 1, in, dz, out, 1, 0.0f, sums, out, NULL);
      weight_grad_from_transposed (sums, in, out, accumulate, part, dweight);
    }
  else
    rs_gemm_ex (out, in, batch, dz, 1, out, x, in, 1, beta, dweight, in, NULL);
  if (accumulate)
    for (int r = 0; r < batch; r++)
      {
        const float *row = dz + (gsize) r * out;
        for (int j = 0; j < out; j++)
          dbias[j] += row[j];
      }
  else
    rs_colsum (dz, batch, out, dbias);

  if (dx == NULL)
    return;
  RsEpilogue e = { .kind = RS_EPI_ACT_GRAD, .act = x_act, .y = x, .ldy = in };
  /* dz is zero wherever this layer's ReLU output is (the layer above's
   * backward masked it): its index lists the terms that count. */
  const RsNzIndex *nz = out <= RS_SPARSE_MAX_STRIP && in >= RS_SPARSE_MIN_N
                          ? usable (a_nz, batch, in, out) : NULL;
  if (nz != NULL)
    {
      /* dx[n, :] = sum over k with a[n, k] > 0 of dz[n, k] W[k, :], W
       * packed into weight_t (free until the next forward). */
      gboolean packed = rs_sparse_packs (in);
      if (packed)
        rs_sparse_pack (weight, out, in, in, weight_t);
      rs_gemm_sparse (batch, in, nz, dz, out, 1, packed ? weight_t : weight,
                      packed ? RS_SPARSE_CHUNK : (gsize) in,
                      packed ? (gsize) out * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, dx_beta, dx, in,
                      &e);
    }
  else
    rs_gemm_ex (batch, in, out, dz, out, 1, weight, in, 1, dx_beta, dx, in, &e);
}
