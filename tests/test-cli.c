/* test-cli.c — `regscope-train` as a user runs it: the seed programs'
 * printout, the metrics log, plots, replay, exit codes, and one-line
 * errors that name the file and the place. */
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* envp NULL: the test's own environment. */
static Run
run_cli_valist (char **envp, const char *first, va_list ap)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("REGSCOPE_TRAIN"));
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  Run r = { 0 };
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &r.out, &r.err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r.status = WEXITSTATUS (wait_status);
  g_ptr_array_free (argv, TRUE);
  return r;
}

static Run
run_cli (const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  Run r = run_cli_valist (NULL, first, ap);
  va_end (ap);
  return r;
}

static Run
run_cli_env (char **envp, const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  Run r = run_cli_valist (envp, first, ap);
  va_end (ap);
  return r;
}

static char *
golden (const char *name, const char *file)
{
  return g_build_filename (RS_TEST_SRCDIR, "golden", name, file, NULL);
}

/* The "done when": the seed presets, on PyTorch's init and data,
 * print PyTorch's ten lines exactly. */
static void
test_seed_printout (gconstpointer data)
{
  const char *name = data;
  g_autofree char *preset = g_strdup_printf ("%s/presets/%s.ini", g_getenv ("REGSCOPE_DATADIR"), name);
  g_autofree char *init = golden (name, "init.safetensors");
  g_autofree char *csv = golden (name, "data.csv");
  g_autofree char *set = g_strconcat ("data.source=csv:", csv, NULL);
  g_autofree char *epochs = golden (name, "epochs.txt");
  g_autofree char *want = NULL;
  g_assert_true (g_file_get_contents (epochs, &want, NULL, NULL));
  Run r = run_cli (preset, "--init", init, "--set", set, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, want);
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
}

static void
test_log_and_checkpoint (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *log = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *ckpt = g_build_filename (dir, "w.safetensors", NULL);
  Run r = run_cli ("seed-l1", "--steps", "25", "--log", log, "--save", ckpt, "--progress", "none",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  run_clear (&r);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "step,epoch,loss,task_loss,l1,l2,activity,train_acc,val_loss,val_acc,test_loss,test_acc");
  g_assert_cmpuint (g_strv_length (lines), ==, 27); /* header, 25 rows, trailing "" */
  g_assert_true (g_str_has_prefix (lines[1], "0,0,"));
  g_assert_true (g_str_has_prefix (lines[25], "24,24,"));
  /* loss = task + l1 (seed-l1 has only an L1 term) */
  g_auto (GStrv) f = g_strsplit (lines[25], ",", -1);
  double loss = g_ascii_strtod (f[2], NULL), task = g_ascii_strtod (f[3], NULL);
  double l1 = g_ascii_strtod (f[4], NULL);
  g_assert_cmpfloat (l1, >, 0.0);
  g_assert_cmpfloat_with_epsilon (loss, task + l1, 1e-7);

  /* the saved checkpoint loads back as --init and continues identically */
  Run again = run_cli ("seed-l1", "--steps", "1", "--init", ckpt, "--progress", "epochs", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (g_str_has_prefix (again.out, "Epoch: 0, Loss: "));
  run_clear (&again);
  g_unlink (log);
  g_unlink (ckpt);
  g_rmdir (dir);
}

static void
test_plots_written (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);
  Run r = run_cli ("l1-digits", "--epochs", "1", "--plots", plots, "--size", "640x400",
                   "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  const char *expected[] = { "dashboard.png", "loss.png", "histograms.png", "weights.png",
                             "activations.png", "digit-tiles.png" };
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *p = g_build_filename (plots, expected[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (p, &bytes, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
      g_unlink (p);
    }
  /* digits are not 2-D: no boundary plot */
  g_autofree char *boundary = g_build_filename (plots, "boundary.png", NULL);
  g_assert_false (g_file_test (boundary, G_FILE_TEST_EXISTS));
  GDir *d = g_dir_open (plots, 0, NULL);
  const char *left;
  while ((left = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (plots, left, NULL);
      g_unlink (p);
    }
  g_dir_close (d);
  g_rmdir (plots);
  g_rmdir (dir);
}

static void assert_one_line_error (Run *r, int status, const char *must_contain_a,
                                   const char *must_contain_b);

/* --sweep: one CSV row per point in value order (C locale) and the two
 * sweep plots. (Each point equal to --set at its value: test-sweep.) */
static void
test_sweep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);
  g_autofree char *log = g_build_filename (dir, "sweep.csv", NULL);
  /* a locale that writes 0,5 (when installed): the CSV keeps 0.5; the
   * messages stay English (LANGUAGE=en has no catalog) for the checks */
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "de_DE.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);
  Run r = run_cli_env (envp, "l2-spiral", "--sweep", "fc1.l2=1e-3:1e-1:3", "--jobs", "2",
                       "--steps", "40", "--plots", plots, "--format", "svg", "--log", log,
                       NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "best: fc1.l2="));
  run_clear (&r);

  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (log, &csv, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5); /* header, 3 points, "" after the last */
  g_assert_true (g_str_has_prefix (lines[0], "fc1.l2,steps,diverged,train_loss,"));
  g_assert_true (g_str_has_suffix (lines[0], ",fc3_norm,fc3_near_zero"));
  const char *values[] = { "0.001,40,0,", "0.01,40,0,", "0.1,40,0," };
  for (int i = 0; i < 3; i++)
    g_assert_true (g_str_has_prefix (lines[i + 1], values[i]));
  g_assert_cmpstr (lines[4], ==, "");

  for (int k = 0; k < 2; k++)
    {
      const char *name = k == 0 ? "validation-curve.svg" : "regularization-path.svg";
      g_autofree char *p = g_build_filename (plots, name, NULL);
      g_autofree char *bytes = NULL;
      g_assert_true (g_file_get_contents (p, &bytes, NULL, NULL));
      g_assert_nonnull (strstr (bytes, "<svg"));
      g_unlink (p);
    }
  g_unlink (log);
  g_rmdir (plots);
  g_rmdir (dir);
}

/* --compare: both runs' logs (B's the log of the run --set gives, byte
 * for byte), a/ and b/ with each run's plots, and the twin dashboard. */
static void
test_compare (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);
  g_autofree char *log = g_build_filename (dir, "m.csv", NULL);
  g_autofree char *single = g_build_filename (dir, "single.csv", NULL);
  Run r = run_cli ("l2-spiral", "--compare", "fc1.l2=0", "--compare", "fc2.l2=0", "--steps",
                   "30", "--plots", plots, "--log", log, "--progress", "none", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  for (int run = 0; run < 2; run++)
    {
      Run s = run_cli ("l2-spiral", "--set", run ? "fc1.l2=0" : "fc1.l2=0.01", "--set",
                       run ? "fc2.l2=0" : "fc2.l2=0.01", "--steps", "30", "--log", single,
                       "--progress", "none", NULL);
      g_assert_cmpint (s.status, ==, 0);
      run_clear (&s);
      g_autofree char *path = g_build_filename (dir, run ? "m-b.csv" : "m-a.csv", NULL);
      g_autofree char *got = NULL, *want = NULL;
      g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
      g_assert_true (g_file_get_contents (single, &want, NULL, NULL));
      g_assert_cmpstr (got, ==, want);
      g_unlink (path);
    }
  const char *files[] = { "twin.png", "a/loss.png", "b/loss.png", "a/boundary.png",
                          "b/boundary.png" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (plots, files[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (p, &bytes, &len, NULL));
      g_assert_cmpmem (bytes, 4, "\x89PNG", 4);
    }
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (rm), ==, 0);

  /* a bad override: one line naming it */
  Run bad = run_cli ("l2-spiral", "--compare", "fc1.l2=lots", NULL);
  assert_one_line_error (&bad, 1, "--compare 'fc1.l2=lots': ", "'lots' is not a number");
  run_clear (&bad);
  Run data = run_cli ("l2-spiral", "--compare", "data.samples=10", NULL);
  assert_one_line_error (&data, 1, "--compare 'data.samples=10': ",
                         "B differs from A only in what can change while training");
  run_clear (&data);
  Run sweep = run_cli ("l2-spiral", "--compare", "fc1.l2=0", "--sweep", "fc1.l2=1e-3:1e-1:3",
                       NULL);
  assert_one_line_error (&sweep, 2, "--compare trains two runs; not with --sweep", NULL);
  run_clear (&sweep);
}

/* A bad sweep is one line naming the option and what is wrong. */
static void
test_sweep_errors (void)
{
  const struct { const char *spec, *says; } bad[] = {
    { "fc1.l2=1e-3:1e-1", "expected TERM=FROM:TO:POINTS" },
    { "fc9.l2=1e-3:1e-1:5", "[layer fc9]: the model has only 3 layers" },
    { "fc1.l2=0:1e-1:5", "log-spaced points need both ends above 0" },
    { "fc1.l2=1e-3:1e-1:1", "a sweep has 2 to 256 points" },
    { "model.loss=1:2:3", "is not a strength a sweep can vary" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Run r = run_cli ("l2-spiral", "--sweep", bad[i].spec, NULL);
      g_autofree char *start = g_strdup_printf ("--sweep '%s': ", bad[i].spec);
      assert_one_line_error (&r, 1, start, bad[i].says);
      run_clear (&r);
    }
  const struct { const char *a, *b, *c, *says; } usage[] = {
    { "--jobs", "2", NULL, "--jobs goes with --sweep" },
    { "--sweep", "fc1.l2=1e-3:1e-1:3", "--save=/tmp/x.safetensors", "not with --sweep" },
    { "--sweep", "fc1.l2=1e-3:1e-1:3", "--jobs=-1", "--jobs: must be 1 to 256" },
  };
  /* a lesson without a [sweep] has none to run */
  Run none = run_cli ("seed-l1", "--sweep", "lesson", NULL);
  assert_one_line_error (&none, 1, "--sweep lesson: ", "seed-l1.ini has no [sweep]");
  run_clear (&none);
  for (gsize i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      Run r = run_cli ("l2-spiral", usage[i].a, usage[i].b, usage[i].c, NULL);
      assert_one_line_error (&r, 2, usage[i].says, usage[i].says);
      run_clear (&r);
    }
}

static void
assert_one_line_error (Run *r, int status, const char *must_contain_a, const char *must_contain_b)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_cmpint (r->status, ==, status);
  g_assert_true (g_str_has_prefix (r->err, "regscope-train: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_null (strchr (r->err, '\n') == r->err + strlen (r->err) - 1 ? NULL : "more than one line");
  if (must_contain_a)
    g_assert_nonnull (strstr (r->err, must_contain_a));
  if (must_contain_b)
    g_assert_nonnull (strstr (r->err, must_contain_b));
}

static void
test_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "typo.ini", NULL);
  g_assert_true (g_file_set_contents (bad, "[experiment]\ntitle=x\n[data]\nsorce=random\n", -1, NULL));

  Run r = run_cli (bad, NULL);
  assert_one_line_error (&r, 1, "typo.ini", "sorce");
  g_assert_nonnull (strstr (r.err, "source"));  /* did you mean */
  run_clear (&r);

  r = run_cli ("seed-l1", "--set", "fc3.l1=0.1", NULL);
  assert_one_line_error (&r, 1, "fc3", NULL);
  run_clear (&r);

  r = run_cli ("seed-l1", "--set", "fc1.l1=-1", NULL);
  assert_one_line_error (&r, 1, "l1", NULL);
  run_clear (&r);

  r = run_cli ("no-such-lesson", NULL);
  assert_one_line_error (&r, 1, "no-such-lesson", NULL);
  run_clear (&r);

  g_autofree char *csv = g_build_filename (dir, "ragged.csv", NULL);
  g_assert_true (g_file_set_contents (csv, "a,b,label\n1,2,0\n3,1\n", -1, NULL));
  g_autofree char *set = g_strconcat ("data.source=csv:", csv, NULL);
  r = run_cli ("seed-l1", "--set", set, NULL);
  assert_one_line_error (&r, 1, "ragged.csv:3", NULL);
  run_clear (&r);

  g_autofree char *truncated = g_build_filename (dir, "t.safetensors", NULL);
  g_assert_true (g_file_set_contents (truncated, "\x10\0\0\0", 4, NULL));
  r = run_cli ("seed-l1", "--init", truncated, NULL);
  assert_one_line_error (&r, 1, "t.safetensors", NULL);
  run_clear (&r);

  /* a checkpoint of another architecture names the tensor and the shapes */
  g_autofree char *other_init = golden ("sgd-momentum", "init.safetensors"); /* 10-32-4 */
  r = run_cli ("seed-l1", "--init", other_init, NULL);
  assert_one_line_error (&r, 1, "init.safetensors", "'fc1.weight' has shape [32, 10], the model needs [20, 10]");
  run_clear (&r);
  g_autofree char *deeper_init = golden ("tanh", "init.safetensors"); /* 8-16-16-3 */
  r = run_cli ("seed-l1", "--init", deeper_init, NULL);
  assert_one_line_error (&r, 1, "init.safetensors", "'fc1.weight' has shape [16, 8], the model needs [20, 10]");
  run_clear (&r);

  g_autofree char *unwritable = g_build_filename (dir, "missing", "dir", "m.csv", NULL);
  r = run_cli ("seed-l1", "--log", unwritable, NULL);
  assert_one_line_error (&r, 1, unwritable, NULL);
  run_clear (&r);

  /* a diverging run stops at that step and exits non-zero, leaving no log */
  g_autofree char *log = g_build_filename (dir, "diverged.csv", NULL);
  r = run_cli ("seed-l1", "--set", "optimizer.name=sgd", "--set", "optimizer.lr=1e30",
               "--steps", "500", "--log", log, "--progress", "none", NULL);
  assert_one_line_error (&r, 1, "step", "diverged");
  g_assert_false (g_file_test (log, G_FILE_TEST_EXISTS));
  run_clear (&r);

  /* usage errors: status 2 */
  r = run_cli ("seed-l1", "--format", "gif", NULL);
  assert_one_line_error (&r, 2, "gif", NULL);
  run_clear (&r);
  r = run_cli ("seed-l1", "--epochs", "3", "--steps", "3", NULL);
  assert_one_line_error (&r, 2, NULL, NULL);
  run_clear (&r);

  g_unlink (bad);
  g_unlink (csv);
  g_unlink (truncated);
  g_rmdir (dir);
}

static void
test_print_pytorch_and_list (void)
{
  Run r = run_cli ("seed-l1", "--print-pytorch", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "import torch"));
  g_assert_nonnull (strstr (r.out, "0.005"));
  g_assert_nonnull (strstr (r.out, "abs().sum()"));
  /* Without --steps, the lesson's own run: its epochs. */
  g_assert_nonnull (strstr (r.out, "steps = 10 * -(-len(inputs) // batch_size)  # 10 epochs\n"));
  run_clear (&r);

  /* --steps limits the script as it limits regscope-train: 0 trains nothing. */
  r = run_cli ("seed-l1", "--steps", "0", "--print-pytorch", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\nsteps = 0\n"));
  g_assert_nonnull (strstr (r.out, "for step in range(steps):\n"));
  g_assert_null (strstr (r.out, "epochs\n"));
  run_clear (&r);
  r = run_cli ("seed-l1", "--steps", "7", "--print-pytorch", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\nsteps = 7\n"));
  run_clear (&r);

  /* With --init the script loads those weights, by absolute path; the
   * initial weights come from --steps 0 --save. */
  g_autofree char *dir = g_dir_make_tmp ("rs-cli-XXXXXX", NULL);
  g_autofree char *weights = g_build_filename (dir, "w0.safetensors", NULL);
  r = run_cli ("seed-l1", "--steps", "0", "--save", weights, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (weights, G_FILE_TEST_IS_REGULAR));
  run_clear (&r);
  g_autofree char *cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (dir), ==, 0);
  r = run_cli ("seed-l1", "--print-pytorch", "--init", "w0.safetensors", NULL);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_cmpint (r.status, ==, 0);
  g_autofree char *load = g_strdup_printf ("tensors = load_safetensors(\"%s\")\n", weights);
  g_assert_nonnull (strstr (r.out, load));
  g_assert_null (strstr (r.out, "regscope_init(model, seed)"));
  run_clear (&r);
  g_unlink (weights);
  g_rmdir (dir);

  r = run_cli ("--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "overfit-random-labels"));
  g_assert_nonnull (strstr (r.out, "[default]"));
  g_assert_nonnull (strstr (r.out, "seed-l2-weight-decay"));
  run_clear (&r);

  r = run_cli ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *o = (const char *const[]) { "--epochs", "--steps", "--set", "--init",
                                                      "--save", "--log", "--plots", "--format",
                                                      "--size", "--scale", "--replay",
                                                      "--print-pytorch", NULL };
       *o != NULL; o++)
    g_assert_nonnull (strstr (r.out, *o));
  run_clear (&r);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The JSON header of a safetensors file and where its data start. */
static char *
safetensors_header (const char *path, char **bytes_out, gsize *data_start)
{
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, bytes_out, &len, NULL));
  guint64 hlen;
  g_assert_cmpuint (len, >=, 8);
  memcpy (&hlen, *bytes_out, 8);
  hlen = GUINT64_FROM_LE (hlen);
  g_assert_cmpuint (hlen + 8, <=, len);
  *data_start = 8 + hlen;
  return g_strndup (*bytes_out + 8, hlen);
}

/* --threads N: the large products on N threads, the same weights bit for
 * bit (a model whose products are large enough to be split). */
static void
test_threads (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  char *bytes[3] = { NULL };
  gsize len[3] = { 0 };
  for (int t = 1; t <= 2; t++)
    {
      g_autofree char *saved = g_strdup_printf ("%s/w%d.safetensors", dir, t);
      g_autofree char *threads = g_strdup_printf ("--threads=%d", t);
      Run r = run_cli ("seed-l1", "--set", "data.source=random", "--set", "data.features=300",
                       "--set", "data.classes=10", "--set", "data.samples=250",
                       "--set", "model.layers=300,256,10", "--steps", "3", threads,
                       "--save", saved, "--progress", "none", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      run_clear (&r);
      g_assert_true (g_file_get_contents (saved, &bytes[t], &len[t], NULL));
      g_unlink (saved);
    }
  g_assert_cmpuint (len[1], ==, len[2]);
  g_assert_true (memcmp (bytes[1], bytes[2], len[1]) == 0);
  g_free (bytes[1]);
  g_free (bytes[2]);
  g_rmdir (dir);

  const char *bad[] = { "--threads=-1", "--threads=65" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Run r = run_cli ("seed-l1", bad[i], NULL);
      assert_one_line_error (&r, 2, "--threads: must be 1 to 64", NULL);
      run_clear (&r);
    }
}

/* --steps 0 trains nothing: --save writes the initial weights (with the
 * reference writer's metadata), and training from them is training from
 * the seed. */
static void
test_steps_zero (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *w0 = g_build_filename (dir, "w0.safetensors", NULL);
  g_autofree char *log0 = g_build_filename (dir, "zero.csv", NULL);
  Run r = run_cli ("seed-l1", "--steps", "0", "--save", w0, "--log", log0, "--progress",
                   "epochs", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
  g_autofree char *zero = read_text (log0);
  g_assert_cmpstr (zero, ==, "step,epoch,loss,task_loss,l1,l2,activity,train_acc,val_loss,val_acc,test_loss,test_acc\n");

  g_autofree char *bytes = NULL;
  gsize start = 0;
  g_autofree char *header = safetensors_header (w0, &bytes, &start);
  g_autofree char *meta = g_strdup_printf (
    "{\"__metadata__\":{\"format\":\"pt\",\"regscope\":\"%s\",\"lesson\":\"seed-l1\"},"
    "\"fc1.weight\":", RS_VERSION);
  g_assert_true (g_str_has_prefix (header, meta));

  g_autofree char *from_seed = g_build_filename (dir, "seed.csv", NULL);
  g_autofree char *from_w0 = g_build_filename (dir, "w0.csv", NULL);
  r = run_cli ("seed-l1", "--steps", "5", "--log", from_seed, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = run_cli ("seed-l1", "--steps", "5", "--init", w0, "--log", from_w0, "--progress", "none",
               NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_autofree char *a = read_text (from_seed), *b = read_text (from_w0);
  g_assert_cmpstr (a, ==, b);
  g_auto (GStrv) lines = g_strsplit (a, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);

  /* Negative counts are usage errors. */
  r = run_cli ("seed-l1", "--steps", "-1", NULL);
  assert_one_line_error (&r, 2, "--steps N (N >= 0)", NULL);
  run_clear (&r);
  r = run_cli ("seed-l1", "--steps", "0", "--epochs", "2", NULL);
  assert_one_line_error (&r, 2, NULL, NULL);
  run_clear (&r);

  const char *files[] = { w0, log0, from_seed, from_w0 };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    g_unlink (files[i]);
  g_rmdir (dir);
}

typedef struct {
  const char *name, *dtype, *shape;
  gsize bytes;
} RawTensor;

/* A safetensors file of these tensors, data k * 0.01 as floats (or zero
 * bytes for other dtypes), laid out in the given order. Returns the model
 * tensors' float data (the first n_model tensors) for comparison. */
static GByteArray *
write_raw_safetensors (const char *path, const RawTensor *t, int n, int n_model)
{
  GString *h = g_string_new ("{");
  GByteArray *data = g_byte_array_new ();
  GByteArray *model = g_byte_array_new ();
  for (int i = 0; i < n; i++)
    {
      g_string_append_printf (h, "%s\"%s\":{\"dtype\":\"%s\",\"shape\":%s,"
                              "\"data_offsets\":[%u,%u]}", i ? "," : "", t[i].name,
                              t[i].dtype, t[i].shape, data->len,
                              (guint) (data->len + t[i].bytes));
      for (gsize k = 0; k < t[i].bytes; k += 4)
        {
          float v = g_str_equal (t[i].dtype, "F32") ? 0.01f * (float) (data->len / 4) : 0.0f;
          guint8 le[4];
          memcpy (le, &v, 4);
          g_byte_array_append (data, le, (guint) MIN (4, t[i].bytes - k));
          if (i < n_model)
            g_byte_array_append (model, le, 4);
        }
    }
  g_string_append_c (h, '}');
  guint64 hlen = GUINT64_TO_LE ((guint64) h->len);
  GByteArray *file = g_byte_array_new ();
  g_byte_array_append (file, (const guint8 *) &hlen, 8);
  g_byte_array_append (file, (const guint8 *) h->str, h->len);
  g_byte_array_append (file, data->data, data->len);
  g_assert_true (g_file_set_contents (path, (const char *) file->data, file->len, NULL));
  g_string_free (h, TRUE);
  g_byte_array_unref (data);
  g_byte_array_unref (file);
  return model;
}

/* A checkpoint with more than the model: the model's tensors load, the
 * others (a name, a layer beyond the model, an I64 step) are named in one
 * warning line; a model tensor of another dtype is an error. */
static void
test_init_unused_tensors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *init = g_build_filename (dir, "extra.safetensors", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.safetensors", NULL);
  const RawTensor extra[] = {
    { "fc1.weight", "F32", "[20,10]", 800 }, { "fc1.bias", "F32", "[20]", 80 },
    { "fc2.weight", "F32", "[5,20]", 400 }, { "fc2.bias", "F32", "[5]", 20 },
    { "foo", "F32", "[2]", 8 }, { "fc3.weight", "F32", "[3,5]", 60 },
    { "step", "I64", "[]", 8 },
  };
  g_autoptr (GByteArray) model = write_raw_safetensors (init, extra, G_N_ELEMENTS (extra), 4);
  Run r = run_cli ("seed-l1", "--init", init, "--steps", "0", "--save", saved, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autofree char *want = g_strdup_printf (
    "regscope-train: warning: %s: 3 tensors that the model (fc1..fc2) does not use were "
    "skipped: 'foo', 'fc3.weight', 'step' (I64)\n", init);
  g_assert_cmpstr (r.err, ==, want);
  run_clear (&r);
  /* What was saved untrained is what the file held for the model. */
  g_autofree char *bytes = NULL;
  gsize start = 0;
  g_autofree char *header = safetensors_header (saved, &bytes, &start);
  g_assert_nonnull (header);
  g_assert_cmpmem (bytes + start, model->len, model->data, model->len);

  /* fc1.bias in half precision: an error, and nothing is trained. */
  const RawTensor half[] = {
    { "fc1.weight", "F32", "[20,10]", 800 }, { "fc1.bias", "F16", "[20]", 40 },
    { "fc2.weight", "F32", "[5,20]", 400 }, { "fc2.bias", "F32", "[5]", 20 },
  };
  g_byte_array_unref (write_raw_safetensors (init, half, G_N_ELEMENTS (half), 0));
  r = run_cli ("seed-l1", "--init", init, NULL);
  assert_one_line_error (&r, 1, init, "tensor 'fc1.bias': dtype F16 is not supported (only F32)");
  g_assert_cmpstr (r.out, ==, "");
  run_clear (&r);
  g_unlink (init);
  g_unlink (saved);
  g_rmdir (dir);
}

/* `regscope-train FILE.csv` (and `regscope FILE.csv`, which shares the
 * loading) trains a default network sized to the data, instead of
 * reading the CSV as a preset ("Key file contains line ..."). */
static void
test_csv_as_lesson (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "Pets.CSV", NULL);
  g_assert_true (g_file_set_contents (csv, "weight,height,legs,species\n4.5,25,4,cat\n"
                                      "20,60,4,dog\n3.5,23,4,cat\n40,170,2,emu\n"
                                      "30,55,4,dog\n", -1, NULL));
  Run r = run_cli (csv, "--print-preset", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autofree char *source = g_strdup_printf ("\nsource=csv:%s\n", csv);
  const char *expected[] = { "title=Pets.CSV\n",
                             "description=5 rows, 3 features, 3 classes: cat, dog, emu\n",
                             source, "\nlayers=3,32,3\n", "\nstandardize=true\n",
                             "\nvalidation=0.2\n", "\nepochs=100\n", NULL };
  for (int i = 0; expected[i] != NULL; i++)
    if (strstr (r.out, expected[i]) == NULL)
      g_error ("--print-preset lacks %s:\n%s", expected[i], r.out);
  run_clear (&r);

  g_autofree char *log = g_build_filename (dir, "m.csv", NULL);
  r = run_cli (csv, "--steps", "3", "--log", log, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
  g_autofree char *text = read_text (log);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);

  /* A broken CSV is the reader's one-line error, naming the file. */
  g_assert_true (g_file_set_contents (csv, "a,b,label\n1,2,0\n3,x,1\n", -1, NULL));
  r = run_cli (csv, NULL);
  g_autofree char *where = g_strdup_printf ("%s:3: column 2: 'x' is not a number", csv);
  assert_one_line_error (&r, 1, where, NULL);
  run_clear (&r);
  g_unlink (csv);
  r = run_cli (csv, NULL);
  assert_one_line_error (&r, 1, csv, NULL);
  run_clear (&r);
  g_unlink (log);
  g_rmdir (dir);
}

/* A session file (as the window saves) replays headless to the same log. */
static void
test_replay (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *session = g_build_filename (dir, "s.ini", NULL);
  g_autofree char *preset = g_strdup_printf ("%s/presets/seed-l1.ini", g_getenv ("REGSCOPE_DATADIR"));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (preset, &text, NULL, NULL));
  g_autofree char *with_replay = g_strconcat (
    text, "\n[replay]\nsteps=12\nevents=3 fc1 l1 0.005 0;6 fc2 l2 0 0.01;9 optimizer lr 0.001 0.01\n",
    NULL);
  g_assert_true (g_file_set_contents (session, with_replay, -1, NULL));
  g_autofree char *log1 = g_build_filename (dir, "a.csv", NULL);
  g_autofree char *log2 = g_build_filename (dir, "b.csv", NULL);
  Run r = run_cli ("--replay", session, "--log", log1, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = run_cli ("--replay", session, "--log", log2, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_autofree char *a = NULL, *b = NULL;
  g_assert_true (g_file_get_contents (log1, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (log2, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_auto (GStrv) lines = g_strsplit (a, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 14);
  /* L1 was switched off before step 3: the l1 column is 0 from there on */
  g_auto (GStrv) row2 = g_strsplit (lines[3], ",", -1);
  g_auto (GStrv) row3 = g_strsplit (lines[4], ",", -1);
  g_auto (GStrv) row6 = g_strsplit (lines[7], ",", -1);
  g_assert_cmpfloat (g_ascii_strtod (row2[4], NULL), >, 0.0);
  g_assert_cmpfloat (g_ascii_strtod (row3[4], NULL), ==, 0.0);
  g_assert_cmpfloat (g_ascii_strtod (row6[5], NULL), >, 0.0);

  /* a broken event names the file and the event */
  g_autofree char *broken = g_strconcat (text, "\n[replay]\nsteps=12\nevents=3 fc9 l1 0 1\n", NULL);
  g_assert_true (g_file_set_contents (session, broken, -1, NULL));
  r = run_cli ("--replay", session, NULL);
  assert_one_line_error (&r, 1, "s.ini", "event 1");
  run_clear (&r);
  g_unlink (session);
  g_unlink (log1);
  g_unlink (log2);
  g_rmdir (dir);
}

/* A session with a change of data and network (a restart, as the window
 * saves it) replays headless: the log holds both runs, and the run after
 * the change is the changed lesson trained from the seed. */
static void
test_replay_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-XXXXXX", NULL);
  g_autofree char *session = g_build_filename (dir, "s.ini", NULL);
  g_autofree char *preset = g_strdup_printf ("%s/presets/seed-l1.ini", g_getenv ("REGSCOPE_DATADIR"));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (preset, &text, NULL, NULL));
  g_autofree char *with_replay = g_strconcat (
    text, "\n[replay]\nsteps=5\nevents=2 fc1 l1 0.005 0;4 restart data.source=iris "
    "model.layers=4,20,3;2 fc2 l2 0 0.01\n", NULL);
  g_assert_true (g_file_set_contents (session, with_replay, -1, NULL));
  g_autofree char *log1 = g_build_filename (dir, "replay.csv", NULL);
  g_autofree char *log2 = g_build_filename (dir, "direct.csv", NULL);
  Run r = run_cli ("--replay", session, "--log", log1, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = run_cli ("seed-l1", "--set", "data.source=iris", "--set", "model.layers=4,20,3",
               "--set", "fc1.l1=0", "--steps", "2", "--log", log2, "--progress", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_autofree char *a = NULL, *b = NULL;
  g_assert_true (g_file_get_contents (log1, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (log2, &b, NULL, NULL));
  g_auto (GStrv) replayed = g_strsplit (a, "\n", -1);
  g_auto (GStrv) direct = g_strsplit (b, "\n", -1);
  /* header, 4 steps before the change, 5 after it, and the final newline */
  g_assert_cmpuint (g_strv_length (replayed), ==, 11);
  g_assert_true (g_str_has_prefix (replayed[4], "3,"));
  g_assert_true (g_str_has_prefix (replayed[5], "0,"));
  /* the second run's first two steps, before its fc2 event, are the
   * changed lesson's own */
  g_assert_cmpuint (g_strv_length (direct), ==, 4);
  g_assert_cmpstr (replayed[5], ==, direct[1]);
  g_assert_cmpstr (replayed[6], ==, direct[2]);
  /* and from step 2 on fc2's L2 counts */
  g_auto (GStrv) before = g_strsplit (replayed[6], ",", -1);
  g_auto (GStrv) after = g_strsplit (replayed[7], ",", -1);
  g_assert_cmpfloat (g_ascii_strtod (before[5], NULL), ==, 0.0);
  g_assert_cmpfloat (g_ascii_strtod (after[5], NULL), >, 0.0);

  /* a bad restart names the file, the line and the event */
  g_autofree char *broken = g_strconcat (text, "\n[replay]\nsteps=5\nevents=4 restart data.source=irs\n",
                                         NULL);
  g_assert_true (g_file_set_contents (session, broken, -1, NULL));
  r = run_cli ("--replay", session, NULL);
  assert_one_line_error (&r, 1, "s.ini:", "'irs'");
  run_clear (&r);
  g_unlink (session);
  g_unlink (log1);
  g_unlink (log2);
  g_rmdir (dir);
}

/* Run from its build folder without $REGSCOPE_DATADIR, as .ci/explore and
 * `./build/app/regscope-train` run it, the program reads the source tree's
 * data/ (named by the build folder's regscope-uninstalled.ini), whether or
 * not an installed copy exists. The installed side is checked by
 * .ci/install-check, which installs into a temporary prefix. */
static void
test_uninstalled_reads_source_data (void)
{
  g_auto (GStrv) envp = g_environ_unsetenv (g_get_environ (), "REGSCOPE_DATADIR");
  g_autofree char *data = g_canonicalize_filename ("../data", RS_TEST_SRCDIR);
  g_autofree char *expected = g_strdup_printf ("\nlessons and datasets: %s\n", data);

  Run r = run_cli_env (envp, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, expected));
  run_clear (&r);

  r = run_cli_env (envp, "--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "overfit-random-labels"));
  run_clear (&r);
}

/* Under a German locale the words are German (the progress bar's numbers
 * too), but every file and every line scripts read stays as the C locale
 * writes it: the metrics log, the
 * seed programs' epoch lines, --print-preset and --print-pytorch are byte
 * for byte the same, and say 0.5, never 0,5. */
static void
test_german_locale (void)
{
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed "
                   "(localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
      return;
    }
  setlocale (LC_ALL, "C");
  g_autofree char *dir = g_dir_make_tmp ("regscope-cli-de-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_auto (GStrv) c_env = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  g_auto (GStrv) de_env = g_environ_setenv (g_environ_setenv (g_get_environ (), "LC_ALL",
                                                              "de_DE.UTF-8", TRUE),
                                            "LANGUAGE", "de", TRUE);
  char **envs[] = { c_env, de_env };
  char *logs[2], *epochs[2], *preset[2], *script[2];

  for (int i = 0; i < 2; i++)
    {
      logs[i] = g_strdup_printf ("%s/log-%d.csv", dir, i);
      Run r = run_cli_env (envs[i], "seed-l1", "--set", "fc1.l1=0.5", "--steps", "30",
                           "--progress", "epochs", "--log", logs[i], NULL);
      g_assert_cmpint (r.status, ==, 0);
      epochs[i] = g_steal_pointer (&r.out);
      run_clear (&r);
      r = run_cli_env (envs[i], "seed-l1", "--set", "fc1.l1=0.5", "--print-preset", NULL);
      g_assert_cmpint (r.status, ==, 0);
      preset[i] = g_steal_pointer (&r.out);
      run_clear (&r);
      r = run_cli_env (envs[i], "seed-l1", "--set", "fc1.l1=0.5", "--print-pytorch", NULL);
      g_assert_cmpint (r.status, ==, 0);
      script[i] = g_steal_pointer (&r.out);
      run_clear (&r);
    }
  g_autofree char *log_c = NULL, *log_de = NULL;
  g_assert_true (g_file_get_contents (logs[0], &log_c, NULL, NULL));
  g_assert_true (g_file_get_contents (logs[1], &log_de, NULL, NULL));
  g_assert_cmpstr (log_de, ==, log_c);
  g_assert_nonnull (strstr (log_de, "\n0,0,"));       /* step 0, epoch 0, then the loss */
  g_assert_nonnull (strstr (epochs[1], "Epoch: 0, Loss: "));
  g_assert_cmpstr (epochs[1], ==, epochs[0]);
  g_assert_nonnull (strstr (preset[1], "\nl1=0.5\n"));
  /* (The title and text are the lesson's German ones: from seed= on.) */
  g_assert_cmpstr (strstr (preset[1], "\nseed="), ==, strstr (preset[0], "\nseed="));
  g_assert_nonnull (strstr (script[1], "0.5"));
  g_assert_cmpstr (strstr (script[1], "\nimport "), ==, strstr (script[0], "\nimport "));
  /* Each log row has as many fields as the header: a decimal comma
   * would add one. */
  g_auto (GStrv) rows = g_strsplit (log_de, "\n", -1);
  g_auto (GStrv) header = g_strsplit (rows[0], ",", -1);
  guint columns = g_strv_length (header);
  for (int i = 1; rows[i] != NULL && *rows[i] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_strsplit (rows[i], ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, columns);
    }
  for (int i = 0; i < 2; i++)
    {
      g_unlink (logs[i]);
      g_free (logs[i]);
      g_free (epochs[i]);
      g_free (preset[i]);
      g_free (script[i]);
    }
  g_rmdir (dir);

  /* The words are German: an error and --help. */
  Run r = run_cli_env (de_env, "seed-l1", "--scale", "9", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "regscope-train: --scale: muss zwischen 0.25 und 8 liegen\n");
  run_clear (&r);
  r = run_cli_env (de_env, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Trainiert eine regscope-Lektion ohne Fenster."));
  g_assert_nonnull (strstr (r.out, "N Epochen lang trainieren"));
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("REGSCOPE_TRAIN"));
  g_test_add_data_func ("/cli/seed-l2-weight-decay-prints-pytorch-epochs", "seed-l2-weight-decay", test_seed_printout);
  g_test_add_data_func ("/cli/seed-l1-prints-pytorch-epochs", "seed-l1", test_seed_printout);
  g_test_add_data_func ("/cli/seed-activity-prints-pytorch-epochs", "seed-activity", test_seed_printout);
  g_test_add_func ("/cli/log-and-checkpoint", test_log_and_checkpoint);
  g_test_add_func ("/cli/plots-written", test_plots_written);
  g_test_add_func ("/cli/errors-name-file-and-place", test_errors);
  g_test_add_func ("/cli/print-pytorch-list-help", test_print_pytorch_and_list);
  g_test_add_func ("/cli/replay", test_replay);
  g_test_add_func ("/cli/replay-data-and-network-change", test_replay_restart);
  g_test_add_func ("/cli/uninstalled-reads-source-data", test_uninstalled_reads_source_data);
  g_test_add_func ("/cli/steps-zero-saves-initial-weights", test_steps_zero);
  g_test_add_func ("/cli/threads-same-weights", test_threads);
  g_test_add_func ("/cli/init-unused-tensors-warn", test_init_unused_tensors);
  g_test_add_func ("/cli/csv-as-lesson", test_csv_as_lesson);
  g_test_add_func ("/cli/sweep", test_sweep);
  g_test_add_func ("/cli/sweep-errors", test_sweep_errors);
  g_test_add_func ("/cli/compare", test_compare);
  g_test_add_func ("/cli/german-locale-files-stay-c", test_german_locale);
  return g_test_run ();
}
