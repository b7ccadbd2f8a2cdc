#include "rs-loss.h"

#include <math.h>

static int
row_argmax (const float *row, int n)
{
  int best = 0;
  for (int j = 1; j < n; j++)
    if (row[j] > row[best])
      best = j;
  return best;
}

double
rs_cross_entropy (const float *logits, const int32_t *labels, int batch, int classes,
                  float *dlogits, int *correct)
{
  double total = 0.0;
  int hits = 0;
  for (int r = 0; r < batch; r++)
    {
      const float *row = logits + (gsize) r * classes;
      int argmax = row_argmax (row, classes);
      double max = row[argmax];
      double sum = 0.0;
      for (int j = 0; j < classes; j++)
        sum += exp ((double) row[j] - max);
      double log_sum = log (sum);
      total += -((double) row[labels[r]] - max - log_sum);
      hits += argmax == labels[r];
      if (dlogits != NULL)
        {
          float *drow = dlogits + (gsize) r * classes;
          for (int j = 0; j < classes; j++)
            {
              double p = exp ((double) row[j] - max - log_sum);
              drow[j] = (float) ((p - (j == labels[r])) / batch);
            }
        }
    }
  if (correct != NULL)
    *correct = hits;
  return total / batch;
}

double
rs_mse_onehot (const float *out, const int32_t *labels, int batch, int classes,
               float *dout, int *correct)
{
  double total = 0.0;
  int hits = 0;
  double scale = 2.0 / ((double) batch * classes);
  for (int r = 0; r < batch; r++)
    {
      const float *row = out + (gsize) r * classes;
      for (int j = 0; j < classes; j++)
        {
          double diff = (double) row[j] - (j == labels[r] ? 1.0 : 0.0);
          total += diff * diff;
          if (dout != NULL)
            dout[(gsize) r * classes + j] = (float) (scale * diff);
        }
      hits += row_argmax (row, classes) == labels[r];
    }
  if (correct != NULL)
    *correct = hits;
  return total / ((double) batch * classes);
}

double
rs_loss_compute (RsLossKind kind, const float *out, const int32_t *labels, int batch,
                 int classes, float *dout, int *correct)
{
  if (kind == RS_LOSS_MSE)
    return rs_mse_onehot (out, labels, batch, classes, dout, correct);
  return rs_cross_entropy (out, labels, batch, classes, dout, correct);
}
