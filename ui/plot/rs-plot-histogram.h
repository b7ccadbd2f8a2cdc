/* rs-plot-histogram.h — weight-magnitude histograms, one layer or all side
 * by side, and one layer's |w| distribution over time. The layout is
 * exposed so the tests can check pixels at known places. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* |w| histogram of one layer, with the near-zero fraction written on it. */
void rs_plot_histogram_draw (cairo_t *cr, const RsPlotStyle *style,
                             const RsSnapshot *snap, int layer,
                             double width, double height);

/* All layers' histograms side by side. */
void rs_plot_histograms_draw (cairo_t *cr, const RsPlotStyle *style,
                              const RsSnapshot *snap, double width, double height);

/* The |w| distribution of one layer over time (steps x log bins heatmap). */
void rs_plot_histogram_time_draw (cairo_t *cr, const RsPlotStyle *style,
                                  const RsSnapshot *snap, int layer,
                                  double width, double height);

typedef struct {
  RsPlotFrame        frame;   /* x: |w| (log or linear), y: count */
  const RsHistogram *hist;    /* NULL: nothing to draw (a note instead) */
  double             below_x0, below_x1; /* the "<1e-5" bar; equal when none */
} RsPlotHistogramLayout;

void rs_plot_histogram_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                               int layer, double width, double height,
                               RsPlotHistogramLayout *out);
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
