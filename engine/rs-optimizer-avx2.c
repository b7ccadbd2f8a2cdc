/* rs-optimizer-avx2.c — the Adam/AdamW update eight parameters at a time.
 * Built with -mavx2 -mfma like the AVX2 kernels, and called only after
 * the same run-time check (rs_kernels_use_avx2). */
#include "rs-optimizer-impl.h"

#include <immintrin.h>

/* Exactly the operations of rs-optimizer.c's scalar loop (no FMA: each
 * product and sum rounds on its own), so both give the same bits. */

void
rs_adam_update_avx2 (const RsUpdateArgs *a, float *restrict m, float *restrict v,
                     float *restrict theta, const float *restrict grad, gsize n)
{
  const __m256 beta1 = _mm256_set1_ps (a->beta1), beta2 = _mm256_set1_ps (a->beta2);
  const __m256 omb1 = _mm256_set1_ps (a->one_minus_beta1);
  const __m256 omb2 = _mm256_set1_ps (a->one_minus_beta2);
  const __m256 neg_step = _mm256_set1_ps (-a->step_size);
  const __m256 bc2 = _mm256_set1_ps (a->bias_correction2_sqrt), eps = _mm256_set1_ps (a->eps);
  const __m256 wd = _mm256_set1_ps (a->weight_decay), decay = _mm256_set1_ps (a->decay);
  const gboolean penalized = rs_param_penalty_on (a->penalty);
  gsize i = 0;
  for (; i + 8 <= n; i += 8)
    {
      __m256 g = _mm256_loadu_ps (grad + i), p = _mm256_loadu_ps (theta + i);
      if (penalized)
        g = _mm256_add_ps (g, rs_param_penalty_grad_ps (a->penalty, p));
      if (a->weight_decay != 0.0f)
        {
          if (a->decoupled)
            p = _mm256_mul_ps (p, decay);
          else
            g = _mm256_add_ps (g, _mm256_mul_ps (wd, p));
        }
      __m256 mi = _mm256_add_ps (_mm256_mul_ps (_mm256_loadu_ps (m + i), beta1), _mm256_mul_ps (omb1, g));
      __m256 vi = _mm256_add_ps (_mm256_mul_ps (_mm256_loadu_ps (v + i), beta2),
                                 _mm256_mul_ps (_mm256_mul_ps (omb2, g), g));
      _mm256_storeu_ps (m + i, mi);
      _mm256_storeu_ps (v + i, vi);
      __m256 denom = _mm256_add_ps (_mm256_div_ps (_mm256_sqrt_ps (vi), bc2), eps);
      _mm256_storeu_ps (theta + i, _mm256_add_ps (p, _mm256_div_ps (_mm256_mul_ps (neg_step, mi), denom)));
    }
  if (i < n)
    rs_adam_update_portable (a, m + i, v + i, theta + i, grad + i, n - i);
}

