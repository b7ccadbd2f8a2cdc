/* rs-history.c — the bounded metric series behind the loss curves.
 *
 * Points are kept when step % stride == 0. When the buffer is full the
 * stride doubles and the points that no longer fall on it are dropped, so
 * the held points stay evenly spread over the whole run and memory stays
 * at `capacity` however long the run. */
#include "rs-history.h"

#include <string.h>

#define RS_HISTORY_MAX_EVENTS 4096

RsHistory *
rs_history_new (int capacity)
{
  RsHistory *h = g_new0 (RsHistory, 1);
  if (capacity < 4)
    capacity = 4;
  if (capacity % 2 != 0)
    capacity++;
  h->capacity = capacity;
  h->stride = 1;
  h->points = g_new0 (RsMetrics, capacity);
  return h;
}

RsHistory *
rs_history_copy (const RsHistory *history)
{
  if (history == NULL)
    return NULL;
  RsHistory *h = g_memdup2 (history, sizeof *history);
  h->points = g_memdup2 (history->points, sizeof (RsMetrics) * (gsize) history->capacity);
  h->events = history->events_capacity > 0
    ? g_memdup2 (history->events, sizeof (RsEvent) * (gsize) history->events_capacity)
    : NULL;
  return h;
}

void
rs_history_free (RsHistory *history)
{
  if (history == NULL)
    return;
  g_free (history->points);
  g_free (history->events);
  g_free (history);
}

void
rs_history_clear (RsHistory *history)
{
  history->n = 0;
  history->stride = 1;
  history->n_events = 0;
}

/* Doubles the stride until at least one slot is free. The first point is
 * always kept so the curve starts where the run started, even when it did
 * not start on a multiple of the stride (a resumed run). */
static void
compact (RsHistory *h)
{
  while (h->n >= h->capacity)
    {
      h->stride *= 2;
      int kept = 1;
      for (int i = 1; i < h->n; i++)
        if (h->points[i].step % h->stride == 0)
          h->points[kept++] = h->points[i];
      h->n = kept;
    }
}

void
rs_history_append (RsHistory *history, const RsMetrics *m)
{
  RsHistory *h = history;

  /* Steps must increase: the plots draw the points as a polyline in x.
   * After a reset the owner clears the history first. */
  if (h->n > 0 && m->step <= h->points[h->n - 1].step)
    return;
  if (h->n > 0 && m->step % h->stride != 0)
    return;
  if (h->n == h->capacity)
    {
      compact (h);
      if (m->step % h->stride != 0)
        return;
    }
  h->points[h->n++] = *m;
}

void
rs_history_add_event (RsHistory *history, const RsEvent *event)
{
  RsHistory *h = history;

  if (h->n_events == RS_HISTORY_MAX_EVENTS)
    {
      /* Drop the oldest: in front of a class the recent changes matter. */
      memmove (h->events, h->events + 1, sizeof (RsEvent) * (gsize) (h->n_events - 1));
      h->n_events--;
    }
  if (h->n_events == h->events_capacity)
    {
      int cap = h->events_capacity > 0 ? h->events_capacity * 2 : 16;
      cap = MIN (cap, RS_HISTORY_MAX_EVENTS);
      h->events = g_renew (RsEvent, h->events, cap);
      h->events_capacity = cap;
    }
  h->events[h->n_events++] = *event;
}
