/* fuzz-idx.c — rs_dataset_parse_idx on arbitrary bytes.
 *
 * The input is two files: its first two bytes (little-endian) give the
 * length of the images file that follows, the rest is the labels file;
 * either may be gzip'd. Checks: no crash, leak, hang or huge allocation;
 * a refused input gives a one-line RS_ERROR; an accepted one is a usable
 * data set (sizes >= 1, at least 2 classes, every label in range, every
 * pixel in [0, 1], the picture's size equal to the features). */
#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "rs-dataset.h"

static void
check_dataset (const RsDataset *d)
{
  if (d->n < 1 || d->features < 1 || d->classes < 2)
    fuzz_fail ("bad sizes: n=%d features=%d classes=%d", d->n, d->features, d->classes);
  if (d->image_w != 0 && (gint64) d->image_w * d->image_h != d->features)
    fuzz_fail ("a %dx%d picture for %d features", d->image_w, d->image_h, d->features);
  gsize n_values = (gsize) d->n * (gsize) d->features;
  for (gsize i = 0; i < n_values; i++)
    if (!(d->x[i] >= 0.0f && d->x[i] <= 1.0f))
      fuzz_fail ("x[%" G_GSIZE_FORMAT "] = %g is outside [0, 1]", i, (double) d->x[i]);
  for (int i = 0; i < d->n; i++)
    if (d->y[i] < 0 || d->y[i] >= d->classes)
      fuzz_fail ("y[%d] = %d is outside 0..%d", i, (int) d->y[i], d->classes - 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  size_t images_len = MIN ((size_t) (data[0] | data[1] << 8), size - 2);
  const uint8_t *images = data + 2, *labels = images + images_len;
  size_t labels_len = size - 2 - images_len;

  GError *error = NULL;
  RsDataset *d = rs_dataset_parse_idx (images, images_len, "images.idx", labels, labels_len,
                                       "labels.idx", &error);
  if (d == NULL)
    {
      fuzz_check_error ("rs_dataset_parse_idx", error);
      g_error_free (error);
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("rs_dataset_parse_idx succeeded and set an error: %s", error->message);
  check_dataset (d);
  rs_dataset_free (d);
  return 0;
}
