/* rs-plot-dashboard.c — everything in one picture: a header with the
 * lesson, the step and the lambdas in force, then every plot of the run. */
#include "rs-plot-dashboard.h"

#include <glib/gi18n.h>
#include "rs-plot-boundary.h"
#include "rs-plot-heatmap.h"
#include "rs-plot-histogram.h"
#include "rs-plot-loss.h"
#include "rs-plot-toolkit.h"

#include <math.h>

/* The per-layer lambdas line: "fc1: L1 0.005 · weight decay 0.01   fc2: —". */
static char *
lambdas_text (const RsSnapshot *snap)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < snap->n_layers; i++)
    {
      g_autofree char *terms = rs_plot_terms_text (&snap->layers[i].reg);
      g_string_append_printf (s, "%s%s: %s", i > 0 ? "    " : "", snap->layers[i].name,
                              terms != NULL ? terms : "—");
    }
  return g_string_free (s, FALSE);
}

static void
draw_cell (cairo_t *cr, double x, double y, double w, double h)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);
}

void
rs_plot_dashboard_draw (cairo_t *cr, const RsPlotStyle *style_in, const RsSnapshot *snap,
                        const RsSnapshot *baseline, double width, double height)
{
  /* Six plots share the page: type shrinks a little on small pages so
   * each keeps room for its data (never below 70%). */
  RsPlotStyle style_s = *style_in;
  double shrink = CLAMP (MIN (width / 1500.0, height / 1000.0), 0.7, 1.0);
  style_s.font_size *= shrink;
  const RsPlotStyle *style = &style_s;

  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  /* header: the lesson, where the run is, the lambdas in force */
  double m = style->font_size * RS_PLOT_MARGIN;
  double y = m;
  rs_plot_set_font (cr, style, 1.5, TRUE);
  rs_plot_set_color (cr, &style->foreground);
  const char *title = snap->title != NULL && *snap->title ? snap->title : "regscope";
  g_autofree char *tfit = rs_plot_text_fit (cr, title, width - 2 * m);
  rs_plot_text (cr, tfit, m, y, RS_ALIGN_START, RS_ALIGN_START);
  y += rs_plot_line_height (cr) + style->font_size * 0.2;

  GString *status = g_string_new (NULL);
  if (snap->latest.step >= 0)
    {
      char steps[32];
      rs_plot_format_count (snap->steps_done > 0 ? snap->steps_done : snap->latest.step + 1,
                            steps, sizeof steps);
      g_string_append_printf (status, _("step %s · epoch %d · loss %.3g"), steps,
                              snap->latest.epoch + 1, snap->latest.loss);
      if (isfinite (snap->latest.val_acc))
        g_string_append_printf (status, _(" · val accuracy %.0f%%"), snap->latest.val_acc * 100);
      else
        g_string_append_printf (status, _(" · accuracy %.0f%%"), snap->latest.train_acc * 100);
    }
  else
    g_string_append (status, _("not started"));
  rs_plot_set_font (cr, style, 1.0, FALSE);
  double lh = rs_plot_line_height (cr);
  rs_plot_set_color (cr, &style->muted);
  g_autofree char *sfit = rs_plot_text_fit (cr, status->str, width - 2 * m);
  rs_plot_text (cr, sfit, m, y, RS_ALIGN_START, RS_ALIGN_START);
  double sw = rs_plot_text_width (cr, sfit);
  if (snap->pause_reason != NULL)
    {
      g_autofree char *p = g_strdup_printf (_("paused: %s"), snap->pause_reason);
      rs_plot_set_font (cr, style, 1.0, TRUE);
      rs_plot_set_color (cr, &style->series[RS_SERIES_VAL_LOSS]);
      double px = m + sw + style->font_size * 1.5;
      g_autofree char *pfit = rs_plot_text_fit (cr, p, MAX (width - m - px, 0));
      rs_plot_text (cr, pfit, px, y, RS_ALIGN_START, RS_ALIGN_START);
      rs_plot_set_font (cr, style, 1.0, FALSE);
    }
  g_string_free (status, TRUE);
  y += lh * 1.15;

  g_autofree char *lambdas = lambdas_text (snap);
  g_autofree char *lfit = rs_plot_text_fit (cr, lambdas, width - 2 * m);
  rs_plot_set_color (cr, &style->foreground);
  rs_plot_text (cr, lfit, m, y, RS_ALIGN_START, RS_ALIGN_START);
  y += lh + style->font_size * 0.5;

  /* a hairline under the header */
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->grid);
  cairo_move_to (cr, m, floor (y) + 0.5);
  cairo_line_to (cr, width - m, floor (y) + 0.5);
  cairo_stroke (cr);
  y += 1;

  /* body: [loss | boundary or digits], [histograms | |w| over time],
   * [weights | activations] */
  double bh = height - y;
  double h1 = bh * 0.42, h2 = bh * 0.29, h3 = bh - h1 - h2;
  gboolean boundary = snap->grid_w > 0 && snap->grid_h > 0;
  gboolean tiles = !boundary && snap->image_w > 0 && snap->image_h > 0;
  double split = width * 0.6;

  draw_cell (cr, 0, y, boundary || tiles ? split : width, h1);
  rs_plot_loss_draw (cr, style, snap, baseline, boundary || tiles ? split : width, h1);
  cairo_restore (cr);
  if (boundary || tiles)
    {
      draw_cell (cr, split, y, width - split, h1);
      if (boundary)
        rs_plot_boundary_draw (cr, style, snap, baseline, width - split, h1);
      else
        rs_plot_digit_tiles_draw (cr, style, snap, width - split, h1);
      cairo_restore (cr);
    }
  y += h1;

  draw_cell (cr, 0, y, split, h2);
  rs_plot_histograms_draw (cr, style, snap, baseline, split, h2);
  cairo_restore (cr);
  draw_cell (cr, split, y, width - split, h2);
  rs_plot_histogram_time_draw (cr, style, snap, 0, width - split, h2);
  cairo_restore (cr);
  y += h2;

  draw_cell (cr, 0, y, split, h3);
  rs_plot_weight_heatmaps_draw (cr, style, snap, split, h3);
  cairo_restore (cr);
  draw_cell (cr, split, y, width - split, h3);
  rs_plot_draw_layers (cr, style, snap, rs_plot_activation_heatmap_draw, FALSE, TRUE,
                       width - split, h3);
  cairo_restore (cr);

  cairo_restore (cr);
}
