#include "rs-loss.h"

#include <math.h>

#include "rs-kernels-impl.h"

/* Rows whose max, log-sum and label offset are kept at a time. */
#define CE_ROWS 256

/* The first index of the maximum (NaN never wins), without branches. */
static int
row_argmax (const float *row, int n)
{
  int best = 0;
  float max = row[0];
  for (int j = 1; j < n; j++)
    {
      gboolean more = row[j] > max;
      best = more ? j : best;
      max = more ? row[j] : max;
    }
  return best;
}

/* The softmax denominator of one row, summed as PyTorch's log_softmax does
 * (SoftMaxKernel.cpp, vec::map_reduce_all): in order below 8 classes; else
 * eight lanes, the tail folded into the first lanes, then a pairwise tree. */
static float
row_sum_exp (const float *e, int c)
{
  if (c < 8)
    {
      float s = e[0];
      for (int j = 1; j < c; j++)
        s += e[j];
      return s;
    }
  float a[8];
  for (int k = 0; k < 8; k++)
    a[k] = e[k];
  int d = 8;
  for (; d < c - c % 8; d += 8)
    for (int k = 0; k < 8; k++)
      a[k] += e[d + k];
  for (int k = 0; d + k < c; k++)
    a[k] += e[d + k];
  float v0 = a[0] + a[4], v1 = a[1] + a[5], v2 = a[2] + a[6], v3 = a[3] + a[7];
  return (v0 + v2) + (v1 + v3);
}

/* The loss value in double: sum over rows of log(s_r) - (x_y - max), with
 * s_r = sum exp(x_j - max) >= 1. The logs are taken at once, as the log
 * of the product of the s_r (kept below 2^500 by moving powers of two
 * out), which costs one log per call instead of one per row. */
static double
cross_entropy_value (const float *logits, const int32_t *labels, int rows, int classes,
                     const float *max)
{
  double s[CE_ROWS];
  rs_softmax_sums (logits, rows, classes, max, s);
  double product = 1.0, offsets = 0.0;
  int exponent = 0;
  for (int r = 0; r < rows; r++)
    {
      product *= s[r];
      if (product > 0x1p500)
        {
          product *= 0x1p-500;
          exponent += 500;
        }
      offsets += (double) logits[(gsize) r * classes + labels[r]] - max[r];
    }
  return log (product) + exponent * G_LN2 - offsets;
}

double
rs_cross_entropy (const float *logits, const int32_t *labels, int batch, int classes,
                  float *dlogits, int *correct)
{
  /* The gradient follows PyTorch's log_softmax + nll_loss in its float
   * operations, so it is PyTorch's bit for bit (exp and log: rs_vexp,
   * rs_vlog, SLEEF's algorithms):
   *   t = x - max, s = sum exp(t), out = t - log(s)
   *   dL/dx = g - exp(out) * sum(g), g = -1/B at the label, 0 elsewhere
   * (the last product and difference fused, as PyTorch's compiled kernel
   * does). The value is computed apart, in double. */
  double total = 0.0;
  int hits = 0;
  const float go = -(1.0f / (float) batch);
  float max[CE_ROWS], logsum[CE_ROWS];
  for (int r0 = 0; r0 < batch; r0 += CE_ROWS)
    {
      int rows = MIN (CE_ROWS, batch - r0);
      const float *x = logits + (gsize) r0 * classes;
      const int32_t *y = labels + r0;
      for (int r = 0; r < rows; r++)
        {
          const float *row = x + (gsize) r * classes;
          int argmax = row_argmax (row, classes);
          hits += argmax == y[r];
          max[r] = row[argmax];
        }
      total += cross_entropy_value (x, y, rows, classes, max);
      if (dlogits == NULL)
        continue;

      float *d = dlogits + (gsize) r0 * classes;
      gsize n = (gsize) rows * classes;
      for (int r = 0; r < rows; r++)
        for (int j = 0; j < classes; j++)
          d[(gsize) r * classes + j] = x[(gsize) r * classes + j] - max[r];
      rs_vexp (d, d, n);
      for (int r = 0; r < rows; r++)
        logsum[r] = row_sum_exp (d + (gsize) r * classes, classes);
      rs_vlog (logsum, logsum, rows);
      for (int r = 0; r < rows; r++)
        for (int j = 0; j < classes; j++)
          d[(gsize) r * classes + j] = (x[(gsize) r * classes + j] - max[r]) - logsum[r];
      rs_vexp (d, d, n);
      rs_ce_grad_finish (d, y, rows, classes, go);
    }
  if (correct != NULL)
    *correct = hits;
  return total / batch;
}

double
rs_mse_onehot (const float *out, const int32_t *labels, int batch, int classes, float *dout,
               int *correct)
{
  double total = 0.0;
  int hits = 0;
  /* PyTorch's mse_loss_backward: (out - target) * (2 / N), in float. */
  const float scale = (float) (2.0 / ((double) batch * classes));
  for (int r = 0; r < batch; r++)
    {
      const float *row = out + (gsize) r * classes;
      for (int j = 0; j < classes; j++)
        {
          double diff = (double) row[j] - (j == labels[r] ? 1.0 : 0.0);
          total += diff * diff;
          if (dout != NULL)
            dout[(gsize) r * classes + j] = (row[j] - (j == labels[r] ? 1.0f : 0.0f)) * scale;
        }
      hits += row_argmax (row, classes) == labels[r];
    }
  if (correct != NULL)
    *correct = hits;
  return total / ((double) batch * classes);
}

int
rs_loss_argmax (const float *row, int classes)
{
  return row_argmax (row, classes);
}

double
rs_loss_compute (RsLossKind kind, const float *out, const int32_t *labels, int batch,
                 int classes, float *dout, int *correct)
{
  if (kind == RS_LOSS_MSE)
    return rs_mse_onehot (out, labels, batch, classes, dout, correct);
  return rs_cross_entropy (out, labels, batch, classes, dout, correct);
}
