/* test-ui-data.c — choosing the data and the network in the window: the
 * data panel, the network editor, a CSV opened or dropped, a refused
 * change, and what Save Lesson As and a saved session keep. Under Xvfb,
 * without sleeps: each wait iterates the main loop until a condition
 * holds. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-early-stop-control.h"
#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "rs-replay.h"
#include "rs-run.h"
#include "rs-session.h"
#include "rs-window.h"
#include "ui-fixtures.h"

static char *
test_csv (const char *name)
{
  return g_build_filename (RS_TEST_SRCDIR, "data", "csv", name, NULL);
}

/* The window's experiment, for waiting until a change is installed. */
static const RsExperiment *
window_experiment (gpointer window)
{
  return rs_window_get_snapshot (RS_WINDOW (window))->experiment;
}

static gboolean
fc2_is_7_wide (gpointer window)
{
  return window_experiment (window)->sizes[2] == 7;
}

static gboolean
is_tanh (gpointer window)
{
  return window_experiment (window)->activation == RS_ACT_TANH;
}

static gboolean
has_two_layers (gpointer window)
{
  return window_experiment (window)->n_layers == 2;
}

static gboolean
has_message (gpointer data)
{
  return rs_window_get_message (RS_WINDOW (data)) != NULL;
}

static RsSnapshot *
current_snapshot (Fixture *f)
{
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  rs_window_poll (f->window);
  return rs_window_get_snapshot (f->window);
}

/* A shipped set from the panel: the network's ends follow the data, the
 * layer rows follow the network, the run starts again from the seed with
 * the baseline kept, and it trains. */
static void
test_data_shipped_set (Fixture       *f,
                       gconstpointer  data)
{
  RsDataPanel *panel = rs_window_get_data_panel (f->window);

  take_steps (f, 3);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "pin-baseline", NULL);
  const RsSnapshot *baseline = rs_window_get_baseline (f->window);
  g_assert_nonnull (baseline);

  g_assert_true (rs_data_panel_select_source (panel, "iris"));
  RsSnapshot *snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->source, ==, RS_DATA_IRIS);
  g_assert_cmpint (snap->experiment->sizes[0], ==, 4);
  g_assert_cmpint (snap->experiment->sizes[snap->experiment->n_layers], ==, 3);
  g_assert_cmpint (snap->steps_done, ==, 0);
  g_assert_cmpint (rs_window_get_n_layer_rows (f->window), ==, snap->experiment->n_layers);
  g_assert_true (rs_window_get_baseline (f->window) == baseline);
  g_assert_nonnull (strstr (rs_window_get_message (f->window), "random 10-20-5 → iris 4-20-3"));
  g_assert_nonnull (strstr (rs_window_get_message (f->window), "seed"));
  g_assert_cmpstr (rs_data_panel_get_sentence (panel), ==,
                   "150 rows, 4 features, 3 classes: setosa, versicolor, virginica");
  /* The generator's parameters do not apply to a shipped set. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (rs_data_panel_get_spin (panel, "samples"))));

  take_steps (f, 5);
  snap = rs_window_get_snapshot (f->window);
  g_assert_cmpint (snap->steps_done, ==, 5);
  g_assert_cmpint (snap->history->n, ==, 5);
  g_assert_true (isfinite (snap->history->points[4].loss));
  g_assert_cmpfloat (snap->history->points[4].loss, <, snap->history->points[0].loss);

  /* A generator's parameters: 3 spiral arms of 90 points. */
  g_assert_true (rs_data_panel_select_source (panel, "spirals"));
  gtk_spin_button_set_value (rs_data_panel_get_spin (panel, "samples"), 90);
  snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->source, ==, RS_DATA_SPIRALS);
  g_assert_cmpint (snap->experiment->samples, ==, 90);
  g_assert_cmpint (snap->experiment->sizes[0], ==, 2);
  g_assert_cmpint (snap->experiment->sizes[snap->experiment->n_layers], ==,
                   snap->experiment->classes);
  g_assert_true (g_str_has_prefix (rs_data_panel_get_sentence (panel), "90 rows, 2 features"));
}

/* `regscope FILE.csv` with text labels: the preview shows the header and
 * the first rows, the class column, and what will be trained. */
static void
test_data_csv_preview (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = test_csv ("text-labels.csv");
  RsDataPanel *panel = rs_window_get_data_panel (f->window);

  g_assert_true (rs_window_load_lesson (f->window, csv, &error));
  g_assert_no_error (error);
  const char *preview = rs_data_panel_get_preview_text (panel);
  g_assert_true (g_str_has_prefix (preview, "sepal_length, sepal_width, petal_length"));
  g_assert_nonnull (strstr (preview, "\n6.3, 3.3, 6.0, 2.5, virginica\n5.1, 3.5, 1.4, 0.2, setosa\n"));
  g_assert_cmpstr (rs_data_panel_get_sentence (panel), ==,
                   "4 rows, 4 features, 3 classes: setosa, versicolor, virginica");
  GtkDropDown *label = rs_data_panel_get_label_dropdown (panel);
  g_assert_cmpuint (gtk_drop_down_get_selected (label), ==, 4);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (
                   gtk_widget_get_parent (GTK_WIDGET (label)))));

  /* A numeric column of measurements is no class column: refused, named,
   * and the run and the choice stay as they were. */
  RsTrainer *trainer = rs_window_get_trainer (f->window);
  gtk_drop_down_set_selected (label, 0);
  g_assert_true (wait_for (has_message, f->window));
  g_assert_true (rs_window_get_trainer (f->window) == trainer);
  g_assert_nonnull (strstr (rs_window_get_message (f->window), "text-labels.csv:2: label '6.3'"));
  g_assert_cmpuint (gtk_drop_down_get_selected (label), ==, 4);
  g_assert_cmpstr (rs_window_get_snapshot (f->window)->experiment->label_column, ==, "last");
}

static gboolean
find_drop_target (Fixture *f, GtkDropTarget **out)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        {
          *out = GTK_DROP_TARGET (controller);
          return TRUE;
        }
    }
  return FALSE;
}

/* A CSV dropped from a file manager (a file list) becomes the data. */
static void
test_data_drop_file (Fixture       *f,
                     gconstpointer  data)
{
  GtkDropTarget *target = NULL;
  g_autofree char *csv = test_csv ("semicolon.csv");
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  GSList files = { file, NULL };
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_true (find_drop_target (f, &target));
  GType *types = NULL;
  gsize n_types = 0;
  types = (GType *) gtk_drop_target_get_gtypes (target, &n_types);
  g_assert_cmpuint (n_types, ==, 2);
  g_assert_true (types[0] == GDK_TYPE_FILE_LIST || types[1] == GDK_TYPE_FILE_LIST);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);

  RsSnapshot *snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->source, ==, RS_DATA_CSV);
  g_assert_cmpstr (snap->experiment->csv_path, ==, csv);
  g_assert_cmpint (snap->experiment->sizes[0], ==, 2);
  g_assert_cmpint (snap->experiment->sizes[snap->experiment->n_layers], ==, 3);
  RsDataPanel *panel = rs_window_get_data_panel (f->window);
  g_assert_true (g_str_has_prefix (rs_data_panel_get_preview_text (panel),
                                   "sepal_length; sepal_width; species\n5,1; 3,5; setosa"));
  g_assert_cmpstr (rs_data_panel_get_sentence (panel), ==,
                   "3 rows, 2 features, 3 classes: setosa, versicolor, virginica");

  /* A single GFile (another application's drag) works the same way. */
  g_autofree char *other = test_csv ("text-labels.csv");
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, other_file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  snap = current_snapshot (f);
  g_assert_cmpstr (snap->experiment->csv_path, ==, other);
  g_assert_cmpint (snap->experiment->sizes[0], ==, 4);
}

/* A CSV the reader refuses: one line naming the file and the place, and
 * the run in use untouched (same trainer, same steps, same data). */
static void
test_data_bad_csv (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *bad = test_csv ("not-a-number.csv");

  take_steps (f, 2);
  RsTrainer *trainer = rs_window_get_trainer (f->window);
  rs_window_open_data_file (f->window, bad);
  const char *message = rs_window_get_message (f->window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "not-a-number.csv:"));
  g_assert_null (strchr (message, '\n'));
  g_assert_true (rs_window_get_trainer (f->window) == trainer);
  RsSnapshot *snap = current_snapshot (f);
  g_assert_cmpint (snap->steps_done, ==, 2);
  g_assert_cmpint (snap->experiment->source, ==, RS_DATA_RANDOM);
  GtkDropDown *source = rs_data_panel_get_source_dropdown (rs_window_get_data_panel (f->window));
  GtkStringObject *shown = gtk_drop_down_get_selected_item (source);
  g_assert_cmpstr (gtk_string_object_get_string (shown), ==, "Random");

  /* Nor is the refusal an event of the run: the saved session has none. */
  g_autoptr(GError) error = NULL;
  g_autofree char *session_path = g_build_filename (f->tmpdir, "refused.session", NULL);
  g_assert_true (rs_window_save_session_to_file (f->window, session_path, &error));
  g_assert_no_error (error);
  g_autoptr(RsReplay) replay = rs_replay_load (session_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (replay->steps, ==, 2);
  g_assert_cmpint (replay->n_events, ==, 0);
  take_steps (f, 1);
  g_assert_cmpint (current_snapshot (f)->steps_done, ==, 3);
}

/* Whether a label under `widget` shows `text`. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* A CSV's lesson text says what the file holds; once the data change, it
 * says what the new data hold (on screen and in Save Lesson As), not the
 * old file's rows and classes. */
static void
test_csv_description_follows_data (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = test_csv ("text-labels.csv");
  const char *old_text = "4 rows, 4 features, 3 classes: setosa, versicolor, virginica";
  const char *new_text = "178 rows, 13 features, 3 classes";

  g_assert_true (rs_window_load_lesson (f->window, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rs_window_get_snapshot (f->window)->experiment->description, ==, old_text);
  g_assert_true (g_str_has_prefix (rs_data_panel_get_sentence (rs_window_get_data_panel (f->window)),
                                   old_text));

  g_assert_true (rs_data_panel_select_source (rs_window_get_data_panel (f->window), "wine"));
  RsSnapshot *snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->source, ==, RS_DATA_WINE);
  g_assert_true (g_str_has_prefix (snap->experiment->description, new_text));
  g_assert_cmpstr (snap->experiment->description, ==,
                   rs_data_panel_get_sentence (rs_window_get_data_panel (f->window)));
  g_assert_true (shows_text (GTK_WIDGET (f->window), snap->experiment->description));
  g_assert_false (shows_text (GTK_WIDGET (f->window), old_text));

  g_autofree char *lesson = g_build_filename (f->tmpdir, "wine-from-csv.ini", NULL);
  g_assert_true (rs_window_save_lesson_to_file (f->window, lesson, &error));
  g_assert_no_error (error);
  g_autoptr(RsExperiment) saved = rs_experiment_load (lesson, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->description, ==, snap->experiment->description);

  /* A lesson's own text is the teacher's, and stays. */
  g_autofree char *preset = preset_path ("seed-l1");
  g_assert_true (rs_window_load_lesson (f->window, preset, &error));
  g_autofree char *teacher = g_strdup (rs_window_get_snapshot (f->window)->experiment->description);
  g_assert_true (rs_data_panel_select_source (rs_window_get_data_panel (f->window), "iris"));
  g_assert_cmpstr (current_snapshot (f)->experiment->description, ==, teacher);
}

static gboolean
is_menu_button_showing (GtkWidget     *widget,
                        gconstpointer  text)
{
  return GTK_IS_MENU_BUTTON (widget) && shows_text (widget, text);
}

/* Where the window names the lesson, it says `title`: the window title,
 * the lesson button (its label and accessible name), the sidebar. */
static void
assert_lesson_named (Fixture    *f,
                     const char *title)
{
  g_autofree char *window_title = g_strdup_printf ("%s — regscope", title);
  g_autofree char *accessible = g_strdup_printf ("Lesson: %s", title);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, window_title);
  g_assert_cmpstr (rs_window_get_snapshot (f->window)->experiment->title, ==, title);
  GtkWidget *button = find_widget (GTK_WIDGET (f->window), is_menu_button_showing, title);
  g_assert_nonnull (button);
  assert_accessible_name (button, accessible);
}

/* A CSV opened as a lesson is named after its file; once the data change,
 * the window names the new data, not the old file: another shipped set,
 * then another CSV (which is then the lesson's file). A lesson's own
 * title is the teacher's, and stays. */
static void
test_title_follows_data (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = test_csv ("text-labels.csv");
  g_autofree char *other = test_csv ("semicolon.csv");
  RsDataPanel *panel = rs_window_get_data_panel (f->window);

  g_assert_true (rs_window_load_lesson (f->window, csv, &error));
  g_assert_no_error (error);
  assert_lesson_named (f, "text-labels.csv");

  g_assert_true (rs_data_panel_select_source (panel, "wine"));
  g_assert_cmpint (current_snapshot (f)->experiment->source, ==, RS_DATA_WINE);
  assert_lesson_named (f, "wine");
  g_assert_false (shows_text (GTK_WIDGET (f->window), "text-labels.csv"));
  g_assert_null (rs_window_get_lesson_path (f->window));

  rs_window_open_data_file (f->window, other);
  g_assert_cmpstr (current_snapshot (f)->experiment->csv_path, ==, other);
  assert_lesson_named (f, "semicolon.csv");
  g_assert_false (shows_text (GTK_WIDGET (f->window), "wine"));
  g_assert_cmpstr (rs_window_get_lesson_path (f->window), ==, other);

  g_autofree char *preset = preset_path ("seed-l1");
  g_assert_true (rs_window_load_lesson (f->window, preset, &error));
  g_assert_no_error (error);
  g_autofree char *teacher = g_strdup (rs_window_get_snapshot (f->window)->experiment->title);
  assert_lesson_named (f, teacher);
  g_assert_true (rs_data_panel_select_source (panel, "iris"));
  g_assert_cmpint (current_snapshot (f)->experiment->source, ==, RS_DATA_IRIS);
  assert_lesson_named (f, teacher);
  g_assert_cmpstr (rs_window_get_lesson_path (f->window), ==, preset);
}

/* Add and remove hidden layers, set a width and the activation: the
 * network and its layer rows follow, the lambdas of layers that stay
 * are kept. */
static void
test_network_editor (Fixture       *f,
                     gconstpointer  data)
{
  RsNetworkEditor *editor = rs_window_get_network_editor (f->window);
  RsSnapshot *snap = current_snapshot (f);
  double l1 = snap->experiment->layer[0].l1;

  g_assert_cmpfloat (l1, >, 0);
  g_assert_cmpint (rs_network_editor_get_n_hidden (editor), ==, 1);
  rs_network_editor_add_layer (editor);
  snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->n_layers, ==, 3);
  g_assert_cmpint (rs_window_get_n_layer_rows (f->window), ==, 3);
  g_assert_cmpint (snap->experiment->sizes[1], ==, 20);
  g_assert_cmpint (snap->experiment->sizes[2], ==, 20);
  g_assert_cmpint (snap->experiment->sizes[3], ==, 5);
  g_assert_cmpfloat (snap->experiment->layer[0].l1, ==, l1);
  g_assert_cmpfloat (snap->experiment->layer[2].l1, ==, 0);

  gtk_spin_button_set_value (rs_network_editor_get_width_spin (editor, 1), 7);
  g_assert_true (wait_for (fc2_is_7_wide, f->window));
  snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->sizes[2], ==, 7);
  RsLayerRow *row = rs_window_get_layer_row (f->window, 2);
  g_assert_cmpint (rs_layer_row_get_index (row), ==, 2);

  gtk_drop_down_set_selected (rs_network_editor_get_activation_dropdown (editor), RS_ACT_TANH);
  g_assert_true (wait_for (is_tanh, f->window));
  snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->activation, ==, RS_ACT_TANH);

  /* Removing fc1 leaves 10 → 7 → 5. */
  g_signal_emit_by_name (rs_network_editor_get_remove_button (editor, 0), "clicked");
  g_assert_true (wait_for (has_two_layers, f->window));
  snap = current_snapshot (f);
  g_assert_cmpint (snap->experiment->n_layers, ==, 2);
  g_assert_cmpint (snap->experiment->sizes[1], ==, 7);
  g_assert_cmpint (rs_window_get_n_layer_rows (f->window), ==, 2);
  g_assert_cmpint (rs_network_editor_get_n_hidden (editor), ==, 1);

  take_steps (f, 3);
  g_assert_cmpint (rs_window_get_snapshot (f->window)->history->n, ==, 3);
}

/* Save Lesson As keeps the data and the network; a data change and a
 * network change mid-way are events of the run, and its saved session
 * replays both runs bit for bit; the pinned baseline stays throughout. */
static void
test_data_saved_and_replayed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RsDataPanel *panel = rs_window_get_data_panel (f->window);

  take_steps (f, 3);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "pin-baseline", NULL);
  RsSnapshot *baseline = rs_window_get_baseline (f->window);
  g_assert_nonnull (baseline);
  g_assert_true (rs_data_panel_select_source (panel, "wine"));
  take_steps (f, 2);
  rs_network_editor_add_layer (rs_window_get_network_editor (f->window));
  take_steps (f, 3);
  RsLambdaControl *l2 = rs_layer_row_get_control (rs_window_get_layer_row (f->window, 1),
                                                  RS_REG_TERM_L2);
  gtk_switch_set_active (rs_lambda_control_get_switch (l2), TRUE);
  take_steps (f, 4);
  RsSnapshot *live = current_snapshot (f);
  g_assert_cmpint (live->history->n, ==, 7);
  g_assert_true (rs_window_get_baseline (f->window) == baseline);
  g_assert_cmpint (baseline->experiment->source, ==, RS_DATA_RANDOM);
  g_assert_cmpint (baseline->steps_done, ==, 3);

  g_autofree char *lesson = g_build_filename (f->tmpdir, "wine.ini", NULL);
  g_assert_true (rs_window_save_lesson_to_file (f->window, lesson, &error));
  g_assert_no_error (error);
  g_autoptr(RsExperiment) saved = rs_experiment_load (lesson, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved->source, ==, RS_DATA_WINE);
  g_assert_cmpint (saved->n_layers, ==, 3);
  g_assert_cmpint (saved->sizes[0], ==, 13);
  g_assert_cmpint (saved->sizes[3], ==, 3);
  g_assert_true (rs_experiment_equal (saved, live->experiment));

  g_autofree char *session_path = g_build_filename (f->tmpdir, "wine-session.ini", NULL);
  g_assert_true (rs_window_save_session_to_file (f->window, session_path, &error));
  g_assert_no_error (error);
  g_autoptr(RsReplay) replay = rs_replay_load (session_path, &error);
  g_assert_no_error (error);
  /* the run as the lesson started, then the two changes where they came */
  g_assert_cmpint (replay->experiment->source, ==, RS_DATA_RANDOM);
  g_assert_cmpint (replay->steps, ==, 7);
  g_assert_cmpint (replay->n_events, >=, 3);
  g_assert_cmpint (replay->events[0].kind, ==, RS_EVENT_RESTART);
  g_assert_cmpint (replay->events[0].step, ==, 3);
  g_assert_cmpstr (replay->events[0].change[0], ==, "data.source=wine");
  g_assert_cmpint (replay->events[1].kind, ==, RS_EVENT_RESTART);
  g_assert_cmpint (replay->events[1].step, ==, 2);
  g_assert_cmpstr (replay->events[1].change[0], ==, "model.layers=13,20,20,3");
  g_autoptr(RsSession) session = rs_session_new (replay->experiment, &error);
  g_assert_no_error (error);
  RsHistory *history = rs_history_new (4096);
  g_assert_true (rs_run (session, replay->steps, replay->events, replay->n_events,
                         history, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (history->n, ==, 7);
  for (int i = 0; i < 7; i++)
    g_assert_cmpmem (&history->points[i].loss, sizeof (double),
                     &live->history->points[i].loss, sizeof (double));
  g_assert_true (rs_experiment_equal (rs_session_get_experiment (session), live->experiment));
  for (int l = 0; l < 3; l++)
    g_assert_cmpmem (rs_session_layer_weight (session, l),
                     sizeof (float) * live->layers[l].in * live->layers[l].out,
                     live->layers[l].weight,
                     sizeof (float) * live->layers[l].in * live->layers[l].out);
  rs_history_free (history);

  /* And the window opens the saved lesson with the same network. */
  g_assert_true (rs_window_load_lesson (f->window, lesson, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rs_window_get_n_layer_rows (f->window), ==, 3);
  g_assert_cmpint (rs_network_editor_get_n_hidden (rs_window_get_network_editor (f->window)), ==, 2);
}

/* Every new control says what it sets, the hidden layers by name. */
static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  RsDataPanel *panel = rs_window_get_data_panel (f->window);
  RsNetworkEditor *editor = rs_window_get_network_editor (f->window);

  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_source_dropdown (panel)), "Data source");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_label_dropdown (panel)), "CSV class column");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_spin (panel, "samples")), "Data: samples");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_spin (panel, "validation")), "Data: validation fraction");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_spin (panel, "batch-size")), "Data: batch size");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_check (panel, "shuffle")), "Shuffle");
  assert_accessible_name (GTK_WIDGET (rs_data_panel_get_check (panel, "standardize")), "Standardize");
  assert_accessible_name (GTK_WIDGET (rs_network_editor_get_width_spin (editor, 0)), "fc1: hidden units");
  assert_accessible_name (GTK_WIDGET (rs_network_editor_get_remove_button (editor, 0)), "Remove hidden layer fc1");
  assert_accessible_name (GTK_WIDGET (rs_network_editor_get_activation_dropdown (editor)),
               "Hidden layers' activation");
  assert_accessible_name (GTK_WIDGET (rs_network_editor_get_loss_dropdown (editor)), "Task loss");
}

/* Closing the window keeps the data and the network it trains; the next
 * window opens them again. */
static void
test_state_keeps_change (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = preset_path ("seed-l1");
  g_autofree char *state = rs_window_state_file ();
  g_unlink (state);

  RsWindow *window = rs_window_new (NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (rs_window_load_lesson (window, path, &error));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, window));
  g_assert_true (rs_data_panel_select_source (rs_window_get_data_panel (window), "moons"));
  rs_network_editor_add_layer (rs_window_get_network_editor (window));
  rs_trainer_sync (rs_window_get_trainer (window));
  rs_window_poll (window);
  g_autoptr(RsExperiment) closed = rs_experiment_copy (rs_window_get_snapshot (window)->experiment);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (is_null, &window));

  RsWindow *again = rs_window_new (NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (again), (gpointer *) &again);
  g_assert_true (rs_window_load_lesson (again, state, &error));
  g_assert_no_error (error);
  const RsExperiment *exp = rs_window_get_snapshot (again)->experiment;
  g_assert_cmpint (exp->source, ==, RS_DATA_MOONS);
  g_assert_cmpint (exp->n_layers, ==, 3);
  g_assert_cmpint (exp->sizes[0], ==, 2);
  g_assert_cmpint (exp->sizes[3], ==, 2);
  g_assert_cmpfloat (exp->layer[0].l1, ==, 0.005);
  g_assert_cmpint (rs_window_get_n_layer_rows (again), ==, 3);
  /* every setting, not only these */
  g_assert_true (rs_experiment_equal (exp, closed));
  gtk_window_destroy (GTK_WINDOW (again));
  g_assert_true (wait_for (is_null, &again));
  g_unlink (state);
}

/* Early stopping watches the validation data: with the validation
 * fraction at 0 it goes off (a preset with it on would not load), and the
 * group cannot switch it on again until there are validation data. */
static void
test_no_validation_no_early_stopping (Fixture       *f,
                                      gconstpointer  data)
{
  RsDataPanel *panel = rs_window_get_data_panel (f->window);
  RsEarlyStopControl *es = RS_EARLY_STOP_CONTROL (
    find_widget (GTK_WIDGET (f->window), is_type, GSIZE_TO_POINTER (RS_TYPE_EARLY_STOP_CONTROL)));
  g_assert_true (rs_early_stop_control_get_active (es));

  gtk_spin_button_set_value (rs_data_panel_get_spin (panel, "validation"), 0);
  RsSnapshot *snap = current_snapshot (f);
  g_assert_cmpfloat (snap->experiment->validation, ==, 0);
  g_assert_cmpint (snap->experiment->early_stopping.patience, ==, 0);
  g_assert_false (rs_early_stop_control_get_active (es));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (es)));

  gtk_spin_button_set_value (rs_data_panel_get_spin (panel, "validation"), 0.3);
  snap = current_snapshot (f);
  g_assert_cmpfloat (snap->experiment->validation, ==, 0.3);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (es)));
  g_assert_false (rs_early_stop_control_get_active (es));
}

int
main (int    argc,
      char **argv)
{
  if (!ui_test_init (&argc, &argv))
    return 0;

#define ADD(path, func) \
  g_test_add ("/ui/data/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("shipped-set-adapts-widths", test_data_shipped_set);
  ADD ("csv-preview", test_data_csv_preview);
  ADD ("drop-file", test_data_drop_file);
  ADD ("bad-csv-leaves-run", test_data_bad_csv);
  ADD ("network-editor", test_network_editor);
  ADD ("saved-and-replayed", test_data_saved_and_replayed);
  ADD ("csv-description-follows-data", test_csv_description_follows_data);
  ADD ("title-follows-data", test_title_follows_data);
  ADD ("accessible-names", test_accessible_names);
#undef ADD
  g_test_add_func ("/ui/data/state-keeps-change", test_state_keeps_change);
  g_test_add ("/ui/data/no-validation-no-early-stopping", Fixture, "early-stopping-moons",
              fixture_set_up, test_no_validation_no_early_stopping, fixture_tear_down);

  return g_test_run ();
}
