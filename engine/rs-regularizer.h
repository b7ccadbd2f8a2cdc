/* rs-regularizer.h — the per-layer penalty terms, value and gradient side
 * by side. Values are accumulated in double; gradients are added into the
 * float gradient buffers, rounded as PyTorch's autograd rounds them.
 * d|x|/dx at 0 is 0, as torch.sign. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-network.h"

G_BEGIN_DECLS

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
 * the layer's grad buffers when with_grad (both terms summed first, then
 * added, as rs_optimizer_step_network_penalized does). */
void   rs_regularizer_layer_params (const RsLayer *layer, const RsLayerReg *reg,
                                    gboolean with_grad, RsPenalty *out);
/* Activity term of one layer on its cached output a [batch, out]; adds into
 * layer->da when with_grad. */
void   rs_regularizer_layer_activity (RsLayer *layer, const RsLayerReg *reg, int batch,
                                      gboolean with_grad, RsPenalty *out);

/* The activity term of one layer whose da holds nothing yet: da is SET to
 * the term's gradient (no zeroing pass first). Returns the value. */
double rs_regularizer_layer_activity_set (RsLayer *layer, const RsLayerReg *reg, int batch);

G_END_DECLS
