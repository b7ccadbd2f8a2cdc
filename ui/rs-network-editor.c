/* rs-network-editor.c — the sidebar's network card. */
#include "rs-network-editor.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-keys.h"
#include "rs-ui.h"

/* The width a new hidden layer starts at. */
#define NEW_LAYER_WIDTH 16

struct _RsNetworkEditor
{
  GtkWidget parent_instance;

  GtkBox      *hidden_box;
  GtkButton   *add_button;
  GtkDropDown *activation_dropdown;
  GtkDropDown *loss_dropdown;
  GtkLabel    *shape_label;

  GPtrArray   *spins;      /* GtkSpinButton per hidden layer */
  GPtrArray   *removes;    /* GtkButton per hidden layer */
  int          in_width, out_width;
  guint        idle_id;      /* ::changed, after the emission that asked for it */
  int          remove_index; /* the layer whose remove button was clicked, or -1 */
  gboolean     updating;
};

G_DEFINE_FINAL_TYPE (RsNetworkEditor, rs_network_editor, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
update_shape (RsNetworkEditor *self)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%d", self->in_width);
  for (guint i = 0; i < self->spins->len; i++)
    g_string_append_printf (s, " → %d",
                            gtk_spin_button_get_value_as_int (g_ptr_array_index (self->spins, i)));
  g_string_append_printf (s, " → %d", self->out_width);
  g_autofree char *text = g_strdup_printf (_("Units: %s"), s->str);
  gtk_label_set_text (self->shape_label, text);
  g_string_free (s, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->spins->len + 1 < RS_MAX_LAYERS);
}

static void
emit_changed (RsNetworkEditor *self)
{
  update_shape (self);
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
emit_later_cb (gpointer data)
{
  RsNetworkEditor *self = data;
  int remove = self->remove_index;

  self->idle_id = 0;
  self->remove_index = -1;
  if (remove >= 0 && remove < (int) self->spins->len)
    rs_network_editor_remove_layer (self, remove);
  else
    emit_changed (self);
  return G_SOURCE_REMOVE;
}

/* A control's change is handed on once its own emission is over: the
 * change it starts rebuilds these rows, the control's own among them. */
static void
emit_later (RsNetworkEditor *self)
{
  update_shape (self);
  if (!self->updating && self->idle_id == 0)
    self->idle_id = g_idle_add (emit_later_cb, self);
}

static void
on_width_changed (GtkSpinButton *spin, RsNetworkEditor *self)
{
  emit_later (self);
}

static void
on_remove_clicked (GtkButton *button, RsNetworkEditor *self)
{
  guint index;

  if (g_ptr_array_find (self->removes, button, &index))
    {
      self->remove_index = (int) index;
      emit_later (self);
    }
}

static void
on_dropdown_selected (GtkDropDown *dropdown, GParamSpec *pspec, RsNetworkEditor *self)
{
  emit_later (self);
}

static void
clear_rows (RsNetworkEditor *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->spins, 0);
  g_ptr_array_set_size (self->removes, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hidden_box))) != NULL)
    gtk_box_remove (self->hidden_box, child);
}

/* fcK: a width, and a button that removes the layer. Names follow the
 * layers' positions, so the rows are rebuilt when one goes. */
static void
append_row (RsNetworkEditor *self, int width)
{
  int k = (int) self->spins->len + 1;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autofree char *name = g_strdup_printf ("fc%d", k);
  GtkWidget *label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);

  GtkWidget *spin = gtk_spin_button_new_with_range (1, RS_MAX_UNITS, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), width);
  g_autofree char *spin_name = g_strdup_printf (_("fc%d: hidden units"), k);
  rs_ui_set_accessible_label (spin, spin_name);
  gtk_widget_set_tooltip_text (spin, _("How many units this hidden layer has"));
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_width_changed), self);

  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *remove_name = g_strdup_printf (_("Remove hidden layer fc%d"), k);
  rs_ui_set_accessible_label (remove, remove_name);
  gtk_widget_set_tooltip_text (remove, remove_name);
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), spin);
  gtk_box_append (GTK_BOX (row), remove);
  gtk_box_append (self->hidden_box, row);
  g_ptr_array_add (self->spins, spin);
  g_ptr_array_add (self->removes, remove);
}

static void
set_widths (RsNetworkEditor *self, const int *widths, int n)
{
  gboolean was = self->updating;

  self->updating = TRUE;
  if (n == (int) self->spins->len)
    {
      /* The same layers: the rows stay (one of them may be notifying). */
      for (int i = 0; i < n; i++)
        gtk_spin_button_set_value (g_ptr_array_index (self->spins, i), widths[i]);
    }
  else
    {
      clear_rows (self);
      for (int i = 0; i < n; i++)
        append_row (self, widths[i]);
    }
  self->updating = was;
}

static int
current_widths (RsNetworkEditor *self, int *widths)
{
  for (guint i = 0; i < self->spins->len; i++)
    widths[i] = gtk_spin_button_get_value_as_int (g_ptr_array_index (self->spins, i));
  return (int) self->spins->len;
}

/* An enum key's words as a dropdown's entries. */
static void
fill_enum (GtkDropDown *dropdown, const char *name)
{
  const RsKey *key = rs_key_find (RS_SECTION_MODEL, name);
  const char *const *words = key->value_labels != NULL ? key->value_labels : key->values;
  GtkStringList *list = gtk_string_list_new (NULL);

  for (int i = 0; words[i] != NULL; i++)
    gtk_string_list_append (list, _(words[i]));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  g_object_unref (list);
  if (key->help != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown), _(key->help));
}

static void
rs_network_editor_dispose (GObject *object)
{
  RsNetworkEditor *self = RS_NETWORK_EDITOR (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_NETWORK_EDITOR);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_pointer (&self->spins, g_ptr_array_unref);
  g_clear_pointer (&self->removes, g_ptr_array_unref);

  G_OBJECT_CLASS (rs_network_editor_parent_class)->dispose (object);
}

static void
rs_network_editor_class_init (RsNetworkEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_network_editor_dispose;

  /* The network changed (rs_network_editor_apply). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-network-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, RsNetworkEditor, hidden_box);
  gtk_widget_class_bind_template_child (widget_class, RsNetworkEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, RsNetworkEditor, activation_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsNetworkEditor, loss_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsNetworkEditor, shape_label);
  gtk_widget_class_bind_template_callback_full (widget_class, "add_clicked",
                                                G_CALLBACK (rs_network_editor_add_layer));

  gtk_widget_class_set_css_name (widget_class, "networkeditor");
}

static void
rs_network_editor_init (RsNetworkEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->spins = g_ptr_array_new ();
  self->removes = g_ptr_array_new ();
  self->remove_index = -1;
  fill_enum (self->activation_dropdown, "activation");
  fill_enum (self->loss_dropdown, "loss");
  g_signal_connect (self->activation_dropdown, "notify::selected",
                    G_CALLBACK (on_dropdown_selected), self);
  g_signal_connect (self->loss_dropdown, "notify::selected",
                    G_CALLBACK (on_dropdown_selected), self);
  update_shape (self);
}

GtkWidget *
rs_network_editor_new (void)
{
  return g_object_new (RS_TYPE_NETWORK_EDITOR, NULL);
}

void
rs_network_editor_set_experiment (RsNetworkEditor    *self,
                                  const RsExperiment *exp)
{
  g_return_if_fail (RS_IS_NETWORK_EDITOR (self));
  g_return_if_fail (exp != NULL);

  self->updating = TRUE;
  self->in_width = exp->sizes[0];
  self->out_width = exp->sizes[exp->n_layers];
  set_widths (self, exp->sizes + 1, exp->n_layers - 1);
  gtk_drop_down_set_selected (self->activation_dropdown, exp->activation);
  gtk_drop_down_set_selected (self->loss_dropdown, exp->loss);
  update_shape (self);
  self->updating = FALSE;
}

void
rs_network_editor_apply (RsNetworkEditor *self,
                         RsExperiment    *exp)
{
  g_return_if_fail (RS_IS_NETWORK_EDITOR (self));
  g_return_if_fail (exp != NULL);

  int out = exp->sizes[exp->n_layers];
  int n_hidden = (int) self->spins->len;
  for (int l = exp->n_layers; l <= n_hidden; l++)
    {
      rs_layer_reg_init_default (&exp->layer[l]);
      memset (&exp->suggested[l], 0, sizeof exp->suggested[l]);
    }
  current_widths (self, exp->sizes + 1);
  exp->n_layers = n_hidden + 1;
  exp->sizes[exp->n_layers] = out;
  exp->activation = gtk_drop_down_get_selected (self->activation_dropdown);
  exp->loss = gtk_drop_down_get_selected (self->loss_dropdown);
}

int
rs_network_editor_get_n_hidden (RsNetworkEditor *self)
{
  g_return_val_if_fail (RS_IS_NETWORK_EDITOR (self), 0);
  return (int) self->spins->len;
}

void
rs_network_editor_add_layer (RsNetworkEditor *self)
{
  g_return_if_fail (RS_IS_NETWORK_EDITOR (self));

  if (self->spins->len + 1 >= RS_MAX_LAYERS)
    return;
  /* Before the output, as wide as the layer below it. */
  int width = self->spins->len > 0
              ? gtk_spin_button_get_value_as_int (g_ptr_array_index (self->spins,
                                                                     self->spins->len - 1))
              : NEW_LAYER_WIDTH;
  gboolean was = self->updating;
  self->updating = TRUE;
  append_row (self, width);
  self->updating = was;
  emit_changed (self);
}

void
rs_network_editor_remove_layer (RsNetworkEditor *self,
                                int              hidden)
{
  int widths[RS_MAX_LAYERS];

  g_return_if_fail (RS_IS_NETWORK_EDITOR (self));
  g_return_if_fail (hidden >= 0 && hidden < (int) self->spins->len);

  int n = current_widths (self, widths);
  memmove (widths + hidden, widths + hidden + 1, (gsize) (n - hidden - 1) * sizeof (int));
  set_widths (self, widths, n - 1);
  emit_changed (self);
}

GtkSpinButton *
rs_network_editor_get_width_spin (RsNetworkEditor *self, int hidden)
{
  g_return_val_if_fail (RS_IS_NETWORK_EDITOR (self), NULL);
  g_return_val_if_fail (hidden >= 0 && hidden < (int) self->spins->len, NULL);
  return g_ptr_array_index (self->spins, hidden);
}

GtkButton *
rs_network_editor_get_remove_button (RsNetworkEditor *self, int hidden)
{
  g_return_val_if_fail (RS_IS_NETWORK_EDITOR (self), NULL);
  g_return_val_if_fail (hidden >= 0 && hidden < (int) self->removes->len, NULL);
  return g_ptr_array_index (self->removes, hidden);
}

GtkDropDown *
rs_network_editor_get_activation_dropdown (RsNetworkEditor *self)
{
  g_return_val_if_fail (RS_IS_NETWORK_EDITOR (self), NULL);
  return self->activation_dropdown;
}

GtkDropDown *
rs_network_editor_get_loss_dropdown (RsNetworkEditor *self)
{
  g_return_val_if_fail (RS_IS_NETWORK_EDITOR (self), NULL);
  return self->loss_dropdown;
}
