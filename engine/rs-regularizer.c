#include "rs-regularizer.h"

#include <math.h>

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
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += fabsf (theta[i]);
  if (grad != NULL)
    {
      float l = (float) lambda;
      for (gsize i = 0; i < n; i++)
        grad[i] += l * sign_of (theta[i]);
    }
  return lambda * sum;
}

double
rs_regularizer_l2 (const float *theta, float *grad, gsize n, double lambda)
{
  if (lambda == 0.0)
    return 0.0;
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += (double) theta[i] * theta[i];
  if (grad != NULL)
    {
      float l2 = (float) (2.0 * lambda);
      for (gsize i = 0; i < n; i++)
        grad[i] += l2 * theta[i];
    }
  return lambda * sum;
}

double
rs_regularizer_activity (const float *a, float *da, gsize n, double lambda,
                         RsActivityNorm norm)
{
  if (lambda == 0.0 || n == 0)
    return 0.0;
  double sum = 0.0;
  if (norm == RS_NORM_L2)
    {
      for (gsize i = 0; i < n; i++)
        sum += (double) a[i] * a[i];
      if (da != NULL)
        {
          float s = (float) (2.0 * lambda / (double) n);
          for (gsize i = 0; i < n; i++)
            da[i] += s * a[i];
        }
    }
  else
    {
      for (gsize i = 0; i < n; i++)
        sum += fabsf (a[i]);
      if (da != NULL)
        {
          float s = (float) (lambda / (double) n);
          for (gsize i = 0; i < n; i++)
            da[i] += s * sign_of (a[i]);
        }
    }
  return lambda * sum / (double) n;
}

void
rs_regularizer_layer_params (const RsLayer *layer, const RsLayerReg *reg,
                             gboolean with_grad, RsPenalty *out)
{
  gsize nw = (gsize) layer->out * layer->in;
  out->l1 = rs_regularizer_l1 (layer->weight, with_grad ? layer->grad_weight : NULL, nw,
                               reg->l1);
  if (reg->l1_bias)
    out->l1 += rs_regularizer_l1 (layer->bias, with_grad ? layer->grad_bias : NULL,
                                  layer->out, reg->l1);
  out->l2 = rs_regularizer_l2 (layer->weight, with_grad ? layer->grad_weight : NULL, nw,
                               reg->l2)
            + rs_regularizer_l2 (layer->bias, with_grad ? layer->grad_bias : NULL,
                                 layer->out, reg->l2);
}

void
rs_regularizer_layer_activity (RsLayer *layer, const RsLayerReg *reg, int batch,
                               gboolean with_grad, RsPenalty *out)
{
  out->activity = rs_regularizer_activity (layer->a, with_grad ? layer->da : NULL,
                                           (gsize) batch * layer->out, reg->activity,
                                           reg->activity_norm);
}
