/* rs-control.h — control changes as events: the trainer turns a new
 * RsLayerReg / RsOptimizerConfig into one event per changed key, replay
 * turns events back into settings, and a session file stores them as text.
 * Both directions live here so they cannot drift apart. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-metrics.h"
#include "rs-session.h"

G_BEGIN_DECLS

#define RS_CONTROL_MAX_EVENTS 12  /* keys of a layer or of the optimizer */

/* Appends to `out` one event per key that differs; returns how many. */
int      rs_control_diff_layer (const RsLayerReg *old_reg, const RsLayerReg *new_reg,
                                int layer, gint64 step, RsEvent *out);
int      rs_control_diff_optimizer (const RsOptimizerConfig *old_opt,
                                    const RsOptimizerConfig *new_opt, gint64 step,
                                    RsEvent *out);

/* Sets one key of a layer's settings / of the optimizer from an event
 * value. FALSE for an unknown key. */
gboolean rs_control_set_layer_key (RsLayerReg *reg, const char *key, double value);
gboolean rs_control_set_optimizer_key (RsOptimizerConfig *opt, const char *key, double value);

/* Applies an event's new value to a session (next step). */
gboolean rs_control_apply (RsSession *session, const RsEvent *event, GError **error);

/* Runs `total` steps of a session, applying each event before the step it
 * names, exactly as the trainer thread applies controls at step
 * boundaries: the same events give bit-identical metrics. history and
 * frames (may be NULL) record the run; on_step (may be NULL) sees each
 * step's metrics. */
typedef void (*RsStepCallback) (const RsMetrics *metrics, gpointer user_data);
gboolean rs_control_run (RsSession *session, gint64 total, const RsEvent *events,
                         int n_events, RsHistory *history, RsFrameStore *frames,
                         RsStepCallback on_step, gpointer user_data, GError **error);

/* "120 fc1 l1 0 0.005" / "300 optimizer lr 0.001 0.01" and back. */
char    *rs_event_to_string (const RsEvent *event);
gboolean rs_event_from_string (const char *text, RsEvent *event, GError **error);

G_END_DECLS
