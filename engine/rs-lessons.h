/* rs-lessons.h — where the shipped data live, and the lessons (presets)
 * in it: find the data folder, resolve a lesson name, list the lessons. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where presets and datasets live: $REGSCOPE_DATADIR, else the installed
 * data folder, else the source tree's data/ folder. */
const char  *rs_data_dir (void);

/* "seed-l1" -> "<datadir>/presets/seed-l1.ini"; a path is returned as is.
 * NULL if a bare lesson name does not exist. */
char        *rs_lesson_resolve (const char *name_or_path);
/* The shipped lesson names (sorted, NULL-terminated), the default first. */
char       **rs_lesson_list (void);
#define RS_DEFAULT_LESSON "overfit-random-labels"

G_END_DECLS
