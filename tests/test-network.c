/* test-network.c — the dense kernels against a naive double-precision
 * triple loop, PyTorch's nn.Linear init, forward passes and activations
 * against values worked out by hand, the losses and penalty terms against
 * their formulas. */
#include <glib.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "rs-kernels-impl.h"
#include "rs-kernels.h"
#include "rs-loss.h"
#include "rs-network-private.h"
#include "rs-network.h"
#include "rs-regularizer.h"
#include "rs-rng.h"

/* ---- helpers ------------------------------------------------------------- */

static float *
random_matrix (RsRng *rng, gsize n, double zero_fraction)
{
  float *m = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    m[i] = rs_rng_uniform (rng) < zero_fraction ? 0.0f : (float) rs_rng_uniform_range (rng, -1, 1);
  return m;
}

typedef enum { KIND_NT, KIND_TN, KIND_NN } GemmKind;

typedef void (*GemmFunc) (int m, int n, int k, const float *a, const float *b, float beta,
                          float *c);

/* A[i,p] and B[p,j] of C = A·B in each kernel's storage:
 *   nt: A[m,k], B[n,k] (B transposed)   tn: A[k,m] (transposed), B[k,n]
 *   nn: A[m,k], B[k,n] */
static double
elem_a (GemmKind kind, const float *a, int m, int k, int i, int p)
{
  return kind == KIND_TN ? a[(gsize) p * m + i] : a[(gsize) i * k + p];
}

static double
elem_b (GemmKind kind, const float *b, int n, int k, int p, int j)
{
  return kind == KIND_NT ? b[(gsize) j * k + p] : b[(gsize) p * n + j];
}

/* Checks `f` on one shape and beta against the naive loop in double. Each
 * entry must be within (k + 2) * FLT_EPSILON * (sum |a b| + |beta c|) of
 * the exact value: the a-priori bound of any float summation order. */
static void
check_gemm (GemmKind kind, GemmFunc f, const char *name, int m, int n, int k, float beta,
            RsRng *rng)
{
  gsize na = (gsize) m * k, nb = (gsize) n * k, nc = (gsize) m * n;
  float *a = random_matrix (rng, na, kind == KIND_NT ? 0.0 : 0.3);
  float *b = random_matrix (rng, nb, 0.0);
  float *c = random_matrix (rng, nc, 0.0);
  float *c0 = g_memdup2 (c, nc * sizeof (float));
  if (beta == 0.0f)
    for (gsize i = 0; i < nc; i++)
      c[i] = 12345.0f; /* must be overwritten, not scaled */

  f (m, n, k, a, b, beta, c);

  double worst = 0.0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double exact = beta == 0.0f ? 0.0 : (double) beta * c0[(gsize) i * n + j];
        double scale = fabs (exact);
        for (int p = 0; p < k; p++)
          {
            double prod = elem_a (kind, a, m, k, i, p) * elem_b (kind, b, n, k, p, j);
            exact += prod;
            scale += fabs (prod);
          }
        double got = c[(gsize) i * n + j];
        double tol = (k + 2) * FLT_EPSILON * scale + 1e-30;
        double err = fabs (got - exact);
        worst = MAX (worst, err / tol);
        if (!(err <= tol))
          g_error ("%s m=%d n=%d k=%d beta=%g: C[%d,%d] = %.9g, exact %.9g", name, m, n, k,
                   (double) beta, i, j, got, exact);
      }
  g_test_message ("%s %dx%dx%d beta=%g: worst error / bound %.3g", name, m, n, k,
                  (double) beta, worst);
  g_free (a);
  g_free (b);
  g_free (c);
  g_free (c0);
}

static const int shapes[][3] = {
  { 1, 1, 1 }, { 3, 5, 7 }, { 7, 3, 5 }, { 5, 7, 3 }, { 1, 9, 4 }, { 9, 1, 4 },
  { 4, 4, 1 }, { 13, 17, 19 }, { 63, 64, 64 }, { 64, 64, 64 }, { 64, 128, 256 },
  { 128, 784, 256 }, { 256, 10, 64 },
};
static const float betas[] = { 0.0f, 1.0f, 0.5f };

static void
test_gemm_vs_naive (gconstpointer data)
{
  GemmKind kind = GPOINTER_TO_INT (data);
  GemmFunc fast = kind == KIND_NT ? rs_gemm_nt : kind == KIND_TN ? rs_gemm_tn : rs_gemm_nn;
  GemmFunc portable = kind == KIND_NT ? rs_gemm_nt_portable
                      : kind == KIND_TN ? rs_gemm_tn_portable : rs_gemm_nn_portable;
  const char *names[] = { "nt", "tn", "nn" };
  g_autofree char *pname = g_strdup_printf ("%s_portable", names[kind]);
  RsRng rng;
  rs_rng_init (&rng, 100 + kind, 0);
  rs_kernels_init ();
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (gsize bi = 0; bi < G_N_ELEMENTS (betas); bi++)
      {
        check_gemm (kind, fast, names[kind], shapes[s][0], shapes[s][1], shapes[s][2],
                    betas[bi], &rng);
        check_gemm (kind, portable, pname, shapes[s][0], shapes[s][1], shapes[s][2],
                    betas[bi], &rng);
      }
}

/* The dispatching and the portable versions on the same inputs agree:
 * the Frobenius norm of the difference within 1e-4 of the result's, and
 * every entry within 1e-4 of its own scale (sum |a b| + |beta c|). */
static void
test_gemm_paths_agree (gconstpointer data)
{
  GemmKind kind = GPOINTER_TO_INT (data);
  GemmFunc fast = kind == KIND_NT ? rs_gemm_nt : kind == KIND_TN ? rs_gemm_tn : rs_gemm_nn;
  GemmFunc portable = kind == KIND_NT ? rs_gemm_nt_portable
                      : kind == KIND_TN ? rs_gemm_tn_portable : rs_gemm_nn_portable;
  g_test_message ("backend: %s", rs_kernels_backend ());
  g_assert_true (g_str_equal (rs_kernels_backend (), "openblas")
                 || g_str_equal (rs_kernels_backend (), "portable"));
  RsRng rng;
  rs_rng_init (&rng, 200 + kind, 0);
  rs_kernels_init ();
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (gsize bi = 0; bi < G_N_ELEMENTS (betas); bi++)
      {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float beta = betas[bi];
        gsize nc = (gsize) m * n;
        float *a = random_matrix (&rng, (gsize) m * k, 0.2);
        float *b = random_matrix (&rng, (gsize) n * k, 0.0);
        float *c1 = random_matrix (&rng, nc, 0.0);
        float *c2 = g_memdup2 (c1, nc * sizeof (float));
        fast (m, n, k, a, b, beta, c1);
        portable (m, n, k, a, b, beta, c2);
        double diff2 = 0.0, norm2 = 0.0;
        for (gsize i = 0; i < nc; i++)
          {
            diff2 += ((double) c1[i] - c2[i]) * ((double) c1[i] - c2[i]);
            norm2 += (double) c2[i] * c2[i];
          }
        g_assert_cmpfloat (sqrt (diff2), <=, 1e-4 * sqrt (norm2) + 1e-30);
        for (int i = 0; i < m; i++)
          for (int j = 0; j < n; j++)
            {
              double scale = 0.0;
              for (int p = 0; p < k; p++)
                scale += fabs (elem_a (kind, a, m, k, i, p) * elem_b (kind, b, n, k, p, j));
              g_assert_cmpfloat (fabs ((double) c1[(gsize) i * n + j] - c2[(gsize) i * n + j]),
                                 <=, 1e-4 * scale + 1e-30);
            }
        g_free (a);
        g_free (b);
        g_free (c1);
        g_free (c2);
      }
}

/* Small exact case by hand: A = [1 2; 3 4], B = [5 6; 7 8].
 *   A·B   = [19 22; 43 50]     A·B^T = [17 23; 39 53]
 *   A^T·B = [26 30; 38 44]     with beta = 2 and C = 1 everywhere: +2 */
static void
test_gemm_by_hand (void)
{
  const float a[4] = { 1, 2, 3, 4 }, b[4] = { 5, 6, 7, 8 };
  float c[4];
  const float nn[4] = { 19, 22, 43, 50 }, nt[4] = { 17, 23, 39, 53 }, tn[4] = { 26, 30, 38, 44 };
  GemmFunc fns[6] = { rs_gemm_nn, rs_gemm_nn_portable, rs_gemm_nt, rs_gemm_nt_portable,
                      rs_gemm_tn, rs_gemm_tn_portable };
  const float *want[6] = { nn, nn, nt, nt, tn, tn };
  for (int f = 0; f < 6; f++)
    {
      for (int i = 0; i < 4; i++)
        c[i] = -7.0f;
      fns[f] (2, 2, 2, a, b, 0.0f, c);
      for (int i = 0; i < 4; i++)
        g_assert_cmpfloat (c[i], ==, want[f][i]);
      for (int i = 0; i < 4; i++)
        c[i] = 1.0f;
      fns[f] (2, 2, 2, a, b, 2.0f, c);
      for (int i = 0; i < 4; i++)
        g_assert_cmpfloat (c[i], ==, want[f][i] + 2.0f);
    }
  /* non-square: A [1,3] = [1 2 3], B^T with B [2,3] = [1 0 -1; 2 2 2]:
   * A·B^T = [1*1 + 3*(-1), 2 + 4 + 6] = [-2, 12] */
  const float a3[3] = { 1, 2, 3 }, b3[6] = { 1, 0, -1, 2, 2, 2 };
  float c2[2] = { 100, 100 };
  rs_gemm_nt (1, 2, 3, a3, b3, 0.0f, c2);
  g_assert_cmpfloat (c2[0], ==, -2.0f);
  g_assert_cmpfloat (c2[1], ==, 12.0f);
}

/* ---- network layout and init --------------------------------------------- */

static void
test_network_layout (void)
{
  const int sizes[] = { 3, 4, 2 };
  RsNetwork *net = rs_network_new (2, sizes, RS_ACT_TANH, 5);
  g_assert_cmpint (net->n_layers, ==, 2);
  g_assert_cmpint (net->max_batch, ==, 5);
  g_assert_cmpint (net->activation, ==, RS_ACT_TANH);
  /* 4*3 + 4 + 2*4 + 2 */
  g_assert_cmpuint (net->n_params, ==, 26);
  g_assert_cmpint (net->layers[0].in, ==, 3);
  g_assert_cmpint (net->layers[0].out, ==, 4);
  g_assert_cmpint (net->layers[1].in, ==, 4);
  g_assert_cmpint (net->layers[1].out, ==, 2);
  /* weight then bias, layer by layer, in one contiguous vector */
  g_assert_true (net->layers[0].weight == net->params);
  g_assert_true (net->layers[0].bias == net->params + 12);
  g_assert_true (net->layers[1].weight == net->params + 16);
  g_assert_true (net->layers[1].bias == net->params + 24);
  g_assert_true (net->layers[0].grad_weight == net->grads);
  g_assert_true (net->layers[0].grad_bias == net->grads + 12);
  g_assert_true (net->layers[1].grad_weight == net->grads + 16);
  g_assert_true (net->layers[1].grad_bias == net->grads + 24);
  /* fresh parameters and gradients are zero */
  for (gsize i = 0; i < net->n_params; i++)
    {
      g_assert_cmpfloat (net->params[i], ==, 0.0f);
      g_assert_cmpfloat (net->grads[i], ==, 0.0f);
    }
  /* the caches do not overlap: write each through its own view */
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < 5 * sizes[l + 1]; i++)
      {
        net->layers[l].z[i] = 1.0f + l;
        net->layers[l].a[i] = 3.0f + l;
        net->layers[l].da[i] = 5.0f + l;
      }
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < 5 * sizes[l + 1]; i++)
      {
        g_assert_cmpfloat (net->layers[l].z[i], ==, 1.0f + l);
        g_assert_cmpfloat (net->layers[l].a[i], ==, 3.0f + l);
        g_assert_cmpfloat (net->layers[l].da[i], ==, 5.0f + l);
      }
  rs_network_zero_output_grads (net, 5);
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < 5 * sizes[l + 1]; i++)
      g_assert_cmpfloat (net->layers[l].da[i], ==, 0.0f);
  rs_network_free (net);
  rs_network_free (NULL);
}

static void
test_init_pytorch_bounds (void)
{
  const int sizes[] = { 784, 256, 10 };
  RsNetwork *net = rs_network_new (2, sizes, RS_ACT_RELU, 1);
  RsRng rng;
  rs_rng_init (&rng, 0, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (net, &rng);
  for (int l = 0; l < 2; l++)
    {
      RsLayer *layer = &net->layers[l];
      double bound = 1.0 / sqrt ((double) layer->in);
      gsize nw = (gsize) layer->out * layer->in;
      double wmin = INFINITY, wmax = -INFINITY, sum = 0.0, sum2 = 0.0;
      for (gsize i = 0; i < nw; i++)
        {
          double w = layer->weight[i];
          g_assert_cmpfloat (fabs (w), <=, (double) (float) bound);
          wmin = MIN (wmin, w);
          wmax = MAX (wmax, w);
          sum += w;
          sum2 += w * w;
        }
      double bmin = INFINITY, bmax = -INFINITY;
      for (int i = 0; i < layer->out; i++)
        {
          double b = layer->bias[i];
          g_assert_cmpfloat (fabs (b), <=, (double) (float) bound);
          bmin = MIN (bmin, b);
          bmax = MAX (bmax, b);
        }
      /* the values fill the interval */
      g_assert_cmpfloat (wmin, <, -0.9 * bound);
      g_assert_cmpfloat (wmax, >, 0.9 * bound);
      if (layer->out >= 100)
        {
          g_assert_cmpfloat (bmin, <, -0.9 * bound);
          g_assert_cmpfloat (bmax, >, 0.9 * bound);
        }
      /* U(-b, b): mean 0, variance b^2/3 (variance of w^2 is 4 b^4 / 45) */
      double n = (double) nw;
      g_assert_cmpfloat (fabs (sum / n), <, 4.0 * bound / sqrt (3.0 * n));
      g_assert_cmpfloat (fabs (sum2 / n - bound * bound / 3.0), <,
                         4.0 * sqrt (4.0 / 45.0 / n) * bound * bound);
    }
  rs_network_free (net);
}

/* The documented order: a layer's weights, then its bias, layer by layer,
 * each U(-1/sqrt(in), 1/sqrt(in)) drawn from the given generator. */
static void
test_init_pytorch_order (void)
{
  const int sizes[] = { 5, 7, 3, 2 };
  RsNetwork *net = rs_network_new (3, sizes, RS_ACT_RELU, 1);
  RsRng rng, ref;
  rs_rng_init (&rng, 9, RS_RNG_STREAM_INIT);
  rs_rng_init (&ref, 9, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (net, &rng);
  for (int l = 0; l < 3; l++)
    {
      double bound = 1.0 / sqrt ((double) sizes[l]);
      for (int i = 0; i < sizes[l] * sizes[l + 1]; i++)
        g_assert_cmpfloat (net->layers[l].weight[i], ==,
                           (float) (-bound + 2.0 * bound * rs_rng_uniform (&ref)));
      for (int i = 0; i < sizes[l + 1]; i++)
        g_assert_cmpfloat (net->layers[l].bias[i], ==,
                           (float) (-bound + 2.0 * bound * rs_rng_uniform (&ref)));
    }
  /* the generator advanced by exactly n_params draws */
  g_assert_cmphex (rs_rng_next (&rng), ==, rs_rng_next (&ref));

  /* same seed, same parameters; another seed, others */
  RsNetwork *again = rs_network_new (3, sizes, RS_ACT_RELU, 1);
  rs_rng_init (&rng, 9, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (again, &rng);
  g_assert_true (memcmp (net->params, again->params, net->n_params * sizeof (float)) == 0);
  rs_rng_init (&rng, 10, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (again, &rng);
  int same = 0;
  for (gsize i = 0; i < net->n_params; i++)
    same += net->params[i] == again->params[i];
  g_assert_cmpint (same, ==, 0);
  rs_network_free (net);
  rs_network_free (again);
}

/* ---- forward by hand ----------------------------------------------------- */

/* A 2-3-2 network:
 *   W1 = [ 1  -2 ]   b1 = [ 0.5 ]    W2 = [ 1    2     -1 ]   b2 = [ 0.125 ]
 *        [ 0.5 1 ]        [-0.25]         [-0.5  0.25   3 ]        [-0.5   ]
 *        [-1  -1 ]        [ 0   ]
 * x row 0 = (1, 2):     z1 = (1-4+0.5, 0.5+2-0.25, -1-2) = (-2.5, 2.25, -3)
 * x row 1 = (-1, 0.5):  z1 = (-1-1+0.5, -0.5+0.5-0.25, 1-0.5) = (-1.5, -0.25, 0.5)
 * Output = W2 act(z1) + b2, the last layer linear. */
static const float hand_w1[6] = { 1, -2, 0.5f, 1, -1, -1 };
static const float hand_b1[3] = { 0.5f, -0.25f, 0 };
static const float hand_w2[6] = { 1, 2, -1, -0.5f, 0.25f, 3 };
static const float hand_b2[2] = { 0.125f, -0.5f };
static const float hand_x[4] = { 1, 2, -1, 0.5f };
static const double hand_z1[2][3] = { { -2.5, 2.25, -3 }, { -1.5, -0.25, 0.5 } };

static double
act_ref (RsActivation act, double z)
{
  switch (act)
    {
    case RS_ACT_RELU: return z > 0 ? z : 0;
    case RS_ACT_TANH: return tanh (z);
    case RS_ACT_SIGMOID: return 1.0 / (1.0 + exp (-z));
    case RS_ACT_LINEAR: return z;
    }
  g_assert_not_reached ();
}

static RsNetwork *
hand_network (RsActivation act)
{
  const int sizes[] = { 2, 3, 2 };
  RsNetwork *net = rs_network_new (2, sizes, act, 4);
  memcpy (net->layers[0].weight, hand_w1, sizeof hand_w1);
  memcpy (net->layers[0].bias, hand_b1, sizeof hand_b1);
  memcpy (net->layers[1].weight, hand_w2, sizeof hand_w2);
  memcpy (net->layers[1].bias, hand_b2, sizeof hand_b2);
  return net;
}

static void
test_forward_by_hand (gconstpointer data)
{
  RsActivation act = GPOINTER_TO_INT (data);
  RsNetwork *net = hand_network (act);
  const float *out = rs_network_forward (net, hand_x, 2);
  g_assert_true (out == net->layers[1].a);
  for (int r = 0; r < 2; r++)
    {
      const double *z = hand_z1[r];
      double h[3];
      for (int j = 0; j < 3; j++)
        {
          h[j] = act_ref (act, z[j]);
          g_assert_cmpfloat (net->layers[0].z[r * 3 + j], ==, (float) z[j]);
          g_assert_cmpfloat_with_epsilon (net->layers[0].a[r * 3 + j], h[j], 1e-6);
        }
      double o0 = 1 * h[0] + 2 * h[1] - 1 * h[2] + 0.125;
      double o1 = -0.5 * h[0] + 0.25 * h[1] + 3 * h[2] - 0.5;
      g_assert_cmpfloat_with_epsilon (out[r * 2], o0, 1e-5);
      g_assert_cmpfloat_with_epsilon (out[r * 2 + 1], o1, 1e-5);
      /* the last layer is linear: its a equals its z */
      g_assert_cmpfloat (net->layers[1].z[r * 2], ==, out[r * 2]);
      g_assert_cmpfloat (net->layers[1].z[r * 2 + 1], ==, out[r * 2 + 1]);
    }
  rs_network_free (net);
}

/* The same with the exact numbers spelled out, for ReLU and linear:
 *   relu:   h0 = (0, 2.25, 0)   -> (4.625, 0.0625)
 *           h1 = (0, 0, 0.5)    -> (-0.375, 1.0)
 *   linear: h0 = z               -> (-2.5+4.5+3+0.125, 1.25+0.5625-9-0.5) = (5.125, -7.6875)
 *           h1 = z               -> (-1.5-0.5-0.5+0.125, 0.75-0.0625+1.5-0.5) = (-2.375, 1.6875) */
static void
test_forward_exact (void)
{
  RsNetwork *net = hand_network (RS_ACT_RELU);
  const float *out = rs_network_forward (net, hand_x, 2);
  const float relu_want[4] = { 4.625f, 0.0625f, -0.375f, 1.0f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (out[i], ==, relu_want[i]);
  rs_network_free (net);

  net = hand_network (RS_ACT_LINEAR);
  out = rs_network_forward (net, hand_x, 2);
  const float lin_want[4] = { 5.125f, -7.6875f, -2.375f, 1.6875f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (out[i], ==, lin_want[i]);

  /* one row at a time gives the same rows */
  out = rs_network_forward (net, hand_x + 2, 1);
  g_assert_cmpfloat (out[0], ==, -2.375f);
  g_assert_cmpfloat (out[1], ==, 1.6875f);
  rs_network_free (net);
}

/* ---- backward by hand ---------------------------------------------------- */

/* One linear layer 2 -> 2, W = [1 2; 3 4], b = 0, two rows x = (1, -1), (2, 0.5),
 * and dLoss/dz set by hand to dz = [1 0; -1 2]:
 *   dW = dz^T x = [1*1 + -1*2,  1*-1 + -1*0.5; 0*1 + 2*2, 0 + 2*0.5] = [-1 -1.5; 4 1]
 *   db = column sums of dz = (0, 2). Gradients accumulate: twice gives double. */
static void
test_backward_by_hand (void)
{
  const int sizes[] = { 2, 2 };
  RsNetwork *net = rs_network_new (1, sizes, RS_ACT_RELU, 2);
  const float w[4] = { 1, 2, 3, 4 };
  memcpy (net->layers[0].weight, w, sizeof w);
  const float x[4] = { 1, -1, 2, 0.5f };
  const float dz[4] = { 1, 0, -1, 2 };
  const float dw_want[4] = { -1, -1.5f, 4, 1 };
  const float db_want[2] = { 0, 2 };

  rs_network_forward (net, x, 2);
  rs_network_zero_grads (net);
  for (int pass = 1; pass <= 2; pass++)
    {
      memcpy (net->layers[0].da, dz, sizeof dz);
      rs_network_backward (net, x, 2);
      for (int i = 0; i < 4; i++)
        g_assert_cmpfloat (net->layers[0].grad_weight[i], ==, pass * dw_want[i]);
      for (int i = 0; i < 2; i++)
        g_assert_cmpfloat (net->layers[0].grad_bias[i], ==, pass * db_want[i]);
    }
  rs_network_zero_grads (net);
  for (gsize i = 0; i < net->n_params; i++)
    g_assert_cmpfloat (net->grads[i], ==, 0.0f);
  rs_network_free (net);
}

/* Two layers, ReLU: the gradient reaching fc1 passes W2 and the ReLU mask.
 * With the hand network and row 0 (z1 = (-2.5, 2.25, -3), only unit 1 on),
 * dLoss/dout = (1, -2): dh = W2^T (1, -2) = (1+1, 2-0.5, -1-6) = (2, 1.5, -7),
 * masked: dz1 = (0, 1.5, 0); dW1 = dz1^T x = row 1 = 1.5 * (1, 2); db1 = dz1;
 * dW2 = (1, -2)^T h with h = (0, 2.25, 0); db2 = (1, -2). */
static void
test_backward_two_layers (void)
{
  RsNetwork *net = hand_network (RS_ACT_RELU);
  rs_network_forward (net, hand_x, 1);
  rs_network_zero_grads (net);
  rs_network_zero_output_grads (net, 1);
  net->layers[1].da[0] = 1.0f;
  net->layers[1].da[1] = -2.0f;
  rs_network_backward (net, hand_x, 1);
  const float dw1[6] = { 0, 0, 1.5f, 3.0f, 0, 0 };
  const float db1[3] = { 0, 1.5f, 0 };
  const float dw2[6] = { 0, 2.25f, 0, 0, -4.5f, 0 };
  const float db2[2] = { 1, -2 };
  for (int i = 0; i < 6; i++)
    {
      g_assert_cmpfloat (net->layers[0].grad_weight[i], ==, dw1[i]);
      g_assert_cmpfloat (net->layers[1].grad_weight[i], ==, dw2[i]);
    }
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat (net->layers[0].grad_bias[i], ==, db1[i]);
  for (int i = 0; i < 2; i++)
    g_assert_cmpfloat (net->layers[1].grad_bias[i], ==, db2[i]);
  rs_network_free (net);
}

/* ---- activations ---------------------------------------------------------- */

static const float act_points[] = { -30.0f, -2.0f, -0.5f, 0.0f, 0.25f, 1.0f, 3.0f, 30.0f };

/* The derivative by its own formula in z (not via the output a). */
static double
act_deriv_ref (RsActivation act, double z)
{
  switch (act)
    {
    case RS_ACT_RELU: return z > 0 ? 1 : 0;
    case RS_ACT_TANH: return 1.0 / (cosh (z) * cosh (z));
    case RS_ACT_SIGMOID: return exp (-z) / ((1 + exp (-z)) * (1 + exp (-z)));
    case RS_ACT_LINEAR: return 1;
    }
  g_assert_not_reached ();
}

static void
test_activation_pair (gconstpointer data)
{
  RsActivation act = GPOINTER_TO_INT (data);
  enum { N = G_N_ELEMENTS (act_points) };
  float a[N], da[N];
  rs_activation_forward (act, act_points, a, N);
  for (int i = 0; i < N; i++)
    {
      double z = act_points[i];
      g_assert_cmpfloat_with_epsilon (a[i], act_ref (act, z), 2e-7 * MAX (1.0, fabs (z)));
      g_assert_true (isfinite (a[i]));
      da[i] = 1.5f - i; /* upstream gradient, sign and size varied */
    }
  rs_activation_backward (act, a, da, N);
  for (int i = 0; i < N; i++)
    {
      double want = (1.5 - i) * act_deriv_ref (act, act_points[i]);
      g_assert_cmpfloat_with_epsilon (da[i], want, 1e-6 * MAX (1.0, fabs (1.5 - i)));
      g_assert_true (isfinite (da[i]));
    }
}

/* Exact points: relu(0) = 0 with gradient 0 (PyTorch's threshold), tanh(0)
 * = 0 with slope 1, sigmoid(0) = 1/2 with slope 1/4; linear in place. */
static void
test_activation_exact (void)
{
  float z = 0.0f, a, da;
  rs_activation_forward (RS_ACT_RELU, &z, &a, 1);
  g_assert_cmpfloat (a, ==, 0.0f);
  da = 3.0f;
  rs_activation_backward (RS_ACT_RELU, &a, &da, 1);
  g_assert_cmpfloat (da, ==, 0.0f);

  rs_activation_forward (RS_ACT_TANH, &z, &a, 1);
  g_assert_cmpfloat (a, ==, 0.0f);
  da = 3.0f;
  rs_activation_backward (RS_ACT_TANH, &a, &da, 1);
  g_assert_cmpfloat (da, ==, 3.0f);

  rs_activation_forward (RS_ACT_SIGMOID, &z, &a, 1);
  g_assert_cmpfloat (a, ==, 0.5f);
  da = 3.0f;
  rs_activation_backward (RS_ACT_SIGMOID, &a, &da, 1);
  g_assert_cmpfloat (da, ==, 0.75f);

  float buf[3] = { -1.0f, 2.0f, 0.5f };
  rs_activation_forward (RS_ACT_LINEAR, buf, buf, 3);
  g_assert_cmpfloat (buf[0], ==, -1.0f);
  g_assert_cmpfloat (buf[1], ==, 2.0f);
  g_assert_cmpfloat (buf[2], ==, 0.5f);
  float g[3] = { 4, 5, 6 };
  rs_activation_backward (RS_ACT_LINEAR, buf, g, 3);
  g_assert_cmpfloat (g[0], ==, 4.0f);
  g_assert_cmpfloat (g[2], ==, 6.0f);

  /* relu in place, negative zero in, zero gradient out */
  float r[4] = { -1.0f, -0.0f, 1e-30f, 7.0f };
  rs_activation_forward (RS_ACT_RELU, r, r, 4);
  g_assert_cmpfloat (r[0], ==, 0.0f);
  g_assert_cmpfloat (r[1], ==, 0.0f);
  g_assert_cmpfloat (r[2], ==, 1e-30f);
  g_assert_cmpfloat (r[3], ==, 7.0f);
}

/* ---- losses ---------------------------------------------------------------- */

/* log(sum exp(row)) - row[label], in long double as plainly as possible */
static double
ce_row_ref (const double *row, int classes, int label)
{
  long double m = row[0];
  for (int j = 1; j < classes; j++)
    m = MAX (m, (long double) row[j]);
  long double s = 0;
  for (int j = 0; j < classes; j++)
    s += expl ((long double) row[j] - m);
  return (double) (m + logl (s) - row[label]);
}

static void
test_cross_entropy_by_hand (void)
{
  /* rows: (1, 2, 3) label 2; (0, 0, 0) label 1
   *   row 0: log(e + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2)
   *   row 1: log 3
   * arg-max: row 0 -> 2 (hit), row 1 -> 0 (first of the ties; miss) */
  const float logits[6] = { 1, 2, 3, 0, 0, 0 };
  const int32_t labels[2] = { 2, 1 };
  float d[6];
  int correct = -1;
  double loss = rs_cross_entropy (logits, labels, 2, 3, 0.0, d, &correct);
  double row0 = log (1 + exp (-1.0) + exp (-2.0));
  double row1 = log (3.0);
  g_assert_cmpfloat_with_epsilon (loss, (row0 + row1) / 2, 1e-12);
  g_assert_cmpint (correct, ==, 1);

  /* gradient: (softmax - onehot) / batch */
  double s = exp (1.0) + exp (2.0) + exp (3.0);
  double want[6] = { exp (1.0) / s / 2, exp (2.0) / s / 2, (exp (3.0) / s - 1) / 2,
                     1.0 / 6, (1.0 / 3 - 1) / 2, 1.0 / 6 };
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat_with_epsilon (d[i], want[i], 1e-7);
  for (int r = 0; r < 2; r++)
    g_assert_cmpfloat_with_epsilon ((double) d[3 * r] + d[3 * r + 1] + d[3 * r + 2], 0.0, 1e-7);

  /* the value alone, without gradient or count */
  g_assert_cmpfloat (rs_cross_entropy (logits, labels, 2, 3, 0.0, NULL, NULL), ==, loss);
  /* and through the dispatcher */
  g_assert_cmpfloat (rs_loss_compute (RS_LOSS_CROSS_ENTROPY, 0.0, logits, labels, 2, 3, NULL, NULL),
                     ==, loss);
}

static void
test_cross_entropy_huge_logits (void)
{
  /* (1000, -1000, 0): label 0 costs log(1 + e^-1000 + e^-2000) ~ e^-1000 ~ 0,
   * label 1 costs 2000, label 2 costs 1000; (1000, 1000) costs log 2. */
  const float logits[9] = { 1000, -1000, 0, 1000, -1000, 0, 1000, -1000, 0 };
  const int32_t labels[3] = { 0, 1, 2 };
  float d[9];
  int correct;
  double loss = rs_cross_entropy (logits, labels, 3, 3, 0.0, d, &correct);
  g_assert_true (isfinite (loss));
  g_assert_cmpfloat_with_epsilon (loss, (0.0 + 2000.0 + 1000.0) / 3, 1e-9);
  g_assert_cmpint (correct, ==, 1);
  /* softmax = (1, 0, 0): rows (0,0,0)/3, (1,-1,0)/3, (1,0,-1)/3 */
  const double want[9] = { 0, 0, 0, 1.0 / 3, -1.0 / 3, 0, 1.0 / 3, 0, -1.0 / 3 };
  for (int i = 0; i < 9; i++)
    {
      g_assert_true (isfinite (d[i]));
      g_assert_cmpfloat_with_epsilon (d[i], want[i], 1e-7);
    }

  const float tie[2] = { 1000, 1000 };
  const int32_t l1[1] = { 1 };
  g_assert_cmpfloat_with_epsilon (rs_cross_entropy (tie, l1, 1, 2, 0.0, d, NULL), log (2.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (d[0], 0.5, 1e-7);
  g_assert_cmpfloat_with_epsilon (d[1], -0.5, 1e-7);

  /* all very negative */
  const float low[3] = { -1e4f, -1e4f - 1, -1e4f - 2 };
  const int32_t l0[1] = { 0 };
  double v = rs_cross_entropy (low, l0, 1, 3, 0.0, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (v, log (1 + exp (-1.0) + exp (-2.0)), 1e-9);
}

/* Random logits: value against the long-double reference, gradient rows sum
 * to zero and match softmax - onehot. */
static void
test_cross_entropy_random (void)
{
  enum { B = 17, C = 7 };
  RsRng rng;
  rs_rng_init (&rng, 4, 0);
  float logits[B * C], d[B * C];
  int32_t labels[B];
  for (int i = 0; i < B * C; i++)
    logits[i] = (float) (5.0 * rs_rng_normal (&rng));
  for (int r = 0; r < B; r++)
    labels[r] = (int32_t) rs_rng_below (&rng, C);
  int correct;
  double loss = rs_cross_entropy (logits, labels, B, C, 0.0, d, &correct);
  double want = 0.0;
  int hits = 0;
  for (int r = 0; r < B; r++)
    {
      double row[C];
      int best = 0;
      for (int j = 0; j < C; j++)
        {
          row[j] = logits[r * C + j];
          if (row[j] > row[best])
            best = j;
        }
      hits += best == labels[r];
      want += ce_row_ref (row, C, labels[r]);
      double s = 0.0, sum_d = 0.0;
      for (int j = 0; j < C; j++)
        s += exp (row[j] - row[best]);
      for (int j = 0; j < C; j++)
        {
          double p = exp (row[j] - row[best]) / s;
          g_assert_cmpfloat_with_epsilon (d[r * C + j], (p - (j == labels[r])) / B, 1e-7);
          sum_d += d[r * C + j];
        }
      g_assert_cmpfloat_with_epsilon (sum_d, 0.0, 1e-7);
    }
  g_assert_cmpfloat_with_epsilon (loss, want / B, 1e-10 * MAX (1.0, want / B));
  g_assert_cmpint (correct, ==, hits);
}

/* MSE against one-hot targets, averaged over batch * classes:
 *   out = (0.5, -1, 2) label 1:  diffs (0.5, -2, 2)   -> 0.25 + 4 + 4 = 8.25
 *   out = (1, 0, 0)    label 0:  diffs (0, 0, 0)      -> 0
 *   loss = 8.25 / 6 = 1.375; gradient 2 diff / 6 = diff / 3 */
static void
test_mse_by_hand (void)
{
  const float out[6] = { 0.5f, -1, 2, 1, 0, 0 };
  const int32_t labels[2] = { 1, 0 };
  float d[6];
  int correct = -1;
  double loss = rs_mse_onehot (out, labels, 2, 3, 0.0, d, &correct);
  g_assert_cmpfloat (loss, ==, 1.375);
  const float want[6] = { 0.5f / 3, -2.0f / 3, 2.0f / 3, 0, 0, 0 };
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat_with_epsilon (d[i], want[i], 1e-7);
  /* row 0 arg-max is 2 (label 1: miss), row 1 arg-max is 0 (hit) */
  g_assert_cmpint (correct, ==, 1);
  g_assert_cmpfloat (rs_loss_compute (RS_LOSS_MSE, 0.0, out, labels, 2, 3, NULL, NULL), ==, 1.375);
}

/* ---- penalty terms --------------------------------------------------------- */

/* theta = (1, -2, 0, 0.5):
 *   l1 0.1: 0.1 * 3.5 = 0.35,  grad += 0.1 * sign = (0.1, -0.1, 0, 0.1)
 *   l2 0.1: 0.1 * 5.25 = 0.525, grad += 0.2 theta = (0.2, -0.4, 0, 0.1)
 *   activity l1 0.2 over 4: 0.2 * 3.5 / 4 = 0.175, da += 0.05 sign
 *   activity l2 0.2 over 4: 0.2 * 5.25 / 4 = 0.2625, da += 0.1 a */
static void
test_penalties_by_hand (void)
{
  const float theta[4] = { 1, -2, 0, 0.5f };
  float g[4] = { 1, 1, 1, 1 };
  g_assert_cmpfloat_with_epsilon (rs_regularizer_l1 (theta, g, 4, 0.1), 0.35, 1e-12);
  const float g1[4] = { 1.1f, 0.9f, 1.0f, 1.1f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (g[i], g1[i], 1e-7);

  float h[4] = { 0 };
  g_assert_cmpfloat_with_epsilon (rs_regularizer_l2 (theta, h, 4, 0.1), 0.525, 1e-12);
  const float h1[4] = { 0.2f, -0.4f, 0, 0.1f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (h[i], h1[i], 1e-7);

  float da[4] = { 0 };
  g_assert_cmpfloat_with_epsilon (rs_regularizer_activity (theta, da, 4, 0.2, RS_NORM_L1),
                                  0.175, 1e-12);
  const float da1[4] = { 0.05f, -0.05f, 0, 0.05f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (da[i], da1[i], 1e-8);

  float db[4] = { 0 };
  g_assert_cmpfloat_with_epsilon (rs_regularizer_activity (theta, db, 4, 0.2, RS_NORM_L2),
                                  0.2625, 1e-12);
  const float db1[4] = { 0.1f, -0.2f, 0, 0.05f };
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (db[i], db1[i], 1e-8);

  /* lambda 0 is off: no value, no gradient; a NULL gradient is fine */
  float z[4] = { 0 };
  g_assert_cmpfloat (rs_regularizer_l1 (theta, z, 4, 0.0), ==, 0.0);
  g_assert_cmpfloat (rs_regularizer_l2 (theta, z, 4, 0.0), ==, 0.0);
  g_assert_cmpfloat (rs_regularizer_activity (theta, z, 4, 0.0, RS_NORM_L2), ==, 0.0);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (z[i], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (rs_regularizer_l1 (theta, NULL, 4, 1.0), 3.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_regularizer_l2 (theta, NULL, 4, 1.0), 5.25, 1e-12);
}

/* A layer's terms: l1 with and without the bias, l2 always on both. */
static void
test_layer_penalties (void)
{
  RsNetwork *net = hand_network (RS_ACT_RELU);
  const RsLayer *layer = &net->layers[0];
  /* W1: sum |w| = 1+2+0.5+1+1+1 = 6.5, sum w^2 = 1+4+0.25+1+1+1 = 8.25
   * b1: sum |b| = 0.75,              sum b^2 = 0.25 + 0.0625 = 0.3125 */
  RsLayerReg reg = { .l1 = 0.01, .l1_bias = TRUE, .l2 = 0.1 };
  RsPenalty p = { 0 };
  rs_regularizer_layer_params (layer, &reg, FALSE, &p);
  g_assert_cmpfloat_with_epsilon (p.l1, 0.01 * (6.5 + 0.75), 1e-12);
  g_assert_cmpfloat_with_epsilon (p.l2, 0.1 * (8.25 + 0.3125), 1e-12);
  reg.l1_bias = FALSE;
  rs_regularizer_layer_params (layer, &reg, FALSE, &p);
  g_assert_cmpfloat_with_epsilon (p.l1, 0.01 * 6.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (p.l2, 0.1 * (8.25 + 0.3125), 1e-12);
  /* without gradients the grad buffers stay zero */
  for (gsize i = 0; i < net->n_params; i++)
    g_assert_cmpfloat (net->grads[i], ==, 0.0f);
  rs_network_free (net);
}

/* The keep rate of dropout's masks against the binomial law: over N
 * draws of keep-with-probability q = 1 - p, the count kept is Binomial(N,
 * q), mean Nq, sd sqrt(Nq(1-q)); 5 sd either side holds with probability
 * 1 - 6e-7. Each unit's own rate too (its n draws, 5 sd), kept values are
 * exactly torch's 1/(1-p) in float, and a layer without dropout draws
 * nothing from the stream. */
static void
test_dropout_keep_rate (void)
{
  const int sizes[] = { 4, 100, 50, 3 };
  const int batch = 200, draws = 10;
  const double ps[] = { 0.1, 0.5, 0.8 };
  RsNetwork *net = rs_network_new (3, sizes, RS_ACT_RELU, batch);
  for (gsize k = 0; k < G_N_ELEMENTS (ps); k++)
    {
      double p = ps[k], q = 1.0 - p;
      RsLayerReg regs[3] = { { .dropout = p }, { 0 }, { 0 } };
      RsRng rng, untouched;
      rs_rng_init (&rng, 7, RS_RNG_STREAM_DROPOUT);
      guint64 kept = 0;
      guint64 unit_kept[100] = { 0 };
      const float scale = 1.0f / (float) (1.0 - p);
      for (int d = 0; d < draws; d++)
        {
          g_assert_true (rs_network_dropout_draw (net, regs, batch, &rng));
          for (int i = 0; i < batch * 100; i++)
            {
              float v = net->layers[0].keep[i];
              g_assert_true (v == 0.0f || v == scale);
              kept += v != 0.0f;
              unit_kept[i % 100] += v != 0.0f;
            }
        }
      double n = (double) batch * 100 * draws;
      double sd = sqrt (n * q * (1.0 - q));
      g_test_message ("p = %g: kept %" G_GUINT64_FORMAT " of %.0f, %.2f sd from %.0f", p,
                      kept, n, (kept - n * q) / sd, n * q);
      g_assert_cmpfloat (fabs ((double) kept - n * q), <=, 5.0 * sd);
      double n_unit = (double) batch * draws, sd_unit = sqrt (n_unit * q * (1.0 - q));
      for (int j = 0; j < 100; j++)
        g_assert_cmpfloat (fabs ((double) unit_kept[j] - n_unit * q), <=, 5.0 * sd_unit);

      /* no dropout anywhere: nothing drawn, nothing applied */
      RsLayerReg off[3] = { { 0 }, { 0 }, { 0 } };
      untouched = rng;
      g_assert_false (rs_network_dropout_draw (net, off, batch, &rng));
      g_assert_false (net->dropout_on);
      g_assert_cmpmem (&rng, sizeof rng, &untouched, sizeof untouched);
    }
  rs_network_free (net);
}

/* Validation and the probes (dropout_on FALSE) see every unit; a training
 * forward sees a * keep, and the layer above reads that. */
static void
test_dropout_forward (void)
{
  const int sizes[] = { 3, 8, 2 };
  const int batch = 5;
  RsNetwork *net = rs_network_new (2, sizes, RS_ACT_RELU, batch);
  RsRng rng;
  rs_rng_init (&rng, 3, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (net, &rng);
  float x[15];
  for (int i = 0; i < 15; i++)
    x[i] = (float) rs_rng_normal (&rng);
  float plain[10], dropped[10];
  memcpy (plain, rs_network_forward (net, x, batch), sizeof plain);

  RsLayerReg regs[2] = { { .dropout = 0.5 }, { 0 } };
  g_assert_true (rs_network_dropout_draw (net, regs, batch, &rng));
  memcpy (dropped, rs_network_forward (net, x, batch), sizeof dropped);
  const RsLayer *h = &net->layers[0], *o = &net->layers[1];
  for (int r = 0; r < batch; r++)
    for (int j = 0; j < 2; j++)
      {
        /* the output layer by hand from the dropped hidden outputs */
        float z = o->bias[j];
        for (int i = 0; i < 8; i++)
          {
            g_assert_cmpfloat (h->dropped[r * 8 + i], ==, h->a[r * 8 + i] * h->keep[r * 8 + i]);
            z += h->dropped[r * 8 + i] * o->weight[j * 8 + i];
          }
        g_assert_cmpfloat_with_epsilon (dropped[r * 2 + j], z, 1e-5);
      }
  g_assert_true (memcmp (plain, dropped, sizeof plain) != 0);

  net->dropout_on = FALSE;
  g_assert_cmpmem (rs_network_forward (net, x, batch), sizeof plain, plain, sizeof plain);
  rs_network_free (net);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/engine/network/gemm-nt-vs-naive", GINT_TO_POINTER (KIND_NT),
                        test_gemm_vs_naive);
  g_test_add_data_func ("/engine/network/gemm-tn-vs-naive", GINT_TO_POINTER (KIND_TN),
                        test_gemm_vs_naive);
  g_test_add_data_func ("/engine/network/gemm-nn-vs-naive", GINT_TO_POINTER (KIND_NN),
                        test_gemm_vs_naive);
  g_test_add_data_func ("/engine/network/gemm-nt-paths-agree", GINT_TO_POINTER (KIND_NT),
                        test_gemm_paths_agree);
  g_test_add_data_func ("/engine/network/gemm-tn-paths-agree", GINT_TO_POINTER (KIND_TN),
                        test_gemm_paths_agree);
  g_test_add_data_func ("/engine/network/gemm-nn-paths-agree", GINT_TO_POINTER (KIND_NN),
                        test_gemm_paths_agree);
  g_test_add_func ("/engine/network/gemm-by-hand", test_gemm_by_hand);
  g_test_add_func ("/engine/network/layout", test_network_layout);
  g_test_add_func ("/engine/network/dropout-keep-rate", test_dropout_keep_rate);
  g_test_add_func ("/engine/network/dropout-forward", test_dropout_forward);
  g_test_add_func ("/engine/network/init-pytorch-bounds", test_init_pytorch_bounds);
  g_test_add_func ("/engine/network/init-pytorch-order", test_init_pytorch_order);
  g_test_add_data_func ("/engine/network/forward-relu", GINT_TO_POINTER (RS_ACT_RELU),
                        test_forward_by_hand);
  g_test_add_data_func ("/engine/network/forward-tanh", GINT_TO_POINTER (RS_ACT_TANH),
                        test_forward_by_hand);
  g_test_add_data_func ("/engine/network/forward-sigmoid", GINT_TO_POINTER (RS_ACT_SIGMOID),
                        test_forward_by_hand);
  g_test_add_data_func ("/engine/network/forward-linear", GINT_TO_POINTER (RS_ACT_LINEAR),
                        test_forward_by_hand);
  g_test_add_func ("/engine/network/forward-exact", test_forward_exact);
  g_test_add_func ("/engine/network/backward-by-hand", test_backward_by_hand);
  g_test_add_func ("/engine/network/backward-two-layers", test_backward_two_layers);
  g_test_add_data_func ("/engine/network/activation-relu", GINT_TO_POINTER (RS_ACT_RELU),
                        test_activation_pair);
  g_test_add_data_func ("/engine/network/activation-tanh", GINT_TO_POINTER (RS_ACT_TANH),
                        test_activation_pair);
  g_test_add_data_func ("/engine/network/activation-sigmoid", GINT_TO_POINTER (RS_ACT_SIGMOID),
                        test_activation_pair);
  g_test_add_data_func ("/engine/network/activation-linear", GINT_TO_POINTER (RS_ACT_LINEAR),
                        test_activation_pair);
  g_test_add_func ("/engine/network/activation-exact", test_activation_exact);
  g_test_add_func ("/engine/network/cross-entropy-by-hand", test_cross_entropy_by_hand);
  g_test_add_func ("/engine/network/cross-entropy-huge-logits", test_cross_entropy_huge_logits);
  g_test_add_func ("/engine/network/cross-entropy-random", test_cross_entropy_random);
  g_test_add_func ("/engine/network/mse-by-hand", test_mse_by_hand);
  g_test_add_func ("/engine/network/penalties-by-hand", test_penalties_by_hand);
  g_test_add_func ("/engine/network/layer-penalties", test_layer_penalties);
  return g_test_run ();
}
