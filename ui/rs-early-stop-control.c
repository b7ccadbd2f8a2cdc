/* rs-early-stop-control.c — see rs-early-stop-control.h.
 *
 * The words on hover are the key table's (rs-keys.c), so the window, the
 * preset reference and --help say the same thing. */
#include "rs-early-stop-control.h"

#include <glib/gi18n.h>

#include "rs-keys.h"
#include "rs-ui.h"

struct _RsEarlyStopControl
{
  GtkWidget parent_instance;

  GtkSwitch      *toggle;
  GtkLabel       *name_label;
  GtkWidget      *details;
  GtkBox         *metric_row;
  GtkSpinButton  *patience;
  GtkDropDown    *metric;
  GtkCheckButton *stop;
  GtkCheckButton *restore;

  gboolean updating;      /* programmatic change: do not react */
};

G_DEFINE_FINAL_TYPE (RsEarlyStopControl, rs_early_stop_control, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static const RsKey *
es_key (const char *name)
{
  return rs_key_find (RS_SECTION_EARLY_STOPPING, name);
}

static void
sync_details (RsEarlyStopControl *self)
{
  /* Off, the group is one line: the sidebar stays short for the lessons
   * that do not use it. */
  gtk_widget_set_visible (self->details, gtk_switch_get_active (self->toggle));
}

static void
on_changed (RsEarlyStopControl *self)
{
  sync_details (self);
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

void
rs_early_stop_control_set (RsEarlyStopControl    *self,
                           const RsEarlyStopping *es)
{
  g_return_if_fail (RS_IS_EARLY_STOP_CONTROL (self));

  self->updating = TRUE;
  gtk_switch_set_active (self->toggle, es->patience > 0);
  if (es->patience > 0)
    gtk_spin_button_set_value (self->patience, es->patience);
  gtk_drop_down_set_selected (self->metric, es->metric);
  gtk_check_button_set_active (self->stop, es->stop);
  gtk_check_button_set_active (self->restore, es->restore);
  sync_details (self);
  self->updating = FALSE;
}

void
rs_early_stop_control_get (RsEarlyStopControl *self,
                           RsEarlyStopping    *es)
{
  g_return_if_fail (RS_IS_EARLY_STOP_CONTROL (self));

  es->patience = gtk_switch_get_active (self->toggle)
                 ? gtk_spin_button_get_value_as_int (self->patience) : 0;
  es->metric = gtk_drop_down_get_selected (self->metric) == RS_STOP_VAL_ACC
               ? RS_STOP_VAL_ACC : RS_STOP_VAL_LOSS;
  es->stop = gtk_check_button_get_active (self->stop);
  es->restore = gtk_check_button_get_active (self->restore);
}

gboolean
rs_early_stop_control_get_active (RsEarlyStopControl *self)
{
  g_return_val_if_fail (RS_IS_EARLY_STOP_CONTROL (self), FALSE);

  return gtk_switch_get_active (self->toggle);
}

void
rs_early_stop_control_set_compact (RsEarlyStopControl *self,
                                   gboolean            compact)
{
  g_return_if_fail (RS_IS_EARLY_STOP_CONTROL (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->metric_row),
                                  compact ? GTK_ORIENTATION_VERTICAL
                                          : GTK_ORIENTATION_HORIZONTAL);
}

GtkSwitch *
rs_early_stop_control_get_switch (RsEarlyStopControl *self)
{
  return self->toggle;
}

GtkSpinButton *
rs_early_stop_control_get_patience (RsEarlyStopControl *self)
{
  return self->patience;
}

GtkDropDown *
rs_early_stop_control_get_metric (RsEarlyStopControl *self)
{
  return self->metric;
}

GtkCheckButton *
rs_early_stop_control_get_stop (RsEarlyStopControl *self)
{
  return self->stop;
}

GtkCheckButton *
rs_early_stop_control_get_restore (RsEarlyStopControl *self)
{
  return self->restore;
}

static void
rs_early_stop_control_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_EARLY_STOP_CONTROL);
  /* Children the template does not bind (boxes around the bound ones). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_early_stop_control_parent_class)->dispose (object);
}

static void
rs_early_stop_control_class_init (RsEarlyStopControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_early_stop_control_dispose;

  /* Any of the five changed (from the user, never from _set()). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-early-stop-control.ui");
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, toggle);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, name_label);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, details);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, metric_row);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, patience);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, metric);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, stop);
  gtk_widget_class_bind_template_child (widget_class, RsEarlyStopControl, restore);

  gtk_widget_class_set_css_name (widget_class, "earlystopcontrol");
}

static void
rs_early_stop_control_init (RsEarlyStopControl *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  const RsKey *patience = es_key ("patience");
  const RsKey *metric = es_key ("metric");

  /* on means a patience of at least 1 pass; the table has the top */
  gtk_spin_button_set_range (self->patience, 1, patience->max);
  gtk_spin_button_set_value (self->patience, RS_EARLY_STOP_DEFAULT_PATIENCE);

  g_autoptr(GtkStringList) metrics = gtk_string_list_new (NULL);
  for (int i = 0; metric->value_labels[i] != NULL; i++)
    gtk_string_list_append (metrics, _(metric->value_labels[i]));
  gtk_drop_down_set_model (self->metric, G_LIST_MODEL (metrics));

  /* What it does and what patience counts, with the bookkeeping on each
   * pass: the formula of the other terms' tooltips. */
  g_autofree char *words = g_strdup_printf ("%s\n\n%s", _(patience->help),
                                            _(patience->formula));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->toggle), words);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), words);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->patience), _(patience->help));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->metric), _(metric->help));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stop), _(es_key ("stop")->help));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->restore), _(es_key ("restore")->help));

  rs_ui_set_accessible_label (GTK_WIDGET (self->toggle), _("Early stopping on"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->patience),
                              _("Early stopping patience, in validation passes"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->metric), _("Early stopping metric"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->stop), _("Early stopping stops training"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->restore),
                              _("Early stopping restores the best weights when stopping"));

  g_signal_connect_swapped (self->toggle, "notify::active", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->patience, "value-changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->metric, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->stop, "toggled", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->restore, "toggled", G_CALLBACK (on_changed), self);
  sync_details (self);
}

GtkWidget *
rs_early_stop_control_new (void)
{
  return g_object_new (RS_TYPE_EARLY_STOP_CONTROL, NULL);
}
