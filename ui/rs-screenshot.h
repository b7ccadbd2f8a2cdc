/* rs-screenshot.h — `regscope --screenshot FILE`: train a window's lesson
 * a given number of steps, wait until the window has been drawn with the
 * result, save it as a PNG. Used by the application; the window itself
 * knows nothing about it. */
#pragma once

#include <gtk/gtk.h>

#include "rs-window.h"

G_BEGIN_DECLS

/* Sends `steps` single steps to the window's trainer (0: none), waits for
 * the window to show step `steps` (or the divergence that stopped it) with
 * every visible plot drawn, then writes the window to `path`. Fails when
 * the window goes away first, has no lesson, or is never drawn. */
void      rs_screenshot_async  (RsWindow *window, const char *path, gint64 steps,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean  rs_screenshot_finish (RsWindow *window, GAsyncResult *result, GError **error);

/* Renders `widget` (a realized toplevel) as it is now into a PNG file:
 * the pixels its own renderer puts on screen. */
gboolean  rs_widget_save_png   (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
