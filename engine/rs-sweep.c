/* rs-sweep.c — one lesson at many values of one setting (see rs-sweep.h).
 *
 * One lock (pthread's, as in rs-trainer.c, for ThreadSanitizer) guards the
 * queue position, the finished points and the progress counts; it is held
 * only to copy. Each worker owns the session it steps. */
#include "rs-sweep.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "rs-error.h"
#include "rs-stats.h"
#include "rs-trainer.h"

/* ---- the spec ------------------------------------------------------------ */

#define EVERY_LAYER "fc*."

/* "fc1.l1, fc1.l2, ... optimizer.lr, ...": what --sweep takes, from the
 * key table. */
static char *
sweepable_terms (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *k = &keys[i];
      if (k->type != RS_KEY_DOUBLE || !(k->flags & RS_KEY_CONTROL)
          || (k->flags & RS_KEY_EVENT_ONLY))
        continue;
      g_string_append_printf (s, "%s%s.%s", s->len ? ", " : "",
                              k->section == RS_SECTION_LAYER ? "fcK" : rs_section_name (k->section),
                              k->name);
    }
  return g_string_free (s, FALSE);
}

gboolean
rs_sweep_spec_init (RsSweepSpec *spec, const RsExperiment *exp, const char *term, double from,
                    double to, int points, gboolean linear, const char *name, GError **error)
{
  int layer = -1;
  gboolean every = g_str_has_prefix (term, EVERY_LAYER);
  /* fc*.KEY: the key as fc1's, set on every layer */
  g_autofree char *one = every ? g_strconcat ("fc1.", term + strlen (EVERY_LAYER), NULL) : NULL;
  const RsKey *key = rs_experiment_find_key (exp, every ? one : term, name, &layer, error);
  if (key == NULL)
    return FALSE;
  if (every && key->section != RS_SECTION_LAYER)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: %s: fc* names a layer key"), name,
                   term);
      return FALSE;
    }
  if (key->type != RS_KEY_DOUBLE || !(key->flags & RS_KEY_CONTROL))
    {
      g_autofree char *terms = sweepable_terms ();
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: %s is not a strength a sweep can vary (it varies %s; fc*.KEY: every layer)"), name, term,
                   terms);
      return FALSE;
    }
  if (points < 2 || points > RS_SWEEP_MAX_POINTS)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: a sweep has 2 to %d points, not %d"),
                   name, RS_SWEEP_MAX_POINTS, points);
      return FALSE;
    }
  if (!isfinite (from) || !isfinite (to) || from == to)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: the range needs two different finite ends"), name);
      return FALSE;
    }
  if (!linear && (from <= 0 || to <= 0))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: log-spaced points need both ends above 0 (add ':lin' for a range "
                     "from 0)"), name);
      return FALSE;
    }
  for (int end = 0; end < 2; end++)
    {
      double v = end ? to : from;
      if (!rs_key_accepts (key, v))
        {
          g_autofree char *range = rs_key_describe_range (key);
          char text[G_ASCII_DTOSTR_BUF_SIZE];
          rs_format_double (text, v);
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: %s %s: %s", name, term,
                       text, range);
          return FALSE;
        }
    }
  *spec = (RsSweepSpec) { key, every ? -1 : layer, every, from, to, points, linear };
  return TRUE;
}

/* The whole text as a number, or FALSE. */
static gboolean
parse_number (const char *text, double *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  *out = g_ascii_strtod (t, &end);
  return *t != '\0' && end != t && *end == '\0';
}

gboolean
rs_sweep_spec_parse (const char *text, const RsExperiment *exp, RsSweepSpec *spec,
                     GError **error)
{
  g_autofree char *name = g_strdup_printf ("--sweep '%s'", text);
  const char *eq = strchr (text, '=');
  g_auto (GStrv) parts = eq ? g_strsplit (eq + 1, ":", -1) : NULL;
  guint n = parts ? g_strv_length (parts) : 0;
  if (eq == NULL || n < 3 || n > 4)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: expected TERM=FROM:TO:POINTS[:log|:lin], as in 'fc1.l1=1e-5:1e-1:13'"),
                   name);
      return FALSE;
    }
  g_autofree char *term = g_strstrip (g_strndup (text, (gsize) (eq - text)));
  double from, to, points;
  const char *bad = !parse_number (parts[0], &from) ? parts[0]
                    : !parse_number (parts[1], &to) ? parts[1]
                    : !parse_number (parts[2], &points) || points != floor (points)
                      || fabs (points) > G_MAXINT ? parts[2]
                    : NULL;
  if (bad != NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, bad == parts[2] ? _("%s: '%s' is not a number of points")
                                    : _("%s: '%s' is not a number"), name, bad);
      return FALSE;
    }
  gboolean linear = FALSE;
  if (n == 4)
    {
      g_strstrip (parts[3]);
      if (g_str_equal (parts[3], "lin"))
        linear = TRUE;
      else if (!g_str_equal (parts[3], "log"))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s: '%s': the spacing is 'log' (the default) or 'lin'"), name, parts[3]);
          return FALSE;
        }
    }
  return rs_sweep_spec_init (spec, exp, term, from, to, (int) points, linear, name, error);
}

gboolean
rs_sweep_spec_from_experiment (RsSweepSpec *spec, const RsExperiment *exp)
{
  return exp->sweep_term != NULL
         && rs_sweep_spec_init (spec, exp, exp->sweep_term, exp->sweep_from, exp->sweep_to,
                                exp->sweep_points, exp->sweep_linear, "[sweep]", NULL);
}

void
rs_sweep_spec_to_experiment (const RsSweepSpec *spec, RsExperiment *exp)
{
  g_free (exp->sweep_term);
  exp->sweep_term = rs_sweep_spec_term (spec);
  exp->sweep_from = spec->from;
  exp->sweep_to = spec->to;
  exp->sweep_points = spec->points;
  exp->sweep_linear = spec->linear;
}

char *
rs_sweep_spec_term (const RsSweepSpec *spec)
{
  if (spec->every_layer)
    return g_strconcat (EVERY_LAYER, spec->key->name, NULL);
  if (spec->layer >= 0)
    return g_strdup_printf ("fc%d.%s", spec->layer + 1, spec->key->name);
  return g_strdup_printf ("%s.%s", rs_section_name (spec->key->section), spec->key->name);
}

char *
rs_sweep_spec_to_string (const RsSweepSpec *spec)
{
  char from[G_ASCII_DTOSTR_BUF_SIZE], to[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (from, spec->from);
  rs_format_double (to, spec->to);
  g_autofree char *term = rs_sweep_spec_term (spec);
  return g_strdup_printf ("%s=%s:%s:%d%s", term, from, to, spec->points,
                          spec->linear ? ":lin" : "");
}

double
rs_sweep_spec_value (const RsSweepSpec *spec, int i)
{
  int last = spec->points - 1;
  if (i <= 0)
    return spec->from;
  if (i >= last)
    return spec->to;
  double t = (double) i / last;
  /* in decades, so the points of 1e-5..1e-1 are 1e-4, 1e-3, ... exactly
   * where a decade falls on a point */
  double v = spec->linear ? spec->from + (spec->to - spec->from) * t
                          : pow (10.0, log10 (spec->from)
                                       + (log10 (spec->to) - log10 (spec->from)) * t);
  /* rounding never takes a point outside the range the ends were checked for */
  return CLAMP (v, MIN (spec->from, spec->to), MAX (spec->from, spec->to));
}

RsExperiment *
rs_sweep_experiment_at (const RsExperiment *exp, const RsSweepSpec *spec, double value)
{
  RsExperiment *copy = rs_experiment_copy (exp);
  int first = spec->every_layer ? 0 : spec->layer;
  int last = spec->every_layer ? exp->n_layers - 1 : spec->layer;
  for (int l = first; l <= last; l++)
    {
      gboolean ok = rs_key_set_number (spec->key, rs_key_block (spec->key, copy, l), value);
      g_warn_if_fail (ok);
    }
  return copy;
}

RsSession *
rs_sweep_session_new (const RsExperiment *exp, const RsSweepSpec *spec, double value,
                      const char *init_path, GError **error)
{
  g_autoptr (RsExperiment) at = rs_sweep_experiment_at (exp, spec, value);
  g_autoptr (RsSession) session = rs_session_new (at, error);
  if (session == NULL || (init_path != NULL && !rs_session_load_init (session, init_path, error)))
    return NULL;
  return g_steal_pointer (&session);
}

/* ---- points -------------------------------------------------------------- */

void
rs_sweep_point_clear (RsSweepPoint *p)
{
  g_free (p->error);
  g_free (p->unit_norm);
  memset (p, 0, sizeof *p);
}

void
rs_sweep_point_copy (RsSweepPoint *dst, const RsSweepPoint *src)
{
  *dst = *src;
  dst->error = g_strdup (src->error);
  dst->unit_norm = src->n_units > 0 ? g_memdup2 (src->unit_norm, sizeof (double) * src->n_units)
                                    : NULL;
}

int
rs_sweep_best_point (const RsSweepPoint *points, int n)
{
  int best = -1;
  for (int i = 0; i < n; i++)
    {
      const RsSweepPoint *p = &points[i];
      double v = isfinite (p->val_loss) ? p->val_loss : p->train_loss;
      if (p->error != NULL || !isfinite (v))
        continue;
      if (best < 0)
        best = i;
      double b = isfinite (points[best].val_loss) ? points[best].val_loss
                                                   : points[best].train_loss;
      if (v < b)
        best = i;
    }
  return best;
}

static guint64
fnv1a (guint64 h, const void *data, gsize n)
{
  const guint8 *b = data;
  for (gsize i = 0; i < n; i++)
    h = (h ^ b[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  return h;
}

guint64
rs_sweep_fingerprint (RsSession *session)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  for (int l = 0; l < exp->n_layers; l++)
    {
      gsize out = (gsize) exp->sizes[l + 1];
      h = fnv1a (h, rs_session_layer_weight (session, l), sizeof (float) * out * exp->sizes[l]);
      h = fnv1a (h, rs_session_layer_bias (session, l), sizeof (float) * out);
    }
  return h;
}

/* The summary of a session at its end: losses with the final parameters,
 * each layer's norm and near-zero share, the chosen layer's unit norms. */
static void
summarise (RsSweepPoint *p, RsSession *session, int unit_layer)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  rs_session_evaluate (session, rs_session_get_train (session), &p->train_loss, &p->train_acc);
  const RsDataset *val = rs_session_get_validation (session);
  p->val_loss = p->val_acc = NAN;
  if (val != NULL)
    {
      rs_session_evaluate (session, val, &p->val_loss, &p->val_acc);
      if (!(p->best_val_loss <= p->val_loss))
        {
          p->best_val_loss = p->val_loss;
          p->best_val_step = p->steps;
        }
      p->best_val_acc = MAX (p->best_val_acc, p->val_acc);
    }
  else
    p->best_val_loss = p->best_val_acc = NAN;
  if (p->steps == 0)
    {
      p->best_train_loss = p->train_loss;
      p->best_train_acc = p->train_acc;
    }
  p->fingerprint = rs_sweep_fingerprint (session);
  p->n_layers = exp->n_layers;
  for (int l = 0; l < exp->n_layers; l++)
    {
      gsize n = (gsize) exp->sizes[l] * exp->sizes[l + 1];
      const float *w = rs_session_layer_weight (session, l);
      p->weight_norm[l] = rs_stats_l2_norm (w, n);
      p->near_zero[l] = rs_stats_fraction_below (w, n, exp->sparsity_threshold);
    }
  p->unit_layer = unit_layer;
  p->n_units = exp->sizes[unit_layer + 1];
  int fan_in = exp->sizes[unit_layer];
  const float *w = rs_session_layer_weight (session, unit_layer);
  p->unit_norm = g_new (double, p->n_units);
  for (int u = 0; u < p->n_units; u++)
    p->unit_norm[u] = rs_stats_l2_norm (w + (gsize) u * fan_in, fan_in);
}

/* ---- the workers --------------------------------------------------------- */

struct _RsSweep {
  RsExperiment *exp;
  RsSweepSpec   spec;
  char         *init_path;
  int           unit_layer;
  gboolean      low_priority;
  gint64        steps;        /* per point */
  RsSweepCallback on_point;
  gpointer      user_data;
  int           n_threads;
  GThread     **threads;
  gboolean      joined;       /* the caller's: rs_sweep_wait ran */
  int           cancelled;    /* atomic */
  int           held;         /* atomic: rs_sweep_hold */

  /* ---- guarded by lock --------------------------------------------------- */
  pthread_mutex_t lock;
  pthread_mutex_t report_lock; /* one on_point call at a time */
  pthread_cond_t  resume;     /* held went to 0, or cancelled */
  pthread_cond_t  parked;     /* n_held grew */
  int           n_held;       /* workers waiting in a hold */
  RsSession    *first;        /* point 0's session, made by rs_sweep_start */
  int           next;         /* the next point to take */
  int           n_ended;
  guint         serial;
  RsSweepPoint *points;       /* spec.points */
  gboolean     *ended;
  gint64        steps_done;
};

/* Before each step: wait while the sweep is held. The atomic look keeps
 * the step loop free of the lock when nobody holds. */
static void
wait_while_held (RsSweep *sw)
{
  if (!g_atomic_int_get (&sw->held))
    return;
  pthread_mutex_lock (&sw->lock);
  sw->n_held++;
  pthread_cond_broadcast (&sw->parked);
  while (g_atomic_int_get (&sw->held) && !g_atomic_int_get (&sw->cancelled))
    pthread_cond_wait (&sw->resume, &sw->lock);
  sw->n_held--;
  pthread_mutex_unlock (&sw->lock);
}

/* Runs point i to its end (FALSE: cancelled, nothing to report). The loop
 * is rs_run's without events: a lesson's run, step by step. */
static gboolean
run_point (RsSweep *sw, int i, RsSession *session, RsSweepPoint *p)
{
  g_autoptr (GError) error = NULL;
  p->index = i;
  p->value = rs_sweep_spec_value (&sw->spec, i);
  p->best_train_loss = p->best_val_loss = INFINITY;
  p->best_train_acc = p->best_val_acc = -INFINITY;
  p->best_val_step = -1;
  if (session == NULL)
    session = rs_sweep_session_new (sw->exp, &sw->spec, p->value, sw->init_path, &error);
  if (session == NULL)
    {
      p->error = g_strdup (error->message);
      p->train_loss = p->val_loss = NAN;
      return TRUE;
    }
  gint64 total = rs_session_total_steps (session);
  for (gint64 s = 0; s < total; s++)
    {
      wait_while_held (sw);
      if (g_atomic_int_get (&sw->cancelled))
        {
          rs_session_free (session);
          return FALSE;
        }
      RsMetrics m;
      if (!rs_session_step (session, &m, &error))
        {
          p->error = g_strdup (error->message);
          break;
        }
      p->steps = s + 1;
      p->last = m;
      p->best_train_loss = MIN (p->best_train_loss, m.task_loss);
      p->best_train_acc = MAX (p->best_train_acc, m.train_acc);
      if (m.val_loss < p->best_val_loss)
        {
          p->best_val_loss = m.val_loss;
          p->best_val_step = m.step;
        }
      if (isfinite (m.val_acc))
        p->best_val_acc = MAX (p->best_val_acc, m.val_acc);
      /* early stopping ends the run where rs_run's would end; its steps
       * left count as done for the progress */
      gboolean stop = rs_session_should_stop (session);
      pthread_mutex_lock (&sw->lock);
      sw->steps_done += stop ? total - s : 1;
      pthread_mutex_unlock (&sw->lock);
      if (stop)
        break;
    }
  summarise (p, session, sw->unit_layer);
  rs_session_free (session);
  return TRUE;
}

static gpointer
worker (gpointer data)
{
  RsSweep *sw = data;
  if (sw->low_priority)
    rs_trainer_lower_thread_priority ();
  for (;;)
    {
      pthread_mutex_lock (&sw->lock);
      int i = sw->next < sw->spec.points && !g_atomic_int_get (&sw->cancelled) ? sw->next++ : -1;
      RsSession *session = i == 0 ? g_steal_pointer (&sw->first) : NULL;
      pthread_mutex_unlock (&sw->lock);
      if (i < 0)
        return NULL;

      RsSweepPoint p = { 0 };
      if (!run_point (sw, i, session, &p))
        {
          rs_sweep_point_clear (&p);
          return NULL;
        }
      pthread_mutex_lock (&sw->report_lock);
      pthread_mutex_lock (&sw->lock);
      sw->points[i] = p;
      sw->ended[i] = TRUE;
      sw->n_ended++;
      sw->serial++;
      pthread_mutex_unlock (&sw->lock);
      /* the stored point is not changed again: read it without the lock */
      if (sw->on_point != NULL)
        sw->on_point (&sw->points[i], sw->user_data);
      pthread_mutex_unlock (&sw->report_lock);
    }
}

RsSweep *
rs_sweep_start (const RsExperiment *exp, const RsSweepSpec *spec, const RsSweepOptions *options,
                RsSweepCallback on_point, gpointer user_data, GError **error)
{
  g_return_val_if_fail (options->jobs >= 1, NULL);
  g_autoptr (RsExperiment) copy = rs_experiment_copy (exp);
  if (options->steps > 0)
    copy->steps = options->steps; /* as regscope-train --steps does */
  int unit_layer = options->unit_layer >= 0 ? options->unit_layer : MAX (spec->layer, 0);
  if (unit_layer >= copy->n_layers)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("the model has no layer fc%d"),
                   unit_layer + 1);
      return NULL;
    }
  /* Point 0's session proves the lesson loads before any thread starts. */
  RsSession *first = rs_sweep_session_new (copy, spec, rs_sweep_spec_value (spec, 0),
                                           options->init_path, error);
  if (first == NULL)
    return NULL;

  RsSweep *sw = g_new0 (RsSweep, 1);
  sw->exp = g_steal_pointer (&copy);
  sw->spec = *spec;
  sw->init_path = g_strdup (options->init_path);
  sw->unit_layer = unit_layer;
  sw->low_priority = options->low_priority;
  sw->steps = rs_session_total_steps (first);
  sw->on_point = on_point;
  sw->user_data = user_data;
  sw->first = first;
  sw->points = g_new0 (RsSweepPoint, spec->points);
  sw->ended = g_new0 (gboolean, spec->points);
  pthread_mutex_init (&sw->lock, NULL);
  pthread_mutex_init (&sw->report_lock, NULL);
  pthread_cond_init (&sw->resume, NULL);
  pthread_cond_init (&sw->parked, NULL);
  sw->n_threads = MIN (options->jobs, spec->points);
  sw->threads = g_new0 (GThread *, sw->n_threads);
  for (int t = 0; t < sw->n_threads; t++)
    sw->threads[t] = g_thread_new ("rs-sweep", worker, sw);
  return sw;
}

void
rs_sweep_cancel (RsSweep *sw)
{
  pthread_mutex_lock (&sw->lock);
  g_atomic_int_set (&sw->cancelled, 1);
  pthread_cond_broadcast (&sw->resume);
  pthread_mutex_unlock (&sw->lock);
}

void
rs_sweep_hold (RsSweep *sw, gboolean hold)
{
  /* Set under the lock: a worker between its look and its wait misses no
   * release. */
  pthread_mutex_lock (&sw->lock);
  g_atomic_int_set (&sw->held, hold ? 1 : 0);
  if (!hold)
    pthread_cond_broadcast (&sw->resume);
  pthread_mutex_unlock (&sw->lock);
}

gboolean
rs_sweep_get_held (RsSweep *sw)
{
  return g_atomic_int_get (&sw->held) != 0;
}

void
rs_sweep_wait_held (RsSweep *sw, int n)
{
  pthread_mutex_lock (&sw->lock);
  while (sw->n_held < n)
    pthread_cond_wait (&sw->parked, &sw->lock);
  pthread_mutex_unlock (&sw->lock);
}

void
rs_sweep_wait (RsSweep *sw)
{
  if (sw->joined)
    return;
  for (int t = 0; t < sw->n_threads; t++)
    g_thread_join (sw->threads[t]);
  sw->joined = TRUE;
}

void
rs_sweep_free (RsSweep *sw)
{
  if (sw == NULL)
    return;
  rs_sweep_cancel (sw);
  rs_sweep_wait (sw);
  if (sw->first != NULL)
    rs_session_free (sw->first);
  for (int i = 0; i < sw->spec.points; i++)
    rs_sweep_point_clear (&sw->points[i]);
  g_free (sw->points);
  g_free (sw->ended);
  g_free (sw->threads);
  g_free (sw->init_path);
  rs_experiment_free (sw->exp);
  pthread_mutex_destroy (&sw->lock);
  pthread_mutex_destroy (&sw->report_lock);
  pthread_cond_destroy (&sw->resume);
  pthread_cond_destroy (&sw->parked);
  g_free (sw);
}

const RsSweepSpec *
rs_sweep_get_spec (RsSweep *sw)
{
  return &sw->spec;
}

gboolean
rs_sweep_is_done (RsSweep *sw)
{
  pthread_mutex_lock (&sw->lock);
  gboolean done = sw->n_ended == sw->spec.points;
  pthread_mutex_unlock (&sw->lock);
  return done;
}

guint
rs_sweep_get_serial (RsSweep *sw)
{
  pthread_mutex_lock (&sw->lock);
  guint serial = sw->serial;
  pthread_mutex_unlock (&sw->lock);
  return serial;
}

void
rs_sweep_get_progress (RsSweep *sw, gint64 *done, gint64 *total)
{
  pthread_mutex_lock (&sw->lock);
  *done = sw->steps_done;
  pthread_mutex_unlock (&sw->lock);
  *total = sw->steps * sw->spec.points;
}

gboolean
rs_sweep_get_point (RsSweep *sw, int i, RsSweepPoint *out)
{
  g_return_val_if_fail (i >= 0 && i < sw->spec.points, FALSE);
  pthread_mutex_lock (&sw->lock);
  gboolean ended = sw->ended[i];
  if (ended)
    rs_sweep_point_copy (out, &sw->points[i]);
  pthread_mutex_unlock (&sw->lock);
  return ended;
}

/* ---- CSV ----------------------------------------------------------------- */

char *
rs_sweep_csv_header (const char *term, int n_layers)
{
  GString *s = g_string_new (term);
  g_string_append (s, ",steps,diverged,train_loss,train_acc,best_train_loss,best_train_acc,"
                      "val_loss,val_acc,best_val_loss,best_val_acc,best_val_step");
  for (int l = 0; l < n_layers; l++)
    g_string_append_printf (s, ",fc%d_norm,fc%d_near_zero", l + 1, l + 1);
  return g_string_free (s, FALSE);
}

static void
append_number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_c (s, ',');
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

char *
rs_sweep_csv_row (const RsSweepPoint *p)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (value, p->value); /* reads back to the very value trained */
  GString *s = g_string_new (value);
  g_string_append_printf (s, ",%" G_GINT64_FORMAT ",%d", p->steps, p->error != NULL);
  double numbers[] = { p->train_loss, p->train_acc, p->best_train_loss, p->best_train_acc,
                       p->val_loss, p->val_acc, p->best_val_loss, p->best_val_acc };
  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    append_number (s, numbers[i]);
  g_string_append_printf (s, ",%" G_GINT64_FORMAT, p->best_val_step);
  for (int l = 0; l < p->n_layers; l++)
    {
      append_number (s, p->weight_norm[l]);
      append_number (s, p->near_zero[l]);
    }
  return g_string_free (s, FALSE);
}
