/* rs-plot-twin.c — twin runs in one picture (see rs-plot-twin.h). */
#include "rs-plot-twin.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-plot-boundary.h"
#include "rs-plot-heatmap.h"
#include "rs-plot-histogram.h"
#include "rs-plot-loss.h"
#include "rs-plot-toolkit.h"

/* The type shrinks a little on small pages, as on the dashboard. */
static void
twin_style (RsPlotStyle *out, const RsPlotStyle *in, double width, double height)
{
  *out = *in;
  out->font_size *= CLAMP (MIN (width / 1500.0, height / 1000.0), 0.7, 1.0);
}

/* The header's height: a title and one line. */
static double
header_height (cairo_t *cr, const RsPlotStyle *style)
{
  cairo_save (cr);
  rs_plot_set_font (cr, style, 1.5, TRUE);
  double h = rs_plot_line_height (cr) + style->font_size * 0.2;
  rs_plot_set_font (cr, style, 1.0, FALSE);
  h += rs_plot_line_height (cr) * 1.15 + style->font_size * 0.5;
  cairo_restore (cr);
  return style->font_size * RS_PLOT_MARGIN + h;
}

/* Each side's caption above its cells: "A: fc1 L1 0". */
static double
caption_height (cairo_t *cr, const RsPlotStyle *style)
{
  cairo_save (cr);
  rs_plot_set_font (cr, style, 1.1, TRUE);
  double h = rs_plot_line_height (cr) * 1.3;
  cairo_restore (cr);
  return h;
}

static void
layout (cairo_t *cr, const RsPlotStyle *style, double width, double height,
        RsPlotTwinLayout *out, double *header_h, double *cap_h)
{
  *header_h = header_height (cr, style);
  *cap_h = caption_height (cr, style);
  double body = height - *header_h;
  double h1 = body * 0.42;
  out->loss = (RsPlotRect) { 0, *header_h, width, h1 };
  double half = width / 2;
  for (int r = 0; r < 2; r++)
    {
      double top = *header_h + h1 + *cap_h;
      double rest = height - top;
      out->histograms[r] = (RsPlotRect) { r * half, top, half, rest / 2 };
      out->lower[r] = (RsPlotRect) { r * half, top + rest / 2, half, rest - rest / 2 };
    }
}

void
rs_plot_twin_dashboard_layout (cairo_t *cr, const RsPlotTwinData *data, double width,
                               double height, RsPlotTwinLayout *out)
{
  RsPlotStyle style;
  twin_style (&style, data->style, width, height);
  double header_h, cap_h;
  layout (cr, &style, width, height, out, &header_h, &cap_h);
}

static void
cell (cairo_t *cr, const RsPlotRect *r)
{
  cairo_save (cr);
  cairo_translate (cr, r->x, r->y);
  cairo_rectangle (cr, 0, 0, r->w, r->h);
  cairo_clip (cr);
}

void
rs_plot_twin_dashboard_draw (cairo_t *cr, gconstpointer p, double width, double height)
{
  const RsPlotTwinData *data = p;
  RsPlotStyle style_s;
  twin_style (&style_s, data->style, width, height);
  const RsPlotStyle *style = &style_s;
  const RsSnapshot *a = data->run[0];

  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  RsPlotTwinLayout L;
  double header_h, cap_h;
  layout (cr, style, width, height, &L, &header_h, &cap_h);

  /* header: the lesson, then the step and what tells the runs apart */
  double m = style->font_size * RS_PLOT_MARGIN;
  double y = m;
  rs_plot_set_font (cr, style, 1.5, TRUE);
  rs_plot_set_color (cr, &style->foreground);
  g_autofree char *title = g_strdup_printf (_("%s — A and B"),
                                            a->title != NULL && *a->title ? a->title
                                                                          : "regscope");
  g_autofree char *tfit = rs_plot_text_fit (cr, title, width - 2 * m);
  rs_plot_text (cr, tfit, m, y, RS_ALIGN_START, RS_ALIGN_START);
  y += rs_plot_line_height (cr) + style->font_size * 0.2;
  rs_plot_set_font (cr, style, 1.0, FALSE);
  rs_plot_set_color (cr, &style->muted);
  char steps[32];
  rs_plot_format_count (a->steps_done > 0 ? a->steps_done : a->latest.step + 1, steps,
                        sizeof steps);
  g_autofree char *status = a->latest.step >= 0
                            ? g_strdup_printf (_("step %s · same seed, same batches"), steps)
                            : g_strdup (_("not started · same seed, same batches"));
  g_autofree char *sfit = rs_plot_text_fit (cr, status, width - 2 * m);
  rs_plot_text (cr, sfit, m, y, RS_ALIGN_START, RS_ALIGN_START);

  cell (cr, &L.loss);
  rs_plot_loss_twin_draw (cr, style, data->run[0], data->run[1], data->label[0],
                          data->label[1], L.loss.w, L.loss.h);
  cairo_restore (cr);

  for (int r = 0; r < 2; r++)
    {
      const RsSnapshot *s = data->run[r];
      /* the side's caption, in its run's colour */
      rs_plot_set_font (cr, style, 1.1, TRUE);
      rs_plot_set_color (cr, &style->twin[r]);
      g_autofree char *cap = rs_plot_text_fit (cr, data->label[r], L.histograms[r].w - 2 * m);
      rs_plot_text (cr, cap, L.histograms[r].x + m, L.histograms[r].y - cap_h * 0.9,
                    RS_ALIGN_START, RS_ALIGN_START);

      cell (cr, &L.histograms[r]);
      rs_plot_histograms_draw (cr, style, s, NULL, L.histograms[r].w, L.histograms[r].h);
      cairo_restore (cr);
      cell (cr, &L.lower[r]);
      if (s->grid_w > 0 && s->grid_h > 0)
        rs_plot_boundary_draw (cr, style, s, NULL, L.lower[r].w, L.lower[r].h);
      else if (s->image_w > 0 && s->image_h > 0)
        rs_plot_digit_tiles_draw (cr, style, s, L.lower[r].w, L.lower[r].h);
      else
        rs_plot_weight_heatmaps_draw (cr, style, s, L.lower[r].w, L.lower[r].h);
      cairo_restore (cr);
    }
  /* a rule between the sides */
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->grid);
  cairo_move_to (cr, floor (width / 2) + 0.5, L.histograms[0].y - cap_h);
  cairo_line_to (cr, floor (width / 2) + 0.5, height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
rs_plot_twin_loss_draw_data (cairo_t *cr, gconstpointer p, double width, double height)
{
  const RsPlotTwinData *data = p;
  rs_plot_loss_twin_draw (cr, data->style, data->run[0], data->run[1], data->label[0],
                          data->label[1], width, height);
}

gboolean
rs_plot_twin_export_all (const char *dir, RsExportFormat format, const RsPlotTwinData *data,
                         int width, int height, double scale, GError **error)
{
  if (!rs_plot_export_make_dir (dir, error))
    return FALSE;
  static const char *const sub[2] = { "a", "b" };
  for (int r = 0; r < 2; r++)
    {
      g_autofree char *side = g_build_filename (dir, sub[r], NULL);
      if (!rs_plot_export_all (side, format, data->style, data->run[r], NULL, width, height,
                               scale, error))
        return FALSE;
    }
  g_autofree char *name = g_strdup_printf ("twin.%s", rs_export_format_extension (format));
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return rs_plot_export_with (path, format, rs_plot_twin_dashboard_draw, data, width, height,
                              scale, error);
}
