/* rs-experiment.c — presets (.ini lessons) <-> a validated RsExperiment.
 *
 * One table of keys drives parsing, range checks, validation and writing,
 * so the four can not drift apart. Every error is one line naming the
 * file, the section and the key. */
#include "rs-experiment.h"

#include <glib/gi18n.h>
#include "rs-error.h"
#include "rs-keys.h"
#include "rs-sweep.h"
#include "rs-twin.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guards against presets that would make the generators allocate
 * gigabytes before anything useful happens. */
#define RS_MAX_DATA_VALUES (256u << 20)
#define RS_MAX_PRESET_SIZE (1u << 20)

/* ---------------------------------------------------------------------- */
/* Names                                                                   */

/* Data sources are named by rs_data_source_to_string(); "csv" and "idx"
 * only appear in presets as "csv:PATH" and "idx:DIR". */
#define N_SOURCES (RS_DATA_IDX + 1)

const char *
rs_activation_to_string (RsActivation a)
{
  return (unsigned) a < g_strv_length ((char **) rs_activation_names) ? rs_activation_names[a] : "?";
}

const char *
rs_optimizer_kind_to_string (RsOptimizerKind k)
{
  return (unsigned) k < g_strv_length ((char **) rs_optimizer_names) ? rs_optimizer_names[k] : "?";
}

const char *
rs_loss_kind_to_string (RsLossKind k)
{
  return (unsigned) k < g_strv_length ((char **) rs_loss_names) ? rs_loss_names[k] : "?";
}

const char *
rs_activity_norm_to_string (RsActivityNorm n)
{
  return (unsigned) n < g_strv_length ((char **) rs_norm_names) ? rs_norm_names[n] : "?";
}

double
rs_speed_steps_per_second (RsSpeed speed)
{
  static const double steps_per_second[] = { 10, 100, 1000, 0 };
  g_return_val_if_fail ((unsigned) speed < G_N_ELEMENTS (steps_per_second), 100);
  return steps_per_second[speed];
}

double
rs_experiment_get_speed (const RsExperiment *exp)
{
  return rs_speed_steps_per_second (exp->speed);
}

double
rs_experiment_get_suggested (const RsExperiment *exp, int layer, const char *key)
{
  g_return_val_if_fail (layer >= 0 && layer < RS_MAX_LAYERS, 0);
  const RsKey *d = rs_key_find (RS_SECTION_LAYER, key);
  g_return_val_if_fail (d != NULL && (d->flags & RS_KEY_TERM), 0);
  return rs_key_get_number (d, &exp->suggested[layer]);
}

/* Sources whose size, width and classes are set in the preset (the
 * others get them from a file when the session loads the data). */
static gboolean
source_is_generated (RsDataSource s)
{
  return s == RS_DATA_RANDOM || s == RS_DATA_BLOBS || rs_data_source_is_2d (s);
}

/* ---------------------------------------------------------------------- */
/* Defaults, copy, free                                                    */

void
rs_layer_reg_init_default (RsLayerReg *reg)
{
  memset (reg, 0, sizeof *reg);
  reg->l1_bias = TRUE;
  reg->activity_norm = RS_NORM_L1;
}

gboolean
rs_layer_reg_is_active (const RsLayerReg *reg)
{
  return reg->l1 > 0 || reg->l2 > 0 || reg->weight_decay > 0 || reg->activity > 0
         || reg->dropout > 0 || reg->max_norm > 0;
}

RsExperiment *
rs_experiment_new_default (void)
{
  RsExperiment *exp = g_new0 (RsExperiment, 1);

  exp->title = g_strdup ("Untitled");
  exp->description = g_strdup ("");
  exp->seed = 0;
  exp->epochs = 10;
  exp->steps = 0;
  exp->eval_every = 1;
  exp->sparsity_threshold = 1e-3;
  exp->speed = RS_SPEED_100;

  exp->source = RS_DATA_RANDOM;
  exp->csv_path = NULL;
  exp->label_column = g_strdup ("last");
  exp->samples = 64;
  exp->features = 10;
  exp->classes = 5;
  exp->noise = 0.1;
  exp->validation = 0.0;
  exp->batch_size = 0;
  exp->shuffle = TRUE;
  exp->standardize = FALSE;

  exp->n_layers = 2;
  exp->sizes[0] = 10;
  exp->sizes[1] = 20;
  exp->sizes[2] = 5;
  exp->activation = RS_ACT_RELU;
  exp->loss = RS_LOSS_CROSS_ENTROPY;

  exp->optimizer.kind = RS_OPT_ADAM;
  exp->optimizer.lr = 0.001;
  exp->optimizer.momentum = 0.0;
  exp->optimizer.dampening = 0.0;
  exp->optimizer.nesterov = FALSE;
  exp->optimizer.beta1 = 0.9;
  exp->optimizer.beta2 = 0.999;
  exp->optimizer.eps = 1e-8;

  exp->early_stopping.metric = RS_STOP_VAL_LOSS;
  exp->early_stopping.patience = 0;
  exp->early_stopping.restore = FALSE;
  exp->early_stopping.stop = TRUE;

  for (int i = 0; i < RS_MAX_LAYERS; i++)
    rs_layer_reg_init_default (&exp->layer[i]);

  exp->sweep_from = 1e-5;
  exp->sweep_to = 1e-1;
  exp->sweep_points = 13;

  exp->path = NULL;
  return exp;
}

RsExperiment *
rs_experiment_copy (const RsExperiment *exp)
{
  if (exp == NULL)
    return NULL;
  RsExperiment *copy = g_memdup2 (exp, sizeof *exp);
  copy->title = g_strdup (exp->title);
  copy->description = g_strdup (exp->description);
  copy->title_untranslated = g_strdup (exp->title_untranslated);
  copy->description_untranslated = g_strdup (exp->description_untranslated);
  copy->localized_text = g_strdupv (exp->localized_text);
  copy->csv_path = g_strdup (exp->csv_path);
  copy->label_column = g_strdup (exp->label_column);
  copy->sweep_term = g_strdup (exp->sweep_term);
  copy->compare = g_strdupv (exp->compare);
  copy->path = g_strdup (exp->path);
  return copy;
}

void
rs_experiment_free (RsExperiment *exp)
{
  if (exp == NULL)
    return;
  g_free (exp->title);
  g_free (exp->description);
  g_free (exp->title_untranslated);
  g_free (exp->description_untranslated);
  g_strfreev (exp->localized_text);
  g_free (exp->csv_path);
  g_free (exp->label_column);
  g_free (exp->sweep_term);
  g_strfreev (exp->compare);
  g_free (exp->path);
  g_free (exp);
}

guint64
rs_experiment_n_params (const RsExperiment *exp)
{
  guint64 total = 0;
  for (int i = 0; i < exp->n_layers && i < RS_MAX_LAYERS; i++)
    total += (guint64) exp->sizes[i] * (guint64) exp->sizes[i + 1]
             + (guint64) exp->sizes[i + 1];
  return total;
}

/* ---------------------------------------------------------------------- */
/* Sections                                                                */

static gsize
n_keys (void)
{
  gsize n;
  rs_keys (&n);
  return n;
}

static const RsKey *
key_at (gsize i)
{
  gsize n;
  return &rs_keys (&n)[i];
}

/* "<term>-suggested" is a switchable term's row under another name whose
 * value goes to exp->suggested (SUGGESTION marks such a made-up row). */
#define SUGGESTED_SUFFIX "-suggested"
#define SUGGESTION (1u << 30)

/* A key a preset may give: a row of the table (events have a few keys of
 * their own), or a term's "-suggested" row made in `scratch`, named by
 * `name` (which must outlive it). */
static const RsKey *
preset_key (RsSection section, const char *name, RsKey *scratch)
{
  const RsKey *d = rs_key_find (section, name);
  if (d != NULL)
    return (d->flags & RS_KEY_EVENT_ONLY) ? NULL : d;
  if (!g_str_has_suffix (name, SUGGESTED_SUFFIX))
    return NULL;
  g_autofree char *term = g_strndup (name, strlen (name) - strlen (SUGGESTED_SUFFIX));
  d = rs_key_find (section, term);
  if (d == NULL || !(d->flags & RS_KEY_TERM))
    return NULL;
  *scratch = *d;
  scratch->name = name;
  scratch->flags = (d->flags & ~(RS_KEY_TERM | RS_KEY_CONTROL)) | SUGGESTION;
  return scratch;
}

/* Where a key's value lives in exp (layer: for [layer fcK] keys). */
static void *
key_field (RsExperiment *exp, const RsKey *d, int layer)
{
  void *block = (d->flags & SUGGESTION) ? (void *) &exp->suggested[MAX (layer, 0)]
                                        : rs_key_block (d, exp, layer);
  return (char *) block + d->offset;
}

static const void *
key_field_const (const RsExperiment *exp, const RsKey *d, int layer)
{
  return key_field ((RsExperiment *) exp, d, layer);
}

/* The section label as it appears between brackets. */
static char *
section_label (RsSection section, int layer)
{
  if (section == RS_SECTION_LAYER)
    return g_strdup_printf ("layer fc%d", layer + 1);
  return g_strdup (rs_section_name (section));
}

/* "layer fcK" (K >= 1, no leading zero) -> K - 1; -1 otherwise. */
static int
parse_layer_section (const char *name, const char *prefix)
{
  gsize plen = strlen (prefix);
  if (strncmp (name, prefix, plen) != 0)
    return -1;
  const char *digits = name + plen;
  if (*digits < '1' || *digits > '9' || strlen (digits) > 6)
    return -1;
  for (const char *p = digits; *p; p++)
    if (!g_ascii_isdigit (*p))
      return -1;
  return atoi (digits) - 1;
}

static RsSection
classify_section (const char *name, int *layer)
{
  *layer = -1;
  for (int s = RS_SECTION_EXPERIMENT; s < RS_SECTION_UNKNOWN; s++)
    if (s != RS_SECTION_LAYER && strcmp (name, rs_section_name (s)) == 0)
      return s;
  *layer = parse_layer_section (name, "layer fc");
  return *layer >= 0 ? RS_SECTION_LAYER : RS_SECTION_UNKNOWN;
}

/* ---------------------------------------------------------------------- */
/* Comparing                                                               */

/* One key of two experiments (layer: for [layer fcK] keys). */
static gboolean
key_equal (const RsKey *d, const RsExperiment *a, const RsExperiment *b, int layer)
{
  switch (d->type)
    {
    case RS_KEY_STRING:
      return g_strcmp0 (*(char *const *) ((const char *) a + d->offset),
                        *(char *const *) ((const char *) b + d->offset)) == 0;
    case RS_KEY_SOURCE:
      return a->source == b->source && g_strcmp0 (a->csv_path, b->csv_path) == 0;
    case RS_KEY_LAYERS:
      return a->n_layers == b->n_layers
             && memcmp (a->sizes, b->sizes, sizeof (int) * (gsize) (MIN (a->n_layers, RS_MAX_LAYERS) + 1)) == 0;
    case RS_KEY_BETAS:
      return TRUE; /* compared as beta1 and beta2 */
    default:
      if (d->flags & RS_KEY_ACTION)
        return TRUE; /* a count of presses, not a setting */
      if ((d->flags & RS_KEY_TERM)
          && rs_key_get_number (d, &a->suggested[layer])
             != rs_key_get_number (d, &b->suggested[layer]))
        return FALSE;
      return rs_key_get_number (d, rs_key_block_const (d, a, layer))
             == rs_key_get_number (d, rs_key_block_const (d, b, layer));
    }
}

gboolean
rs_experiment_equal (const RsExperiment *a, const RsExperiment *b)
{
  if (a->n_layers != b->n_layers || (a->compare == NULL) != (b->compare == NULL)
      || (a->compare != NULL && !g_strv_equal ((const char *const *) a->compare,
                                               (const char *const *) b->compare)))
    return FALSE;
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *d = key_at (i);
      int n_blocks = d->section == RS_SECTION_LAYER ? MIN (a->n_layers, RS_MAX_LAYERS) : 1;
      for (int l = 0; l < n_blocks; l++)
        if (!key_equal (d, a, b, l))
          return FALSE;
    }
  return TRUE;
}

/* A layer section worth writing: some key differs from the default. */
static gboolean
layer_reg_is_default (const RsExperiment *exp, int layer)
{
  g_autoptr (RsExperiment) d = rs_experiment_new_default ();
  for (gsize i = 0; i < n_keys (); i++)
    if (key_at (i)->section == RS_SECTION_LAYER && !key_equal (key_at (i), exp, d, layer))
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* "Did you mean"                                                          */

/* Optimal string alignment distance (Levenshtein plus adjacent swaps),
 * ASCII case-insensitive: "sorce", "soruce" and "Source" all find "source". */
static int
edit_distance (const char *a, const char *b)
{
  int la = (int) strlen (a), lb = (int) strlen (b);
  if (la > 64 || lb > 64)
    return G_MAXINT;
  int d[65][65];
  for (int i = 0; i <= la; i++)
    d[i][0] = i;
  for (int j = 0; j <= lb; j++)
    d[0][j] = j;
  for (int i = 1; i <= la; i++)
    for (int j = 1; j <= lb; j++)
      {
        int cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
        int v = MIN (d[i - 1][j] + 1, d[i][j - 1] + 1);
        v = MIN (v, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          v = MIN (v, d[i - 2][j - 2] + 1);
        d[i][j] = v;
      }
  return d[la][lb];
}

/* The closest candidate within distance 2 (and closer than its own
 * length, so "x" does not suggest "lr"), or NULL. */
static const char *
closest (const char *word, const char *const *candidates, gsize n)
{
  const char *best = NULL;
  int best_d = 3;
  for (gsize i = 0; i < n; i++)
    {
      int d = edit_distance (word, candidates[i]);
      if (d < best_d && d < (int) strlen (candidates[i]))
        {
          best = candidates[i];
          best_d = d;
        }
    }
  return best;
}

/* " (did you mean 'x'?)", " (it belongs in [optimizer])" or "". */
static char *
key_hint (RsSection section, const char *key)
{
  g_autofree const char **cands = g_new (const char *, n_keys ());
  gsize n = 0;
  for (gsize i = 0; i < n_keys (); i++)
    if (key_at (i)->section == section && !(key_at (i)->flags & RS_KEY_EVENT_ONLY))
      cands[n++] = key_at (i)->name;
  const char *best = closest (key, cands, n);
  if (best != NULL)
    return g_strdup_printf (" (did you mean '%s'?)", best);
  for (gsize i = 0; i < n_keys (); i++)
    if (key_at (i)->section != section && strcmp (key_at (i)->name, key) == 0)
      return g_strdup_printf (" (it belongs in [%s])", rs_section_name (key_at (i)->section));
  return g_strdup ("");
}

static char *
section_hint (const char *name)
{
  /* "fc2" is a common slip for "layer fc2". */
  int k = parse_layer_section (name, "fc");
  if (k >= 0)
    return g_strdup_printf (" (did you mean 'layer %s'?)", name);

  /* every section but [layer fcK], and the misspelt layer's own name */
  const char *cands[RS_SECTION_UNKNOWN];
  gsize n = 0;
  for (int s = RS_SECTION_EXPERIMENT; s < RS_SECTION_UNKNOWN; s++)
    if (s != RS_SECTION_LAYER)
      cands[n++] = rs_section_name (s);
  /* A misspelt "layer fcK" keeps its number: compare against that one. */
  const char *tail = name + strlen (name);
  while (tail > name && g_ascii_isdigit (tail[-1]))
    tail--;
  g_autofree char *layer_cand = g_strdup_printf ("layer fc%d", MAX (atoi (tail), 1));
  if (strcmp (layer_cand, name) != 0)
    cands[n++] = layer_cand;
  const char *best = closest (name, cands, n);
  if (best != NULL)
    return g_strdup_printf (" (did you mean '%s'?)", best);
  if (g_str_has_prefix (name, "layer"))
    return g_strdup (" (layer sections are named 'layer fc1', 'layer fc2', ...)");
  return g_strdup ("");
}

/* "the model has only 2 layers (fc1..fc2)" */
static char *
too_few_layers (int n_layers)
{
  if (n_layers == 1)
    return g_strdup ("the model has only 1 layer (fc1)");
  return g_strdup_printf ("the model has only %d layers (fc1..fc%d)", n_layers, n_layers);
}

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */

typedef struct {
  const char *name;     /* the file (or "--set '...'") every message starts with */
  const char *base_dir; /* relative csv: paths resolve here; NULL = working dir */
} RsParseCtx;

static gboolean key_error (GError **error, int code, const RsParseCtx *ctx,
                           RsSection section, int layer, const char *key,
                           const char *fmt, ...) G_GNUC_PRINTF (7, 8);

/* Always returns FALSE so callers can `return key_error (...)`. */
static gboolean
key_error (GError **error, int code, const RsParseCtx *ctx, RsSection section,
           int layer, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (_(fmt), ap);
  va_end (ap);
  g_autofree char *label = section_label (section, layer);
  if (key != NULL)
    g_set_error (error, RS_ERROR, code, "%s: [%s] %s: %s", ctx->name, label, key, msg);
  else
    g_set_error (error, RS_ERROR, code, "%s: [%s]: %s", ctx->name, label, msg);
  return FALSE;
}

static gboolean
check_range (const RsKey *d, double v, const RsParseCtx *ctx, int layer,
             const char *what, GError **error)
{
  gboolean low_ok = (d->flags & RS_KEY_MIN_EXCL) ? v > d->min : v >= d->min;
  gboolean high_ok = (d->flags & RS_KEY_MAX_EXCL) ? v < d->max : v <= d->max;
  if (low_ok && high_ok && isfinite (v))
    return TRUE;

  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE], got[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (lo, d->min);
  rs_format_double (hi, d->max);
  rs_format_double (got, v);
  const char *lo_op = (d->flags & RS_KEY_MIN_EXCL) ? ">" : ">=";
  const char *hi_op = (d->flags & RS_KEY_MAX_EXCL) ? "<" : "<=";
  if (isinf (d->max))
    return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                      "%smust be %s %s, got %s", what, lo_op, lo, got);
  return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                    "%smust be %s %s and %s %s, got %s", what, lo_op, lo, hi_op, hi, got);
}

/* ---------------------------------------------------------------------- */
/* Value parsing                                                           */

/* Trims, and cuts a trailing "  # comment" (a '#' after whitespace), so
 * presets can annotate their lines as DESIGN.md shows. */
static char *
clean_value (const char *raw, gboolean verbatim)
{
  char *v = g_strdup (raw);
  if (verbatim)
    return v;
  for (char *p = v; *p; p++)
    if (*p == '#' && p > v && (p[-1] == ' ' || p[-1] == '\t'))
      {
        *p = '\0';
        break;
      }
  return g_strstrip (v);
}

static gboolean
parse_double (const char *s, double *out, const char **why)
{
  if (*s == '\0')
    {
      *why = "is empty, expected a number";
      return FALSE;
    }
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0')
    {
      *why = "is not a number";
      return FALSE;
    }
  if (!isfinite (v) || (errno == ERANGE && v != 0.0))
    {
      *why = "is not a finite number";
      return FALSE;
    }
  if (errno == ERANGE)
    {
      /* Underflow: a lambda of 1e-400 is a typo, not zero. */
      *why = "is too small to represent";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_int64 (const char *s, gint64 *out, const char **why)
{
  if (*s == '\0')
    {
      *why = "is empty, expected a whole number";
      return FALSE;
    }
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (end == s || *end != '\0')
    {
      *why = "is not a whole number";
      return FALSE;
    }
  if (errno == ERANGE)
    {
      *why = "is too large";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_u64 (const char *s, guint64 *out, const char **why)
{
  if (*s == '\0' || *s == '-' || !(g_ascii_isdigit (*s) || *s == '+'))
    {
      *why = *s == '-' ? "must not be negative" : "is not a whole number";
      return FALSE;
    }
  char *end = NULL;
  errno = 0;
  guint64 v = g_ascii_strtoull (s, &end, 10);
  if (end == s || *end != '\0')
    {
      *why = "is not a whole number";
      return FALSE;
    }
  if (errno == ERANGE)
    {
      *why = "is too large";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_bool (const char *s, gboolean *out)
{
  static const char *const yes[] = { "true", "1", "yes" };
  static const char *const no[] = { "false", "0", "no" };
  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (s, yes[i]) == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (s, no[i]) == 0)
        {
          *out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
join_names (const char *const *names, gsize n, const char *extra_after_first)
{
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      if (names[i] == NULL)
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, names[i]);
      if (i == 0 && extra_after_first != NULL)
        g_string_append_printf (s, ", %s", extra_after_first);
    }
  return g_string_free (s, FALSE);
}

/* The sources that name a file or folder: "csv:PATH", "idx:DIR". */
static const struct {
  const char  *prefix;
  RsDataSource source;
  const char  *needs;
} path_sources[] = {
  { "csv:", RS_DATA_CSV, "a file name, as in csv:data/points.csv" },
  { "idx:", RS_DATA_IDX, "a folder, as in idx:/usr/share/datasets/fashion-mnist" },
};

static gboolean
parse_source (RsExperiment *exp, const char *v, const RsParseCtx *ctx, GError **error)
{
  for (gsize k = 0; k < G_N_ELEMENTS (path_sources); k++)
    {
      const char *prefix = path_sources[k].prefix;
      gsize plen = strlen (prefix);
      if (g_ascii_strncasecmp (v, prefix, plen) == 0)
        {
          g_autofree char *file = g_strstrip (g_strdup (v + plen));
          if (*file == '\0')
            return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_DATA, -1, "source",
                              "'%s' needs %s", prefix, path_sources[k].needs);
          g_autofree char *path = g_canonicalize_filename (file, ctx->base_dir);
          /* "csv:data /" names "data ": a preset could not keep that blank
           * (values are trimmed), so the path would not survive a save. */
          gsize len = strlen (path);
          if (len > 0 && g_ascii_isspace (path[len - 1]))
            return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_DATA, -1, "source",
                              "the path '%s' ends in a blank, which a preset can not keep", path);
          g_free (exp->csv_path);
          exp->csv_path = g_steal_pointer (&path);
          exp->source = path_sources[k].source;
          return TRUE;
        }
      if (g_ascii_strncasecmp (v, prefix, plen - 1) == 0 && v[plen - 1] == '\0')
        return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_DATA, -1, "source",
                          "'%.*s' needs %s", (int) plen - 1, prefix, path_sources[k].needs);
    }
  g_autofree char *lower = g_ascii_strdown (v, -1);
  RsDataSource source;
  if (rs_data_source_from_string (lower, &source) && source != RS_DATA_CSV
      && source != RS_DATA_IDX)
    {
      exp->source = source;
      g_clear_pointer (&exp->csv_path, g_free);
      return TRUE;
    }

  const char *cands[N_SOURCES];
  gsize n = 0;
  for (int i = 0; i < N_SOURCES; i++)
    if (i != RS_DATA_CSV && i != RS_DATA_IDX)
      cands[n++] = rs_data_source_to_string ((RsDataSource) i);
  const char *best = closest (v, cands, n);
  if (best != NULL)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_DATA, -1, "source",
                      "unknown source '%s' (did you mean '%s'?)", v, best);
  g_autofree char *list = join_names (cands, n, "csv:PATH, idx:DIR");
  return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_DATA, -1, "source",
                    "unknown source '%s' (one of %s)", v, list);
}

static gboolean
check_sizes (const int *sizes, int n_sizes, const RsParseCtx *ctx, GError **error)
{
  if (n_sizes < 2)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                      "needs at least 2 sizes (input and output width), got %d", n_sizes);
  if (n_sizes > RS_MAX_LAYERS + 1)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                      "at most %d sizes (%d layers), got %d", RS_MAX_LAYERS + 1,
                      RS_MAX_LAYERS, n_sizes);
  guint64 params = 0;
  for (int i = 0; i < n_sizes; i++)
    {
      if (sizes[i] < 1 || sizes[i] > RS_MAX_UNITS)
        return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                          "each size must be between 1 and %d, got %d",
                          RS_MAX_UNITS, sizes[i]);
      if (i > 0)
        params += (guint64) sizes[i - 1] * (guint64) sizes[i] + (guint64) sizes[i];
    }
  if (params > RS_MAX_PARAMS)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                      "the model would have %llu parameters, more than the limit of %u",
                      (unsigned long long) params, (unsigned) RS_MAX_PARAMS);
  return TRUE;
}

static gboolean
parse_layers (RsExperiment *exp, const char *v, const RsParseCtx *ctx, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (v, ",", -1);
  int n = (int) g_strv_length (parts);
  if (n > RS_MAX_LAYERS + 1)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                      "at most %d sizes (%d layers), got %d", RS_MAX_LAYERS + 1,
                      RS_MAX_LAYERS, n);
  int sizes[RS_MAX_LAYERS + 1] = { 0 };
  for (int i = 0; i < n; i++)
    {
      const char *s = g_strstrip (parts[i]);
      const char *why = NULL;
      gint64 size = 0;
      if (!parse_int64 (s, &size, &why))
        {
          if (*s == '\0')
            return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                              "expected sizes separated by commas, as in 10,20,5");
          return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                            "'%s' %s", s, why);
        }
      if (size < 1 || size > RS_MAX_UNITS)
        return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_MODEL, -1, "layers",
                          "each size must be between 1 and %d, got %lld",
                          RS_MAX_UNITS, (long long) size);
      sizes[i] = (int) size;
    }
  /* Before anything is allocated: the limit on parameters. */
  if (!check_sizes (sizes, n, ctx, error))
    return FALSE;
  exp->n_layers = n - 1;
  memcpy (exp->sizes, sizes, sizeof (int) * n);
  return TRUE;
}

static gboolean
parse_betas (RsExperiment *exp, const RsKey *d, const char *v,
             const RsParseCtx *ctx, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (v, ",", -1);
  if (g_strv_length (parts) != 2)
    return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_OPTIMIZER, -1, "betas",
                      "expected two numbers separated by a comma, as in 0.9,0.999");
  double b[2];
  for (int i = 0; i < 2; i++)
    {
      const char *s = g_strstrip (parts[i]);
      const char *why = NULL;
      if (!parse_double (s, &b[i], &why))
        return key_error (error, RS_ERROR_VALUE, ctx, RS_SECTION_OPTIMIZER, -1, "betas",
                          "'%s' %s", s, why);
      if (!check_range (d, b[i], ctx, -1, "each beta ", error))
        return FALSE;
    }
  exp->optimizer.beta1 = b[0];
  exp->optimizer.beta2 = b[1];
  return TRUE;
}

/* Parses one value into exp (layer >= 0: into exp->layer[layer]). The one
 * path for files and --set, so both accept exactly the same text. */
static gboolean
parse_key (RsExperiment *exp, int layer, const RsKey *d, const char *raw,
           const RsParseCtx *ctx, GError **error)
{
  g_autofree char *v = clean_value (raw, (d->flags & RS_KEY_VERBATIM) != 0);
  void *field = key_field (exp, d, layer);
  const char *why = NULL;

  switch (d->type)
    {
    case RS_KEY_STRING:
      g_free (*(char **) field);
      *(char **) field = g_steal_pointer (&v);
      /* an empty [sweep] term is no sweep */
      if (d->section == RS_SECTION_SWEEP && **(char **) field == '\0')
        g_clear_pointer ((char **) field, g_free);
      return TRUE;

    case RS_KEY_U64:
      {
        guint64 x = 0;
        if (!parse_u64 (v, &x, &why))
          return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                            "'%s' %s", v, why);
        *(guint64 *) field = x;
        return TRUE;
      }

    case RS_KEY_INT:
    case RS_KEY_INT64:
      {
        gint64 x = 0;
        if (!parse_int64 (v, &x, &why))
          return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                            "'%s' %s", v, why);
        if (!check_range (d, (double) x, ctx, layer, "", error))
          return FALSE;
        if (d->type == RS_KEY_INT64)
          *(gint64 *) field = x;
        else if (x > G_MAXINT)
          return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                            "'%s' is too large", v);
        else
          *(int *) field = (int) x;
        return TRUE;
      }

    case RS_KEY_DOUBLE:
      {
        double x = 0;
        if (!parse_double (v, &x, &why))
          return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                            "'%s' %s", v, why);
        if (!check_range (d, x, ctx, layer, "", error))
          return FALSE;
        *(double *) field = x;
        return TRUE;
      }

    case RS_KEY_BOOL:
      if (!parse_bool (v, (gboolean *) field))
        return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                          "'%s' is not true or false", v);
      return TRUE;

    case RS_KEY_ENUM:
      for (int i = 0; d->values[i] != NULL; i++)
        if (g_ascii_strcasecmp (v, d->values[i]) == 0)
          {
            *(int *) field = i;
            return TRUE;
          }
      {
        gsize n = g_strv_length ((char **) d->values);
        /* "50" is not a misspelt "10": list the values instead. */
        const char *best = g_ascii_isdigit (*v) ? NULL
                           : closest (v, (const char *const *) d->values, n);
        g_autofree char *list = join_names (d->values, n, NULL);
        if (best != NULL)
          return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                            "unknown value '%s' (did you mean '%s'?)", v, best);
        return key_error (error, RS_ERROR_VALUE, ctx, d->section, layer, d->name,
                          "unknown value '%s' (one of %s)", v, list);
      }

    case RS_KEY_SOURCE:
      return parse_source (exp, v, ctx, error);

    case RS_KEY_LAYERS:
      return parse_layers (exp, v, ctx, error);

    case RS_KEY_BETAS:
      return parse_betas (exp, d, v, ctx, error);
    }
  g_assert_not_reached ();
}

/* ---------------------------------------------------------------------- */
/* Validation                                                              */

static gboolean
validate_named (const RsExperiment *exp, const char *name, GError **error)
{
  RsParseCtx ctx = { name, NULL };

  if (exp->title == NULL || exp->description == NULL)
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_EXPERIMENT, -1,
                      exp->title == NULL ? "title" : "description", "is missing");

  if (exp->label_column == NULL || !rs_csv_label_column_is_valid (exp->label_column))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_DATA, -1, "label-column",
                      "expected 'last', a column's position from 1 or its name in the "
                      "header, got '%s'", exp->label_column ? exp->label_column : "");

  /* The enums first: the table lookups below index by them. */
  if ((unsigned) exp->source >= N_SOURCES)
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_DATA, -1, "source",
                      "unknown source %d", (int) exp->source);
  if ((unsigned) exp->activation >= g_strv_length ((char **) rs_activation_names))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_MODEL, -1, "activation",
                      "unknown activation %d", (int) exp->activation);
  if ((unsigned) exp->loss >= g_strv_length ((char **) rs_loss_names))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_MODEL, -1, "loss",
                      "unknown loss %d", (int) exp->loss);
  if ((unsigned) exp->optimizer.kind >= g_strv_length ((char **) rs_optimizer_names))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_OPTIMIZER, -1, "name",
                      "unknown optimizer %d", (int) exp->optimizer.kind);

  if (exp->n_layers < 1 || exp->n_layers > RS_MAX_LAYERS)
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_MODEL, -1, "layers",
                      "needs between 1 and %d layers, got %d", RS_MAX_LAYERS,
                      exp->n_layers);
  if (!check_sizes (exp->sizes, exp->n_layers + 1, &ctx, error))
    return FALSE;

  /* Every number in the table, with the same ranges as the parser. */
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *d = key_at (i);
      if (d->flags & RS_KEY_EVENT_ONLY)
        continue; /* beta1, beta2: checked as betas */
      int n_blocks = d->section == RS_SECTION_LAYER ? exp->n_layers : 1;
      for (int l = 0; l < n_blocks; l++)
        {
          const void *field = key_field_const (exp, d, l);
          int layer = d->section == RS_SECTION_LAYER ? l : -1;
          switch (d->type)
            {
            case RS_KEY_INT:
              if (!check_range (d, *(const int *) field, &ctx, layer, "", error))
                return FALSE;
              break;
            case RS_KEY_INT64:
              /* steps = 0 means "run by epochs"; only a file must say >= 1. */
              if (*(const gint64 *) field != 0
                  && !check_range (d, (double) *(const gint64 *) field, &ctx, layer, "", error))
                return FALSE;
              break;
            case RS_KEY_DOUBLE:
              if (!check_range (d, *(const double *) field, &ctx, layer, "", error))
                return FALSE;
              if (d->flags & RS_KEY_TERM)
                {
                  g_autofree char *sname = g_strconcat (d->name, SUGGESTED_SUFFIX, NULL);
                  RsKey scratch;
                  const RsKey *sd = preset_key (d->section, sname, &scratch);
                  if (!check_range (sd, *(const double *) key_field_const (exp, sd, l), &ctx,
                                    layer, "", error))
                    return FALSE;
                }
              break;
            case RS_KEY_ENUM:
              if ((unsigned) *(const int *) field >= g_strv_length ((char **) d->values))
                return key_error (error, RS_ERROR_VALUE, &ctx, d->section, layer, d->name,
                                  "unknown value %d", *(const int *) field);
              break;
            case RS_KEY_BETAS:
              if (!check_range (d, exp->optimizer.beta1, &ctx, -1, "each beta ", error)
                  || !check_range (d, exp->optimizer.beta2, &ctx, -1, "each beta ", error))
                return FALSE;
              break;
            default:
              break;
            }
        }
    }

  /* The output layer's outputs are the prediction the loss reads. */
  if (exp->layer[exp->n_layers - 1].dropout > 0)
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_LAYER, exp->n_layers - 1,
                      "dropout", "applies to hidden layers only; fc%d is the output layer",
                      exp->n_layers);

  const RsOptimizerConfig *opt = &exp->optimizer;
  if (opt->kind == RS_OPT_SGD && opt->nesterov
      && (opt->momentum <= 0 || opt->dampening != 0))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_OPTIMIZER, -1, "nesterov",
                      "needs momentum > 0 and dampening = 0 (as in PyTorch)");

  if (exp->early_stopping.patience > 0 && exp->validation <= 0)
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_EARLY_STOPPING, -1, "patience",
                      "early stopping needs a validation set ([data] validation > 0)");

  if ((exp->source == RS_DATA_CSV || exp->source == RS_DATA_IDX)
      && (exp->csv_path == NULL || *exp->csv_path == '\0'))
    return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_DATA, -1, "source",
                      exp->source == RS_DATA_CSV ? "csv: needs a file name"
                                                 : "idx: needs a folder");

  /* Data against model, where the preset fixes the data's shape. */
  const char *src = rs_data_source_to_string (exp->source);
  int in = exp->sizes[0], out = exp->sizes[exp->n_layers];
  if (rs_data_source_is_2d (exp->source))
    {
      if (exp->features != 2)
        return key_error (error, RS_ERROR_SHAPE, &ctx, RS_SECTION_DATA, -1, "features",
                          "the source '%s' makes 2-D points, got %d", src, exp->features);
      if ((exp->source == RS_DATA_MOONS || exp->source == RS_DATA_XOR) && exp->classes != 2)
        return key_error (error, RS_ERROR_SHAPE, &ctx, RS_SECTION_DATA, -1, "classes",
                          "the source '%s' makes 2 classes, got %d", src, exp->classes);
      if (in != 2)
        return key_error (error, RS_ERROR_SHAPE, &ctx, RS_SECTION_MODEL, -1, "layers",
                          "the input width must be 2 for the 2-D source '%s', got %d",
                          src, in);
    }
  else if (source_is_generated (exp->source) && in != exp->features)
    return key_error (error, RS_ERROR_SHAPE, &ctx, RS_SECTION_MODEL, -1, "layers",
                      "the input width %d does not match [data] features=%d",
                      in, exp->features);
  if (source_is_generated (exp->source))
    {
      if (out != exp->classes)
        return key_error (error, RS_ERROR_SHAPE, &ctx, RS_SECTION_MODEL, -1, "layers",
                          "the output width %d does not match [data] classes=%d",
                          out, exp->classes);
      if ((guint64) exp->samples * (guint64) exp->features > RS_MAX_DATA_VALUES)
        return key_error (error, RS_ERROR_VALUE, &ctx, RS_SECTION_DATA, -1, "samples",
                          "%d samples of %d features are more than %u values",
                          exp->samples, exp->features, (unsigned) RS_MAX_DATA_VALUES);
    }
  if (exp->sweep_term != NULL)
    {
      /* the lesson's sweep, checked as --sweep checks one */
      g_autofree char *where = g_strdup_printf ("%s: [sweep]", name);
      RsSweepSpec spec;
      if (!rs_sweep_spec_init (&spec, exp, exp->sweep_term, exp->sweep_from, exp->sweep_to,
                               exp->sweep_points, exp->sweep_linear, where, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rs_experiment_validate (const RsExperiment *exp, GError **error)
{
  g_return_val_if_fail (exp != NULL, FALSE);
  return validate_named (exp, exp->path != NULL ? exp->path : "experiment", error);
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

/* Finds the line GKeyFile stumbled on (its messages carry none): the first
 * line that is neither blank, a comment, a "[group]" nor "key=value" inside
 * a group. 0 when no line looks wrong. */
static int
find_bad_line (const char *data)
{
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  gboolean in_group = FALSE;
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *l = g_strstrip (lines[i]);
      if (*l == '\0' || *l == '#')
        continue;
      if (*l == '[')
        {
          gsize len = strlen (l);
          const char *inner_close = strchr (l + 1, ']');
          if (l[len - 1] != ']' || inner_close != l + len - 1 || strchr (l + 1, '[') != NULL
              || len == 2)
            return i + 1;
          in_group = TRUE;
          continue;
        }
      const char *eq = strchr (l, '=');
      if (!in_group || eq == NULL || eq == l)
        return i + 1;
      g_autofree char *key = g_strstrip (g_strndup (l, eq - l));
      /* A key may carry one "[locale]" suffix and nothing else odd. */
      const char *open = strchr (key, '[');
      if (strchr (key, ']') != NULL && (open == NULL || key[strlen (key) - 1] != ']'))
        return i + 1;
      if (open != NULL && key[strlen (key) - 1] != ']')
        return i + 1;
    }
  return 0;
}

/* GKeyFile silently keeps the last of two equal keys; a lesson that says
 * l1 twice is a mistake worth reporting. Runs on text GKeyFile accepted. */
static gboolean
check_duplicate_keys (const char *data, const char *name, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *l = g_strstrip (lines[i]);
      if (*l == '\0' || *l == '#')
        continue;
      if (*l == '[')
        {
          g_free (group);
          group = g_strndup (l + 1, strlen (l) - 2);
          continue;
        }
      const char *eq = strchr (l, '=');
      if (eq == NULL || group == NULL || strcmp (group, "replay") == 0)
        continue;
      g_autofree char *key = g_strstrip (g_strndup (l, eq - l));
      char *id = g_strdup_printf ("%s\n%s", group, key);
      gpointer first = g_hash_table_lookup (seen, id);
      if (first != NULL)
        {
          g_free (id);
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:%d: [%s] %s: given twice (first on line %d)"),
                       name, i + 1, group, key, GPOINTER_TO_INT (first));
          return FALSE;
        }
      g_hash_table_insert (seen, id, GINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/* "title[de]" and "description[fr]": translations GKeyFile picks by locale. */
static gboolean
is_localized_text_key (RsSection section, const char *key)
{
  if (section != RS_SECTION_EXPERIMENT)
    return FALSE;
  const char *open = strchr (key, '[');
  if (open == NULL)
    return FALSE;
  gsize base = open - key;
  return (base == 5 && strncmp (key, "title", 5) == 0)
         || (base == 11 && strncmp (key, "description", 11) == 0);
}

static gboolean
key_given (GKeyFile *kf, const char *group, const char *key)
{
  return group != NULL && g_key_file_has_key (kf, group, key, NULL);
}

/* The text of title or description, in the locale GKeyFile picks.
 * GLib 2.74's g_key_file_get_locale_string returns a string *and* leaks
 * an error for an invalid escape ("a\ b"), so escapes are checked here
 * first: \s \n \t \r and \\ are the ones a string may use. */
static char *
get_text (GKeyFile *kf, const char *group, const char *key, GError **error)
{
  g_autofree char *locale = g_key_file_get_locale_for_key (kf, group, key, NULL);
  g_autofree char *actual = locale != NULL ? g_strdup_printf ("%s[%s]", key, locale)
                                           : g_strdup (key);
  g_autofree char *raw = g_key_file_get_value (kf, group, actual, error);
  if (raw == NULL)
    return NULL;
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;
      p++;
      if (*p == '\0')
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("a '\\' at the end of the value (write \\\\ for a backslash)"));
          return NULL;
        }
      if (strchr ("sntr\\", *p) == NULL)
        {
          /* The text is valid UTF-8: quote the whole character. */
          int n = (int) (g_utf8_next_char (p) - p);
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("invalid escape '\\%.*s' (write \\\\ for a backslash)"), n, p);
          return NULL;
        }
    }
  return g_key_file_get_string (kf, group, actual, error);
}

/* The untranslated title and description and every translation of them,
 * for the writer (see RsExperiment). The values were checked by get_text. */
static void
keep_localized_text (RsExperiment *exp, GKeyFile *kf, const char *group)
{
  if (group == NULL)
    return;
  g_autoptr (GStrvBuilder) pairs = g_strv_builder_new ();
  gboolean any = FALSE;
  g_auto (GStrv) names = g_key_file_get_keys (kf, group, NULL, NULL);
  for (int k = 0; names != NULL && names[k] != NULL; k++)
    if (is_localized_text_key (RS_SECTION_EXPERIMENT, names[k]))
      {
        g_autofree char *raw = g_key_file_get_value (kf, group, names[k], NULL);
        g_strv_builder_add (pairs, names[k]);
        g_strv_builder_add (pairs, raw != NULL ? raw : "");
        any = TRUE;
      }
  if (!any)
    return;
  exp->localized_text = g_strv_builder_end (pairs);
  g_autofree char *title = g_key_file_get_string (kf, group, "title", NULL);
  g_autofree char *description = g_key_file_get_string (kf, group, "description", NULL);
  if (title != NULL && g_strcmp0 (title, exp->title) != 0)
    exp->title_untranslated = g_steal_pointer (&title);
  if (description != NULL && g_strcmp0 (description, exp->description) != 0)
    exp->description_untranslated = g_steal_pointer (&description);
}

/* The line of `key` in [group] (0: not found). */
static int
line_of_key (const char *text, const char *group, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_group = FALSE;
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *l = g_strstrip (lines[i]);
      if (*l == '[')
        {
          in_group = strlen (l) == strlen (group) + 2 && strncmp (l + 1, group, strlen (group)) == 0;
          continue;
        }
      char *eq = strchr (l, '=');
      if (!in_group || eq == NULL)
        continue;
      *eq = '\0';
      if (strcmp (g_strstrip (l), key) == 0)
        return i + 1;
    }
  return 0;
}

/* [compare]: each line an override of B, checked by rs-twin with the
 * file and the line it is on. */
static gboolean
read_compare (RsExperiment *exp, GKeyFile *kf, const char *group, const char *text,
              const char *name, GError **error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (int k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      g_autofree char *raw = g_key_file_get_value (kf, group, keys[k], NULL);
      g_autofree char *v = clean_value (raw != NULL ? raw : "", FALSE);
      g_ptr_array_add (entries, g_strdup_printf ("%s=%s", keys[k], v));
      int line = line_of_key (text, group, keys[k]);
      g_ptr_array_add (names, line > 0 ? g_strdup_printf ("%s:%d", name, line)
                                       : g_strdup (name));
    }
  g_ptr_array_add (entries, NULL);
  g_ptr_array_add (names, NULL);
  g_autofree char *whole = g_strdup_printf ("%s: [compare]", name);
  return rs_twin_set_compare (exp, (const char *const *) entries->pdata,
                              (const char *const *) names->pdata, whole, error);
}

static RsExperiment *
load_data (const char *data, gsize len, const char *name, const char *base_dir,
           GError **error)
{
  RsParseCtx ctx = { name, base_dir };

  /* Editors on Windows like to start files with a byte order mark. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, len -= 3;
  g_autofree char *text = g_strndup (data, len);
  if (strlen (text) != len)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: not a text file (it contains a NUL byte)"), name);
      return NULL;
    }
  /* Key files are UTF-8; other bytes would end up in the messages below
   * (section names, values), which the window shows as UTF-8. */
  const char *bad = NULL;
  if (!g_utf8_validate_len (text, len, &bad))
    {
      int line = 1;
      for (const char *p = text; p < bad; p++)
        line += *p == '\n';
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:%d: not UTF-8 text (presets are UTF-8)"), name, line);
      return NULL;
    }

  g_autoptr (GKeyFile) kf = g_key_file_new ();
  GError *local = NULL;
  if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local))
    {
      int line = find_bad_line (text);
      if (line > 0)
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: %s", name, line, local->message);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: %s", name, local->message);
      g_error_free (local);
      return NULL;
    }
  if (!check_duplicate_keys (text, name, error))
    return NULL;

  /* Pass 1: every section and key must be known, before any value counts. */
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  const char *group_of[RS_SECTION_UNKNOWN] = { NULL };
  int max_layer = -1;
  for (int g = 0; groups[g] != NULL; g++)
    {
      int layer = -1;
      RsSection section = classify_section (groups[g], &layer);
      if (section == RS_SECTION_UNKNOWN)
        {
          g_autofree char *hint = section_hint (groups[g]);
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [%s]: unknown section%s"),
                       name, groups[g], hint);
          return NULL;
        }
      if (section == RS_SECTION_REPLAY)
        continue; /* owned by the session replay code */
      if (section != RS_SECTION_LAYER)
        group_of[section] = groups[g];
      if (section == RS_SECTION_COMPARE)
        continue; /* its keys name settings: read by rs-twin below */
      max_layer = MAX (max_layer, layer);

      g_auto (GStrv) names = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      for (int k = 0; names != NULL && names[k] != NULL; k++)
        {
          RsKey scratch;
          if (preset_key (section, names[k], &scratch) != NULL
              || is_localized_text_key (section, names[k]))
            continue;
          g_autofree char *hint = key_hint (section, names[k]);
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [%s] %s: unknown key%s"),
                       name, groups[g], names[k], hint);
          return NULL;
        }
    }

  /* Pass 2: values, in table order, so [model] is known before the layers. */
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *d = key_at (i);
      if (d->section == RS_SECTION_LAYER || !key_given (kf, group_of[d->section], d->name))
        continue;
      g_autofree char *raw = NULL;
      if (d->type == RS_KEY_STRING)
        raw = get_text (kf, group_of[d->section], d->name, &local);
      else
        raw = g_key_file_get_value (kf, group_of[d->section], d->name, &local);
      if (raw == NULL)
        {
          key_error (error, RS_ERROR_PARSE, &ctx, d->section, -1, d->name, "%s",
                     local->message);
          g_error_free (local);
          return NULL;
        }
      if (!parse_key (exp, -1, d, raw, &ctx, error))
        return NULL;
    }

  keep_localized_text (exp, kf, group_of[RS_SECTION_EXPERIMENT]);

  if (max_layer >= exp->n_layers)
    {
      g_autofree char *msg = too_few_layers (exp->n_layers);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: [layer fc%d]: %s"),
                   name, max_layer + 1, msg);
      return NULL;
    }
  for (int l = 0; l <= max_layer; l++)
    {
      g_autofree char *group = g_strdup_printf ("layer fc%d", l + 1);
      if (!g_key_file_has_group (kf, group))
        continue;
      for (gsize i = 0; i < n_keys (); i++)
        {
          const RsKey *d = key_at (i);
          if (d->section != RS_SECTION_LAYER)
            continue;
          g_autofree char *suggested = g_strconcat (d->name, SUGGESTED_SUFFIX, NULL);
          RsKey scratch;
          const RsKey *given[] = {
            d, (d->flags & RS_KEY_TERM) ? preset_key (d->section, suggested, &scratch) : NULL
          };
          for (gsize j = 0; j < G_N_ELEMENTS (given); j++)
            {
              if (given[j] == NULL || !key_given (kf, group, given[j]->name))
                continue;
              g_autofree char *raw = g_key_file_get_value (kf, group, given[j]->name, NULL);
              if (!parse_key (exp, l, given[j], raw, &ctx, error))
                return NULL;
            }
        }
    }

  /* A 2-D generator fixes the width (and moons/xor the classes): a preset
   * need not repeat what its source already says. */
  if (rs_data_source_is_2d (exp->source))
    {
      if (!key_given (kf, group_of[RS_SECTION_DATA], "features"))
        exp->features = 2;
      if ((exp->source == RS_DATA_MOONS || exp->source == RS_DATA_XOR)
          && !key_given (kf, group_of[RS_SECTION_DATA], "classes"))
        exp->classes = 2;
    }

  if (!validate_named (exp, name, error))
    return NULL;
  if (group_of[RS_SECTION_COMPARE] != NULL
      && !read_compare (exp, kf, group_of[RS_SECTION_COMPARE], text, name, error))
    return NULL;
  return g_steal_pointer (&exp);
}

RsExperiment *
rs_experiment_load_from_data (const char *data, gsize len, const char *name_for_errors,
                              GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  const char *name = name_for_errors != NULL ? name_for_errors : "preset";
  /* Relative csv: paths resolve against the folder name_for_errors names
   * (the working directory when it names none). */
  g_autofree char *dir = g_path_get_dirname (name);
  g_autofree char *base_dir = g_canonicalize_filename (dir, NULL);
  if (len == (gsize) -1)
    len = strlen (data);
  /* The same cap as a preset file: a preset is a few kB. */
  if (len > RS_MAX_PRESET_SIZE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: larger than %u bytes, not a preset"),
                   name, (unsigned) RS_MAX_PRESET_SIZE);
      return NULL;
    }
  return load_data (data, len, name, base_dir, error);
}

RsExperiment *
rs_experiment_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  /* Read with stdio, not g_file_get_contents, to keep the message one
   * short line ("x.ini: No such file or directory") and to cap the size. */
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  GString *buf = g_string_new (NULL);
  char chunk[8192];
  size_t n;
  while ((n = fread (chunk, 1, sizeof chunk, f)) > 0)
    {
      g_string_append_len (buf, chunk, n);
      if (buf->len > RS_MAX_PRESET_SIZE)
        break;
    }
  int read_errno = ferror (f) ? errno : 0;
  fclose (f);
  if (read_errno != 0 || buf->len > RS_MAX_PRESET_SIZE)
    {
      if (read_errno != 0)
        g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", path, g_strerror (read_errno));
      else
        g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: larger than %u bytes, not a preset"),
                     path, (unsigned) RS_MAX_PRESET_SIZE);
      g_string_free (buf, TRUE);
      return NULL;
    }

  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base_dir = g_canonicalize_filename (dir, NULL);
  RsExperiment *exp = load_data (buf->str, buf->len, path, base_dir, error);
  g_string_free (buf, TRUE);
  if (exp != NULL)
    exp->path = g_strdup (path);
  return exp;
}

/* ---------------------------------------------------------------------- */
/* --set                                                                   */

/* "layer fc1.l1", "fc1.l1", "optimizer.lr" -> the key's row (a "-suggested"
 * one made in `scratch`, naming a piece of lhs, which is cut up in place and
 * must outlive it) and its layer; errors begin with `name`. */
static const RsKey *
resolve_key (const RsExperiment *exp, char *lhs, const char *name, int *layer_out,
             RsKey *scratch, GError **error)
{
  g_strstrip (lhs);
  char *dot = strrchr (lhs, '.');
  if (dot == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: expected section.key=value, as in 'layer fc1.l1=0.01'"), name);
      return NULL;
    }
  *dot = '\0';
  const char *section_name = g_strstrip (lhs);
  const char *key = g_strstrip (dot + 1);

  int layer = -1;
  RsSection section = classify_section (section_name, &layer);
  if (section == RS_SECTION_UNKNOWN && (layer = parse_layer_section (section_name, "fc")) >= 0)
    section = RS_SECTION_LAYER;
  if (section == RS_SECTION_UNKNOWN || section == RS_SECTION_REPLAY
      || section == RS_SECTION_COMPARE)
    {
      g_autofree char *hint = section_hint (section_name);
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [%s]: unknown section%s"),
                   name, section_name, hint);
      return NULL;
    }
  const RsKey *d = preset_key (section, key, scratch);
  if (d == NULL)
    {
      g_autofree char *hint = key_hint (section, key);
      g_autofree char *label = section_label (section, layer);
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: [%s] %s: unknown key%s"),
                   name, label, key, hint);
      return NULL;
    }
  if (section == RS_SECTION_LAYER && layer >= exp->n_layers)
    {
      g_autofree char *msg = too_few_layers (exp->n_layers);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: [layer fc%d]: %s"),
                   name, layer + 1, msg);
      return NULL;
    }
  *layer_out = layer;
  return d;
}

const RsKey *
rs_experiment_find_key (const RsExperiment *exp, const char *term, const char *name,
                        int *layer, GError **error)
{
  RsKey scratch;
  g_autofree char *lhs = g_strdup (term);
  const RsKey *d = resolve_key (exp, lhs, name, layer, &scratch, error);
  if (d == &scratch)
    {
      /* a "-suggested" value is not a setting of the run */
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: %s: not a setting of the run",
                   name, term);
      return NULL;
    }
  return d;
}

/* Applies one "section.key=value" to exp (no validation). */
static gboolean
apply_assignment (RsExperiment *exp, const char *assignment, const char *name,
                  GError **error)
{
  const char *eq = strchr (assignment, '=');
  if (eq == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s: expected section.key=value, as in 'layer fc1.l1=0.01'", name);
      return FALSE;
    }
  g_autofree char *lhs = g_strndup (assignment, (gsize) (eq - assignment));
  int layer = -1;
  RsKey scratch;
  const RsKey *d = resolve_key (exp, lhs, name, &layer, &scratch, error);
  if (d == NULL)
    return FALSE;

  RsParseCtx ctx = { name, NULL }; /* csv: paths resolve against the working dir */
  RsDataSource old_source = exp->source;
  if (!parse_key (exp, layer, d, eq + 1, &ctx, error))
    return FALSE;

  if (d->type == RS_KEY_LAYERS)
    {
      /* Layers that still exist keep their settings; the rest start clean. */
      for (int l = exp->n_layers; l < RS_MAX_LAYERS; l++)
        {
          rs_layer_reg_init_default (&exp->layer[l]);
          memset (&exp->suggested[l], 0, sizeof exp->suggested[l]);
        }
    }
  else if (d->type == RS_KEY_SOURCE && exp->source != old_source && rs_data_source_is_2d (exp->source))
    {
      /* As in a file: a 2-D generator implies its width (and moons/xor
       * their two classes). */
      exp->features = 2;
      if (exp->source == RS_DATA_MOONS || exp->source == RS_DATA_XOR)
        exp->classes = 2;
    }
  else if (d->section == RS_SECTION_EXPERIMENT && strcmp (d->name, "epochs") == 0)
    {
      /* Asking for epochs on the command line means "run by epochs", even
       * when the preset counted steps. */
      exp->steps = 0;
    }
  return TRUE;
}

gboolean
rs_experiment_set_named (RsExperiment *exp, const char *const *assignments,
                         const char *const *names, const char *name, GError **error)
{
  g_return_val_if_fail (exp != NULL, FALSE);
  if (assignments == NULL || assignments[0] == NULL)
    return TRUE;

  /* Work on a copy so a failed --set leaves the experiment as it was. */
  g_autoptr (RsExperiment) copy = rs_experiment_copy (exp);
  for (int i = 0; assignments[i] != NULL; i++)
    if (!apply_assignment (copy, assignments[i], names[i], error))
      return FALSE;
  if (!validate_named (copy, name, error))
    return FALSE;

  RsExperiment tmp = *exp;
  *exp = *copy;
  *copy = tmp;
  return TRUE;
}

gboolean
rs_experiment_set_many (RsExperiment *exp, const char *const *assignments, GError **error)
{
  g_return_val_if_fail (exp != NULL, FALSE);
  if (assignments == NULL || assignments[0] == NULL)
    return TRUE;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *name = g_string_new (NULL);
  for (int i = 0; assignments[i] != NULL; i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("--set '%s'", assignments[i]));
      g_string_append_printf (name, "%s--set '%s'", i > 0 ? " " : "", assignments[i]);
    }
  gboolean ok = rs_experiment_set_named (exp, assignments, (const char *const *) names->pdata,
                                         name->str, error);
  g_string_free (name, TRUE);
  return ok;
}

gboolean
rs_experiment_set (RsExperiment *exp, const char *assignment, GError **error)
{
  g_return_val_if_fail (assignment != NULL, FALSE);
  const char *one[] = { assignment, NULL };
  return rs_experiment_set_many (exp, one, error);
}

/* ---------------------------------------------------------------------- */
/* Differences, as assignments                                             */

static char *format_key (const RsExperiment *exp, const RsKey *d, const void *field);

/* One value of key d (a "-suggested" row too) in two experiments. */
static gboolean
value_equal (const RsKey *d, const RsExperiment *a, const RsExperiment *b, int layer)
{
  if (d->type == RS_KEY_BETAS)
    return a->optimizer.beta1 == b->optimizer.beta1 && a->optimizer.beta2 == b->optimizer.beta2;
  if (d->type == RS_KEY_STRING || d->type == RS_KEY_SOURCE || d->type == RS_KEY_LAYERS)
    return key_equal (d, a, b, layer);
  return rs_key_get_number (d, (const char *) key_field_const (a, d, layer) - d->offset)
         == rs_key_get_number (d, (const char *) key_field_const (b, d, layer) - d->offset);
}

char **
rs_experiment_diff (const RsExperiment *from, const RsExperiment *to)
{
  /* Each assignment is applied to a copy of `from` as it is made, so that
   * the next key is compared with what set_many will have by then (a new
   * model.layers resets the layers it adds, a 2-D source sets features). */
  g_autoptr (RsExperiment) now = rs_experiment_copy (from);
  GPtrArray *out = g_ptr_array_new ();
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *row = key_at (i);
      if (row->section < RS_SECTION_DATA || row->section > RS_SECTION_LAYER
          || (row->flags & RS_KEY_EVENT_ONLY))
        continue;
      int n_blocks = row->section == RS_SECTION_LAYER ? to->n_layers : 1;
      for (int l = 0; l < n_blocks; l++)
        for (int suggested = 0; suggested < 2; suggested++)
          {
            g_autofree char *name = suggested ? g_strconcat (row->name, SUGGESTED_SUFFIX, NULL)
                                              : g_strdup (row->name);
            RsKey scratch;
            const RsKey *d = suggested ? ((row->flags & RS_KEY_TERM)
                                          ? preset_key (row->section, name, &scratch) : NULL)
                                       : row;
            int layer = row->section == RS_SECTION_LAYER ? l : -1;
            if (d == NULL || value_equal (d, now, to, layer))
              continue;
            g_autofree char *value = format_key (to, d, key_field_const (to, d, layer));
            g_autofree char *lhs = layer >= 0 ? g_strdup_printf ("fc%d", layer + 1)
                                              : g_strdup (rs_section_name (row->section));
            char *assignment = g_strdup_printf ("%s.%s=%s", lhs, name, value);
            g_autoptr (GError) error = NULL;
            if (!apply_assignment (now, assignment, assignment, &error))
              g_warning ("rs_experiment_diff: %s", error->message);
            g_ptr_array_add (out, assignment);
          }
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */

static char *
format_key (const RsExperiment *exp, const RsKey *d, const void *field)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  switch (d->type)
    {
    case RS_KEY_STRING:
      return g_strdup (*(char *const *) field ? *(char *const *) field : "");
    case RS_KEY_U64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) field);
    case RS_KEY_INT:
      return g_strdup_printf ("%d", *(const int *) field);
    case RS_KEY_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(const gint64 *) field);
    case RS_KEY_DOUBLE:
      rs_format_double (a, *(const double *) field);
      return g_strdup (a);
    case RS_KEY_BOOL:
      return g_strdup (*(const gboolean *) field ? "true" : "false");
    case RS_KEY_ENUM:
      return g_strdup (d->values[*(const int *) field]);
    case RS_KEY_SOURCE:
      if (exp->source == RS_DATA_CSV || exp->source == RS_DATA_IDX)
        return g_strconcat (exp->source == RS_DATA_CSV ? "csv:" : "idx:",
                            exp->csv_path ? exp->csv_path : "", NULL);
      return g_strdup (rs_data_source_to_string (exp->source));
    case RS_KEY_LAYERS:
      {
        GString *s = g_string_new (NULL);
        for (int i = 0; i <= exp->n_layers; i++)
          g_string_append_printf (s, "%s%d", i ? "," : "", exp->sizes[i]);
        return g_string_free (s, FALSE);
      }
    case RS_KEY_BETAS:
      rs_format_double (a, exp->optimizer.beta1);
      rs_format_double (b, exp->optimizer.beta2);
      return g_strdup_printf ("%s,%s", a, b);
    }
  g_assert_not_reached ();
}

/* Nothing of an optional section ([early-stopping], [sweep]) to write:
 * every key of it as in the defaults. */
static gboolean
section_is_default (const RsExperiment *exp, RsSection s)
{
  g_autoptr (RsExperiment) def = rs_experiment_new_default ();
  for (gsize i = 0; i < n_keys (); i++)
    if (key_at (i)->section == s && !(key_at (i)->flags & RS_KEY_EVENT_ONLY)
        && !key_equal (key_at (i), exp, def, -1))
      return FALSE;
  return TRUE;
}

/* One section's keys (not [layer fcK]) into kf. */
static void
write_section (GKeyFile *kf, const RsExperiment *exp, RsSection s)
{
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *d = key_at (i);
      if (d->type == RS_KEY_INT64 && exp->steps == 0)
        continue; /* no steps: the run goes by epochs */
      if (d->section != s || (d->flags & RS_KEY_EVENT_ONLY))
        continue;
      const void *field = key_field_const (exp, d, -1);
      g_autofree char *v = format_key (exp, d, field);
      /* the file's own language, whichever the reader's is */
      const char *untranslated =
        d->type != RS_KEY_STRING ? NULL
        : field == &exp->title ? exp->title_untranslated
        : field == &exp->description ? exp->description_untranslated
        : NULL;
      if (untranslated != NULL)
        g_key_file_set_string (kf, rs_section_name (s), d->name, untranslated);
      else if (d->type == RS_KEY_STRING)
        g_key_file_set_string (kf, rs_section_name (s), d->name, v);
      else
        g_key_file_set_value (kf, rs_section_name (s), d->name, v);
    }
  /* and every translation of the title and text, as the file had them */
  for (int i = 0; s == RS_SECTION_EXPERIMENT && exp->localized_text != NULL
                  && exp->localized_text[i] != NULL && exp->localized_text[i + 1] != NULL; i += 2)
    g_key_file_set_value (kf, rs_section_name (s), exp->localized_text[i],
                          exp->localized_text[i + 1]);
}

char *
rs_key_format_value (const RsKey *key, const RsExperiment *exp, int layer)
{
  return format_key (exp, key, key_field_const (exp, key, layer));
}

/* [compare] as text: GKeyFile can not hold an empty group, and an empty
 * [compare] is a twin whose B is A. */
static void
append_compare (GString *ini, const RsExperiment *exp)
{
  if (exp->compare == NULL)
    return;
  g_string_append (ini, "\n[compare]\n");
  for (int i = 0; exp->compare[i] != NULL; i++)
    g_string_append_printf (ini, "%s\n", exp->compare[i]);
}

/* [layer fcK] for layer l, with the suggested values given. */
static void
write_layer (GKeyFile *kf, const RsExperiment *exp, int l)
{
  g_autofree char *group = section_label (RS_SECTION_LAYER, l);
  for (gsize i = 0; i < n_keys (); i++)
    {
      const RsKey *d = key_at (i);
      if (d->section != RS_SECTION_LAYER || (d->flags & RS_KEY_EVENT_ONLY))
        continue;
      g_autofree char *v = format_key (exp, d, key_field_const (exp, d, l));
      g_key_file_set_value (kf, group, d->name, v);
      g_autofree char *suggested = g_strconcat (d->name, SUGGESTED_SUFFIX, NULL);
      RsKey scratch;
      const RsKey *sd = (d->flags & RS_KEY_TERM)
                        ? preset_key (d->section, suggested, &scratch) : NULL;
      if (sd != NULL && *(const double *) key_field_const (exp, sd, l) > 0)
        {
          g_autofree char *sv = format_key (exp, sd, key_field_const (exp, sd, l));
          g_key_file_set_value (kf, group, sd->name, sv);
        }
    }
}

char *
rs_experiment_to_ini (const RsExperiment *exp)
{
  g_return_val_if_fail (exp != NULL, NULL);

  /* GKeyFile does the escaping of free text (newlines, backslashes). */
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  for (int s = RS_SECTION_EXPERIMENT; s < RS_SECTION_LAYER; s++)
    {
      if (s == RS_SECTION_EARLY_STOPPING && section_is_default (exp, s))
        continue;
      write_section (kf, exp, s);
    }
  for (int l = 0; l < exp->n_layers && l < RS_MAX_LAYERS; l++)
    {
      if (layer_reg_is_default (exp, l))
        continue;
      write_layer (kf, exp, l);
    }
  if (!section_is_default (exp, RS_SECTION_SWEEP))
    write_section (kf, exp, RS_SECTION_SWEEP);
  g_autofree char *text = g_key_file_to_data (kf, NULL, NULL);
  GString *ini = g_string_new (text);
  append_compare (ini, exp);
  return g_string_free (ini, FALSE);
}
