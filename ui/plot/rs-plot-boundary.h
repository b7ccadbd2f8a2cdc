/* rs-plot-boundary.h — the decision boundary of a 2-D classifier. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-style.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

/* Class regions and the training/validation points (2-D data); a note
 * otherwise. With a baseline (may be NULL) that has a grid, its class
 * borders are drawn as a contour line, named in the legend, and its
 * accuracy follows this run's in the title. */
void rs_plot_boundary_draw (cairo_t *cr, const RsPlotStyle *style,
                            const RsSnapshot *snap, const RsSnapshot *baseline,
                            double width, double height);

G_END_DECLS
