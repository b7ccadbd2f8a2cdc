/* rs-network.h — a stack of dense layers fc1..fcN with one hidden
 * activation, in PyTorch's layout (weight [out, in], bias [out]).
 *
 * One owner per buffer: the network owns its parameters, gradients and the
 * per-layer activation caches, all allocated once for `max_batch` rows, so
 * forward and backward never allocate. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-rng.h"

G_BEGIN_DECLS

typedef struct {
  int    in, out;
  float *weight;       /* [out, in] — a view into RsNetwork.params */
  float *bias;         /* [out] */
  float *grad_weight;  /* [out, in] — a view into RsNetwork.grads */
  float *grad_bias;    /* [out] */
  float *z;            /* [max_batch, out] pre-activation */
  float *a;            /* [max_batch, out] post-activation (== z for the last layer) */
  float *da;           /* [max_batch, out] dLoss/da, turned into dLoss/dz in place */
  float *weight_t;     /* [in, out] scratch: W transposed, refreshed by each forward */
} RsLayer;

typedef struct {
  int          n_layers;
  int          max_batch;
  RsActivation activation;   /* between layers; the last layer is linear */
  RsLayer      layers[RS_MAX_LAYERS];
  gsize        n_params;
  float       *params;       /* every layer's weight then bias, contiguous */
  float       *grads;        /* same layout */
  float       *cache;        /* z, a, da and weight_t of every layer */
  /* Hidden ReLU layers (when the sparse kernels run here): where layer l's
   * a is nonzero, built by each forward; nz_use[l] while that a is sparse
   * enough for the products that skip its zeros to be faster. */
  struct RsNzIndex *nz[RS_MAX_LAYERS];
  gboolean     nz_use[RS_MAX_LAYERS];
  gboolean     nz_cols[RS_MAX_LAYERS]; /* its column masks are built too */
  float       *nz_scratch;   /* 2 x the largest out x in: the sparse dW's sums */
} RsNetwork;

/* sizes[0..n_layers]: input width, hidden widths, output width. */
RsNetwork *rs_network_new  (int n_layers, const int *sizes, RsActivation activation,
                            int max_batch);
void       rs_network_free (RsNetwork *net);

/* PyTorch's nn.Linear default: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in))
 * (kaiming_uniform_ with a = sqrt(5)). Weights of a layer first, then its
 * bias, layer by layer. */
void       rs_network_init_pytorch (RsNetwork *net, RsRng *rng);

/* x: [batch, sizes[0]]. Fills every layer's z and a; returns the output
 * (the last layer's a, [batch, sizes[n_layers]]). batch <= max_batch. */
const float *rs_network_forward (RsNetwork *net, const float *x, int batch);

/* Activation forward/backward, side by side. */
void       rs_activation_forward  (RsActivation act, const float *z, float *a, gsize n);
/* da[i] *= act'(z[i]) using the cached output a (relu: a > 0; tanh: 1 - a^2;
 * sigmoid: a (1 - a)). */
void       rs_activation_backward (RsActivation act, const float *a, float *da, gsize n);

/* Backward pass after rs_network_forward on the same x. Each layer's `da`
 * must already hold dLoss/da for that layer's own terms: the loss gradient
 * in the last layer's da, activity-penalty gradients in any layer's da (the
 * caller zeroes the others first with rs_network_zero_output_grads). Adds
 * parameter gradients into grads (zero them first), propagating da down. */
void       rs_network_backward (RsNetwork *net, const float *x, int batch);

/* The objective's backward: as rs_network_backward, but the parameter
 * gradients are written, not added (no zeroing pass), and the last layer's
 * da alone must hold dLoss/da beforehand; a hidden layer's da counts only
 * where da_set[l] (its activity term, say), and is written otherwise.
 * da_set may be NULL (none). Bias gradients are summed in PyTorch's order. */
void       rs_network_backward_fresh (RsNetwork *net, const float *x, int batch,
                                      const gboolean *da_set);

void       rs_network_zero_grads (RsNetwork *net);
void       rs_network_zero_output_grads (RsNetwork *net, int batch);

G_END_DECLS
