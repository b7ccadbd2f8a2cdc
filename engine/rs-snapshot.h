/* rs-snapshot.h — an immutable, reference-counted picture of a run: what
 * every plot draws from. The trainer thread publishes one at most ~30 times
 * a second; the headless CLI builds one at the end of a run. Nothing in it
 * changes after rs_snapshot_build() returns, so any thread may read it. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-history.h"
#include "rs-metrics.h"
#include "rs-stats.h"

G_BEGIN_DECLS

#define RS_SNAPSHOT_HIST_BINS   40   /* bins of the |w| histograms */
#define RS_SNAPSHOT_MAX_FRAMES  64   /* histogram-over-time frames kept */
#define RS_SNAPSHOT_PROBE_ROWS  64   /* probe batch rows for activations */
#define RS_SNAPSHOT_GRID        96   /* decision boundary grid side */

typedef struct {
  char        name[8];        /* "fc1" */
  int         in, out;
  gboolean    is_output;      /* the last layer (its output is the logits) */
  RsLayerReg  reg;            /* the lambdas in force */
  double      l1, l2, activity; /* this layer's penalty values at the latest step */

  float      *weight;         /* out * in, row-major (PyTorch layout) */
  float      *bias;           /* out */

  RsHistogram *hist_linear;   /* |w| (weights only), linear bins over [0, max|w|] */
  RsHistogram *hist_log;      /* |w| log bins over [1e-5, 10) */
  double      near_zero_fraction; /* |w| < sparsity_threshold (weights only) */
  double      weight_l2_norm;

  /* histogram over time: log bins (same edges as hist_log), oldest first */
  int         n_frames;
  gint64     *frame_steps;    /* n_frames */
  guint32    *frame_counts;   /* n_frames * RS_SNAPSHOT_HIST_BINS */
  guint32    *frame_below;    /* n_frames: the `below` count of each frame */

  /* post-activation outputs of the layer on the fixed probe batch */
  int         probe_rows;
  float      *activations;    /* probe_rows * out */
  double      dead_unit_fraction; /* units with |a| < threshold on every probe row */
  double      activation_zero_fraction; /* entries with |a| < threshold */

  /* Dropout: the units the last training batch dropped, for its first
   * mask_rows rows (at most RS_SNAPSHOT_PROBE_ROWS). Training rows, not
   * the probe's. NULL (mask_rows 0) without dropout or before a step. */
  int         mask_rows;
  guint8     *dropped;        /* mask_rows * out: 1 = dropped, 0 = kept */
} RsLayerSnapshot;

typedef struct {
  gint        ref_count;

  char       *title;          /* the lesson */
  RsExperiment *experiment;   /* the configuration in force (lambdas included) */
  RsMetrics   latest;         /* the last step; latest.step == -1 before the first */
  gint64      steps_done;     /* steps taken so far */
  gint64      published_us;   /* when the trainer published it (monotonic µs; 0: not by one) */
  guint64     controls_applied; /* the trainer's controls it reflects: the generation
                               * rs_trainer_set_control_func reports (0: none) */
  RsHistory  *history;        /* decimated metrics and the events */
  double      sparsity_threshold;

  int              n_layers;
  RsLayerSnapshot *layers;    /* n_layers */

  /* For image data (digits): each input row is an image_w x image_h picture,
   * so fc1's weight rows can be drawn as tiles. 0 otherwise. */
  int         image_w, image_h;

  /* Decision boundary, for 2-D data only (grid_w == 0 otherwise): the class
   * predicted at each cell centre over [x0,x1] x [y0,y1], row 0 at y0. */
  int         grid_w, grid_h;
  double      x0, x1, y0, y1;
  guint8     *grid_class;     /* grid_w * grid_h */
  float      *grid_confidence;/* grid_w * grid_h, max softmax probability */
  int         n_points;       /* training points then validation points */
  float      *points;         /* n_points * 2 (in the model's input space) */
  guint8     *point_class;    /* n_points */
  gboolean   *point_is_val;   /* n_points */
  int         classes;
  char      **class_names;    /* the data's names of the classes ("setosa", ...) for
                               * legends: `classes` entries, NULL-terminated; or NULL */

  /* The validation set's confusion counts from the last validation pass:
   * classes x classes, row = true class, column = predicted class. NULL
   * without a validation set or before its first pass. */
  int         val_rows;       /* rows of the validation set (0: none) */
  guint32    *confusion;

  RsEarlyStop early_stop;     /* best_step -1 when early stopping is off or has none */

  char       *pause_reason;   /* set when the trainer paused itself (divergence) */
} RsSnapshot;

RsSnapshot *rs_snapshot_ref   (RsSnapshot *snap);
void        rs_snapshot_unref (RsSnapshot *snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsSnapshot, rs_snapshot_unref)

/* An empty snapshot with n_layers zeroed layers, ref_count 1. Used by the
 * session (rs_session_build_snapshot) and by tests that build plot data by
 * hand; all pointers are owned and freed by rs_snapshot_unref (g_free /
 * rs_histogram_free / rs_history_free / rs_experiment_free). */
RsSnapshot *rs_snapshot_new_empty (int n_layers);

G_END_DECLS
