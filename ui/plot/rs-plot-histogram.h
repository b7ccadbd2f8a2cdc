/* rs-plot-histogram.h — weight-magnitude histograms, one layer or all side
 * by side, and one layer's |w| distribution over time. The layout is
 * exposed so the tests can check pixels at known places. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* |w| histogram of one layer, with the near-zero fraction written on it.
 * With a baseline (may be NULL) whose layer has the same shape, its
 * histogram in the same bins is drawn as an outline over the bars, its
 * near-zero fraction follows this run's, and a legend names it. */
void rs_plot_histogram_draw (cairo_t *cr, const RsPlotStyle *style,
                             const RsSnapshot *snap, const RsSnapshot *baseline, int layer,
                             double width, double height);

/* All layers' histograms side by side (rs_plot_layer_cells). */
void rs_plot_histograms_draw (cairo_t *cr, const RsPlotStyle *style,
                              const RsSnapshot *snap, const RsSnapshot *baseline,
                              double width, double height);

/* The |w| distribution of one layer over time (steps x log bins heatmap). */
void rs_plot_histogram_time_draw (cairo_t *cr, const RsPlotStyle *style,
                                  const RsSnapshot *snap, int layer,
                                  double width, double height);

typedef struct {
  RsPlotFrame        frame;   /* x: |w| (log or linear), y: count */
  const RsHistogram *hist;    /* this run's bars; NULL: nothing to draw (a note instead) */
  const RsHistogram *base;    /* the baseline's counts in the same bins; NULL: none */
  double             below_x0, below_x1; /* the "<1e-5" bar; equal when none */
  RsPlotRect         legend;  /* this run and the baseline, under the title (h 0: none) */
  RsHistogram       *owned[2]; /* histograms counted again for shared bins */
} RsPlotHistogramLayout;

/* Linear bins span a run's own largest |w|: with a baseline both runs are
 * counted again over the larger range. Free with _layout_clear. */
void rs_plot_histogram_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                               const RsSnapshot *baseline, int layer, double width,
                               double height, RsPlotHistogramLayout *out);
void rs_plot_histogram_layout_clear (RsPlotHistogramLayout *l);
/* The device x extent of bin i's bar (gaps between bars excluded). */
void rs_plot_histogram_bar_x  (const RsPlotHistogramLayout *l, int i, double *x0, double *x1);

typedef struct {
  RsPlotRect  outer;      /* below the title */
  RsPlotFrame frame;      /* x: step, from the first frame's to the last's; y: |w| (log) */
  double      band, bottom; /* the `below` band: from bottom - band to bottom */
  double      cbw;        /* colour bar width */
  gboolean    valid;      /* FALSE: no frames, a note instead */
} RsPlotHistogramTimeLayout;

void rs_plot_histogram_time_layout (cairo_t *cr, const RsPlotStyle *style,
                                    const RsSnapshot *snap, int layer,
                                    double width, double height,
                                    RsPlotHistogramTimeLayout *out);

G_END_DECLS
