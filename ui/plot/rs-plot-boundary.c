/* rs-plot-boundary.c — the decision boundary of a 2-D classifier: class
 * regions (stronger where the model is surer) with the training points
 * filled and the validation points hollow. */
#include "rs-plot-boundary.h"
#include "rs-plot-baseline.h"
#include "rs-plot-colormap.h"
#include "rs-plot-legend.h"

#include <glib/gi18n.h>
#include <math.h>

static gboolean
boundary_applies (const RsSnapshot *snap)
{
  return snap != NULL && snap->grid_w > 0 && snap->grid_h > 0 && snap->grid_class != NULL
         && snap->x1 > snap->x0 && snap->y1 > snap->y0;
}

/* Regions pre-blended over the background, so every output format shows
 * the same opaque colours. */
static cairo_surface_t *
region_surface (const RsPlotStyle *style, const RsSnapshot *snap)
{
  int w = snap->grid_w, h = snap->grid_h;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    return s;
  cairo_surface_flush (s);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  int classes = MAX (snap->classes, 2);
  double chance = 1.0 / classes;
  for (int j = 0; j < h; j++)
    {
      /* grid row 0 is at y0, the bottom of the plot */
      guint32 *row = (guint32 *) (data + (gsize) (h - 1 - j) * stride);
      for (int i = 0; i < w; i++)
        {
          gsize k = (gsize) j * w + i;
          double conf = snap->grid_confidence != NULL ? snap->grid_confidence[k] : 1.0;
          double t = CLAMP ((conf - chance) / (1.0 - chance), 0.0, 1.0);
          RsColor cls = rs_plot_palette (snap->grid_class[k]);
          RsColor c = rs_plot_color_mix (&style->background, &cls, 0.15 + 0.5 * t);
          row[i] = rs_plot_color_to_pixel (&c);
        }
    }
  cairo_surface_mark_dirty (s);
  return s;
}

/* "train 100% · val 80%", and the pinned run's accuracy after it. */
static char *
accent_text (const RsSnapshot *snap, const RsSnapshot *baseline)
{
  if (snap->latest.step < 0)
    return NULL;
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, _("train %.0f%%"), snap->latest.train_acc * 100);
  if (isfinite (snap->latest.val_acc))
    g_string_append_printf (s, _(" · val %.0f%%"), snap->latest.val_acc * 100);
  if (baseline != NULL && baseline->latest.step >= 0)
    {
      if (isfinite (baseline->latest.val_acc))
        g_string_append_printf (s, _(" · baseline val %.0f%%"), baseline->latest.val_acc * 100);
      else
        g_string_append_printf (s, _(" · baseline train %.0f%%"),
                                baseline->latest.train_acc * 100);
    }
  return g_string_free (s, FALSE);
}

void
rs_plot_boundary_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                       const RsSnapshot *baseline, double width, double height)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  if (!boundary_applies (snap))
    {
      rs_plot_note (cr, style, &c, _("The decision boundary needs 2-D data"));
      cairo_restore (cr);
      return;
    }

  gboolean contour = rs_plot_baseline_has_boundary (baseline);
  g_autofree char *accent = accent_text (snap, contour ? baseline : NULL);
  double title_h = rs_plot_title (cr, style, &c, _("Decision boundary"), accent, NULL, TRUE);

  /* legend: one swatch per class, the two point kinds, the baseline */
  int classes = CLAMP (snap->classes, 1, 10);
  RsLegendEntry entries[13];
  char numbers[10][16];
  char *names[10] = { NULL };
  int n = 0;
  for (int k = 0; k < classes; k++)
    {
      /* the data's own names ("setosa"); "class 2" for numbered classes */
      const char *name = rs_plot_class_name (snap, k, numbers[k], sizeof numbers[k]);
      names[k] = name == numbers[k] ? g_strdup_printf (_("class %s"), name) : g_strdup (name);
      entries[n++] = (RsLegendEntry) { names[k], rs_plot_palette (k), RS_LEGEND_BOX, 1.0 };
    }
  entries[n++] = (RsLegendEntry) { _("train"), style->muted, RS_LEGEND_DOT, 1.0 };
  entries[n++] = (RsLegendEntry) { _("validation"), style->muted, RS_LEGEND_RING, 1.0 };
  g_autofree char *base_label = contour ? rs_plot_baseline_label (baseline) : NULL;
  if (contour)
    entries[n++] = rs_plot_baseline_entry (style, base_label);
  double legend_h = rs_plot_legend (cr, style, entries, n, c.x, c.y + title_h, c.w, TRUE);
  for (int k = 0; k < classes; k++)
    g_free (names[k]);

  RsPlotRect outer = { c.x, c.y + title_h + legend_h + style->font_size * 0.3, c.w, 0 };
  outer.h = c.y + c.h - outer.y;
  RsPlotAxisSpec xs = { snap->x0, snap->x1, FALSE, FALSE, RS_TICK_NUMBER, "x₁", TRUE, 0 };
  RsPlotAxisSpec ys = { snap->y0, snap->y1, FALSE, FALSE, RS_TICK_NUMBER, "x₂", TRUE, 0 };
  RsPlotFrame F;
  rs_plot_frame_layout (cr, style, &outer, &xs, &ys, 0, &F);

  /* equal units on both axes, so circles look like circles */
  double want = (snap->x1 - snap->x0) / (snap->y1 - snap->y0);
  double have = F.area.w / F.area.h;
  if (have > want * 1.02)
    {
      double shrink = F.area.w - F.area.h * want;
      outer.x += shrink / 2;
      outer.w -= shrink;
      rs_plot_frame_layout (cr, style, &outer, &xs, &ys, 0, &F);
    }
  else if (have < want / 1.02)
    {
      outer.h -= F.area.h - F.area.w / want;
      rs_plot_frame_layout (cr, style, &outer, &xs, &ys, 0, &F);
    }

  cairo_surface_t *regions = region_surface (style, snap);
  if (cairo_surface_status (regions) == CAIRO_STATUS_SUCCESS)
    {
      cairo_save (cr);
      rs_plot_frame_clip (cr, &F);
      cairo_translate (cr, F.area.x, F.area.y);
      cairo_scale (cr, F.area.w / snap->grid_w, F.area.h / snap->grid_h);
      cairo_set_source_surface (cr, regions, 0, 0);
      /* each grid value is the class at a cell centre: interpolating
       * between centres gives smooth borders that are still honest */
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
      cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  cairo_surface_destroy (regions);

  rs_plot_frame_grid (cr, style, &F);
  /* the pinned run's borders under the points: where it drew the line */
  if (contour)
    rs_plot_baseline_contour (cr, style, baseline, &F);

  /* training points first, validation on top: there are fewer of them */
  cairo_save (cr);
  rs_plot_frame_clip (cr, &F);
  double r = style->font_size * (snap->n_points > 400 ? 0.2 : 0.3);
  for (int pass = 0; pass < 2 && snap->points != NULL && snap->point_class != NULL; pass++)
    for (int i = 0; i < snap->n_points; i++)
      {
        gboolean val = snap->point_is_val != NULL && snap->point_is_val[i];
        if (val != (pass == 1))
          continue;
        double x = rs_plot_scale_map (&F.x, snap->points[2 * i]);
        double y = rs_plot_scale_map (&F.y, snap->points[2 * i + 1]);
        if (!isfinite (x) || !isfinite (y))
          continue;
        RsColor col = rs_plot_palette (snap->point_class[i]);
        RsColor dark = rs_plot_color_mix (&col, &style->foreground, 0.35);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x, y, r, 0, 2 * G_PI);
        if (!val)
          {
            rs_plot_set_color (cr, &col);
            cairo_fill_preserve (cr);
            cairo_set_line_width (cr, 1.0);
            rs_plot_set_color (cr, &dark);
            cairo_stroke (cr);
          }
        else
          {
            /* a halo keeps the ring visible on its own class's region */
            cairo_set_line_width (cr, MAX (1.5, style->line_width * 0.8) + 3.0);
            rs_plot_set_color (cr, &style->background);
            cairo_stroke_preserve (cr);
            cairo_set_line_width (cr, MAX (1.5, style->line_width * 0.8));
            rs_plot_set_color (cr, &col);
            cairo_stroke (cr);
          }
      }
  cairo_restore (cr);

  rs_plot_frame_axes (cr, style, &F);
  cairo_restore (cr);
}
