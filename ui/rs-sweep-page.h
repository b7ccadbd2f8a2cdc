/* rs-sweep-page.h — the Sweep page: one lesson trained at many values of
 * one term (rs-sweep), drawn as the points end: the validation curve (the
 * best value marked) and the regularization path.
 *
 * The page owns the sweep it runs. Its workers (cores - 1 of them, at
 * least one, niced: a core stays free for drawing) never touch a widget;
 * the page polls the sweep's serial from a short timeout on the main loop
 * and copies the points that have ended. Clicking a point emits
 * ::point-activated with the point's index; the window opens that run. */
#pragma once

#include <gtk/gtk.h>

#include "rs-experiment.h"
#include "rs-sweep.h"

G_BEGIN_DECLS

#define RS_TYPE_SWEEP_PAGE (rs_sweep_page_get_type ())
G_DECLARE_FINAL_TYPE (RsSweepPage, rs_sweep_page, RS, SWEEP_PAGE, GtkWidget)

GtkWidget          *rs_sweep_page_new (void);

/* The lesson whose terms the page offers (every layer's live strengths,
 * every layer at once, the optimizer's): the controls take its [sweep]
 * when it has one. Cancels a sweep under way and clears the points. */
void                rs_sweep_page_set_experiment (RsSweepPage *self, const RsExperiment *exp);
/* Shows `spec` in the controls (term, range, points, spacing). */
void                rs_sweep_page_set_spec (RsSweepPage *self, const RsSweepSpec *spec);
/* The sweep the controls describe, checked against `exp`; errors are one
 * line beginning with "Sweep". */
gboolean            rs_sweep_page_get_spec (RsSweepPage *self, const RsExperiment *exp,
                                            RsSweepSpec *spec, GError **error);

/* Starts the controls' sweep of `exp` (the lesson as the student set it):
 * every point from the lesson's seed. A sweep under way is cancelled. */
gboolean            rs_sweep_page_start (RsSweepPage *self, const RsExperiment *exp,
                                         GError **error);
/* Stops the workers (each after at most the step it is in) and joins
 * them; the points that ended stay on the plots. */
void                rs_sweep_page_cancel (RsSweepPage *self);
gboolean            rs_sweep_page_get_running (RsSweepPage *self);
/* The sweep under way (the page's), or NULL. */
RsSweep            *rs_sweep_page_get_sweep (RsSweepPage *self);
/* Holds the sweep under way (rs_sweep_hold) or lets it go; FALSE when
 * there is none. */
gboolean            rs_sweep_page_hold (RsSweepPage *self, gboolean hold);
/* Whether the student changed the controls or started a sweep since the
 * lesson was set (Save Lesson As then keeps them as its [sweep]). */
gboolean            rs_sweep_page_get_edited (RsSweepPage *self);
/* The workers a sweep of the page runs on: the cores less one, >= 1. */
int                 rs_sweep_page_get_jobs (void);

/* The sweep the plots show (NULL before the first): its spec, the lesson
 * it ran, the points that have ended (by their index; NULL for one that
 * has not) and how many. */
const RsSweepSpec  *rs_sweep_page_get_shown_spec (RsSweepPage *self);
const RsExperiment *rs_sweep_page_get_shown_experiment (RsSweepPage *self);
const RsSweepPoint *rs_sweep_page_get_point (RsSweepPage *self, int index);
int                 rs_sweep_page_get_n_ended (RsSweepPage *self);
/* The index of the point with the least validation loss, or -1. */
int                 rs_sweep_page_get_best (RsSweepPage *self);

/* The value of the run open in the main view (a rule on the plots), or NAN. */
void                rs_sweep_page_set_selected (RsSweepPage *self, double value);

/* The two plots, for tests that click them. */
GtkWidget          *rs_sweep_page_get_curve_area (RsSweepPage *self);
GtkWidget          *rs_sweep_page_get_path_area (RsSweepPage *self);
/* What clicking (x, y) of a plot opens: a point's index, or -1. */
int                 rs_sweep_page_hit (RsSweepPage *self, GtkWidget *area, double x, double y);
/* What `area` paints: its last picture, drawn on a worker thread (NULL
 * before the first), and how many points it shows (-1: none). */
cairo_surface_t    *rs_sweep_page_get_picture (RsSweepPage *self, GtkWidget *area,
                                               int *n_points);

G_END_DECLS
