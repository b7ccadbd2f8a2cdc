/* rs-plot-layout.h — internal: where each plot puts its data, so the tests
 * can check pixels at known places and the composite plots (dashboard,
 * stacked exports) can share the per-layer draw functions. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-axis.h"

G_BEGIN_DECLS

/* Outer margin of every plot, times style->font_size. */
#define RS_PLOT_MARGIN 0.9

/* The content box of a plot of width x height: the margin taken off. */
RsPlotRect rs_plot_content_rect (const RsPlotStyle *style, double width, double height);

/* ---- loss curves ------------------------------------------------------ */

typedef struct {
  double      title_h;
  RsPlotRect  legend;     /* the legend rows, between the title and the panels */
  RsPlotFrame loss;       /* top panel; x labels only when there is no accuracy panel */
  RsPlotFrame acc;        /* bottom panel (valid when has_acc) */
  gboolean    has_acc;
  gboolean    empty;      /* no step yet: the hint is shown */
} RsPlotLossLayout;

void rs_plot_loss_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          const RsHistory *baseline, double width, double height,
                          RsPlotLossLayout *out);

/* ---- histograms ------------------------------------------------------- */

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

/* ---- heatmaps --------------------------------------------------------- */

typedef struct {
  RsPlotRect matrix;       /* the cells: rows top to bottom, cols left to right */
  int        rows, cols;
  double     vmax;         /* the value at the top of the colour bar */
  RsPlotRect colorbar;
  gboolean   valid;        /* FALSE: a note is drawn instead */
} RsPlotHeatmapLayout;

/* rows = out units, cols = inputs; colour = viridis(|w| / vmax). */
void rs_plot_weight_heatmap_layout (cairo_t *cr, const RsPlotStyle *style,
                                    const RsSnapshot *snap, int layer,
                                    double width, double height, RsPlotHeatmapLayout *out);
/* rows = probe rows, cols = units. */
void rs_plot_activation_heatmap_layout (cairo_t *cr, const RsPlotStyle *style,
                                        const RsSnapshot *snap, int layer,
                                        double width, double height,
                                        RsPlotHeatmapLayout *out);

typedef struct {
  RsPlotRect first;        /* tile 0 */
  double     pitch_x, pitch_y; /* distance between tile origins */
  int        cols, n_tiles;
  double     vmax;         /* |w| at the ends of the diverging map */
  gboolean   valid;
} RsPlotTilesLayout;

void rs_plot_digit_tiles_layout (cairo_t *cr, const RsPlotStyle *style,
                                 const RsSnapshot *snap, double width, double height,
                                 RsPlotTilesLayout *out);

/* ---- composites ------------------------------------------------------- */

typedef void (*RsPlotLayerDrawFunc) (cairo_t *cr, const RsPlotStyle *style,
                                     const RsSnapshot *snap, int layer,
                                     double width, double height);

/* Draws fn for each of the layers (hidden layers only when hidden_only) in
 * cells side by side (vertical == FALSE) or stacked, each cell translated
 * and clipped to its own box. */
void rs_plot_draw_layers (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          RsPlotLayerDrawFunc fn, gboolean vertical, gboolean hidden_only,
                          double width, double height);

/* The per-layer lambdas line: "fc1: L1 0.005 · WD 0.01   fc2: —". */
char *rs_plot_lambdas_text (const RsSnapshot *snap);

G_END_DECLS
