/* rs-window-style.c — how the window looks: light or dark plots, and
 * presentation mode for a projector. */
#include "rs-window-private.h"

/* Dark or light is read off the theme as it is drawn: the luminance of the
 * window's text colour. That covers prefer-dark (the style key, the
 * desktop's colour scheme), themes named *-dark and GTK_THEME=Adwaita:dark
 * alike. Checked on every frame tick: it is one colour lookup. */
void
_rs_window_update_dark (RsWindow *self)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gboolean dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;

  if (dark == self->dark && gtk_widget_has_css_class (GTK_WIDGET (self), dark ? "dark" : "light"))
    return;

  self->dark = dark;
  gtk_widget_remove_css_class (GTK_WIDGET (self), dark ? "light" : "dark");
  gtk_widget_add_css_class (GTK_WIDGET (self), dark ? "dark" : "light");
  for (int i = 0; i < N_VIEWS; i++)
    g_object_set (self->views[i], "dark", dark, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), rs_window_properties[PROP_DARK]);
}

gboolean
rs_window_get_dark (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  return self->dark;
}

gboolean
rs_window_get_presentation (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);

  return self->presentation;
}

static void
update_presentation_bar (RsWindow *self)
{
  gtk_widget_set_visible (self->presentation_bar,
                          self->presentation && gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

static void
on_fullscreened (RsWindow   *self,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  update_presentation_bar (self);
}

/* Large text (GNOME's text scaling, which sets the font DPI) of 1.25× or
 * more: at 1.5× the one-line controls and equal-width tabs needed more
 * than 1280 px. */
static gboolean
large_text (RsWindow *self)
{
  int dpi = 0;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-xft-dpi", &dpi, NULL);
  return dpi >= 96 * 1024 * 5 / 4;
}

/* Compact: the sidebar's terms on two lines each, tabs as wide as their
 * labels; for a projector (presentation mode) and for large text. */
static gboolean
compact_layout (RsWindow *self)
{
  return self->presentation || large_text (self);
}

/* The sidebar's layer rows follow the layout. Also for rows built while
 * it is compact. */
void
_rs_window_style_layer_row (RsWindow   *self,
                            RsLayerRow *row)
{
  rs_layer_row_set_compact (row, compact_layout (self));
}

static void
update_compact (RsWindow *self)
{
  gboolean compact = compact_layout (self);

  gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self->plot_switcher))),
                                  !compact);
  rs_lambda_control_set_compact (self->lr_control, compact);
  rs_lesson_info_set_compact (self->lesson_info, compact);
  /* On a projector the layer rows come first, so the switch a lesson names
   * is in view, and the lesson's whole text follows them (a scroll away,
   * never cut); at the desk the text leads. */
  GtkWidget *info = GTK_WIDGET (self->lesson_info);
  gtk_box_reorder_child_after (GTK_BOX (gtk_widget_get_parent (info)), info,
                               compact ? GTK_WIDGET (self->layer_box) : NULL);
  rs_lambda_control_set_compact (self->smoothing_control, compact);
  rs_lambda_control_set_compact (self->input_noise_control, compact);
  rs_early_stop_control_set_compact (self->early_stop_control, compact);
  for (guint i = 0; i < self->layer_rows->len; i++)
    _rs_window_style_layer_row (self, g_ptr_array_index (self->layer_rows, i));
}

/* Presentation mode: fullscreen, larger widget text (the CSS class) and
 * larger, thicker plots (rs_plot_style_init's presentation style), for a
 * projector at the back of a classroom. It must fit 1024×768 with nothing
 * cut off: the sidebar's controls go on two lines and the sidebar shrinks
 * to its minimum (a third of 1024 px, a quarter of 1280), the tabs are as
 * wide as their labels. Leaving it restores the sidebar's width. */
void
rs_window_set_presentation (RsWindow *self,
                            gboolean  presentation)
{
  g_return_if_fail (RS_IS_WINDOW (self));

  presentation = !!presentation;
  if (presentation == self->presentation)
    return;
  self->presentation = presentation;

  if (presentation)
    {
      self->normal_sidebar_width = gtk_paned_get_position (self->paned);
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }

  /* The paned clamps 0 to the sidebar's minimum width (it may not shrink
   * below it), whatever the font size turns out to be. */
  gtk_paned_set_position (self->paned, presentation ? 0 : self->normal_sidebar_width);
  update_compact (self);
  for (int i = 0; i < N_VIEWS; i++)
    g_object_set (self->views[i], "presentation", presentation, NULL);
  update_presentation_bar (self);

  _rs_window_set_action_state (self, "presentation", g_variant_new_boolean (presentation));
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "presentation", presentation);
  g_object_notify_by_pspec (G_OBJECT (self), rs_window_properties[PROP_PRESENTATION]);
}

void
_rs_window_style_init (RsWindow *self)
{
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), NULL);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-xft-dpi",
                           G_CALLBACK (update_compact), self, G_CONNECT_SWAPPED);
  update_compact (self);
}
