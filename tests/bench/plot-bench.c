/* plot-bench.c — how long each plot takes to draw at the size the window
 * shows it, on a long noisy run: the render thread's cost per snapshot,
 * and the one frame's cost when a control change draws on the main thread
 * (rs-plot-view.c). See docs/performance-ui.md.
 *
 *   build/tests/bench/plot-bench [--width W] [--height H] [--runs N] [--steps S]
 *
 * The snapshots are the plot fixtures' two classroom runs (digits-like and
 * 2-D), with the history replaced by S steps of a noisy mini-batch loss
 * (the trainer's history keeps 2048-4096 of them, as here). Prints, per
 * plot kind and style, the least and the median wall time of N draws into
 * a W x H image. No targets: a table to read, and to compare before and
 * after a change to a plot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot-fixtures.h"
#include "rs-plot-export.h"
#include "rs-rng.h"

#define TRAINER_HISTORY 4096   /* HISTORY_CAPACITY in engine/rs-trainer.c */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A mini-batch run's history: loss falling with batch noise, L1 switched
 * on a third of the way, validation every 50 steps. */
static void
replace_history (RsSnapshot *snap, gint64 steps)
{
  RsRng rng;
  rs_rng_init (&rng, 7, 0);
  const RsHistory *old = snap->history;
  RsHistory *h = rs_history_new (TRAINER_HISTORY);
  gint64 l1_on = steps / 3;
  double val_loss = NAN, val_acc = NAN;
  for (gint64 s = 0; s < steps; s++)
    {
      double t = (double) s / (double) steps;
      RsMetrics m = { .step = s, .epoch = (int) (s / 40) };
      m.task_loss = 2.1 * exp (-t * 8.0) + 0.25 + 0.08 * fabs (rs_rng_normal (&rng));
      m.l1 = s >= l1_on ? 0.08 + 0.15 * exp (-(t - 1.0 / 3.0) * 10.0) : 0.0;
      m.loss = m.task_loss + m.l1;
      m.train_acc = CLAMP (0.95 - 0.85 * exp (-t * 8.0) + 0.04 * rs_rng_normal (&rng), 0, 1);
      if (s % 50 == 0)
        {
          val_loss = 2.1 * exp (-t * 8.0) + 0.32;
          val_acc = CLAMP (0.92 - 0.82 * exp (-t * 8.0), 0, 1);
        }
      m.val_loss = val_loss;
      m.val_acc = val_acc;
      rs_history_append (h, &m);
      snap->latest = m;
    }
  for (int i = 0; i < old->n_events; i++)
    {
      RsEvent e = old->events[i];
      e.step = e.step * steps / MAX (old->points[old->n - 1].step, 1);
      rs_history_add_event (h, &e);
    }
  rs_history_free (snap->history);
  snap->history = h;
  snap->steps_done = steps;
}

int
main (int argc, char **argv)
{
  int width = 1250, height = 650, runs = 15;
  gint64 steps = 200000;
  GOptionEntry entries[] = {
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Picture width (default 1250: the window's plot area)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Picture height (default 650)", "H" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Draws per plot (default 15)", "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &steps, "Steps of the synthetic run (default 200000)", "S" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— draw time of every plot");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "plot-bench: %s\n", error->message);
      return 2;
    }
  if (width < 16 || height < 16 || width > 8192 || height > 8192 || runs < 1 || steps < 2)
    {
      fprintf (stderr, "plot-bench: sizes 16-8192, at least 1 run and 2 steps\n");
      return 2;
    }

  struct { const char *name; gboolean presentation; } styles[] = {
    { "light", FALSE }, { "presentation", TRUE },
  };
  printf ("plot-bench: %dx%d, %d draws each, %" G_GINT64_FORMAT " steps in history\n",
          width, height, runs, steps);
  printf ("%-6s %-15s %-13s %9s %9s\n", "run", "plot", "style", "least ms", "median ms");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  double *times = g_new (double, runs);
  for (int two_d = 0; two_d <= 1; two_d++)
    {
      RsSnapshot *snap = plot_fixture_realistic (two_d);
      replace_history (snap, steps);
      for (int k = 0; k < RS_PLOT_N_KINDS; k++)
        {
          if (!rs_plot_kind_applies (k, snap))
            continue;
          for (gsize st = 0; st < G_N_ELEMENTS (styles); st++)
            {
              RsPlotStyle style;
              rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, styles[st].presentation);
              for (int r = 0; r < runs; r++)
                {
                  gint64 t0 = g_get_monotonic_time ();
                  cairo_t *cr = cairo_create (surface);
                  rs_plot_draw_kind (cr, k, &style, snap, NULL, width, height);
                  cairo_destroy (cr);
                  cairo_surface_flush (surface);
                  times[r] = (g_get_monotonic_time () - t0) / 1000.0;
                }
              qsort (times, runs, sizeof *times, cmp_double);
              printf ("%-6s %-15s %-13s %9.2f %9.2f\n", two_d ? "2-d" : "digits",
                      rs_plot_kind_to_string (k), styles[st].name, times[0], times[runs / 2]);
            }
        }
      rs_snapshot_unref (snap);
    }
  g_free (times);
  cairo_surface_destroy (surface);
  return 0;
}
