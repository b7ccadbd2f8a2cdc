/* rs-plot-histogram.c — weight-magnitude histograms (one per layer, linear
 * or log bins) and their evolution over time as a steps x bins heatmap. */
#include "rs-plot-histogram.h"
#include "rs-plot-baseline.h"
#include "rs-plot-colormap.h"
#include "rs-plot-legend.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static const RsHistogram *
pick_histogram (const RsPlotStyle *style, const RsLayerSnapshot *l)
{
  const RsHistogram *h = style->log_bins ? l->hist_log : l->hist_linear;
  /* show the other kind rather than nothing */
  return h != NULL ? h : style->log_bins ? l->hist_linear : l->hist_log;
}

static char *
layer_title (const RsLayerSnapshot *l, const char *what)
{
  if (what != NULL)
    return g_strdup_printf ("%s · %s", l->name, what);
  return g_strdup_printf ("%s · %d×%d", l->name, l->out, l->in);
}

/* "38% near zero (|w| < 0.001)": how much of the layer L1 has switched
 * off; with a baseline, its share after it: "· baseline 2%". */
static char *
near_zero_text (const RsSnapshot *snap, const RsLayerSnapshot *l, const RsLayerSnapshot *bl)
{
  char *text = rs_plot_near_zero_text (l->near_zero_fraction, "|w|", snap->sparsity_threshold);
  if (bl == NULL)
    return text;
  g_autofree char *own = text;
  g_autofree char *base = rs_plot_near_zero_text (bl->near_zero_fraction, NULL, 0);
  /* "2% near zero" -> "2%": the words are already said */
  char *space = strchr (base, ' ');
  if (space != NULL)
    *space = '\0';
  /* TRANSLATORS: the histogram's near-zero share, then the pinned run's */
  return g_strdup_printf (_("%s · baseline %s"), own, base);
}

static gboolean
same_bins (const RsHistogram *a, const RsHistogram *b)
{
  return a->n_bins == b->n_bins && a->log_bins == b->log_bins && a->lo == b->lo
         && a->hi == b->hi;
}

/* layer l's |w| counted again in bins like `like`'s, up to hi. */
static RsHistogram *
rebin (const RsHistogram *like, double hi, const RsLayerSnapshot *l)
{
  if (l->weight == NULL)
    return NULL;
  RsHistogram *h = rs_histogram_new (like->n_bins, like->log_bins, like->lo, hi);
  rs_histogram_fill (h, l->weight, (gsize) l->in * l->out);
  return h;
}

/* This run's histogram and the baseline's in the same bins. Log bins have
 * fixed edges; linear bins span each run's own largest |w|, so both runs
 * are counted again over the larger of the two (the weights are in the
 * snapshots). */
static void
pair_histograms (const RsPlotStyle *style, const RsLayerSnapshot *l,
                 const RsLayerSnapshot *bl, RsPlotHistogramLayout *out)
{
  const RsHistogram *h = pick_histogram (style, l);
  out->hist = h;
  if (h == NULL || bl == NULL)
    return;
  const RsHistogram *b = h->log_bins ? bl->hist_log : bl->hist_linear;
  if (b != NULL && same_bins (h, b))
    {
      out->base = b;
      return;
    }
  double hi = h->hi;
  if (!h->log_bins && bl->weight != NULL)
    {
      double bmax = rs_stats_max_abs (bl->weight, (gsize) bl->in * bl->out);
      hi = MAX (hi, bmax * (1 + 1e-6));
    }
  if (hi > h->hi)
    {
      out->owned[0] = rebin (h, hi, l);
      if (out->owned[0] == NULL)
        return;
      out->hist = out->owned[0];
    }
  out->owned[1] = rebin (h, hi, bl);
  out->base = out->owned[1];
}

void
rs_plot_histogram_layout_clear (RsPlotHistogramLayout *l)
{
  for (gsize i = 0; i < G_N_ELEMENTS (l->owned); i++)
    g_clear_pointer (&l->owned[i], rs_histogram_free);
  l->hist = l->base = NULL;
}

/* The legend with a baseline: this run's bars, the baseline's outline. */
static int
histogram_legend (const RsPlotStyle *style, const char *base_label, RsLegendEntry *entries)
{
  entries[0] = (RsLegendEntry) { _("this run"), style->series[RS_SERIES_TASK], RS_LEGEND_BOX,
                                 1.0 };
  entries[1] = rs_plot_baseline_entry (style, base_label);
  return 2;
}

void
rs_plot_histogram_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                          const RsSnapshot *baseline, int layer, double width, double height,
                          RsPlotHistogramLayout *out)
{
  memset (out, 0, sizeof *out);
  if (!rs_plot_layer_exists (snap, layer))
    return;
  const RsLayerSnapshot *l = &snap->layers[layer];
  const RsLayerSnapshot *bl = rs_plot_baseline_layer (snap, baseline, layer);

  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *title = layer_title (l, NULL);
  g_autofree char *accent = near_zero_text (snap, l, bl);
  double title_h = rs_plot_title (cr, style, &c, title, accent, NULL, FALSE);
  double legend_h = 0;
  if (bl != NULL)
    {
      g_autofree char *label = rs_plot_baseline_label (baseline);
      RsLegendEntry entries[2];
      int n = histogram_legend (style, label, entries);
      legend_h = rs_plot_legend (cr, style, entries, n, c.x, c.y + title_h, c.w, FALSE);
      /* a thumbnail keeps its room for the bars */
      if (legend_h > 0.3 * (c.h - title_h))
        legend_h = 0;
    }
  out->legend = (RsPlotRect) { c.x, c.y + title_h, c.w, legend_h };
  RsPlotRect outer = { c.x, c.y + title_h + legend_h, c.w, c.h - title_h - legend_h };
  pair_histograms (style, l, bl, out);
  const RsHistogram *h = out->hist, *b = out->base;
  if (h == NULL || outer.h <= 0)
    {
      rs_plot_histogram_layout_clear (out);
      return;
    }

  double ymax = h->log_bins ? h->below : 0;
  for (int i = 0; i < h->n_bins; i++)
    ymax = MAX (ymax, h->counts[i]);
  for (int i = 0; b != NULL && i < b->n_bins; i++)
    ymax = MAX (ymax, b->counts[i]);
  if (b != NULL && b->log_bins)
    ymax = MAX (ymax, b->below);
  if (ymax <= 0)
    ymax = 1;

  RsPlotAxisSpec xs = { h->lo, h->hi, h->log_bins, FALSE, RS_TICK_NUMBER, "|w|", TRUE, 0 };
  RsPlotAxisSpec ys = { 0.0, ymax, FALSE, TRUE, RS_TICK_NUMBER, _("weights"), TRUE, 0 };
  rs_plot_frame_layout (cr, style, &outer, &xs, &ys, 0, &out->frame);

  out->below_x0 = out->below_x1 = out->frame.area.x;
  if (h->log_bins)
    {
      /* The `below` bar (exact zeros included) gets its own slot left of
       * the log axis, which cannot show zero. */
      cairo_save (cr);
      rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
      double label_w = rs_plot_text_width (cr, "<1e-5");
      cairo_restore (cr);
      double bin_w = out->frame.area.w / (h->n_bins + 2);
      double slot = MAX (bin_w * 1.5, label_w * 0.7);
      double gap = MAX (bin_w * 0.8, style->font_size * 0.5);
      out->below_x0 = out->frame.area.x;
      out->below_x1 = out->frame.area.x + slot;
      RsPlotFrame *f = &out->frame;
      f->x.p0 = out->below_x1 + gap;
      rs_plot_ticks_compute (cr, style, &f->x, FALSE, RS_TICK_NUMBER,
                             out->below_x0 + slot / 2 + label_w / 2 + style->font_size * 0.5,
                             c.x + c.w, &f->xt);
      /* "1e-5" right after "<1e-5" reads as a typo: the slot says it */
      for (int i = 0; i < f->xt.n; i++)
        if (f->xt.t[i].value <= h->lo * (1 + 1e-9))
          f->xt.t[i].labelled = FALSE;
    }
}

void
rs_plot_histogram_bar_x (const RsPlotHistogramLayout *l, int i, double *x0, double *x1)
{
  if (i < 0)
    {
      *x0 = l->below_x0;
      *x1 = l->below_x1;
      return;
    }
  double a = rs_plot_scale_map (&l->frame.x, rs_histogram_edge (l->hist, i));
  double b = rs_plot_scale_map (&l->frame.x, rs_histogram_edge (l->hist, i + 1));
  /* a hairline gap between bars when there is room for one */
  double g = b - a > 4.0 ? 1.0 : 0.0;
  *x0 = a + g / 2;
  *x1 = b - g / 2;
}

static void
fill_bar (cairo_t *cr, const RsPlotHistogramLayout *L, int i, guint32 count)
{
  if (count == 0)
    return;
  double x0, x1;
  rs_plot_histogram_bar_x (L, i, &x0, &x1);
  double y0 = rs_plot_scale_map (&L->frame.y, 0.0);
  double y1 = rs_plot_scale_map (&L->frame.y, (double) count);
  cairo_rectangle (cr, x0, y1, x1 - x0, y0 - y1);
  cairo_fill (cr);
}

/* The baseline's counts as one stepped outline over the bars (the same
 * bins), and its `below` count as an open box over the slot. */
static void
draw_outline (cairo_t *cr, const RsPlotStyle *style, const RsPlotHistogramLayout *L)
{
  const RsHistogram *b = L->base;
  double y0 = rs_plot_scale_map (&L->frame.y, 0.0);
  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_width (cr, MAX (1.5, style->line_width * 0.75));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  rs_plot_set_color (cr, &style->foreground);
  cairo_new_path (cr);
  double x = rs_plot_scale_map (&L->frame.x, rs_histogram_edge (b, 0));
  cairo_move_to (cr, x, y0);
  for (int i = 0; i < b->n_bins; i++)
    {
      double y = rs_plot_scale_map (&L->frame.y, (double) b->counts[i]);
      double xr = rs_plot_scale_map (&L->frame.x, rs_histogram_edge (b, i + 1));
      cairo_line_to (cr, x, y);
      cairo_line_to (cr, xr, y);
      x = xr;
    }
  cairo_line_to (cr, x, y0);
  if (b->log_bins && b->below > 0)
    {
      double y = rs_plot_scale_map (&L->frame.y, (double) b->below);
      cairo_move_to (cr, L->below_x0, y0);
      cairo_line_to (cr, L->below_x0, y);
      cairo_line_to (cr, L->below_x1, y);
      cairo_line_to (cr, L->below_x1, y0);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* A near-zero bar looks like the heatmaps' near-zero cells and their
 * colour-bar swatch: the near-zero grey, edged in the grid colour (on the
 * dark theme the grey is nearly the page's colour). */
static void
fill_near_zero_bar (cairo_t *cr, const RsPlotStyle *style, const RsPlotHistogramLayout *L,
                    int i, guint32 count)
{
  if (count == 0)
    return;
  rs_plot_set_color (cr, &style->near_zero);
  fill_bar (cr, L, i, count);
  double x0, x1;
  rs_plot_histogram_bar_x (L, i, &x0, &x1);
  double y0 = rs_plot_scale_map (&L->frame.y, 0.0);
  double y1 = rs_plot_scale_map (&L->frame.y, (double) count);
  if (x1 - x0 < 3 || y0 - y1 < 3)
    return;
  rs_plot_set_color (cr, &style->grid);
  cairo_set_line_width (cr, 1.0);
  /* sides and top: the axis is the bottom */
  cairo_move_to (cr, x0 + 0.5, y0);
  cairo_line_to (cr, x0 + 0.5, y1 + 0.5);
  cairo_line_to (cr, x1 - 0.5, y1 + 0.5);
  cairo_line_to (cr, x1 - 0.5, y0);
  cairo_stroke (cr);
}

void
rs_plot_histogram_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                        const RsSnapshot *baseline, int layer, double width, double height)
{
  RsPlotRect c;
  if (!rs_plot_begin_layer (cr, style, snap, layer, width, height, &c))
    return;

  const RsLayerSnapshot *l = &snap->layers[layer];
  const RsLayerSnapshot *bl = rs_plot_baseline_layer (snap, baseline, layer);
  RsPlotHistogramLayout L;
  rs_plot_histogram_layout (cr, style, snap, baseline, layer, width, height, &L);
  g_autofree char *title = layer_title (l, NULL);
  g_autofree char *accent = near_zero_text (snap, l, bl);
  double title_h = rs_plot_title (cr, style, &c, title, accent, NULL, TRUE);
  const RsHistogram *h = L.hist;
  if (h == NULL)
    {
      RsPlotRect r = { c.x, c.y + title_h, c.w, c.h - title_h };
      rs_plot_note (cr, style, &r, _("No weights yet"));
      cairo_restore (cr);
      return;
    }
  if (L.legend.h > 0)
    {
      g_autofree char *label = rs_plot_baseline_label (baseline);
      RsLegendEntry entries[2];
      int n = histogram_legend (style, label, entries);
      rs_plot_legend (cr, style, entries, n, L.legend.x, L.legend.y, L.legend.w, TRUE);
    }

  rs_plot_frame_grid (cr, style, &L.frame);

  /* bins wholly under the sparsity threshold are the "switched off" ones:
   * near zero, in the grey every plot uses for it */
  cairo_save (cr);
  cairo_rectangle (cr, L.below_x0, L.frame.area.y, L.frame.area.x + L.frame.area.w - L.below_x0,
                   L.frame.area.h);
  cairo_clip (cr);
  for (int i = 0; i < h->n_bins; i++)
    {
      if (rs_histogram_edge (h, i + 1) <= snap->sparsity_threshold)
        fill_near_zero_bar (cr, style, &L, i, h->counts[i]);
      else
        {
          rs_plot_set_color (cr, &style->series[RS_SERIES_TASK]);
          fill_bar (cr, &L, i, h->counts[i]);
        }
    }
  if (h->log_bins)
    fill_near_zero_bar (cr, style, &L, -1, h->below);
  /* the threshold itself, on a log axis where it has room to be seen */
  if (h->log_bins && snap->sparsity_threshold > h->lo && snap->sparsity_threshold < h->hi)
    {
      double x = floor (rs_plot_scale_map (&L.frame.x, snap->sparsity_threshold)) + 0.5;
      double dash[2] = { 4, 3 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 1.0);
      rs_plot_set_color (cr, &style->muted);
      cairo_move_to (cr, x, L.frame.area.y);
      cairo_line_to (cr, x, L.frame.area.y + L.frame.area.h);
      cairo_stroke (cr);
    }
  if (L.base != NULL)
    draw_outline (cr, style, &L);
  cairo_restore (cr);

  rs_plot_frame_axes (cr, style, &L.frame);
  if (h->log_bins)
    {
      /* the axis line under the slot, and its label */
      cairo_save (cr);
      rs_plot_set_color (cr, &style->muted);
      cairo_set_line_width (cr, 1.0);
      double yb = floor (L.frame.area.y + L.frame.area.h) + 0.5;
      cairo_move_to (cr, L.below_x0, yb);
      cairo_line_to (cr, L.below_x1, yb);
      cairo_stroke (cr);
      rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
      rs_plot_text (cr, "<1e-5", (L.below_x0 + L.below_x1) / 2,
                    L.frame.area.y + L.frame.area.h + style->font_size * 0.45,
                    RS_ALIGN_CENTER, RS_ALIGN_START);
      cairo_restore (cr);
    }
  rs_plot_histogram_layout_clear (&L);
  cairo_restore (cr);
}

void
rs_plot_histograms_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                         const RsSnapshot *baseline, double width, double height)
{
  RsPlotLayerCell cells[RS_MAX_LAYERS];
  int n = rs_plot_layer_cells (style, snap, FALSE, FALSE, width, height, cells);
  for (int k = 0; rs_plot_cell_begin (cr, style, cells, n, k, width, height); k++)
    {
      rs_plot_histogram_draw (cr, style, snap, baseline, cells[k].layer, cells[k].box.w,
                              cells[k].box.h);
      cairo_restore (cr);
    }
}

/* ---- over time ---------------------------------------------------------- */

/* Frame f's column runs from halfway to its left neighbour to halfway to
 * its right one; the first starts at the first frame's step and the last
 * ends at the last frame's step, the step the run is at: the axis shows no
 * step that has not happened. One frame gets one step's width. */
static double *
frame_edges (const RsLayerSnapshot *l)
{
  int nf = l->n_frames;
  double *edges = g_new (double, nf + 1);
  for (int f = 1; f < nf; f++)
    edges[f] = 0.5 * ((double) l->frame_steps[f - 1] + (double) l->frame_steps[f]);
  edges[0] = (double) l->frame_steps[0];
  edges[nf] = nf > 1 ? (double) l->frame_steps[nf - 1] : edges[0] + 1.0;
  return edges;
}

static guint32
frames_max_count (const RsLayerSnapshot *l)
{
  guint32 cmax = 1;
  for (int f = 0; f < l->n_frames; f++)
    {
      for (int b = 0; b < RS_SNAPSHOT_HIST_BINS; b++)
        cmax = MAX (cmax, l->frame_counts[(gsize) f * RS_SNAPSHOT_HIST_BINS + b]);
      if (l->frame_below != NULL)
        cmax = MAX (cmax, l->frame_below[f]);
    }
  return cmax;
}

static char *
time_title (const RsLayerSnapshot *l)
{
  return layer_title (l, _("|w| over time"));
}

void
rs_plot_histogram_time_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                               int layer, double width, double height,
                               RsPlotHistogramTimeLayout *out)
{
  memset (out, 0, sizeof *out);
  if (!rs_plot_layer_exists (snap, layer))
    return;
  const RsLayerSnapshot *l = &snap->layers[layer];
  RsPlotRect c = rs_plot_content_rect (style, width, height);
  g_autofree char *title = time_title (l);
  double title_h = rs_plot_title (cr, style, &c, title, NULL, NULL, FALSE);
  RsPlotRect outer = { c.x, c.y + title_h, c.w, c.h - title_h };
  out->outer = outer;
  int nf = l->n_frames;
  if (nf <= 0 || l->frame_steps == NULL || l->frame_counts == NULL || outer.h <= 0)
    return;

  const int bins = RS_SNAPSHOT_HIST_BINS;
  double lo = l->hist_log != NULL ? l->hist_log->lo : RS_HISTOGRAM_LOG_LO;
  double hi = l->hist_log != NULL ? l->hist_log->hi : RS_HISTOGRAM_LOG_HI;
  double *edges = frame_edges (l);
  out->cbw = rs_plot_colorbar_width (cr, style, NULL);
  RsPlotAxisSpec xs = { edges[0], edges[nf], FALSE, FALSE, RS_TICK_NUMBER, _("step"), TRUE, 0 };
  RsPlotAxisSpec ys = { lo, hi, TRUE, FALSE, RS_TICK_NUMBER, "|w|", TRUE, 0 };
  g_free (edges);
  RsPlotFrame *F = &out->frame;
  rs_plot_frame_layout (cr, style, &outer, &xs, &ys, out->cbw, F);

  /* a band for `below` under the log axis, like the histogram's slot,
   * tall enough for its label */
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  cairo_restore (cr);
  out->band = MAX (F->area.h / (bins + 1), lh * 0.9);
  double band_gap = lh * 0.5;
  out->bottom = F->area.y + F->area.h;
  F->y.p0 = out->bottom - out->band - band_gap;
  rs_plot_ticks_compute (cr, style, &F->y, TRUE, RS_TICK_NUMBER, F->area.y - style->font_size,
                         out->bottom - out->band - lh * 0.1, &F->yt);
  for (int i = 0; i < F->yt.n; i++)
    if (F->yt.t[i].value <= lo * (1 + 1e-9))
      F->yt.t[i].labelled = FALSE;
  out->valid = TRUE;
}

void
rs_plot_histogram_time_draw (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                             int layer, double width, double height)
{
  RsPlotRect c;
  if (!rs_plot_begin_layer (cr, style, snap, layer, width, height, &c))
    return;

  const RsLayerSnapshot *l = &snap->layers[layer];
  g_autofree char *title = time_title (l);
  rs_plot_title (cr, style, &c, title, NULL, NULL, TRUE);
  RsPlotHistogramTimeLayout L;
  rs_plot_histogram_time_layout (cr, style, snap, layer, width, height, &L);
  if (!L.valid)
    {
      rs_plot_note (cr, style, &L.outer, _("No history yet"));
      cairo_restore (cr);
      return;
    }

  const int bins = RS_SNAPSHOT_HIST_BINS;
  int nf = l->n_frames;
  double *edges = frame_edges (l);
  guint32 cmax = frames_max_count (l);
  RsPlotFrame *F = &L.frame;
  double bottom = L.bottom, band = L.band;

  rs_plot_frame_grid (cr, style, F);

  cairo_save (cr);
  rs_plot_frame_clip (cr, F);
  double lmax = log ((double) cmax);
  for (int f = 0; f < nf; f++)
    {
      double x0 = round (rs_plot_scale_map (&F->x, edges[f]));
      double x1 = round (rs_plot_scale_map (&F->x, edges[f + 1]));
      if (x1 <= x0)
        x1 = x0 + 1;
      for (int b = -1; b < bins; b++)
        {
          guint32 n = b < 0 ? (l->frame_below != NULL ? l->frame_below[f] : 0)
                            : l->frame_counts[(gsize) f * bins + b];
          if (n == 0)
            continue;             /* empty cells stay background: the shape reads */
          double y0, y1;
          if (b < 0)
            y0 = round (bottom), y1 = round (bottom - band);
          else
            {
              y0 = round (F->y.p0 + (F->y.p1 - F->y.p0) * b / bins);
              y1 = round (F->y.p0 + (F->y.p1 - F->y.p0) * (b + 1) / bins);
            }
          RsColor col = rs_plot_viridis (lmax > 0 ? log ((double) n) / lmax : 1.0);
          rs_plot_set_color (cr, &col);
          cairo_rectangle (cr, x0, y1, x1 - x0, MAX (y0 - y1, 1.0));
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);

  rs_plot_frame_axes (cr, style, F);
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  rs_plot_set_color (cr, &style->muted);
  rs_plot_text (cr, "<1e-5", F->area.x - style->font_size * 0.45, bottom - band / 2,
                RS_ALIGN_END, RS_ALIGN_CENTER);
  cairo_restore (cr);

  RsPlotRect bar = { F->area.x + F->area.w, F->area.y, L.cbw, F->area.h };
  rs_plot_colorbar_draw (cr, style, &bar, 1.0, MAX (cmax, 2), TRUE, FALSE, _("count"), NULL);

  g_free (edges);
  cairo_restore (cr);
}
