/* test-plot-describe.c — what a screen reader hears about each plot: the
 * kind's name and a sentence with the snapshot's numbers. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "plot-fixtures.h"
#include "rs-plot-describe.h"

/* A run at step 800 with known numbers, as the example reads. */
static RsSnapshot *
run_at_800 (void)
{
  RsSnapshot *snap = plot_fixture_small (10);

  snap->steps_done = 800;
  snap->latest = (RsMetrics) {
    .step = 799, .loss = 0.41, .task_loss = 0.41, .train_acc = 0.9,
    .val_loss = 0.52, .val_acc = 0.8, .test_loss = NAN, .test_acc = NAN,
  };
  return snap;
}

/* Every kind has a name in words, none the file name of the export. */
static void
test_titles (void)
{
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    {
      const char *title = rs_plot_kind_title (k);
      g_assert_nonnull (title);
      /* words a person reads: capitalised, not "histogram-time" */
      g_assert_cmpstr (title, !=, rs_plot_kind_to_string (k));
      g_assert_true (g_ascii_isupper (title[0]));
    }
  g_assert_cmpstr (rs_plot_kind_title (RS_PLOT_LOSS), ==, "Loss curves");
  g_assert_null (rs_plot_kind_title (RS_PLOT_N_KINDS));
}

static void
test_loss (void)
{
  g_autoptr(RsSnapshot) snap = run_at_800 ();
  g_autofree char *text = rs_plot_describe (RS_PLOT_LOSS, snap);

  g_assert_cmpstr (text, ==, "Loss: total 0.41, validation 0.52, train accuracy 90%, "
                             "validation accuracy 80%, step 800");

  /* A penalty in force is named with its share, and the task loss apart. */
  snap->latest.l1 = 0.03;
  snap->latest.loss = 0.44;
  g_autofree char *with_l1 = rs_plot_describe (RS_PLOT_LOSS, snap);
  g_assert_cmpstr (with_l1, ==, "Loss: total 0.44, task 0.41, L1 penalty 0.03, validation 0.52, "
                                "train accuracy 90%, validation accuracy 80%, step 800");

  /* Before the first step there is nothing to read. */
  g_autoptr(RsSnapshot) empty = plot_fixture_small (0);
  empty->latest.step = -1;
  g_autofree char *none = rs_plot_describe (RS_PLOT_LOSS, empty);
  g_assert_cmpstr (none, ==, "Loss: no steps yet");
  g_autofree char *null_snap = rs_plot_describe (RS_PLOT_LOSS, NULL);
  g_assert_cmpstr (null_snap, ==, "Loss curves: nothing trained yet");
}

/* Weights: each layer's share near zero, as the layer rows say it. */
static void
test_weights (void)
{
  g_autoptr(RsSnapshot) snap = run_at_800 ();

  snap->layers[0].near_zero_fraction = 0.84;
  snap->layers[1].near_zero_fraction = 0.03;
  g_autofree char *hist = rs_plot_describe (RS_PLOT_HISTOGRAMS, snap);
  g_assert_cmpstr (hist, ==, "Weight histograms: fc1 84% near zero, fc2 3% near zero, step 800");
  g_autofree char *dash = rs_plot_describe (RS_PLOT_DASHBOARD, snap);
  g_assert_cmpstr (dash, ==, "Loss: total 0.41, validation 0.52, train accuracy 90%, "
                             "validation accuracy 80%, step 800; "
                             "Weights: fc1 84% near zero, fc2 3% near zero");
}

/* Activations: the hidden layers' silent units; the output has none. */
static void
test_activations (void)
{
  g_autoptr(RsSnapshot) snap = run_at_800 ();

  snap->layers[0].dead_unit_fraction = 0.73;
  g_autofree char *text = rs_plot_describe (RS_PLOT_ACTIVATIONS, snap);
  g_assert_cmpstr (text, ==, "Activations: fc1 73% of units silent, step 800");
}

/* The confusion matrix names the most frequent mistake by class. */
static void
test_confusion (void)
{
  static const guint32 counts[9] = { 10, 0, 0,
                                     0, 6, 4,
                                     1, 0, 9 };
  static const char *names[] = { "setosa", "versicolor", "virginica", NULL };
  g_autoptr(RsSnapshot) snap = run_at_800 ();

  snap->classes = 3;
  snap->val_rows = 30;
  snap->confusion = g_memdup2 (counts, sizeof counts);
  snap->class_names = g_strdupv ((char **) names);
  g_autofree char *text = rs_plot_describe (RS_PLOT_CONFUSION, snap);
  g_assert_cmpstr (text, ==, "Confusion matrix: validation accuracy 80%, "
                             "most often versicolor taken for virginica (4), step 800");
}

/* Boundary and digit tiles on the classroom-like fixtures. */
static void
test_boundary_and_tiles (void)
{
  g_autoptr(RsSnapshot) spiral = plot_fixture_realistic (TRUE);
  g_autofree char *boundary = rs_plot_describe (RS_PLOT_BOUNDARY, spiral);
  g_autofree char *expect_b = g_strdup_printf ("Decision boundary: %d classes, ", spiral->classes);
  g_assert_true (g_str_has_prefix (boundary, expect_b));
  g_assert_nonnull (strstr (boundary, "accuracy"));

  g_autoptr(RsSnapshot) digits = plot_fixture_realistic (FALSE);
  g_autofree char *tiles = rs_plot_describe (RS_PLOT_DIGIT_TILES, digits);
  g_autofree char *expect_t =
    g_strdup_printf ("First-layer weights as images: %d images of 8×8, %.0f%% near zero, step %"
                     G_GINT64_FORMAT, digits->layers[0].out,
                     100 * digits->layers[0].near_zero_fraction, digits->steps_done);
  g_assert_cmpstr (tiles, ==, expect_t);
}

int
main (int argc, char **argv)
{
  /* The words are checked in English with a C decimal point. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot/describe/titles", test_titles);
  g_test_add_func ("/plot/describe/loss", test_loss);
  g_test_add_func ("/plot/describe/weights", test_weights);
  g_test_add_func ("/plot/describe/activations", test_activations);
  g_test_add_func ("/plot/describe/confusion", test_confusion);
  g_test_add_func ("/plot/describe/boundary-and-tiles", test_boundary_and_tiles);
  return g_test_run ();
}
