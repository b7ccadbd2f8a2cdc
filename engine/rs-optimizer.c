#include "rs-optimizer.h"

#include <math.h>
#include <string.h>

#include "rs-kernels-impl.h"
#include "rs-optimizer-impl.h"
#include "rs-pool.h"

RsOptimizer *
rs_optimizer_new (const RsOptimizerConfig *config, gsize n_params)
{
  RsOptimizer *opt = g_new0 (RsOptimizer, 1);
  opt->config = *config;
  opt->n = n_params;
  opt->m = g_new0 (float, n_params);
  opt->v = g_new0 (float, n_params);
  return opt;
}

void
rs_optimizer_free (RsOptimizer *opt)
{
  if (opt == NULL)
    return;
  g_free (opt->m);
  g_free (opt->v);
  g_free (opt);
}

void
rs_optimizer_reset (RsOptimizer *opt)
{
  memset (opt->m, 0, opt->n * sizeof (float));
  memset (opt->v, 0, opt->n * sizeof (float));
  opt->t = 0;
  opt->has_momentum_buffer = FALSE;
}

void
rs_optimizer_configure (RsOptimizer *opt, const RsOptimizerConfig *config)
{
  if (config->kind != opt->config.kind)
    {
      /* Another optimizer starts from fresh state, as a new torch.optim would. */
      opt->config = *config;
      rs_optimizer_reset (opt);
      return;
    }
  opt->config = *config;
}

void
rs_optimizer_begin_step (RsOptimizer *opt)
{
  opt->t++;
}

void
rs_optimizer_finish_step (RsOptimizer *opt)
{
  if (opt->config.kind == RS_OPT_SGD && opt->config.momentum != 0.0)
    opt->has_momentum_buffer = TRUE;
}

/* torch.optim.sgd._single_tensor_sgd */
static void
sgd_update (RsOptimizer *opt, float *restrict m, float *restrict theta,
            const float *restrict grad, gsize n, double weight_decay, RsParamPenalty penalty)
{
  const RsOptimizerConfig *c = &opt->config;
  const float lr = (float) c->lr, wd = (float) weight_decay;
  const float mu = (float) c->momentum, one_minus_damp = (float) (1.0 - c->dampening);
  const gboolean first = !opt->has_momentum_buffer;
  const gboolean penalized = rs_param_penalty_on (penalty);

  for (gsize i = 0; i < n; i++)
    {
      float d = grad[i];
      if (penalized)
        d = d + rs_param_penalty_grad (penalty, theta[i]);
      if (wd != 0.0f)
        d = d + wd * theta[i];
      if (mu != 0.0f)
        {
          /* The first step clones the gradient into the buffer: no dampening. */
          m[i] = first ? d : mu * m[i] + one_minus_damp * d;
          d = c->nesterov ? d + mu * m[i] : m[i];
        }
      theta[i] = theta[i] - lr * d;
    }
}

/* torch.optim.adam._single_tensor_adam and adamw._single_tensor_adamw, one
 * element at a time. rs-optimizer-avx2.c does the same operations eight at
 * a time; change both or neither. */
void
rs_adam_update_portable (const RsUpdateArgs *a, float *restrict m, float *restrict v,
                         float *restrict theta, const float *restrict grad, gsize n)
{
  const float beta1 = a->beta1, beta2 = a->beta2;
  const float one_minus_beta1 = a->one_minus_beta1, one_minus_beta2 = a->one_minus_beta2;
  const float step_size = a->step_size, bias_correction2_sqrt = a->bias_correction2_sqrt;
  const float eps = a->eps, wd = a->weight_decay, decay = a->decay;
  const gboolean decoupled = a->decoupled;
  const gboolean penalized = rs_param_penalty_on (a->penalty);

  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i];
      float p = theta[i];
      if (penalized)
        g = g + rs_param_penalty_grad (a->penalty, p);
      if (wd != 0.0f)
        {
          if (decoupled)
            p = p * decay;
          else
            g = g + wd * p;
        }
      m[i] = m[i] * beta1 + one_minus_beta1 * g;
      v[i] = v[i] * beta2 + one_minus_beta2 * g * g;
      float denom = sqrtf (v[i]) / bias_correction2_sqrt + eps;
      /* addcdiv_(m, denom, value=-step_size) evaluates (value * m) / denom */
      theta[i] = p + (-step_size * m[i]) / denom;
    }
}

static void
adam_update_here (const RsUpdateArgs *a, float *m, float *v, float *theta, const float *grad,
                  gsize n)
{
#if defined(RS_HAVE_AVX2)
  if (rs_kernels_use_avx2 ())
    {
      rs_adam_update_avx2 (a, m, v, theta, grad, n);
      return;
    }
#endif
  rs_adam_update_portable (a, m, v, theta, grad, n);
}

/* Large groups go to the pool's threads (rs-pool.h) in stretches of whole
 * 64-float lines: each parameter is updated by one thread with the same
 * operations (the AVX2 loop and its scalar tail agree bit for bit), so
 * the thread count changes nothing but the time. Below this size waking
 * the workers costs more than it saves. */
#define RS_PARALLEL_MIN_PARAMS 32768

typedef struct {
  const RsUpdateArgs *a;
  float *m, *v, *theta;
  const float *grad;
  gsize n;
} AdamJob;

static void
adam_part (void *data, int part, int parts)
{
  const AdamJob *j = data;
  gsize per = (j->n + parts - 1) / parts;
  per = (per + 63) / 64 * 64;
  gsize i0 = MIN (j->n, (gsize) part * per), i1 = MIN (j->n, i0 + per);
  if (i0 < i1)
    adam_update_here (j->a, j->m + i0, j->v + i0, j->theta + i0, j->grad + i0, i1 - i0);
}

void
rs_adam_update (const RsUpdateArgs *a, float *m, float *v, float *theta, const float *grad,
                gsize n)
{
  int parts = rs_pool_threads ();
  if (parts <= 1 || n < RS_PARALLEL_MIN_PARAMS)
    {
      adam_update_here (a, m, v, theta, grad, n);
      return;
    }
  AdamJob job = { a, m, v, theta, grad, n };
  rs_pool_run (MIN (parts, RS_MAX_THREADS), adam_part, &job);
}

static void
adam_update (RsOptimizer *opt, float *m, float *v, float *theta, const float *grad, gsize n,
             double weight_decay, RsParamPenalty penalty)
{
  const RsOptimizerConfig *c = &opt->config;
  /* Once per step, not per group: pow is a good part of a small step. */
  if (opt->corrections_t != opt->t || opt->corrections_beta1 != c->beta1
      || opt->corrections_beta2 != c->beta2)
    {
      opt->bias_correction1 = 1.0 - pow (c->beta1, (double) opt->t);
      opt->bias_correction2 = 1.0 - pow (c->beta2, (double) opt->t);
      opt->corrections_t = opt->t;
      opt->corrections_beta1 = c->beta1;
      opt->corrections_beta2 = c->beta2;
    }
  const double bias_correction1 = opt->bias_correction1;
  const double bias_correction2 = opt->bias_correction2;
  RsUpdateArgs a = {
    .beta1 = (float) c->beta1,
    .beta2 = (float) c->beta2,
    .one_minus_beta1 = (float) (1.0 - c->beta1),
    .one_minus_beta2 = (float) (1.0 - c->beta2),
    .step_size = (float) (c->lr / bias_correction1),
    .bias_correction2_sqrt = (float) sqrt (bias_correction2),
    .eps = (float) c->eps,
    .weight_decay = (float) weight_decay,
    .decay = (float) (1.0 - c->lr * weight_decay),
    .decoupled = c->kind == RS_OPT_ADAMW,
    .penalty = penalty,
  };
  rs_adam_update (&a, m, v, theta, grad, n);
}

/* One group with the parameter penalties' gradients folded in. */
static void
update_group_penalized (RsOptimizer *opt, gsize offset, float *theta, const float *grad,
                        gsize n, double weight_decay, RsParamPenalty penalty)
{
  g_return_if_fail (offset + n <= opt->n);
  if (opt->config.kind == RS_OPT_SGD)
    sgd_update (opt, opt->m + offset, theta, grad, n, weight_decay, penalty);
  else
    adam_update (opt, opt->m + offset, opt->v + offset, theta, grad, n, weight_decay, penalty);
}

void
rs_optimizer_update_group (RsOptimizer *opt, gsize offset, float *theta,
                           const float *grad, gsize n, double weight_decay)
{
  update_group_penalized (opt, offset, theta, grad, n, weight_decay,
                          rs_param_penalty (0.0, 0.0));
}

void
rs_optimizer_step_network (RsOptimizer *opt, RsNetwork *net, const RsLayerReg *regs)
{
  rs_optimizer_begin_step (opt);
  for (int l = 0; l < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      /* weight and bias are contiguous: one group per layer. */
      gsize offset = (gsize) (layer->weight - net->params);
      gsize n = (gsize) layer->out * layer->in + layer->out;
      rs_optimizer_update_group (opt, offset, layer->weight, layer->grad_weight, n,
                                 regs[l].weight_decay);
    }
  rs_optimizer_finish_step (opt);
}

void
rs_optimizer_step_network_penalized (RsOptimizer *opt, RsNetwork *net, const RsLayerReg *regs)
{
  rs_optimizer_begin_step (opt);
  for (int l = 0; l < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      RsParamPenalty pw = rs_param_penalty_weight (&regs[l]);
      RsParamPenalty pb = rs_param_penalty_bias (&regs[l]);
      gsize offset = (gsize) (layer->weight - net->params);
      gsize nw = (gsize) layer->out * layer->in;
      double wd = regs[l].weight_decay;
      if (pw.l1 == pb.l1)
        update_group_penalized (opt, offset, layer->weight, layer->grad_weight, nw + layer->out,
                                wd, pw);
      else
        {
          /* L1 on the weights only: the same group, in two stretches. */
          update_group_penalized (opt, offset, layer->weight, layer->grad_weight, nw, wd, pw);
          update_group_penalized (opt, offset + nw, layer->bias, layer->grad_bias, layer->out,
                                  wd, pb);
        }
    }
  rs_optimizer_finish_step (opt);
}
