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
 * the screen and the screen never waits for a plot. */
#include "rs-window.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "rs-atomic-file.h"
#include "rs-code-dialog.h"
#include "rs-error.h"
#include "rs-experiment.h"
#include "rs-lambda-control.h"
#include "rs-lesson-info.h"
#include "rs-plot-view.h"
#include "rs-session.h"
#include "rs-ui.h"

/* While training, snapshots are also picked up between frames, this often
 * (ms): the plots then start drawing a new one off the main thread at once
 * instead of at the next frame's tick (up to a frame later). Widgets still
 * change on screen only in frames. */
#define RS_POLL_MS 4

/* Give up on a screenshot that never gets drawn (no display updates). */
#define RS_SCREENSHOT_TIMEOUT_S 300
/* Frames to wait for the plots to show the final snapshot. */
#define RS_SCREENSHOT_MAX_WAITS 120

static const double speed_values[] = { 10.0, 100.0, 1000.0, 0.0 };
static const char *speed_names[] = { "10", "100", "1000", "max" };

enum {
  VIEW_LOSS,
  VIEW_HISTOGRAMS,
  VIEW_WEIGHTS,
  VIEW_ACTIVATIONS,
  VIEW_TIME,
  VIEW_DIGITS,
  VIEW_BOUNDARY,
  VIEW_DASHBOARD,
  N_VIEWS
};

typedef enum {
  SHOT_TRAINING,   /* playing until the step count is reached */
  SHOT_DRAWING,    /* waiting for frames that show the final snapshot */
} ShotPhase;

typedef struct {
  char      *path;
  gint64     steps;
  ShotPhase  phase;
  int        paints;
  int        waits;        /* frames drawn before the plots were current */
  GdkFrameClock *clock;
  gulong     after_paint_id;
  guint      timeout_id;
  guint      idle_id;
} ShotData;

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
  GtkWidget       *presentation_bar;
  GtkButton       *bar_play_button;
  GtkImage        *bar_play_image;
  GtkLabel        *bar_play_label;
  GtkMenuButton   *bar_lesson_button;
  GtkLabel        *bar_lesson_label;
  RsLessonInfo    *lesson_info;
  GtkDropDown     *optimizer_dropdown;
  RsLambdaControl *lr_control;
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
  RsPlotView      *dashboard_view;
  RsStatusLine    *status_line;

  RsPlotView      *views[N_VIEWS];

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
  RsHistory       *baseline;

  double           speed;
  gboolean         dark;
  gboolean         presentation;
  gboolean         updating;        /* programmatic widget changes: send nothing */
  guint            tick_id;
  guint            poll_id;         /* the between-frames poll while running */

  GtkNativeDialog *chooser;         /* the file chooser that is open, if any */
  GTask           *screenshot;
};

G_DEFINE_FINAL_TYPE (RsWindow, rs_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_PRESENTATION,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void screenshot_poll (RsWindow *self);
static gboolean poll_cb (gpointer data);
static void update_dark (RsWindow *self);

/* ------------------------------------------------------------------ */
/* helpers                                                              */

static void
show_error (RsWindow   *self,
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

static void
set_action_enabled (RsWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
set_action_state (RsWindow   *self,
                  const char *name,
                  GVariant   *state)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), state);
  else
    g_variant_unref (g_variant_ref_sink (state));
}

static gboolean
snapshot_has_history (RsSnapshot *snap)
{
  return snap != NULL && snap->history != NULL && snap->history->n > 0;
}

static void
update_actions (RsWindow *self)
{
  gboolean have = self->trainer != NULL;
  gboolean running = have && self->shown_state == RS_TRAINER_RUNNING;

  set_action_enabled (self, "play-pause", have);
  set_action_enabled (self, "step", have && !running);
  set_action_enabled (self, "reset", have);
  set_action_enabled (self, "export", self->snapshot != NULL);
  set_action_enabled (self, "save-session", have);
  set_action_enabled (self, "show-pytorch", self->experiment != NULL);
  set_action_enabled (self, "pin-baseline", snapshot_has_history (self->snapshot));
  set_action_enabled (self, "clear-baseline", self->baseline != NULL);
}

static void
set_play_button (GtkButton *button,
                 GtkImage  *image,
                 GtkLabel  *label,
                 gboolean   running)
{
  gtk_image_set_from_icon_name (image, running ? "media-playback-pause-symbolic"
                                               : "media-playback-start-symbolic");
  gtk_label_set_text (label, running ? "Pause" : "Play");
  /* Blue while there is something to start, plain while it runs. */
  if (running)
    gtk_widget_remove_css_class (GTK_WIDGET (button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (button), "suggested-action");
}

static void
update_play_button (RsWindow *self)
{
  gboolean running = self->shown_state == RS_TRAINER_RUNNING;

  set_play_button (self->play_button, self->play_image, self->play_label, running);
  set_play_button (self->bar_play_button, self->bar_play_image, self->bar_play_label, running);
}

/* ------------------------------------------------------------------ */
/* snapshots                                                            */

static void
update_pages (RsWindow *self)
{
  if (self->snapshot == NULL || self->pages_checked)
    return;
  self->pages_checked = TRUE;

  /* Digit tiles only make sense for image data, the boundary only for
   * points in the plane: the other lessons do not get an empty page. */
  gtk_stack_page_set_visible (self->digits_page,
                              rs_plot_kind_applies (RS_PLOT_DIGIT_TILES, self->snapshot));
  gtk_stack_page_set_visible (self->boundary_page,
                              rs_plot_kind_applies (RS_PLOT_BOUNDARY, self->snapshot));
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

  update_pages (self);
  update_play_button (self);
  update_actions (self);
}

void
rs_window_poll (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  if (self->trainer == NULL)
    return;

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
          update_play_button (self);
          update_actions (self);
        }
    }
  else
    {
      self->shown_serial = serial;
      self->have_serial = TRUE;
      self->shown_state = state;
      show_snapshot (self, rs_trainer_get_snapshot (self->trainer));
    }

  if (self->screenshot != NULL)
    screenshot_poll (self);
  if (self->shown_state == RS_TRAINER_RUNNING && self->poll_id == 0
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->poll_id = g_timeout_add (RS_POLL_MS, poll_cb, self);
}

static gboolean
poll_cb (gpointer data)
{
  RsWindow *self = data;

  rs_window_poll (self);
  if (self->trainer != NULL && self->shown_state == RS_TRAINER_RUNNING
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_CONTINUE;
  self->poll_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  update_dark (RS_WINDOW (widget));
  rs_window_poll (RS_WINDOW (widget));
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* style: light/dark and presentation                                   */

/* Dark or light is read off the theme as it is drawn: the luminance of the
 * window's text colour. That covers prefer-dark (the style key, the
 * desktop's colour scheme), themes named *-dark and GTK_THEME=Adwaita:dark
 * alike. Checked on every frame tick: it is one colour lookup. */
static void
update_dark (RsWindow *self)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gboolean dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;

  if (dark == self->dark && gtk_widget_has_css_class (GTK_WIDGET (self), dark ? "dark" : "light"))
    return;

  self->dark = dark;
  gtk_widget_remove_css_class (GTK_WIDGET (self), dark ? "light" : "dark");
  gtk_widget_add_css_class (GTK_WIDGET (self), dark ? "dark" : "light");
  for (int i = 0; i < N_VIEWS; i++)
    g_object_set (self->views[i], "dark", dark, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

gboolean
rs_window_get_dark (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  return self->dark;
}

gboolean
rs_window_get_presentation (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  return self->presentation;
}

static void
update_presentation_bar (RsWindow *self)
{
  gtk_widget_set_visible (self->presentation_bar,
                          self->presentation && gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

static void
on_fullscreened (RsWindow   *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  update_presentation_bar (self);
}

/* Presentation mode: fullscreen, larger widget text (the CSS class) and
 * larger, thicker plots (rs_plot_style_init's presentation style), for a
 * projector at the back of a classroom. */
void
rs_window_set_presentation (RsWindow *self,
                            gboolean  presentation)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  presentation = !!presentation;
  if (presentation == self->presentation)
    return;
  self->presentation = presentation;

  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  for (int i = 0; i < N_VIEWS; i++)
    g_object_set (self->views[i], "presentation", presentation, NULL);
  update_presentation_bar (self);

  set_action_state (self, "presentation", g_variant_new_boolean (presentation));
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "presentation", presentation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

/* ------------------------------------------------------------------ */
/* controls -> trainer                                                  */

static void
on_layer_row_changed (RsLayerRow *row,
                      RsWindow   *self)
{
  RsLayerReg reg;

  if (self->updating || self->trainer == NULL)
    return;
  rs_layer_row_get_reg (row, &reg);
  rs_trainer_set_layer_reg (self->trainer, rs_layer_row_get_index (row), &reg);
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

static void
apply_speed (RsWindow *self,
             guint     index)
{
  if (index >= G_N_ELEMENTS (speed_values))
    index = 1;
  self->speed = speed_values[index];
  if (self->trainer != NULL)
    rs_trainer_set_speed (self->trainer, self->speed);

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->speed_dropdown, index);
  self->updating = FALSE;
  set_action_state (self, "speed", g_variant_new_string (speed_names[index]));
}

static void
on_speed_selected (GtkDropDown *dropdown,
                   GParamSpec  *pspec,
                   RsWindow    *self)
{
  if (self->updating)
    return;
  apply_speed (self, gtk_drop_down_get_selected (dropdown));
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
      g_signal_connect (row, "changed", G_CALLBACK (on_layer_row_changed), self);
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
                   "%s: no such lesson (the shipped lessons are in %s/presets)",
                   name_or_path, rs_data_dir ());
      return FALSE;
    }

  g_autoptr(RsExperiment) exp = rs_experiment_load (path, error);
  if (exp == NULL)
    return FALSE;
  RsSession *session = rs_session_new (exp, error);
  if (session == NULL)
    return FALSE;

  /* Everything the window needs from the session is read here, before the
   * trainer thread owns it. */
  const RsDataset *train = rs_session_get_train (session);
  const RsDataset *val = rs_session_get_validation (session);
  g_autofree char *summary = rs_lesson_summary (exp, train != NULL ? train->n : 0,
                                                val != NULL ? val->n : 0);
  gint64 total_steps = rs_session_total_steps (session);

  /* Only now, with the new lesson in hand, let go of the old one. */
  g_clear_pointer (&self->trainer, rs_trainer_free);
  g_clear_pointer (&self->snapshot, rs_snapshot_unref);
  g_clear_pointer (&self->experiment, rs_experiment_free);
  rs_window_clear_baseline (self);

  self->experiment = g_steal_pointer (&exp);
  g_free (self->lesson_path);
  self->lesson_path = g_strdup (path);
  self->total_steps = total_steps;
  self->optimizer = self->experiment->optimizer;
  self->have_serial = FALSE;
  self->shown_state = RS_TRAINER_PAUSED;
  self->pages_checked = FALSE;

  const char *title = self->experiment->title != NULL && *self->experiment->title != '\0'
                      ? self->experiment->title : name_or_path;
  g_autofree char *window_title = g_strdup_printf ("%s — regscope", title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  gtk_label_set_text (self->lesson_label, title);
  gtk_label_set_text (self->bar_lesson_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->lesson_button), path);
  rs_lesson_info_set (self->lesson_info, self->experiment, summary);

  self->updating = TRUE;
  build_layer_rows (self, self->experiment);
  gtk_drop_down_set_selected (self->optimizer_dropdown,
                              self->optimizer.kind == RS_OPT_SGD ? 0 :
                              self->optimizer.kind == RS_OPT_ADAMW ? 2 : 1);
  rs_lambda_control_set_lambda (self->lr_control, self->optimizer.lr);
  self->updating = FALSE;

  self->trainer = rs_trainer_new (session);
  rs_trainer_set_speed (self->trainer, self->speed);
  rs_window_poll (self);

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
    show_error (self, "Could not open the lesson", error->message);
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

  g_menu_append (other, "Open Lesson File…", "win.open");
  g_menu_append_section (menu, "Lessons", G_MENU_MODEL (lessons));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (other));
  gtk_menu_button_set_menu_model (self->lesson_button, G_MENU_MODEL (menu));
  gtk_menu_button_set_menu_model (self->bar_lesson_button, G_MENU_MODEL (menu));
}

/* ------------------------------------------------------------------ */
/* export, sessions, baseline                                           */

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

void
rs_window_set_current_plot_kind (RsWindow   *self,
                                 RsPlotKind  kind)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  if (kind == RS_PLOT_WEIGHTS)
    kind = RS_PLOT_HISTOGRAMS;   /* the heatmaps share the Weights page */
  GtkWidget *child = gtk_stack_get_child_by_name (self->plot_stack,
                                                  rs_plot_kind_to_string (kind));
  if (child != NULL && gtk_stack_page_get_visible (gtk_stack_get_page (self->plot_stack, child)))
    gtk_stack_set_visible_child (self->plot_stack, child);
}

static RsPlotView *
view_for_kind (RsWindow   *self,
               RsPlotKind  kind)
{
  for (int i = 0; i < N_VIEWS; i++)
    if (rs_plot_view_get_kind (self->views[i]) == kind)
      return self->views[i];
  return NULL;
}

gboolean
rs_window_export_to_file (RsWindow    *self,
                          const char  *path,
                          RsPlotKind   kind,
                          GError     **error)
{
  RsExportFormat format;
  RsPlotStyle style;

  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->snapshot == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: there is no lesson to export", path);
      return FALSE;
    }

  const char *dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL
      || !rs_export_format_from_string (dot + 1, &format))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   "%s: unknown format; the file name must end in .png, .svg or .pdf", path);
      return FALSE;
    }
  if (!rs_plot_kind_applies (kind, self->snapshot))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   "%s: the %s plot does not apply to this lesson's data",
                   path, rs_plot_kind_to_string (kind));
      return FALSE;
    }

  /* What is exported is what is seen: the view's style and, when it is on
   * screen, its size (PNG at twice the pixels, for slides). The dashboard
   * has a fixed page size of its own. */
  RsPlotView *view = view_for_kind (self, kind);
  int width = 1200, height = 800;
  double scale = format == RS_EXPORT_PNG ? 2.0 : 1.0;

  rs_plot_view_get_style (view != NULL ? view : self->loss_view, &style);
  if (kind == RS_PLOT_DASHBOARD)
    {
      width = 1600;
      height = 1000;
      scale = 1.0;
    }
  else if (view != NULL && gtk_widget_get_mapped (GTK_WIDGET (view))
           && gtk_widget_get_width (GTK_WIDGET (view)) >= 200
           && gtk_widget_get_height (GTK_WIDGET (view)) >= 150)
    {
      width = gtk_widget_get_width (GTK_WIDGET (view));
      height = gtk_widget_get_height (GTK_WIDGET (view));
    }

  return rs_plot_export (path, format, kind, &style, self->snapshot, self->baseline,
                         width, height, scale, error);
}

gboolean
rs_window_save_session_to_file (RsWindow    *self,
                                const char  *path,
                                GError     **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (self->trainer == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: there is no lesson to save", path);
      return FALSE;
    }
  return rs_trainer_save_session (self->trainer, path, error);
}

/* The lesson as it stands now: the loaded experiment with the lambdas and
 * the optimizer the controls show (which the trainer has been sent, even
 * if its next snapshot has not arrived yet). */
static RsExperiment *
current_experiment (RsWindow *self)
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
  return exp;
}

gboolean
rs_window_save_lesson_to_file (RsWindow    *self,
                               const char  *path,
                               GError     **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (self->experiment == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: there is no lesson to save", path);
      return FALSE;
    }
  g_autoptr(RsExperiment) exp = current_experiment (self);
  g_autofree char *text = rs_experiment_to_ini (exp);
  return rs_atomic_file_write (path, text, strlen (text), error);
}

char *
rs_window_state_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "regscope", "current-lesson.ini", NULL);
}

/* Keeps the lesson as the window leaves it (lambdas included), so that the
 * next start opens the same state. A failure here must not keep the window
 * from closing: it is reported on stderr only. */
static void
save_state (RsWindow *self)
{
  if (self->experiment == NULL)
    return;

  g_autofree char *path = rs_window_state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_printerr ("regscope: %s: cannot create: %s\n", dir, g_strerror (errno));
      return;
    }
  if (!rs_window_save_lesson_to_file (self, path, &error))
    {
      g_printerr ("regscope: %s\n", error->message);
      return;
    }
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-lesson", path);
}

void
rs_window_pin_baseline (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  if (!snapshot_has_history (self->snapshot))
    return;
  g_clear_pointer (&self->baseline, rs_history_free);
  self->baseline = rs_history_copy (self->snapshot->history);
  rs_plot_view_set_baseline (self->loss_view, self->baseline);
  rs_plot_view_set_baseline (self->dashboard_view, self->baseline);
  update_actions (self);
}

void
rs_window_clear_baseline (RsWindow *self)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  g_clear_pointer (&self->baseline, rs_history_free);
  rs_plot_view_set_baseline (self->loss_view, NULL);
  rs_plot_view_set_baseline (self->dashboard_view, NULL);
  update_actions (self);
}

const RsHistory *
rs_window_get_baseline (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->baseline;
}

/* ------------------------------------------------------------------ */
/* file choosers                                                        */

static void
clear_chooser (RsWindow *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->chooser, self);
  gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
}

static char *
chooser_path (GtkNativeDialog *dialog)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_response (GtkNativeDialog *dialog,
               int              response,
               RsWindow        *self)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT ? chooser_path (dialog) : NULL;

  clear_chooser (self);
  if (path != NULL)
    rs_window_open_lesson (self, path);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RsWindow *self = user_data;

  clear_chooser (self);
  GtkFileChooserNative *native = gtk_file_chooser_native_new ("Open Lesson", GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              "_Open", "_Cancel");
  self->chooser = GTK_NATIVE_DIALOG (native);
  add_filter (GTK_FILE_CHOOSER (native), "Lessons (*.ini)", "*.ini");
  add_filter (GTK_FILE_CHOOSER (native), "All files", "*");

  g_autofree char *presets = g_build_filename (rs_data_dir (), "presets", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (presets);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);

  g_signal_connect (native, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (self->chooser);
}

static char *
lesson_basename (RsWindow *self)
{
  if (self->lesson_path == NULL)
    return g_strdup ("regscope");
  g_autofree char *base = g_path_get_basename (self->lesson_path);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 RsWindow        *self)
{
  g_autoptr(GError) error = NULL;
  RsPlotKind kind = rs_window_get_current_plot_kind (self);

  if (response != GTK_RESPONSE_ACCEPT)
    {
      clear_chooser (self);
      return;
    }

  g_autofree char *path = chooser_path (dialog);
  const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "kind");
  if (choice != NULL)
    rs_plot_kind_from_string (choice, &kind);
  clear_chooser (self);
  if (path == NULL)
    return;

  /* No extension: PNG, the format slides want. */
  g_autofree char *base = g_path_get_basename (path);
  if (strchr (base, '.') == NULL)
    {
      char *with_ext = g_strconcat (path, ".png", NULL);
      g_free (path);
      path = with_ext;
    }

  if (!rs_window_export_to_file (self, path, kind, &error))
    show_error (self, "Could not export the plot", error->message);
}

static const char *
kind_title (RsPlotKind kind)
{
  switch (kind)
    {
    case RS_PLOT_DASHBOARD:      return "Dashboard (everything)";
    case RS_PLOT_LOSS:           return "Loss curves";
    case RS_PLOT_HISTOGRAMS:     return "Weight histograms";
    case RS_PLOT_HISTOGRAM_TIME: return "Histograms over time";
    case RS_PLOT_WEIGHTS:        return "Weight heatmaps";
    case RS_PLOT_ACTIVATIONS:    return "Activations";
    case RS_PLOT_DIGIT_TILES:    return "Digit tiles";
    case RS_PLOT_BOUNDARY:       return "Decision boundary";
    case RS_PLOT_N_KINDS:
    default:                     return "?";
    }
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RsWindow *self = user_data;
  const char *ids[RS_PLOT_N_KINDS + 1] = { NULL };
  const char *labels[RS_PLOT_N_KINDS + 1] = { NULL };
  int n = 0;

  if (self->snapshot == NULL)
    return;

  clear_chooser (self);
  GtkFileChooserNative *native = gtk_file_chooser_native_new ("Export Plot", GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              "_Export", "_Cancel");
  self->chooser = GTK_NATIVE_DIALOG (native);
  add_filter (GTK_FILE_CHOOSER (native), "PNG image", "*.png");
  add_filter (GTK_FILE_CHOOSER (native), "SVG drawing", "*.svg");
  add_filter (GTK_FILE_CHOOSER (native), "PDF document", "*.pdf");

  /* The plot is a choice in the dialog, preset to the visible page. */
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    if (rs_plot_kind_applies (k, self->snapshot))
      {
        ids[n] = rs_plot_kind_to_string (k);
        labels[n] = kind_title (k);
        n++;
      }
  RsPlotKind current = rs_window_get_current_plot_kind (self);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (native), "kind", "Plot:", ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (native), "kind",
                               rs_plot_kind_to_string (current));

  g_autofree char *base = lesson_basename (self);
  g_autofree char *name = g_strdup_printf ("%s-%s.png", base, rs_plot_kind_to_string (current));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_signal_connect (native, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
save_session_response (GtkNativeDialog *dialog,
                       int              response,
                       RsWindow        *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT ? chooser_path (dialog) : NULL;

  clear_chooser (self);
  if (path != NULL && !rs_window_save_session_to_file (self, path, &error))
    show_error (self, "Could not save the session", error->message);
}

static void
save_session_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->trainer == NULL)
    return;

  clear_chooser (self);
  GtkFileChooserNative *native = gtk_file_chooser_native_new ("Save Session", GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              "_Save", "_Cancel");
  self->chooser = GTK_NATIVE_DIALOG (native);

  /* A session is a preset with a [replay] section. */
  add_filter (GTK_FILE_CHOOSER (native), "Sessions (*.ini)", "*.ini");
  add_filter (GTK_FILE_CHOOSER (native), "All files", "*");

  g_autofree char *base = lesson_basename (self);
  g_autofree char *name = g_strdup_printf ("%s-session.ini", base);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_signal_connect (native, "response", G_CALLBACK (save_session_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
save_lesson_response (GtkNativeDialog *dialog,
                      int              response,
                      RsWindow        *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT ? chooser_path (dialog) : NULL;

  clear_chooser (self);
  if (path != NULL && !rs_window_save_lesson_to_file (self, path, &error))
    show_error (self, "Could not save the lesson", error->message);
}

static void
save_lesson_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RsWindow *self = user_data;

  if (self->experiment == NULL)
    return;

  clear_chooser (self);
  GtkFileChooserNative *native = gtk_file_chooser_native_new ("Save Lesson As", GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              "_Save", "_Cancel");
  self->chooser = GTK_NATIVE_DIALOG (native);
  add_filter (GTK_FILE_CHOOSER (native), "Lessons (*.ini)", "*.ini");
  add_filter (GTK_FILE_CHOOSER (native), "All files", "*");

  g_autofree char *base = lesson_basename (self);
  g_autofree char *name = g_strdup_printf ("%s-mine.ini", base);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);

  g_signal_connect (native, "response", G_CALLBACK (save_lesson_response), self);
  gtk_native_dialog_show (self->chooser);
}

/* ------------------------------------------------------------------ */
/* other actions                                                        */

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

  for (guint i = 0; i < G_N_ELEMENTS (speed_names); i++)
    if (g_str_equal (name, speed_names[i]))
      {
        apply_speed (self, i);
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
  { "export", export_activated, NULL, NULL, NULL, { 0 } },
  { "save-session", save_session_activated, NULL, NULL, NULL, { 0 } },
  { "save-lesson", save_lesson_activated, NULL, NULL, NULL, { 0 } },
  { "show-pytorch", show_pytorch_activated, NULL, NULL, NULL, { 0 } },
  { "pin-baseline", pin_baseline_activated, NULL, NULL, NULL, { 0 } },
  { "clear-baseline", clear_baseline_activated, NULL, NULL, NULL, { 0 } },
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

  if (action == NULL)
    rs_window_set_presentation (self, FALSE);
  else
    g_action_group_activate_action (G_ACTION_GROUP (self), action, NULL);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* screenshot                                                           */

static void
shot_data_free (gpointer data)
{
  ShotData *shot = data;

  g_clear_handle_id (&shot->timeout_id, g_source_remove);
  g_clear_handle_id (&shot->idle_id, g_source_remove);
  if (shot->clock != NULL)
    {
      g_clear_signal_handler (&shot->after_paint_id, shot->clock);
      g_clear_object (&shot->clock);
    }
  g_free (shot->path);
  g_free (shot);
}

static void
screenshot_finish_task (RsWindow *self,
                        GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->screenshot);

  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
rs_window_save_png (RsWindow    *self,
                    const char  *path,
                    GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: the window has not been drawn", path);
      return FALSE;
    }

  /* The window draws itself into a render node, which the window's own
   * renderer turns into a texture: exactly the pixels on screen. */
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: the window drew nothing", path);
      return FALSE;
    }

  g_autoptr(GdkTexture) texture =
    gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture == NULL || !gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: could not write the PNG file", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
screenshot_render_cb (gpointer data)
{
  RsWindow *self = data;
  ShotData *shot = g_task_get_task_data (self->screenshot);
  GError *error = NULL;

  shot->idle_id = 0;
  if (!rs_window_save_png (self, shot->path, &error))
    screenshot_finish_task (self, error);
  else
    screenshot_finish_task (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Whether every plot on screen shows the window's snapshot: the views draw
 * new snapshots off the main thread, a frame or two after they arrive. */
static gboolean
plots_current (RsWindow *self)
{
  for (int i = 0; i < N_VIEWS; i++)
    if (gtk_widget_get_mapped (GTK_WIDGET (self->views[i]))
        && rs_plot_view_get_drawn_snapshot (self->views[i]) != self->snapshot)
      return FALSE;
  return TRUE;
}

static void
screenshot_after_paint (GdkFrameClock *clock,
                        RsWindow      *self)
{
  ShotData *shot = g_task_get_task_data (self->screenshot);

  /* Two painted frames after the plots show the final snapshot: the first
   * may still carry a layout change (labels grow as numbers appear). A run
   * still going may never let the plots catch up: then at most
   * RS_SCREENSHOT_MAX_WAITS frames are waited for. */
  if (!plots_current (self) && ++shot->waits < RS_SCREENSHOT_MAX_WAITS)
    {
      shot->paints = 0;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (++shot->paints < 2)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  g_clear_signal_handler (&shot->after_paint_id, clock);
  if (shot->idle_id == 0)
    shot->idle_id = g_idle_add (screenshot_render_cb, self);
}

static void
screenshot_start_drawing (RsWindow *self,
                          ShotData *shot)
{
  shot->phase = SHOT_DRAWING;
  shot->paints = 0;
  shot->waits = 0;
  shot->clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (shot->clock == NULL)
    {
      screenshot_finish_task (self, g_error_new (RS_ERROR, RS_ERROR_IO,
                                                 "%s: the window is not shown", shot->path));
      return;
    }
  g_object_ref (shot->clock);
  shot->after_paint_id = g_signal_connect (shot->clock, "after-paint",
                                           G_CALLBACK (screenshot_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
screenshot_poll (RsWindow *self)
{
  ShotData *shot = g_task_get_task_data (self->screenshot);

  if (shot->phase != SHOT_TRAINING || self->snapshot == NULL)
    return;

  if (self->snapshot->steps_done < shot->steps && self->shown_state != RS_TRAINER_DIVERGED)
    return;
  screenshot_start_drawing (self, shot);
}

static gboolean
screenshot_timeout_cb (gpointer data)
{
  RsWindow *self = data;
  ShotData *shot = g_task_get_task_data (self->screenshot);

  shot->timeout_id = 0;
  screenshot_finish_task (self, g_error_new (RS_ERROR, RS_ERROR_IO,
                                             "%s: timed out waiting for the window to be drawn",
                                             shot->path));
  return G_SOURCE_REMOVE;
}

void
rs_window_screenshot_async (RsWindow            *self,
                            const char          *path,
                            gint64               steps,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (RS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rs_window_screenshot_async);

  if (self->screenshot != NULL || self->trainer == NULL)
    {
      g_task_return_new_error (task, RS_ERROR, RS_ERROR_VALUE,
                               "%s: %s", path, self->trainer == NULL
                               ? "no lesson is loaded" : "a screenshot is already pending");
      g_object_unref (task);
      return;
    }

  ShotData *shot = g_new0 (ShotData, 1);
  shot->path = g_strdup (path);
  shot->steps = MAX (steps, 0);
  g_task_set_task_data (task, shot, shot_data_free);
  self->screenshot = task;
  shot->timeout_id = g_timeout_add_seconds (RS_SCREENSHOT_TIMEOUT_S, screenshot_timeout_cb, self);

  if (shot->steps > 0)
    {
      /* Exactly N single steps (queued while paused; they may go past the
       * lesson's end): the picture shows step N, not wherever a free run
       * happened to be when a frame came. */
      for (gint64 i = 0; i < shot->steps; i++)
        rs_trainer_step (self->trainer);
      shot->phase = SHOT_TRAINING;
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    screenshot_start_drawing (self, shot);
  else
    {
      /* Drawing starts on the first tick, once the window is mapped. */
      shot->phase = SHOT_TRAINING;
    }
}

gboolean
rs_window_screenshot_finish (RsWindow      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* window state                                                         */

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

  save_state (self);

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

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->screenshot != NULL)
    screenshot_finish_task (self, g_error_new (RS_ERROR, RS_ERROR_IO,
                                               "the window was closed before the screenshot"));
  clear_chooser (self);

  /* Joins the worker: it finishes the step it is in and exits. */
  g_clear_pointer (&self->trainer, rs_trainer_free);
  g_clear_pointer (&self->snapshot, rs_snapshot_unref);
  g_clear_pointer (&self->baseline, rs_history_free);
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
  g_type_ensure (RS_TYPE_LAYER_ROW);
  g_type_ensure (RS_TYPE_LESSON_INFO);
  g_type_ensure (RS_TYPE_PLOT_VIEW);
  g_type_ensure (RS_TYPE_STATUS_LINE);

  object_class->constructed = rs_window_constructed;
  object_class->dispose = rs_window_dispose;
  object_class->finalize = rs_window_finalize;
  object_class->get_property = rs_window_get_property;
  object_class->set_property = rs_window_set_property;

  widget_class->realize = rs_window_realize;
  window_class->close_request = rs_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_image);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, play_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, presentation_bar);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_image);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_play_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_lesson_button);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, bar_lesson_label);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lesson_info);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, optimizer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, lr_control);
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
  gtk_widget_class_bind_template_child (widget_class, RsWindow, dashboard_view);
  gtk_widget_class_bind_template_child (widget_class, RsWindow, status_line);
}

static void
rs_window_init (RsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->layer_rows = g_ptr_array_new ();
  self->speed = speed_values[1];
  self->shown_state = RS_TRAINER_PAUSED;

  self->views[VIEW_LOSS] = self->loss_view;
  self->views[VIEW_HISTOGRAMS] = self->histograms_view;
  self->views[VIEW_WEIGHTS] = self->weights_view;
  self->views[VIEW_ACTIVATIONS] = self->activations_view;
  self->views[VIEW_TIME] = self->time_view;
  self->views[VIEW_DIGITS] = self->digits_view;
  self->views[VIEW_BOUNDARY] = self->boundary_view;
  self->views[VIEW_DASHBOARD] = self->dashboard_view;

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);

  gtk_drop_down_set_selected (self->speed_dropdown, 1);
  g_signal_connect (self->speed_dropdown, "notify::selected",
                    G_CALLBACK (on_speed_selected), self);
  g_signal_connect (self->optimizer_dropdown, "notify::selected",
                    G_CALLBACK (on_optimizer_selected), self);
  g_signal_connect (self->lr_control, "changed", G_CALLBACK (on_lr_changed), self);

  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  /* The shortcuts window, also without a GtkApplication (tests). */
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RS_RESOURCE_PREFIX "/ui/rs-shortcuts-window.ui");
  GtkShortcutsWindow *overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);

  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);

  build_lesson_menu (self);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  update_play_button (self);
  update_actions (self);
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
