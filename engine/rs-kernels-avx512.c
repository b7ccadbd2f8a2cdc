/* rs-kernels-avx512.c — the dense products with 512-bit vectors. This
 * file alone is compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl
 * -mfma; rs-kernels.c calls into it only after the CPU said it has them
 * (__builtin_cpu_supports; RS_NO_AVX512 in the environment pretends it
 * has not). Zen 5 runs 512-bit FMAs at full width: twice the AVX2 rate.
 *
 * The same products as rs_gemm_strided_avx2, with the same sums: each
 * entry of C is one running FMA sum over p in ascending order from zero,
 * in chunks of RS_GEMM_KC (the later chunks added to C), then + bias or
 * + beta C, then the epilogue. A lane of a vector computes exactly what a
 * lane of the AVX2 kernel (or a scalar fmaf chain) does, so the two sets
 * agree bit for bit (tests/test-kernels.c), whatever the block shapes and
 * however the rows are split over threads.
 *
 * A block of up to 12 rows x 2 vectors (32 columns) of C, or 8 x 3, stays
 * in registers (24 accumulators of the 32) while k is walked; A's entries
 * are broadcast from memory, B's rows read in place when they are
 * contiguous (a partial last vector through a mask: AVX-512 masked loads
 * neither fault nor cost extra), packed on the stack 16 columns at a time
 * otherwise. Nothing is allocated. */
#include "rs-kernels-impl.h"

#include <immintrin.h>
#include <string.h>

/* The first n lanes (0 <= n <= 16). */
static inline __mmask16
lanes (int n)
{
  return (__mmask16) ((1u << n) - 1);
}

static inline __m512
load16 (const float *p, int n)
{
  return _mm512_maskz_loadu_ps (lanes (n), p);
}

static inline void
store16 (float *p, __m512 v, int n)
{
  _mm512_mask_storeu_ps (p, lanes (n), v);
}

/* ---- the micro-kernel ----------------------------------------------------
 *
 * mr rows x nv vectors, all constants at the call sites; the accumulators
 * are named variables so that they stay in registers. Only the last
 * vector may be partial (its `tail` lanes loaded through a mask). */
#define ACC_ROW(r) __m512 c##r##_0 = zero, c##r##_1 = zero, c##r##_2 = zero;
#define FMA_ROW(r)                                                 \
  if (mr > r)                                                      \
    {                                                              \
      __m512 x = _mm512_set1_ps (ap[(gsize) (r) * ars]);           \
      c##r##_0 = _mm512_fmadd_ps (x, b0, c##r##_0);                \
      if (nv > 1)                                                  \
        c##r##_1 = _mm512_fmadd_ps (x, b1, c##r##_1);              \
      if (nv > 2)                                                  \
        c##r##_2 = _mm512_fmadd_ps (x, b2, c##r##_2);              \
    }
#define OUT_ROW(r)                                                 \
  if (mr > r)                                                      \
    {                                                              \
      acc[r][0] = c##r##_0;                                        \
      acc[r][1] = c##r##_1;                                        \
      acc[r][2] = c##r##_2;                                        \
    }
#define ALL_ROWS(M) M (0) M (1) M (2) M (3) M (4) M (5) M (6) M (7) M (8) M (9) M (10) M (11)
#define LOAD_B(v)                                                                  \
  ((partial && (v) == nv - 1) ? _mm512_maskz_loadu_ps (mask, bp + 16 * (v))        \
                              : _mm512_loadu_ps (bp + 16 * (v)))

static inline __attribute__ ((always_inline)) void
tile (const int mr, const int nv, const gboolean partial, __mmask16 mask, int kc,
      const float *restrict a, gsize ars, gsize acs, const float *restrict b, gsize ldb,
      __m512 acc[12][3])
{
  const __m512 zero = _mm512_setzero_ps ();
  ALL_ROWS (ACC_ROW)
  for (int p = 0; p < kc; p++)
    {
      const float *ap = a + (gsize) p * acs;
      const float *bp = b + (gsize) p * ldb;
      __m512 b0 = LOAD_B (0);
      __m512 b1 = nv > 1 ? LOAD_B (1) : zero;
      __m512 b2 = nv > 2 ? LOAD_B (2) : zero;
      ALL_ROWS (FMA_ROW)
    }
  ALL_ROWS (OUT_ROW)
}

#undef ACC_ROW
#undef FMA_ROW
#undef OUT_ROW
#undef ALL_ROWS
#undef LOAD_B

#define TILE_CASE(MRV, NV)                                                 \
  case MRV:                                                                \
    if (partial)                                                           \
      tile (MRV, NV, TRUE, mask, kc, a, ars, acs, b, ldb, acc);            \
    else                                                                   \
      tile (MRV, NV, FALSE, mask, kc, a, ars, acs, b, ldb, acc);           \
    break;

static void
tile_any (int mr, int nv, gboolean partial, __mmask16 mask, int kc, const float *a, gsize ars,
          gsize acs, const float *b, gsize ldb, __m512 acc[12][3])
{
  if (nv == 1)
    switch (mr)
      {
        TILE_CASE (1, 1) TILE_CASE (2, 1) TILE_CASE (3, 1) TILE_CASE (4, 1) TILE_CASE (5, 1)
        TILE_CASE (6, 1) TILE_CASE (7, 1) TILE_CASE (8, 1) TILE_CASE (9, 1) TILE_CASE (10, 1)
        TILE_CASE (11, 1)
      default:
        TILE_CASE (12, 1)
      }
  else if (nv == 2)
    switch (mr)
      {
        TILE_CASE (1, 2) TILE_CASE (2, 2) TILE_CASE (3, 2) TILE_CASE (4, 2) TILE_CASE (5, 2)
        TILE_CASE (6, 2) TILE_CASE (7, 2) TILE_CASE (8, 2) TILE_CASE (9, 2) TILE_CASE (10, 2)
        TILE_CASE (11, 2)
      default:
        TILE_CASE (12, 2)
      }
  else
    switch (mr)
      {
        TILE_CASE (1, 3) TILE_CASE (2, 3) TILE_CASE (3, 3) TILE_CASE (4, 3) TILE_CASE (5, 3)
        TILE_CASE (6, 3) TILE_CASE (7, 3)
      default:
        TILE_CASE (8, 3)
      }
}

#undef TILE_CASE

/* B(p0.., j0..) into pack[kc][16], zero beyond column nj (<= 16). */
static void
pack_strip (float *restrict pack, const float *restrict b, gsize bks, gsize bns, int p0,
            int kc, int j0, int nj)
{
  memset (pack, 0, (gsize) kc * 16 * sizeof (float));
  for (int j = 0; j < nj; j++)
    {
      const float *src = b + (gsize) (j0 + j) * bns + (gsize) p0 * bks;
      for (int p = 0; p < kc; p++)
        pack[(gsize) p * 16 + j] = src[(gsize) p * bks];
    }
}

/* ---- the write-back -------------------------------------------------------
 *
 * The modes of rs_gemm_store_mode (rs-kernels-impl.h), the AVX2 kernel's:
 * fixed for the whole product, a constant in each copy of the row loop. */
static inline __attribute__ ((always_inline)) void
store_tile (const RsStoreMode mode, int mr, int nv, int tail, __m512 acc[12][3], int i0,
            int j0, float beta, float *c, gsize ldc, const RsEpilogue *e)
{
  const __m512 zero = _mm512_setzero_ps ();
  __m512 bias[3] = { zero, zero, zero };
  const gboolean biased = mode == RS_ST_BIAS || mode == RS_ST_BIAS_RELU
                          || mode == RS_ST_BIAS_COPY || mode == RS_ST_BIAS_RELU_NZ;
  if (biased)
    for (int v = 0; v < nv; v++)
      bias[v] = load16 (e->bias + j0 + 16 * v, v == nv - 1 ? tail : 16);
  for (int r = 0; r < mr; r++)
    {
      float *cr = c + (gsize) (i0 + r) * ldc + j0;
      for (int v = 0; v < nv; v++)
        {
          int cnt = v == nv - 1 ? tail : 16;
          __m512 x = acc[r][v];
          if (mode == RS_ST_ADD || mode == RS_ST_GRAD_RELU_ADD)
            x = _mm512_add_ps (load16 (cr + 16 * v, cnt), x);
          else if (mode == RS_ST_SCALE)
            x = _mm512_add_ps (_mm512_mul_ps (_mm512_set1_ps (beta), load16 (cr + 16 * v, cnt)),
                               x);
          else if (biased)
            x = _mm512_add_ps (x, bias[v]);
          if (mode == RS_ST_GRAD_RELU_SET || mode == RS_ST_GRAD_RELU_ADD)
            {
              __m512 y = load16 (e->y + (gsize) (i0 + r) * e->ldy + j0 + 16 * v, cnt);
              x = _mm512_maskz_mov_ps (_mm512_cmp_ps_mask (y, zero, _CMP_GT_OQ), x);
            }
          store16 (cr + 16 * v, x, cnt);
          if (mode == RS_ST_BIAS_RELU || mode == RS_ST_BIAS_COPY || mode == RS_ST_BIAS_RELU_NZ)
            {
              /* max(z, 0) maps NaN to 0, as the portable z > 0 ? z : 0. */
              __m512 y = mode != RS_ST_BIAS_COPY ? _mm512_max_ps (x, zero) : x;
              store16 (e->a + (gsize) (i0 + r) * e->lda + j0 + 16 * v, y, cnt);
              if (mode == RS_ST_BIAS_RELU_NZ)
                {
                  /* a's nonzeros as bits, a byte per 8 columns (j0 is a
                   * multiple of 16): one or two bytes of this vector. */
                  guint16 bits = _mm512_cmp_ps_mask (y, zero, _CMP_GT_OQ) & lanes (cnt);
                  uint8_t *nz = e->nz + (gsize) (i0 + r) * e->ldnz + (j0 + 16 * v) / 8;
                  nz[0] = (uint8_t) bits;
                  if (cnt > 8)
                    nz[1] = (uint8_t) (bits >> 8);
                }
            }
        }
    }
}

/* Any epilogue, any chunk of k: C (+)= the chunk's sums as the modes do,
 * and after the last chunk the activation's pieces through the one scalar
 * definition of each (rs_activation_forward / _backward: relu, tanh,
 * sigmoid), as the portable kernel applies them. Products with k beyond a
 * chunk and the tanh and sigmoid gradients take it, never a hot path. */
static void
store_generic (int mr, int nv, int tail, __m512 acc[12][3], int i0, int j0, float beta,
               float *c, gsize ldc, const RsEpilogue *e, gboolean first, gboolean last)
{
  for (int r = 0; r < mr; r++)
    for (int v = 0; v < nv; v++)
      {
        int cnt = v == nv - 1 ? tail : 16, i = i0 + r, j = j0 + 16 * v;
        float *cp = c + (gsize) i * ldc + j;
        __m512 x = acc[r][v];
        if (!first)
          x = _mm512_add_ps (load16 (cp, cnt), x);
        else if (e->kind == RS_EPI_BIAS_ACT)
          x = _mm512_add_ps (x, load16 (e->bias + j, cnt));
        else if (beta == 1.0f)
          x = _mm512_add_ps (load16 (cp, cnt), x);
        else if (beta != 0.0f)
          x = _mm512_add_ps (_mm512_mul_ps (_mm512_set1_ps (beta), load16 (cp, cnt)), x);
        store16 (cp, x, cnt);
        if (!last)
          continue;
        if (e->kind == RS_EPI_ACT_GRAD)
          rs_activation_backward (e->act, e->y + (gsize) i * e->ldy + j, cp, cnt);
        else if (e->kind == RS_EPI_BIAS_ACT && e->a != NULL)
          rs_activation_forward (e->act == RS_ACT_RELU ? RS_ACT_RELU : RS_ACT_LINEAR, cp,
                                 e->a + (gsize) i * e->lda + j, cnt);
      }
}

void
rs_gemm_strided_avx512 (int m, int n, int k, const float *a, gsize ars, gsize acs,
                        const float *b, gsize bks, gsize bns, float beta, float *c, gsize ldc,
                        const RsEpilogue *epi)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  const RsEpilogue *e = epi != NULL ? epi : &plain;
  const RsStoreMode mode = k <= RS_GEMM_KC ? rs_gemm_store_mode (e, beta) : RS_ST_GENERIC;
  float pack[RS_GEMM_KC * 16] __attribute__ ((aligned (64)));

  for (int j0 = 0; j0 < n;)
    {
      /* Strips of 32 columns (12 x 32 blocks); what is left at the end in
       * one strip of up to 48, so a narrow C is a single strip. B packed:
       * strips of 16. */
      int left = n - j0;
      int nj = bns != 1 ? MIN (left, 16) : left <= 48 ? left : 32;
      int nv = (nj + 15) / 16, tail = nj - 16 * (nv - 1);
      int mr_max = nv == 3 ? 8 : 12;
      int p0 = 0;
      do
        {
          int kc = MIN (RS_GEMM_KC, k - p0);
          const float *bp;
          gsize ldb;
          gboolean partial = tail < 16;
          if (bns == 1)
            {
              bp = b + (gsize) p0 * bks + j0;
              ldb = bks;
            }
          else
            {
              pack_strip (pack, b, bks, bns, p0, kc, j0, nj);
              bp = pack;
              ldb = 16;
              partial = FALSE;  /* the pack is zero-padded */
            }
          const __mmask16 mask = lanes (tail);
          gboolean first = p0 == 0, last = p0 + kc >= k;
          const float *ap = a + (gsize) p0 * acs;

#define DRIVE(MODE)                                                                      \
  for (int i0 = 0; i0 < m; i0 += mr_max)                                                 \
    {                                                                                    \
      int mr = MIN (mr_max, m - i0);                                                     \
      __m512 acc[12][3];                                                                 \
      tile_any (mr, nv, partial, mask, kc, ap + (gsize) i0 * ars, ars, acs, bp, ldb, acc); \
      store_tile (MODE, mr, nv, tail, acc, i0, j0, beta, c, ldc, e);                     \
    }                                                                                    \
  break;

          switch (mode)
            {
              RS_ST_CONSTANT_CASES (DRIVE)
            case RS_ST_GENERIC:
              for (int i0 = 0; i0 < m; i0 += mr_max)
                {
                  int mr = MIN (mr_max, m - i0);
                  __m512 acc[12][3];
                  tile_any (mr, nv, partial, mask, kc, ap + (gsize) i0 * ars, ars, acs, bp, ldb,
                            acc);
                  store_generic (mr, nv, tail, acc, i0, j0, beta, c, ldc, e, first, last);
                }
              break;
            }
#undef DRIVE
          p0 += kc;
        }
      while (p0 < k);
      j0 += nj;
    }
  if (mode == RS_ST_BIAS_RELU_NZ && e->nz_done != NULL)
    *e->nz_done = TRUE;
}
