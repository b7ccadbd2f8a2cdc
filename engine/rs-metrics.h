/* rs-metrics.h — what one optimizer step reports. Plain values, copied
 * freely. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* One optimizer step. The losses come from the forward pass that the step's
 * update was computed from (what the seed programs print):
 *   loss = task_loss + l1 + l2 + activity
 * weight decay is never part of it. val_* are NAN when there is no
 * validation set; between evaluations they repeat the last evaluation.
 * test_* are the data source's own test set (Fashion-MNIST's 10,000 test
 * images), evaluated at the end of every epoch with the same parameters;
 * NAN without a test set and before the first epoch ends. */
typedef struct {
  gint64 step;       /* 0-based index of this optimizer step */
  int    epoch;      /* 0-based epoch the step belongs to */
  double loss;
  double task_loss;
  double l1;
  double l2;
  double activity;
  double train_acc;  /* on the step's batch, in [0, 1] */
  double val_loss;   /* task loss on the validation set */
  double val_acc;
  double test_loss;  /* task loss on the test set */
  double test_acc;
} RsMetrics;

/* The same step, bit for bit, field by field (a NaN equals the same NaN).
 * Not memcmp of the structs: that also compares the padding after
 * `epoch`, which no copy has to keep (gcc's TSan build does not). */
static inline gboolean
rs_metrics_same_bits (const RsMetrics *a, const RsMetrics *b)
{
  const double av[] = { a->loss, a->task_loss, a->l1, a->l2, a->activity, a->train_acc,
                        a->val_loss, a->val_acc, a->test_loss, a->test_acc };
  const double bv[] = { b->loss, b->task_loss, b->l1, b->l2, b->activity, b->train_acc,
                        b->val_loss, b->val_acc, b->test_loss, b->test_acc };
  return a->step == b->step && a->epoch == b->epoch && memcmp (av, bv, sizeof av) == 0;
}

/* Early stopping's state: the best validation pass (best_step -1: none),
 * its score, the passes since, and the step count at which the patience
 * ran out (-1: not yet). */
typedef struct {
  gint64 best_step;
  double best_value;     /* validation loss or accuracy, as [early-stopping] metric says */
  int    wait;
  gint64 stopped_step;
} RsEarlyStop;

#define RS_METRICS_CSV_HEADER \
  "step,epoch,loss,task_loss,l1,l2,activity,train_acc,val_loss,val_acc,test_loss,test_acc"

G_END_DECLS
