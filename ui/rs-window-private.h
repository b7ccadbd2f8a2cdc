/* rs-window-private.h — the parts of RsWindow, shared by its files:
 *   rs-window.c            the GObject, its properties, accessors, baseline
 *   rs-window-snapshots.c  trainer -> screen: polling, the play buttons
 *   rs-window-style.c      light/dark and presentation mode
 *   rs-window-lesson.c     loading a lesson; controls -> trainer
 *   rs-window-data.c       changing the data and the network; dropped files
 *   rs-window-files.c      export, save session/lesson, state, file choosers
 *   rs-window-actions.c    the win.* actions and the plain keys
 *   rs-window-sweep.c      the Sweep page, its actions, opening a point
 * Nothing here is for use outside the window. */
#pragma once

#include <glib/gi18n.h>

#include "rs-window.h"

#include "rs-data-panel.h"
#include "rs-early-stop-control.h"
#include "rs-experiment.h"
#include "rs-keys.h"
#include "rs-lambda-control.h"
#include "rs-lesson-info.h"
#include "rs-network-editor.h"
#include "rs-plot-view.h"
#include "rs-session.h"
#include "rs-sweep-page.h"

G_BEGIN_DECLS

enum {
  VIEW_LOSS,
  VIEW_HISTOGRAMS,
  VIEW_WEIGHTS,
  VIEW_ACTIVATIONS,
  VIEW_TIME,
  VIEW_DIGITS,
  VIEW_BOUNDARY,
  VIEW_CONFUSION,
  VIEW_DASHBOARD,
  N_VIEWS
};

struct _RsWindow
{
  GtkApplicationWindow parent_instance;

  /* template */
  GtkButton       *play_button;
  GtkImage        *play_image;
  GtkLabel        *play_label;
  GtkDropDown     *speed_dropdown;
  GtkMenuButton   *lesson_button;
  GtkLabel        *lesson_label;
  GtkPaned        *paned;
  GtkStackSwitcher *plot_switcher;
  GtkWidget       *presentation_bar;
  GtkButton       *bar_play_button;
  GtkImage        *bar_play_image;
  GtkLabel        *bar_play_label;
  GtkMenuButton   *bar_lesson_button;
  GtkLabel        *bar_lesson_label;
  RsLessonInfo    *lesson_info;
  GtkExpander     *data_expander;
  RsDataPanel     *data_panel;
  GtkExpander     *network_expander;
  RsNetworkEditor *network_editor;
  GtkDropDown     *optimizer_dropdown;
  RsLambdaControl *lr_control;
  RsLambdaControl *smoothing_control;
  RsLambdaControl *input_noise_control;
  RsEarlyStopControl *early_stop_control;
  GtkButton       *restore_best_button;
  GtkBox          *layer_box;
  GtkStack        *plot_stack;
  GtkStackPage    *digits_page;
  GtkStackPage    *boundary_page;
  RsPlotView      *loss_view;
  RsPlotView      *histograms_view;
  RsPlotView      *weights_view;
  RsPlotView      *activations_view;
  RsPlotView      *time_view;
  RsPlotView      *digits_view;
  RsPlotView      *boundary_view;
  RsPlotView      *confusion_view;
  RsPlotView      *dashboard_view;
  RsStatusLine    *status_line;
  GtkButton       *pin_button;
  GtkLabel        *pin_label;
  GtkButton       *bar_pin_button;
  GtkRevealer     *message_revealer;
  GtkLabel        *message_label;
  GtkButton       *message_close;

  RsPlotView      *views[N_VIEWS];
  RsSweepPage     *sweep_page;      /* the Sweep page of the plot stack */

  GSettings       *settings;        /* NULL: nothing is remembered */

  /* the lesson */
  RsTrainer       *trainer;
  RsExperiment    *experiment;      /* as loaded; the snapshot has the one in force */
  char            *lesson_path;
  gint64           total_steps;
  RsOptimizerConfig optimizer;
  GPtrArray       *layer_rows;      /* RsLayerRow, owned by layer_box */
  gboolean         pages_checked;   /* Digits/Boundary shown or hidden for this lesson */

  /* what is on screen */
  RsSnapshot      *snapshot;
  guint64          shown_serial;
  gboolean         have_serial;
  RsTrainerState   shown_state;
  RsSnapshot      *baseline;        /* the pinned run, or NULL */

  double           speed;
  gboolean         dark;
  gboolean         presentation;
  int              normal_sidebar_width; /* the paned position to restore */
  gboolean         updating;        /* programmatic widget changes: send nothing */
  gboolean         changing_data;   /* a data or network change is being installed */
  guint            tick_id;
  guint            wakeup_id;       /* watches the trainer's wakeup descriptor */
  /* A control on its way to the screen holds the sweep (rs-window-snapshots.c) */
  guint64          hold_gen;        /* the control's generation; 0: no hold */
  guint            hold_timeout_id;
  GdkFrameClock   *hold_clock;
  gulong           hold_paint_id;

  /* Compare: a twin run B beside the lesson (rs-window-twin.c) */
  gboolean         compare;
  char           **compare_entries; /* B's overrides, the twin's [compare] */
  char            *twin_label_text[2]; /* "A: fc1 L1 0", "B: fc1 L1 0.01" */
  GtkStackPage    *twin_page;
  RsPlotView      *twin_loss_view;
  RsPlotView      *twin_views[2][2]; /* [A, B][histograms, heatmaps or boundary] */
  GtkLabel        *twin_labels[2];
  GtkLabel        *twin_other_label;
  GtkWidget       *twin_section;    /* the sidebar's B rows */
  GtkBox          *twin_row_box;
  GPtrArray       *twin_rows;       /* RsLayerRow, owned by twin_row_box */

  GtkNativeDialog *chooser;         /* the file chooser that is open, if any */
  guint            message_id;      /* hides the message */
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_PRESENTATION,
  PROP_DARK,
  N_PROPS
};

/* The window's properties, for notifications from any of its files. */
extern GParamSpec *rs_window_properties[N_PROPS];

/* The speed menu lists the engine's RsSpeed values in their order: its
 * index is an RsSpeed, its action targets are rs_speed_names. */

static inline gboolean
_rs_window_snapshot_has_history (const RsSnapshot *snap)
{
  return snap != NULL && snap->history != NULL && snap->history->n > 0;
}

/* rs-window.c */
void          _rs_window_show_error (RsWindow *self, const char *primary, const char *secondary);
/* A line in the message bar above the status line, for a while. */
void          _rs_window_show_message (RsWindow *self, const char *text);

/* rs-window-snapshots.c */
void          _rs_window_snapshots_init (RsWindow *self);
void          _rs_window_snapshots_dispose (RsWindow *self);
/* Before the trainer goes: its wakeup descriptor goes with it. */
void          _rs_window_snapshots_unwatch (RsWindow *self);
void          _rs_window_update_play_button (RsWindow *self);

/* rs-window-style.c */
void          _rs_window_style_init (RsWindow *self);
void          _rs_window_update_dark (RsWindow *self);
void          _rs_window_style_layer_row (RsWindow *self, RsLayerRow *row);

/* rs-window-lesson.c */
void          _rs_window_lesson_init (RsWindow *self);
void          _rs_window_apply_speed (RsWindow *self, guint index);
/* Sends the early-stopping group's settings to the trainer (an event for
 * each that changed) and shows Restore Best while it is on. */
void          _rs_window_send_early_stopping (RsWindow *self);
/* Shows a lesson's early stopping in the group, without sending it. */
void          _rs_window_show_early_stopping (RsWindow *self, const RsExperiment *exp);
RsExperiment *_rs_window_current_experiment (RsWindow *self);
void          _rs_window_install_run (RsWindow *self, RsExperiment *exp, RsSession *session,
                                      const char *path, gboolean change,
                                      const RsCsvInfo *info);

/* rs-window-data.c */
void          _rs_window_data_init (RsWindow *self);
/* "150 rows, 4 features, 3 classes: …" of a run's rows (val may be NULL). */
char         *_rs_window_data_sentence (const RsDataset *train, const RsDataset *val);
/* The data panel and the network editor show the run in use; info: its
 * CSV's (NULL: read again when the data are a CSV). */
void          _rs_window_show_data (RsWindow *self, const RsCsvInfo *info,
                                    const char *sentence);

/* rs-window-files.c */
void          _rs_window_choose_lesson (RsWindow *self);
void          _rs_window_choose_export (RsWindow *self);
void          _rs_window_choose_session (RsWindow *self);
void          _rs_window_choose_lesson_copy (RsWindow *self);
void          _rs_window_choose_data (RsWindow *self);
void          _rs_window_close_chooser (RsWindow *self);
void          _rs_window_save_state (RsWindow *self);

/* rs-window-sweep.c */
/* The Sweep page's name in the plot stack (and for --page). */
#define RS_WINDOW_SWEEP_PAGE "sweep"
void          _rs_window_sweep_init (RsWindow *self);
/* The page offers the new lesson's terms (a sweep under way stops). */
void          _rs_window_sweep_lesson_changed (RsWindow *self);
/* Writes the page's sweep into `exp` as its [sweep] (Save Lesson As). */
void          _rs_window_sweep_amend (RsWindow *self, RsExperiment *exp);
/* The same as an RsTrainerAmendFunc (data: the window). */
void          _rs_window_sweep_amend_cb (RsExperiment *exp, gpointer self);

/* rs-window-twin.c */
void          _rs_window_twin_init (RsWindow *self);
void          _rs_window_twin_dispose (RsWindow *self);
void          _rs_window_twin_finalize (RsWindow *self);
/* A run was installed: its experiment's [compare] turns the twin on (and
 * is taken from it); none turns it off, except after a change of data or
 * network (`change`), which keeps B's differences that still apply. */
void          _rs_window_twin_lesson_installed (RsWindow *self, gboolean change);
/* A's controls changed: B's rows follow. */
void          _rs_window_twin_a_changed (RsWindow *self);
/* A new snapshot is on screen: B's too. */
void          _rs_window_twin_show (RsWindow *self);
/* Every twin panel on screen shows its newest snapshot. */
gboolean      _rs_window_twin_plots_current (RsWindow *self);
/* exp (the lesson as it stands) gets the twin's [compare], or none. */
void          _rs_window_twin_experiment (RsWindow *self, RsExperiment *exp);
/* The twin's loss (kind LOSS) or dashboard (DASHBOARD) into path. */
gboolean      _rs_window_twin_export (RsWindow *self, const char *path, RsExportFormat format,
                                      RsPlotKind kind, const RsPlotStyle *style, int width,
                                      int height, double scale, GError **error);

/* rs-window-actions.c */
void          _rs_window_actions_init (RsWindow *self);
void          _rs_window_update_actions (RsWindow *self);
void          _rs_window_set_action_state (RsWindow *self, const char *name, GVariant *state);

G_END_DECLS
