/* rs-status-line.h — the line under the plots: the trainer's state, the
 * step and epoch, the losses and accuracies, and why training paused
 * itself when it did. */
#pragma once

#include <gtk/gtk.h>

#include "rs-snapshot.h"
#include "rs-trainer.h"

G_BEGIN_DECLS

#define RS_TYPE_STATUS_LINE (rs_status_line_get_type ())
G_DECLARE_FINAL_TYPE (RsStatusLine, rs_status_line, RS, STATUS_LINE, GtkWidget)

GtkWidget  *rs_status_line_new (void);

/* total_steps: the lesson's length (0 when unknown). */
void        rs_status_line_update (RsStatusLine *self, const RsSnapshot *snap,
                                   RsTrainerState state, gint64 total_steps);

/* The texts shown, for tests. */
/* The metrics take one line, or two where one is too narrow: call once a
 * frame (before the layout) so a new width or font gets its lines. */
void        rs_status_line_refit (RsStatusLine *self);
const char *rs_status_line_get_state_text (RsStatusLine *self);
const char *rs_status_line_get_metrics_text (RsStatusLine *self);
/* Why training paused itself, or NULL when it did not. */
const char *rs_status_line_get_reason_text (RsStatusLine *self);

G_END_DECLS
