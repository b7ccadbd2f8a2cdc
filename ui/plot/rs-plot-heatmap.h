/* rs-plot-heatmap.h — sparsity at a glance: |W| per layer, the probe
 * batch's activations, and fc1's weights as image tiles for digits. The
 * layouts are exposed so the tests can check pixels at known places. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* |W| of one layer as an out x in heatmap, near-zero cells marked. */
void rs_plot_weight_heatmap_draw (cairo_t *cr, const RsPlotStyle *style,
                                  const RsSnapshot *snap, int layer,
                                  double width, double height);

/* All layers' weight heatmaps. */
void rs_plot_weight_heatmaps_draw (cairo_t *cr, const RsPlotStyle *style,
                                   const RsSnapshot *snap, double width, double height);

/* The probe batch's activations (rows x units) of one layer. */
void rs_plot_activation_heatmap_draw (cairo_t *cr, const RsPlotStyle *style,
                                      const RsSnapshot *snap, int layer,
                                      double width, double height);

/* fc1's weight rows as image tiles (digits: one 8x8 tile per hidden unit).
 * Draws a short note instead when the data are not images. */
void rs_plot_digit_tiles_draw (cairo_t *cr, const RsPlotStyle *style,
                               const RsSnapshot *snap, double width, double height);

typedef struct {
  RsPlotRect matrix;       /* the cells: rows top to bottom, cols left to right */
  int        rows, cols;
  double     vmax;         /* the value at the top of the colour bar */
  RsPlotRect colorbar;
  gboolean   valid;        /* FALSE: a note is drawn instead */
  /* Activations with dropout: the last training batch's mask as a band
   * below the matrix, the same columns, band_rows rows (0: no band). */
  RsPlotRect band;
  int        band_rows;
} RsPlotHeatmapLayout;

/* rows = out units, cols = inputs; colour = viridis(|w| / vmax). */
void rs_plot_weight_heatmap_layout (cairo_t *cr, const RsPlotStyle *style,
                                    const RsSnapshot *snap, int layer,
                                    double width, double height, RsPlotHeatmapLayout *out);
/* rows = probe rows, cols = units; the band: dropped units of the last
 * training batch in style->foreground, kept ones in style->grid. */
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

G_END_DECLS
