/* test-lessons.c — every shipped lesson shows what its text promises.
 *
 * Each test trains a lesson headless twice from the same initialisation
 * (the lesson's seed): once with the action its text asks for — the switch
 * flipped at the step the text names, as the same events the window records
 * — and once without. It reads the result the way a student reads the
 * plots: from the snapshot the window draws (the share of fc1's weights
 * under the lesson's sparsity threshold, the silent units of the activation
 * heatmap's probe batch, ‖W‖, mean |a|) and from the loss and accuracy
 * curves (each step's RsMetrics). The numbers asserted are the ones the
 * lesson texts and the README's lesson table state; g_test_message prints
 * what was measured (run with --verbose). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-keys.h"
#include "rs-lessons.h"
#include "rs-run.h"
#include "rs-session.h"
#include "rs-sweep.h"

typedef struct {
  GArray     *metrics;   /* RsMetrics of every step */
  RsSnapshot *mark;      /* the plots at the mark step (NULL without one) */
  RsSnapshot *end;       /* the plots at the end */
} Run;

static void
run_clear (Run *r)
{
  g_array_unref (r->metrics);
  g_clear_pointer (&r->mark, rs_snapshot_unref);
  g_clear_pointer (&r->end, rs_snapshot_unref);
}

static RsExperiment *
load_lesson (const char *name)
{
  g_autofree char *path = rs_lesson_resolve (name);
  g_assert_nonnull (path);
  GError *error = NULL;
  RsExperiment *exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  return exp;
}

static void
record_step (const RsMetrics *m, gpointer data)
{
  g_array_append_vals (data, m, 1);
}

/* Trains `lesson` as shipped, with `overrides` ("fc1.l1=0", may be NULL)
 * applied before the first step and `events` (the replay form "STEP fcK KEY
 * OLD NEW", NULL-terminated, may be NULL) applied before the step they
 * name. Runs `steps` steps (0: the lesson's own length) and takes the plots'
 * snapshot at `mark` steps (0: none) and at the end. */
static void
train (const char *lesson, const char *const *overrides, const char *const *events,
       gint64 mark, gint64 steps, Run *run)
{
  g_autoptr (RsExperiment) exp = load_lesson (lesson);
  GError *error = NULL;
  if (overrides != NULL)
    {
      g_assert_true (rs_experiment_set_many (exp, overrides, &error));
      g_assert_no_error (error);
    }
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  if (steps == 0)
    steps = rs_session_total_steps (session);

  RsEvent ev[8];
  int n_ev = 0;
  for (int i = 0; events != NULL && events[i] != NULL; i++)
    {
      g_assert_cmpint (n_ev, <, (int) G_N_ELEMENTS (ev));
      g_assert_true (rs_event_from_string (events[i], &ev[n_ev++], &error));
      g_assert_no_error (error);
    }

  memset (run, 0, sizeof *run);
  run->metrics = g_array_sized_new (FALSE, FALSE, sizeof (RsMetrics), (guint) steps);
  /* Up to the mark only the events before it: rs_run applies
   * the ones it was given past its end as well. */
  int first = 0;
  while (first < n_ev && ev[first].step < mark)
    first++;
  if (mark > 0)
    {
      g_assert_true (rs_run (session, mark, ev, first, NULL, NULL, record_step,
                                     run->metrics, &error));
      g_assert_no_error (error);
      run->mark = rs_session_build_snapshot (session, NULL, NULL);
    }
  g_assert_true (rs_run (session, steps, ev + first, n_ev - first, NULL, NULL,
                                 record_step, run->metrics, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (run->metrics->len, ==, (guint) steps);
  run->end = rs_session_build_snapshot (session, NULL, NULL);
}

static const RsMetrics *
at (const Run *r, gint64 step)
{
  g_assert_cmpint (step, >=, 0);
  g_assert_cmpint (step, <, (gint64) r->metrics->len);
  return &g_array_index (r->metrics, RsMetrics, step);
}

static const RsMetrics *
last (const Run *r)
{
  return at (r, r->metrics->len - 1);
}

/* Lowest validation loss over steps [from, to). */
static double
min_val_loss (const Run *r, gint64 from, gint64 to)
{
  double m = INFINITY;
  for (gint64 s = from; s < to; s++)
    m = MIN (m, at (r, s)->val_loss);
  return m;
}

/* Highest validation loss over steps [from, to). */
static double
max_val_loss (const Run *r, gint64 from, gint64 to)
{
  double m = -INFINITY;
  for (gint64 s = from; s < to; s++)
    m = MAX (m, at (r, s)->val_loss);
  return m;
}

/* The mean |a| of a layer on the heatmap's probe batch. */
static double
mean_abs_activation (const RsSnapshot *snap, int layer)
{
  const RsLayerSnapshot *ls = &snap->layers[layer];
  gsize n = (gsize) ls->probe_rows * ls->out;
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += fabsf (ls->activations[i]);
  return s / (double) n;
}

/* A lesson text names the value its action uses. */
static void
assert_text_names (const char *lesson, const char *words)
{
  g_autoptr (RsExperiment) exp = load_lesson (lesson);
  if (strstr (exp->description, words) == NULL)
    g_error ("%s: the description does not say \"%s\"", lesson, words);
}

/* The event the window records when a student flips a term's switch on
 * at `step`: from off to the lesson's suggested value, which must be the
 * value its text names. */
static char *
flip_on (const char *lesson, gint64 step, int layer, const char *key, double named)
{
  g_autoptr (RsExperiment) exp = load_lesson (lesson);
  const RsKey *d = rs_key_find (RS_SECTION_LAYER, key);
  g_assert_nonnull (d);
  g_assert_cmpfloat (rs_key_get_number (d, &exp->layer[layer]), ==, 0.0);
  double suggested = rs_experiment_get_suggested (exp, layer, key);
  g_assert_cmpfloat (suggested, ==, named);
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (v, suggested);
  return g_strdup_printf ("%" G_GINT64_FORMAT " fc%d %s 0 %s", step, layer + 1, key, v);
}

/* ---- the lessons -------------------------------------------------------- */

/* l1-digits: hardly any of fc1's weights near zero at 10 s; L1 0.01 on
 * fc1 switched on then brings more than 75% of them below the threshold
 * within 20 s and keeps them there (under 2% without), validation accuracy
 * within 2 points. */
static void
test_l1_digits (void)
{
  g_autofree char *flip = flip_on ("l1-digits", 1000, 0, "l1", 0.01);
  const char *const l1_on[] = { flip, NULL };
  Run with, without, soon;
  train ("l1-digits", NULL, l1_on, 1000, 0, &with);
  train ("l1-digits", NULL, l1_on, 0, 3000, &soon);
  train ("l1-digits", NULL, NULL, 1000, 0, &without);
  assert_text_names ("l1-digits", "switch on L1 on fc1 (it starts at 0.01)");

  double before = with.mark->layers[0].near_zero_fraction;
  double nz_with = with.end->layers[0].near_zero_fraction;
  double nz_without = without.end->layers[0].near_zero_fraction;
  double nz_soon = soon.end->layers[0].near_zero_fraction;
  g_test_message ("fc1 near zero: %.3f at 10 s; %.3f 20 s after the switch; at the end %.3f "
                  "with L1, %.3f without; val acc %.3f with, %.3f without", before, nz_soon,
                  nz_with, nz_without, last (&with)->val_acc, last (&without)->val_acc);
  g_assert_cmpfloat (before, <=, 0.02);
  g_assert_cmpfloat (nz_soon, >=, 0.75);
  g_assert_cmpfloat (nz_with, >=, 0.75);
  g_assert_cmpfloat (nz_without, <=, 0.02);
  g_assert_cmpfloat (fabs (last (&with)->val_acc - last (&without)->val_acc), <=, 0.02);
  run_clear (&with);
  run_clear (&without);
  run_clear (&soon);
}

/* activity-sparsity: activity 1 on fc1 switched on at 10 s; 5 s later more
 * than 60% of fc1's units are silent on the probe batch (none without), and
 * the validation accuracy holds. */
static void
test_activity_sparsity (void)
{
  g_autofree char *flip = flip_on ("activity-sparsity", 1000, 0, "activity", 1.0);
  const char *const act_on[] = { flip, NULL };
  Run with, without, soon;
  train ("activity-sparsity", NULL, act_on, 1000, 0, &with);
  train ("activity-sparsity", NULL, NULL, 1000, 0, &without);
  train ("activity-sparsity", NULL, act_on, 0, 1500, &soon);
  assert_text_names ("activity-sparsity", "switch on activity on fc1 (it starts at 1)");

  double silent_soon = soon.end->layers[0].dead_unit_fraction;
  double silent_with = with.end->layers[0].dead_unit_fraction;
  double silent_without = without.end->layers[0].dead_unit_fraction;
  g_test_message ("fc1 silent units: %.3f at 10 s; %.3f 5 s after the switch; at the end "
                  "%.3f with, %.3f without; val acc %.3f with, %.3f without",
                  with.mark->layers[0].dead_unit_fraction, silent_soon, silent_with,
                  silent_without, last (&with)->val_acc, last (&without)->val_acc);
  g_assert_cmpfloat (with.mark->layers[0].dead_unit_fraction, ==, 0.0);
  g_assert_cmpfloat (silent_soon, >=, 0.6);
  g_assert_cmpfloat (silent_with, >=, 0.6);
  g_assert_cmpfloat (silent_without, ==, 0.0);
  g_assert_cmpfloat (last (&with)->val_acc, >=, last (&without)->val_acc - 0.03);
  run_clear (&with);
  run_clear (&without);
  run_clear (&soon);
}

/* overfit-random-labels: 100% training accuracy within 10 s, validation
 * near chance and its loss past 3; weight decay 0.1 on fc1 and fc2 at 15 s
 * brings the validation loss below 1.5 and the training accuracy under 50%
 * by the end; without it the gap stays. */
static void
test_overfit_random_labels (void)
{
  g_autofree char *flip1 = flip_on ("overfit-random-labels", 1500, 0, "weight-decay", 0.1);
  g_autofree char *flip2 = flip_on ("overfit-random-labels", 1500, 1, "weight-decay", 0.1);
  const char *const wd_on[] = { flip1, flip2, NULL };
  Run with, without;
  train ("overfit-random-labels", NULL, wd_on, 0, 0, &with);
  train ("overfit-random-labels", NULL, NULL, 0, 0, &without);
  assert_text_names ("overfit-random-labels",
                     "switch on weight decay on fc1 and fc2 (each starts at 0.1)");

  const RsMetrics *at10 = at (&with, 999), *w = last (&with), *wo = last (&without);
  g_test_message ("at 10 s: train %.3f val %.3f; val loss %.3f at 15 s; at the end with "
                  "decay train %.3f val %.3f (gap %.3f, val loss %.3f), without train %.3f val "
                  "%.3f (gap %.3f, val loss %.3f)", at10->train_acc, at10->val_acc,
                  at (&with, 1499)->val_loss, w->train_acc, w->val_acc,
                  w->train_acc - w->val_acc, w->val_loss, wo->train_acc, wo->val_acc,
                  wo->train_acc - wo->val_acc, wo->val_loss);
  g_assert_cmpfloat (at10->train_acc, ==, 1.0);
  /* the validation loss climbs past 3 before the switch, then drops below 1.5 */
  g_assert_cmpfloat (at (&with, 1499)->val_loss, >, 3.0);
  g_assert_cmpfloat (w->val_loss, <, 1.5);
  g_assert_cmpfloat (at10->val_acc, <=, 0.35);
  g_assert_cmpfloat (wo->train_acc - wo->val_acc, >=, 0.6);
  g_assert_cmpfloat (w->train_acc, <, 0.5);
  g_assert_cmpfloat (w->train_acc - w->val_acc, <=, 0.25);
  run_clear (&with);
  run_clear (&without);
}

/* l2-spiral: with L2 0.01 on fc1 and fc2 (as shipped) the validation loss
 * stays below 0.45 after 5 s; switched off at 10 s, it climbs past 1
 * within 10 s and past 1.5 by the end. */
static void
test_l2_spiral (void)
{
  const char *const l2_off[] = { "1000 fc1 l2 0.01 0", "1000 fc2 l2 0.01 0", NULL };
  Run with, without;
  train ("l2-spiral", NULL, l2_off, 0, 0, &with);
  train ("l2-spiral", NULL, NULL, 0, 0, &without);
  assert_text_names ("l2-spiral", "switch L2 off on fc1 and fc2");
  assert_text_names ("l2-spiral", "with L2 (0.01) on fc1 and fc2");

  gint64 n = with.metrics->len;
  g_test_message ("val loss with L2 kept: highest after 5 s %.3f, %.3f at the end; switched "
                  "off at 10 s: %.3f at 20 s, %.3f at the end", max_val_loss (&without, 500, n),
                  last (&without)->val_loss, at (&with, 1999)->val_loss, last (&with)->val_loss);
  g_assert_cmpfloat (max_val_loss (&without, 500, n), <, 0.45);
  g_assert_cmpfloat (at (&with, 1999)->val_loss, >, 1.0);
  g_assert_cmpfloat (last (&with)->val_loss, >, 1.5);
  run_clear (&with);
  run_clear (&without);
}

/* wd-breast-cancer: training accuracy is 100% from the first second; the
 * validation loss climbs to more than twice its
 * lowest by the end; weight decay 0.01 on fc1 and fc2 at 10 s brings it
 * below its value at the switch within 5 s, and to less than half of the
 * undecayed run's at the end, at the same accuracy (within 2 points). */
static void
test_wd_breast_cancer (void)
{
  g_autofree char *flip1 = flip_on ("wd-breast-cancer", 1000, 0, "weight-decay", 0.01);
  g_autofree char *flip2 = flip_on ("wd-breast-cancer", 1000, 1, "weight-decay", 0.01);
  const char *const wd_on[] = { flip1, flip2, NULL };
  Run with, without;
  train ("wd-breast-cancer", NULL, wd_on, 0, 0, &with);
  train ("wd-breast-cancer", NULL, NULL, 0, 0, &without);
  assert_text_names ("wd-breast-cancer",
                     "switch on weight decay on fc1 and fc2 (each starts at 0.01)");

  gint64 n = with.metrics->len;
  const RsMetrics *w = last (&with), *wo = last (&without);
  double lowest = min_val_loss (&without, 0, n), at_switch = at (&without, 999)->val_loss;
  /* "training accuracy reaches 100% at once": every batch from the first
   * second on */
  for (gint64 s = 100; s < 1000; s++)
    g_assert_cmpfloat (at (&without, s)->train_acc, ==, 1.0);
  g_test_message ("val loss without decay: lowest %.3f, %.3f at 10 s, %.3f at the end; with "
                  "decay from 10 s: highest after 15 s %.3f, %.3f at the end; val acc %.3f "
                  "without, %.3f with", lowest, at_switch, wo->val_loss,
                  max_val_loss (&with, 1500, n), w->val_loss, wo->val_acc, w->val_acc);
  g_assert_cmpfloat (wo->val_loss, >, 2.0 * lowest);
  g_assert_cmpfloat (max_val_loss (&with, 1500, n), <, at_switch);
  g_assert_cmpfloat (w->val_loss, <, 0.5 * wo->val_loss);
  g_assert_cmpfloat (fabs (w->val_acc - wo->val_acc), <=, 0.02);
  run_clear (&with);
  run_clear (&without);
}

/* dropout-spiral: the over-sized network memorises noisy spirals — by 10
 * s training accuracy above 90% and validation loss above 2; dropout 0.5
 * on fc1 and fc2 switched on then brings the validation loss below 1
 * within 10 s and keeps it there, and halves the gap between training and
 * validation accuracy at the end. */
static void
test_dropout_spiral (void)
{
  g_autofree char *flip1 = flip_on ("dropout-spiral", 1000, 0, "dropout", 0.5);
  g_autofree char *flip2 = flip_on ("dropout-spiral", 1000, 1, "dropout", 0.5);
  const char *const drop_on[] = { flip1, flip2, NULL };
  Run with, without;
  train ("dropout-spiral", NULL, drop_on, 0, 0, &with);
  train ("dropout-spiral", NULL, NULL, 0, 0, &without);
  assert_text_names ("dropout-spiral",
                     "switch on dropout on fc1 and fc2 (each starts at 0.5)");

  gint64 n = with.metrics->len;
  const RsMetrics *at10 = at (&with, 999), *w = last (&with), *wo = last (&without);
  double gap_with = w->train_acc - w->val_acc, gap_without = wo->train_acc - wo->val_acc;
  g_test_message ("at 10 s: train acc %.3f, val loss %.3f; with dropout: highest val loss "
                  "after 20 s %.3f, at the end train acc %.3f val acc %.3f (gap %.3f) val "
                  "loss %.3f; without: train acc %.3f val acc %.3f (gap %.3f) val loss %.3f",
                  at10->train_acc, at10->val_loss, max_val_loss (&with, 2000, n),
                  w->train_acc, w->val_acc, gap_with, w->val_loss, wo->train_acc, wo->val_acc,
                  gap_without, wo->val_loss);
  g_assert_cmpfloat (at10->train_acc, >, 0.9);
  g_assert_cmpfloat (at10->val_loss, >, 2.0);
  g_assert_cmpfloat (max_val_loss (&with, 2000, n), <, 1.0);
  g_assert_cmpfloat (wo->val_loss, >, at10->val_loss);
  g_assert_cmpfloat (w->task_loss, >, wo->task_loss);
  g_assert_cmpfloat (gap_with, <=, 0.5 * gap_without);
  run_clear (&with);
  run_clear (&without);
}

/* early-stopping-moons: as Play shows it — the validation loss lowest
 * after about a second (marked "best"), training stopped by itself 200
 * passes later with the validation loss at least 1.8 times its lowest
 * ("about twice") and the validation accuracy at least 4 points lower,
 * while the training loss kept falling; Restore Best (the event the
 * window records) gives back exactly the lowest validation loss. */
static void
test_early_stopping_moons (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("early-stopping-moons");
  assert_text_names ("early-stopping-moons", "waits 200 validation passes (2 s)");
  assert_text_names ("early-stopping-moons", "about twice its lowest");
  GError *error = NULL;
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_autoptr (GArray) metrics = g_array_new (FALSE, FALSE, sizeof (RsMetrics));
  RsMetrics m;
  do
    {
      g_assert_true (rs_session_step (session, &m, &error));
      g_array_append_val (metrics, m);
    }
  while (!rs_session_should_stop (session)
         && rs_session_get_step (session) < rs_session_total_steps (session));
  g_assert_true (rs_session_should_stop (session));

  gint64 best = 0;
  for (guint s = 0; s < metrics->len; s++)
    if (g_array_index (metrics, RsMetrics, s).val_loss
        < g_array_index (metrics, RsMetrics, best).val_loss)
      best = s;
  const RsMetrics *b = &g_array_index (metrics, RsMetrics, best);
  const RsMetrics *end = &g_array_index (metrics, RsMetrics, metrics->len - 1);
  RsEarlyStop es;
  rs_session_get_early_stop (session, &es);
  g_test_message ("lowest validation loss %.4f at step %" G_GINT64_FORMAT " (val acc %.3f, "
                  "train loss %.4f); stopped at step %u: val loss %.4f (%.2f times), val acc "
                  "%.3f, train loss %.4f", b->val_loss, best, b->val_acc, b->task_loss,
                  metrics->len, end->val_loss, end->val_loss / b->val_loss, end->val_acc,
                  end->task_loss);
  /* the marker is where the student sees the lowest point */
  g_assert_cmpint (es.best_step, ==, best);
  g_assert_cmpfloat (es.best_value, ==, b->val_loss);
  /* about a second in, an inner step: not the first passes, not the end */
  g_assert_cmpint (best, >=, 50);
  g_assert_cmpint (best, <=, 150);
  g_assert_cmpint (metrics->len, ==, best + 1 + 200);
  g_assert_cmpfloat (end->val_loss, >=, 1.8 * b->val_loss);
  g_assert_cmpfloat (b->val_acc - end->val_acc, >=, 0.04);
  g_assert_cmpfloat (end->task_loss, <, b->task_loss);

  /* Restore Best */
  RsEvent restore = { .step = metrics->len, .layer = -1, .old_value = 0, .new_value = 1 };
  g_strlcpy (restore.key, "restore-best", sizeof restore.key);
  g_assert_true (rs_run_apply_event (session, &restore, &error));
  g_assert_no_error (error);
  double val_loss, val_acc;
  rs_session_evaluate (session, rs_session_get_validation (session), &val_loss, &val_acc);
  g_assert_cmpfloat (val_loss, ==, b->val_loss);
  g_assert_cmpfloat (val_acc, ==, b->val_acc);
}

/* ---- the seed lessons: the seed's 10 epochs, then Play again ------------- */

/* seed-l1: after 10 epochs no weight of fc1 is near zero yet; playing on to
 * step 2000, more than 30% of fc1's weights are (none without L1), and fc2
 * stays dense. */
static void
test_seed_l1 (void)
{
  const char *const off[] = { "fc1.l1=0", NULL };
  Run with, without;
  train ("seed-l1", NULL, NULL, 10, 2000, &with);
  train ("seed-l1", off, NULL, 10, 2000, &without);

  g_test_message ("epoch 9: loss %.4f of which L1 %.4f; fc1 near zero %.3f; at step 2000 "
                  "fc1 %.3f with L1, %.3f without, fc2 %.3f", at (&with, 9)->loss,
                  at (&with, 9)->l1, with.mark->layers[0].near_zero_fraction,
                  with.end->layers[0].near_zero_fraction,
                  without.end->layers[0].near_zero_fraction,
                  with.end->layers[1].near_zero_fraction);
  g_assert_cmpfloat (with.mark->layers[0].near_zero_fraction, ==, 0.0);
  /* "about 0.16 of the 1.86 at epoch 9" */
  g_assert_cmpfloat (fabs (at (&with, 9)->l1 - 0.16), <, 0.005);
  g_assert_cmpfloat (fabs (at (&with, 9)->loss - 1.86), <, 0.005);
  g_assert_cmpfloat (with.end->layers[0].near_zero_fraction, >=, 0.3);
  g_assert_cmpfloat (without.end->layers[0].near_zero_fraction, ==, 0.0);
  g_assert_cmpfloat (with.end->layers[1].near_zero_fraction, <=, 0.01);
  run_clear (&with);
  run_clear (&without);
}

/* seed-l2-weight-decay: after 10 epochs ‖W‖ of fc1 is within 1% of the
 * undecayed run's; playing on to step 3000 it is less than half of it,
 * while fc2 grows more than fivefold. */
static void
test_seed_l2_weight_decay (void)
{
  const char *const off[] = { "fc1.weight-decay=0", NULL };
  Run with, without;
  train ("seed-l2-weight-decay", NULL, NULL, 10, 3000, &with);
  train ("seed-l2-weight-decay", off, NULL, 10, 3000, &without);

  double n10 = with.mark->layers[0].weight_l2_norm;
  double n10_off = without.mark->layers[0].weight_l2_norm;
  double n = with.end->layers[0].weight_l2_norm;
  double n_off = without.end->layers[0].weight_l2_norm;
  g_test_message ("fc1 norm after 10 epochs %.3f with decay, %.3f without; at step 3000 "
                  "%.2f with, %.2f without; fc2 %.2f -> %.2f", n10, n10_off, n, n_off,
                  with.mark->layers[1].weight_l2_norm, with.end->layers[1].weight_l2_norm);
  g_assert_cmpfloat (fabs (n10 - n10_off), <=, 0.01 * n10_off);
  g_assert_cmpfloat (n, <, 0.5 * n_off);
  g_assert_cmpfloat (with.end->layers[1].weight_l2_norm, >,
                     5.0 * with.mark->layers[1].weight_l2_norm);
  run_clear (&with);
  run_clear (&without);
}

/* seed-activity: at the seed's 0.001 the term is too weak to see, after 10
 * epochs and after 2000 steps (fc1's mean |a| within 1% of the run without
 * it); raised to 1 after the 10 epochs, mean |a| at step 2000 is under a
 * third of the unpenalised run's. */
static void
test_seed_activity (void)
{
  const char *const off[] = { "fc1.activity=0", NULL };
  const char *const raise[] = { "10 fc1 activity 0.001 1", NULL };
  Run with, without, raised;
  train ("seed-activity", NULL, NULL, 10, 2000, &with);
  train ("seed-activity", off, NULL, 10, 2000, &without);
  train ("seed-activity", NULL, raise, 0, 2000, &raised);
  assert_text_names ("seed-activity", "raise activity on fc1 to 1");

  double a10 = mean_abs_activation (with.mark, 0), a10_off = mean_abs_activation (without.mark, 0);
  double a = mean_abs_activation (with.end, 0), a_off = mean_abs_activation (without.end, 0);
  double a_raised = mean_abs_activation (raised.end, 0);
  g_test_message ("fc1 mean |a| after 10 epochs %.4f with, %.4f without; at step 2000 %.3f "
                  "with, %.3f without, %.3f raised to 1; epoch 9 activity term %.5f",
                  a10, a10_off, a, a_off, a_raised, at (&with, 9)->activity);
  g_assert_cmpfloat (fabs (a10 - a10_off), <=, 0.01 * a10_off);
  g_assert_cmpfloat (fabs (a - a_off), <=, 0.01 * a_off);
  /* "about 0.0002 of a loss of 1.70 at epoch 9" */
  g_assert_cmpfloat (fabs (at (&with, 9)->activity - 0.0002), <, 0.00005);
  g_assert_cmpfloat (fabs (at (&with, 9)->loss - 1.70), <, 0.005);
  g_assert_cmpfloat (a_raised, <, a_off / 3.0);
  run_clear (&with);
  run_clear (&without);
  run_clear (&raised);
}

/* ---- every lesson: tested, and paced for a class ------------------------- */

/* fashion-dropout's promise (test accuracy against the benchmark and against
 * the run without dropout) is tested in test-fashion.c, suite slow: it needs
 * Debian's dataset-fashion-mnist and minutes of a core. */
static const char *const tested[] = {
  "overfit-random-labels", "l1-digits", "activity-sparsity", "l2-spiral",
  "wd-breast-cancer", "seed-l2-weight-decay", "seed-l1", "seed-activity",
  "fashion-dropout", "dropout-spiral", "how-much-l2", "early-stopping-moons",
};

static void
test_every_lesson_tested (void)
{
  g_auto (GStrv) lessons = rs_lesson_list ();
  for (int i = 0; lessons[i] != NULL; i++)
    {
      gboolean found = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (tested); k++)
        found = found || g_str_equal (lessons[i], tested[k]);
      if (!found)
        g_error ("lesson %s has no test of its promise in test-lessons.c", lessons[i]);
    }
  g_assert_cmpuint (g_strv_length (lessons), ==, G_N_ELEMENTS (tested));
}

/* The lessons (the seed programs aside: they are the seed's 10 epochs) run
 * 20 to 60 s at the speed the window starts them at; their texts' times
 * ("after about 10 s") are at 100 steps/s. fashion-dropout is the exception on
 * purpose: 60,000 images an epoch, played at Speed max (its text says so),
 * where it shows its first test accuracy within seconds. */
static void
test_paced (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (tested); k++)
    {
      if (g_str_has_prefix (tested[k], "seed-") || g_str_equal (tested[k], "fashion-dropout"))
        continue;
      g_autoptr (RsExperiment) exp = load_lesson (tested[k]);
      GError *error = NULL;
      g_autoptr (RsSession) session = rs_session_new (exp, &error);
      g_assert_no_error (error);
      double speed = rs_experiment_get_speed (exp);
      g_assert_cmpfloat (speed, ==, 100.0);
      double seconds = (double) rs_session_total_steps (session) / speed;
      g_test_message ("%s: %.0f s", tested[k], seconds);
      g_assert_cmpfloat (seconds, >=, 20.0);
      g_assert_cmpfloat (seconds, <=, 60.0);
    }
}

/* "How much L2?": the lesson's own sweep draws a U. The least validation
 * loss is at an inner point, at least 20% below both ends. */
static void
test_how_much_l2 (void)
{
  g_autoptr (RsExperiment) exp = load_lesson ("how-much-l2");
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_from_experiment (&spec, exp));
  g_assert_true (spec.every_layer);
  RsSweepOptions options = { .jobs = 2, .unit_layer = -1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSweep) sweep = rs_sweep_start (exp, &spec, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  rs_sweep_wait (sweep);
  g_assert_true (rs_sweep_is_done (sweep));

  int n = spec.points, least = 0;
  RsSweepPoint *p = g_new0 (RsSweepPoint, n);
  for (int i = 0; i < n; i++)
    {
      g_assert_true (rs_sweep_get_point (sweep, i, &p[i]));
      g_assert_null (p[i].error);
      g_test_message ("L2 %-8.3g train loss %.3f  validation loss %.3f (accuracy %.1f%%)  "
                      "fc2 ||W|| %.2f", p[i].value, p[i].train_loss, p[i].val_loss,
                      100 * p[i].val_acc, p[i].weight_norm[1]);
      if (p[i].val_loss < p[least].val_loss)
        least = i;
    }
  g_assert_cmpint (rs_sweep_best_point (p, n), ==, least);
  g_assert_cmpint (least, >, 0);
  g_assert_cmpint (least, <, n - 1);
  g_assert_cmpfloat (p[least].val_loss, <=, 0.8 * p[0].val_loss);
  g_assert_cmpfloat (p[least].val_loss, <=, 0.8 * p[n - 1].val_loss);
  /* what the text says: the ends near 4 and near ln 3, the least about half */
  g_assert_cmpfloat (p[0].val_loss, >, 3.0);
  g_assert_cmpfloat (fabs (p[n - 1].val_loss - log (3)), <, 0.05);
  g_assert_cmpfloat (p[least].val_loss, <, 0.6 * p[n - 1].val_loss);
  /* and the path: more L2, a smaller fc2 */
  g_assert_cmpfloat (p[n - 1].weight_norm[1], <, 0.1 * p[0].weight_norm[1]);
  for (int i = 0; i < n; i++)
    rs_sweep_point_clear (&p[i]);
  g_free (p);
}

/* Every shipped lesson has its title and text in German (title[de],
 * description[de]), and the lesson loader picks them by the locale the
 * environment asks for: the German with LANGUAGE=de, the English
 * otherwise. */
static void
test_translated (void)
{
  g_auto (GStrv) lessons = rs_lesson_list ();
  for (int i = 0; lessons[i] != NULL; i++)
    {
      g_autofree char *path = rs_lesson_resolve (lessons[i]);
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_TRANSLATIONS, NULL));
      g_autofree char *title_de = g_key_file_get_value (kf, "experiment", "title[de]", NULL);
      g_autofree char *text_de = g_key_file_get_value (kf, "experiment", "description[de]", NULL);
      if (title_de == NULL || text_de == NULL)
        g_error ("%s: no title[de] or description[de]", path);

      g_setenv ("LANGUAGE", "de", TRUE);
      g_autoptr (RsExperiment) german = rs_experiment_load (path, NULL);
      g_setenv ("LANGUAGE", "en", TRUE);
      g_autoptr (RsExperiment) english = rs_experiment_load (path, NULL);
      g_unsetenv ("LANGUAGE");
      g_assert_nonnull (german);
      g_assert_nonnull (english);
      g_assert_cmpstr (german->title, ==, title_de);
      g_assert_cmpstr (german->description, ==, text_de);
      g_assert_cmpstr (english->title, !=, title_de);
      g_assert_cmpstr (english->description, !=, text_de);
      g_autofree char *title_c = g_key_file_get_value (kf, "experiment", "title", NULL);
      g_assert_cmpstr (english->title, ==, title_c);

      /* Saved by a German reader, the lesson keeps its English and its
       * German: read back in English it is the English one again. */
      g_autofree char *saved = rs_experiment_to_ini (german);
      g_autoptr (GKeyFile) back = g_key_file_new ();
      g_assert_true (g_key_file_load_from_data (back, saved, -1, G_KEY_FILE_KEEP_TRANSLATIONS,
                                                NULL));
      g_autofree char *back_title = g_key_file_get_value (back, "experiment", "title", NULL);
      g_autofree char *back_de = g_key_file_get_value (back, "experiment", "title[de]", NULL);
      g_autofree char *back_text_de = g_key_file_get_value (back, "experiment",
                                                            "description[de]", NULL);
      g_assert_cmpstr (back_title, ==, title_c);
      g_assert_cmpstr (back_de, ==, title_de);
      g_assert_cmpstr (back_text_de, ==, text_de);
      g_autofree char *english_saved = rs_experiment_to_ini (english);
      g_assert_cmpstr (saved, ==, english_saved);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lessons/every-lesson-tested", test_every_lesson_tested);
  g_test_add_func ("/lessons/paced", test_paced);
  g_test_add_func ("/lessons/translated-de", test_translated);
  g_test_add_func ("/lessons/overfit-random-labels", test_overfit_random_labels);
  g_test_add_func ("/lessons/l1-digits", test_l1_digits);
  g_test_add_func ("/lessons/activity-sparsity", test_activity_sparsity);
  g_test_add_func ("/lessons/l2-spiral", test_l2_spiral);
  g_test_add_func ("/lessons/wd-breast-cancer", test_wd_breast_cancer);
  g_test_add_func ("/lessons/dropout-spiral", test_dropout_spiral);
  g_test_add_func ("/lessons/early-stopping-moons", test_early_stopping_moons);
  g_test_add_func ("/lessons/seed-l1", test_seed_l1);
  g_test_add_func ("/lessons/seed-l2-weight-decay", test_seed_l2_weight_decay);
  g_test_add_func ("/lessons/seed-activity", test_seed_activity);
  g_test_add_func ("/lessons/how-much-l2", test_how_much_l2);
  return g_test_run ();
}
