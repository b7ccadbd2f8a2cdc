/* rs-code-dialog.c — a read-only code view with a Copy button. */
#include "rs-code-dialog.h"

#include <glib/gi18n.h>

#include "rs-ui.h"

struct _RsCodeDialog
{
  GtkWindow parent_instance;

  GtkTextView *text_view;
  GtkLabel    *copy_label;
  GtkButton   *copy_button;
  guint        copied_id;   /* resets the "Copied" feedback */
};

G_DEFINE_FINAL_TYPE (RsCodeDialog, rs_code_dialog, GTK_TYPE_WINDOW)

static gboolean
reset_copy_label (gpointer data)
{
  RsCodeDialog *self = data;

  self->copied_id = 0;
  gtk_label_set_text_with_mnemonic (self->copy_label, _("_Copy"));
  return G_SOURCE_REMOVE;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  rs_code_dialog_copy (RS_CODE_DIALOG (widget));
}

static void
rs_code_dialog_dispose (GObject *object)
{
  RsCodeDialog *self = RS_CODE_DIALOG (object);

  g_clear_handle_id (&self->copied_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RS_TYPE_CODE_DIALOG);

  G_OBJECT_CLASS (rs_code_dialog_parent_class)->dispose (object);
}

static void
rs_code_dialog_class_init (RsCodeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_code_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-code-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RsCodeDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, RsCodeDialog, copy_label);
  gtk_widget_class_bind_template_child (widget_class, RsCodeDialog, copy_button);

  gtk_widget_class_install_action (widget_class, "code.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "code.copy", NULL);
}

static void
rs_code_dialog_init (RsCodeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_code_dialog_new (GtkWindow  *parent,
                    const char *title,
                    const char *code)
{
  RsCodeDialog *self = g_object_new (RS_TYPE_CODE_DIALOG,
                                     "transient-for", parent,
                                     NULL);

  if (title != NULL)
    {
      g_autofree char *window_title = g_strdup_printf (_("PyTorch Code — %s"), title);
      gtk_window_set_title (GTK_WINDOW (self), window_title);
    }
  rs_code_dialog_set_code (self, code);
  return GTK_WIDGET (self);
}

void
rs_code_dialog_set_code (RsCodeDialog *self,
                         const char   *code)
{
  g_return_if_fail (RS_IS_CODE_DIALOG (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                            code != NULL ? code : "", -1);
}

char *
rs_code_dialog_get_code (RsCodeDialog *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (RS_IS_CODE_DIALOG (self), NULL);

  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
rs_code_dialog_copy (RsCodeDialog *self)
{
  g_return_if_fail (RS_IS_CODE_DIALOG (self));

  g_autofree char *code = rs_code_dialog_get_code (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), code);

  /* Feedback on the button itself: nothing else changes when copying. */
  gtk_label_set_text (self->copy_label, _("Copied"));
  g_clear_handle_id (&self->copied_id, g_source_remove);
  self->copied_id = g_timeout_add_seconds (2, reset_copy_label, self);
}
