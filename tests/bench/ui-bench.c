/* ui-bench.c — the window's speed while a lesson trains at full speed:
 * frame times per plot page, how long a lambda change takes to reach the
 * screen, and resident memory over a long run. See docs/performance-ui.md.
 *
 *   xvfb-run -a -s '-screen 0 1400x900x24' env GDK_BACKEND=x11 GSK_RENDERER=cairo \
 *     NO_AT_BRIDGE=1 dbus-run-session build-gui/ui/ui-bench
 *
 * Everything is timed from the window's GdkFrameClock: "before-paint" and
 * "after-paint" bracket one frame (update = the tick: snapshot pick-up;
 * layout; paint = the widgets' render nodes and the renderer). The target
 * is judged on the interval between the clock's frame times; the frames'
 * real start times and the work per frame are printed next to it. No
 * sleeps: every wait iterates the main context, so the window keeps
 * drawing throughout. Exit status: 0 every target holds, 1 one is missed,
 * 2 could not run.
 *
 * --sweep: the same while the window runs a sweep (the Sweep page, on the
 * cores less one): frames of the loss page and of the Sweep page as its
 * points arrive, and the lambda latency of the main run.
 *
 * --startup N: instead, N fresh `regscope`-like processes (this program
 * re-run with --startup-child: RsApplication opening the default lesson,
 * as `regscope` does), each timed from just before it is spawned, and from
 * its main(), to the "after-paint" of the first frame in which every plot
 * view on screen shows a drawn picture. */
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs-application.h"
#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "rs-lessons.h"
#include "rs-plot-view.h"
#include "rs-sweep-page.h"
#include "rs-window.h"

#define WIDTH                1280
#define HEIGHT               800
#define TARGET_INTERVAL_MS   16.7
#define TARGET_LATENCY_MS    25.0   /* issues 14 and 17 (issue 6 asked 50) */
#define TARGET_GROWTH_MB     10.0
#define WARMUP_S             1.0    /* after a page switch (crossfade, caches) */
#define LATENCY_FLIPS        20
#define LATENCY_GIVE_UP_S    2.0
#define MEMORY_PAGE_S        2.0    /* the memory run cycles the pages */
#define MEMORY_GIVE_UP_S     3600.0
#define TARGET_STARTUP_MS    500.0
#define STARTUP_GIVE_UP_S    60     /* a child that never draws its plots */

static const RsPlotKind all_pages[] = {
  RS_PLOT_LOSS, RS_PLOT_HISTOGRAMS, RS_PLOT_ACTIVATIONS, RS_PLOT_HISTOGRAM_TIME,
  RS_PLOT_DIGIT_TILES, RS_PLOT_BOUNDARY, RS_PLOT_DASHBOARD,
};

/* --flips: every lambda flip's stages, and its frames, as they happen */
static gboolean opt_flips;
/* --sweep: measure while a sweep runs (long enough to outlast the run) */
static gboolean opt_sweep;
#define SWEEP_SPEC "fc1.l2=1e-5:1e-1:256"

typedef struct {
  RsWindow      *window;
  GdkFrameClock *clock;

  /* frame recording */
  gboolean  recording;
  GArray   *interval_ms;    /* frame_time(n) - frame_time(n-1), the clock's own times */
  GArray   *start_ms;       /* the same from the frames' unsmoothed start times */
  GArray   *work_ms;        /* before-paint -> after-paint: update + layout + paint */
  GArray   *phase_ms[3];    /* of that: update (the tick), layout, paint */
  int       paints;         /* frames in which the window was repainted */
  gint64    prev_frame_time;
  gint64    prev_start_us;
  gint64    before_us;
  gint64    phase_end_us[3];  /* when GTK's update, layout, paint handlers were done */
  guint64   before_sched[2];  /* --flips: the main thread's CPU and run-queue wait (ns) */
  gboolean  painted;

  /* lambda latency */
  gboolean  lat_pending;
  double    lat_expected;
  gint64    lat_t0;
  double    lat_window_ms;  /* the window's snapshot (status line, layer rows) */
  double    lat_ms;         /* ... and every plot on screen drawn from it */
  double    lat_publish_ms; /* when the trainer published that snapshot */
  double    lat_pickup_ms;  /* when the window took it (seen by a 1 ms probe) */
  int       lat_frames;     /* frames painted between the flip and the pick-up */
} Bench;

typedef struct {
  double worst_interval_p95;
  char   worst_interval_where[64];
  double worst_work_p95;      /* reported, not judged */
  char   worst_work_where[64];
  double worst_latency_max;   /* plots on screen */
  char   worst_latency_where[64];
  gboolean latency_missed;    /* a flip never showed up */
  gboolean have_memory;
  double growth_mb;
  gboolean failed;            /* something could not be measured */
} Summary;

/* ------------------------------------------------------------------ */
/* waiting without sleeping                                            */

typedef gboolean (*Condition) (gpointer data);

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until `condition` holds or `seconds` pass. */
static gboolean
run_until (Condition condition,
           gpointer  data,
           double    seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000.0), set_flag_cb, &timed_out);

  while (!timed_out && (condition == NULL || !condition (data)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition == NULL || condition (data);
}

static void
run_for (double seconds)
{
  run_until (NULL, NULL, seconds);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
is_running (gpointer data)
{
  RsTrainer *trainer = rs_window_get_trainer (data);

  return trainer != NULL && rs_trainer_get_state (trainer) == RS_TRAINER_RUNNING;
}

static gboolean
latency_done (gpointer data)
{
  return !((Bench *) data)->lat_pending;
}

/* ------------------------------------------------------------------ */
/* numbers                                                              */

static gint64
steps_shown (Bench *b)
{
  RsSnapshot *snap = rs_window_get_snapshot (b->window);

  return snap != NULL ? snap->steps_done : 0;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array; NAN when empty. */
static double
percentile (GArray *sorted,
            double  p)
{
  if (sorted->len == 0)
    return NAN;
  guint rank = (guint) ceil (p * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static void
sort (GArray *a)
{
  qsort (a->data, a->len, sizeof (double), cmp_double);
}

/* Resident set size in MB, from /proc/self/statm (second field, pages). */
static double
rss_mb (void)
{
  g_autofree char *text = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL)
      || sscanf (text, "%lu %lu", &size, &resident) != 2)
    return NAN;
  return (double) resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* The first three fields of /proc/loadavg: other work on the machine
 * shows up in every figure, so it goes into the report. */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  double a = 0, b = 0, c = 0;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL)
      || sscanf (text, "%lf %lf %lf", &a, &b, &c) != 3)
    return g_strdup ("?");
  return g_strdup_printf ("%.2f %.2f %.2f", a, b, c);
}

/* ------------------------------------------------------------------ */
/* the frame clock                                                      */

/* The calling thread's time on a CPU and waiting on a run queue, in ns
 * (/proc/thread-self/schedstat; zeros where there is none). */
static void
thread_schedstat (guint64 out[2])
{
  g_autofree char *text = NULL;
  unsigned long long cpu = 0, wait = 0;

  out[0] = out[1] = 0;
  if (g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL)
      && sscanf (text, "%llu %llu", &cpu, &wait) == 2)
    {
      out[0] = cpu;
      out[1] = wait;
    }
}

static void
on_before_paint (GdkFrameClock *clock,
                 Bench         *b)
{
  b->before_us = g_get_monotonic_time ();
  b->painted = FALSE;
  if (opt_flips)
    thread_schedstat (b->before_sched);
  memset (b->phase_end_us, 0, sizeof b->phase_end_us);
}

/* Connected after GTK's own handlers: each marks the end of a phase. */
static void
on_update (GdkFrameClock *clock,
           Bench         *b)
{
  b->phase_end_us[0] = g_get_monotonic_time ();
}

static void
on_layout (GdkFrameClock *clock,
           Bench         *b)
{
  b->phase_end_us[1] = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          Bench         *b)
{
  b->phase_end_us[2] = g_get_monotonic_time ();
  b->painted = TRUE;
}

static void
append (GArray *a,
        double  v)
{
  g_array_append_val (a, v);
}

static gboolean
has_new_lambda (Bench            *b,
                const RsSnapshot *snap)
{
  return snap != NULL && snap->experiment != NULL
         && fabs (snap->experiment->layer[0].l1 - b->lat_expected)
            <= 1e-12 * MAX (1.0, fabs (b->lat_expected));
}

/* Whether `holds` is true of every plot view's drawn snapshot on screen
 * under `widget`; counts the views in *n_views. */
static gboolean
every_plot_view (GtkWidget *widget,
                 gboolean (*holds) (Bench *b, const RsSnapshot *drawn),
                 Bench     *b,
                 int       *n_views)
{
  if (!gtk_widget_get_mapped (widget))
    return TRUE;
  if (RS_IS_PLOT_VIEW (widget))
    {
      (*n_views)++;
      return holds (b, rs_plot_view_get_drawn_snapshot (RS_PLOT_VIEW (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!every_plot_view (child, holds, b, n_views))
      return FALSE;
  return TRUE;
}

/* Whether every plot view on screen under `widget` shows the new lambda. */
static gboolean
plots_have_new_lambda (Bench     *b,
                       GtkWidget *widget)
{
  int n_views = 0;

  return every_plot_view (widget, has_new_lambda, b, &n_views);
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();
  /* The clock's frame time is smoothed: a frame up to half an interval
   * late still reads as on time. The timings keep the real start. */
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);
  GdkFrameTimings *timings = gdk_frame_clock_get_current_timings (clock);
  gint64 start_us = timings != NULL ? gdk_frame_timings_get_frame_time (timings) : 0;

  if (b->recording)
    {
      if (b->prev_frame_time > 0)
        append (b->interval_ms, (frame_time - b->prev_frame_time) / 1000.0);
      if (b->prev_start_us > 0 && start_us > 0)
        append (b->start_ms, (start_us - b->prev_start_us) / 1000.0);
      if (b->before_us > 0)
        {
          gint64 start = b->before_us;

          append (b->work_ms, (now - b->before_us) / 1000.0);
          /* A phase that did not run takes no time. */
          for (int i = 0; i < 3; i++)
            {
              gint64 end = b->phase_end_us[i] > 0 ? b->phase_end_us[i] : start;
              append (b->phase_ms[i], (end - start) / 1000.0);
              start = end;
            }
        }
      if (b->painted)
        b->paints++;
    }
  if (b->lat_pending && b->painted && b->lat_pickup_ms < 0)
    b->lat_frames++;
  guint64 sched[2] = { 0, 0 };
  if (opt_flips)
    thread_schedstat (sched);
  if (b->lat_pending && opt_flips)
    g_print ("      frame: began %.1f, %s, update to %.1f, layout to %.1f, paint to %.1f, done %.1f ms"
             " (main thread: %.1f ms on a CPU, %.1f ms waiting for one)\n",
             (b->before_us - b->lat_t0) / 1000.0, b->painted ? "painted" : "nothing painted",
             (b->phase_end_us[0] - b->lat_t0) / 1000.0, (b->phase_end_us[1] - b->lat_t0) / 1000.0,
             (b->phase_end_us[2] - b->lat_t0) / 1000.0, (now - b->lat_t0) / 1000.0,
             (sched[0] - b->before_sched[0]) / 1e6, (sched[1] - b->before_sched[1]) / 1e6);
  b->prev_frame_time = frame_time;
  b->prev_start_us = start_us;

  /* The first frame painted with a snapshot that has the new lambda: the
   * window picks it up in the frame's update phase, before the paint; the
   * plots draw it off the main thread and show it a frame or two later. */
  if (b->lat_pending && b->painted)
    {
      RsSnapshot *shown = rs_window_get_snapshot (b->window);
      if (b->lat_window_ms < 0 && has_new_lambda (b, shown))
        {
          b->lat_window_ms = (now - b->lat_t0) / 1000.0;
          b->lat_publish_ms = (shown->published_us - b->lat_t0) / 1000.0;
        }
      if (b->lat_window_ms >= 0 && plots_have_new_lambda (b, GTK_WIDGET (b->window)))
        {
          b->lat_ms = (now - b->lat_t0) / 1000.0;
          b->lat_pending = FALSE;
        }
    }
}

static void
start_recording (Bench *b)
{
  g_array_set_size (b->interval_ms, 0);
  g_array_set_size (b->start_ms, 0);
  g_array_set_size (b->work_ms, 0);
  for (int i = 0; i < 3; i++)
    g_array_set_size (b->phase_ms[i], 0);
  b->paints = 0;
  b->prev_frame_time = 0;
  b->prev_start_us = 0;
  b->before_us = 0;
  b->recording = TRUE;
}

/* ------------------------------------------------------------------ */
/* the phases                                                           */

static gboolean
show_page (Bench      *b,
           RsPlotKind  kind)
{
  RsSnapshot *snap = rs_window_get_snapshot (b->window);

  if (snap == NULL || !rs_plot_kind_applies (kind, snap))
    return FALSE;
  rs_window_set_current_plot_kind (b->window, kind);
  return rs_window_get_current_plot_kind (b->window) == kind;
}

/* Frames of the page on screen, named `name`. */
static void
measure_shown (Bench      *b,
               const char *lesson,
               const char *name,
               double      seconds,
               Summary    *sum)
{
  run_for (WARMUP_S);

  gint64 steps0 = steps_shown (b);
  gint64 t0 = g_get_monotonic_time ();
  start_recording (b);
  run_for (seconds);
  b->recording = FALSE;
  double elapsed = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  double steps_per_s = (steps_shown (b) - steps0) / elapsed;

  sort (b->interval_ms);
  sort (b->start_ms);
  sort (b->work_ms);
  for (int i = 0; i < 3; i++)
    sort (b->phase_ms[i]);
  double p95 = percentile (b->interval_ms, 0.95);
  g_print ("  %-15s %6u %7.2f %7.2f %7.2f   %7.2f %7.2f   %6.2f %6.2f %7.2f %6d %9.0f\n",
           name, b->interval_ms->len,
           percentile (b->interval_ms, 0.5), p95, percentile (b->interval_ms, 1.0),
           percentile (b->start_ms, 0.95), percentile (b->start_ms, 1.0),
           percentile (b->work_ms, 0.5), percentile (b->work_ms, 0.95),
           percentile (b->work_ms, 1.0), b->paints, steps_per_s);
  g_print ("  %-15s        of the frame work, p95/max: update (tick) %.2f/%.2f, "
           "layout %.2f/%.2f, paint %.2f/%.2f\n", "",
           percentile (b->phase_ms[0], 0.95), percentile (b->phase_ms[0], 1.0),
           percentile (b->phase_ms[1], 0.95), percentile (b->phase_ms[1], 1.0),
           percentile (b->phase_ms[2], 0.95), percentile (b->phase_ms[2], 1.0));

  double work_p95 = percentile (b->work_ms, 0.95);
  if (work_p95 > sum->worst_work_p95)
    {
      sum->worst_work_p95 = work_p95;
      g_snprintf (sum->worst_work_where, sizeof sum->worst_work_where, "%s/%s", lesson, name);
    }
  if (b->interval_ms->len == 0)
    sum->failed = TRUE;
  else if (p95 > sum->worst_interval_p95)
    {
      sum->worst_interval_p95 = p95;
      g_snprintf (sum->worst_interval_where, sizeof sum->worst_interval_where,
                  "%s/%s", lesson, name);
    }
}

static void
measure_page (Bench      *b,
              const char *lesson,
              RsPlotKind  kind,
              double      seconds,
              Summary    *sum)
{
  if (show_page (b, kind))
    measure_shown (b, lesson, rs_plot_kind_to_string (kind), seconds, sum);
}

/* --sweep: the window's own sweep, started as the Sweep page's Start does. */
static gboolean
start_sweep (Bench *b)
{
  RsSweepPage *page = rs_window_get_sweep_page (b->window);
  RsSnapshot *snap = rs_window_get_snapshot (b->window);
  g_autoptr(GError) error = NULL;
  RsSweepSpec spec;

  if (snap == NULL || !rs_sweep_spec_parse (SWEEP_SPEC, snap->experiment, &spec, &error))
    {
      g_printerr ("ui-bench: --sweep: %s\n", error != NULL ? error->message : "no snapshot");
      return FALSE;
    }
  rs_sweep_page_set_spec (page, &spec);
  g_action_group_activate_action (G_ACTION_GROUP (b->window), "sweep-start", NULL);
  if (!rs_sweep_page_get_running (page))
    {
      g_printerr ("ui-bench: --sweep: the sweep did not start (%s)\n",
                  rs_window_get_message (b->window));
      return FALSE;
    }
  g_print ("  sweep %s on %d worker(s), started\n", SWEEP_SPEC, rs_sweep_page_get_jobs ());
  return TRUE;
}

/* A short lesson's sweep ends before the measurements do: start it again
 * at once, so that one runs throughout (as a class starting sweeps would). */
static int sweep_restarts;

static gboolean
keep_sweeping_cb (gpointer data)
{
  Bench *b = data;

  if (!rs_sweep_page_get_running (rs_window_get_sweep_page (b->window)))
    {
      g_action_group_activate_action (G_ACTION_GROUP (b->window), "sweep-start", NULL);
      sweep_restarts++;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
probe_pickup_cb (gpointer data)
{
  Bench *b = data;

  if (!b->lat_pending)
    return G_SOURCE_CONTINUE;
  if (b->lat_pickup_ms < 0 && has_new_lambda (b, rs_window_get_snapshot (b->window)))
    b->lat_pickup_ms = (g_get_monotonic_time () - b->lat_t0) / 1000.0;
  return G_SOURCE_CONTINUE;
}

static void
measure_latency (Bench      *b,
                 const char *lesson,
                 RsPlotKind  kind,
                 Summary    *sum)
{
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lat_window = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lat_publish = g_array_new (FALSE, FALSE, sizeof (double));
  double worst[3] = { -1, -1, -1 };  /* the slowest flip: published, window, plots */
  RsLayerRow *row = rs_window_get_layer_row (b->window, 0);
  RsLambdaControl *control = rs_layer_row_get_control (row, RS_REG_TERM_L1);
  GtkSwitch *toggle = rs_lambda_control_get_switch (control);
  int missed = 0;

  if (!show_page (b, kind))
    {
      kind = RS_PLOT_LOSS;
      show_page (b, kind);
    }
  run_for (WARMUP_S);

  /* --flips: a 1 ms probe notes when the window takes the snapshot */
  guint probe = opt_flips ? g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_pickup_cb, b, NULL) : 0;
  for (int i = 0; i < LATENCY_FLIPS; i++)
    {
      gboolean active = !gtk_switch_get_active (toggle);

      b->lat_window_ms = -1.0;
      b->lat_pickup_ms = -1.0;
      b->lat_frames = 0;
      b->lat_t0 = g_get_monotonic_time ();
      gtk_switch_set_active (toggle, active);   /* ::changed -> the trainer */
      b->lat_expected = rs_lambda_control_get_lambda (control);
      b->lat_pending = TRUE;
      if (run_until (latency_done, b, LATENCY_GIVE_UP_S))
        {
          append (lat, b->lat_ms);
          append (lat_window, b->lat_window_ms);
          append (lat_publish, b->lat_publish_ms);
          if (opt_flips)
            g_print ("    flip %2d: published %.1f, window took it %.1f (%d frames painted before), "
                     "on screen %.1f, plots %.1f ms\n",
                     i, b->lat_publish_ms, b->lat_pickup_ms, b->lat_frames, b->lat_window_ms, b->lat_ms);
          if (b->lat_ms > worst[2])
            {
              worst[0] = b->lat_publish_ms;
              worst[1] = b->lat_window_ms;
              worst[2] = b->lat_ms;
            }
        }
      else
        missed++;
      b->lat_pending = FALSE;
      /* Off the frame phase, so the flips sample every point in a frame. */
      run_for (0.05 + 0.0137 * (i % 7));
    }

  if (probe != 0)
    g_source_remove (probe);
  sort (lat);
  sort (lat_window);
  sort (lat_publish);
  double max = missed > 0 ? INFINITY : percentile (lat, 1.0);
  g_print ("  lambda latency (fc1 L1 switch, %d flips, %s page), flip to the first frame painted\n"
           "    with the window's snapshot (status line, layer rows): median %.1f ms, max %.1f ms\n"
           "    with every plot on screen drawn from it:              median %.1f ms, max %.1f ms%s\n",
           LATENCY_FLIPS, rs_plot_kind_to_string (kind),
           percentile (lat_window, 0.5), percentile (lat_window, 1.0),
           percentile (lat, 0.5), max,
           missed > 0 ? " (some flips never reached the screen)" : "");
  g_print ("    the trainer published it: median %.1f ms, max %.1f ms; the slowest flip: "
           "published %.1f, window %.1f, plots %.1f ms\n",
           percentile (lat_publish, 0.5), percentile (lat_publish, 1.0),
           worst[0], worst[1], worst[2]);
  if (missed > 0)
    sum->latency_missed = TRUE;
  if (max > sum->worst_latency_max || sum->worst_latency_where[0] == '\0')
    {
      sum->worst_latency_max = max;
      g_snprintf (sum->worst_latency_where, sizeof sum->worst_latency_where, "%s/%s",
                  lesson, rs_plot_kind_to_string (kind));
    }
}

typedef struct {
  Bench  *b;
  gint64  until;
  guint   page;
  double  peak;
} MemoryRun;

static gboolean
memory_done (gpointer data)
{
  MemoryRun *m = data;

  return steps_shown (m->b) >= m->until;
}

/* Every MEMORY_PAGE_S: the next page, and an RSS sample for the peak. */
static gboolean
memory_tick_cb (gpointer data)
{
  MemoryRun *m = data;

  m->peak = MAX (m->peak, rss_mb ());
  for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
    {
      m->page = (m->page + 1) % G_N_ELEMENTS (all_pages);
      if (show_page (m->b, all_pages[m->page]))
        break;
    }
  return G_SOURCE_CONTINUE;
}

static void
measure_memory (Bench   *b,
                gint64   steps,
                Summary *sum)
{
  MemoryRun m = { .b = b };

  /* Start once the window has been drawing for a while: GTK's one-time
   * allocations (fonts, glyph caches, the page textures) are in. */
  double start = rss_mb ();
  gint64 steps0 = steps_shown (b);
  gint64 t0 = g_get_monotonic_time ();
  m.until = steps0 + steps;
  m.peak = start;
  guint id = g_timeout_add ((guint) (MEMORY_PAGE_S * 1000), memory_tick_cb, &m);
  gboolean done = run_until (memory_done, &m, MEMORY_GIVE_UP_S);
  g_source_remove (id);

  double end = rss_mb ();
  double elapsed = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  gint64 taken = steps_shown (b) - steps0;
  m.peak = MAX (m.peak, end);
  g_print ("  memory (every page in turn, %.0f s each): RSS %.1f MB at step %" G_GINT64_FORMAT
           ", %.1f MB after %" G_GINT64_FORMAT " more steps (peak %.1f MB): growth %+.1f MB"
           " in %.0f s, %.0f steps/s%s\n",
           MEMORY_PAGE_S, start, steps0, end, taken, m.peak, end - start,
           elapsed, taken / elapsed, done ? "" : " (gave up before the step count)");
  sum->have_memory = TRUE;
  sum->growth_mb = end - start;
  if (!done)
    sum->failed = TRUE;
}

static gboolean
run_lesson (const char *lesson,
            gboolean    one_page,
            RsPlotKind  page,
            double      seconds,
            gint64      memory_steps,
            Summary    *sum)
{
  g_autoptr(GError) error = NULL;
  Bench b = { 0 };

  b.window = rs_window_new (NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (b.window), (gpointer *) &b.window);
  gtk_window_set_default_size (GTK_WINDOW (b.window), WIDTH, HEIGHT);
  if (!rs_window_load_lesson (b.window, lesson, &error))
    {
      g_printerr ("ui-bench: %s\n", error->message);
      gtk_window_destroy (GTK_WINDOW (b.window));
      return FALSE;
    }
  gtk_window_present (GTK_WINDOW (b.window));
  if (!run_until (is_mapped, b.window, 30.0))
    {
      g_printerr ("ui-bench: the window was never shown (is there a display?)\n");
      return FALSE;
    }

  b.interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.start_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < 3; i++)
    b.phase_ms[i] = g_array_new (FALSE, FALSE, sizeof (double));
  b.clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (b.window)));
  gulong ids[] = {
    g_signal_connect (b.clock, "before-paint", G_CALLBACK (on_before_paint), &b),
    g_signal_connect_after (b.clock, "update", G_CALLBACK (on_update), &b),
    g_signal_connect_after (b.clock, "layout", G_CALLBACK (on_layout), &b),
    g_signal_connect_after (b.clock, "paint", G_CALLBACK (on_paint), &b),
    g_signal_connect (b.clock, "after-paint", G_CALLBACK (on_after_paint), &b),
  };

  /* Full speed, past the lesson's end, playing. */
  rs_trainer_set_stop_at_end (rs_window_get_trainer (b.window), FALSE);
  g_action_group_change_action_state (G_ACTION_GROUP (b.window), "speed",
                                      g_variant_new_string ("max"));
  g_action_group_activate_action (G_ACTION_GROUP (b.window), "play-pause", NULL);
  if (!run_until (is_running, b.window, 10.0))
    {
      g_printerr ("ui-bench: %s: the trainer did not start\n", lesson);
      sum->failed = TRUE;
    }
  run_for (WARMUP_S);

  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (b.window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (b.window));
  g_print ("\nlesson %s: surface %dx%d (window widget %dx%d), %s, %.0f s per page\n", lesson,
           gdk_surface_get_width (surface), gdk_surface_get_height (surface),
           gtk_widget_get_width (GTK_WIDGET (b.window)),
           gtk_widget_get_height (GTK_WIDGET (b.window)),
           renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "no renderer", seconds);
  g_print ("  %-15s %6s %-23s   %-15s   %-21s %6s %9s\n", "", "",
           "clock interval (ms)", "real start (ms)", "frame work (ms)", "", "");
  g_print ("  %-15s %6s %7s %7s %7s   %7s %7s   %6s %6s %7s %6s %9s\n", "page", "frames",
           "p50", "p95", "max", "p95", "max", "p50", "p95", "max", "paints", "steps/s");

  if (opt_sweep)
    {
      RsSweepPage *sweep_page = rs_window_get_sweep_page (b.window);
      if (!start_sweep (&b))
        sum->failed = TRUE;
      sweep_restarts = 0;
      guint keep = g_timeout_add (10, keep_sweeping_cb, &b);
      measure_page (&b, lesson, one_page ? page : RS_PLOT_LOSS, seconds, sum);
      g_action_group_activate_action (G_ACTION_GROUP (b.window), "sweep", NULL);
      measure_shown (&b, lesson, "sweep", seconds, sum);
      measure_latency (&b, lesson, one_page ? page : RS_PLOT_LOSS, sum);
      g_source_remove (keep);
      gboolean running = rs_sweep_page_get_running (sweep_page);
      g_print ("  sweep: %d points ended in the last one, started again %d time(s)%s\n",
               rs_sweep_page_get_n_ended (sweep_page), sweep_restarts,
               running ? "" : " (NOT running at the end)");
      if (!running)
        sum->failed = TRUE;
      g_action_group_activate_action (G_ACTION_GROUP (b.window), "sweep-cancel", NULL);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
        if (!one_page || all_pages[i] == page)
          measure_page (&b, lesson, all_pages[i], seconds, sum);
      measure_latency (&b, lesson, one_page ? page : RS_PLOT_LOSS, sum);
    }
  if (memory_steps > 0)
    measure_memory (&b, memory_steps, sum);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (b.clock, ids[i]);
  g_clear_object (&b.clock);
  gtk_window_destroy (GTK_WINDOW (b.window));
  /* The window (and the trainer thread with it) really goes. */
  run_until (is_null, &b.window, 30.0);
  g_array_unref (b.interval_ms);
  g_array_unref (b.start_ms);
  g_array_unref (b.work_ms);
  for (int i = 0; i < 3; i++)
    g_array_unref (b.phase_ms[i]);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* startup                                                              */

static gint64 child_main_us;

static gboolean
is_drawn (Bench            *b,
          const RsSnapshot *drawn)
{
  return drawn != NULL;
}

static void
child_after_paint (GdkFrameClock *clock,
                   GtkWidget     *window)
{
  int n_views = 0;

  if (!every_plot_view (window, is_drawn, NULL, &n_views) || n_views == 0)
    return;
  gint64 now = g_get_monotonic_time ();
  g_signal_handlers_disconnect_by_func (clock, child_after_paint, window);
  g_print ("startup %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d\n",
           child_main_us, now, n_views);
  gtk_window_destroy (GTK_WINDOW (window));   /* the application quits with it */
}

static void
child_realized (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (child_after_paint), window);
}

static void
child_window_added (GtkApplication *app,
                    GtkWindow      *window)
{
  g_signal_connect_after (window, "realize", G_CALLBACK (child_realized), NULL);
}

static gboolean
child_give_up (gpointer data)
{
  g_printerr ("ui-bench: the plots were not drawn within %d s\n", STARTUP_GIVE_UP_S);
  exit (1);
}

/* One startup as `regscope` makes it (app/regscope.c with a display). */
static int
startup_child (const char *argv0)
{
  char *argv[] = { (char *) argv0, (char *) RS_DEFAULT_LESSON, NULL };
  g_autoptr(RsApplication) app = rs_application_new ();

  g_signal_connect (app, "window-added", G_CALLBACK (child_window_added), NULL);
  g_timeout_add_seconds (STARTUP_GIVE_UP_S, child_give_up, NULL);
  return g_application_run (G_APPLICATION (app), 2, argv);
}

static int
run_startup (const char *argv0,
             int         runs)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  char *argv[] = { self != NULL ? self : (char *) argv0, (char *) "--startup-child", NULL };
  g_autoptr(GArray) spawn_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) main_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *load_start = load_average ();

  g_print ("ui-bench --startup: %d runs of `regscope %s` (after one unmeasured run that warms "
           "the file cache), GDK_BACKEND=%s GSK_RENDERER=%s; from spawn / from main() to the "
           "after-paint of the first frame with every plot drawn\n",
           runs, RS_DEFAULT_LESSON,
           g_getenv ("GDK_BACKEND") ? g_getenv ("GDK_BACKEND") : "(default)",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");
  for (int i = -1; i < runs; i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GError) error = NULL;
      gint64 spawned = g_get_monotonic_time (), in_main = 0, painted = 0;
      int status = 0, views = 0;

      if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                         &status, &error))
        {
          g_printerr ("ui-bench: %s\n", error->message);
          return 2;
        }
      const char *line = out != NULL ? strstr (out, "startup ") : NULL;
      if (!g_spawn_check_wait_status (status, NULL) || line == NULL
          || sscanf (line, "startup %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d",
                     &in_main, &painted, &views) != 3)
        {
          g_printerr ("ui-bench: the startup run failed: %s", err != NULL ? err : "\n");
          return 2;
        }
      double from_spawn = (painted - spawned) / 1000.0, from_main = (painted - in_main) / 1000.0;
      g_print ("  run %2d: %7.1f ms from spawn, %7.1f ms from main() (%d plot views)%s\n",
               i + 1, from_spawn, from_main, views, i < 0 ? "  warm-up, not counted" : "");
      if (i >= 0)
        {
          append (spawn_ms, from_spawn);
          append (main_ms, from_main);
        }
    }
  sort (spawn_ms);
  sort (main_ms);
  g_autofree char *load_end = load_average ();
  double best = g_array_index (spawn_ms, double, 0), median = percentile (spawn_ms, 0.5);
  gboolean ok = median <= TARGET_STARTUP_MS;
  g_print ("\nload average (1/5/15 min) at start %s, at end %s; %u CPUs online\n",
           load_start, load_end, g_get_num_processors ());
  g_print ("INFO from main(): best %.1f ms, median %.1f ms\n",
           g_array_index (main_ms, double, 0), percentile (main_ms, 0.5));
  g_print ("%s window on screen with its plots drawn <= %.0f ms from spawn (median of %d): "
           "best %.1f ms, median %.1f ms\n",
           ok ? "PASS" : "FAIL", TARGET_STARTUP_MS, runs, best, median);
  return ok ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  child_main_us = g_get_monotonic_time ();
  if (argc == 2 && g_str_equal (argv[1], "--startup-child"))
    return startup_child (argv[0]);

  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lessons = NULL;
  g_autofree char *page_name = NULL;
  double seconds = 10.0;
  gint64 memory_steps = 1000000;
  RsPlotKind page = RS_PLOT_LOSS;
  int startup_runs = 0;
  Summary sum = { .worst_interval_p95 = 0.0 };
  GOptionEntry entries[] = {
    { "lesson", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lessons,
      "Lesson to measure (repeatable; default seed-l1 and l1-digits)", "NAME" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds,
      "Seconds of frames recorded per page (default 10)", "N" },
    { "page", 0, 0, G_OPTION_ARG_STRING, &page_name,
      "Measure this plot page only (loss, histograms, activations, histogram-time, "
      "digit-tiles, boundary, dashboard)", "NAME" },
    { "steps-for-memory", 0, 0, G_OPTION_ARG_INT64, &memory_steps,
      "Steps of the first lesson for the memory check (default 1000000; 0 skips it)", "N" },
    { "startup", 0, 0, G_OPTION_ARG_INT, &startup_runs,
      "Measure only startup: N fresh processes, spawn to first frame with the plots drawn", "N" },
    { "flips", 0, 0, G_OPTION_ARG_NONE, &opt_flips,
      "Print every lambda flip's stages and the frames until it is on screen", NULL },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &opt_sweep,
      "Measure the loss and Sweep pages and the lambda latency while a sweep runs", NULL },
    { NULL }
  };

  g_autoptr(GOptionContext) context =
    g_option_context_new ("— frame times, lambda latency and memory of the regscope window");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ui-bench: %s\n", error->message);
      return 2;
    }
  if (startup_runs < 0)
    {
      g_printerr ("ui-bench: --startup must be >= 1\n");
      return 2;
    }
  if (startup_runs > 0)
    return run_startup (argv[0], startup_runs);
  if (seconds <= 0.0 || memory_steps < 0)
    {
      g_printerr ("ui-bench: --seconds must be > 0 and --steps-for-memory >= 0\n");
      return 2;
    }
  if (page_name != NULL && !rs_plot_kind_from_string (page_name, &page))
    {
      g_printerr ("ui-bench: --page: unknown plot page '%s'\n", page_name);
      return 2;
    }
  if (page == RS_PLOT_WEIGHTS)
    page = RS_PLOT_HISTOGRAMS;   /* the heatmaps share the histograms page */
  if (lessons == NULL)
    {
      lessons = g_new0 (char *, 3);
      lessons[0] = g_strdup ("seed-l1");
      lessons[1] = g_strdup ("l1-digits");
    }

  if (!gtk_init_check ())
    {
      g_printerr ("ui-bench: cannot open a display (run it under xvfb-run)\n");
      return 2;
    }

  g_autofree char *load_start = load_average ();
  g_print ("ui-bench: %d×%d window, GDK_BACKEND=%s GSK_RENDERER=%s; "
           "clock interval = difference of gdk_frame_clock_get_frame_time() (smoothed), "
           "real start = of gdk_frame_timings_get_frame_time(), "
           "frame work = before-paint to after-paint\n",
           WIDTH, HEIGHT, g_getenv ("GDK_BACKEND") ? g_getenv ("GDK_BACKEND") : "(default)",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");

  for (int i = 0; lessons[i] != NULL; i++)
    if (!run_lesson (lessons[i], page_name != NULL, page, seconds,
                     i == 0 ? memory_steps : 0, &sum))
      return 2;

  gboolean ok_frames = !sum.failed && sum.worst_interval_p95 <= TARGET_INTERVAL_MS;
  gboolean ok_latency = !sum.latency_missed && sum.worst_latency_max <= TARGET_LATENCY_MS;
  gboolean ok_memory = !sum.have_memory || sum.growth_mb <= TARGET_GROWTH_MB;

  g_autofree char *load_end = load_average ();
  g_print ("\nload average (1/5/15 min) at start %s, at end %s; %u CPUs online\n",
           load_start, load_end, g_get_num_processors ());
  g_print ("%s frame interval p95 (GdkFrameClock frame times) <= %.1f ms: worst %.2f ms (%s)\n",
           ok_frames ? "PASS" : "FAIL", TARGET_INTERVAL_MS,
           sum.worst_interval_p95, sum.worst_interval_where);
  g_print ("INFO frame work p95 (before-paint to after-paint): worst %.2f ms (%s)\n",
           sum.worst_work_p95, sum.worst_work_where);
  g_print ("%s lambda change on screen (plots drawn) <= %.0f ms: worst max %.1f ms (%s)\n",
           ok_latency ? "PASS" : "FAIL", TARGET_LATENCY_MS,
           sum.worst_latency_max, sum.worst_latency_where);
  if (sum.have_memory)
    g_print ("%s RSS growth <= %.0f MB over %" G_GINT64_FORMAT " steps of %s: %+.1f MB\n",
             ok_memory ? "PASS" : "FAIL", TARGET_GROWTH_MB, memory_steps, lessons[0],
             sum.growth_mb);
  else
    g_print ("SKIP RSS growth (--steps-for-memory 0)\n");

  return ok_frames && ok_latency && ok_memory ? 0 : 1;
}
