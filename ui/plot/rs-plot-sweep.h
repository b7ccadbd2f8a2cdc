/* rs-plot-sweep.h — the two plots of a sweep, drawn from the points that
 * have ended (any order, any number so far):
 *   validation curve     train and validation loss and accuracy against
 *                        the swept value, the best value marked;
 *   regularization path  each layer's ||W|| and near-zero share against
 *                        the value, and each unit's ||W[u,:]|| of the
 *                        chosen layer. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-export.h"
#include "rs-plot-style.h"
#include "rs-plot-toolkit.h"
#include "rs-sweep.h"

G_BEGIN_DECLS

typedef struct {
  const RsPlotStyle  *style;
  const RsSweepSpec  *spec;      /* the term (x axis title) and the range */
  const RsSweepPoint *points;    /* the ended points, in any order */
  int                 n;
  double              threshold; /* the zero threshold (the near-zero share's) */
  double              selected;  /* the value of the point opened, or NAN */
} RsPlotSweepData;

typedef enum { RS_PLOT_SWEEP_CURVE, RS_PLOT_SWEEP_PATH } RsPlotSweepKind;

/* "validation-curve", "regularization-path": also the exported names. */
const char *rs_plot_sweep_kind_to_string (RsPlotSweepKind kind);

void     rs_plot_validation_curve_draw (cairo_t *cr, const RsPlotSweepData *data,
                                        double width, double height);
void     rs_plot_regularization_path_draw (cairo_t *cr, const RsPlotSweepData *data,
                                           double width, double height);
void     rs_plot_sweep_draw (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *data,
                             double width, double height);

/* The point under (x, y) of the plot as drawn at width x height: the
 * nearest along the value axis within a few pixels, as an index into
 * data->points; -1 when none. */
int      rs_plot_sweep_hit (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *data,
                            double width, double height, double x, double y);

/* Panel `panel`'s frame (0 = top; the curve has loss and accuracy, the
 * path ||W||, near zero and units): where its data go and its scales. */
gboolean rs_plot_sweep_panel (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *data,
                              double width, double height, int panel, RsPlotFrame *frame);

/* Writes DIR/validation-curve.<ext> and DIR/regularization-path.<ext>. */
gboolean rs_plot_sweep_export_all (const char *dir, RsExportFormat format,
                                   const RsPlotSweepData *data, int width, int height,
                                   double scale, GError **error);

G_END_DECLS
