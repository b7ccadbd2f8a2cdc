/* test-plot-confusion.c — the validation confusion matrix, on pixels. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-colormap.h"
#include "rs-plot-confusion.h"

#define W 600
#define H 500

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  RsPlotStyle      style;
  RsSnapshot      *snap;
} Fixture;

/* 3 classes, 10 validation rows each: class 0 always right, class 1 right
 * 6 times (4 taken for class 2), class 2 right 9 times (1 for class 0). */
static const guint32 counts[9] = { 10, 0, 0,
                                   0, 6, 4,
                                   1, 0, 9 };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  f->cr = cairo_create (f->surface);
  rs_plot_style_init (&f->style, RS_PLOT_THEME_LIGHT, FALSE);
  f->snap = plot_fixture_small (10);
  f->snap->classes = 3;
  f->snap->val_rows = 30;
  f->snap->confusion = g_memdup2 (counts, sizeof counts);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rs_snapshot_unref (f->snap);
  cairo_destroy (f->cr);
  cairo_surface_destroy (f->surface);
}

static guint32
cell_pixel (Fixture *f, const RsPlotConfusionLayout *L, int t, int p, double fx, double fy)
{
  double cell = L->matrix.w / L->classes;
  return plot_pixel (f->surface, L->matrix.x + (p + fx) * cell, L->matrix.y + (t + fy) * cell);
}

/* Rows are true classes, columns predicted; each cell takes viridis of its
 * share of the row, the counts are written in the cells. */
static void
test_cells (Fixture *f, gconstpointer data)
{
  RsPlotConfusionLayout L;
  rs_plot_confusion_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  g_assert_true (L.valid);
  g_assert_cmpint (L.classes, ==, 3);
  g_assert_cmpfloat (L.matrix.w, ==, L.matrix.h);
  g_assert_true (L.labels);
  g_assert_cmpfloat (L.matrix.x + L.matrix.w, <=, W);
  g_assert_cmpfloat (L.matrix.y + L.matrix.h, <=, H);

  rs_plot_confusion_draw (f->cr, &f->style, f->snap, NULL, W, H);
  for (int t = 0; t < 3; t++)
    for (int p = 0; p < 3; p++)
      {
        RsColor want = rs_plot_viridis (counts[t * 3 + p] / 10.0);
        /* a corner of the cell: away from its count */
        guint32 px = cell_pixel (f, &L, t, p, 0.1, 0.1);
        if (!plot_pixel_is (px, &want, 2))
          g_error ("cell (%d,%d): pixel %08x, want viridis(%g)", t, p, px, counts[t * 3 + p] / 10.0);
      }
  /* the count is written: the centre of the 6-cell holds ink that is not
   * the cell's colour */
  RsColor six = rs_plot_viridis (0.6);
  double cell = L.matrix.w / 3;
  int ink = 0;
  double cx = L.matrix.x + 1.5 * cell, cy = L.matrix.y + 1.5 * cell;
  for (int y = -10; y <= 10; y++)
    for (int x = -10; x <= 10; x++)
      ink += !plot_pixel_is (plot_pixel (f->surface, cx + x, cy + y), &six, 30);
  g_assert_cmpint (ink, >, 5);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
}

/* No validation pass yet, no validation set, a tiny plot: a note, no cells. */
static void
test_missing (Fixture *f, gconstpointer data)
{
  RsPlotConfusionLayout L;
  g_clear_pointer (&f->snap->confusion, g_free);
  rs_plot_confusion_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  g_assert_false (L.valid);
  rs_plot_confusion_draw (f->cr, &f->style, f->snap, NULL, W, H);
  f->snap->val_rows = 0;
  rs_plot_confusion_draw (f->cr, &f->style, f->snap, NULL, W, H);
  f->snap->confusion = g_memdup2 (counts, sizeof counts);
  rs_plot_confusion_layout (f->cr, &f->style, f->snap, NULL, 20, 20, &L);
  g_assert_false (L.valid);
  rs_plot_confusion_draw (f->cr, &f->style, f->snap, NULL, 20, 20);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  /* nothing but background and note text: no viridis cell anywhere */
  RsColor full = rs_plot_viridis (1.0);
  for (int y = 0; y < 20; y++)
    for (int x = 0; x < 20; x++)
      g_assert_false (plot_pixel_is (plot_pixel (f->surface, x, y), &full, 2));
}

/* Ten classes (digits) at a small size: the matrix fits, counts drop out
 * before they would spill out of their cells. */
static void
test_ten_classes_small (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = plot_fixture_realistic (FALSE);
  RsPlotConfusionLayout L;
  rs_plot_confusion_layout (f->cr, &f->style, snap, NULL, 260, 220, &L);
  g_assert_true (L.valid);
  g_assert_cmpint (L.classes, ==, 10);
  g_assert_false (L.labels);
  g_assert_cmpfloat (L.colorbar.x + L.colorbar.w, <=, 260);
  rs_plot_confusion_layout (f->cr, &f->style, snap, NULL, W, H, &L);
  g_assert_true (L.labels);
  rs_snapshot_unref (snap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/confusion/cells-by-share-of-row", Fixture, NULL, fixture_setup,
              test_cells, fixture_teardown);
  g_test_add ("/plot/confusion/missing-data", Fixture, NULL, fixture_setup,
              test_missing, fixture_teardown);
  g_test_add ("/plot/confusion/ten-classes-small", Fixture, NULL, fixture_setup,
              test_ten_classes_small, fixture_teardown);
  return g_test_run ();
}
