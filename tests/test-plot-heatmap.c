/* test-plot-heatmap.c — weight and activation heatmaps, digit tiles and
 * the decision boundary, checked on pixels. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-colormap.h"
#include "rs-plot-boundary.h"
#include "rs-plot-heatmap.h"

#define W 600
#define H 400

typedef PlotCanvas Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  plot_canvas_init (f, W, H, data != NULL ? RS_PLOT_THEME_DARK : RS_PLOT_THEME_LIGHT, 10);
}

static guint32
cell_centre (Fixture *f, const RsPlotHeatmapLayout *L, int r, int c)
{
  double x = L->matrix.x + (c + 0.5) * L->matrix.w / L->cols;
  double y = L->matrix.y + (r + 0.5) * L->matrix.h / L->rows;
  return plot_pixel (f->surface, x, y);
}

static void
test_cells_coloured_by_value (Fixture *f, gconstpointer data)
{
  RsPlotHeatmapLayout L;
  rs_plot_weight_heatmap_layout (f->cr, &f->style, f->snap, 0, W, H, &L);
  rs_plot_weight_heatmap_draw (f->cr, &f->style, f->snap, 0, W, H);
  g_assert_true (L.valid);
  g_assert_cmpint (L.rows, ==, 3);
  g_assert_cmpint (L.cols, ==, 4);
  g_assert_cmpfloat (L.vmax, ==, 1.0);
  const RsLayerSnapshot *l = &f->snap->layers[0];
  int coloured = 0;
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 4; c++)
      {
        double a = fabs (l->weight[r * 4 + c]);
        if (a < f->snap->sparsity_threshold)
          continue;
        RsColor want = rs_plot_viridis (a / L.vmax);
        guint32 px = cell_centre (f, &L, r, c);
        if (!plot_pixel_is (px, &want, 2))
          g_error ("cell (%d,%d) |w|=%g: pixel %08x, want viridis(%g)", r, c, a, px, a / L.vmax);
        coloured++;
      }
  g_assert_cmpint (coloured, ==, 8);
}

static void
test_near_zero_marked (Fixture *f, gconstpointer data)
{
  RsPlotHeatmapLayout L;
  rs_plot_weight_heatmap_layout (f->cr, &f->style, f->snap, 0, W, H, &L);
  rs_plot_weight_heatmap_draw (f->cr, &f->style, f->snap, 0, W, H);
  /* w = 0, 0.0005, 0, -0.0001 at (0,0), (1,0), (1,3), (2,1) */
  const int cells[4][2] = { { 0, 0 }, { 1, 0 }, { 1, 3 }, { 2, 1 } };
  RsColor low = rs_plot_viridis (0.0);
  for (int i = 0; i < 4; i++)
    {
      guint32 px = cell_centre (f, &L, cells[i][0], cells[i][1]);
      g_assert_true (plot_pixel_is (px, &f->style.near_zero, 1));
      /* and clearly not the colour a small value would get */
      g_assert_false (plot_pixel_is (px, &low, 40));
    }
  /* the colour bar has a swatch of the marker colour: a legend entry */
  int swatch = 0;
  for (int y = (int) L.colorbar.y; y < H; y++)
    for (int x = (int) L.colorbar.x; x < L.colorbar.x + L.colorbar.w && x < W; x++)
      swatch += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.near_zero, 1);
  g_assert_cmpint (swatch, >, 20);
}

static void
test_large_matrix_fast (Fixture *f, gconstpointer data)
{
  /* 784x256 must be one image paint, not 200k rectangles */
  RsSnapshot *snap = rs_snapshot_new_empty (1);
  snap->sparsity_threshold = 1e-3;
  float *w = g_new (float, 784 * 256);
  for (int i = 0; i < 784 * 256; i++)
    w[i] = (i % 7 == 0) ? 0.0f : (float) sin (i * 0.01);
  plot_fixture_set_layer (snap, 0, 784, 256, w, FALSE);
  g_free (w);
  cairo_surface_t *big = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 800);
  cairo_t *cr = cairo_create (big);
  g_test_timer_start ();
  for (int i = 0; i < 5; i++)
    rs_plot_weight_heatmap_draw (cr, &f->style, snap, 0, 1200, 800);
  double t = g_test_timer_elapsed () / 5;
  g_test_message ("784x256 heatmap: %.1f ms per draw", t * 1000);
  /* generous for sanitizer builds; rectangles would take seconds */
  g_assert_cmpfloat (t, <, 0.5);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (big);
  rs_snapshot_unref (snap);
}

static void
test_activations_dead_units (Fixture *f, gconstpointer data)
{
  RsPlotHeatmapLayout L;
  rs_plot_activation_heatmap_layout (f->cr, &f->style, f->snap, 0, W, H, &L);
  rs_plot_activation_heatmap_draw (f->cr, &f->style, f->snap, 0, W, H);
  g_assert_true (L.valid);
  g_assert_cmpint (L.rows, ==, 3);
  g_assert_cmpint (L.cols, ==, 3);
  const RsColor *red = &f->style.series[RS_SERIES_VAL_LOSS];
  /* unit 1 is silent on every probe row: a red tick under its column */
  for (int u = 0; u < 3; u++)
    {
      double x = L.matrix.x + (u + 0.5) * L.matrix.w / 3;
      int n = 0;
      for (int y = (int) (L.matrix.y + L.matrix.h) + 1; y < L.matrix.y + L.matrix.h + 12; y++)
        n += plot_pixel_is (plot_pixel (f->surface, x, y), red, 4);
      if (u == 1)
        g_assert_cmpint (n, >, 2);
      else
        g_assert_cmpint (n, ==, 0);
    }
  /* its cells are near-zero coloured; an active cell is viridis */
  g_assert_true (plot_pixel_is (cell_centre (f, &L, 0, 1), &f->style.near_zero, 1));
  RsColor want = rs_plot_viridis (0.5 / L.vmax);
  g_assert_true (plot_pixel_is (cell_centre (f, &L, 0, 0), &want, 2));
  /* "1 of 3 units silent" in red in the title row */
  int title_red = 0;
  for (int y = 0; y < f->style.font_size * 2.5; y++)
    for (int x = 0; x < W; x++)
      title_red += plot_pixel_is (plot_pixel (f->surface, x, y), red, 30);
  g_assert_cmpint (title_red, >, 20);
}

/* Dropout on fc1: the last training batch's mask is a band under the
 * probe matrix, dropped cells in the foreground colour and kept ones in
 * the grid colour, under the same columns; the probe cells keep their
 * colours. Without a mask there is no band. */
static void
test_activations_dropout_band (Fixture *f, gconstpointer data)
{
  RsLayerSnapshot *l = &f->snap->layers[0];
  RsPlotHeatmapLayout off;
  rs_plot_activation_heatmap_layout (f->cr, &f->style, f->snap, 0, W, H, &off);
  rs_plot_activation_heatmap_draw (f->cr, &f->style, f->snap, 0, W, H);
  g_assert_true (off.valid);
  g_assert_cmpint (off.band_rows, ==, 0);
  /* nothing in the band's colours below the dead-unit ticks (outer
   * columns: the centred axis title is in the foreground colour) */
  double ch = off.matrix.h / off.rows;
  int band_px = 0;
  for (int u = 0; u < 3; u += 2)
    for (double y = off.matrix.y + off.matrix.h + f->style.font_size * 0.7;
         y < off.matrix.y + off.matrix.h + f->style.font_size * 0.7 + 2 * ch; y += 1)
      {
        guint32 px = plot_pixel (f->surface, off.matrix.x + (u + 0.5) * off.matrix.w / 3, y);
        band_px += plot_pixel_is (px, &f->style.foreground, 2)
                   || plot_pixel_is (px, &f->style.grid, 2);
      }
  g_assert_cmpint (band_px, ==, 0);

  const guint8 dropped[] = { 1, 0, 0,
                             0, 1, 1 };
  l->mask_rows = 2;
  l->dropped = g_memdup2 (dropped, sizeof dropped);
  cairo_set_source_rgb (f->cr, 1, 1, 1);
  cairo_paint (f->cr);
  RsPlotHeatmapLayout L;
  rs_plot_activation_heatmap_layout (f->cr, &f->style, f->snap, 0, W, H, &L);
  rs_plot_activation_heatmap_draw (f->cr, &f->style, f->snap, 0, W, H);
  g_assert_true (L.valid);
  g_assert_cmpint (L.rows, ==, 3);
  g_assert_cmpint (L.band_rows, ==, 2);
  g_assert_cmpfloat (L.band.x, ==, L.matrix.x);
  g_assert_cmpfloat (L.band.w, ==, L.matrix.w);
  g_assert_cmpfloat (L.band.y, >, L.matrix.y + L.matrix.h + f->style.font_size * 0.7);
  g_assert_cmpfloat (fabs (L.band.h / 2 - L.matrix.h / 3), <, 1e-9);
  for (int r = 0; r < 2; r++)
    for (int u = 0; u < 3; u++)
      {
        guint32 px = plot_pixel (f->surface, L.band.x + (u + 0.5) * L.band.w / 3,
                                 L.band.y + (r + 0.5) * L.band.h / 2);
        const RsColor *want = dropped[r * 3 + u] ? &f->style.foreground : &f->style.grid;
        if (!plot_pixel_is (px, want, 2))
          g_error ("band cell (%d,%d): pixel %08x, want %s", r, u, px,
                   dropped[r * 3 + u] ? "dropped" : "kept");
      }
  /* the probe matrix is drawn as before */
  g_assert_true (plot_pixel_is (cell_centre (f, &L, 0, 1), &f->style.near_zero, 1));
  RsColor want = rs_plot_viridis (0.5 / L.vmax);
  g_assert_true (plot_pixel_is (cell_centre (f, &L, 0, 0), &want, 2));
  /* the legend line above the band is drawn (text in the foreground) */
  int legend = 0;
  for (double y = L.matrix.y + L.matrix.h + f->style.font_size * 0.7; y < L.band.y - 1; y += 1)
    for (double x = L.band.x; x < MIN (W, L.band.x + 300); x += 1)
      legend += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.foreground, 40);
  g_assert_cmpint (legend, >, 20);
}

static RsSnapshot *
tiles_snapshot (void)
{
  /* 2x2 images, 3 units: unit 0 = { 0, +1, -1, 0.0002 } */
  RsSnapshot *snap = rs_snapshot_new_empty (2);
  snap->sparsity_threshold = 1e-3;
  snap->image_w = 2;
  snap->image_h = 2;
  const float w[12] = { 0, 1, -1, 0.0002f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0 };
  plot_fixture_set_layer (snap, 0, 4, 3, w, FALSE);
  plot_fixture_set_layer (snap, 1, 3, 2, NULL, TRUE);
  return snap;
}

static void
test_digit_tiles (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = tiles_snapshot ();
  RsPlotTilesLayout L;
  rs_plot_digit_tiles_layout (f->cr, &f->style, snap, W, H, &L);
  rs_plot_digit_tiles_draw (f->cr, &f->style, snap, W, H);
  g_assert_true (L.valid);
  g_assert_cmpint (L.n_tiles, ==, 3);
  g_assert_cmpfloat (L.vmax, ==, 1.0);
  /* pixel (x, y) of tile 0 */
#define TILE0(px, py) plot_pixel (f->surface, L.first.x + ((px) + 0.5) * L.first.w / 2, \
                                  L.first.y + ((py) + 0.5) * L.first.h / 2)
  /* exact and near zeros take the near-zero colour, which is neither the
   * page nor the map's white centre: a zero is not mistaken for nothing */
  g_assert_true (plot_pixel_is (TILE0 (0, 0), &f->style.near_zero, 0));    /* 0 */
  g_assert_true (plot_pixel_is (TILE0 (1, 1), &f->style.near_zero, 0));    /* 0.0002 */
  RsColor centre = rs_plot_diverging (0.0);
  g_assert_false (plot_pixel_is (TILE0 (0, 0), &f->style.background, 40));
  g_assert_false (plot_pixel_is (TILE0 (0, 0), &centre, 40));
  RsColor red = rs_plot_diverging (1.0), blue = rs_plot_diverging (-1.0);
  g_assert_true (plot_pixel_is (TILE0 (1, 0), &red, 2));      /* +1 */
  g_assert_true (plot_pixel_is (TILE0 (0, 1), &blue, 2));     /* -1 */
#undef TILE0
  rs_snapshot_unref (snap);
}

static void
test_digit_tiles_need_images (Fixture *f, gconstpointer data)
{
  RsPlotTilesLayout L;
  rs_plot_digit_tiles_layout (f->cr, &f->style, f->snap, W, H, &L);
  g_assert_false (L.valid);
  rs_plot_digit_tiles_draw (f->cr, &f->style, f->snap, W, H);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  /* the note is written in the middle */
  int ink = 0;
  for (int y = H / 2 - 10; y < H / 2 + 10; y++)
    for (int x = 0; x < W; x++)
      ink += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.muted, 30);
  g_assert_cmpint (ink, >, 30);
}

static void
test_boundary (Fixture *f, gconstpointer data)
{
  /* every cell class 2 and sure: the region colour fills most of the plot */
  RsSnapshot *snap = plot_fixture_small (10);
  snap->grid_w = snap->grid_h = 8;
  snap->x0 = snap->y0 = -1;
  snap->x1 = snap->y1 = 1;
  snap->classes = 3;
  snap->grid_class = g_new (guint8, 64);
  snap->grid_confidence = g_new (float, 64);
  for (int i = 0; i < 64; i++)
    {
      snap->grid_class[i] = 2;
      snap->grid_confidence[i] = 1.0f;
    }
  rs_plot_boundary_draw (f->cr, &f->style, snap, NULL, W, H);
  RsColor cls = rs_plot_palette (2);
  RsColor region = rs_plot_color_mix (&f->style.background, &cls, 0.65);
  int n = 0;
  for (int y = 0; y < H; y += 2)
    for (int x = 0; x < W; x += 2)
      n += plot_pixel_is (plot_pixel (f->surface, x, y), &region, 3);
  g_assert_cmpint (n, >, (W / 2) * (H / 2) / 5);
  rs_snapshot_unref (snap);

  /* without a grid: a note and no region colour */
  rs_plot_boundary_draw (f->cr, &f->style, f->snap, NULL, W, H);
  n = 0;
  for (int y = 0; y < H; y += 2)
    for (int x = 0; x < W; x += 2)
      n += plot_pixel_is (plot_pixel (f->surface, x, y), &region, 3);
  g_assert_cmpint (n, ==, 0);
}

static void
test_missing_and_stacks (Fixture *f, gconstpointer data)
{
  RsSnapshot *empty = rs_snapshot_new_empty (2);
  rs_plot_weight_heatmap_draw (f->cr, &f->style, empty, 0, W, H);
  rs_plot_activation_heatmap_draw (f->cr, &f->style, empty, 1, W, H);
  rs_plot_weight_heatmap_draw (f->cr, &f->style, f->snap, 5, W, H);
  rs_plot_activation_heatmap_draw (f->cr, &f->style, f->snap, -1, W, H);
  rs_plot_weight_heatmaps_draw (f->cr, &f->style, f->snap, W, H);
  rs_plot_weight_heatmap_draw (f->cr, &f->style, f->snap, 0, 30, 20);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  rs_snapshot_unref (empty);
}

/* The pinned run's class borders are a contour line in the foreground
 * colour over the regions: none without a baseline, and with one they run
 * where its grid changes class (the fixture's is the current grid shifted
 * by an eighth). The legend names the baseline. */
static void
test_boundary_baseline_contour (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = plot_fixture_realistic (TRUE);
  RsSnapshot *base = plot_fixture_baseline (snap, 300);
  /* the middle of the data area: no text, no axis there */
  int fg_without = 0, fg_with = 0;
  rs_plot_boundary_draw (f->cr, &f->style, snap, NULL, W, H);
  for (int y = H / 4; y < H * 3 / 4; y++)
    for (int x = W / 3; x < W * 2 / 3; x++)
      fg_without += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.foreground, 30);
  rs_plot_boundary_draw (f->cr, &f->style, snap, base, W, H);
  for (int y = H / 4; y < H * 3 / 4; y++)
    for (int x = W / 3; x < W * 2 / 3; x++)
      fg_with += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.foreground, 30);
  g_assert_cmpint (fg_without, ==, 0);
  g_assert_cmpint (fg_with, >, 100);

  /* a baseline without a grid (curves only): no contour */
  RsSnapshot *curves = plot_fixture_baseline (NULL, 300);
  rs_plot_boundary_draw (f->cr, &f->style, snap, curves, W, H);
  int fg_curves = 0;
  for (int y = H / 4; y < H * 3 / 4; y++)
    for (int x = W / 3; x < W * 2 / 3; x++)
      fg_curves += plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.foreground, 30);
  g_assert_cmpint (fg_curves, ==, 0);
  rs_snapshot_unref (curves);
  rs_snapshot_unref (base);
  rs_snapshot_unref (snap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/heatmap/cells-coloured-by-value", Fixture, NULL, fixture_setup,
              test_cells_coloured_by_value, plot_canvas_clear);
  g_test_add ("/plot/heatmap/near-zero-marked", Fixture, NULL, fixture_setup,
              test_near_zero_marked, plot_canvas_clear);
  g_test_add ("/plot/heatmap/near-zero-marked-dark", Fixture, GINT_TO_POINTER (1),
              fixture_setup, test_near_zero_marked, plot_canvas_clear);
  g_test_add ("/plot/heatmap/large-matrix-fast", Fixture, NULL, fixture_setup,
              test_large_matrix_fast, plot_canvas_clear);
  g_test_add ("/plot/heatmap/activations-dead-units-marked", Fixture, NULL, fixture_setup,
              test_activations_dead_units, plot_canvas_clear);
  g_test_add ("/plot/heatmap/activations-dropout-band", Fixture, NULL, fixture_setup,
              test_activations_dropout_band, plot_canvas_clear);
  g_test_add ("/plot/heatmap/activations-dropout-band-dark", Fixture, GINT_TO_POINTER (1),
              fixture_setup, test_activations_dropout_band, plot_canvas_clear);
  g_test_add ("/plot/heatmap/digit-tiles-near-zero-marked", Fixture, NULL, fixture_setup,
              test_digit_tiles, plot_canvas_clear);
  g_test_add ("/plot/heatmap/digit-tiles-need-images", Fixture, NULL, fixture_setup,
              test_digit_tiles_need_images, plot_canvas_clear);
  g_test_add ("/plot/heatmap/boundary-regions", Fixture, NULL, fixture_setup,
              test_boundary, plot_canvas_clear);
  g_test_add ("/plot/heatmap/boundary-baseline-contour", Fixture, NULL, fixture_setup,
              test_boundary_baseline_contour, plot_canvas_clear);
  g_test_add ("/plot/heatmap/missing-data", Fixture, NULL, fixture_setup,
              test_missing_and_stacks, plot_canvas_clear);
  return g_test_run ();
}
