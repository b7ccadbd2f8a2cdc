/* ui-fixtures.h — what the ui tests share: waiting on the main loop
 * without sleeps, a window with a lesson, finding widgets. */
#pragma once

#include <gtk/gtk.h>

#include "rs-window.h"

G_BEGIN_DECLS

/* The start of every ui test program's main(): gtk_init, g_test_init,
 * no animations, and the test AT context's chatter off the TAP stream.
 * FALSE (a TAP skip printed) where there is no display: main() returns 0. */
gboolean   ui_test_init (int *argc, char ***argv);

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context until condition(data) holds, bounded by an
 * iteration count and a timeout; returns condition(data). */
gboolean   wait_for (Condition condition, gpointer data);
gboolean   is_mapped (gpointer widget);
gboolean   is_null (gpointer pointer_location);
/* A few frames, so that style changes are applied and laid out. */
void       wait_frames (GtkWidget *widget, int n);

/* $REGSCOPE_DATADIR/presets/NAME.ini */
char      *preset_path (const char *name);

/* Depth-first: the first widget below (and including) `root` for which
 * `match` holds. */
typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);
GtkWidget *find_widget (GtkWidget *root, WidgetMatch match, gconstpointer data);
gboolean   is_type (GtkWidget *widget, gconstpointer type);   /* GSIZE_TO_POINTER (GType) */
/* The text a GtkLabel or a GtkInscription (the live numbers) shows; NULL
 * for other widgets. */
const char *shown_text (GtkWidget *widget);
gboolean   shows_text_containing (GtkWidget *widget, gconstpointer text);
gboolean   has_action (GtkWidget *widget, gconstpointer action); /* "win.reset" */
gboolean   is_menu_button_with_icon (GtkWidget *widget, gconstpointer icon);

/* The window's own key handler (a capture-phase key controller), and a
 * key as it sees it: TRUE if it took it (FALSE: it goes on to the focused
 * widget). */
GtkEventController *find_key_controller (GtkWidget *widget);
gboolean   window_takes_key (RsWindow *window, guint keyval);

/* `widget` lies inside `area` (width x height, its allocation in `area`'s
 * coordinates) and got at least the size it asks for: nothing is cut
 * off. Names `what` when not. */
void       assert_fits (GtkWidget *widget, GtkWidget *area, int width, int height,
                        const char *what);

/* The window's content (and its title bar, where it is shown) fits
 * width x height: measured, allocated at that size, and every plot tab,
 * the plot menu, the plot, the sidebar and the status line inside it at
 * their full size. Returns the content's height. */
int        assert_window_fits (RsWindow *window, int width, int height);

/* A window with a shipped lesson (data: its name, NULL for seed-l1),
 * shown, and a temporary folder. */
typedef struct {
  RsWindow *window;
  char     *tmpdir;
} Fixture;

void       fixture_set_up (Fixture *f, gconstpointer data);
void       fixture_tear_down (Fixture *f, gconstpointer data);
/* The trainer's snapshot after every control sent so far is applied (a
 * reference). */
RsSnapshot *synced_snapshot (Fixture *f);
/* wait_for's condition for a control reaching the trainer: the synced
 * snapshot's experiment holds `value` in layer `layer`'s RsLayerReg field
 * at `offset` (G_STRUCT_OFFSET (RsLayerReg, l2)). */
typedef struct {
  Fixture *f;
  int      layer;
  gsize    offset;
  double   value;
} LayerValueWait;
gboolean   trainer_has_layer_value (gpointer layer_value_wait);
/* n single steps, applied, and the window shows the result. */
void       take_steps (Fixture *f, int n);
/* The widget's accessible name is `expected` (GTK_A11Y=test). */
void       assert_accessible_name (GtkWidget *widget, const char *expected);

G_END_DECLS
