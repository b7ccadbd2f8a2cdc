/* rs-plot-baseline.h — the pinned run ("baseline") on the plots where a
 * comparison reads: its name in a legend, its layers matched to the
 * current run's, its decision boundary as a contour. The loss curves and
 * the histogram outline draw it with these. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-legend.h"
#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* What the legends call the pinned run: its penalties as the key table
 * words them, and how far it had trained:
 * "baseline: fc1 L1 0.01 · step 1,200" ("baseline: no penalty · step 20"). */
char *rs_plot_baseline_label (const RsSnapshot *baseline);

/* The legend entry of the pinned run, in the look the plots draw it with
 * (a line in the foreground colour). label is borrowed. */
RsLegendEntry rs_plot_baseline_entry (const RsPlotStyle *style, const char *label);

/* The baseline's layer that compares with snap's layer `layer`: the same
 * name and shape; NULL when there is none (or no baseline). */
const RsLayerSnapshot *rs_plot_baseline_layer (const RsSnapshot *snap,
                                               const RsSnapshot *baseline, int layer);

/* Whether the baseline has a decision-boundary grid to draw. */
gboolean rs_plot_baseline_has_boundary (const RsSnapshot *baseline);

/* The baseline's class borders (where its predicted class changes) as a
 * contour (with a halo) over frame f, clipped to f's data area; its grid is
 * placed by its own extent, so it lines up with the current grid when the
 * data are the same. */
void rs_plot_baseline_contour (cairo_t *cr, const RsPlotStyle *style,
                               const RsSnapshot *baseline, const RsPlotFrame *f);

G_END_DECLS
