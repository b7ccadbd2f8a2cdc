/* test-gradcheck.c — every gradient against central finite differences of
 * the objective: each activation, each loss, each penalty term (activity
 * terms included, whose gradient flows into the layers below). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-network.h"
#include "rs-objective.h"
#include "rs-rng.h"

typedef struct {
  RsActivation act;
  RsLossKind   loss;
  double       smoothing;  /* label smoothing */
  double       input_noise; /* sigma of the input noise, drawn once */
  RsLayerReg   reg[3];
} GradCase;

/* Parameters are drawn away from 0 so that |theta| and the L1 kink are
 * never within the finite-difference step. */
static void
init_away_from_zero (RsNetwork *net, RsRng *rng)
{
  for (gsize i = 0; i < net->n_params; i++)
    {
      double mag = rs_rng_uniform_range (rng, 0.05, 0.6);
      net->params[i] = (float) (rs_rng_uniform (rng) < 0.5 ? -mag : mag);
    }
}

static void
check (const GradCase *c)
{
  const int sizes[] = { 5, 7, 6, 4 };
  const int batch = 9;
  RsNetwork *net = rs_network_new (3, sizes, c->act, batch);
  RsRng rng;
  rs_rng_init (&rng, 42, 0);
  init_away_from_zero (net, &rng);
  float x[9 * 5];
  int32_t y[9];
  for (int i = 0; i < batch * 5; i++)
    x[i] = (float) rs_rng_normal (&rng);
  for (int i = 0; i < batch; i++)
    y[i] = (int32_t) rs_rng_below (&rng, 4);

  /* Input noise drawn once and held fixed, from its own stream, as a
   * training step draws it: the objective is then a function of the
   * parameters at x + noise. */
  if (c->input_noise > 0)
    {
      float clean[9 * 5];
      memcpy (clean, x, sizeof x);
      RsRng noise;
      rs_rng_init (&noise, 42, RS_RNG_STREAM_INPUT_NOISE);
      rs_network_input_noise (x, clean, G_N_ELEMENTS (x), c->input_noise, &noise);
      g_assert_true (memcmp (x, clean, sizeof x) != 0);
    }

  /* Dropout masks drawn once and held fixed: every evaluation below is the
   * same function of the parameters. */
  if (rs_network_dropout_draw (net, c->reg, batch, &rng))
    {
      int dropped = 0, kept = 0;
      for (int l = 0; l < 2; l++)
        for (int i = 0; c->reg[l].dropout > 0 && i < batch * sizes[l + 1]; i++)
          *(net->layers[l].keep[i] == 0.0f ? &dropped : &kept) += 1;
      g_assert_cmpint (dropped, >, 0);
      g_assert_cmpint (kept, >, 0);
    }

  RsObjective obj;
  rs_objective_compute (net, c->reg, c->loss, c->smoothing, x, y, batch, TRUE, &obj);
  float *analytic = g_memdup2 (net->grads, net->n_params * sizeof (float));

  const double h = 1e-3;
  int checked = 0;
  double worst = 0.0;
  for (gsize i = 0; i < net->n_params; i++)
    {
      float saved = net->params[i];
      RsObjective plus, minus;
      net->params[i] = (float) (saved + h);
      rs_objective_compute (net, c->reg, c->loss, c->smoothing, x, y, batch, FALSE, &plus);
      net->params[i] = (float) (saved - h);
      rs_objective_compute (net, c->reg, c->loss, c->smoothing, x, y, batch, FALSE, &minus);
      net->params[i] = saved;
      /* the step actually taken in float32 */
      double step = (double) (float) (saved + h) - (double) (float) (saved - h);
      double numeric = (plus.loss - minus.loss) / step;
      double err = fabs (numeric - analytic[i]);
      double tol = 2e-4 + 1e-2 * fabs (numeric);
      worst = MAX (worst, err / tol);
      if (err > tol)
        g_error ("parameter %zu: analytic %.6g, numeric %.6g", (size_t) i,
                 (double) analytic[i], numeric);
      checked++;
    }
  g_assert_cmpint (checked, ==, (int) net->n_params);
  if (c->smoothing > 0)
    {
      /* The smoothed objective is another function, not the plain one. */
      RsObjective plain;
      rs_objective_compute (net, c->reg, c->loss, 0.0, x, y, batch, FALSE, &plain);
      g_assert_cmpfloat (fabs (plain.task - obj.task), >, 1e-5);
    }
  g_test_message ("worst error / tolerance: %.3f", worst);
  g_free (analytic);
  rs_network_free (net);
}

static const RsLayerReg none = { .l1_bias = TRUE };

static void
test_activation (gconstpointer data)
{
  GradCase c = { .act = GPOINTER_TO_INT (data), .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { none, none, none } };
  check (&c);
}

static void
test_mse (void)
{
  GradCase c = { .act = RS_ACT_TANH, .loss = RS_LOSS_MSE, .reg = { none, none, none } };
  check (&c);
}

/* nn.CrossEntropyLoss(label_smoothing=0.2), and MSE against the same
 * smoothed targets. */
static void
test_label_smoothing (void)
{
  GradCase c = { .act = RS_ACT_TANH, .loss = RS_LOSS_CROSS_ENTROPY, .smoothing = 0.2,
                 .reg = { none, none, none } };
  check (&c);
  c.loss = RS_LOSS_MSE;
  check (&c);
}

static void
test_l1 (void)
{
  GradCase c = { .act = RS_ACT_TANH, .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { { .l1 = 0.01, .l1_bias = TRUE }, { .l1 = 0.02, .l1_bias = FALSE }, none } };
  check (&c);
}

static void
test_l2 (void)
{
  GradCase c = { .act = RS_ACT_SIGMOID, .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { none, { .l2 = 0.05, .l1_bias = TRUE }, { .l2 = 0.01, .l1_bias = TRUE } } };
  check (&c);
}

static void
test_activity_l1 (void)
{
  /* sigmoid outputs are > 0, so |a| is smooth there (its kink is at 0). */
  GradCase c = { .act = RS_ACT_SIGMOID, .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { { .activity = 0.1, .activity_norm = RS_NORM_L1 },
                          { .activity = 0.05, .activity_norm = RS_NORM_L1 }, none } };
  check (&c);
}

static void
test_activity_l2 (void)
{
  GradCase c = { .act = RS_ACT_RELU, .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { { .activity = 0.2, .activity_norm = RS_NORM_L2 },
                          { .activity = 0.1, .activity_norm = RS_NORM_L2 }, none } };
  check (&c);
}

static void
test_everything (void)
{
  GradCase c = { .act = RS_ACT_SIGMOID, .loss = RS_LOSS_MSE,
                 .reg = { { .l1 = 0.01, .l1_bias = TRUE, .activity = 0.05 },
                          { .l2 = 0.03, .activity = 0.1, .activity_norm = RS_NORM_L2 },
                          { .l1 = 0.005, .l2 = 0.01 } } };
  check (&c);
}

/* Dropout on both hidden layers, with fixed masks: the scaled mask in the
 * forward and the same mask in the backward, through each activation. */
static void
test_dropout (gconstpointer data)
{
  GradCase c = { .act = GPOINTER_TO_INT (data), .loss = RS_LOSS_CROSS_ENTROPY,
                 .reg = { { .dropout = 0.3, .l1_bias = TRUE },
                          { .dropout = 0.5, .l1_bias = TRUE }, none } };
  check (&c);
}

/* Dropout and the activity term on the same layer (the activity gradient
 * is added to the one coming back through the mask), with L1 and L2. */
static void
test_dropout_with_terms (void)
{
  GradCase c = { .act = RS_ACT_SIGMOID, .loss = RS_LOSS_MSE,
                 .reg = { { .dropout = 0.4, .activity = 0.1, .l1 = 0.01, .l1_bias = TRUE },
                          { .dropout = 0.2, .activity = 0.05, .activity_norm = RS_NORM_L2,
                            .l2 = 0.02 },
                          none } };
  check (&c);
}

/* Input noise with dropout and the terms, the noise held fixed. */
static void
test_input_noise (void)
{
  GradCase c = { .act = RS_ACT_TANH, .loss = RS_LOSS_CROSS_ENTROPY, .input_noise = 0.5,
                 .reg = { { .dropout = 0.3, .activity = 0.05, .l1_bias = TRUE },
                          { .l2 = 0.02 }, none } };
  check (&c);
}

/* d|x|/dx at exactly 0 is 0, as torch.sign: an exactly-zero weight gets no
 * L1 push either way. */
static void
test_l1_zero_subgradient (void)
{
  const int sizes[] = { 2, 2 };
  RsNetwork *net = rs_network_new (1, sizes, RS_ACT_LINEAR, 1);
  for (gsize i = 0; i < net->n_params; i++)
    net->params[i] = 0.0f;
  float x[2] = { 0, 0 };
  int32_t y[1] = { 0 };
  RsLayerReg reg = { .l1 = 1.0, .l1_bias = TRUE };
  RsObjective obj;
  rs_objective_compute (net, &reg, RS_LOSS_MSE, 0.0, x, y, 1, TRUE, &obj);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (net->layers[0].grad_weight[i], ==, 0.0f);
  g_assert_cmpfloat (obj.l1, ==, 0.0);
  rs_network_free (net);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/engine/gradcheck/relu", GINT_TO_POINTER (RS_ACT_RELU), test_activation);
  g_test_add_data_func ("/engine/gradcheck/tanh", GINT_TO_POINTER (RS_ACT_TANH), test_activation);
  g_test_add_data_func ("/engine/gradcheck/sigmoid", GINT_TO_POINTER (RS_ACT_SIGMOID), test_activation);
  g_test_add_data_func ("/engine/gradcheck/linear", GINT_TO_POINTER (RS_ACT_LINEAR), test_activation);
  g_test_add_func ("/engine/gradcheck/mse", test_mse);
  g_test_add_func ("/engine/gradcheck/label-smoothing", test_label_smoothing);
  g_test_add_func ("/engine/gradcheck/l1", test_l1);
  g_test_add_func ("/engine/gradcheck/l2", test_l2);
  g_test_add_func ("/engine/gradcheck/activity-l1", test_activity_l1);
  g_test_add_func ("/engine/gradcheck/activity-l2", test_activity_l2);
  g_test_add_func ("/engine/gradcheck/all-terms", test_everything);
  g_test_add_func ("/engine/gradcheck/l1-zero-subgradient", test_l1_zero_subgradient);
  g_test_add_data_func ("/engine/gradcheck/dropout-relu", GINT_TO_POINTER (RS_ACT_RELU),
                        test_dropout);
  g_test_add_data_func ("/engine/gradcheck/dropout-tanh", GINT_TO_POINTER (RS_ACT_TANH),
                        test_dropout);
  g_test_add_func ("/engine/gradcheck/dropout-with-terms", test_dropout_with_terms);
  g_test_add_func ("/engine/gradcheck/input-noise", test_input_noise);
  return g_test_run ();
}
