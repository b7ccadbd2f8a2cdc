/* rs-twin.c — twin runs (see rs-twin.h). */
#include "rs-twin.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-error.h"
#include "rs-keys.h"

/* An override's key and layer; NULL (and an error beginning with name)
 * unless its term is a live control. */
static const RsKey *
override_key (const RsExperiment *exp, const char *entry, const char *name, int *layer,
              GError **error)
{
  const char *eq = strchr (entry, '=');
  if (eq == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: expected TERM=VALUE, as in 'fc1.l1=0.01'"), name);
      return NULL;
    }
  g_autofree char *term = g_strstrip (g_strndup (entry, (gsize) (eq - entry)));
  const RsKey *key = rs_experiment_find_key (exp, term, name, layer, error);
  if (key == NULL)
    return NULL;
  if (!(key->flags & RS_KEY_CONTROL) || (key->flags & RS_KEY_EVENT_ONLY))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: %s: B differs from A only in what can change while training "
                     "(a layer's terms, the optimizer's settings, label smoothing)"),
                   name, term);
      return NULL;
    }
  return key;
}

static char *
term_of (const RsKey *key, int layer)
{
  if (layer >= 0)
    return g_strdup_printf ("fc%d.%s", layer + 1, key->name);
  return g_strdup_printf ("%s.%s", rs_section_name (key->section), key->name);
}

gboolean
rs_twin_set_compare (RsExperiment *exp, const char *const *entries, const char *const *names,
                     const char *name, GError **error)
{
  if (entries == NULL)
    {
      g_clear_pointer (&exp->compare, g_strfreev);
      return TRUE;
    }
  gsize n = g_strv_length ((char **) entries);
  const RsKey **keys = g_newa (const RsKey *, n + 1);
  int *layers = g_newa (int, n + 1);
  for (gsize i = 0; i < n; i++)
    if ((keys[i] = override_key (exp, entries[i], names[i], &layers[i], error)) == NULL)
      return FALSE;

  /* B as a whole: the values through the key table, then validated */
  g_autoptr (RsExperiment) b = rs_experiment_copy (exp);
  g_clear_pointer (&b->compare, g_strfreev);
  if (!rs_experiment_set_named (b, entries, names, name, error))
    return FALSE;

  /* canonical, one entry per term (a later one wins, as in B) */
  g_autoptr (GStrvBuilder) out = g_strv_builder_new ();
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *term = term_of (keys[i], layers[i]);
      gboolean later = FALSE;
      for (gsize j = i + 1; j < n; j++)
        later |= keys[j] == keys[i] && layers[j] == layers[i];
      if (later)
        continue;
      g_autofree char *value = rs_key_format_value (keys[i], b, layers[i]);
      g_autofree char *canonical = g_strdup_printf ("%s=%s", term, value);
      g_strv_builder_add (out, canonical);
    }
  g_strfreev (exp->compare);
  exp->compare = g_strv_builder_end (out);
  return TRUE;
}

gboolean
rs_twin_add_override (RsExperiment *exp, const char *entry, const char *name, GError **error)
{
  g_autoptr (GStrvBuilder) all = g_strv_builder_new ();
  if (exp->compare != NULL)
    g_strv_builder_addv (all, (const char **) exp->compare);
  g_strv_builder_add (all, entry);
  g_auto (GStrv) entries = g_strv_builder_end (all);
  gsize n = g_strv_length (entries);
  const char **names = g_newa (const char *, n + 1);
  for (gsize i = 0; i <= n; i++)
    names[i] = i < n ? name : NULL;
  return rs_twin_set_compare (exp, (const char *const *) entries, names, name, error);
}

RsExperiment *
rs_twin_experiment_b (const RsExperiment *exp, GError **error)
{
  g_autoptr (RsExperiment) b = rs_experiment_copy (exp);
  g_clear_pointer (&b->compare, g_strfreev);
  if (exp->compare == NULL || exp->compare[0] == NULL)
    return g_steal_pointer (&b);
  gsize n = g_strv_length (exp->compare);
  const char **names = g_newa (const char *, n + 1);
  g_autofree char *name = g_strdup_printf ("%s: [compare]", exp->path ? exp->path : exp->title);
  for (gsize i = 0; i <= n; i++)
    names[i] = i < n ? name : NULL;
  if (!rs_experiment_set_named (b, (const char *const *) exp->compare, names, name, error))
    return NULL;
  return g_steal_pointer (&b);
}

gboolean
rs_twin_b_follows (const RsExperiment *exp, const RsEvent *e)
{
  for (int i = 0; exp->compare != NULL && exp->compare[i] != NULL; i++)
    {
      int layer = -1;
      const RsKey *key = override_key (exp, exp->compare[i], "", &layer, NULL);
      if (key == NULL || layer != e->layer)
        continue;
      /* beta1 and beta2 are events of their own; nothing else is spelt twice */
      if (strcmp (key->name, e->key) == 0)
        return FALSE;
    }
  return TRUE;
}

char *
rs_twin_describe (const RsExperiment *exp, int which)
{
  const char *run = which == 0 ? "A" : "B";
  if (exp->compare == NULL || exp->compare[0] == NULL)
    return which == 0 ? g_strdup (run) : g_strdup (_("B (as A)"));
  g_autoptr (RsExperiment) b = which == 1 ? rs_twin_experiment_b (exp, NULL) : NULL;
  const RsExperiment *of = b != NULL ? b : exp;
  GString *s = g_string_new (run);
  g_string_append_c (s, ':');
  for (int i = 0; exp->compare[i] != NULL; i++)
    {
      int layer = -1;
      const RsKey *key = override_key (exp, exp->compare[i], "", &layer, NULL);
      if (key == NULL)
        continue;
      double v = rs_key_get_number (key, rs_key_block_const (key, of, layer));
      g_autofree char *value = rs_key_format_label (key, v);
      if (i > 0)
        g_string_append_c (s, ',');
      if (layer >= 0)
        g_string_append_printf (s, " fc%d", layer + 1);
      g_string_append_printf (s, " %s %s", _(key->label), value);
    }
  return g_string_free (s, FALSE);
}

RsTwin *
rs_twin_new (const RsExperiment *exp, const char *init_path, GError **error)
{
  g_autoptr (RsExperiment) b_exp = rs_twin_experiment_b (exp, error);
  if (b_exp == NULL)
    return NULL;
  g_autoptr (RsExperiment) a_exp = rs_experiment_copy (exp);
  RsSession *s[2] = { NULL, NULL };
  const RsExperiment *of[2] = { a_exp, b_exp };
  for (int i = 0; i < 2; i++)
    {
      s[i] = rs_session_new (of[i], error);
      if (s[i] == NULL || (init_path != NULL && !rs_session_load_init (s[i], init_path, error)))
        {
          g_clear_pointer (&s[0], rs_session_free);
          g_clear_pointer (&s[1], rs_session_free);
          return NULL;
        }
    }
  RsTwin *twin = g_new0 (RsTwin, 1);
  twin->a = s[0];
  twin->b = s[1];
  return twin;
}

void
rs_twin_free (RsTwin *twin)
{
  if (twin == NULL)
    return;
  rs_session_free (twin->a);
  rs_session_free (twin->b);
  g_free (twin);
}

gboolean
rs_twin_step (RsTwin *twin, RsMetrics *a, RsMetrics *b, GError **error)
{
  if (!rs_session_step (twin->a, a, error))
    {
      g_prefix_error (error, "A: ");
      return FALSE;
    }
  if (!rs_session_step (twin->b, b, error))
    {
      g_prefix_error (error, "B: ");
      return FALSE;
    }
  return TRUE;
}
