/* rs-plot-boundary.h — the decision boundary of a 2-D classifier. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-style.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

/* Class regions and the training/validation points (2-D data); a note
 * otherwise. */
void rs_plot_boundary_draw (cairo_t *cr, const RsPlotStyle *style,
                            const RsSnapshot *snap, double width, double height);

G_END_DECLS
