/* test-parity.c — the PyTorch script regscope prints trains as regscope does.
 *
 * tests/golden/parity/cases.txt names a shipped lesson (and --set
 * assignments) per case; NAME.csv holds the losses of the first 100 steps of
 * that case's printed script, run under PyTorch by tests/golden/make_parity.py.
 * Here regscope trains each case and must give the same loss at every step
 * within 1e-5 (no PyTorch needed, as in CI). Where python3 has torch, the
 * scripts are printed and run now as well and compared the same way. The
 * scripts make regscope's data, split, batch order and initial weights with
 * their port of rs-rng.c; one more case starts from --init weights.
 *
 * Fashion-MNIST's script reads 60,000 images in Python: it runs under torch
 * only with -m slow (suite slow); its fixture is checked in suite engine. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-dataset.h"
#include "rs-lessons.h"
#include "rs-session.h"

#define STEPS 100
#define TOLERANCE 1e-5

typedef struct {
  char  *name;
  char  *lesson;
  char **sets;
} Case;

static GPtrArray *cases; /* Case *, from cases.txt */

static char *
parity_path (const char *file)
{
  return g_build_filename (RS_TEST_SRCDIR, "golden", "parity", file, NULL);
}

static void
load_cases (void)
{
  g_autofree char *path = parity_path ("cases.txt");
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  cases = g_ptr_array_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      if (words[0] == NULL || words[0][0] == '\0' || words[0][0] == '#')
        continue;
      g_assert_nonnull (words[1]);
      Case *c = g_new0 (Case, 1);
      c->name = g_strdup (words[0]);
      c->lesson = g_strdup (words[1]);
      GPtrArray *sets = g_ptr_array_new ();
      for (int w = 2; words[w] != NULL; w++)
        if (words[w][0] != '\0')
          g_ptr_array_add (sets, g_strdup (words[w]));
      g_ptr_array_add (sets, NULL);
      c->sets = (char **) g_ptr_array_free (sets, FALSE);
      g_ptr_array_add (cases, c);
    }
}

/* The case's experiment, as regscope-train LESSON --set ... --steps 100
 * makes it. */
static RsExperiment *
case_experiment (const Case *c)
{
  g_autofree char *path = rs_lesson_resolve (c->lesson);
  g_assert_nonnull (path);
  g_autoptr (GError) error = NULL;
  RsExperiment *exp = rs_lesson_load (path, &error);
  g_assert_no_error (error);
  if (!rs_experiment_set_many (exp, (const char *const *) c->sets, &error))
    g_error ("%s: %s", c->name, error->message);
  exp->steps = STEPS;
  return exp;
}

/* regscope's loss at each of the first 100 steps, or NULL (and the test
 * skipped) when the case's data are not on this machine. */
static double *
regscope_losses (const RsExperiment *exp, const char *init)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  if (session == NULL && exp->source == RS_DATA_IDX)
    {
      g_autofree char *why = g_strdup_printf ("no data: %s", error->message);
      g_test_skip (why);
      return NULL;
    }
  g_assert_no_error (error);
  if (init != NULL)
    {
      g_assert_true (rs_session_load_init (session, init, &error));
      g_assert_no_error (error);
    }
  double *losses = g_new (double, STEPS);
  gboolean stopped = FALSE;
  for (int s = 0; s < STEPS; s++)
    {
      RsMetrics m;
      if (!stopped)
        g_assert_true (rs_session_step (session, &m, &error));
      losses[s] = stopped ? NAN : m.loss;
      stopped = stopped || rs_session_should_stop (session);
    }
  return losses;
}

/* "step,loss" rows, STEPS of them or fewer (NAN after the last). */
static double *
read_losses (const char *text, const char *what)
{
  double *losses = g_new (double, STEPS);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  int n = 0;
  for (int i = 0; lines[i] != NULL; i++)
    {
      gint64 step;
      double loss;
      char *end = NULL;
      if (lines[i][0] == '\0' || !g_ascii_isdigit (lines[i][0]))
        continue;
      step = g_ascii_strtoll (lines[i], &end, 10);
      g_assert_true (*end == ',');
      loss = g_ascii_strtod (end + 1, NULL);
      if (step != n || n >= STEPS)
        g_error ("%s: row %d is step %" G_GINT64_FORMAT, what, n, step);
      losses[n++] = loss;
    }
  /* fewer where early stopping ended the run: NAN after it */
  if (n == 0)
    g_error ("%s: no steps", what);
  for (int s = n; s < STEPS; s++)
    losses[s] = NAN;
  return losses;
}

static void
assert_same_losses (const double *regscope, const double *script, const char *what)
{
  for (int s = 0; s < STEPS; s++)
    if (!(fabs (regscope[s] - script[s]) <= TOLERANCE)
        && !(isnan (regscope[s]) && isnan (script[s])))
      g_error ("%s: step %d: regscope's loss %.9g, the script's %.9g", what, s, regscope[s],
               script[s]);
}

/* ---- the committed fixtures (no PyTorch) ------------------------------- */

static void
test_fixture (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (RsExperiment) exp = case_experiment (c);
  g_autofree double *ours = regscope_losses (exp, NULL);
  if (ours == NULL)
    return;
  g_autofree char *file = g_strconcat (c->name, ".csv", NULL);
  g_autofree char *path = parity_path (file);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s (make it with tests/golden/make_parity.py)", error->message);
  g_autofree double *script = read_losses (text, path);
  assert_same_losses (ours, script, c->name);
}

/* Every shipped lesson is a case. */
static void
test_every_lesson (void)
{
  g_auto (GStrv) lessons = rs_lesson_list ();
  for (int i = 0; lessons[i] != NULL; i++)
    {
      gboolean found = FALSE;
      for (guint k = 0; k < cases->len && !found; k++)
        {
          const Case *c = g_ptr_array_index (cases, k);
          found = strcmp (c->lesson, lessons[i]) == 0 && c->sets[0] == NULL;
        }
      if (!found)
        g_error ("lesson %s has no case in tests/golden/parity/cases.txt", lessons[i]);
    }
}

/* ---- the scripts under PyTorch, where torch is installed ---------------- */

/* The python3 on PATH, else Debian's own (the one that sees python3-torch
 * when another interpreter comes first on PATH), if it imports torch. */
static const char *
python_with_torch (void)
{
  static char *python;
  static gboolean probed;
  if (probed)
    return python;
  probed = TRUE;
  g_autofree char *on_path = g_find_program_in_path ("python3");
  const char *candidates[] = { on_path, "/usr/bin/python3" };
  for (gsize i = 0; i < G_N_ELEMENTS (candidates) && python == NULL; i++)
    {
      int status = 0;
      const char *probe[] = { candidates[i], "-c", "import torch", NULL };
      if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE)
          && g_spawn_sync (NULL, (char **) probe, NULL,
                           G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                           NULL, NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        python = g_strdup (candidates[i]);
    }
  return python;
}

/* Runs the scripts under torch, all in one interpreter (torch takes
 * seconds to import), and returns each one's step_losses as "step,loss"
 * rows; their own printout goes to stderr (shown on failure). */
static char **
run_scripts (const char *python, char **scripts, int n)
{
  static const char driver[] =
    "import contextlib, runpy, sys\n"
    "for path in sys.argv[1:]:\n"
    "    with contextlib.redirect_stdout(sys.stderr):\n"
    "        losses = runpy.run_path(path)['step_losses']\n"
    "    for step, loss in enumerate(losses):\n"
    "        print('%d,%.9g' % (step, loss))\n"
    "    print('=')\n";
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rs-parity-XXXXXX", &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (driver));
  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("script%d.py", i);
      char *path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (path, scripts[i], -1, &error));
      g_ptr_array_add (argv, path);
    }
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  for (int i = 0; i < n; i++)
    g_unlink (g_ptr_array_index (argv, 3 + i));
  g_rmdir (dir);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("a script failed:\n%s", err);
  char **parts = g_strsplit (out, "=\n", -1);
  g_assert_cmpint (g_strv_length (parts), ==, n + 1);
  return parts;
}

/* Each case's script output, keyed by case: at the first request, all the
 * small cases' at once; a big (IDX) case's alone. */
static GHashTable *script_outputs;

static const char *
script_output (const char *python, const Case *want, gboolean big)
{
  if (script_outputs == NULL)
    script_outputs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (g_hash_table_lookup (script_outputs, want) == NULL)
    {
      g_autoptr (GPtrArray) scripts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) which = g_ptr_array_new ();
      for (guint i = 0; i < cases->len; i++)
        {
          const Case *c = g_ptr_array_index (cases, i);
          g_autoptr (RsExperiment) exp = case_experiment (c);
          if (big ? c != want : exp->source == RS_DATA_IDX)
            continue;
          g_ptr_array_add (scripts, rs_experiment_to_pytorch (exp));
          g_ptr_array_add (which, (gpointer) c);
        }
      g_auto (GStrv) outs = run_scripts (python, (char **) scripts->pdata, (int) scripts->len);
      for (guint i = 0; i < which->len; i++)
        g_hash_table_insert (script_outputs, which->pdata[i], g_strdup (outs[i]));
    }
  return g_hash_table_lookup (script_outputs, want);
}

static void
test_script (gconstpointer data)
{
  const Case *c = data;
  const char *python = python_with_torch ();
  if (python == NULL)
    {
      g_test_skip ("no python3 with torch");
      return;
    }
  g_autoptr (RsExperiment) exp = case_experiment (c);
  if (exp->source == RS_DATA_IDX && !g_test_slow ())
    {
      g_test_skip ("60,000 images read in Python: run in suite slow (-m slow)");
      return;
    }
  g_autofree double *ours = regscope_losses (exp, NULL);
  if (ours == NULL)
    return;
  g_autofree double *theirs = read_losses (script_output (python, c, exp->source == RS_DATA_IDX),
                                           c->name);
  assert_same_losses (ours, theirs, c->name);
}

/* --init: the script loads the weights regscope starts from (here another
 * seed's, so they differ from what the script would draw itself). */
static void
test_init_safetensors (void)
{
  const char *python = python_with_torch ();
  if (python == NULL)
    {
      g_test_skip ("no python3 with torch");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rs-parity-XXXXXX", &error);
  g_autofree char *weights = g_build_filename (dir, "init.safetensors", NULL);
  const Case *c = g_ptr_array_index (cases, 0);
  g_autoptr (RsExperiment) exp = case_experiment (c);
  {
    g_autoptr (RsExperiment) other = rs_experiment_copy (exp);
    other->seed = 12345;
    g_autoptr (RsSession) session = rs_session_new (other, &error);
    g_assert_no_error (error);
    g_assert_true (rs_session_save_checkpoint (session, weights, &error));
  }
  g_autofree double *ours = regscope_losses (exp, weights);
  g_autofree double *drawn = regscope_losses (exp, NULL);
  g_assert_cmpfloat (fabs (ours[0] - drawn[0]), >, 1e-3); /* the init matters */

  g_autofree char *script = rs_experiment_to_pytorch_with_init (exp, weights,
                                                                 RS_PYTORCH_EXPERIMENT_STEPS);
  g_assert_nonnull (strstr (script, "tensors = load_safetensors("));
  char *scripts[] = { script };
  g_auto (GStrv) out = run_scripts (python, scripts, 1);
  g_autofree double *theirs = read_losses (out[0], "init");
  assert_same_losses (ours, theirs, "init");
  g_unlink (weights);
  g_rmdir (dir);
}

/* ---- the script's CSV reader (python3 alone: torch is stubbed) -------- */

/* Every CSV file in tests/data/csv that regscope reads, and label columns
 * by position and by name: the script's load_csv() gives the same rows,
 * features (as float32) and class numbers. Files regscope refuses are
 * regscope's error tests and are left out. */
static void
test_csv_reader (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  int status = 0;
  const char *probe[] = { python, "-c", "import sys", NULL };
  if (python == NULL
      || !g_spawn_sync (NULL, (char **) probe, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                        NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("no python3");
      return;
    }
  static const char driver[] =
    "import struct, sys, types\n"
    "torch = types.ModuleType('torch')\n"
    "torch.tensor = lambda data, dtype=None: data\n"
    "torch.float32 = None\n"
    "torch.nn, torch.optim = types.ModuleType('torch.nn'), types.ModuleType('torch.optim')\n"
    "sys.modules.update({'torch': torch, 'torch.nn': torch.nn, 'torch.optim': torch.optim})\n"
    "source = open(sys.argv[1]).read()\n"
    "exec(source[:source.index('\\nclass Model(')])\n"
    "for i in range(2, len(sys.argv), 2):\n"
    "    x, y = load_csv(sys.argv[i], sys.argv[i + 1])\n"
    "    print('%s %d' % (sys.argv[i], len(y)))\n"
    "    for row, k in zip(x, y):\n"
    "        f32 = [struct.unpack('f', struct.pack('f', v))[0] for v in row]\n"
    "        print(' '.join([str(k)] + ['%.9g' % v for v in f32]))\n";

  g_autoptr (GError) error = NULL;
  g_autofree char *folder = g_build_filename (RS_TEST_SRCDIR, "data", "csv", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".csv"))
      g_ptr_array_add (files, g_strdup (entry));

  /* argv: python, -c, driver, script, then (path, label column) pairs */
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  GString *expected = g_string_new (NULL);
  g_autoptr (RsExperiment) exp = rs_experiment_new_default ();
  exp->source = RS_DATA_CSV;
  exp->csv_path = g_strdup ("data.csv");
  g_autofree char *script = rs_experiment_to_pytorch (exp);
  g_autofree char *tmp = g_dir_make_tmp ("rs-parity-XXXXXX", &error);
  g_autofree char *script_path = g_build_filename (tmp, "script.py", NULL);
  g_assert_true (g_file_set_contents (script_path, script, -1, &error));
  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (driver));
  g_ptr_array_add (argv, g_strdup (script_path));
  int n_read = 0;
  for (guint i = 0; i < files->len + 2; i++)
    {
      const char *file = i < files->len ? files->pdata[i] : "label-first.csv";
      const char *label = i < files->len ? "last" : i == files->len ? "1" : "species";
      g_autofree char *path = g_build_filename (folder, file, NULL);
      RsCsvOptions options = { .label_column = label };
      g_autoptr (GError) refused = NULL;
      g_autoptr (RsDataset) data = rs_dataset_load_csv_with (path, &options, &refused);
      if (data == NULL)
        continue;
      n_read++;
      g_ptr_array_add (argv, g_strdup (path));
      g_ptr_array_add (argv, g_strdup (label));
      g_string_append_printf (expected, "%s %d\n", path, data->n);
      for (int r = 0; r < data->n; r++)
        {
          g_string_append_printf (expected, "%d", data->y[r]);
          for (int f = 0; f < data->features; f++)
            {
              char v[G_ASCII_DTOSTR_BUF_SIZE];
              g_ascii_formatd (v, sizeof v, "%.9g", data->x[(gsize) r * data->features + f]);
              g_string_append_printf (expected, " %s", v);
            }
          g_string_append_c (expected, '\n');
        }
    }
  g_assert_cmpint (n_read, >=, 15);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_unlink (script_path);
  g_rmdir (tmp);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("load_csv failed:\n%s", err);
  g_assert_cmpstr (out, ==, expected->str);
  g_string_free (expected, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  load_cases ();
  g_test_add_func ("/engine/parity/every-lesson-is-a-case", test_every_lesson);
  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autofree char *fixture = g_strdup_printf ("/engine/parity/%s/log-matches-fixture",
                                                  c->name);
      g_autofree char *script = g_strdup_printf ("/engine/parity/%s/script-matches-log",
                                                 c->name);
      g_test_add_data_func (fixture, c, test_fixture);
      g_test_add_data_func (script, c, test_script);
    }
  g_test_add_func ("/engine/parity/init-safetensors", test_init_safetensors);
  g_test_add_func ("/engine/parity/csv-reader", test_csv_reader);
  int status = g_test_run ();
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      g_free (c->name);
      g_free (c->lesson);
      g_strfreev (c->sets);
      g_free (c);
    }
  g_ptr_array_free (cases, TRUE);
  g_clear_pointer (&script_outputs, g_hash_table_unref);
  return status;
}
