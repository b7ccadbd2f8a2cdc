/* test-fashion.c — the Fashion-MNIST lesson keeps its promise (suite slow):
 * trained as shipped, its TEST accuracy on the 10,000 test images beats the
 * data set's own benchmark for an MLP without preprocessing (0.8833), and
 * beats the same lesson trained with every lambda at 0.
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
#define FASHION_LESSON  "fashion-l2"
/* "MLPClassifier activation=relu hidden_layer_sizes=[256, 128, 100]", no
 * preprocessing: the best MLP row of the benchmark table in Fashion-MNIST's
 * README. */
#define BENCHMARK_TEST_ACCURACY 0.8833

/* Trains `exp` to its end; returns the last step's metrics. */
static RsMetrics
train (const RsExperiment *exp)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSession) s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rs_session_get_test (s));
  g_assert_cmpint (rs_session_get_test (s)->n, ==, 10000);
  RsMetrics m = { 0 };
  gint64 total = rs_session_total_steps (s);
  for (gint64 i = 0; i < total; i++)
    {
      g_assert_true (rs_session_step (s, &m, &error));
      g_assert_no_error (error);
    }
  /* The lesson ends at an epoch's end, so the last step evaluated the test set. */
  g_assert_cmpint (total % rs_session_steps_per_epoch (s), ==, 0);
  g_assert_true (isfinite (m.test_acc));
  return m;
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

  RsMetrics reg = train (exp);
  RsMetrics none = train (plain);
  g_test_message ("test accuracy after %d epochs: regularized %.4f, unregularized %.4f "
                  "(benchmark %.4f)", reg.epoch + 1, reg.test_acc, none.test_acc,
                  BENCHMARK_TEST_ACCURACY);
  g_assert_cmpfloat (reg.test_acc, >, BENCHMARK_TEST_ACCURACY);
  g_assert_cmpfloat (reg.test_acc, >, none.test_acc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lessons/fashion/test-accuracy-beats-benchmark-and-unregularized",
                   test_lesson_beats_benchmark);
  return g_test_run ();
}
