/* rs-lessons.c — the data folder and the lessons in it. */
#include "rs-lessons.h"

#include <glib/gi18n.h>
#include <pthread.h>
#include <string.h>

#include "rs-dataset.h"
#include "rs-error.h"

static GKeyFile *uninstalled = NULL;
static char     *data_dir = NULL;

/* The nearest regscope-uninstalled.ini in the program's folder or above
 * it: meson writes it into the build folder and never installs it. A
 * program in the installed bindir does not look, so an installed program
 * knows only its prefix, and a build never reads an installed copy. */
static void
find_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return;
  g_autofree char *dir = g_path_get_dirname (exe);
  if (g_str_equal (dir, RS_INSTALLED_BINDIR))
    return;
  while (TRUE)
    {
      g_autofree char *path = g_build_filename (dir, "regscope-uninstalled.ini", NULL);
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      if (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
        {
          uninstalled = g_steal_pointer (&kf);
          return;
        }
      g_autofree char *parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        return;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
}

char *
rs_uninstalled_path (const char *key)
{
  /* pthread_once rather than g_once: ThreadSanitizer sees it. */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, find_uninstalled);
  return uninstalled != NULL ? g_key_file_get_value (uninstalled, "regscope", key, NULL) : NULL;
}

static void
find_data_dir (void)
{
  const char *env = g_getenv ("REGSCOPE_DATADIR");
  if (env != NULL && *env != '\0')
    data_dir = g_strdup (env);
  else if ((data_dir = rs_uninstalled_path ("datadir")) == NULL)
    data_dir = g_strdup (RS_INSTALLED_DATADIR);
}

const char *
rs_data_dir (void)
{
  /* pthread_once rather than g_once: ThreadSanitizer sees it. */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, find_data_dir);
  return data_dir;
}

char *
rs_lesson_resolve (const char *name_or_path)
{
  if (strchr (name_or_path, '/') != NULL || g_str_has_suffix (name_or_path, ".ini")
      || rs_lesson_is_csv (name_or_path))
    return g_strdup (name_or_path);
  g_autofree char *file = g_strconcat (name_or_path, ".ini", NULL);
  char *path = g_build_filename (rs_data_dir (), "presets", file, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

gboolean
rs_lesson_is_csv (const char *path)
{
  gsize len = strlen (path);
  return len >= 4 && g_ascii_strcasecmp (path + len - 4, ".csv") == 0;
}

/* A CSV opened as a lesson: the default model with its input and output
 * widths taken from the data, and settings that train other people's
 * files sensibly: standardised features (their scales are arbitrary), a
 * held-out fifth, and enough steps to see a curve. */
static RsExperiment *
lesson_for_csv (const char *path, GError **error)
{
  g_autoptr (RsDataset) data = rs_dataset_load_csv (path, error);
  if (data == NULL)
    return NULL;
  g_autofree char *name = g_filename_display_name (path);
  if (data->features > RS_MAX_UNITS || data->classes > RS_MAX_UNITS)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                   _("%s: %d features and %d classes: a network here has at most %d units "
                     "in a layer"), name, data->features, data->classes, RS_MAX_UNITS);
      return NULL;
    }

  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_free (exp->title);
  exp->title = g_path_get_basename (name);
  g_free (exp->description);
  exp->description = rs_dataset_describe (data);
  exp->source = RS_DATA_CSV;
  exp->csv_path = g_canonicalize_filename (path, NULL);
  exp->validation = 0.2;
  exp->standardize = TRUE;
  exp->batch_size = data->n > 2048 ? 64 : 0;
  exp->epochs = 100;
  exp->n_layers = 2;
  exp->sizes[0] = data->features;
  exp->sizes[1] = 32;
  exp->sizes[2] = data->classes;
  exp->optimizer.lr = 0.01;
  if (!rs_experiment_validate (exp, error))
    return NULL;
  return g_steal_pointer (&exp);
}

RsExperiment *
rs_lesson_load (const char *path, GError **error)
{
  if (rs_lesson_is_csv (path))
    return lesson_for_csv (path, error);
  return rs_experiment_load (path, error);
}

static gint
compare_lessons (gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;
  gboolean dx = g_str_equal (x, RS_DEFAULT_LESSON), dy = g_str_equal (y, RS_DEFAULT_LESSON);
  if (dx != dy)
    return dx ? -1 : 1;
  return strcmp (x, y);
}

char **
rs_lesson_list (void)
{
  g_autofree char *dirname = g_build_filename (rs_data_dir (), "presets", NULL);
  GPtrArray *names = g_ptr_array_new ();
  GDir *dir = g_dir_open (dirname, 0, NULL);
  if (dir != NULL)
    {
      const char *entry;
      while ((entry = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (entry, ".ini"))
          g_ptr_array_add (names, g_strndup (entry, strlen (entry) - 4));
      g_dir_close (dir);
    }
  g_ptr_array_sort (names, compare_lessons);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

