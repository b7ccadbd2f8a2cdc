/* rs-screenshot.c — the --screenshot machinery, outside the window.
 *
 * A tick callback on the window watches the snapshot it shows; once that is
 * the requested step, the frame clock's after-paint signal waits until the
 * plots have drawn it (they draw off the main thread, a frame or two
 * later) and two more frames are painted, then the window is rendered to a
 * PNG from an idle callback, outside the paint cycle. */
#include "rs-screenshot.h"

#include <glib/gi18n.h>

#include "rs-error.h"

/* Give up on a screenshot that never gets drawn (no display updates). */
#define RS_SCREENSHOT_TIMEOUT_S 300
/* Frames to wait for the plots to show the final snapshot. */
#define RS_SCREENSHOT_MAX_WAITS 120

typedef enum {
  SHOT_TRAINING,   /* until the window shows the requested step */
  SHOT_DRAWING,    /* waiting for frames that show the final snapshot */
  SHOT_DONE,
} ShotPhase;

typedef struct {
  RsWindow      *window;   /* the task's source object holds the reference */
  char          *path;
  gint64         steps;
  ShotPhase      phase;
  int            paints;
  int            waits;    /* frames drawn before the plots were current */
  GdkFrameClock *clock;
  gulong         after_paint_id;
  gulong         unrealize_id;
  guint          tick_id;
  guint          timeout_id;
  guint          idle_id;
} Shot;

#define SHOT_KEY "rs-screenshot"

static void
shot_free (gpointer data)
{
  Shot *shot = data;

  g_free (shot->path);
  g_free (shot);
}

/* Disconnects everything, then completes the task (error: owned). */
static void
shot_finish (GTask  *task,
             GError *error)
{
  Shot *shot = g_task_get_task_data (task);

  if (shot->phase == SHOT_DONE)
    {
      g_clear_error (&error);
      return;
    }
  shot->phase = SHOT_DONE;

  g_clear_handle_id (&shot->timeout_id, g_source_remove);
  g_clear_handle_id (&shot->idle_id, g_source_remove);
  if (shot->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (shot->window), shot->tick_id);
  shot->tick_id = 0;
  g_clear_signal_handler (&shot->unrealize_id, shot->window);
  if (shot->clock != NULL)
    {
      g_clear_signal_handler (&shot->after_paint_id, shot->clock);
      g_clear_object (&shot->clock);
    }
  g_object_set_data (G_OBJECT (shot->window), SHOT_KEY, NULL);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);   /* the reference the pending shot held */
}

gboolean
rs_widget_save_png (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (GTK_IS_NATIVE (widget), FALSE);

  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: the window has not been drawn"), path);
      return FALSE;
    }

  /* The widget draws itself into a render node, which its own renderer
   * turns into a texture: exactly the pixels on screen. */
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: the window drew nothing"), path);
      return FALSE;
    }

  g_autoptr(GdkTexture) texture =
    gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture == NULL || !gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: could not write the PNG file"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
render_cb (gpointer data)
{
  GTask *task = data;
  Shot *shot = g_task_get_task_data (task);
  GError *error = NULL;

  shot->idle_id = 0;
  rs_widget_save_png (GTK_WIDGET (shot->window), shot->path, &error);
  shot_finish (task, error);
  return G_SOURCE_REMOVE;
}

static void
after_paint (GdkFrameClock *clock,
             GTask         *task)
{
  Shot *shot = g_task_get_task_data (task);

  /* Two painted frames after the plots show the final snapshot: the first
   * may still carry a layout change (labels grow as numbers appear). A run
   * still going may never let the plots catch up: then at most
   * RS_SCREENSHOT_MAX_WAITS frames are waited for. */
  if (!rs_window_plots_current (shot->window) && ++shot->waits < RS_SCREENSHOT_MAX_WAITS)
    {
      shot->paints = 0;
      gtk_widget_queue_draw (GTK_WIDGET (shot->window));
      return;
    }
  if (++shot->paints < 2)
    {
      gtk_widget_queue_draw (GTK_WIDGET (shot->window));
      return;
    }
  g_clear_signal_handler (&shot->after_paint_id, clock);
  if (shot->idle_id == 0)
    shot->idle_id = g_idle_add (render_cb, task);
}

static void
start_drawing (GTask *task)
{
  Shot *shot = g_task_get_task_data (task);

  shot->phase = SHOT_DRAWING;
  shot->paints = 0;
  shot->waits = 0;
  shot->clock = gtk_widget_get_frame_clock (GTK_WIDGET (shot->window));
  if (shot->clock == NULL)
    {
      shot_finish (task, g_error_new (RS_ERROR, RS_ERROR_IO,
                                      _("%s: the window is not shown"), shot->path));
      return;
    }
  g_object_ref (shot->clock);
  shot->after_paint_id = g_signal_connect (shot->clock, "after-paint",
                                           G_CALLBACK (after_paint), task);
  gtk_widget_queue_draw (GTK_WIDGET (shot->window));
}

/* Once a frame while training: has the window caught up with the steps? */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  GTask *task = data;
  Shot *shot = g_task_get_task_data (task);
  RsSnapshot *snap = rs_window_get_snapshot (shot->window);

  if (shot->phase != SHOT_TRAINING || snap == NULL)
    return G_SOURCE_CONTINUE;
  /* A divergence ends the run early: the picture shows where it stopped. */
  if (snap->steps_done < shot->steps && snap->pause_reason == NULL)
    return G_SOURCE_CONTINUE;

  shot->tick_id = 0;
  start_drawing (task);
  return G_SOURCE_REMOVE;
}

static gboolean
timeout_cb (gpointer data)
{
  GTask *task = data;
  Shot *shot = g_task_get_task_data (task);

  shot->timeout_id = 0;
  shot_finish (task, g_error_new (RS_ERROR, RS_ERROR_IO,
                                  _("%s: timed out waiting for the window to be drawn"),
                                  shot->path));
  return G_SOURCE_REMOVE;
}

/* gtk_window_destroy() unrealizes the window; it is disposed only with its
 * last reference, which the task holds. */
static void
on_window_unrealize (GtkWidget *widget,
                     GTask     *task)
{
  shot_finish (task, g_error_new (RS_ERROR, RS_ERROR_IO,
                                  _("the window was closed before the screenshot")));
}

void
rs_screenshot_async (RsWindow            *window,
                     const char          *path,
                     gint64               steps,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (RS_IS_WINDOW (window));
  g_return_if_fail (path != NULL);

  GTask *task = g_task_new (window, cancellable, callback, user_data);
  g_task_set_source_tag (task, rs_screenshot_async);

  RsTrainer *trainer = rs_window_get_trainer (window);
  if (trainer == NULL || g_object_get_data (G_OBJECT (window), SHOT_KEY) != NULL)
    {
      g_task_return_new_error (task, RS_ERROR, RS_ERROR_VALUE,
                               "%s: %s", path, trainer == NULL
                               ? _("no lesson is loaded") : _("a screenshot is already pending"));
      g_object_unref (task);
      return;
    }

  Shot *shot = g_new0 (Shot, 1);
  shot->window = window;
  shot->path = g_strdup (path);
  shot->steps = MAX (steps, 0);
  shot->phase = SHOT_TRAINING;
  g_task_set_task_data (task, shot, shot_free);
  g_object_set_data (G_OBJECT (window), SHOT_KEY, shot);
  shot->timeout_id = g_timeout_add_seconds (RS_SCREENSHOT_TIMEOUT_S, timeout_cb, task);
  shot->unrealize_id = g_signal_connect (window, "unrealize",
                                       G_CALLBACK (on_window_unrealize), task);

  /* Exactly N single steps (queued while paused; they may go past the
   * lesson's end): the picture shows step N, not wherever a free run
   * happened to be when a frame came. Drawing starts on a tick, so once
   * the window is mapped. */
  for (gint64 i = 0; i < shot->steps; i++)
    rs_trainer_step (trainer);
  shot->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, task, NULL);
}

gboolean
rs_screenshot_finish (RsWindow      *window,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, window), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
