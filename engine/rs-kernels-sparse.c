/* rs-kernels-sparse.c — the ReLU-sparse products' bookkeeping: the
 * nonzero index of a hidden ReLU output (row and column bit masks), and
 * the entry points that take the AVX2 kernels (rs-kernels-sparse-avx2.c)
 * or, without AVX2, plain loops. Whether they are used at all is
 * rs_kernels_sparse_enabled() in rs-kernels.c, which owns the dispatch. */
#include "rs-kernels.h"
#include "rs-kernels-impl.h"

#include <string.h>

RsNzIndex *
rs_nz_index_new (int max_rows, int cols)
{
  g_return_val_if_fail (max_rows >= 1 && cols >= 1, NULL);
  RsNzIndex *ix = g_new0 (RsNzIndex, 1);
  ix->max_rows = max_rows;
  ix->max_cols = cols;
  ix->words = (cols + 63) / 64;
  /* Zeroed: the bits past the last column are never written. */
  ix->mask = g_new0 (uint64_t, (gsize) max_rows * ix->words);
  ix->cwords = (max_rows + 63) / 64;
  ix->colmask = g_new0 (uint64_t, (gsize) cols * ix->cwords);
  return ix;
}

void
rs_nz_index_free (RsNzIndex *ix)
{
  if (ix == NULL)
    return;
  g_free (ix->mask);
  g_free (ix->colmask);
  g_free (ix);
}


gsize
rs_nz_index_build (RsNzIndex *ix, const float *a, int rows, int cols, gsize lda)
{
  rs_kernels_init ();
  g_return_val_if_fail (rows >= 0 && rows <= ix->max_rows && cols == ix->max_cols, 0);
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_available (RS_KERNELS_AVX2))
    return rs_nz_index_build_avx2 (ix, a, rows, cols, lda);
#endif
  (void) a, (void) lda;
  g_return_val_if_reached (0);
}

gsize
rs_nz_index_count (RsNzIndex *ix, int rows)
{
  g_return_val_if_fail (rows >= 0 && rows <= ix->max_rows, 0);
  gsize nnz = 0, n = (gsize) rows * ix->words;
  for (gsize i = 0; i < n; i++)
    nnz += (gsize) __builtin_popcountll (ix->mask[i]);
  ix->rows = rows;
  ix->cols = ix->max_cols;
  ix->nnz = nnz;
  return nnz;
}

/* a[r] bit c <-> a[c] bit r (Hacker's Delight 7-3, for 64-bit words). */
static void
transpose_bits64 (uint64_t a[64])
{
  uint64_t m = 0x00000000ffffffffULL;
  for (int j = 32; j != 0; j >>= 1, m ^= m << j)
    for (int k = 0; k < 64; k = ((k | j) + 1) & ~j)
      {
        uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
        a[k] ^= t << j;
        a[k | j] ^= t;
      }
}

void
rs_nz_index_columns (RsNzIndex *ix)
{
  int rows = ix->rows, cols = ix->cols;
  for (int rb = 0; 64 * rb < rows; rb++)
    for (int cb = 0; cb < ix->words; cb++)
      {
        uint64_t t[64];
        for (int r = 0; r < 64; r++)
          t[r] = 64 * rb + r < rows ? ix->mask[(gsize) (64 * rb + r) * ix->words + cb] : 0;
        transpose_bits64 (t);
        for (int c = 0; c < 64 && 64 * cb + c < cols; c++)
          ix->colmask[(gsize) (64 * cb + c) * ix->cwords + rb] = t[c];
      }
}

void
rs_gemm_sparse_cols (int m, int n, int k, const RsNzIndex *ix, const float *a, gsize ars,
                     gsize acs, const float *b, gsize ldb, float *part, float beta, float *c,
                     gsize ldc)
{
  rs_kernels_init ();
  if (m <= 0 || n <= 0)
    return;
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_available (RS_KERNELS_AVX2))
    {
      rs_gemm_sparse_cols_avx2 (m, n, k, ix, a, ars, acs, b, ldb, part, beta, c, ldc);
      return;
    }
#endif
  (void) k, (void) ix, (void) a, (void) ars, (void) acs, (void) b, (void) ldb, (void) part;
  (void) beta, (void) c, (void) ldc;
  g_return_if_reached ();
}

void
rs_gemm_sparse (int m, int n, const RsNzIndex *ix, const float *a, gsize ars, gsize acs,
                const float *b, gsize ldb, gsize chunk_stride, float beta, float *c, gsize ldc,
                const RsEpilogue *epi)
{
  rs_kernels_init ();
  if (m <= 0 || n <= 0)
    return;
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_available (RS_KERNELS_AVX2))
    {
      rs_gemm_sparse_avx2 (m, n, ix, a, ars, acs, b, ldb, chunk_stride, beta,
                           c, ldc, epi);
      return;
    }
#endif
  (void) ix, (void) a, (void) ars, (void) acs, (void) b;
  (void) ldb, (void) chunk_stride, (void) beta, (void) c, (void) ldc, (void) epi;
  g_return_if_reached ();
}

void
rs_sparse_pack (const float *b, int k, int n, gsize ldb, float *dst)
{
  for (int j0 = 0; j0 < n; j0 += RS_SPARSE_CHUNK)
    {
      int nj = MIN (RS_SPARSE_CHUNK, n - j0);
      float *d = dst + (gsize) j0 * k;
      for (int p = 0; p < k; p++)
        memcpy (d + (gsize) p * RS_SPARSE_CHUNK, b + (gsize) p * ldb + j0, nj * sizeof (float));
    }
}
