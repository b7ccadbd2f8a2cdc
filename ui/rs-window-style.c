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

/* Presentation mode: fullscreen, larger widget text (the CSS class) and
 * larger, thicker plots (rs_plot_style_init's presentation style), for a
 * projector at the back of a classroom. */
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
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
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
}
