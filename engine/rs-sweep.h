/* rs-sweep.h — one lesson trained at many values of one setting (a layer's
 * L1, L2, weight decay or activity strength, the learning rate, ...): the
 * validation curve and the regularization path.
 *
 * Every point is a standalone run of the lesson with that value: the same
 * seed, so the same data and initial weights (or the same init
 * checkpoint), built and stepped exactly as `regscope-train --set` does,
 * so each point equals that run bit for bit however many threads share
 * the work. Points run on `jobs` worker threads; each reports a summary
 * when it ends (its step history is never kept), so memory stays bounded
 * by the running sessions. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-keys.h"
#include "rs-metrics.h"
#include "rs-session.h"

G_BEGIN_DECLS

#define RS_SWEEP_MAX_POINTS 256

/* What to vary and where. */
typedef struct {
  const RsKey *key;      /* a number the run sets live (RS_KEY_CONTROL, RS_KEY_DOUBLE) */
  int          layer;    /* for [layer fcK] keys, -1 otherwise */
  gboolean     every_layer; /* "fc*.l2": the key of every layer at once (layer -1) */
  double       from, to; /* the first and the last value */
  int          points;   /* 2 .. RS_SWEEP_MAX_POINTS */
  gboolean     linear;   /* evenly spaced; otherwise log-spaced (from, to > 0) */
} RsSweepSpec;

/* "fc1.l1=1e-5:1e-1:13" (log-spaced), "layer fc2.l2=0:0.01:5:lin",
 * "optimizer.lr=1e-4:1e-1:7:log", "fc*.l2=1e-5:1e-1:9" (every layer's L2
 * at once). The term is named as --set names it, or fc*.KEY.
 * Errors are one line beginning with "--sweep 'TEXT': ". */
gboolean      rs_sweep_spec_parse (const char *text, const RsExperiment *exp,
                                   RsSweepSpec *spec, GError **error);
/* The same pieces as separate values (the window, a preset's [sweep]);
 * `name` begins the errors. */
gboolean      rs_sweep_spec_init (RsSweepSpec *spec, const RsExperiment *exp, const char *term,
                                  double from, double to, int points, gboolean linear,
                                  const char *name, GError **error);
/* The lesson's own sweep ([sweep] term, from, to, points, spacing):
 * FALSE when it has none (or it does not check out). */
gboolean      rs_sweep_spec_from_experiment (RsSweepSpec *spec, const RsExperiment *exp);
/* Stores the spec as the lesson's [sweep]. */
void          rs_sweep_spec_to_experiment (const RsSweepSpec *spec, RsExperiment *exp);

/* "fc1.l1", "optimizer.lr": the term as --set and --sweep take it. */
char         *rs_sweep_spec_term (const RsSweepSpec *spec);
/* Back to the text rs_sweep_spec_parse reads (the numbers round-trip). */
char         *rs_sweep_spec_to_string (const RsSweepSpec *spec);
/* Point i's value; the ends are exactly from and to. */
double        rs_sweep_spec_value (const RsSweepSpec *spec, int i);

/* The lesson at a value of the spec's term (a copy). */
RsExperiment *rs_sweep_experiment_at (const RsExperiment *exp, const RsSweepSpec *spec,
                                      double value);
/* A session of that lesson, from the init checkpoint when init_path is
 * given: one of N copies with the same data and initial weights. */
RsSession    *rs_sweep_session_new (const RsExperiment *exp, const RsSweepSpec *spec,
                                    double value, const char *init_path, GError **error);

/* One finished point. Train loss and accuracy are the task loss over the
 * whole training set with the final parameters ("final") and the least
 * batch task loss / greatest batch accuracy of the run ("best"). */
typedef struct {
  int       index;
  double    value;
  char     *error;           /* the divergence message, or NULL: the rest is then
                              * the state before the refused step */
  gint64    steps;           /* steps taken */
  RsMetrics last;            /* the last step's metrics */
  double    train_loss, train_acc;        /* final, whole training set */
  double    best_train_loss, best_train_acc;
  double    val_loss, val_acc;            /* final; NAN without validation */
  double    best_val_loss, best_val_acc;
  gint64    best_val_step;                /* where best_val_loss was seen */
  int       n_layers;
  double    weight_norm[RS_MAX_LAYERS];   /* ||W||_2 of each layer's weights */
  double    near_zero[RS_MAX_LAYERS];     /* share of |w| below the zero threshold */
  guint64   fingerprint;                  /* of the final parameters (rs_sweep_fingerprint) */
  int       unit_layer;                   /* the layer unit_norm describes */
  int       n_units;
  double   *unit_norm;                    /* ||W[u,:]||_2 of each of its units (owned) */
} RsSweepPoint;

/* FNV-1a over the bytes of every weight and bias of a session: two runs
 * that end with the same parameters, bit for bit, have the same one. */
guint64       rs_sweep_fingerprint (RsSession *session);

void          rs_sweep_point_clear (RsSweepPoint *point);
void          rs_sweep_point_copy (RsSweepPoint *dst, const RsSweepPoint *src);

typedef struct {
  int         jobs;        /* worker threads, >= 1 */
  gint64      steps;       /* > 0: this many steps per point; 0: the lesson's */
  const char *init_path;   /* NULL: initialise from the seed */
  int         unit_layer;  /* -1: the term's layer (fc1 for other terms) */
  gboolean    low_priority;/* nice the workers as the trainer is (the window) */
} RsSweepOptions;

typedef struct _RsSweep RsSweep;

/* Called on a worker thread, one call at a time, as each point ends
 * (cancelled points are not reported). */
typedef void (*RsSweepCallback) (const RsSweepPoint *point, gpointer user_data);

/* Checks that the lesson loads (its data, the init checkpoint) and starts
 * the workers; NULL and an error otherwise. */
RsSweep      *rs_sweep_start (const RsExperiment *exp, const RsSweepSpec *spec,
                              const RsSweepOptions *options, RsSweepCallback on_point,
                              gpointer user_data, GError **error);
/* Stops every run at its next step; points not finished stay unreported. */
void          rs_sweep_cancel (RsSweep *sweep);
/* Waits until every point has ended or the sweep was cancelled. */
void          rs_sweep_wait (RsSweep *sweep);
/* Cancels, joins the workers and frees everything. */
void          rs_sweep_free (RsSweep *sweep);
/* Holding: every worker stops before its next step and waits, off the
 * CPU, until released (or cancelled). The window holds its sweep while a
 * control change is on its way to the screen, so that the interactive
 * run has the core the sweep would take; the results do not change. */
void          rs_sweep_hold (RsSweep *sweep, gboolean hold);
gboolean      rs_sweep_get_held (RsSweep *sweep);
/* Waits until `n` workers (at most the sweep's threads still working)
 * wait in a hold: for the tests. */
void          rs_sweep_wait_held (RsSweep *sweep, int n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsSweep, rs_sweep_free)

const RsSweepSpec *rs_sweep_get_spec (RsSweep *sweep);
gboolean      rs_sweep_is_done (RsSweep *sweep);
/* Counts one more each time a point ends: a reader polls it. */
guint         rs_sweep_get_serial (RsSweep *sweep);
/* Steps taken over all points and the sweep's total. */
void          rs_sweep_get_progress (RsSweep *sweep, gint64 *done, gint64 *total);
/* Copies point i into *out if it has ended (FALSE otherwise). */
gboolean      rs_sweep_get_point (RsSweep *sweep, int i, RsSweepPoint *out);

/* The point with the least final validation loss (train loss without
 * validation) among `points`; -1 when none has a finite one. */
int           rs_sweep_best_point (const RsSweepPoint *points, int n);

/* "value,steps,diverged,train_loss,...,fc1_norm,fc1_near_zero,..." for a
 * model of n_layers layers, and one point as a row of it (C locale). */
char         *rs_sweep_csv_header (const char *term, int n_layers);
char         *rs_sweep_csv_row (const RsSweepPoint *point);

G_END_DECLS
