/* plot-fixtures.h — synthetic snapshots built by hand for the plot tests
 * and the gallery tool, and pixel helpers for checking rendered images. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

/* Sets layer i's shape and weights (copied; w may be NULL for zeros), and
 * fills its histograms, near-zero fraction and norm from them. */
void        plot_fixture_set_layer (RsSnapshot *snap, int i, int in, int out,
                                    const float *w, gboolean is_output);

/* Two layers (4 -> 3 -> 2), tiny exact weights, threshold 1e-3, a history of
 * `steps` points (0 = empty) with an L1 term from step steps/2 and one
 * event there. */
RsSnapshot *plot_fixture_small (int steps);

/* A classroom-like run: layers 64-32-16-10 on 8x8 "digits" (image_w = 8)
 * with L1 switched on at step 800 of 2000 (many exact zeros), a decimated
 * history, events, histogram-over-time frames and probe activations with
 * some dead units. With two_d, the model is 2-32-16-3 on spirals and a
 * decision-boundary grid is filled instead of image dims. */
RsSnapshot *plot_fixture_realistic (gboolean two_d);

/* A pinned run to compare `like` with (like may be NULL: curves only): a
 * history of `steps` points, the same layers with dense, larger weights
 * (no |w| under 1e-3) and no penalty, and like's decision grid shifted
 * by an eighth of its width. */
RsSnapshot *plot_fixture_baseline (const RsSnapshot *like, int steps);

/* What the pixel tests draw on: a width x height ARGB32 surface, its
 * cairo context, the light or dark style and plot_fixture_small (steps). */
typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  RsPlotStyle      style;
  RsSnapshot      *snap;
} PlotCanvas;

void        plot_canvas_init (PlotCanvas *f, int width, int height, RsPlotTheme theme,
                              int steps);
/* Frees what plot_canvas_init made (and f->snap, whatever it is now);
 * the signature of a g_test_add teardown. */
void        plot_canvas_clear (PlotCanvas *f, gconstpointer data);

/* The pixel of an ARGB32 image surface at device (x, y), clamped inside. */
guint32     plot_pixel (cairo_surface_t *s, double x, double y);
/* Every channel of an opaque pixel within tol of the colour's. */
gboolean    plot_pixel_is (guint32 px, const RsColor *c, int tol);
/* Pixels wholly inside r whose colour is c's within tol. */
int         count_colour (cairo_surface_t *s, const RsPlotRect *r, const RsColor *c,
                               int tol);

G_END_DECLS
