/* rs-plot-style.h — the look every plot shares: theme colours, type size,
 * line width, and the two axis choices (log y, log bins). cairo + GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RS_PLOT_THEME_LIGHT,
  RS_PLOT_THEME_DARK,
} RsPlotTheme;

typedef struct { double r, g, b, a; } RsColor;

/* How a line is drawn besides its colour, so that nothing is told by
 * colour alone: train solid, validation dashed, each penalty its own
 * pattern, a pinned run dotted (rs_plot_set_dash draws them). */
typedef enum {
  RS_DASH_SOLID,
  RS_DASH_DASHED,
  RS_DASH_DASH_DOT,
  RS_DASH_LONG,
  RS_DASH_DASH_DOT_DOT,
  RS_DASH_DOTTED,
  RS_DASH_N
} RsDash;

typedef struct {
  RsPlotTheme theme;
  double  font_size;      /* base size in user units (px); presentation style is larger */
  double  line_width;
  const char *font_family;
  RsColor background, foreground, grid, muted;
  RsColor series[8];      /* loss, task, l1, l2, activity, val loss, accuracy, val accuracy */
  RsDash  series_dash[8]; /* the same series' line patterns */
  RsDash  baseline_dash;  /* a pinned run's curves */
  RsColor twin[2];        /* twin runs A and B: the Okabe-Ito blue and orange */
  RsDash  twin_dash[2][2];/* [run][training, validation]: B's patterns differ from A's */
  RsColor event;          /* event markers */
  RsColor near_zero;      /* near zero on every plot: heatmap cells, histogram bars */
  gboolean log_y;         /* loss curves: logarithmic y axis */
  gboolean log_bins;      /* histograms: logarithmic |w| bins */
} RsPlotStyle;

/* Indices into RsPlotStyle.series. */
enum {
  RS_SERIES_LOSS, RS_SERIES_TASK, RS_SERIES_L1, RS_SERIES_L2, RS_SERIES_ACTIVITY,
  RS_SERIES_VAL_LOSS, RS_SERIES_TRAIN_ACC, RS_SERIES_VAL_ACC,
};

/* light/dark; presentation = larger type and thicker lines for a projector. */
void rs_plot_style_init (RsPlotStyle *style, RsPlotTheme theme, gboolean presentation);

G_END_DECLS
