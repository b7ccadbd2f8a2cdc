/* rs-plot-baseline.c — the pinned run on the plots: legend text, matched
 * layers, and the decision boundary as a contour (marching squares over
 * the grid's class labels). */
#include "rs-plot-baseline.h"

#include <glib/gi18n.h>
#include <math.h>

char *
rs_plot_baseline_label (const RsSnapshot *baseline)
{
  GString *terms = g_string_new (NULL);
  for (int i = 0; i < baseline->n_layers; i++)
    {
      g_autofree char *t = rs_plot_terms_text (&baseline->layers[i].reg);
      if (t == NULL)
        continue;
      /* every term names its layer: "fc2 L2 0.001 · fc2 activity 0.5" */
      g_auto (GStrv) parts = g_strsplit (t, " · ", -1);
      for (int k = 0; parts[k] != NULL; k++)
        g_string_append_printf (terms, "%s%s %s", terms->len > 0 ? " · " : "",
                                baseline->layers[i].name, parts[k]);
    }
  char steps[32];
  gint64 n = baseline->steps_done > 0 ? baseline->steps_done : baseline->latest.step + 1;
  rs_plot_format_count (MAX (n, 0), steps, sizeof steps);
  /* TRANSLATORS: the pinned run in a legend: "baseline: fc1 L1 0.01 · step 1,200" */
  char *label = g_strdup_printf (_("baseline: %s · step %s"),
                                 terms->len > 0 ? terms->str : _("no penalty"), steps);
  g_string_free (terms, TRUE);
  return label;
}

RsLegendEntry
rs_plot_baseline_entry (const RsPlotStyle *style, const char *label)
{
  return (RsLegendEntry) { label, style->foreground, RS_LEGEND_LINE, 1.0 };
}

const RsLayerSnapshot *
rs_plot_baseline_layer (const RsSnapshot *snap, const RsSnapshot *baseline, int layer)
{
  if (baseline == NULL || !rs_plot_layer_exists (snap, layer)
      || !rs_plot_layer_exists (baseline, layer))
    return NULL;
  const RsLayerSnapshot *a = &snap->layers[layer], *b = &baseline->layers[layer];
  if (strcmp (a->name, b->name) != 0 || a->in != b->in || a->out != b->out)
    return NULL;
  return b;
}

gboolean
rs_plot_baseline_has_boundary (const RsSnapshot *baseline)
{
  return baseline != NULL && baseline->grid_w > 1 && baseline->grid_h > 1
         && baseline->grid_class != NULL && baseline->x1 > baseline->x0
         && baseline->y1 > baseline->y0;
}

/* Marching squares on class labels: each square of four neighbouring cell
 * centres is crossed where two corners disagree, at the midpoint of their
 * edge. Two crossings are joined by a segment; three or four (three or
 * more classes meeting) each run to the square's centre. */
static void
contour_path (cairo_t *cr, const RsSnapshot *b, const RsPlotFrame *f)
{
  int gw = b->grid_w, gh = b->grid_h;
  double dx = (b->x1 - b->x0) / gw, dy = (b->y1 - b->y0) / gh;
  for (int j = 0; j + 1 < gh; j++)
    for (int i = 0; i + 1 < gw; i++)
      {
        /* corners counter-clockwise from (i, j); the edge k joins corner
         * k and corner k + 1 */
        static const int ci[4] = { 0, 1, 1, 0 }, cj[4] = { 0, 0, 1, 1 };
        guint8 cls[4];
        for (int k = 0; k < 4; k++)
          cls[k] = b->grid_class[(gsize) (j + cj[k]) * gw + i + ci[k]];
        double px[4], py[4];
        int n = 0;
        for (int k = 0; k < 4; k++)
          {
            int k2 = (k + 1) % 4;
            if (cls[k] == cls[k2])
              continue;
            double gx = i + 0.5 * (ci[k] + ci[k2]) + 0.5;
            double gy = j + 0.5 * (cj[k] + cj[k2]) + 0.5;
            px[n] = rs_plot_scale_map (&f->x, b->x0 + gx * dx);
            py[n] = rs_plot_scale_map (&f->y, b->y0 + gy * dy);
            n++;
          }
        if (n == 2)
          {
            cairo_move_to (cr, px[0], py[0]);
            cairo_line_to (cr, px[1], py[1]);
          }
        else if (n > 2)
          {
            double cx = rs_plot_scale_map (&f->x, b->x0 + (i + 1.0) * dx);
            double cy = rs_plot_scale_map (&f->y, b->y0 + (j + 1.0) * dy);
            for (int k = 0; k < n; k++)
              {
                cairo_move_to (cr, px[k], py[k]);
                cairo_line_to (cr, cx, cy);
              }
          }
      }
}

void
rs_plot_baseline_contour (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *baseline,
                          const RsPlotFrame *f)
{
  if (!rs_plot_baseline_has_boundary (baseline))
    return;
  cairo_save (cr);
  rs_plot_frame_clip (cr, f);
  cairo_new_path (cr);
  contour_path (cr, baseline, f);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* a halo of the page's colour keeps the line readable on any region */
  double lw = MAX (1.5, style->line_width * 0.75);
  cairo_set_line_width (cr, lw + 2.0);
  rs_plot_set_color_alpha (cr, &style->background, 0.7);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, lw);
  rs_plot_set_color (cr, &style->foreground);
  cairo_stroke (cr);
  cairo_restore (cr);
}
