/* rs-status-line.c — a text summary of the newest snapshot. */
#include "rs-status-line.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rs-ui.h"

struct _RsStatusLine
{
  GtkWidget parent_instance;

  GtkLabel       *state_label;
  GtkInscription *metrics_label;
  GtkLabel       *reason_label;

  RsTrainerState state;
  gboolean       cut_off;      /* the metrics do not fit in their lines */
};

G_DEFINE_FINAL_TYPE (RsStatusLine, rs_status_line, GTK_TYPE_WIDGET)

/* The metrics in one line where they fit, else two (a 1024 px projector),
 * then "…" */
#define METRICS_MAX_LINES 2

static void
set_metrics_text (RsStatusLine *self,
                  const char   *text)
{
  if (rs_ui_set_live_text (self->metrics_label, text))
    self->cut_off = rs_ui_fit_lines (self->metrics_label, METRICS_MAX_LINES);
}

static void
rs_status_line_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  RsStatusLine *self = RS_STATUS_LINE (widget);

  /* another font (presentation mode): fitted again at the next frame */
  rs_ui_fit_lines_invalidate (self->metrics_label);
  GTK_WIDGET_CLASS (rs_status_line_parent_class)->css_changed (widget, change);
}

void
rs_status_line_refit (RsStatusLine *self)
{
  g_return_if_fail (RS_IS_STATUS_LINE (self));

  if (rs_ui_fit_lines_stale (self->metrics_label))
    self->cut_off = rs_ui_fit_lines (self->metrics_label, METRICS_MAX_LINES);
}

static void
rs_status_line_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_STATUS_LINE);
  /* Children the template does not bind (boxes around the bound ones). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_status_line_parent_class)->dispose (object);
}

static void
rs_status_line_class_init (RsStatusLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_status_line_dispose;
  widget_class->css_changed = rs_status_line_css_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-status-line.ui");
  gtk_widget_class_bind_template_child (widget_class, RsStatusLine, state_label);
  gtk_widget_class_bind_template_child (widget_class, RsStatusLine, metrics_label);
  gtk_widget_class_bind_template_child (widget_class, RsStatusLine, reason_label);

  gtk_widget_class_set_css_name (widget_class, "statusline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
rs_status_line_init (RsStatusLine *self)
{
  self->state = RS_TRAINER_PAUSED;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_status_line_new (void)
{
  return g_object_new (RS_TYPE_STATUS_LINE, NULL);
}

static const char *
state_text (RsTrainerState state)
{
  switch (state)
    {
    case RS_TRAINER_RUNNING:  return _("Training");
    case RS_TRAINER_FINISHED: return _("Finished");
    case RS_TRAINER_DIVERGED: return _("Diverged");
    case RS_TRAINER_PAUSED:
    default:                  return _("Paused");
    }
}

static const char *state_classes[] = { "paused", "running", "finished", "diverged" };

static void
set_state (RsStatusLine   *self,
           RsTrainerState  state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
  if ((guint) state < G_N_ELEMENTS (state_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[state]);
  gtk_label_set_text (self->state_label, state_text (state));
  self->state = state;
}

void
rs_status_line_update (RsStatusLine     *self,
                       const RsSnapshot *snap,
                       RsTrainerState    state,
                       gint64            total_steps)
{
  g_return_if_fail (RS_IS_STATUS_LINE (self));

  set_state (self, state);

  if (snap == NULL || snap->latest.step < 0)
    {
      set_metrics_text (self, _("Step 0 — press Play (Space) or Step (N) to start training"));
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
      return;
    }

  const RsMetrics *m = &snap->latest;
  GString *s = g_string_new (NULL);

  /* Numbers as the locale writes them ("loss 0,4127", "step 12.000" in
   * German: the ' flag groups the digits; this text is for people only). */
  g_string_append_printf (s, _("Step %'lld"), (long long) snap->steps_done);
  /* "of N" while inside the lesson; Play continues past its end. */
  if (total_steps > 0 && snap->steps_done <= total_steps)
    g_string_append_printf (s, "/%'lld", (long long) total_steps);
  g_string_append_printf (s, _(" · epoch %d"), m->epoch + 1);
  g_string_append_printf (s, _(" · loss %.4f · task %.4f"), m->loss, m->task_loss);
  /* Only the penalties that act, so the sum is easy to check by eye. */
  if (m->l1 != 0.0)
    g_string_append_printf (s, " · L1 %.4f", m->l1);
  if (m->l2 != 0.0)
    g_string_append_printf (s, " · L2 %.4f", m->l2);
  if (m->activity != 0.0)
    g_string_append_printf (s, _(" · activity %.4f"), m->activity);
  if (isfinite (m->train_acc))
    g_string_append_printf (s, _(" · train acc %.1f%%"), 100.0 * m->train_acc);
  if (isfinite (m->val_loss))
    g_string_append_printf (s, _(" · val loss %.4f"), m->val_loss);
  if (isfinite (m->val_acc))
    g_string_append_printf (s, _(" · val acc %.1f%%"), 100.0 * m->val_acc);
  if (isfinite (m->test_acc))
    g_string_append_printf (s, _(" · test acc %.1f%%"), 100.0 * m->test_acc);

  set_metrics_text (self, s->str);
  /* The words, on hover; the numbers too where the line has to cut them
   * off (a narrow projector). Not otherwise: setting a tooltip costs round
   * trips to the X server, and the numbers change with every snapshot. */
  if (self->cut_off)
    g_string_append (s, "\n\n");
  else
    g_string_truncate (s, 0);
  g_string_append (s, _("loss: what the optimizer minimises, the task loss plus the "
                        "penalties that are on (L1, L2, activity; weight decay acts in the optimizer "
                        "and is not part of it).\n"
                        "task: the task loss, how wrong the predictions are on this batch "
                        "(cross-entropy of the logits against the labels, or MSE).\n"
                        "train acc: the share of this batch classified right.\n"
                        "val loss, val acc: the same on the validation data, held out from training: "
                        "a gap to the training numbers is over-fitting.\n"
                        "epoch: one pass over the training data."));
  rs_ui_set_tooltip_text (GTK_WIDGET (self->metrics_label), s->str);
  g_string_free (s, TRUE);

  gboolean show_reason = snap->pause_reason != NULL && *snap->pause_reason != '\0'
                         && state != RS_TRAINER_RUNNING;
  if (show_reason)
    {
      gtk_label_set_text (self->reason_label, snap->pause_reason);
      rs_ui_set_tooltip_text (GTK_WIDGET (self->reason_label), snap->pause_reason);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), show_reason);
}

const char *
rs_status_line_get_state_text (RsStatusLine *self)
{
  g_return_val_if_fail (RS_IS_STATUS_LINE (self), NULL);

  return gtk_label_get_text (self->state_label);
}

const char *
rs_status_line_get_metrics_text (RsStatusLine *self)
{
  g_return_val_if_fail (RS_IS_STATUS_LINE (self), NULL);

  return gtk_inscription_get_text (self->metrics_label);
}

const char *
rs_status_line_get_reason_text (RsStatusLine *self)
{
  g_return_val_if_fail (RS_IS_STATUS_LINE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->reason_label)))
    return NULL;
  return gtk_label_get_text (self->reason_label);
}
