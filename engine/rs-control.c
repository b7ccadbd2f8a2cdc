#include "rs-control.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-error.h"

static void
add_event (RsEvent *out, int *n, int layer, gint64 step, const char *key, double old_value,
           double new_value)
{
  /* Exact comparison on purpose: any change, however small, is an event,
   * so that replay reproduces the run bit for bit. */
  if (old_value == new_value)
    return;
  RsEvent *e = &out[(*n)++];
  memset (e, 0, sizeof *e);
  e->step = step;
  e->layer = layer;
  g_strlcpy (e->key, key, sizeof e->key);
  e->old_value = old_value;
  e->new_value = new_value;
}

int
rs_control_diff_layer (const RsLayerReg *a, const RsLayerReg *b, int layer, gint64 step,
                       RsEvent *out)
{
  int n = 0;
  add_event (out, &n, layer, step, "l1", a->l1, b->l1);
  add_event (out, &n, layer, step, "l1-bias", a->l1_bias, b->l1_bias);
  add_event (out, &n, layer, step, "l2", a->l2, b->l2);
  add_event (out, &n, layer, step, "weight-decay", a->weight_decay, b->weight_decay);
  add_event (out, &n, layer, step, "activity", a->activity, b->activity);
  add_event (out, &n, layer, step, "activity-norm", a->activity_norm, b->activity_norm);
  return n;
}

int
rs_control_diff_optimizer (const RsOptimizerConfig *a, const RsOptimizerConfig *b,
                           gint64 step, RsEvent *out)
{
  int n = 0;
  add_event (out, &n, -1, step, "name", a->kind, b->kind);
  add_event (out, &n, -1, step, "lr", a->lr, b->lr);
  add_event (out, &n, -1, step, "momentum", a->momentum, b->momentum);
  add_event (out, &n, -1, step, "dampening", a->dampening, b->dampening);
  add_event (out, &n, -1, step, "nesterov", a->nesterov, b->nesterov);
  add_event (out, &n, -1, step, "beta1", a->beta1, b->beta1);
  add_event (out, &n, -1, step, "beta2", a->beta2, b->beta2);
  add_event (out, &n, -1, step, "eps", a->eps, b->eps);
  return n;
}

gboolean
rs_control_set_layer_key (RsLayerReg *reg, const char *key, double v)
{
  if (g_str_equal (key, "l1"))
    reg->l1 = v;
  else if (g_str_equal (key, "l1-bias"))
    reg->l1_bias = v != 0.0;
  else if (g_str_equal (key, "l2"))
    reg->l2 = v;
  else if (g_str_equal (key, "weight-decay"))
    reg->weight_decay = v;
  else if (g_str_equal (key, "activity"))
    reg->activity = v;
  else if (g_str_equal (key, "activity-norm"))
    reg->activity_norm = v != 0.0 ? RS_NORM_L2 : RS_NORM_L1;
  else
    return FALSE;
  return TRUE;
}

gboolean
rs_control_set_optimizer_key (RsOptimizerConfig *opt, const char *key, double v)
{
  if (g_str_equal (key, "name"))
    {
      if (v != RS_OPT_SGD && v != RS_OPT_ADAM && v != RS_OPT_ADAMW)
        return FALSE;
      opt->kind = (RsOptimizerKind) (int) v;
    }
  else if (g_str_equal (key, "lr"))
    opt->lr = v;
  else if (g_str_equal (key, "momentum"))
    opt->momentum = v;
  else if (g_str_equal (key, "dampening"))
    opt->dampening = v;
  else if (g_str_equal (key, "nesterov"))
    opt->nesterov = v != 0.0;
  else if (g_str_equal (key, "beta1"))
    opt->beta1 = v;
  else if (g_str_equal (key, "beta2"))
    opt->beta2 = v;
  else if (g_str_equal (key, "eps"))
    opt->eps = v;
  else
    return FALSE;
  return TRUE;
}

gboolean
rs_control_apply (RsSession *session, const RsEvent *e, GError **error)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  if (e->layer >= 0)
    {
      if (e->layer >= exp->n_layers)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       "event at step %" G_GINT64_FORMAT ": the model has no layer fc%d",
                       e->step, e->layer + 1);
          return FALSE;
        }
      RsLayerReg reg = exp->layer[e->layer];
      if (!rs_control_set_layer_key (&reg, e->key, e->new_value))
        goto unknown;
      rs_session_set_layer_reg (session, e->layer, &reg);
      return TRUE;
    }
  RsOptimizerConfig opt = exp->optimizer;
  if (!rs_control_set_optimizer_key (&opt, e->key, e->new_value))
    goto unknown;
  rs_session_set_optimizer (session, &opt);
  return TRUE;

unknown:
  g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
               "event at step %" G_GINT64_FORMAT ": unknown key '%s'", e->step, e->key);
  return FALSE;
}

gboolean
rs_control_run (RsSession *session, gint64 total, const RsEvent *events, int n_events,
                RsHistory *history, RsFrameStore *frames, RsStepCallback on_step,
                gpointer user_data, GError **error)
{
  int next = 0;
  for (gint64 s = rs_session_get_step (session); s < total; s++)
    {
      while (next < n_events && events[next].step <= s)
        {
          if (!rs_control_apply (session, &events[next], error))
            return FALSE;
          if (history != NULL)
            rs_history_add_event (history, &events[next]);
          next++;
        }
      if (frames != NULL)
        rs_frame_store_record (frames, session);
      RsMetrics m;
      if (!rs_session_step (session, &m, error))
        return FALSE;
      if (history != NULL)
        rs_history_append (history, &m);
      if (on_step != NULL)
        on_step (&m, user_data);
    }
  /* Events at the very end (after the last step) still change the state. */
  while (next < n_events)
    {
      if (!rs_control_apply (session, &events[next], error))
        return FALSE;
      if (history != NULL)
        rs_history_add_event (history, &events[next]);
      next++;
    }
  if (frames != NULL)
    rs_frame_store_record (frames, session);
  return TRUE;
}

char *
rs_event_to_string (const RsEvent *e)
{
  char target[16];
  if (e->layer >= 0)
    g_snprintf (target, sizeof target, "fc%d", e->layer + 1);
  else
    g_strlcpy (target, "optimizer", sizeof target);
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  /* %.17g round-trips every double exactly. */
  g_ascii_formatd (a, sizeof a, "%.17g", e->old_value);
  g_ascii_formatd (b, sizeof b, "%.17g", e->new_value);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s %s %s %s", e->step, target, e->key, a, b);
}

static gboolean
parse_double (const char *s, double *out)
{
  char *end = NULL;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && isfinite (*out);
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
  gboolean ok = fields->len == 5;
  memset (e, 0, sizeof *e);
  if (ok)
    {
      const char *step = fields->pdata[0], *target = fields->pdata[1], *key = fields->pdata[2];
      char *end = NULL;
      e->step = g_ascii_strtoll (step, &end, 10);
      ok = end != step && *end == '\0' && e->step >= 0;
      int k = 0;
      char extra;
      if (g_str_equal (target, "optimizer"))
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
  if (!ok)
    g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                 "'%s' is not an event (expected: STEP fcK|optimizer KEY OLD NEW)", text);
  return ok;
}
