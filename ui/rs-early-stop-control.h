/* rs-early-stop-control.h — the sidebar's early stopping: on/off, the
 * patience, the metric it watches, whether it stops training and whether
 * the best weights come back where training ends. The [early-stopping]
 * keys, each a live control of the trainer. */
#pragma once

#include <gtk/gtk.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

#define RS_TYPE_EARLY_STOP_CONTROL (rs_early_stop_control_get_type ())
G_DECLARE_FINAL_TYPE (RsEarlyStopControl, rs_early_stop_control, RS, EARLY_STOP_CONTROL,
                      GtkWidget)

/* The patience switching on gives when no lesson has set one: validation
 * passes, so 20 steps with a pass every step. */
#define RS_EARLY_STOP_DEFAULT_PATIENCE 20

GtkWidget  *rs_early_stop_control_new (void);

/* Shows es without emitting ::changed. A patience of 0 switches off and
 * keeps the last patience for switching on. */
void        rs_early_stop_control_set (RsEarlyStopControl *self, const RsEarlyStopping *es);
/* What the controls say: metric, patience (0 when off), restore, stop;
 * es->restores (the presses of Restore Best) is left alone. */
void        rs_early_stop_control_get (RsEarlyStopControl *self, RsEarlyStopping *es);
gboolean    rs_early_stop_control_get_active (RsEarlyStopControl *self);

/* Narrow (presentation mode): the metric goes below its name. */
void        rs_early_stop_control_set_compact (RsEarlyStopControl *self, gboolean compact);

/* The parts, for tests that drive the real widgets. */
GtkSwitch      *rs_early_stop_control_get_switch (RsEarlyStopControl *self);
GtkSpinButton  *rs_early_stop_control_get_patience (RsEarlyStopControl *self);
GtkDropDown    *rs_early_stop_control_get_metric (RsEarlyStopControl *self);
GtkCheckButton *rs_early_stop_control_get_stop (RsEarlyStopControl *self);
GtkCheckButton *rs_early_stop_control_get_restore (RsEarlyStopControl *self);

G_END_DECLS
