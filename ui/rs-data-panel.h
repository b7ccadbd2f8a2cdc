/* rs-data-panel.h — the data a lesson trains on, as the window offers to
 * change it: the shipped sets, the 2-D generators and their parameters,
 * a CSV file (its label column, a preview of its first rows), and the
 * split and batch settings. Every value is a [data] key of the key table
 * (rs-keys): its range and its words come from there. */
#pragma once

#include <gtk/gtk.h>

#include "rs-dataset.h"
#include "rs-experiment.h"

G_BEGIN_DECLS

#define RS_TYPE_DATA_PANEL (rs_data_panel_get_type ())
G_DECLARE_FINAL_TYPE (RsDataPanel, rs_data_panel, RS, DATA_PANEL, GtkWidget)

GtkWidget     *rs_data_panel_new (void);

/* Shows the data settings of `exp`, without emitting ::changed. */
void           rs_data_panel_set_experiment (RsDataPanel *self, const RsExperiment *exp);
/* Writes the settings shown into `exp` ([data] keys only). */
void           rs_data_panel_apply (RsDataPanel *self, RsExperiment *exp);
/* A CSV file as the data, its label column the last (emits ::changed). */
void           rs_data_panel_set_csv (RsDataPanel *self, const char *path);

/* What the data hold ("150 rows, 4 features, 3 classes: …") and, for a
 * CSV, what the reader found (info may be NULL). */
void           rs_data_panel_set_preview (RsDataPanel *self, const RsCsvInfo *info,
                                          const char *sentence);
const char    *rs_data_panel_get_sentence (RsDataPanel *self);
/* The preview of a CSV's first rows as shown, or "" without a CSV. */
const char    *rs_data_panel_get_preview_text (RsDataPanel *self);

/* The widgets, for tests that drive them. key: a [data] key's name. */
GtkDropDown   *rs_data_panel_get_source_dropdown (RsDataPanel *self);
GtkDropDown   *rs_data_panel_get_label_dropdown (RsDataPanel *self);
GtkSpinButton *rs_data_panel_get_spin (RsDataPanel *self, const char *key);
GtkCheckButton *rs_data_panel_get_check (RsDataPanel *self, const char *key);
/* Selects a source by its preset word ("iris", "spirals"); FALSE when the
 * list has no such entry. Emits ::changed. */
gboolean       rs_data_panel_select_source (RsDataPanel *self, const char *name);

G_END_DECLS
