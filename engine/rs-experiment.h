/* rs-experiment.h — a lesson: the validated configuration of one run, read
 * from and written to a GKeyFile preset (.ini).
 *
 * Every error names the file, the section and the key:
 *   "seed-l1.ini: [layer fc3] l1: the model has only 2 layers" */
#pragma once

#include <glib.h>

#include "rs-dataset.h"

G_BEGIN_DECLS

#define RS_MAX_LAYERS 16           /* dense layers fc1..fc16 */
#define RS_MAX_UNITS  65536        /* widest layer accepted */
#define RS_MAX_PARAMS (64u << 20)  /* refuse models above 64 Mi parameters */

typedef enum { RS_ACT_RELU, RS_ACT_TANH, RS_ACT_SIGMOID, RS_ACT_LINEAR } RsActivation;
typedef enum { RS_LOSS_CROSS_ENTROPY, RS_LOSS_MSE } RsLossKind;
typedef enum { RS_OPT_SGD, RS_OPT_ADAM, RS_OPT_ADAMW } RsOptimizerKind;
typedef enum { RS_NORM_L1, RS_NORM_L2 } RsActivityNorm;
/* What early stopping watches: validation loss (lower is better) or
 * accuracy (higher is better). */
typedef enum { RS_STOP_VAL_LOSS, RS_STOP_VAL_ACC } RsStopMetric;

/* [early-stopping]: off while patience is 0. Training ends where the
 * patience runs out (stop) or at the experiment's last step; restore puts
 * the best pass's weights back there, once a run. */
typedef struct {
  RsStopMetric metric;
  int          patience;  /* validation passes without improvement before stopping */
  gboolean     restore;   /* where training ends, the best pass's weights come back */
  gboolean     stop;      /* stop where the patience runs out (FALSE: train on to the end,
                           * the best step is still marked and kept) */
  gint64       restores;  /* "Restore best" presses so far: an event each (never in a preset) */
} RsEarlyStopping;

/* The speeds the window offers: 10, 100, 1000 steps/s, or as fast as possible. */
typedef enum { RS_SPEED_10, RS_SPEED_100, RS_SPEED_1000, RS_SPEED_MAX } RsSpeed;

/* The per-layer knobs a student turns. All lambdas >= 0; 0 is off. */
typedef struct {
  double         l1;            /* l1 * sum|theta| added to the loss */
  gboolean       l1_bias;       /* include the bias in the L1 sum (as fc1.parameters()) */
  double         l2;            /* l2 * sum theta^2 added to the loss (weight and bias) */
  double         weight_decay;  /* optimizer parameter group; never in the loss value */
  double         activity;      /* activity * mean|a| (or mean a^2) of the layer output */
  RsActivityNorm activity_norm;
  double         dropout;       /* training only: each output zeroed with this probability,
                                 * the others scaled by 1/(1-p) (hidden layers) */
  double         max_norm;      /* each unit's incoming weights renormed to <= this after a step */
} RsLayerReg;

typedef struct {
  RsOptimizerKind kind;
  double lr;
  double momentum;   /* sgd */
  double dampening;  /* sgd */
  gboolean nesterov; /* sgd */
  double beta1, beta2, eps; /* adam, adamw */
} RsOptimizerConfig;

typedef struct {
  /* [experiment] */
  char   *title;         /* in the reader's language (title[de] under German) */
  char   *description;
  /* What the file says beside them, so that saving in one language keeps
   * the others: the untranslated title and description (NULL: the ones
   * above are untranslated), and every "title[xx]"/"description[xx]" key
   * followed by its raw value (NULL: none). */
  char   *title_untranslated;
  char   *description_untranslated;
  char  **localized_text;
  guint64 seed;
  int     epochs;        /* used when steps == 0 */
  gint64  steps;         /* > 0: stop after this many optimizer steps */
  int     eval_every;    /* validation metrics every N steps (and each epoch end) */
  double  sparsity_threshold; /* |w| below this counts as zero in the plots */
  RsSpeed speed;         /* the window starts the lesson at this speed */

  /* [data] */
  RsDataSource source;
  char   *csv_path;      /* the csv: file or the idx: folder, absolute */
  char   *label_column;  /* csv: "last", a position from 1, or a header name */
  int     samples;       /* generators */
  int     features;      /* random, blobs */
  int     classes;       /* generators */
  double  noise;
  double  validation;    /* fraction held out, [0, 0.9] */
  int     batch_size;    /* 0 = full batch */
  gboolean shuffle;
  gboolean standardize;
  double  input_noise;   /* training batches only: x + input_noise * N(0, 1) per value */

  /* [model] sizes[0] is the input width, sizes[n_layers] the output width */
  int          n_layers;
  int          sizes[RS_MAX_LAYERS + 1];
  RsActivation activation;
  RsLossKind   loss;
  double       label_smoothing; /* the task loss's targets: (1 - eps) onehot + eps / classes */

  /* [optimizer] */
  RsOptimizerConfig optimizer;

  /* [early-stopping] */
  RsEarlyStopping early_stopping;

  /* [layer fcK] for K = 1..n_layers (index K-1) */
  RsLayerReg layer[RS_MAX_LAYERS];
  /* [layer fcK] "<term>-suggested": the strength a term that starts off is
   * switched on at (0: none). Only the switchable terms' fields count
   * (l1, l2, weight_decay, activity); read with rs_experiment_get_suggested. */
  RsLayerReg suggested[RS_MAX_LAYERS];

  /* [sweep] the lesson's sweep (rs-sweep.h); term NULL: none */
  char   *sweep_term;    /* "fc1.l2", "fc*.l2", "optimizer.lr" */
  double  sweep_from, sweep_to;
  int     sweep_points;
  int     sweep_linear;  /* 0 log-spaced, 1 even (the [sweep] spacing) */

  /* [compare] a twin run (rs-twin.h): B's differences from this lesson,
   * "fc1.l1=0.01" each (a live control as --set names it, canonical);
   * NULL: no twin, empty: B the same as A */
  char  **compare;

  char *path;            /* the preset file, or NULL for built-in defaults */
} RsExperiment;

/* The defaults: the seed's model (10-20-5 ReLU, Adam 1e-3, 64 random
 * samples, 5 classes, full batch, 10 epochs) with no regularization. */
RsExperiment *rs_experiment_new_default (void);
RsExperiment *rs_experiment_copy (const RsExperiment *exp);
void          rs_experiment_free (RsExperiment *exp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsExperiment, rs_experiment_free)

/* Error codes (RS_ERROR): IO the file can not be read; PARSE ini syntax
 * ("x.ini:7: ..."), an unknown section or key (with a "did you mean"), a
 * key given twice; VALUE a value of the wrong kind or out of range, a
 * [layer fcK] beyond the model; SHAPE [model] layers against [data].
 * Values may end in "  # comment" (except title and description); the
 * [replay] section is skipped. A relative csv: or idx: path resolves against the
 * preset's folder (load_from_data: the folder name_for_errors names), and
 * csv_path is stored absolute. load_from_data leaves exp->path NULL;
 * len may be -1 for a NUL-terminated string. */
RsExperiment *rs_experiment_load (const char *path, GError **error);
RsExperiment *rs_experiment_load_from_data (const char *data, gsize len,
                                            const char *name_for_errors,
                                            GError **error);

/* One override "section.key=value": "layer fc1.l1=0.01", "fc1.l1=0.01"
 * (shorthand for a layer), "data.source=csv:PATH", "model.layers=784,256,10".
 * Revalidates the whole experiment; on error exp is left unchanged.
 * A relative csv: or idx: PATH resolves against the working directory; a new
 * model.layers keeps the settings of layers that still exist;
 * experiment.epochs clears steps (run by epochs). */
gboolean      rs_experiment_set (RsExperiment *exp, const char *assignment,
                                 GError **error);

/* Checks cross-field constraints (layer sizes vs data, ranges). */
gboolean      rs_experiment_validate (const RsExperiment *exp, GError **error);

/* Serialise as a preset that loads back to the same experiment. */
char         *rs_experiment_to_ini (const RsExperiment *exp);

/* The equivalent runnable PyTorch script (the way back to the seed): it
 * makes regscope's data, split, batch order and initial weights with a
 * Python port of regscope's RNG, or loads the shipped, CSV or IDX files,
 * so it prints regscope's losses. With init_path (a .safetensors file,
 * absolute) it starts from those weights instead. steps is the run's length
 * as regscope-train --steps takes it (0 trains nothing), or
 * RS_PYTORCH_EXPERIMENT_STEPS for the experiment's own steps or epochs. */
#define RS_PYTORCH_EXPERIMENT_STEPS ((gint64) -1)
char         *rs_experiment_to_pytorch (const RsExperiment *exp);
char         *rs_experiment_to_pytorch_with_init (const RsExperiment *exp,
                                                  const char *init_path,
                                                  gint64 steps);

const char   *rs_activation_to_string (RsActivation a);
const char   *rs_optimizer_kind_to_string (RsOptimizerKind k);
gboolean      rs_layer_reg_is_active (const RsLayerReg *reg);

/* Several overrides applied together and validated once, so changes that
 * only agree as a whole ("data.features=4" with "model.layers=4,8,3")
 * are possible. On error the experiment is left unchanged. */
gboolean      rs_experiment_set_many (RsExperiment *exp,
                                      const char *const *assignments,
                                      GError **error);
/* rs_experiment_set_many with each override's errors beginning with
 * names[i] ("lesson.ini:12"), the whole's with `name`. */
gboolean      rs_experiment_set_named (RsExperiment *exp, const char *const *assignments,
                                       const char *const *names, const char *name,
                                       GError **error);
/* The assignments, as rs_experiment_set_many takes them ("data.source=iris",
 * "model.layers=4,20,3", "fc2.l1=0.01", "fc1.l1-suggested=0.005"), that
 * turn `from`'s [data], [model], [optimizer] and [layer fcK] keys into
 * `to`'s, in the table's order: what a change of the data or the network
 * changed. NULL-terminated; empty when they agree. */
char        **rs_experiment_diff (const RsExperiment *from, const RsExperiment *to);
/* Every setting equal (the preset path is not compared). */
gboolean      rs_experiment_equal (const RsExperiment *a, const RsExperiment *b);
/* Weights and biases of the model: sum of in*out + out. */
guint64       rs_experiment_n_params (const RsExperiment *exp);
/* No regularization: l1-bias true, activity-norm l1, all lambdas 0. */
void          rs_layer_reg_init_default (RsLayerReg *reg);
const char   *rs_loss_kind_to_string (RsLossKind k);

/* [experiment] speed in steps per second; 0 for "max" (as fast as
 * possible, as rs_trainer_set_speed takes it). */
double        rs_speed_steps_per_second (RsSpeed speed);
double        rs_experiment_get_speed (const RsExperiment *exp);

/* The strength layer `layer`'s term `key` ("l1", "weight-decay", ...)
 * is switched on at: the preset's "<key>-suggested" value, or 0 when it
 * gives none (the window then keeps its own default). */
double        rs_experiment_get_suggested (const RsExperiment *exp, int layer,
                                           const char *key);
const char   *rs_activity_norm_to_string (RsActivityNorm n);

G_END_DECLS
