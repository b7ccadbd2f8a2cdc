/* rs-lessons.h — where the shipped data live, and the lessons (presets)
 * in it: find the data folder, resolve a lesson name, list the lessons. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For a program run from its meson build folder, a path from the build
 * folder's regscope-uninstalled.ini: "datadir" (the source tree's data/),
 * "schemadir" (the compiled GSettings schema). NULL for an installed
 * program. */
char        *rs_uninstalled_path (const char *key);
/* Where presets and datasets live: $REGSCOPE_DATADIR, else, run from the
 * build folder, the source tree's data/, else <prefix>/share/regscope. */
const char  *rs_data_dir (void);

/* "seed-l1" -> "<datadir>/presets/seed-l1.ini"; a path is returned as is.
 * NULL if a bare lesson name does not exist. */
char        *rs_lesson_resolve (const char *name_or_path);
/* The shipped lesson names (sorted, NULL-terminated), the default first. */
char       **rs_lesson_list (void);
#define RS_DEFAULT_LESSON "overfit-random-labels"

G_END_DECLS
