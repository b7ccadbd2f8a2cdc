/* rs-lambda-control.c — switch + log slider + exact entry + live value.
 *
 * The slider works in log10(lambda): regularization strengths that matter
 * span six decades, and a linear slider would put all of them in its first
 * pixel. Values from the slider are rounded to two significant digits so a
 * student reads "0.005", not "0.0049770235". */
#include "rs-lambda-control.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-keys.h"
#include "rs-ui.h"

/* Dragging the slider produces a value per pointer motion; the trainer
 * records an event for each change it sees, so slider changes are sent once
 * the hand rests for this long. Switch and entry changes go at once. */
#define RS_SLIDER_SETTLE_MS 150

struct _RsLambdaControl
{
  GtkWidget parent_instance;

  GtkSwitch     *toggle;
  GtkLabel      *name_label;
  GtkScale      *scale;
  GtkAdjustment *adjustment;
  GtkEntry      *entry;
  GtkInscription *live_label;

  const RsKey *key;       /* the engine's range, or NULL: any finite value > 0 */
  char    *subject;        /* "fc1", or NULL */
  gboolean has_switch;
  gboolean compact;
  gboolean active;
  double   value;          /* > 0: the strength used when active */
  gboolean updating;       /* programmatic change: do not react */
  guint    settle_id;      /* pending ::changed after a slider drag */
};

G_DEFINE_FINAL_TYPE (RsLambdaControl, rs_lambda_control, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_HAS_SWITCH,
  PROP_ACTIVE,
  PROP_VALUE,
  PROP_MIN_EXPONENT,
  PROP_MAX_EXPONENT,
  PROP_COMPACT,
  N_PROPS
};

enum { CHANGED, REJECTED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
rs_format_lambda (double value)
{
  /* %g keeps small strengths short ("1e-05") and common ones plain; in
   * the locale's way, as a person reads it ("0,005" in German). */
  return g_strdup_printf ("%.3g", value);
}

static double
round_two_digits (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.2g", value);
  return g_ascii_strtod (buf, NULL);
}

/* A screen reader names each part by layer and term: "L1" alone does not
 * say which layer's. */
static void
update_accessible_names (RsLambdaControl *self)
{
  const char *term = gtk_label_get_text (self->name_label);
  g_autofree char *on = NULL, *strength = NULL, *value = NULL;

  if (self->subject != NULL)
    {
      /* TRANSLATORS: accessible names: a layer ("fc1") and a term ("L1") */
      on = g_strdup_printf (_("%s %s on"), self->subject, term);
      strength = g_strdup_printf (_("%s %s strength"), self->subject, term);
      value = g_strdup_printf (_("%s %s value"), self->subject, term);
    }
  else
    {
      /* TRANSLATORS: accessible names: a setting ("Learning rate") */
      on = g_strdup_printf (_("%s on"), term);
      strength = g_strdup (term);
      value = g_strdup_printf (_("%s value"), term);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, on, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, strength, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, value, -1);
}

void
rs_lambda_control_set_subject (RsLambdaControl *self,
                               const char      *subject)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  g_free (self->subject);
  self->subject = g_strdup (subject);
  update_accessible_names (self);
}

static void
sync_entry (RsLambdaControl *self)
{
  g_autofree char *text = rs_format_lambda (self->value);

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  self->updating = FALSE;
}

static void
sync_scale (RsLambdaControl *self)
{
  self->updating = TRUE;
  gtk_adjustment_set_value (self->adjustment, log10 (self->value));
  self->updating = FALSE;
}

static void
sync_switch (RsLambdaControl *self)
{
  self->updating = TRUE;
  gtk_switch_set_active (self->toggle, self->active);
  self->updating = FALSE;
  /* An inactive term is drawn dimmed, but stays editable: moving its slider
   * switches it on, the shortest path from "what if" to seeing it. */
  if (self->active || !self->has_switch)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "inactive");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "inactive");
}

static void
cancel_settle (RsLambdaControl *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
}

static void
emit_changed (RsLambdaControl *self)
{
  cancel_settle (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
settle_cb (gpointer data)
{
  RsLambdaControl *self = data;

  self->settle_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_toggle_active (GtkSwitch       *toggle,
                  GParamSpec      *pspec,
                  RsLambdaControl *self)
{
  if (self->updating)
    return;
  self->active = gtk_switch_get_active (toggle);
  sync_switch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  emit_changed (self);
}

static void
on_adjustment_value_changed (GtkAdjustment   *adjustment,
                             RsLambdaControl *self)
{
  if (self->updating)
    return;

  double value = round_two_digits (pow (10.0, gtk_adjustment_get_value (adjustment)));
  if (value == self->value && (self->active || !self->has_switch))
    return;

  self->value = value;
  sync_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  if (self->has_switch && !self->active)
    {
      self->active = TRUE;
      sync_switch (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }

  cancel_settle (self);
  self->settle_id = g_timeout_add (RS_SLIDER_SETTLE_MS, settle_cb, self);
}

/* Whether the engine takes `value` for this control's key. 0 is "off",
 * which a term with a switch always takes. */
static gboolean
accepts (RsLambdaControl *self,
         double           value)
{
  if (value == 0.0 && self->has_switch)
    return TRUE;
  if (self->key != NULL)
    return rs_key_accepts (self->key, value);
  return isfinite (value) && value > 0.0;
}

static char *
describe_range (RsLambdaControl *self)
{
  if (self->key != NULL)
    return rs_key_describe_range (self->key);
  return g_strdup (_("must be > 0"));
}

/* The entry takes an exact value: "0.005", "5e-3". 0 switches the term off.
 * What the engine would not take (1e9, -1, "abc") is refused: the box goes
 * back to the value in use and ::rejected says why, with the range. */
static void
commit_entry (RsLambdaControl *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  char *end = NULL;

  if (self->updating)
    return;

  /* "0.005" or, as a German writes it, "0,005": no number here has a
   * thousands separator. */
  g_autofree char *c_text = g_strdelimit (g_strdup (text), ",", '.');
  double value = g_ascii_strtod (c_text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == c_text || end == NULL || *end != '\0' || !accepts (self, value))
    {
      g_autofree char *range = describe_range (self);
      g_autofree char *typed = g_strstrip (g_strdup (text));
      g_autofree char *message =
        g_strdup_printf (_("%s: “%s” refused: the value %s"), gtk_label_get_text (self->name_label),
                         typed, range);

      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      sync_entry (self);
      /* Marked until the next value goes in. */
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      g_signal_emit (self, signals[REJECTED], 0, message);
      return;
    }

  double old_lambda = rs_lambda_control_get_lambda (self);
  if (value == 0.0)
    {
      self->active = FALSE;
      sync_switch (self);
      sync_entry (self);
    }
  else
    {
      self->value = value;
      self->active = TRUE;
      sync_switch (self);
      sync_scale (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);

  if (rs_lambda_control_get_lambda (self) != old_lambda)
    emit_changed (self);
}

/* Enter: the value is taken and the focus leaves the box, so that Space
 * plays and pauses again (it types into a box that has the focus). */
static void
on_entry_activate (GtkEntry        *entry,
                   RsLambdaControl *self)
{
  commit_entry (self);
  /* the slider: Space is not its key (a switch would take it) */
  gtk_widget_grab_focus (GTK_WIDGET (self->scale));
}

/* Leaving the box takes what was typed; Tab passing through an untouched
 * box changes nothing (it used to switch an inactive term on). */
static void
on_entry_focus_leave (GtkEventControllerFocus *controller,
                      RsLambdaControl         *self)
{
  g_autofree char *shown = rs_format_lambda (self->value);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), shown) == 0)
    return;
  commit_entry (self);
}

static void
rs_lambda_control_set_exponent_range (RsLambdaControl *self,
                                      double           lower,
                                      double           upper)
{
  self->updating = TRUE;
  gtk_adjustment_set_lower (self->adjustment, lower);
  gtk_adjustment_set_upper (self->adjustment, upper);
  gtk_scale_clear_marks (self->scale);
  /* A tick per decade: the slider reads as a log axis. */
  for (int e = (int) ceil (lower); e <= (int) floor (upper); e++)
    gtk_scale_add_mark (self->scale, e, GTK_POS_BOTTOM, NULL);
  gtk_adjustment_set_value (self->adjustment, log10 (self->value));
  self->updating = FALSE;
}

static void
place (RsLambdaControl *self,
       GtkWidget       *child,
       int              column,
       int              row,
       int              span)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column_span (cell, span);
}

/* One line (switch, name, slider, value, live value), or, compact, two:
 * switch, name and value above the slider and the live value, about half
 * as wide, for a sidebar on a projector. */
void
rs_lambda_control_set_compact (RsLambdaControl *self,
                               gboolean         compact)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  compact = !!compact;
  if (compact == self->compact)
    return;
  self->compact = compact;

  /* The names line up the sliders on one line; on two, the slider is
   * below and the name needs only its own width. */
  gtk_label_set_width_chars (self->name_label, compact ? -1 : 12);
  /* Compact, the name's column takes the spare width (not the switch's,
   * which the slider below also spans). */
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_label), compact);
  if (compact)
    {
      /* Without a switch (the learning rate) the name starts the line. */
      place (self, GTK_WIDGET (self->toggle), 0, 0, 1);
      place (self, GTK_WIDGET (self->name_label), self->has_switch ? 1 : 0, 0,
             self->has_switch ? 1 : 2);
      place (self, GTK_WIDGET (self->entry), 2, 0, 1);
      place (self, GTK_WIDGET (self->scale), 0, 1, 2);
      place (self, GTK_WIDGET (self->live_label), 2, 1, 1);
    }
  else
    {
      place (self, GTK_WIDGET (self->toggle), 0, 0, 1);
      place (self, GTK_WIDGET (self->name_label), 1, 0, 1);
      place (self, GTK_WIDGET (self->scale), 2, 0, 1);
      place (self, GTK_WIDGET (self->entry), 3, 0, 1);
      place (self, GTK_WIDGET (self->live_label), 4, 0, 1);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

gboolean
rs_lambda_control_get_compact (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), FALSE);

  return self->compact;
}

static void
rs_lambda_control_dispose (GObject *object)
{
  RsLambdaControl *self = RS_LAMBDA_CONTROL (object);

  cancel_settle (self);
  g_clear_pointer (&self->subject, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), RS_TYPE_LAMBDA_CONTROL);
  /* Children the template does not bind (boxes around the bound ones). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_lambda_control_parent_class)->dispose (object);
}

static void
rs_lambda_control_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RsLambdaControl *self = RS_LAMBDA_CONTROL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, gtk_label_get_label (self->name_label));
      break;
    case PROP_HAS_SWITCH:
      g_value_set_boolean (value, self->has_switch);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;
    case PROP_MIN_EXPONENT:
      g_value_set_double (value, gtk_adjustment_get_lower (self->adjustment));
      break;
    case PROP_MAX_EXPONENT:
      g_value_set_double (value, gtk_adjustment_get_upper (self->adjustment));
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_lambda_control_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RsLambdaControl *self = RS_LAMBDA_CONTROL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      gtk_label_set_text_with_mnemonic (self->name_label, g_value_get_string (value));
      update_accessible_names (self);
      break;
    case PROP_HAS_SWITCH:
      self->has_switch = g_value_get_boolean (value);
      gtk_widget_set_visible (GTK_WIDGET (self->toggle), self->has_switch);
      sync_switch (self);
      break;
    case PROP_ACTIVE:
      rs_lambda_control_set_active (self, g_value_get_boolean (value));
      break;
    case PROP_VALUE:
      rs_lambda_control_set_value (self, g_value_get_double (value));
      break;
    case PROP_MIN_EXPONENT:
      rs_lambda_control_set_exponent_range (self, g_value_get_double (value),
                                            gtk_adjustment_get_upper (self->adjustment));
      break;
    case PROP_MAX_EXPONENT:
      rs_lambda_control_set_exponent_range (self, gtk_adjustment_get_lower (self->adjustment),
                                            g_value_get_double (value));
      break;
    case PROP_COMPACT:
      rs_lambda_control_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_lambda_control_class_init (RsLambdaControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_lambda_control_dispose;
  object_class->get_property = rs_lambda_control_get_property;
  object_class->set_property = rs_lambda_control_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_SWITCH] =
    g_param_spec_boolean ("has-switch", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, 1e-3,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_EXPONENT] =
    g_param_spec_double ("min-exponent", NULL, NULL, -12, 6, -6,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_EXPONENT] =
    g_param_spec_double ("max-exponent", NULL, NULL, -12, 6, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The strength in force changed (rs_lambda_control_get_lambda). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /* A typed value was refused; the argument says what and the range. */
  signals[REJECTED] = g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-lambda-control.ui");
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, toggle);
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, name_label);
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, scale);
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, adjustment);
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, entry);
  gtk_widget_class_bind_template_child (widget_class, RsLambdaControl, live_label);

  gtk_widget_class_set_css_name (widget_class, "lambdacontrol");
}

static void
rs_lambda_control_init (RsLambdaControl *self)
{
  self->value = 1e-3;
  self->has_switch = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->toggle, "notify::active", G_CALLBACK (on_toggle_active), self);

  /* The mouse wheel scrolls the sidebar, never a strength: over a slider,
   * three notches of a wheel meant for scrolling set a lambda from 0.001
   * to 1 and switched the term on. Without GtkRange's scroll controller
   * the event goes on to the scrolled window around the sidebar. */
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (self->scale));
  g_autoptr(GPtrArray) wheel = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      GtkEventController *c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_SCROLL (c))
        g_ptr_array_add (wheel, c);
      else
        g_object_unref (c);
    }
  for (guint i = 0; i < wheel->len; i++)
    gtk_widget_remove_controller (GTK_WIDGET (self->scale), g_ptr_array_index (wheel, i));
  g_signal_connect (self->adjustment, "value-changed",
                    G_CALLBACK (on_adjustment_value_changed), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate), self);

  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_entry_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);

  rs_lambda_control_set_exponent_range (self, -6, 0);
  sync_entry (self);
  sync_switch (self);
}

GtkWidget *
rs_lambda_control_new (void)
{
  return g_object_new (RS_TYPE_LAMBDA_CONTROL, NULL);
}

double
rs_lambda_control_get_lambda (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), 0.0);

  return (self->active || !self->has_switch) ? self->value : 0.0;
}

void
rs_lambda_control_set_lambda (RsLambdaControl *self,
                              double           lambda)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  cancel_settle (self);
  if (lambda > 0.0)
    {
      self->value = lambda;
      self->active = TRUE;
    }
  else
    self->active = FALSE;
  sync_switch (self);
  sync_scale (self);
  sync_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
rs_lambda_control_get_active (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), FALSE);

  return self->active;
}

/* Like flipping the switch: emits ::changed when the strength changes. */
void
rs_lambda_control_set_active (RsLambdaControl *self,
                              gboolean         active)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  gtk_switch_set_active (self->toggle, active);
}

double
rs_lambda_control_get_value (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), 0.0);

  return self->value;
}

/* Like typing the value: emits ::changed when the strength changes. */
void
rs_lambda_control_set_value (RsLambdaControl *self,
                             double           value)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));
  g_return_if_fail (value > 0.0);

  if (value == self->value)
    return;

  double old_lambda = rs_lambda_control_get_lambda (self);
  self->value = value;
  sync_scale (self);
  sync_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  if (rs_lambda_control_get_lambda (self) != old_lambda)
    emit_changed (self);
}

void
rs_lambda_control_set_key (RsLambdaControl *self,
                           const RsKey     *key)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  self->key = key;
  /* What the term is: the key table's words, one place for them. */
  if (key != NULL && key->help != NULL && key->formula != NULL)
    {
      /* and, for a term, its formula and what it does to the gradient */
      g_autofree char *words = g_strdup_printf ("%s\n\n%s", _(key->help), _(key->formula));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), words);
    }
  else if (key != NULL && key->help != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), _(key->help));
  g_autofree char *range = describe_range (self);
  g_autofree char *tooltip =
    self->has_switch ? g_strdup_printf (_("The exact value: it %s (0 switches the term off)"), range)
                     : g_strdup_printf (_("The exact value: it %s"), range);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->entry), tooltip);
}

const RsKey *
rs_lambda_control_get_key (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), NULL);

  return self->key;
}

void
rs_lambda_control_set_live_text (RsLambdaControl *self,
                                 const char      *text)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  rs_ui_set_live_text (self->live_label, text != NULL ? text : "");
}

void
rs_lambda_control_set_live_tooltip (RsLambdaControl *self,
                                    const char      *text)
{
  g_return_if_fail (RS_IS_LAMBDA_CONTROL (self));

  rs_ui_set_tooltip_text (GTK_WIDGET (self->live_label), text);
}

GtkInscription *
rs_lambda_control_get_live_label (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), NULL);

  return self->live_label;
}

GtkSwitch *
rs_lambda_control_get_switch (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), NULL);

  return self->toggle;
}

GtkRange *
rs_lambda_control_get_scale (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), NULL);

  return GTK_RANGE (self->scale);
}

GtkEntry *
rs_lambda_control_get_entry (RsLambdaControl *self)
{
  g_return_val_if_fail (RS_IS_LAMBDA_CONTROL (self), NULL);

  return self->entry;
}
