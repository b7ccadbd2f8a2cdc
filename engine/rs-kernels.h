/* rs-kernels.h — the dense kernels of the hot path, float32 row-major.
 *
 * Three matrix products cover a dense layer's forward and backward:
 *   forward   Z[B,out]  = X[B,in] · W[out,in]^T            rs_gemm_nt
 *   weights   dW[out,in] += dZ[B,out]^T · X[B,in]          rs_gemm_tn
 *   inputs    dX[B,in]  = dZ[B,out] · W[out,in]            rs_gemm_nn
 * Four kernel sets implement them: portable C (always), AVX2 + FMA (x86,
 * chosen at run time when the CPU has both; RS_NO_AVX2 in the environment
 * pretends it has not), AVX-512 (the same products with 512-bit vectors,
 * bit for bit AVX2's; chosen over AVX2 when the CPU has AVX-512 F, BW, DQ
 * and VL; RS_NO_AVX512 pretends it has not) and OpenBLAS (when built with
 * it). rs_gemm_* pick
 * one per call by size — whichever measured faster on that size
 * (docs/performance.md); tests and the bench can force a set. None of them
 * allocates. The network's layers go through rs_linear_forward and
 * rs_linear_backward (rs-kernels-impl.h), which choose the kernels and
 * fuse bias, activation and activation gradient into the products. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "openblas" or "portable": whether BLAS is built in (rs_kernels_describe
 * says which sets the dispatch actually uses). */
const char *rs_kernels_backend (void);
/* Pins BLAS to one thread (the engine splits the large products over its
 * own threads, bit for bit the same whatever their number: rs-pool.h) and
 * looks up the CPU's features. Idempotent, thread-safe. */
void        rs_kernels_init (void);

typedef enum {
  RS_KERNELS_AUTO,      /* per size: what measured fastest */
  RS_KERNELS_PORTABLE,
  RS_KERNELS_AVX2,
  RS_KERNELS_BLAS,
  RS_KERNELS_AVX512,    /* the products only; the rest of the step stays AVX2 */
} RsKernelSet;

/* Whether the set is compiled in and the CPU runs it (AUTO: always). */
gboolean     rs_kernels_available (RsKernelSet set);
const char  *rs_kernels_set_name (RsKernelSet set);
/* e.g. "avx2+fma, openblas for large products"; static string. */
const char  *rs_kernels_describe (void);
/* Tests and the bench only: route every kernel through one set (AUTO
 * restores the per-size choice). Returns FALSE, changing nothing, when the
 * set is not available. Call it while no other thread trains. */
gboolean     rs_kernels_force (RsKernelSet set);
/* What AUTO uses for a product of this size (never AUTO; always available). */
RsKernelSet  rs_kernels_choose (int m, int n, int k);

G_END_DECLS
