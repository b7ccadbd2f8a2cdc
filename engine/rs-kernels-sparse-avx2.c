/* rs-kernels-sparse-avx2.c — products that skip the exact zeros of a ReLU
 * output (about half of every hidden activation, and of the gradient it
 * masks). Built with -mavx2 -mfma like rs-kernels-avx2.c and called only
 * after the same run-time check.
 *
 * Two parts:
 *   - rs_nz_index_build_avx2: each row's nonzeros as bits (cmp + movemask;
 *     the dense kernels' epilogue writes the same bits on the way, and
 *     rs_nz_index_columns in rs-kernels.c transposes them for the columns).
 *   - rs_gemm_sparse_avx2: C[i, :] = epi(sum over the set bits p of row i
 *     of A(i, p) B[p, :]): a chunk of 64 columns of C's row in eight
 *     registers while the bits are walked (tzcnt), one broadcast and eight
 *     FMAs per nonzero; rs_gemm_sparse_cols_avx2 the same over columns,
 *     k-blocked by 64-row words so that B's block stays in L1.
 *
 * That form reads a row of B per term (no reuse from registers, unlike the
 * dense kernel), so it runs at ~70% of the dense kernel's FMA rate here and
 * only wins where B's strip stays in L1 and about half the terms are gone;
 * its 32-byte loads must not straddle cache lines (the network aligns its
 * buffers). Tried and slower on this machine (Zen 4): index lists (uint16)
 * instead of bits (the build cost 2-3x more); two rows per pass, with
 * their own lists or the union of both; strips of 32 or 16 columns
 * (latency-bound); 512-bit vectors.
 *
 * Exactness: every entry is still one running FMA sum in ascending p,
 * started from +0, then + bias or + beta C as the dense kernel does; only
 * terms with an exact 0 factor are left out, and fma(0, w, s) == s for any
 * finite w and any s that is not -0 (a running sum from +0 never is). So
 * the result is the dense one bit for bit while B is finite. */
#include "rs-kernels-impl.h"
#include "rs-kernels-avx2-inline.h"

#include <immintrin.h>
#include <string.h>

/* ---- the index ----------------------------------------------------------- */

gsize
rs_nz_index_build_avx2 (RsNzIndex *ix, const float *a, int rows, int cols, gsize lda)
{
  const __m256 zero = _mm256_setzero_ps ();
  int groups = (cols + 7) / 8;
  gsize nnz = 0;
  ix->rows = rows;
  ix->cols = cols;
  for (int n = 0; n < rows; n++)
    {
      const float *ar = a + (gsize) n * lda;
      uint64_t *mw = ix->mask + (gsize) n * ix->words;
      mw[ix->words - 1] = 0;
      /* Bit j of the row's words is column j: the bytes of a word, little
       * endian, are its groups of 8 columns. */
      uint8_t *mb = (uint8_t *) mw;
      for (int g = 0; g < groups; g++)
        {
          int j = 8 * g, left = cols - j;
          __m256 v = left >= 8 ? _mm256_loadu_ps (ar + j) : load_n (ar + j, left);
          mb[g] = (uint8_t) _mm256_movemask_ps (_mm256_cmp_ps (v, zero, _CMP_GT_OQ));
        }
      for (int w = 0; w < ix->words; w++)
        nnz += (gsize) __builtin_popcountll (mw[w]);
    }
  ix->nnz = nnz;
  return nnz;
}

/* ---- the product -----------------------------------------------------------
 *
 * One row of C at a time, a chunk of up to 8 vectors of it in registers
 * (started from zero, or from `init`: a running sum put aside) while the
 * set bits p of the row's mask words are walked, p0 + 64 w + bit. */

#define ACC(v)                                                                          \
  __m256 c##v = zero;                                                                   \
  if (nv > v && init != NULL)                                                           \
    c##v = (partial && (v) == nv - 1) ? _mm256_maskload_ps (init + 8 * (v), mask)       \
                                      : _mm256_loadu_ps (init + 8 * (v));
#define FMA(v)                                                                          \
  if (nv > v)                                                                           \
    c##v = _mm256_fmadd_ps (x, (partial && (v) == nv - 1)                               \
                                   ? _mm256_maskload_ps (bp + 8 * (v), mask)            \
                                   : _mm256_loadu_ps (bp + 8 * (v)),                    \
                            c##v);
#define OUT(v)                                                                          \
  if (nv > v)                                                                           \
    acc[v] = c##v;
#define ALL(M) M (0) M (1) M (2) M (3) M (4) M (5) M (6) M (7)

static inline __attribute__ ((always_inline)) void
sp_row (const int nv, const gboolean partial, int tail, int words, const uint64_t *restrict mw,
        gsize p0, const float *restrict init, const float *restrict arow, gsize acs,
        const float *restrict b, gsize ldb, __m256 acc[8])
{
  const __m256 zero = _mm256_setzero_ps ();
  const __m256i mask = lane_mask (tail);
  (void) mask;
  ALL (ACC)
  for (int w = 0; w < words; w++)
    for (uint64_t m = mw[w]; m != 0; m &= m - 1)
      {
        gsize p = p0 + 64 * (gsize) w + (gsize) __builtin_ctzll (m);
        __m256 x = _mm256_broadcast_ss (arow + p * acs);
        const float *bp = b + p * ldb;
        ALL (FMA)
      }
  ALL (OUT)
}

#undef ACC
#undef FMA
#undef OUT
#undef ALL

#define ROW_CASE(NV)                                                           \
  case NV:                                                                     \
    if (partial)                                                               \
      sp_row (NV, TRUE, tail, words, mw, p0, init, arow, acs, b, ldb, acc);    \
    else if (acs == 1)                                                         \
      sp_row (NV, FALSE, 8, words, mw, p0, init, arow, 1, b, ldb, acc);        \
    else                                                                       \
      sp_row (NV, FALSE, 8, words, mw, p0, init, arow, acs, b, ldb, acc);      \
    break;

static void
sp_row_any (int nv, gboolean partial, int tail, int words, const uint64_t *mw, gsize p0,
            const float *init, const float *arow, gsize acs, const float *b, gsize ldb,
            __m256 acc[8])
{
  switch (nv)
    {
      ROW_CASE (1) ROW_CASE (2) ROW_CASE (3) ROW_CASE (4) ROW_CASE (5) ROW_CASE (6)
      ROW_CASE (7)
    default:
      ROW_CASE (8)
    }
}

#undef ROW_CASE

/* The dense kernel's write-back of a product done in one chunk of k:
 * acc + bias, acc, C + acc or beta C + acc, then act' or act. */
static inline void
sp_store (const RsEpilogue *e, float beta, int nv, int tail, const __m256 *acc, int i, int j0,
          float *c, gsize ldc)
{
  float *cr = c + (gsize) i * ldc + j0;
  for (int v = 0; v < nv; v++)
    {
      int cnt = v == nv - 1 ? tail : 8;
      __m256 x = acc[v];
      /* Through a register: else GCC may copy acc to C with rep movsq. */
      __asm__ ("" : "+x" (x));
      if (e->kind == RS_EPI_BIAS_ACT)
        x = _mm256_add_ps (x, load_n (e->bias + j0 + 8 * v, cnt));
      else if (beta == 1.0f)
        x = _mm256_add_ps (load_n (cr + 8 * v, cnt), x);
      else if (beta != 0.0f)
        x = _mm256_add_ps (_mm256_mul_ps (_mm256_set1_ps (beta), load_n (cr + 8 * v, cnt)), x);
      if (e->kind == RS_EPI_ACT_GRAD)
        x = act_grad (e->act, x, load_n (e->y + (gsize) i * e->ldy + j0 + 8 * v, cnt));
      store_n (cr + 8 * v, x, cnt);
      if (e->kind == RS_EPI_BIAS_ACT && e->a != NULL)
        {
          /* max(z, 0) maps NaN to 0, as the portable z > 0 ? z : 0. */
          __m256 y = e->act == RS_ACT_RELU ? _mm256_max_ps (x, _mm256_setzero_ps ()) : x;
          store_n (e->a + (gsize) i * e->lda + j0 + 8 * v, y, cnt);
          if (e->nz != NULL && e->act == RS_ACT_RELU)
            e->nz[(gsize) i * e->ldnz + (j0 + 8 * v) / 8]
              = (uint8_t) (_mm256_movemask_ps (_mm256_cmp_ps (y, _mm256_setzero_ps (), _CMP_GT_OQ))
                           & ((1 << cnt) - 1));
        }
    }
}

void
rs_gemm_sparse_avx2 (int m, int n, const RsNzIndex *ix, const float *a, gsize ars, gsize acs,
                     const float *b, gsize ldb, gsize chunk_stride, float beta, float *c,
                     gsize ldc, const RsEpilogue *epi)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  const RsEpilogue *e = epi != NULL ? epi : &plain;
  for (int j0 = 0, q = 0; j0 < n; j0 += RS_SPARSE_CHUNK, q++)
    {
      int nj = MIN (RS_SPARSE_CHUNK, n - j0), nv = (nj + 7) / 8, tail = nj - 8 * (nv - 1);
      gboolean partial = tail < 8;
      const float *bq = b + (gsize) q * chunk_stride;
      for (int i = 0; i < m; i++)
        {
          __m256 acc[8];
          sp_row_any (nv, partial, tail, ix->words, ix->mask + (gsize) i * ix->words, 0, NULL,
                      a + (gsize) i * ars, acs, bq, ldb, acc);
          sp_store (e, beta, nv, tail, acc, i, j0, c, ldc);
        }
    }
  if (e->nz != NULL && e->nz_done != NULL && e->kind == RS_EPI_BIAS_ACT && e->a != NULL
      && e->act == RS_ACT_RELU)
    *e->nz_done = TRUE;
}

/* The same product over columns of the index (C's row j: the rows n with
 * A[n, j] > 0), k-blocked by mask words: B's block of 64 rows and 64
 * columns (16 KiB) stays in L1 while every row of C takes its terms from
 * it. Between blocks the running sums wait in `part` [m, n] — stored and
 * reloaded exactly, so each is still one FMA chain in ascending p. */
void
rs_gemm_sparse_cols_avx2 (int m, int n, int k, const RsNzIndex *ix, const float *a, gsize ars,
                          gsize acs, const float *b, gsize ldb, float *part, float beta,
                          float *c, gsize ldc)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  int cw = (k + 63) / 64;
  for (int j0 = 0; j0 < n; j0 += RS_SPARSE_CHUNK)
    {
      int nj = MIN (RS_SPARSE_CHUNK, n - j0), nv = (nj + 7) / 8, tail = nj - 8 * (nv - 1);
      gboolean partial = tail < 8;
      for (int w = 0; w < cw; w++)
        for (int i = 0; i < m; i++)
          {
            __m256 acc[8];
            float *pr = part + (gsize) i * n + j0;
            sp_row_any (nv, partial, tail, 1, ix->colmask + (gsize) i * ix->cwords + w,
                        64 * (gsize) w, w > 0 ? pr : NULL, a + (gsize) i * ars, acs, b + j0,
                        ldb, acc);
            if (w == cw - 1)
              sp_store (&plain, beta, nv, tail, acc, i, j0, c, ldc);
            else
              for (int v = 0; v < nv; v++)
                store_n (pr + 8 * v, acc[v], v == nv - 1 ? tail : 8);
          }
    }
}
