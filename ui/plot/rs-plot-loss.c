/* rs-plot-loss.c — loss curves: total, task and each active penalty term,
 * validation, accuracy in a smaller panel below, event markers where a
 * lambda changed, and an optional pinned baseline run drawn faintly. */
#include "rs-plot-loss.h"

#include <glib/gi18n.h>
#include "rs-plot-baseline.h"
#include "rs-plot-legend.h"

#include <math.h>
#include <stddef.h>

typedef struct {
  int         series;     /* index into style->series */
  gsize       offset;     /* the field of RsMetrics */
  const char *label;
  gboolean    penalty;    /* shown only when non-zero somewhere */
  gboolean    thick;
} LossSeries;

/* Legend order; drawn in reverse so the total ends up on top. */
static const LossSeries loss_series[] = {
  { RS_SERIES_LOSS, offsetof (RsMetrics, loss), N_("total loss"), FALSE, TRUE },
  { RS_SERIES_TASK, offsetof (RsMetrics, task_loss), N_("task loss"), FALSE, FALSE },
  { RS_SERIES_VAL_LOSS, offsetof (RsMetrics, val_loss), N_("validation loss"), FALSE, FALSE },
  { RS_SERIES_L1, offsetof (RsMetrics, l1), N_("L1 penalty"), TRUE, FALSE },
  { RS_SERIES_L2, offsetof (RsMetrics, l2), N_("L2 penalty"), TRUE, FALSE },
  { RS_SERIES_ACTIVITY, offsetof (RsMetrics, activity), N_("activity penalty"), TRUE, FALSE },
};

static const LossSeries acc_series[] = {
  { RS_SERIES_TRAIN_ACC, offsetof (RsMetrics, train_acc), N_("train accuracy"), FALSE, FALSE },
  { RS_SERIES_VAL_ACC, offsetof (RsMetrics, val_acc), N_("validation accuracy"), FALSE, FALSE },
};

static inline double
field (const RsMetrics *m, gsize offset)
{
  return *(const double *) ((const char *) m + offset);
}

/* The history's points plus the latest step when decimation skipped it,
 * so the curves always reach the present. */
static RsMetrics *
collect_points (const RsSnapshot *snap, int *n_out)
{
  const RsHistory *h = snap->history;
  int n = h != NULL ? h->n : 0;
  RsMetrics *pts = g_new (RsMetrics, n + 1);
  for (int i = 0; i < n; i++)
    pts[i] = h->points[i];
  if (snap->latest.step >= 0 && (n == 0 || snap->latest.step > pts[n - 1].step))
    pts[n++] = snap->latest;
  *n_out = n;
  return pts;
}

static gboolean
series_present (const RsMetrics *pts, int n, const LossSeries *s)
{
  for (int i = 0; i < n; i++)
    {
      double v = field (&pts[i], s->offset);
      if (isfinite (v) && (!s->penalty || v != 0.0))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  RsMetrics *pts;
  int        n;
  gboolean   show[G_N_ELEMENTS (loss_series)];
  gboolean   show_acc[G_N_ELEMENTS (acc_series)];
  const RsMetrics *base;
  int        n_base;
  char      *base_label;  /* "baseline: fc1 L1 0.01 · step 1,200" */
} LossData;

static void
loss_data_init (LossData *d, const RsSnapshot *snap, const RsSnapshot *baseline)
{
  d->pts = collect_points (snap, &d->n);
  for (gsize k = 0; k < G_N_ELEMENTS (loss_series); k++)
    d->show[k] = series_present (d->pts, d->n, &loss_series[k]);
  for (gsize k = 0; k < G_N_ELEMENTS (acc_series); k++)
    d->show_acc[k] = series_present (d->pts, d->n, &acc_series[k]);
  const RsHistory *bh = baseline != NULL ? baseline->history : NULL;
  d->base = bh != NULL ? bh->points : NULL;
  d->n_base = bh != NULL ? bh->n : 0;
  d->base_label = d->n_base > 0 ? rs_plot_baseline_label (baseline) : NULL;
}

static void
loss_data_clear (LossData *d)
{
  g_clear_pointer (&d->pts, g_free);
  g_clear_pointer (&d->base_label, g_free);
}

static void
widen (double v, gboolean log, double *lo, double *hi)
{
  if (!isfinite (v) || (log && v <= 0.0))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

/* The legend lists what is drawn and nothing else. */
static int
loss_legend (const RsPlotStyle *style, const LossData *d, RsLegendEntry *entries)
{
  int n = 0;
  for (gsize k = 0; k < G_N_ELEMENTS (loss_series); k++)
    if (d->show[k] || (d->n == 0 && k < 2))
      entries[n++] = (RsLegendEntry) {
        _(loss_series[k].label), style->series[loss_series[k].series],
        loss_series[k].thick ? RS_LEGEND_THICK_LINE : RS_LEGEND_LINE, 1.0,
        style->series_dash[loss_series[k].series] };
  if (d->n_base > 0)
    entries[n++] = (RsLegendEntry) {
      d->base_label, style->series[RS_SERIES_LOSS], RS_LEGEND_LINE, 0.35,
      style->baseline_dash };
  return n;
}

/* The title's accent: the current numbers, or why the run stopped. */
static char *
title_accent (const RsPlotStyle *style, const RsSnapshot *snap, const RsColor **color)
{
  *color = &style->muted;
  if (snap->pause_reason != NULL)
    {
      *color = &style->series[RS_SERIES_VAL_LOSS];
      return g_strdup_printf (_("paused: %s"), snap->pause_reason);
    }
  if (snap->latest.step < 0)
    return NULL;
  if (isfinite (snap->latest.val_loss))
    return g_strdup_printf (_("loss %.3g · val %.3g"), snap->latest.loss, snap->latest.val_loss);
  return g_strdup_printf (_("loss %.3g"), snap->latest.loss);
}

/* The legend's rows under the title (out->title_h set). */
static void
place_legend (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *c,
              const RsLegendEntry *entries, int n_entries, RsPlotLossLayout *out)
{
  double legend_h = rs_plot_legend (cr, style, entries, n_entries, c->x, c->y + out->title_h,
                                    c->w, FALSE);
  /* a thumbnail keeps its room for the curves: no legend there */
  if (legend_h > 0.3 * (c->h - out->title_h))
    legend_h = 0.0;
  out->legend = (RsPlotRect) { c->x, c->y + out->title_h, c->w, legend_h };
}

/* The loss and accuracy panels below the title and legend (out->title_h
 * and out->legend set), for steps xlo..xhi and losses ylo..yhi (an empty
 * range, lo > hi, gets a default one). */
static void
place_panels (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *cp, RsPlotLossLayout *out,
              double xlo, double xhi, double ylo, double yhi)
{
  RsPlotRect c = *cp;
  gboolean log = style->log_y;
  double top = out->legend.y + out->legend.h + style->font_size * 0.2;
  double panel_h = c.y + c.h - top;
  out->has_acc = panel_h >= style->font_size * 16.0;
  double gap = style->font_size * 0.8;
  double loss_h = out->has_acc ? (panel_h - gap) * 0.68 : panel_h;
  RsPlotRect loss_outer = { c.x, top, c.w, loss_h };
  RsPlotRect acc_outer = { c.x, top + loss_h + gap, c.w, panel_h - loss_h - gap };

  if (xlo > xhi)
    xlo = 0, xhi = 100;
  if (xhi - xlo < 10)
    xhi = xlo + 10;      /* a few steps still get a readable axis */
  if (ylo > yhi)
    ylo = log ? 0.1 : 0.0, yhi = 1.0;
  if (!log)
    ylo = 0.0;           /* losses are >= 0: a zero floor shows their proportions */

  RsPlotAxisSpec xs = { xlo, xhi, FALSE, TRUE, RS_TICK_NUMBER, _("step"), !out->has_acc, 0 };
  RsPlotAxisSpec ys = { ylo, yhi, log, TRUE, RS_TICK_NUMBER, _("loss"), TRUE, 0 };
  RsPlotAxisSpec axs = { xlo, xhi, FALSE, TRUE, RS_TICK_NUMBER, _("step"), TRUE, 0 };
  RsPlotAxisSpec ays = { 0.0, 1.0, FALSE, FALSE, RS_TICK_PERCENT, _("accuracy"), TRUE, 0 };

  rs_plot_frame_layout (cr, style, &loss_outer, &xs, &ys, 0, &out->loss);
  if (out->has_acc)
    {
      /* line the panels up: both get the wider label gutter */
      rs_plot_frame_layout (cr, style, &acc_outer, &axs, &ays, 0, &out->acc);
      double gutter = MAX (out->loss.area.x, out->acc.area.x) - c.x;
      ys.min_gutter = ays.min_gutter = gutter;
      rs_plot_frame_layout (cr, style, &loss_outer, &xs, &ys, 0, &out->loss);
      rs_plot_frame_layout (cr, style, &acc_outer, &axs, &ays, 0, &out->acc);
    }
}

void
rs_plot_loss_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                     const RsSnapshot *baseline, double width, double height,
                     RsPlotLossLayout *out)
{
  LossData d;
  loss_data_init (&d, snap, baseline);
  memset (out, 0, sizeof *out);
  out->empty = d.n == 0;

  RsPlotRect c = rs_plot_content_rect (style, width, height);
  const RsColor *accent_color;
  g_autofree char *accent = title_accent (style, snap, &accent_color);
  out->title_h = rs_plot_title (cr, style, &c, _("Loss"), accent, accent_color, FALSE);

  RsLegendEntry entries[G_N_ELEMENTS (loss_series) + 1];
  int n_entries = loss_legend (style, &d, entries);
  place_legend (cr, style, &c, entries, n_entries, out);

  /* ranges */
  gboolean log = style->log_y;
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE, ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;
  for (int i = 0; i < d.n; i++)
    {
      widen ((double) d.pts[i].step, FALSE, &xlo, &xhi);
      for (gsize k = 0; k < G_N_ELEMENTS (loss_series); k++)
        if (d.show[k])
          widen (field (&d.pts[i], loss_series[k].offset), log, &ylo, &yhi);
    }
  for (int i = 0; i < d.n_base; i++)
    {
      widen ((double) d.base[i].step, FALSE, &xlo, &xhi);
      widen (d.base[i].loss, log, &ylo, &yhi);
      widen (d.base[i].val_loss, log, &ylo, &yhi);
    }
  place_panels (cr, style, &c, out, xlo, xhi, ylo, yhi);
  loss_data_clear (&d);
}

/* A history point's place on screen; FALSE where the value has none (NaN,
 * or not positive on a log axis): a gap in the line. */
static gboolean
series_point (const RsPlotFrame *f, const RsMetrics *m, gsize offset, double scale, double *x,
              double *y)
{
  double v = field (m, offset) * scale;
  *x = rs_plot_scale_map (&f->x, (double) m->step);
  *y = isfinite (v) ? rs_plot_scale_map (&f->y, v) : NAN;
  return isfinite (*x) && isfinite (*y);
}

/* Points of one pixel column, reduced to what a polyline through them
 * draws there: the first, the lowest, the highest and the last (the "M4"
 * reduction), in the order they came. Used for sparse series (under two
 * points a column); denser ones are filled as a band (below). */
typedef struct {
  gboolean open;
  double   column;
  double   x[4], y[4];   /* first, min, max, last */
  int      i_min, i_max; /* order of min and max within the column */
  int      count;
} Column;

static void
line_point (cairo_t *cr, gboolean *pen, double x, double y)
{
  if (*pen)
    cairo_line_to (cr, x, y);
  else
    {
      cairo_move_to (cr, x, y);
      /* a lone point still shows as a dot with round caps */
      cairo_line_to (cr, x, y);
    }
  *pen = TRUE;
}

static void
column_flush (cairo_t *cr, Column *c, gboolean *pen)
{
  if (!c->open)
    return;
  line_point (cr, pen, c->x[0], c->y[0]);
  if (c->count > 1)
    {
      int first = c->i_min <= c->i_max ? 1 : 2, second = 3 - first;
      line_point (cr, pen, c->x[first], c->y[first]);
      line_point (cr, pen, c->x[second], c->y[second]);
      line_point (cr, pen, c->x[3], c->y[3]);
    }
  c->open = FALSE;
}

static void
column_add (cairo_t *cr, Column *c, gboolean *pen, double x, double y)
{
  double column = floor (x);
  if (c->open && column != c->column)
    column_flush (cr, c, pen);
  if (!c->open)
    {
      *c = (Column) { .open = TRUE, .column = column, .count = 0 };
      for (int k = 0; k < 4; k++)
        {
          c->x[k] = x;
          c->y[k] = y;
        }
    }
  /* y grows downwards on screen; "min" and "max" are in screen units, which
   * is all the polyline needs. */
  if (y < c->y[1])
    {
      c->x[1] = x;
      c->y[1] = y;
      c->i_min = c->count;
    }
  if (y > c->y[2])
    {
      c->x[2] = x;
      c->y[2] = y;
      c->i_max = c->count;
    }
  c->x[3] = x;
  c->y[3] = y;
  c->count++;
}

/* A series with several points to a pixel column (a long run's noisy
 * history) drawn as what its stroke covers: per column, the extent of the
 * polyline there, widened by a disc of half the line width (a round-joined
 * stroke is exactly the path swept by that disc), filled as one band.
 * Stroking the same zigzag costs cairo's stroker a join per point and its
 * tessellator every self-crossing: 25-30 ms for a 3000-point loss curve at
 * 1250 px against about 1 ms for the band, which looks the same. */
typedef struct {
  double lo, hi;       /* the polyline's extent in this column, screen y */
  gboolean has;
  gboolean joined;     /* the polyline comes in from the column on the left */
} BandColumn;

static void
band_extend (BandColumn *c, double y)
{
  if (!c->has)
    {
      c->lo = c->hi = y;
      c->has = TRUE;
    }
  else
    {
      c->lo = MIN (c->lo, y);
      c->hi = MAX (c->hi, y);
    }
}

/* The segment (xa, ya)-(xb, yb) into every column it crosses (columns are
 * [x0 + c, x0 + c + 1)). */
static void
band_segment (BandColumn *cols, int n_cols, double x0, double xa, double ya, double xb,
              double yb)
{
  if (xb < xa)
    {
      double t = xa; xa = xb; xb = t;
      t = ya; ya = yb; yb = t;
    }
  int ca = CLAMP ((int) floor (xa - x0), 0, n_cols - 1);
  int cb = CLAMP ((int) floor (xb - x0), 0, n_cols - 1);
  double slope = xb > xa ? (yb - ya) / (xb - xa) : 0.0;
  for (int c = ca; c <= cb; c++)
    {
      double l = MAX (xa, x0 + c), r = MIN (xb, x0 + c + 1);
      band_extend (&cols[c], ya + slope * (l - xa));
      band_extend (&cols[c], ya + slope * (r - xa));
      if (c > ca)
        cols[c].joined = TRUE;
    }
}

/* Columns a..b, one joined run: the outline of its extents dilated by a
 * disc of radius `half` (sampled at the column centres). */
static void
fill_band_run (cairo_t *cr, const BandColumn *cols, double x0, int a, int b, double half)
{
  int reach = (int) floor (half);
  for (int pass = 0; pass < 2; pass++)
    {
      /* pass 0: the top edge left to right; pass 1: the bottom, back */
      for (int k = 0; k <= b - a; k++)
        {
          int c = pass == 0 ? a + k : b - k;
          double edge = pass == 0 ? G_MAXDOUBLE : -G_MAXDOUBLE;
          for (int d = -reach; d <= reach; d++)
            {
              if (c + d < a || c + d > b)
                continue;
              double h = sqrt (half * half - (double) d * d);
              edge = pass == 0 ? MIN (edge, cols[c + d].lo - h) : MAX (edge, cols[c + d].hi + h);
            }
          if (k == 0)
            {
              /* the round cap of this end */
              double y = (cols[c].lo + cols[c].hi) * 0.5;
              double x = x0 + c + 0.5 + (pass == 0 ? -half : half);
              if (pass == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
          cairo_line_to (cr, x0 + c + 0.5, edge);
        }
    }
  cairo_close_path (cr);
}

static void
fill_series_band (cairo_t *cr, const RsPlotFrame *f, const RsMetrics *pts, int n,
                  gsize offset, double scale)
{
  double x0 = floor (f->area.x) - 1.0;
  int n_cols = (int) ceil (f->area.w) + 3;
  double x_end = x0 + n_cols;
  BandColumn *cols = g_new0 (BandColumn, n_cols);

  /* A dashed series stays dashed as a band: its pattern laid along x. */
  cairo_save (cr);
  rs_plot_clip_dash (cr, x0, x_end, f->area.y - f->area.h, f->area.y + 2 * f->area.h);
  gboolean pen = FALSE;
  double px = 0.0, py = 0.0;

  for (int i = 0; i < n; i++)
    {
      double x, y;
      if (!series_point (f, &pts[i], offset, scale, &x, &y))
        {
          pen = FALSE;   /* a gap breaks the line */
          continue;
        }
      /* (a point outside the clip only matters for the segment into it) */
      if (pen && MAX (px, x) >= x0 && MIN (px, x) < x_end)
        band_segment (cols, n_cols, x0, px, py, x, y);
      else if (x >= x0 && x < x_end)
        band_extend (&cols[(int) floor (x - x0)], y);
      pen = TRUE;
      px = x;
      py = y;
    }

  double half = cairo_get_line_width (cr) * 0.5;
  for (int c = 0; c < n_cols; c++)
    {
      if (!cols[c].has)
        continue;
      int b = c;
      while (b + 1 < n_cols && cols[b + 1].has && cols[b + 1].joined)
        b++;
      fill_band_run (cr, cols, x0, c, b, half);
      c = b;
    }
  cairo_fill (cr);
  cairo_restore (cr);
  g_free (cols);
}

/* A polyline through the finite (and, on a log axis, positive) values;
 * gaps break the line rather than dropping it to zero. Series with a point
 * every four pixel columns or denser go to fill_series_band: cairo strokes
 * a noisy polyline of ~1 point a pixel in 15-45 ms (every self-crossing
 * tessellated; a 2000-step lesson's end), the band in ~1. */
static void
stroke_series (cairo_t *cr, const RsPlotFrame *f, const RsMetrics *pts, int n, gsize offset,
               double scale)
{
  if (n >= 16)
    {
      double span = fabs (rs_plot_scale_map (&f->x, (double) pts[n - 1].step)
                          - rs_plot_scale_map (&f->x, (double) pts[0].step));
      if (n >= 0.25 * MAX (span, 1.0))
        {
          fill_series_band (cr, f, pts, n, offset, scale);
          return;
        }
    }

  gboolean pen = FALSE;
  Column column = { .open = FALSE };
  for (int i = 0; i < n; i++)
    {
      double x, y;
      if (!series_point (f, &pts[i], offset, scale, &x, &y))
        {
          column_flush (cr, &column, &pen);
          pen = FALSE;
          continue;
        }
      column_add (cr, &column, &pen, x, y);
    }
  column_flush (cr, &column, &pen);
  cairo_stroke (cr);
}

static void
draw_event_rules (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                  const RsHistory *h)
{
  if (h == NULL || h->n_events == 0)
    return;
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  /* whole pixels wide and on pixel edges: a crisp rule, not a blur */
  double lw = MAX (1.0, round (style->line_width * 0.75));
  gboolean odd = ((int) lw) % 2 == 1;
  double dash[2] = { lw * 3.0, lw * 2.0 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_set_line_width (cr, lw);
  rs_plot_set_color (cr, &style->event);
  for (int i = 0; i < h->n_events; i++)
    {
      double x = rs_plot_scale_map (&f->x, (double) h->events[i].step);
      if (x < f->area.x - 1 || x > f->area.x + f->area.w + 1)
        continue;
      x = odd ? floor (x) + 0.5 : round (x);
      cairo_move_to (cr, x, f->area.y);
      cairo_line_to (cr, x, f->area.y + f->area.h);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Early stopping's best step: a solid rule in the validation colour
 * through both panels, a dot on the watched metric's curve there, and
 * "best" at the loss panel's foot. Where the weights worth keeping were. */
void
rs_plot_loss_best_marker (const RsPlotFrame *f, const RsSnapshot *snap, gboolean accuracy,
                          double *x, double *y)
{
  *x = *y = NAN;
  const RsExperiment *exp = snap->experiment;
  if (exp == NULL || exp->early_stopping.patience <= 0 || snap->early_stop.best_step < 0)
    return;
  *x = rs_plot_scale_map (&f->x, (double) snap->early_stop.best_step);
  if ((exp->early_stopping.metric == RS_STOP_VAL_ACC) == accuracy
      && isfinite (snap->early_stop.best_value))
    *y = rs_plot_scale_map (&f->y, snap->early_stop.best_value);
}

static void
draw_best_marker (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                  const RsSnapshot *snap, gboolean accuracy)
{
  double x, y;
  rs_plot_loss_best_marker (f, snap, accuracy, &x, &y);
  if (!isfinite (x) || x < f->area.x - 1 || x > f->area.x + f->area.w + 1)
    return;
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  double lw = MAX (1.0, round (style->line_width));
  rs_plot_set_color (cr, &style->series[RS_SERIES_VAL_LOSS]);
  cairo_set_line_width (cr, lw);
  double xs = ((int) lw) % 2 == 1 ? floor (x) + 0.5 : round (x);
  cairo_move_to (cr, xs, f->area.y);
  cairo_line_to (cr, xs, f->area.y + f->area.h);
  cairo_stroke (cr);
  if (isfinite (y))
    {
      cairo_arc (cr, x, y, 2.5 * lw + 1.0, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  if (!accuracy)
    {
      rs_plot_set_font (cr, style, RS_PLOT_SMALL_SCALE, TRUE);
      /* TRANSLATORS: early stopping's best step on the loss plot */
      rs_plot_text (cr, _("best"), xs + 3 * lw, f->area.y + f->area.h - 2,
                    RS_ALIGN_START, RS_ALIGN_END);
    }
  cairo_restore (cr);
}

/* Event labels along the top of the panel, in up to three rows; a label
 * that finds no free place is left out (its rule is still drawn). */
/* The text of a run of events of one control: its first old value to its
 * last new one. */
static char *
event_run_text (const RsHistory *h, int first, int last)
{
  RsEvent run = h->events[first];
  run.new_value = h->events[last].new_value;
  return rs_event_describe (&run);
}

static gboolean
same_control (const RsEvent *a, const RsEvent *b)
{
  return a->layer == b->layer && g_str_equal (a->key, b->key);
}

int
rs_plot_loss_event_labels (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                           const RsHistory *h, RsPlotEventLabel *out)
{
  if (h == NULL || h->n_events == 0)
    return 0;
  enum { ROWS = 3 };
  double row_end[ROWS];
  for (int r = 0; r < ROWS; r++)
    row_end[r] = -G_MAXDOUBLE;

  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_SMALL_SCALE, TRUE);
  double lh = rs_plot_line_height (cr);
  double padx = style->font_size * 0.3, pady = lh * 0.12;
  double box_h = lh + 2 * pady;
  int rows = CLAMP ((int) floor (f->area.h * 0.45 / (box_h + 2)), 0, ROWS);
  /* markers closer than this belong to one gesture */
  double join_px = style->font_size * 1.5;

  int n = 0;
  for (int i = 0; i < h->n_events; )
    {
      int last = i;
      while (last + 1 < h->n_events
             && same_control (&h->events[last + 1], &h->events[i])
             && rs_plot_scale_map (&f->x, (double) h->events[last + 1].step)
                - rs_plot_scale_map (&f->x, (double) h->events[last].step) <= join_px)
        last++;
      int first = i;
      i = last + 1;

      double x = rs_plot_scale_map (&f->x, (double) h->events[first].step);
      if (x < f->area.x - 1 || x > f->area.x + f->area.w + 1)
        continue;
      g_autofree char *text = event_run_text (h, first, last);
      double bw = rs_plot_text_width (cr, text) + 2 * padx;
      double bx = x + 3;
      if (bx + bw > f->area.x + f->area.w)
        bx = x - 3 - bw;                /* no room on the right: hang left */
      if (bx < f->area.x)
        continue;
      int row = -1;
      for (int r = 0; r < rows && row < 0; r++)
        if (bx > row_end[r] + 4)
          row = r;
      if (row < 0)
        continue;
      row_end[row] = bx + bw;
      out[n++] = (RsPlotEventLabel) {
        first, last, { bx, f->area.y + 3 + row * (box_h + 2), bw, box_h } };
    }
  cairo_restore (cr);
  return n;
}

static void
draw_event_labels (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                   const RsHistory *h)
{
  if (h == NULL || h->n_events == 0)
    return;
  g_autofree RsPlotEventLabel *labels = g_new (RsPlotEventLabel, h->n_events);
  int n = rs_plot_loss_event_labels (cr, style, f, h, labels);

  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  rs_plot_set_font (cr, style, RS_PLOT_SMALL_SCALE, TRUE);
  double padx = style->font_size * 0.3;
  for (int k = 0; k < n; k++)
    {
      const RsPlotRect *b = &labels[k].box;
      g_autofree char *text = event_run_text (h, labels[k].first, labels[k].last);
      rs_plot_set_color_alpha (cr, &style->background, 0.88);
      cairo_rectangle (cr, b->x, b->y, b->w, b->h);
      cairo_fill (cr);
      rs_plot_set_color (cr, &style->event);
      rs_plot_text (cr, text, b->x + padx, b->y + (b->h - rs_plot_line_height (cr)) / 2,
                    RS_ALIGN_START, RS_ALIGN_START);
    }
  cairo_restore (cr);
}

static void
draw_panel_series (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                   const LossData *d, const LossSeries *series, const gboolean *show,
                   int n_series)
{
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* the pinned run first and faint: context, not content */
  if (d->n_base > 0)
    {
      cairo_set_line_width (cr, style->line_width * 0.9);
      for (int k = n_series - 1; k >= 0; k--)
        {
          const LossSeries *s = &series[k];
          if (s->penalty || s->series == RS_SERIES_TASK)
            continue;
          rs_plot_set_color_alpha (cr, &style->series[s->series], 0.3);
          rs_plot_set_dash (cr, style->baseline_dash, style->line_width * 0.9);
          stroke_series (cr, f, d->base, d->n_base, s->offset, 1.0);
        }
    }

  for (int k = n_series - 1; k >= 0; k--)
    {
      const LossSeries *s = &series[k];
      if (!show[k])
        continue;
      cairo_set_line_width (cr, s->thick ? style->line_width * 1.5 : style->line_width);
      rs_plot_set_color (cr, &style->series[s->series]);
      rs_plot_set_dash (cr, style->series_dash[s->series], style->line_width);
      stroke_series (cr, f, d->pts, d->n, s->offset, 1.0);
    }
  cairo_restore (cr);
}

/* A panel's curves: the loss panel's, or (acc) the accuracy panel's. */
typedef void (*PanelSeriesFunc) (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f,
                                 gboolean acc, gconstpointer data);

/* Both panels: grid, event rules, the curves, axes, and the event labels
 * and the empty hint over the loss. */
static void
draw_panels (cairo_t *cr, const RsPlotStyle *style, const RsPlotLossLayout *L,
             const RsHistory *h, const RsSnapshot *best_of, PanelSeriesFunc series,
             gconstpointer data)
{
  rs_plot_frame_grid (cr, style, &L->loss);
  draw_event_rules (cr, style, &L->loss, h);
  series (cr, style, &L->loss, FALSE, data);
  if (best_of != NULL)
    draw_best_marker (cr, style, &L->loss, best_of, FALSE);
  rs_plot_frame_axes (cr, style, &L->loss);
  draw_event_labels (cr, style, &L->loss, h);
  if (L->empty)
    rs_plot_note (cr, style, &L->loss.area, _("Press Play to start training"));
  if (L->has_acc)
    {
      rs_plot_frame_grid (cr, style, &L->acc);
      draw_event_rules (cr, style, &L->acc, h);
      if (best_of != NULL)
        draw_best_marker (cr, style, &L->acc, best_of, TRUE);
      series (cr, style, &L->acc, TRUE, data);
      rs_plot_frame_axes (cr, style, &L->acc);
    }
}

static void
draw_single_series (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f, gboolean acc,
                    gconstpointer data)
{
  const LossData *d = data;
  if (acc)
    draw_panel_series (cr, style, f, d, acc_series, d->show_acc, G_N_ELEMENTS (acc_series));
  else
    draw_panel_series (cr, style, f, d, loss_series, d->show, G_N_ELEMENTS (loss_series));
}

void
rs_plot_loss_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                   const RsSnapshot *baseline, double width, double height)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  RsPlotLossLayout L;
  rs_plot_loss_layout (cr, style, snap, baseline, width, height, &L);
  LossData d;
  loss_data_init (&d, snap, baseline);
  RsPlotRect c = rs_plot_content_rect (style, width, height);

  const RsColor *accent_color;
  g_autofree char *accent = title_accent (style, snap, &accent_color);
  rs_plot_title (cr, style, &c, _("Loss"), accent, accent_color, TRUE);

  RsLegendEntry entries[G_N_ELEMENTS (loss_series) + 1];
  int n_entries = loss_legend (style, &d, entries);
  if (L.legend.h > 0)
    rs_plot_legend (cr, style, entries, n_entries, L.legend.x, L.legend.y, L.legend.w, TRUE);

  const RsHistory *h = snap->history;

  draw_panels (cr, style, &L, h, snap, draw_single_series, &d);
  if (L.has_acc)
    {
      /* a small legend in the panel's title row: train / validation */
      RsLegendEntry acc_entries[2];
      int n_acc = 0;
      for (gsize k = 0; k < G_N_ELEMENTS (acc_series); k++)
        if (d.show_acc[k])
          acc_entries[n_acc++] = (RsLegendEntry) {
            k == 0 ? _("train") : _("validation"), style->series[acc_series[k].series],
            RS_LEGEND_LINE, 1.0, style->series_dash[acc_series[k].series] };
      if (n_acc > 0)
        {
          cairo_save (cr);
          rs_plot_set_font (cr, style, RS_PLOT_SMALL_SCALE + 0.1, FALSE);
          double lh = rs_plot_line_height (cr);
          double w = 0;
          for (int i = 0; i < n_acc; i++)
            w += style->font_size * 3.2 + rs_plot_text_width (cr, acc_entries[i].label);
          cairo_restore (cr);
          /* right-aligned on one row; in a narrow panel from its left edge;
           * left out when even that would need a second row, which would
           * lie over the curves (the loss legend names the same dashes) */
          double right = L.acc.area.x + L.acc.area.w;
          double lx = MAX (right - w, L.acc.area.x + L.acc.area.w * 0.3);
          double y = L.acc.area.y - lh * 1.35;
          if (rs_plot_legend (cr, style, acc_entries, n_acc, lx, y, right - lx, FALSE) > lh * 1.3)
            lx = L.acc.area.x;
          if (rs_plot_legend (cr, style, acc_entries, n_acc, lx, y, right - lx, FALSE) <= lh * 1.3)
            rs_plot_legend (cr, style, acc_entries, n_acc, lx, y, right - lx, TRUE);
        }
    }

  loss_data_clear (&d);
  cairo_restore (cr);
}

/* ---- twin runs ---------------------------------------------------------- */

typedef struct {
  RsMetrics *pts[2];
  int        n[2];
  gboolean   has_val;       /* a run has validation: its loss and accuracy are drawn */
  char      *val_label[2];  /* "A: validation" */
} TwinData;

static void
twin_data_init (TwinData *d, const RsSnapshot *const runs[2])
{
  memset (d, 0, sizeof *d);
  static const LossSeries val = { RS_SERIES_VAL_LOSS, offsetof (RsMetrics, val_loss), NULL,
                                  FALSE, FALSE };
  for (int r = 0; r < 2; r++)
    {
      d->pts[r] = collect_points (runs[r], &d->n[r]);
      d->has_val |= series_present (d->pts[r], d->n[r], &val);
    }
  d->val_label[0] = g_strdup (_("A: validation"));
  d->val_label[1] = g_strdup (_("B: validation"));
}

static void
twin_data_clear (TwinData *d)
{
  for (int r = 0; r < 2; r++)
    {
      g_clear_pointer (&d->pts[r], g_free);
      g_clear_pointer (&d->val_label[r], g_free);
    }
}

/* A's and B's lines, and their validation lines when there are some. */
static int
twin_legend (const RsPlotStyle *style, const TwinData *d, const char *const labels[2],
             RsLegendEntry *entries)
{
  int n = 0;
  for (int r = 0; r < 2; r++)
    {
      entries[n++] = (RsLegendEntry) { labels[r], style->twin[r], RS_LEGEND_THICK_LINE, 1.0,
                                       style->twin_dash[r][0] };
      if (d->has_val)
        entries[n++] = (RsLegendEntry) { d->val_label[r], style->twin[r], RS_LEGEND_LINE, 1.0,
                                         style->twin_dash[r][1] };
    }
  return n;
}

static char *
twin_accent (const RsSnapshot *const runs[2])
{
  if (runs[0]->latest.step < 0)
    return NULL;
  gboolean val = isfinite (runs[0]->latest.val_loss) && isfinite (runs[1]->latest.val_loss);
  double a = val ? runs[0]->latest.val_loss : runs[0]->latest.loss;
  double b = val ? runs[1]->latest.val_loss : runs[1]->latest.loss;
  return val ? g_strdup_printf (_("val A %.3g · B %.3g"), a, b)
             : g_strdup_printf (_("A %.3g · B %.3g"), a, b);
}

void
rs_plot_loss_twin_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *a,
                          const RsSnapshot *b, const char *label_a, const char *label_b,
                          double width, double height, RsPlotLossLayout *out)
{
  const RsSnapshot *runs[2] = { a, b };
  const char *labels[2] = { label_a, label_b };
  TwinData d;
  twin_data_init (&d, runs);
  memset (out, 0, sizeof *out);
  out->empty = d.n[0] == 0 && d.n[1] == 0;

  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *accent = twin_accent (runs);
  out->title_h = rs_plot_title (cr, style, &c, _("Loss: A and B"), accent, &style->muted, FALSE);
  RsLegendEntry entries[4];
  int n_entries = twin_legend (style, &d, labels, entries);
  place_legend (cr, style, &c, entries, n_entries, out);

  gboolean log = style->log_y;
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE, ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;
  for (int r = 0; r < 2; r++)
    for (int i = 0; i < d.n[r]; i++)
      {
        widen ((double) d.pts[r][i].step, FALSE, &xlo, &xhi);
        widen (d.pts[r][i].loss, log, &ylo, &yhi);
        widen (d.pts[r][i].val_loss, log, &ylo, &yhi);
      }
  place_panels (cr, style, &c, out, xlo, xhi, ylo, yhi);
  twin_data_clear (&d);
}

/* Each run's training and validation line of one panel. */
static void
draw_twin_series (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f, gboolean acc,
                  gconstpointer data)
{
  const TwinData *d = data;
  gsize train = acc ? offsetof (RsMetrics, train_acc) : offsetof (RsMetrics, loss);
  gsize val = acc ? offsetof (RsMetrics, val_acc) : offsetof (RsMetrics, val_loss);
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  /* B under A: where they agree (the start) A's solid line shows */
  for (int r = 1; r >= 0; r--)
    for (int v = d->has_val ? 1 : 0; v >= 0; v--)
      {
        cairo_set_line_width (cr, v ? style->line_width : style->line_width * 1.5);
        rs_plot_set_color (cr, &style->twin[r]);
        rs_plot_set_dash (cr, style->twin_dash[r][v], style->line_width);
        stroke_series (cr, f, d->pts[r], d->n[r], v ? val : train, 1.0);
      }
  cairo_restore (cr);
}

void
rs_plot_loss_twin_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *a,
                        const RsSnapshot *b, const char *label_a, const char *label_b,
                        double width, double height)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  RsPlotLossLayout L;
  rs_plot_loss_twin_layout (cr, style, a, b, label_a, label_b, width, height, &L);
  const RsSnapshot *runs[2] = { a, b };
  const char *labels[2] = { label_a, label_b };
  TwinData d;
  twin_data_init (&d, runs);
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *accent = twin_accent (runs);
  rs_plot_title (cr, style, &c, _("Loss: A and B"), accent, &style->muted, TRUE);
  RsLegendEntry entries[4];
  int n_entries = twin_legend (style, &d, labels, entries);
  if (L.legend.h > 0)
    rs_plot_legend (cr, style, entries, n_entries, L.legend.x, L.legend.y, L.legend.w, TRUE);

  /* the changes made while training: A's, which B follows but for its own terms */
  const RsHistory *h = a->history;
  /* (two runs, two best steps: no marker) */
  draw_panels (cr, style, &L, h, NULL, draw_twin_series, &d);
  twin_data_clear (&d);
  cairo_restore (cr);
}
