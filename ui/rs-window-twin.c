/* rs-window-twin.c — Compare: a twin run B trains beside the lesson (A)
 * from the same seed on the same batches (rs-twin.h, rs_trainer_set_twin).
 *
 * The toggle (win.compare, Ctrl+T, a header and a presentation-bar button)
 * shows a page with both loss curves on one plot and A's and B's
 * histograms and heatmaps (tiles, boundaries) side by side, and under A's
 * layer rows a second set, B's: a term set differently there is one of
 * B's overrides (its [compare]). Changing B starts both runs again from
 * the seed, so that they always share their start; A's changes reach B
 * while training, except for the terms B sets itself. */
#include "rs-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-layer-row.h"
#include "rs-plot-twin.h"
#include "rs-twin.h"
#include "rs-ui.h"

static void start_twin (RsWindow *self);

/* The lower cell of each side: what the lesson's data show best. */
static RsPlotKind
lower_kind (const RsSnapshot *snap)
{
  if (snap != NULL && rs_plot_kind_applies (RS_PLOT_BOUNDARY, snap))
    return RS_PLOT_BOUNDARY;
  if (snap != NULL && rs_plot_kind_applies (RS_PLOT_DIGIT_TILES, snap))
    return RS_PLOT_DIGIT_TILES;
  return RS_PLOT_WEIGHTS;
}

/* A's settings as the controls show them, with the twin's [compare]. */
static RsExperiment *
twin_experiment (RsWindow *self)
{
  RsExperiment *exp = _rs_window_current_experiment (self);
  g_strfreev (exp->compare);
  exp->compare = g_strdupv (self->compare_entries);
  return exp;
}

/* Each side's name in its run's colour on the plots (rs-plot-style.h). */
static void
color_labels (RsWindow *self)
{
  RsPlotStyle style;
  rs_plot_view_get_style (self->twin_loss_view, &style);
  for (int r = 0; r < 2; r++)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_foreground_new (
                                       (guint16) (style.twin[r].r * 65535),
                                       (guint16) (style.twin[r].g * 65535),
                                       (guint16) (style.twin[r].b * 65535)));
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      /* the plots' type grows in presentation mode; their names with it */
      if (rs_window_get_presentation (self))
        pango_attr_list_insert (attrs, pango_attr_scale_new (1.5));
      gtk_label_set_attributes (self->twin_labels[r], attrs);
      pango_attr_list_unref (attrs);
    }
}

static void
update_labels (RsWindow *self)
{
  g_autoptr (RsExperiment) exp = twin_experiment (self);
  for (int r = 0; r < 2; r++)
    {
      g_free (self->twin_label_text[r]);
      self->twin_label_text[r] = rs_twin_describe (exp, r);
      gtk_label_set_text (self->twin_labels[r], self->twin_label_text[r]);
    }
  color_labels (self);
  /* B's overrides that are no layer's term (lr, ...) are said in words */
  GString *other = g_string_new (NULL);
  for (int i = 0; self->compare_entries != NULL && self->compare_entries[i] != NULL; i++)
    if (!g_str_has_prefix (self->compare_entries[i], "fc"))
      g_string_append_printf (other, "%s%s", other->len ? ", " : "", self->compare_entries[i]);
  g_autofree char *text = other->len > 0 ? g_strdup_printf (_("B also: %s"), other->str) : NULL;
  g_string_free (other, TRUE);
  gtk_label_set_text (self->twin_other_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->twin_other_label), text != NULL);
}

/* B's rows show A's settings with B's overrides. */
static void
show_b_rows (RsWindow *self)
{
  g_autoptr (RsExperiment) exp = twin_experiment (self);
  g_autoptr (RsExperiment) b = rs_twin_experiment_b (exp, NULL);
  if (b == NULL)
    return;
  self->updating = TRUE;
  for (guint i = 0; i < self->twin_rows->len; i++)
    {
      RsLayerRow *row = g_ptr_array_index (self->twin_rows, i);
      rs_layer_row_set_layer (row, (int) i, b);
      /* "B fc1 L1 strength": the screen reader tells the two sets apart */
      char name[16];
      g_snprintf (name, sizeof name, "fc%u", i + 1);
      /* TRANSLATORS: accessible names of twin B's controls: a layer ("fc1") */
      g_autofree char *b_name = g_strdup_printf (_("B %s"), name);
      for (int t = 0; t < RS_REG_N_TERMS; t++)
        rs_lambda_control_set_subject (rs_layer_row_get_control (row, t), b_name);
      g_autofree char *bias = g_strdup_printf (_("%s L1 includes bias"), b_name);
      rs_ui_set_accessible_label (GTK_WIDGET (rs_layer_row_get_l1_bias_button (row)), bias);
      g_autofree char *norm = g_strdup_printf (_("%s activity norm"), b_name);
      rs_ui_set_accessible_label (GTK_WIDGET (rs_layer_row_get_activity_norm_dropdown (row)),
                                  norm);
    }
  self->updating = FALSE;
  update_labels (self);
}

/* B's rows changed: the overrides are where they differ from A's rows
 * (other overrides, the optimizer's, stay); both start again. */
static void
on_b_row_changed (RsLayerRow *changed, RsWindow *self)
{
  if (self->updating || !self->compare)
    return;
  g_autoptr (RsExperiment) a = _rs_window_current_experiment (self);
  g_autoptr (RsExperiment) b = rs_experiment_copy (a);
  for (guint i = 0; i < self->twin_rows->len; i++)
    rs_layer_row_get_reg (g_ptr_array_index (self->twin_rows, i), &b->layer[i]);

  g_autoptr (GStrvBuilder) entries = g_strv_builder_new ();
  for (int i = 0; self->compare_entries != NULL && self->compare_entries[i] != NULL; i++)
    if (!g_str_has_prefix (self->compare_entries[i], "fc"))
      g_strv_builder_add (entries, self->compare_entries[i]);
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  for (int l = 0; l < a->n_layers; l++)
    for (gsize k = 0; k < n_keys; k++)
      {
        const RsKey *key = &keys[k];
        if (key->section != RS_SECTION_LAYER || !(key->flags & RS_KEY_CONTROL)
            || (key->flags & RS_KEY_EVENT_ONLY))
          continue;
        if (rs_key_get_number (key, &a->layer[l]) == rs_key_get_number (key, &b->layer[l]))
          continue;
        g_autofree char *value = rs_key_format_value (key, b, l);
        g_autofree char *entry = g_strdup_printf ("fc%d.%s=%s", l + 1, key->name, value);
        g_strv_builder_add (entries, entry);
      }
  g_auto (GStrv) list = g_strv_builder_end (entries);
  gsize n = g_strv_length (list);
  const char **names = g_newa (const char *, n + 1);
  for (gsize i = 0; i <= n; i++)
    names[i] = i < n ? "B" : NULL;
  g_autoptr (GError) error = NULL;
  if (!rs_twin_set_compare (a, (const char *const *) list, names, "B", &error))
    {
      _rs_window_show_message (self, error->message);
      show_b_rows (self);
      return;
    }
  g_strfreev (self->compare_entries);
  self->compare_entries = g_steal_pointer (&a->compare);
  start_twin (self);
}

static void
clear_b_rows (RsWindow *self)
{
  GtkWidget *child;
  g_ptr_array_set_size (self->twin_rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->twin_row_box))) != NULL)
    gtk_box_remove (self->twin_row_box, child);
}

static void
build_b_rows (RsWindow *self)
{
  clear_b_rows (self);
  for (int i = 0; i < self->experiment->n_layers; i++)
    {
      GtkWidget *row = rs_layer_row_new ();
      _rs_window_style_layer_row (self, RS_LAYER_ROW (row));
      g_signal_connect (row, "changed", G_CALLBACK (on_b_row_changed), self);
      g_signal_connect_swapped (row, "rejected", G_CALLBACK (_rs_window_show_message), self);
      rs_ui_no_focus_on_click (row);
      gtk_box_append (self->twin_row_box, row);
      g_ptr_array_add (self->twin_rows, row);
    }
  show_b_rows (self);
}

/* B beside A, both from step 0: the trainer takes a new B session. */
static void
start_twin (RsWindow *self)
{
  if (self->trainer == NULL)
    return;
  g_autoptr (RsExperiment) exp = twin_experiment (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) b_exp = rs_twin_experiment_b (exp, &error);
  RsSession *b = b_exp != NULL ? rs_session_new (b_exp, &error) : NULL;
  if (b == NULL)
    {
      _rs_window_show_error (self, _("Could not start B"), error->message);
      return;
    }
  rs_trainer_set_twin (self->trainer, exp, b);
  update_labels (self);
}

static void
set_compare (RsWindow *self, gboolean on)
{
  gboolean was = self->compare;
  self->compare = on;
  if (on && self->compare_entries == NULL)
    self->compare_entries = g_new0 (char *, 1);   /* B as A, until a term differs */
  if (on)
    {
      build_b_rows (self);
      start_twin (self);
    }
  else if (self->trainer != NULL)
    rs_trainer_set_twin (self->trainer, NULL, NULL);
  if (!on)
    g_clear_pointer (&self->compare_entries, g_strfreev);

  gtk_stack_page_set_visible (self->twin_page, on);
  gtk_widget_set_visible (self->twin_section, on);
  if (on && !was)
    gtk_stack_set_visible_child_name (self->plot_stack, "compare");
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->plot_stack), "compare") == 0)
    rs_window_set_current_plot_kind (self, RS_PLOT_LOSS);
  for (int r = 0; r < 2; r++)
    if (!on)
      for (int k = 0; k < 2; k++)
        rs_plot_view_set_snapshot (self->twin_views[r][k], NULL);
  if (!on)
    rs_plot_view_set_twin (self->twin_loss_view, NULL, NULL, NULL);
  _rs_window_set_action_state (self, "compare", g_variant_new_boolean (on));
  /* (the switcher makes its tabs anew) */
  rs_ui_no_focus_on_click (GTK_WIDGET (self->plot_switcher));
}

static void
on_compare_change_state (GSimpleAction *action, GVariant *state, gpointer data)
{
  RsWindow *self = data;
  gboolean on = g_variant_get_boolean (state);
  if (on != self->compare)
    set_compare (self, on);
  g_simple_action_set_state (action, state);
}

void
rs_window_set_compare (RsWindow *self, gboolean on)
{
  g_return_if_fail (RS_IS_WINDOW (self));
  if (on != self->compare)
    set_compare (self, on);
}

gboolean
rs_window_get_compare (RsWindow *self)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), FALSE);
  return self->compare;
}

RsLayerRow *
rs_window_get_twin_layer_row (RsWindow *self, int index)
{
  g_return_val_if_fail (RS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < self->twin_rows->len, NULL);
  return g_ptr_array_index (self->twin_rows, index);
}

RsPlotView *
rs_window_get_twin_view (RsWindow *self, int run, gboolean lower)
{
  g_return_val_if_fail (RS_IS_WINDOW (self) && run >= -1 && run < 2, NULL);
  return run < 0 ? self->twin_loss_view : self->twin_views[run][lower ? 1 : 0];
}

/* ---- hooks from the window's other files --------------------------------- */

/* B's differences that the window's experiment has terms for (a change
 * of network can take a layer away). */
static void
keep_entries_that_apply (RsWindow *self)
{
  g_autoptr (RsExperiment) scratch = _rs_window_current_experiment (self);
  g_autoptr (GStrvBuilder) kept = g_strv_builder_new ();
  for (int i = 0; self->compare_entries != NULL && self->compare_entries[i] != NULL; i++)
    if (rs_twin_add_override (scratch, self->compare_entries[i], "B", NULL))
      g_strv_builder_add (kept, self->compare_entries[i]);
  g_strfreev (self->compare_entries);
  self->compare_entries = g_strv_builder_end (kept);
}

void
_rs_window_twin_lesson_installed (RsWindow *self,
                                  gboolean  change)
{
  /* a lesson (or a session, or the lesson as the window left it) with a
   * [compare] opens with its twin; a new lesson without one without */
  g_auto (GStrv) entries = g_strdupv (self->experiment->compare);
  g_clear_pointer (&self->experiment->compare, g_strfreev);
  if (entries != NULL)
    {
      g_strfreev (self->compare_entries);
      self->compare_entries = g_steal_pointer (&entries);
      self->compare = FALSE;
      set_compare (self, TRUE);
    }
  else if (self->compare && change)
    {
      /* A change of data or network keeps the comparison, both runs from
       * step 0 of the new one: a teacher asks "and on a wider network?" */
      keep_entries_that_apply (self);
      set_compare (self, TRUE);
    }
  else if (self->compare)
    set_compare (self, FALSE);
}

void
_rs_window_twin_a_changed (RsWindow *self)
{
  if (self->compare)
    show_b_rows (self);
}

void
_rs_window_twin_show (RsWindow *self)
{
  if (!self->compare || self->trainer == NULL)
    return;
  g_autoptr (RsSnapshot) b = rs_trainer_get_twin_snapshot (self->trainer);
  RsSnapshot *runs[2] = { self->snapshot, b };
  rs_plot_view_set_twin (self->twin_loss_view, b, self->twin_label_text[0],
                         self->twin_label_text[1]);
  rs_plot_view_set_snapshot (self->twin_loss_view, self->snapshot);
  for (int r = 0; r < 2; r++)
    {
      RsPlotKind lower = lower_kind (runs[r]);
      if (rs_plot_view_get_kind (self->twin_views[r][1]) != lower)
        rs_plot_view_set_kind (self->twin_views[r][1], lower);
      for (int k = 0; k < 2; k++)
        rs_plot_view_set_snapshot (self->twin_views[r][k], runs[r]);
    }
}

gboolean
_rs_window_twin_plots_current (RsWindow *self)
{
  if (!self->compare)
    return TRUE;
  for (int run = -1; run < 2; run++)
    for (int lower = 0; lower < (run < 0 ? 1 : 2); lower++)
      {
        RsPlotView *view = rs_window_get_twin_view (self, run, lower);
        if (gtk_widget_get_mapped (GTK_WIDGET (view))
            && rs_plot_view_get_drawn_snapshot (view) != rs_plot_view_get_snapshot (view))
          return FALSE;
      }
  return TRUE;
}

void
_rs_window_twin_experiment (RsWindow *self, RsExperiment *exp)
{
  g_strfreev (exp->compare);
  exp->compare = self->compare ? g_strdupv (self->compare_entries) : NULL;
}

gboolean
_rs_window_twin_export (RsWindow *self, const char *path, RsExportFormat format,
                        RsPlotKind kind, const RsPlotStyle *style, int width, int height,
                        double scale, GError **error)
{
  g_autoptr (RsSnapshot) b = rs_trainer_get_twin_snapshot (self->trainer);
  if (b == NULL)
    b = rs_snapshot_ref (self->snapshot);
  RsPlotTwinData data = { style, { self->snapshot, b },
                          { self->twin_label_text[0], self->twin_label_text[1] } };
  if (kind == RS_PLOT_DASHBOARD)
    return rs_plot_export_with (path, format, rs_plot_twin_dashboard_draw, &data, width,
                                height, scale, error);
  return rs_plot_export_with (path, format, rs_plot_twin_loss_draw_data, &data, width, height,
                              scale, error);
}

/* Five plots share the page. In presentation mode the type is large and a
 * projector small (1024 x 768): squeezed into the window, the histograms'
 * cells got less than a line of type each. There each plot keeps the room
 * its large type needs (a histogram cell wants about 16 x 11 lines, and
 * three layers take two rows), and the page scrolls instead. */
static void
size_twin_views (RsWindow *self)
{
  gboolean big = rs_window_get_presentation (self);
  gtk_widget_set_size_request (GTK_WIDGET (self->twin_loss_view), -1, big ? 300 : -1);
  for (int r = 0; r < 2; r++)
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->twin_views[r][0]), -1, big ? 460 : 170);
      gtk_widget_set_size_request (GTK_WIDGET (self->twin_views[r][1]), -1, big ? 360 : -1);
    }
}

static void
on_presentation (RsWindow *self, GParamSpec *pspec, gpointer data)
{
  for (guint i = 0; i < self->twin_rows->len; i++)
    _rs_window_style_layer_row (self, g_ptr_array_index (self->twin_rows, i));
  color_labels (self);
  size_twin_views (self);
}

static GtkWidget *
side_box (RsWindow *self, int r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (r == 0 ? "A" : "B");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 6);
  self->twin_labels[r] = GTK_LABEL (label);
  gtk_box_append (GTK_BOX (box), label);
  for (int k = 0; k < 2; k++)
    {
      GtkWidget *view = rs_plot_view_new (k == 0 ? RS_PLOT_HISTOGRAMS : RS_PLOT_WEIGHTS);
      /* the histograms a strip, the boundary (or heatmaps) the rest */
      gtk_widget_set_vexpand (view, k == 1);
      gtk_widget_set_hexpand (view, TRUE);
      g_object_bind_property (self, "presentation", view, "presentation", G_BINDING_SYNC_CREATE);
      g_object_bind_property (self, "dark", view, "dark", G_BINDING_SYNC_CREATE);
      self->twin_views[r][k] = RS_PLOT_VIEW (view);
      rs_plot_view_set_subject (RS_PLOT_VIEW (view), r == 0 ? "A" : "B");
      gtk_box_append (GTK_BOX (box), view);
    }
  return box;
}

static GtkWidget *
compare_button (RsWindow *self)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (_("Compare"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.compare");
  gtk_widget_set_tooltip_text (button, _("Train a twin B beside this run, from the same seed "
                                         "on the same batches, and compare (Ctrl+T)"));
  rs_ui_set_accessible_label (button, _("Compare with a twin run B"));
  gtk_widget_set_focus_on_click (button, FALSE);
  return button;
}

void
_rs_window_twin_init (RsWindow *self)
{
  self->twin_rows = g_ptr_array_new ();

  GSimpleAction *action = g_simple_action_new_stateful ("compare", NULL,
                                                        g_variant_new_boolean (FALSE));
  g_signal_connect (action, "change-state", G_CALLBACK (on_compare_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  g_object_unref (action);

  /* the toggle: in the header bar, and in presentation mode's bar */
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (self));
  if (GTK_IS_HEADER_BAR (header))
    gtk_header_bar_pack_end (GTK_HEADER_BAR (header), compare_button (self));
  GtkWidget *bar_button = compare_button (self);
  gtk_widget_insert_after (bar_button, gtk_widget_get_parent (GTK_WIDGET (self->bar_pin_button)),
                           GTK_WIDGET (self->bar_pin_button));

  /* the page: both losses, then A | B */
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *loss = rs_plot_view_new (RS_PLOT_LOSS);
  gtk_widget_set_vexpand (loss, TRUE);
  g_object_bind_property (self, "presentation", loss, "presentation", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "dark", loss, "dark", G_BINDING_SYNC_CREATE);
  self->twin_loss_view = RS_PLOT_VIEW (loss);
  rs_plot_view_set_subject (self->twin_loss_view, _("A and B"));
  gtk_box_append (GTK_BOX (page), loss);
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
  gtk_widget_set_vexpand (sides, TRUE);
  gtk_box_append (GTK_BOX (sides), side_box (self, 0));
  gtk_box_append (GTK_BOX (sides), side_box (self, 1));
  gtk_box_append (GTK_BOX (page), sides);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), page);
  self->twin_page = gtk_stack_add_titled (self->plot_stack, scroller, "compare", _("A and B"));
  size_twin_views (self);
  gtk_stack_page_set_visible (self->twin_page, FALSE);

  /* the sidebar: B's rows, under A's */
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("B: the twin (set a term differently here)"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "section-heading");
  gtk_box_append (GTK_BOX (section), heading);
  GtkWidget *other = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (other), 0);
  gtk_label_set_wrap (GTK_LABEL (other), TRUE);
  self->twin_other_label = GTK_LABEL (other);
  gtk_box_append (GTK_BOX (section), other);
  self->twin_row_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (section), GTK_WIDGET (self->twin_row_box));
  gtk_widget_set_visible (section, FALSE);
  gtk_widget_insert_after (section, gtk_widget_get_parent (GTK_WIDGET (self->layer_box)),
                           GTK_WIDGET (self->layer_box));
  self->twin_section = section;

  g_signal_connect (self, "notify::presentation", G_CALLBACK (on_presentation), NULL);
  g_signal_connect (self, "notify::dark", G_CALLBACK (on_presentation), NULL);
}

void
_rs_window_twin_dispose (RsWindow *self)
{
  if (self->twin_rows != NULL)
    g_ptr_array_set_size (self->twin_rows, 0);
}

void
_rs_window_twin_finalize (RsWindow *self)
{
  g_clear_pointer (&self->twin_rows, g_ptr_array_unref);
  g_clear_pointer (&self->compare_entries, g_strfreev);
  for (int r = 0; r < 2; r++)
    g_clear_pointer (&self->twin_label_text[r], g_free);
}
