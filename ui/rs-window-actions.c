/* rs-window-actions.c — the window's actions (win.*), their accelerators,
 * and the plain keys Space and N. Menus, buttons and keys all go through
 * these actions; update_actions() enables them from what the window shows. */
#include "rs-window-private.h"

#include "rs-code-dialog.h"

static void
set_action_enabled (RsWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_rs_window_set_action_state (RsWindow   *self,
                             const char *name,
                             GVariant   *state)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), state);
  else
    g_variant_unref (g_variant_ref_sink (state));
}

void
_rs_window_update_actions (RsWindow *self)
{
  gboolean have = self->trainer != NULL;
  gboolean running = have && self->shown_state == RS_TRAINER_RUNNING;

  set_action_enabled (self, "play-pause", have);
  set_action_enabled (self, "step", have && !running);
  set_action_enabled (self, "reset", have);
  set_action_enabled (self, "export", self->snapshot != NULL);
  set_action_enabled (self, "save-session", have);
  set_action_enabled (self, "show-pytorch", self->experiment != NULL);
  set_action_enabled (self, "pin-baseline", _rs_window_snapshot_has_history (self->snapshot));
  set_action_enabled (self, "clear-baseline", self->baseline != NULL);
  set_action_enabled (self, "restore-best",
                      have && self->snapshot != NULL && self->snapshot->early_stop.best_step >= 0);
}

static void
play_pause_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->trainer == NULL)
    return;
  if (rs_trainer_get_state (self->trainer) == RS_TRAINER_RUNNING)
    rs_trainer_pause (self->trainer);
  else
    rs_trainer_play (self->trainer);
  rs_window_poll (self);
}

static void
step_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->trainer != NULL)
    rs_trainer_step (self->trainer);
}

static void
reset_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->trainer == NULL)
    return;
  /* The baseline stays: pin, reset, change a lambda, play, compare. */
  rs_trainer_reset (self->trainer);
  rs_window_poll (self);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  _rs_window_choose_lesson (RS_WINDOW (user_data));
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  _rs_window_choose_export (RS_WINDOW (user_data));
}

static void
save_session_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  _rs_window_choose_session (RS_WINDOW (user_data));
}

static void
save_lesson_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  _rs_window_choose_lesson_copy (RS_WINDOW (user_data));
}

static void
open_lesson_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  rs_window_open_lesson (RS_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
show_pytorch_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RsWindow *self = user_data;

  /* The experiment in force, lambdas as the student set them. */
  const RsExperiment *exp = self->snapshot != NULL && self->snapshot->experiment != NULL
                            ? self->snapshot->experiment : self->experiment;
  if (exp == NULL)
    return;

  g_autofree char *code = rs_experiment_to_pytorch (exp);
  GtkWidget *dialog = rs_code_dialog_new (GTK_WINDOW (self), exp->title, code);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pin_baseline_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  rs_window_pin_baseline (RS_WINDOW (user_data));
}

/* Early stopping's best weights back, at the next step boundary. */
static void
restore_best_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->trainer != NULL)
    rs_trainer_restore_best (self->trainer);
}

static void
open_data_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  _rs_window_choose_data (RS_WINDOW (user_data));
}

static void
clear_baseline_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  rs_window_clear_baseline (RS_WINDOW (user_data));
}

static void
presentation_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  rs_window_set_presentation (RS_WINDOW (user_data), g_variant_get_boolean (state));
}

static void
speed_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  RsWindow *self = user_data;
  const char *name = g_variant_get_string (state, NULL);

  for (guint i = 0; rs_speed_names[i] != NULL; i++)
    if (g_str_equal (name, rs_speed_names[i]))
      {
        _rs_window_apply_speed (self, i);
        return;
      }
}

static void
log_y_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  RsWindow *self = user_data;
  gboolean on = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  g_object_set (self->loss_view, "log-y", on, NULL);
  g_object_set (self->dashboard_view, "log-y", on, NULL);
}

static void
log_bins_change_state (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  RsWindow *self = user_data;
  gboolean on = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  g_object_set (self->histograms_view, "log-bins", on, NULL);
  g_object_set (self->dashboard_view, "log-bins", on, NULL);
}

static const GActionEntry win_entries[] = {
  { "play-pause", play_pause_activated, NULL, NULL, NULL, { 0 } },
  { "step", step_activated, NULL, NULL, NULL, { 0 } },
  { "reset", reset_activated, NULL, NULL, NULL, { 0 } },
  { "open", open_activated, NULL, NULL, NULL, { 0 } },
  { "open-lesson", open_lesson_activated, "s", NULL, NULL, { 0 } },
  { "open-data", open_data_activated, NULL, NULL, NULL, { 0 } },
  { "export", export_activated, NULL, NULL, NULL, { 0 } },
  { "save-session", save_session_activated, NULL, NULL, NULL, { 0 } },
  { "save-lesson", save_lesson_activated, NULL, NULL, NULL, { 0 } },
  { "show-pytorch", show_pytorch_activated, NULL, NULL, NULL, { 0 } },
  { "pin-baseline", pin_baseline_activated, NULL, NULL, NULL, { 0 } },
  { "clear-baseline", clear_baseline_activated, NULL, NULL, NULL, { 0 } },
  { "restore-best", restore_best_activated, NULL, NULL, NULL, { 0 } },
  { "presentation", NULL, NULL, "false", presentation_change_state, { 0 } },
  { "speed", NULL, "s", "'100'", speed_change_state, { 0 } },
  { "log-y", NULL, NULL, "false", log_y_change_state, { 0 } },
  { "log-bins", NULL, NULL, "false", log_bins_change_state, { 0 } },
};

/* ------------------------------------------------------------------ */
/* keys                                                                 */

/* Space and N are plain keys: as application accelerators they would be
 * taken from entries (typing "nan") and would fire in popovers. This
 * capture-phase handler runs them only when no text field has the focus
 * and the key was pressed in this window itself. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                RsWindow              *self)
{
  const char *action;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      action = "play-pause";
      break;
    case GDK_KEY_n:
    case GDK_KEY_N:
      action = "step";
      break;
    case GDK_KEY_Escape:
      if (!self->presentation)
        return FALSE;
      action = NULL;
      break;
    default:
      return FALSE;
    }

  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  if (event != NULL && gdk_event_get_surface (event) != gtk_native_get_surface (GTK_NATIVE (self)))
    return FALSE;

  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus != NULL
      && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)
          || gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE) != NULL))
    return FALSE;
  /* Tabbed onto a button, a switch or a check box, Space is that control's
   * (GTK's key for it): without it a keyboard could not flip a lambda's
   * switch. Those take no focus from a click (rs_ui_no_focus_on_click), so
   * after a click Space plays as everywhere. */
  if (action != NULL && g_str_equal (action, "play-pause") && focus != NULL
      && (GTK_IS_BUTTON (focus) || GTK_IS_SWITCH (focus) || GTK_IS_CHECK_BUTTON (focus)))
    return FALSE;

  if (action == NULL)
    rs_window_set_presentation (self, FALSE);
  else
    g_action_group_activate_action (G_ACTION_GROUP (self), action, NULL);
  return TRUE;
}

static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "win.reset",             { "<Control>r", NULL } },
  { "win.open",              { "<Control>o", NULL } },
  { "win.export",            { "<Control>e", NULL } },
  { "win.save-session",      { "<Control>s", NULL } },
  { "win.save-lesson",       { "<Control><Shift>s", NULL } },
  { "win.pin-baseline",      { "<Control>b", NULL } },
  { "win.compare",           { "<Control>t", NULL } },
  { "win.restore-best",      { "<Control><Shift>r", NULL } },
  { "win.show-pytorch",      { "<Control>u", NULL } },
  { "win.presentation",      { "F11", NULL } },
  { "win.log-y",             { "<Control>l", NULL } },
  { "win.sweep",             { "<Control>j", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  /* Space (win.play-pause) and N (win.step) are plain keys handled by the
   * window, so they do not steal keystrokes from text entries. */
};

void
rs_window_set_accels (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (app, accelerators[i].action,
                                           accelerators[i].accels);
}

void
_rs_window_actions_init (RsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);

  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  _rs_window_update_actions (self);
}
