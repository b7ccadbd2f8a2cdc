/* rs-render-thread.h — the one thread that draws plots off the main thread.
 *
 * Every picture drawn in the background (the plot views' snapshots, the
 * Sweep page's curve and path) goes through this one thread, niced below
 * the main thread: on a two-core machine two pictures drawn at once took
 * both cores from the frame that shows a lambda change. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `work` runs on the render thread; then `done` runs on the main thread
 * (at G_PRIORITY_DEFAULT), both with `data`. Jobs run one at a time, in
 * order. Main thread only. */
typedef void (*RsRenderFunc) (gpointer data);

void rs_render_thread_push (RsRenderFunc work,
                            RsRenderFunc done,
                            gpointer     data);

G_END_DECLS
