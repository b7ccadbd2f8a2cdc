/* rs-application.c — GtkApplication subclass: windows, app actions,
 * accelerators, settings, style, and the --screenshot mode (rs-screenshot.c). */
#include "rs-application.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-lessons.h"
#include "rs-pool.h"
#include "rs-screenshot.h"
#include "rs-ui.h"
#include "rs-window.h"

#define RS_DEFAULT_SCREENSHOT_STEPS 300

/* The desktop's colour scheme (org.freedesktop.appearance color-scheme):
 * GTK 4.8 without libadwaita does not follow it by itself. */
typedef enum {
  PORTAL_UNKNOWN = -1,
  PORTAL_NO_PREFERENCE = 0,
  PORTAL_PREFER_DARK = 1,
  PORTAL_PREFER_LIGHT = 2,
} PortalScheme;

struct _RsApplication
{
  GtkApplication parent_instance;

  GSettings    *settings;           /* NULL: schema not found, or --screenshot */
  char         *style;              /* "system" | "light" | "dark" without settings */
  gboolean      initial_prefer_dark;
  PortalScheme  portal_scheme;
  GDBusConnection *bus;
  guint         portal_signal_id;

  char         *screenshot_path;
  gint64        screenshot_steps;
  gboolean      presentation;
  char         *page;
  char         *page_help;     /* --page's description in --help */
  int           exit_status;
};

G_DEFINE_FINAL_TYPE (RsApplication, rs_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Train the lesson, draw the window, save it as a PNG file and quit"), N_("FILE") },
  { "screenshot-steps", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("Steps to train before the screenshot (default 300)"), "N" },
  /* (its description, the page names, is filled in by rs_application_init) */
  { "page", 0, 0, G_OPTION_ARG_STRING, NULL, NULL, N_("PAGE") },
  { "presentation", 'p', 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in presentation mode (fullscreen, large type)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL, 0, 0, 0, NULL, NULL, NULL }
};

GSettings *
rs_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  /* Run from the build folder: the schema compiled there, ahead of any
   * installed copy (which may be older). */
  g_autofree char *build_dir = rs_uninstalled_path ("schemadir");
  g_autoptr(GSettingsSchemaSource) build = NULL;
  if (build_dir != NULL)
    build = g_settings_schema_source_new_from_directory (build_dir, source, FALSE, NULL);
  if (build != NULL)
    source = build;

  g_autoptr(GSettingsSchema) schema = NULL;
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RS_APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* style                                                                */

static char *
current_style (RsApplication *self)
{
  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "style");
  return g_strdup (self->style);
}

static void
apply_style (RsApplication *self)
{
  g_autofree char *style = current_style (self);
  gboolean dark;

  if (g_strcmp0 (style, "dark") == 0)
    dark = TRUE;
  else if (g_strcmp0 (style, "light") == 0)
    dark = FALSE;
  else if (self->portal_scheme == PORTAL_PREFER_DARK)
    dark = TRUE;
  else if (self->portal_scheme == PORTAL_PREFER_LIGHT)
    dark = FALSE;
  else
    dark = self->initial_prefer_dark;   /* what GTK's own settings said */

  /* The windows watch this property and switch their plots too. */
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
}

static void
set_portal_scheme (RsApplication *self,
                   GVariant      *value)
{
  /* Older portals wrap the value in one more variant. */
  g_autoptr(GVariant) inner = g_variant_ref (value);
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);
      g_variant_unref (inner);
      inner = next;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    {
      self->portal_scheme = (PortalScheme) g_variant_get_uint32 (inner);
      apply_style (self);
    }
}

static void
portal_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RsApplication) self = user_data;
  g_autoptr(GVariant) ret = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                           result, NULL);
  g_autoptr(GVariant) value = NULL;

  if (ret == NULL)
    return;   /* no portal: GTK's settings decide */
  g_variant_get (ret, "(v)", &value);
  set_portal_scheme (self, value);
}

static void
portal_setting_changed (GDBusConnection *connection,
                        const char      *sender,
                        const char      *path,
                        const char      *interface,
                        const char      *signal,
                        GVariant        *parameters,
                        gpointer         user_data)
{
  RsApplication *self = user_data;
  const char *ns, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (g_str_equal (ns, "org.freedesktop.appearance") && g_str_equal (key, "color-scheme"))
    set_portal_scheme (self, value);
}

static void
watch_portal (RsApplication *self)
{
  self->bus = g_application_get_dbus_connection (G_APPLICATION (self));
  if (self->bus == NULL)
    return;
  g_object_ref (self->bus);

  self->portal_signal_id =
    g_dbus_connection_signal_subscribe (self->bus, "org.freedesktop.portal.Desktop",
                                        "org.freedesktop.portal.Settings", "SettingChanged",
                                        "/org/freedesktop/portal/desktop",
                                        "org.freedesktop.appearance",
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        portal_setting_changed, self, NULL);
  /* NO_AUTO_START: a session without a portal answers at once. */
  g_dbus_connection_call (self->bus, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Settings", "Read",
                          g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000,
                          NULL, portal_read_cb, g_object_ref (self));
}

static void
on_style_setting_changed (GSettings     *settings,
                          const char    *key,
                          RsApplication *self)
{
  apply_style (self);
}

static void
style_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  RsApplication *self = user_data;
  const char *style = g_variant_get_string (state, NULL);

  if (!g_str_equal (style, "system") && !g_str_equal (style, "light")
      && !g_str_equal (style, "dark"))
    return;
  g_free (self->style);
  self->style = g_strdup (style);
  g_simple_action_set_state (action, state);
  apply_style (self);
}

/* ------------------------------------------------------------------ */
/* windows                                                              */

static void
screenshot_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RsApplication) self = user_data;
  RsWindow *window = RS_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!rs_screenshot_finish (window, result, &error))
    {
      g_printerr ("regscope: %s\n", error->message);
      self->exit_status = 1;
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (self));
}

static void
open_window (RsApplication *self,
             const char    *lesson)
{
  g_autoptr(GError) error = NULL;
  RsWindow *window = rs_window_new (GTK_APPLICATION (self), self->settings);

  if (!rs_window_load_lesson (window, lesson, &error))
    {
      if (self->screenshot_path != NULL)
        {
          g_printerr ("regscope: %s\n", error->message);
          self->exit_status = 1;
          gtk_window_destroy (GTK_WINDOW (window));
          return;
        }
      /* Show the default lesson behind the error, not an empty window. */
      if (g_strcmp0 (lesson, RS_DEFAULT_LESSON) != 0)
        rs_window_load_lesson (window, RS_DEFAULT_LESSON, NULL);
      gtk_window_present (GTK_WINDOW (window));
      rs_window_open_lesson (window, lesson);
      return;
    }

  if (self->presentation)
    rs_window_set_presentation (window, TRUE);
  if (self->page != NULL)
    rs_window_show_page (window, self->page);
  gtk_window_present (GTK_WINDOW (window));

  if (self->screenshot_path != NULL)
    rs_screenshot_async (window, self->screenshot_path, self->screenshot_steps,
                         NULL, screenshot_done, g_object_ref (self));
}

static void
rs_application_activate (GApplication *app)
{
  RsApplication *self = RS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL && self->screenshot_path == NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* The lesson of last time, if it is still there. */
  g_autofree char *last = self->settings != NULL && self->screenshot_path == NULL
                          ? g_settings_get_string (self->settings, "last-lesson") : NULL;
  g_autofree char *resolved = last != NULL && *last != '\0' ? rs_lesson_resolve (last) : NULL;
  if (resolved != NULL && !g_file_test (resolved, G_FILE_TEST_EXISTS))
    g_clear_pointer (&resolved, g_free);

  open_window (self, resolved != NULL ? resolved : RS_DEFAULT_LESSON);
}

/* `regscope seed-l1` arrives as a GFile for ./seed-l1: a file that does not
 * exist is taken as a lesson name. */
static void
rs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  RsApplication *self = RS_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      g_autofree char *name = g_file_get_basename (files[i]);

      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        open_window (self, path);
      else
        open_window (self, name);

      if (self->screenshot_path != NULL)
        break;   /* one picture */
    }
}

/* ------------------------------------------------------------------ */
/* app actions                                                          */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing (not just quitting the loop) saves each window's state and
   * joins its trainer thread; the app ends with its last window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *authors[] = { _("The regscope contributors"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", "regscope",
                         "logo-icon-name", RS_APPLICATION_ID,
                         "version", RS_VERSION,
                         "comments", _("See what L1, L2, weight decay and activity "
                                       "regularization do to each layer of a neural "
                                       "network while it trains."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
};

static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit",              { "<Control>q", NULL } },
};

static void
rs_application_startup (GApplication *app)
{
  RsApplication *self = RS_APPLICATION (app);

  G_APPLICATION_CLASS (rs_application_parent_class)->startup (app);

  /* Training takes every core but one: that one stays for drawing. */
  rs_pool_set_threads (MAX (1, rs_pool_cores () - 1));

  rs_ui_init_display (gdk_display_get_default ());
  gtk_window_set_default_icon_name (RS_APPLICATION_ID);

  /* A screenshot is reproducible: default size, light style, no memory. */
  if (self->screenshot_path == NULL)
    self->settings = rs_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), app);
  if (self->settings != NULL)
    {
      g_autoptr(GAction) style = g_settings_create_action (self->settings, "style");
      g_action_map_add_action (G_ACTION_MAP (app), style);
      g_signal_connect (self->settings, "changed::style",
                        G_CALLBACK (on_style_setting_changed), self);
    }
  else
    {
      g_autoptr(GSimpleAction) style =
        g_simple_action_new_stateful ("style", G_VARIANT_TYPE_STRING,
                                      g_variant_new_string (self->style));
      g_signal_connect (style, "change-state", G_CALLBACK (style_change_state), self);
      g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (style));
    }

  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action,
                                           accelerators[i].accels);
  rs_window_set_accels (GTK_APPLICATION (app));

  g_object_get (gtk_settings_get_default (),
                "gtk-application-prefer-dark-theme", &self->initial_prefer_dark,
                NULL);
  apply_style (self);
  if (self->screenshot_path == NULL)
    watch_portal (self);
}

static void
rs_application_shutdown (GApplication *app)
{
  RsApplication *self = RS_APPLICATION (app);

  if (self->bus != NULL && self->portal_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal_id);
  self->portal_signal_id = 0;
  g_clear_object (&self->bus);

  G_APPLICATION_CLASS (rs_application_parent_class)->shutdown (app);
}

static int
rs_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  RsApplication *self = RS_APPLICATION (app);
  const char *screenshot = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("regscope %s\n", RS_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot))
    {
      self->screenshot_path = g_canonicalize_filename (screenshot, NULL);
      /* A screenshot is taken by this process, not handed to a running
       * regscope. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  if (g_variant_dict_lookup (options, "screenshot-steps", "x", &self->screenshot_steps)
      && self->screenshot_steps < 0)
    {
      g_printerr ("regscope: %s\n", _("--screenshot-steps must be >= 0"));
      return 2;
    }
  if (g_variant_dict_contains (options, "presentation"))
    self->presentation = TRUE;
  if (g_variant_dict_lookup (options, "page", "s", &self->page)
      && !rs_window_is_page_name (self->page))
    {
      g_autofree char *names = rs_window_page_names ();
      /* TRANSLATORS: the second %s lists the page names: "loss, histograms, …" */
      g_autofree char *message = g_strdup_printf (_("unknown page '%s' (the pages: %s)"),
                                                  self->page, names);
      g_printerr ("regscope: --page: %s\n", message);
      return 2;
    }

  return -1;
}

static void
rs_application_finalize (GObject *object)
{
  RsApplication *self = RS_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->bus);
  g_free (self->style);
  g_free (self->screenshot_path);
  g_free (self->page);
  g_free (self->page_help);

  G_OBJECT_CLASS (rs_application_parent_class)->finalize (object);
}

static void
rs_application_class_init (RsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rs_application_finalize;

  app_class->startup = rs_application_startup;
  app_class->shutdown = rs_application_shutdown;
  app_class->activate = rs_application_activate;
  app_class->open = rs_application_open;
  app_class->handle_local_options = rs_application_handle_local_options;
}

static void
rs_application_init (RsApplication *self)
{
  self->style = g_strdup ("system");
  self->portal_scheme = PORTAL_UNKNOWN;
  self->screenshot_steps = RS_DEFAULT_SCREENSHOT_STEPS;

  /* The page names come from the window, which names its pages once. */
  GOptionEntry entries[G_N_ELEMENTS (option_entries)];
  g_autofree char *names = rs_window_page_names ();
  memcpy (entries, option_entries, sizeof entries);
  self->page_help = g_strdup_printf (_("Start on this page: %s"), names);
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_strcmp0 (entries[i].long_name, "page") == 0)
      entries[i].description = self->page_help;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PRESET.ini | LESSON | DATA.csv]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Watch per-layer L1, L2, weight decay and activity regularization shape a\n"
      "small neural network while it trains.\n\n"
      "Without a display, the lesson runs headless like regscope-train."));
}

RsApplication *
rs_application_new (void)
{
  return g_object_new (RS_TYPE_APPLICATION,
                       "application-id", RS_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RS_RESOURCE_PREFIX,
                       NULL);
}

GSettings *
rs_application_get_settings (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), NULL);

  return self->settings;
}

int
rs_application_get_exit_status (RsApplication *self)
{
  g_return_val_if_fail (RS_IS_APPLICATION (self), 1);

  return self->exit_status;
}
