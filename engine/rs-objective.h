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

/* Forward on x [batch, in]; when with_grad, also the backward pass (grads
 * are overwritten). regs has net->n_layers entries. Allocates nothing. */
void rs_objective_compute (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                           const float *x, const int32_t *y, int batch,
                           gboolean with_grad, RsObjective *out);

G_END_DECLS
