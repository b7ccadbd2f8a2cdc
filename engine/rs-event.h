/* rs-event.h — a change while training, as the trainer records it,
 * replay applies it, a saved session stores it ("120 fc1 l1 0 0.005") and
 * a plot labels it ("fc1 L1 0 → 0.005"). Which keys are controls, and
 * their ranges and words, come from the key table (rs-keys).
 *
 * Two kinds: a control (one key, a number, the run goes on), and a restart
 * (a change of the data or the network: the run starts again from the
 * seed with the keys it names, "300 restart data.source=iris
 * model.layers=4,20,3"; the steps of the events after it count from 0
 * again). */
#pragma once

#include <glib.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

typedef enum {
  RS_EVENT_CONTROL,  /* layer, key, old_value, new_value */
  RS_EVENT_RESTART,  /* change */
} RsEventKind;

/* A change that took effect before step `step`.
 * RS_EVENT_CONTROL: layer is the 0-based layer index, or -1 for a setting
 * of another section (the optimizer's lr, ...). key is a preset key ("l1",
 * "weight-decay", "lr") or an event-only one (beta1, beta2). Booleans and
 * enums are 0/1/...
 * RS_EVENT_RESTART: `change` holds the preset keys that differ, as --set
 * takes them ("data.source=csv:/x.csv", "model.layers=4,20,3", "fc2.l1=0.01";
 * rs_experiment_diff); layer is -1, key empty. The array owns `change`:
 * copy such an event with rs_event_copy and clear it with rs_event_clear.
 * Restart events are not history events (the history starts again). */
typedef struct {
  gint64      step;
  int         layer;
  char        key[24];
  double      old_value;
  double      new_value;
  RsEventKind kind;
  char      **change;
} RsEvent;

/* A deep copy (dst's own change), and freeing what an event owns. */
void     rs_event_copy (RsEvent *dst, const RsEvent *src);
void     rs_event_clear (RsEvent *event);
/* n events copied with rs_event_copy into a new array (NULL for none), and
 * freeing such an array. */
RsEvent *rs_events_dup (const RsEvent *events, int n);
void     rs_events_free (RsEvent *events, int n);

/* The restart event that turns `from` into `to` before step `step`. */
void     rs_event_init_restart (RsEvent *event, gint64 step, const RsExperiment *from,
                                const RsExperiment *to);

/* At most this many events come from one diff (a test holds the table
 * to it). */
#define RS_EVENT_MAX_DIFF 32

/* Appends to `out` (room for RS_EVENT_MAX_DIFF) one event per control key
 * that differs; returns how many. Exact comparison: any change is an
 * event, so replay reproduces a run bit for bit. */
int      rs_event_diff_layer (const RsLayerReg *old_reg, const RsLayerReg *new_reg,
                              int layer, gint64 step, RsEvent *out);
/* The same for every control outside the layers: the optimizer's, and
 * [model] label-smoothing, ... (layer -1). */
int      rs_event_diff_globals (const RsExperiment *old_exp, const RsExperiment *new_exp,
                                gint64 step, RsEvent *out);

/* Sets the event's new value into `exp` (a copy of the settings: its layer
 * e->layer, or the section the key belongs to). Refuses, with a one-line
 * error naming the step and key, an unknown key or a value out of the
 * key's range, and then leaves exp unchanged. A restart sets its keys
 * (and validates the result): `exp` must then be a deep copy. */
gboolean rs_event_apply (const RsEvent *event, RsExperiment *exp, GError **error);

/* "120 fc1 l1 0 0.005" / "300 optimizer lr 0.001 0.01" / "9 model
 * label-smoothing 0 0.1" / "40 restart data.source=iris model.layers=4,20,3"
 * and back. A restart's values are %-escaped where they hold a blank, ';',
 * '%' or a control character (a CSV path may).
 * from_string checks the form only; rs_event_apply checks key and value. */
char    *rs_event_to_string (const RsEvent *event);
gboolean rs_event_from_string (const char *text, RsEvent *event, GError **error);

/* "fc1 L1 0 → 0.005", "lr 0.001 → 0.01": a short label for plots. */
char    *rs_event_describe (const RsEvent *event);

G_END_DECLS
