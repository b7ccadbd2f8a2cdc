/* rs-window.h — the explorer window: lesson picker, transport controls,
 * per-layer regularization controls, live plots and the status line.
 *
 * The window owns the lesson's RsTrainer. Its UI thread does nothing but
 * draw snapshots and send controls: it never calls rs_session_* while the
 * trainer runs and never waits on the worker (rs_trainer_free, on a lesson
 * change or when the window goes, joins it after at most one step). */
#pragma once

#include <gtk/gtk.h>

#include "rs-history.h"
#include "rs-plot-export.h"
#include "rs-snapshot.h"
#include "rs-trainer.h"
#include "rs-data-panel.h"
#include "rs-layer-row.h"
#include "rs-plot-view.h"
#include "rs-network-editor.h"
#include "rs-status-line.h"
#include "rs-sweep-page.h"

G_BEGIN_DECLS

#define RS_TYPE_WINDOW (rs_window_get_type ())
G_DECLARE_FINAL_TYPE (RsWindow, rs_window, RS, WINDOW, GtkApplicationWindow)

/* app and settings may be NULL (tests, --screenshot): then the window keeps
 * its size and style in memory only. */
RsWindow     *rs_window_new (GtkApplication *app, GSettings *settings);

/* A shipped lesson name ("seed-l1") or a preset path. Replaces the running
 * lesson only when the new one loads; errors name the file and key. */
gboolean      rs_window_load_lesson (RsWindow *self, const char *name_or_path,
                                     GError **error);
/* Like rs_window_load_lesson(), errors shown in a dialog. */
void          rs_window_open_lesson (RsWindow *self, const char *name_or_path);
const char   *rs_window_get_lesson_path (RsWindow *self);

/* The data and the network of the data panel and the network editor as
 * the run: built from the seed (as Reset does) with the input and output
 * widths of the data, recorded, the pinned baseline kept. When it cannot
 * be built (a bad CSV, a generator's limits) the error names the file and
 * place and the run in use is left as it was. The panels change it this
 * way at every edit. */
gboolean      rs_window_change_data (RsWindow *self, GError **error);
/* A CSV file as the data (dropped, Open CSV…); a preset opens as a lesson.
 * Errors go to the message bar. */
void          rs_window_open_data_file (RsWindow *self, const char *path);
RsDataPanel  *rs_window_get_data_panel (RsWindow *self);
RsNetworkEditor *rs_window_get_network_editor (RsWindow *self);

/* Picks up the newest snapshot now (the frame clock does this every frame). */
void          rs_window_poll (RsWindow *self);

/* How long (µs) a shown window waits, when it sends the trainer a control,
 * for the trainer to apply it: GTK paints at most every 16.7 ms, and a
 * change picked up a moment after a frame began would wait for the next
 * one. The trainer applies a control at its next step boundary (~1 ms on
 * the lessons' networks); a longer step is not waited for. */
#define RS_WINDOW_CONTROL_WAIT_US 8000

RsTrainer    *rs_window_get_trainer (RsWindow *self);   /* borrowed, may be NULL */
RsSnapshot   *rs_window_get_snapshot (RsWindow *self);  /* the one shown, borrowed */
int           rs_window_get_n_layer_rows (RsWindow *self);
RsLayerRow   *rs_window_get_layer_row (RsWindow *self, int index);
RsStatusLine *rs_window_get_status_line (RsWindow *self);

/* The plot kind of the visible page (what Export offers first). */
RsPlotKind    rs_window_get_current_plot_kind (RsWindow *self);
void          rs_window_set_current_plot_kind (RsWindow *self, RsPlotKind kind);

/* The pages by name (what `regscope --page` takes): a plot kind's page,
 * named as rs_plot_kind_to_string names the kind ("weights" and
 * "confusion" show the pages they are on), or "sweep". */
gboolean      rs_window_is_page_name (const char *name);
/* The names of the stack's pages, ", " between them (for --help). */
char         *rs_window_page_names (void);
/* Shows the page; FALSE where the name is none or the lesson does not
 * have the page (digit tiles without images, boundary without 2-D data). */
gboolean      rs_window_show_page (RsWindow *self, const char *name);

/* Writes `kind` of the shown snapshot to `path`; the format comes from the
 * extension (.png, .svg, .pdf). Atomic: nothing is left behind on error. */
gboolean      rs_window_export_to_file (RsWindow *self, const char *path,
                                        RsPlotKind kind, GError **error);
gboolean      rs_window_save_session_to_file (RsWindow *self, const char *path,
                                              GError **error);
/* The lesson as it stands (lambdas and optimizer included) as a preset. */
gboolean      rs_window_save_lesson_to_file (RsWindow *self, const char *path,
                                             GError **error);
/* Where the window keeps the lesson between runs:
 * $XDG_STATE_HOME/regscope/current-lesson.ini. */
char         *rs_window_state_file (void);

/* Keeps the shown run's history to draw behind the loss curves. */
void          rs_window_pin_baseline (RsWindow *self);
void          rs_window_clear_baseline (RsWindow *self);
RsSnapshot   *rs_window_get_baseline (RsWindow *self);

/* Compare (win.compare): a twin run B trains beside the lesson (A) from
 * the same seed on the same batches; B's layer rows set its differences. */
void          rs_window_set_compare (RsWindow *self, gboolean compare);
gboolean      rs_window_get_compare (RsWindow *self);
RsLayerRow   *rs_window_get_twin_layer_row (RsWindow *self, int index);
/* The twin page's views: run -1 the loss of both; 0 (A) or 1 (B): the
 * histograms, or (lower) the heatmaps, tiles or boundary. */
RsPlotView   *rs_window_get_twin_view (RsWindow *self, int run, gboolean lower);

gboolean      rs_window_get_presentation (RsWindow *self);
void          rs_window_set_presentation (RsWindow *self, gboolean presentation);
/* Whether the plots are drawn with the dark theme. */
gboolean      rs_window_get_dark (RsWindow *self);

/* The file chooser that is open (Open, Export, Save…), or NULL. */
GtkFileChooser *rs_window_get_file_chooser (RsWindow *self);

/* The message bar's text (where an export went, why a value was refused),
 * or NULL when it is hidden. */
const char   *rs_window_get_message (RsWindow *self);

/* Whether every plot on screen has drawn the shown snapshot: the views
 * draw new snapshots off the main thread, a frame or two after they
 * arrive. */
gboolean      rs_window_plots_current (RsWindow *self);

/* The Sweep page (win.sweep shows it, Ctrl+J). */
RsSweepPage  *rs_window_get_sweep_page (RsWindow *self);
/* The sweep's point `index` as the main run: every control set to the
 * lesson the sweep ran at that point's value, reset to step 0 and played,
 * so the main view trains that very run (win.sweep-open-point). */
void          rs_window_open_sweep_point (RsWindow *self, int index);

/* The window actions' accelerators (Ctrl+E, F11, …), set on `app`. */
void          rs_window_set_accels (GtkApplication *app);

G_END_DECLS
