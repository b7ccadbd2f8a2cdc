/* rs-plot.h — every plot as a pure draw function into a cairo_t.
 *
 * The GTK views call these into an image surface, mostly on a render
 * thread (ui/rs-plot-view.c), and the exporter calls them on image, SVG
 * and PDF surfaces: one code path, so what is exported is what is seen,
 * and every plot is testable without a display. cairo + GLib only; never
 * GTK.
 *
 * This header gathers the plots; each is declared in its own unit's
 * header, over the shared drawing toolkit (rs-plot-toolkit.h). */
#pragma once

#include "rs-plot-style.h"
#include "rs-plot-boundary.h"
#include "rs-plot-confusion.h"
#include "rs-plot-dashboard.h"
#include "rs-plot-heatmap.h"
#include "rs-plot-histogram.h"
#include "rs-plot-loss.h"
