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
  /* Dropout (hidden layers): keep holds 0 or 1/(1-p) per output of the
   * batch, drawn by rs_network_dropout_draw; dropped = a * keep is what
   * the layer above reads while net->dropout_on and p > 0. Both
   * [max_batch, out], allocated the first time the layer's dropout is on. */
  float  dropout;      /* p of the last draw; 0: this layer drops nothing */
  float *keep;
  float *dropped;
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
  /* Where each hidden ReLU output is nonzero, for the products that skip
   * its zeros (NULL where none can: rs_linear_nz_index_new), rebuilt by
   * each forward; and their backward's scratch. */
  struct RsNzIndex *nz[RS_MAX_LAYERS];
  float       *nz_scratch;
  /* Forwards and backwards apply the drawn dropout masks while TRUE (the
   * training objective); FALSE for validation and the plots' probes. */
  gboolean     dropout_on;
  int          dropout_rows; /* rows of the last draw (0: none yet) */
  float       *dropout_grad; /* [max_batch, widest hidden layer]: dL/d(dropped) */
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

/* Backward pass after rs_network_forward on the same x: the parameter
 * gradients are written into grads, and the last layer's da alone must
 * hold dLoss/da beforehand; a hidden layer's da counts only where
 * da_set[l] (its activity term, say), and is written otherwise. da_set
 * may be NULL (none). Bias gradients are summed in PyTorch's order.
 * (rs-network-private.h has an accumulating twin for the tests.) */
void       rs_network_backward_fresh (RsNetwork *net, const float *x, int batch,
                                      const gboolean *da_set);

/* Gaussian input noise: dst[i] = x[i] + (float) (sigma * N(0, 1)) for
 * i < n, in order, from `rng` (Box–Muller, rs_rng_normal). */
void       rs_network_input_noise (float *dst, const float *x, gsize n, double sigma,
                                   RsRng *rng);

/* Dropout masks for the next training pass of `batch` rows: each hidden
 * layer l with regs[l].dropout = p > 0 gets keep = 0 with probability p
 * and 1/(1-p) otherwise, row by row, unit by unit, from `rng`. Draws
 * nothing (and leaves rng untouched) for layers without dropout. Returns
 * whether any layer drops; dropout_on is set to that. */
gboolean   rs_network_dropout_draw (RsNetwork *net, const RsLayerReg *regs, int batch,
                                    RsRng *rng);

G_END_DECLS
