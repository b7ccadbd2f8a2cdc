/* rs-plot-legend.c — legends as rows of "mark label" entries that wrap,
 * laid out above the data so they never cover a curve. */
#include "rs-plot-legend.h"

static void
draw_mark (cairo_t *cr, const RsPlotStyle *style, const RsLegendEntry *e,
           double x, double cy, double mw)
{
  cairo_save (cr);
  rs_plot_set_color_alpha (cr, &e->color, e->alpha);
  double lw = style->line_width;
  switch (e->mark)
    {
    case RS_LEGEND_LINE:
    case RS_LEGEND_THICK_LINE:
    case RS_LEGEND_DASH:
      cairo_set_line_width (cr, e->mark == RS_LEGEND_THICK_LINE ? lw * 1.5 : lw);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      if (e->mark != RS_LEGEND_DASH && e->dash != RS_DASH_SOLID)
        rs_plot_set_dash (cr, e->dash, lw * 0.75);   /* a few periods in the mark */
      if (e->mark == RS_LEGEND_DASH)
        {
          double d[2] = { lw * 2.0, lw * 1.6 };
          cairo_set_dash (cr, d, 2, 0);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
        }
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + mw, cy);
      cairo_stroke (cr);
      break;
    case RS_LEGEND_BOX:
      cairo_rectangle (cr, x + mw * 0.2, cy - mw * 0.3, mw * 0.6, mw * 0.6);
      cairo_fill (cr);
      break;
    case RS_LEGEND_DOT:
      cairo_arc (cr, x + mw / 2, cy, mw * 0.22, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case RS_LEGEND_RING:
      cairo_set_line_width (cr, MAX (1.5, lw * 0.8));
      cairo_arc (cr, x + mw / 2, cy, mw * 0.2, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;
    }
  cairo_restore (cr);
}

double
rs_plot_legend (cairo_t *cr, const RsPlotStyle *style, const RsLegendEntry *entries,
                int n, double x, double y, double w, gboolean draw)
{
  if (n <= 0)
    return 0.0;
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_SMALL_SCALE + 0.1, FALSE);
  double lh = rs_plot_line_height (cr);
  double mw = style->font_size * 1.6;       /* the mark */
  double inner = style->font_size * 0.4;    /* mark to label */
  double sep = style->font_size * 1.2;      /* between entries */
  double row_h = lh * 1.25;

  double cx = x, cy = y;
  for (int i = 0; i < n; i++)
    {
      const RsLegendEntry *e = &entries[i];
      double tw = rs_plot_text_width (cr, e->label);
      double ew = mw + inner + tw;
      if (cx > x && cx + ew > x + w)
        {
          cx = x;
          cy += row_h;
        }
      if (draw)
        {
          draw_mark (cr, style, e, cx, cy + row_h / 2, mw);
          rs_plot_set_color (cr, &style->foreground);
          g_autofree char *fit = rs_plot_text_fit (cr, e->label, MAX (x + w - cx - mw - inner, 0));
          rs_plot_text (cr, fit, cx + mw + inner, cy + row_h / 2, RS_ALIGN_START, RS_ALIGN_CENTER);
        }
      cx += ew + sep;
    }
  cairo_restore (cr);
  return cy + row_h - y;
}
