/* rs-dataset-generate.c — synthetic classification data.
 *
 * Everything random comes from one RsRng on RS_RNG_STREAM_DATA, drawn in a
 * fixed order, so a seed always gives the same bytes. The plane generators
 * give sample i the label i % classes: the classes stay balanced and
 * interleaved without a separate shuffle. */
#include "rs-dataset.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-error.h"
#include "rs-rng.h"

#define RS_GENERATE_MAX_SAMPLES  10000000
#define RS_GENERATE_MAX_FEATURES 100000
#define RS_GENERATE_MAX_CLASSES  1000
/* 1 GiB of floats: more would not train in an interactive tool anyway. */
#define RS_GENERATE_MAX_VALUES   (G_GINT64_CONSTANT (1) << 28)

static gboolean
check_arguments (RsDataSource source, int samples, int features, int classes,
                 double noise, GError **error)
{
  const char *name = rs_data_source_to_string (source);

  if (samples < 1 || samples > RS_GENERATE_MAX_SAMPLES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: samples must be between 1 and %d, got %d"),
                   name, RS_GENERATE_MAX_SAMPLES, samples);
      return FALSE;
    }
  if (rs_data_source_is_2d (source) && features != 2)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: a 2-D generator needs features = 2, got %d"),
                   name, features);
      return FALSE;
    }
  if (features < 1 || features > RS_GENERATE_MAX_FEATURES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: features must be between 1 and %d, got %d"),
                   name, RS_GENERATE_MAX_FEATURES, features);
      return FALSE;
    }
  if ((gint64) samples * features > RS_GENERATE_MAX_VALUES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: %d samples x %d features is too much data (at most %lld values)"),
                   name, samples, features, (long long) RS_GENERATE_MAX_VALUES);
      return FALSE;
    }
  if ((source == RS_DATA_MOONS || source == RS_DATA_XOR) && classes != 2)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: has exactly 2 classes, got classes = %d"), name, classes);
      return FALSE;
    }
  if (classes < 2 || classes > RS_GENERATE_MAX_CLASSES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: classes must be between 2 and %d, got %d"),
                   name, RS_GENERATE_MAX_CLASSES, classes);
      return FALSE;
    }
  if (classes > samples)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: %d classes need at least %d samples, got %d"),
                   name, classes, classes, samples);
      return FALSE;
    }
  if (!isfinite (noise) || noise < 0.0 || noise > 1000.0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: noise must be between 0 and 1000, got %g"), name, noise);
      return FALSE;
    }
  return TRUE;
}

/* torch.randn (n, f) then torch.randint (0, classes, (n,)): the same order
 * of draws as the seed document, though not PyTorch's numbers. */
static void
generate_random (RsDataset *d, RsRng *rng)
{
  gsize nx = (gsize) d->n * (gsize) d->features;
  for (gsize i = 0; i < nx; i++)
    d->x[i] = (float) rs_rng_normal (rng);
  for (int i = 0; i < d->n; i++)
    d->y[i] = (int32_t) rs_rng_below (rng, (uint32_t) d->classes);
}

static void
set_point (RsDataset *d, int i, double px, double py, int label,
           double noise, RsRng *rng)
{
  /* Draw the noise even when it is 0 so that the stream, and thus the
   * positions, do not depend on the noise level. */
  double nx = rs_rng_normal (rng);
  double ny = rs_rng_normal (rng);
  d->x[2 * i] = (float) (px + noise * nx);
  d->x[2 * i + 1] = (float) (py + noise * ny);
  d->y[i] = label;
}

/* Arms start at the centre and turn by ~230 degrees on the way out (as in
 * the CS231n example); arm k starts at angle 2 pi k / classes. */
static void
generate_spirals (RsDataset *d, double noise, RsRng *rng)
{
  for (int i = 0; i < d->n; i++)
    {
      int k = i % d->classes;
      double r = rs_rng_uniform (rng);
      double t = 2.0 * G_PI * k / d->classes + 4.0 * r;
      set_point (d, i, r * cos (t), r * sin (t), k, noise, rng);
    }
}

/* sklearn.datasets.make_moons: class 0 on the upper unit half circle,
 * class 1 on the lower one shifted to (1, 0.5). */
static void
generate_moons (RsDataset *d, double noise, RsRng *rng)
{
  for (int i = 0; i < d->n; i++)
    {
      int k = i % 2;
      double t = G_PI * rs_rng_uniform (rng);
      if (k == 0)
        set_point (d, i, cos (t), sin (t), 0, noise, rng);
      else
        set_point (d, i, 1.0 - cos (t), 0.5 - sin (t), 1, noise, rng);
    }
}

/* Class k on the circle of radius (k + 1) / classes. */
static void
generate_circles (RsDataset *d, double noise, RsRng *rng)
{
  for (int i = 0; i < d->n; i++)
    {
      int k = i % d->classes;
      double r = (double) (k + 1) / d->classes;
      double t = 2.0 * G_PI * rs_rng_uniform (rng);
      set_point (d, i, r * cos (t), r * sin (t), k, noise, rng);
    }
}

/* Uniform in [-1, 1]^2; class 1 where the signs of x and y differ. The
 * label is taken before the noise, so noise blurs the axes. */
static void
generate_xor (RsDataset *d, double noise, RsRng *rng)
{
  for (int i = 0; i < d->n; i++)
    {
      double px = rs_rng_uniform_range (rng, -1.0, 1.0);
      double py = rs_rng_uniform_range (rng, -1.0, 1.0);
      int label = (px < 0.0) != (py < 0.0);
      set_point (d, i, px, py, label, noise, rng);
    }
}

/* Like sklearn.datasets.make_blobs: centres uniform in [-10, 10]^features,
 * unit-variance clusters, one per class. */
static void
generate_blobs (RsDataset *d, RsRng *rng)
{
  gsize f = (gsize) d->features;
  g_autofree double *centres = g_new (double, (gsize) d->classes * f);
  for (gsize j = 0; j < (gsize) d->classes * f; j++)
    centres[j] = rs_rng_uniform_range (rng, -10.0, 10.0);
  for (int i = 0; i < d->n; i++)
    {
      int k = i % d->classes;
      for (gsize j = 0; j < f; j++)
        d->x[(gsize) i * f + j] = (float) (centres[(gsize) k * f + j]
                                           + rs_rng_normal (rng));
      d->y[i] = k;
    }
}

RsDataset *
rs_dataset_generate (RsDataSource source, int samples, int features,
                     int classes, double noise, guint64 seed, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (source)
    {
    case RS_DATA_RANDOM:
    case RS_DATA_SPIRALS:
    case RS_DATA_MOONS:
    case RS_DATA_CIRCLES:
    case RS_DATA_XOR:
    case RS_DATA_BLOBS:
      break;
    case RS_DATA_CSV:
    case RS_DATA_DIGITS:
    case RS_DATA_IRIS:
    case RS_DATA_WINE:
    case RS_DATA_BREAST_CANCER:
    default:
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("data source '%s' is not a generator"),
                   rs_data_source_to_string (source));
      return NULL;
    }

  if (!check_arguments (source, samples, features, classes, noise, error))
    return NULL;

  RsRng rng;
  rs_rng_init (&rng, seed, RS_RNG_STREAM_DATA);
  RsDataset *d = rs_dataset_new (samples, features, classes);

  switch (source)
    {
    case RS_DATA_RANDOM:
      generate_random (d, &rng);
      break;
    case RS_DATA_SPIRALS:
      generate_spirals (d, noise, &rng);
      break;
    case RS_DATA_MOONS:
      generate_moons (d, noise, &rng);
      break;
    case RS_DATA_CIRCLES:
      generate_circles (d, noise, &rng);
      break;
    case RS_DATA_XOR:
      generate_xor (d, noise, &rng);
      break;
    case RS_DATA_BLOBS:
      generate_blobs (d, &rng);
      break;
    case RS_DATA_CSV:
    case RS_DATA_DIGITS:
    case RS_DATA_IRIS:
    case RS_DATA_WINE:
    case RS_DATA_BREAST_CANCER:
    default:
      g_assert_not_reached ();
    }
  return d;
}
