/* rs-dataset.c — the RsDataset container, source names, the shipped sets,
 * the train/validation split and standardisation.
 *
 * Generators live in rs-dataset-generate.c, the CSV reader in
 * rs-dataset-csv.c, the IDX reader in rs-dataset-idx.c. */
#include "rs-dataset.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-rng.h"

static const struct {
  RsDataSource source;
  const char  *name;
} source_names[] = {
  { RS_DATA_RANDOM, "random" },
  { RS_DATA_SPIRALS, "spirals" },
  { RS_DATA_MOONS, "moons" },
  { RS_DATA_CIRCLES, "circles" },
  { RS_DATA_XOR, "xor" },
  { RS_DATA_BLOBS, "blobs" },
  { RS_DATA_CSV, "csv" },
  { RS_DATA_DIGITS, "digits" },
  { RS_DATA_IRIS, "iris" },
  { RS_DATA_WINE, "wine" },
  { RS_DATA_BREAST_CANCER, "breast-cancer" },
  { RS_DATA_IDX, "idx" },
};

const char *
rs_data_source_to_string (RsDataSource source)
{
  for (gsize i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (source_names[i].source == source)
      return source_names[i].name;
  return "unknown";
}

gboolean
rs_data_source_from_string (const char *name, RsDataSource *out)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (strcmp (source_names[i].name, name) == 0)
      {
        if (out != NULL)
          *out = source_names[i].source;
        return TRUE;
      }
  /* scikit-learn and the shipped file's old name spell it with '_'. */
  if (strcmp (name, "breast_cancer") == 0)
    {
      if (out != NULL)
        *out = RS_DATA_BREAST_CANCER;
      return TRUE;
    }
  return FALSE;
}

gboolean
rs_data_source_is_2d (RsDataSource source)
{
  switch (source)
    {
    case RS_DATA_SPIRALS:
    case RS_DATA_MOONS:
    case RS_DATA_CIRCLES:
    case RS_DATA_XOR:
      return TRUE;
    case RS_DATA_RANDOM:
    case RS_DATA_BLOBS:
    case RS_DATA_CSV:
    case RS_DATA_DIGITS:
    case RS_DATA_IRIS:
    case RS_DATA_WINE:
    case RS_DATA_BREAST_CANCER:
    case RS_DATA_IDX:
    default:
      return FALSE;
    }
}

RsDataset *
rs_dataset_new (int n, int features, int classes)
{
  g_return_val_if_fail (n >= 0 && features >= 0 && classes >= 0, NULL);

  RsDataset *data = g_new0 (RsDataset, 1);
  data->n = n;
  data->features = features;
  data->classes = classes;
  /* g_new0 checks the size product for overflow itself. */
  data->x = g_new0 (float, (gsize) n * (gsize) features);
  data->y = g_new0 (int32_t, (gsize) n);
  return data;
}

RsDataset *
rs_dataset_copy (const RsDataset *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  RsDataset *copy = rs_dataset_new (data->n, data->features, data->classes);
  gsize nx = (gsize) data->n * (gsize) data->features;
  if (nx > 0)
    memcpy (copy->x, data->x, nx * sizeof (float));
  if (data->n > 0)
    memcpy (copy->y, data->y, (gsize) data->n * sizeof (int32_t));
  copy->class_names = g_strdupv (data->class_names);
  copy->image_w = data->image_w;
  copy->image_h = data->image_h;
  return copy;
}

void
rs_dataset_free (RsDataset *data)
{
  if (data == NULL)
    return;
  g_free (data->x);
  g_free (data->y);
  g_strfreev (data->class_names);
  g_free (data);
}

const char *
rs_dataset_class_name (const RsDataset *data, int k)
{
  g_return_val_if_fail (data != NULL, NULL);

  if (data->class_names == NULL || k < 0 || k >= data->classes)
    return NULL;
  return data->class_names[k];
}

char *
rs_dataset_describe (const RsDataset *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  GString *s = g_string_new (NULL);
  g_string_printf (s, "%d rows, %d features, %d classes", data->n, data->features,
                   data->classes);
  for (int k = 0; data->class_names != NULL && k < data->classes && k < 10; k++)
    g_string_append_printf (s, "%s%s", k == 0 ? ": " : ", ", data->class_names[k]);
  if (data->class_names != NULL && data->classes > 10)
    g_string_append (s, ", ...");
  return g_string_free (s, FALSE);
}

/* ---- shipped sets ---- */

static const struct {
  RsDataSource source;
  const char  *file;
  int          features;
  int          classes;
  int          image_w, image_h;
} builtin_sets[] = {
  { RS_DATA_DIGITS, "digits.csv", 64, 10, 8, 8 },
  { RS_DATA_IRIS, "iris.csv", 4, 3, 0, 0 },
  { RS_DATA_WINE, "wine.csv", 13, 3, 0, 0 },
  { RS_DATA_BREAST_CANCER, "breast-cancer.csv", 30, 2, 0, 0 },
};

RsDataset *
rs_dataset_load_builtin (RsDataSource source, const char *datadir, GError **error)
{
  g_return_val_if_fail (datadir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (builtin_sets); i++)
    {
      if (builtin_sets[i].source != source)
        continue;

      g_autofree char *path = g_build_filename (datadir, "datasets",
                                                builtin_sets[i].file, NULL);
      RsDataset *data = rs_dataset_load_csv (path, error);
      if (data == NULL)
        return NULL;
      /* The rest of the program relies on these shapes (image size, preset
       * layer widths), so a damaged or replaced file is an error here. */
      if (data->features != builtin_sets[i].features
          || data->classes != builtin_sets[i].classes)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                       _("%s: expected %d features and %d classes, found %d and %d"),
                       path, builtin_sets[i].features, builtin_sets[i].classes,
                       data->features, data->classes);
          rs_dataset_free (data);
          return NULL;
        }
      data->image_w = builtin_sets[i].image_w;
      data->image_h = builtin_sets[i].image_h;
      return data;
    }

  g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
               _("data source '%s' is not one of the shipped data sets"),
               rs_data_source_to_string (source));
  return NULL;
}

/* ---- split ---- */

/* A dataset made of the rows idx[0..n) of `all`, in that order. */
static RsDataset *
take_rows (const RsDataset *all, const int32_t *idx, int n)
{
  RsDataset *part = rs_dataset_new (n, all->features, all->classes);
  gsize f = (gsize) all->features;
  for (int i = 0; i < n; i++)
    {
      if (f > 0)
        memcpy (part->x + (gsize) i * f, all->x + (gsize) idx[i] * f,
                f * sizeof (float));
      part->y[i] = all->y[idx[i]];
    }
  part->class_names = g_strdupv (all->class_names);
  part->image_w = all->image_w;
  part->image_h = all->image_h;
  return part;
}

void
rs_dataset_split (const RsDataset *all, double validation_fraction,
                  guint64 seed, RsDataset **train, RsDataset **val)
{
  g_return_if_fail (train != NULL && val != NULL);
  *train = NULL;
  *val = NULL;
  g_return_if_fail (all != NULL);
  g_return_if_fail (validation_fraction >= 0.0 && validation_fraction < 1.0);

  if (validation_fraction == 0.0)
    {
      *train = rs_dataset_copy (all);
      return;
    }

  int n = all->n;
  int n_train = (int) lround ((1.0 - validation_fraction) * n);
  /* Neither side may end up empty when there is a row to spare for it. */
  if (n_train < 1)
    n_train = 1;
  if (n >= 2 && n_train > n - 1)
    n_train = n - 1;
  if (n_train > n)
    n_train = n;

  int32_t *idx = g_new (int32_t, (gsize) MAX (n, 1));
  for (int i = 0; i < n; i++)
    idx[i] = i;
  RsRng rng;
  rs_rng_init (&rng, seed, RS_RNG_STREAM_SPLIT);
  rs_rng_shuffle (&rng, idx, n);

  *train = take_rows (all, idx, n_train);
  /* With a single row there is nothing left to validate on. */
  if (n - n_train > 0)
    *val = take_rows (all, idx + n_train, n - n_train);
  g_free (idx);
}

/* ---- standardisation ---- */

static void
apply_shift_scale (RsDataset *data, const double *mean, const double *scale)
{
  if (data == NULL)
    return;
  gsize f = (gsize) data->features;
  for (int i = 0; i < data->n; i++)
    {
      float *row = data->x + (gsize) i * f;
      for (gsize j = 0; j < f; j++)
        row[j] = (float) ((row[j] - mean[j]) * scale[j]);
    }
}

void
rs_dataset_standardize (RsDataset *train, RsDataset *val, RsDataset *test)
{
  g_return_if_fail (train != NULL);
  g_return_if_fail (val == NULL || val->features == train->features);
  g_return_if_fail (test == NULL || test->features == train->features);

  if (train->n == 0 || train->features == 0)
    return;

  gsize f = (gsize) train->features;
  g_autofree double *mean = g_new0 (double, f);
  g_autofree double *scale = g_new0 (double, f);

  /* Two passes in double, row by row: float sums lose the small variance
   * of a column with a large offset. */
  for (int i = 0; i < train->n; i++)
    for (gsize j = 0; j < f; j++)
      mean[j] += train->x[(gsize) i * f + j];
  for (gsize j = 0; j < f; j++)
    mean[j] /= train->n;
  for (int i = 0; i < train->n; i++)
    for (gsize j = 0; j < f; j++)
      {
        double d = train->x[(gsize) i * f + j] - mean[j];
        scale[j] += d * d;
      }
  for (gsize j = 0; j < f; j++)
    {
      double sd = sqrt (scale[j] / train->n);
      /* A constant column carries no information: centring it is enough,
       * and dividing by its zero spread would make it NaN. */
      scale[j] = sd > 0.0 ? 1.0 / sd : 1.0;
    }

  apply_shift_scale (train, mean, scale);
  apply_shift_scale (val, mean, scale);
  apply_shift_scale (test, mean, scale);
}
