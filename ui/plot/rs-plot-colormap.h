/* rs-plot-colormap.h — internal: the colour maps the plots share. viridis
 * (perceptually uniform, readable in grey and by most colour-blind
 * viewers) for magnitudes, a blue-white-red diverging map for signed
 * weights, and a qualitative palette for classes. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* t in [0, 1] (clamped; NaN counts as 0). */
RsColor        rs_plot_viridis        (double t);
/* t in [-1, 1]: -1 blue, 0 white, +1 red (clamped). */
RsColor        rs_plot_diverging      (double t);
/* Class colours, cycling after RS_PLOT_N_CLASS_COLORS. */
#define RS_PLOT_N_CLASS_COLORS 8
RsColor        rs_plot_palette        (int i);
/* An opaque colour as a CAIRO_FORMAT_ARGB32 pixel. */
guint32        rs_plot_color_to_pixel (const RsColor *c);

/* Paints an image surface (one pixel per matrix cell) stretched over r.
 * Upscaled images use NEAREST so cells keep hard edges; images shrunk
 * below one pixel per cell are filtered so sparse cells still show as a
 * lighter average instead of being skipped. */
void rs_plot_paint_cells (cairo_t *cr, cairo_surface_t *cells, const RsPlotRect *r);

/* A vertical colour bar in r: the map from lo (bottom) to hi (top) with
 * labelled ticks on its right, a title above it and, when
 * near_zero_label is set, a swatch of style->near_zero below it. */
void rs_plot_colorbar_draw (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r,
                            double lo, double hi, gboolean log, gboolean diverging,
                            const char *title, const char *near_zero_label);
/* Width a colour bar needs, its gap to the plot included (and its
 * near-zero swatch's label, when there is one). */
double rs_plot_colorbar_width (cairo_t *cr, const RsPlotStyle *style,
                               const char *near_zero_label);

G_END_DECLS
