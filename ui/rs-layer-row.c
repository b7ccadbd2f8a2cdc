/* rs-layer-row.c — one card per dense layer in the sidebar. */
#include "rs-layer-row.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-keys.h"
#include "rs-plot-toolkit.h"
#include "rs-ui.h"

struct _RsLayerRow
{
  GtkWidget parent_instance;

  GtkLabel        *name_label;
  GtkLabel        *shape_label;
  GtkInscription  *sparsity_label;
  RsLambdaControl *l1;
  RsLambdaControl *l2;
  RsLambdaControl *weight_decay;
  RsLambdaControl *activity;
  RsLambdaControl *dropout;
  RsLambdaControl *max_norm;
  GtkCheckButton  *l1_bias;
  GtkDropDown     *activity_norm;
  GtkBox          *options_box;
  GtkBox          *header_box;

  int      index;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (RsLayerRow, rs_layer_row, GTK_TYPE_WIDGET)

/* Each RsRegTerm's key in the table. */
static const char *const term_keys[RS_REG_N_TERMS] = {
  [RS_REG_TERM_L1] = "l1",
  [RS_REG_TERM_L2] = "l2",
  [RS_REG_TERM_WEIGHT_DECAY] = "weight-decay",
  [RS_REG_TERM_ACTIVITY] = "activity",
  [RS_REG_TERM_DROPOUT] = "dropout",
  [RS_REG_TERM_MAX_NORM] = "max-norm",
};

enum { CHANGED, REJECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* "2% near zero · 13% silent": one line, two on a narrow row, then "…" */
#define SPARSITY_MAX_LINES 2

static void
set_sparsity_text (RsLayerRow *self,
                   const char *text)
{
  if (rs_ui_set_live_text (self->sparsity_label, text))
    rs_ui_fit_lines (self->sparsity_label, SPARSITY_MAX_LINES);
}

static void
rs_layer_row_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  /* another font (presentation mode): fitted again at the next frame */
  rs_ui_fit_lines_invalidate (RS_LAYER_ROW (widget)->sparsity_label);
  GTK_WIDGET_CLASS (rs_layer_row_parent_class)->css_changed (widget, change);
}

void
rs_layer_row_refit (RsLayerRow *self)
{
  g_return_if_fail (RS_IS_LAYER_ROW (self));

  if (rs_ui_fit_lines_stale (self->sparsity_label))
    rs_ui_fit_lines (self->sparsity_label, SPARSITY_MAX_LINES);
}

static void
emit_changed (RsLayerRow *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_control_changed (RsLambdaControl *control,
                    RsLayerRow      *self)
{
  emit_changed (self);
}

static void
on_control_rejected (RsLambdaControl *control,
                     const char      *message,
                     RsLayerRow      *self)
{
  g_autofree char *text = g_strdup_printf ("fc%d %s", self->index + 1, message);

  g_signal_emit (self, signals[REJECTED], 0, text);
}

static void
on_l1_bias_toggled (GtkCheckButton *button,
                    RsLayerRow     *self)
{
  emit_changed (self);
}

static void
on_activity_norm_selected (GtkDropDown *dropdown,
                           GParamSpec  *pspec,
                           RsLayerRow  *self)
{
  emit_changed (self);
}

static void
rs_layer_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_LAYER_ROW);
  /* Children the template does not bind (boxes around the bound ones). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_layer_row_parent_class)->dispose (object);
}

static void
rs_layer_row_class_init (RsLayerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();
  g_type_ensure (RS_TYPE_LAMBDA_CONTROL);

  object_class->dispose = rs_layer_row_dispose;
  widget_class->css_changed = rs_layer_row_css_changed;

  /* The layer's regularization changed (rs_layer_row_get_reg). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /* A typed strength was refused: "fc1 L2: “1e9” refused: …". */
  signals[REJECTED] = g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-layer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, shape_label);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, sparsity_label);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, l1);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, l2);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, weight_decay);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, activity);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, dropout);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, max_norm);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, l1_bias);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, activity_norm);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, options_box);
  gtk_widget_class_bind_template_child (widget_class, RsLayerRow, header_box);

  gtk_widget_class_set_css_name (widget_class, "layerrow");
}

static void
rs_layer_row_init (RsLayerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int t = 0; t < RS_REG_N_TERMS; t++)
    {
      RsLambdaControl *control = rs_layer_row_get_control (self, t);
      /* The range typed values must be in, and the words on hover, are the
       * engine's. */
      rs_lambda_control_set_key (control, rs_key_find (RS_SECTION_LAYER, term_keys[t]));
      g_signal_connect (control, "changed", G_CALLBACK (on_control_changed), self);
      g_signal_connect (control, "rejected", G_CALLBACK (on_control_rejected), self);
    }
  g_signal_connect (self->l1_bias, "toggled", G_CALLBACK (on_l1_bias_toggled), self);
  g_signal_connect (self->activity_norm, "notify::selected",
                    G_CALLBACK (on_activity_norm_selected), self);
}

GtkWidget *
rs_layer_row_new (void)
{
  return g_object_new (RS_TYPE_LAYER_ROW, NULL);
}

static const char *
activation_display_name (RsActivation activation)
{
  switch (activation)
    {
    case RS_ACT_RELU:    return "ReLU";
    case RS_ACT_TANH:    return "tanh";
    case RS_ACT_SIGMOID: return _("sigmoid");
    case RS_ACT_LINEAR:  return _("linear");
    default:             return "?";
    }
}

/* The strength in force; a term that is off shows the lesson's suggested
 * value, so that its switch turns it on there. */
static void
show_term (RsLambdaControl    *control,
           const RsExperiment *exp,
           int                 index,
           const char         *key)
{
  const RsKey *term = rs_key_find (RS_SECTION_LAYER, key);
  double lambda = rs_key_get_number (term, &exp->layer[index]);
  double suggested = rs_experiment_get_suggested (exp, index, key);

  rs_lambda_control_set_lambda (control, lambda);
  /* Off, so setting the value changes no strength and emits nothing. */
  if (lambda <= 0.0 && suggested > 0.0)
    rs_lambda_control_set_value (control, suggested);
}

void
rs_layer_row_set_layer (RsLayerRow         *self,
                        int                 index,
                        const RsExperiment *exp)
{
  g_return_if_fail (RS_IS_LAYER_ROW (self));
  g_return_if_fail (exp != NULL && index >= 0 && index < exp->n_layers);

  const RsLayerReg *reg = &exp->layer[index];
  gboolean is_output = index == exp->n_layers - 1;
  g_autofree char *name = g_strdup_printf ("fc%d", index + 1);
  /* The output layer has no hidden activation: its outputs are the logits. */
  g_autofree char *shape = g_strdup_printf ("%d → %d · %s",
                                            exp->sizes[index], exp->sizes[index + 1],
                                            is_output ? _("output") :
                                            activation_display_name (exp->activation));

  self->index = index;
  self->updating = TRUE;
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->shape_label, shape);
  g_autofree char *shape_words =
    is_output ? g_strdup_printf (_("%d inputs → %d outputs. The output layer's values are the "
                                   "logits: one score per class, which softmax turns into the "
                                   "probabilities the task loss compares with the labels."),
                                 exp->sizes[index], exp->sizes[index + 1])
              : g_strdup_printf (_("%d inputs → %d units; each unit's output a goes through %s."),
                                 exp->sizes[index], exp->sizes[index + 1],
                                 activation_display_name (exp->activation));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->shape_label), shape_words);
  set_sparsity_text (self, "");
  /* Every control says which layer it is for. */
  for (int t = 0; t < RS_REG_N_TERMS; t++)
    rs_lambda_control_set_subject (rs_layer_row_get_control (self, t), name);
  g_autofree char *bias_name = g_strdup_printf (_("%s L1 includes bias"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->l1_bias),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bias_name, -1);
  g_autofree char *norm_name = g_strdup_printf (_("%s activity norm"), name);
  rs_ui_set_accessible_label (GTK_WIDGET (self->activity_norm), norm_name);
  for (int t = 0; t < RS_REG_N_TERMS; t++)
    show_term (rs_layer_row_get_control (self, t), exp, index, term_keys[t]);
  /* The output layer's outputs are the prediction: no dropout there. */
  gtk_widget_set_visible (GTK_WIDGET (self->dropout), !is_output);
  gtk_check_button_set_active (self->l1_bias, reg->l1_bias);
  gtk_drop_down_set_selected (self->activity_norm,
                              reg->activity_norm == RS_NORM_L2 ? 1 : 0);
  self->updating = FALSE;

  for (int t = 0; t < RS_REG_N_TERMS; t++)
    {
      RsLambdaControl *control = rs_layer_row_get_control (self, t);

      rs_lambda_control_set_live_text (control, NULL);
      rs_lambda_control_set_live_tooltip (control,
        t == RS_REG_TERM_WEIGHT_DECAY
        ? _("‖W‖: the size of this layer's weights, √(Σ w²) over its weight matrix. "
            "Weight decay and L2 shrink it.")
        : t == RS_REG_TERM_DROPOUT
        ? _("The share of this layer's outputs dropped in the latest training batch.")
        : t == RS_REG_TERM_MAX_NORM ? NULL
        : _("What this term adds to the loss at the latest step: λ times its sum."));
    }
}

void
rs_layer_row_set_compact (RsLayerRow *self,
                          gboolean    compact)
{
  g_return_if_fail (RS_IS_LAYER_ROW (self));

  for (int t = 0; t < RS_REG_N_TERMS; t++)
    rs_lambda_control_set_compact (rs_layer_row_get_control (self, t), compact);
  GtkOrientation orientation = compact ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->header_box), orientation);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->options_box), orientation);
  gtk_inscription_set_xalign (self->sparsity_label, compact ? 0.0f : 1.0f);
}

int
rs_layer_row_get_index (RsLayerRow *self)
{
  g_return_val_if_fail (RS_IS_LAYER_ROW (self), -1);

  return self->index;
}

void
rs_layer_row_get_reg (RsLayerRow *self,
                      RsLayerReg *reg)
{
  g_return_if_fail (RS_IS_LAYER_ROW (self));
  g_return_if_fail (reg != NULL);

  reg->l1 = rs_lambda_control_get_lambda (self->l1);
  reg->l1_bias = gtk_check_button_get_active (self->l1_bias);
  reg->l2 = rs_lambda_control_get_lambda (self->l2);
  reg->weight_decay = rs_lambda_control_get_lambda (self->weight_decay);
  reg->activity = rs_lambda_control_get_lambda (self->activity);
  reg->dropout = rs_lambda_control_get_lambda (self->dropout);
  reg->activity_norm = gtk_drop_down_get_selected (self->activity_norm) == 1
                       ? RS_NORM_L2 : RS_NORM_L1;
  reg->max_norm = rs_lambda_control_get_lambda (self->max_norm);
}

/* A penalty's share of the loss: blank when the term is off, so the
 * numbers a student sees are the ones that act. */
static void
set_term_text (RsLambdaControl *control,
               double           value)
{
  char buf[32];

  if (rs_lambda_control_get_lambda (control) <= 0.0 || !isfinite (value))
    {
      rs_lambda_control_set_live_text (control, NULL);
      return;
    }
  g_snprintf (buf, sizeof buf, "+%.3g", value);
  rs_lambda_control_set_live_text (control, buf);
}

void
rs_layer_row_update (RsLayerRow       *self,
                     const RsSnapshot *snap)
{
  char buf[96];

  g_return_if_fail (RS_IS_LAYER_ROW (self));

  if (snap == NULL || self->index >= snap->n_layers || snap->layers == NULL)
    return;

  const RsLayerSnapshot *layer = &snap->layers[self->index];
  gboolean started = snap->steps_done > 0;

  if (started)
    {
      set_term_text (self->l1, layer->l1);
      set_term_text (self->l2, layer->l2);
      set_term_text (self->activity, layer->activity);
    }
  g_snprintf (buf, sizeof buf, "‖W‖ %.3g", layer->weight_l2_norm);
  rs_lambda_control_set_live_text (self->weight_decay, buf);

  /* What L1 and activity regularization do, in two numbers. */
  /* The plots' words: "near zero" for |w| under the threshold, "silent"
   * for a unit whose output is under it on every probe sample. */
  g_autofree char *zero = rs_plot_share_text (layer->near_zero_fraction);
  g_autofree char *silent = rs_plot_share_text (layer->dead_unit_fraction);
  if (layer->is_output)
    g_snprintf (buf, sizeof buf, _("%s near zero"), zero);
  else
    g_snprintf (buf, sizeof buf, _("%s near zero · %s silent"), zero, silent);
  set_sparsity_text (self, buf);

  g_autofree char *threshold = rs_format_lambda (snap->sparsity_threshold);
  g_autofree char *tooltip =
    g_strdup_printf (_("near zero: the share of weights with |w| < %s. silent: the share "
                       "of units whose output |a| is below %s on every probe sample."),
                     threshold, threshold);
  rs_ui_set_tooltip_text (GTK_WIDGET (self->sparsity_label), tooltip);
}

RsLambdaControl *
rs_layer_row_get_control (RsLayerRow *self,
                          RsRegTerm   term)
{
  g_return_val_if_fail (RS_IS_LAYER_ROW (self), NULL);

  switch (term)
    {
    case RS_REG_TERM_L1:           return self->l1;
    case RS_REG_TERM_L2:           return self->l2;
    case RS_REG_TERM_WEIGHT_DECAY: return self->weight_decay;
    case RS_REG_TERM_ACTIVITY:     return self->activity;
    case RS_REG_TERM_DROPOUT:      return self->dropout;
    case RS_REG_TERM_MAX_NORM:     return self->max_norm;
    case RS_REG_N_TERMS:
    default:
      g_return_val_if_reached (NULL);
    }
}

GtkCheckButton *
rs_layer_row_get_l1_bias_button (RsLayerRow *self)
{
  g_return_val_if_fail (RS_IS_LAYER_ROW (self), NULL);

  return self->l1_bias;
}

GtkDropDown *
rs_layer_row_get_activity_norm_dropdown (RsLayerRow *self)
{
  g_return_val_if_fail (RS_IS_LAYER_ROW (self), NULL);

  return self->activity_norm;
}
