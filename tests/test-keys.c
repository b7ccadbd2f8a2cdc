/* test-keys.c — the key table holds for every row: each key round-trips
 * through the ini writer and the parser, has a label, refuses a value out
 * of its range with a one-line error naming file, section and key; each
 * control key diffs into one event, applies back, and its text form
 * round-trips. A new row is checked by these without a new test. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-event.h"
#include "rs-experiment.h"
#include "rs-keys.h"

static gboolean
is_number (const RsKey *d)
{
  return d->type == RS_KEY_U64 || d->type == RS_KEY_INT || d->type == RS_KEY_INT64
         || d->type == RS_KEY_DOUBLE || d->type == RS_KEY_BOOL || d->type == RS_KEY_ENUM;
}

/* A value the key takes that differs from `current`. */
static double
other_value (const RsKey *d, double current)
{
  if (d->type == RS_KEY_BOOL)
    return current != 0 ? 0 : 1;
  if (d->type == RS_KEY_ENUM)
    return current == 0 ? 1 : 0;
  double candidates[] = { 0.5, 0.25, 3, 7, 0.001, 1e-7 };
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != current && rs_key_accepts (d, candidates[i]))
      return candidates[i];
  g_error ("no other value for %s", d->name);
}

/* One below the minimum or one above the maximum (the bound itself when
 * it is excluded). */
static double
out_of_range (const RsKey *d)
{
  if (isfinite (d->max) && d->max > d->min)
    return (d->flags & RS_KEY_MAX_EXCL) ? d->max : d->max + 1;
  return (d->flags & RS_KEY_MIN_EXCL) ? d->min : d->min - 1;
}

static char *
section_of (const RsKey *d)
{
  return d->section == RS_SECTION_LAYER ? g_strdup ("layer fc2")
                                        : g_strdup (rs_section_name (d->section));
}

static void
test_every_key_round_trips (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  g_assert_cmpuint (n, >, 20);
  int checked = 0;
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (!is_number (d) || (d->flags & RS_KEY_EVENT_ONLY))
        continue;
      g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
      /* A 3-layer model, so [layer fc2] exists; the key set on fc2 only. */
      g_autoptr (GError) error = NULL;
      /* (and a validation set, which early stopping needs) */
      const char *shape[] = { "model.layers=10,6,6,5", "data.validation=0.2", NULL };
      g_assert_true (rs_experiment_set_many (exp, shape, &error));
      /* What other keys must agree with: nesterov needs SGD with
       * momentum, the model's widths follow the data's. */
      exp->optimizer.kind = RS_OPT_SGD;
      exp->optimizer.momentum = 0.9;
      void *block = rs_key_block (d, exp, 1);
      double v = other_value (d, rs_key_get_number (d, block));
      g_assert_true (rs_key_set_number (d, block, v));
      exp->sizes[0] = exp->features;
      exp->sizes[exp->n_layers] = exp->classes;
      rs_experiment_validate (exp, &error);
      g_assert_no_error (error);

      g_autofree char *ini = rs_experiment_to_ini (exp);
      g_autoptr (RsExperiment) back = rs_experiment_load_from_data (ini, -1, "keys.ini", &error);
      g_assert_no_error (error);
      g_assert_true (rs_experiment_equal (exp, back));
      g_assert_cmpfloat (rs_key_get_number (d, rs_key_block (d, back, 1)), ==, v);

      /* --set takes the value as the writer wrote it. */
      g_autoptr (RsExperiment) set = rs_experiment_new_default ();
      g_autofree char *section = section_of (d);
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_assert_true (g_key_file_load_from_data (kf, ini, -1, G_KEY_FILE_NONE, NULL));
      g_autofree char *text = g_key_file_get_value (kf, section, d->name, NULL);
      g_assert_nonnull (text);
      g_autofree char *assign = g_strdup_printf ("%s.%s=%s", section, d->name, text);
      g_autofree char *layers = g_strdup_printf ("model.layers=%d,6,6,%d", exp->sizes[0],
                                                 exp->sizes[3]);
      g_autofree char *features = g_strdup_printf ("data.features=%d", exp->features);
      g_autofree char *classes = g_strdup_printf ("data.classes=%d", exp->classes);
      const char *sets[] = { layers, features, classes, "optimizer.name=sgd",
                             "optimizer.momentum=0.9", "data.validation=0.2", assign, NULL };
      g_assert_true (rs_experiment_set_many (set, sets, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (rs_key_get_number (d, rs_key_block (d, set, 1)), ==, v);
      checked++;
    }
  g_assert_cmpint (checked, >, 20);
}

static void
test_every_key_has_a_label (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      g_assert_nonnull (d->label);
      g_assert_cmpuint (strlen (d->label), >, 0);
      g_assert_nonnull (rs_key_find (d->section, d->name));
      g_assert_true (rs_key_find (d->section, d->name) == d); /* no name twice */
      if (d->type == RS_KEY_ENUM)
        {
          g_assert_nonnull (d->values);
          if (d->value_labels != NULL)
            g_assert_cmpuint (g_strv_length ((char **) d->value_labels), ==,
                              g_strv_length ((char **) d->values));
        }
      /* A switchable term is a per-layer strength, off at 0. */
      if (d->flags & RS_KEY_TERM)
        {
          g_assert_cmpint (d->section, ==, RS_SECTION_LAYER);
          g_assert_cmpint (d->type, ==, RS_KEY_DOUBLE);
          g_assert_true (rs_key_accepts (d, 0));
          g_assert_nonnull (d->help);
        }
      /* Control keys of other sections are found by name alone. */
      if ((d->flags & RS_KEY_CONTROL) && d->section != RS_SECTION_LAYER)
        g_assert_true (rs_key_find_global_control (d->name) == d);
    }
}

static char *
fill_template (const char *line, const char *name, const char *k)
{
  g_auto (GStrv) a = g_strsplit (line, "{name}", -1);
  g_autofree char *with_name = g_strjoinv (name, a);
  g_auto (GStrv) b = g_strsplit (with_name, "{k}", -1);
  return g_strjoinv (k, b);
}

/* Every line of `templates[variant]` is in the script, filled for fc2
 * (or, with `present` FALSE, none is). */
static void
assert_template_lines (const char *py, const char *const *templates, int variant,
                       const char *name, gboolean present)
{
  g_auto (GStrv) lines = g_strsplit (templates[variant], "\n", -1);
  for (int j = 0; lines[j] != NULL; j++)
    {
      g_autofree char *line = fill_template (lines[j], name, "2");
      if ((strstr (py, line) != NULL) != present)
        g_error ("%s in the script:\n%s\n---\n%s", present ? "missing" : "unexpected",
                 line, py);
    }
}

/* A layer term with PyTorch templates writes them, filled in, exactly
 * when it is on, in the variant its variant key picks; off, it writes
 * none of them. */
static void
test_python_templates (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (d->python_loss == NULL && d->python_forward == NULL && d->python_step == NULL)
        continue;
      g_assert_cmpint (d->section, ==, RS_SECTION_LAYER);
      g_assert_nonnull (d->python);
      const RsKey *by = d->python_variant ? rs_key_find (RS_SECTION_LAYER, d->python_variant)
                                          : NULL;
      int n_variants = 1;
      if (d->python_variant != NULL)
        {
          g_assert_nonnull (by);
          g_assert_true (by->type == RS_KEY_BOOL || by->type == RS_KEY_ENUM);
          n_variants = by->type == RS_KEY_BOOL ? 2 : (int) g_strv_length ((char **) by->values);
        }
      for (int v = 0; v < n_variants; v++)
        {
          g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
          g_assert_cmpint (exp->n_layers, >=, 2);
          g_autofree char *off = rs_experiment_to_pytorch (exp);
          g_assert_true (rs_key_set_number (d, &exp->layer[1], other_value (d, 0)));
          if (by != NULL)
            g_assert_true (rs_key_set_number (by, &exp->layer[1], v));
          g_autofree char *py = rs_experiment_to_pytorch (exp);
          const char *const *sets[] = { d->python_loss, d->python_forward, d->python_step };
          for (gsize t = 0; t < G_N_ELEMENTS (sets); t++)
            {
              if (sets[t] == NULL)
                continue;
              int n_t = (int) g_strv_length ((char **) sets[t]);
              g_assert_cmpint (n_t, >=, 1);
              g_assert_cmpint (n_t, <=, n_variants);
              assert_template_lines (py, sets[t], v < n_t ? v : 0, d->python, TRUE);
              assert_template_lines (off, sets[t], v < n_t ? v : 0, d->python, FALSE);
            }
        }
    }
}

static void
test_out_of_range_refused (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  int checked = 0;
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (d->flags & RS_KEY_EVENT_ONLY)
        continue;
      char bad[G_ASCII_DTOSTR_BUF_SIZE];
      if (d->type == RS_KEY_BOOL)
        g_strlcpy (bad, "maybe", sizeof bad);
      else if (d->type == RS_KEY_ENUM)
        g_strlcpy (bad, "nonsense", sizeof bad);
      else if (d->type == RS_KEY_U64)
        g_strlcpy (bad, "-1", sizeof bad);
      else if (d->type == RS_KEY_INT || d->type == RS_KEY_INT64 || d->type == RS_KEY_DOUBLE)
        {
          g_assert_false (rs_key_accepts (d, out_of_range (d)));
          rs_format_double (bad, out_of_range (d));
        }
      else
        continue;
      g_autofree char *section = section_of (d);
      g_autofree char *text = g_strdup_printf ("[model]\nlayers=10,6,6,5\n[%s]\n%s=%s\n",
                                               section, d->name, bad);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (text, -1, "keys.ini", &error);
      g_assert_null (exp);
      g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
      g_autofree char *where = g_strdup_printf ("keys.ini: [%s] %s: ", section, d->name);
      if (!g_str_has_prefix (error->message, where))
        g_error ("%s=%s: '%s' does not start with '%s'", d->name, bad, error->message, where);
      g_assert_null (strchr (error->message, '\n'));
      checked++;
    }
  g_assert_cmpint (checked, >, 20);
}

static void
test_controls_diff_apply (void)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  int per_section[RS_SECTION_UNKNOWN] = { 0 };
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (!(d->flags & RS_KEY_CONTROL))
        continue;
      g_assert_cmpint (++per_section[d->section], <=, RS_EVENT_MAX_DIFF);
      g_assert_true (d->section == RS_SECTION_LAYER || d->section == RS_SECTION_OPTIMIZER
                     || d->section == RS_SECTION_MODEL || d->section == RS_SECTION_DATA
                     || d->section == RS_SECTION_EARLY_STOPPING);

      g_autoptr (RsExperiment) a = rs_experiment_new_default ();
      g_autoptr (RsExperiment) b = rs_experiment_copy (a);
      int layer = d->section == RS_SECTION_LAYER ? 1 : -1;
      void *block = rs_key_block (d, b, layer);
      double v = other_value (d, rs_key_get_number (d, block));
      g_assert_true (rs_key_set_number (d, block, v));

      RsEvent events[RS_EVENT_MAX_DIFF];
      int count = layer >= 0
        ? rs_event_diff_layer (&a->layer[1], &b->layer[1], 1, 42, events)
        : rs_event_diff_globals (a, b, 42, events);
      g_assert_cmpint (count, ==, 1);
      g_assert_cmpstr (events[0].key, ==, d->name);
      g_assert_cmpint (events[0].layer, ==, layer);
      g_assert_cmpfloat (events[0].new_value, ==, v);

      /* Applied to the old settings, it gives the new ones. */
      g_autoptr (GError) error = NULL;
      g_assert_true (rs_event_apply (&events[0], a, &error));
      g_assert_no_error (error);
      g_assert_true (rs_experiment_equal (a, b));

      /* The text form round-trips, bit for bit. */
      g_autofree char *text = rs_event_to_string (&events[0]);
      RsEvent back;
      g_assert_true (rs_event_from_string (text, &back, &error));
      g_assert_cmpmem (&back, sizeof back, &events[0], sizeof events[0]);

      /* The label names the key as the table words it. */
      g_autofree char *label = rs_event_describe (&events[0]);
      g_assert_nonnull (strstr (label, d->label));

      /* A value out of range is refused, naming step and key. */
      RsEvent wrong = events[0];
      wrong.new_value = d->type == RS_KEY_BOOL ? 2 : d->type == RS_KEY_ENUM ? 99
                                                   : out_of_range (d);
      g_autoptr (RsExperiment) before = rs_experiment_copy (a);
      g_assert_false (rs_event_apply (&wrong, a, &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
      g_autofree char *want = g_strdup_printf ("event at step 42: %s: ", d->name);
      g_assert_true (g_str_has_prefix (error->message, want));
      g_assert_true (rs_experiment_equal (a, before));
    }
  g_assert_cmpint (per_section[RS_SECTION_LAYER], >=, 6);
  g_assert_cmpint (per_section[RS_SECTION_OPTIMIZER], >=, 8);
  g_assert_cmpint (per_section[RS_SECTION_MODEL], >=, 1);
  g_assert_cmpint (per_section[RS_SECTION_DATA], ==, 1); /* input-noise */
  g_assert_cmpint (per_section[RS_SECTION_EARLY_STOPPING], ==, 5);
}

static void
test_event_unknown_key (void)
{
  RsEvent e = { .step = 3, .layer = 0, .old_value = 0, .new_value = 1 };
  g_strlcpy (e.key, "lr", sizeof e.key); /* an optimizer key on a layer */
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;
  g_assert_false (rs_event_apply (&e, exp, &error));
  g_assert_cmpstr (error->message, ==, "event at step 3: unknown key 'lr'");
}

static RsExperiment *
load (const char *text, GError **error)
{
  return rs_experiment_load_from_data (text, -1, "lesson.ini", error);
}

/* A term that starts off carries the value its switch turns it on at. */
static void
test_suggested_value (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = load ("[layer fc1]\nweight-decay-suggested=0.05\n", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (exp->layer[0].weight_decay, ==, 0);
  g_assert_false (rs_layer_reg_is_active (&exp->layer[0]));
  g_assert_cmpfloat (rs_experiment_get_suggested (exp, 0, "weight-decay"), ==, 0.05);
  g_assert_cmpfloat (rs_experiment_get_suggested (exp, 0, "l1"), ==, 0);
  g_assert_cmpfloat (rs_experiment_get_suggested (exp, 1, "weight-decay"), ==, 0);
  g_autofree char *ini = rs_experiment_to_ini (exp);
  g_assert_nonnull (strstr (ini, "[layer fc1]\n"));
  g_assert_nonnull (strstr (ini, "\nweight-decay-suggested=0.05\n"));
  g_assert_null (strstr (ini, "l1-suggested"));

  /* Every switchable term, through --set, the writer and the parser. */
  gsize n;
  const RsKey *keys = rs_keys (&n);
  int terms = 0;
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (!(d->flags & RS_KEY_TERM))
        continue;
      g_autoptr (RsExperiment) e = rs_experiment_new_default ();
      g_autofree char *set = g_strdup_printf ("fc2.%s-suggested=0.25", d->name);
      g_assert_true (rs_experiment_set (e, set, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (rs_experiment_get_suggested (e, 1, d->name), ==, 0.25);
      g_assert_cmpfloat (rs_key_get_number (d, &e->layer[1]), ==, 0);
      g_autoptr (RsExperiment) plain = rs_experiment_new_default ();
      g_assert_false (rs_experiment_equal (e, plain));
      g_autofree char *text = rs_experiment_to_ini (e);
      g_autoptr (RsExperiment) back = load (text, &error);
      g_assert_no_error (error);
      g_assert_true (rs_experiment_equal (e, back));
      g_assert_cmpfloat (rs_experiment_get_suggested (back, 1, d->name), ==, 0.25);

      /* A suggestion is a strength like the term's own: the same range. */
      g_autofree char *bad = g_strdup_printf ("fc1.%s-suggested=-1", d->name);
      g_assert_false (rs_experiment_set (e, bad, &error));
      g_autofree char *range = rs_key_describe_range (d);
      g_autofree char *want = g_strdup_printf ("--set '%s': [layer fc1] %s-suggested: "
                                               "%s, got -1", bad, d->name, range);
      g_assert_cmpstr (error->message, ==, want);
      g_clear_error (&error);

      /* A layer the model loses takes its suggestions with it. */
      g_assert_true (rs_experiment_set (e, "model.layers=10,5", &error));
      g_assert_true (rs_experiment_set (e, "model.layers=10,20,5", &error));
      g_assert_cmpfloat (rs_experiment_get_suggested (e, 1, d->name), ==, 0);
      terms++;
    }
  g_assert_cmpint (terms, >=, 4);

  /* Only switchable terms have one. */
  const char *refused[] = { "[layer fc1]\nl1-bias-suggested=true\n",
                            "[optimizer]\nlr-suggested=0.1\n" };
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (RsExperiment) r = load (refused[i], &error);
      g_assert_null (r);
      g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, "unknown key"));
      g_clear_error (&error);
    }
}

/* [experiment] speed: one of the speeds the window offers. */
static void
test_speed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) plain = rs_experiment_new_default ();
  g_assert_cmpfloat (rs_experiment_get_speed (plain), ==, 100);
  struct { const char *text; double steps_per_second; } cases[] = {
    { "10", 10 }, { "100", 100 }, { "1000", 1000 }, { "max", 0 }, { "MAX", 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("[experiment]\nspeed=%s\n", cases[i].text);
      g_autoptr (RsExperiment) exp = load (text, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (rs_experiment_get_speed (exp), ==, cases[i].steps_per_second);
      g_autofree char *ini = rs_experiment_to_ini (exp);
      g_autoptr (RsExperiment) back = load (ini, &error);
      g_assert_cmpfloat (rs_experiment_get_speed (back), ==, cases[i].steps_per_second);
    }
  g_autoptr (RsExperiment) bad = load ("[experiment]\nspeed=50\n", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "lesson.ini: [experiment] speed: unknown value '50' "
                                       "(one of 10, 100, 1000, max)");
}

/* Every regularization term explains itself on hover: its formula and what
 * it does to the gradient, in the engine's convention, written once in
 * its row. The switchable terms are found by their flag; the others are
 * named here. */
static void
test_every_term_has_a_formula (void)
{
  static const struct { RsSection section; const char *name; } named[] = {
    { RS_SECTION_LAYER, "l1" },
    { RS_SECTION_LAYER, "l2" },
    { RS_SECTION_LAYER, "weight-decay" },
    { RS_SECTION_LAYER, "activity" },
    { RS_SECTION_LAYER, "dropout" },
    { RS_SECTION_LAYER, "max-norm" },
    { RS_SECTION_MODEL, "label-smoothing" },
    { RS_SECTION_DATA, "input-noise" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (named); i++)
    {
      const RsKey *d = rs_key_find (named[i].section, named[i].name);
      g_assert_nonnull (d);
      g_assert_nonnull (d->formula);
    }
  gsize n;
  const RsKey *keys = rs_keys (&n);
  int terms = 0;
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *d = &keys[i];
      if (!(d->flags & RS_KEY_TERM) && d->formula == NULL)
        continue;
      terms++;
      if (d->formula == NULL)
        g_error ("[%s] %s: a term without a formula", rs_section_name (d->section), d->name);
      /* It says what happens to the gradient, or that there is nothing. */
      g_assert_true (strstr (d->formula, "radient") != NULL);
      g_assert_cmpuint (strlen (d->formula), <, 400);
    }
  g_assert_cmpint (terms, >=, (int) G_N_ELEMENTS (named));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/keys/every-key-round-trips", test_every_key_round_trips);
  g_test_add_func ("/engine/keys/every-key-has-a-label", test_every_key_has_a_label);
  g_test_add_func ("/engine/keys/out-of-range-refused", test_out_of_range_refused);
  g_test_add_func ("/engine/keys/controls-diff-apply-text", test_controls_diff_apply);
  g_test_add_func ("/engine/keys/event-unknown-key", test_event_unknown_key);
  g_test_add_func ("/engine/keys/suggested-value", test_suggested_value);
  g_test_add_func ("/engine/keys/speed", test_speed);
  g_test_add_func ("/engine/keys/python-templates", test_python_templates);
  g_test_add_func ("/engine/keys/every-term-has-a-formula", test_every_term_has_a_formula);
  return g_test_run ();
}
