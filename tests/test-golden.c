/* test-golden.c — regscope against PyTorch, step by step.
 *
 * tests/golden/<case>/ holds a preset, PyTorch's initial parameters, the
 * data, and PyTorch's per-step losses and final parameters, made by
 * tests/golden/make_golden.py (PyTorch 1.13). Each case trains here from
 * the same init and data and must agree at every step within 1e-4
 * relative: the total loss, the task loss and each penalty term.
 *
 * Cases with dropout also hold masks.bin, regscope's own masks (one bit
 * per hidden output and step: 1 kept, 0 dropped; step by step, layer by
 * layer, row-major [batch, out]; bit i is bit i % 8 of byte i / 8), which
 * PyTorch applies in place of its
 * own. They are written by this program's test-only option
 *   test-golden --write-masks tests/golden/CASE
 * (make_golden.py calls it), and each run checks that regscope still
 * draws exactly those masks. */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs-safetensors.h"
#include "rs-session.h"
#include "rs-session-private.h"

#define REL_TOL 1e-4

static char *
case_path (const char *name, const char *file)
{
  return g_build_filename (RS_TEST_SRCDIR, "golden", name, file, NULL);
}

typedef double ExpectedRow[7]; /* step, epoch, loss, task_loss, l1, l2, activity */

typedef struct {
  int n;
  ExpectedRow *rows;
} Expected;

static Expected
read_expected (const char *path)
{
  Expected e = { 0 };
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "step,epoch,loss,task_loss,l1,l2,activity");
  e.rows = g_new0 (ExpectedRow, g_strv_length (lines));
  for (int i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 7);
      for (int j = 0; j < 7; j++)
        e.rows[e.n][j] = g_ascii_strtod (f[j], NULL);
      e.n++;
    }
  return e;
}

static void
assert_close (const char *what, const char *name, gint64 step, double got, double want)
{
  double tol = REL_TOL * MAX (fabs (want), 1e-6);
  if (!(fabs (got - want) <= tol))
    g_error ("%s: step %" G_GINT64_FORMAT ": %s = %.9g, PyTorch %.9g (rel. error %.3g)",
             name, step, what, got, want, fabs (got - want) / MAX (fabs (want), 1e-30));
}

/* The masks of the step just taken, as masks.bin stores them, appended to
 * `out` one bit a byte (packed by pack_bits). */
static void
append_masks (RsSession *session, int rows, GByteArray *out)
{
  RsNetwork *net = rs_session_get_network (session);
  const RsExperiment *exp = rs_session_get_experiment (session);
  for (int l = 0; l + 1 < net->n_layers; l++)
    {
      if (exp->layer[l].dropout <= 0)
        continue;
      gsize n = (gsize) rows * net->layers[l].out;
      for (gsize i = 0; i < n; i++)
        {
          guint8 kept = net->layers[l].keep[i] != 0.0f;
          g_byte_array_append (out, &kept, 1);
        }
    }
}

/* Rows of the batch the session just trained on (no shuffle here). */
static int
batch_rows (RsSession *session, gint64 step)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  int n = rs_session_get_train (session)->n;
  int bs = exp->batch_size > 0 && exp->batch_size < n ? exp->batch_size : n;
  int pos = (int) (step % rs_session_steps_per_epoch (session)) * bs;
  return MIN (bs, n - pos);
}

/* Eight bytes of 0/1 into one byte, bit i % 8 of byte i / 8. */
static GByteArray *
pack_bits (const GByteArray *bits)
{
  GByteArray *packed = g_byte_array_sized_new ((bits->len + 7) / 8);
  g_byte_array_set_size (packed, (bits->len + 7) / 8);
  memset (packed->data, 0, packed->len);
  for (guint i = 0; i < bits->len; i++)
    packed->data[i / 8] |= (guint8) (bits->data[i] << (i % 8));
  return packed;
}

static void
run_case (gconstpointer data)
{
  const char *name = data;
  g_autofree char *preset = case_path (name, "preset.ini");
  g_autofree char *init = case_path (name, "init.safetensors");
  g_autofree char *final = case_path (name, "final.safetensors");
  g_autofree char *expected_path = case_path (name, "expected.csv");

  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load (preset, &error);
  g_assert_no_error (error);
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_true (rs_session_load_init (session, init, &error));
  g_assert_no_error (error);

  Expected e = read_expected (expected_path);
  g_assert_cmpint (e.n, >=, 100);
  g_assert_cmpint (rs_session_total_steps (session), ==, e.n);

  /* the masks PyTorch applied, when the case drops */
  g_autofree char *masks_path = case_path (name, "masks.bin");
  g_autofree char *masks = NULL;
  gsize masks_len = 0;
  if (g_file_test (masks_path, G_FILE_TEST_EXISTS))
    g_assert_true (g_file_get_contents (masks_path, &masks, &masks_len, NULL));
  g_autoptr (GByteArray) drawn = g_byte_array_new ();
  double worst = 0.0;

  for (int i = 0; i < e.n; i++)
    {
      RsMetrics m;
      g_assert_true (rs_session_step (session, &m, &error));
      g_assert_no_error (error);
      if (masks != NULL)
        append_masks (session, batch_rows (session, m.step), drawn);
      worst = MAX (worst, fabs (m.loss - e.rows[i][2]) / MAX (fabs (e.rows[i][2]), 1e-6));
      g_assert_cmpint (m.step, ==, (gint64) e.rows[i][0]);
      g_assert_cmpint (m.epoch, ==, (int) e.rows[i][1]);
      assert_close ("loss", name, m.step, m.loss, e.rows[i][2]);
      assert_close ("task_loss", name, m.step, m.task_loss, e.rows[i][3]);
      assert_close ("l1", name, m.step, m.l1, e.rows[i][4]);
      assert_close ("l2", name, m.step, m.l2, e.rows[i][5]);
      assert_close ("activity", name, m.step, m.activity, e.rows[i][6]);
    }
  g_free (e.rows);
  g_test_message ("worst relative error of the loss: %.3g", worst);
  if (masks != NULL)
    {
      /* the masks PyTorch applied are the ones regscope drew */
      g_autoptr (GByteArray) packed = pack_bits (drawn);
      g_assert_cmpuint (packed->len, ==, masks_len);
      if (memcmp (masks, packed->data, masks_len) != 0)
        g_error ("%s: regscope drew other dropout masks than masks.bin holds", name);
    }

  /* The parameters after the last step, too: a wrong update rule can keep
   * the losses close for a while but not the weights. */
  g_autoptr (RsTensorFile) want = rs_safetensors_load (final, &error);
  g_assert_no_error (error);
  for (int l = 0; l < rs_session_n_layers (session); l++)
    {
      const RsExperiment *x = rs_session_get_experiment (session);
      g_autofree char *wname = g_strdup_printf ("fc%d.weight", l + 1);
      g_autofree char *bname = g_strdup_printf ("fc%d.bias", l + 1);
      const RsTensor *tw = rs_tensor_file_find (want, wname);
      const RsTensor *tb = rs_tensor_file_find (want, bname);
      g_assert_nonnull (tw);
      g_assert_nonnull (tb);
      const float *w = rs_session_layer_weight (session, l);
      const float *b = rs_session_layer_bias (session, l);
      gsize nw = (gsize) x->sizes[l] * x->sizes[l + 1];
      double max_err = 0.0;
      for (gsize i = 0; i < nw; i++)
        max_err = MAX (max_err, fabs ((double) w[i] - tw->data[i]));
      for (int i = 0; i < x->sizes[l + 1]; i++)
        max_err = MAX (max_err, fabs ((double) b[i] - tb->data[i]));
      if (max_err > 1e-4)
        g_error ("%s: %s/%s differ from PyTorch's final parameters by %.3g", name, wname,
                 bname, max_err);
    }
}

/* The seed programs' own printout: "Epoch: 3, Loss: 1.6214", ten lines,
 * reproduced character for character. */
static void
seed_printout (gconstpointer data)
{
  const char *name = data;
  g_autofree char *preset = case_path (name, "preset.ini");
  g_autofree char *init = case_path (name, "init.safetensors");
  g_autofree char *epochs = case_path (name, "epochs.txt");
  g_autofree char *want = NULL;
  g_assert_true (g_file_get_contents (epochs, &want, NULL, NULL));

  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load (preset, &error);
  g_assert_no_error (error);
  g_autoptr (RsSession) session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_true (rs_session_load_init (session, init, &error));
  GString *got = g_string_new (NULL);
  for (int i = 0; i < 10; i++)
    {
      RsMetrics m;
      g_assert_true (rs_session_step (session, &m, &error));
      g_string_append_printf (got, "Epoch: %d, Loss: %.4f\n", m.epoch, m.loss);
    }
  g_assert_cmpstr (got->str, ==, want);
  g_string_free (got, TRUE);
}

/* test-golden --write-masks DIR: the masks regscope draws for DIR's preset
 * over its steps, into DIR/masks.bin (make_golden.py reads them). */
static int
write_masks (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *preset = g_build_filename (dir, "preset.ini", NULL);
  g_autofree char *out = g_build_filename (dir, "masks.bin", NULL);
  g_autoptr (RsExperiment) exp = rs_experiment_load (preset, &error);
  g_autoptr (RsSession) session = exp != NULL ? rs_session_new (exp, &error) : NULL;
  if (session == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_autoptr (GByteArray) masks = g_byte_array_new ();
  gint64 steps = rs_session_total_steps (session);
  for (gint64 i = 0; i < steps; i++)
    {
      RsMetrics m;
      if (!rs_session_step (session, &m, &error))
        {
          g_printerr ("%s: step %" G_GINT64_FORMAT ": %s\n", preset, i, error->message);
          return 1;
        }
      append_masks (session, batch_rows (session, m.step), masks);
    }
  g_autoptr (GByteArray) packed = pack_bits (masks);
  if (!g_file_set_contents (out, (const char *) packed->data, packed->len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--write-masks") == 0)
    return write_masks (argv[2]);
  g_test_init (&argc, &argv, NULL);
  static const char *cases[] = {
    "seed-l2-weight-decay", "seed-l1", "seed-activity", "sgd-momentum", "sgd-nesterov",
    "adamw", "tanh", "sigmoid", "mixed-3layer", "mse", "minibatch", "linear-act",
    "dropout", "dropout-tanh", "label-smoothing", "max-norm",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/golden/%s-matches-pytorch", cases[i]);
      g_test_add_data_func (path, cases[i], run_case);
    }
  for (gsize i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/golden/%s-prints-seed-epochs", cases[i]);
      g_test_add_data_func (path, cases[i], seed_printout);
    }
  return g_test_run ();
}
