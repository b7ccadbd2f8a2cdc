#include "rs-ui.h"

#include "rs-resources.h"

void
rs_ui_init (void)
{
  /* The bundle lives in a static library: registering it by hand (instead
   * of a constructor) makes sure the linker keeps it. */
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      rs_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
rs_ui_init_display (GdkDisplay *display)
{
  g_return_if_fail (GDK_IS_DISPLAY (display));

  rs_ui_init ();

  /* Remember on the display itself: no process-wide state, and a second
   * display (rare, but possible) gets its own provider. */
  if (g_object_get_data (G_OBJECT (display), "rs-css-provider") != NULL)
    return;

  GtkCssProvider *provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RS_RESOURCE_PREFIX "/ui/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "rs-css-provider", provider, g_object_unref);

  /* The application icon, also when running from the build tree. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    RS_RESOURCE_PREFIX "/icons");
}

void
rs_ui_set_tooltip_text (GtkWidget  *widget,
                        const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  const char *old = gtk_widget_get_tooltip_text (widget);
  /* (GTK keeps "" as no tooltip) */
  if (g_strcmp0 (old, text != NULL && *text != '\0' ? text : NULL) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static GQuark
fit_width_quark (void)
{
  return g_quark_from_static_string ("rs-fit-width");
}

gboolean
rs_ui_fit_lines (GtkInscription *inscription,
                 guint           max_lines)
{
  g_return_val_if_fail (GTK_IS_INSCRIPTION (inscription), FALSE);

  GtkWidget *widget = GTK_WIDGET (inscription);
  const char *text = gtk_inscription_get_text (inscription);
  int width = gtk_widget_get_width (widget);
  guint lines = 1;
  gboolean cut_off = FALSE;

  /* (stored + 1: no data reads 0, "never fitted") */
  g_object_set_qdata (G_OBJECT (inscription), fit_width_quark (), GINT_TO_POINTER (width + 1));
  if (width > 0 && text != NULL && *text != '\0')
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
      pango_layout_set_wrap (layout, gtk_inscription_get_wrap_mode (inscription));
      pango_layout_set_width (layout, width * PANGO_SCALE);
      guint count = (guint) pango_layout_get_line_count (layout);
      g_object_unref (layout);
      lines = CLAMP (count, 1, MAX (max_lines, 1));
      cut_off = count > lines;
    }
  if (gtk_inscription_get_nat_lines (inscription) != lines)
    {
      gtk_inscription_set_min_lines (inscription, lines);
      gtk_inscription_set_nat_lines (inscription, lines);
    }
  return cut_off;
}

gboolean
rs_ui_set_live_text (GtkInscription *inscription,
                     const char     *text)
{
  g_return_val_if_fail (GTK_IS_INSCRIPTION (inscription), FALSE);

  if (g_strcmp0 (gtk_inscription_get_text (inscription), text) == 0)
    return FALSE;
  gtk_inscription_set_text (inscription, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (inscription),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return TRUE;
}

gboolean
rs_ui_fit_lines_stale (GtkInscription *inscription)
{
  g_return_val_if_fail (GTK_IS_INSCRIPTION (inscription), FALSE);

  int fitted = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (inscription), fit_width_quark ()));
  return fitted != gtk_widget_get_width (GTK_WIDGET (inscription)) + 1;
}

void
rs_ui_fit_lines_invalidate (GtkInscription *inscription)
{
  g_return_if_fail (GTK_IS_INSCRIPTION (inscription));

  g_object_set_qdata (G_OBJECT (inscription), fit_width_quark (), NULL);
}

void
rs_ui_set_accessible_label (GtkWidget  *widget,
                            const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (GTK_IS_DROP_DOWN (widget))
    for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_TOGGLE_BUTTON (c))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label, -1);
}

void
rs_ui_no_focus_on_click (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) || GTK_IS_SWITCH (root) || GTK_IS_CHECK_BUTTON (root))
    gtk_widget_set_focus_on_click (root, FALSE);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    rs_ui_no_focus_on_click (c);
}
