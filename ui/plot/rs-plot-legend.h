/* rs-plot-legend.h — legends as rows of "mark label" entries that wrap,
 * laid out above the data so they never cover a curve. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

typedef enum {
  RS_LEGEND_LINE, RS_LEGEND_THICK_LINE, RS_LEGEND_DASH, RS_LEGEND_BOX,
  RS_LEGEND_DOT, RS_LEGEND_RING,
} RsLegendMark;

typedef struct {
  const char  *label;
  RsColor      color;
  RsLegendMark mark;
  double       alpha;     /* 1 for normal entries, lower for a faint baseline */
  RsDash       dash;      /* the line's pattern (LINE and THICK_LINE marks) */
} RsLegendEntry;

/* Entries flowing left to right in rows no wider than w, starting at
 * (x, y). Returns the height used; draws only when draw is TRUE, so a
 * caller can measure first. */
double rs_plot_legend (cairo_t *cr, const RsPlotStyle *style, const RsLegendEntry *entries,
                       int n, double x, double y, double w, gboolean draw);

G_END_DECLS
