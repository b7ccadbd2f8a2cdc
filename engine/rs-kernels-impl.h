/* rs-kernels-impl.h — what the kernel sets share inside the engine. Each
 * set (portable C, AVX2 + FMA, OpenBLAS) implements the same operations;
 * rs-kernels.c picks one per call. Not installed, not for the UI. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "rs-experiment.h"
#include "rs-kernels.h"

G_BEGIN_DECLS

/* What a matrix product does with its result, fused into the write-back so
 * that nothing makes a second pass over C:
 *   PLAIN     C = beta C + A B
 *   BIAS_ACT  C = A B + bias (the pre-activation z), and act(C) into `a`
 *             (relu and linear only; tanh and sigmoid go through libm)
 *   ACT_GRAD  C = (beta C + A B) * act'(y), y the layer's output: dL/dz of
 *             the layer below from its dL/da (rs_activation_backward) */
typedef enum { RS_EPI_PLAIN, RS_EPI_BIAS_ACT, RS_EPI_ACT_GRAD } RsEpilogueKind;

typedef struct {
  RsEpilogueKind kind;
  RsActivation   act;
  const float   *bias;  /* BIAS_ACT: [n] */
  float         *a;     /* BIAS_ACT: [m, n] with leading dimension lda, or NULL */
  gsize          lda;
  const float   *y;     /* ACT_GRAD: [m, n] with leading dimension ldy */
  gsize          ldy;
  /* BIAS_ACT with relu, optional: where a > 0 as bits (bit j % 8 of
   * nz[i * ldnz + j / 8]; RsNzIndex's mask), written on the way by the AVX2
   * and sparse kernels, which then set *nz_done; the others leave both. */
  uint8_t       *nz;
  gsize          ldnz;
  gboolean      *nz_done;
} RsEpilogue;

/* k per chunk of the vector kernels (AVX2, AVX-512): an entry's sum runs
 * over a chunk in one FMA chain, and a later chunk's sum is added to C.
 * The same in both sets, so they agree bit for bit. */
#define RS_GEMM_KC 512

/* How the vector kernels write a block back when k fits one chunk (the
 * usual case), fixed for the whole product so the row loop has no
 * decisions left. */
typedef enum {
  RS_ST_SET, RS_ST_ADD, RS_ST_SCALE,            /* C = acc, C + acc, beta C + acc */
  RS_ST_BIAS, RS_ST_BIAS_RELU, RS_ST_BIAS_COPY, /* z = acc + bias; a = relu(z) or z */
  RS_ST_BIAS_RELU_NZ,                           /* and a's nonzeros as bits (e->nz) */
  RS_ST_GRAD_RELU_SET, RS_ST_GRAD_RELU_ADD,     /* (acc (+ C)) masked by y > 0 */
  RS_ST_GENERIC,                                /* anything else */
} RsStoreMode;

/* The cases of a switch over the modes but RS_ST_GENERIC, each running
 * DRIVE (mode) with the mode a constant (DRIVE ends in break). */
#define RS_ST_CONSTANT_CASES(DRIVE)                                       \
  case RS_ST_SET: DRIVE (RS_ST_SET)                                       \
  case RS_ST_ADD: DRIVE (RS_ST_ADD)                                       \
  case RS_ST_SCALE: DRIVE (RS_ST_SCALE)                                   \
  case RS_ST_BIAS: DRIVE (RS_ST_BIAS)                                     \
  case RS_ST_BIAS_RELU: DRIVE (RS_ST_BIAS_RELU)                           \
  case RS_ST_BIAS_RELU_NZ: DRIVE (RS_ST_BIAS_RELU_NZ)                     \
  case RS_ST_BIAS_COPY: DRIVE (RS_ST_BIAS_COPY)                           \
  case RS_ST_GRAD_RELU_SET: DRIVE (RS_ST_GRAD_RELU_SET)                   \
  case RS_ST_GRAD_RELU_ADD: DRIVE (RS_ST_GRAD_RELU_ADD)

static inline RsStoreMode
rs_gemm_store_mode (const RsEpilogue *e, float beta)
{
  switch (e->kind)
    {
    case RS_EPI_PLAIN:
      return beta == 0.0f ? RS_ST_SET : beta == 1.0f ? RS_ST_ADD : RS_ST_SCALE;
    case RS_EPI_BIAS_ACT:
      if (e->a == NULL)
        return RS_ST_BIAS;
      if (e->act != RS_ACT_RELU)
        return RS_ST_BIAS_COPY;
      return e->nz != NULL ? RS_ST_BIAS_RELU_NZ : RS_ST_BIAS_RELU;
    case RS_EPI_ACT_GRAD:
      if (e->act == RS_ACT_RELU && (beta == 0.0f || beta == 1.0f))
        return beta == 0.0f ? RS_ST_GRAD_RELU_SET : RS_ST_GRAD_RELU_ADD;
      return RS_ST_GENERIC;
    }
  return RS_ST_GENERIC;
}

/* The general product on strided operands: A(i,p) = a[i*ars + p*acs],
 * B(p,j) = b[p*bks + j*bns], C row-major with leading dimension ldc.
 * beta == 0 ignores C's old contents (NaN included). */
typedef void (*RsGemmFunc) (int m, int n, int k, const float *a, gsize ars, gsize acs,
                            const float *b, gsize bks, gsize bns, float beta, float *c,
                            gsize ldc, const RsEpilogue *epi);

void rs_gemm_strided_portable (int m, int n, int k, const float *a, gsize ars, gsize acs,
                               const float *b, gsize bks, gsize bns, float beta, float *c,
                               gsize ldc, const RsEpilogue *epi);

/* The product every caller in the engine goes through: picks the kernel
 * set (forced, or by size) and applies the epilogue. */
void rs_gemm_ex (int m, int n, int k, const float *a, gsize ars, gsize acs,
                 const float *b, gsize bks, gsize bns, float beta, float *c, gsize ldc,
                 const RsEpilogue *epi);

/* Whether rs_gemm_ex splits a product of this size over the pool's
 * threads (rs-pool.h; rows of C, bit for bit one thread's result). */
gboolean rs_gemm_splits (int m, int n, int k);

/* The set rs_gemm_ex will use for this size (the forced one, if any). */
RsKernelSet rs_kernels_active (int m, int n, int k);

/* The three products of rs-kernels.h's comment through the dispatch, and
 * the portable loops alone: the tests' entry points (the engine uses
 * rs_linear_*). */
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

/* ---- ReLU-sparse products (rs-kernels-sparse-avx2.c) --------------------
 *
 * The nonzeros of a ReLU output A [rows, cols] (entries > 0) as bits, by
 * row and (rs_nz_index_columns) by column, so that a product with A, or
 * with a gradient masked by A > 0, can skip the exact zeros. Allocated
 * once for max_rows rows by its owner (the network); building it
 * allocates nothing. */
typedef struct RsNzIndex {
  int       rows, cols;    /* of the last build */
  int       max_rows, max_cols;
  int       words;         /* per row: (cols + 63) / 64 */
  uint64_t *mask;          /* [max_rows][words]: bit j of row n set where A[n, j] > 0 */
  int       cwords;        /* per column: (max_rows + 63) / 64 */
  uint64_t *colmask;       /* [max_cols][cwords]: bit n of column j set where A[n, j] > 0,
                            * after rs_nz_index_columns */
  gsize     nnz;           /* of the last build */
  gboolean  use;           /* the last build is sparse enough for the sparse products */
  gboolean  cols_built;    /* colmask is up to date with the last build */
} RsNzIndex;

RsNzIndex *rs_nz_index_new (int max_rows, int cols);
void       rs_nz_index_free (RsNzIndex *ix);

/* Whether the sparse kernels may be used: AVX2 CPU, no kernel set forced,
 * RS_NO_SPARSE not in the environment, and the dense products are AVX2's
 * (not AVX-512's, which are faster than the sparse ones). */
gboolean   rs_kernels_sparse_enabled (void);

/* Fills ix from A (rows <= max_rows, cols == the index's); returns the
 * number of nonzeros. AVX2 only (rs_kernels_sparse_enabled). */
gsize      rs_nz_index_build (RsNzIndex *ix, const float *a, int rows, int cols, gsize lda);
/* The same, when a product's epilogue already wrote the mask (nz_done):
 * only counts. */
gsize      rs_nz_index_count (RsNzIndex *ix, int rows);

/* The column masks from the row masks (64 x 64 bit transposes). */
void       rs_nz_index_columns (RsNzIndex *ix);

/* Columns of C per pass of the sparse product (eight registers). */
#define RS_SPARSE_CHUNK 64

/* C[i, 0:n] = epi(beta C[i, :] + sum over the set bits p of ix's row i,
 * ascending, of A(i, p) B(p, 0:n)), A(i, p) = a[i * ars + p * acs]. B is
 * read in chunks of RS_SPARSE_CHUNK columns: chunk q's row p at
 * b + q * chunk_stride + p * ldb — chunk_stride = RS_SPARSE_CHUNK for a
 * row-major B in place, or k * RS_SPARSE_CHUNK for one packed chunk by
 * chunk (rs_sparse_pack; rows of B 2^k bytes apart share too few L1 sets).
 * The epilogues are the dense kernel's; bit for bit the dense product (k
 * in one chunk) when the left-out terms have A(i, p) == 0 and B is finite.
 * AVX2 only. */
void       rs_gemm_sparse (int m, int n, const RsNzIndex *ix, const float *a, gsize ars,
                           gsize acs, const float *b, gsize ldb, gsize chunk_stride,
                           float beta, float *c, gsize ldc, const RsEpilogue *epi);

/* C[i, 0:n] = beta C[i, :] + sum over the set bits p < k of ix's COLUMN i,
 * ascending, of A(i, p) B[p, 0:n] (B row-major, leading dimension ldb;
 * part: [m, n] scratch for the running sums). Bit for bit the dense
 * product (k in one chunk) under the same conditions. AVX2 only. */
void       rs_gemm_sparse_cols (int m, int n, int k, const RsNzIndex *ix, const float *a,
                                gsize ars, gsize acs, const float *b, gsize ldb, float *part,
                                float beta, float *c, gsize ldc);

/* Whether B [k, n] goes to rs_gemm_sparse packed chunk by chunk: when n
 * is several whole chunks (rows of B in place are then a power of two
 * apart and crowd a few L1 sets); in place otherwise. */
static inline gboolean
rs_sparse_packs (int n)
{
  return n > RS_SPARSE_CHUNK && n % RS_SPARSE_CHUNK == 0;
}

/* dst = B [k, n] (row-major, leading dimension ldb) chunk by chunk:
 * chunk q's row p at dst + q * k * RS_SPARSE_CHUNK + p * RS_SPARSE_CHUNK. */
void       rs_sparse_pack (const float *b, int k, int n, gsize ldb, float *dst);

/* ---- a dense layer (rs-kernels-linear.c): forward and backward ----------
 *
 * y = act(x W^T + b) for x [batch, in], W [out, in], b [out]; z [batch,
 * out] the pre-activation, a [batch, out] the output (a == z allowed for
 * linear). Every product takes its kernel here: a dense set by size, or
 * the sparse products where a ReLU output's zeros make them faster
 * (docs/performance.md). weight_t [in, out] is scratch for W transposed or
 * packed, overwritten by both. */

/* The index of a hidden layer's ReLU output [max_batch, out] for the
 * sparse products, or NULL when no product could use it (not ReLU, layers
 * too narrow, no AVX2). `next`: the width of the layer above. */
RsNzIndex *rs_linear_nz_index_new (RsActivation act, int in, int out, int next,
                                   int max_batch);
/* Floats of `scratch` rs_linear_backward needs for a layer when some
 * index is in play, or its weight gradient is transposed (below). */
gsize      rs_linear_scratch_size (int in, int out);
/* Whether rs_linear_backward computes dW as (x^T dz)^T, given scratch,
 * with vector kernels of `lanes` floats (AVX2: 8, AVX-512: 16): for a
 * narrow input, where it is clearly less work. Once it holds for a batch
 * it holds for every larger one. */
gboolean   rs_linear_dw_transposed (int batch, int in, int out, int lanes);

/* z and a from x. x_nz: the index of x's nonzeros when x is the ReLU
 * output of the layer below (or NULL); a_nz: this layer's (or NULL),
 * rebuilt here for the backward and the layer above. weight_t_ready: the
 * caller already put W^T into weight_t (rs_linear_forward_split_wt). */
void rs_linear_forward (float *z, float *a, const float *x, const float *weight,
                        const float *bias, int batch, int in, int out, RsActivation act,
                        float *weight_t, gboolean weight_t_ready, RsNzIndex *x_nz,
                        RsNzIndex *a_nz);
/* Whether the forward's product is split over threads with a kernel that
 * reads W^T: W is then transposed whatever the layer below computes, so
 * the network can have it done earlier, as side work (rs-pool.h). */
gboolean rs_linear_forward_split_wt (int batch, int in, int out);

/* After rs_linear_forward on the same x: from dz = dL/dz [batch, out],
 * dW [out, in] and db [out] are written (accumulate: added to), db in
 * PyTorch's summation order when written; and when dx != NULL, dx =
 * (dx_beta dx + dz W) * x_act'(x), x being the output of x_act (the layer
 * below's dL/dz from its dL/da). scratch: rs_linear_scratch_size floats
 * when an index is passed or rs_linear_dw_transposed holds at the
 * network's largest batch, else may be NULL. */
void rs_linear_backward (float *dx, float *dweight, float *dbias, const float *dz,
                         const float *x, const float *weight, int batch, int in, int out,
                         RsActivation x_act, gboolean accumulate, float dx_beta,
                         float *weight_t, float *scratch, RsNzIndex *x_nz, RsNzIndex *a_nz);

/* a = act(z), and da *= act'(z) from the cached output a (relu: a > 0;
 * tanh: 1 - a^2; sigmoid: a (1 - a)) — what the products' epilogues
 * compute, as PyTorch does. */
void rs_activation_forward  (RsActivation act, const float *z, float *a, gsize n);
void rs_activation_backward (RsActivation act, const float *a, float *da, gsize n);

/* t [cols, rows] = x [rows, cols] transposed. */
void rs_transpose (const float *x, int rows, int cols, float *t);

/* ---- exp and log as PyTorch computes them (SLEEF's u10 algorithms) ----- */

#define RS_EXP_R_LN2  1.442695040888963407359924681001892137426645954152985934135449406931f
#define RS_EXP_L2U    0.693145751953125f
#define RS_EXP_L2L    1.428606765330187045e-06f
#define RS_EXP_C0     0.000198527617612853646278381f
#define RS_EXP_C1     0.00139304355252534151077271f
#define RS_EXP_C2     0.00833336077630519866943359f
#define RS_EXP_C3     0.0416664853692054748535156f
#define RS_EXP_C4     0.166666671633720397949219f
#define RS_LOG_LN2_HI 0.69314718246459960938f
#define RS_LOG_LN2_LO (-1.904654323148236017e-09f)
#define RS_LOG_C0     0.3027294874f
#define RS_LOG_C1     0.3996108174f
#define RS_LOG_C2     0.6666694880f
#define RS_LOG_2P64   18446744073709551616.0f

/* The scalar twins, bit for bit the vector versions (they need fmaf). */
float rs_expf (float x);
float rs_logf (float x);
/* y[i] = exp(x[i]) / log(x[i]), x == y allowed; dispatches. */
void  rs_vexp (const float *x, float *y, gsize n);
void  rs_vlog (const float *x, float *y, gsize n);

/* out[j] = sum over rows of x[i, j], in the order of PyTorch's x.sum(0)
 * (aten/src/ATen/native/cpu/SumKernel.cpp: a four-level cascade over
 * blocks of 16 rows, with a four-way split for some columns) — how it
 * sums a bias gradient. x is [rows, cols] row-major. */
void  rs_colsum (const float *x, int rows, int cols, float *out);

/* The softmax of rows of logits x [rows, classes] as the loss takes it
 * (rs-loss.c, which has the same operations as pieces, row by row): max[r]
 * the row's maximum (its first, NaN never winning) and *hits the rows
 * whose maximum is first at their label; s[r] = sum over j of
 * exp((double) x[r, j] - max[r]) in double, in order (the value's
 * denominators, to ~1e-15); and when d is not NULL, d = softmax(x) in
 * PyTorch's float operations (exp(log_softmax(x))), finished into the
 * cross-entropy's gradient when finish: -(p go), and go - p go rounded
 * once at the label. FALSE when there is no vector form (the portable
 * set): then nothing is written. */
gboolean rs_softmax_rows (const float *x, const int32_t *labels, int rows, int classes,
                          float *max, double *s, float *d, gboolean finish, float go,
                          int *hits);

/* Whether every |x[i]| < 2^127 (so finite, with room to add a term below
 * 2^126 without overflow). */
gboolean rs_all_below_2p127 (const float *x, gsize n);

/* Sum of |x[i]| and of x[i]^2, accumulated in double (penalty values). */
double rs_sum_abs (const float *x, gsize n);
double rs_sum_sq (const float *x, gsize n);

/* Whether the elementwise kernels (here, and the optimizer's update)
 * take their AVX2 form: the CPU has it and neither the portable set nor
 * BLAS (which has none) is forced. */
gboolean rs_kernels_use_avx2 (void);

#if defined(RS_HAVE_AVX2)
void rs_transpose_avx2 (const float *x, int rows, int cols, float *t);
void rs_colsum_avx2 (const float *x, int rows, int cols, float *out);
gboolean rs_all_below_2p127_avx2 (const float *x, gsize n);
void rs_softmax_rows_avx2 (const float *x, const int32_t *labels, int rows, int classes,
                           float *max, double *s, float *d, gboolean finish, float go,
                           int *hits);
void rs_vexp_avx2 (const float *x, float *y, gsize n);
void rs_vlog_avx2 (const float *x, float *y, gsize n);
double rs_sum_abs_avx2 (const float *x, gsize n);
double rs_sum_sq_avx2 (const float *x, gsize n);
void rs_gemm_strided_avx2 (int m, int n, int k, const float *a, gsize ars, gsize acs,
                           const float *b, gsize bks, gsize bns, float beta, float *c,
                           gsize ldc, const RsEpilogue *epi);
#if defined(RS_HAVE_AVX512)
/* rs-kernels-avx512.c: rs_gemm_strided_avx2's products, bit for bit. */
void rs_gemm_strided_avx512 (int m, int n, int k, const float *a, gsize ars, gsize acs,
                             const float *b, gsize bks, gsize bns, float beta, float *c,
                             gsize ldc, const RsEpilogue *epi);
#endif
void rs_gemm_sparse_cols_avx2 (int m, int n, int k, const RsNzIndex *ix, const float *a,
                               gsize ars, gsize acs, const float *b, gsize ldb, float *part,
                               float beta, float *c, gsize ldc);
gsize rs_nz_index_build_avx2 (RsNzIndex *ix, const float *a, int rows, int cols, gsize lda);
void rs_gemm_sparse_avx2 (int m, int n, const RsNzIndex *ix, const float *a, gsize ars,
                          gsize acs, const float *b, gsize ldb, gsize chunk_stride, float beta,
                          float *c, gsize ldc, const RsEpilogue *epi);
#endif

G_END_DECLS
