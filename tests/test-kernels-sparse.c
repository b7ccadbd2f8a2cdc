/* test-kernels-sparse.c — the ReLU-sparse products equal the dense AVX2
 * products bit for bit.
 *
 * The sparse kernels leave out the terms whose factor is an exact zero of
 * a ReLU output and keep everything else in the dense kernel's order, so on
 * finite data they must give the same floats, not merely close ones: the
 * forward (bias + ReLU, with the nonzero mask written on the way), the
 * input gradient (ReLU' epilogue, beta 0 and 1), the weight gradient over
 * the index's columns (beta 0 and 1, several 64-row words), on shapes with
 * partial vectors, rows without any nonzero and rows without any zero.
 * And a whole network's forward and backward with and without them.
 *
 * Skipped where the sparse kernels do not run (no AVX2, RS_NO_SPARSE). They
 * run beside the AVX2 products only, so the AVX-512 ones are turned off
 * here (RS_NO_AVX512): on any x86 CPU the network test then compares the
 * sparse step against the dense one. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-kernels-impl.h"
#include "rs-kernels.h"
#include "rs-network-private.h"
#include "rs-network.h"
#include "rs-rng.h"

static gboolean
sparse_or_skip (void)
{
  rs_kernels_init ();
  if (!rs_kernels_sparse_enabled ())
    {
      g_test_skip ("the sparse kernels do not run here (no AVX2, or RS_NO_SPARSE)");
      return FALSE;
    }
  return TRUE;
}

static float *
normal_matrix (RsRng *rng, gsize n)
{
  float *v = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    v[i] = (float) rs_rng_normal (rng);
  return v;
}

/* A ReLU output [rows, cols] of the given density; row 0 has no nonzero
 * and row 1 no zero (when there are enough rows). */
static float *
relu_matrix (RsRng *rng, int rows, int cols, double density)
{
  float *v = g_new (float, (gsize) rows * cols);
  for (int n = 0; n < rows; n++)
    for (int j = 0; j < cols; j++)
      {
        gboolean on = rs_rng_uniform (rng) < density;
        if (rows > 2 && n == 0)
          on = FALSE;
        if (rows > 2 && n == 1)
          on = TRUE;
        v[(gsize) n * cols + j] = on ? fabsf ((float) rs_rng_normal (rng)) + 1e-3f : 0.0f;
      }
  return v;
}

static void
assert_same (const float *want, const float *got, gsize n, const char *what, int m, int k,
             int w)
{
  for (gsize i = 0; i < n; i++)
    if (memcmp (&want[i], &got[i], sizeof (float)) != 0)
      g_error ("%s %dx%dx%d: entry %" G_GSIZE_FORMAT ": dense %.9g, sparse %.9g", what, m, k,
               w, i, want[i], got[i]);
}

static const int rows_set[] = { 1, 3, 17, 64, 130 };
static const int k_set[] = { 1, 7, 64, 100, 128, 200 };
static const int n_set[] = { 1, 10, 64, 70, 128, 200 };
static const double density_set[] = { 0.0, 0.1, 0.5, 1.0 };

/* ---- the index ------------------------------------------------------------ */

static void
test_index (void)
{
  if (!sparse_or_skip ())
    return;
  RsRng rng;
  rs_rng_init (&rng, 11, 0);
  for (gsize r = 0; r < G_N_ELEMENTS (rows_set); r++)
    for (gsize c = 0; c < G_N_ELEMENTS (k_set); c++)
      {
        int rows = rows_set[r], cols = k_set[c];
        float *a = relu_matrix (&rng, rows, cols, 0.5);
        RsNzIndex *ix = rs_nz_index_new (rows, cols);
        gsize nnz = rs_nz_index_build (ix, a, rows, cols, cols), want = 0;
        rs_nz_index_columns (ix);
        for (int n = 0; n < rows; n++)
          for (int j = 0; j < cols; j++)
            {
              gboolean on = a[(gsize) n * cols + j] > 0.0f;
              want += on;
              g_assert_cmpint ((ix->mask[(gsize) n * ix->words + j / 64] >> (j % 64)) & 1, ==, on);
              g_assert_cmpint ((ix->colmask[(gsize) j * ix->cwords + n / 64] >> (n % 64)) & 1, ==,
                               on);
            }
        g_assert_cmpuint (nnz, ==, want);
        g_assert_cmpuint (rs_nz_index_count (ix, rows), ==, want);
        rs_nz_index_free (ix);
        g_free (a);
      }
}

/* ---- forward: z = x W^T + b, a = relu(z), x a ReLU output ------------------------ */

static void
test_forward (void)
{
  if (!sparse_or_skip ())
    return;
  RsRng rng;
  rs_rng_init (&rng, 12, 0);
  for (gsize r = 0; r < G_N_ELEMENTS (rows_set); r++)
    for (gsize c = 0; c < G_N_ELEMENTS (k_set); c++)
      for (gsize q = 0; q < G_N_ELEMENTS (n_set); q++)
        for (gsize d = 0; d < G_N_ELEMENTS (density_set); d++)
          {
            int m = rows_set[r], k = k_set[c], n = n_set[q];
            float *x = relu_matrix (&rng, m, k, density_set[d]);
            float *w = normal_matrix (&rng, (gsize) n * k), *bias = normal_matrix (&rng, n);
            float *wt = g_new (float, (gsize) k * n), *wp = g_new (float, (gsize) k * n + 64 * k);
            gsize mn = (gsize) m * n;
            float *z0 = g_new (float, mn), *a0 = g_new (float, mn);
            float *z1 = g_new (float, mn), *a1 = g_new (float, mn);
            rs_transpose (w, n, k, wt);
            RsNzIndex *ix = rs_nz_index_new (m, k), *out = rs_nz_index_new (m, n);
            rs_nz_index_build (ix, x, m, k, k);

            RsEpilogue e = { .kind = RS_EPI_BIAS_ACT, .act = RS_ACT_RELU, .bias = bias,
                             .a = a0, .lda = n };
            g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
            rs_gemm_ex (m, n, k, x, k, 1, wt, n, 1, 0.0f, z0, n, &e);
            rs_kernels_force (RS_KERNELS_AUTO);

            /* B in place, and B packed chunk by chunk. */
            for (int packed = 0; packed < 2; packed++)
              {
                gboolean done = FALSE;
                memset (z1, 0xff, mn * sizeof (float));
                memset (a1, 0xff, mn * sizeof (float));
                e.a = a1;
                e.nz = (uint8_t *) out->mask;
                e.ldnz = (gsize) out->words * 8;
                e.nz_done = &done;
                if (packed)
                  rs_sparse_pack (wt, k, n, n, wp);
                rs_gemm_sparse (m, n, ix, x, k, 1, packed ? wp : wt,
                                packed ? RS_SPARSE_CHUNK : (gsize) n,
                                packed ? (gsize) k * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, 0.0f, z1,
                                n, &e);
                assert_same (z0, z1, mn, "forward z", m, k, n);
                assert_same (a0, a1, mn, "forward a", m, k, n);
                /* The epilogue's mask is the index a build makes. */
                g_assert_true (done);
                RsNzIndex *ref = rs_nz_index_new (m, n);
                g_assert_cmpuint (rs_nz_index_build (ref, a1, m, n, n), ==,
                                  rs_nz_index_count (out, m));
                g_assert_cmpmem (ref->mask, (gsize) m * ref->words * 8, out->mask,
                                 (gsize) m * out->words * 8);
                rs_nz_index_free (ref);
              }
            rs_nz_index_free (ix);
            rs_nz_index_free (out);
            g_free (x), g_free (w), g_free (bias), g_free (wt), g_free (wp);
            g_free (z0), g_free (a0), g_free (z1), g_free (a1);
          }
}

/* ---- input gradient: da_below = (beta da_below + dz W) * relu'(y) --------------- */

static void
test_input_grad (void)
{
  if (!sparse_or_skip ())
    return;
  RsRng rng;
  rs_rng_init (&rng, 13, 0);
  for (gsize r = 0; r < G_N_ELEMENTS (rows_set); r++)
    for (gsize c = 0; c < G_N_ELEMENTS (k_set); c++)
      for (gsize q = 0; q < G_N_ELEMENTS (n_set); q++)
        for (int beta = 0; beta < 2; beta++)
          {
            int m = rows_set[r], k = k_set[c], n = n_set[q];
            /* dz [m, k] masked by this layer's ReLU output a [m, k]. */
            float *a = relu_matrix (&rng, m, k, 0.5);
            float *dz = normal_matrix (&rng, (gsize) m * k);
            for (gsize i = 0; i < (gsize) m * k; i++)
              if (a[i] == 0.0f)
                dz[i] = 0.0f;
            float *w = normal_matrix (&rng, (gsize) k * n);
            float *wp = g_new (float, (gsize) k * n + 64 * k);
            float *y = relu_matrix (&rng, m, n, 0.5);
            gsize mn = (gsize) m * n;
            float *c0 = normal_matrix (&rng, mn), *c1 = g_memdup2 (c0, mn * sizeof (float));
            RsNzIndex *ix = rs_nz_index_new (m, k);
            rs_nz_index_build (ix, a, m, k, k);
            RsEpilogue e = { .kind = RS_EPI_ACT_GRAD, .act = RS_ACT_RELU, .y = y, .ldy = n };

            g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
            rs_gemm_ex (m, n, k, dz, k, 1, w, n, 1, (float) beta, c0, n, &e);
            rs_kernels_force (RS_KERNELS_AUTO);
            gboolean packed = n % RS_SPARSE_CHUNK == 0;
            if (packed)
              rs_sparse_pack (w, k, n, n, wp);
            rs_gemm_sparse (m, n, ix, dz, k, 1, packed ? wp : w,
                            packed ? RS_SPARSE_CHUNK : (gsize) n,
                            packed ? (gsize) k * RS_SPARSE_CHUNK : RS_SPARSE_CHUNK, (float) beta,
                            c1, n, &e);
            assert_same (c0, c1, mn, beta ? "dX beta=1" : "dX beta=0", m, k, n);

            /* PLAIN accumulation, beta 1. */
            g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
            rs_gemm_ex (m, n, k, dz, k, 1, w, n, 1, 1.0f, c0, n, NULL);
            rs_kernels_force (RS_KERNELS_AUTO);
            rs_gemm_sparse (m, n, ix, dz, k, 1, w, n, RS_SPARSE_CHUNK, 1.0f, c1, n, NULL);
            assert_same (c0, c1, mn, "plain beta=1", m, k, n);

            rs_nz_index_free (ix);
            g_free (a), g_free (dz), g_free (w), g_free (wp), g_free (y), g_free (c0),
              g_free (c1);
          }
}

/* ---- weight gradient over the index's columns ------------------------------------ */

static void
test_weight_grad (void)
{
  if (!sparse_or_skip ())
    return;
  static const int batch_set[] = { 1, 5, 63, 64, 65, 200, 256, 300 };
  RsRng rng;
  rs_rng_init (&rng, 14, 0);
  for (gsize b = 0; b < G_N_ELEMENTS (batch_set); b++)
    for (gsize c = 0; c < G_N_ELEMENTS (k_set); c++)
      for (gsize q = 0; q < G_N_ELEMENTS (n_set); q++)
        for (int beta = 0; beta < 2; beta++)
          {
            /* dW [out, in] = dz^T x, dz [batch, out] masked by a [batch, out]. */
            int batch = batch_set[b], out = k_set[c], in = n_set[q];
            float *a = relu_matrix (&rng, batch, out, 0.5);
            float *dz = normal_matrix (&rng, (gsize) batch * out);
            for (gsize i = 0; i < (gsize) batch * out; i++)
              if (a[i] == 0.0f)
                dz[i] = 0.0f;
            float *x = normal_matrix (&rng, (gsize) batch * in);
            gsize nw = (gsize) out * in;
            float *c0 = normal_matrix (&rng, nw), *c1 = g_memdup2 (c0, nw * sizeof (float));
            float *part = g_new (float, nw);
            RsNzIndex *ix = rs_nz_index_new (batch, out);
            rs_nz_index_build (ix, a, batch, out, out);
            rs_nz_index_columns (ix);

            g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
            rs_gemm_ex (out, in, batch, dz, 1, out, x, in, 1, (float) beta, c0, in, NULL);
            rs_kernels_force (RS_KERNELS_AUTO);
            rs_gemm_sparse_cols (out, in, batch, ix, dz, 1, out, x, in, part, (float) beta, c1,
                                 in);
            assert_same (c0, c1, nw, beta ? "dW beta=1" : "dW beta=0", out, batch, in);

            rs_nz_index_free (ix);
            g_free (a), g_free (dz), g_free (x), g_free (c0), g_free (c1), g_free (part);
          }
}

/* ---- a whole network ------------------------------------------------------------- */

static void
check_network (const int *sizes, int n_layers, int batch)
{
  RsRng rng;
  rs_rng_init (&rng, 15, 0);
  RsNetwork *net = rs_network_new (n_layers, sizes, RS_ACT_RELU, batch);
  rs_network_init_pytorch (net, &rng);
  float *x = normal_matrix (&rng, (gsize) batch * sizes[0]);
  int out = sizes[n_layers];
  float *g = normal_matrix (&rng, (gsize) batch * out);
  float *grads[2], *fresh[2], *acts[2];
  gsize na = 0;
  for (int l = 0; l < n_layers; l++)
    na += (gsize) batch * sizes[l + 1];

  for (int pass = 0; pass < 2; pass++)
    {
      /* pass 0: the sparse products where they apply; 1: dense AVX2 only. */
      if (pass == 1)
        g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
      rs_network_forward (net, x, batch);
      gboolean used = FALSE;
      for (int l = 0; l < n_layers; l++)
        used |= net->nz[l] != NULL && net->nz[l]->use;
      g_assert_true (used == (pass == 0));
      acts[pass] = g_new (float, na);
      gsize o = 0;
      for (int l = 0; l < n_layers; l++)
        {
          memcpy (acts[pass] + o, net->layers[l].a, (gsize) batch * sizes[l + 1] * sizeof (float));
          o += (gsize) batch * sizes[l + 1];
        }
      /* The accumulating backward (beta 1 everywhere) ... */
      rs_network_zero_output_grads (net, batch);
      memcpy (net->layers[n_layers - 1].da, g, (gsize) batch * out * sizeof (float));
      rs_network_zero_grads (net);
      rs_network_backward (net, x, batch);
      grads[pass] = g_memdup2 (net->grads, net->n_params * sizeof (float));
      /* ... and the objective's (beta 0). */
      memcpy (net->layers[n_layers - 1].da, g, (gsize) batch * out * sizeof (float));
      rs_network_backward_fresh (net, x, batch, NULL);
      fresh[pass] = g_memdup2 (net->grads, net->n_params * sizeof (float));
      rs_kernels_force (RS_KERNELS_AUTO);
    }
  assert_same (acts[1], acts[0], na, "network activations", batch, sizes[0], out);
  assert_same (grads[1], grads[0], net->n_params, "network gradients", batch, sizes[0], out);
  assert_same (fresh[1], fresh[0], net->n_params, "network fresh gradients", batch, sizes[0],
               out);
  for (int p = 0; p < 2; p++)
    g_free (grads[p]), g_free (fresh[p]), g_free (acts[p]);
  g_free (x);
  g_free (g);
  rs_network_free (net);
}

static void
test_network (void)
{
  if (!sparse_or_skip ())
    return;
  static const int mid[] = { 64, 128, 64, 10 };
  static const int deep[] = { 20, 96, 128, 72, 3 };
  static const int wide[] = { 30, 64, 200, 7 };
  check_network (mid, 3, 256);
  check_network (mid, 3, 37);
  check_network (deep, 4, 100);
  check_network (wide, 3, 130);
}

int
main (int argc, char **argv)
{
  g_setenv ("RS_NO_AVX512", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/kernels/sparse-index", test_index);
  g_test_add_func ("/engine/kernels/sparse-matches-dense-forward", test_forward);
  g_test_add_func ("/engine/kernels/sparse-matches-dense-input-grad", test_input_grad);
  g_test_add_func ("/engine/kernels/sparse-matches-dense-weight-grad", test_weight_grad);
  g_test_add_func ("/engine/kernels/sparse-matches-dense-network", test_network);
  return g_test_run ();
}
