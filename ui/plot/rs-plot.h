/* rs-plot.h — every plot as a pure draw function into a cairo_t.
 *
 * The GTK views call these from their snapshot/draw functions and the
 * exporter calls them on image, SVG and PDF surfaces: one code path, so
 * what is exported is what is seen, and every plot is testable without a
 * display. cairo + GLib only; never GTK. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  RS_PLOT_THEME_LIGHT,
  RS_PLOT_THEME_DARK,
} RsPlotTheme;

typedef struct { double r, g, b, a; } RsColor;

typedef struct {
  RsPlotTheme theme;
  double  font_size;      /* base size in user units (px); presentation style is larger */
  double  line_width;
  const char *font_family;
  RsColor background, foreground, grid, muted;
  RsColor series[8];      /* loss, task, l1, l2, activity, val loss, accuracy, val accuracy */
  RsColor event;          /* event markers */
  RsColor near_zero;      /* marks near-zero heatmap cells */
  gboolean log_y;         /* loss curves: logarithmic y axis */
  gboolean log_bins;      /* histograms: logarithmic |w| bins */
} RsPlotStyle;

/* Indices into RsPlotStyle.series. */
enum {
  RS_SERIES_LOSS, RS_SERIES_TASK, RS_SERIES_L1, RS_SERIES_L2, RS_SERIES_ACTIVITY,
  RS_SERIES_VAL_LOSS, RS_SERIES_TRAIN_ACC, RS_SERIES_VAL_ACC,
};

/* light/dark; presentation = larger type and thicker lines for a projector. */
void rs_plot_style_init (RsPlotStyle *style, RsPlotTheme theme, gboolean presentation);

/* Loss curves (top panel: total, task, each active penalty, validation;
 * bottom panel: accuracy), event markers, optional faint baseline run.
 * baseline may be NULL. */
void rs_plot_loss_draw (cairo_t *cr, const RsPlotStyle *style,
                        const RsSnapshot *snap, const RsHistory *baseline,
                        double width, double height);

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

/* Class regions and the training/validation points (2-D data); a note
 * otherwise. */
void rs_plot_boundary_draw (cairo_t *cr, const RsPlotStyle *style,
                            const RsSnapshot *snap, double width, double height);

/* Everything in one image, titled with the lesson, the step and the
 * per-layer lambdas. */
void rs_plot_dashboard_draw (cairo_t *cr, const RsPlotStyle *style,
                             const RsSnapshot *snap, const RsHistory *baseline,
                             double width, double height);

G_END_DECLS
