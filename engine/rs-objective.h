/* rs-objective.h — the full training objective of one batch:
 *   task loss + sum over layers of (l1 + l2 + activity) penalties
 * its value term by term and, on request, its gradient in net->grads.
 * The session's step and the gradient checks both go through here. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "rs-experiment.h"
#include "rs-network.h"

G_BEGIN_DECLS

typedef struct {
  double loss;      /* task + l1 + l2 + activity */
  double task;
  double l1, l2, activity;
  int    correct;   /* rows whose arg-max is the label */
} RsObjective;

typedef enum {
  RS_GRAD_NONE,   /* the value only */
  RS_GRAD_FULL,   /* the gradient of the whole objective in net->grads */
  RS_GRAD_DATA,   /* without the l1/l2 parameter terms, which the optimizer
                   * folds into its update (rs_optimizer_step_network_penalized) */
} RsGradMode;

/* Forward on x [batch, in]; when with_grad, also the backward pass (grads
 * are overwritten). regs has net->n_layers entries; smoothing is the task
 * loss's label smoothing (rs_loss_compute). Allocates nothing. */
void rs_objective_compute (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                           double smoothing, const float *x, const int32_t *y, int batch,
                           gboolean with_grad, RsObjective *out);
/* The same, choosing what goes into net->grads. */
void rs_objective_compute_mode (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                                double smoothing, const float *x, const int32_t *y,
                                int batch, RsGradMode mode, RsObjective *out);

G_END_DECLS
