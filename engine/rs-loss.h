/* rs-loss.h — task losses, value and gradient side by side.
 * Both are means over the batch, as PyTorch's default reduction. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

/* Softmax cross-entropy of logits [batch, classes] against labels (mean),
 * in PyTorch's float operations (log_softmax + nll_loss), so the gradient
 * agrees with PyTorch's bit for bit.
 * Log-sum-exp with the row maximum subtracted, so large logits are safe.
 * When dlogits is not NULL it receives (softmax - onehot) / batch.
 * *correct (if not NULL) counts rows whose arg-max equals the label. */
double rs_cross_entropy (const float *logits, const int32_t *labels, int batch,
                         int classes, float *dlogits, int *correct);

/* Mean squared error between outputs [batch, classes] and one-hot labels,
 * averaged over batch * classes (nn.MSELoss on one-hot targets).
 * dout receives 2 (out - onehot) / (batch * classes). */
double rs_mse_onehot (const float *out, const int32_t *labels, int batch,
                      int classes, float *dout, int *correct);

/* The predicted class of one row of outputs: the first index of the
 * maximum (NaN never wins). What *correct above counts with. */
int    rs_loss_argmax (const float *row, int classes);

double rs_loss_compute (RsLossKind kind, const float *out, const int32_t *labels,
                        int batch, int classes, float *dout, int *correct);

G_END_DECLS
