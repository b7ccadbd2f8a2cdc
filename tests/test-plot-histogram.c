/* test-plot-histogram.c — |w| histograms and their evolution, on pixels. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-colormap.h"
#include "rs-plot-baseline.h"
#include "rs-plot-histogram.h"

#define W 600
#define H 400

typedef PlotCanvas Fixture;

static const guint32 linear_counts[8] = { 10, 20, 40, 5, 0, 33, 1, 17 };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  plot_canvas_init (f, W, H, RS_PLOT_THEME_LIGHT, 10);

  /* known counts, set by hand */
  RsLayerSnapshot *l = &f->snap->layers[0];
  rs_histogram_free (l->hist_linear);
  l->hist_linear = rs_histogram_new (8, FALSE, 0.0, 1.0);
  for (int i = 0; i < 8; i++)
    l->hist_linear->counts[i] = linear_counts[i];
  rs_histogram_free (l->hist_log);
  l->hist_log = rs_histogram_new (6, TRUE, RS_HISTOGRAM_LOG_LO, RS_HISTOGRAM_LOG_HI);
  const guint32 log_counts[6] = { 2, 0, 8, 16, 4, 0 };
  for (int i = 0; i < 6; i++)
    l->hist_log->counts[i] = log_counts[i];
  l->hist_log->below = 12;
  l->near_zero_fraction = 0.38;
}

/* Height of the run of colour c going up from the axis at x. */
static int
bar_height (cairo_surface_t *s, double x, double y_axis, const RsColor *c)
{
  int n = 0;
  for (int y = (int) floor (y_axis) - 1; y >= 0; y--)
    {
      if (!plot_pixel_is (plot_pixel (s, x, y), c, 6))
        break;
      n++;
    }
  return n;
}

static void
test_bar_heights (Fixture *f, gconstpointer data)
{
  RsPlotHistogramLayout L;
  rs_plot_histogram_layout (f->cr, &f->style, f->snap, NULL, 0, W, H, &L);
  rs_plot_histogram_draw (f->cr, &f->style, f->snap, NULL, 0, W, H);
  g_assert_nonnull (L.hist);
  g_assert_false (L.hist->log_bins);

  double y0 = rs_plot_scale_map (&L.frame.y, 0);
  double per_count = (y0 - rs_plot_scale_map (&L.frame.y, 1)); /* px per count */
  g_assert_cmpfloat (per_count, >, 1.0);
  const RsColor *bar = &f->style.series[RS_SERIES_TASK];
  for (int i = 0; i < 8; i++)
    {
      double x0, x1;
      rs_plot_histogram_bar_x (&L, i, &x0, &x1);
      g_assert_cmpfloat (x1 - x0, >, 4);
      int h = bar_height (f->surface, (x0 + x1) / 2, y0, bar);
      double want = linear_counts[i] * per_count;
      if (fabs (h - want) > 1.5)
        g_error ("bin %d: bar %d px high, %u counts want %.1f px", i, h, linear_counts[i], want);
    }
  /* bars are proportional to each other, not just to a scale */
  double x0, x1;
  rs_plot_histogram_bar_x (&L, 2, &x0, &x1);
  int h40 = bar_height (f->surface, (x0 + x1) / 2, y0, bar);
  rs_plot_histogram_bar_x (&L, 1, &x0, &x1);
  int h20 = bar_height (f->surface, (x0 + x1) / 2, y0, bar);
  g_assert_cmpfloat (fabs (h40 - 2.0 * h20), <=, 2.0);
  /* the tallest bar fits: the y axis reaches at least the largest count */
  g_assert_cmpfloat (L.frame.y.hi, >=, 40);
}

static void
test_log_bins_below_bar (Fixture *f, gconstpointer data)
{
  f->style.log_bins = TRUE;
  RsPlotHistogramLayout L;
  rs_plot_histogram_layout (f->cr, &f->style, f->snap, NULL, 0, W, H, &L);
  rs_plot_histogram_draw (f->cr, &f->style, f->snap, NULL, 0, W, H);
  g_assert_true (L.hist->log_bins);
  g_assert_cmpfloat (L.below_x1, >, L.below_x0);
  /* the below slot is left of the log axis */
  double first_x0, first_x1;
  rs_plot_histogram_bar_x (&L, 0, &first_x0, &first_x1);
  g_assert_cmpfloat (L.below_x1, <, first_x0);

  double y0 = rs_plot_scale_map (&L.frame.y, 0);
  double per_count = y0 - rs_plot_scale_map (&L.frame.y, 1);
  /* the below bar: 12 counts, in the near-zero grey (its 1 px edge in
   * the grid colour is not counted) */
  int hb = bar_height (f->surface, (L.below_x0 + L.below_x1) / 2, y0, &f->style.near_zero);
  g_assert_cmpfloat (fabs (hb - 12 * per_count), <=, 2.5);
  /* a log bin above the threshold: 16 counts in the bar colour */
  double x0, x1;
  rs_plot_histogram_bar_x (&L, 3, &x0, &x1);
  int h3 = bar_height (f->surface, (x0 + x1) / 2, y0, &f->style.series[RS_SERIES_TASK]);
  g_assert_cmpfloat (fabs (h3 - 16 * per_count), <=, 1.5);
  /* bin 0 ([1e-5, 1e-4)) is wholly under the 1e-3 threshold: near zero */
  rs_plot_histogram_bar_x (&L, 0, &x0, &x1);
  int h0 = bar_height (f->surface, (x0 + x1) / 2, y0, &f->style.near_zero);
  g_assert_cmpfloat (fabs (h0 - 2 * per_count), <=, 2.5);
  /* "<1e-5" is written under the slot */
  RsPlotRect below_label = { L.below_x0 - 10, y0 + 2, L.below_x1 - L.below_x0 + 20,
                             f->style.font_size * 1.4 };
  int ink = 0;
  for (int y = (int) below_label.y; y < below_label.y + below_label.h; y++)
    for (int x = (int) below_label.x; x < below_label.x + below_label.w; x++)
      ink += !plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.background, 40);
  g_assert_cmpint (ink, >, 10);
}

/* One colour for "near zero" on every plot: the histogram's bars under the
 * threshold (the `below` slot and bin 0) are the heatmaps' near-zero grey,
 * on the light and the dark theme, and nothing is drawn in the L1 colour
 * it used to borrow; the fraction is still written in the title row. */
static void
test_near_zero_grey (Fixture *f, gconstpointer data)
{
  for (int theme = 0; theme < 2; theme++)
    {
      rs_plot_style_init (&f->style, theme == 0 ? RS_PLOT_THEME_LIGHT : RS_PLOT_THEME_DARK,
                          FALSE);
      f->style.log_bins = TRUE;
      RsPlotHistogramLayout L;
      rs_plot_histogram_layout (f->cr, &f->style, f->snap, NULL, 0, W, H, &L);
      rs_plot_histogram_draw (f->cr, &f->style, f->snap, NULL, 0, W, H);
      cairo_surface_flush (f->surface);
      double y0 = rs_plot_scale_map (&L.frame.y, 0);
      double x0, x1;
      int grey = 0, hot = 0, title_ink = 0;
      for (int y = (int) L.frame.area.y; y < y0 - 3; y++)
        for (int x = (int) L.below_x0 + 2; x < L.below_x1 - 2; x++)
          grey += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.near_zero, 3);
      rs_plot_histogram_bar_x (&L, 0, &x0, &x1);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, (x0 + x1) / 2, y0 - 3),
                                    &f->style.near_zero, 3));
      rs_plot_histogram_bar_x (&L, 3, &x0, &x1);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, (x0 + x1) / 2, y0 - 3),
                                    &f->style.series[RS_SERIES_TASK], 3));
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
          hot += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.series[RS_SERIES_L1], 6);
      for (int y = 0; y < f->style.font_size * 2; y++)
        for (int x = W / 2; x < W; x++)
          title_ink += !plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.background, 40);
      g_assert_cmpint (grey, >, 100);
      g_assert_cmpint (hot, ==, 0);
      g_assert_cmpint (title_ink, >, 20);
    }
}

/* A pinned run is drawn as an outline of its counts in the same bins,
 * over this run's bars, in the foreground colour: on the bars' data area
 * there is none without a baseline, and with one the outline stands at
 * the baseline's count of a bin; the legend names it under the title. */
static void
test_baseline_outline (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = plot_fixture_realistic (FALSE);
  RsSnapshot *base = plot_fixture_baseline (snap, 100);
  for (int log = 0; log < 2; log++)
    {
      f->style.log_bins = log;
      RsPlotHistogramLayout L;
      rs_plot_histogram_layout (f->cr, &f->style, snap, NULL, 0, W, H, &L);
      g_assert_null (L.base);
      g_assert_cmpfloat (L.legend.h, ==, 0);
      rs_plot_histogram_draw (f->cr, &f->style, snap, NULL, 0, W, H);
      g_assert_cmpint (count_colour (f->surface, &L.frame.area, &f->style.foreground, 40), ==, 0);
      rs_plot_histogram_layout_clear (&L);

      rs_plot_histogram_layout (f->cr, &f->style, snap, base, 0, W, H, &L);
      rs_plot_histogram_draw (f->cr, &f->style, snap, base, 0, W, H);
      g_assert_nonnull (L.base);
      g_assert_cmpint (L.base->n_bins, ==, L.hist->n_bins);
      g_assert_cmpfloat (L.base->hi, ==, L.hist->hi);
      g_assert_cmpint (count_colour (f->surface, &L.frame.area, &f->style.foreground, 40), >, 100);
      /* the outline's top edge over the fullest of the baseline's bins */
      int top = 0;
      for (int i = 1; i < L.base->n_bins; i++)
        if (L.base->counts[i] > L.base->counts[top])
          top = i;
      double x0, x1;
      rs_plot_histogram_bar_x (&L, top, &x0, &x1);
      double y = rs_plot_scale_map (&L.frame.y, (double) L.base->counts[top]);
      RsPlotRect spot = { (x0 + x1) / 2 - 1, y - 3, 3, 6 };
      /* (an antialiased edge: a looser match) */
      g_assert_cmpint (count_colour (f->surface, &spot, &f->style.foreground, 80), >, 0);
      /* every |w| of both runs is counted: nothing past the shared bins */
      g_assert_cmpint (L.base->total, ==, snap->layers[0].in * snap->layers[0].out);
      g_assert_cmpint (L.hist->total, ==, snap->layers[0].in * snap->layers[0].out);
      /* the legend sits between the title and the data, inside the plot */
      g_assert_cmpfloat (L.legend.h, >, 0);
      g_assert_cmpfloat (L.legend.y + L.legend.h, <=, L.frame.area.y);
      g_assert_cmpint (count_colour (f->surface, &L.legend, &f->style.foreground, 60), >, 20);
      rs_plot_histogram_layout_clear (&L);
    }
  rs_snapshot_unref (base);
  rs_snapshot_unref (snap);
}

/* The legend never overlaps the title or the bars, in any style, down to
 * thumbnail sizes (where it gives way to the bars). */
static void
test_baseline_legend_layout (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = plot_fixture_realistic (FALSE);
  RsSnapshot *base = plot_fixture_baseline (snap, 1200);
  base->layers[0].reg.l1 = 0.01;
  base->layers[1].reg.weight_decay = 0.005;
  static const int sizes[][2] = { { 600, 400 }, { 400, 300 }, { 260, 200 }, { 200, 150 } };
  for (int p = 0; p < 2; p++)
    for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        RsPlotStyle style;
        rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, p == 1);
        RsPlotHistogramLayout L;
        rs_plot_histogram_layout (f->cr, &style, snap, base, 0, sizes[k][0], sizes[k][1], &L);
        RsPlotRect c = rs_plot_content_rect (&style, sizes[k][0], sizes[k][1]);
        if (L.legend.h > 0)
          {
            g_assert_cmpfloat (L.legend.y, >, c.y);   /* under the title */
            g_assert_cmpfloat (L.legend.y + L.legend.h, <=, L.frame.area.y);
          }
        g_assert_cmpfloat (L.frame.area.h, >, 0);
        g_assert_cmpfloat (L.frame.area.y + L.frame.area.h, <=, sizes[k][1]);
        rs_plot_histogram_layout_clear (&L);
      }
  g_autofree char *label = rs_plot_baseline_label (base);
  g_assert_cmpstr (label, ==, "baseline: fc1 L1 0.01 · fc2 weight decay 0.005 · step 1,200");
  rs_snapshot_unref (base);
  rs_snapshot_unref (snap);
}

static void
test_all_layers_side_by_side (Fixture *f, gconstpointer data)
{
  rs_plot_histograms_draw (f->cr, &f->style, f->snap, NULL, W, H);
  /* each half holds bars */
  for (int half = 0; half < 2; half++)
    {
      int n = 0;
      for (int y = H / 3; y < H - 20; y += 2)
        for (int x = half * W / 2; x < (half + 1) * W / 2; x++)
          n += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.series[RS_SERIES_TASK], 6);
      g_assert_cmpint (n, >, 50);
    }
}

static void
test_over_time (Fixture *f, gconstpointer data)
{
  /* no frames: a note, no crash */
  rs_plot_histogram_time_draw (f->cr, &f->style, f->snap, 0, W, H);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);

  /* two frames, one bin each: the fuller cell takes viridis' top colour,
   * the count-1 cell its bottom one, the rest stays background */
  RsLayerSnapshot *l = &f->snap->layers[0];
  l->n_frames = 2;
  l->frame_steps = g_new (gint64, 2);
  l->frame_steps[0] = 0;
  l->frame_steps[1] = 100;
  l->frame_counts = g_new0 (guint32, 2 * RS_SNAPSHOT_HIST_BINS);
  l->frame_below = g_new0 (guint32, 2);
  l->frame_counts[20] = 1;
  l->frame_counts[RS_SNAPSHOT_HIST_BINS + 30] = 50;
  rs_plot_histogram_time_draw (f->cr, &f->style, f->snap, 0, W, H);
  RsColor top = rs_plot_viridis (1.0), bottom = rs_plot_viridis (0.0);
  int n_top = 0, n_bottom = 0;
  double tx = 0, ty = 0, bx = 0, by = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W * 3 / 4; x++)   /* the colour bar is further right */
      {
        guint32 px = plot_pixel (f->surface, x, y);
        if (plot_pixel_is (px, &top, 3))
          n_top++, tx += x, ty += y;
        if (plot_pixel_is (px, &bottom, 3))
          n_bottom++, bx += x, by += y;
      }
  g_assert_cmpint (n_top, >, 100);
  g_assert_cmpint (n_bottom, >, 100);
  /* the fuller cell is the later frame (right) and the larger bin (up) */
  g_assert_cmpfloat (tx / n_top, >, bx / n_bottom);
  g_assert_cmpfloat (ty / n_top, <, by / n_bottom);
}

/* Frames every 64 steps and the present at step 1000 (what the engine
 * gives at Max speed): the step axis ends at 1000, no tick past it, and the
 * last column reaches the right edge of the data area. */
static void
test_over_time_axis_ends_at_last_step (Fixture *f, gconstpointer data)
{
  const int nf = 17, bins = RS_SNAPSHOT_HIST_BINS;
  RsLayerSnapshot *l = &f->snap->layers[0];
  l->n_frames = nf;
  l->frame_steps = g_new (gint64, nf);
  l->frame_counts = g_new0 (guint32, nf * bins);
  l->frame_below = g_new0 (guint32, nf);
  for (int k = 0; k < nf; k++)
    {
      l->frame_steps[k] = k < nf - 1 ? 64 * k : 1000;
      l->frame_counts[k * bins + 20] = 5;   /* one band across the plot */
    }

  RsPlotHistogramTimeLayout L;
  rs_plot_histogram_time_layout (f->cr, &f->style, f->snap, 0, W, H, &L);
  g_assert_true (L.valid);
  g_assert_cmpfloat (L.frame.x.lo, ==, 0.0);
  g_assert_cmpfloat (L.frame.x.hi, ==, 1000.0);
  g_assert_cmpint (L.frame.xt.n, >, 1);
  for (int i = 0; i < L.frame.xt.n; i++)
    g_assert_cmpfloat (L.frame.xt.t[i].value, <=, 1000.0);

  rs_plot_histogram_time_draw (f->cr, &f->style, f->snap, 0, W, H);
  double band_y = L.frame.y.p0 + (L.frame.y.p1 - L.frame.y.p0) * 20.5 / bins;
  RsColor cell = rs_plot_viridis (1.0);
  double right = L.frame.area.x + L.frame.area.w;
  g_assert_true (plot_pixel_is (plot_pixel (f->surface, right - 1.5, band_y), &cell, 3));
  g_assert_true (plot_pixel_is (plot_pixel (f->surface, L.frame.area.x + 1.5, band_y), &cell, 3));
  /* nothing drawn for steps that have not happened */
  g_assert_true (plot_pixel_is (plot_pixel (f->surface, right + 1.5, band_y), &f->style.background, 3));
}

static void
test_missing_data (Fixture *f, gconstpointer data)
{
  /* a layer without histograms, a bad index: notes, no crash */
  RsLayerSnapshot *l = &f->snap->layers[1];
  rs_histogram_free (l->hist_linear);
  rs_histogram_free (l->hist_log);
  l->hist_linear = l->hist_log = NULL;
  RsPlotHistogramLayout L;
  rs_plot_histogram_layout (f->cr, &f->style, f->snap, NULL, 1, W, H, &L);
  g_assert_null (L.hist);
  rs_plot_histogram_draw (f->cr, &f->style, f->snap, NULL, 1, W, H);
  rs_plot_histogram_draw (f->cr, &f->style, f->snap, NULL, 7, W, H);
  rs_plot_histogram_time_draw (f->cr, &f->style, f->snap, -1, W, H);
  rs_plot_histograms_draw (f->cr, &f->style, f->snap, NULL, W, H);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/histogram/bar-heights-proportional", Fixture, NULL, fixture_setup,
              test_bar_heights, plot_canvas_clear);
  g_test_add ("/plot/histogram/log-bins-below-bar", Fixture, NULL, fixture_setup,
              test_log_bins_below_bar, plot_canvas_clear);
  g_test_add ("/plot/histogram/near-zero-grey", Fixture, NULL, fixture_setup,
              test_near_zero_grey, plot_canvas_clear);
  g_test_add ("/plot/histogram/baseline-outline", Fixture, NULL, fixture_setup,
              test_baseline_outline, plot_canvas_clear);
  g_test_add ("/plot/histogram/baseline-legend-layout", Fixture, NULL, fixture_setup,
              test_baseline_legend_layout, plot_canvas_clear);
  g_test_add ("/plot/histogram/all-layers-side-by-side", Fixture, NULL, fixture_setup,
              test_all_layers_side_by_side, plot_canvas_clear);
  g_test_add ("/plot/histogram/over-time-viridis", Fixture, NULL, fixture_setup,
              test_over_time, plot_canvas_clear);
  g_test_add ("/plot/histogram/over-time-axis-ends-at-last-step", Fixture, NULL, fixture_setup,
              test_over_time_axis_ends_at_last_step, plot_canvas_clear);
  g_test_add ("/plot/histogram/missing-data", Fixture, NULL, fixture_setup,
              test_missing_data, plot_canvas_clear);
  return g_test_run ();
}
