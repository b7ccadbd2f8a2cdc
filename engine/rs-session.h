/* rs-session.h — one synchronous training run. rs_session_step() does one
 * optimizer step and returns its metrics. Tests and the CLI use it
 * directly; the trainer thread wraps it. Not thread-safe by itself: one
 * thread owns a session at a time. */
#pragma once

#include <glib.h>

#include "rs-dataset.h"
#include "rs-experiment.h"
#include "rs-history.h"
#include "rs-metrics.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

typedef struct _RsSession RsSession;

/* Loads or generates the data, builds the network and initialises it from
 * the experiment's seed (PyTorch's nn.Linear init). The experiment is
 * copied. Errors name the data file or the preset key at fault. */
RsSession   *rs_session_new (const RsExperiment *exp, GError **error);
void         rs_session_free (RsSession *session);
/* The data the experiment names, all rows before the split (a CSV read
 * with its label column, the shipped set, the generator's points): what
 * a session would train on, to describe it or to size a model to it
 * before building one. info (may be NULL) gets a CSV's RsCsvInfo. */
RsDataset   *rs_session_load_data (const RsExperiment *exp, RsCsvInfo *info, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsSession, rs_session_free)

/* Replaces the parameters by a checkpoint's ("fc1.weight" [out,in],
 * "fc1.bias" [out], ...), remembers it as the reset point, and clears the
 * optimizer state. Every missing or misshapen tensor is an error; tensors
 * the model does not use are skipped, and rs_session_get_init_warning()
 * then names them in one line (NULL when there were none). */
gboolean     rs_session_load_init (RsSession *session, const char *path, GError **error);
const char  *rs_session_get_init_warning (RsSession *session);
/* With "__metadata__": format "pt", the regscope version and the lesson. */
gboolean     rs_session_save_checkpoint (RsSession *session, const char *path, GError **error);
const char  *rs_session_get_init_path (RsSession *session);

/* One optimizer step. Returns FALSE with RS_ERROR_DIVERGED (and leaves the
 * parameters as they were before the step) when the loss or a gradient is
 * NaN or infinite. */
gboolean     rs_session_step (RsSession *session, RsMetrics *metrics, GError **error);

/* Task loss and accuracy of `data` (the training set, say) with the
 * current parameters; changes nothing a later step reads. */
void         rs_session_evaluate (RsSession *session, const RsDataset *data, double *loss,
                                  double *acc);

/* Back to step 0: parameters from the seed or the init checkpoint, fresh
 * optimizer state, epoch 0. The lambdas in force are kept. */
void         rs_session_reset (RsSession *session);

/* A change of the data or the network: the session becomes one built from
 * `exp` (rs_session_new: data, network, seed; no init checkpoint), at step
 * 0. On error (named as rs_session_new names it) the session is left as
 * it was. */
gboolean     rs_session_restart (RsSession *session, const RsExperiment *exp, GError **error);

/* Control changes, taking effect at the next step. */
void         rs_session_set_layer_reg (RsSession *session, int layer, const RsLayerReg *reg);
/* Every control outside the layers (the optimizer's settings, [model]
 * label-smoothing, ...) as `from` has it; the optimizer keeps its state. */
void         rs_session_set_globals (RsSession *session, const RsExperiment *from);

/* Early stopping ([early-stopping]): the best validation pass so far
 * (best_step -1: none; the weights kept are those the pass saw, before that
 * step's update), the passes since, and the step count at which the
 * patience ran out (-1: not yet): RsEarlyStop (rs-metrics.h). */
void         rs_session_get_early_stop (RsSession *session, RsEarlyStop *out);
/* The best step's weights back into the network (FALSE: none kept). The
 * optimizer's state is kept, as Keras' restore_best_weights does. With
 * [early-stopping] restore the session does this itself where training
 * ends (the patience ran out with stop, or the experiment's last step).
 * "Restore best" in the window is the event restore-best. */
gboolean     rs_session_restore_best (RsSession *session);
/* The step just taken is where the patience ran out and [early-stopping]
 * stop is on: a run ends here (rs_run, the trainer pauses). */
gboolean     rs_session_should_stop (RsSession *session);
/* "early stopping at step 120: no better validation loss for 20 passes;
 * the best was step 100 (0.4123), whose weights are restored", or without
 * a stop "early stopping: the best validation loss was at step 100
 * (0.4123)"; NULL when early stopping is off or has no best yet. */
char        *rs_session_describe_stop (RsSession *session);
/* Replays run their step count whatever early stopping says (the run they
 * replay may have gone on past the stop). */
void         rs_session_set_keep_going (RsSession *session, gboolean keep_going);

/* What the plots count as zero (|w| or |a| below it). */
void         rs_session_set_sparsity_threshold (RsSession *session, double threshold);

/* Tests only: called at the start of every step, on the stepping thread
 * (lets a test hold a step in the middle to prove nothing waits on it). */
typedef void (*RsSessionStepHook) (gpointer user_data);
void         rs_session_set_step_hook (RsSession *session, RsSessionStepHook hook,
                                       gpointer user_data);

const RsExperiment *rs_session_get_experiment (RsSession *session);
const RsDataset    *rs_session_get_train (RsSession *session);
const RsDataset    *rs_session_get_validation (RsSession *session); /* may be NULL */
/* The data source's own test set (idx: folders with the t10k files), or
 * NULL; standardised with the training rows' statistics like validation. */
const RsDataset    *rs_session_get_test (RsSession *session);
gint64       rs_session_get_step (RsSession *session);       /* steps taken */
int          rs_session_steps_per_epoch (RsSession *session);
gint64       rs_session_total_steps (RsSession *session);    /* from epochs or steps */
int          rs_session_n_layers (RsSession *session);
/* The layer's parameters (read-only view; valid until the next step). */
const float *rs_session_layer_weight (RsSession *session, int layer);
const float *rs_session_layer_bias (RsSession *session, int layer);

/* Builds an immutable snapshot of the current state: copies of the weights,
 * histograms, probe activations, the boundary grid for 2-D data, and a copy
 * of `history` (may be NULL). `frames` is the histogram-over-time store the
 * caller keeps (may be NULL). */
typedef struct _RsFrameStore RsFrameStore;
RsFrameStore *rs_frame_store_new (void);
void          rs_frame_store_free (RsFrameStore *store);
void          rs_frame_store_clear (RsFrameStore *store);
/* Records this step's log-bin |w| histogram of every layer (decimated). */
void          rs_frame_store_record (RsFrameStore *store, RsSession *session);

RsSnapshot  *rs_session_build_snapshot (RsSession *session, const RsHistory *history,
                                        const RsFrameStore *frames);
/* The same, but the decision-boundary grid (the costly part for 2-D data)
 * is copied from `reuse` when it has one: the trainer recomputes it only a
 * few times a second. */
RsSnapshot  *rs_session_build_snapshot_reusing (RsSession *session, const RsHistory *history,
                                                const RsFrameStore *frames,
                                                const RsSnapshot *reuse);

G_END_DECLS
