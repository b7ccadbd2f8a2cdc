#include "rs-objective.h"

#include <math.h>

#include "rs-loss.h"
#include "rs-pool.h"
#include "rs-regularizer.h"

typedef struct {
  RsNetwork *net;
  const RsLayerReg *regs;
  RsObjective *out;
} ParamTerms;

/* The parameter penalties' values, layer by layer (the weights' sums). */
static void
param_terms (void *data, int part, int parts)
{
  ParamTerms *t = data;
  (void) part, (void) parts;
  t->out->l1 = t->out->l2 = 0.0;
  for (int l = 0; l < t->net->n_layers; l++)
    {
      RsPenalty p = { 0 };
      rs_regularizer_layer_params (&t->net->layers[l], &t->regs[l], FALSE, &p);
      t->out->l1 += p.l1;
      t->out->l2 += p.l2;
    }
}

void
rs_objective_compute_mode (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                           double smoothing, const float *x, const int32_t *y, int batch,
                           RsGradMode mode, RsObjective *out)
{
  const gboolean with_grad = mode != RS_GRAD_NONE;
  /* The parameter terms read only the weights: summed by a thread that
   * would otherwise wait in the forward's split products. */
  ParamTerms terms = { net, regs, out };
  rs_pool_side (param_terms, &terms);
  const float *output = rs_network_forward (net, x, batch);
  const int last = net->n_layers - 1;
  RsLayer *top = &net->layers[last];
  out->task = rs_loss_compute (loss, smoothing, output, y, batch, top->out, with_grad ? top->da : NULL,
                               &out->correct);
  rs_pool_side_wait ();

  /* The activity terms' values and gradients: each hidden layer's da is
   * written here when it has one (and by the layer above's backward
   * otherwise), so nothing is zeroed first. */
  gboolean da_set[RS_MAX_LAYERS] = { FALSE };
  out->activity = 0.0;
  for (int l = 0; l < net->n_layers; l++)
    {
      RsLayer *layer = &net->layers[l];
      RsPenalty p = { 0 };
      if (with_grad && l < last && regs[l].activity != 0.0)
        {
          p.activity = rs_regularizer_layer_activity_set (layer, &regs[l], batch);
          da_set[l] = TRUE;
        }
      else
        rs_regularizer_layer_activity (layer, &regs[l], batch, with_grad, &p);
      out->activity += p.activity;
    }
  out->loss = out->task + out->l1 + out->l2 + out->activity;
  /* A non-finite loss means the gradient is meaningless: skip backward so
   * the caller can refuse the step with the parameters untouched. */
  if (!with_grad || !isfinite (out->loss))
    return;
  rs_network_backward_fresh (net, x, batch, da_set);
  if (mode == RS_GRAD_FULL)
    for (int l = 0; l < net->n_layers; l++)
      {
        RsPenalty unused;
        rs_regularizer_layer_params (&net->layers[l], &regs[l], TRUE, &unused);
      }
}

void
rs_objective_compute (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                      double smoothing, const float *x, const int32_t *y, int batch,
                      gboolean with_grad, RsObjective *out)
{
  rs_objective_compute_mode (net, regs, loss, smoothing, x, y, batch,
                             with_grad ? RS_GRAD_FULL : RS_GRAD_NONE, out);
}
