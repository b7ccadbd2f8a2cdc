/* test-optimizer.c — SGD, Adam and AdamW against reference updates written
 * in double precision from PyTorch 1.13's single-tensor code
 * (torch/optim/sgd.py _single_tensor_sgd, adam.py _single_tensor_adam,
 * adamw.py _single_tensor_adamw), step by step, with the state carried
 * across steps, settings changed mid-run, and per-layer weight decay. */
#include <float.h>
#include <glib.h>
#include <math.h>
#include <string.h>

#include "rs-kernels.h"
#include "rs-network.h"
#include "rs-objective.h"
#include "rs-optimizer-impl.h"
#include "rs-optimizer.h"
#include "rs-regularizer.h"

#define REL_TOL 1e-6
#define N 6

/* ---- the reference ------------------------------------------------------- */

typedef struct {
  double   buf[64];      /* SGD momentum_buffer, or Adam exp_avg */
  double   sq[64];       /* Adam exp_avg_sq */
  gboolean has_buf;      /* SGD: state['momentum_buffer'] is not None */
  int      step;         /* Adam: state['step'] */
} Ref;

/* for i, param in enumerate(params):
 *     d_p = d_p_list[i]
 *     if weight_decay != 0: d_p = d_p.add(param, alpha=weight_decay)
 *     if momentum != 0:
 *         buf = momentum_buffer_list[i]
 *         if buf is None: buf = torch.clone(d_p).detach()
 *         else: buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
 *         if nesterov: d_p = d_p.add(buf, alpha=momentum)
 *         else: d_p = buf
 *     param.add_(d_p, alpha=-lr) */
static void
ref_sgd (Ref *r, const RsOptimizerConfig *c, double *theta, const double *grad, int n,
         double wd)
{
  for (int i = 0; i < n; i++)
    {
      double d = grad[i];
      if (wd != 0)
        d = d + wd * theta[i];
      if (c->momentum != 0)
        {
          if (!r->has_buf)
            r->buf[i] = d;
          else
            r->buf[i] = r->buf[i] * c->momentum + (1 - c->dampening) * d;
          d = c->nesterov ? d + c->momentum * r->buf[i] : r->buf[i];
        }
      theta[i] = theta[i] - c->lr * d;
    }
  if (c->momentum != 0)
    r->has_buf = TRUE;
}

/* step_t += 1
 * (adamw: param.mul_(1 - lr * weight_decay))
 * (adam:  if weight_decay != 0: grad = grad.add(param, alpha=weight_decay))
 * exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 * bias_correction1 = 1 - beta1 ** step; bias_correction2 = 1 - beta2 ** step
 * step_size = lr / bias_correction1
 * denom = (exp_avg_sq.sqrt() / sqrt(bias_correction2)).add_(eps)
 * param.addcdiv_(exp_avg, denom, value=-step_size) */
static void
ref_adam (Ref *r, const RsOptimizerConfig *c, double *theta, const double *grad, int n,
          double wd)
{
  r->step++;
  for (int i = 0; i < n; i++)
    {
      double g = grad[i];
      if (c->kind == RS_OPT_ADAMW)
        theta[i] *= 1 - c->lr * wd;
      else if (wd != 0)
        g = g + wd * theta[i];
      r->buf[i] = r->buf[i] * c->beta1 + (1 - c->beta1) * g;
      r->sq[i] = r->sq[i] * c->beta2 + (1 - c->beta2) * g * g;
      double bc1 = 1 - pow (c->beta1, r->step), bc2 = 1 - pow (c->beta2, r->step);
      double step_size = c->lr / bc1;
      double denom = sqrt (r->sq[i]) / sqrt (bc2) + c->eps;
      theta[i] = theta[i] - step_size * r->buf[i] / denom;
    }
}

static void
ref_step (Ref *r, const RsOptimizerConfig *c, double *theta, const double *grad, int n,
          double wd)
{
  if (c->kind == RS_OPT_SGD)
    ref_sgd (r, c, theta, grad, n, wd);
  else
    ref_adam (r, c, theta, grad, n, wd);
}

/* ---- helpers ------------------------------------------------------------- */

static const float theta0[N] = { 1.0f, -2.0f, 0.5f, 3.0f, -0.75f, 1.5f };
/* three gradients, one per step: signs and sizes varied */
static const float grads[3][N] = {
  { 0.1f, -0.3f, 2.0f, -1.0f, 0.02f, 0.5f },
  { -0.2f, -0.1f, 1.5f, 0.5f, 0.04f, -0.5f },
  { 0.3f, 0.2f, -0.8f, -0.25f, 0.01f, 0.25f },
};

static RsOptimizerConfig
sgd_config (double lr, double momentum, double dampening, gboolean nesterov)
{
  return (RsOptimizerConfig) { .kind = RS_OPT_SGD, .lr = lr, .momentum = momentum,
                               .dampening = dampening, .nesterov = nesterov,
                               .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8 };
}

static RsOptimizerConfig
adam_config (RsOptimizerKind kind, double lr)
{
  return (RsOptimizerConfig) { .kind = kind, .lr = lr, .beta1 = 0.9, .beta2 = 0.999,
                               .eps = 1e-8 };
}

static void
assert_close_vec (const char *what, int step, const float *got, const double *want, int n)
{
  for (int i = 0; i < n; i++)
    {
      double err = fabs ((double) got[i] - want[i]);
      /* parameters are O(1): below 0.5 the error is measured against 0.5 */
      if (!(err <= REL_TOL * MAX (fabs (want[i]), 0.5)))
        g_error ("%s: step %d: theta[%d] = %.9g, reference %.9g (rel. error %.3g)", what,
                 step, i, (double) got[i], want[i], err / fabs (want[i]));
    }
}

/* One engine step of one group, and the gradient is left as it was. */
static void
engine_step (RsOptimizer *opt, float *theta, const float *grad, int n, double wd)
{
  float copy[64];
  memcpy (copy, grad, n * sizeof (float));
  rs_optimizer_begin_step (opt);
  rs_optimizer_update_group (opt, 0, theta, copy, n, wd);
  rs_optimizer_finish_step (opt);
  g_assert_true (memcmp (copy, grad, n * sizeof (float)) == 0);
}

/* `steps` steps of engine and reference from theta0 with grads[] (cycled),
 * checked after each step. */
static void
run_and_compare (const char *what, const RsOptimizerConfig *c, double wd, int steps)
{
  RsOptimizer *opt = rs_optimizer_new (c, N);
  g_assert_cmpuint (opt->n, ==, N);
  g_assert_cmpint (opt->t, ==, 0);
  float theta[N];
  double ref_theta[N];
  Ref ref = { 0 };
  for (int i = 0; i < N; i++)
    {
      theta[i] = theta0[i];
      ref_theta[i] = theta0[i];
    }
  for (int s = 0; s < steps; s++)
    {
      const float *g = grads[s % 3];
      double gd[N];
      for (int i = 0; i < N; i++)
        gd[i] = g[i];
      engine_step (opt, theta, g, N, wd);
      ref_step (&ref, c, ref_theta, gd, N, wd);
      assert_close_vec (what, s, theta, ref_theta, N);
    }
  rs_optimizer_free (opt);
}

/* ---- SGD ----------------------------------------------------------------- */

/* theta - lr * g, by hand for the first step:
 * (1, -2, 0.5, 3, -0.75, 1.5) - 0.1 (0.1, -0.3, 2, -1, 0.02, 0.5)
 *   = (0.99, -1.97, 0.3, 3.1, -0.752, 1.45) */
static void
test_sgd_plain (void)
{
  RsOptimizerConfig c = sgd_config (0.1, 0, 0, FALSE);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.0);
  const double want[N] = { 0.99, -1.97, 0.3, 3.1, -0.752, 1.45 };
  assert_close_vec ("sgd by hand", 0, theta, want, N);
  g_assert_false (opt->has_momentum_buffer);
  rs_optimizer_free (opt);

  run_and_compare ("sgd", &c, 0.0, 6);
}

/* Step 1 clones the gradient (no dampening), so with momentum 0.9 and
 * dampening 0.5: buf = g1, theta -= lr g1. Step 2: buf = 0.9 g1 + 0.5 g2. */
static void
test_sgd_momentum (void)
{
  RsOptimizerConfig c = sgd_config (0.05, 0.9, 0.5, FALSE);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.0);
  g_assert_true (opt->has_momentum_buffer);
  double want[N];
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (opt->m[i], ==, grads[0][i]);
      want[i] = (double) theta0[i] - 0.05 * grads[0][i];
    }
  assert_close_vec ("sgd momentum step 1", 0, theta, want, N);

  engine_step (opt, theta, grads[1], N, 0.0);
  for (int i = 0; i < N; i++)
    {
      double buf = 0.9 * grads[0][i] + 0.5 * grads[1][i];
      g_assert_cmpfloat_with_epsilon (opt->m[i], buf, 1e-6 * MAX (1.0, fabs (buf)));
      want[i] -= 0.05 * buf;
    }
  assert_close_vec ("sgd momentum step 2", 1, theta, want, N);
  rs_optimizer_free (opt);

  run_and_compare ("sgd momentum dampening", &c, 0.0, 6);
  c.dampening = 0.0;
  run_and_compare ("sgd momentum", &c, 0.0, 6);
}

/* Nesterov: d = g + momentum * buf, the buffer itself as plain momentum. */
static void
test_sgd_nesterov (void)
{
  RsOptimizerConfig c = sgd_config (0.05, 0.9, 0.0, TRUE);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.0);
  /* step 1: buf = g, d = g + 0.9 g = 1.9 g */
  double want[N];
  for (int i = 0; i < N; i++)
    want[i] = (double) theta0[i] - 0.05 * 1.9 * grads[0][i];
  assert_close_vec ("nesterov step 1", 0, theta, want, N);
  rs_optimizer_free (opt);

  run_and_compare ("sgd nesterov", &c, 0.0, 6);
}

/* Coupled weight decay: grad + wd * theta, before the momentum. */
static void
test_sgd_weight_decay (void)
{
  RsOptimizerConfig c = sgd_config (0.1, 0, 0, FALSE);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.5);
  /* theta - 0.1 (g + 0.5 theta) = 0.95 theta - 0.1 g */
  double want[N];
  for (int i = 0; i < N; i++)
    want[i] = 0.95 * theta0[i] - 0.1 * grads[0][i];
  assert_close_vec ("sgd weight decay by hand", 0, theta, want, N);
  rs_optimizer_free (opt);

  run_and_compare ("sgd weight decay", &c, 0.01, 6);
  c = sgd_config (0.05, 0.9, 0.1, FALSE);
  run_and_compare ("sgd momentum weight decay", &c, 0.01, 6);
  c = sgd_config (0.05, 0.9, 0.0, TRUE);
  run_and_compare ("sgd nesterov weight decay", &c, 0.01, 6);
}

/* Momentum switched on later starts from a clone (PyTorch keeps None in
 * the state while momentum is 0); switched off and on again, the buffer
 * is kept as it was. */
static void
test_sgd_momentum_toggle (void)
{
  RsOptimizerConfig plain = sgd_config (0.05, 0.0, 0.0, FALSE);
  RsOptimizerConfig mom = sgd_config (0.05, 0.9, 0.25, FALSE);
  const RsOptimizerConfig *schedule[7] = { &plain, &plain, &mom, &mom, &plain, &mom, &mom };
  RsOptimizer *opt = rs_optimizer_new (&plain, N);
  float theta[N];
  double ref_theta[N];
  Ref ref = { 0 };
  for (int i = 0; i < N; i++)
    ref_theta[i] = theta[i] = theta0[i];
  for (int s = 0; s < 7; s++)
    {
      rs_optimizer_configure (opt, schedule[s]);
      double gd[N];
      for (int i = 0; i < N; i++)
        gd[i] = grads[s % 3][i];
      engine_step (opt, theta, grads[s % 3], N, 0.0);
      ref_sgd (&ref, schedule[s], ref_theta, gd, N, 0.0);
      assert_close_vec ("sgd momentum toggled", s, theta, ref_theta, N);
    }
  rs_optimizer_free (opt);
}

/* ---- Adam and AdamW ------------------------------------------------------- */

/* The first step is lr * sign(g) up to eps: m_hat = g, v_hat = g^2, so
 * theta -= lr g / (|g| + eps). */
static void
test_adam_first_step (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAM, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.0);
  g_assert_cmpint (opt->t, ==, 1);
  double want[N];
  for (int i = 0; i < N; i++)
    {
      double g = grads[0][i];
      want[i] = theta0[i] - 0.01 * g / (fabs (g) + 1e-8);
      g_assert_cmpfloat_with_epsilon (opt->m[i], 0.1 * g, 1e-7 * fabs (g));
      g_assert_cmpfloat_with_epsilon (opt->v[i], 0.001 * g * g, 1e-6 * 0.001 * g * g);
    }
  assert_close_vec ("adam first step", 0, theta, want, N);
  rs_optimizer_free (opt);
}

/* Three steps with changing gradients: the bias corrections 1 - beta^t. */
static void
test_adam_bias_correction (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAM, 0.01);
  run_and_compare ("adam", &c, 0.0, 3);
  run_and_compare ("adam", &c, 0.0, 12);
  c.beta1 = 0.5;
  c.beta2 = 0.75;
  c.eps = 1e-3;
  c.lr = 0.1;
  run_and_compare ("adam betas 0.5 0.75 eps 1e-3", &c, 0.0, 6);
}

/* Adam's weight decay is coupled: grad + wd * theta feeds the moments. */
static void
test_adam_weight_decay (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAM, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.1);
  for (int i = 0; i < N; i++)
    {
      double g = grads[0][i] + 0.1 * theta0[i];
      g_assert_cmpfloat_with_epsilon (opt->m[i], 0.1 * g, 1e-6 * fabs (g));
    }
  rs_optimizer_free (opt);
  run_and_compare ("adam weight decay", &c, 0.1, 6);
}

/* AdamW: theta *= 1 - lr wd first, and the moments see the raw gradient. */
static void
test_adamw_decoupled (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAMW, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.5);
  double want[N];
  for (int i = 0; i < N; i++)
    {
      double g = grads[0][i];
      g_assert_cmpfloat_with_epsilon (opt->m[i], 0.1 * g, 1e-7 * fabs (g));
      g_assert_cmpfloat_with_epsilon (opt->v[i], 0.001 * g * g, 1e-6 * 0.001 * g * g);
      want[i] = theta0[i] * (1 - 0.01 * 0.5) - 0.01 * g / (fabs (g) + 1e-8);
    }
  assert_close_vec ("adamw first step", 0, theta, want, N);
  rs_optimizer_free (opt);

  run_and_compare ("adamw", &c, 0.5, 6);
  run_and_compare ("adamw", &c, 0.01, 6);
}

/* Without weight decay AdamW and Adam are the same update, bit for bit. */
static void
test_adamw_without_decay_is_adam (void)
{
  RsOptimizerConfig ca = adam_config (RS_OPT_ADAM, 0.01);
  RsOptimizerConfig cw = adam_config (RS_OPT_ADAMW, 0.01);
  RsOptimizer *a = rs_optimizer_new (&ca, N), *w = rs_optimizer_new (&cw, N);
  float ta[N], tw[N];
  memcpy (ta, theta0, sizeof ta);
  memcpy (tw, theta0, sizeof tw);
  for (int s = 0; s < 5; s++)
    {
      engine_step (a, ta, grads[s % 3], N, 0.0);
      engine_step (w, tw, grads[s % 3], N, 0.0);
      g_assert_true (memcmp (ta, tw, sizeof ta) == 0);
    }
  rs_optimizer_free (a);
  rs_optimizer_free (w);
}

/* ---- groups, whole networks ------------------------------------------------ */

/* Two groups at their offsets in one step: each its own weight decay and
 * its own slice of the state; the step count is per step, not per group. */
static void
test_groups (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAM, 0.02);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  double ref_a[4], ref_b[2];
  Ref ra = { 0 }, rb = { 0 };
  memcpy (theta, theta0, sizeof theta);
  for (int i = 0; i < 4; i++)
    ref_a[i] = theta0[i];
  for (int i = 0; i < 2; i++)
    ref_b[i] = theta0[4 + i];
  for (int s = 0; s < 4; s++)
    {
      const float *g = grads[s % 3];
      double ga[4], gb[2];
      for (int i = 0; i < 4; i++)
        ga[i] = g[i];
      for (int i = 0; i < 2; i++)
        gb[i] = g[4 + i];
      rs_optimizer_begin_step (opt);
      rs_optimizer_update_group (opt, 0, theta, g, 4, 0.0);
      rs_optimizer_update_group (opt, 4, theta + 4, g + 4, 2, 0.3);
      rs_optimizer_finish_step (opt);
      g_assert_cmpint (opt->t, ==, s + 1);
      ref_adam (&ra, &c, ref_a, ga, 4, 0.0);
      ref_adam (&rb, &c, ref_b, gb, 2, 0.3);
      assert_close_vec ("group a", s, theta, ref_a, 4);
      assert_close_vec ("group b", s, theta + 4, ref_b, 2);
    }
  rs_optimizer_free (opt);
}

/* rs_optimizer_step_network: one group per layer (weight then bias), each
 * with its layer's weight decay. */
static void
test_step_network (gconstpointer data)
{
  RsOptimizerKind kind = GPOINTER_TO_INT (data);
  const int sizes[] = { 3, 4, 2 };
  RsNetwork *net = rs_network_new (2, sizes, RS_ACT_RELU, 1);
  RsOptimizerConfig c = kind == RS_OPT_SGD ? sgd_config (0.1, 0.9, 0.0, FALSE)
                                            : adam_config (kind, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&c, net->n_params);
  RsLayerReg regs[2];
  rs_layer_reg_init_default (&regs[0]);
  rs_layer_reg_init_default (&regs[1]);
  regs[0].weight_decay = 0.2;
  regs[1].weight_decay = 0.0;
  /* 26 parameters: fc1 weight 12, bias 4; fc2 weight 8, bias 2 */
  g_assert_cmpuint (net->n_params, ==, 26);
  double ref_theta[26];
  Ref ref[2] = { { { 0 } } };
  for (gsize i = 0; i < 26; i++)
    ref_theta[i] = net->params[i] = (float) (0.1 * ((int) i - 13) + 0.05);
  for (int s = 0; s < 3; s++)
    {
      double g[26];
      for (gsize i = 0; i < 26; i++)
        g[i] = net->grads[i] = (float) (0.01 * (((int) i * 7 + s * 5) % 11) - 0.05);
      rs_optimizer_step_network (opt, net, regs);
      ref_step (&ref[0], &c, ref_theta, g, 16, 0.2);
      ref_step (&ref[1], &c, ref_theta + 16, g + 16, 10, 0.0);
      assert_close_vec ("network fc1", s, net->params, ref_theta, 16);
      assert_close_vec ("network fc2", s, net->params + 16, ref_theta + 16, 10);
    }
  g_assert_cmpint (opt->t, ==, 3);
  rs_optimizer_free (opt);
  rs_network_free (net);
}

/* ---- configure and reset ------------------------------------------------- */

/* Same kind: the state is kept and the new settings apply from the next
 * step (Adam's step count goes on: the fourth step uses 1 - beta^4). */
static void
test_configure_keeps_state (void)
{
  RsOptimizerConfig c = adam_config (RS_OPT_ADAM, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&c, N);
  float theta[N];
  double ref_theta[N];
  Ref ref = { 0 };
  for (int i = 0; i < N; i++)
    ref_theta[i] = theta[i] = theta0[i];
  for (int s = 0; s < 6; s++)
    {
      if (s == 3)
        {
          float m[N], v[N];
          memcpy (m, opt->m, sizeof m);
          memcpy (v, opt->v, sizeof v);
          c.lr = 0.05;
          c.beta1 = 0.8;
          rs_optimizer_configure (opt, &c);
          g_assert_cmpint (opt->t, ==, 3);
          g_assert_true (memcmp (m, opt->m, sizeof m) == 0);
          g_assert_true (memcmp (v, opt->v, sizeof v) == 0);
          g_assert_cmpfloat (opt->config.lr, ==, 0.05);
        }
      double gd[N];
      for (int i = 0; i < N; i++)
        gd[i] = grads[s % 3][i];
      engine_step (opt, theta, grads[s % 3], N, 0.0);
      ref_adam (&ref, &c, ref_theta, gd, N, 0.0);
      assert_close_vec ("adam reconfigured", s, theta, ref_theta, N);
    }
  rs_optimizer_free (opt);

  /* SGD momentum: the buffer survives a change of lr and momentum */
  c = sgd_config (0.1, 0.9, 0.0, FALSE);
  opt = rs_optimizer_new (&c, N);
  Ref rs = { 0 };
  for (int i = 0; i < N; i++)
    ref_theta[i] = theta[i] = theta0[i];
  for (int s = 0; s < 4; s++)
    {
      if (s == 2)
        {
          c.lr = 0.02;
          c.momentum = 0.5;
          rs_optimizer_configure (opt, &c);
          g_assert_true (opt->has_momentum_buffer);
        }
      double gd[N];
      for (int i = 0; i < N; i++)
        gd[i] = grads[s % 3][i];
      engine_step (opt, theta, grads[s % 3], N, 0.0);
      ref_sgd (&rs, &c, ref_theta, gd, N, 0.0);
      assert_close_vec ("sgd reconfigured", s, theta, ref_theta, N);
    }
  rs_optimizer_free (opt);
}

/* Another kind starts from fresh state, as a new torch.optim would. */
static void
test_configure_kind_change_resets (void)
{
  RsOptimizerConfig adam = adam_config (RS_OPT_ADAM, 0.01);
  RsOptimizer *opt = rs_optimizer_new (&adam, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  engine_step (opt, theta, grads[0], N, 0.0);
  engine_step (opt, theta, grads[1], N, 0.0);
  g_assert_cmpint (opt->t, ==, 2);

  RsOptimizerConfig sgd = sgd_config (0.1, 0.9, 0.5, FALSE);
  rs_optimizer_configure (opt, &sgd);
  g_assert_cmpint (opt->config.kind, ==, RS_OPT_SGD);
  g_assert_cmpint (opt->t, ==, 0);
  g_assert_false (opt->has_momentum_buffer);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (opt->m[i], ==, 0.0f);
      g_assert_cmpfloat (opt->v[i], ==, 0.0f);
    }
  /* the first SGD step clones the gradient (Adam's moments are gone) */
  float before[N];
  memcpy (before, theta, sizeof before);
  engine_step (opt, theta, grads[2], N, 0.0);
  double want[N];
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (opt->m[i], ==, grads[2][i]);
      want[i] = (double) before[i] - 0.1 * grads[2][i];
    }
  assert_close_vec ("sgd after adam", 0, theta, want, N);

  /* Adam -> AdamW is a change of kind too */
  rs_optimizer_configure (opt, &adam);
  engine_step (opt, theta, grads[0], N, 0.0);
  RsOptimizerConfig adamw = adam_config (RS_OPT_ADAMW, 0.01);
  rs_optimizer_configure (opt, &adamw);
  g_assert_cmpint (opt->t, ==, 0);
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat (opt->m[i], ==, 0.0f);
  memcpy (before, theta, sizeof before);
  engine_step (opt, theta, grads[1], N, 0.0);
  for (int i = 0; i < N; i++)
    want[i] = before[i] - 0.01 * grads[1][i] / (fabs (grads[1][i]) + 1e-8);
  assert_close_vec ("adamw after adam", 0, theta, want, N);
  rs_optimizer_free (opt);
}

/* Reset zeroes the state: the next steps are those of a new optimizer,
 * bit for bit. */
static void
test_reset (gconstpointer data)
{
  RsOptimizerKind kind = GPOINTER_TO_INT (data);
  RsOptimizerConfig c = kind == RS_OPT_SGD ? sgd_config (0.1, 0.9, 0.3, FALSE)
                                            : adam_config (kind, 0.01);
  RsOptimizer *used = rs_optimizer_new (&c, N);
  float theta[N];
  memcpy (theta, theta0, sizeof theta);
  for (int s = 0; s < 3; s++)
    engine_step (used, theta, grads[s], N, 0.1);
  rs_optimizer_reset (used);
  g_assert_cmpint (used->t, ==, 0);
  g_assert_false (used->has_momentum_buffer);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (used->m[i], ==, 0.0f);
      g_assert_cmpfloat (used->v[i], ==, 0.0f);
    }
  /* the settings stay */
  g_assert_cmpint (used->config.kind, ==, c.kind);
  g_assert_cmpfloat (used->config.lr, ==, c.lr);
  g_assert_cmpfloat (used->config.momentum, ==, c.momentum);
  g_assert_cmpfloat (used->config.dampening, ==, c.dampening);
  g_assert_cmpfloat (used->config.beta1, ==, c.beta1);

  RsOptimizer *fresh = rs_optimizer_new (&c, N);
  float ta[N], tb[N];
  memcpy (ta, theta0, sizeof ta);
  memcpy (tb, theta0, sizeof tb);
  for (int s = 0; s < 3; s++)
    {
      engine_step (used, ta, grads[(s + 1) % 3], N, 0.1);
      engine_step (fresh, tb, grads[(s + 1) % 3], N, 0.1);
      g_assert_true (memcmp (ta, tb, sizeof ta) == 0);
    }
  rs_optimizer_free (used);
  rs_optimizer_free (fresh);
  rs_optimizer_free (NULL);
}


/* ---- the penalties folded into the update ------------------------------- */

static gboolean
same_float (float a, float b)
{
  return memcmp (&a, &b, sizeof a) == 0 || (isnan (a) && isnan (b));
}

/* The AVX2 form of the parameter penalties' gradient is the definition,
 * bit for bit, on every kind of float. Adam with beta1 = 0 from m = 0
 * leaves m = 0 * 0 + 1 * (grad + penalty), so the folded gradient can be
 * read back from m. */
static void
test_penalty_grad_avx2 (void)
{
  if (!rs_kernels_available (RS_KERNELS_AVX2))
    {
      g_test_skip ("no AVX2 + FMA on this CPU");
      return;
    }
  const float special[] = { 0.0f, -0.0f, 1.0f, -1.0f, 1e-45f, -1e-45f, FLT_MIN, -FLT_MIN,
                            FLT_MAX, -FLT_MAX, INFINITY, -INFINITY, NAN, 3e-39f, 0.5f,
                            -2.0f, 1e30f, -1e-30f };
  const RsParamPenalty coeffs[] = {
    rs_param_penalty (0.005, 0.003), rs_param_penalty (0.005, 0.0),
    rs_param_penalty (0.0, 0.003), rs_param_penalty (0.1, 1e3), rs_param_penalty (1e-7, 1e-9),
  };
  enum { n = 8 * 40 + 5 };  /* whole vectors and a tail */
  RsRng rng;
  rs_rng_init (&rng, 31, 0);
  float theta[n], grad[n], m[n], v[n], t[n];
  for (int i = 0; i < n; i++)
    {
      theta[i] = i < (int) G_N_ELEMENTS (special) ? special[i]
                 : (float) rs_rng_uniform_range (&rng, -0.3, 0.3);
      grad[i] = i % 3 == 0 ? 0.0f : (float) rs_rng_uniform_range (&rng, -0.01, 0.01);
    }
  g_assert_true (rs_kernels_force (RS_KERNELS_AVX2));
  for (gsize k = 0; k < G_N_ELEMENTS (coeffs); k++)
    {
      RsUpdateArgs a = {
        .beta1 = 0.0f, .one_minus_beta1 = 1.0f, .beta2 = 0.0f, .one_minus_beta2 = 1.0f,
        .step_size = 1e-3f, .bias_correction2_sqrt = 1.0f, .eps = 1e-8f, .decay = 1.0f,
        .penalty = coeffs[k],
      };
      memset (m, 0, sizeof m);
      memset (v, 0, sizeof v);
      memcpy (t, theta, sizeof t);
      rs_adam_update (&a, m, v, t, grad, n);
      for (int i = 0; i < n; i++)
        {
          float g = grad[i] + rs_param_penalty_grad (coeffs[k], theta[i]);
          float want = 0.0f * 0.0f + 1.0f * g;
          if (!same_float (m[i], want))
            g_error ("l1 %g, 2 l2 %g, theta %.9g, grad %.9g: AVX2 %.9g, definition %.9g",
                     coeffs[k].l1, coeffs[k].l2x2, theta[i], grad[i], m[i], want);
        }
    }
  rs_kernels_force (RS_KERNELS_AUTO);
}

/* One run of `steps` steps on a 3-layer network from a fixed init. With
 * fold, the objective leaves l1/l2 out of the gradients and the optimizer
 * folds them in (the session's path); without, the objective's full
 * gradient goes to the plain update (the gradient check's path). */
static void
run_penalized (const RsOptimizerConfig *c, const RsLayerReg *regs, gboolean fold, int steps,
               float *params_out, double *loss_out)
{
  enum { batch = 12, layers = 3 };
  const int sizes[layers + 1] = { 7, 24, 17, 5 };
  RsNetwork *net = rs_network_new (layers, sizes, RS_ACT_RELU, batch);
  RsRng rng;
  rs_rng_init (&rng, 5, RS_RNG_STREAM_INIT);
  rs_network_init_pytorch (net, &rng);
  float x[batch * 7];
  int32_t y[batch];
  rs_rng_init (&rng, 5, RS_RNG_STREAM_DATA);
  for (int i = 0; i < batch * 7; i++)
    x[i] = (float) rs_rng_normal (&rng);
  for (int i = 0; i < batch; i++)
    y[i] = (int32_t) rs_rng_below (&rng, 5);
  RsOptimizer *opt = rs_optimizer_new (c, net->n_params);
  for (int s = 0; s < steps; s++)
    {
      RsObjective obj;
      rs_objective_compute_mode (net, regs, RS_LOSS_CROSS_ENTROPY, 0.0, x, y, batch,
                                 fold ? RS_GRAD_DATA : RS_GRAD_FULL, &obj);
      loss_out[s] = obj.loss;
      if (fold)
        rs_optimizer_step_network_penalized (opt, net, regs);
      else
        rs_optimizer_step_network (opt, net, regs);
    }
  memcpy (params_out, net->params, net->n_params * sizeof (float));
  rs_optimizer_free (opt);
  rs_network_free (net);
}

/* The session's step (penalties folded into the update) and the full
 * gradient then the plain update give the same parameters, bit for bit,
 * for every optimizer, with L1 (on the bias or not), L2, weight decay and
 * activity on several layers, under the portable and the chosen kernels. */
static void
test_full_gradient_equals_folded (void)
{
  enum { steps = 6, n_params = 7 * 24 + 24 + 24 * 17 + 17 + 17 * 5 + 5 };
  RsOptimizerConfig configs[] = {
    sgd_config (0.05, 0.9, 0.1, FALSE), sgd_config (0.05, 0.9, 0.0, TRUE),
    adam_config (RS_OPT_ADAM, 0.01), adam_config (RS_OPT_ADAMW, 0.01),
  };
  RsLayerReg regs[3], plain[3];
  for (int l = 0; l < 3; l++)
    rs_layer_reg_init_default (&regs[l]);
  regs[0] = (RsLayerReg) { .l1 = 0.01, .l1_bias = TRUE, .l2 = 0.02, .weight_decay = 0.05,
                           .activity = 0.01, .activity_norm = RS_NORM_L1 };
  regs[1] = (RsLayerReg) { .l1 = 0.005, .l1_bias = FALSE, .l2 = 0.001,
                           .activity = 0.02, .activity_norm = RS_NORM_L2 };
  regs[2] = (RsLayerReg) { .l1 = 0.002, .l1_bias = FALSE, .l2 = 0.03, .weight_decay = 0.01 };
  for (int l = 0; l < 3; l++)
    plain[l] = (RsLayerReg) { .weight_decay = regs[l].weight_decay,
                              .activity = regs[l].activity,
                              .activity_norm = regs[l].activity_norm };
  const RsKernelSet sets[] = { RS_KERNELS_PORTABLE, RS_KERNELS_AUTO };
  for (gsize si = 0; si < G_N_ELEMENTS (sets); si++)
    for (gsize ci = 0; ci < G_N_ELEMENTS (configs); ci++)
      {
        g_assert_true (rs_kernels_force (sets[si]));
        float full[n_params], folded[n_params], unpenalized[n_params];
        double loss_full[steps], loss_folded[steps], loss_plain[steps];
        run_penalized (&configs[ci], regs, FALSE, steps, full, loss_full);
        run_penalized (&configs[ci], regs, TRUE, steps, folded, loss_folded);
        run_penalized (&configs[ci], plain, TRUE, steps, unpenalized, loss_plain);
        for (int s = 0; s < steps; s++)
          g_assert_cmpfloat (loss_full[s], ==, loss_folded[s]);
        for (int i = 0; i < n_params; i++)
          if (!same_float (full[i], folded[i]))
            g_error ("%s, %s: parameter %d: full gradient %.9g, folded %.9g",
                     rs_kernels_set_name (sets[si]),
                     rs_optimizer_kind_to_string (configs[ci].kind), i, full[i], folded[i]);
        /* ... and the penalties did move them. */
        g_assert_true (memcmp (folded, unpenalized, sizeof folded) != 0);
      }
  rs_kernels_force (RS_KERNELS_AUTO);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/optimizer/sgd-plain", test_sgd_plain);
  g_test_add_func ("/engine/optimizer/sgd-momentum", test_sgd_momentum);
  g_test_add_func ("/engine/optimizer/sgd-nesterov", test_sgd_nesterov);
  g_test_add_func ("/engine/optimizer/sgd-weight-decay", test_sgd_weight_decay);
  g_test_add_func ("/engine/optimizer/sgd-momentum-toggle", test_sgd_momentum_toggle);
  g_test_add_func ("/engine/optimizer/adam-first-step", test_adam_first_step);
  g_test_add_func ("/engine/optimizer/adam-bias-correction", test_adam_bias_correction);
  g_test_add_func ("/engine/optimizer/adam-weight-decay", test_adam_weight_decay);
  g_test_add_func ("/engine/optimizer/adamw-decoupled", test_adamw_decoupled);
  g_test_add_func ("/engine/optimizer/adamw-without-decay-is-adam",
                   test_adamw_without_decay_is_adam);
  g_test_add_func ("/engine/optimizer/groups", test_groups);
  g_test_add_data_func ("/engine/optimizer/step-network-sgd", GINT_TO_POINTER (RS_OPT_SGD),
                        test_step_network);
  g_test_add_data_func ("/engine/optimizer/step-network-adam", GINT_TO_POINTER (RS_OPT_ADAM),
                        test_step_network);
  g_test_add_data_func ("/engine/optimizer/step-network-adamw", GINT_TO_POINTER (RS_OPT_ADAMW),
                        test_step_network);
  g_test_add_func ("/engine/optimizer/configure-keeps-state", test_configure_keeps_state);
  g_test_add_func ("/engine/optimizer/configure-kind-change-resets",
                   test_configure_kind_change_resets);
  g_test_add_data_func ("/engine/optimizer/reset-sgd", GINT_TO_POINTER (RS_OPT_SGD), test_reset);
  g_test_add_data_func ("/engine/optimizer/reset-adam", GINT_TO_POINTER (RS_OPT_ADAM),
                        test_reset);
  g_test_add_data_func ("/engine/optimizer/reset-adamw", GINT_TO_POINTER (RS_OPT_ADAMW),
                        test_reset);
  g_test_add_func ("/engine/optimizer/penalty-grad-avx2", test_penalty_grad_avx2);
  g_test_add_func ("/engine/optimizer/full-gradient-equals-folded",
                   test_full_gradient_equals_folded);
  return g_test_run ();
}
