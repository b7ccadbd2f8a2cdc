/* test-plot-loss.c — loss curves checked on rendered pixels. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-baseline.h"
#include "rs-plot-loss.h"

#define W 640
#define H 420

typedef PlotCanvas Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  plot_canvas_init (f, W, H, RS_PLOT_THEME_LIGHT, GPOINTER_TO_INT (data));
}

static RsPlotRect
whole (void)
{
  RsPlotRect r = { 0, 0, W, H };
  return r;
}

static void
test_series_in_colour (Fixture *f, gconstpointer data)
{
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);

  /* present: total, task, L1 (switched on half way) */
  g_assert_cmpint (count_colour (f->surface, &L.loss.area, &f->style.series[RS_SERIES_LOSS], 8),
                   >, 50);
  g_assert_cmpint (count_colour (f->surface, &L.loss.area, &f->style.series[RS_SERIES_TASK], 8),
                   >, 50);
  g_assert_cmpint (count_colour (f->surface, &L.loss.area, &f->style.series[RS_SERIES_L1], 8),
                   >, 50);
  /* absent everywhere (legend included): L2, activity and validation are
   * zero or NaN in every point. A drawn series or legend mark would give
   * hundreds of pixels; a stray anti-aliased blend may match one or two. */
  RsPlotRect all = whole ();
  g_assert_cmpint (count_colour (f->surface, &all, &f->style.series[RS_SERIES_L2], 8), <, 5);
  g_assert_cmpint (count_colour (f->surface, &all, &f->style.series[RS_SERIES_ACTIVITY], 8),
                   <, 5);
  g_assert_cmpint (count_colour (f->surface, &all, &f->style.series[RS_SERIES_VAL_LOSS], 8),
                   <, 5);

  /* the L1 series is where its values say: 0.25 after step 50 */
  double x = rs_plot_scale_map (&L.loss.x, 80);
  double y = rs_plot_scale_map (&L.loss.y, 0.25);
  RsPlotRect spot = { x - 3, y - 4, 6, 8 };
  g_assert_cmpint (count_colour (f->surface, &spot, &f->style.series[RS_SERIES_L1], 8), >, 0);
  /* accuracy panel: train accuracy in its colour */
  g_assert_true (L.has_acc);
  g_assert_cmpint (count_colour (f->surface, &L.acc.area,
                                 &f->style.series[RS_SERIES_TRAIN_ACC], 8), >, 30);
}

static void
test_validation_when_present (Fixture *f, gconstpointer data)
{
  RsHistory *h = f->snap->history;
  for (int i = 0; i < h->n; i++)
    {
      h->points[i].val_loss = h->points[i].task_loss + 0.3;
      h->points[i].val_acc = 0.6;
    }
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  g_assert_cmpint (count_colour (f->surface, &L.loss.area,
                                 &f->style.series[RS_SERIES_VAL_LOSS], 8), >, 50);
  double x = rs_plot_scale_map (&L.acc.x, 30);
  double y = rs_plot_scale_map (&L.acc.y, 0.6);
  RsPlotRect spot = { x - 3, y - 4, 6, 8 };
  g_assert_cmpint (count_colour (f->surface, &spot, &f->style.series[RS_SERIES_VAL_ACC], 8), >, 0);
}

static void
test_event_marker_at_step (Fixture *f, gconstpointer data)
{
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);

  /* the event of the fixture is at step 50: its dashed rule runs down
   * both panels at that x and nowhere else */
  g_assert_cmpint (f->snap->history->events[0].step, ==, 50);
  double x = rs_plot_scale_map (&L.loss.x, 50);
  RsPlotRect rule = { x - 1.5, L.loss.area.y + L.loss.area.h * 0.5, 3, L.loss.area.h * 0.5 };
  g_assert_cmpint (count_colour (f->surface, &rule, &f->style.event, 10), >, 10);
  RsPlotRect rule2 = { x - 1.5, L.acc.area.y, 3, L.acc.area.h };
  g_assert_cmpint (count_colour (f->surface, &rule2, &f->style.event, 10), >, 5);
  double x20 = rs_plot_scale_map (&L.loss.x, 20);
  RsPlotRect away = { x20 - 1.5, L.loss.area.y + L.loss.area.h * 0.5, 3, L.loss.area.h * 0.5 };
  g_assert_cmpint (count_colour (f->surface, &away, &f->style.event, 10), ==, 0);
  /* and its label (event colour text) sits at the top, right of the rule */
  RsPlotRect label = { x + 2, L.loss.area.y, 120, 30 };
  g_assert_cmpint (count_colour (f->surface, &label, &f->style.event, 40), >, 10);
}

/* Early stopping's best step: a solid rule in the validation colour down
 * both panels at that step, a dot on the validation loss there; none
 * while early stopping is off. */
static void
test_best_step_marker (Fixture *f, gconstpointer data)
{
  RsHistory *h = f->snap->history;
  for (int i = 0; i < h->n; i++)
    {
      double t = (double) h->points[i].step - 70;
      h->points[i].val_loss = 1.0 + t * t / 4000.0;
    }
  if (f->snap->experiment == NULL)
    f->snap->experiment = rs_experiment_new_default ();
  f->snap->early_stop.best_step = 70;
  f->snap->early_stop.best_value = 1.0;

  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  double x = rs_plot_scale_map (&L.loss.x, 70);
  /* the lower part of the loss panel: below the curves' dot, above "best" */
  RsPlotRect rule = { x - 1.5, L.loss.area.y + L.loss.area.h * 0.05, 3, L.loss.area.h * 0.3 };
  RsPlotRect rule2 = { x - 1.5, L.acc.area.y, 3, L.acc.area.h };
  const RsColor *val = &f->style.series[RS_SERIES_VAL_LOSS];

  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  int off = count_colour (f->surface, &rule, val, 10);
  int off2 = count_colour (f->surface, &rule2, val, 10);

  f->snap->experiment->early_stopping.patience = 10;
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  int on = count_colour (f->surface, &rule, val, 10);
  g_assert_cmpint (on - off, >, (int) (rule.h * 0.8));
  g_assert_cmpint (count_colour (f->surface, &rule2, val, 10) - off2, >, (int) (rule2.h * 0.8));

  double mx, my;
  rs_plot_loss_best_marker (&L.loss, f->snap, FALSE, &mx, &my);
  g_assert_cmpfloat (fabs (mx - x), <, 0.5);
  g_assert_cmpfloat (fabs (my - rs_plot_scale_map (&L.loss.y, 1.0)), <, 0.5);
  RsPlotRect dot = { mx - 5, my - 5, 10, 10 };
  g_assert_cmpint (count_colour (f->surface, &dot, val, 10), >, 30);

  /* nowhere else: the same column at step 30 has no rule */
  double x30 = rs_plot_scale_map (&L.loss.x, 30);
  RsPlotRect away = { x30 - 1.5, rule.y, 3, rule.h };
  g_assert_cmpint (count_colour (f->surface, &away, val, 10), <, (int) (rule.h * 0.3));

  /* The dot is on the watched metric's panel only: a loss is no
   * accuracy (a best loss of 0.3 drawn at 30% on the accuracy panel was
   * a bug), and the other way round. */
  f->snap->early_stop.best_value = 0.3;
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  rs_plot_loss_best_marker (&L.acc, f->snap, TRUE, &mx, &my);
  g_assert_cmpfloat (fabs (mx - x), <, 0.5);
  g_assert_true (isnan (my));
  double acc_y = rs_plot_scale_map (&L.acc.y, 0.3);
  RsPlotRect acc_dot = { x - 5, acc_y - 5, 10, 10 };
  /* the rule alone: a column about 2 px wide */
  g_assert_cmpint (count_colour (f->surface, &acc_dot, val, 10), <, 30);

  f->snap->experiment->early_stopping.metric = RS_STOP_VAL_ACC;
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  rs_plot_loss_best_marker (&L.loss, f->snap, FALSE, &mx, &my);
  g_assert_true (isnan (my));
  rs_plot_loss_best_marker (&L.acc, f->snap, TRUE, &mx, &my);
  g_assert_cmpfloat (fabs (my - acc_y), <, 0.5);
  g_assert_cmpint (count_colour (f->surface, &acc_dot, val, 10), >, 30);
}

static void
add_event (RsHistory *h, gint64 step, int layer, const char *key, double from, double to)
{
  RsEvent e = { .step = step, .layer = layer, .old_value = from, .new_value = to };
  g_strlcpy (e.key, key, sizeof e.key);
  rs_history_add_event (h, &e);
}

static gboolean
rects_overlap (const RsPlotRect *a, const RsPlotRect *b)
{
  return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* The fixture's fc1 L1 change at step 50, then a slider drag (fc1 L1
 * moved through 30 more values, one event a step), is two labels, the drag
 * one from its first to its last value; changes of other controls at
 * nearly the same step get labels of their own; no two labels overlap,
 * and every label lies inside the loss panel. */
static void
test_event_labels_drag_and_overlap (Fixture *f, gconstpointer data)
{
  RsHistory *h = f->snap->history;
  int before = h->n_events;
  for (int k = 0; k < 30; k++)
    add_event (h, 60 + k, 0, "l1", 0.005 + 0.001 * k, 0.005 + 0.001 * (k + 1));
  int drag_last = h->n_events - 1;
  add_event (h, 92, 1, "weight-decay", 0, 0.05);
  add_event (h, 93, -1, "lr", 0.001, 0.002);
  add_event (h, 94, 1, "l2", 0, 0.01);

  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  g_autofree RsPlotEventLabel *labels = g_new (RsPlotEventLabel, h->n_events);
  int n = rs_plot_loss_event_labels (f->cr, &f->style, &L.loss, h, labels);

  gboolean drag_seen = FALSE;
  for (int i = 0; i < n; i++)
    {
      const RsPlotRect *b = &labels[i].box;
      g_assert_cmpfloat (b->x, >=, L.loss.area.x);
      g_assert_cmpfloat (b->x + b->w, <=, L.loss.area.x + L.loss.area.w);
      g_assert_cmpfloat (b->y, >=, L.loss.area.y);
      g_assert_cmpfloat (b->y + b->h, <=, L.loss.area.y + L.loss.area.h);
      for (int j = 0; j < i; j++)
        g_assert_false (rects_overlap (b, &labels[j].box));
      if (labels[i].first == before)
        {
          g_assert_cmpint (labels[i].last, ==, drag_last);
          drag_seen = TRUE;
        }
      else
        g_assert_cmpint (labels[i].first, ==, labels[i].last);
    }
  g_assert_true (drag_seen);
  /* the step-50 change, the drag and the three others: at most five
   * labels, one per gesture, never one per event of the drag */
  g_assert_cmpint (n, >=, 3);
  g_assert_cmpint (n, <=, 5);

  /* the same changes a long way apart are labelled one by one */
  RsHistory *far = rs_history_new (64);
  add_event (far, 10, 0, "l1", 0, 0.001);
  add_event (far, 90, 0, "l1", 0.001, 0.002);
  RsPlotEventLabel two[2];
  g_assert_cmpint (rs_plot_loss_event_labels (f->cr, &f->style, &L.loss, far, two), ==, 2);
  g_assert_cmpint (two[0].first, ==, 0);
  g_assert_cmpint (two[1].first, ==, 1);
  rs_history_free (far);
}

static void
test_empty_history (Fixture *f, gconstpointer data)
{
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  g_assert_true (L.empty);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  /* axes are there (ticks labelled), no curve, and the hint in the middle */
  int labels = 0;
  for (int i = 0; i < L.loss.yt.n; i++)
    labels += L.loss.yt.t[i].labelled;
  g_assert_cmpint (labels, >=, 2);
  RsPlotRect mid = { L.loss.area.x + L.loss.area.w * 0.2, L.loss.area.y + L.loss.area.h * 0.4,
                     L.loss.area.w * 0.6, L.loss.area.h * 0.2 };
  g_assert_cmpint (count_colour (f->surface, &mid, &f->style.muted, 30), >, 30);
  g_assert_cmpint (count_colour (f->surface, &L.loss.area, &f->style.series[RS_SERIES_TASK], 8),
                   ==, 0);
}

static void
test_log_skips_non_positive (Fixture *f, gconstpointer data)
{
  f->style.log_y = TRUE;
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  g_assert_true (L.loss.y.lo > 0);
  /* L1 is 0 before step 50: on a log axis it is not drawn there... */
  double x10 = rs_plot_scale_map (&L.loss.x, 10);
  RsPlotRect before = { x10 - 2, L.loss.area.y, 4, L.loss.area.h };
  g_assert_cmpint (count_colour (f->surface, &before, &f->style.series[RS_SERIES_L1], 8), ==, 0);
  /* ...and is after */
  double x80 = rs_plot_scale_map (&L.loss.x, 80);
  RsPlotRect after = { x80 - 2, L.loss.area.y, 4, L.loss.area.h };
  g_assert_cmpint (count_colour (f->surface, &after, &f->style.series[RS_SERIES_L1], 8), >, 0);
}

static void
test_baseline_faint (Fixture *f, gconstpointer data)
{
  RsSnapshot *base = plot_fixture_baseline (NULL, 100);
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, base, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, base, W, H);
  /* the baseline's loss at step 30, in the series colour at low alpha */
  RsColor faint = rs_plot_color_mix (&f->style.background, &f->style.series[RS_SERIES_LOSS], 0.3);
  double x = rs_plot_scale_map (&L.loss.x, 30);
  double y = rs_plot_scale_map (&L.loss.y, base->history->points[30].loss);
  RsPlotRect spot = { x - 3, y - 4, 6, 8 };
  g_assert_cmpint (count_colour (f->surface, &spot, &faint, 12), >, 0);
  /* never at full strength there */
  g_assert_cmpint (count_colour (f->surface, &spot, &f->style.series[RS_SERIES_LOSS], 8), ==, 0);
  rs_snapshot_unref (base);
}

/* Twin runs: A's loss in twin[0] along A's curve, B's in twin[1] along
 * B's (its long dashes hit at most spots), each named in the legend. */
static void
test_twin_colours (Fixture *f, gconstpointer data)
{
  RsSnapshot *b = plot_fixture_baseline (NULL, 100);
  RsPlotLossLayout L;
  rs_plot_loss_twin_layout (f->cr, &f->style, f->snap, b, "A: fc1 L1 0", "B: fc1 L1 0.01", W,
                            H, &L);
  rs_plot_loss_twin_draw (f->cr, &f->style, f->snap, b, "A: fc1 L1 0", "B: fc1 L1 0.01", W, H);
  const RsColor *colour[2] = { &f->style.twin[0], &f->style.twin[1] };
  /* two colours, far apart */
  g_assert_cmpfloat (fabs (colour[0]->r - colour[1]->r) + fabs (colour[0]->b - colour[1]->b),
                     >, 0.5);
  const RsSnapshot *runs[2] = { f->snap, b };
  for (int r = 0; r < 2; r++)
    {
      int hits = 0, other = 0;
      for (int step = 20; step <= 80; step += 4)
        {
          double x = rs_plot_scale_map (&L.loss.x, step);
          double y = rs_plot_scale_map (&L.loss.y, runs[r]->history->points[step].loss);
          RsPlotRect spot = { x - 2, y - 3, 4, 6 };
          hits += count_colour (f->surface, &spot, colour[r], 10) > 0;
          other += count_colour (f->surface, &spot, colour[1 - r], 10) > 0;
        }
      g_test_message ("run %d: %d of 16 spots in its colour", r, hits);
      g_assert_cmpint (hits, >=, r == 0 ? 16 : 8);
      /* the curves lie apart: the other run's colour is not along this one */
      g_assert_cmpint (other, <=, 1);
      /* and the legend shows the run's mark */
      g_assert_cmpint (count_colour (f->surface, &L.legend, colour[r], 10), >, 0);
    }
  rs_snapshot_unref (b);
}

/* The legend names the pinned run by its settings; with a long name at
 * small sizes it wraps or gives way, and never covers the curves. */
static void
test_baseline_legend (Fixture *f, gconstpointer data)
{
  RsSnapshot *base = plot_fixture_baseline (f->snap, 1200);
  base->layers[0].reg.l1 = 0.01;
  base->layers[1].reg.l2 = 0.001;
  base->layers[1].reg.activity = 0.5;
  static const int sizes[][2] = { { 600, 400 }, { 400, 300 }, { 300, 200 }, { 240, 160 } };
  for (int p = 0; p < 2; p++)
    for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        RsPlotStyle style;
        rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, p == 1);
        RsPlotLossLayout L;
        rs_plot_loss_layout (f->cr, &style, f->snap, base, sizes[k][0], sizes[k][1], &L);
        g_assert_cmpfloat (L.legend.y + L.legend.h, <=, L.loss.area.y);
        g_assert_cmpfloat (L.loss.area.h, >, 0);
      }
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, base, W, H, &L);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, base, W, H);
  g_assert_cmpfloat (L.legend.h, >, 0);
  /* the legend holds the name: "baseline: fc1 L1 0.01 · fc2 L2 0.001 · …" */
  g_autofree char *label = rs_plot_baseline_label (base);
  g_assert_cmpstr (label, ==,
                   "baseline: fc1 L1 0.01 · fc2 L2 0.001 · fc2 activity 0.5 · step 1,200");
  g_assert_cmpint (count_colour (f->surface, &L.legend, &f->style.foreground, 40), >, 50);
  rs_snapshot_unref (base);
}

static void
test_bounds_and_state (Fixture *f, gconstpointer data)
{
  /* drawing at an offset touches only its own box and leaves the cairo
   * state as it was */
  RsColor magenta = { 1, 0, 1, 1 };
  rs_plot_set_color (f->cr, &magenta);
  cairo_paint (f->cr);
  cairo_translate (f->cr, 100, 80);
  cairo_set_line_width (f->cr, 7.0);
  cairo_matrix_t before, after;
  cairo_get_matrix (f->cr, &before);
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, 300, 200);
  cairo_get_matrix (f->cr, &after);
  g_assert_cmpfloat (after.x0, ==, before.x0);
  g_assert_cmpfloat (after.y0, ==, before.y0);
  g_assert_cmpfloat (cairo_get_line_width (f->cr), ==, 7.0);
  g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
  for (int y = 0; y < H; y += 3)
    for (int x = 0; x < W; x += 3)
      {
        gboolean inside = x >= 100 && x < 400 && y >= 80 && y < 280;
        if (!inside)
          g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), &magenta, 0));
      }
  g_assert_false (plot_pixel_is (plot_pixel (f->surface, 250, 180), &magenta, 0));
}

static void
test_tiny_and_huge_sizes (Fixture *f, gconstpointer data)
{
  /* nonsense sizes must not crash or leave cairo in an error state */
  const double sizes[][2] = { { 0, 0 }, { 1, 1 }, { 20, 15 }, { 200, 150 }, { 5000, 40 } };
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, sizes[i][0], sizes[i][1]);
      g_assert_cmpint (cairo_status (f->cr), ==, CAIRO_STATUS_SUCCESS);
    }
}

/* A history much denser than the pixels (a long noisy run): the loss
 * alternates between 0.8 and 1.7 every step, with a gap (NaN) in the middle.
 * Drawn as what its stroke covers: every pixel between the two values is
 * the series colour, nothing a few pixels beyond them is, and the gap
 * stays empty. */
static void
test_dense_series_covers_its_range (Fixture *f, gconstpointer data)
{
  const int steps = 6000;
  rs_history_free (f->snap->history);
  f->snap->history = rs_history_new (8192);
  for (int s = 0; s < steps; s++)
    {
      RsMetrics m = { .step = s, .epoch = 0, .loss = s % 2 ? 1.7 : 0.8, .task_loss = NAN,
                      .train_acc = NAN, .val_loss = NAN, .val_acc = NAN };
      if (s >= 2800 && s < 3200)
        m.loss = NAN;
      rs_history_append (f->snap->history, &m);
      f->snap->latest = m;
    }
  f->snap->steps_done = steps;
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, f->snap, NULL, W, H, &L);
  g_assert_cmpfloat (steps / L.loss.area.w, >, 4.0);   /* dense indeed */
  rs_plot_loss_draw (f->cr, &f->style, f->snap, NULL, W, H);

  const RsColor *c = &f->style.series[RS_SERIES_LOSS];
  double y1 = rs_plot_scale_map (&L.loss.y, 0.8), y2 = rs_plot_scale_map (&L.loss.y, 1.7);
  double half = f->style.line_width * 1.5 * 0.5;   /* the total loss is the thick line */
  for (int k = 1; k < 10; k++)
    {
      if (k == 5)
        continue;
      double x = floor (rs_plot_scale_map (&L.loss.x, steps * k / 10.0)) + 0.5;
      for (double y = ceil (y2) + 0.5; y < y1; y += 1.0)
        g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y), c, 8));
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y2 - half + 1.0), c, 40));
      g_assert_true (plot_pixel_is (plot_pixel (f->surface, x, y1 + half - 1.0), c, 40));
      RsPlotRect above = { x - 0.5, y2 - half - 8, 1, 6 }, below = { x - 0.5, y1 + half + 2, 1, 6 };
      g_assert_cmpint (count_colour (f->surface, &above, c, 60), ==, 0);
      g_assert_cmpint (count_colour (f->surface, &below, c, 60), ==, 0);
    }
  /* the gap: steps 2800-3199 hold no value, so no line crosses them */
  double g0 = rs_plot_scale_map (&L.loss.x, 2800), g1 = rs_plot_scale_map (&L.loss.x, 3200);
  RsPlotRect gap = { g0 + half + 2, L.loss.area.y, g1 - g0 - 2 * half - 4, L.loss.area.h };
  g_assert_cmpfloat (gap.w, >, 10);
  g_assert_cmpint (count_colour (f->surface, &gap, c, 60), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/loss/series-present-in-colour", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_series_in_colour, plot_canvas_clear);
  g_test_add ("/plot/loss/validation-when-present", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_validation_when_present, plot_canvas_clear);
  g_test_add ("/plot/loss/event-labels-drag-and-overlap", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_event_labels_drag_and_overlap, plot_canvas_clear);
  g_test_add ("/plot/loss/best-step-marker", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_best_step_marker, plot_canvas_clear);
  g_test_add ("/plot/loss/event-marker-at-step", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_event_marker_at_step, plot_canvas_clear);
  g_test_add ("/plot/loss/empty-history-hint", Fixture, GINT_TO_POINTER (0),
              fixture_setup, test_empty_history, plot_canvas_clear);
  g_test_add ("/plot/loss/log-y-skips-non-positive", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_log_skips_non_positive, plot_canvas_clear);
  g_test_add ("/plot/loss/twin-colours", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_twin_colours, plot_canvas_clear);
  g_test_add ("/plot/loss/baseline-faint", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_baseline_faint, plot_canvas_clear);
  g_test_add ("/plot/loss/baseline-legend", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_baseline_legend, plot_canvas_clear);
  g_test_add ("/plot/loss/stays-in-bounds-restores-state", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_bounds_and_state, plot_canvas_clear);
  g_test_add ("/plot/loss/dense-series-covers-its-range", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_dense_series_covers_its_range, plot_canvas_clear);
  g_test_add ("/plot/loss/odd-sizes", Fixture, GINT_TO_POINTER (100),
              fixture_setup, test_tiny_and_huge_sizes, plot_canvas_clear);
  return g_test_run ();
}
