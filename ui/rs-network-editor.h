/* rs-network-editor.h — the network as the window offers to change it:
 * its hidden layers (add, remove, widths), the activation and the loss.
 * The input and output widths follow the data; the window sets them. The
 * words and ranges come from the [model] keys of the key table. */
#pragma once

#include <gtk/gtk.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

#define RS_TYPE_NETWORK_EDITOR (rs_network_editor_get_type ())
G_DECLARE_FINAL_TYPE (RsNetworkEditor, rs_network_editor, RS, NETWORK_EDITOR, GtkWidget)

GtkWidget     *rs_network_editor_new (void);

/* Shows the model of `exp`, without emitting ::changed. */
void           rs_network_editor_set_experiment (RsNetworkEditor *self, const RsExperiment *exp);
/* Writes the hidden layers, activation and loss shown into `exp`; its
 * input width stays, its output width moves to the new last layer, and a
 * layer that is new gets no regularization. */
void           rs_network_editor_apply (RsNetworkEditor *self, RsExperiment *exp);

int            rs_network_editor_get_n_hidden (RsNetworkEditor *self);
/* Emit ::changed. */
void           rs_network_editor_add_layer (RsNetworkEditor *self);
void           rs_network_editor_remove_layer (RsNetworkEditor *self, int hidden);

/* The widgets, for tests that drive them. */
GtkSpinButton *rs_network_editor_get_width_spin (RsNetworkEditor *self, int hidden);
GtkButton     *rs_network_editor_get_remove_button (RsNetworkEditor *self, int hidden);
GtkDropDown   *rs_network_editor_get_activation_dropdown (RsNetworkEditor *self);
GtkDropDown   *rs_network_editor_get_loss_dropdown (RsNetworkEditor *self);

G_END_DECLS
