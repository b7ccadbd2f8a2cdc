/* rs-loss.h — task losses, value and gradient side by side.
 * Both are means over the batch, as PyTorch's default reduction. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

/* `smoothing` is label smoothing eps in [0, 1): the target of a row is
 * (1 - eps) onehot + eps / classes, as nn.CrossEntropyLoss(label_smoothing=
 * eps); 0 is the plain one-hot target. */

/* Softmax cross-entropy of logits [batch, classes] against labels (mean),
 * in PyTorch's float operations (log_softmax + nll_loss), so the gradient
 * agrees with PyTorch's bit for bit.
 * Log-sum-exp with the row maximum subtracted, so large logits are safe.
 * When dlogits is not NULL it receives (softmax - target) / batch.
 * *correct (if not NULL) counts rows whose arg-max equals the label. */
double rs_cross_entropy (const float *logits, const int32_t *labels, int batch,
                         int classes, double smoothing, float *dlogits, int *correct);

/* Mean squared error between outputs [batch, classes] and one-hot labels,
 * averaged over batch * classes (nn.MSELoss on one-hot targets).
 * dout receives 2 (out - target) / (batch * classes). */
double rs_mse_onehot (const float *out, const int32_t *labels, int batch,
                      int classes, double smoothing, float *dout, int *correct);

/* The predicted class of one row of outputs: the first index of the
 * maximum (NaN never wins). What *correct above counts with. */
int    rs_loss_argmax (const float *row, int classes);

double rs_loss_compute (RsLossKind kind, double smoothing, const float *out,
                        const int32_t *labels, int batch, int classes, float *dout,
                        int *correct);

G_END_DECLS
