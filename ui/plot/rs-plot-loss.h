/* rs-plot-loss.h — loss curves with accuracy below, event markers and an
 * optional pinned baseline run. The layout is exposed so the tests can
 * check pixels at known places. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* Loss curves (top panel: total, task, each active penalty, validation;
 * bottom panel: accuracy), event markers, and the pinned run's curves
 * drawn faintly, named in the legend. baseline may be NULL. */
void rs_plot_loss_draw (cairo_t *cr, const RsPlotStyle *style,
                        const RsSnapshot *snap, const RsSnapshot *baseline,
                        double width, double height);

typedef struct {
  double      title_h;
  RsPlotRect  legend;     /* the legend rows, between the title and the panels */
  RsPlotFrame loss;       /* top panel; x labels only when there is no accuracy panel */
  RsPlotFrame acc;        /* bottom panel (valid when has_acc) */
  gboolean    has_acc;
  gboolean    empty;      /* no step yet: the hint is shown */
} RsPlotLossLayout;

void rs_plot_loss_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          const RsSnapshot *baseline, double width, double height,
                          RsPlotLossLayout *out);

/* Twin runs: A's and B's loss (training and validation) on one panel and
 * their accuracy below, A in style->twin[0], B in twin[1] with patterns of
 * its own; the legend names them with label_a and label_b ("A: fc1 L1 0"). */
void rs_plot_loss_twin_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *a,
                             const RsSnapshot *b, const char *label_a, const char *label_b,
                             double width, double height);
void rs_plot_loss_twin_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *a,
                               const RsSnapshot *b, const char *label_a, const char *label_b,
                               double width, double height, RsPlotLossLayout *out);

/* One label over the loss panel. A run of changes of one control whose
 * markers stand within a few pixels of each other (a slider drag records
 * an event for every step it spans) is one label, "first old → last new";
 * the history keeps every event for replay. */
typedef struct {
  int        first, last;   /* indices into the history's events */
  RsPlotRect box;
} RsPlotEventLabel;

/* Where early stopping's best-step marker goes in frame f: x of the best
 * step; y of its best value when f is the panel of the metric (the loss
 * panel for validation loss, the accuracy panel, `accuracy`, for
 * validation accuracy); NAN when there is no marker (early stopping off,
 * no best yet) or, for y, when f shows the other quantity. */
void rs_plot_loss_best_marker (const RsPlotFrame *f, const RsSnapshot *snap, gboolean accuracy,
                               double *x, double *y);

/* Places the labels of h's events over frame f: in rows from the top,
 * never overlapping, inside the panel; a label with no room left is not
 * drawn (its marker rule still is). out has room for h->n_events;
 * returns how many labels were placed. */
int rs_plot_loss_event_labels (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                               const RsHistory *h, RsPlotEventLabel *out);

G_END_DECLS
