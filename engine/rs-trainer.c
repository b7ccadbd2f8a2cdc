/* rs-trainer.c — the one background thread.
 *
 * Two locks, each held only for a few copies:
 *   lock       the control block (play/pause/step/reset, lambdas, speed) and
 *              the worker's published state; the worker takes controls at
 *              step boundaries and never holds it while stepping.
 *   snap_lock  the newest snapshot pointer: publishing swaps it, readers
 *              take a reference. Building a snapshot happens outside it.
 * The session, the history and the frame store belong to the worker alone.
 *
 * The locks are pthread's rather than GMutex/GCond: GLib implements those
 * with raw futexes that ThreadSanitizer cannot see, and the suite runs this
 * file under TSan. */
#include "rs-trainer.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif

#include "rs-event.h"
#include "rs-keys.h"
#include "rs-replay.h"
#include "rs-run.h"
#include "rs-twin.h"

#define RS_TRAINER_NICE       5                      /* below the UI thread (0) */
#define PUBLISH_INTERVAL_US   (G_USEC_PER_SEC / 30)  /* at most ~30 snapshots a second */
#define PUBLISH_BUDGET        40                     /* a snapshot's cost x 40 = the interval: <= 2.5% */
#define BOUNDARY_INTERVAL_US  (G_USEC_PER_SEC / 5)   /* the 2-D grid, 5 times a second */
#define HISTORY_CAPACITY      4096

struct _RsTrainer {
  GThread *thread;

  /* ---- guarded by lock -------------------------------------------------- */
  pthread_mutex_t lock;
  pthread_cond_t  cond;      /* CLOCK_MONOTONIC, like g_get_monotonic_time */
  gboolean quit;
  gboolean running;          /* wanted: play */
  int      pending_steps;    /* single steps asked for while paused */
  gboolean reset_requested;
  gboolean past_end;         /* play was pressed after the end: keep going */
  gboolean stop_at_end;
  double   speed;            /* steps per second, 0 = as fast as possible */
  RsLayerReg        regs[RS_MAX_LAYERS];
  RsExperiment      globals;  /* the controls outside the layers (optimizer, model);
                               * numbers only: its strings are NULL */
  double   threshold;
  guint64  control_gen;      /* bumped by every control call */
  guint64  handled_gen;      /* controls applied by the worker, up to here */
  RsTrainerControlFunc control_func;  /* rs_trainer_set_control_func */
  gpointer control_data;
  gboolean in_flight;        /* a step (and its publish) is under way */
  gboolean held;             /* rs_trainer_hold: play takes no step */
  int      sync_waiters;     /* threads in rs_trainer_sync: wake them per step */
  RsTrainerState state;
  RsSession *twin_request;    /* a twin's B to adopt (twin_change set) */
  RsExperiment *twin_request_exp;
  gboolean  twin_change;      /* adopt twin_request (NULL: end the twin) */
  /* the run so far, for rs_trainer_save_session */
  RsExperiment *run_start;   /* the experiment at the last reset */
  GArray  *events;           /* every RsEvent since the last reset */
  gint64   steps_done;

  /* ---- guarded by snap_lock --------------------------------------------- */
  pthread_mutex_t snap_lock;
  RsSnapshot *snapshot;
  RsSnapshot *twin_snapshot;  /* B's, published with A's; NULL without a twin */
  guint64     serial;

  /* ---- the worker's own --------------------------------------------------- */
  RsSession    *session;
  RsHistory    *history;
  RsFrameStore *frames;
  int           n_layers;
  guint64       applied_gen;  /* the controls the next snapshot reflects */
  gint64        last_publish_us;
  gint64        publish_interval_us; /* PUBLISH_INTERVAL_US or more (see publish) */
  gint64        last_boundary_us;
  char         *pause_reason;
  /* a twin run's B (rs-twin.h): stepped right after A, reset with it */
  RsSession    *twin;
  RsExperiment *twin_exp;     /* A's settings with B's [compare]: which changes B follows */
  RsHistory    *twin_history;
  RsFrameStore *twin_frames;

  /* ---- the UI's wakeup (rs_trainer_get_wakeup_fd) --------------------------- */
  int  wakeup_fds[2];         /* a non-blocking pipe; -1 if none could be made */
  int  wakeup_set;            /* atomic: a byte is (or is about to be) in the pipe */
};

/* ---- waking the UI ------------------------------------------------------------ */

/* Makes the wakeup descriptor readable, once until it is cleared: the
 * window's main loop picks up the new snapshot or state at once instead of
 * polling for it. */
static void
wake_ui (RsTrainer *t)
{
  if (t->wakeup_fds[1] < 0 || __atomic_exchange_n (&t->wakeup_set, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  ssize_t n;
  do
    n = write (t->wakeup_fds[1], "", 1);
  while (n < 0 && errno == EINTR);
}

/* ---- publishing ------------------------------------------------------------ */

static void
publish (RsTrainer *t)
{
  gint64 now = g_get_monotonic_time ();
  rs_frame_store_record (t->frames, t->session);
  RsSnapshot *prev = rs_trainer_get_snapshot (t);
  gboolean fresh_grid = now - t->last_boundary_us >= BOUNDARY_INTERVAL_US;
  RsSnapshot *snap = rs_session_build_snapshot_reusing (t->session, t->history, t->frames,
                                                        fresh_grid ? NULL : prev);
  if (fresh_grid)
    t->last_boundary_us = now;
  rs_snapshot_unref (prev);
  snap->pause_reason = g_strdup (t->pause_reason);
  snap->published_us = g_get_monotonic_time ();
  snap->controls_applied = t->applied_gen;
  RsSnapshot *twin = NULL;
  if (t->twin != NULL)
    {
      rs_frame_store_record (t->twin_frames, t->twin);
      RsSnapshot *prev_b = rs_trainer_get_twin_snapshot (t);
      twin = rs_session_build_snapshot_reusing (t->twin, t->twin_history, t->twin_frames,
                                                fresh_grid ? NULL : prev_b);
      if (prev_b != NULL)
        rs_snapshot_unref (prev_b);
      twin->pause_reason = g_strdup (t->pause_reason);
      twin->published_us = snap->published_us;
      twin->controls_applied = snap->controls_applied;
    }

  pthread_mutex_lock (&t->snap_lock);
  RsSnapshot *old = t->snapshot;
  RsSnapshot *old_twin = t->twin_snapshot;
  t->snapshot = snap;
  t->twin_snapshot = twin;
  t->serial++;
  pthread_mutex_unlock (&t->snap_lock);
  wake_ui (t);
  if (old != NULL)
    rs_snapshot_unref (old);
  if (old_twin != NULL)
    rs_snapshot_unref (old_twin);
  t->last_publish_us = now;
  /* What a snapshot costs bounds how often one is built while playing:
   * never more than 1/PUBLISH_BUDGET of the time, so that on a big model
   * snapshots slow training by a few percent at most. */
  t->publish_interval_us = MAX (PUBLISH_INTERVAL_US,
                                PUBLISH_BUDGET * (g_get_monotonic_time () - now));
}

/* ---- controls, applied by the worker at a step boundary ------------------- */

typedef struct {
  gboolean          reset;
  gboolean          twin_change;
  RsSession        *twin;      /* owned: the B to adopt */
  RsExperiment     *twin_exp;
  RsLayerReg        regs[RS_MAX_LAYERS];
  RsExperiment      globals;
  double            threshold;
} Controls;

static void
record_event (RsTrainer *t, const RsEvent *e)
{
  rs_history_add_event (t->history, e);
  pthread_mutex_lock (&t->lock);
  g_array_append_val (t->events, *e);
  pthread_mutex_unlock (&t->lock);
}

/* A's change reaches B as well, unless B sets that term itself. */
static void
twin_follow (RsTrainer *t, const RsEvent *e)
{
  if (t->twin == NULL || !rs_twin_b_follows (t->twin_exp, e))
    return;
  g_autoptr (GError) error = NULL;
  if (!rs_run_apply_event (t->twin, e, &error))
    g_warning ("rs-trainer: B did not take %s: %s", e->key, error->message);
  else
    rs_history_add_event (t->twin_history, e);
}

/* A twin starts (or ends): B beside A from step 0, both from the seed. */
static void
adopt_twin (RsTrainer *t, RsSession *b, RsExperiment *b_exp)
{
  g_clear_pointer (&t->twin, rs_session_free);
  g_clear_pointer (&t->twin_exp, rs_experiment_free);
  t->twin = b;
  t->twin_exp = b_exp;
  if (b == NULL)
    {
      g_clear_pointer (&t->twin_history, rs_history_free);
      g_clear_pointer (&t->twin_frames, rs_frame_store_free);
      return;
    }
  if (t->twin_history == NULL)
    {
      t->twin_history = rs_history_new (HISTORY_CAPACITY);
      t->twin_frames = rs_frame_store_new ();
    }
}

static void
apply_controls (RsTrainer *t, const Controls *c)
{
  const RsExperiment *exp = rs_session_get_experiment (t->session);
  gint64 step = rs_session_get_step (t->session);
  RsEvent events[RS_EVENT_MAX_DIFF];

  for (int l = 0; l < t->n_layers; l++)
    {
      int n = rs_event_diff_layer (&exp->layer[l], &c->regs[l], l, step, events);
      if (n > 0)
        rs_session_set_layer_reg (t->session, l, &c->regs[l]);
      for (int i = 0; i < n; i++)
        {
          record_event (t, &events[i]);
          twin_follow (t, &events[i]);
        }
    }
  int n = rs_event_diff_globals (exp, &c->globals, step, events);
  if (n > 0)
    rs_session_set_globals (t->session, &c->globals);
  for (int i = 0; i < n; i++)
    {
      record_event (t, &events[i]);
      twin_follow (t, &events[i]);
    }

  rs_session_set_sparsity_threshold (t->session, c->threshold);
  if (c->twin_change)
    adopt_twin (t, c->twin, c->twin_exp);
  if (t->twin != NULL)
    rs_session_set_sparsity_threshold (t->twin, c->threshold);
  if (c->twin_change && t->twin == NULL)
    {
      /* the twin ends, A goes on: a saved session is A's run alone */
      pthread_mutex_lock (&t->lock);
      g_clear_pointer (&t->run_start->compare, g_strfreev);
      pthread_mutex_unlock (&t->lock);
    }

  if (c->reset || (c->twin_change && t->twin != NULL))
    {
      rs_session_reset (t->session);
      rs_history_clear (t->history);
      rs_frame_store_clear (t->frames);
      if (t->twin != NULL)
        {
          rs_session_reset (t->twin);
          rs_history_clear (t->twin_history);
          rs_frame_store_clear (t->twin_frames);
        }
      g_clear_pointer (&t->pause_reason, g_free);
      pthread_mutex_lock (&t->lock);
      rs_experiment_free (t->run_start);
      t->run_start = rs_experiment_copy (rs_session_get_experiment (t->session));
      /* a saved session keeps the twin: its [compare] */
      g_strfreev (t->run_start->compare);
      t->run_start->compare = t->twin_exp != NULL ? g_strdupv (t->twin_exp->compare) : NULL;
      g_array_set_size (t->events, 0);
      t->steps_done = 0;
      pthread_mutex_unlock (&t->lock);
    }
}

/* Waits on the control condition until `due` (g_get_monotonic_time units,
 * i.e. CLOCK_MONOTONIC microseconds) or until a control arrives. */
static void
wait_until (RsTrainer *t, gint64 due)
{
  struct timespec ts = { .tv_sec = due / G_USEC_PER_SEC,
                         .tv_nsec = (due % G_USEC_PER_SEC) * 1000 };
  pthread_cond_timedwait (&t->cond, &t->lock, &ts);
}

/* ---- the thread ---------------------------------------------------------------- */

void
rs_trainer_lower_thread_priority (void)
{
  /* Training yields to the window: on a two-core machine the trainer, the
   * UI thread, the plot renderer and the display server share two cores,
   * and a click must reach the screen before the next thousand steps do.
   * (Linux nices threads one by one; elsewhere this is a no-op.) */
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), RS_TRAINER_NICE) != 0)
    g_debug ("rs-trainer: could not lower the training thread's priority");
#endif
}

static gpointer
worker (gpointer data)
{
  RsTrainer *t = data;
  gint64 next_due = 0;

  rs_trainer_lower_thread_priority ();

  pthread_mutex_lock (&t->lock);
  while (!t->quit)
    {
      if (t->control_gen != t->handled_gen)
        {
          guint64 gen = t->control_gen;
          Controls c = { .reset = t->reset_requested, .globals = t->globals,
                         .threshold = t->threshold, .twin_change = t->twin_change,
                         .twin = g_steal_pointer (&t->twin_request),
                         .twin_exp = g_steal_pointer (&t->twin_request_exp) };
          t->twin_change = FALSE;
          memcpy (c.regs, t->regs, sizeof c.regs);
          /* (rs_trainer_reset already paused and cleared pending steps at
           * call time, so steps asked for after it still count.) */
          t->reset_requested = FALSE;
          pthread_mutex_unlock (&t->lock);

          apply_controls (t, &c);
          t->applied_gen = gen;
          publish (t);

          pthread_mutex_lock (&t->lock);
          t->handled_gen = gen;
          pthread_cond_broadcast (&t->cond);
          continue;
        }

      gint64 step = rs_session_get_step (t->session);
      gboolean at_end = t->stop_at_end && !t->past_end
                        && step >= rs_session_total_steps (t->session);
      gboolean diverged = t->state == RS_TRAINER_DIVERGED;
      gboolean single = t->pending_steps > 0 && !diverged;
      gboolean play = t->running && !diverged && !at_end;

      if (t->running && at_end)
        {
          /* Publish first: whoever sees FINISHED also sees the last step. */
          t->running = FALSE;
          pthread_mutex_unlock (&t->lock);
          publish (t);
          pthread_mutex_lock (&t->lock);
          if (!t->running)
            {
              t->state = RS_TRAINER_FINISHED;
              wake_ui (t);
            }
          continue;
        }
      if (!play && !single)
        {
          next_due = 0;
          pthread_cond_wait (&t->cond, &t->lock);
          continue;
        }
      if (play && t->held)
        {
          /* Off the CPU until let go; controls still apply (above). */
          pthread_cond_wait (&t->cond, &t->lock);
          continue;
        }
      if (play && t->speed > 0 && next_due > 0)
        {
          /* Paced: wait for the step's time, but wake for any control. */
          if (g_get_monotonic_time () < next_due)
            {
              wait_until (t, next_due);
              continue;
            }
        }
      if (single && !play)
        t->pending_steps--;
      t->in_flight = TRUE;
      double speed = t->speed;
      pthread_mutex_unlock (&t->lock);

      gint64 started = g_get_monotonic_time ();
      RsMetrics m;
      g_autoptr (GError) error = NULL;
      gboolean ok = rs_session_step (t->session, &m, &error);
      if (ok)
        {
          rs_history_append (t->history, &m);
          /* by step, not by snapshot: see rs_frame_store_record */
          rs_frame_store_record (t->frames, t->session);
        }
      if (ok && t->twin != NULL)
        {
          /* B in lockstep: the same step index, the same batch */
          RsMetrics mb;
          ok = rs_session_step (t->twin, &mb, &error);
          if (ok)
            {
              rs_history_append (t->twin_history, &mb);
              rs_frame_store_record (t->twin_frames, t->twin);
            }
          else
            g_prefix_error (&error, "B: ");
        }
      if (!ok)
        {
          g_free (t->pause_reason);
          t->pause_reason = g_strdup (error->message);
        }
      /* Early stopping ends the run here; a step after it (Play goes on)
       * clears the reason, as only a stop leaves one that steps past. */
      gboolean stopped = ok && rs_session_should_stop (t->session);
      if (stopped)
        {
          g_free (t->pause_reason);
          t->pause_reason = rs_session_describe_stop (t->session);
        }
      else if (ok)
        g_clear_pointer (&t->pause_reason, g_free);
      gint64 now = g_get_monotonic_time ();
      if (!ok || stopped || !play || now - t->last_publish_us >= t->publish_interval_us)
        publish (t);
      if (play && speed > 0)
        next_due = (next_due > 0 ? next_due : started) + (gint64) (G_USEC_PER_SEC / speed);
      if (next_due > 0 && now - next_due > G_USEC_PER_SEC)
        next_due = now; /* fell far behind (a slow step): do not burst to catch up */

      pthread_mutex_lock (&t->lock);
      RsTrainerState was = t->state;
      t->in_flight = FALSE;
      if (t->sync_waiters > 0)
        pthread_cond_broadcast (&t->cond);
      t->steps_done = rs_session_get_step (t->session);
      if (!ok)
        {
          t->state = RS_TRAINER_DIVERGED;
          t->running = FALSE;
          t->pending_steps = 0;
        }
      else if (stopped)
        {
          /* Early stopping: like the end of the run, Play goes on from here. */
          t->state = RS_TRAINER_FINISHED;
          t->running = FALSE;
          t->pending_steps = 0;
        }
      else if (t->state != RS_TRAINER_DIVERGED)
        t->state = t->running ? RS_TRAINER_RUNNING : RS_TRAINER_PAUSED;
      /* (the snapshot was published before: the UI must look again) */
      if (t->state != was)
        wake_ui (t);
    }
  pthread_mutex_unlock (&t->lock);
  return NULL;
}

/* ---- public calls: none of them waits on a step --------------------------------- */

/* A trainer on `session`, its thread not started yet. */
static RsTrainer *
trainer_create (RsSession *session)
{
  RsTrainer *t = g_new0 (RsTrainer, 1);
  pthread_mutex_init (&t->lock, NULL);
  pthread_mutex_init (&t->snap_lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (&t->cond, &attr);
  pthread_condattr_destroy (&attr);
  t->session = session;
  t->history = rs_history_new (HISTORY_CAPACITY);
  t->frames = rs_frame_store_new ();
  t->events = g_array_new (FALSE, TRUE, sizeof (RsEvent));
  g_array_set_clear_func (t->events, (GDestroyNotify) rs_event_clear);
  const RsExperiment *exp = rs_session_get_experiment (session);
  t->n_layers = exp->n_layers;
  memcpy (t->regs, exp->layer, sizeof t->regs);
  t->globals = *exp;
  t->globals.title = t->globals.description = t->globals.csv_path = NULL;
  t->globals.label_column = t->globals.path = NULL;
  t->threshold = exp->sparsity_threshold;
  t->run_start = rs_experiment_copy (exp);
  t->stop_at_end = TRUE;
  t->state = RS_TRAINER_PAUSED;
  t->steps_done = rs_session_get_step (session);
  t->wakeup_fds[0] = t->wakeup_fds[1] = -1;
  if (!g_unix_open_pipe (t->wakeup_fds, FD_CLOEXEC, NULL)
      || !g_unix_set_fd_nonblocking (t->wakeup_fds[0], TRUE, NULL)
      || !g_unix_set_fd_nonblocking (t->wakeup_fds[1], TRUE, NULL))
    {
      /* out of descriptors: the UI still polls on its frame clock */
      for (int i = 0; i < 2; i++)
        if (t->wakeup_fds[i] >= 0)
          close (t->wakeup_fds[i]);
      t->wakeup_fds[0] = t->wakeup_fds[1] = -1;
    }
  publish (t);
  return t;
}

RsTrainer *
rs_trainer_new (RsSession *session)
{
  RsTrainer *t = trainer_create (session);
  t->thread = g_thread_new ("rs-trainer", worker, t);
  return t;
}

static void
trainer_stop (RsTrainer *t)
{
  pthread_mutex_lock (&t->lock);
  t->quit = TRUE;
  pthread_cond_broadcast (&t->cond);
  pthread_mutex_unlock (&t->lock);
  if (t->thread != NULL)
    g_thread_join (t->thread);
  t->thread = NULL;
}

RsTrainer *
rs_trainer_new_after_change (RsSession *session, RsTrainer *previous)
{
  /* After the join, previous's log and session are this thread's alone. */
  trainer_stop (previous);
  RsTrainer *t = trainer_create (session);

  /* The experiment the log replays to (run_start and every event), which
   * is what replay will hold when it meets the restart. */
  g_autoptr (RsExperiment) before = rs_experiment_copy (previous->run_start);
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < previous->events->len; i++)
    ok = rs_event_apply (&g_array_index (previous->events, RsEvent, i), before, &error);
  if (ok)
    {
      rs_experiment_free (t->run_start);
      t->run_start = rs_experiment_copy (previous->run_start);
      for (guint i = 0; i < previous->events->len; i++)
        {
          RsEvent copy;
          rs_event_copy (&copy, &g_array_index (previous->events, RsEvent, i));
          g_array_append_val (t->events, copy);
        }
      RsEvent restart;
      rs_event_init_restart (&restart, rs_session_get_step (previous->session), before,
                             rs_session_get_experiment (session));
      g_array_append_val (t->events, restart);
    }
  else /* cannot happen: every event was applied once already */
    g_warning ("rs-trainer: the run's log does not replay (%s); it starts again here",
               error->message);
  rs_trainer_free (previous);
  t->thread = g_thread_new ("rs-trainer", worker, t);
  return t;
}

void
rs_trainer_free (RsTrainer *t)
{
  if (t == NULL)
    return;
  trainer_stop (t);

  rs_snapshot_unref (t->snapshot);
  if (t->twin_snapshot != NULL)
    rs_snapshot_unref (t->twin_snapshot);
  adopt_twin (t, NULL, NULL);
  if (t->twin_request != NULL)
    rs_session_free (t->twin_request);
  rs_experiment_free (t->twin_request_exp);
  rs_session_free (t->session);
  rs_history_free (t->history);
  rs_frame_store_free (t->frames);
  rs_experiment_free (t->run_start);
  g_array_unref (t->events);
  g_free (t->pause_reason);
  pthread_mutex_destroy (&t->lock);
  pthread_cond_destroy (&t->cond);
  pthread_mutex_destroy (&t->snap_lock);
  for (int i = 0; i < 2; i++)
    if (t->wakeup_fds[i] >= 0)
      close (t->wakeup_fds[i]);
  g_free (t);
}

int
rs_trainer_get_wakeup_fd (RsTrainer *t)
{
  return t->wakeup_fds[0];
}

void
rs_trainer_clear_wakeup (RsTrainer *t)
{
  if (t->wakeup_fds[0] < 0)
    return;
  /* Empty the pipe first, then allow the next byte: a publish between the
   * two is seen by the caller's look at the snapshot that follows. */
  char buf[64];
  ssize_t n;
  do
    n = read (t->wakeup_fds[0], buf, sizeof buf);
  while (n > 0 || (n < 0 && errno == EINTR));
  __atomic_store_n (&t->wakeup_set, 0, __ATOMIC_SEQ_CST);
}

/* Every control: change the block under the lock, bump the generation,
 * wake the worker, then tell the control func (outside the lock: it may
 * call back in). */
#define CONTROL(t, body)                                      \
  G_STMT_START {                                              \
    pthread_mutex_lock (&(t)->lock);                          \
    body;                                                     \
    guint64 control_gen_ = ++(t)->control_gen;                \
    RsTrainerControlFunc control_func_ = (t)->control_func;   \
    gpointer control_data_ = (t)->control_data;               \
    pthread_cond_broadcast (&(t)->cond);                      \
    pthread_mutex_unlock (&(t)->lock);                        \
    if (control_func_ != NULL)                                \
      control_func_ ((t), control_gen_, control_data_);       \
  } G_STMT_END

void
rs_trainer_set_control_func (RsTrainer *t, RsTrainerControlFunc func, gpointer data)
{
  pthread_mutex_lock (&t->lock);
  t->control_func = func;
  t->control_data = data;
  pthread_mutex_unlock (&t->lock);
}

void
rs_trainer_play (RsTrainer *t)
{
  CONTROL (t, {
    if (t->state != RS_TRAINER_DIVERGED)
      {
        if (t->state == RS_TRAINER_FINISHED)
          t->past_end = TRUE;
        t->running = TRUE;
        t->state = RS_TRAINER_RUNNING;
      }
  });
}

void
rs_trainer_pause (RsTrainer *t)
{
  CONTROL (t, {
    t->running = FALSE;
    if (t->state == RS_TRAINER_RUNNING)
      t->state = RS_TRAINER_PAUSED;
  });
}

void
rs_trainer_step (RsTrainer *t)
{
  CONTROL (t, {
    if (!t->running && t->state != RS_TRAINER_DIVERGED)
      {
        if (t->state == RS_TRAINER_FINISHED)
          t->past_end = TRUE;
        t->pending_steps++;
      }
  });
}

void
rs_trainer_reset (RsTrainer *t)
{
  CONTROL (t, {
    t->reset_requested = TRUE;
    t->running = FALSE;
    t->past_end = FALSE;
    t->pending_steps = 0;
    t->state = RS_TRAINER_PAUSED;
  });
}

void
rs_trainer_set_speed (RsTrainer *t, double steps_per_second)
{
  CONTROL (t, t->speed = steps_per_second > 0 ? steps_per_second : 0);
}

void
rs_trainer_set_layer_reg (RsTrainer *t, int layer, const RsLayerReg *reg)
{
  g_return_if_fail (layer >= 0 && layer < t->n_layers);
  CONTROL (t, t->regs[layer] = *reg);
}

void
rs_trainer_set_optimizer (RsTrainer *t, const RsOptimizerConfig *opt)
{
  CONTROL (t, t->globals.optimizer = *opt);
}

void
rs_trainer_restore_best (RsTrainer *t)
{
  CONTROL (t, t->globals.early_stopping.restores++);
}

void
rs_trainer_set_control (RsTrainer *t, const char *key, double value)
{
  const RsKey *d = rs_key_find_global_control (key);
  g_return_if_fail (d != NULL && rs_key_accepts (d, value));
  CONTROL (t, rs_key_set_number (d, rs_key_block (d, &t->globals, -1), value));
}

void
rs_trainer_set_sparsity_threshold (RsTrainer *t, double threshold)
{
  CONTROL (t, t->threshold = threshold);
}

void
rs_trainer_set_stop_at_end (RsTrainer *t, gboolean stop)
{
  CONTROL (t, t->stop_at_end = stop);
}

RsTrainerState
rs_trainer_get_state (RsTrainer *t)
{
  pthread_mutex_lock (&t->lock);
  RsTrainerState state = t->state;
  pthread_mutex_unlock (&t->lock);
  return state;
}

RsSnapshot *
rs_trainer_get_snapshot (RsTrainer *t)
{
  pthread_mutex_lock (&t->snap_lock);
  RsSnapshot *snap = t->snapshot ? rs_snapshot_ref (t->snapshot) : NULL;
  pthread_mutex_unlock (&t->snap_lock);
  return snap;
}

RsSnapshot *
rs_trainer_get_twin_snapshot (RsTrainer *t)
{
  pthread_mutex_lock (&t->snap_lock);
  RsSnapshot *snap = t->twin_snapshot ? rs_snapshot_ref (t->twin_snapshot) : NULL;
  pthread_mutex_unlock (&t->snap_lock);
  return snap;
}

void
rs_trainer_set_twin (RsTrainer *t, const RsExperiment *exp, RsSession *b)
{
  g_return_if_fail ((exp == NULL) == (b == NULL));
  RsExperiment *copy = rs_experiment_copy (exp);
  CONTROL (t, {
    if (t->twin_request != NULL)
      rs_session_free (t->twin_request);
    rs_experiment_free (t->twin_request_exp);
    t->twin_request = b;
    t->twin_request_exp = copy;
    t->twin_change = TRUE;
    if (b != NULL)
      {
        /* as a reset: both start again, paused */
        t->running = FALSE;
        t->past_end = FALSE;
        t->pending_steps = 0;
        t->state = RS_TRAINER_PAUSED;
      }
  });
}

guint64
rs_trainer_get_snapshot_serial (RsTrainer *t)
{
  pthread_mutex_lock (&t->snap_lock);
  guint64 serial = t->serial;
  pthread_mutex_unlock (&t->snap_lock);
  return serial;
}

void
rs_trainer_sync (RsTrainer *t)
{
  pthread_mutex_lock (&t->lock);
  /* A no-op control: once handled, a snapshot of the state has been
   * published after every control sent before this call. */
  guint64 target = ++t->control_gen;
  pthread_cond_broadcast (&t->cond);
  t->sync_waiters++;
  /* Single steps asked for while paused are part of "every control"; while
   * playing, the step under way is not waited for (there is always one). */
  while (!t->quit
         && (t->handled_gen < target
             || (!t->running
                 && (t->in_flight
                     || (t->pending_steps > 0 && t->state != RS_TRAINER_DIVERGED)))))
    pthread_cond_wait (&t->cond, &t->lock);
  t->sync_waiters--;
  pthread_mutex_unlock (&t->lock);
}

void
rs_trainer_hold (RsTrainer *t, gboolean hold)
{
  pthread_mutex_lock (&t->lock);
  t->held = hold;
  pthread_cond_broadcast (&t->cond);
  pthread_mutex_unlock (&t->lock);
}

gboolean
rs_trainer_get_held (RsTrainer *t)
{
  pthread_mutex_lock (&t->lock);
  gboolean held = t->held;
  pthread_mutex_unlock (&t->lock);
  return held;
}

gboolean
rs_trainer_wait_for_control (RsTrainer *t, guint64 generation, gint64 timeout_us)
{
  gint64 due = g_get_monotonic_time () + MAX (timeout_us, 0);

  pthread_mutex_lock (&t->lock);
  /* handled_gen moves (with a broadcast) only after the publish */
  while (!t->quit && t->handled_gen < generation && g_get_monotonic_time () < due)
    wait_until (t, due);
  gboolean applied = t->handled_gen >= generation;
  pthread_mutex_unlock (&t->lock);
  return applied;
}

gboolean
rs_trainer_save_session (RsTrainer *t, const char *path, GError **error)
{
  return rs_trainer_save_session_amended (t, path, NULL, NULL, error);
}

gboolean
rs_trainer_save_session_amended (RsTrainer *t, const char *path, RsTrainerAmendFunc amend,
                                 gpointer data, GError **error)
{
  pthread_mutex_lock (&t->lock);
  RsExperiment *exp = rs_experiment_copy (t->run_start);
  int n_events = (int) t->events->len;
  RsEvent *events = rs_events_dup ((const RsEvent *) (void *) t->events->data, n_events);
  gint64 steps = t->steps_done;
  pthread_mutex_unlock (&t->lock);
  if (amend != NULL)
    amend (exp, data);

  /* The init path is fixed at construction (worker-owned, never changed). */
  const char *init = rs_session_get_init_path (t->session);
  g_autofree char *abs_init = init ? g_canonicalize_filename (init, NULL) : NULL;
  gboolean ok = rs_replay_save (path, exp, abs_init, steps, events, n_events, error);
  rs_experiment_free (exp);
  rs_events_free (events, n_events);
  return ok;
}
