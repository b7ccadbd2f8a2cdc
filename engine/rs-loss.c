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

/* The sum of one row of c floats, ELEM(j) its j-th, in the order of
 * PyTorch's vectorised reductions (SoftMaxKernel.cpp, vec::map_reduce_all
 * and vec::reduce_all): in order below 8 classes; else eight lanes, the
 * tail folded into the first lanes, then a pairwise tree. */
#define ROW_SUM(c, ELEM, out)                                                   \
  G_STMT_START {                                                                \
    if ((c) < 8)                                                                \
      {                                                                         \
        float s_ = ELEM (0);                                                    \
        for (int j_ = 1; j_ < (c); j_++)                                        \
          s_ += ELEM (j_);                                                      \
        (out) = s_;                                                             \
        break;                                                                  \
      }                                                                         \
    float a_[8];                                                                \
    for (int k_ = 0; k_ < 8; k_++)                                              \
      a_[k_] = ELEM (k_);                                                       \
    int d_ = 8;                                                                 \
    for (; d_ < (c) - (c) % 8; d_ += 8)                                         \
      for (int k_ = 0; k_ < 8; k_++)                                            \
        a_[k_] += ELEM (d_ + k_);                                               \
    for (int k_ = 0; d_ + k_ < (c); k_++)                                       \
      a_[k_] += ELEM (d_ + k_);                                                 \
    float v0_ = a_[0] + a_[4], v1_ = a_[1] + a_[5];                             \
    float v2_ = a_[2] + a_[6], v3_ = a_[3] + a_[7];                             \
    (out) = (v0_ + v2_) + (v1_ + v3_);                                          \
  } G_STMT_END

/* The softmax denominator of one row (log_softmax's forward). */
static float
row_sum_exp (const float *e, int c)
{
  float s;
#define EXP_ELEM(j) e[j]
  ROW_SUM (c, EXP_ELEM, s);
#undef EXP_ELEM
  return s;
}

/* The loss value in double: sum over rows of log(s_r) - (x_y - max), with
 * s_r = sum exp(x_j - max) >= 1 (rs_softmax_rows); with label smoothing eps the offset is
 * (1 - eps)(x_y - max) + eps/C sum_j (x_j - max), since the smoothed
 * target puts 1 - eps + eps/C on the label and eps/C elsewhere. The logs are taken at once, as the log
 * of the product of the s_r (kept below 2^500 by moving powers of two
 * out), which costs one log per call instead of one per row. */
static double
cross_entropy_value (const float *logits, const int32_t *labels, int rows, int classes,
                     double smoothing, const float *max, const double *s)
{
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
      const float *row = logits + (gsize) r * classes;
      double at_label = (double) row[labels[r]] - max[r];
      if (smoothing == 0.0)
        {
          offsets += at_label;
          continue;
        }
      /* (1 - eps) of the label's term and eps/C of every class's */
      double all = 0.0;
      for (int j = 0; j < classes; j++)
        all += (double) row[j] - max[r];
      offsets += (1.0 - smoothing) * at_label + smoothing / classes * all;
    }
  return log (product) + exponent * G_LN2 - offsets;
}

/* d holds softmax p. The gradient as PyTorch 1.13 forms it for
 * (1 - eps) nll_loss(log_softmax(x)) + eps/C mean(-sum_j log_softmax(x)_j):
 * at the log-softmax output g_j = -(eps/C)_f / B, and at the label also
 * -(1 - eps)_f / B; then log_softmax's backward dx_j = g_j - p_j sum(g),
 * the product and difference fused. */
static void
smoothed_grad_finish (float *d, const int32_t *labels, int rows, int classes, int batch,
                      double smoothing)
{
  const float spread = -((float) (smoothing / classes) / (float) batch);
  const float at_label = spread + -((float) (1.0 - smoothing) / (float) batch);
  for (int r = 0; r < rows; r++)
    {
      float *drow = d + (gsize) r * classes;
      const int y = labels[r];
      float sum;
#define GRAD_ELEM(j) ((j) == y ? at_label : spread)
      ROW_SUM (classes, GRAD_ELEM, sum);
      for (int j = 0; j < classes; j++)
        drow[j] = fmaf (-drow[j], sum, GRAD_ELEM (j));
#undef GRAD_ELEM
    }
}

/* rs_softmax_rows (rs-kernels-impl.h) one row at a time, from the
 * elementwise kernels: the portable set's form of it. */
static void
softmax_rows (const float *x, const int32_t *y, int rows, int classes, float *max, double *s,
              float *d, gboolean finish, float go, int *hits)
{
  int count = 0;
  for (int r = 0; r < rows; r++)
    {
      const float *row = x + (gsize) r * classes;
      int argmax = row_argmax (row, classes);
      count += argmax == y[r];
      max[r] = row[argmax];
      double sum = 0.0;
      for (int j = 0; j < classes; j++)
        sum += exp ((double) row[j] - max[r]);
      s[r] = sum;
    }
  *hits = count;
  if (d == NULL)
    return;
  /* t = x - max, out = t - log(sum exp(t)), p = exp(out) */
  float logsum[CE_ROWS];
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
  if (!finish)
    return;
  /* -(p go), and at the label go - p go rounded once */
  for (int r = 0; r < rows; r++)
    {
      float *drow = d + (gsize) r * classes;
      float py = drow[y[r]];
      for (int j = 0; j < classes; j++)
        drow[j] = -(drow[j] * go);
      drow[y[r]] = fmaf (-py, go, go);
    }
}

double
rs_cross_entropy (const float *logits, const int32_t *labels, int batch, int classes,
                  double smoothing, float *dlogits, int *correct)
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
  const gboolean finish = smoothing == 0.0;
  float max[CE_ROWS];
  double s[CE_ROWS];
  for (int r0 = 0; r0 < batch; r0 += CE_ROWS)
    {
      int rows = MIN (CE_ROWS, batch - r0), h;
      const float *x = logits + (gsize) r0 * classes;
      const int32_t *y = labels + r0;
      float *d = dlogits != NULL ? dlogits + (gsize) r0 * classes : NULL;
      if (!rs_softmax_rows (x, y, rows, classes, max, s, d, finish, go, &h))
        softmax_rows (x, y, rows, classes, max, s, d, finish, go, &h);
      hits += h;
      total += cross_entropy_value (x, y, rows, classes, smoothing, max, s);
      if (d != NULL && !finish)
        smoothed_grad_finish (d, y, rows, classes, batch, smoothing);
    }
  if (correct != NULL)
    *correct = hits;
  return total / batch;
}

double
rs_mse_onehot (const float *out, const int32_t *labels, int batch, int classes,
               double smoothing, float *dout, int *correct)
{
  double total = 0.0;
  int hits = 0;
  /* PyTorch's mse_loss_backward: (out - target) * (2 / N), in float. */
  const float scale = (float) (2.0 / ((double) batch * classes));
  /* the (smoothed) one-hot target: on at the label, off elsewhere */
  const float off = (float) (smoothing / classes), on = (float) (1.0 - smoothing) + off;
  for (int r = 0; r < batch; r++)
    {
      const float *row = out + (gsize) r * classes;
      for (int j = 0; j < classes; j++)
        {
          float target = j == labels[r] ? on : off;
          double diff = (double) row[j] - target;
          total += diff * diff;
          if (dout != NULL)
            dout[(gsize) r * classes + j] = (row[j] - target) * scale;
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
rs_loss_compute (RsLossKind kind, double smoothing, const float *out, const int32_t *labels,
                 int batch, int classes, float *dout, int *correct)
{
  if (kind == RS_LOSS_MSE)
    return rs_mse_onehot (out, labels, batch, classes, smoothing, dout, correct);
  return rs_cross_entropy (out, labels, batch, classes, smoothing, dout, correct);
}
