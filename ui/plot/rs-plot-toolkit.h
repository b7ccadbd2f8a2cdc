/* rs-plot-toolkit.h — what every plot draws with: rectangles and margins,
 * colour, text with the toy cairo API, notes and titles, scales, "nice"
 * ticks whose labels never overlap, the framed data area every x/y plot is
 * drawn in, and the grid of per-layer cells the composite plots share.
 *
 * Internal to ui/plot (the tests include it to check tick placement); it
 * depends on no plot, so every plot can depend on it. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-style.h"
#include "rs-snapshot.h"

G_BEGIN_DECLS

typedef struct { double x, y, w, h; } RsPlotRect;

typedef enum { RS_ALIGN_START, RS_ALIGN_CENTER, RS_ALIGN_END } RsPlotAlign;

/* Relative type sizes, times style->font_size. */
#define RS_PLOT_TITLE_SCALE  1.15
#define RS_PLOT_TICK_SCALE   0.85
#define RS_PLOT_SMALL_SCALE  0.8

/* Outer margin of every plot, times style->font_size. */
#define RS_PLOT_MARGIN 0.9

/* The content box of a plot of width x height: the margin taken off. */
RsPlotRect rs_plot_content_rect (const RsPlotStyle *style, double width, double height);

/* ---- colour and text -------------------------------------------------- */

void    rs_plot_set_color       (cairo_t *cr, const RsColor *c);
void    rs_plot_set_color_alpha (cairo_t *cr, const RsColor *c, double alpha);
RsColor rs_plot_color_mix       (const RsColor *a, const RsColor *b, double t);
/* A line pattern in units of `unit` (the line width), with butt caps
 * (solid: round caps, no dashes). Filled bands of dense series read the
 * pattern back from the context (rs_plot_clip_dash). */
void    rs_plot_set_dash        (cairo_t *cr, RsDash dash, double unit);
/* Clips to the pattern set on `cr` laid along x from x0 over [x0, x1]
 * (y from y0 to y1): the "on" stretches of a dashed line drawn as a
 * filled shape. Discards the current path; nothing for a solid line. */
void    rs_plot_clip_dash       (cairo_t *cr, double x0, double x1, double y0, double y1);
/* A layer index that names one of the snapshot's layers. */
gboolean rs_plot_layer_exists (const RsSnapshot *snap, int layer);
/* The start of every one-layer plot: saves the cairo state, paints the
 * background, clips to width x height and gives the content rectangle.
 * When the layer does not exist it writes a note, restores the state and
 * returns FALSE; otherwise the caller ends with cairo_restore. */
gboolean rs_plot_begin_layer (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                              int layer, double width, double height, RsPlotRect *content);
/* Fills the whole width x height with the theme background. */
void    rs_plot_fill_background (cairo_t *cr, const RsPlotStyle *style,
                                 double width, double height);

/* Selects the style's font (first family of the list) at scale x font_size. */
void    rs_plot_set_font   (cairo_t *cr, const RsPlotStyle *style, double scale,
                            gboolean bold);
double  rs_plot_text_width (cairo_t *cr, const char *text);
/* Line height of the current font (ascent + descent). */
double  rs_plot_line_height (cairo_t *cr);
/* Draws text whose box is aligned at (x, y): ha on x, va on y where START is
 * the top of the line, CENTER its middle and END its bottom. */
void    rs_plot_text       (cairo_t *cr, const char *text, double x, double y,
                            RsPlotAlign ha, RsPlotAlign va);
/* The same, turned a quarter left (for vertical axis titles). */
void    rs_plot_text_vertical (cairo_t *cr, const char *text, double x, double y,
                               RsPlotAlign ha, RsPlotAlign va);
/* text, shortened with "…" if it is wider than max_w (newly allocated). */
char   *rs_plot_text_fit   (cairo_t *cr, const char *text, double max_w);
/* A muted, centred one- or two-line message in r ("Press Play ..."). */
void    rs_plot_note       (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r,
                            const char *text);
/* The plot title at the top of r, in bold, left aligned, with an optional
 * accent text right aligned on the same line (or on a second line when
 * both do not fit). Returns the height used; draws only when draw. */
double  rs_plot_title      (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r,
                            const char *title, const char *accent,
                            const RsColor *accent_color, gboolean draw);
/* A share as the plots and the layer rows write it: "<1%" for a few (not
 * none), else whole percent, as the language writes it ("38 %" in German). */
char   *rs_plot_share_text (double fraction);
/* The one vocabulary for "|x| under the sparsity threshold", used by
 * every plot (and the window's layer rows say the same):
 * "38% near zero (|w| < 0.001)"; with symbol NULL just "38% near zero". */
char   *rs_plot_near_zero_text (double fraction, const char *symbol, double threshold);
/* The colour swatch's two lines: "near zero\n|w| < 0.001" (NULL when
 * threshold <= 0: nothing is marked). */
char   *rs_plot_near_zero_swatch (const char *symbol, double threshold);
/* The penalties a layer's settings switch on, named and valued as the key
 * table words them: "L1 0.005 · weight decay 0.01"; NULL when none is on. */
char   *rs_plot_terms_text (const RsLayerReg *reg);
/* Class c as the data name it ("setosa"), or its number ("2") when the
 * data have no names; buf (16 bytes do) holds the number. */
const char *rs_plot_class_name (const RsSnapshot *snap, int c, char *buf, gsize size);
/* "12,345" */
void    rs_plot_format_count (gint64 v, char *buf, gsize len);

/* ---- scales and ticks ------------------------------------------------- */

typedef struct {
  double   lo, hi;   /* data range shown; lo > 0 when log */
  gboolean log;      /* log10 */
  double   p0, p1;   /* device positions of lo and hi (p1 < p0 for y) */
} RsPlotScale;

/* Position of v; NAN for non-positive v on a log scale. */
double rs_plot_scale_map (const RsPlotScale *s, double v);

typedef enum {
  RS_TICK_NUMBER,    /* 0.5, 1500, 12k, 1e-5 */
  RS_TICK_PERCENT,   /* value is a fraction: 0.25 -> "25%" */
} RsTickFormat;

#define RS_PLOT_MAX_TICKS 64

typedef struct {
  double   value;
  double   pos;            /* device position along the axis */
  gboolean labelled;       /* FALSE when dropped to avoid an overlap */
  gboolean major;          /* decades on a log axis; every tick on a linear one */
  char     label[24];
  double   extent_lo, extent_hi; /* the label's extent along the axis */
} RsPlotTick;

typedef struct {
  int        n;
  RsPlotTick t[RS_PLOT_MAX_TICKS];
} RsPlotTicks;

/* A 1-2-5 x 10^k step giving about `target` intervals over span. */
double rs_plot_nice_step  (double span, int target);
/* Widens [*lo, *hi] to multiples of the nice step (linear) or to whole
 * decades (log), and makes an empty range non-empty. */
void   rs_plot_nice_range (double *lo, double *hi, gboolean log, int target);
/* How many tick intervals fit in `length` device units. */
int    rs_plot_tick_target (cairo_t *cr, const RsPlotStyle *style, double length,
                            gboolean vertical);
/* Tick label text for v on an axis with the given step. */
void   rs_plot_format_tick (double v, double step, gboolean log, RsTickFormat fmt,
                            char *buf, gsize len);
/* Ticks of scale s: linear at a nice step, log at decades (with 2 and 5
 * between when the range is short). Labels are measured with the style's
 * tick font and thinned (every 2nd, 3rd, ...) until no two overlap and
 * every label lies within [limit_lo, limit_hi] along the axis. */
void   rs_plot_ticks_compute (cairo_t *cr, const RsPlotStyle *style,
                              const RsPlotScale *s, gboolean vertical,
                              RsTickFormat fmt, double limit_lo, double limit_hi,
                              RsPlotTicks *out);

/* ---- a framed x/y data area -------------------------------------------- */

typedef struct {
  double       lo, hi;
  gboolean     log;
  gboolean     nice;      /* widen the range to tick multiples */
  RsTickFormat format;
  const char  *title;     /* axis title or NULL */
  gboolean     labels;    /* draw tick labels (FALSE for a shared x axis) */
  double       min_gutter; /* y only: at least this much room for labels (aligns panels) */
} RsPlotAxisSpec;

typedef struct {
  RsPlotRect  area;       /* where the data go */
  RsPlotScale x, y;
  RsPlotTicks xt, yt;
  gboolean    x_labels;
  const char *x_title, *y_title;
} RsPlotFrame;

/* Lays out a data area inside `outer`, leaving room for the y tick labels
 * on the left, x tick labels (and title) below, the y title above the
 * area, and `right` units on the right (a colour bar). */
void rs_plot_frame_layout (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *outer,
                           const RsPlotAxisSpec *xs, const RsPlotAxisSpec *ys,
                           double right, RsPlotFrame *f);
/* Grid lines behind the data. */
void rs_plot_frame_grid   (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f);
/* Axis lines, tick labels and titles, over the data. */
void rs_plot_frame_axes   (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f);
/* Clips to the data area (inside cairo_save/restore). */
void rs_plot_frame_clip   (cairo_t *cr, const RsPlotFrame *f);

/* ---- composites ------------------------------------------------------- */

typedef void (*RsPlotLayerDrawFunc) (cairo_t *cr, const RsPlotStyle *style,
                                     const RsSnapshot *snap, int layer,
                                     double width, double height);

/* One cell of the per-layer grid: which layer, and where (from 0, 0). */
typedef struct {
  int        layer;
  RsPlotRect box;
} RsPlotLayerCell;

/* The cells rs_plot_draw_layers draws into; returns how many (0: no layer). */
int  rs_plot_layer_cells (const RsPlotStyle *style, const RsSnapshot *snap, gboolean vertical,
                          gboolean hidden_only, double width, double height,
                          RsPlotLayerCell out[RS_MAX_LAYERS]);
/* Walks the cells: for (k = 0; rs_plot_cell_begin (cr, …, k, …); k++)
 * { draw cell k at (0, 0) in its box's size; cairo_restore (cr); }. Paints
 * the background (or a note when there is no cell) at k == 0, translates
 * and clips to cell k, and returns FALSE (with the state restored) after
 * the last. */
gboolean rs_plot_cell_begin (cairo_t *cr, const RsPlotStyle *style,
                             const RsPlotLayerCell *cells, int n_cells, int k,
                             double width, double height);

/* Draws fn for each of the layers (hidden layers only when hidden_only) in
 * cells side by side (vertical == FALSE) or stacked, each cell translated
 * and clipped to its own box. */
void rs_plot_draw_layers (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          RsPlotLayerDrawFunc fn, gboolean vertical, gboolean hidden_only,
                          double width, double height);

G_END_DECLS
