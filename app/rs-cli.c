/* rs-cli.c — `regscope-train`: the engine without a window. Trains a
 * lesson, prints its progress, and writes the log, the checkpoint and the
 * plots. Every failure is one line on stderr naming the file and the place,
 * and a non-zero exit status. */
#include "rs-cli.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rs-atomic-file.h"
#include "rs-run.h"
#include "rs-error.h"
#include "rs-i18n.h"
#include "rs-kernels.h"
#include "rs-plot-export.h"
#include "rs-progress.h"
#include "rs-replay.h"
#include "rs-lessons.h"
#include "rs-pool.h"
#include "rs-session.h"
#include "rs-plot-sweep.h"
#include "rs-sweep.h"
#include "rs-plot-twin.h"
#include "rs-twin.h"

typedef struct {
  int      epochs;
  gint64   steps;            /* G_MININT64: not given; 0 trains nothing */
  char   **sets;
  char    *init;
  char    *save;
  char    *log;
  char    *plots;
  char    *format;
  char    *size;
  double   scale;
  char    *style;
  char    *progress;
  char    *replay;
  char    *sweep;
  char   **compare;
  int      jobs;             /* 0: one per core */
  int      threads;          /* 0: not given */
  gboolean print_pytorch;
  gboolean print_preset;
  gboolean list;
  gboolean version;
} RsCliOptions;

static void
rs_cli_options_clear (RsCliOptions *o)
{
  g_strfreev (o->sets);
  g_free (o->init);
  g_free (o->save);
  g_free (o->log);
  g_free (o->plots);
  g_free (o->format);
  g_free (o->size);
  g_free (o->style);
  g_free (o->progress);
  g_free (o->replay);
  g_free (o->sweep);
  g_strfreev (o->compare);
}

static void
print_error (const char *prog, const char *message)
{
  fprintf (stderr, "%s: %s\n", prog, message);
}

static gboolean
parse_size (const char *text, int *w, int *h)
{
  char *end = NULL;
  gint64 a = g_ascii_strtoll (text, &end, 10);
  if (end == text || (*end != 'x' && *end != 'X'))
    return FALSE;
  const char *rest = end + 1;
  gint64 b = g_ascii_strtoll (rest, &end, 10);
  if (end == rest || *end != '\0' || a < 64 || b < 64 || a > 16384 || b > 16384)
    return FALSE;
  *w = (int) a;
  *h = (int) b;
  return TRUE;
}

typedef struct {
  RsProgress   *progress;
  RsAtomicFile *log;
} RunOutput;

static void
on_step (const RsMetrics *m, gpointer data)
{
  RunOutput *out = data;
  rs_progress_update (out->progress, m);
  if (out->log == NULL)
    return;
  /* A file for programs: "0.5" in every locale, never "0,5". */
  const double values[] = { m->loss, m->task_loss, m->l1, m->l2, m->activity, m->train_acc,
                            m->val_loss, m->val_acc, m->test_loss, m->test_acc };
  fprintf (out->log->stream, "%" G_GINT64_FORMAT ",%d", m->step, m->epoch);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      fprintf (out->log->stream, ",%s", g_ascii_formatd (buf, sizeof buf, "%.9g", values[i]));
    }
  fputc ('\n', out->log->stream);
}

typedef struct {
  gboolean quiet;
  int      n, done;
} SweepOutput;

/* One line per point as it ends (on a worker thread, one at a time). */
static void
on_sweep_point (const RsSweepPoint *p, gpointer data)
{
  SweepOutput *out = data;
  out->done++;
  if (out->quiet)
    return;
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (v, p->value);
  if (p->error != NULL)
    printf (_("[%d/%d] %s: diverged: %s\n"), out->done, out->n, v, p->error);
  else
    printf (_("[%d/%d] %s: train loss %.4f, validation loss %.4f, validation accuracy %.1f%%\n"),
            out->done, out->n, v, p->train_loss, p->val_loss, 100 * p->val_acc);
  fflush (stdout);
}

typedef struct {
  RsExportFormat format;
  RsPlotStyle    style;
  int            width, height;
  double         scale;
} PlotOptions;

/* --sweep: every point trained, then the log (a row per point, in value
 * order) and the two plots. */
static gboolean
run_sweep (const char *prog, const RsCliOptions *o, const RsExperiment *exp,
           RsProgressMode mode, const PlotOptions *plot, GError **error)
{
  RsSweepSpec spec;
  if (g_str_equal (o->sweep, "lesson"))
    {
      /* the lesson's own [sweep] (validated when the lesson loaded) */
      if (!rs_sweep_spec_from_experiment (&spec, exp))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("--sweep lesson: %s has no [sweep]"),
                       exp->path ? exp->path : exp->title);
          return FALSE;
        }
    }
  else if (!rs_sweep_spec_parse (o->sweep, exp, &spec, error))
    return FALSE;
  RsSweepOptions options = {
    .jobs = o->jobs > 0 ? o->jobs : (int) MAX (1, g_get_num_processors ()),
    .init_path = o->init, .unit_layer = -1,
  };
  SweepOutput out = { mode == RS_PROGRESS_NONE, spec.points, 0 };
  g_autoptr (RsSweep) sweep = rs_sweep_start (exp, &spec, &options, on_sweep_point, &out, error);
  if (sweep == NULL)
    return FALSE;
  g_autofree char *text = rs_sweep_spec_to_string (&spec);
  if (!out.quiet)
    printf (_("%s — sweep %s, %d points on %d threads\n"), exp->title, text, spec.points,
            options.jobs);
  rs_sweep_wait (sweep);

  RsSweepPoint *points = g_new0 (RsSweepPoint, spec.points);
  for (int i = 0; i < spec.points; i++)
    rs_sweep_get_point (sweep, i, &points[i]);
  gboolean ok = TRUE;
  if (o->plots != NULL)
    {
      RsPlotSweepData data = { &plot->style, &spec, points, spec.points,
                               exp->sparsity_threshold, NAN };
      ok = rs_plot_sweep_export_all (o->plots, plot->format, &data, plot->width, plot->height,
                                     plot->scale, error);
      if (ok)
        fprintf (stderr, _("%s: wrote the plots into %s\n"), prog, o->plots);
    }
  if (ok && o->log != NULL)
    {
      RsAtomicFile *log = rs_atomic_file_begin (o->log, error);
      ok = log != NULL;
      if (ok)
        {
          g_autofree char *term = rs_sweep_spec_term (&spec);
          g_autofree char *header = rs_sweep_csv_header (term, exp->n_layers);
          fprintf (log->stream, "%s\n", header);
          for (int i = 0; i < spec.points; i++)
            {
              g_autofree char *row = rs_sweep_csv_row (&points[i]);
              fprintf (log->stream, "%s\n", row);
            }
          ok = rs_atomic_file_commit (log, error);
        }
    }
  int best = rs_sweep_best_point (points, spec.points);
  if (ok && best >= 0 && !out.quiet)
    {
      char v[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (v, points[best].value);
      g_autofree char *term = rs_sweep_spec_term (&spec);
      printf (_("best: %s=%s (validation loss %.4f)\n"), term, v,
              isfinite (points[best].val_loss) ? points[best].val_loss : points[best].train_loss);
    }
  for (int i = 0; i < spec.points; i++)
    rs_sweep_point_clear (&points[i]);
  g_free (points);
  return ok;
}

/* One session trained to `total` (events applied at their steps), with its
 * progress and its log (log_path may be NULL); history and frames record
 * it. A diverged run's error names `name` and leaves no log behind. Early
 * stopping ends it sooner, except in a replay (the run it replays may have
 * gone on past its stop), and says where on stderr. */
static gboolean
train_session (RsSession *session, gint64 total, const RsEvent *events, int n_events,
               gboolean replaying, const char *log_path, RsProgressMode mode,
               const char *prog, const char *name, RsHistory *history, RsFrameStore *frames,
               GError **error)
{
  const RsExperiment *exp = rs_session_get_experiment (session);
  RsAtomicFile *log = NULL;
  if (log_path != NULL)
    {
      log = rs_atomic_file_begin (log_path, error);
      if (log == NULL)
        return FALSE;
      fprintf (log->stream, "%s\n", RS_METRICS_CSV_HEADER);
    }
  RsProgress progress;
  rs_progress_init (&progress, mode, stdout, total);
  if (progress.mode == RS_PROGRESS_BAR)
    printf (_("%s — %lld steps (%d per epoch), kernels: %s\n"), exp->title,
            (long long) total, rs_session_steps_per_epoch (session), rs_kernels_backend ());
  RunOutput output = { &progress, log };
  rs_session_set_keep_going (session, replaying);
  gboolean ok = rs_run (session, total, events, n_events, history, frames, on_step, &output,
                        error);
  rs_progress_finish (&progress);
  g_autofree char *stop_text = ok ? rs_session_describe_stop (session) : NULL;
  if (stop_text != NULL)
    fprintf (stderr, "%s: %s\n", prog, stop_text);
  if (!ok)
    {
      /* A diverged run says which lesson and which step failed, and keeps
       * nothing half-written: the log is discarded. */
      if (g_error_matches (*error, RS_ERROR, RS_ERROR_DIVERGED))
        g_prefix_error (error, "%s: ", name);
      rs_atomic_file_abort (log);
      return FALSE;
    }
  return log == NULL || rs_atomic_file_commit (log, error);
}

/* "metrics.csv" -> "metrics-a.csv" (run 0) or "metrics-b.csv". */
static char *
twin_log_path (const char *path, int run)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  gsize stem = dot != NULL && dot != base ? (gsize) (dot - base) : strlen (base);
  g_autofree char *name = g_strdup_printf ("%.*s-%c%s", (int) stem, base, run ? 'b' : 'a',
                                           base + stem);
  g_autofree char *dir = g_path_get_dirname (path);
  return g_build_filename (dir, name, NULL);
}

/* A twin (--compare or the lesson's [compare]): A, then B, each trained as
 * a single run is (A's events also reach B, but for B's own terms); the
 * logs FILE-a and FILE-b, --save keeps A's weights, --plots writes a/, b/
 * and the twin dashboard. The sessions are independent, so A then B is
 * the same, bit for bit, as the window's lockstep. */
static gboolean
run_twin (const char *prog, const RsCliOptions *o, const RsExperiment *exp,
          const RsReplay *replay, gint64 total, RsProgressMode mode, const PlotOptions *plot,
          GError **error)
{
  g_autoptr (RsTwin) twin = rs_twin_new (exp, o->init, error);
  if (twin == NULL)
    return FALSE;
  if (total < 0)
    total = rs_session_total_steps (twin->a);
  RsSession *sessions[2] = { twin->a, twin->b };
  RsHistory *history[2] = { rs_history_new (4096), rs_history_new (4096) };
  RsFrameStore *frames[2] = { rs_frame_store_new (), rs_frame_store_new () };
  char *labels[2] = { rs_twin_describe (exp, 0), rs_twin_describe (exp, 1) };
  int n_events = replay ? replay->n_events : 0;
  RsEvent *b_events = g_new0 (RsEvent, n_events + 1);
  int n_b = 0;
  for (int i = 0; i < n_events; i++)
    if (rs_twin_b_follows (exp, &replay->events[i]))
      b_events[n_b++] = replay->events[i];
  const RsEvent *events[2] = { replay ? replay->events : NULL, b_events };
  int counts[2] = { n_events, n_b };
  const char *name = o->replay ? o->replay : exp->path ? exp->path : exp->title;

  gboolean ok = TRUE;
  for (int r = 0; r < 2 && ok; r++)
    {
      if (mode != RS_PROGRESS_NONE)
        printf ("%s\n", labels[r]);
      g_autofree char *log = o->log != NULL ? twin_log_path (o->log, r) : NULL;
      g_autofree char *run_name = g_strdup_printf ("%s (%c)", name, r ? 'B' : 'A');
      ok = train_session (sessions[r], total, events[r], counts[r], replay != NULL, log, mode,
                          prog, run_name, history[r], frames[r], error);
    }
  if (ok && o->save != NULL)
    ok = rs_session_save_checkpoint (twin->a, o->save, error);
  if (ok && o->plots != NULL)
    {
      RsSnapshot *snaps[2];
      for (int r = 0; r < 2; r++)
        snaps[r] = rs_session_build_snapshot (sessions[r], history[r], frames[r]);
      RsPlotTwinData data = { &plot->style, { snaps[0], snaps[1] }, { labels[0], labels[1] } };
      ok = rs_plot_twin_export_all (o->plots, plot->format, &data, plot->width, plot->height,
                                    plot->scale, error);
      for (int r = 0; r < 2; r++)
        rs_snapshot_unref (snaps[r]);
      if (ok)
        fprintf (stderr, _("%s: wrote the plots of A and B into %s\n"), prog, o->plots);
    }
  for (int r = 0; r < 2; r++)
    {
      rs_history_free (history[r]);
      rs_frame_store_free (frames[r]);
      g_free (labels[r]);
    }
  g_free (b_events);
  return ok;
}

static const char summary[] =
  N_("Trains a regscope lesson without a window.\n"
     "\n"
     "LESSON is a preset file (PRESET.ini) or the name of a shipped lesson\n"
     "(see --list); without one, the default lesson runs. A CSV file (DATA.csv)\n"
     "trains a default network sized to its features and classes.\n"
     "\n"
     "On a terminal a progress bar is shown; otherwise one line per epoch in\n"
     "the seed programs' format, \"Epoch: 3, Loss: 1.6214\".");

/* TRANSLATORS: %s is the log's header line, the column names. */
static const char description[] =
  N_("--set takes SECTION.KEY=VALUE as in a preset file, for example\n"
     "  --set 'layer fc1.l1=0.01'   --set fc1.l1=0.01 (shorthand for a layer)\n"
     "  --set data.source=csv:data.csv   --set model.layers=64,32,10\n"
     "  --set optimizer.lr=0.01\n"
     "Early stopping: --set early-stopping.patience=N (validation passes\n"
     "without a better one; 0: off), early-stopping.metric=val_loss|val_acc,\n"
     "early-stopping.restore=true (end on the best pass's weights) and\n"
     "early-stopping.stop=false (train on to the end, only mark the best).\n"
     "\n"
     "The metrics log (--log) has one row per optimizer step with the columns\n"
     "  %s\n"
     "\n"
     "--sweep TERM=FROM:TO:POINTS[:log|:lin] trains the lesson once per value\n"
     "of one setting (log-spaced unless ':lin'; fc*.KEY: every layer's), each\n"
     "run from the same seed, on --jobs threads, for example\n"
     "  --sweep 'fc1.l1=1e-5:1e-1:13' --jobs 2 --plots DIR --log sweep.csv\n"
     "--sweep lesson runs the lesson's own [sweep].\n"

     "Each point is the run --set TERM=VALUE gives, bit for bit. The log then\n"
     "has one row per point (TERM,steps,diverged,train_loss,train_acc,\n"
     "best_train_loss,best_train_acc,val_loss,val_acc,best_val_loss,best_val_acc,\n"
     "best_val_step, then fcK_norm,fcK_near_zero per layer); --plots writes\n"
     "validation-curve and regularization-path.\n"
     "\n"
     "--compare TERM=VALUE (repeatable) trains a twin: A, the lesson as set, and B\n"
     "with TERM changed (a layer's term or an optimizer setting), from the same\n"
     "seed on the same batches; a lesson's [compare] section does the same, e.g.\n"
     "  --compare fc1.l1=0.01 --plots DIR --log metrics.csv\n"
     "B is the run --set TERM=VALUE gives, bit for bit. --log FILE writes\n"
     "FILE-a and FILE-b, --plots writes DIR/a/, DIR/b/ and the twin dashboard\n"
     "DIR/twin, --save keeps A's weights.\n"
     "\n"
     "Exit status: 0 on success, 1 on bad input or a diverged run (NaN/Inf\n"
     "loss), 2 on a usage error.");

int
rs_cli_main (int argc, char **argv)
{
  rs_i18n_init ();
  g_autofree char *prog_name = g_path_get_basename (argc > 0 ? argv[0] : "regscope-train");
  const char *prog = prog_name;

  RsCliOptions o = { .scale = 1.0, .steps = G_MININT64 };
  GOptionEntry entries[] = {
    { "epochs", 0, 0, G_OPTION_ARG_INT, &o.epochs, N_("Train for N epochs"), "N" },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &o.steps, N_("Train for N optimizer steps (0: none, e.g. to --save the initial weights)"), "N" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o.sets, N_("Override a preset key (repeatable)"), N_("SECTION.KEY=VALUE") },
    { "init", 0, 0, G_OPTION_ARG_FILENAME, &o.init, N_("Initial parameters (PyTorch names fc1.weight, fc1.bias, ...)"), "W.safetensors" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &o.save, N_("Save the trained parameters"), "W.safetensors" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &o.log, N_("Write per-step metrics as CSV"), "metrics.csv" },
    { "plots", 0, 0, G_OPTION_ARG_FILENAME, &o.plots, N_("Write every plot and the dashboard into DIR"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, N_("Plot file format: png (default), svg or pdf"), N_("FORMAT") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &o.size, N_("Plot size in pixels (default 1280x800)"), "WxH" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &o.scale, N_("PNG scale factor for HiDPI (default 1)"), "N" },
    { "style", 0, 0, G_OPTION_ARG_STRING, &o.style, N_("Plot style: light (default), dark or presentation"), N_("STYLE") },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &o.progress, N_("auto (default), bar, epochs or none"), N_("MODE") },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &o.replay, N_("Reproduce a session saved by the window"), N_("SESSION") },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &o.sweep, N_("Train once per value of a term and write the validation curve and regularization path"), "TERM=FROM:TO:POINTS" },
    { "compare", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &o.compare, N_("Train a twin B beside the lesson (A), from the same seed on the same batches, with this term changed (repeatable)"), "TERM=VALUE" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs, N_("Sweep points trained at once (default: one per core)"), "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o.threads, N_("Threads for the large matrix products, the same results bit for bit (default: one per core; with --sweep, 1)"), "N" },
    { "print-pytorch", 0, 0, G_OPTION_ARG_NONE, &o.print_pytorch, N_("Print the equivalent PyTorch script (same data, init and losses; with --init, those weights; with --steps N, N steps) and exit"), NULL },
    { "print-preset", 0, 0, G_OPTION_ARG_NONE, &o.print_preset, N_("Print the experiment as a preset (after --set) and exit"), NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &o.list, N_("List the shipped lessons and exit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o.version, N_("Print the version and the data folder, and exit"), NULL },
    { NULL }
  };

  g_autoptr (GOptionContext) ctx = g_option_context_new (_("[LESSON]"));
  g_autofree char *description_text = g_strdup_printf (_(description), RS_METRICS_CSV_HEADER);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, _(summary));
  g_option_context_set_description (ctx, description_text);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  int status = 0;

  if (!g_option_context_parse_strv (ctx, &args, &error))
    {
      print_error (prog, error->message);
      rs_cli_options_clear (&o);
      return 2;
    }
  if (o.version)
    {
      printf ("regscope-train %s (kernels: %s)\n", RS_VERSION, rs_kernels_backend ());
      printf ("lessons and datasets: %s\n", rs_data_dir ());
      rs_cli_options_clear (&o);
      return 0;
    }
  if (o.list)
    {
      g_auto (GStrv) lessons = rs_lesson_list ();
      for (int i = 0; lessons[i] != NULL; i++)
        {
          g_autofree char *path = rs_lesson_resolve (lessons[i]);
          g_autoptr (RsExperiment) exp = path ? rs_experiment_load (path, NULL) : NULL;
          printf ("%-26s %s%s\n", lessons[i], exp ? exp->title : _("(unreadable)"),
                  g_str_equal (lessons[i], RS_DEFAULT_LESSON) ? "  [default]" : "");
        }
      rs_cli_options_clear (&o);
      return 0;
    }

  int n_args = g_strv_length (args);
  if (n_args > 2 || (n_args == 2 && o.replay != NULL))
    {
      print_error (prog, o.replay ? _("--replay takes the session file; no LESSON as well")
                                  : _("only one LESSON may be given"));
      rs_cli_options_clear (&o);
      return 2;
    }
  gboolean steps_given = o.steps != G_MININT64;
  if (o.epochs < 0 || (steps_given && o.steps < 0) || (o.epochs > 0 && steps_given))
    {
      print_error (prog, _("give one of --epochs N (N >= 1) or --steps N (N >= 0)"));
      rs_cli_options_clear (&o);
      return 2;
    }

  const char *sweep_conflict = o.sweep == NULL ? (o.jobs != 0 ? _("--jobs goes with --sweep") : NULL)
                               : o.replay != NULL ? _("--sweep trains a lesson; not with --replay")
                               : o.save != NULL ? _("--save keeps one run's weights; not with --sweep")
                               : o.jobs < 0 || o.jobs > 256 ? _("--jobs: must be 1 to 256")
                               : o.compare != NULL ? _("--compare trains two runs; not with --sweep")
                               : NULL;
  if (sweep_conflict != NULL)
    {
      print_error (prog, sweep_conflict);
      rs_cli_options_clear (&o);
      return 2;
    }
  if (o.threads < 0 || o.threads > RS_MAX_THREADS)
    {
      g_autofree char *msg = g_strdup_printf (_("--threads: must be 1 to %d"), RS_MAX_THREADS);
      print_error (prog, msg);
      rs_cli_options_clear (&o);
      return 2;
    }
  /* A sweep's points fill the cores already. */
  rs_pool_set_threads (o.threads > 0 ? o.threads : o.sweep != NULL ? 1 : 0);

  RsExportFormat format = RS_EXPORT_PNG;
  int width = 1280, height = 800;
  RsPlotStyle style;
  if (o.format != NULL && !rs_export_format_from_string (o.format, &format))
    {
      g_autofree char *msg = g_strdup_printf (_("--format: '%s' is not png, svg or pdf"), o.format);
      print_error (prog, msg);
      rs_cli_options_clear (&o);
      return 2;
    }
  if (o.size != NULL && !parse_size (o.size, &width, &height))
    {
      g_autofree char *msg = g_strdup_printf (_("--size: '%s' is not WxH (64..16384 each)"), o.size);
      print_error (prog, msg);
      rs_cli_options_clear (&o);
      return 2;
    }
  if (!(o.scale >= 0.25 && o.scale <= 8))
    {
      print_error (prog, _("--scale: must be between 0.25 and 8"));
      rs_cli_options_clear (&o);
      return 2;
    }
  if (o.style == NULL || g_str_equal (o.style, "light"))
    rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, FALSE);
  else if (g_str_equal (o.style, "dark"))
    rs_plot_style_init (&style, RS_PLOT_THEME_DARK, FALSE);
  else if (g_str_equal (o.style, "presentation"))
    rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, TRUE);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("--style: '%s' is not light, dark or presentation"), o.style);
      print_error (prog, msg);
      rs_cli_options_clear (&o);
      return 2;
    }
  RsProgressMode mode = RS_PROGRESS_AUTO;
  if (o.progress != NULL)
    {
      const char *names[] = { "auto", "bar", "epochs", "none" };
      gboolean found = FALSE;
      for (int i = 0; i < 4; i++)
        if (g_str_equal (o.progress, names[i]))
          {
            mode = (RsProgressMode) i;
            found = TRUE;
          }
      if (!found)
        {
          print_error (prog, _("--progress: expected auto, bar, epochs or none"));
          rs_cli_options_clear (&o);
          return 2;
        }
    }

  /* The experiment: a saved session, a preset file or a lesson name. */
  g_autoptr (RsReplay) replay = NULL;
  g_autoptr (RsExperiment) exp = NULL;
  if (o.replay != NULL)
    {
      replay = rs_replay_load (o.replay, &error);
      if (replay == NULL)
        goto fail;
      exp = rs_experiment_copy (replay->experiment);
      if (o.init == NULL && replay->init_path != NULL)
        o.init = g_strdup (replay->init_path);
    }
  else
    {
      const char *lesson = n_args == 2 ? args[1] : RS_DEFAULT_LESSON;
      g_autofree char *path = rs_lesson_resolve (lesson);
      if (path == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("'%s' is neither a preset file nor a shipped lesson (see --list)"), lesson);
          print_error (prog, msg);
          rs_cli_options_clear (&o);
          return 1;
        }
      exp = rs_lesson_load (path, &error);
      if (exp == NULL)
        goto fail;
    }
  /* All overrides together, validated once: "data.features=4" with
   * "model.layers=4,8,3" only agree as a pair. */
  if (o.sets != NULL && !rs_experiment_set_many (exp, (const char *const *) o.sets, &error))
    goto fail;
  if (o.compare != NULL)
    {
      /* B's overrides replace the lesson's [compare], checked as a whole */
      gsize n = g_strv_length (o.compare);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (names, g_strdup_printf ("--compare '%s'", o.compare[i]));
      g_ptr_array_add (names, NULL);
      if (!rs_twin_set_compare (exp, (const char *const *) o.compare,
                                (const char *const *) names->pdata, "--compare", &error))
        goto fail;
    }
  if (o.epochs > 0)
    {
      exp->epochs = o.epochs;
      exp->steps = 0;
    }
  if (o.steps > 0)
    exp->steps = o.steps;  /* 0 is no run length a preset can hold: see total */

  if (o.sweep != NULL && !o.print_pytorch && !o.print_preset)
    {
      PlotOptions plot = { format, style, width, height, o.scale };
      if (!run_sweep (prog, &o, exp, mode, &plot, &error))
        goto fail;
      rs_cli_options_clear (&o);
      return 0;
    }

  if (o.print_pytorch || o.print_preset)
    {
      /* The script loads --init's weights from where they are now. */
      g_autofree char *init = o.init != NULL ? g_canonicalize_filename (o.init, NULL) : NULL;
      gint64 steps = steps_given ? o.steps : RS_PYTORCH_EXPERIMENT_STEPS;
      g_autofree char *text = o.print_pytorch ? rs_experiment_to_pytorch_with_init (exp, init, steps)
                                              : rs_experiment_to_ini (exp);
      fputs (text, stdout);
      rs_cli_options_clear (&o);
      return 0;
    }

  gint64 total = o.steps == 0 ? 0
                 : replay != NULL && !steps_given && o.epochs == 0 ? replay->steps : -1;
  if (exp->compare != NULL)
    {
      PlotOptions plot = { format, style, width, height, o.scale };
      if (!run_twin (prog, &o, exp, replay, total, mode, &plot, &error))
        goto fail;
      rs_cli_options_clear (&o);
      return 0;
    }
  {
    g_autoptr (RsSession) session = rs_session_new (exp, &error);
    if (session == NULL)
      goto fail;
    if (o.init != NULL && !rs_session_load_init (session, o.init, &error))
      goto fail;
    if (o.init != NULL && rs_session_get_init_warning (session) != NULL)
      fprintf (stderr, _("%s: warning: %s\n"), prog, rs_session_get_init_warning (session));

    if (total < 0)
      total = rs_session_total_steps (session);
    RsHistory *history = rs_history_new (4096);
    RsFrameStore *frames = rs_frame_store_new ();
    gboolean ok = train_session (session, total, replay ? replay->events : NULL,
                                 replay ? replay->n_events : 0, replay != NULL, o.log, mode,
                                 prog, o.replay ? o.replay : exp->path ? exp->path : exp->title,
                                 history, frames, &error);
    if (ok && o.save != NULL)
      ok = rs_session_save_checkpoint (session, o.save, &error);
    if (ok && o.plots != NULL)
      {
        g_autoptr (RsSnapshot) snap = rs_session_build_snapshot (session, history, frames);
        ok = rs_plot_export_all (o.plots, format, &style, snap, NULL, width, height, o.scale,
                                 &error);
        if (ok)
          fprintf (stderr, _("%s: wrote the plots into %s\n"), prog, o.plots);
      }
    rs_history_free (history);
    rs_frame_store_free (frames);
    if (!ok)
      goto fail;
  }
  rs_cli_options_clear (&o);
  return status;

fail:
  print_error (prog, error != NULL ? error->message : _("failed"));
  rs_cli_options_clear (&o);
  return 1;
}
