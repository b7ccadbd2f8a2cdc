/* rs-lesson-info.c — the head of the sidebar. */
#include "rs-lesson-info.h"

#include <glib/gi18n.h>

#include "rs-dataset.h"
#include "rs-ui.h"

struct _RsLessonInfo
{
  GtkWidget parent_instance;

  GtkLabel *title_label;
  GtkLabel *description_label;
  GtkLabel *summary_label;
  gboolean  compact;
};

G_DEFINE_FINAL_TYPE (RsLessonInfo, rs_lesson_info, GTK_TYPE_WIDGET)

static void
rs_lesson_info_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_LESSON_INFO);
  /* Children the template does not bind (boxes around the bound ones). */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_lesson_info_parent_class)->dispose (object);
}

static void
rs_lesson_info_class_init (RsLessonInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_lesson_info_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-lesson-info.ui");
  gtk_widget_class_bind_template_child (widget_class, RsLessonInfo, title_label);
  gtk_widget_class_bind_template_child (widget_class, RsLessonInfo, description_label);
  gtk_widget_class_bind_template_child (widget_class, RsLessonInfo, summary_label);

  gtk_widget_class_set_css_name (widget_class, "lessoninfo");
}

static void
rs_lesson_info_init (RsLessonInfo *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rs_lesson_info_new (void)
{
  return g_object_new (RS_TYPE_LESSON_INFO, NULL);
}

static const char *
activation_name (RsActivation activation)
{
  switch (activation)
    {
    case RS_ACT_RELU:    return "ReLU";
    case RS_ACT_TANH:    return "tanh";
    case RS_ACT_SIGMOID: return _("sigmoid");
    case RS_ACT_LINEAR:  return _("linear");
    default:             return "?";
    }
}

static const char *
optimizer_name (RsOptimizerKind kind)
{
  switch (kind)
    {
    case RS_OPT_SGD:   return "SGD";
    case RS_OPT_ADAM:  return "Adam";
    case RS_OPT_ADAMW: return "AdamW";
    default:           return "?";
    }
}

void
rs_lesson_append_data_name (GString *s, const RsExperiment *exp)
{
  if ((exp->source == RS_DATA_CSV || exp->source == RS_DATA_IDX) && exp->csv_path != NULL)
    {
      g_autofree char *base = g_path_get_basename (exp->csv_path);
      g_string_append (s, base);
    }
  else
    g_string_append (s, rs_data_source_to_string (exp->source));
}

void
rs_lesson_append_sizes (GString *s, const RsExperiment *exp)
{
  for (int i = 0; i <= exp->n_layers; i++)
    g_string_append_printf (s, i == 0 ? "%d" : "-%d", exp->sizes[i]);
}

char *
rs_lesson_summary (const RsExperiment *exp,
                   int                 n_train,
                   int                 n_val)
{
  g_return_val_if_fail (exp != NULL, NULL);

  GString *s = g_string_new (NULL);

  /* data (counts grouped as the locale groups them: "1.797" in German) */
  rs_lesson_append_data_name (s, exp);
  if (n_val > 0)
    g_string_append_printf (s, _(" · %'d samples (%'d train / %'d val)"),
                            n_train + n_val, n_train, n_val);
  else
    g_string_append_printf (s, _(" · %'d samples"), n_train);

  /* model */
  g_string_append (s, " · ");
  rs_lesson_append_sizes (s, exp);
  g_string_append_printf (s, " %s", activation_name (exp->activation));

  /* training */
  g_string_append_printf (s, _(" · %s lr %g"), optimizer_name (exp->optimizer.kind),
                          exp->optimizer.lr);
  if (exp->batch_size > 0)
    g_string_append_printf (s, _(" · batch %d"), exp->batch_size);
  else
    g_string_append (s, _(" · full batch"));
  if (exp->steps > 0)
    g_string_append_printf (s, ngettext (" · %'lld step", " · %'lld steps", exp->steps),
                            (long long) exp->steps);
  else
    g_string_append_printf (s, ngettext (" · %d epoch", " · %d epochs", exp->epochs),
                            exp->epochs);

  return g_string_free (s, FALSE);
}

void
rs_lesson_info_set (RsLessonInfo       *self,
                    const RsExperiment *exp,
                    const char         *summary)
{
  g_return_if_fail (RS_IS_LESSON_INFO (self));
  g_return_if_fail (exp != NULL);

  const char *title = exp->title != NULL && *exp->title != '\0' ? exp->title : _("Untitled lesson");
  const char *description = exp->description != NULL ? exp->description : "";

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), *description != '\0');
  gtk_label_set_text (self->summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label),
                          !self->compact && summary != NULL && *summary != '\0');
}

void
rs_lesson_info_set_compact (RsLessonInfo *self,
                            gboolean      compact)
{
  g_return_if_fail (RS_IS_LESSON_INFO (self));

  /* The whole text in either layout: the window moves it below the layer
   * rows on a projector instead of cutting the instruction it gives. */
  self->compact = compact;
  /* the data-and-model line is for the teacher's desk, not the class */
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label),
                          !compact && *gtk_label_get_text (self->summary_label) != '\0');
}
