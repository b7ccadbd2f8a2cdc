/* test-rng.c — the deterministic generator: its algorithm against
 * reference values, reproducibility, stream separation, and the
 * distributions of every derived draw (bounds, moments, chi-square). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-rng.h"

/* ---- reference implementations, written from the published algorithms --- */

/* splitmix64 (Steele, Lea, Flood 2014), as in Vigna's splitmix64.c */
static uint64_t
ref_splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += UINT64_C (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* xoshiro256** 1.0 (Blackman, Vigna 2018) */
static uint64_t
ref_rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static uint64_t
ref_xoshiro_next (uint64_t s[4])
{
  uint64_t result = ref_rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ref_rotl (s[3], 45);
  return result;
}

/* ---- the algorithm ------------------------------------------------------ */

/* Seeding is splitmix64: seed 0, stream 0 gives splitmix64's well-known
 * first four outputs from state 0. */
static void
test_splitmix_seeding (void)
{
  RsRng rng;
  rs_rng_init (&rng, 0, 0);
  g_assert_cmphex (rng.s[0], ==, UINT64_C (0xe220a8397b1dcdaf));
  g_assert_cmphex (rng.s[1], ==, UINT64_C (0x6e789e6aa1b965f4));
  g_assert_cmphex (rng.s[2], ==, UINT64_C (0x06c45d188009454f));
  g_assert_cmphex (rng.s[3], ==, UINT64_C (0xf88bb8a8724c81ec));
  g_assert_false (rng.has_spare);

  /* Any other seed: four consecutive splitmix64 outputs of the mixed seed. */
  rs_rng_init (&rng, 12345, 0);
  uint64_t x = 12345;
  for (int i = 0; i < 4; i++)
    g_assert_cmphex (rng.s[i], ==, ref_splitmix64 (&x));
}

/* xoshiro256** from the state {1, 2, 3, 4}: the first outputs by hand
 * (rotl (2*5, 7) * 9 = 11520; then s[1] becomes 0), the rest against the
 * reference implementation above. */
static void
test_xoshiro_reference (void)
{
  RsRng rng = { .s = { 1, 2, 3, 4 } };
  g_assert_cmpuint (rs_rng_next (&rng), ==, 11520);
  g_assert_cmpuint (rs_rng_next (&rng), ==, 0);

  uint64_t ref[4] = { 1, 2, 3, 4 };
  ref_xoshiro_next (ref);
  ref_xoshiro_next (ref);
  for (int i = 0; i < 1000; i++)
    g_assert_cmphex (rs_rng_next (&rng), ==, ref_xoshiro_next (ref));
}

/* ---- reproducibility and streams ---------------------------------------- */

static void
test_same_seed_same_sequence (void)
{
  RsRng a, b;
  rs_rng_init (&a, 42, RS_RNG_STREAM_DATA);
  rs_rng_init (&b, 42, RS_RNG_STREAM_DATA);
  for (int i = 0; i < 10000; i++)
    g_assert_cmphex (rs_rng_next (&a), ==, rs_rng_next (&b));
  /* and the derived draws too (normal keeps a spare between calls) */
  for (int i = 0; i < 1001; i++)
    {
      double x = rs_rng_normal (&a), y = rs_rng_normal (&b);
      g_assert_true (memcmp (&x, &y, sizeof x) == 0);
    }
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (rs_rng_below (&a, 1000003), ==, rs_rng_below (&b, 1000003));
}

static int
count_equal_outputs (guint64 seed_a, guint64 stream_a, guint64 seed_b, guint64 stream_b)
{
  RsRng a, b;
  rs_rng_init (&a, seed_a, stream_a);
  rs_rng_init (&b, seed_b, stream_b);
  int same = 0;
  for (int i = 0; i < 1000; i++)
    same += rs_rng_next (&a) == rs_rng_next (&b);
  return same;
}

static void
test_streams_differ (void)
{
  const guint64 streams[] = { 0, RS_RNG_STREAM_DATA, RS_RNG_STREAM_INIT, RS_RNG_STREAM_SPLIT,
                              RS_RNG_STREAM_SHUFFLE, RS_RNG_STREAM_PROBE };
  for (gsize i = 0; i < G_N_ELEMENTS (streams); i++)
    for (gsize j = i + 1; j < G_N_ELEMENTS (streams); j++)
      g_assert_cmpint (count_equal_outputs (7, streams[i], 7, streams[j]), ==, 0);

  /* different seeds, same stream */
  g_assert_cmpint (count_equal_outputs (0, RS_RNG_STREAM_INIT, 1, RS_RNG_STREAM_INIT), ==, 0);
  g_assert_cmpint (count_equal_outputs (1, RS_RNG_STREAM_INIT, 2, RS_RNG_STREAM_INIT), ==, 0);

  /* One stream is not another's sequence shifted by a few draws. */
  RsRng a, b;
  rs_rng_init (&a, 7, RS_RNG_STREAM_DATA);
  rs_rng_init (&b, 7, RS_RNG_STREAM_INIT);
  uint64_t first[64];
  for (int i = 0; i < 64; i++)
    first[i] = rs_rng_next (&a);
  for (int i = 0; i < 4096; i++)
    {
      uint64_t y = rs_rng_next (&b);
      for (int j = 0; j < 64; j++)
        g_assert_cmphex (y, !=, first[j]);
    }
}

/* ---- uniform ------------------------------------------------------------- */

#define N_DRAWS 100000

static void
test_uniform_moments (void)
{
  RsRng rng;
  rs_rng_init (&rng, 2024, RS_RNG_STREAM_PROBE);
  double sum = 0.0, sum2 = 0.0, lo = 1.0, hi = 0.0;
  int below_half = 0;
  for (int i = 0; i < N_DRAWS; i++)
    {
      double u = rs_rng_uniform (&rng);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      /* 53 bits: u * 2^53 is an integer */
      double scaled = u * 0x1.0p53;
      g_assert_cmpfloat (scaled, ==, floor (scaled));
      sum += u;
      sum2 += u * u;
      lo = MIN (lo, u);
      hi = MAX (hi, u);
      below_half += u < 0.5;
    }
  double n = N_DRAWS;
  double mean = sum / n;
  double var = sum2 / n - mean * mean;
  /* U(0,1): mean 1/2, variance 1/12; the sample mean has sd sqrt(1/12/n)
   * and the sample variance sd sqrt((1/80 - 1/144)/n) = sqrt(1/180/n). */
  g_assert_cmpfloat (fabs (mean - 0.5), <, 4.0 * sqrt (1.0 / 12.0 / n));
  g_assert_cmpfloat (fabs (var - 1.0 / 12.0), <, 4.0 * sqrt (1.0 / 180.0 / n));
  g_assert_cmpfloat (fabs (below_half - n / 2), <, 4.0 * sqrt (n / 4));
  /* the extremes come close to the ends of the interval */
  g_assert_cmpfloat (lo, <, 1e-3);
  g_assert_cmpfloat (hi, >, 1.0 - 1e-3);
}

/* The 53-bit mapping: the top 53 bits of the next output times 2^-53, so
 * the largest value is 1 - 2^-53 and 1 is never returned. */
static void
test_uniform_mapping (void)
{
  RsRng a, b;
  rs_rng_init (&a, 99, 0);
  rs_rng_init (&b, 99, 0);
  for (int i = 0; i < 1000; i++)
    {
      uint64_t x = rs_rng_next (&b);
      double want = (double) (x >> 11) / 9007199254740992.0;
      g_assert_cmpfloat (rs_rng_uniform (&a), ==, want);
    }
}

static void
test_uniform_range (void)
{
  RsRng rng;
  rs_rng_init (&rng, 5, 0);
  double sum = 0.0;
  for (int i = 0; i < N_DRAWS; i++)
    {
      double u = rs_rng_uniform_range (&rng, -3.0, 5.0);
      g_assert_cmpfloat (u, >=, -3.0);
      g_assert_cmpfloat (u, <, 5.0);
      sum += u;
    }
  /* mean 1, sd of the mean 8/sqrt(12 n) */
  g_assert_cmpfloat (fabs (sum / N_DRAWS - 1.0), <, 4.0 * 8.0 / sqrt (12.0 * N_DRAWS));

  /* a degenerate interval */
  for (int i = 0; i < 10; i++)
    g_assert_cmpfloat (rs_rng_uniform_range (&rng, 2.5, 2.5), ==, 2.5);
}

/* ---- normal -------------------------------------------------------------- */

static void
test_normal_moments (void)
{
  RsRng rng;
  rs_rng_init (&rng, 31337, RS_RNG_STREAM_DATA);
  double sum = 0.0, sum2 = 0.0, sum4 = 0.0;
  int tail = 0, positive = 0;
  for (int i = 0; i < N_DRAWS; i++)
    {
      double x = rs_rng_normal (&rng);
      g_assert_true (isfinite (x));
      sum += x;
      sum2 += x * x;
      sum4 += x * x * x * x;
      tail += fabs (x) > 1.959963984540054;
      positive += x > 0;
    }
  double n = N_DRAWS;
  double mean = sum / n, var = sum2 / n - mean * mean;
  /* N(0,1): sd of the mean 1/sqrt(n); of the variance sqrt(2/n);
   * E x^4 = 3 with sd sqrt((105 - 9)/n). */
  g_assert_cmpfloat (fabs (mean), <, 4.0 / sqrt (n));
  g_assert_cmpfloat (fabs (var - 1.0), <, 4.0 * sqrt (2.0 / n));
  g_assert_cmpfloat (fabs (sum4 / n - 3.0), <, 4.0 * sqrt (96.0 / n));
  /* P(|x| > 1.96) = 0.05 */
  g_assert_cmpfloat (fabs (tail - 0.05 * n), <, 4.0 * sqrt (0.05 * 0.95 * n));
  g_assert_cmpfloat (fabs (positive - 0.5 * n), <, 4.0 * sqrt (0.25 * n));
}

/* Box–Muller uses both values: two normals consume two 64-bit outputs (the
 * zero-rejection of u1 has probability 2^-53). */
static void
test_normal_uses_both_values (void)
{
  RsRng a, b;
  rs_rng_init (&a, 8, RS_RNG_STREAM_DATA);
  rs_rng_init (&b, 8, RS_RNG_STREAM_DATA);
  for (int round = 0; round < 100; round++)
    {
      double u1 = rs_rng_uniform (&b), u2 = rs_rng_uniform (&b);
      double z0 = rs_rng_normal (&a), z1 = rs_rng_normal (&a);
      /* the textbook pair: r cos(2 pi u2), r sin(2 pi u2) */
      double r = sqrt (-2.0 * log (u1));
      g_assert_cmpfloat (fabs (z0 - r * cos (2.0 * G_PI * u2)), <, 1e-12);
      g_assert_cmpfloat (fabs (z1 - r * sin (2.0 * G_PI * u2)), <, 1e-12);
      g_assert_cmphex (rs_rng_next (&a), ==, rs_rng_next (&b));
    }
  /* Re-seeding drops the spare. */
  rs_rng_normal (&a);
  g_assert_true (a.has_spare);
  rs_rng_init (&a, 8, RS_RNG_STREAM_DATA);
  g_assert_false (a.has_spare);
}

/* ---- integers below n ---------------------------------------------------- */

static double
chi_square (const guint64 *counts, const double *expected, int bins)
{
  double chi = 0.0;
  for (int i = 0; i < bins; i++)
    chi += (counts[i] - expected[i]) * (counts[i] - expected[i]) / expected[i];
  return chi;
}

static void
test_below_small (void)
{
  RsRng rng;
  rs_rng_init (&rng, 11, RS_RNG_STREAM_SPLIT);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (rs_rng_below (&rng, 1), ==, 0);

  guint64 counts[3] = { 0 };
  for (int i = 0; i < N_DRAWS; i++)
    {
      uint32_t v = rs_rng_below (&rng, 3);
      g_assert_cmpuint (v, <, 3);
      counts[v]++;
    }
  double expected[3] = { N_DRAWS / 3.0, N_DRAWS / 3.0, N_DRAWS / 3.0 };
  /* 2 degrees of freedom: P(chi2 > 25) ~ 4e-6 */
  double chi = chi_square (counts, expected, 3);
  g_test_message ("n = 3: chi-square %.2f (2 dof)", chi);
  g_assert_cmpfloat (chi, <, 25.0);

  guint64 c2[2] = { 0 };
  for (int i = 0; i < N_DRAWS; i++)
    {
      uint32_t v = rs_rng_below (&rng, 2);
      g_assert_cmpuint (v, <, 2);
      c2[v]++;
    }
  double e2[2] = { N_DRAWS / 2.0, N_DRAWS / 2.0 };
  g_assert_cmpfloat (chi_square (c2, e2, 2), <, 20.0);
}

/* n = 1e9 + 7: ten equal-width bins of the range. */
static void
test_below_large (void)
{
  const uint32_t n = 1000000007u;
  RsRng rng;
  rs_rng_init (&rng, 12, RS_RNG_STREAM_SPLIT);
  guint64 counts[10] = { 0 };
  uint32_t max = 0;
  for (int i = 0; i < N_DRAWS; i++)
    {
      uint32_t v = rs_rng_below (&rng, n);
      g_assert_cmpuint (v, <, n);
      max = MAX (max, v);
      counts[(guint64) v * 10 / n]++;
    }
  double expected[10];
  for (int b = 0; b < 10; b++)
    {
      /* bin b holds v with v*10/n == b: [ceil(b n/10), ceil((b+1) n/10)) */
      guint64 lo = ((guint64) b * n + 9) / 10, hi = ((guint64) (b + 1) * n + 9) / 10;
      expected[b] = (double) (hi - lo) / n * N_DRAWS;
    }
  /* 9 degrees of freedom: P(chi2 > 40) ~ 7e-6 */
  double chi = chi_square (counts, expected, 10);
  g_test_message ("n = 1e9+7: chi-square %.2f (9 dof)", chi);
  g_assert_cmpfloat (chi, <, 40.0);
  g_assert_cmpuint (max, >, n - n / 1000);
}

/* n = 3 * 2^30: a modulo reduction of 32 bits would make [0, 2^30) twice as
 * likely as each of the other two thirds; an unbiased draw gives 1/3 each. */
static void
test_below_unbiased (void)
{
  const uint32_t n = 3u << 30;
  RsRng rng;
  rs_rng_init (&rng, 13, RS_RNG_STREAM_SPLIT);
  guint64 counts[3] = { 0 };
  for (int i = 0; i < N_DRAWS; i++)
    {
      uint32_t v = rs_rng_below (&rng, n);
      g_assert_cmpuint (v, <, n);
      counts[v >> 30]++;
    }
  double expected[3] = { N_DRAWS / 3.0, N_DRAWS / 3.0, N_DRAWS / 3.0 };
  double chi = chi_square (counts, expected, 3);
  g_test_message ("n = 3*2^30: chi-square %.2f (2 dof)", chi);
  g_assert_cmpfloat (chi, <, 25.0);

  /* the full range */
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (rs_rng_below (&rng, G_MAXUINT32), <, G_MAXUINT32);
}

/* ---- shuffle ------------------------------------------------------------- */

static void
test_shuffle_permutation (void)
{
  enum { N = 1000 };
  int32_t idx[N], again[N];
  for (int i = 0; i < N; i++)
    idx[i] = again[i] = i;
  RsRng a, b;
  rs_rng_init (&a, 77, RS_RNG_STREAM_SHUFFLE);
  rs_rng_init (&b, 77, RS_RNG_STREAM_SHUFFLE);
  rs_rng_shuffle (&a, idx, N);
  rs_rng_shuffle (&b, again, N);
  g_assert_true (memcmp (idx, again, sizeof idx) == 0);

  gboolean seen[N] = { FALSE };
  int fixed = 0;
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpint (idx[i], >=, 0);
      g_assert_cmpint (idx[i], <, N);
      g_assert_false (seen[idx[i]]);
      seen[idx[i]] = TRUE;
      fixed += idx[i] == i;
    }
  /* a random permutation has ~Poisson(1) fixed points */
  g_assert_cmpint (fixed, <, 10);

  /* another seed, another permutation */
  for (int i = 0; i < N; i++)
    again[i] = i;
  rs_rng_init (&b, 78, RS_RNG_STREAM_SHUFFLE);
  rs_rng_shuffle (&b, again, N);
  g_assert_false (memcmp (idx, again, sizeof idx) == 0);

  /* trivial sizes touch nothing */
  int32_t one[1] = { 5 };
  rs_rng_shuffle (&a, one, 1);
  g_assert_cmpint (one[0], ==, 5);
  rs_rng_shuffle (&a, one, 0);
  g_assert_cmpint (one[0], ==, 5);
}

/* All 6 orders of 3 elements equally likely (a naive "swap with any
 * position" shuffle gives 27 paths onto 6 orders and fails this). */
static void
test_shuffle_uniform (void)
{
  enum { ROUNDS = 60000 };
  RsRng rng;
  rs_rng_init (&rng, 3, RS_RNG_STREAM_SHUFFLE);
  guint64 counts[6] = { 0 };
  for (int r = 0; r < ROUNDS; r++)
    {
      int32_t p[3] = { 0, 1, 2 };
      rs_rng_shuffle (&rng, p, 3);
      /* Lehmer code: 3! orders -> 0..5 */
      int code = p[0] * 2 + (p[1] > p[2]);
      counts[code]++;
    }
  double expected[6];
  for (int i = 0; i < 6; i++)
    expected[i] = ROUNDS / 6.0;
  double chi = chi_square (counts, expected, 6);
  g_test_message ("shuffle of 3: chi-square %.2f (5 dof)", chi);
  /* 5 degrees of freedom: P(chi2 > 30) ~ 1.5e-5 */
  g_assert_cmpfloat (chi, <, 30.0);

  /* Every element is equally likely at position 0 for n = 10. */
  guint64 first[10] = { 0 };
  for (int r = 0; r < ROUNDS; r++)
    {
      int32_t p[10];
      for (int i = 0; i < 10; i++)
        p[i] = i;
      rs_rng_shuffle (&rng, p, 10);
      first[p[0]]++;
    }
  double e10[10];
  for (int i = 0; i < 10; i++)
    e10[i] = ROUNDS / 10.0;
  g_assert_cmpfloat (chi_square (first, e10, 10), <, 40.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/rng/splitmix-seeding", test_splitmix_seeding);
  g_test_add_func ("/engine/rng/xoshiro-reference", test_xoshiro_reference);
  g_test_add_func ("/engine/rng/same-seed-same-sequence", test_same_seed_same_sequence);
  g_test_add_func ("/engine/rng/streams-differ", test_streams_differ);
  g_test_add_func ("/engine/rng/uniform-moments", test_uniform_moments);
  g_test_add_func ("/engine/rng/uniform-mapping", test_uniform_mapping);
  g_test_add_func ("/engine/rng/uniform-range", test_uniform_range);
  g_test_add_func ("/engine/rng/normal-moments", test_normal_moments);
  g_test_add_func ("/engine/rng/normal-uses-both-values", test_normal_uses_both_values);
  g_test_add_func ("/engine/rng/below-small", test_below_small);
  g_test_add_func ("/engine/rng/below-large", test_below_large);
  g_test_add_func ("/engine/rng/below-unbiased", test_below_unbiased);
  g_test_add_func ("/engine/rng/shuffle-permutation", test_shuffle_permutation);
  g_test_add_func ("/engine/rng/shuffle-uniform", test_shuffle_uniform);
  return g_test_run ();
}
