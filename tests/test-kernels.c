/* test-kernels.c — the kernel sets agree with each other.
 *
 * Every product through the AVX2 kernels, the portable loops and OpenBLAS,
 * over many shapes (1, odd sizes, non-multiples of 8 and 16, k beyond one
 * chunk), every operand layout, beta and epilogue: each entry within 1e-5
 * of its own scale (sum |a b| + |beta c|). The AVX2 products must also be
 * exactly one running FMA sum per entry (the order BLAS, and so PyTorch,
 * sums in). The elementwise kernels (exp, log, PyTorch's column sums, Adam,
 * the softmax gradient) have AVX2 and portable twins that must agree bit
 * for bit. The AVX-512 products must equal the AVX2 ones bit for bit (the
 * same sums, wider vectors). And the dispatch must pick a set that exists.
 *
 * Sets missing on this machine (no AVX2, no OpenBLAS) are reported and
 * skipped; the portable set is always there. */
#include <float.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-kernels-impl.h"
#include "rs-kernels.h"
#include "rs-loss.h"
#include "rs-optimizer-impl.h"
#include "rs-rng.h"

static const RsKernelSet all_sets[] = { RS_KERNELS_PORTABLE, RS_KERNELS_AVX2, RS_KERNELS_BLAS,
                                        RS_KERNELS_AVX512 };

static float *
random_matrix (RsRng *rng, gsize n, double zeros)
{
  float *v = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    v[i] = rs_rng_uniform (rng) < zeros ? 0.0f : (float) rs_rng_normal (rng);
  return v;
}

/* ---- products ---------------------------------------------------------------- */

typedef enum { LAYOUT_NN, LAYOUT_NT, LAYOUT_TN } Layout;

typedef struct {
  int m, n, k;
  Layout layout;
  float beta;
  RsEpilogueKind kind;
  RsActivation act;
} Case;

/* A(i,p) and B(p,j) for each layout, as rs_gemm_ex takes them. */
static void
strides (const Case *c, gsize *ars, gsize *acs, gsize *bks, gsize *bns)
{
  *ars = c->k, *acs = 1, *bks = c->n, *bns = 1;
  switch (c->layout)
    {
    case LAYOUT_NN: *ars = c->k, *acs = 1, *bks = c->n, *bns = 1; break;
    case LAYOUT_NT: *ars = c->k, *acs = 1, *bks = 1, *bns = c->k; break;
    case LAYOUT_TN: *ars = 1, *acs = c->m, *bks = c->n, *bns = 1; break;
    }
}

typedef struct {
  float *a, *b, *c0, *bias, *y;
} Operands;

static Operands
make_operands (RsRng *rng, const Case *c)
{
  Operands o;
  o.a = random_matrix (rng, (gsize) c->m * c->k, 0.3);
  o.b = random_matrix (rng, (gsize) c->k * c->n, 0.0);
  o.c0 = random_matrix (rng, (gsize) c->m * c->n, 0.0);
  o.bias = random_matrix (rng, c->n, 0.0);
  /* y: a layer's output, in the activation's range, zeros included. */
  o.y = random_matrix (rng, (gsize) c->m * c->n, 0.25);
  for (gsize i = 0; i < (gsize) c->m * c->n; i++)
    {
      if (c->act == RS_ACT_RELU)
        o.y[i] = fabsf (o.y[i]);
      else if (c->act == RS_ACT_TANH)
        o.y[i] = tanhf (o.y[i]);
      else if (c->act == RS_ACT_SIGMOID)
        o.y[i] = 1.0f / (1.0f + expf (-o.y[i]));
    }
  return o;
}

static void
free_operands (Operands *o)
{
  g_free (o->a);
  g_free (o->b);
  g_free (o->c0);
  g_free (o->bias);
  g_free (o->y);
}

/* Runs the case under `set`; returns C (and the activation output in *out_a
 * for BIAS_ACT). C starts as c0 (with a NaN where beta = 0 must ignore it). */
static float *
run_case (RsKernelSet set, const Case *c, const Operands *o, float **out_a)
{
  gsize nc = (gsize) c->m * c->n, ars, acs, bks, bns;
  strides (c, &ars, &acs, &bks, &bns);
  float *cm = g_memdup2 (o->c0, nc * sizeof (float));
  if (c->beta == 0.0f)
    cm[nc / 2] = NAN;
  float *a = g_new0 (float, nc);
  RsEpilogue e = { .kind = c->kind, .act = c->act, .bias = o->bias, .a = a, .lda = c->n,
                   .y = o->y, .ldy = c->n };
  g_assert_true (rs_kernels_force (set));
  rs_gemm_ex (c->m, c->n, c->k, o->a, ars, acs, o->b, bks, bns, c->beta, cm, c->n, &e);
  g_assert_true (rs_kernels_force (RS_KERNELS_AUTO));
  if (out_a != NULL)
    *out_a = a;
  else
    g_free (a);
  return cm;
}

/* sum |A(i,p) B(p,j)| + |beta C0(i,j)| + |bias_j|: the scale of an entry. */
static double
entry_scale (const Case *c, const Operands *o, int i, int j)
{
  gsize ars, acs, bks, bns;
  strides (c, &ars, &acs, &bks, &bns);
  double s = 0.0;
  for (int p = 0; p < c->k; p++)
    s += fabs ((double) o->a[i * ars + p * acs] * o->b[p * bks + j * bns]);
  if (c->kind == RS_EPI_BIAS_ACT)
    s += fabs (o->bias[j]);
  else if (c->beta != 0.0f)
    s += fabs (c->beta * o->c0[(gsize) i * c->n + j]);
  return s;
}

static void
assert_close (const char *what, const Case *c, const Operands *o, const float *x,
              const float *ref, const char *name)
{
  for (int i = 0; i < c->m; i++)
    for (int j = 0; j < c->n; j++)
      {
        gsize q = (gsize) i * c->n + j;
        double tol = 1e-5 * entry_scale (c, o, i, j) + 1e-30;
        if (!(fabs ((double) x[q] - ref[q]) <= tol))
          g_error ("%s %s: m=%d n=%d k=%d layout=%d beta=%g epilogue=%d act=%d: "
                   "[%d,%d] = %.9g, portable %.9g", name, what, c->m, c->n, c->k, c->layout,
                   (double) c->beta, c->kind, c->act, i, j, x[q], ref[q]);
      }
}

static void
assert_same_bits (const char *what, const Case *c, const float *x, const float *ref)
{
  for (gsize q = 0; q < (gsize) c->m * c->n; q++)
    if (memcmp (&x[q], &ref[q], sizeof (float)) != 0)
      g_error ("avx512 %s: m=%d n=%d k=%d layout=%d beta=%g epilogue=%d act=%d: "
               "[%" G_GSIZE_FORMAT "] = %.9g, avx2 %.9g", what, c->m, c->n, c->k, c->layout,
               (double) c->beta, c->kind, c->act, q, x[q], ref[q]);
}

/* Every available set against the portable one; the AVX-512 products
 * also against AVX2's, bit for bit. */
static void
check_case (RsRng *rng, const Case *c)
{
  Operands o = make_operands (rng, c);
  float *ref_a = NULL, *avx2 = NULL, *avx2_a = NULL;
  g_autofree float *ref = run_case (RS_KERNELS_PORTABLE, c, &o, &ref_a);
  for (gsize q = 0; q < (gsize) c->m * c->n; q++)
    g_assert_true (isfinite (ref[q]));
  for (gsize s = 1; s < G_N_ELEMENTS (all_sets); s++)
    {
      if (!rs_kernels_available (all_sets[s]))
        continue;
      float *got_a = NULL;
      float *got = run_case (all_sets[s], c, &o, &got_a);
      const char *name = rs_kernels_set_name (all_sets[s]);
      assert_close ("C", c, &o, got, ref, name);
      if (c->kind == RS_EPI_BIAS_ACT)
        assert_close ("act(C)", c, &o, got_a, ref_a, name);
      if (all_sets[s] == RS_KERNELS_AVX2)
        {
          avx2 = got, avx2_a = got_a;
          continue;
        }
      if (all_sets[s] == RS_KERNELS_AVX512 && avx2 != NULL)
        {
          assert_same_bits ("C", c, got, avx2);
          if (c->kind == RS_EPI_BIAS_ACT)
            assert_same_bits ("act(C)", c, got_a, avx2_a);
        }
      g_free (got);
      g_free (got_a);
    }
  g_free (avx2);
  g_free (avx2_a);
  g_free (ref_a);
  free_operands (&o);
}

static const int sizes[] = { 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 24, 25, 31, 33, 64 };

/* Small sizes in every combination, every layout, the plain epilogue with
 * beta 0, 1 and 0.5. */
static void
test_products_small (void)
{
  RsRng rng;
  rs_rng_init (&rng, 11, 0);
  const float betas[] = { 0.0f, 1.0f, 0.5f };
  int count = 0;
  for (gsize mi = 0; mi < G_N_ELEMENTS (sizes); mi++)
    for (gsize ni = 0; ni < G_N_ELEMENTS (sizes); ni++)
      for (gsize ki = 0; ki < G_N_ELEMENTS (sizes); ki += 2)
        for (int layout = 0; layout < 3; layout++)
          {
            float beta = betas[(mi + ni + ki + layout) % 3];
            Case c = { sizes[mi], sizes[ni], sizes[ki], layout, beta, RS_EPI_PLAIN, RS_ACT_LINEAR };
            check_case (&rng, &c);
            count++;
          }
  g_test_message ("%d products", count);
}

/* The epilogues: bias + relu / linear (and bias alone, a = NULL is the
 * tanh/sigmoid path), activation gradients with beta 0 and 1. */
static void
test_products_epilogues (void)
{
  RsRng rng;
  rs_rng_init (&rng, 12, 0);
  const int shapes[][3] = {
    { 1, 1, 1 }, { 64, 20, 10 }, { 64, 5, 20 }, { 64, 20, 5 }, { 7, 9, 3 }, { 13, 17, 19 },
    { 33, 24, 8 }, { 12, 8, 1 }, { 5, 25, 64 }, { 256, 10, 64 },
  };
  const RsActivation acts[] = { RS_ACT_RELU, RS_ACT_LINEAR, RS_ACT_TANH, RS_ACT_SIGMOID };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (gsize ai = 0; ai < G_N_ELEMENTS (acts); ai++)
      {
        Case fwd = { shapes[s][0], shapes[s][1], shapes[s][2], LAYOUT_NN, 0.0f,
                     RS_EPI_BIAS_ACT, acts[ai] };
        check_case (&rng, &fwd);
        Case fwd_t = fwd;
        fwd_t.layout = LAYOUT_NT;
        check_case (&rng, &fwd_t);
        for (int beta = 0; beta <= 1; beta++)
          {
            Case grad = { shapes[s][0], shapes[s][1], shapes[s][2], LAYOUT_NN, (float) beta,
                          RS_EPI_ACT_GRAD, acts[ai] };
            check_case (&rng, &grad);
          }
      }
}

/* The models' shapes, and k beyond one chunk of the AVX2 kernel (512) and
 * beyond OpenBLAS's k-block, with every epilogue kind. */
static void
test_products_large (void)
{
  RsRng rng;
  rs_rng_init (&rng, 13, 0);
  const int shapes[][3] = {
    { 256, 128, 64 }, { 128, 64, 256 }, { 256, 64, 128 }, { 128, 256, 784 },
    { 256, 784, 128 }, { 17, 40, 600 }, { 3, 33, 1100 }, { 100, 1, 513 },
  };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int layout = 0; layout < 3; layout++)
      {
        Case plain = { shapes[s][0], shapes[s][1], shapes[s][2], layout, 1.0f, RS_EPI_PLAIN,
                       RS_ACT_LINEAR };
        check_case (&rng, &plain);
      }
  Case fwd = { 40, 33, 700, LAYOUT_NT, 0.0f, RS_EPI_BIAS_ACT, RS_ACT_RELU };
  check_case (&rng, &fwd);
  Case grad = { 40, 33, 700, LAYOUT_NN, 1.0f, RS_EPI_ACT_GRAD, RS_ACT_RELU };
  check_case (&rng, &grad);
  Case grad_tanh = { 9, 30, 520, LAYOUT_TN, 0.0f, RS_EPI_ACT_GRAD, RS_ACT_TANH };
  check_case (&rng, &grad_tanh);
}

/* The AVX2 and AVX-512 kernels sum each entry as one running FMA over p
 * in order, from zero, then add beta C (or the bias): BLAS's order, so
 * PyTorch's. */
static void
test_summation_order (gconstpointer data)
{
  RsKernelSet set = (RsKernelSet) GPOINTER_TO_INT (data);
  if (!rs_kernels_available (set))
    {
      g_test_skip (set == RS_KERNELS_AVX512 ? "no AVX-512 (F, BW, DQ, VL) on this CPU"
                                            : "no AVX2 + FMA on this CPU");
      return;
    }
  RsRng rng;
  rs_rng_init (&rng, 14, 0);
  const int shapes[][3] = { { 64, 20, 10 }, { 5, 20, 64 }, { 13, 17, 19 }, { 70, 50, 300 } };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int layout = 0; layout < 3; layout++)
      {
        Case c = { shapes[s][0], shapes[s][1], shapes[s][2], layout, 1.0f, RS_EPI_BIAS_ACT,
                   RS_ACT_LINEAR };
        Operands o = make_operands (&rng, &c);
        gsize ars, acs, bks, bns;
        strides (&c, &ars, &acs, &bks, &bns);
        float *a = NULL;
        g_autofree float *z = run_case (set, &c, &o, &a);
        for (int i = 0; i < c.m; i++)
          for (int j = 0; j < c.n; j++)
            {
              float acc = 0.0f;
              for (int p = 0; p < c.k; p++)
                acc = fmaf (o.a[i * ars + p * acs], o.b[p * bks + j * bns], acc);
              float want = acc + o.bias[j];
              g_assert_cmpfloat (z[(gsize) i * c.n + j], ==, want);
              g_assert_cmpfloat (a[(gsize) i * c.n + j], ==, want);
            }
        g_free (a);
        free_operands (&o);
      }
}

/* The forward's ReLU write-back with the nonzero bits (what the sparse
 * products read): the AVX-512 kernel writes the same z, a and bits as the
 * AVX2 one, and reports them done; with k beyond a chunk neither writes
 * them. Widths around the vectors' 16 and the strips' 32 and 48. */
static void
test_avx512_relu_mask (void)
{
  if (!rs_kernels_available (RS_KERNELS_AVX512) || !rs_kernels_available (RS_KERNELS_AVX2))
    {
      g_test_skip ("no AVX-512 (F, BW, DQ, VL) on this CPU");
      return;
    }
  RsRng rng;
  rs_rng_init (&rng, 16, 0);
  const int ns[] = { 1, 7, 8, 9, 15, 16, 17, 31, 33, 47, 48, 49, 64, 100, 128 };
  const int ms[] = { 1, 11, 13, 37 };
  const int ks[] = { 1, 64, 513 };
  for (gsize mi = 0; mi < G_N_ELEMENTS (ms); mi++)
    for (gsize ni = 0; ni < G_N_ELEMENTS (ns); ni++)
      for (gsize ki = 0; ki < G_N_ELEMENTS (ks); ki++)
        {
          Case c = { ms[mi], ns[ni], ks[ki], LAYOUT_NN, 0.0f, RS_EPI_BIAS_ACT, RS_ACT_RELU };
          Operands o = make_operands (&rng, &c);
          int ldnz = (c.n + 63) / 64 * 8;
          gsize nc = (gsize) c.m * c.n, nb = (gsize) c.m * ldnz;
          float *z[2], *a[2];
          uint8_t *nz[2];
          gboolean done[2];
          const RsKernelSet sets[2] = { RS_KERNELS_AVX2, RS_KERNELS_AVX512 };
          for (int s = 0; s < 2; s++)
            {
              z[s] = g_new (float, nc), a[s] = g_new (float, nc);
              nz[s] = g_malloc0 (nb);
              done[s] = FALSE;
              RsEpilogue e = { .kind = RS_EPI_BIAS_ACT, .act = RS_ACT_RELU, .bias = o.bias,
                               .a = a[s], .lda = c.n, .nz = nz[s], .ldnz = ldnz,
                               .nz_done = &done[s] };
              g_assert_true (rs_kernels_force (sets[s]));
              rs_gemm_ex (c.m, c.n, c.k, o.a, c.k, 1, o.b, c.n, 1, 0.0f, z[s], c.n, &e);
            }
          g_assert_true (rs_kernels_force (RS_KERNELS_AUTO));
          assert_same_bits ("z", &c, z[1], z[0]);
          assert_same_bits ("relu(z)", &c, a[1], a[0]);
          g_assert_cmpint (done[1], ==, done[0]);
          g_assert_cmpint (done[1], ==, c.k <= 512);
          if (done[1])
            {
              g_assert_cmpmem (nz[1], nb, nz[0], nb);
              for (int i = 0; i < c.m; i++)
                for (int j = 0; j < c.n; j++)
                  g_assert_cmpint ((nz[1][(gsize) i * ldnz + j / 8] >> (j % 8)) & 1, ==,
                                   a[1][(gsize) i * c.n + j] > 0.0f);
            }
          for (int s = 0; s < 2; s++)
            g_free (z[s]), g_free (a[s]), g_free (nz[s]);
          free_operands (&o);
        }
}

/* The public three products (rs_gemm_nt/tn/nn) under every set agree with
 * their portable versions on the exact hand case. */
static void
test_gemm_entry_points (void)
{
  const float a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 1, 0, -1, 2, 2, 2 };
  for (gsize s = 0; s < G_N_ELEMENTS (all_sets); s++)
    {
      if (!rs_kernels_force (all_sets[s]))
        continue;
      /* A [2,3] · B[2,3]^T = [1 - 3, 2 + 4 + 6; 4 - 6, 8 + 10 + 12] */
      float c[4] = { NAN, NAN, NAN, NAN };
      rs_gemm_nt (2, 2, 3, a, b, 0.0f, c);
      g_assert_cmpfloat (c[0], ==, -2);
      g_assert_cmpfloat (c[1], ==, 12);
      g_assert_cmpfloat (c[2], ==, -2);
      g_assert_cmpfloat (c[3], ==, 30);
      /* A[3,2]^T · B[3,2]: A^T = [1 3 5; 2 4 6], B = [1 0; -1 2; 2 2] */
      rs_gemm_tn (2, 2, 3, a, b, 0.0f, c);
      g_assert_cmpfloat (c[0], ==, 1 - 3 + 10);
      g_assert_cmpfloat (c[1], ==, 0 + 6 + 10);
      g_assert_cmpfloat (c[2], ==, 2 - 4 + 12);
      g_assert_cmpfloat (c[3], ==, 0 + 8 + 12);
      /* A[2,3] · B[3,2] with beta 2 on C = 1 */
      for (int i = 0; i < 4; i++)
        c[i] = 1.0f;
      rs_gemm_nn (2, 2, 3, a, b, 2.0f, c);
      g_assert_cmpfloat (c[0], ==, 1 - 2 + 6 + 2);
      g_assert_cmpfloat (c[1], ==, 0 + 4 + 6 + 2);
      g_assert_cmpfloat (c[2], ==, 4 - 5 + 12 + 2);
      g_assert_cmpfloat (c[3], ==, 0 + 10 + 12 + 2);
    }
  rs_kernels_force (RS_KERNELS_AUTO);
}

/* ---- elementwise twins -------------------------------------------------------- */

/* Runs `fn` over x under the portable set and the AVX2 set. */
typedef void (*VecFunc) (const float *x, float *y, gsize n);

static void
twins (VecFunc fn, const float *x, gsize n, float *portable, float *avx2)
{
  g_assert_true (rs_kernels_force (RS_KERNELS_PORTABLE));
  fn (x, portable, n);
  if (rs_kernels_force (RS_KERNELS_AVX2))
    fn (x, avx2, n);
  else
    memcpy (avx2, portable, n * sizeof (float));
  rs_kernels_force (RS_KERNELS_AUTO);
}

static gboolean
same_float (float a, float b)
{
  return memcmp (&a, &b, sizeof a) == 0 || (isnan (a) && isnan (b));
}

static void
test_exp_log_twins (void)
{
  RsRng rng;
  rs_rng_init (&rng, 21, 0);
  enum { N = 20000 };
  g_autofree float *x = g_new (float, N + 16);
  g_autofree float *p = g_new (float, N + 16);
  g_autofree float *q = g_new (float, N + 16);
  for (int i = 0; i < N; i++)
    x[i] = (float) (-110.0 + 215.0 * rs_rng_uniform (&rng));
  const float special[] = { 0.0f, -0.0f, -104.0f, -103.9f, 100.0f, 100.1f, 88.7f, -87.3f,
                            1e-30f, -1e-30f, INFINITY, -INFINITY, NAN, 0.5f, -0.5f, 1.0f };
  memcpy (x + N, special, sizeof special);
  gsize n = N + G_N_ELEMENTS (special);
  /* exp: bit for bit, also every length's tail (n mod 8) */
  for (gsize len = n - 8; len <= n; len++)
    {
      twins (rs_vexp, x, len, p, q);
      for (gsize i = 0; i < len; i++)
        if (!same_float (p[i], q[i]))
          g_error ("exp(%.9g): portable %.9g, avx2 %.9g", x[i], p[i], q[i]);
    }
  /* against libm: SLEEF's u10 is within 1 ulp */
  for (gsize i = 0; i < N; i++)
    {
      double want = exp ((double) x[i]);
      if (want > 1e-37 && want < 1e38)
        g_assert_cmpfloat (fabs (p[i] - want), <=, 2.4e-7 * want);
    }
  /* log over positive values of every magnitude, denormals included */
  for (int i = 0; i < N; i++)
    x[i] = (float) exp (-100.0 + 185.0 * rs_rng_uniform (&rng));
  x[0] = 1e-45f;
  x[1] = FLT_MIN;
  twins (rs_vlog, x, n, p, q);
  for (gsize i = 0; i < n; i++)
    if (!same_float (p[i], q[i]))
      g_error ("log(%.9g): portable %.9g, avx2 %.9g", x[i], p[i], q[i]);
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat (fabs (p[i] - log ((double) x[i])), <=,
                       1.2e-7 * MAX (1.0, fabs (log ((double) x[i]))));
  g_assert_true (isinf (rs_logf (0.0f)) && rs_logf (0.0f) < 0);
  g_assert_true (isnan (rs_logf (-1.0f)));
  g_assert_cmpfloat (rs_logf (1.0f), ==, 0.0f);
  g_assert_cmpfloat (rs_expf (0.0f), ==, 1.0f);
  g_assert_cmpfloat (rs_expf (-200.0f), ==, 0.0f);
}

/* PyTorch's sum over rows: twins bit for bit, both close to the exact sum,
 * and the cascade's structure seen on a case it changes the result of. */
static void
test_colsum (void)
{
  RsRng rng;
  rs_rng_init (&rng, 22, 0);
  const int rows_list[] = { 1, 2, 3, 4, 7, 15, 16, 17, 64, 100, 255, 256, 257, 1000, 5000 };
  const int cols_list[] = { 1, 2, 3, 4, 5, 7, 8, 9, 10, 20, 31, 32, 33, 40, 64, 100, 128 };
  for (gsize ri = 0; ri < G_N_ELEMENTS (rows_list); ri++)
    for (gsize ci = 0; ci < G_N_ELEMENTS (cols_list); ci++)
      {
        int rows = rows_list[ri], cols = cols_list[ci];
        g_autofree float *x = random_matrix (&rng, (gsize) rows * cols, 0.3);
        g_autofree float *p = g_new (float, cols);
        g_autofree float *q = g_new (float, cols);
        g_assert_true (rs_kernels_force (RS_KERNELS_PORTABLE));
        rs_colsum (x, rows, cols, p);
        if (rs_kernels_force (RS_KERNELS_AVX2))
          rs_colsum (x, rows, cols, q);
        else
          memcpy (q, p, cols * sizeof (float));
        rs_kernels_force (RS_KERNELS_AUTO);
        for (int j = 0; j < cols; j++)
          {
            double exact = 0.0, scale = 0.0;
            for (int i = 0; i < rows; i++)
              {
                exact += x[(gsize) i * cols + j];
                scale += fabs (x[(gsize) i * cols + j]);
              }
            if (!same_float (p[j], q[j]))
              g_error ("colsum %dx%d col %d: portable %.9g, avx2 %.9g", rows, cols, j, p[j], q[j]);
            g_assert_cmpfloat (fabs (p[j] - exact), <=, 1e-6 * scale + 1e-30);
          }
      }
  /* 1e8 then 32 ones, in four columns (the plain cascade): a running sum
   * loses every 1 against 1e8 (ulp 8); the cascade sums rows 16..31 apart
   * (16) before adding them to the first block's 1e8, so 100000016 (the
   * last row's 1 is lost again). */
  float block[33 * 4], out[4];
  for (int i = 0; i < 33; i++)
    for (int j = 0; j < 4; j++)
      block[i * 4 + j] = i == 0 ? 1e8f : 1.0f;
  for (gsize s = 0; s < 2; s++)
    {
      if (!rs_kernels_force (s == 0 ? RS_KERNELS_PORTABLE : RS_KERNELS_AVX2))
        continue;
      rs_colsum (block, 33, 4, out);
      for (int j = 0; j < 4; j++)
        g_assert_cmpfloat (out[j], ==, 100000016.0f);
    }
  rs_kernels_force (RS_KERNELS_AUTO);
}

static void
test_adam_twins (void)
{
  RsRng rng;
  rs_rng_init (&rng, 23, 0);
  const gsize lengths[] = { 1, 7, 8, 9, 31, 1000 };
  for (gsize li = 0; li < G_N_ELEMENTS (lengths); li++)
    for (int variant = 0; variant < 4; variant++)
      {
        gsize n = lengths[li];
        RsUpdateArgs a = {
          .beta1 = 0.9f, .beta2 = 0.999f, .one_minus_beta1 = 0.1f, .one_minus_beta2 = 0.001f,
          .step_size = 1e-3f / 0.19f, .bias_correction2_sqrt = 0.0447f, .eps = 1e-8f,
          .weight_decay = variant & 1 ? 0.01f : 0.0f, .decay = 1.0f - 1e-5f,
          .decoupled = variant == 3,
          .penalty = { .l1 = variant >= 2 ? 0.005f : 0.0f, .l2x2 = variant == 2 ? 0.006f : 0.0f },
        };
        g_autofree float *grad = random_matrix (&rng, n, 0.1);
        g_autofree float *theta = random_matrix (&rng, n, 0.2);
        g_autofree float *m0 = random_matrix (&rng, n, 0.0);
        g_autofree float *v0 = random_matrix (&rng, n, 0.0);
        for (gsize i = 0; i < n; i++)
          v0[i] = v0[i] * v0[i];
        g_autofree float *tp = g_memdup2 (theta, n * sizeof (float));
        g_autofree float *mp = g_memdup2 (m0, n * sizeof (float));
        g_autofree float *vp = g_memdup2 (v0, n * sizeof (float));
        g_autofree float *tq = g_memdup2 (theta, n * sizeof (float));
        g_autofree float *mq = g_memdup2 (m0, n * sizeof (float));
        g_autofree float *vq = g_memdup2 (v0, n * sizeof (float));
        g_assert_true (rs_kernels_force (RS_KERNELS_PORTABLE));
        rs_adam_update (&a, mp, vp, tp, grad, n);
        if (rs_kernels_force (RS_KERNELS_AVX2))
          rs_adam_update (&a, mq, vq, tq, grad, n);
        else
          rs_adam_update_portable (&a, mq, vq, tq, grad, n);
        rs_kernels_force (RS_KERNELS_AUTO);
        for (gsize i = 0; i < n; i++)
          {
            g_assert_true (same_float (tp[i], tq[i]));
            g_assert_true (same_float (mp[i], mq[i]));
            g_assert_true (same_float (vp[i], vq[i]));
          }
      }
}

/* Cross-entropy under each set: the gradient bit for bit (the AVX2 set
 * takes eight rows across the lanes, the portable one row by row from
 * the twins above), with and without label smoothing, the value to 1e-12
 * (it sums libm's exp or a vector one), the same rows counted correct. */
static void
test_cross_entropy_sets (void)
{
  RsRng rng;
  rs_rng_init (&rng, 24, 0);
  const int shapes[][2] = { { 1, 2 }, { 64, 5 }, { 96, 4 }, { 17, 7 }, { 33, 8 }, { 9, 10 },
                            { 20, 16 }, { 10, 25 }, { 300, 10 }, { 3, 600 }, { 7, 1 },
                            { 13, 3 }, { 259, 2 }, { 11, 31 }, { 5, 32 }, { 6, 33 },
                            { 12, 47 } };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int smooth = 0; smooth < 2; smooth++)
      {
        int b = shapes[s][0], c = shapes[s][1];
        double eps = smooth ? 0.1 : 0.0;
        g_autofree float *logits = random_matrix (&rng, (gsize) b * c, 0.0);
        for (int i = 0; i < b * c; i++)
          logits[i] *= 4.0f;
        /* ties: a row's first maximum counts */
        if (c > 2)
          logits[c - 1] = logits[c - 2] = 9.0f;
        g_autofree int32_t *labels = g_new (int32_t, b);
        for (int r = 0; r < b; r++)
          labels[r] = (int32_t) rs_rng_below (&rng, c);
        g_autofree float *dp = g_new (float, (gsize) b * c);
        g_autofree float *dq = g_new (float, (gsize) b * c);
        int hp, hq, hn;
        g_assert_true (rs_kernels_force (RS_KERNELS_PORTABLE));
        double vp = rs_cross_entropy (logits, labels, b, c, eps, dp, &hp);
        double vq = vp, vn = vp;
        hq = hn = hp;
        if (rs_kernels_force (RS_KERNELS_AVX2))
          {
            vq = rs_cross_entropy (logits, labels, b, c, eps, dq, &hq);
            vn = rs_cross_entropy (logits, labels, b, c, eps, NULL, &hn);
          }
        else
          memcpy (dq, dp, (gsize) b * c * sizeof (float));
        rs_kernels_force (RS_KERNELS_AUTO);
        g_assert_cmpfloat (fabs (vp - vq), <=, 1e-12 * MAX (1.0, fabs (vp)));
        g_assert_cmpfloat (vn, ==, vq);
        g_assert_cmpint (hp, ==, hq);
        g_assert_cmpint (hn, ==, hq);
        for (int i = 0; i < b * c; i++)
          if (!same_float (dp[i], dq[i]))
            g_error ("cross-entropy %dx%d eps %g [%d]: portable %.9g, avx2 %.9g", b, c, eps, i,
                     dp[i], dq[i]);
      }
}

/* A narrow layer's weight gradient taken as (x^T dz)^T (given scratch)
 * equals the direct dz^T x (no scratch) bit for bit, written or added to,
 * and the rule picks the narrow inputs the lessons have. */
static void
test_weight_grad_transposed (void)
{
  for (int lanes = 8; lanes <= 16; lanes += 8)
    {
      g_assert_true (rs_linear_dw_transposed (64, 10, 20, lanes));    /* the seed's fc1 */
      g_assert_true (rs_linear_dw_transposed (16, 2, 128, lanes));    /* a spiral's fc1 */
      g_assert_false (rs_linear_dw_transposed (64, 20, 5, lanes));    /* the seed's fc2 */
      g_assert_false (rs_linear_dw_transposed (256, 64, 128, lanes)); /* 64-128-64-10's fc1 */
      g_assert_false (rs_linear_dw_transposed (128, 784, 256, lanes));
    }
  RsRng rng;
  rs_rng_init (&rng, 26, 0);
  const int shapes[][3] = { { 64, 10, 20 }, { 16, 2, 128 }, { 32, 13, 48 }, { 131, 3, 33 },
                            { 1, 1, 9 } };
  for (gsize t = 0; t < G_N_ELEMENTS (shapes); t++)
    for (int accumulate = 0; accumulate < 2; accumulate++)
      {
        int batch = shapes[t][0], in = shapes[t][1], out = shapes[t][2];
        gsize nw = (gsize) out * in;
        g_assert_true (rs_linear_dw_transposed (batch, in, out, 8));
        g_assert_true (rs_linear_dw_transposed (batch, in, out, 16));
        g_autofree float *x = random_matrix (&rng, (gsize) batch * in, 0.3);
        g_autofree float *dz = random_matrix (&rng, (gsize) batch * out, 0.3);
        g_autofree float *w = random_matrix (&rng, nw, 0.0);
        g_autofree float *start = random_matrix (&rng, nw, 0.0);
        g_autofree float *scratch = g_new (float, rs_linear_scratch_size (in, out));
        g_autofree float *wt = g_new (float, nw);
        g_autofree float *direct = g_memdup2 (start, nw * sizeof (float));
        g_autofree float *transposed = g_memdup2 (start, nw * sizeof (float));
        g_autofree float *db = g_new0 (float, out);
        /* under each vector set: each takes the transposed form here */
        for (gsize k = 0; k < G_N_ELEMENTS (all_sets); k++)
          {
            if (!rs_kernels_force (all_sets[k]))
              continue;
            memcpy (direct, start, nw * sizeof (float));
            memcpy (transposed, start, nw * sizeof (float));
            rs_linear_backward (NULL, direct, db, dz, x, w, batch, in, out, RS_ACT_RELU,
                                accumulate, 0.0f, wt, NULL, NULL, NULL);
            rs_linear_backward (NULL, transposed, db, dz, x, w, batch, in, out, RS_ACT_RELU,
                                accumulate, 0.0f, wt, scratch, NULL, NULL);
            rs_kernels_force (RS_KERNELS_AUTO);
            for (gsize i = 0; i < nw; i++)
              if (!same_float (direct[i], transposed[i]))
                g_error ("dW %dx%dx%d (accumulate %d, %s) [%zu]: direct %.9g, transposed %.9g",
                         batch, in, out, accumulate, rs_kernels_set_name (all_sets[k]), i,
                         direct[i], transposed[i]);
          }
      }
}

static void
test_sums_and_transpose (void)
{
  RsRng rng;
  rs_rng_init (&rng, 25, 0);
  const int dims[][2] = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 8, 8 }, { 7, 13 }, { 20, 10 },
                          { 64, 128 }, { 256, 784 }, { 33, 17 } };
  for (gsize d = 0; d < G_N_ELEMENTS (dims); d++)
    {
      int rows = dims[d][0], cols = dims[d][1];
      gsize n = (gsize) rows * cols;
      g_autofree float *x = random_matrix (&rng, n, 0.2);
      g_autofree float *tp = g_new (float, n);
      g_autofree float *tq = g_new (float, n);
      g_assert_true (rs_kernels_force (RS_KERNELS_PORTABLE));
      double ap = rs_sum_abs (x, n), sp = rs_sum_sq (x, n);
      rs_transpose (x, rows, cols, tp);
      double aq = ap, sq = sp;
      if (rs_kernels_force (RS_KERNELS_AVX2))
        {
          aq = rs_sum_abs (x, n);
          sq = rs_sum_sq (x, n);
          rs_transpose (x, rows, cols, tq);
        }
      else
        memcpy (tq, tp, n * sizeof (float));
      rs_kernels_force (RS_KERNELS_AUTO);
      g_assert_cmpfloat (fabs (ap - aq), <=, 1e-12 * ap + 1e-300);
      g_assert_cmpfloat (fabs (sp - sq), <=, 1e-12 * sp + 1e-300);
      for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
          {
            g_assert_cmpfloat (tp[(gsize) j * rows + i], ==, x[(gsize) i * cols + j]);
            g_assert_cmpfloat (tq[(gsize) j * rows + i], ==, x[(gsize) i * cols + j]);
          }
    }
}

/* ---- dispatch ------------------------------------------------------------------ */

static void
test_dispatch (void)
{
  rs_kernels_init ();
  g_test_message ("kernels: %s (BLAS: %s)", rs_kernels_describe (), rs_kernels_backend ());
  g_assert_true (strlen (rs_kernels_describe ()) > 0);
  g_assert_true (g_str_equal (rs_kernels_backend (), "openblas")
                 || g_str_equal (rs_kernels_backend (), "portable"));
  g_assert_true (rs_kernels_available (RS_KERNELS_AUTO));
  g_assert_true (rs_kernels_available (RS_KERNELS_PORTABLE));
  g_assert_cmpint (rs_kernels_available (RS_KERNELS_BLAS), ==,
                   g_str_equal (rs_kernels_backend (), "openblas"));
  for (gsize s = 0; s < G_N_ELEMENTS (all_sets); s++)
    g_test_message ("%s: %s", rs_kernels_set_name (all_sets[s]),
                    rs_kernels_available (all_sets[s]) ? "available" : "not available");

  const int dims[] = { 1, 2, 5, 10, 64, 128, 256, 384, 385, 784, 2048 };
  for (gsize i = 0; i < G_N_ELEMENTS (dims); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (dims); j++)
      for (gsize k = 0; k < G_N_ELEMENTS (dims); k++)
        {
          RsKernelSet set = rs_kernels_choose (dims[i], dims[j], dims[k]);
          g_assert_true (set != RS_KERNELS_AUTO);
          g_assert_true (rs_kernels_available (set));
          g_assert_cmpint (rs_kernels_active (dims[i], dims[j], dims[k]), ==, set);
        }
  /* The fastest set where it exists: AVX-512, else AVX2, for the small
   * products. */
  if (rs_kernels_available (RS_KERNELS_AVX512))
    g_assert_cmpint (rs_kernels_choose (64, 20, 10), ==, RS_KERNELS_AVX512);
  else if (rs_kernels_available (RS_KERNELS_AVX2))
    g_assert_cmpint (rs_kernels_choose (64, 20, 10), ==, RS_KERNELS_AVX2);

  /* Forcing: only what exists, and AUTO restores the choice. */
  for (gsize s = 0; s < G_N_ELEMENTS (all_sets); s++)
    {
      gboolean ok = rs_kernels_force (all_sets[s]);
      g_assert_cmpint (ok, ==, rs_kernels_available (all_sets[s]));
      if (ok)
        g_assert_cmpint (rs_kernels_active (64, 20, 10), ==, all_sets[s]);
    }
  g_assert_true (rs_kernels_force (RS_KERNELS_AUTO));
  g_assert_cmpint (rs_kernels_active (64, 20, 10), ==, rs_kernels_choose (64, 20, 10));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kernels/dispatch", test_dispatch);
  g_test_add_func ("/engine/kernels/products-small", test_products_small);
  g_test_add_func ("/engine/kernels/products-epilogues", test_products_epilogues);
  g_test_add_func ("/engine/kernels/products-large", test_products_large);
  g_test_add_data_func ("/engine/kernels/avx2-summation-order",
                        GINT_TO_POINTER (RS_KERNELS_AVX2), test_summation_order);
  g_test_add_data_func ("/engine/kernels/avx512-summation-order",
                        GINT_TO_POINTER (RS_KERNELS_AVX512), test_summation_order);
  g_test_add_func ("/engine/kernels/avx512-relu-mask", test_avx512_relu_mask);
  g_test_add_func ("/engine/kernels/gemm-entry-points", test_gemm_entry_points);
  g_test_add_func ("/engine/kernels/exp-log-twins", test_exp_log_twins);
  g_test_add_func ("/engine/kernels/colsum", test_colsum);
  g_test_add_func ("/engine/kernels/adam-twins", test_adam_twins);
  g_test_add_func ("/engine/kernels/cross-entropy-sets", test_cross_entropy_sets);
  g_test_add_func ("/engine/kernels/sums-and-transpose", test_sums_and_transpose);
  g_test_add_func ("/engine/kernels/weight-grad-transposed", test_weight_grad_transposed);
  return g_test_run ();
}
