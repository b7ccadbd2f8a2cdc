/* test-stats.c — histograms, sparsity and norms. */
#include <math.h>

#include "rs-stats.h"

static void
test_linear_bins (void)
{
  const float v[] = { 0.0f, -0.05f, 0.15f, 0.25f, -0.95f, 1.0f, 5.0f };
  RsHistogram *h = rs_histogram_new (10, FALSE, 0.0, 1.0);

  rs_histogram_fill (h, v, G_N_ELEMENTS (v));
  g_assert_cmpuint (h->total, ==, 7);
  g_assert_cmpuint (h->below, ==, 0);
  g_assert_cmpuint (h->counts[0], ==, 2);   /* 0 and |-0.05| */
  g_assert_cmpuint (h->counts[1], ==, 1);
  g_assert_cmpuint (h->counts[2], ==, 1);
  g_assert_cmpuint (h->counts[9], ==, 3);   /* 0.95, and 1.0 and 5.0 clamp to the last */
  guint32 sum = 0;
  for (int i = 0; i < h->n_bins; i++)
    sum += h->counts[i];
  g_assert_cmpuint (sum, ==, h->total);
  g_assert_cmpfloat_with_epsilon (rs_histogram_edge (h, 0), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_histogram_edge (h, 5), 0.5, 1e-12);
  g_assert_cmpfloat (rs_histogram_edge (h, 10), ==, 1.0);
  rs_histogram_free (h);
}

static void
test_log_bins (void)
{
  /* 6 decades, one bin per decade: the value 10^k sits on an edge and must
   * land in the bin that starts there. */
  const float v[] = { 0.0f, 1e-7f, 2e-5f, 3e-5f, 1e-3f, 0.5f, -2.0f, 100.0f };
  RsHistogram *h = rs_histogram_new (6, TRUE, RS_HISTOGRAM_LOG_LO, RS_HISTOGRAM_LOG_HI);

  rs_histogram_fill (h, v, G_N_ELEMENTS (v));
  g_assert_cmpuint (h->total, ==, 8);
  g_assert_cmpuint (h->below, ==, 2);       /* 0 and 1e-7 */
  g_assert_cmpuint (h->counts[0], ==, 2);   /* 2e-5, 3e-5 */
  g_assert_cmpuint (h->counts[1], ==, 0);
  g_assert_cmpuint (h->counts[2], ==, 1);   /* 1e-3 */
  g_assert_cmpuint (h->counts[4], ==, 1);   /* 0.5 */
  g_assert_cmpuint (h->counts[5], ==, 2);   /* 2 and 100 (clamped) */
  g_assert_cmpfloat_with_epsilon (rs_histogram_edge (h, 2), 1e-3, 1e-15);
  g_assert_cmpfloat (rs_histogram_edge (h, 6), ==, 10.0);

  /* Refilling clears the old counts. */
  rs_histogram_fill (h, v, 1);
  g_assert_cmpuint (h->total, ==, 1);
  g_assert_cmpuint (h->below, ==, 1);
  g_assert_cmpuint (h->counts[5], ==, 0);
  rs_histogram_free (h);
}

static void
test_log_bins_edges_exact (void)
{
  /* Every value exactly on a drawn edge lands in the bin starting there. */
  RsHistogram *h = rs_histogram_new (40, TRUE, RS_HISTOGRAM_LOG_LO, RS_HISTOGRAM_LOG_HI);
  for (int i = 0; i < 40; i++)
    {
      float v = (float) rs_histogram_edge (h, i);
      /* float rounding may move the value below the double edge */
      if ((double) v < rs_histogram_edge (h, i))
        v = nextafterf (v, INFINITY);
      rs_histogram_fill (h, &v, 1);
      g_assert_cmpuint (h->counts[i], ==, 1);
    }
  rs_histogram_free (h);
}

static void
test_nan_ignored (void)
{
  const float v[] = { NAN, 0.5f };
  RsHistogram *h = rs_histogram_new (4, FALSE, 0.0, 1.0);
  rs_histogram_fill (h, v, 2);
  g_assert_cmpuint (h->total, ==, 1);
  g_assert_cmpuint (h->counts[2], ==, 1);
  rs_histogram_free (h);
}

static void
test_copy (void)
{
  const float v[] = { 0.1f, 0.2f, 0.9f };
  RsHistogram *h = rs_histogram_new (4, FALSE, 0.0, 1.0);
  rs_histogram_fill (h, v, 3);
  RsHistogram *c = rs_histogram_copy (h);
  g_assert_true (c->counts != h->counts);
  g_assert_cmpmem (c->counts, 4 * sizeof (guint32), h->counts, 4 * sizeof (guint32));
  g_assert_cmpuint (c->total, ==, 3);
  rs_histogram_free (h);
  rs_histogram_free (c);
  g_assert_null (rs_histogram_copy (NULL));
}

static void
test_fraction_below (void)
{
  const float v[] = { 0.0f, 1e-4f, -5e-4f, 0.001f, 0.5f };
  g_assert_cmpfloat_with_epsilon (rs_stats_fraction_below (v, 5, 1e-3), 0.6, 1e-12);
  g_assert_cmpfloat (rs_stats_fraction_below (v, 0, 1e-3), ==, 0.0);
}

static void
test_norms (void)
{
  const float v[] = { 3.0f, -4.0f, 0.0f };
  g_assert_cmpfloat_with_epsilon (rs_stats_l2_norm (v, 3), 5.0, 1e-12);
  g_assert_cmpfloat (rs_stats_max_abs (v, 3), ==, 4.0);
  g_assert_cmpfloat (rs_stats_max_abs (v, 0), ==, 0.0);
}

static void
test_dead_units (void)
{
  /* 3 rows x 4 units: unit 1 is silent on every row, unit 3 only on two. */
  const float a[] = {
    0.5f, 0.0f, 1.0f, 0.0f,
    0.0f, 0.0f, 2.0f, 0.0f,
    0.1f, 1e-9f, 0.0f, 0.3f,
  };
  g_assert_cmpfloat_with_epsilon (rs_stats_dead_unit_fraction (a, 3, 4, 1e-6), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_stats_dead_unit_fraction (a, 2, 4, 1e-6), 0.5, 1e-12);
  g_assert_cmpfloat (rs_stats_dead_unit_fraction (a, 3, 0, 1e-6), ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/histogram/linear-bins", test_linear_bins);
  g_test_add_func ("/stats/histogram/log-bins", test_log_bins);
  g_test_add_func ("/stats/histogram/log-bin-edges-exact", test_log_bins_edges_exact);
  g_test_add_func ("/stats/histogram/nan-ignored", test_nan_ignored);
  g_test_add_func ("/stats/histogram/copy", test_copy);
  g_test_add_func ("/stats/fraction-below", test_fraction_below);
  g_test_add_func ("/stats/norms", test_norms);
  g_test_add_func ("/stats/dead-units", test_dead_units);
  return g_test_run ();
}
