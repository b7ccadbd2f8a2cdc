/* test-plot-confusion.c — the validation confusion matrix, on pixels. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-lessons.h"
#include "rs-plot-boundary.h"
#include "rs-plot-colormap.h"
#include "rs-plot-confusion.h"
#include "rs-session.h"

#define W 600
#define H 500

typedef PlotCanvas Fixture;

/* 3 classes, 10 validation rows each: class 0 always right, class 1 right
 * 6 times (4 taken for class 2), class 2 right 9 times (1 for class 0). */
static const guint32 counts[9] = { 10, 0, 0,
                                   0, 6, 4,
                                   1, 0, 9 };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  plot_canvas_init (f, W, H, RS_PLOT_THEME_LIGHT, 10);
  f->snap->classes = 3;
  f->snap->val_rows = 30;
  f->snap->confusion = g_memdup2 (counts, sizeof counts);
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

/* Ink (not background) in r. */
static int
ink_in (Fixture *f, double x0, double y0, double x1, double y1)
{
  int n = 0;
  for (int y = (int) ceil (y0); y < y1; y++)
    for (int x = (int) ceil (x0); x < x1; x++)
      n += !plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.background, 30);
  return n;
}

/* A CSV whose classes are words (iris petals: setosa, versicolor,
 * virginica) is trained as a lesson; its snapshot carries the names, and
 * the plots write them where the numbers were: the confusion matrix's
 * rows are labelled "versicolor", not "1" (ink where a digit would end and
 * a name goes on), the columns upwards when a name is wider than one, the
 * boundary's legend says "setosa", not "class 0". */
static void
test_class_names_from_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (RS_TEST_SRCDIR, "data", "csv",
                                            "iris-petals-names.csv", NULL);
  GError *error = NULL;
  RsExperiment *exp = rs_lesson_load (path, &error);
  g_assert_no_error (error);
  RsSession *session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      RsMetrics m;
      g_assert_true (rs_session_step (session, &m, &error));
    }
  RsSnapshot *snap = rs_session_build_snapshot (session, NULL, NULL);
  g_assert_cmpint (snap->classes, ==, 3);
  g_assert_nonnull (snap->class_names);
  g_assert_cmpstr (snap->class_names[1], ==, "versicolor");
  g_assert_nonnull (snap->confusion);
  g_assert_cmpint (snap->grid_w, >, 0);
  char buf[16];
  g_assert_cmpstr (rs_plot_class_name (snap, 0, buf, sizeof buf), ==, "setosa");

  RsPlotConfusionLayout L;
  rs_plot_confusion_layout (f->cr, &f->style, snap, NULL, W, H, &L);
  g_assert_true (L.valid);
  rs_plot_set_font (f->cr, &f->style, RS_PLOT_TICK_SCALE, FALSE);
  double name_w = rs_plot_text_width (f->cr, "versicolor");
  double setosa_w = rs_plot_text_width (f->cr, "setosa");
  double digit_w = rs_plot_text_width (f->cr, "0");
  g_assert_cmpfloat (L.label_w, >=, name_w - 0.5);
  rs_plot_confusion_draw (f->cr, &f->style, snap, NULL, W, H);
  double pad = f->style.font_size * 0.45;
  double cell = L.matrix.w / 3;
  /* row 0's label reaches left of where a digit would start (row 0: away
   * from the "true class" title, which is centred on the rows) */
  double ry = L.matrix.y + cell * 0.5;
  int names_ink = ink_in (f, L.matrix.x - pad - setosa_w, ry - 6,
                          L.matrix.x - pad - digit_w - 3, ry + 6);
  g_assert_cmpint (names_ink, >, 10);
  /* the column labels: above the matrix */
  int col_ink = ink_in (f, L.matrix.x + cell * 0.5 - 8, L.matrix.y - pad - L.label_h,
                        L.matrix.x + cell * 0.5 + 8, L.matrix.y - pad);
  g_assert_cmpint (col_ink, >, 10);

  /* the same counts without names: numbers, nothing out there */
  RsSnapshot *numbered = rs_snapshot_new_empty (0);
  numbered->classes = 3;
  numbered->val_rows = snap->val_rows;
  numbered->confusion = g_memdup2 (snap->confusion, 9 * sizeof (guint32));
  numbered->latest = snap->latest;
  rs_plot_confusion_layout (f->cr, &f->style, numbered, NULL, W, H, &L);
  rs_plot_confusion_draw (f->cr, &f->style, numbered, NULL, W, H);
  g_assert_false (L.vertical_names);
  cell = L.matrix.w / 3;
  ry = L.matrix.y + cell * 0.5;
  g_assert_cmpint (ink_in (f, L.matrix.x - pad - setosa_w, ry - 6,
                           L.matrix.x - pad - digit_w - 3, ry + 6), ==, 0);

  /* the boundary's legend: names, not "class 0" */
  cairo_surface_t *named = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (named);
  rs_plot_boundary_draw (cr, &f->style, snap, NULL, W, H);
  cairo_destroy (cr);
  char **names = snap->class_names;
  snap->class_names = NULL;
  rs_plot_boundary_draw (f->cr, &f->style, snap, NULL, W, H);
  snap->class_names = names;
  int legend_differs = 0;
  for (int y = 0; y < f->style.font_size * 5; y++)
    for (int x = 0; x < W; x++)
      legend_differs += plot_pixel (named, x, y) != plot_pixel (f->surface, x, y);
  g_assert_cmpint (legend_differs, >, 50);
  cairo_surface_destroy (named);

  rs_snapshot_unref (numbered);
  rs_snapshot_unref (snap);
  rs_session_free (session);
  rs_experiment_free (exp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/confusion/cells-by-share-of-row", Fixture, NULL, fixture_setup,
              test_cells, plot_canvas_clear);
  g_test_add ("/plot/confusion/missing-data", Fixture, NULL, fixture_setup,
              test_missing, plot_canvas_clear);
  g_test_add ("/plot/confusion/class-names-from-csv", Fixture, NULL, fixture_setup,
              test_class_names_from_csv, plot_canvas_clear);
  g_test_add ("/plot/confusion/ten-classes-small", Fixture, NULL, fixture_setup,
              test_ten_classes_small, plot_canvas_clear);
  return g_test_run ();
}
