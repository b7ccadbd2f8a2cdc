/* rs-stats.c — weight-magnitude histograms, sparsity and norms: the numbers
 * behind the histograms and heatmaps. */
#include "rs-stats.h"

#include <math.h>
#include <string.h>

RsHistogram *
rs_histogram_new (int n_bins, gboolean log_bins, double lo, double hi)
{
  g_return_val_if_fail (n_bins > 0, NULL);

  RsHistogram *h = g_new0 (RsHistogram, 1);
  h->n_bins = n_bins;
  h->log_bins = log_bins;
  /* Log bins need a positive lower edge; fall back to the standard range
   * rather than producing NaN edges. */
  if (log_bins && !(lo > 0.0))
    lo = RS_HISTOGRAM_LOG_LO;
  if (!(hi > lo))
    hi = log_bins ? lo * 10.0 : lo;
  h->lo = lo;
  h->hi = hi;
  h->counts = g_new0 (guint32, n_bins);
  return h;
}

RsHistogram *
rs_histogram_copy (const RsHistogram *h)
{
  if (h == NULL)
    return NULL;
  RsHistogram *c = g_memdup2 (h, sizeof *h);
  c->counts = g_memdup2 (h->counts, sizeof (guint32) * (gsize) h->n_bins);
  return c;
}

void
rs_histogram_free (RsHistogram *h)
{
  if (h == NULL)
    return;
  g_free (h->counts);
  g_free (h);
}

double
rs_histogram_edge (const RsHistogram *h, int i)
{
  if (i <= 0)
    return h->lo;
  if (i >= h->n_bins)
    return h->hi;
  double t = (double) i / h->n_bins;
  if (h->log_bins)
    return pow (10.0, log10 (h->lo) + t * (log10 (h->hi) - log10 (h->lo)));
  return h->lo + t * (h->hi - h->lo);
}

/* The bin of a value >= lo. The estimate from the formula can be off by
 * one at an edge through rounding, so it is checked against the edges the
 * plots draw. */
static int
bin_of (const RsHistogram *h, double a)
{
  int n = h->n_bins;
  if (a >= h->hi)
    return n - 1;
  double t;
  if (h->log_bins)
    t = (log10 (a) - log10 (h->lo)) / (log10 (h->hi) - log10 (h->lo));
  else if (h->hi > h->lo)
    t = (a - h->lo) / (h->hi - h->lo);
  else
    return 0;
  int i = (int) floor (t * n);
  i = CLAMP (i, 0, n - 1);
  if (i > 0 && a < rs_histogram_edge (h, i))
    i--;
  else if (i < n - 1 && a >= rs_histogram_edge (h, i + 1))
    i++;
  return i;
}

void
rs_histogram_fill (RsHistogram *h, const float *values, gsize n)
{
  memset (h->counts, 0, sizeof (guint32) * (gsize) h->n_bins);
  h->below = 0;
  h->total = 0;
  for (gsize k = 0; k < n; k++)
    {
      double a = fabs ((double) values[k]);
      if (isnan (a))
        continue;               /* a diverged weight has no magnitude to show */
      h->total++;
      if (a < h->lo)
        {
          /* Linear bins start at lo (0 in practice): anything under it
           * belongs to the first bin. */
          if (h->log_bins)
            h->below++;
          else
            h->counts[0]++;
          continue;
        }
      h->counts[bin_of (h, a)]++;
    }
}

double
rs_stats_fraction_below (const float *values, gsize n, double threshold)
{
  if (n == 0)
    return 0.0;
  gsize k = 0;
  for (gsize i = 0; i < n; i++)
    if (fabsf (values[i]) < threshold)
      k++;
  return (double) k / (double) n;
}

double
rs_stats_max_abs (const float *values, gsize n)
{
  double m = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double a = fabs ((double) values[i]);
      if (a > m)
        m = a;
    }
  return m;
}

double
rs_stats_l2_norm (const float *values, gsize n)
{
  /* Accumulate in double: a 784x256 layer in float loses digits. */
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += (double) values[i] * (double) values[i];
  return sqrt (s);
}

double
rs_stats_dead_unit_fraction (const float *act, int rows, int units, double threshold)
{
  if (units <= 0)
    return 0.0;
  if (rows <= 0)
    return 0.0;
  int dead = 0;
  for (int u = 0; u < units; u++)
    {
      gboolean silent = TRUE;
      for (int r = 0; r < rows && silent; r++)
        if (!(fabsf (act[(gsize) r * units + u]) < threshold))
          silent = FALSE;
      if (silent)
        dead++;
    }
  return (double) dead / units;
}
