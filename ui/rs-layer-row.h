/* rs-layer-row.h — the controls of one dense layer: L1, L2, weight decay,
 * activity regularization, dropout and max-norm (each a RsLambdaControl; dropout on
 * hidden layers only), whether L1 counts
 * the bias, the activity norm, and the layer's live sparsity. */
#pragma once

#include <gtk/gtk.h>

#include "rs-experiment.h"
#include "rs-snapshot.h"
#include "rs-lambda-control.h"

G_BEGIN_DECLS

typedef enum {
  RS_REG_TERM_L1,
  RS_REG_TERM_L2,
  RS_REG_TERM_WEIGHT_DECAY,
  RS_REG_TERM_ACTIVITY,
  RS_REG_TERM_DROPOUT,
  RS_REG_TERM_MAX_NORM,
  RS_REG_N_TERMS
} RsRegTerm;

#define RS_TYPE_LAYER_ROW (rs_layer_row_get_type ())
G_DECLARE_FINAL_TYPE (RsLayerRow, rs_layer_row, RS, LAYER_ROW, GtkWidget)

GtkWidget       *rs_layer_row_new (void);

/* Shows layer `index` of `exp` (name, shape, lambdas) without emitting
 * ::changed. */
void             rs_layer_row_set_layer (RsLayerRow *self, int index, const RsExperiment *exp);
int              rs_layer_row_get_index (RsLayerRow *self);

/* Every control on two lines, the options one under the other
 * (presentation mode: about half the width). */
void             rs_layer_row_set_compact (RsLayerRow *self, gboolean compact);

/* The regularization the controls describe (emitted as ::changed). */
void             rs_layer_row_get_reg (RsLayerRow *self, RsLayerReg *reg);

/* Live values of the penalty terms and the sparsity, from a snapshot. */
void             rs_layer_row_update (RsLayerRow *self, const RsSnapshot *snap);
/* The share text's lines fitted to a new width or font: once a frame,
 * before the layout (rs_ui_fit_lines_stale). */
void             rs_layer_row_refit (RsLayerRow *self);

/* The widgets, for tests that drive them. */
RsLambdaControl *rs_layer_row_get_control (RsLayerRow *self, RsRegTerm term);
GtkCheckButton  *rs_layer_row_get_l1_bias_button (RsLayerRow *self);
GtkDropDown     *rs_layer_row_get_activity_norm_dropdown (RsLayerRow *self);

G_END_DECLS
