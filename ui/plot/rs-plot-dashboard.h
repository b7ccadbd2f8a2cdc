/* rs-plot-dashboard.h — every plot of a run in one picture. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-style.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

/* Everything in one image, titled with the lesson, the step and the
 * per-layer lambdas. */
void rs_plot_dashboard_draw (cairo_t *cr, const RsPlotStyle *style,
                             const RsSnapshot *snap, const RsSnapshot *baseline,
                             double width, double height);

G_END_DECLS
