/* rs-kernels.h — the dense kernels of the hot path, float32 row-major.
 *
 * Three matrix products cover a dense layer's forward and backward:
 *   forward   Z[B,out]  = X[B,in] · W[out,in]^T            rs_gemm_nt
 *   weights   dW[out,in] += dZ[B,out]^T · X[B,in]          rs_gemm_tn
 *   inputs    dX[B,in]  = dZ[B,out] · W[out,in]            rs_gemm_nn
 * Each has a portable C version and, when built with OpenBLAS, a BLAS
 * path for sizes where it measures faster (see docs/performance.md).
 * None of them allocates. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* C[m,n] = beta*C + A[m,k] · B[n,k]^T */
void rs_gemm_nt (int m, int n, int k, const float *a, const float *b, float beta, float *c);
/* C[m,n] = beta*C + A[k,m]^T · B[k,n] */
void rs_gemm_tn (int m, int n, int k, const float *a, const float *b, float beta, float *c);
/* C[m,n] = beta*C + A[m,k] · B[k,n] */
void rs_gemm_nn (int m, int n, int k, const float *a, const float *b, float beta, float *c);

/* The portable versions, always compiled (tests compare both paths). */
void rs_gemm_nt_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c);
void rs_gemm_tn_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c);
void rs_gemm_nn_portable (int m, int n, int k, const float *a, const float *b, float beta, float *c);

/* "openblas" or "portable": what rs_gemm_* use for large sizes. */
const char *rs_kernels_backend (void);
/* Pins BLAS to one thread: the trainer owns one core, the UI the other. */
void        rs_kernels_init (void);

G_END_DECLS
