/* rs-run.h — the headless run loop: a session stepped to the end with a
 * list of events applied at their steps, exactly as the trainer thread
 * applies controls at step boundaries. The CLI, replay and the tests use
 * it; the same preset, seed and events give bit-identical metrics. */
#pragma once

#include <glib.h>

#include "rs-event.h"
#include "rs-history.h"
#include "rs-session.h"

G_BEGIN_DECLS

/* Applies an event's new value to a session (next step); a restart
 * rebuilds the session from the seed with its keys. */
gboolean rs_run_apply_event (RsSession *session, const RsEvent *event, GError **error);

/* Runs `total` steps of a session, applying each event before the step it
 * names. A restart event ends the run so far at its step and starts a new
 * one (history and frames cleared, steps from 0); `total` counts the last
 * run's steps; fewer when early stopping ends it (rs_session_should_stop).
 * history and frames (may be NULL) record the run; on_step (may be NULL)
 * sees each step's metrics. */
typedef void (*RsStepCallback) (const RsMetrics *metrics, gpointer user_data);
gboolean rs_run (RsSession *session, gint64 total, const RsEvent *events, int n_events,
                 RsHistory *history, RsFrameStore *frames, RsStepCallback on_step,
                 gpointer user_data, GError **error);

G_END_DECLS
