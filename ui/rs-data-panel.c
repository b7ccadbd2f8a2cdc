/* rs-data-panel.c — the sidebar's data card. */
#include "rs-data-panel.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rs-keys.h"
#include "rs-ui.h"

/* A preview line longer than this is cut: the sidebar is narrow. */
#define PREVIEW_CHARS 56
/* The spin buttons' end for keys without an upper bound. */
#define OPEN_INT_MAX    1000000
#define OPEN_DOUBLE_MAX 100

struct _RsDataPanel
{
  GtkWidget parent_instance;

  GtkDropDown *source_dropdown;
  GtkGrid     *params_grid;
  GtkBox      *csv_box;
  GtkDropDown *label_dropdown;
  GtkLabel    *header_label;
  GtkLabel    *preview_label;
  GtkLabel    *sentence_label;

  GArray      *sources;      /* RsDataSource at each position of source_dropdown */
  RsDataSource shown;        /* the source selected when ::changed was last due */
  char        *listed_file;  /* the file source_dropdown lists, or NULL */
  GPtrArray   *spins;        /* GtkSpinButton per numeric [data] key ("rs-key") */
  GPtrArray   *checks;       /* GtkCheckButton per boolean [data] key */
  char        *file_path;    /* the CSV file or IDX folder offered, or NULL */
  RsDataSource file_source;  /* RS_DATA_CSV or RS_DATA_IDX */
  char        *label_column; /* as the key takes it: "last", "3", "species" */
  char       **label_values; /* label_column for each entry of label_dropdown */
  guint        idle_id;      /* a dropdown's ::changed, after its emission */
  gboolean     updating;
};

G_DEFINE_FINAL_TYPE (RsDataPanel, rs_data_panel, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
is_file_source (RsDataSource source)
{
  return source == RS_DATA_CSV || source == RS_DATA_IDX;
}

static gboolean
is_shipped (RsDataSource source)
{
  return source >= RS_DATA_DIGITS && source <= RS_DATA_BREAST_CANCER;
}

/* Which generator parameter a source takes: samples, classes and noise
 * for every generator, features for the ones not confined to the plane. */
static gboolean
source_takes (RsDataSource source, const char *key)
{
  if (is_file_source (source) || is_shipped (source))
    return FALSE;
  if (g_str_equal (key, "features"))
    return !rs_data_source_is_2d (source);
  if (g_str_equal (key, "classes"))
    return source != RS_DATA_MOONS && source != RS_DATA_XOR;
  return g_str_equal (key, "samples") || g_str_equal (key, "noise");
}

static RsDataSource
selected_source (RsDataPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->source_dropdown);
  if (i >= self->sources->len)
    return RS_DATA_RANDOM;
  return g_array_index (self->sources, RsDataSource, i);
}

static const RsKey *
widget_key (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), "rs-key");
}

static void
update_sensitivity (RsDataPanel *self)
{
  RsDataSource source = selected_source (self);

  for (guint i = 0; i < self->spins->len; i++)
    {
      GtkWidget *spin = g_ptr_array_index (self->spins, i);
      const RsKey *key = widget_key (spin);
      gboolean generator_key = g_str_equal (key->name, "samples")
                               || g_str_equal (key->name, "features")
                               || g_str_equal (key->name, "classes")
                               || g_str_equal (key->name, "noise");
      gtk_widget_set_sensitive (spin, !generator_key || source_takes (source, key->name));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->csv_box), source == RS_DATA_CSV);
}

static void
emit_changed (RsDataPanel *self)
{
  update_sensitivity (self);
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
emit_later_cb (gpointer data)
{
  RsDataPanel *self = data;

  self->idle_id = 0;
  emit_changed (self);
  return G_SOURCE_REMOVE;
}

/* A dropdown's choice is handed on once its own emission is over: the
 * change it starts rebuilds the dropdowns' lists, which must not happen
 * under a selection model that is still notifying. */
static void
emit_later (RsDataPanel *self)
{
  update_sensitivity (self);
  if (!self->updating && self->idle_id == 0)
    self->idle_id = g_idle_add (emit_later_cb, self);
}

/* Rebuilding the lists notifies a selection again after the rebuild
 * (GObject holds notifications back during an emission): only a real
 * change of choice counts. */
static void
on_source_selected (GtkDropDown *dropdown, GParamSpec *pspec, RsDataPanel *self)
{
  RsDataSource source = selected_source (self);

  if (source == self->shown)
    return;
  self->shown = source;
  emit_later (self);
}

static void
on_spin_changed (GtkSpinButton *spin, RsDataPanel *self)
{
  emit_changed (self);
}

static void
on_check_toggled (GtkCheckButton *check, RsDataPanel *self)
{
  emit_changed (self);
}

static void
on_label_selected (GtkDropDown *dropdown, GParamSpec *pspec, RsDataPanel *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->label_values == NULL
      || i >= g_strv_length (self->label_values)
      || g_strcmp0 (self->label_values[i], self->label_column) == 0)
    return;
  g_free (self->label_column);
  self->label_column = g_strdup (self->label_values[i]);
  emit_later (self);
}

/* "Breast cancer" for "breast-cancer". */
static char *
source_title (RsDataSource source, const char *file_path)
{
  if (is_file_source (source) && file_path != NULL)
    return g_path_get_basename (file_path);
  char *title = g_strdup (rs_data_source_to_string (source));
  g_strdelimit (title, "-", ' ');
  title[0] = g_ascii_toupper (title[0]);
  return title;
}

/* The shipped sets, then the generators, then the file when there is one. */
static void
fill_sources (RsDataPanel *self)
{
  if (self->sources->len > 0 && g_strcmp0 (self->listed_file, self->file_path) == 0)
    return;
  g_free (self->listed_file);
  self->listed_file = g_strdup (self->file_path);

  GtkStringList *list = gtk_string_list_new (NULL);

  g_array_set_size (self->sources, 0);
  for (int pass = 0; pass < 3; pass++)
    for (RsDataSource s = 0; s <= RS_DATA_IDX; s++)
      {
        gboolean in_pass = pass == 0 ? is_shipped (s)
                         : pass == 1 ? !is_shipped (s) && !is_file_source (s)
                         : s == self->file_source && self->file_path != NULL;
        if (!in_pass)
          continue;
        g_autofree char *title = source_title (s, self->file_path);
        gtk_string_list_append (list, title);
        g_array_append_val (self->sources, s);
      }
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (list));
  g_object_unref (list);
}

static void
select_source (RsDataPanel *self, RsDataSource source)
{
  self->shown = source;
  for (guint i = 0; i < self->sources->len; i++)
    if (g_array_index (self->sources, RsDataSource, i) == source)
      gtk_drop_down_set_selected (self->source_dropdown, i);
}

/* One control per number and switch of [data], from the key table. */
static void
build_params (RsDataPanel *self)
{
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  int row = 0;

  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *key = &keys[i];
      if (key->section != RS_SECTION_DATA)
        continue;
      g_autofree char *title = g_strdup (_(key->label));
      title[0] = g_ascii_toupper (title[0]);

      if (key->type == RS_KEY_BOOL)
        {
          GtkWidget *check = gtk_check_button_new_with_label (title);
          g_object_set_data (G_OBJECT (check), "rs-key", (gpointer) key);
          rs_ui_set_accessible_label (check, title);
          g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
          gtk_grid_attach (self->params_grid, check, 0, row++, 2, 1);
          g_ptr_array_add (self->checks, check);
          continue;
        }
      if (key->type != RS_KEY_INT && key->type != RS_KEY_DOUBLE)
        continue;

      gboolean whole = key->type == RS_KEY_INT;
      double max = isinf (key->max) ? (whole ? OPEN_INT_MAX : OPEN_DOUBLE_MAX) : key->max;
      double step = whole ? 1 : 0.05;
      GtkWidget *spin = gtk_spin_button_new_with_range (key->min, max, step);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), whole ? 0 : 2);
      gtk_widget_set_hexpand (spin, TRUE);
      g_object_set_data (G_OBJECT (spin), "rs-key", (gpointer) key);
      g_autofree char *accessible = g_strdup_printf (_("Data: %s"), _(key->label));
      rs_ui_set_accessible_label (spin, accessible);
      if (key->help != NULL)
        gtk_widget_set_tooltip_text (spin, _(key->help));
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed), self);

      GtkWidget *label = gtk_label_new (title);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (self->params_grid, label, 0, row, 1, 1);
      gtk_grid_attach (self->params_grid, spin, 1, row++, 1, 1);
      g_ptr_array_add (self->spins, spin);
    }
}

static void
rs_data_panel_dispose (GObject *object)
{
  RsDataPanel *self = RS_DATA_PANEL (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_DATA_PANEL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_pointer (&self->sources, g_array_unref);
  g_clear_pointer (&self->spins, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (rs_data_panel_parent_class)->dispose (object);
}

static void
rs_data_panel_finalize (GObject *object)
{
  RsDataPanel *self = RS_DATA_PANEL (object);

  g_free (self->file_path);
  g_free (self->listed_file);
  g_free (self->label_column);
  g_strfreev (self->label_values);

  G_OBJECT_CLASS (rs_data_panel_parent_class)->finalize (object);
}

static void
rs_data_panel_class_init (RsDataPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_data_panel_dispose;
  object_class->finalize = rs_data_panel_finalize;

  /* A data setting changed (rs_data_panel_apply). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-data-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, params_grid);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, csv_box);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, header_label);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, preview_label);
  gtk_widget_class_bind_template_child (widget_class, RsDataPanel, sentence_label);

  gtk_widget_class_set_css_name (widget_class, "datapanel");
}

static void
rs_data_panel_init (RsDataPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sources = g_array_new (FALSE, FALSE, sizeof (RsDataSource));
  self->spins = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();
  self->file_source = RS_DATA_CSV;
  self->label_column = g_strdup ("last");

  self->updating = TRUE;
  build_params (self);
  fill_sources (self);
  self->updating = FALSE;
  g_signal_connect (self->source_dropdown, "notify::selected",
                    G_CALLBACK (on_source_selected), self);
  g_signal_connect (self->label_dropdown, "notify::selected",
                    G_CALLBACK (on_label_selected), self);
}

GtkWidget *
rs_data_panel_new (void)
{
  return g_object_new (RS_TYPE_DATA_PANEL, NULL);
}

void
rs_data_panel_set_experiment (RsDataPanel        *self,
                              const RsExperiment *exp)
{
  g_return_if_fail (RS_IS_DATA_PANEL (self));
  g_return_if_fail (exp != NULL);

  self->updating = TRUE;
  /* The file on offer is the run's: one that was refused is not listed. */
  g_free (self->file_path);
  self->file_path = is_file_source (exp->source) ? g_strdup (exp->csv_path) : NULL;
  if (is_file_source (exp->source))
    self->file_source = exp->source;
  g_free (self->label_column);
  self->label_column = g_strdup (exp->label_column != NULL ? exp->label_column : "last");
  fill_sources (self);
  select_source (self, exp->source);
  for (guint i = 0; i < self->spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
      const RsKey *key = widget_key (spin);
      gtk_spin_button_set_value (spin, rs_key_get_number (key, rs_key_block_const (key, exp, -1)));
    }
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      const RsKey *key = widget_key (check);
      gtk_check_button_set_active (check,
                                   rs_key_get_number (key, rs_key_block_const (key, exp, -1)) != 0);
    }
  update_sensitivity (self);
  self->updating = FALSE;
}

void
rs_data_panel_apply (RsDataPanel  *self,
                     RsExperiment *exp)
{
  g_return_if_fail (RS_IS_DATA_PANEL (self));
  g_return_if_fail (exp != NULL);

  RsDataSource source = selected_source (self);
  exp->source = source;
  if (is_file_source (source))
    {
      g_free (exp->csv_path);
      exp->csv_path = g_strdup (self->file_path);
      g_free (exp->label_column);
      exp->label_column = g_strdup (self->label_column);
    }
  for (guint i = 0; i < self->spins->len; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
      const RsKey *key = widget_key (spin);
      /* The spin button's range is the key's, but its digits round. */
      double v = gtk_spin_button_get_value (spin);
      if (!rs_key_set_number (key, rs_key_block (key, exp, -1), v))
        g_debug ("rs-data-panel: %s refused %g", key->name, v);
    }
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      const RsKey *key = widget_key (check);
      rs_key_set_number (key, rs_key_block (key, exp, -1),
                         gtk_check_button_get_active (check) ? 1 : 0);
    }
  /* What the generators fix themselves. */
  if (rs_data_source_is_2d (source))
    exp->features = 2;
  if (source == RS_DATA_MOONS || source == RS_DATA_XOR)
    exp->classes = 2;
}

void
rs_data_panel_set_csv (RsDataPanel *self,
                       const char  *path)
{
  g_return_if_fail (RS_IS_DATA_PANEL (self));
  g_return_if_fail (path != NULL);

  self->updating = TRUE;
  g_free (self->file_path);
  self->file_path = g_canonicalize_filename (path, NULL);
  self->file_source = RS_DATA_CSV;
  g_free (self->label_column);
  self->label_column = g_strdup ("last");
  fill_sources (self);
  select_source (self, RS_DATA_CSV);
  self->updating = FALSE;
  emit_changed (self);
}

gboolean
rs_data_panel_select_source (RsDataPanel *self,
                             const char  *name)
{
  RsDataSource source;

  g_return_val_if_fail (RS_IS_DATA_PANEL (self), FALSE);

  if (!rs_data_source_from_string (name, &source))
    return FALSE;
  for (guint i = 0; i < self->sources->len; i++)
    if (g_array_index (self->sources, RsDataSource, i) == source)
      {
        /* Not from the dropdown's own emission: the change can be now. */
        self->shown = source;
        gtk_drop_down_set_selected (self->source_dropdown, i);
        emit_changed (self);
        return TRUE;
      }
  return FALSE;
}

/* "6.3, 3.3, 6.0, 2.5, virginica", cut to the sidebar's width. */
static void
append_line (GString *s, char **fields, char separator)
{
  g_autofree char *sep = g_strdup_printf ("%c ", separator);
  g_autofree char *line = g_strjoinv (sep, fields);

  if (s->len > 0)
    g_string_append_c (s, '\n');
  if (g_utf8_strlen (line, -1) > PREVIEW_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, PREVIEW_CHARS - 1);
      g_string_append_printf (s, "%s…", cut);
    }
  else
    g_string_append (s, line);
}

static void
show_csv_info (RsDataPanel     *self,
               const RsCsvInfo *info)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GPtrArray *values = g_ptr_array_new ();

  for (int i = 0; i < info->columns; i++)
    {
      if (i == info->index_column)
        continue;
      g_autofree char *title = NULL;
      if (info->column_names != NULL)
        {
          title = g_strdup_printf (_("%s (column %d)"), info->column_names[i], i + 1);
          g_ptr_array_add (values, g_strdup (info->column_names[i]));
        }
      else
        {
          title = g_strdup_printf (_("Column %d"), i + 1);
          g_ptr_array_add (values, g_strdup_printf ("%d", i + 1));
        }
      gtk_string_list_append (list, title);
    }
  g_ptr_array_add (values, NULL);
  g_strfreev (self->label_values);
  self->label_values = (char **) g_ptr_array_free (values, FALSE);
  gtk_drop_down_set_model (self->label_dropdown, G_LIST_MODEL (list));
  g_object_unref (list);
  int position = info->label_column - (info->index_column >= 0
                                       && info->index_column < info->label_column);
  gtk_drop_down_set_selected (self->label_dropdown, (guint) position);

  const char *header = info->header == RS_CSV_HEADER_NAMES ? _("a header of column names")
                     : info->header == RS_CSV_HEADER_SKLEARN ? _("scikit-learn's header of counts and class names")
                     : _("no header");
  g_autofree char *facts = g_strdup_printf (_("Found %s; separator “%c”."), header,
                                            info->separator);
  if (info->index_column >= 0)
    {
      g_autofree char *more = g_strdup_printf (_("%s Column %d is a pandas index and is left out."),
                                               facts, info->index_column + 1);
      g_free (facts);
      facts = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->header_label, facts);

  GString *preview = g_string_new (NULL);
  if (info->column_names != NULL)
    append_line (preview, info->column_names, info->separator);
  for (int i = 0; i < info->n_rows; i++)
    append_line (preview, info->rows[i], info->separator);
  gtk_label_set_text (self->preview_label, preview->str);
  g_string_free (preview, TRUE);
}

void
rs_data_panel_set_preview (RsDataPanel     *self,
                           const RsCsvInfo *info,
                           const char      *sentence)
{
  g_return_if_fail (RS_IS_DATA_PANEL (self));

  self->updating = TRUE;
  gtk_label_set_text (self->sentence_label, sentence != NULL ? sentence : "");
  if (info != NULL && info->columns > 0)
    show_csv_info (self, info);
  else
    {
      gtk_label_set_text (self->header_label, "");
      gtk_label_set_text (self->preview_label, "");
    }
  self->updating = FALSE;
}

const char *
rs_data_panel_get_sentence (RsDataPanel *self)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return gtk_label_get_text (self->sentence_label);
}

const char *
rs_data_panel_get_preview_text (RsDataPanel *self)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return gtk_label_get_text (self->preview_label);
}

GtkDropDown *
rs_data_panel_get_source_dropdown (RsDataPanel *self)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return self->source_dropdown;
}

GtkDropDown *
rs_data_panel_get_label_dropdown (RsDataPanel *self)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return self->label_dropdown;
}

static gpointer
find_by_key (GPtrArray *widgets, const char *name)
{
  for (guint i = 0; i < widgets->len; i++)
    if (g_str_equal (widget_key (g_ptr_array_index (widgets, i))->name, name))
      return g_ptr_array_index (widgets, i);
  return NULL;
}

GtkSpinButton *
rs_data_panel_get_spin (RsDataPanel *self, const char *key)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return find_by_key (self->spins, key);
}

GtkCheckButton *
rs_data_panel_get_check (RsDataPanel *self, const char *key)
{
  g_return_val_if_fail (RS_IS_DATA_PANEL (self), NULL);
  return find_by_key (self->checks, key);
}
