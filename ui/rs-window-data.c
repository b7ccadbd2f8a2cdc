/* rs-window-data.c — changing what the window trains: the data panel and
 * the network editor, a CSV chosen with Open CSV… or dropped on the window.
 *
 * A change builds a complete new run beside the one in use (the data read,
 * the widths fitted to them, a session initialised from the seed) and only
 * then replaces it, as Reset would, keeping the pinned baseline to compare
 * with. A change that cannot be built leaves everything as it was. */
#include "rs-window-private.h"

#include <glib/gi18n.h>

#include "rs-error.h"
#include "rs-lessons.h"

char *
_rs_window_data_sentence (const RsDataset *train,
                          const RsDataset *val)
{
  if (train == NULL)
    return g_strdup ("");
  /* The rows of both sides, described as one set (as the file holds them). */
  RsDataset all = *train;
  all.n += val != NULL ? val->n : 0;
  return rs_dataset_describe (&all);
}

void
_rs_window_show_data (RsWindow        *self,
                      const RsCsvInfo *info,
                      const char      *sentence)
{
  RsCsvInfo read = { 0 };

  if (info == NULL && self->experiment->source == RS_DATA_CSV)
    {
      /* The run was built from this file a moment ago: the preview reads
       * its first rows again (a failure only leaves the preview empty). */
      g_autoptr(RsDataset) again = rs_session_load_data (self->experiment, &read, NULL);
      info = &read;
    }
  self->updating = TRUE;
  rs_data_panel_set_experiment (self->data_panel, self->experiment);
  rs_network_editor_set_experiment (self->network_editor, self->experiment);
  self->updating = FALSE;
  rs_data_panel_set_preview (self->data_panel, info, sentence);
  rs_csv_info_clear (&read);
}

/* "iris.csv", "wine" */
static char *
data_name (const RsExperiment *exp)
{
  GString *s = g_string_new (NULL);

  rs_lesson_append_data_name (s, exp);
  return g_string_free (s, FALSE);
}

/* "iris 4-32-3" */
static char *
describe_run (const RsExperiment *exp)
{
  GString *s = g_string_new (NULL);

  rs_lesson_append_data_name (s, exp);
  g_string_append_c (s, ' ');
  rs_lesson_append_sizes (s, exp);
  return g_string_free (s, FALSE);
}

static gboolean
change_experiment (RsWindow      *self,
                   RsExperiment  *exp,
                   GError       **error)
{
  RsCsvInfo info = { 0 };
  g_autoptr(RsDataset) data = rs_session_load_data (exp, &info, error);
  if (data == NULL)
    return FALSE;

  /* The data decide the network's ends. */
  exp->sizes[0] = data->features;
  exp->sizes[exp->n_layers] = data->classes;
  /* A description that only said what the old data held (a CSV opened as
   * a lesson) says what the new ones hold. */
  if (exp->description != NULL && *exp->description != '\0'
      && g_strcmp0 (exp->description, rs_data_panel_get_sentence (self->data_panel)) == 0)
    {
      g_free (exp->description);
      exp->description = rs_dataset_describe (data);
      g_clear_pointer (&exp->description_untranslated, g_free);
    }
  /* A lesson that is a data file (a CSV opened as a lesson) is named after
   * it, and is that file: new data, the new data's name and file (none
   * for a shipped set or a generator). */
  g_autofree char *old_name = data_name (self->experiment);
  g_autofree char *data_path = NULL;
  const char *path = self->lesson_path;
  if (g_strcmp0 (exp->title, old_name) == 0)
    {
      g_free (exp->title);
      exp->title = data_name (exp);
      g_clear_pointer (&exp->title_untranslated, g_free);
      if (exp->source == RS_DATA_CSV || exp->source == RS_DATA_IDX)
        data_path = g_strdup (exp->csv_path);
      path = data_path;
    }
  RsSession *session = rs_session_new (exp, error);
  if (session == NULL)
    {
      rs_csv_info_clear (&info);
      return FALSE;
    }

  g_autofree char *before = describe_run (self->experiment);
  g_autofree char *after = describe_run (exp);
  guint64 seed = exp->seed;
  _rs_window_install_run (self, exp, session, path, TRUE, &info);
  rs_csv_info_clear (&info);

  if (g_strcmp0 (before, after) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("%s → %s: started again from seed %llu"),
                                               before, after, (unsigned long long) seed);
      _rs_window_show_message (self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Data changed: started again from seed %llu"),
                                               (unsigned long long) seed);
      _rs_window_show_message (self, text);
    }
  return TRUE;
}

gboolean
rs_window_change_data (RsWindow  *self,
                       GError   **error)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  if (self->experiment == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "there is no lesson to change");
      return FALSE;
    }
  RsExperiment *exp = _rs_window_current_experiment (self);
  rs_data_panel_apply (self->data_panel, exp);
  rs_network_editor_apply (self->network_editor, exp);
  /* Without validation data early stopping has nothing to watch (and a
   * preset with it on would not load): it goes off with them. */
  if (exp->validation <= 0)
    exp->early_stopping.patience = 0;
  if (!change_experiment (self, exp, error))
    {
      rs_experiment_free (exp);
      /* The panels go back to the run in use. */
      g_autofree char *sentence = g_strdup (rs_data_panel_get_sentence (self->data_panel));
      _rs_window_show_data (self, NULL, sentence);
      return FALSE;
    }
  return TRUE;
}

static void
on_data_changed (RsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating || self->changing_data || self->experiment == NULL)
    return;
  /* The panels show the new run while it is installed: not a change. */
  self->changing_data = TRUE;
  gboolean ok = rs_window_change_data (self, &error);
  self->changing_data = FALSE;
  if (!ok)
    _rs_window_show_message (self, error->message);
}

void
rs_window_open_data_file (RsWindow   *self,
                          const char *path)
{
  g_return_if_fail (RS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!rs_lesson_is_csv (path))
    {
      rs_window_open_lesson (self, path);
      return;
    }
  gtk_expander_set_expanded (self->data_expander, TRUE);
  rs_data_panel_set_csv (self->data_panel, path); /* ::changed does the rest */
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         RsWindow      *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      file = files != NULL ? files->data : NULL;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;

  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *text = g_strdup_printf (_("%s: only a local file can be opened"), uri);
      _rs_window_show_message (self, text);
      return FALSE;
    }
  rs_window_open_data_file (self, path);
  return TRUE;
}

void
_rs_window_data_init (RsWindow *self)
{
  /* GTK 4.8's expander still hands Tab to a collapsed child, which is out
   * of the window then: a hidden child takes no focus. */
  g_object_bind_property (self->data_expander, "expanded", self->data_panel, "visible",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->network_expander, "expanded", self->network_editor, "visible",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->data_panel, "changed", G_CALLBACK (on_data_changed), self);
  g_signal_connect_swapped (self->network_editor, "changed", G_CALLBACK (on_data_changed), self);

  /* Files from a file manager: a CSV becomes the data, a preset the lesson. */
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

RsDataPanel *
rs_window_get_data_panel (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  return self->data_panel;
}

RsNetworkEditor *
rs_window_get_network_editor (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  return self->network_editor;
}
