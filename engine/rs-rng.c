#include "rs-rng.h"

#include <math.h>

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void
rs_rng_init (RsRng *rng, guint64 seed, guint64 stream)
{
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
  rng->spare = 0.0;
  rng->has_spare = FALSE;
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t
rs_rng_next (RsRng *rng)
{
  uint64_t *s = rng->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
rs_rng_uniform (RsRng *rng)
{
  return (double) (rs_rng_next (rng) >> 11) * 0x1.0p-53;
}

double
rs_rng_uniform_range (RsRng *rng, double lo, double hi)
{
  return lo + (hi - lo) * rs_rng_uniform (rng);
}

double
rs_rng_normal (RsRng *rng)
{
  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare;
    }
  double u1, u2;
  do
    u1 = rs_rng_uniform (rng);
  while (u1 <= 0.0);
  u2 = rs_rng_uniform (rng);
  double r = sqrt (-2.0 * log (u1));
  double theta = 2.0 * G_PI * u2;
  rng->spare = r * sin (theta);
  rng->has_spare = TRUE;
  return r * cos (theta);
}

uint32_t
rs_rng_below (RsRng *rng, uint32_t n)
{
  /* Lemire's multiply-shift with rejection: unbiased for any n. */
  uint64_t m = (uint64_t) (uint32_t) (rs_rng_next (rng) >> 32) * n;
  uint32_t low = (uint32_t) m;
  if (low < n)
    {
      uint32_t threshold = (uint32_t) (-n) % n;
      while (low < threshold)
        {
          m = (uint64_t) (uint32_t) (rs_rng_next (rng) >> 32) * n;
          low = (uint32_t) m;
        }
    }
  return (uint32_t) (m >> 32);
}

void
rs_rng_shuffle (RsRng *rng, int32_t *idx, int n)
{
  for (int i = n - 1; i > 0; i--)
    {
      int j = (int) rs_rng_below (rng, (uint32_t) i + 1);
      int32_t t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
}
