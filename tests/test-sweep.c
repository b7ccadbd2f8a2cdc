/* test-sweep.c — a sweep: its spec, each point bit for bit the standalone
 * run at that value whatever the number of threads, the summary of a
 * point, cancelling, and errors. */
#include <glib.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "rs-error.h"
#include "rs-lessons.h"
#include "rs-replay.h"
#include "rs-run.h"
#include "rs-stats.h"
#include "rs-sweep.h"

static RsExperiment *
load_lesson (const char *name)
{
  g_autofree char *path = rs_lesson_resolve (name);
  g_assert_nonnull (path);
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  return exp;
}

static void
test_spec (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (GError) error = NULL;
  RsSweepSpec spec;

  g_assert_true (rs_sweep_spec_parse ("fc1.l1=1e-5:1e-1:13", exp, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (spec.key->name, ==, "l1");
  g_assert_cmpint (spec.layer, ==, 0);
  g_assert_cmpint (spec.points, ==, 13);
  g_assert_false (spec.linear);
  /* log-spaced: ends exact, three points a decade, a constant ratio */
  g_assert_cmpfloat (rs_sweep_spec_value (&spec, 0), ==, 1e-5);
  g_assert_cmpfloat (rs_sweep_spec_value (&spec, 12), ==, 1e-1);
  g_assert_cmpfloat_with_epsilon (rs_sweep_spec_value (&spec, 3), 1e-4, 1e-16);
  for (int i = 1; i < 13; i++)
    g_assert_cmpfloat_with_epsilon (rs_sweep_spec_value (&spec, i) / rs_sweep_spec_value (&spec, i - 1),
                                    pow (10, 1.0 / 3), 1e-12);
  g_autofree char *text = rs_sweep_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "fc1.l1=1e-05:0.1:13");

  /* any live number of the key table: a layer's weight decay, the lr */
  g_assert_true (rs_sweep_spec_parse ("layer fc2.weight-decay=0:0.01:5:lin", exp, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (spec.key->name, ==, "weight-decay");
  g_assert_cmpint (spec.layer, ==, 1);
  g_assert_true (spec.linear);
  g_assert_cmpfloat (rs_sweep_spec_value (&spec, 2), ==, 0.005);
  g_autofree char *wd = rs_sweep_spec_to_string (&spec);
  g_assert_cmpstr (wd, ==, "fc2.weight-decay=0:0.01:5:lin");
  g_assert_true (rs_sweep_spec_parse ("optimizer.lr=1e-4:1e-1:4:log", exp, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.layer, ==, -1);
  g_autofree char *lr = rs_sweep_spec_term (&spec);
  g_assert_cmpstr (lr, ==, "optimizer.lr");

  /* fc*.KEY: every layer's at once, as --set on each */
  g_assert_true (rs_sweep_spec_parse ("fc*.l2=1e-5:1e-1:9", exp, &spec, &error));
  g_assert_no_error (error);
  g_assert_true (spec.every_layer);
  g_autofree char *every = rs_sweep_spec_to_string (&spec);
  g_assert_cmpstr (every, ==, "fc*.l2=1e-05:0.1:9");
  g_autoptr (RsExperiment) all = rs_sweep_experiment_at (exp, &spec, 0.001);
  g_autoptr (RsExperiment) each = rs_experiment_copy (exp);
  g_assert_true (rs_experiment_set_many (each, (const char *const[]) {
    "fc1.l2=0.001", "fc2.l2=0.001", NULL }, &error));
  g_assert_true (rs_experiment_equal (all, each));

  /* the lesson at a value is the lesson with --set at that value */
  g_assert_true (rs_sweep_spec_parse ("optimizer.lr=1e-4:1e-1:4", exp, &spec, &error));
  g_autoptr (RsExperiment) at = rs_sweep_experiment_at (exp, &spec, 0.03);
  g_autoptr (RsExperiment) set = rs_experiment_copy (exp);
  g_assert_true (rs_experiment_set (set, "optimizer.lr=0.03", &error));
  g_assert_true (rs_experiment_equal (at, set));
}

static void
test_spec_errors (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  const struct { const char *text, *says; } cases[] = {
    { "fc1.l1", "expected TERM=FROM:TO:POINTS" },
    { "fc1.l1=1e-5:1e-1", "expected TERM=FROM:TO:POINTS" },
    { "fc1.l1=1e-5:1e-1:13:log:x", "expected TERM=FROM:TO:POINTS" },
    { "fc1.l1=a:1e-1:13", "'a' is not a number" },
    { "fc1.l1=1e-5:1e-1:2.5", "'2.5' is not a number of points" },
    { "fc1.l1=1e-5:1e-1:1", "a sweep has 2 to 256 points" },
    { "fc1.l1=1e-5:1e-1:100000", "a sweep has 2 to 256 points" },
    { "fc1.l1=1e-5:1e-1:13:cubic", "'cubic': the spacing is 'log'" },
    { "fc1.l1=0:1e-1:13", "log-spaced points need both ends above 0" },
    { "fc1.l1=1e-3:1e-3:13", "two different finite ends" },
    { "fc1.l1=1e-3:100:13", "fc1.l1 100: must be >= 0 and <= 10" },
    { "fc3.l1=1e-5:1e-1:13", "[layer fc3]: the model has only 2 layers" },
    { "fc1.l3=1e-5:1e-1:13", "[layer fc1] l3: unknown key" },
    { "fc1.l1-suggested=1e-5:1e-1:13", "not a setting of the run" },
    { "fc1.activity-norm=1e-5:1e-1:13", "is not a strength a sweep can vary" },
    { "data.noise=0.1:1:3", "is not a strength a sweep can vary (it varies " },
    { "fc*.lr=1e-5:1e-1:13", "[layer fc1] lr: unknown key" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      RsSweepSpec spec;
      g_assert_false (rs_sweep_spec_parse (cases[i].text, exp, &spec, &error));
      g_assert_nonnull (error);
      g_test_message ("%s -> %s", cases[i].text, error->message);
      g_autofree char *start = g_strdup_printf ("--sweep '%s': ", cases[i].text);
      g_assert_true (g_str_has_prefix (error->message, start));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_null (strchr (error->message, '\n'));
    }
}

typedef struct {
  /* pthread's, not GLib's: GMutex is a bare futex that gcc's TSan cannot
   * see, so it took the reports' locking for a race */
  pthread_mutex_t lock;
  pthread_cond_t  armed;
  gboolean hold;               /* reports wait until cancel_after_first is set */
  int     calls[RS_SWEEP_MAX_POINTS];
  int     order[RS_SWEEP_MAX_POINTS];
  int     n;
  RsSweep *cancel_after_first; /* cancels from the first report */
} Reports;

static void
on_point (const RsSweepPoint *p, gpointer data)
{
  Reports *r = data;
  pthread_mutex_lock (&r->lock);
  while (r->hold && r->cancel_after_first == NULL)
    pthread_cond_wait (&r->armed, &r->lock);
  r->calls[p->index]++;
  r->order[r->n++] = p->index;
  RsSweep *sweep = r->cancel_after_first;
  pthread_mutex_unlock (&r->lock);
  if (sweep != NULL)
    rs_sweep_cancel (sweep);
}

/* The standalone run at `value`, as `regscope-train --set TERM=VALUE`. */
static void
standalone (const RsExperiment *exp, const RsSweepSpec *spec, double value, gint64 steps,
            RsSweepPoint *out, guint64 *fingerprint)
{
  g_autoptr (RsExperiment) x = rs_experiment_copy (exp);
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (v, value);
  g_autofree char *term = rs_sweep_spec_term (spec);
  g_autofree char *set = g_strdup_printf ("%s=%s", term, v);
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set (x, set, &error));
  x->steps = steps;
  g_autoptr (RsSession) s = rs_session_new (x, &error);
  g_assert_no_error (error);
  g_assert_true (rs_run (s, rs_session_total_steps (s), NULL, 0, NULL, NULL, NULL, NULL,
                         &error));
  *fingerprint = rs_sweep_fingerprint (s);
  rs_session_evaluate (s, rs_session_get_train (s), &out->train_loss, &out->train_acc);
  rs_session_evaluate (s, rs_session_get_validation (s), &out->val_loss, &out->val_acc);
  const float *w = rs_session_layer_weight (s, 0);
  out->weight_norm[0] = rs_stats_l2_norm (w, (gsize) x->sizes[0] * x->sizes[1]);
  out->near_zero[0] = rs_stats_fraction_below (w, (gsize) x->sizes[0] * x->sizes[1],
                                               x->sparsity_threshold);
}

static void
run_sweep (const RsExperiment *exp, const RsSweepSpec *spec, int jobs, gint64 steps,
           RsSweepPoint *points)
{
  Reports r = { 0 };
  pthread_mutex_init (&r.lock, NULL);
  RsSweepOptions options = { .jobs = jobs, .steps = steps, .unit_layer = -1 };
  g_autoptr (GError) error = NULL;
  RsSweep *sweep = rs_sweep_start (exp, spec, &options, on_point, &r, &error);
  g_assert_no_error (error);
  rs_sweep_wait (sweep);
  g_assert_true (rs_sweep_is_done (sweep));
  g_assert_cmpuint (rs_sweep_get_serial (sweep), ==, spec->points);
  gint64 done, total;
  rs_sweep_get_progress (sweep, &done, &total);
  g_assert_cmpint (done, ==, steps * spec->points);
  g_assert_cmpint (total, ==, steps * spec->points);
  g_assert_cmpint (r.n, ==, spec->points);
  for (int i = 0; i < spec->points; i++)
    {
      g_assert_cmpint (r.calls[i], ==, 1);
      g_assert_true (rs_sweep_get_point (sweep, i, &points[i]));
    }
  rs_sweep_free (sweep);
  pthread_mutex_destroy (&r.lock);
}

/* The promise of the sweep: point i is the run a student would get with
 * --set TERM=value, bit for bit, on 1, 2 or 3 threads. A lesson with a
 * validation split, minibatches and shuffling, so every source of
 * randomness (data, split, init, shuffle order) is in play. */
static void
test_points_equal_standalone_runs (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("l2-spiral");
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set_many (exp, (const char *const[]) {
    "model.layers=2,16,16,3", "data.batch-size=32", "data.shuffle=true", NULL }, &error));
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc1.l2=1e-4:1e-1:5", exp, &spec, &error));
  const gint64 steps = 60;

  RsSweepPoint by_jobs[3][5];
  for (int j = 0; j < 3; j++)
    run_sweep (exp, &spec, j + 1, steps, by_jobs[j]);

  guint64 fingerprints[5];
  for (int i = 0; i < spec.points; i++)
    {
      RsSweepPoint alone = { 0 };
      standalone (exp, &spec, rs_sweep_spec_value (&spec, i), steps, &alone, &fingerprints[i]);
      for (int j = 0; j < 3; j++)
        {
          const RsSweepPoint *p = &by_jobs[j][i];
          g_assert_cmpint (p->index, ==, i);
          g_assert_null (p->error);
          g_assert_cmpint (p->steps, ==, steps);
          g_assert_cmpuint (p->fingerprint, ==, fingerprints[i]);
          g_assert_cmpfloat (p->train_loss, ==, alone.train_loss);
          g_assert_cmpfloat (p->val_loss, ==, alone.val_loss);
          g_assert_cmpfloat (p->val_acc, ==, alone.val_acc);
          g_assert_cmpfloat (p->weight_norm[0], ==, alone.weight_norm[0]);
          g_assert_cmpfloat (p->near_zero[0], ==, alone.near_zero[0]);
          /* the same bits as one thread's sweep, every field */
          g_assert_true (rs_metrics_same_bits (&p->last, &by_jobs[0][i].last));
          g_assert_cmpmem (p->unit_norm, sizeof (double) * p->n_units, by_jobs[0][i].unit_norm,
                           sizeof (double) * by_jobs[0][i].n_units);
        }
    }
  /* and the points differ: λ reached each run */
  for (int i = 1; i < spec.points; i++)
    g_assert_cmpuint (fingerprints[i], !=, fingerprints[i - 1]);
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < spec.points; i++)
      rs_sweep_point_clear (&by_jobs[j][i]);
}

/* What a point reports: best <= final, norms and shares of the model's
 * layers, one norm per unit of the chosen layer, and L2 shrinking ||W||. */
static void
test_point_summary (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("l2-spiral");
  g_autoptr (GError) error = NULL;
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc2.l2=1e-4:1:3", exp, &spec, &error));
  RsSweepPoint points[3];
  run_sweep (exp, &spec, 2, 150, points);
  for (int i = 0; i < 3; i++)
    {
      const RsSweepPoint *p = &points[i];
      g_assert_cmpfloat (p->value, ==, rs_sweep_spec_value (&spec, i));
      g_assert_cmpint (p->n_layers, ==, 3);
      g_assert_cmpint (p->unit_layer, ==, 1);  /* the term's layer */
      g_assert_cmpint (p->n_units, ==, 64);
      g_assert_cmpfloat (p->best_val_loss, <=, p->val_loss);
      g_assert_cmpfloat (p->best_val_acc, >=, p->val_acc);
      g_assert_cmpint (p->best_val_step, >=, 0);
      g_assert_cmpfloat (p->best_train_loss, <=, p->last.task_loss);
      g_assert_cmpfloat (p->val_acc, >=, 0);
      g_assert_cmpfloat (p->val_acc, <=, 1);
      double sum_sq = 0;
      for (int u = 0; u < p->n_units; u++)
        sum_sq += p->unit_norm[u] * p->unit_norm[u];
      /* the unit norms are the rows of fc2's W */
      g_assert_cmpfloat_with_epsilon (sqrt (sum_sq), p->weight_norm[1], 1e-6 * p->weight_norm[1]);
      for (int l = 0; l < 3; l++)
        {
          g_assert_cmpfloat (p->weight_norm[l], >, 0);
          g_assert_cmpfloat (p->near_zero[l], >=, 0);
          g_assert_cmpfloat (p->near_zero[l], <=, 1);
        }
    }
  /* the penalised layer shrinks as λ grows; an unpenalised one does not by as much */
  g_assert_cmpfloat (points[2].weight_norm[1], <, 0.5 * points[0].weight_norm[1]);
  g_test_message ("fc2 ||W||: %g %g %g", points[0].weight_norm[1], points[1].weight_norm[1],
                  points[2].weight_norm[1]);
  g_assert_cmpint (rs_sweep_best_point (points, 3), >=, 0);

  /* the CSV row has the header's columns, in the C locale */
  g_autofree char *header = rs_sweep_csv_header ("fc2.l2", 3);
  g_autofree char *row = rs_sweep_csv_row (&points[1]);
  g_auto (GStrv) h = g_strsplit (header, ",", -1);
  g_auto (GStrv) r = g_strsplit (row, ",", -1);
  g_assert_cmpuint (g_strv_length (h), ==, g_strv_length (r));
  g_assert_cmpstr (h[0], ==, "fc2.l2");
  g_assert_cmpfloat (g_ascii_strtod (r[0], NULL), ==, points[1].value);
  for (int i = 0; i < 3; i++)
    rs_sweep_point_clear (&points[i]);
}

/* Cancel from the first report on one thread: nothing else starts. Cancel
 * a sweep of endless runs at once: wait returns, with the runs cut short. */
static void
test_cancel (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (GError) error = NULL;
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc1.l1=1e-4:1e-2:6", exp, &spec, &error));

  Reports r = { .hold = TRUE };
  pthread_mutex_init (&r.lock, NULL);
  pthread_cond_init (&r.armed, NULL);
  RsSweepOptions one = { .jobs = 1, .steps = 50, .unit_layer = -1 };
  RsSweep *sweep = rs_sweep_start (exp, &spec, &one, on_point, &r, &error);
  g_assert_no_error (error);
  pthread_mutex_lock (&r.lock);
  r.cancel_after_first = sweep;
  pthread_cond_signal (&r.armed);
  pthread_mutex_unlock (&r.lock);
  rs_sweep_wait (sweep);
  /* one thread: the first report cancels before the second point starts */
  g_assert_cmpint (r.n, ==, 1);
  g_assert_cmpint (r.order[0], ==, 0);
  g_assert_false (rs_sweep_is_done (sweep));
  RsSweepPoint p;
  g_assert_false (rs_sweep_get_point (sweep, 5, &p));
  rs_sweep_free (sweep);

  RsSweepOptions endless = { .jobs = 2, .steps = G_GINT64_CONSTANT (1) << 40, .unit_layer = -1 };
  Reports none = { 0 };
  pthread_mutex_init (&none.lock, NULL);
  sweep = rs_sweep_start (exp, &spec, &endless, on_point, &none, &error);
  g_assert_no_error (error);
  rs_sweep_cancel (sweep);
  rs_sweep_wait (sweep);
  gint64 done, total;
  rs_sweep_get_progress (sweep, &done, &total);
  g_assert_cmpint (done, <, total);
  g_assert_cmpint (none.n, ==, 0);
  g_assert_cmpuint (rs_sweep_get_serial (sweep), ==, 0);
  rs_sweep_free (sweep);
  pthread_mutex_destroy (&r.lock);
  pthread_cond_destroy (&r.armed);
  pthread_mutex_destroy (&none.lock);
}

typedef struct {
  pthread_mutex_t lock;
  RsSweep *sweep;        /* set before any report can come */
  gboolean held;
} HoldReports;

static void
hold_on_first_point (const RsSweepPoint *p, gpointer data)
{
  HoldReports *r = data;
  pthread_mutex_lock (&r->lock);
  if (!r->held)
    rs_sweep_hold (r->sweep, TRUE);
  r->held = TRUE;
  pthread_mutex_unlock (&r->lock);
}

/* A held sweep's workers wait before their next step; cancelling wakes
 * them; and a hold changes no result: the points are the same bits as
 * an unheld sweep's. */
static void
test_hold (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (GError) error = NULL;
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc1.l1=1e-4:1e-2:4", exp, &spec, &error));

  RsSweepOptions endless = { .jobs = 2, .steps = G_GINT64_CONSTANT (1) << 40, .unit_layer = -1 };
  RsSweep *sweep = rs_sweep_start (exp, &spec, &endless, NULL, NULL, &error);
  g_assert_no_error (error);
  rs_sweep_hold (sweep, TRUE);
  rs_sweep_wait_held (sweep, 2);   /* returns: both wait */
  rs_sweep_cancel (sweep);
  rs_sweep_wait (sweep);   /* returns: the cancel woke the held workers */
  rs_sweep_free (sweep);

  /* Held from the first report until both workers wait, then let go. */
  const gint64 steps = 60;
  RsSweepPoint plain[4];
  run_sweep (exp, &spec, 2, steps, plain);
  HoldReports r = { 0 };
  pthread_mutex_init (&r.lock, NULL);
  RsSweepOptions options = { .jobs = 2, .steps = steps, .unit_layer = -1 };
  /* the first report can only come after a point's 60 steps: r.sweep is
   * set long before (and under the lock the callback takes) */
  pthread_mutex_lock (&r.lock);
  sweep = rs_sweep_start (exp, &spec, &options, hold_on_first_point, &r, &error);
  g_assert_no_error (error);
  r.sweep = sweep;
  pthread_mutex_unlock (&r.lock);
  rs_sweep_wait_held (sweep, 2);
  gint64 done, total;
  rs_sweep_get_progress (sweep, &done, &total);
  g_assert_cmpint (done, <, total);
  g_assert_false (rs_sweep_is_done (sweep));
  rs_sweep_hold (sweep, FALSE);
  rs_sweep_wait (sweep);
  g_assert_true (rs_sweep_is_done (sweep));
  for (int i = 0; i < spec.points; i++)
    {
      RsSweepPoint p = { 0 };
      g_assert_true (rs_sweep_get_point (sweep, i, &p));
      g_assert_cmpuint (p.fingerprint, ==, plain[i].fingerprint);
      g_assert_true (rs_metrics_same_bits (&p.last, &plain[i].last));
      rs_sweep_point_clear (&p);
      rs_sweep_point_clear (&plain[i]);
    }
  rs_sweep_free (sweep);
  pthread_mutex_destroy (&r.lock);
}

/* A lesson whose data can not be read fails at the start, naming the file. */
static void
test_bad_lesson (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("seed-l1");
  g_autoptr (GError) error = NULL;
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc1.l1=1e-4:1e-2:3", exp, &spec, &error));
  RsSweepOptions options = { .jobs = 2, .init_path = "/nonexistent/init.safetensors",
                             .unit_layer = -1 };
  RsSweep *sweep = rs_sweep_start (exp, &spec, &options, NULL, NULL, &error);
  g_assert_null (sweep);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/init.safetensors"));
  g_clear_error (&error);
  options.init_path = NULL;
  options.unit_layer = 5;
  g_assert_null (rs_sweep_start (exp, &spec, &options, NULL, NULL, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
}

/* A lesson keeps its sweep in [sweep] (read and written through the key
 * table): a preset, Save Lesson As and a saved session carry it, and a bad
 * one is an error naming the file. */
static void
test_lesson_section (void)
{
  const char *ini =
    "[experiment]\ntitle=t\ndescription=d\n[model]\nlayers=10,20,5\n"
    "[sweep]\nterm=fc*.l2\nfrom=0.001\nto=1\npoints=4\nspacing=lin\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (ini, -1, "s.ini", &error);
  g_assert_no_error (error);
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_from_experiment (&spec, exp));
  g_autofree char *text = rs_sweep_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "fc*.l2=0.001:1:4:lin");

  /* written back (Save Lesson As, a saved session) and read again */
  g_autofree char *saved = rs_replay_to_string (exp, NULL, 10, NULL, 0);
  g_assert_nonnull (strstr (saved, "[sweep]"));
  g_autoptr (RsReplay) replay = rs_replay_load_from_data (saved, -1, "session.ini", &error);
  g_assert_no_error (error);
  g_assert_true (rs_experiment_equal (replay->experiment, exp));
  RsSweepSpec back;
  g_assert_true (rs_sweep_spec_from_experiment (&back, replay->experiment));
  g_assert_true (back.key == spec.key && back.every_layer && back.linear);
  g_assert_cmpfloat (back.to, ==, 1.0);

  /* a spec set from the window's controls becomes the lesson's */
  g_autoptr (RsExperiment) other = rs_experiment_new_default ();
  g_assert_null (other->sweep_term);
  g_autofree char *plain = rs_experiment_to_ini (other);
  g_assert_null (strstr (plain, "[sweep]"));
  rs_sweep_spec_to_experiment (&spec, other);
  g_assert_cmpstr (other->sweep_term, ==, "fc*.l2");
  g_assert_true (rs_experiment_validate (other, &error));

  const struct { const char *sweep, *says; } bad[] = {
    { "term=fc9.l2\n", "s.ini: [sweep]: [layer fc9]: the model has only 2 layers" },
    { "term=fc1.l2\nfrom=0\n", "s.ini: [sweep]: log-spaced points need both ends above 0" },
    { "term=fc1.l2\npoints=1\n", "s.ini: [sweep] points: must be >= 2" },
    { "term=fc1.l2\nspacing=cubic\n", "s.ini: [sweep] spacing:" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text_i = g_strconcat ("[experiment]\ntitle=t\ndescription=d\n[sweep]\n",
                                             bad[i].sweep, NULL);
      g_autoptr (GError) e = NULL;
      g_assert_null (rs_experiment_load_from_data (text_i, -1, "s.ini", &e));
      g_test_message ("%s", e->message);
      g_assert_nonnull (strstr (e->message, bad[i].says));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/sweep/spec", test_spec);
  g_test_add_func ("/engine/sweep/spec-errors", test_spec_errors);
  g_test_add_func ("/engine/sweep/points-equal-standalone-runs",
                   test_points_equal_standalone_runs);
  g_test_add_func ("/engine/sweep/point-summary", test_point_summary);
  g_test_add_func ("/engine/sweep/cancel", test_cancel);
  g_test_add_func ("/engine/sweep/hold", test_hold);
  g_test_add_func ("/engine/sweep/bad-lesson", test_bad_lesson);
  g_test_add_func ("/engine/sweep/lesson-section", test_lesson_section);
  return g_test_run ();
}
