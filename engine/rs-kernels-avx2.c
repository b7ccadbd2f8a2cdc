/* rs-kernels-avx2.c — the AVX2 + FMA kernels. This file alone is compiled
 * with -mavx2 -mfma; rs-kernels.c calls into it only after the CPU said it
 * has both (__builtin_cpu_supports), so the rest of the engine stays
 * portable.
 *
 * The product keeps a block of C in twelve registers while it walks k
 * (below). B is used in place when its rows are contiguous, with masked
 * loads for a partial last vector, and packed on the stack otherwise, so
 * nothing is allocated. */
#include "rs-kernels-impl.h"
#include "rs-kernels-avx2-inline.h"

#include <float.h>
#include <immintrin.h>
#include <math.h>
#include <string.h>

/* ---- epilogue: one vector of C, after a chunk of k --------------------- */

static inline void
write_back (__m256 acc, int cnt, int i, int j, float beta, float *c, gsize ldc,
            const RsEpilogue *e, gboolean first, gboolean last)
{
  float *cp = c + (gsize) i * ldc + j;
  __m256 v;
  if (!first)
    v = _mm256_add_ps (load_n (cp, cnt), acc);
  else if (e->kind == RS_EPI_BIAS_ACT)
    v = _mm256_add_ps (acc, load_n (e->bias + j, cnt));
  else if (beta == 0.0f)
    v = acc;
  else if (beta == 1.0f)
    v = _mm256_add_ps (load_n (cp, cnt), acc);
  else
    v = _mm256_add_ps (_mm256_mul_ps (_mm256_set1_ps (beta), load_n (cp, cnt)), acc);

  if (last && e->kind == RS_EPI_ACT_GRAD)
    v = act_grad (e->act, v, load_n (e->y + (gsize) i * e->ldy + j, cnt));
  store_n (cp, v, cnt);
  if (last && e->kind == RS_EPI_BIAS_ACT && e->a != NULL)
    {
      /* max(z, 0) maps NaN to 0, as the portable z > 0 ? z : 0 does. */
      __m256 a = e->act == RS_ACT_RELU ? _mm256_max_ps (v, _mm256_setzero_ps ()) : v;
      store_n (e->a + (gsize) i * e->lda + j, a, cnt);
    }
}

/* ---- the micro-kernels -------------------------------------------------
 *
 * A block of mr rows x nv vectors of C stays in registers while k is walked:
 * 12 x 8, 6 x 16 or 4 x 24, twelve accumulators each, enough independent
 * FMAs to cover their latency on both ports. Each C element is one running
 * FMA sum over p in order — what BLAS does, so the results are BLAS's (and
 * PyTorch's) bit for bit. mr, nv and `partial` (the last vector has `tail`
 * columns, loaded masked) are constants at every call site. */

/* The block's accumulators are named variables, not an array, so that
 * every compiler keeps them in registers (clang would not unroll the
 * loops over an array far enough); unused ones fold away. */
#define ACC_ROW(r) __m256 c##r##_0 = zero, c##r##_1 = zero, c##r##_2 = zero;
#define FMA_ROW(r)                                                 \
  if (mr > r)                                                      \
    {                                                              \
      __m256 x = _mm256_broadcast_ss (ap + (gsize) (r) * ars);     \
      c##r##_0 = _mm256_fmadd_ps (x, b0, c##r##_0);                \
      if (nv > 1)                                                  \
        c##r##_1 = _mm256_fmadd_ps (x, b1, c##r##_1);              \
      if (nv > 2)                                                  \
        c##r##_2 = _mm256_fmadd_ps (x, b2, c##r##_2);              \
    }
#define OUT_ROW(r)                                                 \
  if (mr > r)                                                      \
    {                                                              \
      acc[r][0] = c##r##_0;                                        \
      if (nv > 1)                                                  \
        acc[r][1] = c##r##_1;                                      \
      if (nv > 2)                                                  \
        acc[r][2] = c##r##_2;                                      \
    }
#define ALL_ROWS(M) M (0) M (1) M (2) M (3) M (4) M (5) M (6) M (7) M (8) M (9) M (10) M (11)

/* B's last vector of row p: masked near the end of B (see tile). */
#define LOAD_B(v, masked)                                                                 \
  ((partial && (v) == nv - 1 && (masked)) ? _mm256_maskload_ps (bp + 8 * (v), mask)        \
                                          : _mm256_loadu_ps (bp + 8 * (v)))

#define K_STEP(masked)                                                    \
  {                                                                       \
    const float *ap = a + (gsize) p * acs;                                \
    const float *bp = b + (gsize) p * ldb;                                \
    __m256 b0 = LOAD_B (0, masked);                                       \
    __m256 b1 = nv > 1 ? LOAD_B (1, masked) : zero;                       \
    __m256 b2 = nv > 2 ? LOAD_B (2, masked) : zero;                       \
    ALL_ROWS (FMA_ROW)                                                    \
  }

static inline __attribute__ ((always_inline)) void
tile (const int mr, const int nv, const gboolean partial, int tail, int unmasked, int kc,
      const float *restrict a, gsize ars, gsize acs, const float *restrict b, gsize ldb,
      __m256 acc[12][3])
{
  const __m256 zero = _mm256_setzero_ps ();
  ALL_ROWS (ACC_ROW)
  int p = 0;
  if (partial)
    {
      /* A full-width load of a partial last vector reads past the end of
       * B's row into the next one (lanes that are computed, never stored):
       * safe except within the last few floats of B (rows from `unmasked`
       * on), where it is masked. */
      const __m256i mask = lane_mask (tail);
      for (; p < unmasked; p++)
        K_STEP (FALSE)
      for (; p < kc; p++)
        K_STEP (TRUE)
    }
  else
    {
      const __m256i mask = _mm256_setzero_si256 ();
      (void) mask;
      for (; p < kc; p++)
        K_STEP (FALSE)
    }
  ALL_ROWS (OUT_ROW)
}

#undef ACC_ROW
#undef FMA_ROW
#undef OUT_ROW
#undef ALL_ROWS
#undef LOAD_B
#undef K_STEP

#define TILE_CASE(MRV, NV)                                                    \
  case MRV:                                                                   \
    if (partial)                                                              \
      tile (MRV, NV, TRUE, tail, unmasked, kc, a, ars, acs, b, ldb, acc);     \
    else                                                                      \
      tile (MRV, NV, FALSE, 8, kc, kc, a, ars, acs, b, ldb, acc);             \
    break;

static void
tile_any (int mr, int nv, gboolean partial, int tail, int unmasked, int kc, const float *a,
          gsize ars, gsize acs, const float *b, gsize ldb, __m256 acc[12][3])
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
      default:
        TILE_CASE (6, 2)
      }
  else
    switch (mr)
      {
        TILE_CASE (1, 3) TILE_CASE (2, 3) TILE_CASE (3, 3)
      default:
        TILE_CASE (4, 3)
      }
}

#undef TILE_CASE

#define KC RS_GEMM_KC  /* 48 KiB of packed B on the stack at 24 columns */

/* B(p0.., j0..) into pack[kc][24], zero beyond column nj. */
static void
pack_strip (float *restrict pack, const float *restrict b, gsize bks, gsize bns, int p0,
            int kc, int j0, int nj)
{
  memset (pack, 0, (gsize) kc * 24 * sizeof (float));
  if (bks == 1)
    /* B is a transposed row-major matrix: read its rows contiguously. */
    for (int j = 0; j < nj; j++)
      {
        const float *src = b + (gsize) (j0 + j) * bns + p0;
        for (int p = 0; p < kc; p++)
          pack[(gsize) p * 24 + j] = src[p];
      }
  else
    for (int p = 0; p < kc; p++)
      {
        const float *src = b + (gsize) (p0 + p) * bks + (gsize) j0 * bns;
        for (int j = 0; j < nj; j++)
          pack[(gsize) p * 24 + j] = src[(gsize) j * bns];
      }
}

static inline __attribute__ ((always_inline)) void
store_tile (const RsStoreMode mode, int mr, int nv, int tail, __m256 acc[12][3], int i0, int j0,
            float beta, float *c, gsize ldc, const RsEpilogue *e)
{
  const __m256 zero = _mm256_setzero_ps ();
  __m256 bias[3] = { zero, zero, zero };
  if (mode == RS_ST_BIAS || mode == RS_ST_BIAS_RELU || mode == RS_ST_BIAS_COPY
      || mode == RS_ST_BIAS_RELU_NZ)
    for (int v = 0; v < nv; v++)
      bias[v] = load_n (e->bias + j0 + 8 * v, v == nv - 1 ? tail : 8);
  for (int r = 0; r < mr; r++)
    {
      float *cr = c + (gsize) (i0 + r) * ldc + j0;
      for (int v = 0; v < nv; v++)
        {
          int cnt = v == nv - 1 ? tail : 8;
          __m256 x = acc[r][v];
          /* Through a register: else GCC sees a copy from acc to C and
           * makes it a rep movsq, slow for pieces of 32 bytes. */
          __asm__ ("" : "+x" (x));
          if (mode == RS_ST_ADD || mode == RS_ST_GRAD_RELU_ADD)
            x = _mm256_add_ps (load_n (cr + 8 * v, cnt), x);
          else if (mode == RS_ST_SCALE)
            x = _mm256_add_ps (_mm256_mul_ps (_mm256_set1_ps (beta), load_n (cr + 8 * v, cnt)), x);
          else if (mode == RS_ST_BIAS || mode == RS_ST_BIAS_RELU || mode == RS_ST_BIAS_COPY
                   || mode == RS_ST_BIAS_RELU_NZ)
            x = _mm256_add_ps (x, bias[v]);
          if (mode == RS_ST_GRAD_RELU_SET || mode == RS_ST_GRAD_RELU_ADD)
            {
              __m256 y = load_n (e->y + (gsize) (i0 + r) * e->ldy + j0 + 8 * v, cnt);
              x = _mm256_and_ps (x, _mm256_cmp_ps (y, zero, _CMP_GT_OQ));
            }
          store_n (cr + 8 * v, x, cnt);
          if (mode == RS_ST_BIAS_RELU || mode == RS_ST_BIAS_COPY || mode == RS_ST_BIAS_RELU_NZ)
            {
              /* max(z, 0) maps NaN to 0, as the portable z > 0 ? z : 0. */
              __m256 y = mode != RS_ST_BIAS_COPY ? _mm256_max_ps (x, zero) : x;
              store_n (e->a + (gsize) (i0 + r) * e->lda + j0 + 8 * v, y, cnt);
              /* The nonzeros as bits for the sparse products, while y is
               * in a register (j0 is a multiple of 8). */
              if (mode == RS_ST_BIAS_RELU_NZ)
                e->nz[(gsize) (i0 + r) * e->ldnz + (j0 + 8 * v) / 8]
                  = (uint8_t) (_mm256_movemask_ps (_mm256_cmp_ps (y, zero, _CMP_GT_OQ))
                               & ((1 << cnt) - 1));
            }
        }
    }
}

void
rs_gemm_strided_avx2 (int m, int n, int k, const float *a, gsize ars, gsize acs,
                      const float *b, gsize bks, gsize bns, float beta, float *c, gsize ldc,
                      const RsEpilogue *epi)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  const RsEpilogue *e = epi != NULL ? epi : &plain;
  const RsStoreMode mode = k <= KC ? rs_gemm_store_mode (e, beta) : RS_ST_GENERIC;
  float pack[KC * 24] __attribute__ ((aligned (32)));

  for (int j0 = 0; j0 < n;)
    {
      /* Strips of 16 columns (6 x 16 blocks); what is left at the end in
       * one strip of up to 24, so a narrow C is a single strip. */
      int left = n - j0;
      int nj = left <= 24 ? left : 16;
      int nv = (nj + 7) / 8, tail = nj - 8 * (nv - 1);
      int mr_max = nv == 1 ? 12 : nv == 2 ? 6 : 4;
      int p0 = 0;
      do
        {
          int kc = MIN (KC, k - p0);
          const float *bp;
          gsize ldb;
          gboolean partial = tail < 8;
          if (bns == 1)
            {
              bp = b + (gsize) p0 * bks + j0;
              ldb = bks;
            }
          else
            {
              pack_strip (pack, b, bks, bns, p0, kc, j0, nj);
              bp = pack;
              ldb = 24;
              partial = FALSE;  /* the pack is zero-padded */
            }
          /* Rows of B whose partial last vector may be read whole. */
          int unmasked = partial ? kc - (int) ((8 - tail + ldb - 1) / ldb) : kc;
          gboolean first = p0 == 0, last = p0 + kc >= k;
          const float *ap = a + (gsize) p0 * acs;

/* The store with the strip's vector count a constant too: its loop over
 * the vectors unrolls, and only the last vector's width is looked at. */
#define DRIVE_NV(MODE, NV)                                                             \
  for (int i0 = 0; i0 < m; i0 += mr_max)                                               \
    {                                                                                  \
      int mr = MIN (mr_max, m - i0);                                                   \
      __m256 acc[12][3];                                                               \
      tile_any (mr, NV, partial, tail, unmasked, kc, ap + (gsize) i0 * ars, ars, acs, bp, \
                ldb, acc);                                                             \
      store_tile (MODE, mr, NV, tail, acc, i0, j0, beta, c, ldc, e);                   \
    }                                                                                  \
  break;
#define DRIVE(MODE)                                                                    \
  switch (nv)                                                                          \
    {                                                                                  \
    case 1: DRIVE_NV (MODE, 1)                                                         \
    case 2: DRIVE_NV (MODE, 2)                                                         \
    default: DRIVE_NV (MODE, 3)                                                        \
    }                                                                                  \
  break;

          switch (mode)
            {
              RS_ST_CONSTANT_CASES (DRIVE)
            case RS_ST_GENERIC:
              for (int i0 = 0; i0 < m; i0 += mr_max)
                {
                  int mr = MIN (mr_max, m - i0);
                  __m256 acc[12][3];
                  tile_any (mr, nv, partial, tail, unmasked, kc, ap + (gsize) i0 * ars, ars,
                            acs, bp, ldb, acc);
                  for (int r = 0; r < mr; r++)
                    for (int v = 0; v < nv; v++)
                      write_back (acc[r][v], v == nv - 1 ? tail : 8, i0 + r, j0 + 8 * v, beta,
                                  c, ldc, e, first, last);
                }
              break;
            }
#undef DRIVE
#undef DRIVE_NV
          p0 += kc;
        }
      while (p0 < k);
      j0 += nj;
    }
  if (mode == RS_ST_BIAS_RELU_NZ && e->nz_done != NULL)
    *e->nz_done = TRUE;
}

/* ---- exp and log: SLEEF's expf_u10 / logf_u10 algorithms ---------------
 *
 * PyTorch's CPU kernels (log_softmax, sigmoid, exp) evaluate these through
 * SLEEF; the same operations here give the same float, bit for bit, so a
 * softmax gradient matches PyTorch's exactly (tests/test-kernels.c checks
 * the scalar twins in rs-kernels.c agree). Algorithm: SLEEF 3.x,
 * sleefsimdsp.c (Boost Software License 1.0), written anew. */

static inline __m256
pow2i (__m256i q)
{
  return _mm256_castsi256_ps (_mm256_slli_epi32 (_mm256_add_epi32 (q, _mm256_set1_epi32 (0x7f)), 23));
}

static inline __m256
exp_ps (__m256 d)
{
  __m256i q = _mm256_cvtps_epi32 (_mm256_mul_ps (d, _mm256_set1_ps (RS_EXP_R_LN2)));
  __m256 qf = _mm256_cvtepi32_ps (q);
  __m256 s = _mm256_fmadd_ps (qf, _mm256_set1_ps (-RS_EXP_L2U), d);
  s = _mm256_fmadd_ps (qf, _mm256_set1_ps (-RS_EXP_L2L), s);
  __m256 u = _mm256_set1_ps (RS_EXP_C0);
  u = _mm256_fmadd_ps (u, s, _mm256_set1_ps (RS_EXP_C1));
  u = _mm256_fmadd_ps (u, s, _mm256_set1_ps (RS_EXP_C2));
  u = _mm256_fmadd_ps (u, s, _mm256_set1_ps (RS_EXP_C3));
  u = _mm256_fmadd_ps (u, s, _mm256_set1_ps (RS_EXP_C4));
  u = _mm256_fmadd_ps (u, s, _mm256_set1_ps (0.5f));
  u = _mm256_add_ps (_mm256_set1_ps (1.0f), _mm256_fmadd_ps (_mm256_mul_ps (s, s), u, s));
  __m256i h = _mm256_srai_epi32 (q, 1);
  u = _mm256_mul_ps (_mm256_mul_ps (u, pow2i (h)), pow2i (_mm256_sub_epi32 (q, h)));
  u = _mm256_andnot_ps (_mm256_cmp_ps (d, _mm256_set1_ps (-104.0f), _CMP_LT_OQ), u);
  return _mm256_blendv_ps (u, _mm256_set1_ps (INFINITY),
                           _mm256_cmp_ps (_mm256_set1_ps (100.0f), d, _CMP_LT_OQ));
}

/* Double-float helpers of the log: (x, y) is the unevaluated sum x + y. */
typedef struct { __m256 x, y; } F2;

static inline F2
f2_add_ff (__m256 x, __m256 y)  /* any magnitudes */
{
  __m256 s = _mm256_add_ps (x, y), v = _mm256_sub_ps (s, x);
  return (F2) { s, _mm256_add_ps (_mm256_sub_ps (x, _mm256_sub_ps (s, v)), _mm256_sub_ps (y, v)) };
}

static inline F2
f2_add_f2f2 (F2 x, F2 y)  /* |x| >= |y| */
{
  __m256 s = _mm256_add_ps (x.x, y.x);
  return (F2) { s, _mm256_add_ps (_mm256_add_ps (_mm256_add_ps (_mm256_sub_ps (x.x, s), y.x), x.y), y.y) };
}

static inline F2
f2_add_f2f (F2 x, __m256 y)  /* |x| >= |y| */
{
  __m256 s = _mm256_add_ps (x.x, y);
  return (F2) { s, _mm256_add_ps (_mm256_add_ps (_mm256_sub_ps (x.x, s), y), x.y) };
}

static inline F2
f2_mul_f2f (F2 x, __m256 y)
{
  __m256 s = _mm256_mul_ps (x.x, y);
  return (F2) { s, _mm256_fmadd_ps (x.y, y, _mm256_fmsub_ps (x.x, y, s)) };
}

static inline F2
f2_div (F2 n, F2 d)
{
  __m256 t = _mm256_div_ps (_mm256_set1_ps (1.0f), d.x);
  __m256 s = _mm256_mul_ps (n.x, t);
  __m256 u = _mm256_fmsub_ps (t, n.x, s);
  __m256 v = _mm256_fnmadd_ps (d.y, t, _mm256_fnmadd_ps (d.x, t, _mm256_set1_ps (1.0f)));
  return (F2) { s, _mm256_fmadd_ps (s, v, _mm256_fmadd_ps (n.y, t, u)) };
}

static inline __m256
log_ps (__m256 d)
{
  const __m256 one = _mm256_set1_ps (1.0f);
  __m256 tiny = _mm256_cmp_ps (d, _mm256_set1_ps (FLT_MIN), _CMP_LT_OQ);
  d = _mm256_blendv_ps (d, _mm256_mul_ps (d, _mm256_set1_ps (RS_LOG_2P64)), tiny);
  __m256i bits = _mm256_castps_si256 (_mm256_mul_ps (d, _mm256_set1_ps (1.0f / 0.75f)));
  __m256i e = _mm256_sub_epi32 (_mm256_and_si256 (_mm256_srli_epi32 (bits, 23), _mm256_set1_epi32 (0xff)),
                                _mm256_set1_epi32 (0x7f));
  __m256 m = _mm256_castsi256_ps (_mm256_sub_epi32 (_mm256_castps_si256 (d), _mm256_slli_epi32 (e, 23)));
  e = _mm256_castps_si256 (_mm256_blendv_ps (_mm256_castsi256_ps (e),
                                             _mm256_castsi256_ps (_mm256_sub_epi32 (e, _mm256_set1_epi32 (64))),
                                             tiny));
  F2 s = f2_mul_f2f ((F2) { _mm256_set1_ps (RS_LOG_LN2_HI), _mm256_set1_ps (RS_LOG_LN2_LO) },
                     _mm256_cvtepi32_ps (e));
  F2 x = f2_div (f2_add_ff (_mm256_set1_ps (-1.0f), m), f2_add_ff (one, m));
  __m256 x2 = _mm256_mul_ps (x.x, x.x);
  __m256 t = _mm256_set1_ps (RS_LOG_C0);
  t = _mm256_fmadd_ps (t, x2, _mm256_set1_ps (RS_LOG_C1));
  t = _mm256_fmadd_ps (t, x2, _mm256_set1_ps (RS_LOG_C2));
  s = f2_add_f2f2 (s, (F2) { _mm256_mul_ps (x.x, _mm256_set1_ps (2.0f)), _mm256_mul_ps (x.y, _mm256_set1_ps (2.0f)) });
  s = f2_add_f2f (s, _mm256_mul_ps (_mm256_mul_ps (x2, x.x), t));
  __m256 r = _mm256_add_ps (s.x, s.y);
  r = _mm256_blendv_ps (r, _mm256_set1_ps (INFINITY), _mm256_cmp_ps (d, _mm256_set1_ps (INFINITY), _CMP_EQ_OQ));
  r = _mm256_blendv_ps (r, _mm256_set1_ps (NAN),
                        _mm256_or_ps (_mm256_cmp_ps (d, _mm256_setzero_ps (), _CMP_LT_OQ),
                                      _mm256_cmp_ps (d, d, _CMP_UNORD_Q)));
  return _mm256_blendv_ps (r, _mm256_set1_ps (-INFINITY),
                           _mm256_cmp_ps (d, _mm256_setzero_ps (), _CMP_EQ_OQ));
}

void
rs_vexp_avx2 (const float *x, float *y, gsize n)
{
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps (y + i, exp_ps (_mm256_loadu_ps (x + i)));
  if (i < n)
    store_n (y + i, exp_ps (load_n (x + i, (int) (n - i))), (int) (n - i));
}

void
rs_vlog_avx2 (const float *x, float *y, gsize n)
{
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps (y + i, log_ps (_mm256_loadu_ps (x + i)));
  if (i < n)
    {
      /* Masked-off lanes load as 0; give them 1 so no -inf is computed. */
      int r = (int) (n - i);
      __m256 v = _mm256_blendv_ps (_mm256_set1_ps (1.0f), load_n (x + i, r),
                                   _mm256_castsi256_ps (lane_mask (r)));
      store_n (y + i, log_ps (v), r);
    }
}

/* ---- penalty values: sum |x| and sum x^2 in double ------------------------ */

static inline double
hsum_pd (__m256d v)
{
  __m128d s = _mm_add_pd (_mm256_castpd256_pd128 (v), _mm256_extractf128_pd (v, 1));
  return _mm_cvtsd_f64 (_mm_add_sd (s, _mm_unpackhi_pd (s, s)));
}

double
rs_sum_abs_avx2 (const float *x, gsize n)
{
  const __m256 sign = _mm256_set1_ps (-0.0f);
  __m256d s0 = _mm256_setzero_pd (), s1 = s0, s2 = s0, s3 = s0;
  gsize i = 0;
  for (; i + 16 <= n; i += 16)
    {
      __m256 a = _mm256_andnot_ps (sign, _mm256_loadu_ps (x + i));
      __m256 b = _mm256_andnot_ps (sign, _mm256_loadu_ps (x + i + 8));
      s0 = _mm256_add_pd (s0, _mm256_cvtps_pd (_mm256_castps256_ps128 (a)));
      s1 = _mm256_add_pd (s1, _mm256_cvtps_pd (_mm256_extractf128_ps (a, 1)));
      s2 = _mm256_add_pd (s2, _mm256_cvtps_pd (_mm256_castps256_ps128 (b)));
      s3 = _mm256_add_pd (s3, _mm256_cvtps_pd (_mm256_extractf128_ps (b, 1)));
    }
  double sum = hsum_pd (_mm256_add_pd (_mm256_add_pd (s0, s1), _mm256_add_pd (s2, s3)));
  for (; i < n; i++)
    sum += fabsf (x[i]);
  return sum;
}

double
rs_sum_sq_avx2 (const float *x, gsize n)
{
  __m256d s0 = _mm256_setzero_pd (), s1 = s0, s2 = s0, s3 = s0;
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    {
      __m256 a = _mm256_loadu_ps (x + i);
      __m256d lo = _mm256_cvtps_pd (_mm256_castps256_ps128 (a));
      __m256d hi = _mm256_cvtps_pd (_mm256_extractf128_ps (a, 1));
      if ((i & 8) == 0)
        s0 = _mm256_fmadd_pd (lo, lo, s0), s1 = _mm256_fmadd_pd (hi, hi, s1);
      else
        s2 = _mm256_fmadd_pd (lo, lo, s2), s3 = _mm256_fmadd_pd (hi, hi, s3);
    }
  double sum = hsum_pd (_mm256_add_pd (_mm256_add_pd (s0, s1), _mm256_add_pd (s2, s3)));
  for (; i < n; i++)
    sum += (double) x[i] * x[i];
  return sum;
}

/* ---- softmax denominators in double (the loss value) ------------------ */

/* exp(x) for x <= 0 to ~1e-15: 2^k exp(r), |r| <= ln2/2, Taylor to degree
 * 11 (the next term is below 7e-15 of the result). Only the loss value
 * uses it; the gradient uses the float exp_ps. */
static inline __m256d
exp_pd (__m256d x)
{
  x = _mm256_max_pd (_mm256_set1_pd (-746.0), x);  /* keeps NaN: max returns x */
  __m256d k = _mm256_round_pd (_mm256_mul_pd (x, _mm256_set1_pd (1.4426950408889634)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd (k, _mm256_set1_pd (6.93147180369123816490e-01), x);
  r = _mm256_fnmadd_pd (k, _mm256_set1_pd (1.90821492927058770002e-10), r);
  /* Estrin's scheme: the same polynomial in five dependent steps, not
   * eleven (Horner), so consecutive exps overlap. */
#define C(i) _mm256_set1_pd (1.0 / (i))
  __m256d r2 = _mm256_mul_pd (r, r), r4 = _mm256_mul_pd (r2, r2);
  __m256d p01 = _mm256_add_pd (_mm256_set1_pd (1.0), r);
  __m256d p23 = _mm256_fmadd_pd (C (6), r, C (2));
  __m256d p45 = _mm256_fmadd_pd (C (120), r, C (24));
  __m256d p67 = _mm256_fmadd_pd (C (5040), r, C (720));
  __m256d p89 = _mm256_fmadd_pd (C (362880), r, C (40320));
  __m256d pab = _mm256_fmadd_pd (C (39916800), r, C (3628800));
  __m256d p03 = _mm256_fmadd_pd (p23, r2, p01);
  __m256d p47 = _mm256_fmadd_pd (p67, r2, p45);
  __m256d p8b = _mm256_fmadd_pd (pab, r2, p89);
  __m256d p = _mm256_fmadd_pd (_mm256_fmadd_pd (p8b, r4, p47), r4, p03);
#undef C
  /* 2^k in two halves, so k down to -1077 stays representable. */
  __m128i ki = _mm256_cvtpd_epi32 (k);
  __m128i h = _mm_srai_epi32 (ki, 1), rest = _mm_sub_epi32 (ki, h);
  __m256i eh = _mm256_slli_epi64 (_mm256_cvtepi32_epi64 (_mm_add_epi32 (h, _mm_set1_epi32 (1023))), 52);
  __m256i er = _mm256_slli_epi64 (_mm256_cvtepi32_epi64 (_mm_add_epi32 (rest, _mm_set1_epi32 (1023))), 52);
  return _mm256_mul_pd (_mm256_mul_pd (p, _mm256_castsi256_pd (eh)), _mm256_castsi256_pd (er));
}

/* The first n lanes of v to p, p + stride, ... straight from the
 * register (a store and eight loads would wait on store forwarding). */
static inline void
store_lanes (float *p, gsize stride, __m256 v, int n)
{
  const __m128 lo = _mm256_castps256_ps128 (v), hi = _mm256_extractf128_ps (v, 1);
  int bits;
#define LANE(k, half, l)                             \
  case k + 1:                                        \
    bits = _mm_extract_ps (half, l);                 \
    memcpy (p + (gsize) (k) * stride, &bits, 4);     \
    G_GNUC_FALLTHROUGH;
  switch (n)
    {
      LANE (7, hi, 3) LANE (6, hi, 2) LANE (5, hi, 1) LANE (4, hi, 0)
      LANE (3, lo, 3) LANE (2, lo, 2) LANE (1, lo, 1) LANE (0, lo, 0)
    default:
      break;
    }
#undef LANE
}

/* The loss's softmax (rs-loss.c, rs_softmax_rows), a row per lane. Its
 * rows are short — 2 to 10 classes — so a vector along a row would be
 * mostly masked lanes and every row would need its own horizontal sums;
 * across eight rows every operation is a full vector, and each lane does
 * exactly the operations of the row-by-row pieces, in their order: the
 * first maximum; the double sum of exp((double) x - max) from 0.0, class
 * by class (the value); in float, t = x - max, the sum of exp(t) in
 * ROW_SUM's order (rs-loss.c: in order below 8 classes, else eight
 * partial sums by class mod 8 folded as a tree), p = exp(t - log(sum));
 * then the cross-entropy's last step (rs_ce_grad_finish) when finish.
 * Two blocks of eight rows go together, and the value's sums come after
 * the log is started: the chains of exp and log are long, and this gives
 * the core independent work to overlap them with. The first columns are
 * gathered once and kept. */
#define SOFTMAX_KEPT 32
#define SOFTMAX_BLOCKS 2

void
rs_softmax_rows_avx2 (const float *x, const int32_t *labels, int rows, int classes,
                      float *max, double *s, float *d, gboolean finish, float go, int *hits)
{
  enum { NB = SOFTMAX_BLOCKS };
  const __m256 zero = _mm256_setzero_ps (), sign = _mm256_set1_ps (-0.0f);
  const __m256 g = _mm256_set1_ps (go);
  const __m256i index = _mm256_mullo_epi32 (_mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7),
                                            _mm256_set1_epi32 (classes));
  __m256 kept[SOFTMAX_KEPT][NB];
  int count = 0;
  for (int r0 = 0; r0 < rows; r0 += 8 * NB)
    {
      int nr[NB];
      const float *xb[NB];
      __m256 valid[NB], mx[NB];
      __m256i best[NB], y[NB] = { _mm256_setzero_si256 () };
      for (int b = 0; b < NB; b++)
        {
          int first = MIN (rows, r0 + 8 * b);
          nr[b] = MIN (8, rows - first);
          xb[b] = x + (gsize) first * classes;
          valid[b] = _mm256_castsi256_ps (lane_mask (nr[b]));
        }
      /* column j of the eight rows of block b; lanes past the last row
       * read as 0 (a block past the last row reads nothing) */
#define GATHER(j, b) _mm256_mask_i32gather_ps (zero, xb[b] + (j), index, valid[b], 4)
#define COLUMN(j, b) ((j) < SOFTMAX_KEPT ? kept[j][b] : GATHER (j, b))
      for (int b = 0; b < NB; b++)
        {
          mx[b] = kept[0][b] = GATHER (0, b);
          best[b] = _mm256_setzero_si256 ();
        }
      for (int j = 1; j < classes; j++)
        for (int b = 0; b < NB; b++)
          {
            __m256 v = GATHER (j, b);
            if (j < SOFTMAX_KEPT)
              kept[j][b] = v;
            /* only a greater value wins (NaN never does) */
            __m256 more = _mm256_cmp_ps (v, mx[b], _CMP_GT_OQ);
            best[b] = _mm256_castps_si256 (
              _mm256_blendv_ps (_mm256_castsi256_ps (best[b]),
                                _mm256_castsi256_ps (_mm256_set1_epi32 (j)), more));
            mx[b] = _mm256_blendv_ps (mx[b], v, more);
          }
      for (int b = 0; b < NB; b++)
        {
          const int r = r0 + 8 * b;
          if (nr[b] <= 0)
            continue;
          y[b] = _mm256_maskload_epi32 ((const int *) labels + r, lane_mask (nr[b]));
          unsigned same = (unsigned) _mm256_movemask_ps (
            _mm256_castsi256_ps (_mm256_cmpeq_epi32 (best[b], y[b])));
          count += __builtin_popcount (same & ((1u << nr[b]) - 1));
          store_n (max + r, mx[b], nr[b]);
        }

      /* the gradient's log of the row sums, started before the value's sums */
      __m256 logsum[NB];
      if (d != NULL)
        {
          __m256 sum[NB];
          if (classes < 8)
            {
              for (int b = 0; b < NB; b++)
                sum[b] = exp_ps (_mm256_sub_ps (COLUMN (0, b), mx[b]));
              for (int j = 1; j < classes; j++)
                for (int b = 0; b < NB; b++)
                  sum[b] = _mm256_add_ps (sum[b], exp_ps (_mm256_sub_ps (COLUMN (j, b), mx[b])));
            }
          else
            for (int b = 0; b < NB; b++)
              {
                __m256 a[8];
                for (int j = 0; j < 8; j++)
                  a[j] = exp_ps (_mm256_sub_ps (COLUMN (j, b), mx[b]));
                for (int j = 8; j < classes; j++)
                  a[j % 8] = _mm256_add_ps (a[j % 8], exp_ps (_mm256_sub_ps (COLUMN (j, b), mx[b])));
                __m256 v0 = _mm256_add_ps (a[0], a[4]), v1 = _mm256_add_ps (a[1], a[5]);
                __m256 v2 = _mm256_add_ps (a[2], a[6]), v3 = _mm256_add_ps (a[3], a[7]);
                sum[b] = _mm256_add_ps (_mm256_add_ps (v0, v2), _mm256_add_ps (v1, v3));
              }
          /* lanes past the last row hold sums of exp(0): no log of 0 */
          for (int b = 0; b < NB; b++)
            logsum[b] = log_ps (sum[b]);
        }

      for (int b = 0; b < NB; b++)
        {
          const __m256d mlo = _mm256_cvtps_pd (_mm256_castps256_ps128 (mx[b]));
          const __m256d mhi = _mm256_cvtps_pd (_mm256_extractf128_ps (mx[b], 1));
          __m256d slo = _mm256_setzero_pd (), shi = _mm256_setzero_pd ();
          for (int j = 0; j < classes; j++)
            {
              __m256 v = COLUMN (j, b);
              slo = _mm256_add_pd (slo, exp_pd (_mm256_sub_pd (_mm256_cvtps_pd (_mm256_castps256_ps128 (v)), mlo)));
              shi = _mm256_add_pd (shi, exp_pd (_mm256_sub_pd (_mm256_cvtps_pd (_mm256_extractf128_ps (v, 1)), mhi)));
            }
          if (nr[b] == 8)
            {
              _mm256_storeu_pd (s + r0 + 8 * b, slo);
              _mm256_storeu_pd (s + r0 + 8 * b + 4, shi);
            }
          else if (nr[b] > 0)
            {
              double sums[8];
              _mm256_storeu_pd (sums, slo);
              _mm256_storeu_pd (sums + 4, shi);
              memcpy (s + r0 + 8 * b, sums, nr[b] * sizeof (double));
            }
        }
      if (d == NULL)
        continue;

      for (int j = 0; j < classes; j++)
        for (int b = 0; b < NB; b++)
          {
            __m256 p = exp_ps (_mm256_sub_ps (_mm256_sub_ps (COLUMN (j, b), mx[b]), logsum[b]));
            if (finish)
              {
                /* -(p go) off the label, go - p go at it, rounded once */
                __m256 at = _mm256_castsi256_ps (_mm256_cmpeq_epi32 (y[b], _mm256_set1_epi32 (j)));
                p = _mm256_blendv_ps (_mm256_xor_ps (_mm256_mul_ps (p, g), sign),
                                      _mm256_fnmadd_ps (p, g, g), at);
              }
            store_lanes (d + (gsize) (r0 + 8 * b) * classes + j, classes, p, nr[b]);
          }
#undef COLUMN
#undef GATHER
    }
  *hits = count;
}

/* ---- PyTorch's column sums, eight columns per register ------------------ */

static inline int
ceil_log2 (gint64 x)
{
  return x <= 2 ? 1 : 64 - __builtin_clzll ((guint64) x - 1);
}

/* rs-kernels.c's cascade_sum for nv (<= 4) vectors at once: vector q's
 * element of row i at x + i * rstride + off[q], its first cnt[q] lanes.
 * Each lane does exactly what the scalar loop does for its column; the
 * vectors are independent chains, so they overlap. */
static inline __attribute__ ((always_inline)) void
cascade_vecs (const int nv, const float *x, gsize rstride, const gsize *off, const int *cnt,
              gint64 rows, __m256 *out)
{
  int lp = MAX (4, ceil_log2 (rows) / 4);
  gint64 step = (gint64) 1 << lp, mask = step - 1;
  __m256 acc[4][4];
  for (int lv = 0; lv < 4; lv++)
    for (int q = 0; q < nv; q++)
      acc[lv][q] = _mm256_setzero_ps ();
  gint64 i = 0;
  while (i + step <= rows)
    {
      for (gint64 j = 0; j < step; j++, i++)
        for (int q = 0; q < nv; q++)
          acc[0][q] = _mm256_add_ps (acc[0][q], load_n (x + (gsize) i * rstride + off[q], cnt[q]));
      for (int lv = 1; lv < 4; lv++)
        {
          for (int q = 0; q < nv; q++)
            {
              acc[lv][q] = _mm256_add_ps (acc[lv][q], acc[lv - 1][q]);
              acc[lv - 1][q] = _mm256_setzero_ps ();
            }
          if ((i & (mask << (lv * lp))) != 0)
            break;
        }
    }
  for (; i < rows; i++)
    for (int q = 0; q < nv; q++)
      acc[0][q] = _mm256_add_ps (acc[0][q], load_n (x + (gsize) i * rstride + off[q], cnt[q]));
  for (int q = 0; q < nv; q++)
    out[q] = _mm256_add_ps (_mm256_add_ps (_mm256_add_ps (acc[0][q], acc[1][q]), acc[2][q]),
                            acc[3][q]);
}

static void
cascade_any (int nv, const float *x, gsize rstride, const gsize *off, const int *cnt,
             gint64 rows, __m256 *out)
{
  switch (nv)
    {
    case 1: cascade_vecs (1, x, rstride, off, cnt, rows, out); break;
    case 2: cascade_vecs (2, x, rstride, off, cnt, rows, out); break;
    case 3: cascade_vecs (3, x, rstride, off, cnt, rows, out); break;
    default: cascade_vecs (4, x, rstride, off, cnt, rows, out); break;
    }
}

void
rs_colsum_avx2 (const float *x, int rows, int cols, float *out)
{
  int na = cols >= 8 ? cols / 32 * 32 : cols / 4 * 4;
  /* The plain cascade, up to four vectors of columns at a time. */
  for (int j = 0; j < na; j += 32)
    {
      int nv = 0, cnt[4];
      gsize off[4];
      __m256 sums[4];
      for (; nv < 4 && j + 8 * nv < na; nv++)
        off[nv] = 8 * nv, cnt[nv] = MIN (8, na - j - 8 * nv);
      cascade_any (nv, x + j, cols, off, cnt, rows, sums);
      for (int q = 0; q < nv; q++)
        store_n (out + j + 8 * q, sums[q], cnt[q]);
    }
  /* row_sum: each column as four interleaved cascades (rows 4i + k), the
   * four of a group of 8 columns at once, then the leftover rows into the
   * first and the four added in order. */
  gint64 n4 = rows / 4;
  for (int j = na; j < cols; j += 8)
    {
      int c = MIN (8, cols - j), cnt[4] = { c, c, c, c };
      gsize off[4] = { 0, (gsize) cols, 2 * (gsize) cols, 3 * (gsize) cols };
      __m256 p[4];
      cascade_any (4, x + j, 4 * (gsize) cols, off, cnt, n4, p);
      for (gint64 i = n4 * 4; i < rows; i++)
        p[0] = _mm256_add_ps (p[0], load_n (x + (gsize) i * cols + j, c));
      store_n (out + j, _mm256_add_ps (_mm256_add_ps (_mm256_add_ps (p[0], p[1]), p[2]), p[3]), c);
    }
}

/* Whether every |x[i]| < 2^127: no exponent field of 0xfe or 0xff. */
gboolean
rs_all_below_2p127_avx2 (const float *x, gsize n)
{
  const __m256i field = _mm256_set1_epi32 (0x7f800000), limit = _mm256_set1_epi32 (0x7effffff);
  __m256i bad = _mm256_setzero_si256 ();
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    {
      __m256i e = _mm256_and_si256 (_mm256_loadu_si256 ((const __m256i *) (x + i)), field);
      bad = _mm256_or_si256 (bad, _mm256_cmpgt_epi32 (e, limit));
    }
  gboolean ok = _mm256_testz_si256 (bad, bad);
  for (; i < n; i++)
    ok &= fabsf (x[i]) < 0x1p127f;
  return ok;
}

/* ---- transpose ------------------------------------------------------------ */

/* t[j * rows + i] = x[i * cols + j], in 8 x 8 blocks of registers. */
void
rs_transpose_avx2 (const float *restrict x, int rows, int cols, float *restrict t)
{
  int i0 = 0;
  for (; i0 + 8 <= rows; i0 += 8)
    {
      int j0 = 0;
      for (; j0 + 8 <= cols; j0 += 8)
        {
          __m256 r[8], u[8], v[8];
          for (int q = 0; q < 8; q++)
            r[q] = _mm256_loadu_ps (x + (gsize) (i0 + q) * cols + j0);
          for (int q = 0; q < 8; q += 2)
            {
              u[q] = _mm256_unpacklo_ps (r[q], r[q + 1]);
              u[q + 1] = _mm256_unpackhi_ps (r[q], r[q + 1]);
            }
          for (int q = 0; q < 8; q += 4)
            {
              v[q] = _mm256_shuffle_ps (u[q], u[q + 2], _MM_SHUFFLE (1, 0, 1, 0));
              v[q + 1] = _mm256_shuffle_ps (u[q], u[q + 2], _MM_SHUFFLE (3, 2, 3, 2));
              v[q + 2] = _mm256_shuffle_ps (u[q + 1], u[q + 3], _MM_SHUFFLE (1, 0, 1, 0));
              v[q + 3] = _mm256_shuffle_ps (u[q + 1], u[q + 3], _MM_SHUFFLE (3, 2, 3, 2));
            }
          for (int q = 0; q < 4; q++)
            {
              _mm256_storeu_ps (t + (gsize) (j0 + q) * rows + i0,
                                _mm256_permute2f128_ps (v[q], v[q + 4], 0x20));
              _mm256_storeu_ps (t + (gsize) (j0 + q + 4) * rows + i0,
                                _mm256_permute2f128_ps (v[q], v[q + 4], 0x31));
            }
        }
      for (; j0 < cols; j0++)
        for (int q = 0; q < 8; q++)
          t[(gsize) j0 * rows + i0 + q] = x[(gsize) (i0 + q) * cols + j0];
    }
  for (; i0 < rows; i0++)
    for (int j = 0; j < cols; j++)
      t[(gsize) j * rows + i0] = x[(gsize) i0 * cols + j];
}
