/* test-ui-twin.c — Compare in the window: the toggle shows A's and B's
 * panels (laid out, drawn), B's layer rows set B's differences, both
 * runs train in step, the twin is kept by Save Lesson As and saved
 * sessions, exported as a dashboard, named for screen readers, kept
 * across a change of network, and switching it off leaves one run. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "rs-network-editor.h"
#include "rs-replay.h"
#include "rs-window.h"
#include "ui-fixtures.h"

static gboolean
has_size (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 50
         && gtk_widget_get_height (widget) > 50;
}

static gboolean
view_drew (gpointer view)
{
  return rs_plot_view_get_drawn_snapshot (view) != NULL
         && rs_plot_view_get_drawn_snapshot (view) == rs_plot_view_get_snapshot (view);
}

/* Every panel of the twin page: on screen with room, drawn. */
static void
assert_panels (Fixture *f)
{
  for (int run = -1; run < 2; run++)
    for (int lower = 0; lower < (run < 0 ? 1 : 2); lower++)
      {
        RsPlotView *view = rs_window_get_twin_view (f->window, run, lower);
        g_assert_true (wait_for (has_size, view));
        g_assert_true (wait_for (view_drew, view));
      }
}

static void
test_compare (Fixture *f, gconstpointer data)
{
  g_assert_false (rs_window_get_compare (f->window));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "compare", NULL);
  g_assert_true (rs_window_get_compare (f->window));
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (f->window),
                                                                "compare");
  g_assert_true (g_variant_get_boolean (state));

  /* B is A until a term differs: switch L2 off in B's fc1 (on in A) */
  RsLayerRow *b_row = rs_window_get_twin_layer_row (f->window, 0);
  RsLambdaControl *b_l2 = rs_layer_row_get_control (b_row, RS_REG_TERM_L2);
  g_assert_true (gtk_switch_get_active (rs_lambda_control_get_switch (b_l2)));
  assert_accessible_name (GTK_WIDGET (rs_lambda_control_get_switch (b_l2)), "B fc1 L2 on");
  gtk_switch_set_active (rs_lambda_control_get_switch (b_l2), FALSE);

  take_steps (f, 6);
  assert_panels (f);
  /* each panel says whose it is */
  assert_accessible_name (GTK_WIDGET (rs_window_get_twin_view (f->window, -1, FALSE)), "A and B: Loss curves");
  assert_accessible_name (GTK_WIDGET (rs_window_get_twin_view (f->window, 0, FALSE)),
               "A: Weight histograms");
  assert_accessible_name (GTK_WIDGET (rs_window_get_twin_view (f->window, 1, TRUE)), "B: Decision boundary");
  RsTrainer *trainer = rs_window_get_trainer (f->window);
  g_autoptr (RsSnapshot) a = rs_trainer_get_snapshot (trainer);
  g_autoptr (RsSnapshot) b = rs_trainer_get_twin_snapshot (trainer);
  g_assert_nonnull (b);
  /* both trained, in step, B with its own term */
  g_assert_cmpint (a->history->n, ==, 6);
  g_assert_cmpint (b->history->n, ==, 6);
  g_assert_cmpfloat (a->experiment->layer[0].l2, ==, 0.01);
  g_assert_cmpfloat (b->experiment->layer[0].l2, ==, 0);
  g_assert_cmpfloat (b->experiment->layer[1].l2, ==, 0.01);
  g_assert_cmpfloat (a->history->points[0].task_loss, ==, b->history->points[0].task_loss);
  g_assert_cmpfloat (a->history->points[5].loss, !=, b->history->points[5].loss);
  /* the panels show A and B: the loss view both, each side its run */
  RsPlotView *loss = rs_window_get_twin_view (f->window, -1, FALSE);
  g_assert_nonnull (rs_plot_view_get_twin (loss));
  g_assert_true (rs_plot_view_get_snapshot (rs_window_get_twin_view (f->window, 1, FALSE))
                 == rs_plot_view_get_twin (loss));
  g_assert_cmpint (rs_plot_view_get_kind (rs_window_get_twin_view (f->window, 1, TRUE)), ==,
                   RS_PLOT_BOUNDARY);

  /* kept: Save Lesson As and the saved session carry [compare] */
  g_autoptr (GError) error = NULL;
  g_autofree char *lesson = g_build_filename (f->tmpdir, "twin.ini", NULL);
  g_assert_true (rs_window_save_lesson_to_file (f->window, lesson, &error));
  g_assert_no_error (error);
  g_autoptr (RsExperiment) saved = rs_experiment_load (lesson, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (saved->compare), ==, 1);
  g_assert_cmpstr (saved->compare[0], ==, "fc1.l2=0");
  g_autofree char *session = g_build_filename (f->tmpdir, "twin-session.ini", NULL);
  g_assert_true (rs_window_save_session_to_file (f->window, session, &error));
  g_autoptr (RsReplay) replay = rs_replay_load (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replay->experiment->compare[0], ==, "fc1.l2=0");

  /* exported: the twin dashboard */
  g_autofree char *png = g_build_filename (f->tmpdir, "twin.png", NULL);
  g_assert_true (rs_window_export_to_file (f->window, png, RS_PLOT_DASHBOARD, &error));
  g_assert_no_error (error);
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 1600);
  cairo_surface_destroy (img);

  /* reopened: the saved lesson comes back with its twin */
  g_assert_true (rs_window_load_lesson (f->window, lesson, &error));
  g_assert_no_error (error);
  g_assert_true (rs_window_get_compare (f->window));
  g_assert_false (gtk_switch_get_active (rs_lambda_control_get_switch (
    rs_layer_row_get_control (rs_window_get_twin_layer_row (f->window, 0), RS_REG_TERM_L2))));

  /* off: one run again, which goes on training */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "compare", NULL);
  g_assert_false (rs_window_get_compare (f->window));
  take_steps (f, 3);
  g_assert_null (rs_trainer_get_twin_snapshot (rs_window_get_trainer (f->window)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (loss)));
  g_assert_cmpint (rs_window_get_snapshot (f->window)->steps_done, ==, 3);
  g_assert_cmpint (rs_window_get_current_plot_kind (f->window), ==, RS_PLOT_LOSS);
  g_unlink (lesson);
  g_unlink (session);
  g_unlink (png);
}

/* Presentation mode: the same panels, each with room. */
static void
test_presentation (Fixture *f, gconstpointer data)
{
  rs_window_set_presentation (f->window, TRUE);
  rs_window_set_compare (f->window, TRUE);
  take_steps (f, 3);
  assert_panels (f);
  /* each plot keeps the room its large type needs (the page scrolls):
   * squeezed to the window, the histograms' cells were unreadable */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (rs_window_get_twin_view (f->window, -1, FALSE))),
                   >=, 280);
  for (int run = 0; run < 2; run++)
    {
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (rs_window_get_twin_view (f->window, run, FALSE))),
                       >=, 440);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (rs_window_get_twin_view (f->window, run, TRUE))),
                       >=, 340);
    }
  RsLayerRow *b_row = rs_window_get_twin_layer_row (f->window, 0);
  g_assert_true (wait_for (is_mapped, b_row) || gtk_widget_get_visible (GTK_WIDGET (b_row)));
  rs_window_set_presentation (f->window, FALSE);
}

/* A change of network keeps Compare, and B's differences: both runs
 * start again on the new network, B still without fc1's L2. */
static void
test_kept_across_network_change (Fixture *f, gconstpointer data)
{
  rs_window_set_compare (f->window, TRUE);
  RsLambdaControl *b_l2 = rs_layer_row_get_control (rs_window_get_twin_layer_row (f->window, 0),
                                                    RS_REG_TERM_L2);
  gtk_switch_set_active (rs_lambda_control_get_switch (b_l2), FALSE);
  take_steps (f, 2);
  int n = rs_window_get_n_layer_rows (f->window);

  rs_network_editor_add_layer (rs_window_get_network_editor (f->window));
  g_assert_cmpint (rs_window_get_n_layer_rows (f->window), ==, n + 1);
  g_assert_true (rs_window_get_compare (f->window));
  RsLayerRow *last = rs_window_get_twin_layer_row (f->window, n);
  g_assert_cmpint (rs_layer_row_get_index (last), ==, n);
  b_l2 = rs_layer_row_get_control (rs_window_get_twin_layer_row (f->window, 0), RS_REG_TERM_L2);
  g_assert_false (gtk_switch_get_active (rs_lambda_control_get_switch (b_l2)));

  take_steps (f, 3);
  RsTrainer *trainer = rs_window_get_trainer (f->window);
  g_autoptr (RsSnapshot) a = rs_trainer_get_snapshot (trainer);
  g_autoptr (RsSnapshot) b = rs_trainer_get_twin_snapshot (trainer);
  g_assert_nonnull (b);
  g_assert_cmpint (b->experiment->n_layers, ==, n + 1);
  g_assert_cmpint (b->history->n, ==, 3);
  g_assert_cmpfloat (a->experiment->layer[0].l2, >, 0);
  g_assert_cmpfloat (b->experiment->layer[0].l2, ==, 0);
  assert_panels (f);
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv))
    return 0;
  g_test_add ("/ui/twin/compare", Fixture, "l2-spiral", fixture_set_up, test_compare,
              fixture_tear_down);
  g_test_add ("/ui/twin/presentation", Fixture, "l2-spiral", fixture_set_up,
              test_presentation, fixture_tear_down);
  g_test_add ("/ui/twin/kept-across-network-change", Fixture, "l2-spiral", fixture_set_up,
              test_kept_across_network_change, fixture_tear_down);
  return g_test_run ();
}
