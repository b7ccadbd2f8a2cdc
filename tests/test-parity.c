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
  for (int s = 0; s < STEPS; s++)
    {
      RsMetrics m;
      g_assert_true (rs_session_step (session, &m, &error));
      losses[s] = m.loss;
    }
  return losses;
}

/* "step,loss" rows, exactly STEPS of them. */
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
  if (n != STEPS)
    g_error ("%s: %d steps, not %d", what, n, STEPS);
  return losses;
}

static void
assert_same_losses (const double *regscope, const double *script, const char *what)
{
  for (int s = 0; s < STEPS; s++)
    if (!(fabs (regscope[s] - script[s]) <= TOLERANCE))
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

  g_autofree char *script = rs_experiment_to_pytorch_with_init (exp, weights);
  g_assert_nonnull (strstr (script, "tensors = load_safetensors("));
  char *scripts[] = { script };
  g_auto (GStrv) out = run_scripts (python, scripts, 1);
  g_autofree double *theirs = read_losses (out[0], "init");
  assert_same_losses (ours, theirs, "init");
  g_unlink (weights);
  g_rmdir (dir);
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
