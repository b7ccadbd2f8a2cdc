/* rs-lambda-control.h — one regularization strength: an on/off switch, a
 * logarithmic slider over log10(lambda), an entry for the exact value and
 * the term's current value in the loss. Also used (without the switch) for
 * the learning rate. */
#pragma once

#include <gtk/gtk.h>

#include "rs-keys.h"

G_BEGIN_DECLS

#define RS_TYPE_LAMBDA_CONTROL (rs_lambda_control_get_type ())
G_DECLARE_FINAL_TYPE (RsLambdaControl, rs_lambda_control, RS, LAMBDA_CONTROL, GtkWidget)

GtkWidget  *rs_lambda_control_new (void);

/* The strength in force: the value when switched on (or without a switch),
 * 0 when off. */
double      rs_lambda_control_get_lambda (RsLambdaControl *self);
/* Sets switch and value from a configuration without emitting ::changed.
 * lambda == 0 switches off and keeps the last value for switching on. */
void        rs_lambda_control_set_lambda (RsLambdaControl *self, double lambda);

gboolean    rs_lambda_control_get_active (RsLambdaControl *self);
void        rs_lambda_control_set_active (RsLambdaControl *self, gboolean active);
double      rs_lambda_control_get_value (RsLambdaControl *self);
void        rs_lambda_control_set_value (RsLambdaControl *self, double value);

/* The engine's key this control sets: typed values outside its range are
 * refused (::rejected), and the entry's tooltip states the range. */
void        rs_lambda_control_set_key (RsLambdaControl *self, const RsKey *key);
/* What the term belongs to ("fc1"), for the accessible names of its
 * switch, slider and box: "fc1 L1 on", "fc1 L1 strength", "fc1 L1 value".
 * NULL (the learning rate): the label alone. */
void        rs_lambda_control_set_subject (RsLambdaControl *self, const char *subject);
/* The key given to rs_lambda_control_set_key, or NULL. */
const RsKey *rs_lambda_control_get_key (RsLambdaControl *self);

/* Two lines instead of one, about half as wide (presentation mode). */
void        rs_lambda_control_set_compact (RsLambdaControl *self, gboolean compact);
gboolean    rs_lambda_control_get_compact (RsLambdaControl *self);

/* The live text at the end of the row ("0.0123"), NULL or "" for none. */
void        rs_lambda_control_set_live_text (RsLambdaControl *self, const char *text);

/* What the live value means, on hover. */
void        rs_lambda_control_set_live_tooltip (RsLambdaControl *self, const char *text);

/* The switch, slider, entry and live value, for tests that drive the real
 * widgets. */
GtkSwitch  *rs_lambda_control_get_switch (RsLambdaControl *self);
GtkRange   *rs_lambda_control_get_scale (RsLambdaControl *self);
GtkEntry   *rs_lambda_control_get_entry (RsLambdaControl *self);
GtkInscription *rs_lambda_control_get_live_label (RsLambdaControl *self);

/* "0.005", "1e-05": what the entry shows. */
char       *rs_format_lambda (double value);

G_END_DECLS
