/* rs-network-private.h — the network's functions only the tests use: a
 * backward that adds into the gradients (checked against hand-computed
 * and sparse-kernel results) and the zeroing it needs. The engine's step
 * uses rs_network_backward_fresh. */
#pragma once

#include "rs-network.h"

G_BEGIN_DECLS

/* Backward pass after rs_network_forward on the same x. Each layer's `da`
 * must already hold dLoss/da for that layer's own terms: the loss gradient
 * in the last layer's da, activity-penalty gradients in any layer's da (the
 * caller zeroes the others first with rs_network_zero_output_grads). Adds
 * parameter gradients into grads (zero them first), propagating da down. */
void       rs_network_backward (RsNetwork *net, const float *x, int batch);

void       rs_network_zero_grads (RsNetwork *net);
void       rs_network_zero_output_grads (RsNetwork *net, int batch);

G_END_DECLS
