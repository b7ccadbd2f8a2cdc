/* rs-plot-describe.h — what a plot shows, in words: its name and one
 * sentence about the snapshot it draws, for a screen reader (the window's
 * plot views are accessible images with this name and description).
 * GLib only, so the words are tested without a display. */
#pragma once

#include <glib.h>

#include "rs-plot-export.h"

G_BEGIN_DECLS

/* "Loss curves", "Weight histograms", …: translated, never NULL for a kind. */
const char *rs_plot_kind_title (RsPlotKind kind);

/* What the plot of `kind` shows of `snap` now, in one translated sentence
 * with the numbers in the reader's locale: "Loss: total 0.41, validation
 * 0.52, step 800". `snap` may be NULL (nothing yet). Newly allocated. */
char       *rs_plot_describe (RsPlotKind kind, const RsSnapshot *snap);

G_END_DECLS
