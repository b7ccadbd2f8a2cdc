/* rs-plot-toolkit.c — what every plot draws with: margins, text, titles,
 * scales, nice ticks, framed data areas and the per-layer cell grid.
 *
 * Everything here measures text with the cairo_t it is given, so a label
 * that would overlap its neighbour is dropped before anything is drawn:
 * small plots show fewer labels rather than a smudge. */
#include "rs-plot-toolkit.h"

#include <glib/gi18n.h>

#include "rs-keys.h"

#include <math.h>
#include <string.h>

/* ---- colour and text -------------------------------------------------- */

void
rs_plot_set_color (cairo_t *cr, const RsColor *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

void
rs_plot_set_color_alpha (cairo_t *cr, const RsColor *c, double alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}

/* On, off, … in line widths (butt caps: a dot is a short dash). */
static const double dash_patterns[RS_DASH_N][6] = {
  [RS_DASH_SOLID] = { 0 },
  [RS_DASH_DASHED] = { 5, 3 },
  [RS_DASH_DASH_DOT] = { 5, 2, 1.2, 2 },
  [RS_DASH_LONG] = { 10, 3 },
  [RS_DASH_DASH_DOT_DOT] = { 5, 2, 1.2, 2, 1.2, 2 },
  [RS_DASH_DOTTED] = { 1.2, 2 },
};

void
rs_plot_set_dash (cairo_t *cr, RsDash dash, double unit)
{
  double d[G_N_ELEMENTS (dash_patterns[0])];
  int n = 0;

  if ((int) dash < 0 || dash >= RS_DASH_N)
    dash = RS_DASH_SOLID;
  for (; n < (int) G_N_ELEMENTS (d) && dash_patterns[dash][n] > 0; n++)
    d[n] = dash_patterns[dash][n] * unit;
  cairo_set_dash (cr, d, n, 0);
  cairo_set_line_cap (cr, n > 0 ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
}

void
rs_plot_clip_dash (cairo_t *cr, double x0, double x1, double y0, double y1)
{
  int n = cairo_get_dash_count (cr);
  if (n <= 0)
    return;
  double d[16], offset;
  n = MIN (n, (int) G_N_ELEMENTS (d));
  cairo_get_dash (cr, d, &offset);
  double period = 0;
  for (int i = 0; i < n; i++)
    period += d[i];
  if (period <= 0)
    return;
  cairo_new_path (cr);
  for (double x = x0; x < x1; )
    for (int i = 0; i < n && x < x1; i++)
      {
        if (i % 2 == 0)
          cairo_rectangle (cr, x, y0, MIN (d[i], x1 - x), y1 - y0);
        x += d[i];
      }
  cairo_clip (cr);
}

RsColor
rs_plot_color_mix (const RsColor *a, const RsColor *b, double t)
{
  RsColor c = {
    a->r + (b->r - a->r) * t,
    a->g + (b->g - a->g) * t,
    a->b + (b->b - a->b) * t,
    a->a + (b->a - a->a) * t,
  };
  return c;
}

void
rs_plot_fill_background (cairo_t *cr, const RsPlotStyle *style, double width, double height)
{
  cairo_save (cr);
  rs_plot_set_color (cr, &style->background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
rs_plot_set_font (cairo_t *cr, const RsPlotStyle *style, double scale, gboolean bold)
{
  /* The toy API takes one family name; fontconfig falls back to the
   * default sans face when the first choice is missing. */
  char family[64] = "Sans";
  const char *list = style->font_family;
  if (list != NULL && *list != '\0')
    {
      gsize n = strcspn (list, ",");
      n = MIN (n, sizeof family - 1);
      memcpy (family, list, n);
      family[n] = '\0';
      g_strstrip (family);
      if (family[0] == '\0')
        g_strlcpy (family, "Sans", sizeof family);
    }
  cairo_select_font_face (cr, family, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, style->font_size * scale);
}

/* The toy API draws with one font and no fallback, and Cantarell (the
 * first choice) has no narrow no-break space, which German writes before
 * % ("93,3 %"): a no-break space, which every Latin font has, stands in.
 * Returns text, or *copy (to free) where something was replaced. */
static const char *
drawable_text (const char *text, char **copy)
{
  *copy = NULL;
  if (strstr (text, "\u202f") == NULL)
    return text;
  GString *s = g_string_new (text);
  g_string_replace (s, "\u202f", "\u00a0", 0);
  *copy = g_string_free (s, FALSE);
  return *copy;
}

double
rs_plot_text_width (cairo_t *cr, const char *text)
{
  g_autofree char *copy = NULL;
  cairo_text_extents_t te;
  cairo_text_extents (cr, drawable_text (text, &copy), &te);
  return te.x_advance;
}

double
rs_plot_line_height (cairo_t *cr)
{
  cairo_font_extents_t fe;
  cairo_font_extents (cr, &fe);
  return fe.ascent + fe.descent;
}

/* Baseline offsets of a line box from its aligned edges. */
static void
text_origin (cairo_t *cr, const char *text, RsPlotAlign ha, RsPlotAlign va,
             double *dx, double *dy)
{
  cairo_font_extents_t fe;
  cairo_font_extents (cr, &fe);
  double w = rs_plot_text_width (cr, text);
  *dx = ha == RS_ALIGN_START ? 0.0 : ha == RS_ALIGN_CENTER ? -w / 2 : -w;
  *dy = va == RS_ALIGN_START ? fe.ascent
      : va == RS_ALIGN_CENTER ? (fe.ascent - fe.descent) / 2
      : -fe.descent;
}

void
rs_plot_text (cairo_t *cr, const char *text, double x, double y,
              RsPlotAlign ha, RsPlotAlign va)
{
  g_autofree char *copy = NULL;
  double dx, dy;
  text_origin (cr, text, ha, va, &dx, &dy);
  cairo_move_to (cr, x + dx, y + dy);
  cairo_show_text (cr, drawable_text (text, &copy));
  cairo_new_path (cr);
}

void
rs_plot_text_vertical (cairo_t *cr, const char *text, double x, double y,
                       RsPlotAlign ha, RsPlotAlign va)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, -G_PI / 2);
  rs_plot_text (cr, text, 0, 0, ha, va);
  cairo_restore (cr);
}

char *
rs_plot_text_fit (cairo_t *cr, const char *text, double max_w)
{
  if (rs_plot_text_width (cr, text) <= max_w)
    return g_strdup (text);

  /* Cut whole UTF-8 characters until "text…" fits. */
  glong n = g_utf8_strlen (text, -1);
  while (n > 0)
    {
      n--;
      const char *end = g_utf8_offset_to_pointer (text, n);
      g_autofree char *head = g_strndup (text, end - text);
      g_strchomp (head);
      char *s = g_strconcat (head, "…", NULL);
      if (rs_plot_text_width (cr, s) <= max_w || n == 0)
        return s;
      g_free (s);
    }
  return g_strdup ("…");
}

RsPlotRect
rs_plot_content_rect (const RsPlotStyle *style, double width, double height)
{
  /* small plots shrink their margins before their data */
  double m = MIN (style->font_size * RS_PLOT_MARGIN, MAX (2.0, 0.05 * MIN (width, height)));
  RsPlotRect r = { m, m, MAX (width - 2 * m, 0.0), MAX (height - 2 * m, 0.0) };
  return r;
}

gboolean
rs_plot_layer_exists (const RsSnapshot *snap, int layer)
{
  return snap != NULL && layer >= 0 && layer < snap->n_layers;
}

gboolean
rs_plot_begin_layer (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap, int layer,
                     double width, double height, RsPlotRect *content)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  *content = rs_plot_content_rect (style, width, height);
  if (rs_plot_layer_exists (snap, layer))
    return TRUE;
  rs_plot_note (cr, style, content, _("No such layer"));
  cairo_restore (cr);
  return FALSE;
}

void
rs_plot_note (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r, const char *text)
{
  if (r->w <= 0 || r->h <= 0)
    return;
  cairo_save (cr);
  double scale = 1.1;
  rs_plot_set_font (cr, style, scale, FALSE);
  /* Shrink a little before cutting: a note is the only thing in its box. */
  while (scale > 0.75 && rs_plot_text_width (cr, text) > r->w * 0.92)
    {
      scale -= 0.05;
      rs_plot_set_font (cr, style, scale, FALSE);
    }
  g_autofree char *fit = rs_plot_text_fit (cr, text, r->w * 0.92);
  rs_plot_set_color (cr, &style->muted);
  rs_plot_text (cr, fit, r->x + r->w / 2, r->y + r->h / 2, RS_ALIGN_CENTER, RS_ALIGN_CENTER);
  cairo_restore (cr);
}

double
rs_plot_title (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r,
               const char *title, const char *accent, const RsColor *accent_color,
               gboolean draw)
{
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TITLE_SCALE, TRUE);
  double lh = rs_plot_line_height (cr);
  double tw = rs_plot_text_width (cr, title);
  double used = lh;

  double aw = 0.0;
  if (accent != NULL)
    {
      rs_plot_set_font (cr, style, 1.0, TRUE);
      aw = rs_plot_text_width (cr, accent);
    }
  gboolean two_lines = accent != NULL && tw + aw + style->font_size * 1.5 > r->w;
  /* in a small plot the data matter more than a second title line */
  if (two_lines && r->h < style->font_size * 9)
    {
      accent = NULL;
      two_lines = FALSE;
    }

  if (!draw)
    {
      if (two_lines)
        {
          rs_plot_set_font (cr, style, 1.0, TRUE);
          used += 1.15 * rs_plot_line_height (cr);
        }
      cairo_restore (cr);
      return used + style->font_size * 0.5;
    }

  rs_plot_set_font (cr, style, RS_PLOT_TITLE_SCALE, TRUE);
  double title_w = two_lines || accent == NULL ? r->w : r->w - aw - style->font_size * 1.5;
  g_autofree char *fit = rs_plot_text_fit (cr, title, title_w);
  rs_plot_set_color (cr, &style->foreground);
  rs_plot_text (cr, fit, r->x, r->y, RS_ALIGN_START, RS_ALIGN_START);

  if (accent != NULL)
    {
      rs_plot_set_font (cr, style, 1.0, TRUE);
      rs_plot_set_color (cr, accent_color != NULL ? accent_color : &style->muted);
      g_autofree char *afit = rs_plot_text_fit (cr, accent, r->w);
      if (two_lines)
        {
          double alh = rs_plot_line_height (cr);
          rs_plot_text (cr, afit, r->x, r->y + lh + 0.15 * alh, RS_ALIGN_START, RS_ALIGN_START);
          used += 1.15 * alh;
        }
      else
        {
          /* share the title's baseline */
          cairo_font_extents_t fe;
          cairo_font_extents (cr, &fe);
          rs_plot_set_font (cr, style, RS_PLOT_TITLE_SCALE, TRUE);
          cairo_font_extents_t te;
          cairo_font_extents (cr, &te);
          rs_plot_set_font (cr, style, 1.0, TRUE);
          rs_plot_text (cr, afit, r->x + r->w, r->y + te.ascent + fe.descent,
                        RS_ALIGN_END, RS_ALIGN_END);
        }
    }
  cairo_restore (cr);
  return used + style->font_size * 0.5;
}

char *
rs_plot_share_text (double fraction)
{
  double p = fraction * 100.0;
  if (p > 0.0 && p < 1.0)
    /* TRANSLATORS: a share under one percent, but not zero */
    return g_strdup (_("<1%"));
  /* TRANSLATORS: a share in whole percent, "38%" */
  return g_strdup_printf (_("%.0f%%"), p);
}

char *
rs_plot_near_zero_text (double fraction, const char *symbol, double threshold)
{
  g_autofree char *share = rs_plot_share_text (fraction);
  if (symbol == NULL)
    return g_strdup_printf (_("%s near zero"), share);
  return g_strdup_printf (_("%s near zero (%s < %g)"), share, symbol, threshold);
}

char *
rs_plot_near_zero_swatch (const char *symbol, double threshold)
{
  return threshold > 0 ? g_strdup_printf (_("near zero\n%s < %g"), symbol, threshold) : NULL;
}

char *
rs_plot_terms_text (const RsLayerReg *reg)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  for (gsize k = 0; k < n_keys; k++)
    {
      const RsKey *key = &keys[k];
      if (key->section != RS_SECTION_LAYER || !(key->flags & RS_KEY_TERM))
        continue;
      double v = rs_key_get_number (key, reg);
      if (v == 0.0)
        continue;
      g_autofree char *value = rs_key_format_label (key, v);
      g_ptr_array_add (parts, g_strdup_printf ("%s %s", _(key->label), value));
    }
  g_ptr_array_add (parts, NULL);
  char *text = parts->len > 1 ? g_strjoinv (" · ", (char **) parts->pdata) : NULL;
  g_ptr_array_free (parts, TRUE);
  return text;
}

const char *
rs_plot_class_name (const RsSnapshot *snap, int c, char *buf, gsize size)
{
  if (snap->class_names != NULL && c >= 0 && c < snap->classes
      && g_strv_length (snap->class_names) > (guint) c)
    return snap->class_names[c];
  g_snprintf (buf, size, "%d", c);
  return buf;
}

void
rs_plot_format_count (gint64 v, char *buf, gsize len)
{
  char digits[32];
  g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, v < 0 ? -v : v);
  GString *s = g_string_new (v < 0 ? "−" : "");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  g_strlcpy (buf, s->str, len);
  g_string_free (s, TRUE);
}

/* ---- composites ------------------------------------------------------- */

int
rs_plot_layer_cells (const RsPlotStyle *style, const RsSnapshot *snap, gboolean vertical,
                     gboolean hidden_only, double width, double height,
                     RsPlotLayerCell out[RS_MAX_LAYERS])
{
  int idx[RS_MAX_LAYERS];
  int n = 0;
  for (int i = 0; snap != NULL && i < snap->n_layers && n < RS_MAX_LAYERS; i++)
    if (!hidden_only || !snap->layers[i].is_output || snap->n_layers == 1)
      idx[n++] = i;
  if (n == 0)
    return 0;

  /* side by side, unless a grid gives the cells more of the room a
   * plot wants (about 16 x 11 lines of type) */
  int cols = vertical ? 1 : n, rows = vertical ? n : 1;
  if (!vertical)
    {
      double best = -1;
      for (int c = n; c >= 1; c--)
        {
          int r = (n + c - 1) / c;
          double score = MIN (width / c / (style->font_size * 16),
                              height / r / (style->font_size * 11));
          if (score > best * 1.05)
            best = score, cols = c, rows = r;
        }
    }
  double cw = width / cols, ch = height / rows;
  for (int k = 0; k < n; k++)
    out[k] = (RsPlotLayerCell) { idx[k], { (k % cols) * cw, (k / cols) * ch, cw, ch } };
  return n;
}

gboolean
rs_plot_cell_begin (cairo_t *cr, const RsPlotStyle *style, const RsPlotLayerCell *cells,
                    int n_cells, int k, double width, double height)
{
  if (k == 0)
    {
      cairo_save (cr);
      rs_plot_fill_background (cr, style, width, height);
      if (n_cells == 0)
        {
          RsPlotRect all = rs_plot_content_rect (style, width, height);
          rs_plot_note (cr, style, &all, _("No layers yet"));
          cairo_restore (cr);
          return FALSE;
        }
    }
  if (k >= n_cells)
    {
      cairo_restore (cr);
      return FALSE;
    }
  cairo_save (cr);
  cairo_translate (cr, cells[k].box.x, cells[k].box.y);
  cairo_rectangle (cr, 0, 0, cells[k].box.w, cells[k].box.h);
  cairo_clip (cr);
  return TRUE;
}

void
rs_plot_draw_layers (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                     RsPlotLayerDrawFunc fn, gboolean vertical, gboolean hidden_only,
                     double width, double height)
{
  RsPlotLayerCell cells[RS_MAX_LAYERS];
  int n = rs_plot_layer_cells (style, snap, vertical, hidden_only, width, height, cells);
  for (int k = 0; rs_plot_cell_begin (cr, style, cells, n, k, width, height); k++)
    {
      fn (cr, style, snap, cells[k].layer, cells[k].box.w, cells[k].box.h);
      cairo_restore (cr);
    }
}

/* ---- scales and ticks ------------------------------------------------- */

double
rs_plot_scale_map (const RsPlotScale *s, double v)
{
  double t;
  if (s->log)
    {
      if (!(v > 0.0))
        return NAN;
      t = (log10 (v) - log10 (s->lo)) / (log10 (s->hi) - log10 (s->lo));
    }
  else
    t = s->hi != s->lo ? (v - s->lo) / (s->hi - s->lo) : 0.5;
  return s->p0 + t * (s->p1 - s->p0);
}

double
rs_plot_nice_step (double span, int target)
{
  if (!(span > 0.0) || !isfinite (span))
    return 1.0;
  target = MAX (target, 1);
  double raw = span / target;
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;
  double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  return nice * mag;
}

void
rs_plot_nice_range (double *lo, double *hi, gboolean log, int target)
{
  double a = *lo, b = *hi;

  if (!isfinite (a) || !isfinite (b))
    {
      a = log ? 0.1 : 0.0;
      b = 1.0;
    }
  if (a > b)
    {
      double t = a;
      a = b;
      b = t;
    }
  if (log)
    {
      if (!(a > 0.0))
        a = b > 0.0 ? b / 10.0 : 0.1;
      if (!(b > 0.0))
        b = 1.0;
      a = pow (10.0, floor (log10 (a) + 1e-9));
      b = pow (10.0, ceil (log10 (b) - 1e-9));
      if (b <= a)
        b = a * 10.0;
      *lo = a;
      *hi = b;
      return;
    }

  if (b - a <= 1e-12 * MAX (fabs (a), fabs (b)) || b == a)
    {
      /* a flat series: show it in the middle of a sensible range */
      double pad = a != 0.0 ? fabs (a) * 0.5 : 1.0;
      if (a >= 0.0 && a - pad < 0.0)
        a = 0.0;
      else
        a -= pad;
      b += pad;
    }
  double step = rs_plot_nice_step (b - a, target);
  *lo = floor (a / step + 1e-9) * step;
  *hi = ceil (b / step - 1e-9) * step;
  if (*hi <= *lo)
    *hi = *lo + step;
}

int
rs_plot_tick_target (cairo_t *cr, const RsPlotStyle *style, double length, gboolean vertical)
{
  /* Room for a label of ~5 characters (x) or ~2.5 lines (y) per interval. */
  double per = vertical ? style->font_size * 2.6 : style->font_size * 5.5;
  int n = (int) floor (length / per);
  return CLAMP (n, 1, 10);
}

/* "1.5k", "12M": steps and counts stay short on a crowded x axis. */
static gboolean
format_suffixed (double v, double step, char *buf, gsize len)
{
  double a = fabs (v);
  const char *suffix;
  double div;
  if (a >= 1e9 && step >= 1e8)
    suffix = "G", div = 1e9;
  else if (a >= 1e6 && step >= 1e5)
    suffix = "M", div = 1e6;
  else if (a >= 1e4 && step >= 1e3)
    suffix = "k", div = 1e3;
  else
    return FALSE;
  double s = step / div;
  int decimals = s >= 1.0 ? 0 : (int) ceil (-log10 (s) - 1e-9);
  decimals = CLAMP (decimals, 0, 3);
  g_snprintf (buf, len, "%s%.*f%s", v < 0 ? "−" : "", decimals, a / div, suffix);
  return TRUE;
}

/* 1e-5, 0.001, 10: the short form of one power-of-ten-ish number. */
static void
format_short (double v, char *buf, gsize len)
{
  double a = fabs (v);
  const char *minus = v < 0 ? "−" : "";
  if (a == 0.0)
    g_strlcpy (buf, "0", len);
  else if (a < 1e-3 || a >= 1e5)
    {
      int e = (int) floor (log10 (a) + 1e-9);
      double m = a / pow (10.0, e);
      if (fabs (m - 1.0) < 1e-6)
        g_snprintf (buf, len, "%s1e%d", minus, e);
      else
        g_snprintf (buf, len, "%s%.3ge%d", minus, m, e);
    }
  else
    g_snprintf (buf, len, "%s%.4g", minus, a);
}

void
rs_plot_format_tick (double v, double step, gboolean log, RsTickFormat fmt,
                     char *buf, gsize len)
{
  if (fabs (v) < step * 1e-9)
    v = 0.0;                      /* -0 and rounding noise at the origin */
  if (fmt == RS_TICK_PERCENT)
    {
      double pstep = step * 100.0;
      int decimals = pstep >= 1.0 ? 0 : (int) ceil (-log10 (pstep) - 1e-9);
      g_snprintf (buf, len, "%.*f%%", CLAMP (decimals, 0, 3), v * 100.0);
      return;
    }
  if (log)
    {
      format_short (v, buf, len);
      return;
    }
  if (v == 0.0)
    {
      g_strlcpy (buf, "0", len);  /* not "0.0": the origin needs no decimals */
      return;
    }
  if (format_suffixed (v, step, buf, len))
    return;
  if (v != 0.0 && (fabs (v) < 1e-3 || step < 1e-4))
    {
      format_short (v, buf, len);
      return;
    }
  int decimals = step >= 1.0 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  decimals = CLAMP (decimals, 0, 6);
  g_snprintf (buf, len, "%s%.*f", v < 0 ? "−" : "", decimals, fabs (v));
}

static void
tick_add (RsPlotTicks *out, const RsPlotScale *s, double v, gboolean major)
{
  if (out->n >= RS_PLOT_MAX_TICKS)
    return;
  RsPlotTick *t = &out->t[out->n++];
  memset (t, 0, sizeof *t);
  t->value = v;
  t->pos = rs_plot_scale_map (s, v);
  t->major = major;
}

static gboolean
labels_overlap (const RsPlotTicks *out, double gap)
{
  const RsPlotTick *prev = NULL;
  for (int i = 0; i < out->n; i++)
    {
      const RsPlotTick *t = &out->t[i];
      if (!t->labelled)
        continue;
      if (prev != NULL)
        {
          double lo = MAX (prev->extent_lo, t->extent_lo);
          double hi = MIN (prev->extent_hi, t->extent_hi);
          if (lo < hi + gap)
            return TRUE;
        }
      prev = t;
    }
  return FALSE;
}

/* Labels every k-th tick counted from `anchor` among those with
 * (majors_only ? major : any). */
static void
label_every (RsPlotTicks *out, int k, int anchor, gboolean majors_only)
{
  int j = 0;
  for (int i = 0; i < out->n; i++)
    {
      RsPlotTick *t = &out->t[i];
      if (majors_only && !t->major)
        {
          t->labelled = FALSE;
          continue;
        }
      t->labelled = (((j - anchor) % k) + k) % k == 0;
      j++;
    }
}

void
rs_plot_ticks_compute (cairo_t *cr, const RsPlotStyle *style, const RsPlotScale *s,
                       gboolean vertical, RsTickFormat fmt, double limit_lo,
                       double limit_hi, RsPlotTicks *out)
{
  out->n = 0;
  double length = fabs (s->p1 - s->p0);
  if (!(s->hi > s->lo) || !(length > 0.0))
    return;

  double step;
  if (s->log)
    {
      int e0 = (int) ceil (log10 (s->lo) - 1e-9);
      int e1 = (int) floor (log10 (s->hi) + 1e-9);
      gboolean short_range = log10 (s->hi / s->lo) < 2.5;
      step = 1.0;
      for (int e = e0 - 1; e <= e1; e++)
        {
          double d = pow (10.0, e);
          if (e >= e0)
            tick_add (out, s, d, TRUE);
          if (short_range)
            for (int m = 2; m <= 5; m += 3)
              if (d * m >= s->lo * (1 - 1e-9) && d * m <= s->hi * (1 + 1e-9))
                tick_add (out, s, d * m, FALSE);
        }
      /* the 2 and 5 were added after their decade: keep positions sorted */
      for (int i = 1; i < out->n; i++)
        for (int j = i; j > 0 && out->t[j].value < out->t[j - 1].value; j--)
          {
            RsPlotTick tmp = out->t[j];
            out->t[j] = out->t[j - 1];
            out->t[j - 1] = tmp;
          }
    }
  else
    {
      step = rs_plot_nice_step (s->hi - s->lo, rs_plot_tick_target (cr, style, length, vertical));
      double k0 = ceil (s->lo / step - 1e-9), k1 = floor (s->hi / step + 1e-9);
      /* a caller's odd range could ask for thousands of ticks */
      while ((k1 - k0) >= RS_PLOT_MAX_TICKS)
        {
          step *= 2.0;
          k0 = ceil (s->lo / step - 1e-9);
          k1 = floor (s->hi / step + 1e-9);
        }
      /* A range that was not widened to the step may hold just one tick
       * (0 on [-1.6, 1.6] with step 2): step down the 1-2-5 ladder until
       * there are three; thinning drops labels again if they collide. */
      for (int tries = 0; tries < 4 && k1 - k0 < 2; tries++)
        {
          double mant = step / pow (10.0, floor (log10 (step) + 1e-9));
          step *= mant < 1.5 ? 0.5 : mant < 3 ? 0.5 : 0.4;
          k0 = ceil (s->lo / step - 1e-9);
          k1 = floor (s->hi / step + 1e-9);
        }
      for (double k = k0; k <= k1; k++)
        tick_add (out, s, k * step, TRUE);
    }

  /* Measure the labels with the tick font. */
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  int anchor = 0;
  for (int i = 0; i < out->n; i++)
    {
      RsPlotTick *t = &out->t[i];
      rs_plot_format_tick (t->value, step, s->log, fmt, t->label, sizeof t->label);
      double half = vertical ? lh / 2 : rs_plot_text_width (cr, t->label) / 2;
      t->extent_lo = t->pos - half;
      t->extent_hi = t->pos + half;
      /* keep labels inside the limits by sliding them, not cutting them */
      if (t->extent_lo < limit_lo)
        {
          t->extent_hi += limit_lo - t->extent_lo;
          t->extent_lo = limit_lo;
        }
      if (t->extent_hi > limit_hi)
        {
          t->extent_lo -= t->extent_hi - limit_hi;
          t->extent_hi = limit_hi;
        }
      if (t->value == 0.0)
        anchor = i;
    }
  cairo_restore (cr);

  /* Extents must ascend for the overlap test; y axes run upwards. */
  if (out->n > 1 && out->t[0].pos > out->t[out->n - 1].pos)
    for (int i = 0; i < out->n / 2; i++)
      {
        RsPlotTick tmp = out->t[i];
        out->t[i] = out->t[out->n - 1 - i];
        out->t[out->n - 1 - i] = tmp;
        if (anchor == i)
          anchor = out->n - 1 - i;
        else if (anchor == out->n - 1 - i)
          anchor = i;
      }

  double gap = vertical ? lh * 0.25 : style->font_size * 0.6;
  gboolean any_minor = FALSE;
  for (int i = 0; i < out->n; i++)
    any_minor |= !out->t[i].major;

  /* Fewest dropped labels first: all, then (log) decades only, then every
   * 2nd, 3rd, ... label. */
  label_every (out, 1, 0, FALSE);
  if (!labels_overlap (out, gap))
    return;
  int majors_anchor = 0;
  if (any_minor)
    {
      for (int i = 0, j = 0; i < out->n; i++)
        if (out->t[i].major)
          {
            if (i == anchor)
              majors_anchor = j;
            j++;
          }
      label_every (out, 1, 0, TRUE);
      if (!labels_overlap (out, gap))
        return;
    }
  else
    majors_anchor = anchor;
  for (int k = 2; k <= out->n; k++)
    {
      label_every (out, k, majors_anchor, any_minor);
      if (!labels_overlap (out, gap))
        return;
    }
  /* Not even one pair fits: keep a single label. */
  for (int i = 0; i < out->n; i++)
    out->t[i].labelled = FALSE;
  if (out->n > 0)
    out->t[0].labelled = !labels_overlap (out, gap);
}

/* ---- a framed x/y data area -------------------------------------------- */

static double
snap_line (double v)
{
  return floor (v) + 0.5;
}

void
rs_plot_frame_layout (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *outer,
                      const RsPlotAxisSpec *xs, const RsPlotAxisSpec *ys,
                      double right, RsPlotFrame *f)
{
  memset (f, 0, sizeof *f);
  f->x_labels = xs->labels;
  f->x_title = xs->title;
  f->y_title = ys->title;

  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  double pad = style->font_size * 0.45;

  double top = ys->title != NULL ? lh * 1.6 + pad * 0.3 : lh * 0.6;
  double bottom = pad * 0.5;
  if (xs->labels)
    bottom += lh + pad;
  if (xs->labels && xs->title != NULL)
    bottom += lh;
  /* a cramped plot gives up its axis titles before its data */
  if (outer->h - top - bottom < lh * 3)
    {
      if (ys->title != NULL)
        top = lh * 0.6;
      if (xs->labels && xs->title != NULL)
        bottom -= lh;
      f->x_title = f->y_title = NULL;
    }

  f->area.y = outer->y + top;
  f->area.h = MAX (outer->h - top - bottom, 1.0);

  /* y first: its labels' width decides where the area starts */
  f->y.lo = ys->lo;
  f->y.hi = ys->hi;
  f->y.log = ys->log;
  if (ys->nice)
    rs_plot_nice_range (&f->y.lo, &f->y.hi, ys->log,
                        rs_plot_tick_target (cr, style, f->area.h, TRUE));
  f->y.p0 = f->area.y + f->area.h;
  f->y.p1 = f->area.y;
  rs_plot_ticks_compute (cr, style, &f->y, TRUE, ys->format, outer->y, outer->y + outer->h,
                         &f->yt);

  double label_w = 0.0;
  if (ys->labels)
    for (int i = 0; i < f->yt.n; i++)
      if (f->yt.t[i].labelled)
        label_w = MAX (label_w, rs_plot_text_width (cr, f->yt.t[i].label));
  double left = ys->labels ? label_w + pad * 1.2 : pad;
  left = MAX (left, ys->min_gutter);
  /* the last x label is centred on the right edge: leave it half room
   * (always, so stacked panels line up) */
  double right_pad = style->font_size * 1.0;

  f->area.x = outer->x + left;
  f->area.w = MAX (outer->w - left - right - right_pad, 1.0);

  f->x.lo = xs->lo;
  f->x.hi = xs->hi;
  f->x.log = xs->log;
  if (xs->nice)
    rs_plot_nice_range (&f->x.lo, &f->x.hi, xs->log,
                        rs_plot_tick_target (cr, style, f->area.w, FALSE));
  f->x.p0 = f->area.x;
  f->x.p1 = f->area.x + f->area.w;
  rs_plot_ticks_compute (cr, style, &f->x, FALSE, xs->format, outer->x,
                         outer->x + outer->w - right, &f->xt);
  if (!xs->labels)
    for (int i = 0; i < f->xt.n; i++)
      f->xt.t[i].labelled = FALSE;
  if (!ys->labels)
    for (int i = 0; i < f->yt.n; i++)
      f->yt.t[i].labelled = FALSE;
  cairo_restore (cr);
}

void
rs_plot_frame_grid (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  const RsPlotRect *a = &f->area;
  for (int i = 0; i < f->yt.n; i++)
    {
      const RsPlotTick *t = &f->yt.t[i];
      rs_plot_set_color_alpha (cr, &style->grid, t->major ? 1.0 : 0.5);
      double y = snap_line (t->pos);
      cairo_move_to (cr, a->x, y);
      cairo_line_to (cr, a->x + a->w, y);
      cairo_stroke (cr);
    }
  for (int i = 0; i < f->xt.n; i++)
    {
      const RsPlotTick *t = &f->xt.t[i];
      rs_plot_set_color_alpha (cr, &style->grid, t->major ? 1.0 : 0.5);
      double x = snap_line (t->pos);
      cairo_move_to (cr, x, a->y);
      cairo_line_to (cr, x, a->y + a->h);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

void
rs_plot_frame_axes (cairo_t *cr, const RsPlotStyle *style, const RsPlotFrame *f)
{
  const RsPlotRect *a = &f->area;
  cairo_save (cr);

  /* the x axis line; a y axis line adds nothing over the grid */
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->muted);
  double yb = snap_line (a->y + a->h);
  cairo_move_to (cr, a->x, yb);
  cairo_line_to (cr, a->x + a->w, yb);
  cairo_stroke (cr);

  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  double pad = style->font_size * 0.45;
  rs_plot_set_color (cr, &style->muted);

  for (int i = 0; i < f->yt.n; i++)
    {
      const RsPlotTick *t = &f->yt.t[i];
      if (t->labelled)
        rs_plot_text (cr, t->label, a->x - pad, (t->extent_lo + t->extent_hi) / 2,
                      RS_ALIGN_END, RS_ALIGN_CENTER);
    }
  for (int i = 0; i < f->xt.n; i++)
    {
      const RsPlotTick *t = &f->xt.t[i];
      if (t->labelled)
        rs_plot_text (cr, t->label, (t->extent_lo + t->extent_hi) / 2, a->y + a->h + pad,
                      RS_ALIGN_CENTER, RS_ALIGN_START);
    }
  if (f->x_labels && f->x_title != NULL)
    rs_plot_text (cr, f->x_title, a->x + a->w / 2, a->y + a->h + pad + lh,
                  RS_ALIGN_CENTER, RS_ALIGN_START);
  if (f->y_title != NULL)
    {
      /* above the area, over the y labels: reads horizontally */
      double label_w = 0.0;
      for (int i = 0; i < f->yt.n; i++)
        if (f->yt.t[i].labelled)
          label_w = MAX (label_w, rs_plot_text_width (cr, f->yt.t[i].label));
      rs_plot_text (cr, f->y_title, a->x - pad - label_w, a->y - lh * 0.55 - pad * 0.2,
                    RS_ALIGN_START, RS_ALIGN_END);
    }
  cairo_restore (cr);
}

void
rs_plot_frame_clip (cairo_t *cr, const RsPlotFrame *f)
{
  cairo_rectangle (cr, f->area.x, f->area.y, f->area.w, f->area.h);
  cairo_clip (cr);
}
