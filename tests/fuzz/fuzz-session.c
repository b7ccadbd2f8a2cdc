/* fuzz-session.c — rs_replay_load_from_data (a saved session: a preset
 * plus [replay]) on arbitrary bytes.
 *
 * Checks: no crash, leak, hang or huge allocation; a refused input gives a
 * one-line RS_ERROR; an accepted session is consistent (steps >= 0, events
 * in step order, none of the last run after the last step, controls with a
 * key, restarts with their keys), and saving
 * it with rs_replay_to_string and loading that back gives the same
 * experiment, init path, step count and events, bit for bit. */
#include <string.h>

#include "fuzz-common.h"
#include "rs-replay.h"

#define NAME "fuzz/session.ini"

static void
check_replay (const RsReplay *r)
{
  if (r->experiment == NULL || r->steps < 0 || r->n_events < 0
      || (r->n_events > 0 && r->events == NULL))
    fuzz_fail ("inconsistent replay: steps %" G_GINT64_FORMAT ", %d events", r->steps,
               r->n_events);
  /* a restart starts the steps again; `steps` counts the last run's */
  int last_restart = -1;
  for (int i = 0; i < r->n_events; i++)
    if (r->events[i].kind == RS_EVENT_RESTART)
      last_restart = i;
  for (int i = 0; i < r->n_events; i++)
    {
      const RsEvent *e = &r->events[i];
      gboolean restart = e->kind == RS_EVENT_RESTART;
      if (e->step < 0 || (i > last_restart && e->step > r->steps)
          || (i > 0 && e[-1].kind != RS_EVENT_RESTART && e->step < e[-1].step))
        fuzz_fail ("event %d at step %" G_GINT64_FORMAT " (of %" G_GINT64_FORMAT ")", i,
                   e->step, r->steps);
      if (e->layer < -1 || e->layer >= RS_MAX_LAYERS || (restart && e->layer != -1))
        fuzz_fail ("event %d on layer %d", i, e->layer);
      if (!restart && (memchr (e->key, '\0', sizeof e->key) == NULL || e->key[0] == '\0'))
        fuzz_fail ("event %d: key is empty or not terminated", i);
      if (restart != (e->change != NULL))
        fuzz_fail ("event %d: a restart without its keys, or keys without a restart", i);
    }
}

static gboolean
same_events (const RsEvent *a, const RsEvent *b)
{
  /* Field by field: the padding after key[] is not part of the value. */
  if (a->kind != b->kind || (a->change == NULL) != (b->change == NULL)
      || (a->change != NULL && !g_strv_equal ((const char *const *) a->change,
                                              (const char *const *) b->change)))
    return FALSE;
  return a->step == b->step && a->layer == b->layer && strcmp (a->key, b->key) == 0
         && memcmp (&a->old_value, &b->old_value, sizeof a->old_value) == 0
         && memcmp (&a->new_value, &b->new_value, sizeof a->new_value) == 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RsReplay *r = rs_replay_load_from_data (data != NULL ? (const char *) data : "", size,
                                          NAME, &error);
  if (r == NULL)
    {
      fuzz_check_error ("rs_replay_load_from_data", error);
      g_error_free (error);
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("load succeeded and set an error: %s", error->message);
  check_replay (r);

  char *text = rs_replay_to_string (r->experiment, r->init_path, r->steps, r->events,
                                    r->n_events);
  RsReplay *again = rs_replay_load_from_data (text, strlen (text), NAME, &error);
  if (again == NULL)
    fuzz_fail ("the saved session does not load: %s\n--- saved:\n%s", error->message, text);
  if (!rs_experiment_equal (r->experiment, again->experiment))
    fuzz_fail ("the saved session has a different experiment\n--- saved:\n%s", text);
  if (g_strcmp0 (r->init_path, again->init_path) != 0 || r->steps != again->steps
      || r->n_events != again->n_events)
    fuzz_fail ("the saved session has a different init, steps or event count\n"
               "--- saved:\n%s", text);
  for (int i = 0; i < r->n_events; i++)
    if (!same_events (&r->events[i], &again->events[i]))
      fuzz_fail ("event %d changed in the saved session\n--- saved:\n%s", i, text);

  rs_replay_free (again);
  g_free (text);
  rs_replay_free (r);
  return 0;
}
