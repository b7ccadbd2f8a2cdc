/* rs-keys.h — the one table of preset keys.
 *
 * Each row says where a key lives (section, offset into its block), what
 * it holds, its range, and the words a student reads for it. The preset
 * parser, validation, the ini writer, --set, the events of live changes
 * (diff, apply, text form, labels), the PyTorch writer's names and the
 * window's term controls all read this table, so a new knob is one row
 * here plus its math. */
#pragma once

#include <glib.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

typedef enum {
  RS_SECTION_EXPERIMENT,
  RS_SECTION_DATA,
  RS_SECTION_MODEL,
  RS_SECTION_OPTIMIZER,
  RS_SECTION_EARLY_STOPPING,
  RS_SECTION_LAYER,     /* [layer fcK], one block per layer */
  RS_SECTION_REPLAY,    /* saved sessions only (rs-replay) */
  RS_SECTION_SWEEP,     /* [sweep]: the lesson at many values of one term (rs-sweep) */
  RS_SECTION_COMPARE,   /* [compare]: twin run B's differences, "fc1.l1=0.01" (rs-twin) */
  RS_SECTION_UNKNOWN,
} RsSection;

typedef enum {
  RS_KEY_STRING,
  RS_KEY_U64,
  RS_KEY_INT,
  RS_KEY_INT64,
  RS_KEY_DOUBLE,
  RS_KEY_BOOL,
  RS_KEY_ENUM,    /* an int index into values[] */
  RS_KEY_SOURCE,  /* [data] source: a name or csv:PATH */
  RS_KEY_LAYERS,  /* [model] layers: sizes */
  RS_KEY_BETAS,   /* [optimizer] betas: beta1,beta2 */
} RsKeyType;

typedef enum {
  RS_KEY_MIN_EXCL   = 1 << 0, /* the minimum itself is not allowed */
  RS_KEY_MAX_EXCL   = 1 << 1,
  RS_KEY_VERBATIM   = 1 << 2, /* free text: no trimming, no inline comments */
  RS_KEY_CONTROL    = 1 << 3, /* changed live: each change is an RsEvent */
  RS_KEY_EVENT_ONLY = 1 << 4, /* an event key a preset spells otherwise (beta1 in betas) */
  RS_KEY_TERM       = 1 << 5, /* a strength, off at 0: a switch in the window, and a
                               * "<key>-suggested" value for switching it on */
  RS_KEY_ACTION     = 1 << 6, /* a button, not a setting: its value counts the presses, each
                               * an event (with EVENT_ONLY: never in a preset) */
} RsKeyFlags;

typedef struct {
  RsSection   section;
  const char *name;          /* as in the preset: "weight-decay" */
  RsKeyType   type;
  gsize       offset;        /* into the section's block (see rs_key_block) */
  double      min, max;      /* numbers (INFINITY: no upper bound) */
  guint       flags;         /* RsKeyFlags */
  const char *const *values; /* RS_KEY_ENUM: the preset's words, NULL-terminated */
  const char *label;         /* what a student reads: "weight decay" */
  const char *const *value_labels; /* enum or bool words for labels; NULL: values, or on/off */
  const char *help;          /* one line for a tooltip, or NULL */
  const char *python;        /* a layer term's variable in the PyTorch script
                              * ("l1_lambda"), or NULL */
  /* A layer term's lines in the PyTorch script, written for each layer
   * where the term is on (value > 0). "{name}" is the term's variable
   * (python above, "_fcK" added when several layers use it), "{k}" the
   * layer's number; a template's lines are indented where they go.
   * Several templates: python_variant names the key of the same layer
   * whose value (a bool or an enum index) picks one (the first when
   * there are fewer templates than values). */
  const char *const *python_loss;    /* after the task loss: "loss += ..." */
  const char *const *python_forward; /* in forward(), after the layer's activation */
  const char *const *python_step;    /* after optimizer.step(): a constraint */
  const char *python_variant;
  const char *formula;       /* a term's formula and what it does to the gradient, in
                              * the engine's convention (N_(): translate when shown) */
} RsKey;

/* The enums' preset words, indexed by value, NULL-terminated. */
extern const char *const rs_activation_names[];
extern const char *const rs_loss_names[];
extern const char *const rs_optimizer_names[];
extern const char *const rs_norm_names[];
extern const char *const rs_speed_names[];
extern const char *const rs_spacing_names[];
extern const char *const rs_stop_metric_names[];

/* The whole table, in the order presets are read and written. */
const RsKey *rs_keys (gsize *n_keys);
const RsKey *rs_key_find (RsSection section, const char *name);
/* The control key of a non-layer section named `name` (lr, momentum, ...):
 * control keys are unique across those sections. */
const RsKey *rs_key_find_global_control (const char *name);

/* A preset key named as --set names it ("layer fc1.l1", "fc1.l1",
 * "optimizer.lr"): its row, and *layer for [layer fcK] keys (-1 otherwise).
 * Errors are --set's (unknown section or key with a "did you mean", a
 * layer the model lacks), each beginning with `name`. */
const RsKey *rs_experiment_find_key (const RsExperiment *exp, const char *term,
                                     const char *name, int *layer, GError **error);

/* A key's value in exp as a preset writes it (layer: for [layer fcK] keys). */
char        *rs_key_format_value (const RsKey *key, const RsExperiment *exp, int layer);

/* "experiment", "layer fcK", ... */
const char  *rs_section_name (RsSection section);

/* The struct a key's offset points into: the experiment, its optimizer
 * config, or layer `layer`'s RsLayerReg. */
void        *rs_key_block (const RsKey *key, RsExperiment *exp, int layer);
const void  *rs_key_block_const (const RsKey *key, const RsExperiment *exp, int layer);

/* Numbers, booleans and enums as a double (an event's value). */
double       rs_key_get_number (const RsKey *key, const void *block);
/* Stores v if the key takes it (in range, whole for integers, a known
 * enum index); FALSE and nothing stored otherwise. */
gboolean     rs_key_set_number (const RsKey *key, void *block, double v);
/* Whether v is in the key's range (and whole / a known index where it
 * must be). */
gboolean     rs_key_accepts (const RsKey *key, double v);
/* "must be >= 0 and < 1": the range in words, for errors and tooltips. */
char        *rs_key_describe_range (const RsKey *key);
/* A value as a student reads it: "on", "L2", "Adam", "0.005". */
char        *rs_key_format_label (const RsKey *key, double v);

/* The shortest "%.Ng" that reads back to the same double, so presets show
 * 0.001 rather than 0.0010000000000000000208 and still round-trip. */
void         rs_format_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v);

G_END_DECLS
