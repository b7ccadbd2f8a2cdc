/* rs-regularizer.h — the per-layer penalty terms, value and gradient side
 * by side. Values are accumulated in double; gradients are added into the
 * float gradient buffers, rounded as PyTorch's autograd rounds them.
 * d|x|/dx at 0 is 0, as torch.sign. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-network.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

G_BEGIN_DECLS

/* ---- the penalties' gradients: the one definition ----------------------
 *
 * Rounded as PyTorch's autograd rounds them for lambda * sum|theta|,
 * lambda * sum theta^2 and lambda * mean|a| (or a^2), x_f being x rounded
 * to float:
 *   l1        lambda_f * sign(theta)
 *   l2        lambda_f * (2 theta)       == (2 lambda)_f * theta
 *   activity  (lambda_f / n_f) * sign(a)  and  (lambda_f / n_f) * (2 a)
 * A parameter's two terms are summed first and the sum is then added to
 * its data gradient: the order in which autograd accumulates a tensor's
 * incoming gradients. Every path takes them from here: the full gradient
 * (rs_regularizer_layer_params), the optimizer's update that folds them in
 * (its portable loops, and the AVX2 form below, which must give the same
 * bits: /engine/optimizer/penalty-grad-avx2), and the session's check that
 * the gradients are finite. */

static inline float
rs_sign (float x)
{
  return (float) ((x > 0.0f) - (x < 0.0f));
}

/* The l1 and l2 coefficients of one stretch of parameters, as floats. */
typedef struct {
  float l1, l2x2;  /* lambda_l1, 2 lambda_l2 */
} RsParamPenalty;

static inline RsParamPenalty
rs_param_penalty (double l1, double l2)
{
  return (RsParamPenalty) { (float) l1, (float) (2.0 * l2) };
}

/* A layer's weights carry both terms; its bias l1 only when l1_bias. */
static inline RsParamPenalty
rs_param_penalty_weight (const RsLayerReg *reg)
{
  return rs_param_penalty (reg->l1, reg->l2);
}

static inline RsParamPenalty
rs_param_penalty_bias (const RsLayerReg *reg)
{
  return rs_param_penalty (reg->l1_bias ? reg->l1 : 0.0, reg->l2);
}

static inline gboolean
rs_param_penalty_on (RsParamPenalty c)
{
  return c.l1 != 0.0f || c.l2x2 != 0.0f;
}

/* d(l1 |p| + l2 p^2)/dp */
static inline float
rs_param_penalty_grad (RsParamPenalty c, float p)
{
  return c.l2x2 * p + c.l1 * rs_sign (p);
}

#if defined(__AVX2__)
/* The same eight at a time (files built with -mavx2): the same operations
 * in the same order, sign(p) as a select of 1, -1 or 0. */
static inline __m256
rs_param_penalty_grad_ps (RsParamPenalty c, __m256 p)
{
  const __m256 zero = _mm256_setzero_ps ();
  __m256 sign = _mm256_or_ps (
    _mm256_and_ps (_mm256_cmp_ps (p, zero, _CMP_GT_OQ), _mm256_set1_ps (1.0f)),
    _mm256_and_ps (_mm256_cmp_ps (p, zero, _CMP_LT_OQ), _mm256_set1_ps (-1.0f)));
  return _mm256_add_ps (_mm256_mul_ps (_mm256_set1_ps (c.l2x2), p),
                        _mm256_mul_ps (_mm256_set1_ps (c.l1), sign));
}
#endif

/* grad = grad + d/dtheta, nothing when both coefficients are 0. */
void   rs_regularizer_add_param_grads (RsParamPenalty c, const float *theta, float *grad,
                                       gsize n);

/* d(scale |a|)/da and d(scale a^2)/da, scale = lambda_f / n_f. */
static inline float
rs_activity_scale (double lambda, gsize n)
{
  return (float) lambda / (float) n;
}

static inline float
rs_activity_grad_l1 (float scale, float a)
{
  return scale * rs_sign (a);
}

static inline float
rs_activity_grad_l2 (float scale, float a)
{
  return scale * (2.0f * a);
}

/* ---- values and gradients ------------------------------------------------ */

/* lambda * sum|theta|; grad += lambda * sign(theta). grad may be NULL. */
double rs_regularizer_l1      (const float *theta, float *grad, gsize n, double lambda);
/* lambda * sum theta^2; grad += 2 lambda theta. grad may be NULL. */
double rs_regularizer_l2      (const float *theta, float *grad, gsize n, double lambda);
/* lambda * mean|a| (norm l1) or lambda * mean a^2 (norm l2) over n entries;
 * da += its gradient. da may be NULL. */
double rs_regularizer_activity (const float *a, float *da, gsize n, double lambda,
                                RsActivityNorm norm);

/* The three penalty values of one layer. */
typedef struct {
  double l1, l2, activity;
} RsPenalty;

/* Weight (and bias) terms of one layer: values, and gradients added into
 * the layer's grad buffers when with_grad (rs_regularizer_add_param_grads,
 * as rs_optimizer_step_network_penalized folds them in). */
void   rs_regularizer_layer_params (const RsLayer *layer, const RsLayerReg *reg,
                                    gboolean with_grad, RsPenalty *out);
/* Activity term of one layer on its cached output a [batch, out]; adds into
 * layer->da when with_grad. */
void   rs_regularizer_layer_activity (RsLayer *layer, const RsLayerReg *reg, int batch,
                                      gboolean with_grad, RsPenalty *out);

/* The max-norm constraint (not a penalty: it acts on the weights after an
 * optimizer step): every row of the layer's weight [out, in], one unit's
 * incoming weights, whose L2 norm exceeds reg->max_norm = c is scaled by
 * c / (norm + 1e-7), in float, as torch.renorm (W, 2, 0, c) does
 * (ATen's renorm_scale_factor). The bias is left alone. Nothing at c = 0. */
void   rs_regularizer_max_norm (RsLayer *layer, const RsLayerReg *reg);

/* The activity term of one layer whose da holds nothing yet: da is SET to
 * the term's gradient (no zeroing pass first). Returns the value. */
double rs_regularizer_layer_activity_set (RsLayer *layer, const RsLayerReg *reg, int batch);

G_END_DECLS
