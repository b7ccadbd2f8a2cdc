#include "rs-replay.h"

#include <string.h>

#include "rs-atomic-file.h"
#include "rs-control.h"
#include "rs-error.h"

void
rs_replay_free (RsReplay *r)
{
  if (r == NULL)
    return;
  rs_experiment_free (r->experiment);
  g_free (r->init_path);
  g_free (r->events);
  g_free (r);
}

RsReplay *
rs_replay_load_from_data (const char *data, gsize len, const char *name, GError **error)
{
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (data, len, name, error);
  if (exp == NULL)
    return NULL;

  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, NULL)
      || !g_key_file_has_group (kf, "replay"))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s: [replay]: missing (this is a preset, not a saved session)", name);
      return NULL;
    }

  g_auto (GStrv) keys = g_key_file_get_keys (kf, "replay", NULL, NULL);
  for (int i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_str_equal (keys[i], "steps") && !g_str_equal (keys[i], "init")
        && !g_str_equal (keys[i], "events"))
      {
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: [replay] %s: unknown key", name,
                     keys[i]);
        return NULL;
      }

  g_autoptr (GError) local = NULL;
  g_autofree char *steps_text = g_key_file_get_value (kf, "replay", "steps", NULL);
  char *end = NULL;
  gint64 steps = steps_text ? g_ascii_strtoll (steps_text, &end, 10) : -1;
  if (steps_text == NULL || end == steps_text || *end != '\0' || steps < 0
      || steps > G_GINT64_CONSTANT (1000000000000))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   "%s: [replay] steps: expected a step count, got '%s'", name,
                   steps_text ? steps_text : "(missing)");
      return NULL;
    }

  RsReplay *r = g_new0 (RsReplay, 1);
  r->experiment = g_steal_pointer (&exp);
  r->steps = steps;
  g_autofree char *init = g_key_file_get_value (kf, "replay", "init", NULL);
  if (init != NULL && *init != '\0')
    r->init_path = g_steal_pointer (&init);

  g_autofree char *events = g_key_file_get_value (kf, "replay", "events", NULL);
  g_auto (GStrv) items = g_strsplit (events ? events : "", ";", -1);
  guint n_items = g_strv_length (items);
  r->events = g_new0 (RsEvent, MAX (n_items, 1u));
  for (guint i = 0; i < n_items; i++)
    {
      g_strstrip (items[i]);
      if (*items[i] == '\0')
        continue;
      RsEvent *e = &r->events[r->n_events];
      if (!rs_event_from_string (items[i], e, &local))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: [replay] events: event %u: %s",
                       name, i + 1, local->message);
          rs_replay_free (r);
          return NULL;
        }
      RsLayerReg scratch_reg = { 0 };
      RsOptimizerConfig scratch_opt = { 0 };
      gboolean known = e->layer >= 0 ? rs_control_set_layer_key (&scratch_reg, e->key, 0)
                                     : rs_control_set_optimizer_key (&scratch_opt, e->key,
                                                                     RS_OPT_ADAM);
      const char *problem = NULL;
      if (!known)
        problem = "unknown key";
      else if (e->layer >= r->experiment->n_layers)
        problem = "the model has no such layer";
      else if (r->n_events > 0 && e->step < r->events[r->n_events - 1].step)
        problem = "events must be in step order";
      else if (e->step > steps)
        problem = "the event comes after the last step";
      if (problem != NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: [replay] events: event %u ('%s'): %s",
                       name, i + 1, items[i], problem);
          rs_replay_free (r);
          return NULL;
        }
      r->n_events++;
    }
  return r;
}

RsReplay *
rs_replay_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: cannot read: %s", path,
                   local->message);
      return NULL;
    }
  RsReplay *r = rs_replay_load_from_data (data, len, path, error);
  return r;
}

char *
rs_replay_to_string (const RsExperiment *exp, const char *init_path, gint64 steps,
                     const RsEvent *events, int n_events)
{
  g_autofree char *ini = rs_experiment_to_ini (exp);
  GString *s = g_string_new (ini);
  if (s->len > 0 && s->str[s->len - 1] != '\n')
    g_string_append_c (s, '\n');
  g_string_append_printf (s, "\n[replay]\nsteps=%" G_GINT64_FORMAT "\n", steps);
  if (init_path != NULL)
    g_string_append_printf (s, "init=%s\n", init_path);
  g_string_append (s, "events=");
  for (int i = 0; i < n_events; i++)
    {
      g_autofree char *e = rs_event_to_string (&events[i]);
      g_string_append_printf (s, "%s%s", i ? ";" : "", e);
    }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

gboolean
rs_replay_save (const char *path, const RsExperiment *exp, const char *init_path,
                gint64 steps, const RsEvent *events, int n_events, GError **error)
{
  g_autofree char *text = rs_replay_to_string (exp, init_path, steps, events, n_events);
  return rs_atomic_file_write (path, text, strlen (text), error);
}
