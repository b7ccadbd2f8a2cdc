/* test-ui-sweep.c — the Sweep page in the window: reached by its action
 * (also in presentation mode), a sweep drawn as its points end, Cancel
 * joining every worker, a point opened as the main run (the control shows
 * its value, the run is that point's run bit for bit), Save Lesson As
 * keeping the page's settings, `regscope --page sweep`, accessible
 * names. No sleeps: the main loop is iterated until the condition holds. */
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <math.h>
#include <string.h>

#include "rs-early-stop-control.h"
#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "rs-error.h"
#include "rs-experiment.h"
#include "rs-plot-sweep.h"
#include "rs-sweep-page.h"
#include "ui-fixtures.h"

/* how-much-l2 (fc*.l2 over 1e-5..1e-1), short: `steps` a point, `points` points. */
static char *
write_lesson (Fixture    *f,
              const char *name,
              int         steps,
              int         points)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *src = preset_path ("how-much-l2");
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_assert_true (g_key_file_load_from_file (kf, src, G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  g_key_file_set_integer (kf, "experiment", "steps", steps);
  g_key_file_set_integer (kf, "sweep", "points", points);
  char *path = g_build_filename (f->tmpdir, name, NULL);
  g_assert_true (g_key_file_save_to_file (kf, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
load (Fixture    *f,
      const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rs_window_load_lesson (f->window, path, &error));
  g_assert_no_error (error);
}

/* how-much-l2 with 5 points of 30 steps, loaded. */
static void
load_short_lesson (Fixture *f)
{
  g_autofree char *path = write_lesson (f, "short.ini", 30, 5);
  load (f, path);
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), action));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), action, parameter);
}

static gboolean
not_running (gpointer data)
{
  return !rs_sweep_page_get_running (data);
}

/* The threads a sweep started ("rs-sweep", as g_thread_new names them). */
static int
count_sweep_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  int n = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *comm = NULL;
      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "rs-sweep"))
        n++;
    }
  return n;
}

static gboolean
has_jobs_threads (gpointer data)
{
  return count_sweep_threads () == rs_sweep_page_get_jobs ();
}

static RsSweepPage *
run_sweep (Fixture *f)
{
  RsSweepPage *page = rs_window_get_sweep_page (f->window);

  activate (f, "sweep-start", NULL);
  g_assert_true (rs_sweep_page_get_running (page));
  g_assert_true (wait_for (not_running, page));
  return page;
}

/* win.sweep shows the page, with the lesson's [sweep] in its controls,
 * and it stays reachable in presentation mode (the header bar is hidden
 * there: the page is in the plot stack, its button in the bar). */
static void
test_page_reachable (Fixture       *f,
                     gconstpointer  data)
{
  load_short_lesson (f);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  RsSweepSpec spec;
  g_autoptr(GError) error = NULL;

  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  activate (f, "sweep", NULL);
  g_assert_true (wait_for (is_mapped, page));
  g_assert_true (rs_sweep_page_get_spec (page, rs_window_get_snapshot (f->window)->experiment,
                                         &spec, &error));
  g_assert_no_error (error);
  g_autofree char *text = rs_sweep_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "fc*.l2=1e-05:0.1:5");

  rs_window_set_current_plot_kind (f->window, RS_PLOT_LOSS);
  g_assert_true (wait_for (is_mapped, rs_window_get_status_line (f->window)));
  rs_window_set_presentation (f->window, TRUE);
  activate (f, "sweep", NULL);
  g_assert_true (wait_for (is_mapped, page));
  g_assert_true (wait_for (is_mapped, rs_sweep_page_get_curve_area (page)));
  rs_window_set_presentation (f->window, FALSE);
}

/* --page names every page of the plot stack, the Sweep page too, by the
 * name the stack gives it, and shows it; not the A/B page ("compare"),
 * which is there while compare mode (win.compare) is on. */
static void
test_page_by_name (Fixture       *f,
                   gconstpointer  data)
{
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (page)));
  g_autofree char *names = rs_window_page_names ();
  g_auto(GStrv) listed = g_strsplit (names, ", ", -1);
  guint n_pages = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (stack)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      const char *name = gtk_stack_page_get_name (gtk_stack_get_page (stack, c));
      g_assert_nonnull (name);
      if (g_str_equal (name, "compare"))
        continue;
      g_assert_true (rs_window_is_page_name (name));
      if (!g_strv_contains ((const char *const *) listed, name))
        g_error ("page %s is not in the page names (%s)", name, names);
      n_pages++;
    }
  g_assert_cmpuint (g_strv_length (listed), ==, n_pages);
  g_assert_false (rs_window_is_page_name ("nosuch"));
  g_assert_false (rs_window_show_page (f->window, "nosuch"));

  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (rs_window_show_page (f->window, "sweep"));
  g_assert_true (wait_for (is_mapped, page));
  g_assert_true (rs_window_show_page (f->window, "loss"));
  g_assert_cmpint (rs_window_get_current_plot_kind (f->window), ==, RS_PLOT_LOSS);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  /* the digits lesson (seed-l1) has no 2-D boundary page */
  g_assert_false (rs_window_show_page (f->window, "boundary"));
}

/* `regscope OPTIONS… seed-l1.ini`: its exit status, stdout and stderr. */
static int
run_regscope (const char *const *options,
              char              **out,
              char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (g_getenv ("REGSCOPE"));
  g_ptr_array_add (argv, g_strdup (g_getenv ("REGSCOPE")));
  for (int i = 0; options[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (options[i]));
  g_ptr_array_add (argv, preset_path ("seed-l1"));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* `regscope --page sweep` starts (here: takes its screenshot) instead of
 * refusing the name; --help lists it; an unknown page is refused with
 * the names. */
static void
test_page_option (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *shot = g_build_filename (f->tmpdir, "sweep.png", NULL);
  g_autofree char *out = NULL, *err = NULL;

  const char *const help[] = { "--help", NULL };
  g_assert_cmpint (run_regscope (help, &out, &err), ==, 0);
  const char *line = strstr (out, "--page");
  g_assert_nonnull (line);
  g_autofree char *page_line = g_strndup (line, strcspn (line, "\n"));
  g_assert_nonnull (strstr (page_line, "sweep"));
  g_assert_nonnull (strstr (page_line, "histogram-time"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *const bad[] = { "--page", "nosuch", NULL };
  g_assert_cmpint (run_regscope (bad, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "unknown page 'nosuch'"));
  g_assert_nonnull (strstr (err, "sweep"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *const sweep[] = { "--page", "sweep", "--screenshot", shot,
                                "--screenshot-steps", "0", NULL };
  int status = run_regscope (sweep, &out, &err);
  if (status != 0)
    g_error ("regscope --page sweep: exit %d: %s", status, err);
  cairo_surface_t *png = cairo_image_surface_create_from_png (shot);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), >, 0);
  cairo_surface_destroy (png);
}

static gboolean
picture_complete (gpointer area)
{
  RsSweepPage *page = RS_SWEEP_PAGE (gtk_widget_get_ancestor (area, RS_TYPE_SWEEP_PAGE));
  int n;
  cairo_surface_t *picture = rs_sweep_page_get_picture (page, area, &n);
  return picture != NULL && n == rs_sweep_page_get_n_ended (page)
         && cairo_image_surface_get_width (picture) >= gtk_widget_get_width (area);
}

/* A sweep runs to its end on the main loop: every point is on the plot
 * where its value is, the best one is known, no worker is left. */
static void
test_runs_and_plots (Fixture       *f,
                     gconstpointer  data)
{
  load_short_lesson (f);
  activate (f, "sweep", NULL);
  RsSweepPage *page = run_sweep (f);

  g_assert_cmpint (rs_sweep_page_get_n_ended (page), ==, 5);
  g_assert_cmpint (count_sweep_threads (), ==, 0);
  g_assert_cmpint (rs_sweep_page_get_best (page), >=, 0);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                     "sweep-cancel"));

  /* each point is where a click on the shown plot finds it */
  GtkWidget *area = rs_sweep_page_get_curve_area (page);
  g_assert_true (wait_for (is_mapped, area));
  wait_frames (area, 3);
  int w = gtk_widget_get_width (area), h = gtk_widget_get_height (area);
  g_test_message ("curve area %d x %d", w, h);
  g_assert_cmpint (w, >=, 300);
  RsPlotStyle style;
  rs_plot_style_init (&style, rs_window_get_dark (f->window) ? RS_PLOT_THEME_DARK
                                                              : RS_PLOT_THEME_LIGHT, FALSE);
  RsSweepPoint pts[5];
  for (int i = 0; i < 5; i++)
    pts[i] = *rs_sweep_page_get_point (page, i);
  RsPlotSweepData d = { .style = &style, .spec = rs_sweep_page_get_shown_spec (page),
                        .points = pts, .n = 5, .selected = NAN };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  RsPlotFrame frame;
  g_assert_true (rs_plot_sweep_panel (cr, RS_PLOT_SWEEP_CURVE, &d, w, h, 0, &frame));
  for (int i = 0; i < 5; i++)
    {
      double x = rs_plot_scale_map (&frame.x, pts[i].value);
      g_assert_cmpint (rs_sweep_page_hit (page, area, x + 1, frame.area.y + frame.area.h / 2),
                       ==, i);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* the areas paint pictures drawn off the UI thread: both come to show
   * every point, and are what the plot draws for those points */
  for (int k = 0; k < 2; k++)
    {
      GtkWidget *a = k ? rs_sweep_page_get_path_area (page) : area;
      g_assert_true (wait_for (picture_complete, a));
      int n;
      cairo_surface_t *picture = rs_sweep_page_get_picture (page, a, &n);
      int pw = cairo_image_surface_get_width (picture), ph = cairo_image_surface_get_height (picture);
      double sx, sy;
      cairo_surface_get_device_scale (picture, &sx, &sy);
      d.threshold = rs_window_get_snapshot (f->window)->experiment->sparsity_threshold;
      cairo_surface_t *direct = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
      cairo_surface_set_device_scale (direct, sx, sy);
      cairo_t *dcr = cairo_create (direct);
      rs_plot_sweep_draw (dcr, k ? RS_PLOT_SWEEP_PATH : RS_PLOT_SWEEP_CURVE, &d, pw / sx, ph / sy);
      cairo_destroy (dcr);
      cairo_surface_flush (direct);
      cairo_surface_flush (picture);
      int stride = cairo_image_surface_get_stride (picture);
      g_assert_cmpint (stride, ==, cairo_image_surface_get_stride (direct));
      g_assert_cmpmem (cairo_image_surface_get_data (picture), stride * ph,
                       cairo_image_surface_get_data (direct), stride * ph);
      cairo_surface_destroy (direct);
    }
}

static gboolean
has_picture (gpointer area)
{
  RsSweepPage *page = RS_SWEEP_PAGE (gtk_widget_get_ancestor (area, RS_TYPE_SWEEP_PAGE));
  int n;
  return rs_sweep_page_get_picture (page, area, &n) != NULL;
}

/* The page draws its pictures only while it is on screen: a sweep that
 * runs behind the loss page takes no core from the page on screen (two
 * pictures drawn at once took both from the frame after a λ change).
 * Shown again, the page catches up with every point. */
static void
test_hidden_page_draws_nothing (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = write_lesson (f, "hidden.ini", 5000, 3);
  load (f, path);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  GtkWidget *areas[2] = { rs_sweep_page_get_curve_area (page),
                          rs_sweep_page_get_path_area (page) };

  activate (f, "sweep", NULL);
  activate (f, "sweep-start", NULL);
  for (int k = 0; k < 2; k++)
    g_assert_true (wait_for (has_picture, areas[k]));
  g_assert_true (rs_window_show_page (f->window, "loss"));
  int ended_when_hidden = rs_sweep_page_get_n_ended (page);
  g_assert_false (gtk_widget_get_mapped (areas[0]));
  g_assert_true (wait_for (not_running, page));
  g_test_message ("%d of 3 points had ended when the page was hidden", ended_when_hidden);
  for (int k = 0; k < 2; k++)
    {
      int n;
      g_assert_nonnull (rs_sweep_page_get_picture (page, areas[k], &n));
      g_assert_cmpint (n, <=, ended_when_hidden);
    }

  g_assert_true (rs_window_show_page (f->window, "sweep"));
  for (int k = 0; k < 2; k++)
    g_assert_true (wait_for (picture_complete, areas[k]));
}

/* A sweep of 13 long points, started, its workers running; returns the
 * lesson's path. */
static char *
start_long_sweep (Fixture *f)
{
  char *path = write_lesson (f, "long.ini", 200000, 13);
  load (f, path);
  activate (f, "sweep-start", NULL);
  g_assert_true (rs_sweep_page_get_running (rs_window_get_sweep_page (f->window)));
  g_assert_true (wait_for (has_jobs_threads, NULL));
  return path;
}

/* Cancel stops a long sweep at once and joins its workers. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = start_long_sweep (f);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);

  activate (f, "sweep-cancel", NULL);
  g_assert_false (rs_sweep_page_get_running (page));
  g_assert_cmpint (count_sweep_threads (), ==, 0);
  g_assert_cmpint (rs_sweep_page_get_n_ended (page), <, 13);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                     "sweep-cancel"));
  /* a lesson change cancels too */
  activate (f, "sweep-start", NULL);
  g_assert_true (wait_for (has_jobs_threads, NULL));
  load (f, path);
  g_assert_false (rs_sweep_page_get_running (page));
  g_assert_cmpint (count_sweep_threads (), ==, 0);
}

static gboolean
sweep_let_go (gpointer sweep)
{
  return !rs_sweep_get_held (sweep);
}

/* A λ change while a sweep runs holds the sweep's workers (they wait,
 * off the CPU) until every plot on screen shows the change, then lets
 * them go on (issue 14: the change reaches the screen within 25 ms with
 * a sweep running; ui-bench --sweep measures that). */
static void
test_control_holds_sweep (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = start_long_sweep (f);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  RsSweep *sweep = rs_sweep_page_get_sweep (page);
  g_assert_nonnull (sweep);
  g_assert_false (rs_sweep_get_held (sweep));

  RsLambdaControl *control = rs_layer_row_get_control (rs_window_get_layer_row (f->window, 0),
                                                       RS_REG_TERM_L1);
  gboolean was = gtk_switch_get_active (rs_lambda_control_get_switch (control));
  gtk_switch_set_active (rs_lambda_control_get_switch (control), !was);
  double l1 = rs_lambda_control_get_lambda (control);
  g_assert_true (rs_sweep_get_held (sweep));
  rs_sweep_wait_held (sweep, rs_sweep_page_get_jobs ());   /* every worker waits */

  g_assert_true (wait_for (sweep_let_go, sweep));
  /* let go once the window shows the change */
  g_assert_cmpfloat (rs_window_get_snapshot (f->window)->experiment->layer[0].l1, ==, l1);
  g_assert_true (rs_sweep_page_get_running (page));
  activate (f, "sweep-cancel", NULL);
}

static gboolean
trainer_finished (gpointer data)
{
  return rs_trainer_get_state (rs_window_get_trainer (data)) == RS_TRAINER_FINISHED;
}

/* Opening a point: every layer's L2 control shows the point's value, and
 * the main run, trained to its end, is that point's run bit for bit. */
static void
test_open_point (Fixture       *f,
                 gconstpointer  data)
{
  load_short_lesson (f);
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "speed",
                                      g_variant_new_string ("max"));
  RsSweepPage *page = run_sweep (f);
  const RsSweepPoint *p = rs_sweep_page_get_point (page, 3);
  g_assert_nonnull (p);

  activate (f, "sweep-open-point", g_variant_new_int32 (3));
  for (int l = 0; l < rs_window_get_n_layer_rows (f->window); l++)
    {
      RsLambdaControl *c = rs_layer_row_get_control (rs_window_get_layer_row (f->window, l),
                                                     RS_REG_TERM_L2);
      g_assert_cmpfloat (rs_lambda_control_get_lambda (c), ==, p->value);
    }
  g_assert_cmpint (rs_window_get_current_plot_kind (f->window), ==, RS_PLOT_LOSS);
  g_assert_true (wait_for (trainer_finished, f->window));
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  g_assert_cmpint (snap->steps_done, ==, p->steps);
  g_assert_cmpfloat (snap->latest.task_loss, ==, p->last.task_loss);
  g_assert_cmpfloat (snap->latest.val_loss, ==, p->last.val_loss);
  g_assert_cmpfloat (snap->experiment->layer[0].l2, ==, p->value);

  /* an index with no point opens nothing */
  activate (f, "sweep-open-point", g_variant_new_int32 (99));
  g_assert_cmpfloat (rs_lambda_control_get_lambda (
    rs_layer_row_get_control (rs_window_get_layer_row (f->window, 0), RS_REG_TERM_L2)),
    ==, p->value);
}

/* A sweep run with early stopping switched on in the sidebar: switched
 * off afterwards, opening a point switches it on again with the sweep's
 * patience, and the main run is still that point's run bit for bit. */
static void
test_open_point_early_stopping (Fixture       *f,
                                gconstpointer  data)
{
  load_short_lesson (f);
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "speed",
                                      g_variant_new_string ("max"));
  RsEarlyStopControl *es = RS_EARLY_STOP_CONTROL (
    find_widget (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (RS_TYPE_EARLY_STOP_CONTROL)));
  g_assert_nonnull (es);
  gtk_switch_set_active (rs_early_stop_control_get_switch (es), TRUE);
  gtk_spin_button_set_value (rs_early_stop_control_get_patience (es), 3);
  RsSweepPage *page = run_sweep (f);
  const RsSweepPoint *p = rs_sweep_page_get_point (page, 3);
  g_assert_nonnull (p);

  gtk_switch_set_active (rs_early_stop_control_get_switch (es), FALSE);
  activate (f, "sweep-open-point", g_variant_new_int32 (3));
  RsEarlyStopping shown = { 0 };
  rs_early_stop_control_get (es, &shown);
  g_assert_cmpint (shown.patience, ==, 3);
  g_assert_true (wait_for (trainer_finished, f->window));
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  g_assert_cmpint (snap->experiment->early_stopping.patience, ==, 3);
  g_assert_cmpint (snap->steps_done, ==, p->steps);
  g_assert_cmpfloat (snap->latest.task_loss, ==, p->last.task_loss);
  g_assert_cmpfloat (snap->latest.val_loss, ==, p->last.val_loss);
}

/* Save Lesson As and Save Session keep what the page is set to as the
 * lesson's [sweep]; a lesson without one, the page untouched, is saved
 * without one. */
static void
test_save_lesson_keeps_sweep (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = g_build_filename (f->tmpdir, "plain.ini", NULL);

  g_assert_true (rs_window_save_lesson_to_file (f->window, plain, &error));
  g_assert_no_error (error);
  g_autoptr(RsExperiment) none = rs_experiment_load (plain, &error);
  g_assert_no_error (error);
  g_assert_null (none->sweep_term);

  load_short_lesson (f);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  const RsExperiment *exp = rs_window_get_snapshot (f->window)->experiment;
  RsSweepSpec spec;
  g_assert_true (rs_sweep_spec_parse ("fc2.dropout=0:0.5:6:lin", exp, &spec, &error));
  g_assert_no_error (error);
  rs_sweep_page_set_spec (page, &spec);
  /* the student's edit: one point more */
  GtkSpinButton *spin = GTK_SPIN_BUTTON (
    find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON)));
  gtk_spin_button_set_value (spin, 7);

  g_autofree char *saved = g_build_filename (f->tmpdir, "saved.ini", NULL);
  g_assert_true (rs_window_save_lesson_to_file (f->window, saved, &error));
  g_assert_no_error (error);
  g_autoptr(RsExperiment) back = rs_experiment_load (saved, &error);
  g_assert_no_error (error);
  RsSweepSpec got;
  g_assert_true (rs_sweep_spec_from_experiment (&got, back));
  g_autofree char *text = rs_sweep_spec_to_string (&got);
  g_assert_cmpstr (text, ==, "fc2.dropout=0:0.5:7:lin");

  /* and so does a saved session */
  g_autofree char *session = g_build_filename (f->tmpdir, "session.ini", NULL);
  g_assert_true (rs_window_save_session_to_file (f->window, session, &error));
  g_assert_no_error (error);
  g_autoptr(RsExperiment) replay = rs_experiment_load (session, &error);
  g_assert_no_error (error);
  g_assert_true (rs_sweep_spec_from_experiment (&got, replay));
  g_autofree char *replayed = rs_sweep_spec_to_string (&got);
  g_assert_cmpstr (replayed, ==, "fc2.dropout=0:0.5:7:lin");
}

/* The new controls say what they set. */
static void
check_label (GtkWidget  *widget,
             const char *label)
{
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                              label);
  g_assert_null (diff);
}

static gboolean
is_entry (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ENTRY (widget);
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  load_short_lesson (f);
  RsSweepPage *page = rs_window_get_sweep_page (f->window);
  GtkWidget *from = find_widget (GTK_WIDGET (page), is_entry, NULL);

  check_label (from, "Sweep every layer's L2 from");
  check_label (find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON)),
               "Sweep every layer's L2: number of points");
  check_label (rs_sweep_page_get_curve_area (page), "Validation curve");
  check_label (rs_sweep_page_get_path_area (page), "Regularization path");
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/ui/sweep/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("page-reachable", test_page_reachable);
  ADD ("page-by-name", test_page_by_name);
  ADD ("page-option", test_page_option);
  ADD ("runs-and-plots", test_runs_and_plots);
  ADD ("hidden-page-draws-nothing", test_hidden_page_draws_nothing);
  ADD ("cancel-joins-workers", test_cancel);
  ADD ("control-holds-sweep", test_control_holds_sweep);
  ADD ("open-point-is-that-run", test_open_point);
  ADD ("open-point-sets-early-stopping", test_open_point_early_stopping);
  ADD ("save-lesson-keeps-sweep", test_save_lesson_keeps_sweep);
  ADD ("accessible-names", test_accessible_names);
#undef ADD
  return g_test_run ();
}
