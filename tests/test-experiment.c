/* test-experiment.c — presets: defaults, the seed lessons, every kind of
 * error (with the file, section and key in the message), --set, the .ini
 * round trip and the PyTorch export. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "rs-error.h"
#include "rs-experiment.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

static char *
data_dir (void)
{
  const char *env = g_getenv ("REGSCOPE_DATADIR");
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (RS_TEST_SRCDIR, "..", "data", NULL);
}

static char *
seed_preset_path (const char *name)
{
  g_autofree char *dir = data_dir ();
  return g_build_filename (dir, "presets", name, NULL);
}

static char *
bad_preset_path (const char *name)
{
  return g_build_filename (RS_TEST_SRCDIR, "data", "presets", name, NULL);
}

static RsExperiment *
load_seed (const char *name)
{
  g_autofree char *path = seed_preset_path (name);
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (exp);
  return exp;
}

static RsExperiment *
load_text (const char *text, GError **error)
{
  return rs_experiment_load_from_data (text, strlen (text), "bad.ini", error);
}

/* The error has the domain and code, and its one-line message contains
 * every string after `code` (NULL-terminated). */
static void
assert_error (const GError *error, int code, ...)
{
  g_assert_nonnull (error);
  if (error->domain != RS_ERROR || error->code != code)
    g_error ("expected RS_ERROR code %d, got %s %d: %s", code,
             g_quark_to_string (error->domain), error->code, error->message);
  g_assert_null (strchr (error->message, '\n'));
  va_list ap;
  va_start (ap, code);
  const char *needle;
  while ((needle = va_arg (ap, const char *)) != NULL)
    if (strstr (error->message, needle) == NULL)
      g_error ("message \"%s\" lacks \"%s\"", error->message, needle);
  va_end (ap);
}

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected to find\n  %s\nin:\n%s", needle, haystack);
}

static void
assert_lacks (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("did not expect\n  %s\nin:\n%s", needle, haystack);
}

static void
assert_layer_default (const RsLayerReg *reg)
{
  g_assert_cmpfloat (reg->l1, ==, 0);
  g_assert_true (reg->l1_bias);
  g_assert_cmpfloat (reg->l2, ==, 0);
  g_assert_cmpfloat (reg->weight_decay, ==, 0);
  g_assert_cmpfloat (reg->activity, ==, 0);
  g_assert_cmpint (reg->activity_norm, ==, RS_NORM_L1);
  g_assert_false (rs_layer_reg_is_active (reg));
}

/* Field by field, so a failure says which one differs. */
static void
assert_same_experiment (const RsExperiment *a, const RsExperiment *b)
{
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->description, ==, b->description);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->epochs, ==, b->epochs);
  g_assert_cmpint (a->steps, ==, b->steps);
  g_assert_cmpint (a->eval_every, ==, b->eval_every);
  g_assert_cmpfloat (a->sparsity_threshold, ==, b->sparsity_threshold);

  g_assert_cmpint (a->source, ==, b->source);
  g_assert_cmpstr (a->csv_path, ==, b->csv_path);
  g_assert_cmpint (a->samples, ==, b->samples);
  g_assert_cmpint (a->features, ==, b->features);
  g_assert_cmpint (a->classes, ==, b->classes);
  g_assert_cmpfloat (a->noise, ==, b->noise);
  g_assert_cmpfloat (a->validation, ==, b->validation);
  g_assert_cmpint (a->batch_size, ==, b->batch_size);
  g_assert_cmpint (!a->shuffle, ==, !b->shuffle);
  g_assert_cmpint (!a->standardize, ==, !b->standardize);

  g_assert_cmpint (a->n_layers, ==, b->n_layers);
  for (int i = 0; i <= a->n_layers; i++)
    g_assert_cmpint (a->sizes[i], ==, b->sizes[i]);
  g_assert_cmpint (a->activation, ==, b->activation);
  g_assert_cmpint (a->loss, ==, b->loss);

  g_assert_cmpint (a->optimizer.kind, ==, b->optimizer.kind);
  g_assert_cmpfloat (a->optimizer.lr, ==, b->optimizer.lr);
  g_assert_cmpfloat (a->optimizer.momentum, ==, b->optimizer.momentum);
  g_assert_cmpfloat (a->optimizer.dampening, ==, b->optimizer.dampening);
  g_assert_cmpint (!a->optimizer.nesterov, ==, !b->optimizer.nesterov);
  g_assert_cmpfloat (a->optimizer.beta1, ==, b->optimizer.beta1);
  g_assert_cmpfloat (a->optimizer.beta2, ==, b->optimizer.beta2);
  g_assert_cmpfloat (a->optimizer.eps, ==, b->optimizer.eps);

  for (int l = 0; l < a->n_layers; l++)
    {
      const RsLayerReg *x = &a->layer[l], *y = &b->layer[l];
      g_assert_cmpfloat (x->l1, ==, y->l1);
      g_assert_cmpint (!x->l1_bias, ==, !y->l1_bias);
      g_assert_cmpfloat (x->l2, ==, y->l2);
      g_assert_cmpfloat (x->weight_decay, ==, y->weight_decay);
      g_assert_cmpfloat (x->activity, ==, y->activity);
      g_assert_cmpint (x->activity_norm, ==, y->activity_norm);
    }
  g_assert_true (rs_experiment_equal (a, b));
}

static void
assert_seed_common (const RsExperiment *exp)
{
  g_assert_cmpuint (exp->seed, ==, 0);
  g_assert_cmpint (exp->epochs, ==, 10);
  g_assert_cmpint (exp->steps, ==, 0);
  g_assert_cmpint (exp->source, ==, RS_DATA_RANDOM);
  g_assert_cmpint (exp->samples, ==, 64);
  g_assert_cmpint (exp->features, ==, 10);
  g_assert_cmpint (exp->classes, ==, 5);
  g_assert_cmpfloat (exp->validation, ==, 0);
  g_assert_cmpint (exp->batch_size, ==, 0);
  g_assert_cmpint (exp->n_layers, ==, 2);
  g_assert_cmpint (exp->sizes[0], ==, 10);
  g_assert_cmpint (exp->sizes[1], ==, 20);
  g_assert_cmpint (exp->sizes[2], ==, 5);
  g_assert_cmpint (exp->activation, ==, RS_ACT_RELU);
  g_assert_cmpint (exp->loss, ==, RS_LOSS_CROSS_ENTROPY);
  g_assert_cmpint (exp->optimizer.kind, ==, RS_OPT_ADAM);
  g_assert_cmpfloat (exp->optimizer.lr, ==, 0.001);
  g_assert_nonnull (exp->path);
  /* A teacher reads the description out: two sentences, not empty. */
  g_assert_cmpuint (strlen (exp->title), >, 0);
  g_assert_cmpuint (strlen (exp->description), >, 40);
  assert_layer_default (&exp->layer[1]);
  g_assert_true (rs_experiment_validate (exp, NULL));
}

/* ---------------------------------------------------------------------- */
/* Defaults, copy, names                                                   */

static void
test_defaults (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();

  g_assert_cmpstr (exp->title, ==, "Untitled");
  g_assert_cmpstr (exp->description, ==, "");
  g_assert_cmpuint (exp->seed, ==, 0);
  g_assert_cmpint (exp->epochs, ==, 10);
  g_assert_cmpint (exp->steps, ==, 0);
  g_assert_cmpint (exp->eval_every, ==, 1);
  g_assert_cmpfloat (exp->sparsity_threshold, ==, 1e-3);

  g_assert_cmpint (exp->source, ==, RS_DATA_RANDOM);
  g_assert_null (exp->csv_path);
  g_assert_cmpint (exp->samples, ==, 64);
  g_assert_cmpint (exp->features, ==, 10);
  g_assert_cmpint (exp->classes, ==, 5);
  g_assert_cmpfloat (exp->noise, ==, 0.1);
  g_assert_cmpfloat (exp->validation, ==, 0);
  g_assert_cmpint (exp->batch_size, ==, 0);
  g_assert_true (exp->shuffle);
  g_assert_false (exp->standardize);

  g_assert_cmpint (exp->n_layers, ==, 2);
  g_assert_cmpint (exp->sizes[0], ==, 10);
  g_assert_cmpint (exp->sizes[1], ==, 20);
  g_assert_cmpint (exp->sizes[2], ==, 5);
  g_assert_cmpint (exp->activation, ==, RS_ACT_RELU);
  g_assert_cmpint (exp->loss, ==, RS_LOSS_CROSS_ENTROPY);

  g_assert_cmpint (exp->optimizer.kind, ==, RS_OPT_ADAM);
  g_assert_cmpfloat (exp->optimizer.lr, ==, 0.001);
  g_assert_cmpfloat (exp->optimizer.beta1, ==, 0.9);
  g_assert_cmpfloat (exp->optimizer.beta2, ==, 0.999);
  g_assert_cmpfloat (exp->optimizer.eps, ==, 1e-8);
  g_assert_cmpfloat (exp->optimizer.momentum, ==, 0);
  g_assert_cmpfloat (exp->optimizer.dampening, ==, 0);
  g_assert_false (exp->optimizer.nesterov);

  for (int l = 0; l < RS_MAX_LAYERS; l++)
    assert_layer_default (&exp->layer[l]);
  g_assert_null (exp->path);

  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_validate (exp, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rs_experiment_n_params (exp), ==, 10 * 20 + 20 + 20 * 5 + 5);

  /* An empty preset is the defaults. */
  g_autoptr (RsExperiment) empty = load_text ("", &error);
  g_assert_no_error (error);
  assert_same_experiment (exp, empty);
}

static void
test_copy_free (void)
{
  g_autoptr (RsExperiment) exp = load_seed ("seed-l1.ini");
  g_autoptr (RsExperiment) copy = rs_experiment_copy (exp);

  assert_same_experiment (exp, copy);
  g_assert_cmpstr (copy->path, ==, exp->path);
  /* Deep: the strings are the copy's own. */
  g_assert_true (copy->title != exp->title);
  g_assert_true (copy->description != exp->description);
  g_assert_true (copy->path != exp->path);

  g_assert_true (rs_experiment_set (copy, "data.source=csv:/tmp/x.csv", NULL));
  g_autoptr (RsExperiment) copy2 = rs_experiment_copy (copy);
  g_assert_cmpstr (copy2->csv_path, ==, "/tmp/x.csv");
  g_assert_true (copy2->csv_path != copy->csv_path);

  copy->layer[0].l1 = 0.5;
  g_assert_false (rs_experiment_equal (exp, copy));

  rs_experiment_free (NULL);
  g_assert_null (rs_experiment_copy (NULL));
}

static void
test_names (void)
{
  g_assert_cmpstr (rs_activation_to_string (RS_ACT_RELU), ==, "relu");
  g_assert_cmpstr (rs_activation_to_string (RS_ACT_TANH), ==, "tanh");
  g_assert_cmpstr (rs_activation_to_string (RS_ACT_SIGMOID), ==, "sigmoid");
  g_assert_cmpstr (rs_activation_to_string (RS_ACT_LINEAR), ==, "linear");
  g_assert_cmpstr (rs_optimizer_kind_to_string (RS_OPT_SGD), ==, "sgd");
  g_assert_cmpstr (rs_optimizer_kind_to_string (RS_OPT_ADAM), ==, "adam");
  g_assert_cmpstr (rs_optimizer_kind_to_string (RS_OPT_ADAMW), ==, "adamw");
  g_assert_cmpstr (rs_loss_kind_to_string (RS_LOSS_CROSS_ENTROPY), ==, "cross-entropy");
  g_assert_cmpstr (rs_loss_kind_to_string (RS_LOSS_MSE), ==, "mse");
  g_assert_cmpstr (rs_activity_norm_to_string (RS_NORM_L1), ==, "l1");
  g_assert_cmpstr (rs_activity_norm_to_string (RS_NORM_L2), ==, "l2");

  RsLayerReg reg;
  rs_layer_reg_init_default (&reg);
  assert_layer_default (&reg);
  reg.weight_decay = 0.01;
  g_assert_true (rs_layer_reg_is_active (&reg));
  rs_layer_reg_init_default (&reg);
  reg.activity = 1e-6;
  g_assert_true (rs_layer_reg_is_active (&reg));
  rs_layer_reg_init_default (&reg);
  reg.l1_bias = FALSE;
  reg.activity_norm = RS_NORM_L2;
  g_assert_false (rs_layer_reg_is_active (&reg)); /* switches, no lambda */
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

static void
test_load_seed_presets (void)
{
  g_autoptr (RsExperiment) l2 = load_seed ("seed-l2-weight-decay.ini");
  assert_seed_common (l2);
  g_assert_cmpfloat (l2->layer[0].weight_decay, ==, 0.01);
  g_assert_cmpfloat (l2->layer[0].l1, ==, 0);
  g_assert_cmpfloat (l2->layer[0].l2, ==, 0);
  g_assert_cmpfloat (l2->layer[0].activity, ==, 0);
  g_assert_true (g_str_has_suffix (l2->path, "seed-l2-weight-decay.ini"));

  g_autoptr (RsExperiment) l1 = load_seed ("seed-l1.ini");
  assert_seed_common (l1);
  g_assert_cmpfloat (l1->layer[0].l1, ==, 0.005);
  g_assert_true (l1->layer[0].l1_bias);
  g_assert_cmpfloat (l1->layer[0].weight_decay, ==, 0);
  g_assert_cmpfloat (l1->layer[0].activity, ==, 0);

  g_autoptr (RsExperiment) act = load_seed ("seed-activity.ini");
  assert_seed_common (act);
  g_assert_cmpfloat (act->layer[0].activity, ==, 0.001);
  g_assert_cmpint (act->layer[0].activity_norm, ==, RS_NORM_L1);
  g_assert_cmpfloat (act->layer[0].l1, ==, 0);
  g_assert_cmpfloat (act->layer[0].weight_decay, ==, 0);

  g_assert_cmpstr (l1->title, !=, l2->title);
  g_assert_cmpstr (l1->title, !=, act->title);
}

static void
test_load_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("does-not-exist.ini");
  g_autoptr (RsExperiment) exp = rs_experiment_load (path, &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_IO, "does-not-exist.ini", NULL);
}

static void
test_lenient_syntax (void)
{
  g_autoptr (GError) error = NULL;

  /* Trailing comments, as DESIGN.md writes them; spaces around '='. */
  g_autoptr (RsExperiment) a = load_text ("[experiment]\n"
                                          "title=Lesson #1   \n"
                                          "epochs = 5      # or steps=N\n"
                                          "[data]\n"
                                          "shuffle=No\n"
                                          "standardize=YES\n"
                                          "[optimizer]\n"
                                          "name=AdamW\n"
                                          "betas = 0.8 , 0.99\n",
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->title, ==, "Lesson #1   "); /* free text is kept as written */
  g_assert_cmpint (a->epochs, ==, 5);
  g_assert_false (a->shuffle);
  g_assert_true (a->standardize);
  g_assert_cmpint (a->optimizer.kind, ==, RS_OPT_ADAMW);
  g_assert_cmpfloat (a->optimizer.beta1, ==, 0.8);
  g_assert_cmpfloat (a->optimizer.beta2, ==, 0.99);
  g_assert_null (a->path);

  /* A byte order mark and CRLF line ends. */
  g_autoptr (RsExperiment) b = load_text ("\xEF\xBB\xBF[experiment]\r\nepochs=7\r\n"
                                          "[layer fc2]\r\nl1-bias=0\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->epochs, ==, 7);
  g_assert_false (b->layer[1].l1_bias);

  /* Translations of the free text are accepted. */
  g_autoptr (RsExperiment) c = load_text ("[experiment]\ntitle=Hello\ntitle[de]=Hallo\n"
                                          "description[fr]=Bonjour\n", &error);
  g_assert_no_error (error);
  g_assert_nonnull (c->title);

  /* steps overrides epochs; the epochs stay as given. */
  g_autoptr (RsExperiment) d = load_text ("[experiment]\nepochs=3\nsteps=250\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->epochs, ==, 3);
  g_assert_cmpint (d->steps, ==, 250);

  /* Numbers in any form strtod reads. */
  g_autoptr (RsExperiment) e = load_text ("[layer fc1]\nl1=5e-3\nl2=.25\n"
                                          "[experiment]\nseed=18446744073709551615\n",
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (e->layer[0].l1, ==, 0.005);
  g_assert_cmpfloat (e->layer[0].l2, ==, 0.25);
  g_assert_cmpuint (e->seed, ==, G_MAXUINT64);
}

static void
test_replay_ignored (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = load_text ("[experiment]\nepochs=4\n"
                                            "[replay]\nevents=3\nstep 10=l1 0.1\n"
                                            "events=4\nanything goes=here\n",
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (exp->epochs, ==, 4);
}

static void
test_two_d_sources (void)
{
  g_autoptr (GError) error = NULL;

  /* The 2-D generators imply their width, moons and xor their classes. */
  g_autoptr (RsExperiment) moons = load_text ("[data]\nsource=moons\nsamples=200\n"
                                              "[model]\nlayers=2,16,2\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (moons->source, ==, RS_DATA_MOONS);
  g_assert_cmpint (moons->features, ==, 2);
  g_assert_cmpint (moons->classes, ==, 2);

  g_autoptr (RsExperiment) spirals = load_text ("[data]\nsource=spirals\nclasses=3\n"
                                                "[model]\nlayers=2,32,32,3\nactivation=tanh\n",
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpint (spirals->features, ==, 2);
  g_assert_cmpint (spirals->n_layers, ==, 3);

  /* Builtin and CSV sources take their shape from the file, later. */
  g_autoptr (RsExperiment) iris = load_text ("[data]\nsource=iris\n"
                                             "[model]\nlayers=4,16,3\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (iris->source, ==, RS_DATA_IRIS);
  g_autoptr (RsExperiment) bc = load_text ("[data]\nsource=breast-cancer\n"
                                           "[model]\nlayers=30,2\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bc->source, ==, RS_DATA_BREAST_CANCER);
  g_assert_cmpint (bc->n_layers, ==, 1);
}

static void
test_csv_relative_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("relative-csv.ini");
  g_autoptr (RsExperiment) exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (exp->source, ==, RS_DATA_CSV);
  g_autofree char *expected = g_canonicalize_filename (RS_TEST_SRCDIR "/data/csv/headerless.csv",
                                                       NULL);
  g_assert_cmpstr (exp->csv_path, ==, expected);
  g_assert_true (g_path_is_absolute (exp->csv_path));
  g_assert_true (g_file_test (exp->csv_path, G_FILE_TEST_IS_REGULAR));

  /* From memory: relative to the folder name_for_errors names. */
  const char *text = "[data]\nsource=csv:points.csv\n";
  g_autoptr (RsExperiment) mem = rs_experiment_load_from_data (text, strlen (text),
                                                               "/some/lessons/x.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mem->csv_path, ==, "/some/lessons/points.csv");

  /* An absolute path stays as it is. */
  g_autoptr (RsExperiment) abs = load_text ("[data]\nsource=csv:/srv/data/a b.csv\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (abs->csv_path, ==, "/srv/data/a b.csv");
}

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */

static void
test_error_syntax (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("bad-syntax.ini");
  g_autoptr (RsExperiment) exp = rs_experiment_load (path, &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "bad-syntax.ini:5: ", NULL);
  g_clear_error (&error);

  static const struct { const char *text, *where; } cases[] = {
    { "epochs=3\n", "bad.ini:1: " },                     /* before any group */
    { "[data]\nsamples=3\n[model\n", "bad.ini:3: " },   /* unclosed bracket */
    { "# c\n\n[data]\n=3\n", "bad.ini:4: " },           /* no key */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_null (load_text (cases[i].text, &error));
      assert_error (error, RS_ERROR_PARSE, cases[i].where, NULL);
      g_clear_error (&error);
    }

  g_assert_null (rs_experiment_load_from_data ("[a]\nx=1\0y", 9, "nul.ini", &error));
  assert_error (error, RS_ERROR_PARSE, "nul.ini", NULL);
}

static void
test_error_unknown_section (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("unknown-section.ini");
  g_assert_null (rs_experiment_load (path, &error));
  assert_error (error, RS_ERROR_PARSE, "unknown-section.ini: [dta]: unknown section",
                "did you mean 'data'?", NULL);
  g_clear_error (&error);

  static const struct { const char *text, *msg; } cases[] = {
    { "[fc1]\nl1=0.1\n", "bad.ini: [fc1]: unknown section (did you mean 'layer fc1'?)" },
    { "[layr fc2]\nl1=0.1\n", "bad.ini: [layr fc2]: unknown section (did you mean 'layer fc2'?)" },
    { "[Optimizer]\n", "bad.ini: [Optimizer]: unknown section (did you mean 'optimizer'?)" },
    { "[layer fc0]\n", "bad.ini: [layer fc0]: unknown section" },
    { "[layer fc01]\n", "bad.ini: [layer fc01]: unknown section" },
    { "[training]\n", "bad.ini: [training]: unknown section" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_null (load_text (cases[i].text, &error));
      assert_error (error, RS_ERROR_PARSE, cases[i].msg, NULL);
      g_clear_error (&error);
    }
}

static void
test_error_unknown_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("unknown-key.ini");
  g_assert_null (rs_experiment_load (path, &error));
  assert_error (error, RS_ERROR_PARSE, "unknown-key.ini: [data] sorce: unknown key", NULL);
  g_clear_error (&error);

  g_assert_null (load_text ("[data]\nfoo=1\n", &error));
  assert_error (error, RS_ERROR_PARSE, "bad.ini: [data] foo: unknown key", NULL);
  g_assert_null (strstr (error->message, "did you mean"));
  g_clear_error (&error);

  /* A key of another section says where it belongs. */
  g_assert_null (load_text ("[model]\nl1=0.1\n", &error));
  assert_error (error, RS_ERROR_PARSE, "bad.ini: [model] l1: unknown key",
                "[layer fcK]", NULL);
  g_clear_error (&error);

  /* Keys of [replay] are somebody else's business, but not elsewhere. */
  g_assert_null (load_text ("[experiment]\nevents=3\n", &error));
  assert_error (error, RS_ERROR_PARSE, "bad.ini: [experiment] events: unknown key", NULL);
}

static void
test_error_did_you_mean (void)
{
  static const struct { const char *text, *msg; } cases[] = {
    { "[data]\nsorce=random\n",
      "bad.ini: [data] sorce: unknown key (did you mean 'source'?)" },
    { "[data]\nsoruce=random\n", "(did you mean 'source'?)" },
    { "[data]\nbatch_size=4\n", "(did you mean 'batch-size'?)" },
    { "[experiment]\nepoch=4\n", "(did you mean 'epochs'?)" },
    { "[optimizer]\nbeta=0.9,0.99\n", "(did you mean 'betas'?)" },
    { "[optimizer]\nLR=0.1\n", "(did you mean 'lr'?)" },
    { "[layer fc1]\nweight_decay=0.1\n",
      "bad.ini: [layer fc1] weight_decay: unknown key (did you mean 'weight-decay'?)" },
    { "[layer fc2]\nactivty=0.1\n", "(did you mean 'activity'?)" },
    { "[model]\nlayer=10,20,5\n", "(did you mean 'layers'?)" },
    { "[model]\nactivation=rleu\n",
      "bad.ini: [model] activation: unknown value 'rleu' (did you mean 'relu'?)" },
    { "[data]\nsource=moon\n", "bad.ini: [data] source: unknown source 'moon' (did you mean 'moons'?)" },
    { "[data]\nsource=ranodm\n", "(did you mean 'random'?)" },
    { "[optimizer]\nname=adan\n", "(did you mean 'adam'?)" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_null (load_text (cases[i].text, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].msg) == NULL)
        g_error ("case %zu: \"%s\" lacks \"%s\"", i, error->message, cases[i].msg);
    }
}

static void
test_error_layer_beyond_model (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("layer-beyond-model.ini");
  g_assert_null (rs_experiment_load (path, &error));
  assert_error (error, RS_ERROR_VALUE,
                "layer-beyond-model.ini: [layer fc3]: the model has only 2 layers (fc1..fc2)",
                NULL);
  g_clear_error (&error);

  /* The model is read first, wherever [model] is in the file. */
  g_assert_null (load_text ("[layer fc2]\nl1=0.1\n[model]\nlayers=10,5\n", &error));
  assert_error (error, RS_ERROR_VALUE,
                "bad.ini: [layer fc2]: the model has only 1 layer (fc1)", NULL);
  g_clear_error (&error);

  g_assert_null (load_text ("[layer fc17]\nl1=0.1\n", &error));
  assert_error (error, RS_ERROR_VALUE, "bad.ini: [layer fc17]: the model has only 2 layers",
                NULL);
  g_clear_error (&error);

  g_autoptr (RsExperiment) ok = load_text ("[model]\nlayers=10,20,20,5\n"
                                           "[layer fc3]\nl2=0.1\n", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (ok->layer[2].l2, ==, 0.1);
}

typedef struct {
  const char *section; /* as it appears between brackets */
  const char *key;
  const char *value;
  const char *msg;     /* the part of the message after "[section] key: " */
} BadValue;

static const BadValue bad_values[] = {
  { "experiment", "epochs", "0", "must be >= 1, got 0" },
  { "experiment", "epochs", "-3", "must be >= 1, got -3" },
  { "experiment", "epochs", "2.5", "'2.5' is not a whole number" },
  { "experiment", "epochs", "99999999999", "is too large" },
  { "experiment", "epochs", "", "is empty" },
  { "experiment", "steps", "0", "must be >= 1, got 0" },
  { "experiment", "eval-every", "0", "must be >= 1, got 0" },
  { "experiment", "sparsity-threshold", "0", "must be > 0, got 0" },
  { "experiment", "seed", "-1", "must not be negative" },
  { "experiment", "seed", "18446744073709551616", "is too large" },
  { "experiment", "seed", "0x10", "is not a whole number" },
  { "data", "samples", "0", "must be >= 1" },
  { "data", "features", "0", "must be >= 1" },
  { "data", "classes", "1", "must be >= 2" },
  { "data", "noise", "-0.1", "must be >= 0, got -0.1" },
  { "data", "validation", "0.95", "must be >= 0 and <= 0.9, got 0.95" },
  { "data", "validation", "-0.1", "must be >= 0 and <= 0.9" },
  { "data", "batch-size", "-1", "must be >= 0, got -1" },
  { "data", "shuffle", "maybe", "'maybe' is not true or false" },
  { "data", "standardize", "2", "is not true or false" },
  { "data", "source", "csv", "needs a file name" },
  { "data", "source", "csv:", "needs a file name" },
  { "data", "source", "mnist", "unknown source 'mnist'" },
  { "model", "layers", "10", "at least 2 sizes" },
  { "model", "layers", "10,0,5", "between 1 and 65536, got 0" },
  { "model", "layers", "10,70000,5", "between 1 and 65536, got 70000" },
  { "model", "layers", "10,x,5", "'x' is not a whole number" },
  { "model", "layers", "10,,5", "separated by commas" },
  { "model", "layers", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18", "at most 17 sizes" },
  { "model", "layers", "10,65536,65536,5", "parameters, more than the limit" },
  { "model", "activation", "softmax", "unknown value 'softmax' (one of relu, tanh, sigmoid, linear)" },
  { "model", "loss", "hinge", "one of cross-entropy, mse" },
  { "optimizer", "name", "rmsprop", "unknown value 'rmsprop'" },
  { "optimizer", "lr", "fast", "'fast' is not a number" },
  { "optimizer", "lr", "0", "must be > 0, got 0" },
  { "optimizer", "lr", "-0.1", "must be > 0" },
  { "optimizer", "lr", "inf", "'inf' is not a finite number" },
  { "optimizer", "lr", "nan", "'nan' is not a finite number" },
  { "optimizer", "lr", "1e999", "is not a finite number" },
  { "optimizer", "lr", "1e-400", "too small" },
  { "optimizer", "lr", "0.1.2", "is not a number" },
  { "optimizer", "momentum", "1", "must be >= 0 and < 1, got 1" },
  { "optimizer", "momentum", "-0.5", "must be >= 0 and < 1" },
  { "optimizer", "dampening", "1.5", "must be >= 0 and <= 1, got 1.5" },
  { "optimizer", "nesterov", "sure", "not true or false" },
  { "optimizer", "betas", "0.9,1", "each beta must be >= 0 and < 1, got 1" },
  { "optimizer", "betas", "0.9", "two numbers" },
  { "optimizer", "betas", "0.9,0.99,0.999", "two numbers" },
  { "optimizer", "betas", "0.9,x", "'x' is not a number" },
  { "optimizer", "eps", "0", "must be > 0" },
  { "layer fc1", "l1", "-0.5", "must be >= 0 and <= 10, got -0.5" },
  { "layer fc1", "l1", "1e9", "must be >= 0 and <= 10, got 1000000000" },
  { "layer fc1", "l1", "abc", "'abc' is not a number" },
  { "layer fc1", "l2", "-1", "must be >= 0" },
  { "layer fc2", "weight-decay", "-0.01", "must be >= 0 and <= 10, got -0.01" },
  { "layer fc2", "activity", "NaN", "is not a finite number" },
  { "layer fc1", "l1-bias", "perhaps", "not true or false" },
  { "layer fc1", "activity-norm", "l3", "unknown value 'l3' (did you mean 'l1'?)" },
};

static void
test_error_values (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      const BadValue *c = &bad_values[i];
      g_autofree char *text = g_strdup_printf ("# case %zu\n[%s]\n%s=%s\n", i, c->section,
                                               c->key, c->value);
      g_autofree char *prefix = g_strdup_printf ("bad.ini: [%s] %s: ", c->section, c->key);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsExperiment) exp = load_text (text, &error);
      if (exp != NULL)
        g_error ("case %zu (%s) loaded", i, text);
      if (error->domain != RS_ERROR || error->code != RS_ERROR_VALUE
          || !g_str_has_prefix (error->message, prefix)
          || strstr (error->message, c->msg) == NULL)
        g_error ("case %zu: got \"%s\", expected \"%s...%s\"", i, error->message,
                 prefix, c->msg);
    }

  /* The example messages of the brief, from files. */
  g_autoptr (GError) error = NULL;
  g_autofree char *neg = bad_preset_path ("negative-l1.ini");
  g_assert_null (rs_experiment_load (neg, &error));
  assert_error (error, RS_ERROR_VALUE, "negative-l1.ini: [layer fc1] l1: must be >= 0 and <= 10, got -0.5",
                NULL);
  g_clear_error (&error);
  g_autofree char *lr = bad_preset_path ("lr-not-a-number.ini");
  g_assert_null (rs_experiment_load (lr, &error));
  assert_error (error, RS_ERROR_VALUE,
                "lr-not-a-number.ini: [optimizer] lr: 'fast' is not a number", NULL);
}

static void
test_error_shape (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("width-mismatch.ini");
  g_assert_null (rs_experiment_load (path, &error));
  assert_error (error, RS_ERROR_SHAPE, "width-mismatch.ini: [model] layers: ",
                "input width 10", "features=8", NULL);
  g_clear_error (&error);

  static const struct { const char *text; int code; const char *msg; } cases[] = {
    { "[data]\nclasses=3\n", RS_ERROR_SHAPE,
      "bad.ini: [model] layers: the output width 5 does not match [data] classes=3" },
    { "[data]\nsource=blobs\nfeatures=3\n", RS_ERROR_SHAPE,
      "bad.ini: [model] layers: the input width 10 does not match [data] features=3" },
    { "[data]\nsource=moons\n", RS_ERROR_SHAPE,
      "bad.ini: [model] layers: the input width must be 2 for the 2-D source 'moons', got 10" },
    { "[data]\nsource=spirals\nfeatures=3\n[model]\nlayers=2,8,5\n", RS_ERROR_SHAPE,
      "bad.ini: [data] features: the source 'spirals' makes 2-D points, got 3" },
    { "[data]\nsource=xor\nclasses=3\n[model]\nlayers=2,8,3\n", RS_ERROR_SHAPE,
      "bad.ini: [data] classes: the source 'xor' makes 2 classes, got 3" },
    { "[data]\nsource=circles\nclasses=3\n[model]\nlayers=2,8,4\n", RS_ERROR_SHAPE,
      "bad.ini: [model] layers: the output width 4 does not match [data] classes=3" },
    { "[data]\nsamples=10000000\nfeatures=1000\n[model]\nlayers=1000,5\n", RS_ERROR_VALUE,
      "bad.ini: [data] samples: " },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_null (load_text (cases[i].text, &error));
      assert_error (error, cases[i].code, cases[i].msg, NULL);
      g_clear_error (&error);
    }
}

static void
test_error_nesterov (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (load_text ("[optimizer]\nname=sgd\nnesterov=true\n", &error));
  assert_error (error, RS_ERROR_VALUE, "bad.ini: [optimizer] nesterov: ", "momentum > 0", NULL);
  g_clear_error (&error);

  g_assert_null (load_text ("[optimizer]\nname=sgd\nnesterov=true\nmomentum=0.9\n"
                            "dampening=0.1\n", &error));
  assert_error (error, RS_ERROR_VALUE, "[optimizer] nesterov", "dampening", NULL);
  g_clear_error (&error);

  g_autoptr (RsExperiment) ok = load_text ("[optimizer]\nname=sgd\nlr=0.1\nmomentum=0.9\n"
                                           "nesterov=yes\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ok->optimizer.kind, ==, RS_OPT_SGD);
  g_assert_true (ok->optimizer.nesterov);
  g_assert_cmpfloat (ok->optimizer.momentum, ==, 0.9);
}

static void
test_error_duplicate_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bad_preset_path ("duplicate-key.ini");
  g_assert_null (rs_experiment_load (path, &error));
  assert_error (error, RS_ERROR_PARSE,
                "duplicate-key.ini:4: [layer fc1] l1: given twice (first on line 2)", NULL);
  g_clear_error (&error);

  /* Also across two [data] groups, which GKeyFile merges. */
  g_assert_null (load_text ("[data]\nsamples=3\n[model]\n[data]\nsamples=4\n", &error));
  assert_error (error, RS_ERROR_PARSE, "bad.ini:5: [data] samples: given twice", NULL);
}

static void
test_validate (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;

  exp->layer[1].l1 = -1;
  g_assert_false (rs_experiment_validate (exp, &error));
  assert_error (error, RS_ERROR_VALUE, "experiment: [layer fc2] l1: must be >= 0", NULL);
  g_clear_error (&error);
  exp->layer[1].l1 = 0;

  /* Settings of layers beyond the model do not matter. */
  exp->layer[5].l1 = -1;
  g_assert_true (rs_experiment_validate (exp, NULL));

  exp->path = g_strdup ("lesson.ini");
  exp->optimizer.lr = NAN;
  g_assert_false (rs_experiment_validate (exp, &error));
  assert_error (error, RS_ERROR_VALUE, "lesson.ini: [optimizer] lr: ", NULL);
  g_clear_error (&error);
  exp->optimizer.lr = 0.01;

  exp->n_layers = 0;
  g_assert_false (rs_experiment_validate (exp, &error));
  assert_error (error, RS_ERROR_VALUE, "lesson.ini: [model] layers: ", NULL);
  g_clear_error (&error);
  exp->n_layers = 2;

  exp->steps = -5;
  g_assert_false (rs_experiment_validate (exp, &error));
  assert_error (error, RS_ERROR_VALUE, "[experiment] steps", NULL);
  g_clear_error (&error);
  exp->steps = 0;

  exp->source = RS_DATA_CSV;
  g_assert_false (rs_experiment_validate (exp, &error));
  assert_error (error, RS_ERROR_VALUE, "[data] source", NULL);
  g_clear_error (&error);
  exp->csv_path = g_strdup ("/tmp/x.csv");
  exp->features = 99; /* not checked against the model: the file decides */
  g_assert_true (rs_experiment_validate (exp, NULL));
}

/* ---------------------------------------------------------------------- */
/* --set                                                                   */

static void
test_set_forms (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_experiment_set (exp, "layer fc1.l1=0.01", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (exp->layer[0].l1, ==, 0.01);

  g_assert_true (rs_experiment_set (exp, "fc2.l2=0.5", &error));
  g_assert_cmpfloat (exp->layer[1].l2, ==, 0.5);
  g_assert_true (rs_experiment_set (exp, "fc1.l1-bias=no", &error));
  g_assert_false (exp->layer[0].l1_bias);
  g_assert_true (rs_experiment_set (exp, "fc1.activity-norm=l2", &error));
  g_assert_cmpint (exp->layer[0].activity_norm, ==, RS_NORM_L2);
  g_assert_true (rs_experiment_set (exp, " optimizer.lr = 0.1 ", &error));
  g_assert_cmpfloat (exp->optimizer.lr, ==, 0.1);
  g_assert_true (rs_experiment_set (exp, "optimizer.name=sgd", &error));
  g_assert_cmpint (exp->optimizer.kind, ==, RS_OPT_SGD);
  g_assert_true (rs_experiment_set (exp, "data.shuffle=false", &error));
  g_assert_false (exp->shuffle);
  g_assert_true (rs_experiment_set (exp, "experiment.title=My run", &error));
  g_assert_cmpstr (exp->title, ==, "My run");
  g_assert_true (rs_experiment_set (exp, "experiment.seed=42", &error));
  g_assert_cmpuint (exp->seed, ==, 42);
  g_assert_true (rs_experiment_set (exp, "model.activation=tanh", &error));
  g_assert_cmpint (exp->activation, ==, RS_ACT_TANH);
  g_assert_no_error (error);

  /* Steps then epochs: the later request wins. */
  g_assert_true (rs_experiment_set (exp, "experiment.steps=500", &error));
  g_assert_cmpint (exp->steps, ==, 500);
  g_assert_true (rs_experiment_set (exp, "experiment.epochs=3", &error));
  g_assert_cmpint (exp->epochs, ==, 3);
  g_assert_cmpint (exp->steps, ==, 0);
}

static void
test_set_csv_path (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;

  /* Relative to the working directory, not to any preset. */
  g_assert_true (rs_experiment_set (exp, "data.source=csv:some/points.csv", &error));
  g_assert_no_error (error);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *expected = g_build_filename (cwd, "some", "points.csv", NULL);
  g_assert_cmpint (exp->source, ==, RS_DATA_CSV);
  g_assert_cmpstr (exp->csv_path, ==, expected);

  g_assert_true (rs_experiment_set (exp, "data.source=csv:/data/x.csv", &error));
  g_assert_cmpstr (exp->csv_path, ==, "/data/x.csv");

  /* Back to a generator drops the path. */
  g_assert_true (rs_experiment_set (exp, "data.source=random", &error));
  g_assert_cmpint (exp->source, ==, RS_DATA_RANDOM);
  g_assert_null (exp->csv_path);
}

static void
test_set_layers (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;

  g_assert_true (rs_experiment_set (exp, "fc1.l1=0.1", &error));
  g_assert_true (rs_experiment_set (exp, "fc2.weight-decay=0.2", &error));

  /* Growing keeps fc1 and fc2; the new fc3 starts clean. */
  g_assert_true (rs_experiment_set (exp, "model.layers=10,30,20,5", &error));
  g_assert_no_error (error);
  g_assert_cmpint (exp->n_layers, ==, 3);
  g_assert_cmpint (exp->sizes[1], ==, 30);
  g_assert_cmpfloat (exp->layer[0].l1, ==, 0.1);
  g_assert_cmpfloat (exp->layer[1].weight_decay, ==, 0.2);
  assert_layer_default (&exp->layer[2]);
  g_assert_true (rs_experiment_set (exp, "fc3.activity=0.01", &error));

  /* Shrinking drops what no longer exists, also when it grows back. */
  g_assert_true (rs_experiment_set (exp, "model.layers=10,5", &error));
  g_assert_cmpint (exp->n_layers, ==, 1);
  g_assert_cmpfloat (exp->layer[0].l1, ==, 0.1);
  assert_layer_default (&exp->layer[1]);
  assert_layer_default (&exp->layer[2]);
  g_assert_true (rs_experiment_set (exp, "model.layers=10,20,20,5", &error));
  assert_layer_default (&exp->layer[1]);
  assert_layer_default (&exp->layer[2]);
  g_assert_no_error (error);

  /* A change that only agrees with others: one at a time fails, together
   * it works. */
  g_autoptr (RsExperiment) before = rs_experiment_copy (exp);
  g_assert_false (rs_experiment_set (exp, "model.layers=4,8,3", &error));
  assert_error (error, RS_ERROR_SHAPE, "--set 'model.layers=4,8,3': [model] layers: ",
                "input width 4", NULL);
  g_clear_error (&error);
  assert_same_experiment (exp, before);

  const char *together[] = { "data.features=4", "data.classes=3", "model.layers=4,8,3", NULL };
  g_assert_true (rs_experiment_set_many (exp, together, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exp->features, ==, 4);
  g_assert_cmpint (exp->classes, ==, 3);
  g_assert_cmpint (exp->sizes[2], ==, 3);

  /* Switching to a 2-D generator implies 2 features (and moons 2 classes). */
  const char *moons[] = { "data.source=moons", "model.layers=2,16,2", NULL };
  g_assert_true (rs_experiment_set_many (exp, moons, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exp->features, ==, 2);
  g_assert_cmpint (exp->classes, ==, 2);

  g_assert_true (rs_experiment_set_many (exp, NULL, &error));
}

static void
test_set_errors (void)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (RsExperiment) before = rs_experiment_copy (exp);

  static const struct { const char *assignment; int code; const char *msg; } cases[] = {
    { "data.sorce=x", RS_ERROR_PARSE,
      "--set 'data.sorce=x': [data] sorce: unknown key (did you mean 'source'?)" },
    { "dta.source=random", RS_ERROR_PARSE,
      "--set 'dta.source=random': [dta]: unknown section (did you mean 'data'?)" },
    { "replay.events=1", RS_ERROR_PARSE, "--set 'replay.events=1': [replay]: unknown section" },
    { "fc3.l1=0.1", RS_ERROR_VALUE,
      "--set 'fc3.l1=0.1': [layer fc3]: the model has only 2 layers (fc1..fc2)" },
    { "layer fc1.l1=-1", RS_ERROR_VALUE,
      "--set 'layer fc1.l1=-1': [layer fc1] l1: must be >= 0 and <= 10, got -1" },
    { "fc1.l1=lots", RS_ERROR_VALUE, "--set 'fc1.l1=lots': [layer fc1] l1: 'lots' is not a number" },
    { "fc1.l11=1", RS_ERROR_PARSE, "[layer fc1] l11: unknown key (did you mean 'l1'?)" },
    { "optimizer.lr", RS_ERROR_PARSE, "--set 'optimizer.lr': expected section.key=value" },
    { "lr=0.1", RS_ERROR_PARSE, "--set 'lr=0.1': expected section.key=value" },
    { "data.classes=3", RS_ERROR_SHAPE, "--set 'data.classes=3': [model] layers: " },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (rs_experiment_set (exp, cases[i].assignment, &error));
      assert_error (error, cases[i].code, cases[i].msg, NULL);
      assert_same_experiment (exp, before);
    }

  /* nesterov without momentum, found when the optimizer becomes SGD */
  g_autoptr (GError) error = NULL;
  const char *nesterov[] = { "optimizer.nesterov=true", "optimizer.name=sgd", NULL };
  g_assert_false (rs_experiment_set_many (exp, nesterov, &error));
  assert_error (error, RS_ERROR_VALUE, "--set 'optimizer.nesterov=true' --set 'optimizer.name=sgd'",
                "[optimizer] nesterov", NULL);
  assert_same_experiment (exp, before);
  g_clear_error (&error);

  /* A bad one in the middle of several leaves everything as it was. */
  const char *several[] = { "fc1.l1=0.5", "fc2.l1=-2", NULL };
  g_assert_false (rs_experiment_set_many (exp, several, &error));
  assert_error (error, RS_ERROR_VALUE, "--set 'fc2.l1=-2': [layer fc2] l1", NULL);
  assert_same_experiment (exp, before);
}

/* ---------------------------------------------------------------------- */
/* Round trip                                                              */

static void
assert_round_trip (const RsExperiment *exp)
{
  g_autofree char *ini = rs_experiment_to_ini (exp);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) back = rs_experiment_load_from_data (ini, strlen (ini),
                                                                "round-trip.ini", &error);
  if (back == NULL)
    g_error ("%s\n---\n%s", error->message, ini);
  assert_same_experiment (exp, back);
  /* Stable: writing the loaded one gives the same text. */
  g_autofree char *again = rs_experiment_to_ini (back);
  g_assert_cmpstr (ini, ==, again);
}

static void
test_ini_round_trip (void)
{
  g_autoptr (RsExperiment) defaults = rs_experiment_new_default ();
  assert_round_trip (defaults);
  g_autofree char *ini = rs_experiment_to_ini (defaults);
  assert_lacks (ini, "[layer");
  assert_lacks (ini, "steps=");
  assert_contains (ini, "[experiment]\ntitle=Untitled\n");
  assert_contains (ini, "lr=0.001\n");
  assert_contains (ini, "eps=1e-08\n");
  assert_contains (ini, "betas=0.9,0.999\n");
  assert_contains (ini, "layers=10,20,5\n");
  assert_contains (ini, "source=random\n");
  assert_contains (ini, "noise=0.1\n");

  static const char *const seeds[] = { "seed-l1.ini", "seed-l2-weight-decay.ini",
                                       "seed-activity.ini" };
  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr (RsExperiment) exp = load_seed (seeds[i]);
      assert_round_trip (exp);
      g_autofree char *text = rs_experiment_to_ini (exp);
      assert_contains (text, "[layer fc1]\n");
      assert_lacks (text, "[layer fc2]");
    }

  /* Everything away from its default, with awkward values. */
  g_autoptr (RsExperiment) busy = rs_experiment_new_default ();
  const char *sets[] = {
    "experiment.title=  Two\\nlines, a \\\\ and # not a comment",
    "experiment.description=Ünïcödé — and \"quotes\"",
    "experiment.seed=18446744073709551615",
    "experiment.steps=123",
    "experiment.eval-every=5",
    "experiment.sparsity-threshold=1e-5",
    "data.source=csv:/tmp/some dir/data.csv",
    "data.samples=1000",
    "data.features=4",
    "data.classes=3",
    "data.noise=0.30000000000000004",
    "data.validation=0.25",
    "data.batch-size=16",
    "data.shuffle=false",
    "data.standardize=true",
    "model.layers=4,7,7,3",
    "model.activation=tanh",
    "model.loss=mse",
    "optimizer.name=sgd",
    "optimizer.lr=0.1",
    "optimizer.momentum=0.9",
    "optimizer.nesterov=true",
    "optimizer.betas=0.8,0.95",
    "optimizer.eps=1e-7",
    "fc1.l1=0.3333333333333333",
    "fc1.l1-bias=false",
    "fc2.activity=2.5e-4",
    "fc2.activity-norm=l2",
    "fc3.weight-decay=0.01",
    "fc3.l2=1e-300",
    NULL,
  };
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_experiment_set_many (busy, sets, &error));
  g_assert_no_error (error);
  /* set takes the title verbatim; give it real newlines and a backslash. */
  g_free (busy->title);
  busy->title = g_strdup ("  Two\nlines, a \\ and # not a comment ");
  g_assert_cmpint (busy->optimizer.kind, ==, RS_OPT_SGD);
  assert_round_trip (busy);
  g_autofree char *busy_ini = rs_experiment_to_ini (busy);
  assert_contains (busy_ini, "source=csv:/tmp/some dir/data.csv\n");
  assert_contains (busy_ini, "steps=123\n");
  assert_contains (busy_ini, "[layer fc1]\n");
  assert_contains (busy_ini, "[layer fc3]\n");

  /* A 2-D lesson with a single layer set. */
  g_autoptr (RsExperiment) moons = rs_experiment_new_default ();
  const char *moon_sets[] = { "data.source=moons", "model.layers=2,16,16,2",
                              "model.activation=sigmoid", "optimizer.name=adamw",
                              "fc2.l1=0.001", NULL };
  g_assert_true (rs_experiment_set_many (moons, moon_sets, &error));
  g_assert_no_error (error);
  assert_round_trip (moons);
  g_autofree char *moons_ini = rs_experiment_to_ini (moons);
  assert_lacks (moons_ini, "[layer fc1]");
  assert_contains (moons_ini, "[layer fc2]\n");
  assert_lacks (moons_ini, "[layer fc3]");

  /* A CSV path relative to the working directory comes back absolute. */
  g_autoptr (RsExperiment) rel = rs_experiment_new_default ();
  g_assert_true (rs_experiment_set (rel, "data.source=csv:rel.csv", &error));
  g_autofree char *rel_ini = rs_experiment_to_ini (rel);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *line = g_strdup_printf ("source=csv:%s/rel.csv\n", cwd);
  assert_contains (rel_ini, line);
  assert_round_trip (rel);
}

/* ---------------------------------------------------------------------- */
/* PyTorch                                                                 */

static char *
pytorch_for (const char *const *sets)
{
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  g_autoptr (GError) error = NULL;
  if (!rs_experiment_set_many (exp, sets, &error))
    g_error ("%s", error->message);
  return rs_experiment_to_pytorch (exp);
}

static void
test_pytorch_seed (void)
{
  /* Example 2: the defaults plus L1 on fc1 read like the seed. */
  g_autoptr (RsExperiment) l1 = load_seed ("seed-l1.ini");
  g_autofree char *py = rs_experiment_to_pytorch (l1);
  static const char *const l1_lines[] = {
    "import torch\nimport torch.nn as nn\nimport torch.optim as optim\n",
    "class Model(nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model, self).__init__()\n"
    "        self.fc1 = nn.Linear(10, 20)\n"
    "        self.fc2 = nn.Linear(20, 5)\n"
    "\n"
    "    def forward(self, x):\n"
    "        x = torch.relu(self.fc1(x))\n"
    "        x = self.fc2(x)\n"
    "        return x\n",
    "seed = 0\n",
    "model = Model()\nregscope_init(model, seed)\n",
    "criterion = nn.CrossEntropyLoss()\n",
    "optimizer = optim.Adam(model.parameters(), lr=0.001)\n",
    "l1_lambda = 0.005 # L1 coefficient",
    "x, y = make_random(64, 10, 5, 0.1, Rng(seed, Rng.DATA))\n",
    "steps = 10 * -(-len(inputs) // batch_size)  # 10 epochs\n",
    /* (one needle over several lines: the parentheses say so to clang) */
    ("    optimizer.zero_grad()\n"
     "    outputs = model(inputs[batch])\n"
     "    loss = criterion(outputs, targets[batch])\n"),
    "    loss += l1_lambda * sum(p.abs().sum() for p in model.fc1.parameters())\n",
    ("    loss.backward()\n"
     "    optimizer.step()\n"),
    "        print(f\"Epoch: {epoch}, Loss: {sum(epoch_losses) / len(epoch_losses):.4f}\")\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (l1_lines); i++)
    assert_contains (py, l1_lines[i]);
  assert_contains (py, l1->title);
  assert_contains (py, "seed-l1.ini");
  assert_lacks (py, "weight_decay");
  assert_lacks (py, "activations");

  /* Example 1: one parameter group per layer with its weight decay. */
  g_autoptr (RsExperiment) wd = load_seed ("seed-l2-weight-decay.ini");
  g_autofree char *py_wd = rs_experiment_to_pytorch (wd);
  assert_contains (py_wd, "optimizer = optim.Adam([\n"
                          "    {'params': model.fc1.parameters(), 'weight_decay': 0.01},\n"
                          "    {'params': model.fc2.parameters(), 'weight_decay': 0},\n"
                          "], lr=0.001)\n");
  assert_lacks (py_wd, "loss +=");
  assert_contains (py_wd, "print(f\"Epoch: {epoch}, Loss: {sum(epoch_losses) / len(epoch_losses):.4f}\")\n");

  /* Example 3: fc1's activations stored in forward, their mean |a| added. */
  g_autoptr (RsExperiment) act = load_seed ("seed-activity.ini");
  g_autofree char *py_act = rs_experiment_to_pytorch (act);
  assert_contains (py_act, "        x = torch.relu(self.fc1(x))\n"
                           "        self.fc1_activations = x");
  assert_contains (py_act, "activity_lambda = 0.001");
  assert_contains (py_act, "    loss += activity_lambda * model.fc1_activations.abs().mean()\n");
  assert_contains (py_act, "optimizer = optim.Adam(model.parameters(), lr=0.001)\n");
}

static void
test_pytorch_variants (void)
{
  {
    const char *s[] = { "model.label-smoothing=0.1", "fc2.max-norm=3", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "criterion = nn.CrossEntropyLoss(label_smoothing=0.1)\n");
    assert_contains (py, "max_norm = 3 # Max-norm coefficient for fc2\n");
    assert_contains (py, "    optimizer.step()\n"
                         "    # Max-norm: each unit's incoming weights (a row of fc2.weight) "
                         "renormed to at most max_norm\n"
                         "    model.fc2.weight.data.copy_(torch.renorm(model.fc2.weight.data, "
                         "2, 0, max_norm))\n");
    assert_lacks (py, "fc1.weight.copy_");
  }
  {
    /* input noise: regscope's normals on the training batch only */
    const char *s[] = { "data.input-noise=0.25", "data.validation=0.25", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "input_noise = 0.25  # σ of the Gaussian input noise");
    assert_contains (py, "input_noise_rng = Rng(seed, Rng.INPUT_NOISE)\n");
    assert_contains (py, "    outputs = model(regscope_input_noise(inputs[batch], input_noise))\n");
    assert_contains (py, "criterion(model(val_inputs)");
    assert_lacks (py, "regscope_input_noise(val_inputs");
  }
  {
    const char *s[] = { "model.loss=mse", "model.label-smoothing=0.2", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "criterion = nn.MSELoss()\n");
    assert_contains (py, "loss = criterion(outputs, "
                         "nn.functional.one_hot(targets[batch], 5).float() * 0.8 + 0.04)\n");
  }
  {
    const char *s[] = { "fc1.l1=0.01", "fc1.l1-bias=false", "fc2.l1=0.02", "fc2.l2=0.5",
                        "fc2.activity=0.1", "fc2.activity-norm=l2", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "l1_lambda_fc1 = 0.01");
    assert_contains (py, "l1_lambda_fc2 = 0.02");
    assert_contains (py, "l2_lambda = 0.5");
    assert_contains (py, "loss += l1_lambda_fc1 * model.fc1.weight.abs().sum()\n");
    assert_contains (py, "loss += l1_lambda_fc2 * sum(p.abs().sum() for p in "
                         "model.fc2.parameters())\n");
    assert_contains (py, "loss += l2_lambda * sum((p ** 2).sum() for p in "
                         "model.fc2.parameters())\n");
    assert_contains (py, "        x = self.fc2(x)\n        self.fc2_activations = x");
    assert_contains (py, "loss += activity_lambda * model.fc2_activations.pow(2).mean()\n");
  }
  {
    const char *s[] = { "optimizer.name=sgd", "optimizer.lr=0.1", "optimizer.momentum=0.9",
                        "optimizer.nesterov=true", "model.loss=mse", "model.activation=linear",
                        NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, "
                         "nesterov=True)\n");
    assert_contains (py, "criterion = nn.MSELoss()\n");
    assert_contains (py, "loss = criterion(outputs, nn.functional.one_hot(targets[batch], 5).float())\n");
    assert_contains (py, "        x = self.fc1(x)\n");
  }
  {
    const char *s[] = { "optimizer.name=adamw", "optimizer.betas=0.8,0.99",
                        "optimizer.eps=1e-6", "model.activation=sigmoid", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "optim.AdamW(model.parameters(), lr=0.001, betas=(0.8, 0.99), "
                         "eps=1e-06, weight_decay=0)\n");
    assert_contains (py, "torch.sigmoid(self.fc1(x))");
  }
  {
    const char *s[] = { "optimizer.name=adamw", "fc2.weight-decay=0.05", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "optimizer = optim.AdamW([\n");
    assert_contains (py, "{'params': model.fc2.parameters(), 'weight_decay': 0.05},\n");
  }
  {
    const char *s[] = { "data.batch-size=16", "data.validation=0.25", "data.standardize=true",
                        "model.activation=tanh", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "batch_size = min(16, len(inputs))\n");
    assert_contains (py, "        shuffle_rng.shuffle(order)\n");
    assert_lacks (py, "randperm");
    assert_contains (py, "batch = order[start:start + batch_size]\n");
    assert_contains (py, "outputs = model(inputs[batch])\n");
    assert_contains (py, "val_inputs");
    assert_contains (py, "Rng(seed, Rng.SPLIT).shuffle(perm)\n");
    assert_contains (py, "scale = torch.where(std > 0, 1 / std, torch.ones_like(std))");
    assert_contains (py, "val_inputs = ((val_inputs.double() - mean) * scale).float()\n");
    /* validation before the update, in eval mode, as regscope evaluates it */
    assert_contains (py, "    if step % eval_every == 0 or epoch_end:\n"
                         "        model.eval()\n"
                         "        with torch.no_grad():\n"
                         "            val_loss = criterion(model(val_inputs), val_targets).item()\n"
                         "        model.train()\n"
                         "    loss.backward()\n");
    assert_contains (py, "Val loss: {val_loss:.4f}");
    assert_contains (py, "torch.tanh(self.fc1(x))");
  }
  {
    const char *s[] = { "experiment.steps=100", "experiment.seed=7", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "seed = 7\n");
    assert_contains (py, "steps = 100\n");
    assert_contains (py, "batch_size = len(inputs)  # full batch\n");
  }
  {
    const char *s[] = { "experiment.steps=40", "data.batch-size=8", "data.shuffle=false", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "steps = 40\n");
    assert_contains (py, "batch_size = min(8, len(inputs))\n");
    assert_lacks (py, "shuffle_rng");
    assert_lacks (py, "randperm");
  }
  {
    const char *s[] = { "data.source=csv:/data/my \"points\".csv", "model.layers=3,8,4", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "import csv\n");
    assert_contains (py, "def load_csv(path, label_column='last'):\n");
    assert_contains (py, "inputs, targets = load_csv(\"/data/my \\\"points\\\".csv\")\n");
  }
  {
    const char *s[] = { "data.source=iris", "model.layers=4,8,3", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_lacks (py, "sklearn.datasets");
    assert_contains (py, "datasets/iris.csv\")\n");
  }
  {
    const char *s[] = { "data.source=breast-cancer", "model.layers=30,2", NULL };
    g_autofree char *py = pytorch_for (s);
    assert_contains (py, "datasets/breast-cancer.csv\")\n");
  }
  static const char *const gens[] = { "moons", "spirals", "circles", "xor" };
  for (gsize i = 0; i < G_N_ELEMENTS (gens); i++)
    {
      g_autofree char *src = g_strdup_printf ("data.source=%s", gens[i]);
      const char *s[] = { src, "data.classes=2", "model.layers=2,8,2", NULL };
      g_autofree char *py = pytorch_for (s);
      g_autofree char *def = g_strdup_printf ("def make_%s(", gens[i]);
      g_autofree char *call = g_strdup_printf ("x, y = make_%s(64, 2, 2, 0.1, Rng(seed, Rng.DATA))\n", gens[i]);
      assert_contains (py, def);
      assert_contains (py, call);
    }
}

/* The generated scripts are valid Python (no torch needed to compile). */
static void
test_pytorch_compiles (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("python3 not found");
      return;
    }
  /* A pyenv shim can exist without a working interpreter behind it. */
  int status = 0;
  const char *probe[] = { python, "-c", "import sys", NULL };
  if (!g_spawn_sync (NULL, (char **) probe, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("python3 does not run");
      return;
    }

  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rs-pytorch-XXXXXX", &error);
  g_assert_no_error (error);

  const char *const variants[][8] = {
    { NULL },
    { "fc1.l1=0.005", NULL },
    { "fc1.weight-decay=0.01", NULL },
    { "fc1.activity=0.001", "fc2.activity=0.01", "fc2.activity-norm=l2", NULL },
    { "optimizer.name=sgd", "optimizer.momentum=0.9", "optimizer.nesterov=true",
      "model.loss=mse", "data.validation=0.2", NULL },
    { "data.batch-size=16", "data.standardize=true", "data.validation=0.25",
      "model.loss=mse", NULL },
    { "experiment.steps=30", "data.batch-size=8", "fc1.l1=0.1", "fc1.l1-bias=false", NULL },
    { "data.source=csv:/tmp/x.csv", "model.layers=3,4", NULL },
    { "data.source=idx:/tmp/fashion", "model.layers=784,16,10", "data.standardize=true", NULL },
    { "data.source=digits", "model.layers=64,32,10", "optimizer.name=adamw", NULL },
    { "data.source=spirals", "data.classes=3", "model.layers=2,16,3", NULL },
    { "data.source=moons", "model.layers=2,16,2", NULL },
    { "data.source=circles", "model.layers=2,16,5", NULL },
    { "data.source=xor", "model.layers=2,4,2", NULL },
    { "data.source=blobs", "fc2.l2=0.1", NULL },
    { "model.label-smoothing=0.1", "fc1.max-norm=2", "data.validation=0.2", NULL },
    { "model.loss=mse", "model.label-smoothing=0.2", "data.validation=0.2", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *py = pytorch_for (variants[i]);
      g_autofree char *name = g_strdup_printf ("v%zu.py", i);
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (file, py, -1, &error));
      g_autofree char *err = NULL;
      const char *argv[] = { python, "-m", "py_compile", file, NULL };
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, &err, &status, &error));
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("variant %zu does not compile:\n%s\n---\n%s", i, err, py);
      g_unlink (file);
    }
  g_autofree char *cache = g_build_filename (dir, "__pycache__", NULL);
  g_autoptr (GDir) d = g_dir_open (cache, 0, NULL);
  const char *entry;
  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *f = g_build_filename (cache, entry, NULL);
      g_unlink (f);
    }
  g_rmdir (cache);
  g_rmdir (dir);
}

/* Found by tests/fuzz/fuzz-preset. GLib 2.74 returns a string *and*
 * leaks an error for an invalid escape such as "\ " (the title silently
 * kept the backslash); bytes that are not UTF-8 reached the messages. */
static void
test_fuzz_findings (void)
{
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = load_text ("[experiment]\ntitle=a\\ b\n", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "bad.ini: [experiment] title: invalid escape '\\ '",
                NULL);
  g_clear_error (&error);

  exp = load_text ("[experiment]\ndescription=ends in \\\n", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "bad.ini: [experiment] description: a '\\' at the end",
                NULL);
  g_clear_error (&error);

  exp = load_text ("[experiment]\ntitle=caf\\\xc3\xa9\n", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "invalid escape '\\\xc3\xa9'", NULL);
  g_clear_error (&error);

  /* The escapes GKeyFile defines still work. */
  g_autoptr (RsExperiment) ok = load_text ("[experiment]\ntitle=\\sa\\tb\\\\c\\nd\\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ok->title, ==, " a\tb\\c\nd\r");

  /* Not UTF-8: refused with its line before any byte reaches a message. */
  exp = load_text ("[experiment]\ntitle=x\n[d\xe9" "ta]\n", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "bad.ini:3: not UTF-8 text", NULL);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* "csv:# /" named a folder "# " whose blank the written preset lost
   * (values are trimmed): refused, from a file and from --set. */
  exp = load_text ("[data]\nsource=csv:# /\n", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_VALUE, "bad.ini: [data] source: the path '", "/# ' ends in a blank",
                NULL);
  g_clear_error (&error);
  g_autoptr (RsExperiment) def = rs_experiment_new_default ();
  g_assert_false (rs_experiment_set (def, "data.source=csv:data /", &error));
  assert_error (error, RS_ERROR_VALUE, "data ' ends in a blank", NULL);
  g_assert_cmpint (def->source, ==, RS_DATA_RANDOM);
}

/* In memory as on disk: more than 1 MiB is not a preset, and says so
 * without parsing it. */
static void
test_error_too_large (void)
{
  gsize len = (1u << 20) + 1;
  char *big = g_malloc (len);
  memset (big, '#', len);
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = rs_experiment_load_from_data (big, len, "huge.ini", &error);
  g_assert_null (exp);
  assert_error (error, RS_ERROR_PARSE, "huge.ini", "larger than 1048576 bytes", NULL);
  g_free (big);
}

/* Dropout in the script: regscope's masks (its RNG's dropout stream) after
 * the layer's activation (and after the activity term's stored outputs,
 * which are taken before it), in training mode; validation under
 * model.eval(). */
static void
test_pytorch_dropout (void)
{
  const char *s[] = { "data.validation=0.25", "fc1.dropout=0.3", "fc1.activity=0.01", NULL };
  g_autofree char *py = pytorch_for (s);
  assert_contains (py, "dropout_p = 0.3 # Dropout coefficient for fc1\n");
  assert_contains (py, "        x = torch.relu(self.fc1(x))\n"
                       "        self.fc1_activations = x # Store outputs for activity "
                       "regularization\n"
                       "        if self.training:");
  assert_contains (py, "            x = regscope_dropout(x, dropout_p)\n");
  assert_contains (py, "dropout_rng = Rng(seed, Rng.DROPOUT)\n");
  assert_contains (py, "        model.eval()\n"
                       "        with torch.no_grad():\n");
  assert_contains (py, "        model.train()\n");
  assert_lacks (py, "p=dropout_p_fc");

  const char *two[] = { "model.layers=10,8,8,5", "fc1.dropout=0.3", "fc2.dropout=0.5", NULL };
  g_autofree char *py_two = pytorch_for (two);
  assert_contains (py_two, "dropout_p_fc2 = 0.5");
  assert_contains (py_two, "        x = torch.relu(self.fc2(x))\n"
                           "        if self.training:");
  assert_contains (py_two, "            x = regscope_dropout(x, dropout_p_fc2)\n");

  const char *off[] = { "data.validation=0.25", NULL };
  g_autofree char *py_off = pytorch_for (off);
  assert_lacks (py_off, "dropout");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/experiment/defaults", test_defaults);
  g_test_add_func ("/engine/experiment/copy-free", test_copy_free);
  g_test_add_func ("/engine/experiment/names", test_names);
  g_test_add_func ("/engine/experiment/load-seed-presets", test_load_seed_presets);
  g_test_add_func ("/engine/experiment/load-missing-file", test_load_missing_file);
  g_test_add_func ("/engine/experiment/lenient-syntax", test_lenient_syntax);
  g_test_add_func ("/engine/experiment/replay-ignored", test_replay_ignored);
  g_test_add_func ("/engine/experiment/two-d-sources", test_two_d_sources);
  g_test_add_func ("/engine/experiment/csv-relative-path", test_csv_relative_path);
  g_test_add_func ("/engine/experiment/error-syntax", test_error_syntax);
  g_test_add_func ("/engine/experiment/error-unknown-section", test_error_unknown_section);
  g_test_add_func ("/engine/experiment/error-unknown-key", test_error_unknown_key);
  g_test_add_func ("/engine/experiment/error-did-you-mean", test_error_did_you_mean);
  g_test_add_func ("/engine/experiment/error-layer-beyond-model", test_error_layer_beyond_model);
  g_test_add_func ("/engine/experiment/error-values", test_error_values);
  g_test_add_func ("/engine/experiment/error-shape", test_error_shape);
  g_test_add_func ("/engine/experiment/error-nesterov", test_error_nesterov);
  g_test_add_func ("/engine/experiment/error-duplicate-key", test_error_duplicate_key);
  g_test_add_func ("/engine/experiment/error-too-large", test_error_too_large);
  g_test_add_func ("/engine/experiment/validate", test_validate);
  g_test_add_func ("/engine/experiment/set-forms", test_set_forms);
  g_test_add_func ("/engine/experiment/set-csv-path", test_set_csv_path);
  g_test_add_func ("/engine/experiment/set-layers", test_set_layers);
  g_test_add_func ("/engine/experiment/set-errors", test_set_errors);
  g_test_add_func ("/engine/experiment/ini-round-trip", test_ini_round_trip);
  g_test_add_func ("/engine/experiment/pytorch-seed", test_pytorch_seed);
  g_test_add_func ("/engine/experiment/pytorch-variants", test_pytorch_variants);
  g_test_add_func ("/engine/experiment/pytorch-dropout", test_pytorch_dropout);
  g_test_add_func ("/engine/experiment/pytorch-compiles", test_pytorch_compiles);

  g_test_add_func ("/engine/experiment/fuzz-findings", test_fuzz_findings);

  return g_test_run ();
}
