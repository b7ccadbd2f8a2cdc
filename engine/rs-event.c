/* rs-event.c — changes while training: diff, apply, text form and label,
 * over the key table's RS_KEY_CONTROL rows (controls) and its preset keys
 * as --set names them (restarts). */
#include "rs-event.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-keys.h"

/* The word a restart has where a control names its section or layer. */
#define RESTART_TARGET "restart"

void
rs_event_copy (RsEvent *dst, const RsEvent *src)
{
  *dst = *src;
  dst->change = g_strdupv (src->change);
}

void
rs_event_clear (RsEvent *e)
{
  g_clear_pointer (&e->change, g_strfreev);
}

RsEvent *
rs_events_dup (const RsEvent *events, int n)
{
  if (n <= 0)
    return NULL;
  RsEvent *out = g_new (RsEvent, n);
  for (int i = 0; i < n; i++)
    rs_event_copy (&out[i], &events[i]);
  return out;
}

void
rs_events_free (RsEvent *events, int n)
{
  for (int i = 0; events != NULL && i < n; i++)
    rs_event_clear (&events[i]);
  g_free (events);
}

void
rs_event_init_restart (RsEvent *e, gint64 step, const RsExperiment *from,
                       const RsExperiment *to)
{
  memset (e, 0, sizeof *e);
  e->step = step;
  e->layer = -1;
  e->kind = RS_EVENT_RESTART;
  e->change = rs_experiment_diff (from, to);
}

/* The key as a string: the array may be filled to its last byte. */
static void
event_key (const RsEvent *e, char buf[sizeof e->key + 1])
{
  memcpy (buf, e->key, sizeof e->key);
  buf[sizeof e->key] = '\0';
}

/* The table row an event names, or NULL. */
static const RsKey *
find_control (const RsEvent *e)
{
  char key[sizeof e->key + 1];
  event_key (e, key);
  if (e->layer >= 0)
    {
      const RsKey *d = rs_key_find (RS_SECTION_LAYER, key);
      return d != NULL && (d->flags & RS_KEY_CONTROL) ? d : NULL;
    }
  return rs_key_find_global_control (key);
}

/* Layer `layer`'s controls (a and b: RsLayerReg), or with layer -1 every
 * other section's (a and b: RsExperiment). */
static int
diff_controls (const void *a, const void *b, int layer, gint64 step, RsEvent *out)
{
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  int n = 0;
  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *d = &keys[i];
      if ((d->section == RS_SECTION_LAYER) != (layer >= 0) || !(d->flags & RS_KEY_CONTROL))
        continue;
      const void *block_a = layer >= 0 ? a : rs_key_block_const (d, a, -1);
      const void *block_b = layer >= 0 ? b : rs_key_block_const (d, b, -1);
      double old_value = rs_key_get_number (d, block_a);
      double new_value = rs_key_get_number (d, block_b);
      if (old_value == new_value)
        continue;
      g_assert (n < RS_EVENT_MAX_DIFF);
      RsEvent *e = &out[n++];
      memset (e, 0, sizeof *e);
      e->step = step;
      e->layer = layer;
      g_strlcpy (e->key, d->name, sizeof e->key);
      e->old_value = old_value;
      e->new_value = new_value;
    }
  return n;
}

int
rs_event_diff_layer (const RsLayerReg *a, const RsLayerReg *b, int layer, gint64 step,
                     RsEvent *out)
{
  g_return_val_if_fail (layer >= 0, 0);
  return diff_controls (a, b, layer, step, out);
}

int
rs_event_diff_globals (const RsExperiment *a, const RsExperiment *b, gint64 step,
                       RsEvent *out)
{
  return diff_controls (a, b, -1, step, out);
}

gboolean
rs_event_apply (const RsEvent *e, RsExperiment *exp, GError **error)
{
  if (e->kind == RS_EVENT_RESTART)
    {
      /* Each key's error names its assignment, the whole's the restart. */
      if (rs_experiment_set_named (exp, (const char *const *) e->change,
                                   (const char *const *) e->change, RESTART_TARGET, error))
        return TRUE;
      g_prefix_error (error, _("event at step %lld: "), (long long) e->step);
      return FALSE;
    }
  char key[sizeof e->key + 1];
  event_key (e, key);
  const RsKey *d = find_control (e);
  void *block = d == NULL || e->layer >= RS_MAX_LAYERS ? NULL : rs_key_block (d, exp, e->layer);
  if (block == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("event at step %lld: unknown key '%s'"), (long long) e->step, key);
      return FALSE;
    }
  if (!rs_key_set_number (d, block, e->new_value))
    {
      g_autofree char *range = rs_key_describe_range (d);
      char got[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (got, e->new_value);
      if (d->type == RS_KEY_BOOL || d->type == RS_KEY_ENUM)
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     _("event at step %lld: %s: %s is not one of its values"),
                     (long long) e->step, key, got);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     _("event at step %lld: %s: %s, got %s"),
                     (long long) e->step, key, range, got);
      return FALSE;
    }
  return TRUE;
}

/* A restart's value in the event line: the separators of the line (blanks,
 * ';') and '%' itself as %XX, so that any path survives. */
static void
append_escaped (GString *s, const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p <= ' ' || *p == 0x7f || *p == '%' || *p == ';')
      g_string_append_printf (s, "%%%02X", *p);
    else
      g_string_append_c (s, (char) *p);
}

char *
rs_event_to_string (const RsEvent *e)
{
  if (e->kind == RS_EVENT_RESTART)
    {
      GString *s = g_string_new (NULL);
      g_string_printf (s, "%" G_GINT64_FORMAT " " RESTART_TARGET, e->step);
      for (int i = 0; e->change != NULL && e->change[i] != NULL; i++)
        {
          g_string_append_c (s, ' ');
          append_escaped (s, e->change[i]);
        }
      return g_string_free (s, FALSE);
    }
  char key[sizeof e->key + 1];
  event_key (e, key);
  char target[16];
  if (e->layer >= 0)
    g_snprintf (target, sizeof target, "fc%d", e->layer + 1);
  else
    {
      const RsKey *d = find_control (e);
      g_strlcpy (target, rs_section_name (d != NULL ? d->section : RS_SECTION_OPTIMIZER),
                 sizeof target);
    }
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  /* %.17g round-trips every double exactly. */
  g_ascii_formatd (a, sizeof a, "%.17g", e->old_value);
  g_ascii_formatd (b, sizeof b, "%.17g", e->new_value);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s %s %s %s", e->step, target, key, a, b);
}

static gboolean
parse_double (const char *s, double *out)
{
  char *end = NULL;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && isfinite (*out);
}

/* A section that may hold global controls ("optimizer", ...). */
static gboolean
is_global_target (const char *target)
{
  for (int s = RS_SECTION_EXPERIMENT; s < RS_SECTION_LAYER; s++)
    if (g_str_equal (target, rs_section_name (s)))
      return TRUE;
  return FALSE;
}

/* "section.key=value" (%-escaped) fields from `first` on as a restart's
 * change; FALSE when one is not of that form. */
static gboolean
parse_change (GPtrArray *fields, guint first, RsEvent *e)
{
  GPtrArray *change = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  for (guint i = first; ok && i < fields->len; i++)
    {
      char *item = g_uri_unescape_string (fields->pdata[i], NULL);
      const char *eq = item != NULL ? strchr (item, '=') : NULL;
      ok = eq != NULL && eq != item && memchr (item, '.', (gsize) (eq - item)) != NULL;
      if (item != NULL)
        g_ptr_array_add (change, item);
    }
  g_ptr_array_add (change, NULL);
  char **strv = (char **) g_ptr_array_free (change, FALSE);
  if (ok)
    e->change = strv;
  else
    g_strfreev (strv);
  return ok;
}

gboolean
rs_event_from_string (const char *text, RsEvent *e, GError **error)
{
  g_auto (GStrv) f = g_strsplit_set (text, " \t\r\n", -1);
  /* Collapse empty fields from repeated blanks. */
  GPtrArray *fields = g_ptr_array_new ();
  for (int i = 0; f[i] != NULL; i++)
    if (*f[i] != '\0')
      g_ptr_array_add (fields, f[i]);
  memset (e, 0, sizeof *e);
  gboolean restart = fields->len >= 2 && g_str_equal (fields->pdata[1], RESTART_TARGET);
  gboolean ok = fields->len == 5 || restart;
  if (ok && restart)
    {
      const char *step = fields->pdata[0];
      char *end = NULL;
      e->step = g_ascii_strtoll (step, &end, 10);
      e->layer = -1;
      e->kind = RS_EVENT_RESTART;
      ok = end != step && *end == '\0' && e->step >= 0 && parse_change (fields, 2, e);
    }
  else if (ok)
    {
      const char *step = fields->pdata[0], *target = fields->pdata[1], *key = fields->pdata[2];
      char *end = NULL;
      e->step = g_ascii_strtoll (step, &end, 10);
      ok = end != step && *end == '\0' && e->step >= 0;
      int k = 0;
      char extra;
      if (is_global_target (target))
        e->layer = -1;
      else if (sscanf (target, "fc%d%c", &k, &extra) == 1 && k >= 1 && k <= RS_MAX_LAYERS)
        e->layer = k - 1;
      else
        ok = FALSE;
      ok = ok && strlen (key) < sizeof e->key;
      if (ok)
        g_strlcpy (e->key, key, sizeof e->key);
      ok = ok && parse_double (fields->pdata[3], &e->old_value)
           && parse_double (fields->pdata[4], &e->new_value);
    }
  g_ptr_array_free (fields, TRUE); /* the strings belong to f */
  if (!ok && restart)
    g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                 _("'%s' is not a restart (expected: STEP restart SECTION.KEY=VALUE ...)"), text);
  else if (!ok)
    g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                 _("'%s' is not an event (expected: STEP fcK|optimizer|model KEY OLD NEW)"), text);
  if (!ok)
    rs_event_clear (e);
  return ok;
}

char *
rs_event_describe (const RsEvent *e)
{
  if (e->kind == RS_EVENT_RESTART)
    return e->change != NULL ? g_strjoinv (", ", e->change) : g_strdup ("");
  char key[sizeof e->key + 1];
  event_key (e, key);
  const RsKey *d = find_control (e);
  const char *label = d != NULL ? _(d->label) : key;
  g_autofree char *from = d != NULL ? rs_key_format_label (d, e->old_value)
                                    : g_strdup_printf ("%g", e->old_value);
  g_autofree char *to = d != NULL ? rs_key_format_label (d, e->new_value)
                                  : g_strdup_printf ("%g", e->new_value);
  if (d != NULL && (d->flags & RS_KEY_ACTION))
    return g_strdup (label); /* a press: its count says nothing */
  if (e->layer < 0)
    return g_strdup_printf ("%s %s → %s", label, from, to);
  return g_strdup_printf ("fc%d %s %s → %s", e->layer + 1, label, from, to);
}
