/* rs-plot-twin.h — twin runs (rs-twin.h) in one picture: A's and B's loss
 * on one plot, their histograms and their heatmaps, tiles or decision
 * boundaries next to each other, each side labelled A or B. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-export.h"
#include "rs-plot-style.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

typedef struct {
  const RsPlotStyle *style;
  const RsSnapshot  *run[2];    /* A, B */
  const char        *label[2];  /* "A: fc1 L1 0", "B: fc1 L1 0.01" (rs_twin_describe) */
} RsPlotTwinData;

/* The twin dashboard: a header (the lesson, the step, what tells A from
 * B), the loss of both, then [histograms A | B], [boundary, digit tiles or
 * weight heatmaps A | B]. data is an RsPlotTwinData (an RsPlotDrawFunc). */
void     rs_plot_twin_dashboard_draw (cairo_t *cr, gconstpointer data, double width,
                                      double height);

/* The twin loss plot alone (rs_plot_loss_twin_draw), as an RsPlotDrawFunc
 * of an RsPlotTwinData. */
void     rs_plot_twin_loss_draw_data (cairo_t *cr, gconstpointer data, double width,
                                      double height);

/* The layout's cells, for the tests: the loss plot, then per run the
 * histogram and the lower cell (x, y, w, h). */
typedef struct {
  RsPlotRect loss;
  RsPlotRect histograms[2];
  RsPlotRect lower[2];
} RsPlotTwinLayout;
void     rs_plot_twin_dashboard_layout (cairo_t *cr, const RsPlotTwinData *data, double width,
                                        double height, RsPlotTwinLayout *out);

/* DIR/a/ and DIR/b/: every plot of each run (as rs_plot_export_all), and
 * DIR/twin.EXT, the twin dashboard. */
gboolean rs_plot_twin_export_all (const char *dir, RsExportFormat format,
                                  const RsPlotTwinData *data, int width, int height,
                                  double scale, GError **error);

G_END_DECLS
