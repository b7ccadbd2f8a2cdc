/* rs-window-snapshots.c — trainer -> screen.
 *
 * The trainer wakes the main loop through a pipe when it publishes (and a
 * tick callback on the frame clock looks too); the window then compares
 * the trainer's snapshot serial and, when it moved, hands the newest
 * immutable snapshot to every plot view, the layer rows and the status
 * line. The views draw it on a worker thread and queue a frame when the
 * picture is ready; after a control change, at once. */
#include "rs-window-private.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "rs-ui.h"

static void
set_play_button (GtkButton *button,
                 GtkImage  *image,
                 GtkLabel  *label,
                 gboolean   running)
{
  gtk_image_set_from_icon_name (image, running ? "media-playback-pause-symbolic"
                                               : "media-playback-start-symbolic");
  gtk_label_set_text (label, running ? _("Pause") : _("Play"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  running ? _("Pause training") : _("Play training"), -1);
  /* Blue while there is something to start, plain while it runs. */
  if (running)
    gtk_widget_remove_css_class (GTK_WIDGET (button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (button), "suggested-action");
}

void
_rs_window_update_play_button (RsWindow *self)
{
  gboolean running = self->shown_state == RS_TRAINER_RUNNING;

  set_play_button (self->play_button, self->play_image, self->play_label, running);
  set_play_button (self->bar_play_button, self->bar_play_image, self->bar_play_label, running);
}

static void
update_pages (RsWindow *self)
{
  if (self->snapshot == NULL || self->pages_checked)
    return;
  self->pages_checked = TRUE;

  /* Digit tiles only make sense for image data, the boundary only for
   * points in the plane, the confusion matrix (beside the loss curves)
   * only with a validation set: the other lessons do not get an empty one. */
  gtk_stack_page_set_visible (self->digits_page,
                              rs_plot_kind_applies (RS_PLOT_DIGIT_TILES, self->snapshot));
  gtk_stack_page_set_visible (self->boundary_page,
                              rs_plot_kind_applies (RS_PLOT_BOUNDARY, self->snapshot));
  gtk_widget_set_visible (GTK_WIDGET (self->confusion_view),
                          rs_plot_kind_applies (RS_PLOT_CONFUSION, self->snapshot));
  /* (the switcher makes its tabs anew) */
  rs_ui_no_focus_on_click (GTK_WIDGET (self->plot_switcher));
}

/* Takes ownership of `snap`. */
static void
show_snapshot (RsWindow   *self,
               RsSnapshot *snap)
{
  g_clear_pointer (&self->snapshot, rs_snapshot_unref);
  self->snapshot = snap;

  for (int i = 0; i < N_VIEWS; i++)
    rs_plot_view_set_snapshot (self->views[i], snap);
  for (guint i = 0; i < self->layer_rows->len; i++)
    rs_layer_row_update (g_ptr_array_index (self->layer_rows, i), snap);
  rs_status_line_update (self->status_line, snap, self->shown_state, self->total_steps);
  _rs_window_twin_show (self);

  update_pages (self);
  _rs_window_update_play_button (self);
  _rs_window_update_actions (self);
}

/* ---- a control on its way to the screen ----------------------------------
 *
 * From the moment a control reaches the trainer until every plot on screen
 * shows a snapshot with it, the window holds its trainer (rs_trainer_hold:
 * the change is applied and published, then no step) and its sweep
 * (rs_sweep_hold): on two cores a training thread otherwise takes the
 * core the main thread or the display server needs for that frame, and
 * the change reaches the screen a frame late (issue 14's 25 ms). A change
 * that does not show (the trainer replaced, a frame that never comes)
 * lets go after HOLD_MAX_MS: training waits at most that long for one
 * change (a change shows in ~20 ms; a second leaves room for a loaded
 * machine). */
#define HOLD_MAX_MS 1000

static void
release_hold (RsWindow *self)
{
  if (self->hold_gen == 0)
    return;
  self->hold_gen = 0;
  if (self->trainer != NULL)
    rs_trainer_hold (self->trainer, FALSE);
  rs_sweep_page_hold (self->sweep_page, FALSE);
  g_clear_handle_id (&self->hold_timeout_id, g_source_remove);
  /* (a window being destroyed may have disposed its clock, and the
   * clock's handlers with it) */
  if (self->hold_clock != NULL
      && g_signal_handler_is_connected (self->hold_clock, self->hold_paint_id))
    g_signal_handler_disconnect (self->hold_clock, self->hold_paint_id);
  self->hold_paint_id = 0;
  g_clear_object (&self->hold_clock);
}

static gboolean
hold_timeout_cb (gpointer data)
{
  RsWindow *self = data;

  self->hold_timeout_id = 0;
  release_hold (self);
  return G_SOURCE_REMOVE;
}

/* After a frame: let go once the window shows a snapshot with the change
 * (the status line, the layer rows) and every plot on screen was drawn
 * from one. */
static void
hold_after_paint (GdkFrameClock *clock,
                  RsWindow      *self)
{
  if (self->snapshot == NULL || self->snapshot->controls_applied < self->hold_gen)
    return;
  for (int i = 0; i < N_VIEWS; i++)
    {
      RsSnapshot *drawn = rs_plot_view_get_drawn_snapshot (self->views[i]);

      if (gtk_widget_get_mapped (GTK_WIDGET (self->views[i]))
          && (drawn == NULL || drawn->controls_applied < self->hold_gen))
        return;
    }
  release_hold (self);
}

/* Holds the training threads until `generation` is on screen; TRUE if
 * this control started the hold (FALSE: it joins one under way, as each
 * of a burst of controls does: a screenshot's thousands of steps). */
static gboolean
hold (RsWindow *self,
      guint64   generation)
{
  gboolean first = self->hold_gen == 0;

  if (first)
    {
      rs_trainer_hold (self->trainer, TRUE);
      rs_sweep_page_hold (self->sweep_page, TRUE);
      self->hold_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
      self->hold_paint_id = g_signal_connect (self->hold_clock, "after-paint",
                                              G_CALLBACK (hold_after_paint), self);
      /* at most HOLD_MAX_MS from the first control of a burst */
      self->hold_timeout_id = g_timeout_add (HOLD_MAX_MS, hold_timeout_cb, self);
    }
  self->hold_gen = generation;
  return first;
}

/* The trainer's control func: on the main thread, after each control.
 * Waiting for the trainer to apply it (RS_WINDOW_CONTROL_WAIT_US) keeps
 * the next frame from starting without the change, which would then show
 * a frame later, up to 30 ms after the click; once applied, the wakeup
 * runs before that frame (G_PRIORITY_DEFAULT is above GDK_PRIORITY_REDRAW).
 * Only the first control of a hold waits: the trainer applies every
 * control sent so far at once, and a burst of them (a screenshot's steps)
 * must not wait once each. */
static void
on_control_sent (RsTrainer *trainer,
                 guint64    generation,
                 gpointer   data)
{
  RsWindow *self = data;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (hold (self, generation))
    rs_trainer_wait_for_control (trainer, generation, RS_WINDOW_CONTROL_WAIT_US);
}

/* The trainer published (or stopped by itself): pick it up now, not at
 * the next frame's tick, so that a control change starts drawing as soon
 * as it exists. A hidden window waits for its tick. */
static gboolean
wakeup_cb (int          fd,
           GIOCondition condition,
           gpointer     data)
{
  RsWindow *self = data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rs_window_poll (self);
  else
    rs_trainer_clear_wakeup (self->trainer);
  return G_SOURCE_CONTINUE;
}

void
_rs_window_snapshots_unwatch (RsWindow *self)
{
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  release_hold (self);
  if (self->trainer != NULL)
    rs_trainer_set_control_func (self->trainer, NULL, NULL);
}

void
rs_window_poll (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  if (self->trainer == NULL)
    return;

  int fd = rs_trainer_get_wakeup_fd (self->trainer);
  /* At the default priority, above the frame clock's: the frame it feeds
   * should not wait for it; and not above timeouts (a slider's pause),
   * which a trainer publishing on every sync would starve. */
  if (self->wakeup_id == 0 && fd >= 0)
    {
      self->wakeup_id = g_unix_fd_add_full (G_PRIORITY_DEFAULT, fd, G_IO_IN, wakeup_cb, self, NULL);
      rs_trainer_set_control_func (self->trainer, on_control_sent, self);
    }
  /* Before the serial is read: anything published after it wakes us again. */
  rs_trainer_clear_wakeup (self->trainer);

  RsTrainerState state = rs_trainer_get_state (self->trainer);
  guint64 serial = rs_trainer_get_snapshot_serial (self->trainer);

  if (self->have_serial && serial == self->shown_serial)
    {
      /* The state can change without a new snapshot (pause): keep the
       * button and the status line honest. */
      if (state != self->shown_state)
        {
          self->shown_state = state;
          rs_status_line_update (self->status_line, self->snapshot, state, self->total_steps);
          _rs_window_update_play_button (self);
          _rs_window_update_actions (self);
        }
    }
  else
    {
      self->shown_serial = serial;
      self->have_serial = TRUE;
      self->shown_state = state;
      show_snapshot (self, rs_trainer_get_snapshot (self->trainer));
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  RsWindow *self = RS_WINDOW (widget);

  _rs_window_update_dark (self);
  rs_window_poll (self);
  /* the live texts' lines, after a resize or a new font */
  rs_status_line_refit (self->status_line);
  for (guint i = 0; i < self->layer_rows->len; i++)
    rs_layer_row_refit (g_ptr_array_index (self->layer_rows, i));
  return G_SOURCE_CONTINUE;
}

gboolean
rs_window_plots_current (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  for (int i = 0; i < N_VIEWS; i++)
    if (gtk_widget_get_mapped (GTK_WIDGET (self->views[i]))
        && rs_plot_view_get_drawn_snapshot (self->views[i]) != self->snapshot)
      return FALSE;
  return _rs_window_twin_plots_current (self);
}

void
_rs_window_snapshots_init (RsWindow *self)
{
  self->shown_state = RS_TRAINER_PAUSED;
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  _rs_window_update_play_button (self);
}

void
_rs_window_snapshots_dispose (RsWindow *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  _rs_window_snapshots_unwatch (self);
}
