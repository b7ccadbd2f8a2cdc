/* rs-plot-describe.c — a plot's name and what it shows now, in words.
 *
 * A screen reader cannot read a picture; these sentences carry the
 * numbers a sighted student reads off it: the latest losses, how much of
 * each layer is near zero, how many units are silent, the accuracy. The
 * numbers are the snapshot's, formatted for a person (the locale's
 * decimal mark), never written to a file. */
#include "rs-plot-describe.h"

#include <glib/gi18n.h>
#include <math.h>

static const char *const kind_titles[RS_PLOT_N_KINDS] = {
  [RS_PLOT_DASHBOARD] = N_("Dashboard"),
  [RS_PLOT_LOSS] = N_("Loss curves"),
  [RS_PLOT_HISTOGRAMS] = N_("Weight histograms"),
  [RS_PLOT_HISTOGRAM_TIME] = N_("Weight histograms over time"),
  [RS_PLOT_WEIGHTS] = N_("Weight heatmaps"),
  [RS_PLOT_ACTIVATIONS] = N_("Activation heatmaps"),
  [RS_PLOT_DIGIT_TILES] = N_("First-layer weights as images"),
  [RS_PLOT_BOUNDARY] = N_("Decision boundary"),
  [RS_PLOT_CONFUSION] = N_("Confusion matrix"),
};

const char *
rs_plot_kind_title (RsPlotKind kind)
{
  if ((int) kind < 0 || kind >= RS_PLOT_N_KINDS)
    return NULL;
  return _(kind_titles[kind]);
}

/* ", " between the parts of a sentence. */
static void
append_part (GString *s, const char *part)
{
  if (s->len > 0 && s->str[s->len - 1] != ' ')
    g_string_append (s, ", ");
  g_string_append (s, part);
}

static void
append_step (GString *s, const RsSnapshot *snap)
{
  /* (No G_GINT64_FORMAT inside _(): xgettext cannot read it.) */
  g_autofree char *step = g_strdup_printf (_("step %lld"), (long long) snap->steps_done);
  append_part (s, step);
}

/* A finite number as a part ("validation 0.52"); a macro so the compiler
 * checks each translated format against its value. */
#define append_value(s, format, value) G_STMT_START {                \
    double value_ = (value);                                         \
    if (isfinite (value_))                                           \
      {                                                              \
        g_autofree char *part_ = g_strdup_printf (format, value_);   \
        append_part ((s), part_);                                    \
      }                                                              \
  } G_STMT_END

static void
describe_loss (GString *s, const RsSnapshot *snap)
{
  const RsMetrics *m = &snap->latest;

  /* TRANSLATORS: the start of a screen reader's description of the loss plot */
  g_string_append (s, _("Loss: "));
  if (m->step < 0)
    {
      g_string_append (s, _("no steps yet"));
      return;
    }
  append_value (s, _("total %.3g"), m->loss);
  gboolean penalties = m->l1 != 0.0 || m->l2 != 0.0 || m->activity != 0.0;
  if (penalties)
    append_value (s, _("task %.3g"), m->task_loss);
  if (m->l1 != 0.0)
    append_value (s, _("L1 penalty %.3g"), m->l1);
  if (m->l2 != 0.0)
    append_value (s, _("L2 penalty %.3g"), m->l2);
  if (m->activity != 0.0)
    append_value (s, _("activity penalty %.3g"), m->activity);
  append_value (s, _("validation %.3g"), m->val_loss);
  append_value (s, _("test %.3g"), m->test_loss);
  append_value (s, _("train accuracy %.0f%%"), m->train_acc * 100);
  append_value (s, _("validation accuracy %.0f%%"), m->val_acc * 100);
  append_step (s, snap);
}

/* "fc1 84% near zero, fc2 3% near zero" */
static void
append_near_zero (GString *s, const RsSnapshot *snap)
{
  for (int i = 0; i < snap->n_layers; i++)
    {
      const RsLayerSnapshot *l = &snap->layers[i];
      /* TRANSLATORS: a layer ("fc1") and the share of its weights near 0 */
      g_autofree char *part = g_strdup_printf (_("%s %.0f%% near zero"), l->name,
                                               100 * l->near_zero_fraction);
      append_part (s, part);
    }
}

static void
describe_weights (GString *s, const char *what, const RsSnapshot *snap, gboolean with_step)
{
  g_string_append (s, what);
  g_string_append (s, ": ");
  append_near_zero (s, snap);
  if (with_step)
    append_step (s, snap);
}

static void
describe_activations (GString *s, const RsSnapshot *snap)
{
  g_string_append (s, _("Activations"));
  g_string_append (s, ": ");
  for (int i = 0; i < snap->n_layers; i++)
    {
      const RsLayerSnapshot *l = &snap->layers[i];
      if (l->is_output)
        continue;
      /* TRANSLATORS: a layer ("fc1") and the share of its units that are silent */
      g_autofree char *part = g_strdup_printf (_("%s %.0f%% of units silent"), l->name,
                                               100 * l->dead_unit_fraction);
      append_part (s, part);
    }
  append_step (s, snap);
}

static void
describe_digit_tiles (GString *s, const RsSnapshot *snap)
{
  g_string_append (s, _("First-layer weights as images"));
  g_string_append (s, ": ");
  if (snap->n_layers > 0)
    {
      const RsLayerSnapshot *l = &snap->layers[0];
      g_autofree char *part =
        /* TRANSLATORS: units, image width × height, share of weights near 0 */
        g_strdup_printf (_("%d images of %d×%d, %.0f%% near zero"), l->out, snap->image_w,
                         snap->image_h, 100 * l->near_zero_fraction);
      append_part (s, part);
    }
  append_step (s, snap);
}

static void
append_accuracy (GString *s, const RsSnapshot *snap)
{
  if (snap->latest.step < 0)
    return;
  if (isfinite (snap->latest.val_acc))
    append_value (s, _("validation accuracy %.0f%%"), snap->latest.val_acc * 100);
  else
    append_value (s, _("train accuracy %.0f%%"), snap->latest.train_acc * 100);
}

static void
describe_boundary (GString *s, const RsSnapshot *snap)
{
  g_string_append (s, _("Decision boundary"));
  g_string_append (s, ": ");
  g_autofree char *part = g_strdup_printf (g_dngettext (NULL, "%d class", "%d classes",
                                                        snap->classes), snap->classes);
  append_part (s, part);
  append_accuracy (s, snap);
  append_step (s, snap);
}

static void
describe_confusion (GString *s, const RsSnapshot *snap)
{
  g_string_append (s, _("Confusion matrix"));
  g_string_append (s, ": ");
  if (snap->confusion == NULL || snap->classes < 2)
    {
      g_string_append (s, _("no validation pass yet"));
      return;
    }
  append_accuracy (s, snap);

  /* The most frequent mistake: what a sighted reader sees first. */
  int k = snap->classes, worst_t = -1, worst_p = -1;
  guint32 worst = 0;
  for (int t = 0; t < k; t++)
    for (int p = 0; p < k; p++)
      if (t != p && snap->confusion[t * k + p] > worst)
        {
          worst = snap->confusion[t * k + p];
          worst_t = t;
          worst_p = p;
        }
  if (worst_t >= 0)
    {
      char a[16], b[16];
      g_autofree char *part =
        /* TRANSLATORS: true class, predicted class, how many validation rows */
        g_strdup_printf (_("most often %s taken for %s (%u)"),
                         rs_plot_class_name (snap, worst_t, a, sizeof a),
                         rs_plot_class_name (snap, worst_p, b, sizeof b), worst);
      append_part (s, part);
    }
  else
    append_part (s, _("no mistakes"));
  append_step (s, snap);
}

char *
rs_plot_describe (RsPlotKind kind, const RsSnapshot *snap)
{
  GString *s = g_string_new (NULL);

  if (snap == NULL)
    {
      g_string_append_printf (s, _("%s: nothing trained yet"), rs_plot_kind_title (kind));
      return g_string_free (s, FALSE);
    }

  switch (kind)
    {
    case RS_PLOT_LOSS:
      describe_loss (s, snap);
      break;
    case RS_PLOT_DASHBOARD:
      describe_loss (s, snap);
      if (snap->latest.step >= 0)
        {
          g_string_append (s, "; ");
          describe_weights (s, _("Weights"), snap, FALSE);
        }
      break;
    case RS_PLOT_HISTOGRAMS:
    case RS_PLOT_HISTOGRAM_TIME:
    case RS_PLOT_WEIGHTS:
      describe_weights (s, rs_plot_kind_title (kind), snap, TRUE);
      break;
    case RS_PLOT_ACTIVATIONS:
      describe_activations (s, snap);
      break;
    case RS_PLOT_DIGIT_TILES:
      describe_digit_tiles (s, snap);
      break;
    case RS_PLOT_BOUNDARY:
      describe_boundary (s, snap);
      break;
    case RS_PLOT_CONFUSION:
      describe_confusion (s, snap);
      break;
    case RS_PLOT_N_KINDS:
    default:
      break;
    }
  return g_string_free (s, FALSE);
}
