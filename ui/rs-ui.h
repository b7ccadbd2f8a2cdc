/* rs-ui.h — what every widget of the window needs before its template is
 * parsed: the GResource holding the .ui files, the CSS and the icon. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RS_APPLICATION_ID   "org.regscope.Regscope"
#define RS_RESOURCE_PREFIX  "/org/regscope/Regscope"

/* Registers the resource bundle once. Called from the class_init of each
 * templated widget, so a test can create any widget without the
 * application. */
void rs_ui_init (void);

/* Loads style.css for `display` (once per display) and adds the bundled
 * icon to its icon theme. */
void rs_ui_init_display (GdkDisplay *display);

/* The accessible name of a control. A GtkDropDown takes the focus in its
 * button, which reads out the selected item: that button also gets `label`
 * as its description ("100 steps/s", then "Training speed"). */
void rs_ui_set_accessible_label (GtkWidget *widget, const char *label);

/* gtk_widget_set_tooltip_text, only when the text changes: GTK asks the
 * display where the pointer is at each call (X11: three round trips to
 * the server), which the rows and the status line did for every snapshot,
 * on the main thread, at 30 a second. */
void rs_ui_set_tooltip_text (GtkWidget *widget, const char *text);

/* Live numbers go in a GtkInscription: a label's new text resizes the
 * whole window (measured, laid out and painted again, at every snapshot),
 * an inscription's does not. Its height does not follow its text either:
 * this gives it as many lines (1 to max_lines) as its text takes at its
 * width, a resize only when that count changes. TRUE when the text needs
 * more than max_lines (it is cut off with "…"). */
gboolean rs_ui_fit_lines (GtkInscription *inscription, guint max_lines);
/* A live number's new text: set, and told to assistive technologies (GTK
 * 4.8's inscription does not tell them itself); TRUE if it changed. */
gboolean rs_ui_set_live_text (GtkInscription *inscription, const char *text);
/* Whether rs_ui_fit_lines is due again: the width changed since the last
 * fit, or _invalidate (a new font). Cheap: asked every frame, before the
 * layout. */
gboolean rs_ui_fit_lines_stale (GtkInscription *inscription);
void     rs_ui_fit_lines_invalidate (GtkInscription *inscription);

/* Buttons, switches and check boxes under `root` take the focus from the
 * keyboard only, not from a click: a focused one then always got there by
 * Tab, and Space is its key (rs-window-actions.c); after a click Space
 * still plays. */
void rs_ui_no_focus_on_click (GtkWidget *root);

G_END_DECLS
