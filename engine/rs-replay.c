#include "rs-replay.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "rs-atomic-file.h"
#include "rs-error.h"

/* A saved session is a preset and a line of events: a few KiB, a few MiB
 * after the longest lesson. Files past this are refused unread. */
#define RS_REPLAY_MAX_FILE (16u << 20)

void
rs_replay_free (RsReplay *r)
{
  if (r == NULL)
    return;
  rs_experiment_free (r->experiment);
  g_free (r->init_path);
  rs_events_free (r->events, r->n_events);
  g_free (r);
}

/* The line (from 1) of `key` in [replay], for errors; 0 if not found. */
static int
replay_line (const char *data, gsize len, const char *key)
{
  gboolean in_replay = FALSE;
  int line = 1;
  for (const char *p = data, *end = data + len; p < end; line++)
    {
      const char *eol = memchr (p, '\n', (gsize) (end - p));
      gsize n = eol != NULL ? (gsize) (eol - p) : (gsize) (end - p);
      g_autofree char *text = g_strstrip (g_strndup (p, n));
      if (text[0] == '[')
        in_replay = g_str_equal (text, "[replay]");
      else if (in_replay && g_str_has_prefix (text, key))
        {
          const char *rest = text + strlen (key);
          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest == '=')
            return line;
        }
      p = eol != NULL ? eol + 1 : end;
    }
  return 0;
}

RsReplay *
rs_replay_load_from_data (const char *data, gsize len, const char *name, GError **error)
{
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (data, len, name, error);
  if (exp == NULL)
    return NULL;

  /* The experiment loader skips a byte order mark; GKeyFile does not. */
  if (len == (gsize) -1)
    len = strlen (data);
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, len -= 3;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, NULL)
      || !g_key_file_has_group (kf, "replay"))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: [replay]: missing (this is a preset, not a saved session)"), name);
      return NULL;
    }

  g_auto (GStrv) keys = g_key_file_get_keys (kf, "replay", NULL, NULL);
  for (int i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_str_equal (keys[i], "steps") && !g_str_equal (keys[i], "init")
        && !g_str_equal (keys[i], "events"))
      {
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [replay] %s: unknown key"), name,
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
      int line = replay_line (data, len, "steps");
      g_autofree char *where = line > 0 ? g_strdup_printf ("%s:%d", name, line) : g_strdup (name);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: [replay] steps: expected a step count, got '%s'"), where,
                   steps_text ? steps_text : "(missing)");
      return NULL;
    }

  RsReplay *r = g_new0 (RsReplay, 1);
  r->experiment = g_steal_pointer (&exp);
  r->steps = steps;
  g_autofree char *init = g_key_file_get_value (kf, "replay", "init", NULL);
  /* Trimmed like every preset value: GKeyFile drops one trailing '\r' per
   * load, so a path ending in blanks would change with each save. */
  if (init != NULL && *g_strstrip (init) != '\0')
    r->init_path = g_steal_pointer (&init);

  g_autofree char *events = g_key_file_get_value (kf, "replay", "events", NULL);
  int line = replay_line (data, len, "events");
  g_autofree char *where = line > 0 ? g_strdup_printf ("%s:%d", name, line) : g_strdup (name);
  /* Each event is checked on the experiment as replay will have it then:
   * the controls before it applied, a restart's keys set (a network
   * change may add the layer a later event names). */
  g_autoptr (RsExperiment) now = rs_experiment_copy (r->experiment);
  gint64 run_step = 0;     /* the last event's step in the run under way */
  guint late = 0;          /* the first event of that run after `steps` (from 1), or 0 */
  g_autofree char *late_item = NULL;
  /* One item at a time: splitting the whole list first would allocate for
   * every ';' of a hostile file, and only real events are kept. */
  GArray *parsed = g_array_new (FALSE, TRUE, sizeof (RsEvent));
  g_array_set_clear_func (parsed, (GDestroyNotify) rs_event_clear);
  const char *next = events != NULL ? events : "";
  for (guint i = 0; next != NULL; i++)
    {
      const char *semicolon = strchr (next, ';');
      g_autofree char *item = g_strndup (next, semicolon != NULL ? (gsize) (semicolon - next)
                                                                 : strlen (next));
      next = semicolon != NULL ? semicolon + 1 : NULL;
      g_strstrip (item);
      if (*item == '\0')
        continue;
      RsEvent event;
      RsEvent *e = &event;
      if (!rs_event_from_string (item, e, &local))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [replay] events: event %u: %s"),
                       where, i + 1, local->message);
          g_array_unref (parsed);
          rs_replay_free (r);
          return NULL;
        }
      /* The key and the value, as replay will apply them. */
      g_autoptr (GError) bad = NULL;
      const char *problem = NULL;
      if (e->layer >= now->n_layers)
        problem = "the model has no such layer";
      else if (e->step < run_step)
        problem = "events must be in step order";
      else if (!rs_event_apply (e, now, &bad))
        problem = strstr (bad->message, ": ") + 2;
      if (problem != NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: [replay] events: event %u ('%s'): %s"),
                       where, i + 1, item, problem);
          rs_event_clear (e);
          g_array_unref (parsed);
          rs_replay_free (r);
          return NULL;
        }
      run_step = e->kind == RS_EVENT_RESTART ? 0 : e->step;
      if (e->kind == RS_EVENT_RESTART)
        late = 0;
      else if (e->step > steps && late == 0)
        {
          late = i + 1;
          g_free (late_item);
          late_item = g_strdup (item);
        }
      g_array_append_val (parsed, event);
    }
  /* `steps` counts the last run's: only its events must come before it. */
  if (late > 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: [replay] events: event %u ('%s'): %s"),
                   where, late, late_item, "the event comes after the last step");
      g_array_unref (parsed);
      rs_replay_free (r);
      return NULL;
    }
  r->n_events = (int) parsed->len;
  g_array_set_clear_func (parsed, NULL);  /* the events go to r */
  if (parsed->len == 0)
    g_array_set_size (parsed, 1);  /* events is never NULL, as before */
  r->events = (RsEvent *) (void *) g_array_free (parsed, FALSE);
  return r;
}

RsReplay *
rs_replay_load (const char *path, GError **error)
{
  /* Read in pieces up to the limit, so that a huge file, a pipe or a
   * device is refused before it fills the memory. */
  FILE *f = g_fopen (path, "rb");
  if (f == NULL)
    {
      int err = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read: %s"), path, g_strerror (err));
      return NULL;
    }
  GString *buf = g_string_new (NULL);
  char chunk[8192];
  size_t n;
  while (buf->len <= RS_REPLAY_MAX_FILE && (n = fread (chunk, 1, sizeof chunk, f)) > 0)
    g_string_append_len (buf, chunk, (gssize) n);
  int read_errno = ferror (f) ? errno : 0;
  fclose (f);
  RsReplay *r = NULL;
  if (read_errno != 0)
    g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read: %s"), path,
                 g_strerror (read_errno));
  else if (buf->len > RS_REPLAY_MAX_FILE)
    g_set_error (error, RS_ERROR, RS_ERROR_IO,
                 _("%s: larger than %u MiB, not a saved session"), path,
                 (unsigned) (RS_REPLAY_MAX_FILE >> 20));
  else
    r = rs_replay_load_from_data (buf->str, buf->len, path, error);
  g_string_free (buf, TRUE);
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
