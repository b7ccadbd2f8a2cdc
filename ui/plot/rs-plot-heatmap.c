/* rs-plot-heatmap.c — sparsity at a glance: |W| per layer, the probe
 * batch's activations, and fc1's weights as image tiles for digits.
 *
 * Matrices are rendered into an image surface with one pixel per cell and
 * scaled, so a 784x256 layer costs one paint rather than 200k rectangles. */
#include "rs-plot-heatmap.h"

#include <glib/gi18n.h>
#include "rs-plot-colormap.h"

#include <math.h>

/* Largest |v| of a finite matrix, 1 when all are zero (keeps t in [0,1]). */
static double
vmax_of (const float *v, gsize n)
{
  double m = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double a = fabs ((double) v[i]);
      if (isfinite (a) && a > m)
        m = a;
    }
  return m > 0.0 ? m : 1.0;
}

/* |v| / vmax through viridis, near-zero cells in style->near_zero. */
static cairo_surface_t *
magnitude_surface (const RsPlotStyle *style, const float *v, int rows, int cols,
                   double vmax, double threshold)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cols, rows);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    return s;
  cairo_surface_flush (s);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint32 nz = rs_plot_color_to_pixel (&style->near_zero);
  guint32 lut[256];
  for (int i = 0; i < 256; i++)
    {
      RsColor c = rs_plot_viridis (i / 255.0);
      lut[i] = rs_plot_color_to_pixel (&c);
    }
  for (int r = 0; r < rows; r++)
    {
      guint32 *row = (guint32 *) (data + (gsize) r * stride);
      const float *src = v + (gsize) r * cols;
      for (int k = 0; k < cols; k++)
        {
          double a = fabs ((double) src[k]);
          if (a < threshold)
            row[k] = nz;
          else
            {
              double t = isfinite (a) ? MIN (a / vmax, 1.0) : 1.0;
              row[k] = lut[(int) lround (t * 255.0)];
            }
        }
    }
  cairo_surface_mark_dirty (s);
  return s;
}

/* Places a rows x cols matrix in `avail`: as large as fits, cells at most
 * max_ratio times as wide as tall (or tall as wide), centred horizontally. */
static RsPlotRect
fit_matrix (const RsPlotRect *avail, int rows, int cols, double max_ratio)
{
  double cw = avail->w / cols, ch = avail->h / rows;
  if (cw > max_ratio * ch)
    cw = max_ratio * ch;
  if (ch > max_ratio * cw)
    ch = max_ratio * cw;
  RsPlotRect m = { 0, avail->y, cw * cols, ch * rows };
  m.x = avail->x + (avail->w - m.w) / 2;
  return m;
}

typedef struct {
  double title_h;
  double lh;           /* small text line */
  double cbw;          /* colour bar width */
} HeatChrome;

/* The common frame of both heatmaps: title, axis titles left and below,
 * the colour bar on the right, and (extra_bottom) room for marks. */
static void
heatmap_layout (cairo_t *cr, const RsPlotStyle *style, double width, double height,
                const char *title, const char *accent, int rows, int cols,
                double extra_bottom, double max_ratio, const char *near_zero_label,
                RsPlotHeatmapLayout *out, HeatChrome *chrome)
{
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  chrome->title_h = rs_plot_title (cr, style, &c, title, accent, NULL, FALSE);
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  chrome->lh = rs_plot_line_height (cr);
  cairo_restore (cr);
  chrome->cbw = rs_plot_colorbar_width (cr, style, near_zero_label);

  double pad = style->font_size * 0.45;
  double left = chrome->lh + pad;                       /* vertical axis title */
  double top = chrome->lh * 1.5;                        /* colour bar title */
  double bottom = extra_bottom + chrome->lh + pad * 1.5; /* axis title below */
  RsPlotRect avail = { c.x + left, c.y + chrome->title_h + top,
                       c.w - left - chrome->cbw, c.h - chrome->title_h - top - bottom };
  out->rows = rows;
  out->cols = cols;
  if (avail.w < 4 || avail.h < 4 || rows <= 0 || cols <= 0)
    return;
  out->matrix = fit_matrix (&avail, rows, cols, max_ratio);
  /* the colour bar follows the matrix, not the far edge */
  out->colorbar = (RsPlotRect) { out->matrix.x + out->matrix.w, out->matrix.y,
                                 chrome->cbw, MAX (out->matrix.h, chrome->lh * 5) };
  out->valid = TRUE;
}

static void
draw_matrix_chrome (cairo_t *cr, const RsPlotStyle *style, const RsPlotHeatmapLayout *L,
                    const HeatChrome *chrome, double below, const char *x_title,
                    const char *y_title)
{
  cairo_save (cr);
  double pad = style->font_size * 0.45;
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->muted);
  cairo_rectangle (cr, L->matrix.x - 0.5, L->matrix.y - 0.5, L->matrix.w + 1, L->matrix.h + 1);
  cairo_stroke (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  rs_plot_text (cr, x_title, L->matrix.x + L->matrix.w / 2,
                L->matrix.y + L->matrix.h + below + pad, RS_ALIGN_CENTER, RS_ALIGN_START);
  rs_plot_text_vertical (cr, y_title, L->matrix.x - pad, L->matrix.y + L->matrix.h / 2,
                         RS_ALIGN_CENTER, RS_ALIGN_END);
  cairo_restore (cr);
}

/* ---- weights ------------------------------------------------------------ */

static char *
weights_accent (const RsSnapshot *snap, const RsLayerSnapshot *l)
{
  return rs_plot_near_zero_text (l->near_zero_fraction, NULL, snap->sparsity_threshold);
}

void
rs_plot_weight_heatmap_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                               int layer, double width, double height,
                               RsPlotHeatmapLayout *out)
{
  memset (out, 0, sizeof *out);
  if (!rs_plot_layer_exists (snap, layer))
    return;
  const RsLayerSnapshot *l = &snap->layers[layer];
  if (l->weight == NULL || l->in <= 0 || l->out <= 0)
    return;
  g_autofree char *title = g_strdup_printf ("%s · |W| %d×%d", l->name, l->out, l->in);
  g_autofree char *accent = weights_accent (snap, l);
  HeatChrome chrome;
  g_autofree char *nz = rs_plot_near_zero_swatch ("|w|", snap->sparsity_threshold);
  heatmap_layout (cr, style, width, height, title, accent, l->out, l->in, 0, 2.0, nz, out,
                  &chrome);
  out->vmax = vmax_of (l->weight, (gsize) l->out * l->in);
}

void
rs_plot_weight_heatmap_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                             int layer, double width, double height)
{
  RsPlotRect c;
  if (!rs_plot_begin_layer (cr, style, snap, layer, width, height, &c))
    return;
  RsPlotHeatmapLayout L;
  rs_plot_weight_heatmap_layout (cr, style, snap, layer, width, height, &L);
  const RsLayerSnapshot *l = &snap->layers[layer];
  g_autofree char *title = g_strdup_printf ("%s · |W| %d×%d", l->name, l->out, l->in);
  g_autofree char *accent = weights_accent (snap, l);
  double title_h = rs_plot_title (cr, style, &c, title, accent, NULL, TRUE);
  if (!L.valid)
    {
      RsPlotRect r = { c.x, c.y + title_h, c.w, c.h - title_h };
      rs_plot_note (cr, style, &r, l->weight == NULL ? _("No weights yet") : _("Too small to draw"));
      cairo_restore (cr);
      return;
    }

  HeatChrome chrome;
  RsPlotHeatmapLayout tmp;
  g_autofree char *nz = rs_plot_near_zero_swatch ("|w|", snap->sparsity_threshold);
  heatmap_layout (cr, style, width, height, title, accent, l->out, l->in, 0, 2.0, nz, &tmp,
                  &chrome);

  cairo_surface_t *cells = magnitude_surface (style, l->weight, l->out, l->in, L.vmax,
                                              snap->sparsity_threshold);
  rs_plot_paint_cells (cr, cells, &L.matrix);
  cairo_surface_destroy (cells);

  g_autofree char *x_title = g_strdup_printf (_("inputs (%d)"), l->in);
  g_autofree char *y_title = g_strdup_printf (_("units (%d)"), l->out);
  draw_matrix_chrome (cr, style, &L, &chrome, 0, x_title, y_title);
  rs_plot_colorbar_draw (cr, style, &L.colorbar, 0.0, L.vmax, FALSE, FALSE, "|w|", nz);
  cairo_restore (cr);
}

void
rs_plot_weight_heatmaps_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                              double width, double height)
{
  rs_plot_draw_layers (cr, style, snap, rs_plot_weight_heatmap_draw, FALSE, FALSE,
                       width, height);
}

/* ---- activations -------------------------------------------------------- */

/* Units silent on every probe row (what the red ticks mark). */
static int
dead_columns (const RsLayerSnapshot *l, double threshold, gboolean *dead)
{
  int k = 0;
  for (int u = 0; u < l->out; u++)
    {
      gboolean silent = l->probe_rows > 0;
      for (int r = 0; r < l->probe_rows && silent; r++)
        if (!(fabsf (l->activations[(gsize) r * l->out + u]) < threshold))
          silent = FALSE;
      if (dead != NULL)
        dead[u] = silent;
      k += silent;
    }
  return k;
}

static char *
activation_title (const RsLayerSnapshot *l)
{
  return l->is_output ? g_strdup_printf (_("%s · outputs (logits)"), l->name)
                      : g_strdup_printf (_("%s · activations"), l->name);
}

static char *
activation_accent (const RsSnapshot *snap, const RsLayerSnapshot *l, int *dead)
{
  if (l->is_output || l->activations == NULL)
    return NULL;
  *dead = dead_columns (l, snap->sparsity_threshold, NULL);
  return g_strdup_printf (_("%d of %d units silent"), *dead, l->out);
}

static gboolean
has_mask (const RsLayerSnapshot *l)
{
  return !l->is_output && l->dropped != NULL && l->mask_rows > 0;
}

/* The matrix, and below it (after the dead-unit ticks and the band's
 * label line) the dropout band, with cells as tall as the matrix's. */
static void
activation_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                   const RsLayerSnapshot *l, double width, double height,
                   RsPlotHeatmapLayout *out, HeatChrome *chrome)
{
  int dead = 0;
  g_autofree char *title = activation_title (l);
  g_autofree char *accent = activation_accent (snap, l, &dead);
  g_autofree char *nz = rs_plot_near_zero_swatch ("|a|", l->is_output ? 0.0 : snap->sparsity_threshold);
  int band = has_mask (l) ? l->mask_rows : 0;
  double marks = style->font_size * 0.7;
  /* the label line is known only after the chrome: one small line */
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double gap = band > 0 ? marks + rs_plot_line_height (cr) * 1.4 : 0.0;
  cairo_restore (cr);
  heatmap_layout (cr, style, width, height, title, accent, l->probe_rows + band, l->out,
                  marks + gap, 6.0, nz, out, chrome);
  out->rows = l->probe_rows;
  out->vmax = vmax_of (l->activations, (gsize) l->probe_rows * l->out);
  if (!out->valid || band == 0)
    return;
  double ch = out->matrix.h / (l->probe_rows + band);
  out->matrix.h = ch * l->probe_rows;
  out->band = (RsPlotRect) { out->matrix.x, out->matrix.y + out->matrix.h + gap,
                             out->matrix.w, ch * band };
  out->band_rows = band;
  out->colorbar.h = MAX (out->matrix.h, chrome->lh * 5);
}

void
rs_plot_activation_heatmap_layout (cairo_t *cr, const RsPlotStyle *style,
                                   const RsSnapshot *snap, int layer, double width,
                                   double height, RsPlotHeatmapLayout *out)
{
  memset (out, 0, sizeof *out);
  if (!rs_plot_layer_exists (snap, layer))
    return;
  const RsLayerSnapshot *l = &snap->layers[layer];
  if (l->activations == NULL || l->probe_rows <= 0 || l->out <= 0)
    return;
  HeatChrome chrome;
  activation_layout (cr, style, snap, l, width, height, out, &chrome);
}

/* Dropped cells in the foreground colour, kept ones in the grid colour:
 * neither is on the viridis map, so the band never reads as activations. */
static void
draw_dropout_band (cairo_t *cr, const RsPlotStyle *style, const RsLayerSnapshot *l,
                   const RsPlotHeatmapLayout *L, const HeatChrome *chrome)
{
  int rows = L->band_rows, cols = l->out;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cols, rows);
  if (cairo_surface_status (s) == CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_flush (s);
      guint8 *data = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s);
      guint32 on = rs_plot_color_to_pixel (&style->foreground);
      guint32 off = rs_plot_color_to_pixel (&style->grid);
      for (int r = 0; r < rows; r++)
        {
          guint32 *row = (guint32 *) (data + (gsize) r * stride);
          for (int k = 0; k < cols; k++)
            row[k] = l->dropped[(gsize) r * cols + k] ? on : off;
        }
      cairo_surface_mark_dirty (s);
      rs_plot_paint_cells (cr, s, &L->band);
    }
  cairo_surface_destroy (s);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->muted);
  cairo_rectangle (cr, L->band.x - 0.5, L->band.y - 0.5, L->band.w + 1, L->band.h + 1);
  cairo_stroke (cr);
  /* "last training batch (16 samples)  ■ dropped (this batch)" just above
   * the band: its rows are not the probe rows above */
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double y = L->band.y - chrome->lh * 0.2;
  g_autofree char *what = g_strdup_printf (_("last training batch (%d samples)"), rows);
  const char *legend = _("dropped (this batch)");
  double sw = chrome->lh * 0.7, pad = chrome->lh * 0.5;
  double x = L->band.x;
  rs_plot_set_color (cr, &style->foreground);
  rs_plot_text (cr, what, x, y, RS_ALIGN_START, RS_ALIGN_END);
  x += rs_plot_text_width (cr, what) + pad;
  cairo_rectangle (cr, x, y - chrome->lh * 0.15 - sw, sw, sw);
  cairo_fill (cr);
  rs_plot_text (cr, legend, x + sw + pad * 0.5, y, RS_ALIGN_START, RS_ALIGN_END);
  cairo_restore (cr);
}

void
rs_plot_activation_heatmap_draw (cairo_t *cr, const RsPlotStyle *style,
                                 const RsSnapshot *snap, int layer, double width,
                                 double height)
{
  RsPlotRect c;
  if (!rs_plot_begin_layer (cr, style, snap, layer, width, height, &c))
    return;
  const RsLayerSnapshot *l = &snap->layers[layer];
  RsPlotHeatmapLayout L;
  rs_plot_activation_heatmap_layout (cr, style, snap, layer, width, height, &L);

  int n_dead = 0;
  g_autofree char *title = activation_title (l);
  g_autofree char *accent = activation_accent (snap, l, &n_dead);
  double title_h = rs_plot_title (cr, style, &c, title, accent,
                                  n_dead > 0 ? &style->series[RS_SERIES_VAL_LOSS] : &style->muted,
                                  TRUE);
  if (!L.valid)
    {
      RsPlotRect r = { c.x, c.y + title_h, c.w, c.h - title_h };
      rs_plot_note (cr, style, &r,
                    l->activations == NULL ? _("No activations yet") : _("Too small to draw"));
      cairo_restore (cr);
      return;
    }
  HeatChrome chrome;
  RsPlotHeatmapLayout tmp = { 0 };
  /* logits are not "silent" when small: no near-zero colour for them */
  double threshold = l->is_output ? 0.0 : snap->sparsity_threshold;
  g_autofree char *nz = rs_plot_near_zero_swatch ("|a|", threshold);
  activation_layout (cr, style, snap, l, width, height, &tmp, &chrome);

  cairo_surface_t *cells = magnitude_surface (style, l->activations, l->probe_rows, l->out,
                                              L.vmax, threshold);
  rs_plot_paint_cells (cr, cells, &L.matrix);
  cairo_surface_destroy (cells);

  double mark_h = style->font_size * 0.5;
  if (!l->is_output && n_dead > 0)
    {
      /* a red tick under every silent unit */
      gboolean *dead = g_new0 (gboolean, l->out);
      dead_columns (l, snap->sparsity_threshold, dead);
      cairo_save (cr);
      rs_plot_set_color (cr, &style->series[RS_SERIES_VAL_LOSS]);
      double cw = L.matrix.w / l->out;
      for (int u = 0; u < l->out; u++)
        if (dead[u])
          {
            double x0 = L.matrix.x + u * cw, w = MAX (cw * 0.8, 1.5);
            cairo_rectangle (cr, x0 + (cw - w) / 2, L.matrix.y + L.matrix.h + 2, w, mark_h);
          }
      cairo_fill (cr);
      cairo_restore (cr);
      g_free (dead);
    }

  g_autofree char *x_title = g_strdup_printf (_("units (%d)"), l->out);
  g_autofree char *y_title = g_strdup_printf (_("samples (%d)"), l->probe_rows);
  if (L.band_rows > 0)
    draw_dropout_band (cr, style, l, &L, &chrome);
  /* with a band the units' title goes under it */
  double below = L.band_rows > 0 ? L.band.y + L.band.h - (L.matrix.y + L.matrix.h)
                                 : style->font_size * 0.7;
  draw_matrix_chrome (cr, style, &L, &chrome, below, x_title, y_title);
  rs_plot_colorbar_draw (cr, style, &L.colorbar, 0.0, L.vmax, FALSE, FALSE, "|a|", nz);
  cairo_restore (cr);
}

/* ---- digit tiles -------------------------------------------------------- */

static gboolean
tiles_apply (const RsSnapshot *snap)
{
  return snap != NULL && snap->image_w > 0 && snap->image_h > 0 && snap->n_layers > 0
         && snap->layers[0].weight != NULL
         && snap->layers[0].in == snap->image_w * snap->image_h && snap->layers[0].out > 0;
}

void
rs_plot_digit_tiles_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                            double width, double height, RsPlotTilesLayout *out)
{
  memset (out, 0, sizeof *out);
  if (!tiles_apply (snap))
    return;
  const RsLayerSnapshot *l = &snap->layers[0];
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *title = g_strdup_printf (_("%s · each unit's weights as an image (%d×%d)"),
                                            l->name, snap->image_w, snap->image_h);
  double title_h = rs_plot_title (cr, style, &c, title, NULL, NULL, FALSE);
  g_autofree char *nz = rs_plot_near_zero_swatch ("|w|", snap->sparsity_threshold);
  double cbw = rs_plot_colorbar_width (cr, style, nz);
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  cairo_restore (cr);
  RsPlotRect avail = { c.x, c.y + title_h + lh * 0.8, c.w - cbw,
                       c.h - title_h - lh * 0.8 };
  if (avail.w < 4 || avail.h < 4)
    return;

  /* the column count that gives the biggest tiles; gaps are 15% of a tile */
  int n = l->out;
  double aspect = (double) snap->image_h / snap->image_w;
  double best = 0.0;
  int best_cols = 1;
  for (int cols = 1; cols <= n; cols++)
    {
      int rows = (n + cols - 1) / cols;
      double tw = MIN (avail.w / (cols * 1.15 - 0.15), avail.h / (rows * aspect + (rows - 1) * 0.15));
      if (tw > best)
        best = tw, best_cols = cols;
    }
  int rows = (n + best_cols - 1) / best_cols;
  double tw = best, th = best * aspect, gap = best * 0.15;
  double grid_w = best_cols * tw + (best_cols - 1) * gap;
  out->first = (RsPlotRect) { avail.x + (avail.w - grid_w) / 2, avail.y, tw, th };
  out->pitch_x = tw + gap;
  out->pitch_y = th + gap;
  out->cols = best_cols;
  out->n_tiles = n;
  out->vmax = vmax_of (l->weight, (gsize) l->out * l->in);
  out->valid = rows > 0 && tw >= 1.0;
}

void
rs_plot_digit_tiles_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          double width, double height)
{
  cairo_save (cr);
  rs_plot_fill_background (cr, style, width, height);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  if (!tiles_apply (snap))
    {
      rs_plot_note (cr, style, &c, _("Digit tiles need image data (digits)"));
      cairo_restore (cr);
      return;
    }
  const RsLayerSnapshot *l = &snap->layers[0];
  RsPlotTilesLayout L;
  rs_plot_digit_tiles_layout (cr, style, snap, width, height, &L);
  g_autofree char *title = g_strdup_printf (_("%s · each unit's weights as an image (%d×%d)"),
                                            l->name, snap->image_w, snap->image_h);
  rs_plot_title (cr, style, &c, title, NULL, NULL, TRUE);
  if (!L.valid)
    {
      cairo_restore (cr);
      return;
    }

  int iw = snap->image_w, ih = snap->image_h;
  double threshold = snap->sparsity_threshold;
  /* the diverging map is white at 0, like the page: near-zero weights
   * take the near-zero colour instead, so what L1 carved away shows */
  guint32 near_zero_px = rs_plot_color_to_pixel (&style->near_zero);
  cairo_surface_t *tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw, ih);
  for (int u = 0; u < L.n_tiles; u++)
    {
      if (cairo_surface_status (tile) != CAIRO_STATUS_SUCCESS)
        break;
      cairo_surface_flush (tile);
      guint8 *data = cairo_image_surface_get_data (tile);
      int stride = cairo_image_surface_get_stride (tile);
      const float *w = l->weight + (gsize) u * l->in;
      for (int y = 0; y < ih; y++)
        {
          guint32 *row = (guint32 *) (data + (gsize) y * stride);
          for (int x = 0; x < iw; x++)
            {
              double v = w[y * iw + x];
              if (fabs (v) < threshold || !isfinite (v))
                row[x] = near_zero_px;  /* what L1 carved away */
              else
                {
                  RsColor col = rs_plot_diverging (v / L.vmax);
                  row[x] = rs_plot_color_to_pixel (&col);
                }
            }
        }
      cairo_surface_mark_dirty (tile);
      RsPlotRect r = { L.first.x + (u % L.cols) * L.pitch_x,
                       L.first.y + (u / L.cols) * L.pitch_y, L.first.w, L.first.h };
      rs_plot_paint_cells (cr, tile, &r);
      /* a hairline so a pale tile on a white page still shows */
      cairo_save (cr);
      cairo_set_line_width (cr, 1.0);
      rs_plot_set_color (cr, &style->grid);
      cairo_rectangle (cr, r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  cairo_surface_destroy (tile);

  g_autofree char *nz = rs_plot_near_zero_swatch ("|w|", threshold);
  double cbw = rs_plot_colorbar_width (cr, style, nz);
  double grid_right = L.first.x + L.cols * L.pitch_x - (L.pitch_x - L.first.w);
  int rows = (L.n_tiles + L.cols - 1) / L.cols;
  double grid_h = rows * L.pitch_y - (L.pitch_y - L.first.h);
  RsPlotRect bar = { grid_right, L.first.y, cbw, MAX (grid_h, style->font_size * 6) };
  bar.h = MIN (bar.h, c.y + c.h - bar.y);
  rs_plot_colorbar_draw (cr, style, &bar, -L.vmax, L.vmax, FALSE, TRUE, "w", nz);
  cairo_restore (cr);
}
