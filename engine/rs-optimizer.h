/* rs-optimizer.h — SGD, Adam and AdamW with PyTorch 1.13's exact update
 * order (torch/optim/{sgd,adam,adamw}.py, single-tensor path), one
 * parameter group per layer carrying that layer's weight decay:
 *   SGD, Adam: coupled (grad += wd * theta), as optim.Adam(weight_decay=)
 *   AdamW:     decoupled (theta *= 1 - lr * wd) before the Adam update.
 * State buffers are allocated once, for the whole parameter vector. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-network.h"

G_BEGIN_DECLS

typedef struct {
  RsOptimizerConfig config;
  gsize   n;            /* parameters */
  gint64  t;            /* steps taken (Adam's bias correction) */
  float  *m;            /* Adam exp_avg / SGD momentum buffer */
  float  *v;            /* Adam exp_avg_sq */
  gboolean has_momentum_buffer; /* SGD: the buffer is cloned on the first step */
  /* Adam's 1 - beta^t of step corrections_t (computed once per step) */
  gint64  corrections_t;
  double  corrections_beta1, corrections_beta2;
  double  bias_correction1, bias_correction2;
} RsOptimizer;

RsOptimizer *rs_optimizer_new   (const RsOptimizerConfig *config, gsize n_params);
void         rs_optimizer_free  (RsOptimizer *opt);
/* Clears the state (moments, momentum, step count). */
void         rs_optimizer_reset (RsOptimizer *opt);
/* Changes the settings, keeping the state (as editing param_groups does). */
void         rs_optimizer_configure (RsOptimizer *opt, const RsOptimizerConfig *config);

/* One update of `n` parameters at offset `offset` of the state, with this
 * group's weight decay. Call once per layer (weight and bias together),
 * then rs_optimizer_finish_step. */
void         rs_optimizer_update_group (RsOptimizer *opt, gsize offset, float *theta,
                                        const float *grad, gsize n, double weight_decay);
/* Call before the first group of a step (advances the step count). */
void         rs_optimizer_begin_step (RsOptimizer *opt);
void         rs_optimizer_finish_step (RsOptimizer *opt);

/* The whole network: each layer is its own group. */
void         rs_optimizer_step_network (RsOptimizer *opt, RsNetwork *net,
                                        const RsLayerReg *regs);

/* The same, folding each layer's l1 (weights, and bias when l1_bias) and
 * l2 gradients (rs_param_penalty_grad) into its update: for grads from
 * rs_objective_compute_mode (..., RS_GRAD_DATA, ...). One pass over the
 * parameters instead of three, and the same parameters as the full
 * gradient followed by rs_optimizer_step_network. */
void         rs_optimizer_step_network_penalized (RsOptimizer *opt, RsNetwork *net,
                                                  const RsLayerReg *regs);

G_END_DECLS
