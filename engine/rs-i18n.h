/* rs-i18n.h — the programs' locale and message catalogs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Takes the locale from the environment (LANG, LC_*, LANGUAGE) and binds
 * regscope's message catalogs: the build folder's po/ for a program run
 * from its build folder (regscope-uninstalled.ini), else
 * <prefix>/share/locale. Both programs call it first thing; call it once,
 * before any thread starts (setlocale is not thread-safe).
 *
 * Numbers a person reads (plots, status line, progress) follow the locale
 * ("0,5" in German); numbers in files (presets, CSV, logs, scripts) are
 * written with g_ascii_dtostr / g_ascii_formatd and read with
 * g_ascii_strtod, so a file is the same in every locale. */
void         rs_i18n_init (void);
/* The folder rs_i18n_init() bound the catalogs to. */
const char  *rs_i18n_localedir (void);

G_END_DECLS
