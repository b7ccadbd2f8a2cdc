/* rs-snapshot.c — life cycle of the immutable picture the plots draw. */
#include "rs-snapshot.h"

#include <math.h>

RsSnapshot *
rs_snapshot_new_empty (int n_layers)
{
  g_return_val_if_fail (n_layers >= 0, NULL);

  RsSnapshot *snap = g_new0 (RsSnapshot, 1);
  snap->ref_count = 1;
  snap->latest.step = -1;
  snap->early_stop.best_step = snap->early_stop.stopped_step = -1;
  snap->early_stop.best_value = NAN;
  snap->n_layers = n_layers;
  snap->layers = n_layers > 0 ? g_new0 (RsLayerSnapshot, n_layers) : NULL;
  return snap;
}

RsSnapshot *
rs_snapshot_ref (RsSnapshot *snap)
{
  g_return_val_if_fail (snap != NULL, NULL);
  g_atomic_int_inc (&snap->ref_count);
  return snap;
}

static void
layer_clear (RsLayerSnapshot *l)
{
  g_free (l->weight);
  g_free (l->bias);
  rs_histogram_free (l->hist_linear);
  rs_histogram_free (l->hist_log);
  g_free (l->frame_steps);
  g_free (l->frame_counts);
  g_free (l->frame_below);
  g_free (l->activations);
  g_free (l->dropped);
}

void
rs_snapshot_unref (RsSnapshot *snap)
{
  if (snap == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&snap->ref_count))
    return;

  for (int i = 0; i < snap->n_layers; i++)
    layer_clear (&snap->layers[i]);
  g_free (snap->layers);
  g_free (snap->title);
  if (snap->experiment != NULL)
    rs_experiment_free (snap->experiment);
  rs_history_free (snap->history);
  g_free (snap->grid_class);
  g_free (snap->grid_confidence);
  g_free (snap->points);
  g_free (snap->point_class);
  g_free (snap->point_is_val);
  g_strfreev (snap->class_names);
  g_free (snap->confusion);
  g_free (snap->pause_reason);
  g_free (snap);
}
