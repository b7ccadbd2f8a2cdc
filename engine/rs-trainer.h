/* rs-trainer.h — the one background thread: it owns a session, takes
 * controls at step boundaries and publishes immutable snapshots.
 *
 * Every public call returns without waiting on a step: controls go into a
 * small mutex-guarded block (held only to copy a few values) that the
 * worker reads between steps; snapshots are published by a pointer swap at
 * most ~30 times a second; the UI is woken through a pipe to pick them up. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-history.h"
#include "rs-session.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

typedef struct _RsTrainer RsTrainer;

typedef enum {
  RS_TRAINER_PAUSED,
  RS_TRAINER_RUNNING,
  RS_TRAINER_FINISHED,  /* reached the experiment's steps/epochs, or early stopping
                         * ended it (pause_reason says so); play continues past it */
  RS_TRAINER_DIVERGED,  /* paused itself: loss NaN/Inf; see the snapshot's pause_reason */
} RsTrainerState;

/* Takes ownership of `session`. The thread starts paused. */
RsTrainer   *rs_trainer_new (RsSession *session);
/* A change of the data or the network: stops `previous` (after at most
 * the step under way) and frees it, and starts a paused trainer on
 * `session` (built from the seed) whose run log goes on from previous's:
 * its run start and events, then a restart event at previous's step with
 * the keys that changed, so that a saved session replays both runs. */
RsTrainer   *rs_trainer_new_after_change (RsSession *session, RsTrainer *previous);
/* Stops and joins the thread, frees the session and every snapshot. */
void         rs_trainer_free (RsTrainer *trainer);

void         rs_trainer_play  (RsTrainer *trainer);
void         rs_trainer_pause (RsTrainer *trainer);
/* One step, when paused (ignored while running). */
void         rs_trainer_step  (RsTrainer *trainer);
/* Back to step 0 (seed or init checkpoint), history cleared, lambdas kept, paused. */
void         rs_trainer_reset (RsTrainer *trainer);
/* Steps per second; 0 = as fast as possible. */
void         rs_trainer_set_speed (RsTrainer *trainer, double steps_per_second);
void         rs_trainer_set_layer_reg (RsTrainer *trainer, int layer, const RsLayerReg *reg);
void         rs_trainer_set_optimizer (RsTrainer *trainer, const RsOptimizerConfig *opt);
/* A control outside the layers and the optimizer, by its key:
 * "label-smoothing". The value must be in the key's range. */
void         rs_trainer_set_control (RsTrainer *trainer, const char *key, double value);
void         rs_trainer_set_sparsity_threshold (RsTrainer *trainer, double threshold);
/* Early stopping's best weights back into the network at the next step
 * boundary (an event, restore-best, so replays do the same); nothing when
 * none are kept. */
void         rs_trainer_restore_best (RsTrainer *trainer);
/* Called on the caller's thread after every control call above (play,
 * pause, step, reset, speed, the lambdas, ...), with the generation the
 * call made; a snapshot with `controls_applied` >= it shows the call's
 * effect. A window uses it to know a change is on its way to the screen.
 * NULL: none (the default). */
typedef void (*RsTrainerControlFunc) (RsTrainer *trainer, guint64 generation, gpointer data);
void         rs_trainer_set_control_func (RsTrainer *trainer, RsTrainerControlFunc func,
                                          gpointer data);
/* Blocks until the worker has applied control `generation` (from the
 * control func) and published a snapshot with it, or `timeout_us` has
 * passed; TRUE if it was applied. A window waits a few ms for a control it
 * just sent, so that the frame GTK paints next already shows its effect
 * instead of the frame after. */
gboolean     rs_trainer_wait_for_control (RsTrainer *trainer, guint64 generation,
                                          gint64 timeout_us);
/* Held, a playing trainer takes no step (off the CPU) until let go;
 * controls still apply and publish. Not a control: the run is the same,
 * only later. A window holds it from a change to the frame that shows it,
 * so that on two cores the frame gets a core of its own. */
void         rs_trainer_hold (RsTrainer *trainer, gboolean hold);
gboolean     rs_trainer_get_held (RsTrainer *trainer);
/* Stop by itself at the experiment's end (default TRUE). */
void         rs_trainer_set_stop_at_end (RsTrainer *trainer, gboolean stop);

RsTrainerState rs_trainer_get_state (RsTrainer *trainer);
/* The newest snapshot, with a reference for the caller; never NULL (one is
 * built before the thread starts). */
RsSnapshot  *rs_trainer_get_snapshot (RsTrainer *trainer);
/* Twin runs (rs-twin.h): B, a session of `exp` with its [compare]
 * applied, trains beside the trainer's session in lockstep, each step of
 * A followed by the same step of B; A's control changes reach B too,
 * except for the terms B sets itself. Both start again from step 0,
 * paused (as rs_trainer_reset). Takes b; NULL (and exp NULL) ends the
 * twin, and A goes on. Saved sessions keep exp's [compare]. */
void         rs_trainer_set_twin (RsTrainer *trainer, const RsExperiment *exp, RsSession *b);
/* B's newest snapshot, published with A's (same serial); NULL without a
 * twin. */
RsSnapshot  *rs_trainer_get_twin_snapshot (RsTrainer *trainer);

/* Increases each time a new snapshot is published. */
guint64      rs_trainer_get_snapshot_serial (RsTrainer *trainer);

/* A descriptor that becomes readable when the worker publishes a snapshot
 * or changes the state by itself (the end, a divergence, early stopping),
 * and stays readable until rs_trainer_clear_wakeup: a UI's main loop
 * watches it instead of polling. Call clear before looking at the serial
 * and the state, so that nothing published after the look goes unnoticed.
 * -1 when no pipe could be made. Owned by the trainer. */
int          rs_trainer_get_wakeup_fd (RsTrainer *trainer);
void         rs_trainer_clear_wakeup (RsTrainer *trainer);

/* Blocks until the worker has handled every control sent so far and
 * published a snapshot of the result (tests and the CLI's replay). */
void         rs_trainer_sync (RsTrainer *trainer);

/* Writes the run so far (the experiment at the last reset, the init
 * checkpoint path, every event with its step, the step count) so that
 * `regscope-train --replay FILE` reproduces it. */
gboolean     rs_trainer_save_session (RsTrainer *trainer, const char *path, GError **error);
/* The same, with `amend` called (on the calling thread) on the experiment
 * before it is written: settings that are no part of the run (the
 * window's Sweep page's [sweep]). */
typedef void (*RsTrainerAmendFunc) (RsExperiment *exp, gpointer data);
gboolean     rs_trainer_save_session_amended (RsTrainer *trainer, const char *path,
                                              RsTrainerAmendFunc amend, gpointer data,
                                              GError **error);

/* Lowers the calling thread below the UI thread (nice 5): the training
 * thread's and a sweep's workers in the window. */
void rs_trainer_lower_thread_priority (void);

G_END_DECLS
