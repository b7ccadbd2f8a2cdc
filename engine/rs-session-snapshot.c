/* rs-session-snapshot.c — what the plots see of a session: the immutable
 * RsSnapshot, and the decimated histogram-over-time frames. Runs on the
 * thread that owns the session, between steps. */
#include "rs-session.h"
#include "rs-session-private.h"

#include <math.h>
#include <string.h>

#include "rs-loss.h"
#include "rs-regularizer.h"
#include "rs-network.h"


/* Histogram frames per layer, decimated like RsHistory: when full, every
 * other frame is dropped and the recording stride doubles. */
struct _RsFrameStore {
  int      n_layers;
  int      n;                 /* frames held */
  gint64   stride;
  gint64   steps[RS_SNAPSHOT_MAX_FRAMES];
  guint32 *counts[RS_MAX_LAYERS];  /* RS_SNAPSHOT_MAX_FRAMES * bins */
  guint32  below[RS_MAX_LAYERS][RS_SNAPSHOT_MAX_FRAMES];
  RsHistogram *scratch;
};

RsFrameStore *
rs_frame_store_new (void)
{
  RsFrameStore *f = g_new0 (RsFrameStore, 1);
  f->stride = 1;
  f->scratch = rs_histogram_new (RS_SNAPSHOT_HIST_BINS, TRUE, RS_HISTOGRAM_LOG_LO,
                                 RS_HISTOGRAM_LOG_HI);
  return f;
}

void
rs_frame_store_free (RsFrameStore *f)
{
  if (f == NULL)
    return;
  for (int l = 0; l < RS_MAX_LAYERS; l++)
    g_free (f->counts[l]);
  rs_histogram_free (f->scratch);
  g_free (f);
}

void
rs_frame_store_clear (RsFrameStore *f)
{
  f->n = 0;
  f->stride = 1;
}

static void
frame_store_compact (RsFrameStore *f)
{
  int bins = RS_SNAPSHOT_HIST_BINS;
  int kept = 0;
  for (int i = 0; i < f->n; i += 2, kept++)
    {
      f->steps[kept] = f->steps[i];
      for (int l = 0; l < f->n_layers; l++)
        {
          memmove (f->counts[l] + (gsize) kept * bins, f->counts[l] + (gsize) i * bins,
                   bins * sizeof (guint32));
          f->below[l][kept] = f->below[l][i];
        }
    }
  f->n = kept;
  f->stride *= 2;
}

void
rs_frame_store_record (RsFrameStore *f, RsSession *session)
{
  /* A frame is kept when it is at least `stride` steps after the last one.
   * Called after every step (the trainer and the headless loop both do), so
   * the frames depend on the steps alone, never on how fast they ran: at Max
   * speed a whole lesson can finish between two snapshots. Between frames
   * the call is one comparison. */
  gint64 step = rs_session_get_step (session);
  if (f->n > 0 && step < f->steps[f->n - 1] + f->stride)
    return;
  int n_layers = rs_session_n_layers (session);
  if (f->n_layers != n_layers)
    {
      rs_frame_store_clear (f);
      f->n_layers = n_layers;
    }
  if (f->n == RS_SNAPSHOT_MAX_FRAMES)
    {
      frame_store_compact (f);
      if (step < f->steps[f->n - 1] + f->stride)
        return;
    }
  const RsExperiment *exp = rs_session_get_experiment (session);
  for (int l = 0; l < n_layers; l++)
    {
      if (f->counts[l] == NULL)
        f->counts[l] = g_new0 (guint32, (gsize) RS_SNAPSHOT_MAX_FRAMES * RS_SNAPSHOT_HIST_BINS);
      gsize nw = (gsize) exp->sizes[l] * exp->sizes[l + 1];
      rs_histogram_fill (f->scratch, rs_session_layer_weight (session, l), nw);
      memcpy (f->counts[l] + (gsize) f->n * RS_SNAPSHOT_HIST_BINS, f->scratch->counts,
              RS_SNAPSHOT_HIST_BINS * sizeof (guint32));
      f->below[l][f->n] = f->scratch->below;
    }
  f->steps[f->n++] = step;
}


static void
build_boundary (RsSnapshot *snap, RsSession *session)
{
  const RsDataset *train = rs_session_get_train (session);
  const RsDataset *val = rs_session_get_validation (session);
  RsNetwork *net = rs_session_get_network (session);
  int classes = train->classes;

  int n_points = train->n + (val ? val->n : 0);
  snap->n_points = n_points;
  snap->points = g_new (float, (gsize) n_points * 2);
  snap->point_class = g_new (guint8, n_points);
  snap->point_is_val = g_new (gboolean, n_points);
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int i = 0; i < n_points; i++)
    {
      const RsDataset *d = i < train->n ? train : val;
      int r = i < train->n ? i : i - train->n;
      float px = d->x[(gsize) r * 2], py = d->x[(gsize) r * 2 + 1];
      snap->points[2 * i] = px;
      snap->points[2 * i + 1] = py;
      snap->point_class[i] = (guint8) d->y[r];
      snap->point_is_val[i] = i >= train->n;
      x0 = MIN (x0, px); x1 = MAX (x1, px);
      y0 = MIN (y0, py); y1 = MAX (y1, py);
    }
  double mx = 0.1 * (x1 - x0) + 1e-3, my = 0.1 * (y1 - y0) + 1e-3;
  snap->x0 = x0 - mx; snap->x1 = x1 + mx;
  snap->y0 = y0 - my; snap->y1 = y1 + my;
  snap->grid_w = snap->grid_h = RS_SNAPSHOT_GRID;
  int cells = snap->grid_w * snap->grid_h;
  snap->grid_class = g_new (guint8, cells);
  snap->grid_confidence = g_new (float, cells);

  float xy[RS_EVAL_CHUNK * 2];
  for (int c0 = 0; c0 < cells; c0 += RS_EVAL_CHUNK)
    {
      int rows = MIN (RS_EVAL_CHUNK, cells - c0);
      for (int r = 0; r < rows; r++)
        {
          int c = c0 + r, gx = c % snap->grid_w, gy = c / snap->grid_w;
          xy[2 * r] = (float) (snap->x0 + (gx + 0.5) * (snap->x1 - snap->x0) / snap->grid_w);
          xy[2 * r + 1] = (float) (snap->y0 + (gy + 0.5) * (snap->y1 - snap->y0) / snap->grid_h);
        }
      const float *out = rs_network_forward (net, xy, rows);
      for (int r = 0; r < rows; r++)
        {
          const float *row = out + (gsize) r * classes;
          int best = 0;
          for (int j = 1; j < classes; j++)
            if (row[j] > row[best])
              best = j;
          double sum = 0.0;
          for (int j = 0; j < classes; j++)
            sum += exp ((double) row[j] - row[best]);
          snap->grid_class[c0 + r] = (guint8) best;
          snap->grid_confidence[c0 + r] = (float) (1.0 / sum);
        }
    }
}

static void
copy_boundary (RsSnapshot *snap, const RsSnapshot *from)
{
  int cells = from->grid_w * from->grid_h;
  snap->grid_w = from->grid_w;
  snap->grid_h = from->grid_h;
  snap->x0 = from->x0;
  snap->x1 = from->x1;
  snap->y0 = from->y0;
  snap->y1 = from->y1;
  snap->grid_class = g_memdup2 (from->grid_class, cells);
  snap->grid_confidence = g_memdup2 (from->grid_confidence, cells * sizeof (float));
  snap->n_points = from->n_points;
  snap->points = g_memdup2 (from->points, (gsize) from->n_points * 2 * sizeof (float));
  snap->point_class = g_memdup2 (from->point_class, from->n_points);
  snap->point_is_val = g_memdup2 (from->point_is_val, from->n_points * sizeof (gboolean));
}

/* The stored frames of layer l, and the present as the last frame when the
 * store's newest is older (its stride skipped the latest steps), so the
 * plot over time always reaches the step the run is at. ls->hist_log has
 * the frames' bins and edges. */
static void
copy_frames (RsLayerSnapshot *ls, const RsFrameStore *frames, int l, gint64 step)
{
  const int bins = RS_SNAPSHOT_HIST_BINS;
  int n = frames->n;
  gboolean now = frames->steps[n - 1] < step && ls->hist_log != NULL;
  int nf = n + (now ? 1 : 0);
  ls->n_frames = nf;
  ls->frame_steps = g_new (gint64, nf);
  ls->frame_counts = g_new (guint32, (gsize) nf * bins);
  ls->frame_below = g_new (guint32, nf);
  memcpy (ls->frame_steps, frames->steps, n * sizeof (gint64));
  memcpy (ls->frame_counts, frames->counts[l], (gsize) n * bins * sizeof (guint32));
  memcpy (ls->frame_below, frames->below[l], n * sizeof (guint32));
  if (now)
    {
      ls->frame_steps[n] = step;
      memcpy (ls->frame_counts + (gsize) n * bins, ls->hist_log->counts,
              bins * sizeof (guint32));
      ls->frame_below[n] = ls->hist_log->below;
    }
}

/* The last training batch's dropout mask of a hidden layer, copied here
 * (the trainer's step only draws into the network's own buffer). Absent
 * when the layer drops nothing now or no step has drawn one since the
 * start or a reset. */
static void
copy_dropout_mask (RsLayerSnapshot *ls, const RsNetwork *net, const RsLayer *layer,
                   const RsLayerReg *reg, gint64 steps_done)
{
  if (ls->is_output || reg->dropout <= 0.0 || layer->dropout <= 0.0f || layer->keep == NULL
      || steps_done <= 0 || net->dropout_rows <= 0)
    return;
  int rows = MIN (net->dropout_rows, RS_SNAPSHOT_PROBE_ROWS);
  gsize n = (gsize) rows * layer->out;
  ls->mask_rows = rows;
  ls->dropped = g_new (guint8, n);
  for (gsize i = 0; i < n; i++)
    ls->dropped[i] = layer->keep[i] == 0.0f;
}

RsSnapshot *
rs_session_build_snapshot (RsSession *session, const RsHistory *history,
                           const RsFrameStore *frames)
{
  return rs_session_build_snapshot_reusing (session, history, frames, NULL);
}

RsSnapshot *
rs_session_build_snapshot_reusing (RsSession *session, const RsHistory *history,
                                   const RsFrameStore *frames, const RsSnapshot *reuse)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  RsNetwork *net = rs_session_get_network (session);
  const RsDataset *train = rs_session_get_train (session);
  const RsDataset *val = rs_session_get_validation (session);
  double threshold = exp->sparsity_threshold;

  RsSnapshot *snap = rs_snapshot_new_empty (net->n_layers);
  snap->title = g_strdup (exp->title);
  snap->experiment = rs_experiment_copy (exp);
  snap->steps_done = rs_session_get_step (session);
  snap->history = history != NULL ? rs_history_copy (history) : rs_history_new (16);
  memset (&snap->latest, 0, sizeof snap->latest);
  snap->latest.step = -1;
  snap->latest.val_loss = snap->latest.val_acc = NAN;
  snap->latest.test_loss = snap->latest.test_acc = NAN;
  /* The step just taken, even where the history's stride skipped it: the
   * end of a lesson shows its last evaluation, not one a few steps back. */
  const RsMetrics *last = rs_session_get_last_metrics (session);
  if (last != NULL)
    snap->latest = *last;
  else if (history != NULL && history->n > 0)
    snap->latest = history->points[history->n - 1];
  snap->sparsity_threshold = threshold;
  rs_session_get_early_stop (session, &snap->early_stop);
  snap->image_w = train->image_w;
  snap->image_h = train->image_h;
  snap->classes = train->classes;
  snap->class_names = g_strdupv (train->class_names);
  snap->val_rows = val != NULL ? val->n : 0;
  const guint32 *confusion = rs_session_get_val_confusion (session);
  if (confusion != NULL)
    snap->confusion = g_memdup2 (confusion, (gsize) snap->classes * snap->classes
                                            * sizeof (guint32));

  for (int l = 0; l < net->n_layers; l++)
    {
      const RsLayer *layer = &net->layers[l];
      RsLayerSnapshot *ls = &snap->layers[l];
      gsize nw = (gsize) layer->out * layer->in;
      g_snprintf (ls->name, sizeof ls->name, "fc%d", l + 1);
      ls->in = layer->in;
      ls->out = layer->out;
      ls->is_output = l == net->n_layers - 1;
      ls->reg = exp->layer[l];
      ls->weight = g_memdup2 (layer->weight, nw * sizeof (float));
      ls->bias = g_memdup2 (layer->bias, layer->out * sizeof (float));
      double max_abs = rs_stats_max_abs (layer->weight, nw);
      ls->hist_linear = rs_histogram_new (RS_SNAPSHOT_HIST_BINS, FALSE, 0.0,
                                          max_abs > 0 ? max_abs * (1 + 1e-6) : 1.0);
      rs_histogram_fill (ls->hist_linear, layer->weight, nw);
      ls->hist_log = rs_histogram_new (RS_SNAPSHOT_HIST_BINS, TRUE, RS_HISTOGRAM_LOG_LO,
                                       RS_HISTOGRAM_LOG_HI);
      rs_histogram_fill (ls->hist_log, layer->weight, nw);
      ls->near_zero_fraction = rs_stats_fraction_below (layer->weight, nw, threshold);
      ls->weight_l2_norm = rs_stats_l2_norm (layer->weight, nw);

      if (frames != NULL && frames->n > 0 && l < frames->n_layers)
        copy_frames (ls, frames, l, snap->steps_done);
      copy_dropout_mask (ls, net, layer, &exp->layer[l], snap->steps_done);
    }

  /* Probe batch: the first rows of the validation set (or the training
   * set), the same every time, so the activation heatmap is comparable. */
  const RsDataset *probe = val != NULL ? val : train;
  int probe_rows = MIN (RS_SNAPSHOT_PROBE_ROWS, probe->n);
  rs_network_forward (net, probe->x, probe_rows);
  for (int l = 0; l < net->n_layers; l++)
    {
      const RsLayer *layer = &net->layers[l];
      RsLayerSnapshot *ls = &snap->layers[l];
      gsize na = (gsize) probe_rows * layer->out;
      ls->probe_rows = probe_rows;
      ls->activations = g_memdup2 (layer->a, na * sizeof (float));
      ls->dead_unit_fraction = rs_stats_dead_unit_fraction (layer->a, probe_rows,
                                                            layer->out, threshold);
      ls->activation_zero_fraction = rs_stats_fraction_below (layer->a, na, threshold);
      /* The penalty values of the layer at the current parameters, on the
       * probe batch for activity (what a student sees change live). */
      RsPenalty p = { 0 };
      rs_regularizer_layer_params (layer, &exp->layer[l], FALSE, &p);
      rs_regularizer_layer_activity ((RsLayer *) layer, &exp->layer[l], probe_rows, FALSE, &p);
      ls->l1 = p.l1;
      ls->l2 = p.l2;
      ls->activity = p.activity;
    }

  if (train->features == 2 && train->image_w == 0)
    {
      if (reuse != NULL && reuse->grid_w > 0)
        copy_boundary (snap, reuse);
      else
        build_boundary (snap, session);
    }
  return snap;
}
