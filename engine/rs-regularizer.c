#include "rs-regularizer.h"

#include <math.h>

#include "rs-kernels-impl.h"

/* Gradients round as PyTorch's autograd does for lambda * sum|theta|,
 * lambda * sum theta^2 and lambda * mean|a| (or a^2):
 *   l1        lambda_f * sign(theta)
 *   l2        lambda_f * (2 theta)       == (2 lambda)_f * theta
 *   activity  (lambda_f / n_f) * sign(a)  and  (lambda_f / n_f) * (2 a)
 * (x_f: x rounded to float). Values are summed in double. */

static inline float
sign_of (float x)
{
  return (float) ((x > 0.0f) - (x < 0.0f));
}

double
rs_regularizer_l1 (const float *theta, float *grad, gsize n, double lambda)
{
  if (lambda == 0.0)
    return 0.0;
  if (grad != NULL)
    {
      float l = (float) lambda;
      for (gsize i = 0; i < n; i++)
        grad[i] += l * sign_of (theta[i]);
    }
  return lambda * rs_sum_abs (theta, n);
}

double
rs_regularizer_l2 (const float *theta, float *grad, gsize n, double lambda)
{
  if (lambda == 0.0)
    return 0.0;
  if (grad != NULL)
    {
      float l2 = (float) (2.0 * lambda);
      for (gsize i = 0; i < n; i++)
        grad[i] += l2 * theta[i];
    }
  return lambda * rs_sum_sq (theta, n);
}

/* da = (or +=) the activity term's gradient. */
static void
activity_grad (const float *a, float *da, gsize n, double lambda, RsActivityNorm norm,
               gboolean add)
{
  const float s = (float) lambda / (float) n;
  if (norm == RS_NORM_L2)
    {
      if (add)
        for (gsize i = 0; i < n; i++)
          da[i] += s * (2.0f * a[i]);
      else
        for (gsize i = 0; i < n; i++)
          da[i] = s * (2.0f * a[i]);
    }
  else
    {
      if (add)
        for (gsize i = 0; i < n; i++)
          da[i] += s * sign_of (a[i]);
      else
        for (gsize i = 0; i < n; i++)
          da[i] = s * sign_of (a[i]);
    }
}

double
rs_regularizer_activity (const float *a, float *da, gsize n, double lambda,
                         RsActivityNorm norm)
{
  if (lambda == 0.0 || n == 0)
    return 0.0;
  if (da != NULL)
    activity_grad (a, da, n, lambda, norm, TRUE);
  double sum = norm == RS_NORM_L2 ? rs_sum_sq (a, n) : rs_sum_abs (a, n);
  return lambda * sum / (double) n;
}

/* grad += (2 l2 theta + l1 sign(theta)): both terms first, then the sum,
 * as rs-optimizer.c folds them in (the order of PyTorch's autograd). */
static void
add_param_grads (const float *theta, float *grad, gsize n, double l1, double l2)
{
  float fl1 = (float) l1, fl2x2 = (float) (2.0 * l2);
  for (gsize i = 0; i < n; i++)
    grad[i] = grad[i] + (fl2x2 * theta[i] + fl1 * sign_of (theta[i]));
}

void
rs_regularizer_layer_params (const RsLayer *layer, const RsLayerReg *reg,
                             gboolean with_grad, RsPenalty *out)
{
  gsize nw = (gsize) layer->out * layer->in;
  out->l1 = out->l2 = 0.0;
  if (reg->l1 != 0.0)
    out->l1 = reg->l1 * (rs_sum_abs (layer->weight, nw)
                         + (reg->l1_bias ? rs_sum_abs (layer->bias, layer->out) : 0.0));
  if (reg->l2 != 0.0)
    out->l2 = reg->l2 * rs_sum_sq (layer->weight, nw)
              + reg->l2 * rs_sum_sq (layer->bias, layer->out);
  if (with_grad && (reg->l1 != 0.0 || reg->l2 != 0.0))
    {
      add_param_grads (layer->weight, layer->grad_weight, nw, reg->l1, reg->l2);
      add_param_grads (layer->bias, layer->grad_bias, layer->out,
                       reg->l1_bias ? reg->l1 : 0.0, reg->l2);
    }
}

void
rs_regularizer_layer_activity (RsLayer *layer, const RsLayerReg *reg, int batch,
                               gboolean with_grad, RsPenalty *out)
{
  out->activity = rs_regularizer_activity (layer->a, with_grad ? layer->da : NULL,
                                           (gsize) batch * layer->out, reg->activity,
                                           reg->activity_norm);
}

double
rs_regularizer_layer_activity_set (RsLayer *layer, const RsLayerReg *reg, int batch)
{
  gsize n = (gsize) batch * layer->out;
  if (reg->activity == 0.0 || n == 0)
    return 0.0;
  activity_grad (layer->a, layer->da, n, reg->activity, reg->activity_norm, FALSE);
  double sum = reg->activity_norm == RS_NORM_L2 ? rs_sum_sq (layer->a, n)
                                                : rs_sum_abs (layer->a, n);
  return reg->activity * sum / (double) n;
}
