/* rs-code-dialog.h — the current experiment as a runnable PyTorch script,
 * in a monospace view with a Copy button: the way back to the seed code. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RS_TYPE_CODE_DIALOG (rs_code_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RsCodeDialog, rs_code_dialog, RS, CODE_DIALOG, GtkWindow)

GtkWidget  *rs_code_dialog_new (GtkWindow *parent, const char *title, const char *code);

void        rs_code_dialog_set_code (RsCodeDialog *self, const char *code);
/* The text shown (newly allocated). */
char       *rs_code_dialog_get_code (RsCodeDialog *self);
/* Puts the code on the clipboard (the Copy button). */
void        rs_code_dialog_copy (RsCodeDialog *self);

G_END_DECLS
