#include "rs-session.h"
#include "rs-session-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rs-checkpoint.h"
#include "rs-error.h"
#include "rs-kernels.h"
#include "rs-kernels-impl.h"
#include "rs-keys.h"
#include "rs-lessons.h"
#include "rs-loss.h"
#include "rs-network.h"
#include "rs-objective.h"
#include "rs-optimizer.h"
#include "rs-regularizer.h"
#include "rs-rng.h"


struct _RsSession {
  RsExperiment *exp;          /* the configuration in force (lambdas change live) */
  RsDataset    *train;
  RsDataset    *val;          /* NULL without a validation split */
  RsDataset    *test;         /* the source's own test set, or NULL */
  RsNetwork    *net;
  RsOptimizer  *opt;
  RsRng         shuffle_rng;
  RsRng         dropout_rng;  /* its own stream: dropout leaves the batch order alone */
  RsRng         noise_rng;    /* input noise's: it leaves the batch order and the masks alone */

  int           batch;        /* rows per step */
  int           steps_per_epoch;
  gint64        step;         /* steps taken */
  int           epoch;
  int           pos;          /* next row of the epoch */
  int32_t      *order;        /* train row order of this epoch */
  float        *batch_x;      /* gathered rows when shuffling */
  int32_t      *batch_y;
  float        *noisy_x;      /* batch * features: the last step's inputs with input noise,
                               * allocated the first time it is on */
  int           noisy_rows;   /* rows of noisy_x the last step used; 0: no noise */
  gboolean      contiguous;   /* batches are slices of train (no shuffle) */

  double        last_val_loss, last_val_acc;
  /* the last validation pass's counts, true class (row) x predicted
   * (column); classes * classes, allocated once; val_counted: since reset */
  guint32      *val_confusion;
  gboolean      val_counted;
  double        last_test_loss, last_test_acc;
  RsMetrics     last;         /* the last step's metrics (has_last: one since reset) */
  gboolean      has_last;

  /* early stopping: the best validation pass so far and its weights
   * (best_params: n_params, allocated once, when early stopping is first on;
   * a step only copies into it) */
  float        *best_params;
  gint64        best_step;    /* -1: none yet */
  double        best_value;
  int           wait;         /* validation passes since the best */
  gint64        stopped_step; /* where the patience ran out, -1: not yet */
  gboolean      ended;        /* training ended once (restore acted there) */
  gboolean      keep_going;   /* rs_run: a stop does not end the run */

  RsSessionStepHook step_hook;
  gpointer      step_hook_data;

  char         *init_path;    /* checkpoint to reset to, or NULL */
  char         *init_warning; /* its tensors the model did not use, or NULL */
  float        *init_params;  /* its contents (the reset point), or NULL */
};

/* ---- construction ------------------------------------------------------- */

static void ensure_best_buffer (RsSession *s);
static void early_stop_clear (RsSession *s);

static const char *
preset_name (const RsExperiment *exp)
{
  return exp->path != NULL ? exp->path : "(preset)";
}

/* The data to split into training and validation rows, and the source's
 * own test set when it has one (*test stays NULL otherwise). */
static RsDataset *
load_data (const RsExperiment *exp, RsDataset **test, RsCsvInfo *info, GError **error)
{
  *test = NULL;
  switch (exp->source)
    {
    case RS_DATA_CSV:
      {
        RsCsvOptions options = { .label_column = exp->label_column, .info = info };
        return rs_dataset_load_csv_with (exp->csv_path, &options, error);
      }
    case RS_DATA_IDX:
      {
        RsDataset *train = NULL;
        if (!rs_dataset_load_idx_dir (exp->csv_path, &train, test, error))
          return NULL;
        return train;
      }
    case RS_DATA_DIGITS:
    case RS_DATA_IRIS:
    case RS_DATA_WINE:
    case RS_DATA_BREAST_CANCER:
      return rs_dataset_load_builtin (exp->source, rs_data_dir (), error);
    default:
      {
        RsDataset *data = rs_dataset_generate (exp->source, exp->samples, exp->features,
                                               exp->classes, exp->noise, exp->seed, error);
        if (data == NULL)
          g_prefix_error (error, _("%s: [data] source: "), preset_name (exp));
        return data;
      }
    }
}

RsDataset *
rs_session_load_data (const RsExperiment *exp, RsCsvInfo *info, GError **error)
{
  g_autoptr (RsDataset) test = NULL;
  return load_data (exp, &test, info, error);
}

/* "of /path/points.csv (labels 0..7)" for a CSV, "of the data" otherwise:
 * a data file and a model that disagree are both named. */
static char *
describe_data (const RsExperiment *exp, const RsDataset *data, gboolean classes)
{
  if (exp->source != RS_DATA_CSV)
    return g_strdup ("of the data");
  g_autofree char *file = g_filename_display_name (exp->csv_path);
  if (!classes)
    return g_strdup_printf ("of %s", file);
  GString *s = g_string_new (NULL);
  g_string_printf (s, "of %s (", file);
  if (data->class_names == NULL)
    g_string_append_printf (s, "labels 0..%d", data->classes - 1);
  else
    for (int k = 0; k < data->classes && k < 5; k++)
      g_string_append_printf (s, "%s%s", k > 0 ? ", " : "", data->class_names[k]);
  if (data->class_names != NULL && data->classes > 5)
    g_string_append (s, ", ...");
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

RsSession *
rs_session_new (const RsExperiment *exp, GError **error)
{
  if (!rs_experiment_validate (exp, error))
    return NULL;

  g_autoptr (RsDataset) test = NULL;
  g_autoptr (RsDataset) all = load_data (exp, &test, NULL, error);
  if (all == NULL)
    return NULL;

  int in = exp->sizes[0], out = exp->sizes[exp->n_layers];
  if (all->features != in)
    {
      g_autofree char *what = describe_data (exp, all, FALSE);
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                   _("%s: [model] layers: the input width %d does not match the %d features %s"),
                   preset_name (exp), in, all->features, what);
      return NULL;
    }
  if (all->classes != out)
    {
      g_autofree char *what = describe_data (exp, all, TRUE);
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                   _("%s: [model] layers: the output width %d does not match the %d classes %s"),
                   preset_name (exp), out, all->classes, what);
      return NULL;
    }

  RsSession *s = g_new0 (RsSession, 1);
  s->exp = rs_experiment_copy (exp);
  rs_dataset_split (all, exp->validation, exp->seed, &s->train, &s->val);
  /* The split copied the rows: the full set need not wait for the end. */
  g_clear_pointer (&all, rs_dataset_free);
  s->test = g_steal_pointer (&test);
  if (exp->standardize)
    rs_dataset_standardize (s->train, s->val, s->test);

  int n = s->train->n;
  s->batch = exp->batch_size > 0 && exp->batch_size < n ? exp->batch_size : n;
  s->steps_per_epoch = (n + s->batch - 1) / s->batch;
  s->contiguous = !exp->shuffle || s->batch == n;

  int max_rows = MAX (s->batch, RS_EVAL_CHUNK);
  rs_kernels_init ();
  s->net = rs_network_new (exp->n_layers, exp->sizes, exp->activation, max_rows);
  s->opt = rs_optimizer_new (&exp->optimizer, s->net->n_params);
  s->order = g_new (int32_t, n);
  s->val_confusion = g_new0 (guint32, (gsize) out * out);
  if (!s->contiguous)
    {
      s->batch_x = g_new (float, (gsize) s->batch * in);
      s->batch_y = g_new (int32_t, s->batch);
    }
  ensure_best_buffer (s);
  rs_session_reset (s);
  return s;
}

void
rs_session_free (RsSession *s)
{
  if (s == NULL)
    return;
  rs_experiment_free (s->exp);
  rs_dataset_free (s->train);
  rs_dataset_free (s->val);
  rs_dataset_free (s->test);
  rs_network_free (s->net);
  rs_optimizer_free (s->opt);
  g_free (s->order);
  g_free (s->val_confusion);
  g_free (s->batch_x);
  g_free (s->batch_y);
  g_free (s->noisy_x);
  g_free (s->init_path);
  g_free (s->init_warning);
  g_free (s->init_params);
  g_free (s->best_params);
  g_free (s);
}

gboolean
rs_session_restart (RsSession *s, const RsExperiment *exp, GError **error)
{
  RsSession *fresh = rs_session_new (exp, error);
  if (fresh == NULL)
    return FALSE;
  /* The caller's pointer stays valid: the contents change places, and the
   * test hook (and a replay's keep_going) stays with the session it was
   * set on. */
  RsSession old = *s;
  *s = *fresh;
  s->step_hook = old.step_hook;
  s->step_hook_data = old.step_hook_data;
  s->keep_going = old.keep_going;
  *fresh = old;
  rs_session_free (fresh);
  return TRUE;
}

void
rs_session_reset (RsSession *s)
{
  if (s->init_params != NULL)
    memcpy (s->net->params, s->init_params, s->net->n_params * sizeof (float));
  else
    {
      RsRng rng;
      rs_rng_init (&rng, s->exp->seed, RS_RNG_STREAM_INIT);
      rs_network_init_pytorch (s->net, &rng);
    }
  rs_optimizer_configure (s->opt, &s->exp->optimizer);
  rs_optimizer_reset (s->opt);
  rs_rng_init (&s->shuffle_rng, s->exp->seed, RS_RNG_STREAM_SHUFFLE);
  rs_rng_init (&s->dropout_rng, s->exp->seed, RS_RNG_STREAM_DROPOUT);
  rs_rng_init (&s->noise_rng, s->exp->seed, RS_RNG_STREAM_INPUT_NOISE);
  s->noisy_rows = 0;
  s->step = 0;
  s->epoch = 0;
  s->pos = 0;
  s->last_val_loss = NAN;
  s->last_val_acc = NAN;
  s->val_counted = FALSE;
  s->last_test_loss = NAN;
  s->last_test_acc = NAN;
  s->has_last = FALSE;
  early_stop_clear (s);
  for (int i = 0; i < s->train->n; i++)
    s->order[i] = i;
}

gboolean
rs_session_load_init (RsSession *s, const char *path, GError **error)
{
  g_autofree char *warning = NULL;
  if (!rs_checkpoint_load (s->net, path, &warning, error))
    return FALSE;
  g_free (s->init_warning);
  s->init_warning = g_steal_pointer (&warning);
  g_free (s->init_params);
  s->init_params = g_memdup2 (s->net->params, s->net->n_params * sizeof (float));
  g_free (s->init_path);
  s->init_path = g_strdup (path);
  rs_session_reset (s);
  return TRUE;
}

gboolean
rs_session_save_checkpoint (RsSession *s, const char *path, GError **error)
{
  /* The lesson's name as `regscope-train` takes it, else its title. */
  g_autofree char *lesson = NULL;
  if (s->exp->path != NULL)
    {
      lesson = g_path_get_basename (s->exp->path);
      if (g_str_has_suffix (lesson, ".ini"))
        lesson[strlen (lesson) - 4] = '\0';
    }
  return rs_checkpoint_save (s->net, path, lesson != NULL ? lesson : s->exp->title, error);
}

const char *
rs_session_get_init_warning (RsSession *s)
{
  return s->init_warning;
}

const char *
rs_session_get_init_path (RsSession *s)
{
  return s->init_path;
}

/* ---- one step ----------------------------------------------------------- */

/* Task loss and accuracy of `data` with the current parameters, in chunks
 * (the network's caches are reused; no allocation). */
static void
evaluate (RsSession *s, const RsDataset *data, double *loss, double *acc,
          guint32 *confusion)
{
  double total = 0.0;
  int hits = 0;
  int classes = s->exp->sizes[s->exp->n_layers];
  if (confusion != NULL)
    memset (confusion, 0, (gsize) classes * classes * sizeof (guint32));
  for (int r = 0; r < data->n; r += RS_EVAL_CHUNK)
    {
      int rows = MIN (RS_EVAL_CHUNK, data->n - r);
      const float *out = rs_network_forward (s->net, data->x + (gsize) r * data->features, rows);
      int correct = 0;
      total += rows * rs_loss_compute (s->exp->loss, s->exp->label_smoothing, out, data->y + r,
                                       rows, classes, NULL, &correct);
      hits += correct;
      /* the same pass's outputs, counted by true and predicted class */
      for (int i = 0; confusion != NULL && i < rows; i++)
        confusion[(gsize) data->y[r + i] * classes
                  + rs_loss_argmax (out + (gsize) i * classes, classes)]++;
    }
  *loss = total / data->n;
  *acc = (double) hits / data->n;
}

void
rs_session_evaluate (RsSession *s, const RsDataset *data, double *loss, double *acc)
{
  evaluate (s, data, loss, acc, NULL);
}

/* Whether the gradients the optimizer will use are all finite: the data
 * gradients in net->grads plus each layer's l1/l2 terms, which
 * rs_optimizer_step_network_penalized folds in. Usually settled by bounds
 * (|theta| <= sqrt(sum theta^2) <= sqrt(obj->l2 / l2)); otherwise each
 * gradient is formed as the optimizer forms it. */
static gboolean
gradients_finite (RsNetwork *net, const RsLayerReg *regs, const RsObjective *obj)
{
  gboolean bounded = rs_all_below_2p127 (net->grads, net->n_params);
  for (int l = 0; l < net->n_layers && bounded; l++)
    {
      RsParamPenalty c = rs_param_penalty_weight (&regs[l]);
      double theta_max = regs[l].l2 != 0.0 ? sqrt (obj->l2 / regs[l].l2) : 0.0;
      bounded = c.l1 + c.l2x2 * theta_max < 0x1p126;
    }
  if (bounded)
    return TRUE;
  for (int l = 0; l < net->n_layers; l++)
    {
      const RsLayer *layer = &net->layers[l];
      RsParamPenalty pw = rs_param_penalty_weight (&regs[l]);
      RsParamPenalty pb = rs_param_penalty_bias (&regs[l]);
      gsize nw = (gsize) layer->out * layer->in, n = nw + layer->out;
      for (gsize i = 0; i < n; i++)
        {
          /* weight then bias, contiguous */
          float g = layer->grad_weight[i]
                    + rs_param_penalty_grad (i < nw ? pw : pb, layer->weight[i]);
          if (!isfinite (g))
            return FALSE;
        }
    }
  return TRUE;
}

/* Early stopping's bookkeeping after a validation pass, whose parameters
 * are the step's pre-update ones: those are the weights kept. The copy
 * goes into a buffer allocated once; it costs one pass over the
 * parameters, and only at an improvement. */
static void
track_best (RsSession *s)
{
  const RsEarlyStopping *es = &s->exp->early_stopping;
  if (es->patience <= 0 || s->best_params == NULL)
    return;
  double v = es->metric == RS_STOP_VAL_ACC ? s->last_val_acc : s->last_val_loss;
  /* strictly better, as Keras' EarlyStopping with min_delta 0; a first
   * pass counts unless it is NaN or infinite */
  gboolean better = s->best_step < 0 ? isfinite (v)
                    : es->metric == RS_STOP_VAL_ACC ? v > s->best_value : v < s->best_value;
  if (!better)
    {
      s->wait++;
      return;
    }
  s->best_value = v;
  s->best_step = s->step;
  s->wait = 0;
  memcpy (s->best_params, s->net->params, s->net->n_params * sizeof (float));
}

/* After a step: whether the patience ran out, and the end of training
 * (there with stop, else the experiment's last step), where restore puts
 * the best weights back: once a run, so that Play past the end trains on
 * from them. */
static void
early_stop_after_step (RsSession *s)
{
  const RsEarlyStopping *es = &s->exp->early_stopping;
  if (es->patience <= 0)
    return;
  if (s->stopped_step < 0 && s->wait >= es->patience)
    s->stopped_step = s->step;
  gboolean end = (es->stop && s->stopped_step == s->step)
                 || s->step == rs_session_total_steps (s);
  if (end && !s->ended)
    {
      s->ended = TRUE;
      if (es->restore)
        rs_session_restore_best (s);
    }
}

static void
next_batch (RsSession *s, const float **x, const int32_t **y, int *rows)
{
  const RsDataset *d = s->train;
  if (s->pos == 0 && !s->contiguous)
    rs_rng_shuffle (&s->shuffle_rng, s->order, d->n);
  *rows = MIN (s->batch, d->n - s->pos);
  if (s->contiguous)
    {
      *x = d->x + (gsize) s->pos * d->features;
      *y = d->y + s->pos;
      return;
    }
  for (int r = 0; r < *rows; r++)
    {
      int src = s->order[s->pos + r];
      memcpy (s->batch_x + (gsize) r * d->features, d->x + (gsize) src * d->features,
              d->features * sizeof (float));
      s->batch_y[r] = d->y[src];
    }
  *x = s->batch_x;
  *y = s->batch_y;
}

gboolean
rs_session_step (RsSession *s, RsMetrics *m, GError **error)
{
  if (s->step_hook != NULL)
    s->step_hook (s->step_hook_data);

  RsNetwork *net = s->net;
  const RsExperiment *exp = s->exp;
  const float *x;
  const int32_t *y;
  int rows;
  next_batch (s, &x, &y, &rows);
  s->noisy_rows = 0;
  if (exp->input_noise > 0)
    {
      int features = s->train->features;
      /* Once, the first time it is on: a session without it carries no buffer. */
      if (G_UNLIKELY (s->noisy_x == NULL))
        s->noisy_x = g_new (float, (gsize) s->batch * features);
      rs_network_input_noise (s->noisy_x, x, (gsize) rows * features, exp->input_noise,
                              &s->noise_rng);
      x = s->noisy_x;
      s->noisy_rows = rows;
    }

  /* The parameter penalties' gradients are folded into the update (one
   * pass over the parameters instead of three). */
  RsObjective obj;
  rs_network_dropout_draw (net, exp->layer, rows, &s->dropout_rng);
  rs_objective_compute_mode (net, exp->layer, exp->loss, exp->label_smoothing, x, y, rows,
                             RS_GRAD_DATA, &obj);
  /* Validation and the plots' probes see every unit. */
  net->dropout_on = FALSE;
  if (!isfinite (obj.loss))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DIVERGED,
                   isnan (obj.loss)
                   ? _("the loss became NaN at step %lld (epoch %d): training diverged; "
                       "lower the learning rate or reset")
                   : _("the loss became infinite at step %lld (epoch %d): training diverged; "
                       "lower the learning rate or reset"),
                   (long long) s->step, s->epoch);
      return FALSE;
    }
  /* A finite loss can still come with an overflowed gradient (a huge
   * lambda times sign(w) in float32); updating with it would poison the
   * parameters, so it is refused the same way. */
  if (!gradients_finite (net, exp->layer, &obj))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_DIVERGED,
                   _("a gradient became infinite at step %lld (epoch %d): training diverged; "
                     "lower the lambdas or the learning rate, or reset"),
                   (long long) s->step, s->epoch);
      return FALSE;
    }

  m->step = s->step;
  m->epoch = s->epoch;
  m->loss = obj.loss;
  m->task_loss = obj.task;
  m->l1 = obj.l1;
  m->l2 = obj.l2;
  m->activity = obj.activity;
  m->train_acc = (double) obj.correct / rows;

  /* Validation uses the same parameters as the training loss (before the
   * update); the gradients are already in net->grads, so reusing the
   * forward caches here is safe. */
  gboolean epoch_end = s->pos + rows >= s->train->n;
  if (s->val != NULL && (s->step % exp->eval_every == 0 || epoch_end))
    {
      evaluate (s, s->val, &s->last_val_loss, &s->last_val_acc, s->val_confusion);
      s->val_counted = TRUE;
      track_best (s);
    }
  m->val_loss = s->last_val_loss;
  m->val_acc = s->last_val_acc;
  /* The test set once an epoch: Fashion-MNIST's 10,000 images cost about
   * 30 training steps. */
  if (s->test != NULL && epoch_end)
    evaluate (s, s->test, &s->last_test_loss, &s->last_test_acc, NULL);
  m->test_loss = s->last_test_loss;
  m->test_acc = s->last_test_acc;

  rs_optimizer_step_network_penalized (s->opt, net, exp->layer);
  /* Constraints act on the updated weights, as a renorm after
   * optimizer.step() does. */
  for (int l = 0; l < net->n_layers; l++)
    rs_regularizer_max_norm (&net->layers[l], &exp->layer[l]);

  s->last = *m;
  s->has_last = TRUE;
  s->step++;
  early_stop_after_step (s);
  s->pos += rows;
  if (s->pos >= s->train->n)
    {
      s->pos = 0;
      s->epoch++;
    }
  return TRUE;
}

/* ---- controls and accessors --------------------------------------------- */

const RsMetrics *
rs_session_get_last_metrics (RsSession *s)
{
  return s->has_last ? &s->last : NULL;
}

void
rs_session_set_layer_reg (RsSession *s, int layer, const RsLayerReg *reg)
{
  g_return_if_fail (layer >= 0 && layer < s->exp->n_layers);
  s->exp->layer[layer] = *reg;
}

/* Early stopping's weights buffer, once it is on (a control change, never
 * a step, allocates it). */
static void
ensure_best_buffer (RsSession *s)
{
  if (s->exp->early_stopping.patience > 0 && s->best_params == NULL)
    s->best_params = g_new (float, s->net->n_params);
}

void
rs_session_set_globals (RsSession *s, const RsExperiment *from)
{
  RsEarlyStopping es_before = s->exp->early_stopping;
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *d = &keys[i];
      if (d->section == RS_SECTION_LAYER || !(d->flags & RS_KEY_CONTROL))
        continue;
      double v = rs_key_get_number (d, rs_key_block_const (d, from, -1));
      gboolean ok = rs_key_set_number (d, rs_key_block (d, s->exp, -1), v);
      g_return_if_fail (ok);
    }
  rs_optimizer_configure (s->opt, &s->exp->optimizer);
  ensure_best_buffer (s);
  /* Switched on, or watching another metric: a best of its own from here. */
  const RsEarlyStopping *es = &s->exp->early_stopping;
  if ((es_before.patience == 0 && es->patience > 0) || es_before.metric != es->metric)
    early_stop_clear (s);
  /* "Restore best" pressed: its count went up */
  if (es->restores != es_before.restores)
    rs_session_restore_best (s);
}

void
rs_session_set_sparsity_threshold (RsSession *s, double threshold)
{
  s->exp->sparsity_threshold = threshold;
}

void
rs_session_set_step_hook (RsSession *s, RsSessionStepHook hook, gpointer user_data)
{
  s->step_hook = hook;
  s->step_hook_data = user_data;
}

RsNetwork *rs_session_get_network (RsSession *s) { return s->net; }

const float *
rs_session_get_noisy_batch (RsSession *s, int *rows)
{
  *rows = s->noisy_rows;
  return s->noisy_rows > 0 ? s->noisy_x : NULL;
}

const RsExperiment *rs_session_get_experiment (RsSession *s) { return s->exp; }
const RsDataset *rs_session_get_train (RsSession *s) { return s->train; }
const RsDataset *rs_session_get_validation (RsSession *s) { return s->val; }

const guint32 *
rs_session_get_val_confusion (RsSession *s)
{
  return s->val != NULL && s->val_counted ? s->val_confusion : NULL;
}
const RsDataset *rs_session_get_test (RsSession *s) { return s->test; }
gint64 rs_session_get_step (RsSession *s) { return s->step; }
int rs_session_steps_per_epoch (RsSession *s) { return s->steps_per_epoch; }
int rs_session_n_layers (RsSession *s) { return s->net->n_layers; }

gint64
rs_session_total_steps (RsSession *s)
{
  return s->exp->steps > 0 ? s->exp->steps : (gint64) s->exp->epochs * s->steps_per_epoch;
}

const float *
rs_session_layer_weight (RsSession *s, int layer)
{
  return s->net->layers[layer].weight;
}

const float *
rs_session_layer_bias (RsSession *s, int layer)
{
  return s->net->layers[layer].bias;
}

/* ---- early stopping -------------------------------------------------- */

static void
early_stop_clear (RsSession *s)
{
  s->best_step = -1;
  s->best_value = NAN;
  s->wait = 0;
  s->stopped_step = -1;
  s->ended = FALSE;
}

gboolean
rs_session_restore_best (RsSession *s)
{
  if (s->best_step < 0 || s->best_params == NULL)
    return FALSE;
  memcpy (s->net->params, s->best_params, s->net->n_params * sizeof (float));
  return TRUE;
}

void
rs_session_get_early_stop (RsSession *s, RsEarlyStop *out)
{
  out->best_step = s->best_step;
  out->best_value = s->best_value;
  out->wait = s->wait;
  out->stopped_step = s->stopped_step;
}

gboolean
rs_session_should_stop (RsSession *s)
{
  return !s->keep_going && s->exp->early_stopping.stop && s->stopped_step >= 0
         && s->stopped_step == s->step;
}

void
rs_session_set_keep_going (RsSession *s, gboolean keep_going)
{
  s->keep_going = keep_going;
}

char *
rs_session_describe_stop (RsSession *s)
{
  const RsEarlyStopping *es = &s->exp->early_stopping;
  if (es->patience <= 0 || s->best_step < 0)
    return NULL;
  g_autofree char *metric = rs_key_format_label (rs_key_find (RS_SECTION_EARLY_STOPPING,
                                                              "metric"), es->metric);
  char value[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (value, sizeof value, "%.4f", s->best_value);
  const char *restored = s->ended && es->restore ? _(", whose weights are restored") : "";
  if (es->stop && s->stopped_step >= 0)
    return g_strdup_printf (_("early stopping at step %lld: no better %s for %d passes; "
                              "the best was step %lld (%s)%s"),
                            (long long) s->stopped_step, metric, es->patience,
                            (long long) s->best_step, value, restored);
  return g_strdup_printf (_("early stopping: the best %s was at step %lld (%s)%s"), metric,
                          (long long) s->best_step, value, restored);
}
