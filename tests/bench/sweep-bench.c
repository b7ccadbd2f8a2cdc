/* sweep-bench.c — a sweep on 1 and on 2 worker threads.
 *
 *   regscope-sweep-bench [--rounds N] [--lesson NAME] [--sweep SPEC] [--steps N]
 *
 * Runs the same sweep (default: l2-spiral, 'fc1.l2=1e-5:1e-1:13', 1500 steps
 * a point) with --jobs 1 and --jobs 2 in turn, N rounds (default 5), and
 * prints each round's wall and CPU time and the best of each. The machine
 * is shared, so runs alternate and the best of several counts. Exit status
 * 1 when the best 2-worker time is above 0.55 of the best 1-worker time
 * (the target for a 2-core machine; 13 equal points on 2 workers
 * cannot go below 7/13 = 0.54).
 *
 * On a shared machine the wall times say more about the neighbours than
 * about the sweep, so it also prints what the load cannot change: each
 * point's CPU time (its worker thread's, from the point's end to the
 * previous one's on that thread), "sched": the 2-worker sweep's longer
 * worker over both workers' CPU time (what the split of the points allows:
 * 7/13 for 13 equal points), and "bound": that longer worker over the
 * 1-worker sweep's CPU time, the ratio two free cores would give (it also
 * counts what a second thread costs in CPU; noisy when the load changes
 * between the runs). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rs-lessons.h"
#include "rs-sweep.h"

#define TARGET 0.55

static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
thread_cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* What the workers report, one call at a time (rs-sweep's report lock). */
typedef struct {
  double  point_cpu[RS_SWEEP_MAX_POINTS];
  double  worker_cpu[2];   /* each worker's points, summed */
  GThread *worker[2];
} Report;

static GPrivate last_cpu = G_PRIVATE_INIT (g_free);

static void
on_point (const RsSweepPoint *point, gpointer data)
{
  Report *r = data;
  double *last = g_private_get (&last_cpu);
  if (last == NULL)
    {
      last = g_new0 (double, 1);
      g_private_set (&last_cpu, last);
    }
  double now = thread_cpu_seconds ();
  r->point_cpu[point->index] = now - *last;
  *last = now;
  int w = r->worker[0] == NULL || r->worker[0] == g_thread_self () ? 0 : 1;
  r->worker[w] = g_thread_self ();
  r->worker_cpu[w] += r->point_cpu[point->index];
}

static double
run_once (const RsExperiment *exp, const RsSweepSpec *spec, int jobs, gint64 steps,
          double *cpu, Report *report)
{
  RsSweepOptions options = { .jobs = jobs, .steps = steps, .unit_layer = -1 };
  g_autoptr (GError) error = NULL;
  double c0 = cpu_seconds ();
  gint64 t0 = g_get_monotonic_time ();
  *report = (Report) { 0 };
  RsSweep *sweep = rs_sweep_start (exp, spec, &options, on_point, report, &error);
  if (sweep == NULL)
    {
      fprintf (stderr, "sweep-bench: %s\n", error->message);
      exit (2);
    }
  rs_sweep_wait (sweep);
  double wall = (g_get_monotonic_time () - t0) * 1e-6;
  *cpu = cpu_seconds () - c0;
  rs_sweep_free (sweep);
  return wall;
}

int
main (int argc, char **argv)
{
  int rounds = 5;
  gint64 steps = 1500;
  g_autofree char *lesson = NULL, *text = NULL;
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of 1 then 2 workers (5)", "N" },
    { "lesson", 0, 0, G_OPTION_ARG_STRING, &lesson, "Lesson (l2-spiral)", "NAME" },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &text, "Sweep (fc1.l2=1e-5:1e-1:13)", "SPEC" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &steps, "Steps a point (1500)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || rounds < 1 || steps < 1)
    {
      fprintf (stderr, "sweep-bench: %s\n", error ? error->message : "bad --rounds or --steps");
      return 2;
    }
  g_autofree char *path = rs_lesson_resolve (lesson ? lesson : "l2-spiral");
  g_autoptr (RsExperiment) exp = path ? rs_experiment_load (path, &error) : NULL;
  RsSweepSpec spec;
  if (exp == NULL
      || !rs_sweep_spec_parse (text ? text : "fc1.l2=1e-5:1e-1:13", exp, &spec, &error))
    {
      fprintf (stderr, "sweep-bench: %s\n", error ? error->message : "no such lesson");
      return 2;
    }

  g_autofree char *desc = rs_sweep_spec_to_string (&spec);
  printf ("%s, %s, %" G_GINT64_FORMAT " steps a point, %u processors\n", exp->title, desc,
          steps, g_get_num_processors ());
  printf ("%-6s %10s %10s %10s %10s %8s %8s %8s\n", "round", "1 job s", "cpu s", "2 jobs s",
          "cpu s", "ratio", "sched", "bound");
  double best[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, best_bound = G_MAXDOUBLE;
  Report report[2];
  for (int r = 0; r < rounds; r++)
    {
      double wall[2], cpu[2];
      for (int j = 0; j < 2; j++)
        {
          /* alternate which goes first, so a slow spell hits both */
          int jobs = (r % 2 == 0) ? j + 1 : 2 - j;
          wall[jobs - 1] = run_once (exp, &spec, jobs, steps, &cpu[jobs - 1], &report[jobs - 1]);
          best[jobs - 1] = MIN (best[jobs - 1], wall[jobs - 1]);
        }
      /* the 2-worker sweep on two free cores: its longer worker */
      double longer = MAX (report[1].worker_cpu[0], report[1].worker_cpu[1]);
      double sched = longer / (report[1].worker_cpu[0] + report[1].worker_cpu[1]);
      double bound = longer / (report[0].worker_cpu[0] + report[0].worker_cpu[1]);
      best_bound = MIN (best_bound, bound);
      printf ("%-6d %10.3f %10.3f %10.3f %10.3f %8.3f %8.3f %8.3f\n", r + 1, wall[0], cpu[0],
              wall[1], cpu[1], wall[1] / wall[0], sched, bound);
    }
  printf ("point cpu s (1 job, last round):");
  for (int i = 0; i < spec.points; i++)
    printf (" %.3f", report[0].point_cpu[i]);
  printf ("\nbest bound (2 workers on two free cores): %.3f\n", best_bound);
  double ratio = best[1] / best[0];
  printf ("best: 1 job %.3f s, 2 jobs %.3f s: ratio %.3f (target <= %.2f) %s\n", best[0],
          best[1], ratio, TARGET, ratio <= TARGET ? "ok" : "MISSED");
  return ratio <= TARGET ? 0 : 1;
}
