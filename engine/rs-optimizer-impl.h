/* rs-optimizer-impl.h — the optimizer's elementwise update, inside the
 * engine: the portable loop (rs-optimizer.c) and its AVX2 twin
 * (rs-optimizer-avx2.c, built with -mavx2 -mfma). Not for the UI; the
 * kernel tests compare the twins. */
#pragma once

#include <glib.h>

#include "rs-regularizer.h"

G_BEGIN_DECLS

/* One Adam/AdamW update of n parameters with the step's constants.
 * `penalty` folds the parameter penalties' gradients in: each gradient is
 * grad + rs_param_penalty_grad (penalty, theta), theta before the update. */
typedef struct {
  float beta1, beta2, one_minus_beta1, one_minus_beta2;
  float step_size, bias_correction2_sqrt, eps;
  float weight_decay, decay;
  gboolean decoupled;
  RsParamPenalty penalty;
} RsUpdateArgs;

/* The AVX2 form when rs_kernels_use_avx2 (), else the portable one. */
void rs_adam_update (const RsUpdateArgs *a, float *m, float *v, float *theta,
                     const float *grad, gsize n);
void rs_adam_update_portable (const RsUpdateArgs *a, float *m, float *v, float *theta,
                              const float *grad, gsize n);
#if defined(RS_HAVE_AVX2)
void rs_adam_update_avx2 (const RsUpdateArgs *a, float *m, float *v, float *theta,
                          const float *grad, gsize n);
#endif

G_END_DECLS
