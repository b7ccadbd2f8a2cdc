#include "rs-kernels.h"
#include "rs-kernels-impl.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "rs-pool.h"

#ifdef RS_HAVE_BLAS
#include <cblas.h>
/* OpenBLAS's own symbol; declared here to avoid depending on its header
 * layout across versions. */
extern void openblas_set_num_threads (int num_threads);
#endif

/* ---- portable kernels ------------------------------------------------------ */

/* The epilogue of one row of C with the layer op's activations
 * (rs-kernels-linear.c): C times the activation's derivative at y, or
 * relu(C) into `a` — a copy for the other activations, which the op
 * applies afterwards. */
static void
epilogue_row (const RsEpilogue *e, float *restrict ci, int i, int n)
{
  if (e->kind == RS_EPI_ACT_GRAD)
    rs_activation_backward (e->act, e->y + (gsize) i * e->ldy, ci, n);
  else if (e->kind == RS_EPI_BIAS_ACT && e->a != NULL)
    rs_activation_forward (e->act == RS_ACT_RELU ? RS_ACT_RELU : RS_ACT_LINEAR, ci,
                           e->a + (gsize) i * e->lda, n);
}

/* Columns of C summed at a time by the portable kernel (see below). */
#define RS_PORTABLE_CHUNK 256

/* C's row ci[0..n) += sum over p of ai[p] * B[p, 0..n), in p order; the
 * inner loop vectorises, and dead ReLU units (ai[p] == 0) cost nothing.
 * Long rows are summed in a buffer on the stack, a chunk at a time: C's
 * row and B's rows can sit a multiple of 4 KiB apart, and then every load
 * of B waits on the store to C before it ("4K aliasing": 25-45% of a
 * portable step, depending only on where the network's buffers landed).
 * Short rows are not worth the copies. */
static void
rows_axpy (float *restrict ci, const float *ai, gsize acs, const float *b, gsize bks, int k,
           int n)
{
  float acc[RS_PORTABLE_CHUNK] __attribute__ ((aligned (64)));
  gboolean buffered = n >= 32;

  for (int j0 = 0; j0 < n; j0 += RS_PORTABLE_CHUNK)
    {
      int nj = MIN (RS_PORTABLE_CHUNK, n - j0);
      float *restrict sum = buffered ? acc : ci + j0;
      if (buffered)
        memcpy (acc, ci + j0, nj * sizeof (float));
      for (int p = 0; p < k; p++)
        {
          float x = ai[(gsize) p * acs];
          if (x == 0.0f)
            continue;
          const float *restrict bp = b + (gsize) p * bks + j0;
          for (int j = 0; j < nj; j++)
            sum[j] += x * bp[j];
        }
      if (buffered)
        memcpy (ci + j0, acc, nj * sizeof (float));
    }
}

void
rs_gemm_strided_portable (int m, int n, int k, const float *a, gsize ars, gsize acs,
                          const float *b, gsize bks, gsize bns, float beta, float *c,
                          gsize ldc, const RsEpilogue *epi)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  const RsEpilogue *e = epi != NULL ? epi : &plain;

  for (int i = 0; i < m; i++)
    {
      float *restrict ci = c + (gsize) i * ldc;
      const float *ai = a + (gsize) i * ars;
      /* The row starts as bias, beta C or zero (beta 0 ignores NaN). */
      if (e->kind == RS_EPI_BIAS_ACT)
        memcpy (ci, e->bias, n * sizeof (float));
      else if (beta == 0.0f)
        memset (ci, 0, n * sizeof (float));
      else if (beta != 1.0f)
        for (int j = 0; j < n; j++)
          ci[j] *= beta;

      if (bns == 1)
        {
          /* Rows of B are contiguous: add x * B[p,:] for each nonzero x of
           * A's row (rows_axpy). */
          rows_axpy (ci, ai, acs, b, bks, k, n);
        }
      else
        {
          /* Columns of B are contiguous (bks == 1) or neither is: dot
           * products, four columns at a time to reuse each A entry. */
          int j = 0;
          for (; j + 4 <= n; j += 4)
            {
              const float *b0 = b + (gsize) j * bns, *b1 = b0 + bns, *b2 = b1 + bns,
                          *b3 = b2 + bns;
              float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
              for (int p = 0; p < k; p++)
                {
                  float x = ai[(gsize) p * acs];
                  gsize o = (gsize) p * bks;
                  s0 += x * b0[o];
                  s1 += x * b1[o];
                  s2 += x * b2[o];
                  s3 += x * b3[o];
                }
              ci[j] += s0;
              ci[j + 1] += s1;
              ci[j + 2] += s2;
              ci[j + 3] += s3;
            }
          for (; j < n; j++)
            {
              const float *bj = b + (gsize) j * bns;
              float s = 0;
              for (int p = 0; p < k; p++)
                s += ai[(gsize) p * acs] * bj[(gsize) p * bks];
              ci[j] += s;
            }
        }
      epilogue_row (e, ci, i, n);
    }
}

/* ---- OpenBLAS, with the epilogue as a second pass ----------------------------- */

#ifdef RS_HAVE_BLAS
/* FALSE when an operand has no unit stride (BLAS cannot take it). */
static gboolean
gemm_blas (int m, int n, int k, const float *a, gsize ars, gsize acs, const float *b,
           gsize bks, gsize bns, float beta, float *c, gsize ldc, const RsEpilogue *e)
{
  enum CBLAS_TRANSPOSE ta, tb;
  gsize lda, ldb;
  if (acs == 1)
    ta = CblasNoTrans, lda = ars;
  else if (ars == 1)
    ta = CblasTrans, lda = acs;
  else
    return FALSE;
  if (bns == 1)
    tb = CblasNoTrans, ldb = bks;
  else if (bks == 1)
    tb = CblasTrans, ldb = bns;
  else
    return FALSE;
  /* BLAS wants leading dimensions >= 1 even for a single row. */
  lda = MAX (lda, (gsize) (ta == CblasNoTrans ? k : m));
  ldb = MAX (ldb, (gsize) (tb == CblasNoTrans ? n : k));
  lda = MAX (lda, 1);
  ldb = MAX (ldb, 1);

  if (e->kind == RS_EPI_BIAS_ACT)
    {
      for (int i = 0; i < m; i++)
        memcpy (c + (gsize) i * ldc, e->bias, n * sizeof (float));
      beta = 1.0f;
    }
  cblas_sgemm (CblasRowMajor, ta, tb, m, n, k, 1.0f, a, (int) lda, b, (int) ldb, beta, c,
               (int) MAX (ldc, 1));
  if (e->kind != RS_EPI_PLAIN)
    for (int i = 0; i < m; i++)
      epilogue_row (e, c + (gsize) i * ldc, i, n);
  return TRUE;
}
#endif

/* ---- choosing a kernel set ------------------------------------------------------- */

static RsKernelSet forced = RS_KERNELS_AUTO;
static gboolean have_avx2 = FALSE;
static gboolean have_avx512 = FALSE;
static gboolean have_sparse = FALSE;

static void
init_once (void)
{
#ifdef RS_HAVE_BLAS
  openblas_set_num_threads (1);
#endif
#if defined(RS_HAVE_AVX2)
  __builtin_cpu_init ();
  have_avx2 = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
  /* To measure and test the fallback's dispatch on a machine with AVX2. */
  if (g_getenv ("RS_NO_AVX2") != NULL)
    have_avx2 = FALSE;
  /* To measure the step without the sparse products. */
  have_sparse = have_avx2 && g_getenv ("RS_NO_SPARSE") == NULL;
#endif
#if defined(RS_HAVE_AVX512)
  /* The AVX-512 products; the rest of the step (and RS_NO_AVX2's
   * fallback, which turns this off too) stays with AVX2's. */
  have_avx512 = have_avx2 && __builtin_cpu_supports ("avx512f")
                && __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512dq")
                && __builtin_cpu_supports ("avx512vl") && g_getenv ("RS_NO_AVX512") == NULL;
  /* The ReLU-sparse products are AVX2 (rs-kernels-sparse-avx2.c) and win
   * only against the AVX2 products: with AVX-512's, the dense step is the
   * faster one (64-128-64-10: 148-152 against 181-196 us; RS_NO_AVX512=1
   * brings them back). */
  if (have_avx512)
    have_sparse = FALSE;
#endif
}

void
rs_kernels_init (void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, init_once);
}

gboolean
rs_kernels_available (RsKernelSet set)
{
  rs_kernels_init ();
  switch (set)
    {
    case RS_KERNELS_AUTO:
    case RS_KERNELS_PORTABLE:
      return TRUE;
    case RS_KERNELS_AVX2:
      return have_avx2;
    case RS_KERNELS_AVX512:
      return have_avx512;
    case RS_KERNELS_BLAS:
#ifdef RS_HAVE_BLAS
      return TRUE;
#else
      return FALSE;
#endif
    }
  return FALSE;
}

const char *
rs_kernels_set_name (RsKernelSet set)
{
  switch (set)
    {
    case RS_KERNELS_AUTO: return "auto";
    case RS_KERNELS_PORTABLE: return "portable";
    case RS_KERNELS_AVX2: return "avx2";
    case RS_KERNELS_AVX512: return "avx512";
    case RS_KERNELS_BLAS: return "openblas";
    }
  return "?";
}

/* The elementwise kernels (exp, log, sums; Adam in rs-optimizer) have two sets: AVX2
 * unless the portable set (or BLAS, which has none) is forced; the AVX-512
 * set has products only and takes AVX2's for the rest. */
gboolean
rs_kernels_use_avx2 (void)
{
  rs_kernels_init ();
  return have_avx2
         && (forced == RS_KERNELS_AUTO || forced == RS_KERNELS_AVX2
             || forced == RS_KERNELS_AVX512);
}

gboolean
rs_kernels_force (RsKernelSet set)
{
  if (!rs_kernels_available (set))
    return FALSE;
  forced = set;
  return TRUE;
}

/* OpenBLAS for products of at least this many multiply-adds, where its
 * cache blocking beats the AVX2 kernels (~10% on 784-256-128-10's fc1;
 * below, AVX2 is as fast or faster: `regscope-bench --kernels`,
 * docs/performance.md) ... */
#define RS_BLAS_MIN_MACS (G_GINT64_CONSTANT (8) << 20)
/* ... and for k above one of its k-blocks (384 floats for sgemm on this
 * CPU), where only OpenBLAS sums in the order PyTorch's OpenBLAS does.
 * Without AVX2 it beats the portable loops from a few thousand
 * multiply-adds on. */
#define RS_BLAS_MIN_K 385
#define RS_BLAS_MIN_MACS_PORTABLE 2048

RsKernelSet
rs_kernels_choose (int m, int n, int k)
{
  rs_kernels_init ();
#ifdef RS_HAVE_BLAS
  /* Kept with the AVX-512 products too, although they are faster there
   * (784-256-128-10's fc1 dW: 305 against 527 us with the environment's
   * Haswell kernels): OpenBLAS does not sum every entry of these sizes in
   * one chain (7 561 of that product's 200 704 entries differ from the
   * vector kernels' in the last bit), and PyTorch's sums are OpenBLAS's. */
  gint64 macs = (gint64) m * n * k;
  if (macs >= (have_avx2 ? RS_BLAS_MIN_MACS : RS_BLAS_MIN_MACS_PORTABLE) || k >= RS_BLAS_MIN_K)
    return RS_KERNELS_BLAS;
#endif
  (void) m, (void) n, (void) k;
  return have_avx512 ? RS_KERNELS_AVX512 : have_avx2 ? RS_KERNELS_AVX2 : RS_KERNELS_PORTABLE;
}

RsKernelSet
rs_kernels_active (int m, int n, int k)
{
  rs_kernels_init ();
  return forced != RS_KERNELS_AUTO ? forced : rs_kernels_choose (m, n, k);
}

const char *
rs_kernels_describe (void)
{
  rs_kernels_init ();
#ifdef RS_HAVE_BLAS
  return have_avx512 ? "avx-512 products, avx2+fma elsewhere, openblas for the largest products"
         : have_avx2 ? "avx2+fma, openblas for the largest products"
                     : "portable, openblas for all but the smallest products";
#else
  return have_avx512 ? "avx-512 products, avx2+fma elsewhere"
         : have_avx2 ? "avx2+fma" : "portable";
#endif
}

const char *
rs_kernels_backend (void)
{
#ifdef RS_HAVE_BLAS
  return "openblas";
#else
  return "portable";
#endif
}

/* The product in the given set, one thread. */
static void
gemm_in (RsKernelSet set, int m, int n, int k, const float *a, gsize ars, gsize acs,
         const float *b, gsize bks, gsize bns, float beta, float *c, gsize ldc,
         const RsEpilogue *e)
{
  switch (set)
    {
    case RS_KERNELS_BLAS:
#ifdef RS_HAVE_BLAS
      if (k > 0 && gemm_blas (m, n, k, a, ars, acs, b, bks, bns, beta, c, ldc, e))
        return;
#endif
      break;
    case RS_KERNELS_AVX2:
#if defined(RS_HAVE_AVX2)
      rs_gemm_strided_avx2 (m, n, k, a, ars, acs, b, bks, bns, beta, c, ldc, e);
      return;
#endif
      break;
    case RS_KERNELS_AVX512:
#if defined(RS_HAVE_AVX512)
      rs_gemm_strided_avx512 (m, n, k, a, ars, acs, b, bks, bns, beta, c, ldc, e);
      return;
#endif
      break;
    case RS_KERNELS_AUTO:
    case RS_KERNELS_PORTABLE:
      break;
    }
  rs_gemm_strided_portable (m, n, k, a, ars, acs, b, bks, bns, beta, c, ldc, e);
}

/* ---- the large products on the pool's threads ----------------------------------
 *
 * Split by rows of C (a layer's batch rows in the forward and the input
 * gradient, its output units in the weight gradient): every entry of C is
 * computed by exactly one thread, by the same kernel set (chosen once for
 * the whole product) with the same loop over k as one thread would run,
 * so the results are the same bit for bit whatever the thread count
 * (tests/test-threads.c). Only where it pays: 64-128-64-10's products
 * (2^21) were slower split than on one thread with the sparse kernels,
 * 784-256-128-10's (2^22 and up) faster (docs/performance.md). */
#define RS_PARALLEL_MIN_MACS (G_GINT64_CONSTANT (3) << 20)
/* OpenBLAS's parts start on a multiple of this row. It does not compute
 * every entry alike: C's rows go through its micro-kernel in blocks of 12
 * (the columns of its column-major view), and a row in a partial block is
 * summed differently from the same row in a whole one. Parts of whole
 * blocks keep every row in the block it has in the whole product. (Split
 * by columns instead, its sums change order wherever the cut falls.) The
 * AVX2, AVX-512 and portable kernels sum each entry alike wherever its
 * row is, so their parts are even to the row: 64/64 of 128 rows, where
 * whole blocks give 60/68. */
#define RS_PARALLEL_ROW_ALIGN 12

typedef struct {
  RsKernelSet set;
  int m, n, k;
  const float *a;
  gsize ars, acs;
  const float *b;
  gsize bks, bns;
  float beta;
  float *c;
  gsize ldc;
  const RsEpilogue *e;
  gboolean nz_done[RS_MAX_THREADS];
} GemmJob;

/* Where part p of an m-row product starts: the multiple of `align`
 * nearest to p m / parts (m for p = parts). Parts of at least `align`
 * rows on average stay non-empty and as even as whole blocks allow. */
static int
part_start (int m, int parts, int p, int align)
{
  if (p >= parts)
    return m;
  gint64 even = (gint64) p * m / parts;
  return (int) MIN (m, (even + align / 2) / align * align);
}

static void
gemm_part (void *data, int part, int parts)
{
  GemmJob *j = data;
  int align = j->set == RS_KERNELS_BLAS ? RS_PARALLEL_ROW_ALIGN : 1;
  int i0 = part_start (j->m, parts, part, align), i1 = part_start (j->m, parts, part + 1, align);
  if (i0 >= i1)
    {
      j->nz_done[part] = TRUE;  /* no rows, nothing to write */
      return;
    }
  /* The epilogue's row-indexed operands move with the rows; the bias and
   * nz_done do not (each part reports into its own flag). */
  RsEpilogue e = *j->e;
  if (e.a != NULL)
    e.a += (gsize) i0 * e.lda;
  if (e.y != NULL)
    e.y += (gsize) i0 * e.ldy;
  if (e.nz != NULL)
    e.nz += (gsize) i0 * e.ldnz;
  e.nz_done = &j->nz_done[part];
  gemm_in (j->set, i1 - i0, j->n, j->k, j->a + (gsize) i0 * j->ars, j->ars, j->acs, j->b,
           j->bks, j->bns, j->beta, j->c + (gsize) i0 * j->ldc, j->ldc, &e);
}

/* How many threads rs_gemm_ex splits an m x n x k product over (1: none). */
static int
split_parts (int m, int n, int k)
{
  int parts = MIN (rs_pool_threads (), RS_MAX_THREADS);
  parts = MIN (parts, m / RS_PARALLEL_ROW_ALIGN);
  return (gint64) m * n * k < RS_PARALLEL_MIN_MACS ? 1 : MAX (parts, 1);
}

gboolean
rs_gemm_splits (int m, int n, int k)
{
  return split_parts (m, n, k) > 1;
}

void
rs_gemm_ex (int m, int n, int k, const float *a, gsize ars, gsize acs, const float *b,
            gsize bks, gsize bns, float beta, float *c, gsize ldc, const RsEpilogue *epi)
{
  static const RsEpilogue plain = { .kind = RS_EPI_PLAIN };
  const RsEpilogue *e = epi != NULL ? epi : &plain;
  if (m <= 0 || n <= 0)
    return;
  RsKernelSet set = rs_kernels_active (m, n, k);
  int parts = split_parts (m, n, k);
  if (parts <= 1)
    {
      gemm_in (set, m, n, k, a, ars, acs, b, bks, bns, beta, c, ldc, e);
      return;
    }
  GemmJob job = {
    .set = set, .m = m, .n = n, .k = k, .a = a, .ars = ars, .acs = acs, .b = b, .bks = bks,
    .bns = bns, .beta = beta, .c = c, .ldc = ldc, .e = e,
  };
  rs_pool_run (parts, gemm_part, &job);
  /* The mask is whole only when every part's kernel wrote its rows. */
  if (e->nz_done != NULL)
    {
      gboolean all = TRUE;
      for (int p = 0; p < parts; p++)
        all &= job.nz_done[p];
      *e->nz_done = all;
    }
}

/* ---- exp and log: scalar twins of the AVX2 versions --------------------------
 *
 * The same operations as rs-kernels-avx2.c's exp_ps and log_ps, one lane
 * at a time (fmaf is the hardware FMA wherever there is one), so every
 * kernel set computes a softmax identically. */

static inline float
pow2i (int q)
{
  union { guint32 u; float f; } v = { .u = (guint32) (q + 0x7f) << 23 };
  return v.f;
}

float
rs_expf (float d)
{
  if (isnan (d))
    return d;
  if (d < -104.0f)
    return 0.0f;
  if (d > 100.0f)
    return INFINITY;
  float qf = nearbyintf (d * RS_EXP_R_LN2);  /* cvtps2dq: to nearest, ties even */
  int q = (int) qf;
  float s = fmaf (qf, -RS_EXP_L2U, d);
  s = fmaf (qf, -RS_EXP_L2L, s);
  float u = RS_EXP_C0;
  u = fmaf (u, s, RS_EXP_C1);
  u = fmaf (u, s, RS_EXP_C2);
  u = fmaf (u, s, RS_EXP_C3);
  u = fmaf (u, s, RS_EXP_C4);
  u = fmaf (u, s, 0.5f);
  u = 1.0f + fmaf (s * s, u, s);
  return u * pow2i (q >> 1) * pow2i (q - (q >> 1));
}

typedef struct { float x, y; } F2;  /* the unevaluated sum x + y */

static inline F2
f2_add_ff (float x, float y)
{
  float s = x + y, v = s - x;
  return (F2) { s, (x - (s - v)) + (y - v) };
}

static inline F2
f2_add_f2f2 (F2 x, F2 y)
{
  float s = x.x + y.x;
  return (F2) { s, (((x.x - s) + y.x) + x.y) + y.y };
}

static inline F2
f2_add_f2f (F2 x, float y)
{
  float s = x.x + y;
  return (F2) { s, ((x.x - s) + y) + x.y };
}

static inline F2
f2_mul_f2f (F2 x, float y)
{
  float s = x.x * y;
  return (F2) { s, fmaf (x.y, y, fmaf (x.x, y, -s)) };
}

static inline F2
f2_div (F2 n, F2 d)
{
  float t = 1.0f / d.x;
  float s = n.x * t;
  float u = fmaf (t, n.x, -s);
  float v = fmaf (-d.y, t, fmaf (-d.x, t, 1.0f));
  return (F2) { s, fmaf (s, v, fmaf (n.y, t, u)) };
}

float
rs_logf (float d)
{
  if (isnan (d) || d < 0.0f)
    return NAN;
  if (d == 0.0f)
    return -INFINITY;
  if (isinf (d))
    return INFINITY;
  gboolean tiny = d < FLT_MIN;
  if (tiny)
    d *= RS_LOG_2P64;
  union { float f; guint32 u; } b = { .f = d * (1.0f / 0.75f) }, dm = { .f = d };
  int e = (int) ((b.u >> 23) & 0xff) - 0x7f;
  dm.u -= (guint32) e << 23;
  if (tiny)
    e -= 64;
  F2 s = f2_mul_f2f ((F2) { RS_LOG_LN2_HI, RS_LOG_LN2_LO }, (float) e);
  F2 x = f2_div (f2_add_ff (-1.0f, dm.f), f2_add_ff (1.0f, dm.f));
  float x2 = x.x * x.x;
  float t = RS_LOG_C0;
  t = fmaf (t, x2, RS_LOG_C1);
  t = fmaf (t, x2, RS_LOG_C2);
  s = f2_add_f2f2 (s, (F2) { x.x * 2.0f, x.y * 2.0f });
  s = f2_add_f2f (s, (x2 * x.x) * t);
  return s.x + s.y;
}

void
rs_vexp (const float *x, float *y, gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    {
      rs_vexp_avx2 (x, y, n);
      return;
    }
#endif
  for (gsize i = 0; i < n; i++)
    y[i] = rs_expf (x[i]);
}

void
rs_vlog (const float *x, float *y, gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    {
      rs_vlog_avx2 (x, y, n);
      return;
    }
#endif
  for (gsize i = 0; i < n; i++)
    y[i] = rs_logf (x[i]);
}

gboolean
rs_softmax_rows (const float *x, const int32_t *labels, int rows, int classes, float *max,
                 double *s, float *d, gboolean finish, float go, int *hits)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    {
      rs_softmax_rows_avx2 (x, labels, rows, classes, max, s, d, finish, go, hits);
      return TRUE;
    }
#endif
  return FALSE;
}

void
rs_transpose (const float *x, int rows, int cols, float *t)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    {
      rs_transpose_avx2 (x, rows, cols, t);
      return;
    }
#endif
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++)
      t[(gsize) j * rows + i] = x[(gsize) i * cols + j];
}

/* ---- PyTorch's column sums ------------------------------------------------------- */

static int
ceil_log2 (gint64 x)
{
  return x <= 2 ? 1 : 64 - __builtin_clzll ((guint64) x - 1);
}

#define CASCADE_MAX_COLS 32

/* SumKernel.cpp's multi_row_sum: rows summed into out[0..ncols) in blocks
 * of 2^lp rows, each block's sum carried up a four-level cascade. Element
 * (i, c) is x[i * rstride + c * cstride]. */
static void
cascade_sum (const float *x, gsize rstride, gsize cstride, gint64 rows, int ncols, float *out)
{
  enum { LEVELS = 4 };
  int lp = MAX (4, ceil_log2 (rows) / LEVELS);
  gint64 step = (gint64) 1 << lp, mask = step - 1;
  float acc[LEVELS][CASCADE_MAX_COLS] = { { 0 } };
  gint64 i = 0;
  while (i + step <= rows)
    {
      for (gint64 j = 0; j < step; j++, i++)
        for (int c = 0; c < ncols; c++)
          acc[0][c] += x[(gsize) i * rstride + c * cstride];
      for (int lv = 1; lv < LEVELS; lv++)
        {
          for (int c = 0; c < ncols; c++)
            {
              acc[lv][c] += acc[lv - 1][c];
              acc[lv - 1][c] = 0.0f;
            }
          if ((i & (mask << (lv * lp))) != 0)
            break;
        }
    }
  for (; i < rows; i++)
    for (int c = 0; c < ncols; c++)
      acc[0][c] += x[(gsize) i * rstride + c * cstride];
  for (int lv = 1; lv < LEVELS; lv++)
    for (int c = 0; c < ncols; c++)
      acc[0][c] += acc[lv][c];
  memcpy (out, acc[0], ncols * sizeof (float));
}

/* SumKernel.cpp's row_sum: one column as four interleaved cascades. */
static float
ilp_sum (const float *x, gsize rstride, gint64 rows)
{
  gint64 n4 = rows / 4;
  float part[4];
  cascade_sum (x, 4 * rstride, rstride, n4, 4, part);
  for (gint64 i = n4 * 4; i < rows; i++)
    part[0] += x[(gsize) i * rstride];
  return ((part[0] + part[1]) + part[2]) + part[3];
}

void
rs_colsum (const float *x, int rows, int cols, float *out)
{
#if defined(RS_HAVE_AVX2)
  if (cols > 1 && rs_kernels_use_avx2 ())
    {
      rs_colsum_avx2 (x, rows, cols, out);
      return;
    }
#endif
  if (cols == 1)
    {
      /* A contiguous reduction: eight lanes of row_sum, then the tail and
       * the lanes in order (vectorized_inner_sum). */
      if (rows < 8)
        {
          out[0] = ilp_sum (x, 1, rows);
          return;
        }
      gint64 nv = rows / 8;
      float f = 0.0f;
      for (gint64 k = nv * 8; k < rows; k++)
        f += x[k];
      for (int l = 0; l < 8; l++)
        f += ilp_sum (x + l, 8, nv);
      out[0] = f;
      return;
    }
  /* Columns in groups of 32 (4 vectors; groups of 4 below 8 columns) get
   * the plain cascade, the others one row_sum each. */
  int group = cols >= 8 ? CASCADE_MAX_COLS : 4;
  int j = 0;
  for (; j + group <= cols; j += group)
    cascade_sum (x + j, cols, 1, rows, group, out + j);
  for (; j < cols; j++)
    out[j] = ilp_sum (x + j, cols, rows);
}

static gboolean
all_below_here (const float *x, gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    return rs_all_below_2p127_avx2 (x, n);
#endif
  /* An integer OR-reduction over the exponent bits vectorises without
   * -ffast-math. */
  const guint32 *bits = (const guint32 *) (const void *) x;
  guint32 bad = 0;
  for (gsize i = 0; i < n; i++)
    bad |= (guint32) ((bits[i] & 0x7f800000u) >= 0x7f000000u);
  return bad == 0;
}

/* From this many floats the check is split over the pool's threads (a
 * yes-or-no answer: the same whatever the split). 784-256-128-10's 235 k
 * gradients took ~12 us of a step on one thread. */
#define RS_PARALLEL_MIN_CHECK 65536

typedef struct {
  const float *x;
  gsize n;
  gboolean ok[RS_MAX_THREADS];
} CheckJob;

static void
check_part (void *data, int part, int parts)
{
  CheckJob *j = data;
  gsize per = (j->n + parts - 1) / parts;
  per = (per + 15) / 16 * 16;  /* whole 64-byte lines */
  gsize i0 = MIN (j->n, (gsize) part * per), i1 = MIN (j->n, i0 + per);
  j->ok[part] = all_below_here (j->x + i0, i1 - i0);
}

gboolean
rs_all_below_2p127 (const float *x, gsize n)
{
  int parts = MIN (rs_pool_threads (), RS_MAX_THREADS);
  if (parts <= 1 || n < RS_PARALLEL_MIN_CHECK)
    return all_below_here (x, n);
  CheckJob job = { .x = x, .n = n };
  rs_pool_run (parts, check_part, &job);
  gboolean all = TRUE;
  for (int p = 0; p < parts; p++)
    all &= job.ok[p];
  return all;
}

/* ---- penalty sums ---------------------------------------------------------------- */

double
rs_sum_abs (const float *x, gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    return rs_sum_abs_avx2 (x, n);
#endif
  /* Eight chains: a single double sum would wait on each add. */
  double s[8] = { 0 };
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; k++)
      s[k] += fabsf (x[i + k]);
  double sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; i++)
    sum += fabsf (x[i]);
  return sum;
}

double
rs_sum_sq (const float *x, gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    return rs_sum_sq_avx2 (x, n);
#endif
  double s[8] = { 0 };
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; k++)
      s[k] += (double) x[i + k] * x[i + k];
  double sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; i++)
    sum += (double) x[i] * x[i];
  return sum;
}

/* ---- the three products of a dense layer -------------------------------------------- */

void
rs_gemm_nt (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_ex (m, n, k, a, k, 1, b, 1, k, beta, c, n, NULL);
}

void
rs_gemm_tn (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_ex (m, n, k, a, 1, m, b, n, 1, beta, c, n, NULL);
}

void
rs_gemm_nn (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_ex (m, n, k, a, k, 1, b, n, 1, beta, c, n, NULL);
}

void
rs_gemm_nt_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_strided_portable (m, n, k, a, k, 1, b, 1, k, beta, c, n, NULL);
}

void
rs_gemm_tn_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_strided_portable (m, n, k, a, 1, m, b, n, 1, beta, c, n, NULL);
}

void
rs_gemm_nn_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
  rs_gemm_strided_portable (m, n, k, a, k, 1, b, n, 1, beta, c, n, NULL);
}

/* The sparse products (rs-kernels-sparse.c) run with the AVX2 set only, and
 * not while a set is forced: tests and the bench compare the dense sets. */
gboolean
rs_kernels_sparse_enabled (void)
{
  rs_kernels_init ();
  return have_sparse && forced == RS_KERNELS_AUTO;
}
