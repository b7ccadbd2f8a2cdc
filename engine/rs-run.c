/* rs-run.c — the headless run loop (see rs-run.h). */
#include "rs-run.h"

#include <glib/gi18n.h>

#include "rs-error.h"

gboolean
rs_run_apply_event (RsSession *session, const RsEvent *e, GError **error)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  if (e->kind == RS_EVENT_RESTART)
    {
      g_autoptr (RsExperiment) next = rs_experiment_copy (exp);
      return rs_event_apply (e, next, error) && rs_session_restart (session, next, error);
    }
  if (e->layer >= exp->n_layers)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("event at step %lld: the model has no layer fc%d"),
                   (long long) e->step, e->layer + 1);
      return FALSE;
    }
  /* A shallow copy: only numbers change, and it is never freed. */
  RsExperiment scratch = *exp;
  if (!rs_event_apply (e, &scratch, error))
    return FALSE;
  if (e->layer >= 0)
    rs_session_set_layer_reg (session, e->layer, &scratch.layer[e->layer]);
  else
    rs_session_set_globals (session, &scratch);
  return TRUE;
}

/* Applies (and records) the controls up to step `upto`, stopping before a
 * restart; *next moves past them. */
static gboolean
apply_due (RsSession *session, const RsEvent *events, int n_events, int *next, gint64 upto,
           RsHistory *history, GError **error)
{
  for (; *next < n_events && events[*next].step <= upto
         && events[*next].kind != RS_EVENT_RESTART; (*next)++)
    {
      if (!rs_run_apply_event (session, &events[*next], error))
        return FALSE;
      if (history != NULL)
        rs_history_add_event (history, &events[*next]);
    }
  return TRUE;
}

gboolean
rs_run (RsSession *session, gint64 total, const RsEvent *events, int n_events,
        RsHistory *history, RsFrameStore *frames, RsStepCallback on_step,
        gpointer user_data, GError **error)
{
  int next = 0;
  for (;;)
    {
      /* A restart ends the run up to it; `total` counts the last run's steps. */
      int restart = next;
      while (restart < n_events && events[restart].kind != RS_EVENT_RESTART)
        restart++;
      gint64 end = restart < n_events ? events[restart].step : total;
      for (gint64 s = rs_session_get_step (session); s < end; s++)
        {
          if (!apply_due (session, events, n_events, &next, s, history, error))
            return FALSE;
          if (frames != NULL)
            rs_frame_store_record (frames, session);
          RsMetrics m;
          if (!rs_session_step (session, &m, error))
            return FALSE;
          if (history != NULL)
            rs_history_append (history, &m);
          if (on_step != NULL)
            on_step (&m, user_data);
          if (rs_session_should_stop (session))
            break; /* early stopping (never in a replay: see rs_session_set_keep_going) */
        }
      /* Events at the very end (after the last step) still change the state. */
      if (!apply_due (session, events, n_events, &next, G_MAXINT64, history, error))
        return FALSE;
      if (restart == n_events)
        break;
      /* As the window does: a new run from the seed; the plots start again. */
      if (!rs_run_apply_event (session, &events[restart], error))
        return FALSE;
      if (history != NULL)
        rs_history_clear (history);
      if (frames != NULL)
        rs_frame_store_clear (frames);
      next = restart + 1;
    }
  if (frames != NULL)
    rs_frame_store_record (frames, session);
  return TRUE;
}
