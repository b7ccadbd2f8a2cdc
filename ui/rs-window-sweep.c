/* rs-window-sweep.c — the Sweep page in the window: its place in the plot
 * stack, its buttons, its actions (win.sweep, win.sweep-start,
 * win.sweep-cancel, win.sweep-open-point), and opening one of its points
 * as the main run. */
#include "rs-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-sweep-page.h"
#include "rs-ui.h"

static void
update_sweep_actions (RsWindow *self)
{
  gboolean running = rs_sweep_page_get_running (self->sweep_page);
  GAction *start = g_action_map_lookup_action (G_ACTION_MAP (self), "sweep-start");
  GAction *cancel = g_action_map_lookup_action (G_ACTION_MAP (self), "sweep-cancel");

  if (start != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (start), self->experiment != NULL);
  if (cancel != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (cancel), running);
}

void
rs_window_open_sweep_point (RsWindow *self,
                            int       index)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  RsSweepPage *page = self->sweep_page;
  const RsSweepPoint *point = rs_sweep_page_get_point (page, index);
  const RsSweepSpec *spec = rs_sweep_page_get_shown_spec (page);
  if (point == NULL || spec == NULL || self->trainer == NULL)
    return;

  /* The lesson the sweep ran, at the point's value: every control shows it
   * and the trainer gets it before the reset, so the run from step 0 is
   * that point's run, bit for bit. */
  g_autoptr(RsExperiment) at =
    rs_sweep_experiment_at (rs_sweep_page_get_shown_experiment (page), spec, point->value);

  self->updating = TRUE;
  for (guint i = 0; i < self->layer_rows->len; i++)
    {
      RsLayerRow *row = g_ptr_array_index (self->layer_rows, i);
      int l = rs_layer_row_get_index (row);
      if (l >= 0 && l < at->n_layers)
        rs_layer_row_set_layer (row, l, at);
    }
  self->optimizer = at->optimizer;
  gtk_drop_down_set_selected (self->optimizer_dropdown,
                              self->optimizer.kind == RS_OPT_SGD ? 0 :
                              self->optimizer.kind == RS_OPT_ADAMW ? 2 : 1);
  rs_lambda_control_set_lambda (self->lr_control, self->optimizer.lr);
  rs_lambda_control_set_lambda (self->smoothing_control, at->label_smoothing);
  rs_lambda_control_set_lambda (self->input_noise_control, at->input_noise);
  _rs_window_show_early_stopping (self, at);
  self->updating = FALSE;

  for (int l = 0; l < at->n_layers; l++)
    rs_trainer_set_layer_reg (self->trainer, l, &at->layer[l]);
  rs_trainer_set_optimizer (self->trainer, &self->optimizer);
  rs_trainer_set_control (self->trainer, "label-smoothing", at->label_smoothing);
  rs_trainer_set_control (self->trainer, "input-noise", at->input_noise);
  _rs_window_send_early_stopping (self);
  rs_trainer_reset (self->trainer);
  rs_trainer_play (self->trainer);
  rs_sweep_page_set_selected (page, point->value);
  gtk_stack_set_visible_child_name (self->plot_stack, "loss");
  rs_window_poll (self);

  g_autofree char *term = rs_sweep_spec_term (spec);
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (value, point->value);
  /* TRANSLATORS: "fc1.l2 = 0.001" */
  g_autofree char *text = g_strdup_printf (_("Training the sweep's run at %s = %s from the "
                                             "same start"), term, value);
  _rs_window_show_message (self, text);
}

RsSweepPage *
rs_window_get_sweep_page (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->sweep_page;
}

static void
sweep_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RsWindow *self = user_data;

  gtk_stack_set_visible_child_name (self->plot_stack, RS_WINDOW_SWEEP_PAGE);
}

static void
sweep_start_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RsWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->experiment == NULL)
    return;
  g_autoptr(RsExperiment) exp = _rs_window_current_experiment (self);
  gtk_stack_set_visible_child_name (self->plot_stack, RS_WINDOW_SWEEP_PAGE);
  if (!rs_sweep_page_start (self->sweep_page, exp, &error))
    _rs_window_show_message (self, error->message);
}

static void
sweep_cancel_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  rs_sweep_page_cancel (RS_WINDOW (user_data)->sweep_page);
}

static void
sweep_open_point_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  rs_window_open_sweep_point (RS_WINDOW (user_data), g_variant_get_int32 (parameter));
}

static const GActionEntry sweep_entries[] = {
  { "sweep", sweep_activated, NULL, NULL, NULL, { 0 } },
  { "sweep-start", sweep_start_activated, NULL, NULL, NULL, { 0 } },
  { "sweep-cancel", sweep_cancel_activated, NULL, NULL, NULL, { 0 } },
  { "sweep-open-point", sweep_open_point_activated, "i", NULL, NULL, { 0 } },
};

static void
on_point_activated (RsSweepPage *page,
                    int          index,
                    RsWindow    *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "sweep-open-point",
                                  g_variant_new_int32 (index));
}

static GtkWidget *
sweep_button_new (void)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("regscope-sweep-symbolic");

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.sweep");
  gtk_widget_set_tooltip_text (button, _("Sweep: the lesson at many values of one term, the "
                                         "validation curve and the regularization path "
                                         "(Ctrl+J)"));
  rs_ui_set_accessible_label (button, _("Show the sweep page"));
  gtk_widget_set_focus_on_click (button, FALSE);
  return button;
}

void
_rs_window_sweep_lesson_changed (RsWindow *self)
{
  rs_sweep_page_set_experiment (self->sweep_page, self->experiment);
  update_sweep_actions (self);
}

void
_rs_window_sweep_amend (RsWindow     *self,
                        RsExperiment *exp)
{
  RsSweepSpec spec;

  /* The page's settings once the student has used it (or the lesson has
   * a sweep of its own): a lesson saved without touching it stays as it
   * was. */
  if (self->sweep_page == NULL
      || (exp->sweep_term == NULL && !rs_sweep_page_get_edited (self->sweep_page)))
    return;
  if (rs_sweep_page_get_spec (self->sweep_page, exp, &spec, NULL))
    rs_sweep_spec_to_experiment (&spec, exp);
}

void
_rs_window_sweep_amend_cb (RsExperiment *exp,
                           gpointer      self)
{
  _rs_window_sweep_amend (self, exp);
}

void
_rs_window_sweep_init (RsWindow *self)
{
  self->sweep_page = RS_SWEEP_PAGE (rs_sweep_page_new ());
  /* No tab: the plot switcher's tabs are as wide as the widest, and one
   * more would push the window past 1280 px. */
  gtk_stack_add_named (self->plot_stack, GTK_WIDGET (self->sweep_page), RS_WINDOW_SWEEP_PAGE);
  g_object_bind_property (self, "dark", self->sweep_page, "dark", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "presentation", self->sweep_page, "presentation",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (self->sweep_page, "point-activated", G_CALLBACK (on_point_activated), self);
  g_signal_connect_swapped (self->sweep_page, "notify::running",
                            G_CALLBACK (update_sweep_actions), self);

  /* A button in the header bar, and in the bar presentation mode shows
   * instead; the plot menu has it too (there is no room for a button
   * beside the tabs on a 1024 px projector). */
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (self));
  if (GTK_IS_HEADER_BAR (titlebar))
    gtk_header_bar_pack_end (GTK_HEADER_BAR (titlebar), sweep_button_new ());
  GtkWidget *bar_end = gtk_center_box_get_end_widget (GTK_CENTER_BOX (self->presentation_bar));
  if (GTK_IS_BOX (bar_end))
    gtk_box_prepend (GTK_BOX (bar_end), sweep_button_new ());
  GtkWidget *plot_menu = gtk_widget_get_next_sibling (GTK_WIDGET (self->plot_switcher));
  GMenuModel *model = GTK_IS_MENU_BUTTON (plot_menu)
                      ? gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (plot_menu)) : NULL;
  if (G_IS_MENU (model))
    {
      g_autoptr(GMenu) section = g_menu_new ();
      g_menu_append (section, _("_Sweep"), "win.sweep");
      g_menu_append_section (G_MENU (model), NULL, G_MENU_MODEL (section));
    }

  g_action_map_add_action_entries (G_ACTION_MAP (self), sweep_entries,
                                   G_N_ELEMENTS (sweep_entries), self);
  update_sweep_actions (self);
}
