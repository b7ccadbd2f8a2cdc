#include "rs-objective.h"

#include <math.h>

#include "rs-loss.h"
#include "rs-regularizer.h"

void
rs_objective_compute (RsNetwork *net, const RsLayerReg *regs, RsLossKind loss,
                      const float *x, const int32_t *y, int batch, gboolean with_grad,
                      RsObjective *out)
{
  const float *output = rs_network_forward (net, x, batch);
  if (with_grad)
    {
      rs_network_zero_output_grads (net, batch);
      rs_network_zero_grads (net);
    }
  RsLayer *last = &net->layers[net->n_layers - 1];
  out->task = rs_loss_compute (loss, output, y, batch, last->out,
                               with_grad ? last->da : NULL, &out->correct);
  out->l1 = out->l2 = out->activity = 0.0;
  for (int l = 0; l < net->n_layers; l++)
    {
      RsPenalty p = { 0 };
      rs_regularizer_layer_params (&net->layers[l], &regs[l], with_grad, &p);
      rs_regularizer_layer_activity (&net->layers[l], &regs[l], batch, with_grad, &p);
      out->l1 += p.l1;
      out->l2 += p.l2;
      out->activity += p.activity;
    }
  out->loss = out->task + out->l1 + out->l2 + out->activity;
  /* A non-finite loss means the gradient is meaningless: skip backward so
   * the caller can refuse the step with the parameters untouched. */
  if (with_grad && isfinite (out->loss))
    rs_network_backward (net, x, batch);
}
