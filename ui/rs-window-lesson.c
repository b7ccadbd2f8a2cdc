/* rs-window-lesson.c — the lesson: loading it into the window, the lesson
 * menu, and the sidebar's controls, which send every change to the
 * trainer (each call returns at once; the worker applies it at a step
 * boundary). */
#include "rs-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-error.h"
#include "rs-lessons.h"
#include "rs-session.h"
#include "rs-ui.h"

static void
on_layer_row_changed (RsLayerRow *row,
                      RsWindow   *self)
{
  if (self->updating || self->trainer == NULL)
    return;
  /* Starts from the lesson's settings: a key the row has no control for
   * keeps its value rather than stack garbage. */
  int index = rs_layer_row_get_index (row);
  RsLayerReg reg = self->experiment->layer[index];
  rs_layer_row_get_reg (row, &reg);
  rs_trainer_set_layer_reg (self->trainer, index, &reg);
  _rs_window_twin_a_changed (self);
}

static void
send_optimizer (RsWindow *self)
{
  if (self->updating || self->trainer == NULL)
    return;

  guint selected = gtk_drop_down_get_selected (self->optimizer_dropdown);
  self->optimizer.kind = selected == 0 ? RS_OPT_SGD : selected == 2 ? RS_OPT_ADAMW : RS_OPT_ADAM;
  self->optimizer.lr = rs_lambda_control_get_lambda (self->lr_control);
  rs_trainer_set_optimizer (self->trainer, &self->optimizer);
  _rs_window_twin_a_changed (self);
}

static void
on_optimizer_selected (GtkDropDown *dropdown,
                       GParamSpec  *pspec,
                       RsWindow    *self)
{
  send_optimizer (self);
}

static void
on_lr_changed (RsLambdaControl *control,
               RsWindow        *self)
{
  send_optimizer (self);
}

/* Label smoothing, input noise: a global control sends its own key. */
static void
on_global_changed (RsLambdaControl *control,
                   RsWindow        *self)
{
  if (self->updating || self->trainer == NULL)
    return;
  rs_trainer_set_control (self->trainer, rs_lambda_control_get_key (control)->name,
                          rs_lambda_control_get_lambda (control));
}

/* Early stopping: every [early-stopping] control key as the group shows it
 * (the trainer records only the ones that changed), and Restore Best with
 * it. Also for the Sweep page's run, whose values the group was given. */
void
_rs_window_send_early_stopping (RsWindow *self)
{
  gboolean on = rs_early_stop_control_get_active (self->early_stop_control);

  gtk_widget_set_visible (GTK_WIDGET (self->restore_best_button), on);
  if (self->updating || self->trainer == NULL)
    return;

  RsExperiment shown = { 0 };
  rs_early_stop_control_get (self->early_stop_control, &shown.early_stopping);
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  for (gsize i = 0; i < n_keys; i++)
    if (keys[i].section == RS_SECTION_EARLY_STOPPING && (keys[i].flags & RS_KEY_CONTROL)
        && !(keys[i].flags & RS_KEY_EVENT_ONLY))
      rs_trainer_set_control (self->trainer, keys[i].name,
                              rs_key_get_number (&keys[i],
                                                 rs_key_block_const (&keys[i], &shown, -1)));
}

/* The group shows a lesson's early stopping, Restore Best with it; only a
 * lesson with validation data has a score to watch. */
void
_rs_window_show_early_stopping (RsWindow           *self,
                                const RsExperiment *exp)
{
  rs_early_stop_control_set (self->early_stop_control, &exp->early_stopping);
  gtk_widget_set_sensitive (GTK_WIDGET (self->early_stop_control), exp->validation > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->early_stop_control),
                               exp->validation > 0 ? NULL
                               : _("Early stopping watches the validation data, and this "
                                   "lesson has none ([data] validation=0)"));
  gtk_widget_set_visible (GTK_WIDGET (self->restore_best_button),
                          exp->early_stopping.patience > 0);
}

void
_rs_window_apply_speed (RsWindow *self,
                        guint     index)
{
  if (index > RS_SPEED_MAX)
    index = RS_SPEED_100;
  self->speed = rs_speed_steps_per_second (index);
  if (self->trainer != NULL)
    rs_trainer_set_speed (self->trainer, self->speed);

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->speed_dropdown, index);
  self->updating = FALSE;
  _rs_window_set_action_state (self, "speed", g_variant_new_string (rs_speed_names[index]));
}

static void
on_speed_selected (GtkDropDown *dropdown,
                   GParamSpec  *pspec,
                   RsWindow    *self)
{
  if (self->updating)
    return;
  _rs_window_apply_speed (self, gtk_drop_down_get_selected (dropdown));
}

/* ------------------------------------------------------------------ */
/* lessons                                                              */

static void
clear_layer_rows (RsWindow *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->layer_rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_box))) != NULL)
    gtk_box_remove (self->layer_box, child);
}

static void
build_layer_rows (RsWindow           *self,
                  const RsExperiment *exp)
{
  clear_layer_rows (self);
  for (int i = 0; i < exp->n_layers; i++)
    {
      GtkWidget *row = rs_layer_row_new ();

      rs_layer_row_set_layer (RS_LAYER_ROW (row), i, exp);
      _rs_window_style_layer_row (self, RS_LAYER_ROW (row));
      g_signal_connect (row, "changed", G_CALLBACK (on_layer_row_changed), self);
      g_signal_connect_swapped (row, "rejected", G_CALLBACK (_rs_window_show_message), self);
      rs_ui_no_focus_on_click (row);
      gtk_box_append (self->layer_box, row);
      g_ptr_array_add (self->layer_rows, row);
    }
}

/* "seed-l1" for a shipped lesson (so the setting survives a reinstall),
 * the path otherwise. */
static char *
lesson_setting_value (const char *path)
{
  g_autofree char *presets = g_build_filename (rs_data_dir (), "presets", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  if (g_strcmp0 (dir, presets) == 0 && g_str_has_suffix (base, ".ini"))
    return g_strndup (base, strlen (base) - strlen (".ini"));
  return g_strdup (path);
}

/* The lesson's title (or its name, or its path) where the window names
 * it: the window title, the lesson buttons and their accessible names. */
static void
show_lesson_title (RsWindow *self)
{
  g_autofree char *name = self->lesson_path != NULL ? lesson_setting_value (self->lesson_path)
                                                    : g_strdup (_("Untitled lesson"));
  const char *title = self->experiment->title != NULL && *self->experiment->title != '\0'
                      ? self->experiment->title : name;
  g_autofree char *window_title = g_strdup_printf ("%s — regscope", title);

  gtk_window_set_title (GTK_WINDOW (self), window_title);
  gtk_label_set_text (self->lesson_label, title);
  gtk_label_set_text (self->bar_lesson_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->lesson_button), self->lesson_path);
  /* TRANSLATORS: the accessible name of the lesson menu button */
  g_autofree char *lesson_name = g_strdup_printf (_("Lesson: %s"), title);
  rs_ui_set_accessible_label (GTK_WIDGET (self->lesson_button), lesson_name);
  rs_ui_set_accessible_label (GTK_WIDGET (self->bar_lesson_button), lesson_name);
}

/* Makes `exp` (taken) and `session` (taken, built from it) the run the
 * window shows and trains: every widget follows it, the old trainer goes.
 * A new lesson clears the pinned baseline and starts a new run log; a
 * change of data or network keeps the baseline, to compare with, and the
 * log goes on with a restart event (rs_trainer_new_after_change), so that
 * Save Session replays the runs before it too. info: the CSV's, when the
 * caller has it. */
void
_rs_window_install_run (RsWindow           *self,
                        RsExperiment       *exp,
                        RsSession          *session,
                        const char         *path,
                        gboolean            change,
                        const RsCsvInfo    *info)
{
  /* Everything the window needs from the session is read here, before the
   * trainer thread owns it. */
  const RsDataset *train = rs_session_get_train (session);
  const RsDataset *val = rs_session_get_validation (session);
  g_autofree char *summary = rs_lesson_summary (exp, train != NULL ? train->n : 0,
                                                val != NULL ? val->n : 0);
  g_autofree char *sentence = _rs_window_data_sentence (train, val);
  gint64 total_steps = rs_session_total_steps (session);

  /* Only now, with the new run in hand, let go of the old one. */
  _rs_window_snapshots_unwatch (self);
  RsTrainer *trainer = change && self->trainer != NULL
                       ? rs_trainer_new_after_change (session, g_steal_pointer (&self->trainer))
                       : NULL;
  g_clear_pointer (&self->trainer, rs_trainer_free);
  g_clear_pointer (&self->snapshot, rs_snapshot_unref);
  g_clear_pointer (&self->experiment, rs_experiment_free);
  if (!change)
    rs_window_clear_baseline (self);

  self->experiment = exp;
  if (path != self->lesson_path)
    {
      g_free (self->lesson_path);
      self->lesson_path = g_strdup (path);
    }
  self->total_steps = total_steps;
  self->optimizer = self->experiment->optimizer;
  self->have_serial = FALSE;
  self->shown_state = RS_TRAINER_PAUSED;
  self->pages_checked = FALSE;

  rs_lesson_info_set (self->lesson_info, self->experiment, summary);
  show_lesson_title (self);
  _rs_window_sweep_lesson_changed (self);

  self->updating = TRUE;
  build_layer_rows (self, self->experiment);
  gtk_drop_down_set_selected (self->optimizer_dropdown,
                              self->optimizer.kind == RS_OPT_SGD ? 0 :
                              self->optimizer.kind == RS_OPT_ADAMW ? 2 : 1);
  rs_lambda_control_set_lambda (self->lr_control, self->optimizer.lr);
  rs_lambda_control_set_lambda (self->smoothing_control, self->experiment->label_smoothing);
  rs_lambda_control_set_lambda (self->input_noise_control, self->experiment->input_noise);
  _rs_window_show_early_stopping (self, self->experiment);
  self->updating = FALSE;
  _rs_window_show_data (self, info, sentence);

  self->trainer = trainer != NULL ? trainer : rs_trainer_new (session);
  _rs_window_apply_speed (self, self->experiment->speed); /* RsSpeed: the dropdown's order */
  _rs_window_twin_lesson_installed (self, change);
  rs_window_poll (self);
}

gboolean
rs_window_load_lesson (RsWindow    *self,
                       const char  *name_or_path,
                       GError     **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name_or_path != NULL, FALSE);

  g_autofree char *path = rs_lesson_resolve (name_or_path);
  if (path == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: no such lesson (the shipped lessons are in %s/presets)"),
                   name_or_path, rs_data_dir ());
      return FALSE;
    }

  g_autoptr(RsExperiment) exp = rs_lesson_load (path, error);
  if (exp == NULL)
    return FALSE;
  RsSession *session = rs_session_new (exp, error);
  if (session == NULL)
    return FALSE;

  _rs_window_install_run (self, g_steal_pointer (&exp), session, path, FALSE, NULL);
  /* A CSV opened as a lesson: show what was read before anything trains. */
  if (rs_lesson_is_csv (path))
    gtk_expander_set_expanded (self->data_expander, TRUE);

  if (self->settings != NULL)
    {
      g_autofree char *value = lesson_setting_value (path);
      g_settings_set_string (self->settings, "last-lesson", value);
    }
  return TRUE;
}

void
rs_window_open_lesson (RsWindow   *self,
                       const char *name_or_path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RS_IS_WINDOW (self));

  if (!rs_window_load_lesson (self, name_or_path, &error))
    _rs_window_show_error (self, _("Could not open the lesson"), error->message);
}

const char *
rs_window_get_lesson_path (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->lesson_path;
}

/* The lesson menu: every shipped preset by title, then "Open…". */
static void
build_lesson_menu (RsWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) lessons = g_menu_new ();
  g_autoptr(GMenu) other = g_menu_new ();
  g_auto(GStrv) names = rs_lesson_list ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = rs_lesson_resolve (names[i]);
      if (path == NULL)
        continue;

      /* A preset that does not load is still listed, by name: opening it
       * shows the error, which is more useful than a silent gap. */
      g_autoptr(RsExperiment) exp = rs_experiment_load (path, NULL);
      const char *title = exp != NULL && exp->title != NULL && *exp->title != '\0'
                          ? exp->title : names[i];
      g_autoptr(GMenuItem) item = g_menu_item_new (title, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-lesson",
                                               g_variant_new_string (path));
      g_menu_append_item (lessons, item);
    }

  g_menu_append (other, _("Open Lesson File…"), "win.open");
  g_menu_append_section (menu, _("Lessons"), G_MENU_MODEL (lessons));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (other));
  gtk_menu_button_set_menu_model (self->lesson_button, G_MENU_MODEL (menu));
  gtk_menu_button_set_menu_model (self->bar_lesson_button, G_MENU_MODEL (menu));
}

/* The lesson as it stands now: the loaded experiment with the lambdas and
 * the optimizer the controls show (which the trainer has been sent, even
 * if its next snapshot has not arrived yet). */
RsExperiment *
_rs_window_current_experiment (RsWindow *self)
{
  RsExperiment *exp = rs_experiment_copy (self->experiment);

  for (guint i = 0; i < self->layer_rows->len; i++)
    {
      RsLayerRow *row = g_ptr_array_index (self->layer_rows, i);
      int index = rs_layer_row_get_index (row);
      if (index >= 0 && index < exp->n_layers)
        rs_layer_row_get_reg (row, &exp->layer[index]);
    }
  exp->optimizer = self->optimizer;
  exp->label_smoothing = rs_lambda_control_get_lambda (self->smoothing_control);
  exp->input_noise = rs_lambda_control_get_lambda (self->input_noise_control);
  if (exp->validation > 0)
    rs_early_stop_control_get (self->early_stop_control, &exp->early_stopping);
  _rs_window_sweep_amend (self, exp);
  _rs_window_twin_experiment (self, exp);
  return exp;
}

void
_rs_window_lesson_init (RsWindow *self)
{
  self->layer_rows = g_ptr_array_new ();
  self->speed = rs_speed_steps_per_second (RS_SPEED_100);

  gtk_drop_down_set_selected (self->speed_dropdown, 1);
  g_signal_connect (self->speed_dropdown, "notify::selected",
                    G_CALLBACK (on_speed_selected), self);
  g_signal_connect (self->optimizer_dropdown, "notify::selected",
                    G_CALLBACK (on_optimizer_selected), self);
  g_signal_connect (self->lr_control, "changed", G_CALLBACK (on_lr_changed), self);
  g_signal_connect_swapped (self->lr_control, "rejected", G_CALLBACK (_rs_window_show_message), self);
  rs_lambda_control_set_key (self->lr_control, rs_key_find (RS_SECTION_OPTIMIZER, "lr"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->speed_dropdown), _("Training speed"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->optimizer_dropdown), _("Optimizer algorithm"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->lesson_button), _("Choose a lesson"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->bar_lesson_button), _("Choose a lesson"));
  RsLambdaControl *globals[] = { self->smoothing_control, self->input_noise_control };
  const RsKey *global_keys[] = { rs_key_find (RS_SECTION_MODEL, "label-smoothing"),
                                 rs_key_find (RS_SECTION_DATA, "input-noise") };
  for (guint i = 0; i < G_N_ELEMENTS (globals); i++)
    {
      g_signal_connect (globals[i], "changed", G_CALLBACK (on_global_changed), self);
      g_signal_connect_swapped (globals[i], "rejected",
                                G_CALLBACK (_rs_window_show_message), self);
      rs_lambda_control_set_key (globals[i], global_keys[i]);
    }

  g_signal_connect_swapped (self->early_stop_control, "changed",
                            G_CALLBACK (_rs_window_send_early_stopping), self);
  rs_ui_no_focus_on_click (GTK_WIDGET (self->early_stop_control));

  build_lesson_menu (self);
}
