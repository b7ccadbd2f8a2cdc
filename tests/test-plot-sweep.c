/* test-plot-sweep.c — the validation curve and the regularization path,
 * on pixels: every point where its value says, the best value marked, a
 * click finding its point, and a sweep with no point yet. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-sweep.h"

#define W 900
#define H 700
#define N 7

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  RsPlotStyle      style;
  RsExperiment    *exp;
  RsSweepSpec      spec;
  RsSweepPoint     points[N];
  RsPlotSweepData  data;
} Fixture;

/* Points given out of order (the order they end in); validation loss a U
 * with its least at index 4 (of 1e-5 .. 1e-1 in 7 log steps). */
static const int arrival[N] = { 3, 0, 6, 1, 4, 2, 5 };

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  f->cr = cairo_create (f->surface);
  rs_plot_style_init (&f->style, RS_PLOT_THEME_LIGHT, FALSE);
  f->exp = rs_experiment_new_default ();   /* 10-20-5 */
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_sweep_spec_init (&f->spec, f->exp, "fc1.l1", 1e-5, 1e-1, N, FALSE, "test",
                                     &error));
  for (int k = 0; k < N; k++)
    {
      int i = arrival[k];
      RsSweepPoint *p = &f->points[k];
      p->index = i;
      p->value = rs_sweep_spec_value (&f->spec, i);
      double dist = i - 4.0;
      p->train_loss = 0.2 + 0.1 * i;
      p->val_loss = 0.5 + 0.05 * dist * dist;
      p->train_acc = 0.95 - 0.05 * i;
      p->val_acc = 0.8 - 0.02 * fabs (dist);
      p->n_layers = 2;
      p->weight_norm[0] = 10.0 / (1 + i * i);
      p->weight_norm[1] = 3.0;
      p->near_zero[0] = i / 8.0;
      p->near_zero[1] = 0.05;
      p->unit_layer = 0;
      p->n_units = 3;
      p->unit_norm = g_new (double, 3);
      p->unit_norm[0] = 2.0;
      p->unit_norm[1] = 1.0 / (1 + i);
      p->unit_norm[2] = i < 3 ? 5.0 : 1e-9; /* switched off from the fourth point */
    }
  f->data = (RsPlotSweepData) { &f->style, &f->spec, f->points, N, 1e-3, NAN };
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (int k = 0; k < N; k++)
    rs_sweep_point_clear (&f->points[k]);
  rs_experiment_free (f->exp);
  cairo_destroy (f->cr);
  cairo_surface_destroy (f->surface);
}

static const RsSweepPoint *
point_at (Fixture *f, int index)
{
  for (int k = 0; k < N; k++)
    if (f->points[k].index == index)
      return &f->points[k];
  g_assert_not_reached ();
}

static void
at (const RsPlotFrame *fr, double value, double y_value, double *x, double *y)
{
  *x = rs_plot_scale_map (&fr->x, value);
  *y = rs_plot_scale_map (&fr->y, y_value);
  g_assert_true (isfinite (*x) && isfinite (*y));
  g_assert_cmpfloat (*x, >=, fr->area.x - 0.5);
  g_assert_cmpfloat (*x, <=, fr->area.x + fr->area.w + 0.5);
}

/* Whether any pixel of the column x between y0 and y1 has colour c. */
static gboolean
column_has (Fixture *f, double x, double y0, double y1, const RsColor *c)
{
  cairo_surface_flush (f->surface);
  for (double y = y0; y <= y1; y += 1)
    if (plot_pixel_is (plot_pixel (f->surface, x, y), c, 40))
      return TRUE;
  return FALSE;
}

/* Each point's validation and train loss and accuracy sit where their
 * values say, on a log axis of the swept value; the best value (the least
 * validation loss) has the event colour's dashed rule, other values not. */
static void
test_curve_points_and_best (Fixture *f, gconstpointer data)
{
  rs_plot_validation_curve_draw (f->cr, &f->data, W, H);
  RsPlotFrame loss, acc;
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 0, &loss));
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 1, &acc));
  g_assert_true (loss.x.log);
  g_assert_false (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 2, &acc));
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 1, &acc));
  cairo_surface_flush (f->surface);

  for (int i = 0; i < N; i++)
    {
      const RsSweepPoint *p = point_at (f, i);
      double x, y;
      at (&loss, p->value, p->val_loss, &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y),
                                    &f->style.series[RS_SERIES_VAL_LOSS], 40));
      at (&loss, p->value, p->train_loss, &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y),
                                    &f->style.series[RS_SERIES_TASK], 40));
      at (&acc, p->value, p->val_acc, &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y),
                                    &f->style.series[RS_SERIES_VAL_ACC], 40));
      /* the rule: below the accuracy curves (all above 60%) */
      gboolean rule = FALSE;
      for (int dx = -1; dx <= 1; dx++)
        rule |= column_has (f, x + dx, rs_plot_scale_map (&acc.y, 0.5),
                            rs_plot_scale_map (&acc.y, 0.05), &f->style.event);
      g_assert_true (rule == (i == 4));
    }
  /* 1e-5 .. 1e-1 on a log axis: 1e-3 in the middle */
  double x_mid = rs_plot_scale_map (&loss.x, 1e-3);
  g_assert_cmpfloat_with_epsilon (x_mid, loss.area.x + loss.area.w * 0.5, 1.0);
}

/* ||W|| per layer on a log axis, the near-zero share in percent, and each
 * unit of the chosen layer: a unit pushed below the zero threshold lies
 * on the panel's floor. */
static void
test_path_layers_and_units (Fixture *f, gconstpointer data)
{
  rs_plot_regularization_path_draw (f->cr, &f->data, W, H);
  RsPlotFrame norm, zero, units;
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_PATH, &f->data, W, H, 0, &norm));
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_PATH, &f->data, W, H, 1, &zero));
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_PATH, &f->data, W, H, 2, &units));
  g_assert_true (norm.y.log);
  g_assert_true (units.y.log);
  g_assert_cmpfloat (zero.y.hi, ==, 1.0);
  cairo_surface_flush (f->surface);

  RsColor fc1 = f->style.series[RS_SERIES_LOSS], fc2 = f->style.series[RS_SERIES_VAL_LOSS];
  for (int i = 0; i < N; i++)
    {
      const RsSweepPoint *p = point_at (f, i);
      double x, y;
      at (&norm, p->value, p->weight_norm[0], &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), &fc1, 40));
      at (&norm, p->value, p->weight_norm[1], &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), &fc2, 40));
      at (&zero, p->value, p->near_zero[0], &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), &fc1, 40));
    }
  /* units are thin, faint lines: the constant unit at 2 everywhere, the
   * third unit at 5 until it is switched off, then on the panel's floor
   * (the threshold / 10, not 1e-9) */
  g_assert_cmpfloat_with_epsilon (units.y.lo, 1e-4, 1e-12);
  RsColor unit = rs_plot_color_mix (&f->style.background, &fc1, 0.45);
  for (int i = 0; i < N; i++)
    {
      const RsSweepPoint *p = point_at (f, i);
      double x, y;
      at (&units, p->value, 2.0, &x, &y);
      g_assert_false (plot_pixel_is (plot_pixel (f->surface, x, y), &f->style.background, 8));
      at (&units, p->value, 5.0, &x, &y);
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), &unit, 40) == (i < 3));
    }
}

/* A click finds the point under it, whatever order the points came in. */
static void
test_hit (Fixture *f, gconstpointer data)
{
  RsPlotFrame loss;
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 0, &loss));
  for (int i = 0; i < N; i++)
    {
      const RsSweepPoint *p = point_at (f, i);
      double x = rs_plot_scale_map (&loss.x, p->value);
      int hit = rs_plot_sweep_hit (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, x + 2,
                                   loss.area.y + loss.area.h / 2);
      g_assert_cmpint (hit, >=, 0);
      g_assert_cmpint (f->points[hit].index, ==, i);
    }
  /* between two points, far from both, and outside the panels: nothing */
  double mid = (rs_plot_scale_map (&loss.x, point_at (f, 1)->value)
                + rs_plot_scale_map (&loss.x, point_at (f, 2)->value)) / 2;
  g_assert_cmpint (rs_plot_sweep_hit (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, mid,
                                      loss.area.y + 10), ==, -1);
  g_assert_cmpint (rs_plot_sweep_hit (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 2, 2), ==, -1);
}

/* Before the first point: the frame, a note, and no best marked. */
static void
test_empty (Fixture *f, gconstpointer data)
{
  f->data.n = 0;
  for (int k = RS_PLOT_SWEEP_CURVE; k <= RS_PLOT_SWEEP_PATH; k++)
    {
      rs_plot_sweep_draw (f->cr, k, &f->data, W, H);
      g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
      RsPlotFrame fr;
      g_assert_true (rs_plot_sweep_panel (f->cr, k, &f->data, W, H, 0, &fr));
      for (double x = fr.area.x + 2; x < fr.area.x + fr.area.w - 2; x += 3)
        g_assert_false (column_has (f, x, fr.area.y + 2, fr.area.y + 12, &f->style.event));
    }
}

/* A selected point (the run opened in the main view) gets a solid rule. */
static void
test_selected (Fixture *f, gconstpointer data)
{
  const RsSweepPoint *p = point_at (f, 1);
  f->data.selected = p->value;
  rs_plot_validation_curve_draw (f->cr, &f->data, W, H);
  RsPlotFrame loss;
  g_assert_true (rs_plot_sweep_panel (f->cr, RS_PLOT_SWEEP_CURVE, &f->data, W, H, 0, &loss));
  double x = round (rs_plot_scale_map (&loss.x, p->value));
  cairo_surface_flush (f->surface);
  guint32 px = plot_pixel (f->surface, x, loss.area.y + 4);
  g_assert_false (plot_pixel_is (px, &f->style.background, 8));
  f->data.selected = NAN;
  rs_plot_validation_curve_draw (f->cr, &f->data, W, H);
  cairo_surface_flush (f->surface);
  px = plot_pixel (f->surface, x, loss.area.y + 4);
  g_assert_true (plot_pixel_is (px, &f->style.background, 8));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/sweep/curve-points-and-best", Fixture, NULL, fixture_setup,
              test_curve_points_and_best, fixture_teardown);
  g_test_add ("/plot/sweep/path-layers-and-units", Fixture, NULL, fixture_setup,
              test_path_layers_and_units, fixture_teardown);
  g_test_add ("/plot/sweep/hit", Fixture, NULL, fixture_setup, test_hit, fixture_teardown);
  g_test_add ("/plot/sweep/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/plot/sweep/selected", Fixture, NULL, fixture_setup, test_selected,
              fixture_teardown);
  return g_test_run ();
}
