/* rs-kernels-avx2-inline.h — the vector helpers both AVX2 kernel files
 * use (rs-kernels-avx2.c, rs-kernels-sparse-avx2.c): partial loads and
 * stores of a vector, and an activation's derivative. Include only from
 * files built with -mavx2 -mfma. */
#pragma once

#include <immintrin.h>
#include <stdint.h>

#include "rs-kernels-impl.h"

static const int32_t mask_table[16] = { -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0 };

/* The first `n` lanes (0 <= n <= 8). */
static inline __m256i
lane_mask (int n)
{
  return _mm256_loadu_si256 ((const __m256i *) (mask_table + 8 - n));
}

static inline __m256
load_n (const float *p, int n)
{
  return n == 8 ? _mm256_loadu_ps (p) : _mm256_maskload_ps (p, lane_mask (n));
}

/* The first n lanes of v to p, in 4-, 2- and 1-float pieces when n < 8:
 * AMD's masked stores (vmaskmovps) are microcoded and slow. */
static inline void
store_n (float *p, __m256 v, int n)
{
  if (n == 8)
    {
      _mm256_storeu_ps (p, v);
      return;
    }
  __m128 x = _mm256_castps256_ps128 (v);
  if (n >= 4)
    {
      _mm_storeu_ps (p, x);
      p += 4;
      n -= 4;
      x = _mm256_extractf128_ps (v, 1);
    }
  if (n >= 2)
    {
      _mm_storel_pi ((__m64 *) p, x);
      p += 2;
      n -= 2;
      x = _mm_movehl_ps (x, x);
    }
  if (n > 0)
    _mm_store_ss (p, x);
}

/* d *= act'(y), the same operations as rs_activation_backward (PyTorch's). */
static inline __m256
act_grad (RsActivation act, __m256 d, __m256 y)
{
  const __m256 one = _mm256_set1_ps (1.0f);
  switch (act)
    {
    case RS_ACT_RELU:
      return _mm256_and_ps (d, _mm256_cmp_ps (y, _mm256_setzero_ps (), _CMP_GT_OQ));
    case RS_ACT_TANH:
      return _mm256_mul_ps (d, _mm256_fnmadd_ps (y, y, one));
    case RS_ACT_SIGMOID:
      return _mm256_mul_ps (_mm256_mul_ps (d, _mm256_sub_ps (one, y)), y);
    case RS_ACT_LINEAR:
    default:
      return d;
    }
}
