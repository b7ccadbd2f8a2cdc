/* rs-lessons.h — where the shipped data live, and the lessons (presets)
 * in it: find the data folder, resolve a lesson name, list the lessons. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

/* For a program run from its meson build folder, a path from the build
 * folder's regscope-uninstalled.ini: "datadir" (the source tree's data/),
 * "schemadir" (the compiled GSettings schema). NULL for an installed
 * program. */
char        *rs_uninstalled_path (const char *key);
/* Where presets and datasets live: $REGSCOPE_DATADIR, else, run from the
 * build folder, the source tree's data/, else <prefix>/share/regscope. */
const char  *rs_data_dir (void);

/* "seed-l1" -> "<datadir>/presets/seed-l1.ini"; a path (or a name ending
 * in .ini or .csv) is returned as is. NULL if a bare lesson name does not
 * exist. */
char        *rs_lesson_resolve (const char *name_or_path);
/* TRUE for a file name ending in ".csv" (any case). */
gboolean     rs_lesson_is_csv (const char *path);
/* A preset file, or a CSV file taken as data for a default network: one
 * hidden layer of 32 ReLU units between the data's features and classes,
 * Adam lr 0.01, standardised features, 20 % held out, 100 epochs (batches
 * of 64 above 2048 rows); the title is the file's name, the description
 * what the data hold ("150 rows, 4 features, 3 classes: setosa, ..."). */
RsExperiment *rs_lesson_load (const char *path, GError **error);
/* The shipped lesson names (sorted, NULL-terminated), the default first. */
char       **rs_lesson_list (void);
#define RS_DEFAULT_LESSON "overfit-random-labels"

G_END_DECLS
