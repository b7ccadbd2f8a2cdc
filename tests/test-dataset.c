/* test-dataset.c — generators, the CSV loader and its error messages, the
 * shipped sets, split and standardisation. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-dataset.h"
#include "rs-error.h"

/* ---- helpers ---- */

static char *
csv_path (const char *name)
{
  return g_build_filename (RS_TEST_SRCDIR, "data", "csv", name, NULL);
}

static const char *
data_dir (void)
{
  const char *dir = g_getenv ("REGSCOPE_DATADIR");
  return dir != NULL && *dir != '\0' ? dir : RS_TEST_SRCDIR "/../data";
}

static RsDataset *
load_ok (const char *name)
{
  g_autofree char *path = csv_path (name);
  g_autoptr (GError) error = NULL;
  RsDataset *data = rs_dataset_load_csv (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

/* Loads tests/data/csv/<name> expecting the error `code` whose message is
 * exactly "<path><rest>": one line that starts with the file. */
static void
expect_csv_error_at (const char *path, RsErrorCode code, const char *rest)
{
  g_autoptr (GError) error = NULL;
  RsDataset *data = rs_dataset_load_csv (path, &error);
  g_assert_null (data);
  g_assert_error (error, RS_ERROR, (int) code);
  g_assert_true (g_error_matches (error, RS_ERROR, (int) code));
  g_autofree char *expected = g_strconcat (path, rest, NULL);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (strchr (error->message, '\n'));
}

static void
expect_csv_error (const char *name, RsErrorCode code, const char *rest)
{
  g_autofree char *path = csv_path (name);
  expect_csv_error_at (path, code, rest);
}

/* The same with the label in the column `label_column` names. */
static RsDataset *
load_ok_with (const char *name, const char *label_column)
{
  g_autofree char *path = csv_path (name);
  g_autoptr (GError) error = NULL;
  RsCsvOptions options = { .label_column = label_column };
  RsDataset *data = rs_dataset_load_csv_with (path, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static void
expect_csv_error_with (const char *name, const char *label_column, RsErrorCode code,
                       const char *rest)
{
  g_autofree char *path = csv_path (name);
  g_autoptr (GError) error = NULL;
  RsCsvOptions options = { .label_column = label_column };
  RsDataset *data = rs_dataset_load_csv_with (path, &options, &error);
  g_assert_null (data);
  g_assert_error (error, RS_ERROR, (int) code);
  g_autofree char *expected = g_strconcat (path, rest, NULL);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (strchr (error->message, '\n'));
}

static void
assert_same_data (const RsDataset *a, const RsDataset *b)
{
  g_assert_cmpint (a->n, ==, b->n);
  g_assert_cmpint (a->features, ==, b->features);
  g_assert_cmpint (a->classes, ==, b->classes);
  g_assert_cmpmem (a->x, (gsize) a->n * a->features * sizeof (float),
                   b->x, (gsize) b->n * b->features * sizeof (float));
  g_assert_cmpmem (a->y, (gsize) a->n * sizeof (int32_t),
                   b->y, (gsize) b->n * sizeof (int32_t));
}

static gboolean
same_bytes (const RsDataset *a, const RsDataset *b)
{
  return a->n == b->n && a->features == b->features
         && memcmp (a->x, b->x, (gsize) a->n * a->features * sizeof (float)) == 0
         && memcmp (a->y, b->y, (gsize) a->n * sizeof (int32_t)) == 0;
}

static void
count_labels (const RsDataset *d, int *counts)
{
  for (int k = 0; k < d->classes; k++)
    counts[k] = 0;
  for (int i = 0; i < d->n; i++)
    {
      g_assert_cmpint (d->y[i], >=, 0);
      g_assert_cmpint (d->y[i], <, d->classes);
      counts[d->y[i]]++;
    }
}

/* ---- names ---- */

static void
test_source_names (void)
{
  static const struct {
    RsDataSource source;
    const char *name;
    gboolean is_2d;
  } cases[] = {
    { RS_DATA_RANDOM, "random", FALSE },
    { RS_DATA_SPIRALS, "spirals", TRUE },
    { RS_DATA_MOONS, "moons", TRUE },
    { RS_DATA_CIRCLES, "circles", TRUE },
    { RS_DATA_XOR, "xor", TRUE },
    { RS_DATA_BLOBS, "blobs", FALSE },
    { RS_DATA_CSV, "csv", FALSE },
    { RS_DATA_DIGITS, "digits", FALSE },
    { RS_DATA_IRIS, "iris", FALSE },
    { RS_DATA_WINE, "wine", FALSE },
    { RS_DATA_BREAST_CANCER, "breast-cancer", FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RsDataSource back = RS_DATA_CSV;
      g_assert_cmpstr (rs_data_source_to_string (cases[i].source), ==, cases[i].name);
      g_assert_true (rs_data_source_from_string (cases[i].name, &back));
      g_assert_cmpint (back, ==, cases[i].source);
      g_assert_cmpint (rs_data_source_is_2d (cases[i].source), ==, cases[i].is_2d);
    }
  RsDataSource out = RS_DATA_RANDOM;
  g_assert_false (rs_data_source_from_string ("spiral", &out));
  g_assert_false (rs_data_source_from_string ("", &out));
  g_assert_false (rs_data_source_from_string ("Moons", &out));
  g_assert_cmpint (out, ==, RS_DATA_RANDOM);
}

/* ---- new / copy / free ---- */

static void
test_new_copy (void)
{
  g_autoptr (RsDataset) d = rs_dataset_new (3, 2, 4);
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpint (d->classes, ==, 4);
  g_assert_null (d->class_names);
  g_assert_cmpint (d->image_w, ==, 0);
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat (d->x[i], ==, 0.0f);
  for (int i = 0; i < 6; i++)
    d->x[i] = (float) i * 0.5f;
  d->y[0] = 3;
  d->y[2] = 1;
  const char *names[] = { "a", "b", "c", "d", NULL };
  d->class_names = g_strdupv ((char **) names);
  d->image_w = 2;
  d->image_h = 1;

  g_autoptr (RsDataset) c = rs_dataset_copy (d);
  assert_same_data (d, c);
  g_assert_true (c->x != d->x);
  g_assert_true (c->class_names != d->class_names);
  g_assert_cmpstrv (c->class_names, names);
  g_assert_cmpint (c->image_w, ==, 2);
  g_assert_cmpint (c->image_h, ==, 1);
  /* The copy owns its buffers. */
  c->x[5] = 99.0f;
  c->y[0] = 0;
  g_assert_cmpfloat (d->x[5], ==, 2.5f);
  g_assert_cmpint (d->y[0], ==, 3);

  g_autoptr (RsDataset) empty = rs_dataset_new (0, 5, 2);
  g_autoptr (RsDataset) empty_copy = rs_dataset_copy (empty);
  g_assert_cmpint (empty_copy->n, ==, 0);
  g_assert_cmpint (empty_copy->features, ==, 5);
  rs_dataset_free (NULL);
}

/* ---- generators ---- */

typedef struct {
  RsDataSource source;
  int features;
  int classes;
} GenCase;

static const GenCase gen_cases[] = {
  { RS_DATA_RANDOM, 7, 4 },
  { RS_DATA_SPIRALS, 2, 3 },
  { RS_DATA_MOONS, 2, 2 },
  { RS_DATA_CIRCLES, 2, 3 },
  { RS_DATA_XOR, 2, 2 },
  { RS_DATA_BLOBS, 5, 4 },
};

static void
test_generate_shapes (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (gen_cases); c++)
    {
      const GenCase *gc = &gen_cases[c];
      g_autoptr (GError) error = NULL;
      g_autoptr (RsDataset) d = rs_dataset_generate (gc->source, 301, gc->features,
                                                     gc->classes, 0.1, 42, &error);
      g_assert_no_error (error);
      g_assert_cmpint (d->n, ==, 301);
      g_assert_cmpint (d->features, ==, gc->features);
      g_assert_cmpint (d->classes, ==, gc->classes);
      g_assert_null (d->class_names);
      g_assert_cmpint (d->image_w, ==, 0);
      g_assert_cmpint (d->image_h, ==, 0);

      int counts[16];
      count_labels (d, counts);
      for (int k = 0; k < d->classes; k++)
        g_assert_cmpint (counts[k], >, 0);
      for (int i = 0; i < d->n * d->features; i++)
        g_assert_true (isfinite (d->x[i]));

      /* The interleaved generators are balanced to within one sample. */
      if (gc->source == RS_DATA_SPIRALS || gc->source == RS_DATA_MOONS
          || gc->source == RS_DATA_CIRCLES || gc->source == RS_DATA_BLOBS)
        for (int k = 0; k < d->classes; k++)
          {
            g_assert_cmpint (counts[k], >=, 301 / d->classes);
            g_assert_cmpint (counts[k], <=, 301 / d->classes + 1);
          }
    }
}

static void
test_generate_deterministic (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (gen_cases); c++)
    {
      const GenCase *gc = &gen_cases[c];
      g_autoptr (RsDataset) a = rs_dataset_generate (gc->source, 200, gc->features,
                                                     gc->classes, 0.2, 7, NULL);
      g_autoptr (RsDataset) b = rs_dataset_generate (gc->source, 200, gc->features,
                                                     gc->classes, 0.2, 7, NULL);
      g_autoptr (RsDataset) other = rs_dataset_generate (gc->source, 200, gc->features,
                                                         gc->classes, 0.2, 8, NULL);
      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_nonnull (other);
      assert_same_data (a, b);
      g_assert_false (same_bytes (a, other));
      g_assert_cmpint (memcmp (a->x, other->x, 200 * sizeof (float)), !=, 0);
    }
}

static void
test_generate_random (void)
{
  const int n = 20000, f = 3, classes = 5;
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_RANDOM, n, f, classes,
                                                 0.0, 1, NULL);
  g_assert_nonnull (d);
  for (int j = 0; j < f; j++)
    {
      double sum = 0.0, ss = 0.0;
      for (int i = 0; i < n; i++)
        sum += d->x[i * f + j];
      double mean = sum / n;
      for (int i = 0; i < n; i++)
        ss += (d->x[i * f + j] - mean) * (d->x[i * f + j] - mean);
      g_assert_cmpfloat_with_epsilon (mean, 0.0, 0.05);
      g_assert_cmpfloat_with_epsilon (sqrt (ss / n), 1.0, 0.05);
    }
  int counts[5];
  count_labels (d, counts);
  /* Uniform labels: each class near n / classes = 4000. */
  for (int k = 0; k < classes; k++)
    g_assert_cmpint (abs (counts[k] - n / classes), <, 300);
}

static void
test_generate_moons_geometry (void)
{
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_MOONS, 500, 2, 2, 0.0, 3, NULL);
  g_assert_nonnull (d);
  for (int i = 0; i < d->n; i++)
    {
      double x = d->x[2 * i], y = d->x[2 * i + 1];
      if (d->y[i] == 0)
        {
          /* Upper half of the unit circle. */
          g_assert_cmpfloat_with_epsilon (x * x + y * y, 1.0, 1e-5);
          g_assert_cmpfloat (y, >=, -1e-6);
        }
      else
        {
          g_assert_cmpint (d->y[i], ==, 1);
          g_assert_cmpfloat_with_epsilon ((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5),
                                          1.0, 1e-5);
          g_assert_cmpfloat (y, <=, 0.5 + 1e-6);
        }
      g_assert_cmpfloat (x, >=, -1.0 - 1e-6);
      g_assert_cmpfloat (x, <=, 2.0 + 1e-6);
    }

  /* Noise moves points off the curves, by about its size. */
  g_autoptr (RsDataset) noisy = rs_dataset_generate (RS_DATA_MOONS, 500, 2, 2, 0.1, 3, NULL);
  double ss = 0.0;
  for (int i = 0; i < 2 * noisy->n; i++)
    ss += (noisy->x[i] - d->x[i]) * (noisy->x[i] - d->x[i]);
  g_assert_cmpfloat_with_epsilon (sqrt (ss / (2 * noisy->n)), 0.1, 0.02);
  g_assert_cmpmem (noisy->y, 500 * sizeof (int32_t), d->y, 500 * sizeof (int32_t));
}

static void
test_generate_circles_geometry (void)
{
  const int classes = 4;
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_CIRCLES, 400, 2, classes,
                                                 0.0, 9, NULL);
  g_assert_nonnull (d);
  double sum_x[4] = { 0 }, sum_y[4] = { 0 };
  for (int i = 0; i < d->n; i++)
    {
      int k = d->y[i];
      double r = hypot (d->x[2 * i], d->x[2 * i + 1]);
      /* Ring k has radius (k + 1) / classes: 0.25, 0.5, 0.75, 1. */
      g_assert_cmpfloat_with_epsilon (r, (k + 1) / (double) classes, 1e-5);
      sum_x[k] += d->x[2 * i];
      sum_y[k] += d->x[2 * i + 1];
    }
  /* Each ring is centred on the origin. */
  for (int k = 0; k < classes; k++)
    {
      g_assert_cmpfloat_with_epsilon (sum_x[k] / 100, 0.0, 0.15);
      g_assert_cmpfloat_with_epsilon (sum_y[k] / 100, 0.0, 0.15);
    }
}

static void
test_generate_xor_geometry (void)
{
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_XOR, 1000, 2, 2, 0.0, 5, NULL);
  g_assert_nonnull (d);
  int quadrant[4] = { 0 };
  for (int i = 0; i < d->n; i++)
    {
      float x = d->x[2 * i], y = d->x[2 * i + 1];
      g_assert_cmpfloat (fabsf (x), <=, 1.0f);
      g_assert_cmpfloat (fabsf (y), <=, 1.0f);
      int expected = (x > 0) != (y > 0);
      g_assert_cmpint (d->y[i], ==, expected);
      quadrant[(x > 0) * 2 + (y > 0)]++;
    }
  for (int q = 0; q < 4; q++)
    g_assert_cmpint (quadrant[q], >, 180);
}

static void
test_generate_spirals_geometry (void)
{
  const int classes = 3;
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_SPIRALS, 300, 2, classes,
                                                 0.0, 11, NULL);
  g_assert_nonnull (d);
  for (int i = 0; i < d->n; i++)
    {
      double x = d->x[2 * i], y = d->x[2 * i + 1];
      double r = hypot (x, y);
      g_assert_cmpint (d->y[i], ==, i % classes);
      g_assert_cmpfloat (r, <=, 1.0 + 1e-6);
      if (r < 1e-3)
        continue;
      /* On arm k the angle is 2 pi k / classes + 4 r (mod 2 pi). */
      double want = 2 * G_PI * d->y[i] / classes + 4 * r;
      double diff = remainder (atan2 (y, x) - want, 2 * G_PI);
      g_assert_cmpfloat (fabs (diff), <, 1e-3);
    }
}

static void
test_generate_blobs_clusters (void)
{
  const int n = 4000, f = 3, classes = 4;
  g_autoptr (RsDataset) d = rs_dataset_generate (RS_DATA_BLOBS, n, f, classes,
                                                 0.0, 13, NULL);
  g_assert_nonnull (d);
  double mean[4][3] = { { 0 } }, ss[4] = { 0 };
  int counts[4];
  count_labels (d, counts);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < f; j++)
      mean[d->y[i]][j] += d->x[i * f + j] / counts[d->y[i]];
  for (int i = 0; i < n; i++)
    for (int j = 0; j < f; j++)
      {
        double e = d->x[i * f + j] - mean[d->y[i]][j];
        ss[d->y[i]] += e * e;
      }
  for (int k = 0; k < classes; k++)
    {
      /* Unit-variance clusters with centres inside [-10, 10]^f. */
      g_assert_cmpfloat_with_epsilon (sqrt (ss[k] / (counts[k] * f)), 1.0, 0.1);
      for (int j = 0; j < f; j++)
        g_assert_cmpfloat (fabs (mean[k][j]), <, 10.2);
    }
  /* Clusters have their own centres. */
  for (int a = 0; a < classes; a++)
    for (int b = a + 1; b < classes; b++)
      {
        double d2 = 0.0;
        for (int j = 0; j < f; j++)
          d2 += (mean[a][j] - mean[b][j]) * (mean[a][j] - mean[b][j]);
        g_assert_cmpfloat (d2, >, 0.5);
      }
}

static void
expect_generate_error (RsDataSource source, int samples, int features, int classes,
                       double noise, const char *message)
{
  g_autoptr (GError) error = NULL;
  RsDataset *d = rs_dataset_generate (source, samples, features, classes, noise, 1,
                                      &error);
  g_assert_null (d);
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_generate_errors (void)
{
  expect_generate_error (RS_DATA_RANDOM, 0, 2, 2, 0.0,
                         "random: samples must be between 1 and 10000000, got 0");
  expect_generate_error (RS_DATA_SPIRALS, 10000001, 2, 2, 0.0,
                         "spirals: samples must be between 1 and 10000000, got 10000001");
  expect_generate_error (RS_DATA_SPIRALS, 100, 3, 3, 0.0,
                         "spirals: a 2-D generator needs features = 2, got 3");
  expect_generate_error (RS_DATA_CIRCLES, 100, 1, 3, 0.0,
                         "circles: a 2-D generator needs features = 2, got 1");
  expect_generate_error (RS_DATA_MOONS, 100, 2, 3, 0.0,
                         "moons: has exactly 2 classes, got classes = 3");
  expect_generate_error (RS_DATA_XOR, 100, 2, 4, 0.0,
                         "xor: has exactly 2 classes, got classes = 4");
  expect_generate_error (RS_DATA_BLOBS, 100, 2, 1, 0.0,
                         "blobs: classes must be between 2 and 1000, got 1");
  expect_generate_error (RS_DATA_RANDOM, 5000, 2, 1001, 0.0,
                         "random: classes must be between 2 and 1000, got 1001");
  expect_generate_error (RS_DATA_RANDOM, 100, 0, 2, 0.0,
                         "random: features must be between 1 and 100000, got 0");
  expect_generate_error (RS_DATA_BLOBS, 5, 2, 6, 0.0,
                         "blobs: 6 classes need at least 6 samples, got 5");
  expect_generate_error (RS_DATA_MOONS, 100, 2, 2, -0.5,
                         "moons: noise must be between 0 and 1000, got -0.5");
  expect_generate_error (RS_DATA_MOONS, 100, 2, 2, NAN,
                         "moons: noise must be between 0 and 1000, got nan");
  expect_generate_error (RS_DATA_RANDOM, 10000000, 100, 2, 0.0,
                         "random: 10000000 samples x 100 features is too much data "
                         "(at most 268435456 values)");
  expect_generate_error (RS_DATA_CSV, 100, 2, 2, 0.0,
                         "data source 'csv' is not a generator");
  expect_generate_error (RS_DATA_DIGITS, 100, 64, 10, 0.0,
                         "data source 'digits' is not a generator");

  /* The bounds themselves are fine. */
  g_autoptr (RsDataset) one = rs_dataset_generate (RS_DATA_RANDOM, 2, 1, 2, 0.0, 1, NULL);
  g_assert_nonnull (one);
  g_assert_cmpint (one->n, ==, 2);
}

/* ---- CSV: good files ---- */

static void
test_csv_names_header (void)
{
  g_autoptr (RsDataset) d = load_ok ("names-header.csv");
  const float x[] = { 1.5f, -2.0f, 3.0f, 0.4f, 0.25f, 7.0f };
  const int32_t y[] = { 0, 2, 1 };
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpint (d->classes, ==, 3); /* max label + 1 */
  g_assert_null (d->class_names);
  g_assert_cmpint (d->image_w, ==, 0);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
}

static void
test_csv_sklearn_header (void)
{
  g_autoptr (RsDataset) d = load_ok ("sklearn-header.csv");
  const float x[] = { 1, 2, 3, 4, 5, 6 };
  const int32_t y[] = { 0, 2, 1 };
  const char *names[] = { "cat", "dog", "bird, small", NULL };
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpint (d->classes, ==, 3);
  g_assert_cmpstrv (d->class_names, names);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
}

static void
test_csv_sklearn_numeric_names (void)
{
  /* "2,3,0,1,2" is wider than the rows: a header naming classes 0..2. */
  g_autoptr (RsDataset) d = load_ok ("digits-style-header.csv");
  const float x[] = { 1, 2, 3, 4, 5, 6 };
  const int32_t y[] = { 2, 0 };
  const char *names[] = { "0", "1", "2", NULL };
  g_assert_cmpint (d->n, ==, 2);
  g_assert_cmpint (d->features, ==, 3);
  g_assert_cmpint (d->classes, ==, 3);
  g_assert_cmpstrv (d->class_names, names);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);

  /* As wide as the rows, and n_samples is the row count: still a header. */
  g_autoptr (RsDataset) h = load_ok ("numeric-sklearn-header.csv");
  const float hx[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  const int32_t hy[] = { 0, 1, 0, 1 };
  const char *hnames[] = { "0", "1", NULL };
  g_assert_cmpint (h->n, ==, 4);
  g_assert_cmpint (h->features, ==, 3);
  g_assert_cmpint (h->classes, ==, 2);
  g_assert_cmpstrv (h->class_names, hnames);
  g_assert_cmpmem (h->x, sizeof hx, hx, sizeof hx);
  g_assert_cmpmem (h->y, sizeof hy, hy, sizeof hy);

  /* Same first line but 3 rows follow, not 4: it is a data row. */
  g_autoptr (RsDataset) l = load_ok ("numeric-lookalike.csv");
  const float lx[] = { 4, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const int32_t ly[] = { 1, 0, 1, 0 };
  g_assert_cmpint (l->n, ==, 4);
  g_assert_cmpint (l->features, ==, 3);
  g_assert_cmpint (l->classes, ==, 2);
  g_assert_null (l->class_names);
  g_assert_cmpmem (l->x, sizeof lx, lx, sizeof lx);
  g_assert_cmpmem (l->y, sizeof ly, ly, sizeof ly);
}

static void
test_csv_headerless (void)
{
  g_autoptr (RsDataset) d = load_ok ("headerless.csv");
  const float x[] = { 0.5f, 1.0f, -1.25f, 2.0f, 3.0f, 1000.0f };
  const int32_t y[] = { 1, 0, 1 };
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpint (d->classes, ==, 2);
  g_assert_null (d->class_names);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
}

static void
test_csv_crlf_and_bom (void)
{
  /* BOM, CRLF line ends and no final newline, all at once. */
  g_autoptr (RsDataset) d = load_ok ("crlf-bom.csv");
  const float x[] = { 1.5f, 2.5f, -3.0f, 4.0f };
  const int32_t y[] = { 1, 0 };
  g_assert_cmpint (d->n, ==, 2);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpint (d->classes, ==, 2);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
}

static void
test_csv_trailing_blank_lines (void)
{
  g_autoptr (RsDataset) d = load_ok ("trailing-blank.csv");
  const float x[] = { 1, 2, 3, 4 };
  const int32_t y[] = { 0, 1 };
  g_assert_cmpint (d->n, ==, 2);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
}

/* What a preview shows: the header as found, the label column, the
 * first rows as written; and the one-line description. */
static void
test_csv_info (void)
{
  g_autofree char *path = csv_path ("text-labels.csv");
  g_autoptr (GError) error = NULL;
  RsCsvInfo info = { 0 };
  RsCsvOptions options = { .info = &info };
  g_autoptr (RsDataset) d = rs_dataset_load_csv_with (path, &options, &error);
  g_assert_no_error (error);
  const char *names[] = { "sepal_length", "sepal_width", "petal_length", "petal_width",
                          "species", NULL };
  const char *row0[] = { "6.3", "3.3", "6.0", "2.5", "virginica", NULL };
  g_assert_cmpint (info.header, ==, RS_CSV_HEADER_NAMES);
  g_assert_cmpint (info.separator, ==, ',');
  g_assert_cmpint (info.columns, ==, 5);
  g_assert_cmpint (info.label_column, ==, 4);
  g_assert_cmpint (info.index_column, ==, -1);
  g_assert_cmpstrv (info.column_names, names);
  g_assert_cmpint (info.n_rows, ==, 4);
  g_assert_cmpstrv (info.rows[0], row0);
  g_autofree char *sentence = rs_dataset_describe (d);
  g_assert_cmpstr (sentence, ==, "4 rows, 4 features, 3 classes: setosa, versicolor, virginica");
  rs_csv_info_clear (&info);
  g_assert_null (info.column_names);
  g_assert_cmpint (info.n_rows, ==, 0);

  /* ';' with decimal commas, the label named: rows keep their text. */
  g_autofree char *semi = csv_path ("semicolon.csv");
  RsCsvOptions by_name = { .label_column = "species", .info = &info };
  g_autoptr (RsDataset) s = rs_dataset_load_csv_with (semi, &by_name, &error);
  g_assert_no_error (error);
  const char *srow[] = { "5,1", "3,5", "setosa", NULL };
  g_assert_cmpint (info.separator, ==, ';');
  g_assert_cmpint (info.label_column, ==, 2);
  g_assert_cmpint (info.n_rows, ==, 3);
  g_assert_cmpint (s->n, ==, 3);
  g_assert_cmpstrv (info.rows[0], srow);
  rs_csv_info_clear (&info);

  /* pandas' unnamed index is named as dropped. */
  g_autofree char *pandas = csv_path ("pandas-unnamed.csv");
  RsCsvOptions plain = { .info = &info };
  g_autoptr (RsDataset) p = rs_dataset_load_csv_with (pandas, &plain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.index_column, ==, 0);
  g_assert_cmpint (p->features, ==, 2);
  rs_csv_info_clear (&info);

  /* No header, and the shipped sklearn layout. */
  g_autofree char *headerless = csv_path ("headerless.csv");
  g_autoptr (RsDataset) h = rs_dataset_load_csv_with (headerless, &plain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.header, ==, RS_CSV_HEADER_NONE);
  g_assert_null (info.column_names);
  g_assert_cmpint (info.n_rows, ==, MIN (h->n, RS_CSV_PREVIEW_ROWS));
  rs_csv_info_clear (&info);
  g_autofree char *iris = g_build_filename (data_dir (), "datasets", "iris.csv", NULL);
  g_autoptr (RsDataset) i = rs_dataset_load_csv_with (iris, &plain, &error);
  g_assert_no_error (error);
  const char *irow[] = { "5.1", "3.5", "1.4", "0.2", "0", NULL };
  g_assert_cmpint (info.header, ==, RS_CSV_HEADER_SKLEARN);
  g_assert_cmpint (i->n, ==, 150);
  g_assert_cmpint (info.n_rows, ==, RS_CSV_PREVIEW_ROWS);
  g_assert_cmpstrv (info.rows[0], irow);

  /* A file that fails leaves the info empty, not the last file's. */
  g_autofree char *bad = csv_path ("not-a-number.csv");
  g_autoptr (RsDataset) none = rs_dataset_load_csv_with (bad, &plain, NULL);
  g_assert_null (none);
  g_assert_cmpint (info.n_rows, ==, 0);
  g_assert_null (info.column_names);
}

/* ---- CSV: files as people have them ---- */

/* Class names as labels: the classes are the names in sorted order,
 * whatever row comes first, and the names are kept. */
static void
test_csv_text_labels (void)
{
  g_autoptr (RsDataset) d = load_ok ("text-labels.csv");
  const float x[] = { 6.3f, 3.3f, 6.0f, 2.5f, 5.1f, 3.5f, 1.4f, 0.2f,
                      7.0f, 3.2f, 4.7f, 1.4f, 4.9f, 3.0f, 1.4f, 0.2f };
  const int32_t y[] = { 2, 0, 1, 0 };
  const char *names[] = { "setosa", "versicolor", "virginica", NULL };
  g_assert_cmpint (d->n, ==, 4);
  g_assert_cmpint (d->features, ==, 4);
  g_assert_cmpint (d->classes, ==, 3);
  g_assert_cmpstrv (d->class_names, names);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
  g_assert_cmpstr (rs_dataset_class_name (d, 0), ==, "setosa");
  g_assert_cmpstr (rs_dataset_class_name (d, 2), ==, "virginica");
  g_assert_null (rs_dataset_class_name (d, 3));
  g_assert_null (rs_dataset_class_name (d, -1));

  /* Without a header: "6.3,3.3,virginica" is a row, not column names. */
  g_autoptr (RsDataset) h = load_ok ("text-labels-headerless.csv");
  const float hx[] = { 6.3f, 3.3f, 5.1f, 3.5f, 4.9f, 3.0f };
  const int32_t hy[] = { 1, 0, 0 };
  const char *hnames[] = { "setosa", "virginica", NULL };
  g_assert_cmpint (h->n, ==, 3);
  g_assert_cmpint (h->classes, ==, 2);
  g_assert_cmpstrv (h->class_names, hnames);
  g_assert_cmpmem (h->x, sizeof hx, hx, sizeof hx);
  g_assert_cmpmem (h->y, sizeof hy, hy, sizeof hy);

  /* Numbered classes have no names. */
  g_autoptr (RsDataset) numbered = load_ok ("names-header.csv");
  g_assert_null (rs_dataset_class_name (numbered, 0));

  expect_csv_error ("one-text-class.csv", RS_ERROR_VALUE,
                    ": every label is 'cat'; a classifier needs at least 2 classes");
  expect_csv_error ("sklearn-text-label.csv", RS_ERROR_VALUE,
                    ":4: label 'bird' is not one of the 2 classes named in the header");
  /* Numbers first, then a name: one kind per column. */
  expect_csv_error ("text-label.csv", RS_ERROR_PARSE,
                    ":2: label 'cat' is not a number, but the first label (line 1) is");

  /* A column of IDs or measurements is not a class. */
  g_autoptr (GError) error = NULL;
  GString *s = g_string_new ("x,label\n");
  for (int i = 0; i <= 10000; i++)
    g_string_append_printf (s, "%d.5,id%d\n", i, i);
  g_autoptr (RsDataset) none = rs_dataset_parse_csv (s->str, s->len, "ids.csv", &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "ids.csv:10002: label 'id10000' makes more than 10000 different class "
                   "names; is column 2 really the class?");
  g_string_free (s, TRUE);
}

/* data.label-column: by name or by position from 1, default the last. */
static void
test_csv_label_column (void)
{
  const int32_t y[] = { 0, 1, 0 };
  const float x[] = { 4.5f, 25, 20, 60, 3.5f, 23 };
  const char *names[] = { "cat", "dog", NULL };
  const char *specs[] = { "species", "1" };
  for (gsize i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (RsDataset) d = load_ok_with ("label-first.csv", specs[i]);
      g_assert_cmpint (d->n, ==, 3);
      g_assert_cmpint (d->features, ==, 2);
      g_assert_cmpint (d->classes, ==, 2);
      g_assert_cmpstrv (d->class_names, names);
      g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
      g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
    }

  /* A label in the middle; the features keep their order around it. */
  g_autoptr (RsDataset) mid = load_ok_with ("one-based.csv", "2");
  /* one-based.csv: a,b,label / 0.5,1,1 / 1.5,2,3 / 2.5,3,2 / 3.5,4,1;
   * b counts 1..4, so the classes are 0..3. */
  const float mx[] = { 0.5f, 1, 1.5f, 3, 2.5f, 2, 3.5f, 1 };
  const int32_t my[] = { 0, 1, 2, 3 };
  g_assert_cmpint (mid->features, ==, 2);
  g_assert_cmpint (mid->classes, ==, 4);
  g_assert_cmpmem (mid->x, sizeof mx, mx, sizeof mx);
  g_assert_cmpmem (mid->y, sizeof my, my, sizeof my);

  /* "last" and NULL are the default. */
  g_autoptr (RsDataset) last = load_ok_with ("names-header.csv", "last");
  g_autoptr (RsDataset) plain = load_ok ("names-header.csv");
  assert_same_data (last, plain);

  /* The default reads label-first.csv's last column, a number, as the
   * label; the names in column 1 are then not numbers. */
  expect_csv_error ("label-first.csv", RS_ERROR_PARSE,
                    ":2: column 1: 'cat' is not a number");
  expect_csv_error_with ("label-first.csv", "kind", RS_ERROR_VALUE,
                         ":1: no column is named 'kind' (the header has 'species', "
                         "'weight', 'height')");
  expect_csv_error_with ("label-first.csv", "4", RS_ERROR_VALUE,
                         ":1: label column 4 does not exist: the file has 3 columns");
  expect_csv_error_with ("headerless.csv", "label", RS_ERROR_VALUE,
                         ":1: label column 'label' is a name, but line 1 is not a header "
                         "of column names");
  expect_csv_error_with ("label-first.csv", "0", RS_ERROR_VALUE,
                         ": label column 0: expected a column name, 'last' or a position "
                         "from 1 to 1000000");
}

/* Classes numbered 1..K are K classes; a set with a gap is taken as is. */
static void
test_csv_one_based_labels (void)
{
  g_autoptr (RsDataset) d = load_ok ("one-based.csv");
  const int32_t y[] = { 0, 2, 1, 0 };
  const char *names[] = { "1", "2", "3", NULL };
  g_assert_cmpint (d->classes, ==, 3);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);
  g_assert_cmpstrv (d->class_names, names);

  g_autoptr (RsDataset) gap = load_ok ("one-based-gap.csv");
  const int32_t gy[] = { 1, 3, 3 };
  g_assert_cmpint (gap->classes, ==, 4);
  g_assert_cmpmem (gap->y, sizeof gy, gy, sizeof gy);
  g_assert_null (gap->class_names);

  /* {0, 1, 2}: already from 0. */
  g_autoptr (RsDataset) zero = load_ok ("names-header.csv");
  g_assert_cmpint (zero->classes, ==, 3);
  g_assert_null (zero->class_names);
}

/* ';' separates, ',' is then the decimal mark. */
static void
test_csv_semicolon (void)
{
  g_autoptr (RsDataset) d = load_ok ("semicolon.csv");
  const float x[] = { 5.1f, 3.5f, 7.0f, 3.2f, 6.3f, 3.3f };
  const int32_t y[] = { 0, 1, 2 };
  const char *names[] = { "setosa", "versicolor", "virginica", NULL };
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpstrv (d->class_names, names);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);

  /* No header, decimal points and commas mixed between fields. */
  g_autoptr (RsDataset) h = load_ok ("semicolon-headerless.csv");
  const float hx[] = { 5.1f, 3.5f, 7.0f, -3.25f, 1000.0f, 0.5f };
  const int32_t hy[] = { 0, 1, 1 };
  g_assert_cmpint (h->n, ==, 3);
  g_assert_cmpint (h->features, ==, 2);
  g_assert_cmpmem (h->x, sizeof hx, hx, sizeof hx);
  g_assert_cmpmem (h->y, sizeof hy, hy, sizeof hy);

  /* Thousands separators are not guessed at. */
  expect_csv_error ("semicolon-thousands.csv", RS_ERROR_PARSE,
                    ":2: column 1: '1.234,5' is not a number");
  /* Where ',' separates, "5,1" is two fields, not a number. */
  g_autoptr (GError) error = NULL;
  const char comma[] = "a,b,label\n\"5,1\",2,0\n";
  g_autoptr (RsDataset) none = rs_dataset_parse_csv (comma, strlen (comma), "c.csv", &error);
  g_assert_null (none);
  g_assert_cmpstr (error->message, ==, "c.csv:2: column 1: '5,1' is not a number");
}

/* pandas' index column: dropped when its header name is empty, refused
 * with its name when it would be a feature. */
static void
test_csv_pandas_index (void)
{
  g_autoptr (RsDataset) d = load_ok ("pandas-index.csv");
  const float x[] = { 1.5f, 2, -1, 3, 4, 0.5f };
  const int32_t y[] = { 0, 1, 0 };
  g_assert_cmpint (d->n, ==, 3);
  g_assert_cmpint (d->features, ==, 2);
  g_assert_cmpmem (d->x, sizeof x, x, sizeof x);
  g_assert_cmpmem (d->y, sizeof y, y, sizeof y);

  /* Read back without index_col=0 pandas calls it "Unnamed: 0"; any
   * values, not only numbers. */
  g_autoptr (RsDataset) u = load_ok ("pandas-unnamed.csv");
  const float ux[] = { 1.5f, 2, -1, 3 };
  g_assert_cmpint (u->features, ==, 2);
  g_assert_cmpmem (u->x, sizeof ux, ux, sizeof ux);

  expect_csv_error ("index-named.csv", RS_ERROR_VALUE,
                    ": column 1 ('id') counts the rows 0, 1, 2, ... like a pandas index, "
                    "not a feature; remove it, or leave its header name empty to have it "
                    "dropped");
  expect_csv_error ("index-headerless.csv", RS_ERROR_VALUE,
                    ": column 1 counts the rows 1, 2, 3, ... like a pandas index, "
                    "not a feature; remove it, or leave its header name empty to have it "
                    "dropped");
  /* The same column as the label is no index. */
  g_autoptr (RsDataset) as_label = load_ok_with ("index-headerless.csv", "1");
  g_assert_cmpint (as_label->classes, ==, 4);
}

/* ---- CSV: errors ---- */

static void
test_csv_empty (void)
{
  expect_csv_error ("empty.csv", RS_ERROR_PARSE, ": empty file");
  expect_csv_error ("blank-only.csv", RS_ERROR_PARSE, ": empty file");
  expect_csv_error ("header-only.csv", RS_ERROR_PARSE, ": no data rows after the header");
  expect_csv_error ("sklearn-header-only.csv", RS_ERROR_PARSE,
                    ": no data rows after the header");
}

static void
test_csv_columns (void)
{
  expect_csv_error ("wrong-columns.csv", RS_ERROR_PARSE, ":4: expected 4 columns, found 3");
  expect_csv_error ("one-column.csv", RS_ERROR_PARSE,
                    ":1: need at least 2 columns (features, then the label), found 1");
  expect_csv_error ("unterminated-quote.csv", RS_ERROR_PARSE,
                    ":1: column 1: unterminated quote");
}

static void
test_csv_numbers (void)
{
  expect_csv_error ("not-a-number.csv", RS_ERROR_PARSE,
                    ":3: column 2: 'abc' is not a number");
  expect_csv_error ("trailing-text.csv", RS_ERROR_PARSE,
                    ":2: column 2: '4.5kg' is not a number");
  expect_csv_error ("empty-field.csv", RS_ERROR_PARSE, ":2: column 2: empty field");
  expect_csv_error ("nan.csv", RS_ERROR_PARSE, ":2: column 2: NaN or infinite value");
  expect_csv_error ("inf.csv", RS_ERROR_PARSE, ":3: column 1: NaN or infinite value");
  expect_csv_error ("float-overflow.csv", RS_ERROR_PARSE,
                    ":2: column 1: '1e39' is too large for a float");
}

static void
test_csv_labels (void)
{
  expect_csv_error ("bad-label.csv", RS_ERROR_PARSE,
                    ":4: label '2.5' is not a non-negative integer");
  expect_csv_error ("negative-label.csv", RS_ERROR_PARSE,
                    ":2: label '-1' is not a non-negative integer");
  expect_csv_error ("empty-label.csv", RS_ERROR_PARSE, ":2: empty label");
  expect_csv_error ("text-label.csv", RS_ERROR_PARSE,
                    ":2: label 'cat' is not a number, but the first label (line 1) is");
  expect_csv_error ("huge-label.csv", RS_ERROR_VALUE,
                    ":2: label '2000000' is too large (at most 1000000)");
  expect_csv_error ("label-range.csv", RS_ERROR_VALUE,
                    ":9: label 12 is out of range for the 3 classes in the header");
  expect_csv_error ("one-class.csv", RS_ERROR_VALUE,
                    ": every label is 0; a classifier needs at least 2 classes");
}

static void
test_csv_sklearn_mismatch (void)
{
  expect_csv_error ("sklearn-count.csv", RS_ERROR_PARSE,
                    ":1: header says 5 samples, but the file has 4 data rows");
  expect_csv_error ("sklearn-features.csv", RS_ERROR_PARSE,
                    ":1: header says 3 features, but line 2 has 5 columns");
}

static void
test_csv_blank_lines_inside (void)
{
  expect_csv_error ("blank-middle.csv", RS_ERROR_PARSE, ":3: empty line before more data");
  expect_csv_error ("leading-blank.csv", RS_ERROR_PARSE, ":1: empty line before more data");
}

static void
test_csv_binary (void)
{
  expect_csv_error ("nul.csv", RS_ERROR_PARSE, ":3: binary data (NUL byte)");
}

static void
test_csv_io_errors (void)
{
  g_autofree char *missing = csv_path ("no-such-file.csv");
  g_autofree char *rest = g_strconcat (": ", g_strerror (ENOENT), NULL);
  expect_csv_error_at (missing, RS_ERROR_IO, rest);

  g_autofree char *dir = g_build_filename (RS_TEST_SRCDIR, "data", "csv", NULL);
  expect_csv_error_at (dir, RS_ERROR_IO, ": is a directory");
}

/* Files made on the fly: too big to keep in the repository. */
static void
test_csv_limits (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("rs-test-dataset-XXXXXX", &error);
  g_assert_no_error (error);

  /* A line of 1 MiB + 1 byte on line 2. */
  g_autofree char *long_path = g_build_filename (tmp, "long.csv", NULL);
  {
    GString *s = g_string_new ("1,2,0\n");
    while (s->len < 6 + 1024 * 1024 + 1)
      g_string_append (s, "1234567,");
    g_string_append (s, "0\n");
    g_file_set_contents (long_path, s->str, (gssize) s->len, &error);
    g_assert_no_error (error);
    g_string_free (s, TRUE);
  }
  expect_csv_error_at (long_path, RS_ERROR_PARSE, ":2: line longer than 1 MiB");

  /* Exactly 1 MiB (without the newline) is still accepted. */
  g_autofree char *edge_path = g_build_filename (tmp, "edge.csv", NULL);
  {
    /* "000...01,1": one feature (leading zeros are fine) and a label. */
    const gsize width = 1024 * 1024;
    GString *s = g_string_new (NULL);
    while (s->len < width - 3)
      g_string_append_c (s, '0');
    g_string_append (s, "1,1\n");
    g_assert_cmpuint (s->len, ==, width + 1);
    g_file_set_contents (edge_path, s->str, (gssize) s->len, &error);
    g_assert_no_error (error);
    g_string_free (s, TRUE);
  }
  {
    /* One row only: every label is 1 -> classes = 2. */
    g_autoptr (RsDataset) d = rs_dataset_load_csv (edge_path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (d->n, ==, 1);
    g_assert_cmpint (d->features, ==, 1);
    g_assert_cmpfloat (d->x[0], ==, 1.0f);
    g_assert_cmpint (d->classes, ==, 2);
    g_assert_cmpint (d->y[0], ==, 1);
  }

  /* A sparse file over 512 MiB: refused from its size, without reading. */
  g_autofree char *big_path = g_build_filename (tmp, "big.csv", NULL);
  {
    FILE *fp = g_fopen (big_path, "wb");
    g_assert_nonnull (fp);
    g_assert_cmpint (fseeko (fp, (off_t) 512 * 1024 * 1024, SEEK_SET), ==, 0);
    g_assert_cmpint (fputc ('\n', fp), ==, '\n');
    g_assert_cmpint (fclose (fp), ==, 0);
  }
  expect_csv_error_at (big_path, RS_ERROR_IO,
                       ": file is larger than 512 MiB (536870913 bytes)");

  g_assert_cmpint (g_unlink (long_path), ==, 0);
  g_assert_cmpint (g_unlink (edge_path), ==, 0);
  g_assert_cmpint (g_unlink (big_path), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* rs_dataset_parse_csv on a file's bytes gives exactly what
 * rs_dataset_load_csv gives on the file: the same data or the same error. */
static void
test_csv_parse_matches_load (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir_path = g_build_filename (RS_TEST_SRCDIR, "data", "csv", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  int n_files = 0;
  const char *entry;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, entry, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;
      g_file_get_contents (path, &text, &len, &error);
      g_assert_no_error (error);

      g_autoptr (GError) file_error = NULL;
      g_autoptr (GError) text_error = NULL;
      g_autoptr (RsDataset) from_file = rs_dataset_load_csv (path, &file_error);
      g_autoptr (RsDataset) from_text = rs_dataset_parse_csv (text, len, path, &text_error);
      if (from_file != NULL)
        {
          g_assert_no_error (text_error);
          g_assert_nonnull (from_text);
          assert_same_data (from_file, from_text);
        }
      else
        {
          g_assert_null (from_text);
          g_assert_error (text_error, file_error->domain, file_error->code);
          g_assert_cmpstr (text_error->message, ==, file_error->message);
        }
      n_files++;
    }
  g_assert_cmpint (n_files, >=, 30);

  /* Without a name the messages start with "<memory>"; empty text is fine. */
  g_autoptr (RsDataset) none = rs_dataset_parse_csv (NULL, 0, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "<memory>: empty file");
  g_clear_error (&error);

  /* The text need not end in a NUL: only len bytes count. */
  const char text[] = "1,2,0\n3,4,1\nJUNK";
  g_autoptr (RsDataset) two = rs_dataset_parse_csv (text, 12, "t.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (two->n, ==, 2);
  g_assert_cmpint (two->features, ==, 2);
}

/* Found by tests/fuzz/fuzz-csv and its notes: class names were checked
 * for repeats against every earlier one, so a 1 MiB header of distinct
 * names took half a minute. Repeats are still found, in the same place. */
static void
test_csv_many_class_names (void)
{
  g_autoptr (GError) error = NULL;
  const char dup[] = "4,1,a,b,a\n1,0\n";
  g_autoptr (RsDataset) none = rs_dataset_parse_csv (dup, strlen (dup), "dup.csv", &error);
  g_assert_null (none);
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "dup.csv:1: column 5: class name 'a' appears twice");
  g_clear_error (&error);

  const int k = 100000;
  GString *s = g_string_new ("2,1");
  for (int i = 0; i < k; i++)
    g_string_append_printf (s, ",c%d", i);
  g_string_append_printf (s, "\n0.5,%d\n1.5,0\n", k - 1);
  g_assert_cmpuint (s->len, <, 1024 * 1024);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (RsDataset) d = rs_dataset_parse_csv (s->str, s->len, "names.csv", &error);
  gint64 elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (d->n, ==, 2);
  g_assert_cmpint (d->classes, ==, k);
  g_assert_cmpstr (d->class_names[k - 1], ==, "c99999");
  g_assert_cmpint (d->y[0], ==, k - 1);
  if (g_test_verbose ())
    g_test_message ("%d class names in %.3f s", k, elapsed / 1e6);
  g_string_free (s, TRUE);
}

/* ---- shipped sets ---- */

static void
test_builtin (void)
{
  static const struct {
    RsDataSource source;
    int n, features, classes, image;
    const char *first_name, *last_name;
    float x0;      /* first value of the first row */
    int32_t y0;    /* its label */
  } sets[] = {
    { RS_DATA_DIGITS, 1797, 64, 10, 8, "0", "9", 0.0f, 0 },
    { RS_DATA_IRIS, 150, 4, 3, 0, "setosa", "virginica", 5.1f, 0 },
    { RS_DATA_WINE, 178, 13, 3, 0, "class_0", "class_2", 14.23f, 0 },
    { RS_DATA_BREAST_CANCER, 569, 30, 2, 0, "malignant", "benign", 17.99f, 0 },
  };

  for (gsize s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RsDataset) d = rs_dataset_load_builtin (sets[s].source, data_dir (),
                                                         &error);
      g_assert_no_error (error);
      g_assert_nonnull (d);
      g_assert_cmpint (d->n, ==, sets[s].n);
      g_assert_cmpint (d->features, ==, sets[s].features);
      g_assert_cmpint (d->classes, ==, sets[s].classes);
      g_assert_cmpint (d->image_w, ==, sets[s].image);
      g_assert_cmpint (d->image_h, ==, sets[s].image);
      g_assert_nonnull (d->class_names);
      g_assert_cmpuint (g_strv_length (d->class_names), ==, (guint) sets[s].classes);
      g_assert_cmpstr (d->class_names[0], ==, sets[s].first_name);
      g_assert_cmpstr (d->class_names[sets[s].classes - 1], ==, sets[s].last_name);
      g_assert_cmpfloat (d->x[0], ==, sets[s].x0);
      g_assert_cmpint (d->y[0], ==, sets[s].y0);

      int counts[10];
      count_labels (d, counts);
      for (int k = 0; k < d->classes; k++)
        g_assert_cmpint (counts[k], >, 0);
    }
}

static void
test_builtin_values (void)
{
  g_autoptr (RsDataset) iris = rs_dataset_load_builtin (RS_DATA_IRIS, data_dir (), NULL);
  g_assert_nonnull (iris);
  /* Fisher's data: 50 of each species; the last row is 5.9,3.0,5.1,1.8,2. */
  int counts[3];
  count_labels (iris, counts);
  g_assert_cmpint (counts[0], ==, 50);
  g_assert_cmpint (counts[1], ==, 50);
  g_assert_cmpint (counts[2], ==, 50);
  const float last[] = { 5.9f, 3.0f, 5.1f, 1.8f };
  g_assert_cmpmem (iris->x + 149 * 4, sizeof last, last, sizeof last);
  g_assert_cmpint (iris->y[149], ==, 2);

  g_autoptr (RsDataset) digits = rs_dataset_load_builtin (RS_DATA_DIGITS, data_dir (), NULL);
  g_assert_nonnull (digits);
  /* Pixels are 0..16; the first image is a 0: its first row 0,0,5,13,9,1,0,0. */
  const float row0[] = { 0, 0, 5, 13, 9, 1, 0, 0 };
  g_assert_cmpmem (digits->x, sizeof row0, row0, sizeof row0);
  for (int i = 0; i < digits->n * digits->features; i++)
    {
      g_assert_cmpfloat (digits->x[i], >=, 0.0f);
      g_assert_cmpfloat (digits->x[i], <=, 16.0f);
      g_assert_cmpfloat (digits->x[i], ==, floorf (digits->x[i]));
    }
  g_assert_cmpint (digits->y[1796], ==, 8);

  g_autoptr (RsDataset) bc = rs_dataset_load_builtin (RS_DATA_BREAST_CANCER, data_dir (),
                                                      NULL);
  g_assert_nonnull (bc);
  int bc_counts[2];
  count_labels (bc, bc_counts);
  g_assert_cmpint (bc_counts[0], ==, 212);
  g_assert_cmpint (bc_counts[1], ==, 357);
}

static void
test_builtin_errors (void)
{
  g_autoptr (GError) error = NULL;
  RsDataset *d = rs_dataset_load_builtin (RS_DATA_MOONS, data_dir (), &error);
  g_assert_null (d);
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "data source 'moons' is not one of the shipped data sets");
  g_clear_error (&error);

  g_autofree char *nowhere = g_build_filename (RS_TEST_SRCDIR, "data", "csv", NULL);
  d = rs_dataset_load_builtin (RS_DATA_IRIS, nowhere, &error);
  g_assert_null (d);
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "datasets/iris.csv: "));
}

/* ---- split ---- */

/* Row i is (i, -i) with label i % classes, so rows can be told apart. */
static RsDataset *
numbered (int n, int classes)
{
  RsDataset *d = rs_dataset_new (n, 2, classes);
  for (int i = 0; i < n; i++)
    {
      d->x[2 * i] = (float) i;
      d->x[2 * i + 1] = (float) -i;
      d->y[i] = i % classes;
    }
  const char *names[] = { "a", "b", "c", NULL };
  d->class_names = g_strdupv ((char **) names);
  d->image_w = 2;
  d->image_h = 1;
  return d;
}

static void
check_part (const RsDataset *part, const RsDataset *all, gboolean *seen)
{
  g_assert_cmpint (part->features, ==, all->features);
  g_assert_cmpint (part->classes, ==, all->classes);
  g_assert_cmpstrv (part->class_names, (const char * const *) all->class_names);
  g_assert_cmpint (part->image_w, ==, all->image_w);
  g_assert_cmpint (part->image_h, ==, all->image_h);
  for (int i = 0; i < part->n; i++)
    {
      int row = (int) part->x[2 * i];
      g_assert_cmpint (row, >=, 0);
      g_assert_cmpint (row, <, all->n);
      g_assert_cmpfloat (part->x[2 * i + 1], ==, (float) -row);
      g_assert_cmpint (part->y[i], ==, all->y[row]);
      g_assert_false (seen[row]);
      seen[row] = TRUE;
    }
}

static void
test_split_sizes (void)
{
  static const struct {
    int n;
    double fraction;
    int n_train;
  } cases[] = {
    { 10, 0.3, 7 }, { 100, 0.2, 80 }, { 7, 0.5, 4 }, /* round (3.5) */
    { 2, 0.01, 1 }, { 2, 0.99, 1 }, { 3, 0.999, 1 }, { 1000, 0.001, 999 },
    { 5, 0.1, 4 }, /* round (4.5) = 5 would leave no validation row */
  };
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (RsDataset) all = numbered (cases[c].n, 3);
      RsDataset *train = NULL, *val = NULL;
      rs_dataset_split (all, cases[c].fraction, 17, &train, &val);
      g_assert_nonnull (train);
      g_assert_nonnull (val);
      g_assert_cmpint (train->n, ==, cases[c].n_train);
      g_assert_cmpint (val->n, ==, cases[c].n - cases[c].n_train);

      /* Disjoint, and together every row exactly once. */
      gboolean *seen = g_new0 (gboolean, (gsize) cases[c].n);
      check_part (train, all, seen);
      check_part (val, all, seen);
      for (int i = 0; i < cases[c].n; i++)
        g_assert_true (seen[i]);
      g_free (seen);
      rs_dataset_free (train);
      rs_dataset_free (val);
    }

  /* A single row: it trains, nothing is left to validate. */
  g_autoptr (RsDataset) one = numbered (1, 3);
  RsDataset *train = NULL, *val = (RsDataset *) 0x1;
  rs_dataset_split (one, 0.5, 1, &train, &val);
  g_assert_nonnull (train);
  g_assert_null (val);
  g_assert_cmpint (train->n, ==, 1);
  rs_dataset_free (train);
}

static void
test_split_deterministic (void)
{
  g_autoptr (RsDataset) all = numbered (50, 3);
  RsDataset *t1, *v1, *t2, *v2, *t3, *v3;
  rs_dataset_split (all, 0.2, 5, &t1, &v1);
  rs_dataset_split (all, 0.2, 5, &t2, &v2);
  rs_dataset_split (all, 0.2, 6, &t3, &v3);
  assert_same_data (t1, t2);
  assert_same_data (v1, v2);
  g_assert_false (same_bytes (t1, t3));

  /* The split is a permutation, not the original order. */
  gboolean in_order = TRUE;
  for (int i = 0; i < t1->n; i++)
    in_order = in_order && t1->x[2 * i] == (float) i;
  g_assert_false (in_order);

  rs_dataset_free (t1);
  rs_dataset_free (v1);
  rs_dataset_free (t2);
  rs_dataset_free (v2);
  rs_dataset_free (t3);
  rs_dataset_free (v3);
}

static void
test_split_none (void)
{
  g_autoptr (RsDataset) all = numbered (9, 3);
  RsDataset *train = NULL, *val = (RsDataset *) 0x1;
  rs_dataset_split (all, 0.0, 3, &train, &val);
  g_assert_null (val);
  g_assert_nonnull (train);
  g_assert_true (train != all);
  /* All rows, original order. */
  assert_same_data (train, all);
  g_assert_cmpstrv (train->class_names, (const char * const *) all->class_names);
  g_assert_cmpint (train->image_w, ==, 2);
  rs_dataset_free (train);
}

/* ---- standardise ---- */

static void
test_standardize (void)
{
  const int n = 200;
  g_autoptr (RsDataset) all = rs_dataset_new (n, 3, 2);
  for (int i = 0; i < n; i++)
    {
      all->x[3 * i] = 1000.0f + (float) (i % 10);   /* large offset */
      all->x[3 * i + 1] = -0.001f * (float) i;      /* tiny scale */
      all->x[3 * i + 2] = 4.0f;                     /* constant */
      all->y[i] = i % 2;
    }
  RsDataset *train = NULL, *val = NULL;
  rs_dataset_split (all, 0.25, 21, &train, &val);
  g_assert_cmpint (train->n, ==, 150);

  /* Training statistics, computed here independently. */
  double mean[3] = { 0 }, sd[3] = { 0 };
  for (int j = 0; j < 3; j++)
    {
      for (int i = 0; i < train->n; i++)
        mean[j] += train->x[3 * i + j];
      mean[j] /= train->n;
      for (int i = 0; i < train->n; i++)
        sd[j] += (train->x[3 * i + j] - mean[j]) * (train->x[3 * i + j] - mean[j]);
      sd[j] = sqrt (sd[j] / train->n);
    }
  g_assert_cmpfloat (sd[2], ==, 0.0);
  float val_before[2] = { val->x[0], val->x[1] };
  float val_const = val->x[2];
  g_assert_cmpfloat (val_const, ==, 4.0f);

  rs_dataset_standardize (train, val, NULL);

  for (int j = 0; j < 3; j++)
    {
      double m = 0.0, ss = 0.0;
      for (int i = 0; i < train->n; i++)
        m += train->x[3 * i + j];
      m /= train->n;
      for (int i = 0; i < train->n; i++)
        ss += (train->x[3 * i + j] - m) * (train->x[3 * i + j] - m);
      g_assert_cmpfloat_with_epsilon (m, 0.0, 1e-5);
      if (j < 2)
        g_assert_cmpfloat_with_epsilon (sqrt (ss / train->n), 1.0, 1e-4);
      else
        g_assert_cmpfloat (ss, ==, 0.0); /* constant: centred, not scaled */
    }
  /* Validation uses the training mean and spread, not its own. */
  for (int j = 0; j < 2; j++)
    g_assert_cmpfloat_with_epsilon (val->x[j], (val_before[j] - mean[j]) / sd[j], 1e-4);
  g_assert_cmpfloat (val->x[2], ==, 0.0f);
  for (int i = 0; i < val->n; i++)
    g_assert_cmpfloat (val->x[3 * i + 2], ==, 0.0f);

  rs_dataset_free (train);
  rs_dataset_free (val);

  /* Without a validation set. */
  g_autoptr (RsDataset) solo = rs_dataset_new (4, 1, 2);
  const float v[] = { 1, 3, 5, 7 }; /* mean 4, population sd sqrt (5) */
  memcpy (solo->x, v, sizeof v);
  rs_dataset_standardize (solo, NULL, NULL);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (solo->x[i], (v[i] - 4.0) / sqrt (5.0), 1e-6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/dataset/source-names", test_source_names);
  g_test_add_func ("/engine/dataset/new-copy", test_new_copy);

  g_test_add_func ("/engine/dataset/generate-shapes", test_generate_shapes);
  g_test_add_func ("/engine/dataset/generate-deterministic", test_generate_deterministic);
  g_test_add_func ("/engine/dataset/generate-random", test_generate_random);
  g_test_add_func ("/engine/dataset/generate-moons-geometry", test_generate_moons_geometry);
  g_test_add_func ("/engine/dataset/generate-circles-geometry", test_generate_circles_geometry);
  g_test_add_func ("/engine/dataset/generate-xor-geometry", test_generate_xor_geometry);
  g_test_add_func ("/engine/dataset/generate-spirals-geometry", test_generate_spirals_geometry);
  g_test_add_func ("/engine/dataset/generate-blobs-clusters", test_generate_blobs_clusters);
  g_test_add_func ("/engine/dataset/generate-errors", test_generate_errors);

  g_test_add_func ("/engine/dataset/csv-names-header", test_csv_names_header);
  g_test_add_func ("/engine/dataset/csv-info", test_csv_info);
  g_test_add_func ("/engine/dataset/csv-sklearn-header", test_csv_sklearn_header);
  g_test_add_func ("/engine/dataset/csv-sklearn-numeric-names", test_csv_sklearn_numeric_names);
  g_test_add_func ("/engine/dataset/csv-headerless", test_csv_headerless);
  g_test_add_func ("/engine/dataset/csv-crlf-and-bom", test_csv_crlf_and_bom);
  g_test_add_func ("/engine/dataset/csv-trailing-blank-lines", test_csv_trailing_blank_lines);
  g_test_add_func ("/engine/dataset/csv-text-labels", test_csv_text_labels);
  g_test_add_func ("/engine/dataset/csv-label-column", test_csv_label_column);
  g_test_add_func ("/engine/dataset/csv-one-based-labels", test_csv_one_based_labels);
  g_test_add_func ("/engine/dataset/csv-semicolon", test_csv_semicolon);
  g_test_add_func ("/engine/dataset/csv-pandas-index", test_csv_pandas_index);
  g_test_add_func ("/engine/dataset/csv-error-empty", test_csv_empty);
  g_test_add_func ("/engine/dataset/csv-error-columns", test_csv_columns);
  g_test_add_func ("/engine/dataset/csv-error-numbers", test_csv_numbers);
  g_test_add_func ("/engine/dataset/csv-error-labels", test_csv_labels);
  g_test_add_func ("/engine/dataset/csv-error-sklearn-mismatch", test_csv_sklearn_mismatch);
  g_test_add_func ("/engine/dataset/csv-error-blank-lines", test_csv_blank_lines_inside);
  g_test_add_func ("/engine/dataset/csv-error-binary", test_csv_binary);
  g_test_add_func ("/engine/dataset/csv-error-io", test_csv_io_errors);
  g_test_add_func ("/engine/dataset/csv-error-limits", test_csv_limits);
  g_test_add_func ("/engine/dataset/csv-parse-matches-load", test_csv_parse_matches_load);
  g_test_add_func ("/engine/dataset/csv-many-class-names", test_csv_many_class_names);

  g_test_add_func ("/engine/dataset/builtin", test_builtin);
  g_test_add_func ("/engine/dataset/builtin-values", test_builtin_values);
  g_test_add_func ("/engine/dataset/builtin-errors", test_builtin_errors);

  g_test_add_func ("/engine/dataset/split-sizes", test_split_sizes);
  g_test_add_func ("/engine/dataset/split-deterministic", test_split_deterministic);
  g_test_add_func ("/engine/dataset/split-none", test_split_none);
  g_test_add_func ("/engine/dataset/standardize", test_standardize);

  return g_test_run ();
}
