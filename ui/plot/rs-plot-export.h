/* rs-plot-export.h — plots to PNG, SVG and PDF files, written atomically
 * (a temporary file beside the target, then rename): an unwritable path is
 * an error that names it and leaves nothing behind. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot.h"

G_BEGIN_DECLS

typedef enum { RS_EXPORT_PNG, RS_EXPORT_SVG, RS_EXPORT_PDF } RsExportFormat;

typedef enum {
  RS_PLOT_DASHBOARD,
  RS_PLOT_LOSS,
  RS_PLOT_HISTOGRAMS,
  RS_PLOT_HISTOGRAM_TIME,  /* every layer stacked */
  RS_PLOT_WEIGHTS,
  RS_PLOT_ACTIVATIONS,     /* every layer stacked */
  RS_PLOT_DIGIT_TILES,     /* only when the data are images */
  RS_PLOT_BOUNDARY,        /* only for 2-D data */
  RS_PLOT_CONFUSION,       /* only with a validation set */
  RS_PLOT_N_KINDS
} RsPlotKind;

/* "dashboard", "loss", "histograms", "histogram-time", "weights",
 * "activations", "digit-tiles", "boundary", "confusion": also the exported
 * file names. */
const char *rs_plot_kind_to_string (RsPlotKind kind);
gboolean    rs_plot_kind_from_string (const char *name, RsPlotKind *out);
/* FALSE for digit tiles without image data, boundary without 2-D data and
 * the confusion matrix without a validation set. */
gboolean    rs_plot_kind_applies (RsPlotKind kind, const RsSnapshot *snap);

const char *rs_export_format_extension (RsExportFormat format); /* "png" */
gboolean    rs_export_format_from_string (const char *name, RsExportFormat *out);

/* Draws one plot kind (dispatch used by the exporter and the window).
 * baseline: the pinned run to compare with, or NULL. */
void        rs_plot_draw_kind (cairo_t *cr, RsPlotKind kind, const RsPlotStyle *style,
                               const RsSnapshot *snap, const RsSnapshot *baseline,
                               double width, double height);

/* width x height in user units; PNG pixels are width*scale x height*scale. */
gboolean    rs_plot_export (const char *path, RsExportFormat format, RsPlotKind kind,
                            const RsPlotStyle *style, const RsSnapshot *snap,
                            const RsSnapshot *baseline, int width, int height,
                            double scale, GError **error);

/* Any drawing (width x height user units) into a file as rs_plot_export
 * writes one: atomically, errors naming the path. */
typedef void (*RsPlotDrawFunc) (cairo_t *cr, gconstpointer data, double width, double height);
gboolean    rs_plot_export_with (const char *path, RsExportFormat format, RsPlotDrawFunc draw,
                                 gconstpointer data, int width, int height, double scale,
                                 GError **error);
gboolean    rs_plot_export_make_dir (const char *dir, GError **error);

/* Writes DIR/<kind>.<ext> for every kind that applies; creates DIR. */
gboolean    rs_plot_export_all (const char *dir, RsExportFormat format,
                                const RsPlotStyle *style, const RsSnapshot *snap,
                                const RsSnapshot *baseline, int width, int height,
                                double scale, GError **error);

G_END_DECLS
