/* test-session.c — one synchronous run: step and epoch counting, the loss
 * and its terms against a reference forward pass in double, bit-for-bit
 * reproducibility (two sessions, reset), init checkpoints and their
 * errors, divergence, validation and its schedule, and snapshots. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-event.h"
#include "rs-safetensors.h"
#include "rs-lessons.h"
#include "rs-rng.h"
#include "rs-run.h"
#include "rs-session.h"
#include "rs-session-private.h"
#include "rs-network.h"
#include "rs-rng.h"

/* ---- helpers ------------------------------------------------------------- */

static char *
golden_path (const char *name, const char *file)
{
  return g_build_filename (RS_TEST_SRCDIR, "golden", name, file, NULL);
}

static RsExperiment *
load_lesson (const char *name)
{
  g_autofree char *path = rs_lesson_resolve (name);
  g_assert_nonnull (path);
  GError *error = NULL;
  RsExperiment *exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (exp);
  return exp;
}

/* The default experiment with a NULL-terminated list of overrides. */
static RsExperiment *
default_with (const char *const *sets)
{
  RsExperiment *exp = rs_experiment_new_default ();
  GError *error = NULL;
  if (sets != NULL)
    g_assert_true (rs_experiment_set_many (exp, sets, &error));
  g_assert_no_error (error);
  return exp;
}

static RsSession *
session_for (const RsExperiment *exp)
{
  GError *error = NULL;
  RsSession *s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
step_ok (RsSession *s, RsMetrics *m)
{
  GError *error = NULL;
  memset (m, 0, sizeof *m); /* a field a step failed to write reads 0, not garbage */
  g_assert_true (rs_session_step (s, m, &error));
  g_assert_no_error (error);
}

/* Every parameter, layer by layer (weight then bias). */
static float *
copy_params (RsSession *s, gsize *n_out)
{
  const RsExperiment *exp = rs_session_get_experiment (s);
  gsize n = rs_experiment_n_params (exp);
  float *p = g_new (float, n), *q = p;
  for (int l = 0; l < rs_session_n_layers (s); l++)
    {
      gsize nw = (gsize) exp->sizes[l] * exp->sizes[l + 1];
      memcpy (q, rs_session_layer_weight (s, l), nw * sizeof (float));
      q += nw;
      memcpy (q, rs_session_layer_bias (s, l), exp->sizes[l + 1] * sizeof (float));
      q += exp->sizes[l + 1];
    }
  g_assert_true ((gsize) (q - p) == n);
  if (n_out != NULL)
    *n_out = n;
  return p;
}

static gboolean
params_equal (RsSession *s, const float *want)
{
  gsize n;
  g_autofree float *got = copy_params (s, &n);
  return memcmp (got, want, n * sizeof (float)) == 0;
}

static void
assert_rel (const char *what, double got, double want, double tol)
{
  if (!(fabs (got - want) <= tol * MAX (fabs (want), 1e-12)))
    g_error ("%s = %.12g, reference %.12g (rel. error %.3g)", what, got, want,
             fabs (got - want) / MAX (fabs (want), 1e-300));
}

/* ---- a reference forward pass in double ----------------------------------- */

typedef struct {
  double task;                    /* mean task loss */
  int    correct;
  double mean_abs[RS_MAX_LAYERS]; /* mean |a| of each layer's output */
  double mean_sq[RS_MAX_LAYERS];  /* mean a^2 */
} RefEval;

static double
ref_act (RsActivation act, double z)
{
  switch (act)
    {
    case RS_ACT_RELU: return z > 0 ? z : 0;
    case RS_ACT_TANH: return tanh (z);
    case RS_ACT_SIGMOID: return 1 / (1 + exp (-z));
    case RS_ACT_LINEAR: return z;
    }
  g_assert_not_reached ();
}

/* The network's output for one input row, in double; fills a[l][j]. */
static void
ref_forward_row (RsSession *s, const float *x, double a[][256])
{
  const RsExperiment *exp = rs_session_get_experiment (s);
  int L = exp->n_layers;
  for (int l = 0; l < L; l++)
    {
      const float *w = rs_session_layer_weight (s, l);
      const float *b = rs_session_layer_bias (s, l);
      int in = exp->sizes[l], out = exp->sizes[l + 1];
      g_assert_cmpint (out, <=, 256);
      for (int j = 0; j < out; j++)
        {
          double z = b[j];
          for (int i = 0; i < in; i++)
            z += (double) w[(gsize) j * in + i] * (l == 0 ? (double) x[i] : a[l - 1][i]);
          a[l][j] = l + 1 < L ? ref_act (exp->activation, z) : z;
        }
    }
}

static void
ref_eval (RsSession *s, const RsDataset *d, int r0, int rows, RefEval *out)
{
  const RsExperiment *cfg = rs_session_get_experiment (s);
  int L = cfg->n_layers, classes = cfg->sizes[L];
  double (*a)[256] = g_malloc0 (sizeof (double[256]) * L);
  memset (out, 0, sizeof *out);
  for (int r = r0; r < r0 + rows; r++)
    {
      ref_forward_row (s, d->x + (gsize) r * d->features, a);
      for (int l = 0; l < L; l++)
        for (int j = 0; j < cfg->sizes[l + 1]; j++)
          {
            out->mean_abs[l] += fabs (a[l][j]);
            out->mean_sq[l] += a[l][j] * a[l][j];
          }
      const double *o = a[L - 1];
      int best = 0;
      for (int j = 1; j < classes; j++)
        if (o[j] > o[best])
          best = j;
      out->correct += best == d->y[r];
      if (cfg->loss == RS_LOSS_CROSS_ENTROPY)
        {
          double sum = 0;
          for (int j = 0; j < classes; j++)
            sum += exp (o[j] - o[best]);
          out->task += o[best] + log (sum) - o[d->y[r]];
        }
      else
        for (int j = 0; j < classes; j++)
          out->task += (o[j] - (j == d->y[r])) * (o[j] - (j == d->y[r])) / classes;
    }
  out->task /= rows;
  for (int l = 0; l < L; l++)
    {
      out->mean_abs[l] /= (double) rows * cfg->sizes[l + 1];
      out->mean_sq[l] /= (double) rows * cfg->sizes[l + 1];
    }
  g_free (a);
}

/* sum |theta| (bias optional) and sum theta^2 of layer l, in double */
static void
ref_layer_sums (RsSession *s, int l, gboolean with_bias, double *abs_sum, double *sq_sum)
{
  const RsExperiment *exp = rs_session_get_experiment (s);
  gsize nw = (gsize) exp->sizes[l] * exp->sizes[l + 1];
  const float *w = rs_session_layer_weight (s, l), *b = rs_session_layer_bias (s, l);
  *abs_sum = *sq_sum = 0;
  for (gsize i = 0; i < nw; i++)
    {
      *abs_sum += fabs ((double) w[i]);
      *sq_sum += (double) w[i] * w[i];
    }
  for (int i = 0; i < exp->sizes[l + 1]; i++)
    {
      if (with_bias)
        *abs_sum += fabs ((double) b[i]);
      *sq_sum += (double) b[i] * b[i];
    }
}

/* ---- lessons ------------------------------------------------------------- */

static void
test_lesson_resolve (void)
{
  const char *env = g_getenv ("REGSCOPE_DATADIR");
  g_assert_nonnull (env);
  g_assert_cmpstr (rs_data_dir (), ==, env);
  g_autofree char *path = rs_lesson_resolve ("seed-l1");
  g_autofree char *want = g_build_filename (env, "presets", "seed-l1.ini", NULL);
  g_assert_cmpstr (path, ==, want);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_null (rs_lesson_resolve ("no-such-lesson"));
  g_autofree char *as_is = rs_lesson_resolve ("some/dir/x.ini");
  g_assert_cmpstr (as_is, ==, "some/dir/x.ini");
  g_autofree char *ini = rs_lesson_resolve ("elsewhere.ini");
  g_assert_cmpstr (ini, ==, "elsewhere.ini");

  g_auto (GStrv) lessons = rs_lesson_list ();
  g_assert_true (g_strv_contains ((const char *const *) lessons, "seed-l1"));
  guint n = g_strv_length (lessons);
  guint start = 0;
  if (g_strv_contains ((const char *const *) lessons, RS_DEFAULT_LESSON))
    {
      g_assert_cmpstr (lessons[0], ==, RS_DEFAULT_LESSON);
      start = 1;
    }
  for (guint i = start + 1; i < n; i++)
    g_assert_cmpint (strcmp (lessons[i - 1], lessons[i]), <, 0);
}

/* ---- counting steps and epochs ---------------------------------------------- */

static void
test_seed_steps (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_assert_cmpint (exp->epochs, ==, 10);
  g_assert_cmpint (exp->samples, ==, 64);
  g_autoptr (RsSession) s = session_for (exp);
  /* full batch: one step per epoch, epochs x 1 steps */
  g_assert_cmpint (rs_session_get_train (s)->n, ==, 64);
  g_assert_null (rs_session_get_validation (s));
  g_assert_cmpint (rs_session_steps_per_epoch (s), ==, 1);
  g_assert_cmpint (rs_session_total_steps (s), ==, 10);
  g_assert_cmpint (rs_session_get_step (s), ==, 0);
  g_assert_cmpint (rs_session_n_layers (s), ==, 2);
  for (int i = 0; i < 3; i++)
    {
      RsMetrics m;
      step_ok (s, &m);
      g_assert_cmpint (m.step, ==, i);
      g_assert_cmpint (m.epoch, ==, i);
      g_assert_cmpint (rs_session_get_step (s), ==, i + 1);
    }

  /* batches of 16 of the 64 samples: 4 steps per epoch */
  GError *error = NULL;
  g_assert_true (rs_experiment_set (exp, "data.batch-size=16", &error));
  g_assert_no_error (error);
  g_autoptr (RsSession) mb = session_for (exp);
  g_assert_cmpint (rs_session_steps_per_epoch (mb), ==, 4);
  g_assert_cmpint (rs_session_total_steps (mb), ==, 40);
  for (int i = 0; i < 12; i++)
    {
      RsMetrics m;
      step_ok (mb, &m);
      g_assert_cmpint (m.step, ==, i);
      g_assert_cmpint (m.epoch, ==, i / 4);
      /* accuracy on a 16-row batch */
      g_assert_cmpfloat (m.train_acc * 16, ==, floor (m.train_acc * 16));
    }

  /* 20 does not divide 64: batches 20, 20, 20, 4 */
  g_assert_true (rs_experiment_set (exp, "data.batch-size=20", &error));
  g_autoptr (RsSession) odd = session_for (exp);
  g_assert_cmpint (rs_session_steps_per_epoch (odd), ==, 4);
  g_assert_cmpint (rs_session_total_steps (odd), ==, 40);
  int rows[4] = { 20, 20, 20, 4 };
  for (int i = 0; i < 8; i++)
    {
      RsMetrics m;
      step_ok (odd, &m);
      g_assert_cmpint (m.epoch, ==, i / 4);
      double hits = m.train_acc * rows[i % 4];
      g_assert_cmpfloat (fabs (hits - round (hits)), <, 1e-9);
      g_assert_cmpfloat (m.train_acc, >=, 0.0);
      g_assert_cmpfloat (m.train_acc, <=, 1.0);
    }

  /* a batch larger than the data is the full batch */
  g_assert_true (rs_experiment_set (exp, "data.batch-size=1000", &error));
  g_autoptr (RsSession) big = session_for (exp);
  g_assert_cmpint (rs_session_steps_per_epoch (big), ==, 1);

  /* steps, when given, win over epochs */
  g_assert_true (rs_experiment_set (exp, "experiment.steps=37", &error));
  g_assert_no_error (error);
  g_autoptr (RsSession) st = session_for (exp);
  g_assert_cmpint (rs_session_total_steps (st), ==, 37);
}

/* ---- the loss and its terms ---------------------------------------------- */

/* Full batch, so each step's batch is the whole training set in order:
 * every term against the reference computed from the parameters before
 * the step, and loss == task + l1 + l2 + activity as the same double sum. */
static void
test_loss_terms (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  const char *sets[] = { "fc2.l2=0.01", "fc1.activity=0.02", "fc2.activity=0.03",
                         "layer fc2.activity-norm=l2", NULL };
  GError *error = NULL;
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  g_assert_no_error (error);
  g_autoptr (RsSession) s = session_for (exp);
  const RsDataset *train = rs_session_get_train (s);
  for (int i = 0; i < 5; i++)
    {
      RefEval ref;
      ref_eval (s, train, 0, train->n, &ref);
      double abs1, sq1, abs2, sq2;
      ref_layer_sums (s, 0, TRUE, &abs1, &sq1);
      ref_layer_sums (s, 1, TRUE, &abs2, &sq2);

      RsMetrics m;
      step_ok (s, &m);
      g_assert_true (m.loss == m.task_loss + m.l1 + m.l2 + m.activity);
      assert_rel ("task", m.task_loss, ref.task, 1e-5);
      assert_rel ("l1", m.l1, 0.005 * abs1, 1e-12);
      assert_rel ("l2", m.l2, 0.01 * sq2, 1e-12);
      assert_rel ("activity", m.activity, 0.02 * ref.mean_abs[0] + 0.03 * ref.mean_sq[1],
                  1e-5);
      g_assert_cmpfloat (m.l1, >, 0);
      g_assert_cmpfloat (m.l2, >, 0);
      g_assert_cmpfloat (m.activity, >, 0);
      g_assert_cmpfloat (m.train_acc, ==, (double) ref.correct / train->n);
      g_assert_true (isnan (m.val_loss));
      g_assert_true (isnan (m.val_acc));
    }
}

/* l1-bias=false leaves the bias out of the L1 term; weight decay is never
 * part of the loss. */
static void
test_loss_terms_bias_and_decay (void)
{
  const char *sets[] = { "fc1.l1=0.01", "layer fc1.l1-bias=false", "fc2.weight-decay=0.5",
                         NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  double abs1, sq1;
  ref_layer_sums (s, 0, FALSE, &abs1, &sq1);
  RsMetrics m;
  step_ok (s, &m);
  assert_rel ("l1 without bias", m.l1, 0.01 * abs1, 1e-12);
  g_assert_cmpfloat (m.l2, ==, 0.0);
  g_assert_cmpfloat (m.activity, ==, 0.0);
  g_assert_true (m.loss == m.task_loss + m.l1);
}

/* ---- reproducibility ------------------------------------------------------ */

static const char *const minibatch_sets[] = { "data.batch-size=16", "data.shuffle=true",
                                              "data.validation=0.25", "fc1.l1=0.005",
                                              "fc2.activity=0.01", NULL };

static void
test_two_sessions_identical (void)
{
  g_autoptr (RsExperiment) exp = default_with (minibatch_sets);
  g_autoptr (RsSession) a = session_for (exp);
  g_autoptr (RsSession) b = session_for (exp);
  g_autofree float *pa = copy_params (a, NULL);
  g_assert_true (params_equal (b, pa));
  for (int i = 0; i < 50; i++)
    {
      RsMetrics ma, mb;
      step_ok (a, &ma);
      step_ok (b, &mb);
      g_assert_true (rs_metrics_same_bits (&ma, &mb));
    }
  g_autofree float *fa = copy_params (a, NULL);
  g_assert_true (params_equal (b, fa));
  /* and they did train */
  g_assert_false (params_equal (a, pa));
}

/* Dropout is training only, and deterministic: at step 0 (same initial
 * parameters) the validation loss is the one without dropout, bit for bit,
 * while the training loss is not; two sessions, and a reset, repeat the
 * same masks. */
static void
test_dropout_session (void)
{
  g_autoptr (RsExperiment) plain = default_with (minibatch_sets);
  g_autoptr (RsExperiment) exp = default_with (minibatch_sets);
  GError *error = NULL;
  g_assert_true (rs_experiment_set (exp, "fc1.dropout=0.5", &error));
  g_assert_no_error (error);
  g_autoptr (RsSession) p = session_for (plain);
  g_autoptr (RsSession) a = session_for (exp);
  g_autoptr (RsSession) b = session_for (exp);
  RsMetrics mp, ma, mb;
  step_ok (p, &mp);
  step_ok (a, &ma);
  step_ok (b, &mb);
  g_assert_cmpfloat (ma.val_loss, ==, mp.val_loss);
  g_assert_cmpfloat (ma.val_acc, ==, mp.val_acc);
  g_assert_cmpfloat (ma.task_loss, !=, mp.task_loss);
  g_assert_true (rs_metrics_same_bits (&ma, &mb));
  RsMetrics first = ma;
  for (int i = 0; i < 30; i++)
    {
      step_ok (a, &ma);
      step_ok (b, &mb);
      g_assert_true (rs_metrics_same_bits (&ma, &mb));
    }
  g_autofree float *pa = copy_params (a, NULL);
  g_assert_true (params_equal (b, pa));
  rs_session_reset (a);
  step_ok (a, &ma);
  g_assert_true (rs_metrics_same_bits (&ma, &first));
}

/* Input noise: the batch a step trains on is x + sigma * N(0, 1), mean 0
 * and spread sigma within 5 standard errors; validation sees x as it is
 * (at step 0 its loss is the noise-free one, bit for bit). */
static void
test_input_noise_statistics (void)
{
  static const char *const plain_sets[] = { "data.validation=0.25", NULL };
  static const char *const sets[] = { "data.validation=0.25", "data.input-noise=0.5", NULL };
  g_autoptr (RsExperiment) plain = default_with (plain_sets);
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) p = session_for (plain);
  g_autoptr (RsSession) a = session_for (exp);
  RsMetrics mp, ma;
  step_ok (p, &mp);
  step_ok (a, &ma);
  int rows;
  g_assert_null (rs_session_get_noisy_batch (p, &rows));
  g_assert_cmpint (rows, ==, 0);
  const float *noisy = rs_session_get_noisy_batch (a, &rows);
  const RsDataset *train = rs_session_get_train (a);
  g_assert_nonnull (noisy);
  g_assert_cmpint (rows, ==, train->n); /* full batch, in order */
  gsize n = (gsize) rows * train->features;
  double sum = 0, sum2 = 0;
  for (gsize i = 0; i < n; i++)
    {
      double e = (double) noisy[i] - train->x[i];
      sum += e;
      sum2 += e * e;
    }
  double mean = sum / n, sd = sqrt (sum2 / n - mean * mean), sigma = 0.5;
  g_test_message ("input noise over %zu values: mean %g, sd %g", n, mean, sd);
  g_assert_cmpfloat (fabs (mean), <, 5 * sigma / sqrt ((double) n));
  g_assert_cmpfloat (fabs (sd - sigma), <, 5 * sigma / sqrt (2.0 * n));
  g_assert_cmpfloat (ma.val_loss, ==, mp.val_loss);
  g_assert_cmpfloat (ma.val_acc, ==, mp.val_acc);
  g_assert_cmpfloat (ma.task_loss, !=, mp.task_loss);
}

/* Input noise has its own stream: with it on, the batch order is the
 * shuffle stream's and the dropout masks are the ones without it, bit for
 * bit; the noisy batch is exactly the shuffled rows plus sigma times the
 * noise stream's normals; and two sessions (and a reset) repeat it all. */
static void
test_input_noise_own_stream (void)
{
  static const char *const plain_sets[] = { "data.batch-size=16", "data.shuffle=true",
                                            "data.validation=0.25", "fc1.dropout=0.3", NULL };
  static const char *const sets[] = { "data.batch-size=16", "data.shuffle=true",
                                      "data.validation=0.25", "fc1.dropout=0.3",
                                      "data.input-noise=0.2", NULL };
  g_autoptr (RsExperiment) plain = default_with (plain_sets);
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) p = session_for (plain);
  g_autoptr (RsSession) a = session_for (exp);
  g_autoptr (RsSession) b = session_for (exp);
  const RsDataset *train = rs_session_get_train (a);
  int d = train->features, n = train->n;
  g_autofree int32_t *order = g_new (int32_t, n);
  for (int i = 0; i < n; i++)
    order[i] = i;
  g_autofree float *want = g_new (float, (gsize) 16 * d);
  g_autofree float *clean = g_new (float, (gsize) 16 * d);
  RsRng shuffle, noise;
  rs_rng_init (&shuffle, exp->seed, RS_RNG_STREAM_SHUFFLE);
  rs_rng_init (&noise, exp->seed, RS_RNG_STREAM_INPUT_NOISE);
  int pos = 0, hidden = exp->sizes[1];
  RsMetrics mp, ma, mb, first = { 0 };
  int steps = 2 * ((n + 15) / 16) + 1; /* into a third epoch */
  for (int step = 0; step < steps; step++)
    {
      if (pos == 0)
        rs_rng_shuffle (&shuffle, order, n);
      int rows = MIN (16, n - pos);
      for (int r = 0; r < rows; r++)
        memcpy (clean + (gsize) r * d, train->x + (gsize) order[pos + r] * d,
                d * sizeof (float));
      rs_network_input_noise (want, clean, (gsize) rows * d, 0.2, &noise);
      pos = pos + rows >= n ? 0 : pos + rows;

      step_ok (p, &mp);
      step_ok (a, &ma);
      step_ok (b, &mb);
      if (step == 0)
        first = ma;
      g_assert_true (rs_metrics_same_bits (&ma, &mb));
      int got_rows;
      const float *got = rs_session_get_noisy_batch (a, &got_rows);
      g_assert_cmpint (got_rows, ==, rows);
      g_assert_cmpmem (got, rows * d * sizeof (float), want, rows * d * sizeof (float));
      g_assert_cmpmem (rs_session_get_network (a)->layers[0].keep,
                       rows * hidden * sizeof (float),
                       rs_session_get_network (p)->layers[0].keep,
                       rows * hidden * sizeof (float));
    }
  g_autofree float *pa = copy_params (a, NULL);
  g_assert_true (params_equal (b, pa));
  rs_session_reset (a);
  step_ok (a, &ma);
  g_assert_true (rs_metrics_same_bits (&ma, &first));
}

/* The snapshot carries the mask the last step drew: redrawn here from the
 * seed's dropout stream (two batches of 16 rows, fc1 only), the second
 * batch's is what fc1's `dropped` holds. None before a step, after a
 * reset, or without dropout. */
static void
test_dropout_snapshot_mask (void)
{
  g_autoptr (RsExperiment) exp = default_with (minibatch_sets);
  GError *error = NULL;
  g_assert_true (rs_experiment_set (exp, "fc1.dropout=0.5", &error));
  g_assert_no_error (error);
  g_autoptr (RsSession) s = session_for (exp);
  g_autoptr (RsSnapshot) before = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_null (before->layers[0].dropped);
  g_assert_cmpint (before->layers[0].mask_rows, ==, 0);

  RsMetrics m;
  step_ok (s, &m);
  step_ok (s, &m);
  g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
  const RsLayerSnapshot *l = &snap->layers[0];
  int out = exp->sizes[1];
  g_assert_cmpint (l->out, ==, out);
  g_assert_cmpint (l->mask_rows, ==, 16);
  g_assert_nonnull (l->dropped);
  RsRng rng;
  rs_rng_init (&rng, exp->seed, RS_RNG_STREAM_DROPOUT);
  for (int i = 0; i < 16 * out; i++)
    rs_rng_uniform (&rng);
  int n_dropped = 0;
  for (int i = 0; i < 16 * out; i++)
    {
      gboolean want = rs_rng_uniform (&rng) < 0.5;
      g_assert_cmpint (l->dropped[i], ==, want);
      n_dropped += want;
    }
  g_assert_cmpint (n_dropped, >, 0);
  g_assert_cmpint (n_dropped, <, 16 * out);
  for (int k = 1; k < snap->n_layers; k++)
    g_assert_null (snap->layers[k].dropped);

  rs_session_reset (s);
  g_autoptr (RsSnapshot) reset = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_null (reset->layers[0].dropped);

  g_autoptr (RsExperiment) plain = default_with (minibatch_sets);
  g_autoptr (RsSession) p = session_for (plain);
  step_ok (p, &m);
  g_autoptr (RsSnapshot) none = rs_session_build_snapshot (p, NULL, NULL);
  for (int k = 0; k < none->n_layers; k++)
    {
      g_assert_null (none->layers[k].dropped);
      g_assert_cmpint (none->layers[k].mask_rows, ==, 0);
    }
}

/* Only hidden layers drop: the last layer's outputs are the prediction. */
static void
test_dropout_output_layer_refused (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  GError *error = NULL;
  g_assert_false (rs_experiment_set (exp, "fc2.dropout=0.5", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "[layer fc2] dropout: applies to hidden layers"));
  g_clear_error (&error);
  g_assert_false (rs_experiment_set (exp, "fc1.dropout=1", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpfloat (exp->layer[0].dropout, ==, 0.0);
}

/* A different seed gives other initial weights and other data. */
static void
test_seed_matters (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (RsSession) a = session_for (exp);
  GError *error = NULL;
  g_assert_true (rs_experiment_set (exp, "experiment.seed=1", &error));
  g_autoptr (RsSession) b = session_for (exp);
  g_autofree float *pa = copy_params (a, NULL);
  g_assert_false (params_equal (b, pa));
  g_assert_false (memcmp (rs_session_get_train (a)->x, rs_session_get_train (b)->x,
                          64 * 10 * sizeof (float)) == 0);
}

static void
test_reset_reproduces (void)
{
  g_autoptr (RsExperiment) exp = default_with (minibatch_sets);
  g_autoptr (RsSession) s = session_for (exp);
  g_autofree float *init = copy_params (s, NULL);
  RsMetrics first[30];
  for (int i = 0; i < 30; i++)
    step_ok (s, &first[i]);
  g_assert_cmpint (rs_session_get_step (s), ==, 30);

  rs_session_reset (s);
  g_assert_cmpint (rs_session_get_step (s), ==, 0);
  g_assert_true (params_equal (s, init));
  for (int i = 0; i < 30; i++)
    {
      RsMetrics m;
      step_ok (s, &m);
      g_assert_true (rs_metrics_same_bits (&m, &first[i]));
    }

  /* The lambdas in force are kept across a reset. */
  RsLayerReg reg = rs_session_get_experiment (s)->layer[1];
  reg.l2 = 0.25;
  rs_session_set_layer_reg (s, 1, &reg);
  rs_session_reset (s);
  g_assert_cmpfloat (rs_session_get_experiment (s)->layer[1].l2, ==, 0.25);
  g_assert_true (params_equal (s, init));
  double abs2, sq2;
  ref_layer_sums (s, 1, TRUE, &abs2, &sq2);
  RsMetrics m;
  step_ok (s, &m);
  assert_rel ("l2 after reset", m.l2, 0.25 * sq2, 1e-12);
}

/* A change of lambda takes effect at the next step. */
static void
test_set_layer_reg (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (RsSession) s = session_for (exp);
  RsMetrics m;
  step_ok (s, &m);
  g_assert_cmpfloat (m.l2, ==, 0.0);
  RsLayerReg reg;
  rs_layer_reg_init_default (&reg);
  reg.l2 = 0.1;
  rs_session_set_layer_reg (s, 1, &reg);
  double abs1, sq1, abs2, sq2;
  ref_layer_sums (s, 0, TRUE, &abs1, &sq1);
  ref_layer_sums (s, 1, TRUE, &abs2, &sq2);
  step_ok (s, &m);
  assert_rel ("l1 of fc1", m.l1, 0.005 * abs1, 1e-12);
  assert_rel ("l2 of fc2", m.l2, 0.1 * sq2, 1e-12);
}

/* ---- init checkpoints ------------------------------------------------------ */

static void
assert_params_match_file (RsSession *s, const char *path)
{
  GError *error = NULL;
  g_autoptr (RsTensorFile) file = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  const RsExperiment *exp = rs_session_get_experiment (s);
  for (int l = 0; l < rs_session_n_layers (s); l++)
    {
      g_autofree char *wname = g_strdup_printf ("fc%d.weight", l + 1);
      g_autofree char *bname = g_strdup_printf ("fc%d.bias", l + 1);
      const RsTensor *tw = rs_tensor_file_find (file, wname);
      const RsTensor *tb = rs_tensor_file_find (file, bname);
      g_assert_nonnull (tw);
      g_assert_nonnull (tb);
      g_assert_cmpint (tw->shape[0], ==, exp->sizes[l + 1]);
      g_assert_cmpint (tw->shape[1], ==, exp->sizes[l]);
      gsize nw = (gsize) exp->sizes[l] * exp->sizes[l + 1];
      g_assert_true (memcmp (rs_session_layer_weight (s, l), tw->data, nw * sizeof (float)) == 0);
      g_assert_true (memcmp (rs_session_layer_bias (s, l), tb->data,
                             exp->sizes[l + 1] * sizeof (float)) == 0);
    }
}

static void
test_load_init (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (RsSession) s = session_for (exp);
  g_autofree float *seed_init = copy_params (s, NULL);
  g_autofree char *path = golden_path ("seed-l1", "init.safetensors");
  g_assert_null (rs_session_get_init_path (s));

  RsMetrics m;
  step_ok (s, &m);
  step_ok (s, &m);
  GError *error = NULL;
  g_assert_true (rs_session_load_init (s, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rs_session_get_init_path (s), ==, path);
  g_assert_cmpint (rs_session_get_step (s), ==, 0);
  assert_params_match_file (s, path);
  g_assert_false (params_equal (s, seed_init));

  /* the optimizer state was cleared: the next steps are a fresh run's */
  g_autoptr (RsSession) fresh = session_for (exp);
  g_assert_true (rs_session_load_init (fresh, path, &error));
  for (int i = 0; i < 5; i++)
    {
      RsMetrics ma, mb;
      step_ok (s, &ma);
      step_ok (fresh, &mb);
      g_assert_true (rs_metrics_same_bits (&ma, &mb));
    }

  /* reset goes back to the file's parameters, not to the seed's */
  rs_session_reset (s);
  g_assert_cmpint (rs_session_get_step (s), ==, 0);
  assert_params_match_file (s, path);
  g_assert_cmpstr (rs_session_get_init_path (s), ==, path);
}

/* A file of another architecture, a misshapen tensor, a missing tensor, a
 * missing file: each an error naming the file (and the tensor), and the
 * parameters and the reset point stay as they were. */
static void
expect_load_error (RsSession *s, const char *path, int code, const char *const *needles)
{
  g_autofree float *before = copy_params (s, NULL);
  g_autofree char *init_before = g_strdup (rs_session_get_init_path (s));
  gint64 step_before = rs_session_get_step (s);
  GError *error = NULL;
  g_assert_false (rs_session_load_init (s, path, &error));
  g_assert_error (error, RS_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  for (int i = 0; needles != NULL && needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      g_error ("'%s' does not mention '%s'", error->message, needles[i]);
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  g_assert_true (params_equal (s, before));
  g_assert_cmpstr (rs_session_get_init_path (s), ==, init_before);
  g_assert_cmpint (rs_session_get_step (s), ==, step_before);
}

static void
write_checkpoint (const char *path, int n, const char *const *names, const int *rows,
                  const int *cols)
{
  RsTensor tensors[8];
  float *data[8];
  for (int i = 0; i < n; i++)
    {
      gsize count = (gsize) rows[i] * (cols[i] > 0 ? cols[i] : 1);
      data[i] = g_new (float, count);
      for (gsize k = 0; k < count; k++)
        data[i][k] = 0.01f * (float) k;
      tensors[i] = (RsTensor) { .name = (char *) names[i], .n_dims = cols[i] > 0 ? 2 : 1,
                                .shape = { rows[i], cols[i] }, .data = data[i] };
    }
  GError *error = NULL;
  g_assert_true (rs_safetensors_save (path, tensors, n, &error));
  g_assert_no_error (error);
  for (int i = 0; i < n; i++)
    g_free (data[i]);
}

static void
test_load_init_errors (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default (); /* 10-20-5 */
  g_autoptr (RsSession) s = session_for (exp);
  g_autofree float *seed_init = copy_params (s, NULL);
  RsMetrics m;
  step_ok (s, &m);
  GError *error = NULL;

  /* the tanh case's 8-16-16-3 checkpoint */
  g_autofree char *tanh_init = golden_path ("tanh", "init.safetensors");
  const char *fc[] = { "'fc", NULL };
  expect_load_error (s, tanh_init, RS_ERROR_SHAPE, fc);

  g_autofree char *dir = g_dir_make_tmp ("rs-session-XXXXXX", &error);
  g_assert_no_error (error);

  /* right names, one wrong shape */
  g_autofree char *bad_shape = g_build_filename (dir, "bad-shape.safetensors", NULL);
  const char *names[] = { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" };
  const int rows[] = { 20, 20, 5, 5 }, cols[] = { 10, 0, 21, 0 };
  write_checkpoint (bad_shape, 4, names, rows, cols);
  const char *shape_words[] = { "fc2.weight", "[5, 21]", "[5, 20]", NULL };
  expect_load_error (s, bad_shape, RS_ERROR_SHAPE, shape_words);

  /* a bias of rank 2 */
  g_autofree char *bad_rank = g_build_filename (dir, "bad-rank.safetensors", NULL);
  const int cols_rank[] = { 10, 1, 20, 0 };
  write_checkpoint (bad_rank, 4, names, rows, cols_rank);
  const char *rank_words[] = { "fc1.bias", "[20, 1]", "[20]", NULL };
  expect_load_error (s, bad_rank, RS_ERROR_SHAPE, rank_words);

  /* fc2.bias missing */
  g_autofree char *missing = g_build_filename (dir, "missing.safetensors", NULL);
  write_checkpoint (missing, 3, names, rows, (const int[]) { 10, 0, 20 });
  const char *missing_words[] = { "fc2.bias", "missing", NULL };
  expect_load_error (s, missing, RS_ERROR_SHAPE, missing_words);

  /* no file at all */
  g_autofree char *nothing = g_build_filename (dir, "nothing.safetensors", NULL);
  expect_load_error (s, nothing, RS_ERROR_IO, NULL);

  /* a good file of the right shape loads, and a later bad one keeps it */
  g_autofree char *good = g_build_filename (dir, "good.safetensors", NULL);
  write_checkpoint (good, 4, names, rows, (const int[]) { 10, 0, 20, 0 });
  g_assert_true (rs_session_load_init (s, good, &error));
  g_assert_no_error (error);
  assert_params_match_file (s, good);
  expect_load_error (s, bad_shape, RS_ERROR_SHAPE, shape_words);
  rs_session_reset (s);
  assert_params_match_file (s, good);

  g_assert_null (rs_session_get_init_warning (s));

  /* tensors the model does not use load with one line naming them */
  g_autofree char *extra = g_build_filename (dir, "extra.safetensors", NULL);
  const char *extra_names[] = { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                                "foo", "fc3.weight" };
  write_checkpoint (extra, 6, extra_names, (const int[]) { 20, 20, 5, 5, 2, 3 },
                    (const int[]) { 10, 0, 20, 0, 0, 5 });
  g_assert_true (rs_session_load_init (s, extra, &error));
  g_assert_no_error (error);
  assert_params_match_file (s, extra);
  g_autofree char *want = g_strdup_printf (
    "%s: 2 tensors that the model (fc1..fc2) does not use were skipped: 'foo', 'fc3.weight'",
    extra);
  g_assert_cmpstr (rs_session_get_init_warning (s), ==, want);
  /* a clean file clears it */
  g_assert_true (rs_session_load_init (s, good, &error));
  g_assert_null (rs_session_get_init_warning (s));
  g_unlink (extra);

  /* the failed loads did not become the reset point of a fresh session */
  g_autoptr (RsSession) t = session_for (exp);
  expect_load_error (t, tanh_init, RS_ERROR_SHAPE, fc);
  rs_session_reset (t);
  g_assert_true (params_equal (t, seed_init));

  const char *files[] = { bad_shape, bad_rank, missing, good };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    g_unlink (files[i]);
  g_rmdir (dir);
}

static void
test_save_checkpoint (void)
{
  g_autoptr (RsExperiment) exp = default_with (minibatch_sets);
  g_autoptr (RsSession) s = session_for (exp);
  RsMetrics m;
  for (int i = 0; i < 7; i++)
    step_ok (s, &m);
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rs-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "ckpt.safetensors", NULL);
  g_assert_true (rs_session_save_checkpoint (s, path, &error));
  g_assert_no_error (error);
  assert_params_match_file (s, path);

  g_autoptr (RsSession) t = session_for (exp);
  g_assert_true (rs_session_load_init (t, path, &error));
  g_autofree float *want = copy_params (s, NULL);
  g_assert_true (params_equal (t, want));
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- divergence ------------------------------------------------------------ */

static void
test_divergence (void)
{
  const char *sets[] = { "optimizer.name=sgd", "optimizer.lr=1e30", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  g_autofree float *init = copy_params (s, NULL);
  GError *error = NULL;
  gboolean diverged = FALSE;
  for (int i = 0; i < 100 && !diverged; i++)
    {
      g_autofree float *before = copy_params (s, NULL);
      RsMetrics m;
      if (rs_session_step (s, &m, &error))
        {
          g_assert_no_error (error);
          g_assert_true (isfinite (m.loss));
          continue;
        }
      diverged = TRUE;
      g_assert_error (error, RS_ERROR, RS_ERROR_DIVERGED);
      g_test_message ("step %d: %s", i, error->message);
      g_assert_nonnull (strstr (error->message, "step"));
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
      g_assert_true (params_equal (s, before));
      g_assert_cmpint (rs_session_get_step (s), ==, i);
    }
  g_assert_true (diverged);

  /* a reset recovers */
  rs_session_reset (s);
  g_assert_true (params_equal (s, init));
  RsMetrics m;
  step_ok (s, &m);
  g_assert_true (isfinite (m.loss));
}

/* rs-session.h: FALSE with RS_ERROR_DIVERGED "when the loss or a gradient is
 * NaN or infinite". Presets refuse an L1 lambda above 10, so 1e39 is set on
 * the session directly: the loss stays finite in double (1e39 * sum|w| ~
 * 1e40) but the gradient lambda * sign(w) is +-inf in float. */
static void
test_divergence_gradient (void)
{
  g_autoptr (RsExperiment) exp = default_with (NULL);
  g_autoptr (RsSession) s = session_for (exp);
  RsLayerReg reg = exp->layer[0];
  reg.l1 = 1e39;
  rs_session_set_layer_reg (s, 0, &reg);
  g_autofree float *before = copy_params (s, NULL);
  GError *error = NULL;
  RsMetrics m;
  gboolean ok = rs_session_step (s, &m, &error);
  g_assert_false (ok);
  g_assert_nonnull (strstr (error->message, "step 0"));
  g_assert_error (error, RS_ERROR, RS_ERROR_DIVERGED);
  g_clear_error (&error);
  g_assert_true (params_equal (s, before));
  g_assert_cmpint (rs_session_get_step (s), ==, 0);
}

/* ---- validation --------------------------------------------------------------- */

/* The snapshot's confusion counts come from the validation pass the step
 * already made: every validation row once, in its true class's row, the
 * diagonal being exactly the validation accuracy of that step. */
static void
test_confusion_from_validation (void)
{
  const char *sets[] = { "data.validation=0.25", "data.batch-size=0", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  const RsDataset *val = rs_session_get_validation (s);
  g_autoptr (RsSnapshot) before = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_null (before->confusion);   /* no validation pass yet */
  g_assert_cmpint (before->val_rows, ==, val->n);

  for (int i = 0; i < 20; i++)
    {
      RsMetrics m;
      step_ok (s, &m);
      g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
      int k = snap->classes;
      g_assert_cmpint (k, ==, val->classes);
      g_assert_nonnull (snap->confusion);
      guint32 diag = 0, total = 0;
      for (int t = 0; t < k; t++)
        {
          guint32 row = 0, want = 0;
          for (int p = 0; p < k; p++)
            row += snap->confusion[t * k + p];
          for (int r = 0; r < val->n; r++)
            want += val->y[r] == t;
          g_assert_cmpuint (row, ==, want);
          diag += snap->confusion[t * k + t];
          total += row;
        }
      g_assert_cmpuint (total, ==, val->n);
      g_assert_cmpfloat ((double) diag / val->n, ==, m.val_acc);
    }

  rs_session_reset (s);
  g_autoptr (RsSnapshot) reset = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_null (reset->confusion);

  g_autoptr (RsExperiment) none = rs_experiment_new_default ();
  g_autoptr (RsSession) t = session_for (none);
  RsMetrics m;
  step_ok (t, &m);
  g_autoptr (RsSnapshot) no_val = rs_session_build_snapshot (t, NULL, NULL);
  g_assert_null (no_val->confusion);
  g_assert_cmpint (no_val->val_rows, ==, 0);
}

static void
test_validation_split (void)
{
  const char *sets[] = { "data.validation=0.25", "data.batch-size=0", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  const RsDataset *train = rs_session_get_train (s), *val = rs_session_get_validation (s);
  g_assert_nonnull (val);
  g_assert_cmpint (val->n, ==, 16);
  g_assert_cmpint (train->n, ==, 48);
  g_assert_cmpint (rs_session_steps_per_epoch (s), ==, 1);
  for (int i = 0; i < 5; i++)
    {
      /* validation uses the parameters the step's loss was computed from */
      RefEval ref;
      ref_eval (s, val, 0, val->n, &ref);
      RsMetrics m;
      step_ok (s, &m);
      g_assert_true (isfinite (m.val_loss));
      g_assert_true (isfinite (m.val_acc));
      g_assert_cmpfloat (m.val_acc, >=, 0.0);
      g_assert_cmpfloat (m.val_acc, <=, 1.0);
      assert_rel ("val_loss", m.val_loss, ref.task, 1e-5);
      g_assert_cmpfloat (m.val_acc, ==, (double) ref.correct / val->n);
    }

  g_autoptr (RsExperiment) none = rs_experiment_new_default ();
  g_autoptr (RsSession) t = session_for (none);
  g_assert_null (rs_session_get_validation (t));
  RsMetrics m;
  step_ok (t, &m);
  g_assert_true (isnan (m.val_loss));
  g_assert_true (isnan (m.val_acc));
}

/* eval-every=5 with 3 steps per epoch: evaluated when step % 5 == 0 and at
 * each epoch's last step; in between the last values repeat. */
static void
test_eval_every (void)
{
  const char *sets[] = { "data.validation=0.25", "data.batch-size=16", "experiment.eval-every=5",
                         "optimizer.lr=0.01", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  const RsDataset *val = rs_session_get_validation (s);
  g_assert_cmpint (rs_session_steps_per_epoch (s), ==, 3);
  double last_loss = NAN, last_acc = NAN;
  int evaluations = 0;
  for (int i = 0; i < 16; i++)
    {
      RefEval ref;
      ref_eval (s, val, 0, val->n, &ref);
      RsMetrics m;
      step_ok (s, &m);
      gboolean eval = i % 5 == 0 || i % 3 == 2;
      if (eval)
        {
          evaluations++;
          assert_rel ("val_loss at an evaluation", m.val_loss, ref.task, 1e-5);
          g_assert_cmpfloat (m.val_acc, ==, (double) ref.correct / val->n);
          if (i > 0)
            g_assert_cmpfloat (m.val_loss, !=, last_loss);
        }
      else
        {
          g_assert_cmpfloat (m.val_loss, ==, last_loss);
          g_assert_cmpfloat (m.val_acc, ==, last_acc);
        }
      last_loss = m.val_loss;
      last_acc = m.val_acc;
    }
  /* 0 2 5 8 10 11 14 15 */
  g_assert_cmpint (evaluations, ==, 8);
}

/* A source with its own test set (the committed Fashion-MNIST slice, 200
 * training and 100 test images): the test set is evaluated at the end of
 * every epoch with the parameters that step's loss was computed from (a
 * direct forward pass in double agrees), NAN before the first epoch ends,
 * repeated in between; it is standardised with the training rows' mean
 * and spread, like validation. */
static void
test_test_set (void)
{
  g_autofree char *dir = g_build_filename (RS_TEST_SRCDIR, "data", "fashion-mnist-slice", NULL);
  g_autofree char *src = g_strconcat ("data.source=idx:", dir, NULL);
  const char *sets[] = { src, "model.layers=784,16,10", "data.validation=0.25",
                         "data.batch-size=50", "optimizer.lr=0.01", "data.standardize=true",
                         "experiment.eval-every=2", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  const RsDataset *test = rs_session_get_test (s);
  g_assert_nonnull (test);
  g_assert_cmpint (test->n, ==, 100);
  g_assert_cmpint (rs_session_get_train (s)->n, ==, 150);
  g_assert_cmpint (rs_session_get_validation (s)->n, ==, 50);
  g_assert_cmpint (rs_session_steps_per_epoch (s), ==, 3);

  /* The same rows as the files, standardised with the training statistics. */
  RsDataset *all = NULL, *raw_test = NULL, *train = NULL, *val = NULL;
  GError *error = NULL;
  g_assert_true (rs_dataset_load_idx_dir (dir, &all, &raw_test, &error));
  g_assert_no_error (error);
  rs_dataset_split (all, 0.25, exp->seed, &train, &val);
  rs_dataset_standardize (train, val, raw_test);
  g_assert_cmpmem (test->x, 100 * 784 * sizeof (float), raw_test->x, 100 * 784 * sizeof (float));
  g_assert_cmpmem (test->y, 100 * sizeof (int32_t), raw_test->y, 100 * sizeof (int32_t));
  rs_dataset_free (all);
  rs_dataset_free (raw_test);
  rs_dataset_free (train);
  rs_dataset_free (val);

  double last_loss = NAN, last_acc = NAN;
  for (int i = 0; i < 9; i++)
    {
      RefEval ref;
      ref_eval (s, test, 0, test->n, &ref);
      RsMetrics m;
      step_ok (s, &m);
      if (i % 3 == 2)
        {
          assert_rel ("test_loss at an epoch's end", m.test_loss, ref.task, 1e-5);
          g_assert_cmpfloat (m.test_acc, ==, (double) ref.correct / test->n);
          if (i > 2)
            g_assert_cmpfloat (m.test_loss, !=, last_loss);
        }
      else if (i < 2)
        {
          g_assert_true (isnan (m.test_loss));
          g_assert_true (isnan (m.test_acc));
        }
      else
        {
          g_assert_cmpfloat (m.test_loss, ==, last_loss);
          g_assert_cmpfloat (m.test_acc, ==, last_acc);
        }
      last_loss = m.test_loss;
      last_acc = m.test_acc;
    }

  /* Reset forgets the last evaluation. */
  rs_session_reset (s);
  RsMetrics m;
  step_ok (s, &m);
  g_assert_true (isnan (m.test_acc));

  /* Sources without a test set. */
  g_autoptr (RsExperiment) none = rs_experiment_new_default ();
  g_autoptr (RsSession) t = session_for (none);
  g_assert_null (rs_session_get_test (t));
  step_ok (t, &m);
  g_assert_true (isnan (m.test_loss));
  g_assert_true (isnan (m.test_acc));
}

/* ---- model against data ---------------------------------------------------------- */

/* [data] label-column reaches the CSV reader: by name, by position; a
 * bad value names the key, a missing column names the CSV. */
static void
test_csv_label_column (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rs-test-session-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "pets.csv", NULL);
  g_assert_true (g_file_set_contents (csv, "species,weight,height\ncat,4.5,25\ndog,20,60\n"
                                      "cat,3.5,23\nemu,40,170\n", -1, NULL));
  g_autofree char *src = g_strconcat ("data.source=csv:", csv, NULL);
  const char *by_name[] = { src, "data.label-column=species", "model.layers=2,4,3", NULL };
  const char *by_position[] = { src, "data.label-column=1", "model.layers=2,4,3", NULL };
  const char *const *sets[] = { by_name, by_position };
  for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      g_autoptr (RsExperiment) exp = default_with (sets[i]);
      g_autoptr (RsSession) s = session_for (exp);
      const RsDataset *train = rs_session_get_train (s);
      g_assert_cmpint (train->n, ==, 4);
      g_assert_cmpint (train->features, ==, 2);
      g_assert_cmpstr (rs_dataset_class_name (train, 2), ==, "emu");
      g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
      const char *names[] = { "cat", "dog", "emu", NULL };
      g_assert_cmpstrv (snap->class_names, names);
      g_assert_cmpfloat (train->x[1], ==, 25.0f);
      /* the key survives the preset writer */
      g_autofree char *ini = rs_experiment_to_ini (exp);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsExperiment) back = rs_experiment_load_from_data (ini, -1, "back.ini", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back->label_column, ==, exp->label_column);
    }

  GError *error = NULL;
  g_autoptr (RsExperiment) exp = default_with (by_name);
  g_assert_false (rs_experiment_set (exp, "data.label-column=0", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "--set 'data.label-column=0': [data] label-column: expected 'last', a "
                   "column's position from 1 or its name in the header, got '0'");
  g_clear_error (&error);
  g_assert_cmpstr (exp->label_column, ==, "species");

  g_assert_true (rs_experiment_set (exp, "data.label-column=kind", &error));
  g_assert_null (rs_session_new (exp, &error));
  g_autofree char *want = g_strdup_printf (
    "%s:1: no column is named 'kind' (the header has 'species', 'weight', 'height')", csv);
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  g_unlink (csv);
  g_rmdir (dir);
}

static void
test_shape_mismatch (void)
{
  /* generated data: the preset check refuses the override and keeps exp */
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  GError *error = NULL;
  g_assert_false (rs_experiment_set (exp, "model.layers=10,20,3", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_SHAPE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "[model] layers"));
  g_clear_error (&error);
  g_assert_cmpint (exp->sizes[2], ==, 5);

  /* the same experiment edited directly: rs_session_new refuses it */
  exp->sizes[2] = 3;
  g_assert_null (rs_session_new (exp, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "[model] layers"));
  g_clear_error (&error);

  /* a CSV's shape is only known when it is read: 8 features, 3 classes */
  g_autofree char *csv = golden_path ("tanh", "data.csv");
  g_autofree char *src = g_strconcat ("data.source=csv:", csv, NULL);
  const char *classes[] = { src, "model.layers=8,16,5", NULL };
  g_autoptr (RsExperiment) e1 = default_with (classes);
  g_assert_null (rs_session_new (e1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_SHAPE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "[model] layers"));
  /* the message names the model and the CSV, and what the classes are */
  g_autofree char *want_classes = g_strdup_printf (
    "(preset): [model] layers: the output width 5 does not match the 3 classes of %s "
    "(labels 0..2)", csv);
  g_assert_cmpstr (error->message, ==, want_classes);
  g_clear_error (&error);

  /* a label 7 in a CSV: 8 classes, and the file says which */
  g_autofree char *dir = g_dir_make_tmp ("rs-test-session-XXXXXX", NULL);
  g_autofree char *seven = g_build_filename (dir, "seven.csv", NULL);
  g_assert_true (g_file_set_contents (seven, "a,b,label\n0.5,1,0\n1.5,2,7\n", -1, NULL));
  g_autofree char *seven_src = g_strconcat ("data.source=csv:", seven, NULL);
  const char *seven_set[] = { seven_src, "model.layers=2,4,2", NULL };
  g_autoptr (RsExperiment) e7 = default_with (seven_set);
  g_assert_null (rs_session_new (e7, &error));
  g_autofree char *want_seven = g_strdup_printf (
    "(preset): [model] layers: the output width 2 does not match the 8 classes of %s "
    "(labels 0..7)", seven);
  g_assert_cmpstr (error->message, ==, want_seven);
  g_clear_error (&error);
  /* class names are listed, not numbers */
  g_assert_true (g_file_set_contents (seven, "a,b,label\n0.5,1,cat\n1.5,2,dog\n2.5,2,emu\n",
                                      -1, NULL));
  g_assert_null (rs_session_new (e7, &error));
  g_autofree char *want_names = g_strdup_printf (
    "(preset): [model] layers: the output width 2 does not match the 3 classes of %s "
    "(cat, dog, emu)", seven);
  g_assert_cmpstr (error->message, ==, want_names);
  g_clear_error (&error);
  g_unlink (seven);
  g_rmdir (dir);

  const char *features[] = { src, "model.layers=7,16,3", NULL };
  g_autoptr (RsExperiment) e2 = default_with (features);
  g_assert_null (rs_session_new (e2, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "[model] layers"));
  g_assert_nonnull (strstr (error->message, "8 features"));
  g_assert_nonnull (strstr (error->message, csv));
  g_clear_error (&error);

  const char *right[] = { src, "model.layers=8,16,3", NULL };
  g_autoptr (RsExperiment) e3 = default_with (right);
  g_autoptr (RsSession) ok = session_for (e3);
  g_assert_cmpint (rs_session_get_train (ok)->features, ==, 8);
}

/* ---- snapshots ---------------------------------------------------------------------- */

static void
test_snapshot_fresh (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (RsSession) s = session_for (exp);
  g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_nonnull (snap);
  g_assert_cmpint (snap->n_layers, ==, 2);
  g_assert_cmpint (snap->latest.step, ==, -1);
  g_assert_cmpint (snap->steps_done, ==, 0);
  g_assert_nonnull (snap->history);
  g_assert_cmpint (snap->history->n, ==, 0);
  g_assert_cmpstr (snap->title, ==, exp->title);
  g_assert_nonnull (snap->experiment);
  g_assert_cmpint (snap->grid_w, ==, 0);
  g_assert_cmpint (snap->image_w, ==, 0);
  g_assert_cmpint (snap->classes, ==, 5);
  double threshold = snap->sparsity_threshold;
  g_assert_cmpfloat (threshold, ==, exp->sparsity_threshold);

  const RsDataset *train = rs_session_get_train (s);
  for (int l = 0; l < 2; l++)
    {
      const RsLayerSnapshot *ls = &snap->layers[l];
      int in = exp->sizes[l], out = exp->sizes[l + 1];
      gsize nw = (gsize) in * out;
      g_autofree char *name = g_strdup_printf ("fc%d", l + 1);
      g_assert_cmpstr (ls->name, ==, name);
      g_assert_cmpint (ls->in, ==, in);
      g_assert_cmpint (ls->out, ==, out);
      g_assert_cmpint (ls->is_output, ==, l == 1);
      g_assert_true (memcmp (ls->weight, rs_session_layer_weight (s, l), nw * sizeof (float)) == 0);
      g_assert_true (memcmp (ls->bias, rs_session_layer_bias (s, l), out * sizeof (float)) == 0);
      g_assert_true (ls->weight != rs_session_layer_weight (s, l)); /* a copy */
      g_assert_cmpuint (ls->hist_log->total, ==, nw);
      g_assert_cmpuint (ls->hist_linear->total, ==, nw);
      guint64 sum = ls->hist_log->below;
      for (int b = 0; b < ls->hist_log->n_bins; b++)
        sum += ls->hist_log->counts[b];
      g_assert_cmpuint (sum, ==, nw);

      const float *w = rs_session_layer_weight (s, l);
      double below = 0, sq = 0;
      for (gsize i = 0; i < nw; i++)
        {
          below += fabs (w[i]) < threshold;
          sq += (double) w[i] * w[i];
        }
      g_assert_cmpfloat_with_epsilon (ls->near_zero_fraction, below / nw, 1e-12);
      assert_rel ("weight l2 norm", ls->weight_l2_norm, sqrt (sq), 1e-9);

      double abs_sum, sq_sum;
      ref_layer_sums (s, l, TRUE, &abs_sum, &sq_sum);
      assert_rel ("layer l1", ls->l1, l == 0 ? 0.005 * abs_sum : 0.0, 1e-12);
      g_assert_cmpfloat (ls->l2, ==, 0.0);

      /* probe activations: the first training rows (no validation set) */
      g_assert_cmpint (ls->probe_rows, ==, MIN (RS_SNAPSHOT_PROBE_ROWS, train->n));
    }
  /* fc1's probe activations against the reference forward */
  double a[2][256];
  for (int r = 0; r < snap->layers[0].probe_rows; r++)
    {
      ref_forward_row (s, train->x + (gsize) r * train->features, a);
      for (int l = 0; l < 2; l++)
        for (int j = 0; j < exp->sizes[l + 1]; j++)
          g_assert_cmpfloat_with_epsilon (snap->layers[l].activations[r * exp->sizes[l + 1] + j],
                                          a[l][j], 1e-5 * MAX (1.0, fabs (a[l][j])));
    }

  /* with a history, latest is its last point */
  RsHistory *history = rs_history_new (16);
  for (int i = 0; i < 3; i++)
    {
      RsMetrics m;
      step_ok (s, &m);
      rs_history_append (history, &m);
    }
  g_autoptr (RsSnapshot) later = rs_session_build_snapshot (s, history, NULL);
  g_assert_cmpint (later->latest.step, ==, 2);
  g_assert_cmpint (later->steps_done, ==, 3);
  g_assert_cmpint (later->history->n, ==, 3);
  g_assert_true (later->history != history);
  g_assert_true (rs_metrics_same_bits (&later->latest, &history->points[2]));
  rs_history_free (history);
  /* the old snapshot did not change */
  g_assert_cmpint (snap->steps_done, ==, 0);
  g_assert_cmpint (snap->latest.step, ==, -1);
}

static void
test_snapshot_spirals (void)
{
  const char *sets[] = { "data.source=spirals", "data.features=2", "model.layers=2,16,3",
                         "data.classes=3", "data.validation=0.2", NULL };
  g_autoptr (RsExperiment) cfg = default_with (sets);
  g_autoptr (RsSession) s = session_for (cfg);
  RsMetrics m;
  for (int i = 0; i < 20; i++)
    step_ok (s, &m);
  g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_cmpint (snap->grid_w, >, 0);
  g_assert_cmpint (snap->grid_h, >, 0);
  g_assert_cmpint (snap->image_w, ==, 0);
  g_assert_cmpint (snap->classes, ==, 3);
  const RsDataset *train = rs_session_get_train (s), *val = rs_session_get_validation (s);
  g_assert_nonnull (val);
  g_assert_cmpint (snap->n_points, ==, train->n + val->n);
  g_assert_cmpint (snap->n_points, ==, cfg->samples);
  for (int i = 0; i < snap->n_points; i++)
    {
      float px = snap->points[2 * i], py = snap->points[2 * i + 1];
      g_assert_cmpfloat (px, >, snap->x0);
      g_assert_cmpfloat (px, <, snap->x1);
      g_assert_cmpfloat (py, >, snap->y0);
      g_assert_cmpfloat (py, <, snap->y1);
      g_assert_cmpint (snap->point_class[i], <, 3);
      g_assert_cmpint (!!snap->point_is_val[i], ==, i >= train->n);
    }

  int cells = snap->grid_w * snap->grid_h, mismatches = 0, seen[3] = { 0 };
  double a[2][256];
  for (int c = 0; c < cells; c++)
    {
      g_assert_cmpint (snap->grid_class[c], <, 3);
      seen[snap->grid_class[c]]++;
      g_assert_cmpfloat (snap->grid_confidence[c], >=, 1.0f / 3 - 1e-6f);
      g_assert_cmpfloat (snap->grid_confidence[c], <=, 1.0f);
      /* the class at the cell centre, by the reference forward */
      int gx = c % snap->grid_w, gy = c / snap->grid_w;
      float xy[2] = { (float) (snap->x0 + (gx + 0.5) * (snap->x1 - snap->x0) / snap->grid_w),
                      (float) (snap->y0 + (gy + 0.5) * (snap->y1 - snap->y0) / snap->grid_h) };
      ref_forward_row (s, xy, a);
      int best = 0;
      for (int j = 1; j < 3; j++)
        if (a[1][j] > a[1][best])
          best = j;
      double margin = INFINITY;
      for (int j = 0; j < 3; j++)
        if (j != best)
          margin = MIN (margin, a[1][best] - a[1][j]);
      if (snap->grid_class[c] != best)
        {
          mismatches++;
          g_assert_cmpfloat (margin, <, 1e-4);
        }
      else if (margin > 1e-4)
        {
          double sum = 0;
          for (int j = 0; j < 3; j++)
            sum += exp (a[1][j] - a[1][best]);
          g_assert_cmpfloat_with_epsilon (snap->grid_confidence[c], 1.0 / sum, 1e-5);
        }
    }
  g_test_message ("grid %dx%d, classes seen %d/%d/%d, near-tie mismatches %d", snap->grid_w,
                  snap->grid_h, seen[0], seen[1], seen[2], mismatches);

  /* reusing a snapshot copies its grid */
  g_autoptr (RsSnapshot) again = rs_session_build_snapshot_reusing (s, NULL, NULL, snap);
  g_assert_cmpint (again->grid_w, ==, snap->grid_w);
  g_assert_true (again->grid_class != snap->grid_class);
  g_assert_true (memcmp (again->grid_class, snap->grid_class, cells) == 0);
}

static void
test_snapshot_digits (void)
{
  const char *sets[] = { "data.source=digits", "model.layers=64,16,10", NULL };
  g_autoptr (RsExperiment) exp = default_with (sets);
  g_autoptr (RsSession) s = session_for (exp);
  g_assert_cmpint (rs_session_get_train (s)->features, ==, 64);
  g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (s, NULL, NULL);
  g_assert_cmpint (snap->image_w, ==, 8);
  g_assert_cmpint (snap->image_h, ==, 8);
  g_assert_cmpint (snap->grid_w, ==, 0);
  g_assert_cmpint (snap->classes, ==, 10);
  g_assert_cmpstr (snap->class_names[9], ==, "9");
  g_assert_null (snap->class_names[10]);
  g_assert_cmpint (snap->layers[0].in, ==, 64);
  g_assert_cmpuint (snap->layers[0].hist_log->total, ==, 64 * 16);
}

/* The data an experiment names, before any session: the shipped set,
 * the generator's points (as the session draws them), a CSV with its
 * label column and preview; an error names the file. */
static void
test_load_data (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();

  exp->source = RS_DATA_IRIS;
  g_autoptr (RsDataset) iris = rs_session_load_data (exp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iris->n, ==, 150);
  g_assert_cmpint (iris->features, ==, 4);
  g_assert_cmpint (iris->classes, ==, 3);

  exp->source = RS_DATA_SPIRALS;
  exp->features = 2;
  exp->classes = 3;
  exp->samples = 90;
  g_autoptr (RsDataset) spirals = rs_session_load_data (exp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spirals->n, ==, 90);
  g_assert_cmpint (spirals->classes, ==, 3);
  g_autoptr (RsDataset) again = rs_dataset_generate (RS_DATA_SPIRALS, 90, 2, 3, exp->noise,
                                                     exp->seed, &error);
  g_assert_cmpmem (spirals->x, 90 * 2 * sizeof (float), again->x, 90 * 2 * sizeof (float));

  exp->source = RS_DATA_CSV;
  exp->csv_path = g_build_filename (RS_TEST_SRCDIR, "data", "csv", "text-labels.csv", NULL);
  g_free (exp->label_column);
  exp->label_column = g_strdup ("species");
  RsCsvInfo info = { 0 };
  g_autoptr (RsDataset) csv = rs_session_load_data (exp, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpint (csv->classes, ==, 3);
  g_assert_cmpint (info.label_column, ==, 4);
  g_assert_cmpint (info.header, ==, RS_CSV_HEADER_NAMES);
  rs_csv_info_clear (&info);

  g_free (exp->label_column);
  exp->label_column = g_strdup ("colour");
  g_autoptr (RsDataset) none = rs_session_load_data (exp, &info, &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "text-labels.csv:1: no column is named 'colour'"));
}

/* ---- early stopping ---------------------------------------------------- */

/* Early stopping as the test computes it from the metrics alone: a pass at
 * every eval_every-th step and at each epoch's end; the best strictly
 * better score, the passes since, where the patience ran out; and the
 * weights before the best pass's step (those the pass saw). */
typedef struct {
  gboolean acc;
  int      patience, eval_every, steps_per_epoch;
  double   best;
  gint64   best_step, stopped_step;
  int      wait, passes;
  gsize    n_params;
  float   *best_params;
} RefStop;

static void
ref_stop_init (RefStop *r, RsSession *s)
{
  const RsExperiment *exp = rs_session_get_experiment (s);
  *r = (RefStop) { .acc = exp->early_stopping.metric == RS_STOP_VAL_ACC,
                   .patience = exp->early_stopping.patience, .eval_every = exp->eval_every,
                   .steps_per_epoch = rs_session_steps_per_epoch (s), .best = NAN,
                   .best_step = -1, .stopped_step = -1,
                   .n_params = rs_experiment_n_params (exp) };
  r->best_params = g_new (float, r->n_params);
}

/* One step of s, with the reference's bookkeeping beside it. */
static void
ref_stop_step (RsSession *s, RefStop *r, RsMetrics *m)
{
  g_autofree float *pre = copy_params (s, NULL);
  step_ok (s, m);
  if (m->step % r->eval_every == 0 || (m->step + 1) % r->steps_per_epoch == 0)
    {
      r->passes++;
      double v = r->acc ? m->val_acc : m->val_loss;
      if (r->best_step < 0 || (r->acc ? v > r->best : v < r->best))
        {
          r->best = v;
          r->best_step = m->step;
          r->wait = 0;
          memcpy (r->best_params, pre, r->n_params * sizeof (float));
        }
      else
        r->wait++;
    }
  if (r->stopped_step < 0 && r->wait >= r->patience)
    r->stopped_step = m->step + 1;

  RsEarlyStop es;
  rs_session_get_early_stop (s, &es);
  g_assert_cmpint (es.best_step, ==, r->best_step);
  g_assert_cmpfloat (es.best_value, ==, r->best);
  g_assert_cmpint (es.wait, ==, r->wait);
  g_assert_cmpint (es.stopped_step, ==, r->stopped_step);
}

/* The default lesson (random labels: validation turns up within a few
 * dozen steps) with mini-batches, validation every 3rd step and at each
 * epoch's end, by loss and by accuracy: the session finds the reference's
 * best pass and counts its patience, stops where it runs out, and puts
 * back the weights the best pass saw, bit for bit. */
static void
test_early_stopping_matches_reference (void)
{
  for (int acc = 0; acc <= 1; acc++)
    {
      g_autoptr (RsExperiment) exp = load_lesson ("overfit-random-labels");
      g_autoptr (GError) error = NULL;
      const char *sets[] = { "data.batch-size=48", "data.shuffle=true",
                             "experiment.eval-every=3", "early-stopping.patience=12",
                             "early-stopping.restore=true",
                             acc ? "early-stopping.metric=val_acc"
                                 : "early-stopping.metric=val_loss", NULL };
      g_assert_true (rs_experiment_set_many (exp, sets, &error));
      g_assert_no_error (error);
      g_autoptr (RsSession) s = session_for (exp);
      g_assert_cmpint (rs_session_steps_per_epoch (s), ==, 4); /* 180 rows: the end of an
                                                                * epoch is a pass too */
      RefStop r;
      ref_stop_init (&r, s);
      RsMetrics m;
      do
        {
          g_assert_cmpint (rs_session_get_step (s), <, rs_session_total_steps (s));
          ref_stop_step (s, &r, &m);
        }
      while (!rs_session_should_stop (s));
      g_assert_cmpint (r.stopped_step, ==, rs_session_get_step (s));
      g_assert_cmpint (r.best_step, >, 0);
      /* not at the first pass, and a later pass was worse */
      g_assert_cmpint (r.passes, >, r.patience);
      g_test_message ("%s: best pass at step %" G_GINT64_FORMAT " (%.4f), stopped at %"
                      G_GINT64_FORMAT " after %d passes", acc ? "val_acc" : "val_loss",
                      r.best_step, r.best, r.stopped_step, r.passes);
      /* restored: the best pass's weights, and its validation score again */
      g_assert_true (params_equal (s, r.best_params));
      double loss, accuracy;
      rs_session_evaluate (s, rs_session_get_validation (s), &loss, &accuracy);
      g_assert_cmpfloat (acc ? accuracy : loss, ==, r.best);
      g_autofree char *text = rs_session_describe_stop (s);
      g_assert_nonnull (strstr (text, acc ? "no better validation accuracy for 12 passes"
                                          : "no better validation loss for 12 passes"));
      g_assert_nonnull (strstr (text, "whose weights are restored"));
      g_free (r.best_params);
    }
}

/* stop=false trains on to the end and only marks the best pass; restore
 * acts at the last step; the event restore-best ("Restore best") puts the
 * best weights back at any time, bit for bit. */
static void
test_early_stopping_keep_going_and_restore_event (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("overfit-random-labels");
  g_autoptr (GError) error = NULL;
  const char *sets[] = { "experiment.steps=150", "early-stopping.patience=20",
                         "early-stopping.stop=false", "early-stopping.restore=true", NULL };
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  g_autoptr (RsSession) s = session_for (exp);
  RefStop r;
  ref_stop_init (&r, s);
  RsMetrics m;
  for (int i = 0; i < 100; i++)
    {
      ref_stop_step (s, &r, &m);
      g_assert_false (rs_session_should_stop (s));
    }
  g_assert_cmpint (r.stopped_step, >, 0); /* the patience ran out, training went on */
  g_assert_false (params_equal (s, r.best_params));

  /* "Restore best", as the window records it: the count of presses goes up */
  RsEvent e = { .step = 100, .layer = -1, .old_value = 0, .new_value = 1 };
  g_strlcpy (e.key, "restore-best", sizeof e.key);
  g_assert_true (rs_run_apply_event (s, &e, &error));
  g_assert_no_error (error);
  g_assert_true (params_equal (s, r.best_params));
  g_autofree char *label = rs_event_describe (&e);
  g_assert_cmpstr (label, ==, "best weights restored");

  /* on to the end: the last step brings the best weights back */
  while (rs_session_get_step (s) < rs_session_total_steps (s))
    {
      ref_stop_step (s, &r, &m);
      g_assert_false (rs_session_should_stop (s));
    }
  g_assert_true (params_equal (s, r.best_params));
  g_autofree char *text = rs_session_describe_stop (s);
  g_assert_nonnull (g_strrstr (text, "early stopping: the best validation loss was at step"));
  g_free (r.best_params);
}

/* Off (patience 0): nothing kept, nothing to restore, no marker; and early
 * stopping without a validation set is refused, naming the key. */
static void
test_early_stopping_off (void)
{
  g_autoptr (RsExperiment) off = load_lesson ("overfit-random-labels");
  g_autoptr (RsSession) s = session_for (off);
  RsMetrics m;
  for (int i = 0; i < 5; i++)
    step_ok (s, &m);
  RsEarlyStop es;
  rs_session_get_early_stop (s, &es);
  g_assert_cmpint (es.best_step, ==, -1);
  g_assert_false (rs_session_restore_best (s));
  g_assert_null (rs_session_describe_stop (s));

  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) no_val = rs_experiment_new_default ();
  g_assert_false (rs_experiment_set (no_val, "early-stopping.patience=3", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "[early-stopping] patience: early stopping needs "
                                            "a validation set"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/session/lesson-resolve", test_lesson_resolve);
  g_test_add_func ("/engine/session/load-data", test_load_data);
  g_test_add_func ("/engine/session/seed-steps", test_seed_steps);
  g_test_add_func ("/engine/session/loss-terms", test_loss_terms);
  g_test_add_func ("/engine/session/loss-terms-bias-and-decay", test_loss_terms_bias_and_decay);
  g_test_add_func ("/engine/session/two-sessions-identical", test_two_sessions_identical);
  g_test_add_func ("/engine/session/seed-matters", test_seed_matters);
  g_test_add_func ("/engine/session/dropout", test_dropout_session);
  g_test_add_func ("/engine/session/input-noise-statistics", test_input_noise_statistics);
  g_test_add_func ("/engine/session/input-noise-own-stream", test_input_noise_own_stream);
  g_test_add_func ("/engine/session/dropout-snapshot-mask", test_dropout_snapshot_mask);
  g_test_add_func ("/engine/session/dropout-output-layer-refused",
                   test_dropout_output_layer_refused);
  g_test_add_func ("/engine/session/reset-reproduces", test_reset_reproduces);
  g_test_add_func ("/engine/session/set-layer-reg", test_set_layer_reg);
  g_test_add_func ("/engine/session/load-init", test_load_init);
  g_test_add_func ("/engine/session/load-init-errors", test_load_init_errors);
  g_test_add_func ("/engine/session/save-checkpoint", test_save_checkpoint);
  g_test_add_func ("/engine/session/divergence", test_divergence);
  g_test_add_func ("/engine/session/divergence-gradient", test_divergence_gradient);
  g_test_add_func ("/engine/session/validation-split", test_validation_split);
  g_test_add_func ("/engine/session/confusion-from-validation", test_confusion_from_validation);
  g_test_add_func ("/engine/session/eval-every", test_eval_every);
  g_test_add_func ("/engine/session/test-set", test_test_set);
  g_test_add_func ("/engine/session/shape-mismatch", test_shape_mismatch);
  g_test_add_func ("/engine/session/csv-label-column", test_csv_label_column);
  g_test_add_func ("/engine/session/early-stopping-matches-reference",
                   test_early_stopping_matches_reference);
  g_test_add_func ("/engine/session/early-stopping-keep-going-and-restore-event",
                   test_early_stopping_keep_going_and_restore_event);
  g_test_add_func ("/engine/session/early-stopping-off", test_early_stopping_off);
  g_test_add_func ("/engine/session/snapshot-fresh", test_snapshot_fresh);
  g_test_add_func ("/engine/session/snapshot-spirals", test_snapshot_spirals);
  g_test_add_func ("/engine/session/snapshot-digits", test_snapshot_digits);
  return g_test_run ();
}
