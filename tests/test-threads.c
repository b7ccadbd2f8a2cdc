/* test-threads.c — the large products on several threads: the same steps
 * bit for bit whatever the thread count (rs-pool.h, rs_gemm_ex). */
#include <glib.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "rs-experiment.h"
#include "rs-kernels-impl.h"
#include "rs-pool.h"
#include "rs-session.h"

#define STEPS 4

/* Parameters after STEPS steps, then the losses of the steps, as bytes. */
static GBytes *
train (const char *const *sets, int threads)
{
  rs_pool_set_threads (threads);
  g_assert_cmpint (rs_pool_threads (), ==, threads);
  RsExperiment *exp = rs_experiment_new_default ();
  GError *error = NULL;
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  g_assert_no_error (error);
  RsSession *s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  GByteArray *out = g_byte_array_new ();
  double losses[STEPS];
  for (int i = 0; i < STEPS; i++)
    {
      RsMetrics m;
      g_assert_true (rs_session_step (s, &m, &error));
      g_assert_no_error (error);
      losses[i] = m.loss;
    }
  for (int l = 0; l < rs_session_n_layers (s); l++)
    {
      gsize nw = (gsize) exp->sizes[l] * exp->sizes[l + 1];
      g_byte_array_append (out, (const guint8 *) rs_session_layer_weight (s, l),
                           nw * sizeof (float));
      g_byte_array_append (out, (const guint8 *) rs_session_layer_bias (s, l),
                           exp->sizes[l + 1] * sizeof (float));
    }
  g_byte_array_append (out, (const guint8 *) losses, sizeof losses);
  rs_session_free (s);
  rs_experiment_free (exp);
  rs_pool_set_threads (1);
  return g_byte_array_free_to_bytes (out);
}

static void
check_same_on_threads (const char *const *sets)
{
  g_autoptr (GBytes) one = train (sets, 1);
  for (int threads = 2; threads <= 3; threads++)
    {
      guint64 before = rs_pool_jobs_split ();
      g_autoptr (GBytes) many = train (sets, threads);
      /* The products really were split (else the comparison proves
       * nothing). Which thread ran which part depends on the timing, not
       * the bits: /engine/threads/parts-claimed checks the workers. */
      g_assert_cmpuint (rs_pool_jobs_split (), >, before);
      g_assert_cmpuint (g_bytes_get_size (many), ==, g_bytes_get_size (one));
      if (!g_bytes_equal (one, many))
        g_error ("%d threads: parameters or losses differ from one thread's", threads);
    }
}

typedef void (*Product) (int m, int n, int k, const float *a, const float *b, float beta,
                         float *c);

/* Each product form under each kernel set, on shapes that split evenly
 * and that do not, from one to three threads: the same bits. */
static void
test_products (void)
{
  static const int shapes[][3] = {
    { 128, 256, 784 }, { 256, 784, 128 }, { 131, 301, 517 }, { 301, 517, 131 },
    { 100, 300, 200 }, { 37, 1000, 61 }, { 256, 64, 128 },
  };
  const Product forms[] = { rs_gemm_nt, rs_gemm_tn, rs_gemm_nn };
  const RsKernelSet sets[] = { RS_KERNELS_AUTO, RS_KERNELS_PORTABLE, RS_KERNELS_AVX2,
                               RS_KERNELS_BLAS, RS_KERNELS_AVX512 };
  GRand *rand = g_rand_new_with_seed (17);
  for (gsize s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      if (!rs_kernels_force (sets[s]))
        continue;
      for (gsize h = 0; h < G_N_ELEMENTS (shapes); h++)
        {
          int m = shapes[h][0], n = shapes[h][1], k = shapes[h][2];
          /* The portable loops on the smaller shapes only: seconds, not
           * minutes, under the sanitizers' debug builds. */
          if (sets[s] == RS_KERNELS_PORTABLE && (gint64) m * n * k > (4 << 20))
            continue;
          gsize na = (gsize) m * k, nb = (gsize) k * n, nc = (gsize) m * n;
          g_autofree float *a = g_new (float, na), *b = g_new (float, nb);
          g_autofree float *c0 = g_new (float, nc), *c = g_new (float, nc);
          for (gsize i = 0; i < na; i++)
            a[i] = (float) g_rand_double_range (rand, -1, 1);
          for (gsize i = 0; i < nb; i++)
            b[i] = (float) g_rand_double_range (rand, -1, 1);
          for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
            for (int threads = 1; threads <= 3; threads++)
              {
                rs_pool_set_threads (threads);
                float *out = threads == 1 ? c0 : c;
                for (gsize i = 0; i < nc; i++)
                  out[i] = (float) i;  /* beta = 1: C's old contents count */
                forms[f] (m, n, k, a, b, 1.0f, out);
                if (threads > 1 && memcmp (c0, c, nc * sizeof (float)) != 0)
                  g_error ("%s, form %d, %dx%dx%d: %d threads differ from one",
                           rs_kernels_set_name (sets[s]), (int) f, m, n, k, threads);
              }
        }
    }
  rs_kernels_force (RS_KERNELS_AUTO);
  rs_pool_set_threads (1);
  g_rand_free (rand);
}

/* 784-256-128-10 at batch 128, as the bench trains it. */
static void
test_big_model (void)
{
  const char *sets[] = {
    "data.source=random", "data.features=784", "data.classes=10", "data.samples=128",
    "data.validation=0", "data.batch-size=0", "model.layers=784,256,128,10",
    "model.activation=relu", "model.loss=cross-entropy", "optimizer.name=adam",
    "optimizer.lr=0.001", "fc1.l1=0.005", "fc1.l1-bias=true", NULL,
  };
  check_same_on_threads (sets);
}

/* Odd sizes everywhere (rows that do not split evenly, k above OpenBLAS's
 * threshold on fc1), minibatches with a short last one, validation, L2
 * and activity terms. */
static void
test_odd_sizes (void)
{
  const char *sets[] = {
    "data.source=random", "data.features=517", "data.classes=13", "data.samples=331",
    "data.validation=0.2", "data.batch-size=131", "model.layers=517,301,97,13",
    "model.activation=relu", "model.loss=cross-entropy", "optimizer.name=adam",
    "optimizer.lr=0.001", "fc1.l2=0.01", "fc2.activity=0.001", NULL,
  };
  check_same_on_threads (sets);
}

/* tanh: the products' generic write-back on several threads. */
static void
test_odd_sizes_tanh (void)
{
  const char *sets[] = {
    "data.source=random", "data.features=203", "data.classes=7", "data.samples=157",
    "data.validation=0", "data.batch-size=0", "model.layers=203,149,67,7",
    "model.activation=tanh", "model.loss=cross-entropy", "optimizer.name=sgd",
    "optimizer.lr=0.05", "fc2.l1=0.001", NULL,
  };
  check_same_on_threads (sets);
}

/* Side work: with two threads, run by the worker while the caller is
 * still in its part of the next job (part 0 waits for it, so a side task
 * left to the caller would never end that part: the test would hang, not
 * pass); with no job, by rs_pool_side_wait; with one thread, at once. */
typedef struct {
  int ran;              /* atomic */
  pthread_t thread;
} SideProbe;

static void
side_task (void *data, int part, int parts)
{
  SideProbe *p = data;
  g_assert_cmpint (part, ==, 0);
  g_assert_cmpint (parts, ==, 1);
  p->thread = pthread_self ();
  __atomic_store_n (&p->ran, 1, __ATOMIC_RELEASE);
}

static void
wait_for_side (void *data, int part, int parts)
{
  SideProbe *p = data;
  (void) parts;
  if (part == 0)
    while (__atomic_load_n (&p->ran, __ATOMIC_ACQUIRE) == 0)
      ;
}

static void
test_side_work (void)
{
  rs_pool_set_threads (2);
  SideProbe p = { 0 };
  rs_pool_side (side_task, &p);
  g_assert_cmpint (__atomic_load_n (&p.ran, __ATOMIC_ACQUIRE), ==, 0);
  rs_pool_run (2, wait_for_side, &p);
  g_assert_cmpint (p.ran, ==, 1);
  g_assert_false (pthread_equal (p.thread, pthread_self ()));
  rs_pool_side_wait ();
  g_assert_cmpint (p.ran, ==, 1);

  /* No job between: the caller runs it in rs_pool_side_wait. */
  SideProbe q = { 0 };
  rs_pool_side (side_task, &q);
  g_assert_cmpint (q.ran, ==, 0);
  rs_pool_side_wait ();
  g_assert_cmpint (q.ran, ==, 1);
  g_assert_true (pthread_equal (q.thread, pthread_self ()));

  /* A full queue: the next one at once, the others by the wait. */
  SideProbe many[RS_POOL_MAX_SIDE + 1] = { { 0 } };
  for (int i = 0; i <= RS_POOL_MAX_SIDE; i++)
    rs_pool_side (side_task, &many[i]);
  for (int i = 0; i <= RS_POOL_MAX_SIDE; i++)
    g_assert_cmpint (many[i].ran, ==, i == RS_POOL_MAX_SIDE);
  rs_pool_side_wait ();
  for (int i = 0; i <= RS_POOL_MAX_SIDE; i++)
    g_assert_cmpint (many[i].ran, ==, 1);

  /* One thread: at once. */
  rs_pool_set_threads (1);
  SideProbe r = { 0 };
  rs_pool_side (side_task, &r);
  g_assert_cmpint (r.ran, ==, 1);
  rs_pool_side_wait ();
}

/* Parts claimed: each part runs once, whatever the count; the workers
 * take parts from the back (part 0 below waits for the last one, which
 * only a worker can run then); and the caller never waits for a part no
 * one has begun (the last part below waits for all the others but the
 * first, which a caller waiting for the worker would never run: a hang,
 * not a pass). */
#define CLAIM_PARTS 37
typedef struct {
  int runs[CLAIM_PARTS];  /* atomic */
  int done;               /* atomic: parts finished */
  pthread_t thread[CLAIM_PARTS];
  gboolean first_waits;   /* part 0 waits for the last part */
  gboolean last_waits;    /* the last part waits for parts 1 .. n-2 */
} ClaimProbe;

static void
claim_part (void *data, int part, int parts)
{
  ClaimProbe *p = data;
  g_assert_cmpint (parts, ==, CLAIM_PARTS);
  p->thread[part] = pthread_self ();
  if (part == 0 && p->first_waits)
    while (__atomic_load_n (&p->runs[parts - 1], __ATOMIC_ACQUIRE) == 0)
      ;
  if (part == parts - 1 && p->last_waits)
    while (__atomic_load_n (&p->done, __ATOMIC_ACQUIRE) < parts - 2)
      ;
  __atomic_add_fetch (&p->runs[part], 1, __ATOMIC_ACQ_REL);
  if (part > 0 && part < parts - 1)
    __atomic_add_fetch (&p->done, 1, __ATOMIC_ACQ_REL);
}

static void
test_parts_claimed (void)
{
  rs_pool_set_threads (2);
  for (int mode = 0; mode < 3; mode++)
    {
      ClaimProbe p = { .first_waits = mode == 1, .last_waits = mode == 2 };
      guint64 shared = rs_pool_jobs_shared ();
      rs_pool_run (CLAIM_PARTS, claim_part, &p);
      for (int i = 0; i < CLAIM_PARTS; i++)
        g_assert_cmpint (p.runs[i], ==, 1);
      g_assert_true (pthread_equal (p.thread[0], pthread_self ()));
      if (mode == 1)
        {
          g_assert_false (pthread_equal (p.thread[CLAIM_PARTS - 1], pthread_self ()));
          g_assert_cmpuint (rs_pool_jobs_shared (), >, shared);
        }
    }
  rs_pool_set_threads (1);
}

/* The gradients' finiteness check split over threads: a yes-or-no answer,
 * wherever the one bad value is (each part's stretch, the last float). */
static void
test_finite_check (void)
{
  const gsize n = 235146;  /* 784-256-128-10's parameters */
  g_autofree float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (float) i * 1e-3f - 100.0f;
  const gsize at[] = { 0, n / 3, n / 2, n / 2 + 1, 2 * n / 3, n - 1 };
  const float bad[] = { INFINITY, -INFINITY, NAN, 0x1p127f };
  for (int threads = 1; threads <= 3; threads++)
    {
      rs_pool_set_threads (threads);
      g_assert_true (rs_all_below_2p127 (x, n));
      for (gsize a = 0; a < G_N_ELEMENTS (at); a++)
        for (gsize b = 0; b < G_N_ELEMENTS (bad); b++)
          {
            float keep = x[at[a]];
            x[at[a]] = bad[b];
            g_assert_false (rs_all_below_2p127 (x, n));
            x[at[a]] = keep;
          }
    }
  rs_pool_set_threads (1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/threads/products-bit-identical", test_products);
  g_test_add_func ("/engine/threads/big-model-bit-identical", test_big_model);
  g_test_add_func ("/engine/threads/odd-sizes-bit-identical", test_odd_sizes);
  g_test_add_func ("/engine/threads/tanh-bit-identical", test_odd_sizes_tanh);
  g_test_add_func ("/engine/threads/side-work", test_side_work);
  g_test_add_func ("/engine/threads/parts-claimed", test_parts_claimed);
  g_test_add_func ("/engine/threads/finite-check-split", test_finite_check);
  return g_test_run ();
}
