/* plot-fixtures.c — synthetic snapshots for the plot tests and gallery. */
#include "plot-fixtures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs-rng.h"
#include "rs-stats.h"

void
plot_fixture_set_layer (RsSnapshot *snap, int i, int in, int out, const float *w,
                        gboolean is_output)
{
  RsLayerSnapshot *l = &snap->layers[i];
  gsize n = (gsize) in * out;
  g_snprintf (l->name, sizeof l->name, "fc%d", i + 1);
  l->in = in;
  l->out = out;
  l->is_output = is_output;
  g_free (l->weight);
  l->weight = w != NULL ? g_memdup2 (w, n * sizeof (float)) : g_new0 (float, n);
  g_free (l->bias);
  l->bias = g_new0 (float, out);

  rs_histogram_free (l->hist_linear);
  rs_histogram_free (l->hist_log);
  double hi = rs_stats_max_abs (l->weight, n);
  l->hist_linear = rs_histogram_new (RS_SNAPSHOT_HIST_BINS, FALSE, 0.0, hi > 0 ? hi : 1.0);
  rs_histogram_fill (l->hist_linear, l->weight, n);
  l->hist_log = rs_histogram_new (RS_SNAPSHOT_HIST_BINS, TRUE, RS_HISTOGRAM_LOG_LO,
                                  RS_HISTOGRAM_LOG_HI);
  rs_histogram_fill (l->hist_log, l->weight, n);
  l->near_zero_fraction = rs_stats_fraction_below (l->weight, n, snap->sparsity_threshold);
  l->weight_l2_norm = rs_stats_l2_norm (l->weight, n);
}

static RsMetrics
small_metrics (gint64 s, gint64 l1_from)
{
  RsMetrics m = { 0 };
  m.step = s;
  m.epoch = (int) (s / 10);
  m.task_loss = 1.0 + 1.0 / (1.0 + s * 0.1);
  m.l1 = s >= l1_from ? 0.25 : 0.0;
  m.loss = m.task_loss + m.l1;
  m.train_acc = 0.5 + 0.4 * s / (s + 20.0);
  m.val_loss = NAN;
  m.val_acc = NAN;
  return m;
}

RsSnapshot *
plot_fixture_small (int steps)
{
  RsSnapshot *snap = rs_snapshot_new_empty (2);
  snap->title = g_strdup ("fixture");
  snap->sparsity_threshold = 1e-3;
  const float w1[12] = {
    0.0f, 0.5f, -1.0f, 0.25f,
    0.0005f, -0.75f, 0.1f, 0.0f,
    1.0f, -0.0001f, 0.6f, -0.3f,
  };
  const float w2[6] = { 0.2f, -0.4f, 0.0f, 0.9f, -0.05f, 0.7f };
  plot_fixture_set_layer (snap, 0, 4, 3, w1, FALSE);
  plot_fixture_set_layer (snap, 1, 3, 2, w2, TRUE);

  snap->history = rs_history_new (256);
  gint64 l1_from = steps / 2;
  for (gint64 s = 0; s < steps; s++)
    {
      RsMetrics m = small_metrics (s, l1_from);
      rs_history_append (snap->history, &m);
      snap->latest = m;
    }
  snap->steps_done = steps;
  if (steps > 0)
    {
      RsEvent e = { .step = l1_from, .layer = 0, .old_value = 0, .new_value = 0.005 };
      g_strlcpy (e.key, "l1", sizeof e.key);
      rs_history_add_event (snap->history, &e);
      snap->layers[0].reg.l1 = 0.005;
    }

  /* probe activations: 3 rows x 3 units, unit 1 silent */
  RsLayerSnapshot *l = &snap->layers[0];
  l->probe_rows = 3;
  const float a[9] = { 0.5f, 0.0f, 1.0f, 0.2f, 0.0f, 0.0f, 0.9f, 0.0f, 0.3f };
  l->activations = g_memdup2 (a, sizeof a);
  l->dead_unit_fraction = 1.0 / 3.0;
  return snap;
}

/* ---- the realistic run ----------------------------------------------- */

static double
gauss (RsRng *rng, double sd)
{
  return rs_rng_normal (rng) * sd;
}

static void
fill_history (RsSnapshot *snap, RsRng *rng, gint64 steps, gint64 l1_on)
{
  snap->history = rs_history_new (512);
  double val_loss = NAN, val_acc = NAN;
  RsMetrics m = { 0 };
  for (gint64 s = 0; s < steps; s++)
    {
      m.step = s;
      m.epoch = (int) (s / 40);
      m.task_loss = 2.3 * exp (-s / 380.0) + 0.22 + 0.05 * exp (-s / 900.0) * fabs (gauss (rng, 1))
                    + (s >= l1_on ? 0.04 * (1 - exp (-(s - l1_on) / 200.0)) : 0);
      /* L1 jumps on, then falls as the weights it penalises shrink */
      m.l1 = s >= l1_on ? 0.10 + 0.22 * exp (-(s - l1_on) / 250.0) : 0.0;
      m.l2 = 0;
      m.activity = 0;
      m.loss = m.task_loss + m.l1;
      m.train_acc = CLAMP (0.97 - 0.87 * exp (-s / 300.0) + gauss (rng, 0.015), 0, 1);
      if (s % 50 == 0)
        {
          val_loss = 2.3 * exp (-s / 380.0) + 0.30 + (s > 1200 ? 0.00004 * (s - 1200) : 0)
                     - (s >= l1_on ? 0.03 * (1 - exp (-(s - l1_on) / 300.0)) : 0);
          val_acc = CLAMP (0.93 - 0.83 * exp (-s / 320.0), 0, 1);
        }
      m.val_loss = val_loss;
      m.val_acc = val_acc;
      rs_history_append (snap->history, &m);
    }
  snap->latest = m;
  snap->steps_done = steps;

  RsEvent e = { .step = l1_on, .layer = 0, .old_value = 0, .new_value = 0.005 };
  g_strlcpy (e.key, "l1", sizeof e.key);
  rs_history_add_event (snap->history, &e);
  RsEvent e2 = { .step = 1400, .layer = 1, .old_value = 0, .new_value = 0.01 };
  g_strlcpy (e2.key, "weight-decay", sizeof e2.key);
  rs_history_add_event (snap->history, &e2);
  RsEvent e3 = { .step = 1450, .layer = -1, .old_value = 0.001, .new_value = 0.0005 };
  g_strlcpy (e3.key, "lr", sizeof e3.key);
  rs_history_add_event (snap->history, &e3);
}

/* fc1 of the digits model: each unit a soft blob (a stroke detector) with
 * the border pixels, which are blank in every digit, carved to zero. */
static float *
digit_weights (RsRng *rng, int out, double threshold)
{
  float *w = g_new0 (float, 64 * out);
  for (int u = 0; u < out; u++)
    {
      double cx = 1.5 + 4 * rs_rng_uniform (rng), cy = 1.5 + 4 * rs_rng_uniform (rng);
      double cx2 = 1.5 + 4 * rs_rng_uniform (rng), cy2 = 1.5 + 4 * rs_rng_uniform (rng);
      for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
          {
            double d1 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            double d2 = (x - cx2) * (x - cx2) + (y - cy2) * (y - cy2);
            double v = 0.45 * exp (-d1 / 3.0) - 0.35 * exp (-d2 / 2.5) + gauss (rng, 0.03);
            if (x == 0 || x == 7 || fabs (v) < 0.04)
              v = 0.0;          /* what L1 drove to exactly zero */
            w[u * 64 + y * 8 + x] = (float) v;
          }
      if (u % 11 == 5)
        for (int k = 0; k < 64; k++)
          w[u * 64 + k] = 0.0f; /* a unit L1 switched off entirely */
    }
  (void) threshold;
  return w;
}

static float *
random_weights (RsRng *rng, int in, int out, double sd, double zero_fraction)
{
  float *w = g_new (float, in * out);
  for (int k = 0; k < in * out; k++)
    w[k] = rs_rng_uniform (rng) < zero_fraction ? 0.0f : (float) gauss (rng, sd);
  return w;
}

/* |w| over time: before L1 a broad log-normal; after it a growing share
 * collapses to exact zero and the rest spreads a little. */
static void
fill_frames (RsLayerSnapshot *l, RsRng *rng, gint64 steps, gint64 l1_on, double zeros_end)
{
  const int nf = 50, bins = RS_SNAPSHOT_HIST_BINS, n = 600;
  l->n_frames = nf;
  l->frame_steps = g_new (gint64, nf);
  l->frame_counts = g_new0 (guint32, nf * bins);
  l->frame_below = g_new0 (guint32, nf);
  RsHistogram *h = rs_histogram_new (bins, TRUE, RS_HISTOGRAM_LOG_LO, RS_HISTOGRAM_LOG_HI);
  float *v = g_new (float, n);
  for (int f = 0; f < nf; f++)
    {
      gint64 s = (steps - 1) * f / (nf - 1);
      l->frame_steps[f] = s;
      double on = s >= l1_on ? 1 - exp (-(s - l1_on) / 250.0) : 0;
      for (int k = 0; k < n; k++)
        {
          double mag = exp (log (0.08) + gauss (rng, 0.9));
          if (rs_rng_uniform (rng) < on * zeros_end)
            mag = rs_rng_uniform (rng) < 0.7 ? 0.0 : mag * exp (-6 * rs_rng_uniform (rng));
          v[k] = (float) mag;
        }
      rs_histogram_fill (h, v, n);
      memcpy (l->frame_counts + f * bins, h->counts, bins * sizeof (guint32));
      l->frame_below[f] = h->below;
    }
  g_free (v);
  rs_histogram_free (h);
}

static void
fill_activations (RsSnapshot *snap, RsRng *rng, int layer, int dead_every)
{
  RsLayerSnapshot *l = &snap->layers[layer];
  int rows = 48;
  l->probe_rows = rows;
  l->activations = g_new (float, rows * l->out);
  for (int r = 0; r < rows; r++)
    for (int u = 0; u < l->out; u++)
      {
        double a = l->is_output ? gauss (rng, 2.0) : MAX (0.0, gauss (rng, 1.0) + 0.2 * (u % 3));
        if (!l->is_output && dead_every > 0 && u % dead_every == 2)
          a = 0.0;
        l->activations[r * l->out + u] = (float) a;
      }
  l->dead_unit_fraction = rs_stats_dead_unit_fraction (l->activations, rows, l->out,
                                                       snap->sparsity_threshold);
  l->activation_zero_fraction = rs_stats_fraction_below (l->activations,
                                                         (gsize) rows * l->out,
                                                         snap->sparsity_threshold);
}

static void
fill_boundary (RsSnapshot *snap, RsRng *rng)
{
  const int g = RS_SNAPSHOT_GRID, classes = 3;
  snap->grid_w = snap->grid_h = g;
  snap->x0 = -1.6, snap->x1 = 1.6, snap->y0 = -1.6, snap->y1 = 1.6;
  snap->classes = classes;
  snap->grid_class = g_new (guint8, g * g);
  snap->grid_confidence = g_new (float, g * g);
  for (int j = 0; j < g; j++)
    for (int i = 0; i < g; i++)
      {
        double x = snap->x0 + (i + 0.5) * (snap->x1 - snap->x0) / g;
        double y = snap->y0 + (j + 0.5) * (snap->y1 - snap->y0) / g;
        double r = hypot (x, y), th = atan2 (y, x);
        double u = (th - 3.2 * r) / (2 * G_PI / classes);
        double k = u - floor (u / classes) * classes;
        int c = (int) floor (k) % classes;
        double edge = fabs (k - floor (k) - 0.5) * 2;   /* 1 mid-region, 0 at a border */
        snap->grid_class[j * g + i] = (guint8) c;
        snap->grid_confidence[j * g + i] = (float) (1.0 / classes + (1 - 1.0 / classes)
                                                    * pow (1 - edge, 0.5) * MIN (1, 0.4 + r));
      }
  int n = 240;
  snap->n_points = n;
  snap->points = g_new (float, 2 * n);
  snap->point_class = g_new (guint8, n);
  snap->point_is_val = g_new (gboolean, n);
  for (int p = 0; p < n; p++)
    {
      int c = p % classes;
      double t = rs_rng_uniform (rng);
      double r = 0.1 + 1.3 * t;
      double th = 3.2 * r + c * 2 * G_PI / classes + 0.5 * (2 * G_PI / classes)
                  + gauss (rng, 0.08);
      snap->points[2 * p] = (float) (r * cos (th));
      snap->points[2 * p + 1] = (float) (r * sin (th));
      snap->point_class[p] = (guint8) c;
      snap->point_is_val[p] = p >= n * 3 / 4;
    }
}

/* A validation set of `per_class` rows a class, mostly right, the misses
 * landing on the next class or scattered. */
static void
fill_confusion (RsSnapshot *snap, RsRng *rng, int classes, int per_class)
{
  snap->classes = classes;
  snap->val_rows = classes * per_class;
  snap->confusion = g_new0 (guint32, classes * classes);
  for (int t = 0; t < classes; t++)
    for (int r = 0; r < per_class; r++)
      {
        double u = rs_rng_uniform (rng);
        int p = u < 0.85 ? t : u < 0.95 ? (t + 1) % classes
              : (int) (rs_rng_uniform (rng) * classes) % classes;
        snap->confusion[t * classes + p]++;
      }
}

RsSnapshot *
plot_fixture_realistic (gboolean two_d)
{
  RsRng rng;
  rs_rng_init (&rng, two_d ? 7 : 3, 1);
  const gint64 steps = 2000, l1_on = 800;
  const int in = two_d ? 2 : 64, h1 = 32, h2 = 16, out = two_d ? 3 : 10;

  RsSnapshot *snap = rs_snapshot_new_empty (3);
  snap->title = g_strdup (two_d ? "Lesson 4 · L1 on fc1, spirals"
                                : "Lesson 3 · L1 on fc1 carves the digit tiles");
  snap->sparsity_threshold = 1e-3;

  float *w1 = two_d ? random_weights (&rng, in, h1, 0.8, 0.3)
                    : digit_weights (&rng, h1, snap->sparsity_threshold);
  float *w2 = random_weights (&rng, h1, h2, 0.25, 0.15);
  float *w3 = random_weights (&rng, h2, out, 0.35, 0.0);
  plot_fixture_set_layer (snap, 0, in, h1, w1, FALSE);
  plot_fixture_set_layer (snap, 1, h1, h2, w2, FALSE);
  plot_fixture_set_layer (snap, 2, h2, out, w3, TRUE);
  g_free (w1);
  g_free (w2);
  g_free (w3);
  snap->layers[0].reg.l1 = 0.005;
  snap->layers[1].reg.weight_decay = 0.01;

  fill_history (snap, &rng, steps, l1_on);
  fill_frames (&snap->layers[0], &rng, steps, l1_on, 0.45);
  fill_frames (&snap->layers[1], &rng, steps, l1_on, 0.1);
  fill_frames (&snap->layers[2], &rng, steps, l1_on, 0.0);
  fill_activations (snap, &rng, 0, 7);
  fill_activations (snap, &rng, 1, 6);
  fill_activations (snap, &rng, 2, 0);
  snap->layers[0].l1 = snap->latest.l1;

  if (two_d)
    fill_boundary (snap, &rng);
  else
    snap->image_w = snap->image_h = 8;
  fill_confusion (snap, &rng, out, two_d ? 30 : 36);
  return snap;
}

RsSnapshot *
plot_fixture_baseline (const RsSnapshot *like, int steps)
{
  int n_layers = like != NULL ? like->n_layers : 0;
  RsSnapshot *b = rs_snapshot_new_empty (n_layers);
  b->title = g_strdup ("baseline");
  b->sparsity_threshold = like != NULL ? like->sparsity_threshold : 1e-3;
  b->latest.step = -1;
  b->history = rs_history_new (512);
  for (gint64 s = 0; s < steps; s++)
    {
      RsMetrics m = { 0 };
      m.step = s;
      m.task_loss = 2.3 * exp (-s / 450.0) + 0.2;
      m.loss = m.task_loss;
      m.val_loss = 2.3 * exp (-s / 450.0) + 0.33 + (s > 1000 ? 0.00012 * (s - 1000) : 0);
      m.train_acc = 0.98 - 0.88 * exp (-s / 350.0);
      m.val_acc = 0.90 - 0.8 * exp (-s / 350.0);
      rs_history_append (b->history, &m);
      b->latest = m;
    }
  b->steps_done = steps;

  /* the same layers, dense and larger: an unregularized run */
  for (int i = 0; i < n_layers; i++)
    {
      const RsLayerSnapshot *l = &like->layers[i];
      gsize n = (gsize) l->in * l->out;
      float *w = g_new (float, n);
      for (gsize k = 0; k < n; k++)
        {
          float v = l->weight != NULL ? l->weight[k] : 0.0f;
          w[k] = fabsf (v) < 1e-3f ? 0.02f * (float) (1 + k % 7) : 1.5f * v;
        }
      plot_fixture_set_layer (b, i, l->in, l->out, w, l->is_output);
      g_free (w);
    }

  /* its decision boundary: the current one turned by an eighth of the grid */
  if (like != NULL && like->grid_class != NULL)
    {
      int g = like->grid_w, gh = like->grid_h;
      b->grid_w = g, b->grid_h = gh;
      b->x0 = like->x0, b->x1 = like->x1, b->y0 = like->y0, b->y1 = like->y1;
      b->classes = like->classes;
      b->grid_class = g_new (guint8, (gsize) g * gh);
      for (int j = 0; j < gh; j++)
        for (int i = 0; i < g; i++)
          b->grid_class[(gsize) j * g + i] = like->grid_class[(gsize) j * g + (i + g / 8) % g];
    }
  return b;
}

guint32
plot_pixel (cairo_surface_t *s, double x, double y)
{
  cairo_surface_flush (s);
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int ix = CLAMP ((int) floor (x), 0, w - 1), iy = CLAMP ((int) floor (y), 0, h - 1);
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  return *(const guint32 *) (data + (gsize) iy * stride + (gsize) ix * 4);
}

gboolean
plot_pixel_is (guint32 px, const RsColor *c, int tol)
{
  int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff, a = px >> 24;
  return a == 255 && abs (r - (int) lround (c->r * 255)) <= tol
         && abs (g - (int) lround (c->g * 255)) <= tol
         && abs (b - (int) lround (c->b * 255)) <= tol;
}

int
count_colour (cairo_surface_t *s, const RsPlotRect *r, const RsColor *c, int tol)
{
  int n = 0;
  for (int y = (int) ceil (r->y); y < (int) floor (r->y + r->h); y++)
    for (int x = (int) ceil (r->x); x < (int) floor (r->x + r->w); x++)
      n += plot_pixel_is (plot_pixel (s, x, y), c, tol);
  return n;
}

void
plot_canvas_init (PlotCanvas *f, int width, int height, RsPlotTheme theme, int steps)
{
  f->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  f->cr = cairo_create (f->surface);
  rs_plot_style_init (&f->style, theme, FALSE);
  f->snap = plot_fixture_small (steps);
}

void
plot_canvas_clear (PlotCanvas *f, gconstpointer data)
{
  rs_snapshot_unref (f->snap);
  cairo_destroy (f->cr);
  cairo_surface_destroy (f->surface);
}
