/* rs-session-private.h — what rs-session.c shares with
 * rs-session-snapshot.c and nobody else. */
#pragma once

#include "rs-network.h"
#include "rs-session.h"

/* Rows evaluated at a time (validation, probe batch, decision grid); the
 * network's caches hold at least this many. */
#define RS_EVAL_CHUNK 256

/* The session's network: the probe batch and the decision grid run through
 * it between steps. */
RsNetwork *rs_session_get_network (RsSession *session);

/* The last step's metrics since the last reset, or NULL: what a snapshot
 * calls latest (a long run's history keeps every stride-th step only). */
const RsMetrics *rs_session_get_last_metrics (RsSession *session);

/* The inputs the last step trained on with input noise added (*rows rows
 * of the train set's width), or NULL (*rows 0) when it had none. */
const float *rs_session_get_noisy_batch (RsSession *session, int *rows);

/* The last validation pass's counts, classes x classes, row = true class,
 * column = predicted; NULL without a validation set or before its first
 * pass since the last reset. */
const guint32 *rs_session_get_val_confusion (RsSession *session);
