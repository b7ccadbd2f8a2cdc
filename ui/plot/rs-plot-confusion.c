/* rs-plot-confusion.c — the confusion matrix of the validation set, from
 * the counts the engine took in its validation pass. */
#include "rs-plot-confusion.h"
#include "rs-plot-colormap.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static char *
accent_text (const RsSnapshot *snap, const RsSnapshot *baseline)
{
  if (snap->latest.step < 0 || !isfinite (snap->latest.val_acc))
    return NULL;
  /* the counts are the validation set's: the accent says so */
  if (baseline != NULL && baseline->latest.step >= 0 && isfinite (baseline->latest.val_acc))
    return g_strdup_printf (_("val accuracy %.0f%% · baseline %.0f%%"),
                            snap->latest.val_acc * 100, baseline->latest.val_acc * 100);
  return g_strdup_printf (_("val accuracy %.0f%%"), snap->latest.val_acc * 100);
}

/* The largest count, to size the cell labels. */
static guint32
max_count (const RsSnapshot *snap)
{
  guint32 m = 0;
  for (int i = 0; i < snap->classes * snap->classes; i++)
    m = MAX (m, snap->confusion[i]);
  return m;
}

/* Class c's label: its name, or its number where names leave no room. */
static const char *
class_label (const RsSnapshot *snap, gboolean numbers, int c, char *buf, gsize size)
{
  if (numbers)
    {
      g_snprintf (buf, size, "%d", c);
      return buf;
    }
  return rs_plot_class_name (snap, c, buf, size);
}

/* The widest class label in the tick font. */
static double
widest_label (cairo_t *cr, const RsSnapshot *snap, gboolean numbers)
{
  double w = 0;
  for (int i = 0; i < snap->classes; i++)
    {
      char buf[16];
      w = MAX (w, rs_plot_text_width (cr, class_label (snap, numbers, i, buf, sizeof buf)));
    }
  return w;
}

/* "Confusion matrix", or "Confusion" where the pane is too narrow for the
 * whole title (the presentation layout's side pane), rather than cut. */
static const char *
confusion_title (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *c)
{
  const char *title = _("Confusion matrix");
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TITLE_SCALE, TRUE);
  gboolean fits = rs_plot_text_width (cr, title) <= c->w;
  cairo_restore (cr);
  return fits ? title : C_("plot title", "Confusion");
}

static void
layout_labelled (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                 const RsSnapshot *baseline, double width, double height, gboolean numbers,
                 RsPlotConfusionLayout *out)
{
  memset (out, 0, sizeof *out);
  out->numbers = numbers;
  if (snap == NULL || snap->confusion == NULL || snap->classes < 2)
    return;
  int k = snap->classes;
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *accent = accent_text (snap, baseline);
  double title_h = rs_plot_title (cr, style, &c, confusion_title (cr, style, &c), accent,
                                  NULL, FALSE);
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  /* class names ("versicolor") get the room they need, up to a share of
   * the plot; longer ones are shortened with "…"; where they would leave
   * cells smaller than a line of type (a narrow pane), numbers instead */
  double class_w = MIN (widest_label (cr, snap, out->numbers), c.w * 0.3);
  cairo_restore (cr);
  double cbw = rs_plot_colorbar_width (cr, style, NULL);
  double pad = style->font_size * 0.45;

  /* left: the "true class" title and the class labels; top: the
   * "predicted class" title and the labels, written upwards when they are
   * wider than a column; right: the colour bar */
  double left = lh + pad + class_w + pad;
  double top = lh * 2 + pad * 2;
  RsPlotRect avail = { c.x + left, c.y + title_h + top, c.w - left - cbw,
                       c.h - title_h - top - pad };
  if (avail.w >= 2 * k && avail.h >= 2 * k
      && class_w > MIN (avail.w, avail.h) / k * 0.9)
    {
      out->vertical_names = TRUE;
      top = lh + pad * 2 + MIN (class_w, c.h * 0.25);
      avail.y = c.y + title_h + top;
      avail.h = c.h - title_h - top - pad;
    }
  out->label_w = class_w;
  out->label_h = out->vertical_names ? MIN (class_w, c.h * 0.25) : lh;
  if (!numbers && snap->class_names != NULL && MIN (avail.w, avail.h) / k < lh * 1.5)
    {
      layout_labelled (cr, style, snap, baseline, width, height, TRUE, out);
      return;
    }
  if (avail.w < 2 * k || avail.h < 2 * k)
    return;
  double side = MIN (avail.w, avail.h);
  /* centred in the room left, its colour bar beside it */
  out->matrix = (RsPlotRect) { avail.x + (avail.w - side) / 2, avail.y, side, side };
  out->classes = k;
  out->colorbar = (RsPlotRect) { out->matrix.x + side, avail.y, cbw, MAX (side, lh * 5) };

  /* counts in the cells when the widest fits with a margin */
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  char buf[32];
  rs_plot_format_count (max_count (snap), buf, sizeof buf);
  out->labels = rs_plot_text_width (cr, buf) < side / k * 0.85 && lh < side / k * 0.8;
  cairo_restore (cr);
  out->valid = TRUE;
}

void
rs_plot_confusion_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          const RsSnapshot *baseline, double width, double height,
                          RsPlotConfusionLayout *out)
{
  layout_labelled (cr, style, snap, baseline, width, height, FALSE, out);
}

void
rs_plot_confusion_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                        const RsSnapshot *baseline, double width, double height)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  RsPlotConfusionLayout L;
  rs_plot_confusion_layout (cr, style, snap, baseline, width, height, &L);
  if (!L.valid)
    {
      const char *why = snap == NULL || snap->val_rows <= 0 || snap->classes < 2
        ? _("The confusion matrix needs a validation set")
        : snap->confusion == NULL ? _("Press Play to see the validation set's classes")
        : _("Too small to draw");
      rs_plot_note (cr, style, &c, why);
      cairo_restore (cr);
      return;
    }

  g_autofree char *accent = accent_text (snap, baseline);
  rs_plot_title (cr, style, &c, confusion_title (cr, style, &c), accent, NULL, TRUE);

  int k = L.classes;
  double cell = L.matrix.w / k;
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  double pad = style->font_size * 0.45;
  for (int t = 0; t < k; t++)
    {
      guint32 row = 0;
      for (int p = 0; p < k; p++)
        row += snap->confusion[t * k + p];
      for (int p = 0; p < k; p++)
        {
          guint32 n = snap->confusion[t * k + p];
          double share = row > 0 ? (double) n / row : 0.0;
          RsColor col = rs_plot_viridis (share);
          double x = L.matrix.x + p * cell, y = L.matrix.y + t * cell;
          rs_plot_set_color (cr, &col);
          /* whole pixels: neighbouring cells meet without a seam */
          cairo_rectangle (cr, round (x), round (y), round (x + cell) - round (x),
                           round (y + cell) - round (y));
          cairo_fill (cr);
          /* zeros stay blank: the mistakes that happen stand out */
          if (L.labels && n > 0)
            {
              char buf[32];
              rs_plot_format_count (n, buf, sizeof buf);
              /* dark text on viridis' light end, white on its dark end */
              RsColor ink = share > 0.6 ? (RsColor) { 0.1, 0.1, 0.1, 1 }
                                        : (RsColor) { 1, 1, 1, 1 };
              rs_plot_set_color (cr, &ink);
              rs_plot_text (cr, buf, x + cell / 2, y + cell / 2, RS_ALIGN_CENTER,
                            RS_ALIGN_CENTER);
            }
        }
    }

  /* the class labels and the two axis titles */
  rs_plot_set_color (cr, &style->muted);
  for (int i = 0; i < k; i++)
    {
      char buf[16];
      const char *name = class_label (snap, L.numbers, i, buf, sizeof buf);
      g_autofree char *row = rs_plot_text_fit (cr, name, L.label_w + 0.5);
      rs_plot_text (cr, row, L.matrix.x - pad, L.matrix.y + (i + 0.5) * cell, RS_ALIGN_END,
                    RS_ALIGN_CENTER);
      if (L.vertical_names)
        {
          g_autofree char *col = rs_plot_text_fit (cr, name, L.label_h + 0.5);
          rs_plot_text_vertical (cr, col, L.matrix.x + (i + 0.5) * cell, L.matrix.y - pad,
                                 RS_ALIGN_START, RS_ALIGN_CENTER);
        }
      else
        rs_plot_text (cr, row, L.matrix.x + (i + 0.5) * cell, L.matrix.y - pad,
                      RS_ALIGN_CENTER, RS_ALIGN_END);
    }
  rs_plot_text (cr, _("predicted class"), L.matrix.x + L.matrix.w / 2,
                L.matrix.y - pad - L.label_h - lh * 0.2, RS_ALIGN_CENTER, RS_ALIGN_END);
  rs_plot_text_vertical (cr, _("true class"), L.matrix.x - pad * 2 - L.label_w,
                         L.matrix.y + L.matrix.h / 2, RS_ALIGN_CENTER, RS_ALIGN_END);

  rs_plot_colorbar_draw (cr, style, &L.colorbar, 0.0, 1.0, FALSE, FALSE, _("share"),
                         NULL);
  cairo_restore (cr);
}
