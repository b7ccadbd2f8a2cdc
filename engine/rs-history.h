/* rs-history.h — the metrics of a run, bounded in memory however long it
 * runs: when full, every other point is dropped and the keep-stride
 * doubles, so a 10-million-step run holds at most `capacity` points spread
 * evenly over it. Events are kept in full (they are few), capped at 4096. */
#pragma once

#include <glib.h>

#include "rs-event.h"
#include "rs-metrics.h"

G_BEGIN_DECLS

typedef struct {
  int        capacity;   /* even, >= 4 */
  int        n;          /* points held */
  gint64     stride;     /* a step is kept when step % stride == 0 */
  RsMetrics *points;     /* capacity, owned, increasing step */
  int        n_events;
  int        events_capacity;
  RsEvent   *events;     /* owned */
} RsHistory;

RsHistory *rs_history_new      (int capacity);
RsHistory *rs_history_copy     (const RsHistory *history);
void       rs_history_free     (RsHistory *history);
void       rs_history_clear    (RsHistory *history);
void       rs_history_append   (RsHistory *history, const RsMetrics *m);
void       rs_history_add_event (RsHistory *history, const RsEvent *event);

G_END_DECLS
