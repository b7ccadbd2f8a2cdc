#include "rs-regularizer.h"

#include <math.h>

#include "rs-kernels-impl.h"

/* The gradients are rs-regularizer.h's definitions; values are summed in
 * double. */

void
rs_regularizer_add_param_grads (RsParamPenalty c, const float *theta, float *grad, gsize n)
{
  if (!rs_param_penalty_on (c))
    return;
  for (gsize i = 0; i < n; i++)
    grad[i] = grad[i] + rs_param_penalty_grad (c, theta[i]);
}

double
rs_regularizer_l1 (const float *theta, float *grad, gsize n, double lambda)
{
  if (lambda == 0.0)
    return 0.0;
  if (grad != NULL)
    rs_regularizer_add_param_grads (rs_param_penalty (lambda, 0.0), theta, grad, n);
  return lambda * rs_sum_abs (theta, n);
}

double
rs_regularizer_l2 (const float *theta, float *grad, gsize n, double lambda)
{
  if (lambda == 0.0)
    return 0.0;
  if (grad != NULL)
    rs_regularizer_add_param_grads (rs_param_penalty (0.0, lambda), theta, grad, n);
  return lambda * rs_sum_sq (theta, n);
}

/* da = (or +=) the activity term's gradient. */
static void
activity_grad (const float *a, float *da, gsize n, double lambda, RsActivityNorm norm,
               gboolean add)
{
  const float s = rs_activity_scale (lambda, n);
  if (norm == RS_NORM_L2)
    {
      if (add)
        for (gsize i = 0; i < n; i++)
          da[i] += rs_activity_grad_l2 (s, a[i]);
      else
        for (gsize i = 0; i < n; i++)
          da[i] = rs_activity_grad_l2 (s, a[i]);
    }
  else
    {
      if (add)
        for (gsize i = 0; i < n; i++)
          da[i] += rs_activity_grad_l1 (s, a[i]);
      else
        for (gsize i = 0; i < n; i++)
          da[i] = rs_activity_grad_l1 (s, a[i]);
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
  if (with_grad)
    {
      rs_regularizer_add_param_grads (rs_param_penalty_weight (reg), layer->weight,
                                      layer->grad_weight, nw);
      rs_regularizer_add_param_grads (rs_param_penalty_bias (reg), layer->bias,
                                      layer->grad_bias, layer->out);
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

void
rs_regularizer_max_norm (RsLayer *layer, const RsLayerReg *reg)
{
  if (reg->max_norm <= 0.0)
    return;
  const float c = (float) reg->max_norm, eps = 1e-7f;
  for (int r = 0; r < layer->out; r++)
    {
      float *w = layer->weight + (gsize) r * layer->in;
      float norm = (float) sqrt (rs_sum_sq (w, (gsize) layer->in));
      if (!(norm > c))
        continue;
      float factor = c / (norm + eps);
      for (int i = 0; i < layer->in; i++)
        w[i] = w[i] * factor;
    }
}
