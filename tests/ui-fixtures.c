/* ui-fixtures.c — see ui-fixtures.h. */
#include "ui-fixtures.h"

#include <string.h>

#include <stdio.h>
#include <glib/gstdio.h>

#define WAIT_SECONDS    30
#define WAIT_ITERATIONS 1000000

/* The test AT context (GTK_A11Y=test) prints every state change on
 * stdout, which is the TAP stream: those lines go to stderr. */
static void
print_handler (const char *text)
{
  FILE *out = g_str_has_prefix (text, "Accessible state changed") ? stderr : stdout;

  fputs (text, out);
  fflush (out);
}

gboolean
ui_test_init (int    *argc,
              char ***argv)
{
  g_set_print_handler (print_handler);
  /* Under `meson test` without Xvfb there is nothing to draw on. */
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return FALSE;
    }
  g_test_init (argc, argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

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
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

const char *
shown_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

gboolean
shows_text_containing (GtkWidget     *widget,
                       gconstpointer  text)
{
  const char *shown = shown_text (widget);
  return shown != NULL && strstr (shown, text) != NULL;
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

gboolean
trainer_has_layer_value (gpointer data)
{
  LayerValueWait *w = data;
  g_autoptr(RsSnapshot) snap = synced_snapshot (w->f);
  const RsLayerReg *reg = &snap->experiment->layer[w->layer];

  return G_STRUCT_MEMBER (double, reg, w->offset) == w->value;
}

void
take_steps (Fixture *f, int n)
{
  RsTrainer *trainer = rs_window_get_trainer (f->window);

  for (int i = 0; i < n; i++)
    rs_trainer_step (trainer);
  rs_trainer_sync (trainer);
  rs_window_poll (f->window);
}

GtkEventController *
find_key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (c)
          && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        return c;
    }
  return NULL;
}

gboolean
window_takes_key (RsWindow *window,
                  guint     keyval)
{
  GtkEventController *keys = find_key_controller (GTK_WIDGET (window));
  gboolean handled = FALSE;

  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

void
assert_accessible_name (GtkWidget  *widget,
             const char *expected)
{
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                              expected);
  if (diff != NULL)
    g_error ("%s: %s, expected “%s”", G_OBJECT_TYPE_NAME (widget), diff, expected);
}

/* `widget` lies inside `area` (its allocation in `area`'s coordinates) and
 * got at least the width and height it asks for: nothing is cut off. */
void
assert_fits (GtkWidget  *widget,
             GtkWidget  *area,
             int         width,
             int         height,
             const char *what)
{
  graphene_rect_t b;
  int min_w, min_h;

  g_assert_true (gtk_widget_compute_bounds (widget, area, &b));
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, (int) b.size.width, &min_h, NULL, NULL, NULL);
  if (b.origin.x < -0.5 || b.origin.y < -0.5
      || b.origin.x + b.size.width > width + 0.5 || b.origin.y + b.size.height > height + 0.5
      || b.size.width + 0.5 < min_w || b.size.height + 0.5 < min_h)
    g_error ("%s at %dx%d: %.0f,%.0f %.0fx%.0f (needs %dx%d)", what, width, height,
             b.origin.x, b.origin.y, b.size.width, b.size.height, min_w, min_h);
}

int
assert_window_fits (RsWindow *window,
                    int       width,
                    int       height)
{
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (window));
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *tabs = find_widget (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK_SWITCHER));
  GtkWidget *plot_menu = find_widget (root, is_menu_button_with_icon, "view-more-symbolic");
  GtkStack *stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (tabs));
  GtkPaned *paned = GTK_PANED (find_widget (content, is_type, GSIZE_TO_POINTER (GTK_TYPE_PANED)));
  int min_w, min_h, bar_h = 0;

  g_assert_nonnull (plot_menu);
  /* Fullscreen hides the title bar; where it is not hidden, it counts. */
  if (titlebar != NULL && gtk_widget_get_mapped (titlebar))
    {
      gtk_widget_measure (titlebar, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      g_assert_cmpint (min_w, <=, width);
      gtk_widget_measure (titlebar, GTK_ORIENTATION_VERTICAL, width, &bar_h, NULL, NULL, NULL);
      gtk_widget_size_allocate (titlebar, &(GtkAllocation) { 0, 0, width, bar_h }, -1);
      for (GtkWidget *b = gtk_widget_get_first_child (titlebar); b != NULL;
           b = gtk_widget_get_next_sibling (b))
        assert_fits (b, titlebar, width, bar_h, "the header bar");
    }
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  g_assert_cmpint (min_w, <=, width);
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, width, &min_h, NULL, NULL, NULL);
  g_assert_cmpint (min_h + bar_h, <=, height);

  int h = height - bar_h;
  gtk_widget_size_allocate (content, &(GtkAllocation) { 0, 0, width, h }, -1);
  for (GtkWidget *tab = gtk_widget_get_first_child (tabs); tab != NULL;
       tab = gtk_widget_get_next_sibling (tab))
    if (gtk_widget_get_visible (tab))
      assert_fits (tab, content, width, h, "a plot tab");
  assert_fits (plot_menu, content, width, h, "the plot menu");
  assert_fits (gtk_stack_get_visible_child (stack), content, width, h, "the plot");
  assert_fits (gtk_paned_get_start_child (paned), content, width, h, "the sidebar");
  assert_fits (GTK_WIDGET (rs_window_get_status_line (window)), content, width, h,
               "the status line");
  return h;
}
