/* rs-plot-sweep.c — the validation curve and the regularization path (see
 * rs-plot-sweep.h): panels stacked over one value axis, log when the sweep
 * is log-spaced, drawn with the toolkit's frames, legend and title. */
#include "rs-plot-sweep.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rs-plot-legend.h"
#include "rs-plot-toolkit.h"

#define MAX_PANELS 3

/* What a line shows of a point. */
typedef enum {
  SHOW_TRAIN_LOSS, SHOW_VAL_LOSS, SHOW_TRAIN_ACC, SHOW_VAL_ACC,
  SHOW_NORM, SHOW_NEAR_ZERO, SHOW_UNIT,
} Show;

/* The layers' colours, from the style's series in this order. */
static const int layer_series[] = {
  RS_SERIES_LOSS, RS_SERIES_VAL_LOSS, RS_SERIES_TRAIN_ACC, RS_SERIES_L1,
  RS_SERIES_L2, RS_SERIES_ACTIVITY, RS_SERIES_TASK, RS_SERIES_VAL_ACC,
};

static double
value_of (const RsSweepPoint *p, Show show, int arg)
{
  switch (show)
    {
    case SHOW_TRAIN_LOSS: return p->train_loss;
    case SHOW_VAL_LOSS:   return p->val_loss;
    case SHOW_TRAIN_ACC:  return p->train_acc;
    case SHOW_VAL_ACC:    return p->val_acc;
    case SHOW_NORM:       return arg < p->n_layers ? p->weight_norm[arg] : NAN;
    case SHOW_NEAR_ZERO:  return arg < p->n_layers ? p->near_zero[arg] : NAN;
    case SHOW_UNIT:       return arg < p->n_units ? p->unit_norm[arg] : NAN;
    }
  return NAN;
}

typedef struct {
  Show show;
  int  first, last;       /* args first..last (units, layers) drawn alike */
  const char *label;      /* legend; NULL: a label per layer */
  int  series;            /* style->series index, or -1: the layer's */
  double alpha, width;    /* times style->line_width */
  gboolean dots;
} Line;

typedef struct {
  const char  *y_title;
  gboolean     log;
  RsTickFormat format;
  int          n_lines;
  Line         lines[2];
} Panel;

typedef struct {
  int         n_panels;
  Panel       panels[MAX_PANELS];
  RsPlotFrame frame[MAX_PANELS];
  double      title_h;
  RsPlotRect  legend;
  int         n_entries;
  RsLegendEntry entries[RS_MAX_LAYERS + 4];
  char        unit_title[64];
  char        zero_title[64];
  char        term[64];         /* the x axis title */
  double      floor[MAX_PANELS]; /* log panels: values below sit on this floor */
  char        layer_names[RS_MAX_LAYERS][8];
  int        *order;        /* points by value (owned) */
  int         best;         /* index into points, or -1 */
} Layout;

const char *
rs_plot_sweep_kind_to_string (RsPlotSweepKind kind)
{
  return kind == RS_PLOT_SWEEP_PATH ? "regularization-path" : "validation-curve";
}

static int
compare_value (gconstpointer a, gconstpointer b, gpointer data)
{
  const RsSweepPoint *points = data;
  double va = points[*(const int *) a].value, vb = points[*(const int *) b].value;
  return (va > vb) - (va < vb);
}

static const RsColor *
layer_color (const RsPlotStyle *style, int layer)
{
  return &style->series[layer_series[layer % G_N_ELEMENTS (layer_series)]];
}

static const char *
title_of (RsPlotSweepKind kind)
{
  return kind == RS_PLOT_SWEEP_PATH ? _("Regularization path") : _("Validation curve");
}

/* "best fc1.l1 = 0.001": the value with the least validation loss. */
static char *
best_text (const RsPlotSweepData *d, int best)
{
  if (best < 0)
    return NULL;
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (v, sizeof v, "%.3g", d->points[best].value);
  g_autofree char *term = rs_sweep_spec_term (d->spec);
  return g_strdup_printf (_("best %s = %s"), term, v);
}

static void
layout_free (Layout *L)
{
  g_free (L->order);
}

static void
layout_compute (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *d, double width,
                double height, Layout *L)
{
  const RsPlotStyle *style = d->style;
  memset (L, 0, sizeof *L);
  L->order = g_new (int, MAX (d->n, 1));
  for (int i = 0; i < d->n; i++)
    L->order[i] = i;
  g_qsort_with_data (L->order, d->n, sizeof (int), compare_value, (gpointer) d->points);
  L->best = rs_sweep_best_point (d->points, d->n);

  int n_layers = 0, n_units = 0, unit_layer = 0;
  for (int i = 0; i < d->n; i++)
    {
      n_layers = MAX (n_layers, d->points[i].n_layers);
      n_units = MAX (n_units, d->points[i].n_units);
      unit_layer = d->points[i].unit_layer;
    }

  if (kind == RS_PLOT_SWEEP_CURVE)
    {
      L->n_panels = 2;
      L->panels[0] = (Panel) { _("loss (task, final)"), style->log_y, RS_TICK_NUMBER, 2, {
        { SHOW_TRAIN_LOSS, 0, 0, _("train"), RS_SERIES_TASK, 1, 1, TRUE },
        { SHOW_VAL_LOSS, 0, 0, _("validation"), RS_SERIES_VAL_LOSS, 1, 1.5, TRUE } } };
      L->panels[1] = (Panel) { _("accuracy (final)"), FALSE, RS_TICK_PERCENT, 2, {
        { SHOW_TRAIN_ACC, 0, 0, _("train accuracy"), RS_SERIES_TRAIN_ACC, 1, 1, TRUE },
        { SHOW_VAL_ACC, 0, 0, _("validation accuracy"), RS_SERIES_VAL_ACC, 1, 1.5, TRUE } } };
      for (int p = 0; p < 2; p++)
        for (int k = 0; k < 2; k++)
          L->entries[L->n_entries++] = (RsLegendEntry) {
            L->panels[p].lines[k].label, style->series[L->panels[p].lines[k].series],
            RS_LEGEND_LINE, 1.0 };
    }
  else
    {
      g_snprintf (L->unit_title, sizeof L->unit_title, _("‖W[u,:]‖ of each unit of fc%d"),
                  unit_layer + 1);
      L->n_panels = 3;
      L->panels[0] = (Panel) { _("‖W‖ of each layer"), TRUE, RS_TICK_NUMBER, 1, {
        { SHOW_NORM, 0, n_layers - 1, NULL, -1, 1, 1.3, TRUE } } };
      char t[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (t, sizeof t, "%g", d->threshold);
      g_snprintf (L->zero_title, sizeof L->zero_title, _("share near zero (|w| < %s)"), t);
      L->panels[1] = (Panel) { L->zero_title, FALSE, RS_TICK_PERCENT, 1, {
        { SHOW_NEAR_ZERO, 0, n_layers - 1, NULL, -1, 1, 1.3, TRUE } } };
      L->panels[2] = (Panel) { L->unit_title, TRUE, RS_TICK_NUMBER, 1, {
        { SHOW_UNIT, 0, n_units - 1, NULL, -1, 0.45, 0.8, FALSE } } };
      for (int l = 0; l < n_layers; l++)
        {
          g_snprintf (L->layer_names[l], sizeof L->layer_names[l], "fc%d", l + 1);
          L->entries[L->n_entries++] = (RsLegendEntry) {
            L->layer_names[l], *layer_color (style, l), RS_LEGEND_LINE, 1.0 };
        }
    }

  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *accent = best_text (d, L->best);
  L->title_h = rs_plot_title (cr, style, &c, title_of (kind), accent, &style->event, FALSE);
  double legend_h = rs_plot_legend (cr, style, L->entries, L->n_entries, c.x, c.y + L->title_h,
                                    c.w, FALSE);
  if (legend_h > 0.3 * (c.h - L->title_h))
    legend_h = 0.0;
  L->legend = (RsPlotRect) { c.x, c.y + L->title_h, c.w, legend_h };

  double top = c.y + L->title_h + legend_h + style->font_size * 0.2;
  double gap = style->font_size * 0.8;
  double panel_h = (c.y + c.h - top - gap * (L->n_panels - 1)) / L->n_panels;

  /* a little room either side, so the end points' dots are whole */
  double xlo = MIN (d->spec->from, d->spec->to), xhi = MAX (d->spec->from, d->spec->to);
  double pad = 0.03;
  double span = xhi - xlo;
  if (d->spec->linear)
    xlo -= span * pad, xhi += span * pad;
  else
    {
      double ratio = pow (xhi / xlo, pad);
      xlo /= ratio, xhi *= ratio;
    }
  g_autofree char *term = rs_sweep_spec_term (d->spec);
  g_strlcpy (L->term, term, sizeof L->term);
  double gutter = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int p = 0; p < L->n_panels; p++)
      {
        const Panel *P = &L->panels[p];
        double ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;
        for (int k = 0; k < P->n_lines; k++)
          for (int a = P->lines[k].first; a <= P->lines[k].last; a++)
            for (int i = 0; i < d->n; i++)
              {
                double v = value_of (&d->points[i], P->lines[k].show, a);
                if (isfinite (v) && (!P->log || v > 0))
                  ylo = MIN (ylo, v), yhi = MAX (yhi, v);
              }
        if (P->format == RS_TICK_PERCENT)
          ylo = 0, yhi = 1;
        else if (ylo > yhi)
          ylo = P->log ? 0.1 : 0, yhi = 1;
        else if (!P->log)
          ylo = 0, yhi *= 1.05;  /* >= 0: a zero floor shows proportions; room for the dots */
        else
          yhi *= 1.3;
        gboolean last = p == L->n_panels - 1;
        /* weights far below the zero threshold are all "zero": the floor
         * keeps a log axis from spending its decades on them */
        if (P->log && d->threshold > 0)
          ylo = MAX (ylo, d->threshold * 0.1), yhi = MAX (yhi, ylo * 10);
        L->floor[p] = P->log ? ylo : -G_MAXDOUBLE;
        RsPlotAxisSpec xs = { xlo, xhi, !d->spec->linear, FALSE, RS_TICK_NUMBER, L->term, last,
                              0 };
        RsPlotAxisSpec ys = { ylo, yhi, P->log, P->format != RS_TICK_PERCENT, P->format,
                              P->y_title, TRUE, gutter };
        RsPlotRect outer = { c.x, top + p * (panel_h + gap), c.w, panel_h };
        rs_plot_frame_layout (cr, style, &outer, &xs, &ys, 0, &L->frame[p]);
        if (pass == 0)
          gutter = MAX (gutter, L->frame[p].area.x - c.x);
      }
}

/* Where a point's value goes in a panel; FALSE for a gap (no value, a
 * diverged run). */
static gboolean
point_xy (const RsPlotFrame *f, const RsSweepPoint *p, Show show, int arg, double floor_value,
          double *x, double *y)
{
  double v = value_of (p, show, arg);
  *x = rs_plot_scale_map (&f->x, p->value);
  *y = rs_plot_scale_map (&f->y, isfinite (v) ? MAX (v, floor_value) : v);
  return isfinite (*x) && isfinite (*y) && p->error == NULL;
}

static void
draw_lines (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f, const Panel *P,
            double floor_value, const RsPlotSweepData *d, const int *order)
{
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int k = 0; k < P->n_lines; k++)
    {
      const Line *line = &P->lines[k];
      for (int a = line->first; a <= line->last; a++)
        {
          const RsColor *color = line->series >= 0 ? &style->series[line->series]
                                 : line->show == SHOW_UNIT
                                   ? layer_color (style, d->n > 0 ? d->points[0].unit_layer : 0)
                                   : layer_color (style, a);
          rs_plot_set_color_alpha (cr, color, line->alpha);
          cairo_set_line_width (cr, style->line_width * line->width);
          gboolean pen = FALSE;
          for (int j = 0; j < d->n; j++)
            {
              double x, y;
              if (!point_xy (f, &d->points[order[j]], line->show, a, floor_value, &x, &y))
                {
                  pen = FALSE;
                  continue;
                }
              if (pen)
                cairo_line_to (cr, x, y);
              else
                cairo_move_to (cr, x, y);
              pen = TRUE;
            }
          cairo_stroke (cr);
          if (!line->dots)
            continue;
          for (int j = 0; j < d->n; j++)
            {
              double x, y;
              if (!point_xy (f, &d->points[order[j]], line->show, a, floor_value, &x, &y))
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, style->line_width * 2.2, 0, 2 * G_PI);
            }
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

/* A vertical rule at value v across the panel (dashed for the best). */
static void
draw_rule (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f, double v,
           const RsColor *color, gboolean dashed)
{
  double x = rs_plot_scale_map (&f->x, v);
  if (!isfinite (x))
    return;
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  /* whole pixels wide and on pixel edges: a crisp rule, not a blur */
  double lw = MAX (1.0, round (style->line_width * (dashed ? 0.9 : 2.0)));
  x = ((int) lw) % 2 == 1 ? floor (x) + 0.5 : round (x);
  if (dashed)
    {
      double dash[2] = { lw * 4.0, lw * 3.0 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_set_line_width (cr, lw);
  rs_plot_set_color_alpha (cr, color, dashed ? 1.0 : 0.35);
  cairo_move_to (cr, x, f->area.y);
  cairo_line_to (cr, x, f->area.y + f->area.h);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
sweep_draw (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *d, double width,
            double height)
{
  const RsPlotStyle *style = d->style;
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  Layout L;
  layout_compute (cr, kind, d, width, height, &L);
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *accent = best_text (d, L.best);
  rs_plot_title (cr, style, &c, title_of (kind), accent, &style->event, TRUE);
  if (L.legend.h > 0)
    rs_plot_legend (cr, style, L.entries, L.n_entries, L.legend.x, L.legend.y, L.legend.w, TRUE);

  for (int p = 0; p < L.n_panels; p++)
    {
      rs_plot_frame_grid (cr, style, &L.frame[p]);
      if (isfinite (d->selected))
        draw_rule (cr, style, &L.frame[p], d->selected, &style->foreground, FALSE);
      if (L.best >= 0)
        draw_rule (cr, style, &L.frame[p], d->points[L.best].value, &style->event, TRUE);
      draw_lines (cr, style, &L.frame[p], &L.panels[p], L.floor[p], d, L.order);
      rs_plot_frame_axes (cr, style, &L.frame[p]);
    }
  if (d->n == 0)
    rs_plot_note (cr, style, &L.frame[0].area, _("Waiting for the first point of the sweep"));
  layout_free (&L);
  cairo_restore (cr);
}

void
rs_plot_validation_curve_draw (cairo_t *cr, const RsPlotSweepData *data, double width,
                               double height)
{
  sweep_draw (cr, RS_PLOT_SWEEP_CURVE, data, width, height);
}

void
rs_plot_regularization_path_draw (cairo_t *cr, const RsPlotSweepData *data, double width,
                                  double height)
{
  sweep_draw (cr, RS_PLOT_SWEEP_PATH, data, width, height);
}

void
rs_plot_sweep_draw (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *data,
                    double width, double height)
{
  sweep_draw (cr, kind, data, width, height);
}

gboolean
rs_plot_sweep_panel (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *d,
                     double width, double height, int panel, RsPlotFrame *frame)
{
  Layout L;
  layout_compute (cr, kind, d, width, height, &L);
  gboolean ok = panel >= 0 && panel < L.n_panels;
  if (ok)
    *frame = L.frame[panel];
  frame->x_title = frame->y_title = NULL; /* they point into L */
  layout_free (&L);
  return ok;
}

int
rs_plot_sweep_hit (cairo_t *cr, RsPlotSweepKind kind, const RsPlotSweepData *d, double width,
                   double height, double x, double y)
{
  Layout L;
  layout_compute (cr, kind, d, width, height, &L);
  int hit = -1;
  double slack = d->style->font_size;
  for (int p = 0; p < L.n_panels && hit < 0; p++)
    {
      const RsPlotRect *a = &L.frame[p].area;
      if (y < a->y - slack || y > a->y + a->h + slack || x < a->x - slack
          || x > a->x + a->w + slack)
        continue;
      double best_dx = slack;
      for (int i = 0; i < d->n; i++)
        {
          double dx = fabs (rs_plot_scale_map (&L.frame[p].x, d->points[i].value) - x);
          if (dx <= best_dx)
            best_dx = dx, hit = i;
        }
    }
  layout_free (&L);
  return hit;
}

typedef struct {
  RsPlotSweepKind        kind;
  const RsPlotSweepData *data;
} SweepDraw;

static void
draw_for_export (cairo_t *cr, gconstpointer data, double width, double height)
{
  const SweepDraw *s = data;
  sweep_draw (cr, s->kind, s->data, width, height);
}

gboolean
rs_plot_sweep_export_all (const char *dir, RsExportFormat format, const RsPlotSweepData *data,
                          int width, int height, double scale, GError **error)
{
  if (!rs_plot_export_make_dir (dir, error))
    return FALSE;
  for (int k = RS_PLOT_SWEEP_CURVE; k <= RS_PLOT_SWEEP_PATH; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", rs_plot_sweep_kind_to_string (k),
                                               rs_export_format_extension (format));
      g_autofree char *path = g_build_filename (dir, name, NULL);
      SweepDraw s = { k, data };
      if (!rs_plot_export_with (path, format, draw_for_export, &s, width, height, scale, error))
        return FALSE;
    }
  return TRUE;
}
