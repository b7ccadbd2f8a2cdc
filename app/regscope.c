/* regscope — the GTK explorer. Without a display it runs the lesson
 * headless, like `regscope-train LESSON --plots regscope-plots`, so a
 * classroom server or an SSH session still gets the plots. */
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <string.h>

#include "rs-application.h"
#include "rs-cli.h"
#include "rs-i18n.h"
#include "rs-lessons.h"

static gboolean
has_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((x11 == NULL || *x11 == '\0') && (wayland == NULL || *wayland == '\0'))
    return FALSE;
  return gtk_init_check ();
}

/* The first argument that is not an option (nor an option's value). */
static const char *
lesson_argument (int    argc,
                 char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        return i + 1 < argc ? argv[i + 1] : NULL;
      if (g_str_equal (argv[i], "--screenshot") || g_str_equal (argv[i], "--screenshot-steps")
          || g_str_equal (argv[i], "--page"))
        {
          i++;
          continue;
        }
      if (argv[i][0] != '-')
        return argv[i];
    }
  return NULL;
}

/* --help and --version need no display: GApplication answers them before
 * GTK is initialised. */
static gboolean
wants_help_or_version (int    argc,
                       char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--help") || g_str_equal (argv[i], "-h")
        || g_str_equal (argv[i], "-?") || g_str_equal (argv[i], "--version"))
      return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  rs_i18n_init ();
  if (!wants_help_or_version (argc, argv) && !has_display ())
    {
      const char *lesson = lesson_argument (argc, argv);
      char *cli_argv[] = {
        g_strdup ("regscope"),
        g_strdup (lesson != NULL ? lesson : RS_DEFAULT_LESSON),
        g_strdup ("--plots"),
        g_strdup ("regscope-plots"),
        NULL
      };

      g_printerr ("regscope: %s\n", _("no display; running the default lesson headless "
                                      "(regscope-train <lesson> --plots regscope-plots)"));
      int status = rs_cli_main (4, cli_argv);
      for (int i = 0; cli_argv[i] != NULL; i++)
        g_free (cli_argv[i]);
      return status;
    }

  g_autoptr(RsApplication) app = rs_application_new ();
  int status = g_application_run (G_APPLICATION (app), argc, argv);
  if (status == 0)
    status = rs_application_get_exit_status (app);
  return status;
}
