/* fuzz-csv.c — rs_dataset_parse_csv on arbitrary bytes, with the label in
 * the last column, in the first (by position) and in the one named
 * "label".
 *
 * Checks: no crash, leak, hang or huge allocation; a refused input gives a
 * one-line RS_ERROR; an accepted one is a usable data set (sizes >= 1, at
 * least 2 classes, every label in range, every feature finite, one class
 * name per class when there are names). */
#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "rs-dataset.h"

static void
check_dataset (const RsDataset *d)
{
  if (d->n < 1 || d->features < 1 || d->classes < 2)
    fuzz_fail ("bad sizes: n=%d features=%d classes=%d", d->n, d->features, d->classes);
  if (d->x == NULL || d->y == NULL)
    fuzz_fail ("no x or y");
  gsize n_values = (gsize) d->n * (gsize) d->features;
  for (gsize i = 0; i < n_values; i++)
    if (!isfinite (d->x[i]))
      fuzz_fail ("x[%" G_GSIZE_FORMAT "] = %g is not finite", i, (double) d->x[i]);
  for (int i = 0; i < d->n; i++)
    if (d->y[i] < 0 || d->y[i] >= d->classes)
      fuzz_fail ("y[%d] = %d is outside 0..%d", i, (int) d->y[i], d->classes - 1);
  if (d->class_names != NULL)
    {
      guint n_names = g_strv_length (d->class_names);
      if (n_names != (guint) d->classes)
        fuzz_fail ("%u class names for %d classes", n_names, d->classes);
      for (guint i = 0; i < n_names; i++)
        if (!g_utf8_validate (d->class_names[i], -1, NULL) || d->class_names[i][0] == '\0')
          fuzz_fail ("class name %u is empty or not UTF-8", i);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const label_columns[] = { NULL, "1", "label" };
  for (gsize i = 0; i < G_N_ELEMENTS (label_columns); i++)
    {
      RsCsvOptions options = { .label_column = label_columns[i] };
      GError *error = NULL;
      RsDataset *d = rs_dataset_parse_csv_with ((const char *) data, size, "fuzz.csv",
                                                &options, &error);
      if (d == NULL)
        {
          fuzz_check_error ("rs_dataset_parse_csv_with", error);
          g_error_free (error);
          continue;
        }
      if (error != NULL)
        fuzz_fail ("rs_dataset_parse_csv_with succeeded and set an error: %s",
                   error->message);
      check_dataset (d);
      rs_dataset_free (d);
    }
  return 0;
}
