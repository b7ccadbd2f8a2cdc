/* test-trainer.c — the background thread: controls at step boundaries,
 * events, replay bit for bit, pause/step/reset counts, divergence, calls
 * that never wait on a step, and a stress test for ThreadSanitizer. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "rs-run.h"
#include "rs-lessons.h"
#include "rs-replay.h"
#include "rs-trainer.h"

static RsExperiment *
seed_experiment (void)
{
  g_autofree char *path = rs_lesson_resolve ("seed-l1");
  g_assert_nonnull (path);
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  /* start without L1: the tests turn it on */
  g_assert_true (rs_experiment_set (exp, "fc1.l1=0", &error));
  return exp;
}

static RsTrainer *
new_trainer (const RsExperiment *exp)
{
  g_autoptr (GError) error = NULL;
  RsSession *session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  return rs_trainer_new (session);
}

static void
take_steps (RsTrainer *t, int n)
{
  for (int i = 0; i < n; i++)
    rs_trainer_step (t);
  rs_trainer_sync (t);
}

/* Play as fast as possible until the trainer stops by itself; its
 * snapshot then. */
static RsSnapshot *
play_to_finish (RsTrainer *t)
{
  rs_trainer_set_speed (t, 0);
  rs_trainer_play (t);
  while (rs_trainer_get_state (t) != RS_TRAINER_FINISHED)
    rs_trainer_sync (t);
  return rs_trainer_get_snapshot (t);
}

/* The run regscope-train takes: `steps` steps of `exp` with `events`,
 * every step kept (keep_going: on past an early stop, as --replay). */
static RsHistory *
run_alone (const RsExperiment *exp, gint64 steps, const RsEvent *events, int n_events,
           gboolean keep_going)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  rs_session_set_keep_going (session, keep_going);
  RsHistory *history = rs_history_new (MAX (steps, 16));
  g_assert_true (rs_run (session, steps, events, n_events, history, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return history;
}

static void
test_step_counts (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  g_autoptr (RsSnapshot) s0 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s0->steps_done, ==, 0);
  g_assert_cmpint (s0->latest.step, ==, -1);
  g_assert_cmpint (rs_trainer_get_state (t), ==, RS_TRAINER_PAUSED);

  take_steps (t, 3);
  g_autoptr (RsSnapshot) s1 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s1->steps_done, ==, 3);
  g_assert_cmpint (s1->latest.step, ==, 2);
  g_assert_cmpint (s1->history->n, ==, 3);

  rs_trainer_reset (t);
  rs_trainer_sync (t);
  g_autoptr (RsSnapshot) s2 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s2->steps_done, ==, 0);
  g_assert_cmpint (s2->history->n, ==, 0);

  take_steps (t, 2);
  g_autoptr (RsSnapshot) s3 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s3->steps_done, ==, 2);
  /* after a reset the run starts over: the same first loss */
  g_assert_cmpfloat (s3->history->points[0].loss, ==, s1->history->points[0].loss);

  /* play runs to the experiment's end (10 epochs) and stops by itself */
  rs_trainer_play (t);
  while (rs_trainer_get_state (t) != RS_TRAINER_FINISHED)
    rs_trainer_sync (t);
  g_autoptr (RsSnapshot) s4 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s4->steps_done, ==, 10);
  /* a step after the end goes past it */
  take_steps (t, 1);
  g_autoptr (RsSnapshot) s5 = rs_trainer_get_snapshot (t);
  g_assert_cmpint (s5->steps_done, ==, 11);
  /* each snapshot says when it was published, in order, never ahead of now */
  RsSnapshot *in_order[] = { s0, s1, s2, s3, s4, s5 };
  for (gsize i = 0; i < G_N_ELEMENTS (in_order); i++)
    {
      g_assert_cmpint (in_order[i]->published_us, >, 0);
      g_assert_cmpint (in_order[i]->published_us, <=, g_get_monotonic_time ());
      if (i > 0)
        g_assert_cmpint (in_order[i]->published_us, >=, in_order[i - 1]->published_us);
    }
  rs_trainer_free (t);
}

/* The histogram-over-time frames are taken by step: a run at Max speed
 * (a few snapshots for the whole run), one stepped a step at a time (a
 * snapshot every step) and the headless loop hold the same frames, and the
 * last one is the step the run is at. */
static void
assert_same_frames (const RsLayerSnapshot *a, const RsLayerSnapshot *b)
{
  g_assert_cmpint (a->n_frames, ==, b->n_frames);
  g_assert_cmpmem (a->frame_steps, a->n_frames * sizeof (gint64),
                   b->frame_steps, b->n_frames * sizeof (gint64));
  g_assert_cmpmem (a->frame_counts, (gsize) a->n_frames * RS_SNAPSHOT_HIST_BINS * sizeof (guint32),
                   b->frame_counts, (gsize) b->n_frames * RS_SNAPSHOT_HIST_BINS * sizeof (guint32));
  g_assert_cmpmem (a->frame_below, a->n_frames * sizeof (guint32),
                   b->frame_below, b->n_frames * sizeof (guint32));
}

static void
test_frames_by_step (void)
{
  const int steps = 300;
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set (exp, "experiment.epochs=300", &error));
  g_assert_true (rs_experiment_set (exp, "fc1.l1=0.005", &error));

  RsTrainer *fast = new_trainer (exp);
  g_autoptr (RsSnapshot) a = play_to_finish (fast);

  RsTrainer *slow = new_trainer (exp);
  take_steps (slow, steps);
  g_autoptr (RsSnapshot) b = rs_trainer_get_snapshot (slow);

  RsSession *session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  RsFrameStore *store = rs_frame_store_new ();
  g_assert_true (rs_run (session, steps, NULL, 0, NULL, store, NULL, NULL, &error));
  g_autoptr (RsSnapshot) c = rs_session_build_snapshot (session, NULL, store);

  g_assert_cmpint (a->steps_done, ==, steps);
  for (int l = 0; l < a->n_layers; l++)
    {
      const RsLayerSnapshot *la = &a->layers[l];
      /* a full store is halved, never emptied: 33..64 frames */
      g_assert_cmpint (la->n_frames, >, RS_SNAPSHOT_MAX_FRAMES / 2);
      g_assert_cmpint (la->n_frames, <=, RS_SNAPSHOT_MAX_FRAMES + 1);
      g_assert_cmpint (la->frame_steps[0], ==, 0);
      g_assert_cmpint (la->frame_steps[la->n_frames - 1], ==, steps);
      /* evenly spaced up to the present */
      gint64 stride = la->frame_steps[1] - la->frame_steps[0];
      for (int f = 1; f < la->n_frames - 1; f++)
        g_assert_cmpint (la->frame_steps[f] - la->frame_steps[f - 1], ==, stride);
      g_assert_cmpint (la->frame_steps[la->n_frames - 1] - la->frame_steps[la->n_frames - 2],
                       <=, stride);
      assert_same_frames (la, &b->layers[l]);
      assert_same_frames (la, &c->layers[l]);
    }
  rs_frame_store_free (store);
  rs_session_free (session);
  rs_trainer_free (fast);
  rs_trainer_free (slow);
}

static void
test_control_at_step_boundary (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  take_steps (t, 5);
  RsLayerReg reg = exp->layer[0];
  reg.l1 = 0.005;
  rs_trainer_set_layer_reg (t, 0, &reg);
  take_steps (t, 5);

  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  g_assert_cmpfloat (snap->experiment->layer[0].l1, ==, 0.005);
  g_assert_cmpfloat (snap->layers[0].reg.l1, ==, 0.005);
  g_assert_cmpint (snap->history->n_events, ==, 1);
  const RsEvent *e = &snap->history->events[0];
  g_assert_cmpint (e->step, ==, 5);
  g_assert_cmpint (e->layer, ==, 0);
  g_assert_cmpstr (e->key, ==, "l1");
  g_assert_cmpfloat (e->old_value, ==, 0.0);
  g_assert_cmpfloat (e->new_value, ==, 0.005);
  for (int i = 0; i < 10; i++)
    {
      const RsMetrics *m = &snap->history->points[i];
      if (i < 5)
        g_assert_cmpfloat (m->l1, ==, 0.0);
      else
        g_assert_cmpfloat (m->l1, >, 0.0);
      g_assert_cmpfloat (m->loss, ==, m->task_loss + m->l1 + m->l2 + m->activity);
    }
  rs_trainer_free (t);
}

/* Field by field (RsMetrics has padding), every bit of every double. */
static void
assert_same_bits (const RsMetrics *a, const RsMetrics *b)
{
  g_assert_cmpint (a->step, ==, b->step);
  g_assert_cmpint (a->epoch, ==, b->epoch);
  const double fa[] = { a->loss, a->task_loss, a->l1, a->l2, a->activity, a->train_acc,
                        a->val_loss, a->val_acc };
  const double fb[] = { b->loss, b->task_loss, b->l1, b->l2, b->activity, b->train_acc,
                        b->val_loss, b->val_acc };
  g_assert_cmpmem (fa, sizeof fa, fb, sizeof fb);
}

/* A live run with changes at several steps, saved and replayed headless,
 * gives the same metrics bit for bit. */
static void
test_replay_bit_identical (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  take_steps (t, 4);
  RsLayerReg r0 = exp->layer[0], r1 = exp->layer[1];
  r0.l1 = 0.01;
  rs_trainer_set_layer_reg (t, 0, &r0);
  take_steps (t, 3);
  r1.activity = 0.02;
  r1.activity_norm = RS_NORM_L2;
  r0.weight_decay = 0.1;
  rs_trainer_set_layer_reg (t, 1, &r1);
  rs_trainer_set_layer_reg (t, 0, &r0);
  RsOptimizerConfig opt = exp->optimizer;
  opt.lr = 0.01;
  rs_trainer_set_optimizer (t, &opt);
  rs_trainer_set_control (t, "label-smoothing", 0.2);
  take_steps (t, 6);
  opt.kind = RS_OPT_SGD;
  opt.momentum = 0.9;
  rs_trainer_set_optimizer (t, &opt);
  r1.max_norm = 0.3;
  rs_trainer_set_layer_reg (t, 1, &r1);
  take_steps (t, 7);

  g_autofree char *dir = g_dir_make_tmp ("regscope-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.regscope-session", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_trainer_save_session (t, path, &error));
  g_assert_no_error (error);
  g_autoptr (RsSnapshot) live = rs_trainer_get_snapshot (t);
  rs_trainer_free (t);
  g_assert_cmpint (live->history->n, ==, 20);

  g_autoptr (RsReplay) replay = rs_replay_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (replay->steps, ==, 20);
  g_assert_cmpint (replay->n_events, ==, live->history->n_events);
  /* label smoothing and max-norm are among them, as [model] and fc2 events */
  gboolean smoothing = FALSE, max_norm = FALSE;
  for (int i = 0; i < replay->n_events; i++)
    {
      smoothing |= replay->events[i].layer == -1
                   && g_str_equal (replay->events[i].key, "label-smoothing");
      max_norm |= replay->events[i].layer == 1 && g_str_equal (replay->events[i].key, "max-norm");
    }
  g_assert_true (smoothing && max_norm);
  RsHistory *history = run_alone (replay->experiment, replay->steps, replay->events,
                                  replay->n_events, FALSE);
  g_assert_cmpint (history->n, ==, 20);
  for (int i = 0; i < 20; i++)
    assert_same_bits (&history->points[i], &live->history->points[i]);
  rs_history_free (history);
  g_unlink (path);
  g_rmdir (dir);
}

/* Dropout draws its masks from the run's generator: the window's trainer,
 * which builds snapshots (probe activations, the masks shown) between
 * steps, takes exactly the run regscope-train takes, bit for bit. */
static void
test_dropout_run_matches_rs_run (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  const char *sets[] = { "fc1.dropout=0.3", "experiment.steps=40", NULL };
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  RsTrainer *t = new_trainer (exp);
  g_autoptr (RsSnapshot) live = play_to_finish (t);
  rs_trainer_free (t);
  g_assert_cmpint (live->history->n, ==, 40);

  RsHistory *history = run_alone (exp, 40, NULL, 0, FALSE);
  for (int i = 0; i < 40; i++)
    assert_same_bits (&history->points[i], &live->history->points[i]);
  rs_history_free (history);
}

/* Past the history's capacity it keeps every other step, then every
 * fourth: the snapshot's latest is still the step just taken (the status
 * line's numbers at a lesson's end are its last step's, evaluation
 * included), the same bits as regscope-train's last row. */
static void
test_latest_is_last_step (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  const int steps = 4096 * 2 + 3;   /* not on the stride of 4 */
  g_autofree char *set = g_strdup_printf ("experiment.steps=%d", steps);
  const char *sets[] = { set, NULL };
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  RsTrainer *t = new_trainer (exp);
  g_autoptr (RsSnapshot) live = play_to_finish (t);
  rs_trainer_free (t);
  g_assert_cmpint (live->steps_done, ==, steps);
  g_assert_cmpint (live->history->points[live->history->n - 1].step, <, steps - 1);
  g_assert_cmpint (live->latest.step, ==, steps - 1);

  RsHistory *history = run_alone (exp, steps, NULL, 0, FALSE);
  assert_same_bits (&live->latest, &history->points[steps - 1]);
  rs_history_free (history);
}

/* Early stopping in the window's trainer: Play stops where the patience
 * runs out (FINISHED, the reason on the snapshot), "Restore best" puts the
 * best pass's weights back (the next pass sees the best validation loss
 * again), Play goes on from there; the saved session replays all of it bit
 * for bit, the restore an event like any other. */
static void
test_early_stop_restore_replays (void)
{
  g_autofree char *lesson = rs_lesson_resolve ("overfit-random-labels");
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load (lesson, &error);
  g_assert_no_error (error);
  const char *sets[] = { "early-stopping.patience=15", "experiment.steps=400", NULL };
  g_assert_true (rs_experiment_set_many (exp, sets, &error));
  RsTrainer *t = new_trainer (exp);
  g_autoptr (RsSnapshot) stopped = play_to_finish (t);
  gint64 at = stopped->early_stop.stopped_step;
  g_assert_cmpint (at, >, 0);
  g_assert_cmpint (at, <, 400);
  g_assert_cmpint (stopped->steps_done, ==, at);
  g_assert_cmpint (stopped->early_stop.best_step, ==, at - 1 - 15); /* a pass every step */
  g_assert_nonnull (stopped->pause_reason);
  g_assert_true (g_str_has_prefix (stopped->pause_reason, "early stopping at step"));

  rs_trainer_restore_best (t);
  take_steps (t, 5);
  g_autoptr (RsSnapshot) after = rs_trainer_get_snapshot (t);
  g_assert_cmpint (after->steps_done, ==, at + 5);
  g_assert_null (after->pause_reason);
  /* the first pass after the restore sees the best pass's weights */
  g_assert_cmpfloat (after->history->points[at].val_loss, ==, stopped->early_stop.best_value);
  g_assert_cmpfloat (after->history->points[at].val_loss, <,
                     after->history->points[at - 1].val_loss);

  g_autofree char *dir = g_dir_make_tmp ("regscope-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.regscope-session", NULL);
  g_assert_true (rs_trainer_save_session (t, path, &error));
  g_assert_no_error (error);
  rs_trainer_free (t);

  g_autoptr (RsReplay) replay = rs_replay_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (replay->steps, ==, at + 5);
  g_assert_cmpint (replay->n_events, ==, 1);
  g_assert_cmpstr (replay->events[0].key, ==, "restore-best");
  g_assert_cmpint (replay->events[0].step, ==, at);
  /* as regscope-train --replay: the run went on past its stop */
  RsHistory *history = run_alone (replay->experiment, replay->steps, replay->events,
                                  replay->n_events, TRUE);
  g_assert_cmpint (history->n, ==, at + 5);
  for (int i = 0; i < history->n; i++)
    assert_same_bits (&history->points[i], &after->history->points[i]);
  rs_history_free (history);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- nothing the UI calls waits on a step ----------------------------------- */

/* pthread's lock and condition, as in the trainer: ThreadSanitizer cannot
 * see GMutex/GCond (raw futexes) and reports the gate's flags as races. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  gboolean        entered;   /* the worker is inside a step */
  gboolean        release;
} Gate;

static void
gate_hook (gpointer data)
{
  Gate *g = data;
  pthread_mutex_lock (&g->lock);
  g->entered = TRUE;
  pthread_cond_broadcast (&g->cond);
  while (!g->release)
    pthread_cond_wait (&g->cond, &g->lock);
  pthread_mutex_unlock (&g->lock);
}

static void
test_calls_never_wait_on_a_step (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  RsSession *session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  Gate gate = { .entered = FALSE, .release = FALSE };
  pthread_mutex_init (&gate.lock, NULL);
  pthread_cond_init (&gate.cond, NULL);
  rs_session_set_step_hook (session, gate_hook, &gate);
  RsTrainer *t = rs_trainer_new (session);

  rs_trainer_play (t);
  pthread_mutex_lock (&gate.lock);
  while (!gate.entered)
    pthread_cond_wait (&gate.cond, &gate.lock);
  pthread_mutex_unlock (&gate.lock);

  /* The worker is now held inside a step for as long as we like. If any
   * of these calls waited on the step, this test would hang (and meson's
   * timeout would fail it). */
  RsLayerReg reg = exp->layer[0];
  reg.l2 = 0.5;
  rs_trainer_set_layer_reg (t, 0, &reg);
  RsOptimizerConfig opt = exp->optimizer;
  opt.lr = 0.002;
  rs_trainer_set_optimizer (t, &opt);
  rs_trainer_set_speed (t, 100);
  rs_trainer_set_speed (t, 0);
  rs_trainer_set_sparsity_threshold (t, 0.01);
  rs_trainer_pause (t);
  rs_trainer_play (t);
  rs_trainer_step (t);
  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  g_assert_nonnull (snap);
  (void) rs_trainer_get_snapshot_serial (t);
  (void) rs_trainer_get_state (t);
  g_autofree char *dir = g_dir_make_tmp ("regscope-gate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.ini", NULL);
  g_assert_true (rs_trainer_save_session (t, path, &error));
  rs_trainer_pause (t);
  rs_trainer_reset (t);

  pthread_mutex_lock (&gate.lock);
  gate.release = TRUE;
  pthread_cond_broadcast (&gate.cond);
  pthread_mutex_unlock (&gate.lock);
  rs_trainer_sync (t);
  g_autoptr (RsSnapshot) after = rs_trainer_get_snapshot (t);
  g_assert_cmpint (after->steps_done, ==, 0);  /* the reset took effect */
  g_assert_cmpfloat (after->experiment->layer[0].l2, ==, 0.5); /* lambdas kept */
  rs_trainer_free (t);
  pthread_mutex_destroy (&gate.lock);
  pthread_cond_destroy (&gate.cond);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_divergence_pauses (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set (exp, "optimizer.name=sgd", &error));
  g_assert_true (rs_experiment_set (exp, "optimizer.lr=1e30", &error));
  g_assert_true (rs_experiment_set (exp, "experiment.steps=1000", &error));
  RsTrainer *t = new_trainer (exp);
  rs_trainer_play (t);
  while (rs_trainer_get_state (t) != RS_TRAINER_DIVERGED)
    {
      g_assert_cmpint (rs_trainer_get_state (t), !=, RS_TRAINER_FINISHED);
      rs_trainer_sync (t);
    }
  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  g_assert_nonnull (snap->pause_reason);
  g_assert_nonnull (strstr (snap->pause_reason, "step"));
  g_assert_nonnull (strstr (snap->pause_reason, "diverged"));
  /* play and step do nothing until reset */
  gint64 stuck = snap->steps_done;
  rs_trainer_step (t);
  rs_trainer_play (t);
  rs_trainer_sync (t);
  g_assert_cmpint (rs_trainer_get_state (t), ==, RS_TRAINER_DIVERGED);
  g_autoptr (RsSnapshot) still = rs_trainer_get_snapshot (t);
  g_assert_cmpint (still->steps_done, ==, stuck);

  /* reset recovers: a sane learning rate trains again */
  RsOptimizerConfig opt = exp->optimizer;
  opt.lr = 0.01;
  rs_trainer_set_optimizer (t, &opt);
  rs_trainer_reset (t);
  take_steps (t, 3);
  g_autoptr (RsSnapshot) ok = rs_trainer_get_snapshot (t);
  g_assert_cmpint (ok->steps_done, ==, 3);
  g_assert_null (ok->pause_reason);
  g_assert_true (isfinite (ok->latest.loss));
  rs_trainer_free (t);
}

/* ---- stress: many threads pushing controls and reading snapshots ---------- */

typedef struct {
  RsTrainer *trainer;
  int        n_layers;
  guint32    seed;
} StressArgs;

static gpointer
stress_thread (gpointer data)
{
  StressArgs *a = data;
  GRand *rand = g_rand_new_with_seed (a->seed);
  for (int i = 0; i < 2000; i++)
    {
      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0:
          {
            RsLayerReg reg = { .l1 = g_rand_double (rand) * 0.01,
                               .l1_bias = g_rand_boolean (rand),
                               .l2 = g_rand_double (rand) * 0.01,
                               .weight_decay = g_rand_double (rand) * 0.01,
                               .activity = g_rand_double (rand) * 0.01,
                               .activity_norm = g_rand_boolean (rand) ? RS_NORM_L2 : RS_NORM_L1 };
            rs_trainer_set_layer_reg (a->trainer, g_rand_int_range (rand, 0, a->n_layers), &reg);
            break;
          }
        case 1:
          {
            RsOptimizerConfig opt = { .kind = g_rand_int_range (rand, 0, 3),
                                      .lr = 1e-4 + g_rand_double (rand) * 1e-3,
                                      .momentum = 0.5, .beta1 = 0.9, .beta2 = 0.999,
                                      .eps = 1e-8 };
            rs_trainer_set_optimizer (a->trainer, &opt);
            break;
          }
        case 2:
          rs_trainer_play (a->trainer);
          break;
        case 3:
          rs_trainer_pause (a->trainer);
          break;
        case 4:
          rs_trainer_step (a->trainer);
          break;
        case 5:
          if (g_rand_int_range (rand, 0, 50) == 0)
            rs_trainer_reset (a->trainer);
          break;
        default:
          {
            RsSnapshot *snap = rs_trainer_get_snapshot (a->trainer);
            /* read everything a plot would read */
            double sum = 0;
            for (int l = 0; l < snap->n_layers; l++)
              sum += snap->layers[l].weight[0] + snap->layers[l].hist_log->total;
            for (int k = 0; k < snap->history->n; k++)
              sum += snap->history->points[k].loss;
            g_assert_false (isnan (sum) && snap->pause_reason == NULL && FALSE);
            rs_snapshot_unref (snap);
          }
        }
    }
  g_rand_free (rand);
  return NULL;
}

/* Waits for the wakeup descriptor, as the window's main loop does; FALSE
 * if nothing came within `ms`. */
static gboolean
wakeup_within (int fd, int ms)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int n;
  do
    n = poll (&p, 1, ms);
  while (n < 0 && errno == EINTR);
  g_assert_cmpint (n, >=, 0);
  return n == 1 && (p.revents & POLLIN) != 0;
}

/* The window is woken, not polling: every publish and every state change
 * the worker makes by itself (here the end of the run) makes the
 * descriptor readable, and a cleared one stays quiet while nothing
 * happens. Looking after each clear, the window never misses the last
 * state. */
static void
count_control (RsTrainer *t, guint64 generation, gpointer data)
{
  guint64 *seen = data;
  g_assert_cmpuint (generation, >, seen[0]);
  seen[0] = generation;
  seen[1]++;
}

/* The control func hears every control call, on the caller's thread,
 * with a generation that the snapshot showing the change carries. */
static void
test_control_func (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  guint64 seen[2] = { 0, 0 };   /* the last generation, the calls */
  g_autoptr (RsSnapshot) first = rs_trainer_get_snapshot (t);
  g_assert_cmpuint (first->controls_applied, ==, 0);

  rs_trainer_set_control_func (t, count_control, seen);
  RsLayerReg reg = exp->layer[0];
  reg.l1 = 0.01;
  rs_trainer_set_layer_reg (t, 0, &reg);
  g_assert_cmpuint (seen[1], ==, 1);
  guint64 l1_gen = seen[0];
  rs_trainer_sync (t);
  g_autoptr (RsSnapshot) after = rs_trainer_get_snapshot (t);
  g_assert_cmpuint (after->controls_applied, >=, l1_gen);
  g_assert_cmpfloat (after->experiment->layer[0].l1, ==, 0.01);

  rs_trainer_step (t);
  rs_trainer_pause (t);
  rs_trainer_set_speed (t, 100);
  g_assert_cmpuint (seen[1], ==, 4);
  rs_trainer_set_control_func (t, NULL, NULL);
  rs_trainer_play (t);
  rs_trainer_pause (t);
  g_assert_cmpuint (seen[1], ==, 4);
  rs_trainer_free (t);
}

/* A control's sender can wait for it: the wait ends once the worker has
 * applied the control and published a snapshot with it, whether the
 * trainer is paused or playing between paced steps (a step a second: the
 * control does not wait for the next one); a generation never sent is
 * waited for only until the timeout. */
static void
test_wait_for_control (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  guint64 seen[2] = { 0, 0 };
  RsLayerReg reg = exp->layer[0];

  rs_trainer_set_control_func (t, count_control, seen);
  rs_trainer_set_stop_at_end (t, FALSE);
  for (int playing = 0; playing < 2; playing++)
    {
      if (playing)
        {
          rs_trainer_set_speed (t, 1);
          rs_trainer_play (t);
          g_assert_true (rs_trainer_wait_for_control (t, seen[0], 10 * G_USEC_PER_SEC));
        }
      reg.l1 = playing ? 0.02 : 0.01;
      rs_trainer_set_layer_reg (t, 0, &reg);
      /* generous: a loaded machine under a sanitizer; it returns as soon as applied */
      g_assert_true (rs_trainer_wait_for_control (t, seen[0], 10 * G_USEC_PER_SEC));
      g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
      g_assert_cmpuint (snap->controls_applied, >=, seen[0]);
      g_assert_cmpfloat (snap->experiment->layer[0].l1, ==, reg.l1);
      if (playing)
        g_assert_cmpint (rs_trainer_get_state (t), ==, RS_TRAINER_RUNNING);
    }

  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (rs_trainer_wait_for_control (t, seen[0] + 1000, 20000));
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 20000);
  rs_trainer_free (t);
}

static gint64
published_steps (RsTrainer *t)
{
  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  return snap->steps_done;
}

/* Held, a playing trainer takes no step, yet applies and publishes every
 * control; let go, it steps on. (After a sync the worker has looked at
 * the hold: it waits there, or steps on once let go.) */
static void
test_hold (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  RsLayerReg reg = exp->layer[0];

  rs_trainer_set_stop_at_end (t, FALSE);
  rs_trainer_play (t);
  rs_trainer_hold (t, TRUE);
  g_assert_true (rs_trainer_get_held (t));
  rs_trainer_sync (t);
  gint64 held_at = published_steps (t);
  for (int i = 0; i < 3; i++)
    {
      reg.l1 = 0.01 * (i + 1);
      rs_trainer_set_layer_reg (t, 0, &reg);
      rs_trainer_sync (t);
      g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
      g_assert_cmpfloat (snap->experiment->layer[0].l1, ==, reg.l1);
      g_assert_cmpint (snap->steps_done, ==, held_at);
      g_assert_cmpint (rs_trainer_get_state (t), ==, RS_TRAINER_RUNNING);
    }

  rs_trainer_hold (t, FALSE);
  g_assert_false (rs_trainer_get_held (t));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (published_steps (t) <= held_at && g_get_monotonic_time () < deadline)
    rs_trainer_sync (t);
  g_assert_cmpint (published_steps (t), >, held_at);
  rs_trainer_free (t);
}

static void
test_wakeup (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  RsTrainer *t = new_trainer (exp);
  int fd = rs_trainer_get_wakeup_fd (t);
  g_assert_cmpint (fd, >=, 0);

  /* the first snapshot, published before the thread started */
  g_assert_true (wakeup_within (fd, 0));
  rs_trainer_clear_wakeup (t);
  g_assert_false (wakeup_within (fd, 0));
  guint64 serial = rs_trainer_get_snapshot_serial (t);

  rs_trainer_step (t);
  g_assert_true (wakeup_within (fd, 10000));
  rs_trainer_sync (t);
  g_assert_cmpuint (rs_trainer_get_snapshot_serial (t), >, serial);
  rs_trainer_clear_wakeup (t);
  /* paused: nothing more is published */
  g_assert_false (wakeup_within (fd, 20));

  /* To the end at full speed, as the window watches it: wait, clear,
   * look; the look after the last wakeup sees FINISHED. */
  rs_trainer_set_speed (t, 0);
  rs_trainer_play (t);
  int wakeups = 0;
  for (;;)
    {
      g_assert_true (wakeup_within (fd, 10000));
      wakeups++;
      rs_trainer_clear_wakeup (t);
      if (rs_trainer_get_state (t) == RS_TRAINER_FINISHED)
        break;
    }
  g_autoptr (RsSnapshot) last = rs_trainer_get_snapshot (t);
  g_assert_cmpint (last->steps_done, ==, 10);
  g_assert_cmpint (wakeups, >=, 1);
  g_assert_false (wakeup_within (fd, 20));
  rs_trainer_free (t);
}

static void
test_stress (void)
{
  g_autoptr (RsExperiment) exp = seed_experiment ();
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set (exp, "experiment.steps=100000000", &error));
  RsTrainer *t = new_trainer (exp);
  rs_trainer_play (t);
  StressArgs args[3];
  GThread *threads[3];
  for (int i = 0; i < 3; i++)
    {
      args[i] = (StressArgs) { t, exp->n_layers, 1234 + i };
      threads[i] = g_thread_new ("stress", stress_thread, &args[i]);
    }
  for (int i = 0; i < 3; i++)
    g_thread_join (threads[i]);
  rs_trainer_play (t);
  rs_trainer_sync (t);
  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  g_assert_cmpint (snap->n_layers, ==, 2);
  g_assert_cmpint (snap->history->n, <=, snap->history->capacity);
  /* shut down while it runs: joins cleanly (ASan/TSan check the rest) */
  rs_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/trainer/step-counts", test_step_counts);
  g_test_add_func ("/engine/trainer/control-at-step-boundary", test_control_at_step_boundary);
  g_test_add_func ("/engine/trainer/frames-by-step", test_frames_by_step);
  g_test_add_func ("/engine/trainer/replay-bit-identical", test_replay_bit_identical);
  g_test_add_func ("/engine/trainer/dropout-run-matches-rs-run", test_dropout_run_matches_rs_run);
  g_test_add_func ("/engine/trainer/latest-is-last-step", test_latest_is_last_step);
  g_test_add_func ("/engine/trainer/early-stop-restore-replays", test_early_stop_restore_replays);
  g_test_add_func ("/engine/trainer/calls-never-wait-on-a-step", test_calls_never_wait_on_a_step);
  g_test_add_func ("/engine/trainer/divergence-pauses", test_divergence_pauses);
  g_test_add_func ("/engine/trainer/wakeup", test_wakeup);
  g_test_add_func ("/engine/trainer/control-func", test_control_func);
  g_test_add_func ("/engine/trainer/wait-for-control", test_wait_for_control);
  g_test_add_func ("/engine/trainer/hold", test_hold);
  g_test_add_func ("/engine/trainer/stress", test_stress);
  return g_test_run ();
}
