/* rs-application.h — the GtkApplication: one window per lesson opened,
 * app-wide actions and accelerators, the GSettings (when its schema is
 * installed or compiled in the build folder), the light/dark style and
 * the --screenshot mode. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RS_TYPE_APPLICATION (rs_application_get_type ())
G_DECLARE_FINAL_TYPE (RsApplication, rs_application, RS, APPLICATION, GtkApplication)

RsApplication *rs_application_new (void);

/* The app's settings, or NULL when the schema is not installed and not in
 * the build tree either (then nothing is remembered). */
GSettings     *rs_application_get_settings (RsApplication *self);

/* Non-zero when --screenshot failed: main() returns it. */
int            rs_application_get_exit_status (RsApplication *self);

/* org.regscope.Regscope: run from the build folder, the schema compiled
 * there first (rs_uninstalled_path ("schemadir")), then the default schema
 * source; NULL if none has it. g_settings_new() would abort on a missing
 * schema. */
GSettings     *rs_settings_new (void);

G_END_DECLS
