/* rs-window.c — the explorer window.
 *
 * Data flow, one way each:
 *   controls -> RsTrainer (rs_trainer_set_layer_reg, _set_optimizer, play…):
 *     every call returns at once, the worker applies it at a step boundary;
 *   RsTrainer -> screen: a tick callback on the frame clock (and, while
 *     training, a short poll between frames) compares the snapshot serial
 *     and, when it moved, hands the newest immutable snapshot to every
 *     plot view, the layer rows and the status line. The views draw it on
 *     a worker thread and queue a frame when the picture is ready.
 * So a redraw happens at most once per frame, the trainer never waits for
 * the screen and the screen never waits for a plot.
 *
 * This file holds the GObject; rs-window-private.h lists the others. */
#include "rs-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-plot-baseline.h"
#include "rs-ui.h"

G_DEFINE_FINAL_TYPE (RsWindow, rs_window, GTK_TYPE_APPLICATION_WINDOW)

GParamSpec *rs_window_properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* helpers                                                              */

void
_rs_window_show_error (RsWindow   *self,
                       const char *primary,
                       const char *secondary)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                              "%s", primary);
  if (secondary != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

RsPlotKind
rs_window_get_current_plot_kind (RsWindow *self)
{
  RsPlotKind kind = RS_PLOT_LOSS;

  g_return_val_if_fail (RS_IS_WINDOW (self), RS_PLOT_LOSS);

  /* The page names are the plot kinds' names. */
  const char *name = gtk_stack_get_visible_child_name (self->plot_stack);
  if (name == NULL || !rs_plot_kind_from_string (name, &kind))
    kind = RS_PLOT_LOSS;
  return kind;
}

/* The page a plot kind is shown on: the heatmaps share the Weights page,
 * the confusion matrix stands beside the loss curves. */
static RsPlotKind
page_of_kind (RsPlotKind kind)
{
  switch (kind)
    {
    case RS_PLOT_WEIGHTS:
      return RS_PLOT_HISTOGRAMS;
    case RS_PLOT_CONFUSION:
      return RS_PLOT_LOSS;
    default:
      return kind;
    }
}

static gboolean
show_page_named (RsWindow   *self,
                 const char *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (self->plot_stack, name);

  if (child == NULL || !gtk_stack_page_get_visible (gtk_stack_get_page (self->plot_stack, child)))
    return FALSE;
  gtk_stack_set_visible_child (self->plot_stack, child);
  return TRUE;
}

void
rs_window_set_current_plot_kind (RsWindow   *self,
                                 RsPlotKind  kind)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  rs_window_show_page (self, rs_plot_kind_to_string (kind));
}

gboolean
rs_window_is_page_name (const char *name)
{
  return g_strcmp0 (name, RS_WINDOW_SWEEP_PAGE) == 0 || rs_plot_kind_from_string (name, NULL);
}

char *
rs_window_page_names (void)
{
  GString *names = g_string_new (NULL);

  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    if (page_of_kind (k) == (RsPlotKind) k)
      g_string_append_printf (names, "%s, ", rs_plot_kind_to_string (k));
  g_string_append (names, RS_WINDOW_SWEEP_PAGE);
  return g_string_free (names, FALSE);
}

gboolean
rs_window_show_page (RsWindow   *self,
                     const char *name)
{
  RsPlotKind kind;

  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (g_strcmp0 (name, RS_WINDOW_SWEEP_PAGE) == 0)
    return show_page_named (self, RS_WINDOW_SWEEP_PAGE);
  if (!rs_plot_kind_from_string (name, &kind))
    return FALSE;
  /* the confusion matrix only when the lesson has a validation set */
  if (kind == RS_PLOT_CONFUSION && !gtk_widget_get_visible (GTK_WIDGET (self->confusion_view)))
    return FALSE;
  return show_page_named (self, rs_plot_kind_to_string (page_of_kind (kind)));
}

/* Long enough to read a path out loud. */
#define RS_MESSAGE_SECONDS 12

static void
hide_message (RsWindow *self)
{
  g_clear_handle_id (&self->message_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static gboolean
message_timeout_cb (gpointer data)
{
  RsWindow *self = data;

  self->message_id = 0;
  hide_message (self);
  return G_SOURCE_REMOVE;
}

void
_rs_window_show_message (RsWindow   *self,
                         const char *text)
{
  gtk_label_set_text (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  g_clear_handle_id (&self->message_id, g_source_remove);
  self->message_id = g_timeout_add_seconds (RS_MESSAGE_SECONDS, message_timeout_cb, self);
}

const char *
rs_window_get_message (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

/* ------------------------------------------------------------------ */
/* baseline                                                             */

/* Pin shows what it did: while a run is pinned the buttons say so (and
 * are marked), name the pinned run as the plots' legends do, and unpin it. */
static void
update_pin_buttons (RsWindow *self)
{
  gboolean pinned = self->baseline != NULL;
  g_autofree char *label = pinned ? rs_plot_baseline_label (self->baseline) : NULL;
  /* TRANSLATORS: %s is "baseline: fc1 L1 0.01 · step 1,200" */
  g_autofree char *tooltip =
    pinned ? g_strdup_printf (_("Pinned — %s. Its loss curves, weight histograms and decision "
                                "boundary are drawn over this run's. Click to unpin it (Ctrl+B)."),
                              label)
           : g_strdup (_("Pin this run as a baseline: its loss curves, weight histograms and "
                         "decision boundary stay on the plots to compare the next run with "
                         "(Ctrl+B)"));
  GtkWidget *buttons[] = { GTK_WIDGET (self->pin_button), GTK_WIDGET (self->bar_pin_button) };

  gtk_label_set_text (self->pin_label, pinned ? _("Unpin Baseline") : _("Pin Baseline"));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (buttons[i]),
                                      pinned ? "win.clear-baseline" : "win.pin-baseline");
      gtk_widget_set_tooltip_text (buttons[i], tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      pinned ? _("Unpin baseline") : _("Pin run as baseline"), -1);
      if (pinned)
        gtk_widget_add_css_class (buttons[i], "pinned");
      else
        gtk_widget_remove_css_class (buttons[i], "pinned");
    }
}

/* Every view gets the pinned run: each plot shows it where a comparison
 * reads, the others ignore it. */
static void
set_views_baseline (RsWindow *self)
{
  for (guint i = 0; i < N_VIEWS; i++)
    if (self->views[i] != NULL)
      rs_plot_view_set_baseline (self->views[i], self->baseline);
}

void
rs_window_pin_baseline (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  if (!_rs_window_snapshot_has_history (self->snapshot))
    return;
  /* the snapshot is immutable: pinning keeps a reference to it, the one
   * copy the views and the exporter share */
  g_clear_pointer (&self->baseline, rs_snapshot_unref);
  self->baseline = rs_snapshot_ref (self->snapshot);
  set_views_baseline (self);
  update_pin_buttons (self);
  _rs_window_update_actions (self);
}

void
rs_window_clear_baseline (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  g_clear_pointer (&self->baseline, rs_snapshot_unref);
  set_views_baseline (self);
  update_pin_buttons (self);
  _rs_window_update_actions (self);
}

RsSnapshot *
rs_window_get_baseline (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->baseline;
}

/* ------------------------------------------------------------------ */
/* the GObject                                                          */

static gboolean
rs_window_close_request (GtkWindow *window)
{
  RsWindow *self = RS_WINDOW (window);

  if (self->settings != NULL && !self->presentation
      && !gtk_window_is_fullscreen (window))
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  _rs_window_save_state (self);

  if (GTK_WINDOW_CLASS (rs_window_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (rs_window_parent_class)->close_request (window);
  return FALSE;
}

static void
rs_window_constructed (GObject *object)
{
  RsWindow *self = RS_WINDOW (object);

  G_OBJECT_CLASS (rs_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");

      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      if (g_settings_get_boolean (self->settings, "presentation"))
        rs_window_set_presentation (self, TRUE);
    }
}

static void
rs_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rs_window_parent_class)->realize (widget);

  rs_ui_init_display (gtk_widget_get_display (widget));
}

static void
rs_window_dispose (GObject *object)
{
  RsWindow *self = RS_WINDOW (object);

  _rs_window_snapshots_dispose (self);
  _rs_window_twin_dispose (self);
  g_clear_handle_id (&self->message_id, g_source_remove);
  _rs_window_close_chooser (self);

  /* Joins the worker: it finishes the step it is in and exits. */
  g_clear_pointer (&self->trainer, rs_trainer_free);
  g_clear_pointer (&self->snapshot, rs_snapshot_unref);
  g_clear_pointer (&self->baseline, rs_snapshot_unref);
  g_clear_pointer (&self->experiment, rs_experiment_free);
  if (self->layer_rows != NULL)
    g_ptr_array_set_size (self->layer_rows, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), RS_TYPE_WINDOW);
  memset (self->views, 0, sizeof self->views);

  G_OBJECT_CLASS (rs_window_parent_class)->dispose (object);
}

static void
rs_window_finalize (GObject *object)
{
  RsWindow *self = RS_WINDOW (object);

  g_clear_pointer (&self->layer_rows, g_ptr_array_unref);
  _rs_window_twin_finalize (self);
  g_clear_object (&self->settings);
  g_free (self->lesson_path);

  G_OBJECT_CLASS (rs_window_parent_class)->finalize (object);
}

static void
rs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RsWindow *self = RS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RsWindow *self = RS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_PRESENTATION:
      rs_window_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_window_class_init (RsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  rs_ui_init ();
  g_type_ensure (RS_TYPE_LAMBDA_CONTROL);
  g_type_ensure (RS_TYPE_EARLY_STOP_CONTROL);
  g_type_ensure (RS_TYPE_LAYER_ROW);
  g_type_ensure (RS_TYPE_LESSON_INFO);
  g_type_ensure (RS_TYPE_DATA_PANEL);
  g_type_ensure (RS_TYPE_NETWORK_EDITOR);
  g_type_ensure (RS_TYPE_PLOT_VIEW);
  g_type_ensure (RS_TYPE_STATUS_LINE);

  object_class->constructed = rs_window_constructed;
  object_class->dispose = rs_window_dispose;
  object_class->finalize = rs_window_finalize;
  object_class->get_property = rs_window_get_property;
  object_class->set_property = rs_window_set_property;

  widget_class->realize = rs_window_realize;
  window_class->close_request = rs_window_close_request;

  rs_window_properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  rs_window_properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  rs_window_properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, rs_window_properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_image);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, plot_switcher);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, presentation_bar);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_image);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_lesson_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_lesson_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_info);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, data_expander);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, data_panel);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, network_expander);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, network_editor);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, optimizer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lr_control);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, smoothing_control);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, input_noise_control);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, early_stop_control);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, restore_best_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, layer_box);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, plot_stack);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, digits_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, boundary_page);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, loss_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, histograms_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, weights_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, activations_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, time_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, digits_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, boundary_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, confusion_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, dashboard_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, status_line);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, pin_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, pin_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_pin_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, message_close);
}

static void
rs_window_init (RsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->views[VIEW_LOSS] = self->loss_view;
  self->views[VIEW_HISTOGRAMS] = self->histograms_view;
  self->views[VIEW_WEIGHTS] = self->weights_view;
  self->views[VIEW_ACTIVATIONS] = self->activations_view;
  self->views[VIEW_TIME] = self->time_view;
  self->views[VIEW_DIGITS] = self->digits_view;
  self->views[VIEW_BOUNDARY] = self->boundary_view;
  self->views[VIEW_CONFUSION] = self->confusion_view;
  self->views[VIEW_DASHBOARD] = self->dashboard_view;

  /* The shortcuts window, also without a GtkApplication (tests). */
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RS_RESOURCE_PREFIX "/ui/rs-shortcuts-window.ui");
  GtkShortcutsWindow *overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);

  g_signal_connect_swapped (self->message_close, "clicked", G_CALLBACK (hide_message), self);

  _rs_window_lesson_init (self);
  _rs_window_data_init (self);
  _rs_window_style_init (self);
  _rs_window_sweep_init (self);
  _rs_window_twin_init (self);
  rs_ui_no_focus_on_click (GTK_WIDGET (self));
  _rs_window_snapshots_init (self);
  _rs_window_actions_init (self);
  rs_status_line_update (self->status_line, NULL, RS_TRAINER_PAUSED, 0);
}

RsWindow *
rs_window_new (GtkApplication *app,
               GSettings      *settings)
{
  return g_object_new (RS_TYPE_WINDOW,
                       "application", app,
                       "settings", settings,
                       NULL);
}

RsTrainer *
rs_window_get_trainer (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->trainer;
}

RsSnapshot *
rs_window_get_snapshot (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->snapshot;
}

int
rs_window_get_n_layer_rows (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), 0);

  return (int) self->layer_rows->len;
}

RsLayerRow *
rs_window_get_layer_row (RsWindow *self,
                         int       index)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < self->layer_rows->len, NULL);

  return g_ptr_array_index (self->layer_rows, index);
}

RsStatusLine *
rs_window_get_status_line (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->status_line;
}

