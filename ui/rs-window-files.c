/* rs-window-files.c — what the window reads and writes: plot exports,
 * saved sessions, the lesson as a preset, the state kept between runs, and
 * the one file-chooser helper behind Open, Export, Save Session and Save
 * Lesson As. Every file goes through rs-atomic-file (directly or through
 * rs_plot_export): nothing half-written is left behind. */
#include "rs-window-private.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>

#include "rs-atomic-file.h"
#include "rs-error.h"
#include "rs-lessons.h"
#include "rs-session.h"

static const char *
kind_title (RsPlotKind kind)
{
  switch (kind)
    {
    case RS_PLOT_DASHBOARD:      return _("Dashboard (everything)");
    case RS_PLOT_LOSS:           return _("Loss curves");
    case RS_PLOT_HISTOGRAMS:     return _("Weight histograms");
    case RS_PLOT_HISTOGRAM_TIME: return _("Histograms over time");
    case RS_PLOT_WEIGHTS:        return _("Weight heatmaps");
    case RS_PLOT_ACTIVATIONS:    return _("Activations");
    case RS_PLOT_DIGIT_TILES:    return _("Digit tiles");
    case RS_PLOT_BOUNDARY:       return _("Decision boundary");
    case RS_PLOT_CONFUSION:      return _("Confusion matrix");
    case RS_PLOT_N_KINDS:
    default:                     return "?";
    }
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
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: there is no lesson to export"), path);
      return FALSE;
    }

  const char *dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL
      || !rs_export_format_from_string (dot + 1, &format))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: unknown format; the file name must end in .png, .svg or .pdf"), path);
      return FALSE;
    }
  if (!rs_plot_kind_applies (kind, self->snapshot))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: the %s plot does not apply to this lesson's data"),
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

  /* With a twin: its loss (A and B) and its dashboard */
  if (self->compare && (kind == RS_PLOT_LOSS || kind == RS_PLOT_DASHBOARD))
    {
      if (!_rs_window_twin_export (self, path, format, kind, &style, width, height, scale,
                                   error))
        return FALSE;
    }
  else if (!rs_plot_export (path, format, kind, &style, self->snapshot, self->baseline,
                            width, height, scale, error))
    return FALSE;

  /* Say where it went: the chooser may have been answered in a hurry. */
  g_autofree char *text = g_strdup_printf (_("Exported %s to %s"), kind_title (kind), path);
  _rs_window_show_message (self, text);
  return TRUE;
}

gboolean
rs_window_save_session_to_file (RsWindow    *self,
                                const char  *path,
                                GError     **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (self->trainer == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: there is no lesson to save"), path);
      return FALSE;
    }
  /* (with the Sweep page's settings, as Save Lesson As) */
  if (!rs_trainer_save_session_amended (self->trainer, path,
                                        _rs_window_sweep_amend_cb, self,
                                        error))
    return FALSE;

  g_autofree char *text = g_strdup_printf (_("Saved the session to %s (replay it with "
                                             "regscope-train --replay)"), path);
  _rs_window_show_message (self, text);
  return TRUE;
}

gboolean
rs_window_save_lesson_to_file (RsWindow    *self,
                               const char  *path,
                               GError     **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (self->experiment == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: there is no lesson to save"), path);
      return FALSE;
    }
  g_autoptr(RsExperiment) exp = _rs_window_current_experiment (self);
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
void
_rs_window_save_state (RsWindow *self)
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

/* ------------------------------------------------------------------ */
/* file choosers                                                        */

/* The four choosers (open a lesson, export a plot, save the session, save
 * the lesson) differ only in what this says. GTK 4.8 has no GtkFileDialog:
 * GtkFileChooserNative is the portal's dialog where there is one. */
typedef struct {
  const char           *title;
  GtkFileChooserAction  action;
  const char           *accept_label;
  const char           *filters[7];      /* name, pattern, …, NULL */
  const char           *name_suffix;     /* save: "<lesson><suffix>" */
  /* Before it is shown: what depends on the window (export's plot choice). */
  void (*prepare)  (RsWindow *self, GtkFileChooser *chooser);
  /* The path chosen; the chooser is still open to read choices from. */
  void (*chosen)   (RsWindow *self, GtkFileChooser *chooser, const char *path);
} RsFileRequest;

GtkFileChooser *
rs_window_get_file_chooser (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);

  return self->chooser != NULL ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}

void
_rs_window_close_chooser (RsWindow *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->chooser, self);
  gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
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
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  RsWindow        *self)
{
  const RsFileRequest *request = g_object_get_data (G_OBJECT (dialog), "rs-request");
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT
                          ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog)) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  /* The dialog stays alive until `chosen` has read it. */
  g_object_ref (dialog);
  if (path != NULL)
    request->chosen (self, GTK_FILE_CHOOSER (dialog), path);
  if (self->chooser == dialog)
    _rs_window_close_chooser (self);
  g_object_unref (dialog);
}

static void
choose_file (RsWindow            *self,
             const RsFileRequest *request)
{
  _rs_window_close_chooser (self);
  GtkFileChooserNative *native = gtk_file_chooser_native_new (_(request->title), GTK_WINDOW (self),
                                                              request->action,
                                                              _(request->accept_label), _("_Cancel"));
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (native);

  self->chooser = GTK_NATIVE_DIALOG (native);
  g_object_set_data (G_OBJECT (native), "rs-request", (gpointer) request);
  for (int i = 0; request->filters[i] != NULL; i += 2)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(request->filters[i]));
      gtk_file_filter_add_pattern (filter, request->filters[i + 1]);
      gtk_file_chooser_add_filter (chooser, filter);
    }
  if (request->name_suffix != NULL)
    {
      g_autofree char *base = lesson_basename (self);
      g_autofree char *name = g_strconcat (base, request->name_suffix, NULL);
      gtk_file_chooser_set_current_name (chooser, name);
    }
  if (request->prepare != NULL)
    request->prepare (self, chooser);

  g_signal_connect (native, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

/* open a lesson */

static void
open_prepare (RsWindow       *self,
              GtkFileChooser *chooser)
{
  g_autofree char *presets = g_build_filename (rs_data_dir (), "presets", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (presets);

  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
open_chosen (RsWindow       *self,
             GtkFileChooser *chooser,
             const char     *path)
{
  rs_window_open_lesson (self, path);
}

static const RsFileRequest open_request = {
  N_("Open Lesson"), GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Open"),
  { N_("Lessons (*.ini)"), "*.ini", N_("Data for a new network (*.csv)"), "*.csv",
    N_("All files"), "*", NULL },
  NULL, open_prepare, open_chosen,
};

void
_rs_window_choose_lesson (RsWindow *self)
{
  choose_file (self, &open_request);
}

/* export a plot */

static void
export_prepare (RsWindow       *self,
                GtkFileChooser *chooser)
{
  const char *ids[RS_PLOT_N_KINDS + 1] = { NULL };
  const char *labels[RS_PLOT_N_KINDS + 1] = { NULL };
  int n = 0;

  /* The plot is a choice in the dialog: the visible page's plot, listed
   * first so that it is also the default where a dialog ignores the
   * preset choice, then the others that apply. */
  RsPlotKind current = rs_window_get_current_plot_kind (self);
  ids[n] = rs_plot_kind_to_string (current);
  labels[n++] = kind_title (current);
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    if ((RsPlotKind) k != current && rs_plot_kind_applies (k, self->snapshot))
      {
        ids[n] = rs_plot_kind_to_string (k);
        labels[n] = kind_title (k);
        n++;
      }
  gtk_file_chooser_add_choice (chooser, "kind", _("Plot:"), ids, labels);
  gtk_file_chooser_set_choice (chooser, "kind", ids[0]);

  g_autofree char *base = lesson_basename (self);
  g_autofree char *name = g_strdup_printf ("%s-%s.png", base, rs_plot_kind_to_string (current));
  gtk_file_chooser_set_current_name (chooser, name);
}

static void
export_chosen (RsWindow       *self,
               GtkFileChooser *chooser,
               const char     *chosen)
{
  g_autoptr(GError) error = NULL;
  RsPlotKind kind = rs_window_get_current_plot_kind (self);
  const char *choice = gtk_file_chooser_get_choice (chooser, "kind");

  if (choice != NULL)
    rs_plot_kind_from_string (choice, &kind);

  /* No extension: PNG, the format slides want. */
  g_autofree char *base = g_path_get_basename (chosen);
  g_autofree char *path = strchr (base, '.') == NULL ? g_strconcat (chosen, ".png", NULL)
                                                     : g_strdup (chosen);

  if (!rs_window_export_to_file (self, path, kind, &error))
    _rs_window_show_error (self, _("Could not export the plot"), error->message);
}

static const RsFileRequest export_request = {
  N_("Export Plot"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Export"),
  { N_("PNG image"), "*.png", N_("SVG drawing"), "*.svg", N_("PDF document"), "*.pdf", NULL },
  NULL, export_prepare, export_chosen,
};

void
_rs_window_choose_export (RsWindow *self)
{
  if (self->snapshot != NULL)
    choose_file (self, &export_request);
}

/* save the session, save the lesson */

static void
session_chosen (RsWindow       *self,
                GtkFileChooser *chooser,
                const char     *path)
{  g_autoptr(GError) error = NULL;

  if (!rs_window_save_session_to_file (self, path, &error))
    _rs_window_show_error (self, _("Could not save the session"), error->message);
}

/* A session is a preset with a [replay] section. */
static const RsFileRequest session_request = {
  N_("Save Session"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Save"),
  { N_("Sessions (*.ini)"), "*.ini", N_("All files"), "*", NULL },
  "-session.ini", NULL, session_chosen,
};

void
_rs_window_choose_session (RsWindow *self)
{
  if (self->trainer != NULL)
    choose_file (self, &session_request);
}

static void
lesson_copy_chosen (RsWindow       *self,
                    GtkFileChooser *chooser,
                    const char     *path)
{  g_autoptr(GError) error = NULL;

  if (!rs_window_save_lesson_to_file (self, path, &error))
    _rs_window_show_error (self, _("Could not save the lesson"), error->message);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Saved the lesson to %s"), path);
      _rs_window_show_message (self, text);
    }
}

static const RsFileRequest lesson_copy_request = {
  N_("Save Lesson As"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Save"),
  { N_("Lessons (*.ini)"), "*.ini", N_("All files"), "*", NULL },
  "-mine.ini", NULL, lesson_copy_chosen,
};

void
_rs_window_choose_lesson_copy (RsWindow *self)
{
  if (self->experiment != NULL)
    choose_file (self, &lesson_copy_request);
}

/* open a CSV as the data */

static void
data_chosen (RsWindow       *self,
             GtkFileChooser *chooser,
             const char     *path)
{
  rs_window_open_data_file (self, path);
}

static const RsFileRequest data_request = {
  N_("Open Data"), GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Open"),
  { N_("CSV files (*.csv)"), "*.csv", N_("All files"), "*", NULL },
  NULL, NULL, data_chosen,
};

void
_rs_window_choose_data (RsWindow *self)
{
  choose_file (self, &data_request);
}
