/* rs-i18n.c — the locale and the message catalogs. */
#include "rs-i18n.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rs-lessons.h"

static char *localedir = NULL;

void
rs_i18n_init (void)
{
  setlocale (LC_ALL, "");
  if (localedir == NULL && (localedir = rs_uninstalled_path ("localedir")) == NULL)
    localedir = g_strdup (RS_INSTALLED_LOCALEDIR);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
rs_i18n_localedir (void)
{
  return localedir;
}
