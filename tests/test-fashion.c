/* test-fashion.c — the Fashion-MNIST lesson keeps its promise (suite slow):
 * trained as shipped, its TEST accuracy on the 10,000 test images beats the
 * data set's own benchmark for an MLP without preprocessing (0.8833) and,
 * by a margin, the same lesson trained with every regularizer off, whose
 * test loss climbs far past its own low and the regularized one's. Both
 * are the last epoch's figures, as the status line and loss plot show them.
 *
 * Needs Debian's dataset-fashion-mnist (skipped without it), and a few
 * minutes of one core. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-lessons.h"
#include "rs-session.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RS_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RS_SANITIZED 1
#endif

#define FASHION_DIR     "/usr/share/datasets/fashion-mnist"
#define FASHION_LESSON  "fashion-dropout"
/* "MLPClassifier activation=relu hidden_layer_sizes=[256, 128, 100]", no
 * preprocessing: the best MLP row of the benchmark table in Fashion-MNIST's
 * README. */
#define BENCHMARK_TEST_ACCURACY 0.8833
/* The accuracy gap is real but not wide. At the lesson's end (epoch 60) it
 * was 0.69, 1.77 and 0.51 points on seeds 0-2, and 0.60 on seed 0 with
 * OpenBLAS's AVX-512 kernels (other last bits); over epochs 40-80 of the
 * three seeds it is >= 0.2 points in 88% of epochs, >= 0.5 in 71%: the
 * final figure wobbles by about +-0.4 from epoch to epoch. 0.2 points is
 * what a change of summation order (a new draw) keeps with some room. */
#define ACCURACY_MARGIN 0.002

typedef struct {
  RsMetrics last;          /* the last step's metrics */
  double    low_test_loss;  /* the least test loss of any epoch */
  double    low_val_loss;   /* the least validation loss of any pass */
} Run;

/* Trains `exp` to its end. */
static Run
train (const RsExperiment *exp)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rs_session_get_test (s));
  g_assert_cmpint (rs_session_get_test (s)->n, ==, 10000);
  RsMetrics m = { 0 };
  double low = INFINITY, low_val = INFINITY;
  gint64 total = rs_session_total_steps (s);
  for (gint64 i = 0; i < total; i++)
    {
      g_assert_true (rs_session_step (s, &m, &error));
      g_assert_no_error (error);
      if (isfinite (m.test_loss))
        low = MIN (low, m.test_loss);
      if (isfinite (m.val_loss))
        low_val = MIN (low_val, m.val_loss);
    }
  /* The lesson ends at an epoch's end, so the last step evaluated the test set. */
  g_assert_cmpint (total % rs_session_steps_per_epoch (s), ==, 0);
  g_assert_true (isfinite (m.test_acc));
  g_assert_true (isfinite (low));
  return (Run) { m, low, low_val };
}

static void
test_lesson_beats_benchmark (void)
{
  if (!g_file_test (FASHION_DIR, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("needs Fashion-MNIST in " FASHION_DIR " (apt-get install dataset-fashion-mnist)");
      return;
    }
#ifdef RS_SANITIZED
  /* Minutes of arithmetic become an hour under a sanitizer; the code paths
   * are the engine suite's (/engine/session/test-set). */
  g_test_skip ("the Fashion-MNIST accuracy run is not repeated under a sanitizer");
  return;
#endif
  g_autofree char *path = rs_lesson_resolve (FASHION_LESSON);
  g_assert_nonnull (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (exp->source, ==, RS_DATA_IDX);
  g_assert_cmpint (exp->sizes[0], ==, 784);

  g_autoptr (RsExperiment) plain = rs_experiment_copy (exp);
  gboolean any = FALSE;
  for (int l = 0; l < plain->n_layers; l++)
    {
      any = any || rs_layer_reg_is_active (&plain->layer[l]);
      rs_layer_reg_init_default (&plain->layer[l]);
    }
  g_assert_true (any);

  Run reg = train (exp);
  Run none = train (plain);
  g_test_message ("after %d epochs: test accuracy regularized %.4f, unregularized %.4f "
                  "(benchmark %.4f); test loss %.3f (low %.3f) against %.3f (low %.3f)",
                  reg.last.epoch + 1, reg.last.test_acc, none.last.test_acc,
                  BENCHMARK_TEST_ACCURACY, reg.last.test_loss, reg.low_test_loss,
                  none.last.test_loss, none.low_test_loss);
  g_assert_cmpfloat (reg.last.test_acc, >, BENCHMARK_TEST_ACCURACY);
  g_assert_cmpfloat (reg.last.test_acc, >=, none.last.test_acc + ACCURACY_MARGIN);
  /* the test loss (the log's): without dropout it ends far above its own
   * low (0.558 against 0.327 as shipped, 0.520 against 0.323 with the
   * AVX-512 kernels), and far above the run with dropout (0.383; 0.364) */
  g_assert_cmpfloat (none.last.test_loss, >=, 1.5 * none.low_test_loss);
  g_assert_cmpfloat (reg.last.test_loss, <=, 0.75 * none.last.test_loss);
  /* the loss plot's dashed curve and the status line, as the lesson text
   * reads them: without dropout the validation loss climbs from 0.30 to
   * 0.50, with it it ends at 0.35 */
  g_test_message ("validation loss %.3f (low %.3f) against %.3f (low %.3f)",
                  reg.last.val_loss, reg.low_val_loss, none.last.val_loss, none.low_val_loss);
  g_assert_cmpfloat (none.last.val_loss, >=, 1.5 * none.low_val_loss);
  g_assert_cmpfloat (reg.last.val_loss, <=, 0.8 * none.last.val_loss);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lessons/fashion/test-accuracy-beats-benchmark-and-unregularized",
                   test_lesson_beats_benchmark);
  return g_test_run ();
}
