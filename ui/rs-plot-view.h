/* rs-plot-view.h — a widget that draws one RsPlotKind of the current
 * snapshot with the same cairo function the exporter uses. */
#pragma once

#include <gtk/gtk.h>

#include "rs-plot.h"
#include "rs-plot-export.h"

G_BEGIN_DECLS

#define RS_TYPE_PLOT_KIND (rs_plot_kind_get_type ())
GType rs_plot_kind_get_type (void) G_GNUC_CONST;

#define RS_TYPE_PLOT_VIEW (rs_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (RsPlotView, rs_plot_view, RS, PLOT_VIEW, GtkWidget)

GtkWidget  *rs_plot_view_new (RsPlotKind kind);

RsPlotKind  rs_plot_view_get_kind (RsPlotView *self);
void        rs_plot_view_set_kind (RsPlotView *self, RsPlotKind kind);

/* Takes a reference; NULL draws an empty plot area. */
void        rs_plot_view_set_snapshot (RsPlotView *self, RsSnapshot *snap);
RsSnapshot *rs_plot_view_get_snapshot (RsPlotView *self);
/* The snapshot whose picture the view last put on screen (NULL before the
 * first frame). While training it trails get_snapshot() by one render: new
 * snapshots are drawn off the main thread. */
RsSnapshot *rs_plot_view_get_drawn_snapshot (RsPlotView *self);

/* The pinned run to compare with, drawn where a comparison reads (takes a
 * reference; NULL clears). */
void        rs_plot_view_set_baseline (RsPlotView *self, RsSnapshot *baseline);
RsSnapshot *rs_plot_view_get_baseline (RsPlotView *self);

/* A twin run's B (takes a reference; NULL: none): a loss view then draws
 * A's (the snapshot's) and B's curves on one plot, named label_a and
 * label_b. */
void        rs_plot_view_set_twin (RsPlotView *self, RsSnapshot *b, const char *label_a,
                                   const char *label_b);
RsSnapshot *rs_plot_view_get_twin (RsPlotView *self);
/* Whose plot it is ("A", "B"), said before its kind in its accessible
 * name ("B: Weight histograms"); NULL: the kind alone. */
void        rs_plot_view_set_subject (RsPlotView *self, const char *subject);

/* The clock that limits how often the accessible description changes
 * (at most once a second, newest snapshot last); monotonic µs. Tests set
 * their own; NULL restores g_get_monotonic_time. */
typedef gint64 (*RsPlotViewClock) (void);
void        rs_plot_view_set_clock (RsPlotViewClock clock);

/* The style the view draws with (theme, presentation, log axes). */
void        rs_plot_view_get_style (RsPlotView *self, RsPlotStyle *style);

G_END_DECLS
