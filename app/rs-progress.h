/* rs-progress.h — what the CLI prints while it trains: on a terminal a
 * progress bar redrawn at most 10 times a second; otherwise one line per
 * epoch in the seed programs' own format ("Epoch: 3, Loss: 1.6214"). */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "rs-metrics.h"

G_BEGIN_DECLS

typedef enum { RS_PROGRESS_AUTO, RS_PROGRESS_BAR, RS_PROGRESS_EPOCHS, RS_PROGRESS_NONE } RsProgressMode;

typedef struct {
  RsProgressMode mode;   /* never AUTO after rs_progress_init */
  FILE   *out;
  gint64  total;
  gint64  start_us, last_draw_us;
  int     epoch;         /* the epoch being accumulated */
  double  epoch_loss_sum;
  int     epoch_steps;
  RsMetrics last;
  gboolean has_last;
} RsProgress;

void rs_progress_init   (RsProgress *p, RsProgressMode mode, FILE *out, gint64 total_steps);
void rs_progress_update (RsProgress *p, const RsMetrics *m);
/* Flushes the last epoch line (or the final bar) and a summary line. */
void rs_progress_finish (RsProgress *p);

G_END_DECLS
