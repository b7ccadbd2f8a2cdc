/* test-twin.c — twin runs: A and B from the same initialisation on the
 * same batches (and dropout masks), B bit for bit the standalone run with
 * its overrides; the [compare] section read, checked and written back. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-replay.h"
#include "rs-run.h"
#include "rs-sweep.h"
#include "rs-trainer.h"
#include "rs-twin.h"

#define STEPS 60

/* Shuffled mini-batches and dropout: every random stream a step draws. */
static RsExperiment *
shuffled_dropout (void)
{
  RsExperiment *exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set_many (exp, (const char *const[]) {
    "data.batch-size=16", "data.shuffle=true", "fc1.dropout=0.3", "experiment.steps=60",
    NULL }, &error));
  g_assert_no_error (error);
  return exp;
}

static void
set_compare (RsExperiment *exp, const char *const *entries)
{
  g_autoptr (GError) error = NULL;
  gsize n = g_strv_length ((char **) entries);
  const char **names = g_newa (const char *, n + 1);
  for (gsize i = 0; i <= n; i++)
    names[i] = i < n ? "test" : NULL;
  g_assert_true (rs_twin_set_compare (exp, entries, names, "test", &error));
  g_assert_no_error (error);
}

/* Bit for bit (NaN included; not the padding after epoch). */
static void
assert_same_metrics (const RsMetrics *a, const RsMetrics *b)
{
  g_assert_cmpint (a->step, ==, b->step);
  g_assert_cmpint (a->epoch, ==, b->epoch);
  gsize from = G_STRUCT_OFFSET (RsMetrics, loss);
  g_assert_cmpmem ((const char *) a + from, sizeof *a - from, (const char *) b + from,
                   sizeof *b - from);
}

/* Steps a standalone session of exp and returns its metrics. */
static RsMetrics *
standalone (const RsExperiment *exp, guint64 *fingerprint)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  RsMetrics *m = g_new0 (RsMetrics, STEPS);
  for (int i = 0; i < STEPS; i++)
    {
      g_assert_true (rs_session_step (s, &m[i], &error));
      g_assert_no_error (error);
    }
  *fingerprint = rs_sweep_fingerprint (s);
  return m;
}

static void
test_b_without_overrides_is_a (void)
{
  g_autoptr (RsExperiment) exp = shuffled_dropout ();
  set_compare (exp, (const char *const[]) { NULL });
  g_assert_nonnull (exp->compare);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTwin) twin = rs_twin_new (exp, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < STEPS; i++)
    {
      RsMetrics a, b;
      g_assert_true (rs_twin_step (twin, &a, &b, &error));
      g_assert_no_error (error);
      assert_same_metrics (&a, &b);
    }
  g_assert_cmpuint (rs_sweep_fingerprint (twin->a), ==, rs_sweep_fingerprint (twin->b));
  /* and A is the lesson's run */
  guint64 alone;
  g_free (standalone (exp, &alone));
  g_assert_cmpuint (alone, ==, rs_sweep_fingerprint (twin->a));
}

static void
test_b_equals_standalone_set (void)
{
  g_autoptr (RsExperiment) exp = shuffled_dropout ();
  set_compare (exp, (const char *const[]) { "fc1.l1=0.01", "optimizer.lr=0.003", NULL });
  g_assert_cmpstr (exp->compare[0], ==, "fc1.l1=0.01");
  g_assert_cmpstr (exp->compare[1], ==, "optimizer.lr=0.003");

  g_autoptr (RsExperiment) set = rs_experiment_copy (exp);
  g_clear_pointer (&set->compare, g_strfreev);
  g_autoptr (RsExperiment) plain = rs_experiment_copy (set);
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set_many (set, (const char *const[]) {
    "fc1.l1=0.01", "optimizer.lr=0.003", NULL }, &error));
  g_assert_no_error (error);
  guint64 fa, fb;
  g_autofree RsMetrics *ma = standalone (plain, &fa);
  g_autofree RsMetrics *mb = standalone (set, &fb);
  g_assert_cmpuint (fa, !=, fb);

  g_autoptr (RsTwin) twin = rs_twin_new (exp, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < STEPS; i++)
    {
      RsMetrics a, b;
      g_assert_true (rs_twin_step (twin, &a, &b, &error));
      assert_same_metrics (&a, &ma[i]);
      assert_same_metrics (&b, &mb[i]);
    }
  g_assert_cmpuint (rs_sweep_fingerprint (twin->a), ==, fa);
  g_assert_cmpuint (rs_sweep_fingerprint (twin->b), ==, fb);
}

/* The same batch and the same dropout masks at the same step: with equal
 * weights (step 0) and a difference outside the task loss (an L2 term),
 * A's and B's task losses agree; then B's penalty moves it away. At
 * every step the batch is the same rows: the epoch ends together. */
static void
test_streams_shared (void)
{
  g_autoptr (RsExperiment) exp = shuffled_dropout ();
  set_compare (exp, (const char *const[]) { "fc2.l2=0.5", NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTwin) twin = rs_twin_new (exp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rs_session_steps_per_epoch (twin->a), ==,
                   rs_session_steps_per_epoch (twin->b));
  gboolean apart = FALSE;
  for (int i = 0; i < STEPS; i++)
    {
      RsMetrics a, b;
      g_assert_true (rs_twin_step (twin, &a, &b, &error));
      g_assert_cmpint (a.epoch, ==, b.epoch);
      if (i == 0)
        {
          g_assert_cmpfloat (a.task_loss, ==, b.task_loss);
          g_assert_cmpfloat (a.train_acc, ==, b.train_acc);
          g_assert_cmpfloat (a.l2, ==, 0);
          g_assert_cmpfloat (b.l2, >, 0);
        }
      else
        apart |= a.task_loss != b.task_loss;
    }
  g_assert_true (apart);
  /* a different dropout mask would show at step 0: the masks come from
   * the seed's own stream in both */
  g_autoptr (RsExperiment) other = rs_experiment_copy (exp);
  other->seed = 1;
  g_autoptr (RsTwin) twin2 = rs_twin_new (other, NULL, &error);
  RsMetrics a, b;
  g_assert_true (rs_twin_step (twin2, &a, &b, &error));
  g_assert_cmpfloat (a.task_loss, ==, b.task_loss);
}

static const char preset[] =
  "[experiment]\n"
  "title=T\n"
  "description=D\n"
  "[model]\n"
  "layers=10,20,5\n"
  "[compare]\n"
  "layer fc1.l1=0.01  # B carves\n"
  "optimizer.lr=0.01\n";

static void
test_compare_section (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (preset, -1, "t.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (exp->compare), ==, 2);
  g_assert_cmpstr (exp->compare[0], ==, "fc1.l1=0.01");
  g_assert_cmpstr (exp->compare[1], ==, "optimizer.lr=0.01");
  g_autoptr (RsExperiment) b = rs_twin_experiment_b (exp, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (b->layer[0].l1, ==, 0.01);
  g_assert_cmpfloat (b->optimizer.lr, ==, 0.01);
  g_assert_null (b->compare);
  g_assert_cmpfloat (exp->layer[0].l1, ==, 0);
  g_autofree char *da = rs_twin_describe (exp, 0);
  g_autofree char *db = rs_twin_describe (exp, 1);
  g_assert_cmpstr (da, ==, "A: fc1 L1 0, lr 0.001");
  g_assert_cmpstr (db, ==, "B: fc1 L1 0.01, lr 0.01");

  /* written and read back: the same twin */
  g_autofree char *ini = rs_experiment_to_ini (exp);
  g_assert_nonnull (strstr (ini, "[compare]\nfc1.l1=0.01\noptimizer.lr=0.01\n"));
  g_autoptr (RsExperiment) again = rs_experiment_load_from_data (ini, -1, "again.ini", &error);
  g_assert_no_error (error);
  g_assert_true (rs_experiment_equal (exp, again));

  /* an empty [compare] is a twin whose B is A, and stays one */
  g_autoptr (RsExperiment) empty = rs_experiment_load_from_data (
    "[experiment]\ntitle=T\ndescription=D\n[compare]\n", -1, "e.ini", &error);
  g_assert_no_error (error);
  g_assert_nonnull (empty->compare);
  g_assert_cmpuint (g_strv_length (empty->compare), ==, 0);
  g_autofree char *ini2 = rs_experiment_to_ini (empty);
  g_autoptr (RsExperiment) empty2 = rs_experiment_load_from_data (ini2, -1, "e2.ini", &error);
  g_assert_no_error (error);
  g_assert_nonnull (empty2->compare);
  /* no [compare]: no twin */
  g_clear_pointer (&exp->compare, g_strfreev);
  g_autofree char *ini3 = rs_experiment_to_ini (exp);
  g_assert_null (strstr (ini3, "[compare]"));
  g_assert_false (rs_experiment_equal (exp, again));
}

static void
test_compare_errors (void)
{
  static const struct {
    const char *lines;
    const char *message;
  } cases[] = {
    /* the preset's lines 1-5 come first: the error names line 6 or 7 */
    { "fc1.l3=0.01\n", "bad.ini:6: [layer fc1] l3: unknown key (did you mean 'l1'?)" },
    { "optimizer.lr=0.01\nfc1.l1=much\n", "bad.ini:7: [layer fc1] l1: 'much' is not a number" },
    { "fc1.l1=-1\n", "bad.ini:6: [layer fc1] l1: must be >= 0 and <= 10, got -1" },
    { "fc3.l1=0.01\n", "bad.ini:6: [layer fc3]: the model has only 2 layers (fc1..fc2)" },
    { "data.samples=10\n", "bad.ini:6: data.samples: B differs from A only in what can "
                           "change while training (a layer's terms, the optimizer's "
                           "settings, label smoothing)" },
    { "fc2.dropout=0.5\n", "bad.ini: [compare]: [layer fc2] dropout: applies to hidden "
                           "layers only; fc2 is the output layer" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat ("[experiment]\ntitle=T\ndescription=D\n"
                                           "[model]\n[compare]\n", cases[i].lines, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (text, -1, "bad.ini", &error);
      g_assert_null (exp);
      g_assert_error (error, RS_ERROR, error->code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_null (strchr (error->message, '\n'));
    }
}

/* A saved session keeps the twin: [compare] beside [replay]. */
static void
test_replay_keeps_compare (void)
{
  g_autoptr (RsExperiment) exp = shuffled_dropout ();
  set_compare (exp, (const char *const[]) { "fc1.weight-decay=0.1", NULL });
  RsEvent e = { .step = 5, .layer = 0, .key = "l1", .old_value = 0, .new_value = 0.01 };
  RsEvent wd = { .step = 7, .layer = 0, .key = "weight-decay", .old_value = 0, .new_value = 0.2 };
  RsEvent events[] = { e, wd };
  g_autofree char *text = rs_replay_to_string (exp, NULL, 20, events, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "s.ini", &error);
  g_assert_no_error (error);
  g_assert_true (rs_experiment_equal (exp, r->experiment));
  g_assert_cmpstr (r->experiment->compare[0], ==, "fc1.weight-decay=0.1");
  /* B follows A's L1 change, not the weight decay it sets itself */
  g_assert_true (rs_twin_b_follows (exp, &events[0]));
  g_assert_false (rs_twin_b_follows (exp, &events[1]));
}

/* Runs exp with events through rs_run and checks the history against h. */
static void
assert_history_is_run (const RsHistory *h, const RsExperiment *exp, const RsEvent *events,
                       int n_events, gint64 steps)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  RsHistory *want = rs_history_new (4096);
  g_assert_true (rs_run (s, steps, events, n_events, want, NULL, NULL, NULL, &error));
  g_assert_cmpint (h->n, ==, want->n);
  for (int i = 0; i < h->n; i++)
    assert_same_metrics (&h->points[i], &want->points[i]);
  rs_history_free (want);
}

/* The window's twin: the trainer steps B right after A; A's changes reach
 * B but for B's own term; each equals its standalone run with the same
 * events, and a saved session keeps [compare]. */
static void
test_trainer_lockstep (void)
{
  g_autoptr (RsExperiment) exp = shuffled_dropout ();
  set_compare (exp, (const char *const[]) { "fc1.l1=0.01", NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) b_exp = rs_twin_experiment_b (exp, &error);
  g_autoptr (RsExperiment) a_exp = rs_experiment_copy (exp);
  g_clear_pointer (&a_exp->compare, g_strfreev);
  RsTrainer *t = rs_trainer_new (rs_session_new (a_exp, &error));
  rs_trainer_set_twin (t, exp, rs_session_new (b_exp, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 20; i++)
    rs_trainer_step (t);
  rs_trainer_sync (t);
  RsLayerReg fc1 = a_exp->layer[0], fc2 = a_exp->layer[1];
  fc1.l1 = 0.002;  /* B keeps its own 0.01 */
  fc2.l2 = 0.05;   /* B follows */
  rs_trainer_set_layer_reg (t, 0, &fc1);
  rs_trainer_set_layer_reg (t, 1, &fc2);
  for (int i = 0; i < 20; i++)
    rs_trainer_step (t);
  rs_trainer_sync (t);

  g_autoptr (RsSnapshot) a = rs_trainer_get_snapshot (t);
  g_autoptr (RsSnapshot) b = rs_trainer_get_twin_snapshot (t);
  g_assert_nonnull (b);
  RsEvent l1 = { 20, 0, "l1", 0, 0.002 };
  RsEvent l2 = { 20, 1, "l2", 0, 0.05 };
  RsEvent a_events[] = { l1, l2 };
  assert_history_is_run (a->history, a_exp, a_events, 2, 40);
  assert_history_is_run (b->history, b_exp, &l2, 1, 40);

  /* saved: [compare] and A's events; replayed as the CLI does, B again */
  g_autofree char *dir = g_dir_make_tmp ("regscope-twin-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.ini", NULL);
  g_assert_true (rs_trainer_save_session (t, path, &error));
  g_assert_no_error (error);
  g_autoptr (RsReplay) r = rs_replay_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->experiment->compare[0], ==, "fc1.l1=0.01");
  g_assert_cmpint (r->n_events, ==, 2);
  g_assert_false (rs_twin_b_follows (r->experiment, &r->events[0]));
  g_assert_true (rs_twin_b_follows (r->experiment, &r->events[1]));

  /* off: one run again, A going on, no B snapshot, and the session has
   * no [compare] */
  rs_trainer_set_twin (t, NULL, NULL);
  rs_trainer_step (t);
  rs_trainer_sync (t);
  g_assert_null (rs_trainer_get_twin_snapshot (t));
  g_autoptr (RsSnapshot) on = rs_trainer_get_snapshot (t);
  g_assert_cmpint (on->steps_done, ==, 41);
  g_assert_true (rs_trainer_save_session (t, path, &error));
  g_autoptr (RsReplay) r2 = rs_replay_load (path, &error);
  g_assert_null (r2->experiment->compare);
  g_unlink (path);
  g_rmdir (dir);
  rs_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/twin/b-without-overrides-is-a", test_b_without_overrides_is_a);
  g_test_add_func ("/engine/twin/b-equals-standalone-set", test_b_equals_standalone_set);
  g_test_add_func ("/engine/twin/streams-shared", test_streams_shared);
  g_test_add_func ("/engine/twin/compare-section", test_compare_section);
  g_test_add_func ("/engine/twin/compare-errors", test_compare_errors);
  g_test_add_func ("/engine/twin/replay-keeps-compare", test_replay_keeps_compare);
  g_test_add_func ("/engine/twin/trainer-lockstep", test_trainer_lockstep);
  return g_test_run ();
}
