/* ui-fixtures.c — see ui-fixtures.h. */
#include "ui-fixtures.h"

#include <glib/gstdio.h>

#define WAIT_SECONDS    30
#define WAIT_ITERATIONS 1000000

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (WAIT_SECONDS, set_flag_cb, &timed_out);

  for (int i = 0; i < WAIT_ITERATIONS && !timed_out; i++)
    {
      if (condition (data))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (timeout_id);
  return condition (data);
}

gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

char *
preset_path (const char *name)
{
  const char *datadir = g_getenv ("REGSCOPE_DATADIR");

  g_assert_nonnull (datadir);
  g_autofree char *file = g_strconcat (name, ".ini", NULL);
  return g_build_filename (datadir, "presets", file, NULL);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = preset_path (data != NULL ? data : "seed-l1");

  f->tmpdir = g_dir_make_tmp ("regscope-ui-XXXXXX", &error);
  g_assert_no_error (error);

  f->window = rs_window_new (NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  g_assert_true (rs_window_load_lesson (f->window, path, &error));
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wait_for (is_mapped, f->window));
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  /* The window (and with it the trainer thread) must really go away. */
  g_assert_true (wait_for (is_null, &f->window));

  g_autoptr(GDir) dir = g_dir_open (f->tmpdir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->tmpdir);
  g_free (f->tmpdir);
}

GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
is_menu_button_with_icon (GtkWidget     *widget,
                          gconstpointer  icon)
{
  return GTK_IS_MENU_BUTTON (widget)
         && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), icon) == 0;
}

typedef struct {
  GdkFrameClock *clock;
  gint64         until;
} FrameWait;

static gboolean
frames_passed (gpointer data)
{
  FrameWait *w = data;

  return gdk_frame_clock_get_frame_counter (w->clock) >= w->until;
}

/* A few frames, so that style changes (the presentation type) are applied
 * and laid out. The window's tick callback keeps the clock running. */
void
wait_frames (GtkWidget *widget,
             int        n)
{
  FrameWait w = { gtk_widget_get_frame_clock (widget), 0 };

  g_assert_nonnull (w.clock);
  w.until = gdk_frame_clock_get_frame_counter (w.clock) + n;
  gtk_widget_queue_resize (widget);
  g_assert_true (wait_for (frames_passed, &w));
}


RsSnapshot *
synced_snapshot (Fixture *f)
{
  RsTrainer *trainer = rs_window_get_trainer (f->window);

  g_assert_nonnull (trainer);
  rs_trainer_sync (trainer);
  return rs_trainer_get_snapshot (trainer);
}
