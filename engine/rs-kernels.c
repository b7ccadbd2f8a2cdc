#include "rs-kernels.h"

#include <pthread.h>
#include <string.h>

#ifdef RS_HAVE_BLAS
#include <cblas.h>
/* OpenBLAS's own symbol; declared here to avoid depending on its header
 * layout across versions. */
extern void openblas_set_num_threads (int num_threads);
#endif

/* Below this many multiply-adds the portable loops win over BLAS's call
 * overhead (measured on the seed model; see docs/performance.md). */
#define RS_BLAS_MIN_FLOPS (64 * 64 * 64)

static inline void
scale_or_clear (float *c, gsize n, float beta)
{
  if (beta == 0.0f)
    memset (c, 0, n * sizeof (float));
  else if (beta != 1.0f)
    for (gsize i = 0; i < n; i++)
      c[i] *= beta;
}

void
rs_gemm_nt_portable (int m, int n, int k, const float *restrict a,
                     const float *restrict b, float beta, float *restrict c)
{
  /* Dot products of rows: both operands stream contiguously. Four output
   * columns at a time reuse each loaded row of A. */
  for (int i = 0; i < m; i++)
    {
      const float *ai = a + (gsize) i * k;
      float *ci = c + (gsize) i * n;
      int j = 0;
      for (; j + 4 <= n; j += 4)
        {
          const float *b0 = b + (gsize) j * k, *b1 = b0 + k, *b2 = b1 + k, *b3 = b2 + k;
          float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (int p = 0; p < k; p++)
            {
              float x = ai[p];
              s0 += x * b0[p];
              s1 += x * b1[p];
              s2 += x * b2[p];
              s3 += x * b3[p];
            }
          if (beta == 0.0f)
            {
              ci[j] = s0; ci[j + 1] = s1; ci[j + 2] = s2; ci[j + 3] = s3;
            }
          else
            {
              ci[j] = beta * ci[j] + s0;
              ci[j + 1] = beta * ci[j + 1] + s1;
              ci[j + 2] = beta * ci[j + 2] + s2;
              ci[j + 3] = beta * ci[j + 3] + s3;
            }
        }
      for (; j < n; j++)
        {
          const float *bj = b + (gsize) j * k;
          float s = 0;
          for (int p = 0; p < k; p++)
            s += ai[p] * bj[p];
          ci[j] = (beta == 0.0f ? 0.0f : beta * ci[j]) + s;
        }
    }
}

void
rs_gemm_tn_portable (int m, int n, int k, const float *restrict a,
                     const float *restrict b, float beta, float *restrict c)
{
  /* Rank-1 updates row by row of A^T: the inner loop runs over contiguous
   * rows of B and C, which the compiler vectorises. */
  scale_or_clear (c, (gsize) m * n, beta);
  for (int p = 0; p < k; p++)
    {
      const float *ap = a + (gsize) p * m;
      const float *bp = b + (gsize) p * n;
      for (int i = 0; i < m; i++)
        {
          float x = ap[i];
          if (x == 0.0f)
            continue; /* dead ReLU units contribute nothing */
          float *ci = c + (gsize) i * n;
          for (int j = 0; j < n; j++)
            ci[j] += x * bp[j];
        }
    }
}

void
rs_gemm_nn_portable (int m, int n, int k, const float *restrict a,
                     const float *restrict b, float beta, float *restrict c)
{
  scale_or_clear (c, (gsize) m * n, beta);
  for (int i = 0; i < m; i++)
    {
      const float *ai = a + (gsize) i * k;
      float *ci = c + (gsize) i * n;
      for (int p = 0; p < k; p++)
        {
          float x = ai[p];
          if (x == 0.0f)
            continue;
          const float *bp = b + (gsize) p * n;
          for (int j = 0; j < n; j++)
            ci[j] += x * bp[j];
        }
    }
}

#ifdef RS_HAVE_BLAS
static inline gboolean
use_blas (int m, int n, int k)
{
  return (gint64) m * n * k >= RS_BLAS_MIN_FLOPS;
}
#endif

void
rs_gemm_nt (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
#ifdef RS_HAVE_BLAS
  if (use_blas (m, n, k))
    {
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, b, k,
                   beta, c, n);
      return;
    }
#endif
  rs_gemm_nt_portable (m, n, k, a, b, beta, c);
}

void
rs_gemm_tn (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
#ifdef RS_HAVE_BLAS
  if (use_blas (m, n, k))
    {
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m, n, k, 1.0f, a, m, b, n,
                   beta, c, n);
      return;
    }
#endif
  rs_gemm_tn_portable (m, n, k, a, b, beta, c);
}

void
rs_gemm_nn (int m, int n, int k, const float *a, const float *b, float beta, float *c)
{
#ifdef RS_HAVE_BLAS
  if (use_blas (m, n, k))
    {
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n,
                   beta, c, n);
      return;
    }
#endif
  rs_gemm_nn_portable (m, n, k, a, b, beta, c);
}

const char *
rs_kernels_backend (void)
{
#ifdef RS_HAVE_BLAS
  return "openblas";
#else
  return "portable";
#endif
}

#ifdef RS_HAVE_BLAS
static void
pin_blas_threads (void)
{
  openblas_set_num_threads (1);
}
#endif

void
rs_kernels_init (void)
{
#ifdef RS_HAVE_BLAS
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, pin_blas_threads);
#endif
}
