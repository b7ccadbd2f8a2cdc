/* rs-keys.c — the table of preset keys, and reading and writing a key's
 * value as a number. */
#include "rs-keys.h"
#include "rs-sweep.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

/* Guards against presets that would make the generators allocate
 * gigabytes before anything useful happens. */
#define RS_MAX_SAMPLES 10000000

static const char *const section_names[] = {
  "experiment", "data", "model", "optimizer", "early-stopping", "layer fcK", "replay", "sweep",
  "compare",
};

/* The enums' words, indexed by their values (rs-experiment.h). */
const char *const rs_activation_names[] = { "relu", "tanh", "sigmoid", "linear", NULL };
const char *const rs_loss_names[] = { "cross-entropy", "mse", NULL };
const char *const rs_optimizer_names[] = { "sgd", "adam", "adamw", NULL };
const char *const rs_norm_names[] = { "l1", "l2", NULL };
const char *const rs_speed_names[] = { "10", "100", "1000", "max", NULL };
const char *const rs_spacing_names[] = { "log", "lin", NULL };
const char *const rs_stop_metric_names[] = { "val_loss", "val_acc", NULL };

static const char *const optimizer_labels[] = { "SGD", "Adam", "AdamW", NULL };
static const char *const norm_labels[] = { "L1", "L2", NULL };
static const char *const stop_metric_labels[] = { N_("validation loss"),
                                                  N_("validation accuracy"), NULL };
static const char *const speed_labels[] = { N_("10 steps/s"), N_("100 steps/s"),
                                            N_("1000 steps/s"), N_("as fast as possible"), NULL };

/* The largest strength of a term. A student's typo (1e9 for 1e-3) made the
 * loss 1e9 and the window showed it as if it were a lesson; useful
 * strengths are far below this (the slider ends at 1). */
#define RS_MAX_LAMBDA 10.0
/* A max-norm's c is a length, not a strength: rows of a wide layer start
 * near 1, and c far above them is off in all but name. */
#define RS_MAX_NORM 1000.0

/* The PyTorch lines of the loss terms (see RsKey.python_loss). */
static const char *const l1_python[] = {
  "# L1 regularization on fc{k} weights (the bias is left out)\n"
  "loss += {name} * model.fc{k}.weight.abs().sum()",
  "# L1 regularization on fc{k} parameters (weight and bias)\n"
  "loss += {name} * sum(p.abs().sum() for p in model.fc{k}.parameters())",
  NULL };
static const char *const l2_python[] = {
  "# L2 penalty on fc{k} parameters, added to the loss\n"
  "loss += {name} * sum((p ** 2).sum() for p in model.fc{k}.parameters())",
  NULL };
static const char *const activity_python[] = {
  "# Activity regularization on fc{k} activations\n"
  "loss += {name} * model.fc{k}_activations.abs().mean()",
  "# Activity regularization on fc{k} activations\n"
  "loss += {name} * model.fc{k}_activations.pow(2).mean()",
  NULL };
static const char *const max_norm_python[] = {
  "# Max-norm: each unit's incoming weights (a row of fc{k}.weight) renormed to at most {name}\n"
  "model.fc{k}.weight.data.copy_(torch.renorm(model.fc{k}.weight.data, 2, 0, {name}))",
  NULL };
static const char *const activity_python_forward[] = {
  "self.fc{k}_activations = x # Store outputs for activity regularization",
  NULL };
static const char *const dropout_python_forward[] = {
  "if self.training: # dropout, as nn.Dropout: off under model.eval()\n"
  "    x = regscope_dropout(x, {name})",
  NULL };

#define EXP_OFF(m) offsetof (RsExperiment, m)
#define OPT_OFF(m) offsetof (RsOptimizerConfig, m)
#define REG_OFF(m) offsetof (RsLayerReg, m)
#define ES_OFF(m) offsetof (RsExperiment, early_stopping.m)

/* The order is the order of reading: [model] comes before the layers it
 * sizes, and presets are written in this order. */
static const RsKey keys[] = {
  { RS_SECTION_EXPERIMENT, "title", RS_KEY_STRING, EXP_OFF (title), 0, 0, RS_KEY_VERBATIM,
    .label = N_("title") },
  { RS_SECTION_EXPERIMENT, "description", RS_KEY_STRING, EXP_OFF (description), 0, 0,
    RS_KEY_VERBATIM, .label = N_("description") },
  { RS_SECTION_EXPERIMENT, "seed", RS_KEY_U64, EXP_OFF (seed), 0, INFINITY, 0,
    .label = N_("seed") },
  { RS_SECTION_EXPERIMENT, "epochs", RS_KEY_INT, EXP_OFF (epochs), 1, INFINITY, 0,
    .label = N_("epochs") },
  { RS_SECTION_EXPERIMENT, "steps", RS_KEY_INT64, EXP_OFF (steps), 1, INFINITY, 0,
    .label = N_("steps") },
  { RS_SECTION_EXPERIMENT, "eval-every", RS_KEY_INT, EXP_OFF (eval_every), 1, INFINITY, 0,
    .label = N_("validation every") },
  { RS_SECTION_EXPERIMENT, "sparsity-threshold", RS_KEY_DOUBLE, EXP_OFF (sparsity_threshold),
    0, INFINITY, RS_KEY_MIN_EXCL, .label = N_("zero threshold"),
    .help = N_("|w| below this counts as zero in the plots") },
  { RS_SECTION_EXPERIMENT, "speed", RS_KEY_ENUM, EXP_OFF (speed), 0, 0, 0, rs_speed_names,
    .label = N_("speed"), .value_labels = speed_labels,
    .help = N_("The steps per second the window starts the lesson at") },

  { RS_SECTION_DATA, "source", RS_KEY_SOURCE, EXP_OFF (source), 0, 0, 0, .label = N_("data") },
  { RS_SECTION_DATA, "label-column", RS_KEY_STRING, EXP_OFF (label_column), 0, 0, 0,
    .label = N_("label column"), .help = N_("csv: last, a position from 1, or a header name") },
  { RS_SECTION_DATA, "samples", RS_KEY_INT, EXP_OFF (samples), 1, RS_MAX_SAMPLES, 0,
    .label = N_("samples") },
  { RS_SECTION_DATA, "features", RS_KEY_INT, EXP_OFF (features), 1, RS_MAX_UNITS, 0,
    .label = N_("features") },
  { RS_SECTION_DATA, "classes", RS_KEY_INT, EXP_OFF (classes), 2, RS_MAX_UNITS, 0,
    .label = N_("classes") },
  { RS_SECTION_DATA, "noise", RS_KEY_DOUBLE, EXP_OFF (noise), 0, INFINITY, 0,
    .label = N_("noise") },
  { RS_SECTION_DATA, "validation", RS_KEY_DOUBLE, EXP_OFF (validation), 0, 0.9, 0,
    .label = N_("validation fraction") },
  { RS_SECTION_DATA, "batch-size", RS_KEY_INT, EXP_OFF (batch_size), 0, INFINITY, 0,
    .label = N_("batch size") },
  { RS_SECTION_DATA, "shuffle", RS_KEY_BOOL, EXP_OFF (shuffle), 0, 0, 0, .label = N_("shuffle") },
  { RS_SECTION_DATA, "standardize", RS_KEY_BOOL, EXP_OFF (standardize), 0, 0, 0,
    .label = N_("standardize") },
  { RS_SECTION_DATA, "input-noise", RS_KEY_DOUBLE, EXP_OFF (input_noise), 0, RS_MAX_LAMBDA,
    RS_KEY_CONTROL, .label = N_("input noise"),
    .help = N_("Gaussian input noise: while training, every input value of the batch gets "
               "σ times a fresh standard normal draw added, a new draw every step. Validation "
               "and the plots see the inputs as they are."),
    .formula = N_("Training steps only: x′ = x + σ·n, n ~ N(0, 1) drawn anew for each value "
                  "of the batch; nothing in the loss. Gradient: the same formulas at x′; "
                  "for a linear model with the squared error this is on average L2 on the "
                  "first layer's weights with λ ∝ σ² (Bishop, 1995).") },

  { RS_SECTION_MODEL, "layers", RS_KEY_LAYERS, 0, 0, 0, 0, .label = N_("layer sizes") },
  { RS_SECTION_MODEL, "activation", RS_KEY_ENUM, EXP_OFF (activation), 0, 0, 0,
    rs_activation_names, .label = N_("activation") },
  { RS_SECTION_MODEL, "loss", RS_KEY_ENUM, EXP_OFF (loss), 0, 0, 0, rs_loss_names,
    .label = N_("loss") },
  { RS_SECTION_MODEL, "label-smoothing", RS_KEY_DOUBLE, EXP_OFF (label_smoothing), 0, 1,
    RS_KEY_MAX_EXCL | RS_KEY_CONTROL, .label = N_("label smoothing"),
    .help = N_("Label smoothing: the task loss aims at (1 − ε) for the true class and ε/C spread "
               "over all C classes instead of a hard 1, so the network stops pushing its logits "
               "apart once it is confident."),
    .formula = N_("target y′ = (1 − ε)·onehot(y) + ε/C; task loss = mean over the batch of "
                  "−Σⱼ y′ⱼ·log pⱼ (nn.CrossEntropyLoss(label_smoothing=ε); with MSE the same "
                  "y′ is the target). Gradient on the logits: (p − y′)/B, so a confident "
                  "logit is pulled back once pᵧ passes 1 − ε + ε/C.") },

  { RS_SECTION_OPTIMIZER, "name", RS_KEY_ENUM, OPT_OFF (kind), 0, 0, RS_KEY_CONTROL,
    rs_optimizer_names, .label = N_("optimizer"), .value_labels = optimizer_labels },
  { RS_SECTION_OPTIMIZER, "lr", RS_KEY_DOUBLE, OPT_OFF (lr), 0, INFINITY,
    RS_KEY_MIN_EXCL | RS_KEY_CONTROL, .label = "lr",
    .help = N_("Learning rate: the optimizer's step size, how far each step moves the weights "
               "against the gradient.") },
  { RS_SECTION_OPTIMIZER, "momentum", RS_KEY_DOUBLE, OPT_OFF (momentum), 0, 1,
    RS_KEY_MAX_EXCL | RS_KEY_CONTROL, .label = N_("momentum") },
  { RS_SECTION_OPTIMIZER, "dampening", RS_KEY_DOUBLE, OPT_OFF (dampening), 0, 1,
    RS_KEY_CONTROL, .label = N_("dampening") },
  { RS_SECTION_OPTIMIZER, "nesterov", RS_KEY_BOOL, OPT_OFF (nesterov), 0, 0, RS_KEY_CONTROL,
    .label = "nesterov" },
  { RS_SECTION_OPTIMIZER, "betas", RS_KEY_BETAS, 0, 0, 1, RS_KEY_MAX_EXCL,
    .label = "betas" },
  /* betas as the events see them, one at a time */
  { RS_SECTION_OPTIMIZER, "beta1", RS_KEY_DOUBLE, OPT_OFF (beta1), 0, 1,
    RS_KEY_MAX_EXCL | RS_KEY_CONTROL | RS_KEY_EVENT_ONLY, .label = "beta1" },
  { RS_SECTION_OPTIMIZER, "beta2", RS_KEY_DOUBLE, OPT_OFF (beta2), 0, 1,
    RS_KEY_MAX_EXCL | RS_KEY_CONTROL | RS_KEY_EVENT_ONLY, .label = "beta2" },
  { RS_SECTION_OPTIMIZER, "eps", RS_KEY_DOUBLE, OPT_OFF (eps), 0, INFINITY,
    RS_KEY_MIN_EXCL | RS_KEY_CONTROL, .label = "eps" },

  /* [early-stopping]: off while patience is 0 */
  { RS_SECTION_EARLY_STOPPING, "metric", RS_KEY_ENUM, ES_OFF (metric), 0, 0, RS_KEY_CONTROL,
    rs_stop_metric_names, .label = N_("early-stopping metric"),
    .value_labels = stop_metric_labels,
    .help = N_("What early stopping watches: the validation loss (lower is better) or the "
               "validation accuracy (higher is better).") },
  { RS_SECTION_EARLY_STOPPING, "patience", RS_KEY_INT, ES_OFF (patience), 0, 100000,
    RS_KEY_CONTROL, .label = N_("patience"),
    .help = N_("Early stopping: the weights of the validation pass with the best score are "
               "kept and marked “best” on the loss plot; after this many passes without a "
               "better one, training stops (0: off)."),
    .formula = N_("Nothing in the loss or the gradient. At each validation pass (with the "
                  "weights before the step's update): when its score beats best (loss lower, "
                  "accuracy higher), best ← score, W_best ← W, wait ← 0; else wait ← wait + 1. "
                  "At wait = patience training stops (with stop); with restore, W ← W_best "
                  "where training ends.") },
  { RS_SECTION_EARLY_STOPPING, "restore", RS_KEY_BOOL, ES_OFF (restore), 0, 0, RS_KEY_CONTROL,
    .label = N_("restore best at the end"),
    .help = N_("Where training ends (early stopping stops it, or the last step), put the best "
               "validation pass's weights back") },
  { RS_SECTION_EARLY_STOPPING, "stop", RS_KEY_BOOL, ES_OFF (stop), 0, 0, RS_KEY_CONTROL,
    .label = N_("stop early"),
    .help = N_("Stop when the patience runs out; off: train on to the end and only mark the "
               "best step") },
  /* "Restore best" in the window: a press, recorded as an event */
  { RS_SECTION_EARLY_STOPPING, "restore-best", RS_KEY_INT64, ES_OFF (restores), 0, INFINITY,
    RS_KEY_CONTROL | RS_KEY_EVENT_ONLY | RS_KEY_ACTION, .label = N_("best weights restored") },

  { RS_SECTION_LAYER, "l1", RS_KEY_DOUBLE, REG_OFF (l1), 0, RS_MAX_LAMBDA,
    RS_KEY_CONTROL | RS_KEY_TERM, .label = "L1",
    .help = N_("L1 penalty: λ·Σ|θ| is added to the loss. It pushes weights to exactly zero "
               "(sparsity)."),
    .python = "l1_lambda", .python_loss = l1_python, .python_variant = "l1-bias",
    .formula = N_("loss += λ·Σ|θ| over the layer's weights (and its bias with “L1 on bias”), "
                  "a sum, not a mean. Gradient: += λ·sign(θ), 0 at θ = 0: a constant pull "
                  "towards 0 whatever the size of θ.") },
  { RS_SECTION_LAYER, "l1-bias", RS_KEY_BOOL, REG_OFF (l1_bias), 0, 0, RS_KEY_CONTROL,
    .label = N_("L1 on bias"),
    .help = N_("Count the bias in the L1 sum, as fc1.parameters() does in PyTorch") },
  { RS_SECTION_LAYER, "l2", RS_KEY_DOUBLE, REG_OFF (l2), 0, RS_MAX_LAMBDA,
    RS_KEY_CONTROL | RS_KEY_TERM, .label = "L2",
    .help = N_("L2 penalty: λ·Σθ² is added to the loss. It shrinks large weights smoothly."),
    .python = "l2_lambda", .python_loss = l2_python,
    .formula = N_("loss += λ·Σθ² over the layer's weight and bias, a sum without ½. "
                  "Gradient: += 2λ·θ, a pull proportional to θ.") },
  { RS_SECTION_LAYER, "weight-decay", RS_KEY_DOUBLE, REG_OFF (weight_decay), 0, RS_MAX_LAMBDA,
    RS_KEY_CONTROL | RS_KEY_TERM, .label = N_("weight decay"),
    .help = N_("Weight decay: every step the optimizer also pulls each weight towards 0, "
               "θ ← θ − lr·λ·θ (SGD; Adam adds λ·θ to the gradient, AdamW subtracts lr·λ·θ "
               "apart from it). It is set for this layer alone through an optimizer parameter "
               "group (PyTorch's way to give some parameters their own settings) and is never "
               "part of the loss value."),
    .formula = N_("Never in the loss. SGD and Adam: g ← g + λ·θ before the update (the "
                  "gradient of ½λ·Σθ², half of what L2 at the same λ adds); AdamW: "
                  "θ ← θ·(1 − lr·λ) apart from the Adam step, so Adam's scaling does not "
                  "touch it.") },
  { RS_SECTION_LAYER, "activity", RS_KEY_DOUBLE, REG_OFF (activity), 0, RS_MAX_LAMBDA,
    RS_KEY_CONTROL | RS_KEY_TERM, .label = N_("activity"),
    .help = N_("Activity penalty: λ·mean|a| (or λ·mean a²) is added to the loss, where a is "
               "this layer's outputs (its activations) over the batch. It silences units."),
    .python = "activity_lambda", .python_loss = activity_python,
    .python_forward = activity_python_forward, .python_variant = "activity-norm",
    .formula = N_("loss += λ·mean|a| over batch × units, B·n outputs (L2 norm: λ·mean a²). "
                  "Gradient on a: += λ·sign(a)/(B·n) (L2: 2λ·a/(B·n)); backward carries it "
                  "into this layer's weights and the layers below.") },
  { RS_SECTION_LAYER, "activity-norm", RS_KEY_ENUM, REG_OFF (activity_norm), 0, 0,
    RS_KEY_CONTROL, rs_norm_names, .label = N_("activity norm"), .value_labels = norm_labels,
    .help = N_("How the activity penalty measures a layer's outputs") },
  { RS_SECTION_LAYER, "dropout", RS_KEY_DOUBLE, REG_OFF (dropout), 0, 1,
    RS_KEY_MAX_EXCL | RS_KEY_CONTROL | RS_KEY_TERM, .label = N_("dropout"),
    .help = N_("Dropout: while training, each of this layer's outputs is set to 0 with "
               "probability p and the others are multiplied by 1/(1−p), a new choice every "
               "step (torch.nn.Dropout). It adds no term to the loss: the training loss is "
               "measured with the units dropped, the validation loss and the plots with every "
               "unit."),
    .python = "dropout_p", .python_forward = dropout_python_forward,
    .formula = N_("Training steps only: each output a of the layer is set to 0 with "
                  "probability p, the rest scaled by 1/(1 − p); nothing in the loss. Gradient: "
                  "flows back through the kept units only, scaled by the same 1/(1 − p).") },
  { RS_SECTION_LAYER, "max-norm", RS_KEY_DOUBLE, REG_OFF (max_norm), 0, RS_MAX_NORM,
    RS_KEY_CONTROL | RS_KEY_TERM, .label = N_("max-norm"),
    .python = "max_norm", .python_step = max_norm_python,
    .help = N_("Max-norm constraint: after every step each unit's incoming weights are scaled "
               "back to a length of at most c. A hard limit instead of a penalty."),
    .formula = N_("Never in the loss. After each optimizer step every row w of W (one unit's "
                  "incoming weights) is rescaled: w ← w·c/(‖w‖₂ + 10⁻⁷) when ‖w‖₂ > c, as "
                  "torch.renorm(W, 2, 0, c); the bias is left alone. The gradient is "
                  "unchanged: the constraint acts on θ after the step.") },

  /* [sweep]: written only when term is set; checked as --sweep checks it */
  { RS_SECTION_SWEEP, "term", RS_KEY_STRING, EXP_OFF (sweep_term), 0, 0, 0,
    .label = "swept term", .help = "fc1.l2, fc*.l2 (every layer), optimizer.lr, ..." },
  { RS_SECTION_SWEEP, "from", RS_KEY_DOUBLE, EXP_OFF (sweep_from), -INFINITY, INFINITY, 0,
    .label = "from" },
  { RS_SECTION_SWEEP, "to", RS_KEY_DOUBLE, EXP_OFF (sweep_to), -INFINITY, INFINITY, 0,
    .label = "to" },
  { RS_SECTION_SWEEP, "points", RS_KEY_INT, EXP_OFF (sweep_points), 2, RS_SWEEP_MAX_POINTS, 0,
    .label = "points" },
  { RS_SECTION_SWEEP, "spacing", RS_KEY_ENUM, EXP_OFF (sweep_linear), 0, 0, 0,
    rs_spacing_names, .label = "spacing" },
};

const RsKey *
rs_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (keys);
  return keys;
}

const RsKey *
rs_key_find (RsSection section, const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].section == section && strcmp (keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

const RsKey *
rs_key_find_global_control (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].section != RS_SECTION_LAYER && (keys[i].flags & RS_KEY_CONTROL)
        && strcmp (keys[i].name, name) == 0)
      return &keys[i];
  return NULL;
}

const char *
rs_section_name (RsSection section)
{
  return (unsigned) section < G_N_ELEMENTS (section_names) ? section_names[section] : "?";
}

void *
rs_key_block (const RsKey *key, RsExperiment *exp, int layer)
{
  switch (key->section)
    {
    case RS_SECTION_OPTIMIZER:
      return &exp->optimizer;
    case RS_SECTION_LAYER:
      g_return_val_if_fail (layer >= 0 && layer < RS_MAX_LAYERS, NULL);
      return &exp->layer[layer];
    default:
      return exp;
    }
}

const void *
rs_key_block_const (const RsKey *key, const RsExperiment *exp, int layer)
{
  return rs_key_block (key, (RsExperiment *) exp, layer);
}

double
rs_key_get_number (const RsKey *key, const void *block)
{
  const char *field = (const char *) block + key->offset;
  switch (key->type)
    {
    case RS_KEY_U64:    return (double) *(const guint64 *) field;
    case RS_KEY_INT:    return *(const int *) field;
    case RS_KEY_INT64:  return (double) *(const gint64 *) field;
    case RS_KEY_DOUBLE: return *(const double *) field;
    case RS_KEY_BOOL:   return *(const gboolean *) field ? 1.0 : 0.0;
    case RS_KEY_ENUM:
    case RS_KEY_SOURCE: return *(const int *) field;
    default:
      g_return_val_if_reached (NAN);
    }
}

gboolean
rs_key_accepts (const RsKey *key, double v)
{
  if (!isfinite (v))
    return FALSE;
  switch (key->type)
    {
    case RS_KEY_BOOL:
      return v == 0.0 || v == 1.0;
    case RS_KEY_ENUM:
      return v == floor (v) && v >= 0 && v < g_strv_length ((char **) key->values);
    case RS_KEY_INT:
    case RS_KEY_INT64:
    case RS_KEY_U64:
      if (v != floor (v))
        return FALSE;
      break;
    case RS_KEY_DOUBLE:
      break;
    default:
      return FALSE; /* text, sources, sizes: not numbers */
    }
  gboolean low_ok = (key->flags & RS_KEY_MIN_EXCL) ? v > key->min : v >= key->min;
  gboolean high_ok = (key->flags & RS_KEY_MAX_EXCL) ? v < key->max : v <= key->max;
  return low_ok && high_ok && (key->type != RS_KEY_INT || v <= G_MAXINT);
}

gboolean
rs_key_set_number (const RsKey *key, void *block, double v)
{
  if (!rs_key_accepts (key, v))
    return FALSE;
  char *field = (char *) block + key->offset;
  switch (key->type)
    {
    case RS_KEY_U64:    *(guint64 *) field = (guint64) v; break;
    case RS_KEY_INT:    *(int *) field = (int) v; break;
    case RS_KEY_INT64:  *(gint64 *) field = (gint64) v; break;
    case RS_KEY_DOUBLE: *(double *) field = v; break;
    case RS_KEY_BOOL:   *(gboolean *) field = v != 0.0; break;
    case RS_KEY_ENUM:   *(int *) field = (int) v; break;
    default:            return FALSE;
    }
  return TRUE;
}

char *
rs_key_describe_range (const RsKey *key)
{
  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (lo, key->min);
  rs_format_double (hi, key->max);
  const char *lo_op = (key->flags & RS_KEY_MIN_EXCL) ? ">" : ">=";
  const char *hi_op = (key->flags & RS_KEY_MAX_EXCL) ? "<" : "<=";
  if (isinf (key->max))
    return g_strdup_printf (_("must be %s %s"), lo_op, lo);
  return g_strdup_printf (_("must be %s %s and %s %s"), lo_op, lo, hi_op, hi);
}

char *
rs_key_format_label (const RsKey *key, double v)
{
  if (key->type == RS_KEY_BOOL)
    return g_strdup (v != 0.0 ? _("on") : _("off"));
  if (key->type == RS_KEY_ENUM && rs_key_accepts (key, v))
    {
      const char *const *words = key->value_labels ? key->value_labels : key->values;
      /* The labels are marked N_() in the table; the preset words have
       * no translation and stay as they are. */
      return g_strdup (_(words[(int) v]));
    }
  return g_strdup_printf ("%g", v);
}

void
rs_format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  /* At least the integer part's digits: 10, not 1e+01. */
  double a = fabs (v);
  int first = a >= 1.0 && a < 1e15 ? (int) floor (log10 (a)) + 1 : 1;

  for (int prec = first; prec <= 17; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        return;
    }
  g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", v);
}
