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
  /* The edges are computed once, here, so that filling costs a cheap
   * estimate and a comparison or two per value instead of logarithms and
   * powers (a 784x256 layer is 200k values, many times a second). */
  h->edges = g_new (double, n_bins + 1);
  for (int i = 0; i <= n_bins; i++)
    h->edges[i] = rs_histogram_edge (h, i);
  h->origin = log_bins ? log2 (lo) : lo;
  h->scale = n_bins / (log_bins ? log2 (hi) - log2 (lo) : hi - lo);
  return h;
}

RsHistogram *
rs_histogram_copy (const RsHistogram *h)
{
  if (h == NULL)
    return NULL;
  RsHistogram *c = g_memdup2 (h, sizeof *h);
  c->counts = g_memdup2 (h->counts, sizeof (guint32) * (gsize) h->n_bins);
  c->edges = g_memdup2 (h->edges, sizeof (double) * (gsize) (h->n_bins + 1));
  return c;
}

void
rs_histogram_free (RsHistogram *h)
{
  if (h == NULL)
    return;
  g_free (h->counts);
  g_free (h->edges);
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

/* log2 from the float's exponent and mantissa, linear in between: off by
 * at most 0.09, a fraction of a log bin (40 bins over 6 decades are 0.5
 * log2 units wide), so the estimate below is never more than a bin off and
 * the edge comparisons make it exact. */
static inline double
rough_log2 (float a)
{
  guint32 u;
  memcpy (&u, &a, sizeof u);
  int e = (int) ((u >> 23) & 0xffu) - 127;
  return e + (double) (u & 0x7fffffu) * (1.0 / 8388608.0);
}

/* The bin of a value lo <= a: estimated, then settled against the edges
 * the plots draw, so a value on an edge goes to the bin that starts there. */
static inline int
bin_of (const RsHistogram *h, float a)
{
  int n = h->n_bins;
  if (a >= h->hi)
    return n - 1;
  double t = h->log_bins ? (rough_log2 (a) - h->origin) * h->scale
                         : ((double) a - h->origin) * h->scale;
  int i = t > 0.0 ? (int) t : 0;
  if (i > n - 1)
    i = n - 1;
  while (i > 0 && a < h->edges[i])
    i--;
  while (i < n - 1 && a >= h->edges[i + 1])
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
      float a = fabsf (values[k]);
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
