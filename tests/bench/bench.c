/* bench.c — regscope's step rate on the three reference models.
 *
 *   regscope-bench                  the three models: µs/step, steps/s, GFLOP/s
 *   regscope-bench --tsv            the same, tab-separated (compare-pytorch.py)
 *   regscope-bench --model NAME     only seed, mid or big
 *   regscope-bench --snapshot       the trainer publishing snapshots vs the bare session
 *   regscope-bench --rss [STEPS]    resident memory over STEPS (10^6) seed steps, trainer
 *   regscope-bench --kernels        each kernel set on each product of each model
 *   regscope-bench --set portable   the models with every kernel from one set
 *                                   (portable, avx2, avx512, openblas; default: per size)
 *   regscope-bench --all            models, snapshot and kernels
 *   regscope-bench --with fc1.dropout=0.5   a preset key on every model (repeatable)
 *   regscope-bench --threads N      N threads for the large products (0: one per core)
 *   regscope-bench --steps N        exactly N steps of each model, untimed: for
 *                                   instruction counts, e.g. valgrind --tool=callgrind
 *                                   --toggle-collect=rs_session_step
 *
 * Every model trains as the issue measures it: full batch of random data,
 * Adam (lr 1e-3), L1 0.005 on fc1 (weights and bias), ReLU, cross-entropy,
 * one thread (--threads N: N threads for the large products, bit for bit
 * the same steps). A timing is the median of seven runs after a warm-up; the
 * "cpu" column is the process's CPU time over the wall time (well below
 * 100% means other processes took the core, and the figure is pessimistic).
 *
 * Speed is checked here, never by timed unit tests (docs/performance.md). */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "rs-kernels-impl.h"
#include "rs-kernels.h"
#include "rs-pool.h"
#include "rs-rng.h"
#include "rs-session.h"
#include "rs-trainer.h"

typedef struct {
  const char *name;
  const char *layers;
  int         batch;
} Model;

static const Model models[] = {
  { "seed", "10,20,5", 64 },
  { "mid", "64,128,64,10", 256 },
  { "big", "784,256,128,10", 128 },
};

#define REPEATS 7

/* --with SECTION.KEY=VALUE: more settings on every model ("fc1.dropout=0.5"),
 * to price a term that is off in the figures of docs/performance.md. */
static char **extra_settings;

/* ---- models ---------------------------------------------------------------- */

static RsExperiment *
model_experiment (const Model *model, gint64 steps)
{
  RsExperiment *exp = rs_experiment_new_default ();
  g_auto (GStrv) sizes = g_strsplit (model->layers, ",", -1);
  int n = g_strv_length (sizes);
  g_autofree char *layers = g_strdup_printf ("model.layers=%s", model->layers);
  g_autofree char *features = g_strdup_printf ("data.features=%s", sizes[0]);
  g_autofree char *classes = g_strdup_printf ("data.classes=%s", sizes[n - 1]);
  g_autofree char *samples = g_strdup_printf ("data.samples=%d", model->batch);
  g_autofree char *nsteps = g_strdup_printf ("experiment.steps=%" G_GINT64_FORMAT, steps);
  const char *set[] = {
    "data.source=random", features, classes, samples, "data.validation=0",
    "data.batch-size=0", layers, "model.activation=relu", "model.loss=cross-entropy",
    "optimizer.name=adam", "optimizer.lr=0.001", "fc1.l1=0.005", "fc1.l1-bias=true",
    nsteps, NULL,
  };
  g_autoptr (GError) error = NULL;
  if (!rs_experiment_set_many (exp, set, &error)
      || (extra_settings != NULL
          && !rs_experiment_set_many (exp, (const char *const *) extra_settings, &error)))
    g_error ("%s: %s", model->name, error->message);
  return exp;
}

static RsSession *
model_session (const Model *model, gint64 steps)
{
  g_autoptr (RsExperiment) exp = model_experiment (model, steps);
  g_autoptr (GError) error = NULL;
  RsSession *s = rs_session_new (exp, &error);
  if (s == NULL)
    g_error ("%s: %s", model->name, error->message);
  return s;
}

static const Model *
find_model (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    if (strcmp (models[i].name, name) == 0)
      return &models[i];
  return NULL;
}

/* 6 B sum(in*out): forward plus the two backward products, 2 flops per
 * multiply-add (the count; it includes fc1's dX, which is never
 * computed, and the multiplications by ReLU zeros, which are skipped). */
static double
model_flops (const Model *model)
{
  g_auto (GStrv) sizes = g_strsplit (model->layers, ",", -1);
  double macs = 0;
  for (int i = 0; sizes[i + 1] != NULL; i++)
    macs += g_ascii_strtod (sizes[i], NULL) * g_ascii_strtod (sizes[i + 1], NULL);
  return 6.0 * model->batch * macs;
}

/* ---- clocks -------------------------------------------------------------------- */

static double
now_seconds (void)
{
  return g_get_monotonic_time () * 1e-6;
}

static double
thread_cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The whole process's CPU time: a helper thread (an OpenBLAS worker, had
 * it not been pinned to one thread) would show here. */
static double
process_cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

typedef void (*WorkFunc) (gpointer data, gint64 n);

/* Median seconds per unit of `work` over REPEATS runs of about
 * seconds / REPEATS each (after calibrating on >= 20 ms); *cpu_share as
 * above; *cpu_min (may be NULL): the least process CPU time per unit, the
 * steadiest figure on a busy machine for one thread; *wall_min (may be
 * NULL): the least wall time per unit, the figure for several threads. */
static double
time_work_cpu (WorkFunc work, gpointer data, double seconds, double *cpu_share,
               double *cpu_min, double *wall_min)
{
  gint64 n = 1;
  for (;;)
    {
      double t0 = now_seconds ();
      work (data, n);
      double dt = now_seconds () - t0;
      if (dt >= 0.02)
        {
          n = MAX (1, (gint64) (n * (seconds / REPEATS) / dt));
          break;
        }
      n *= 2;
    }
  double per[REPEATS], wall = 0, cpu = 0, least = INFINITY, least_wall = INFINITY;
  for (int r = 0; r < REPEATS; r++)
    {
      double t0 = now_seconds (), c0 = process_cpu_seconds ();
      work (data, n);
      double dt = now_seconds () - t0, dc = process_cpu_seconds () - c0;
      cpu += dc;
      wall += dt;
      least = MIN (least, dc / n);
      least_wall = MIN (least_wall, dt / n);
      per[r] = dt / n;
    }
  if (cpu_share != NULL)
    *cpu_share = cpu / wall;
  if (cpu_min != NULL)
    *cpu_min = least;
  if (wall_min != NULL)
    *wall_min = least_wall;
  qsort (per, REPEATS, sizeof (double), compare_double);
  return per[REPEATS / 2];
}

static double
time_work (WorkFunc work, gpointer data, double seconds, double *cpu_share)
{
  return time_work_cpu (work, data, seconds, cpu_share, NULL, NULL);
}

static void
session_steps (gpointer data, gint64 n)
{
  RsSession *s = data;
  RsMetrics m;
  g_autoptr (GError) error = NULL;
  for (gint64 i = 0; i < n; i++)
    if (!rs_session_step (s, &m, &error))
      g_error ("step failed: %s", error->message);
}

/* ---- the machine's peak ------------------------------------------------------------ */

/* The nominal clock: $RS_BENCH_GHZ, else /proc/cpuinfo's "cpu MHz". */
static double
nominal_ghz (void)
{
  const char *env = g_getenv ("RS_BENCH_GHZ");
  if (env != NULL)
    return g_ascii_strtod (env, NULL);
  g_autofree char *info = NULL;
  if (g_file_get_contents ("/proc/cpuinfo", &info, NULL, NULL))
    {
      const char *p = strstr (info, "cpu MHz");
      if (p != NULL && (p = strchr (p, ':')) != NULL)
        return g_ascii_strtod (p + 1, NULL) / 1000.0;
    }
  return NAN;
}

#if defined(__x86_64__)
/* Twelve independent FMA chains (more than latency x ports): what one core
 * really sustains, turbo clock included. One body for both widths: VEC is
 * the vector type, SET1 and FMADD its intrinsics, LANES its floats. */
#define PEAK_BODY(VEC, SET1, FMADD, LANES)                                                \
  /* Distinct starting values, or the compiler merges identical chains. */              \
  volatile float seed = 1e-3f;                                                            \
  VEC a0 = SET1 (seed), a1 = SET1 (2 * seed), a2 = SET1 (3 * seed), a3 = SET1 (4 * seed),  \
      a4 = SET1 (5 * seed), a5 = SET1 (6 * seed), a6 = SET1 (7 * seed),                    \
      a7 = SET1 (8 * seed), a8 = SET1 (9 * seed), a9 = SET1 (10 * seed),                   \
      a10 = SET1 (11 * seed), a11 = SET1 (12 * seed);                                      \
  const VEC b = SET1 (0.999f), c = SET1 (1e-7f);                                           \
  const gint64 n = 20000000;                                                              \
  /* CPU time, not wall time: a busy machine must not lower the peak. */                  \
  double t0 = thread_cpu_seconds ();                                                      \
  for (gint64 i = 0; i < n; i++)                                                          \
    {                                                                                     \
      a0 = FMADD (a0, b, c); a1 = FMADD (a1, b, c); a2 = FMADD (a2, b, c);                 \
      a3 = FMADD (a3, b, c); a4 = FMADD (a4, b, c); a5 = FMADD (a5, b, c);                 \
      a6 = FMADD (a6, b, c); a7 = FMADD (a7, b, c); a8 = FMADD (a8, b, c);                 \
      a9 = FMADD (a9, b, c); a10 = FMADD (a10, b, c); a11 = FMADD (a11, b, c);             \
    }                                                                                     \
  double dt = thread_cpu_seconds () - t0;                                                 \
  /* Every chain is used, so none is dropped. */                                         \
  float out[LANES];                                                                       \
  VEC s = FMADD (a0, a1, FMADD (a2, a3, FMADD (a4, a5, a6)));                             \
  s = FMADD (s, a7, FMADD (a8, a9, FMADD (a10, a11, s)));                                 \
  memcpy (out, &s, sizeof out);                                                           \
  volatile float sink = out[0];                                                           \
  (void) sink;                                                                            \
  return n * 12.0 * 2 * (LANES) / dt * 1e-9;

__attribute__ ((target ("avx2,fma"))) static double
measured_peak_avx2 (void)
{
  PEAK_BODY (__m256, _mm256_set1_ps, _mm256_fmadd_ps, 8)
}

__attribute__ ((target ("avx512f"))) static double
measured_peak_avx512 (void)
{
  PEAK_BODY (__m512, _mm512_set1_ps, _mm512_fmadd_ps, 16)
}
#undef PEAK_BODY
#endif

/* The FP32 FMA peak of one core, measured (best of three) for AVX2 and
 * for AVX-512 (NAN where the CPU lacks it); "% of measured peak" is taken
 * against the widest the CPU has (Zen 5 runs 512-bit FMAs at full width:
 * twice the AVX2 rate). */
typedef struct {
  double avx2, avx512;
  double widest;        /* the larger of the two available */
  const char *isa;      /* which one that is: "avx512", "avx2" or "none" */
  int lanes;            /* its floats per vector, for the nominal peak */
} Peak;

static Peak
measure_peak (void)
{
  Peak pk = { NAN, NAN, NAN, "none", 8 };
#if defined(__x86_64__)
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    {
      pk.avx2 = 0;
      for (int i = 0; i < 3; i++)
        pk.avx2 = MAX (pk.avx2, measured_peak_avx2 ());
      pk.widest = pk.avx2, pk.isa = "avx2";
    }
  if (__builtin_cpu_supports ("avx512f"))
    {
      pk.avx512 = 0;
      for (int i = 0; i < 3; i++)
        pk.avx512 = MAX (pk.avx512, measured_peak_avx512 ());
      pk.widest = pk.avx512, pk.isa = "avx512", pk.lanes = 16;
    }
#endif
  return pk;
}

/* ---- the models ----------------------------------------------------------------- */

static void
bench_models (const char *only, double seconds, gboolean tsv)
{
  Peak peak = measure_peak ();
  double ghz = nominal_ghz (), nominal = 2 * peak.lanes * 2 * ghz, measured = peak.widest;
  if (tsv)
    printf ("model\tlayers\tbatch\tus_per_step\tsteps_per_s\tgflops\tpct_nominal_peak\t"
            "pct_measured_peak\tcpu_share\tcpu_us_per_step\tmin_us_per_step\tthreads\t"
            "peak_isa\tpeak_avx2_gflops\tpeak_avx512_gflops\n");
  else
    {
      printf ("regscope %s; kernels: %s; %d thread%s\n", RS_VERSION, rs_kernels_describe (),
              rs_pool_threads (), rs_pool_threads () > 1 ? "s" : "");
      printf ("FP32 FMA peak, measured (turbo): AVX2 %.1f GFLOP/s, AVX-512 %.1f GFLOP/s; "
              "nominal %.1f GFLOP/s (2 FMA ports x %d floats x 2 flops x %.3f GHz); "
              "%%peaks against %s\n", peak.avx2, peak.avx512, nominal, peak.lanes, ghz, peak.isa);
      printf ("%-5s %-15s %5s %10s %10s %8s %8s %8s %5s\n", "model", "layers", "batch",
              "us/step", "steps/s", "GFLOP/s", "%nominal", "%measured", "cpu");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const Model *model = &models[i];
      if (only != NULL && strcmp (only, model->name) != 0)
        continue;
      g_autoptr (RsSession) s = model_session (model, 1);
      double share, cpu, least;
      double sec = time_work_cpu (session_steps, s, seconds, &share, &cpu, &least);
      double gflops = model_flops (model) / sec * 1e-9;
      if (tsv)
        printf ("%s\t%s\t%d\t%.3f\t%.1f\t%.2f\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f\t%d\t%s\t%.1f\t%.1f\n",
                model->name, model->layers, model->batch, sec * 1e6, 1.0 / sec, gflops,
                100 * gflops / nominal, 100 * gflops / measured, share, cpu * 1e6, least * 1e6,
                rs_pool_threads (), peak.isa, peak.avx2, peak.avx512);
      else
        printf ("%-5s %-15s %5d %10.3f %10.0f %8.2f %8.1f %8.1f %4.0f%%\n", model->name,
                model->layers, model->batch, sec * 1e6, 1.0 / sec, gflops, 100 * gflops / nominal,
                100 * gflops / measured, 100 * share);
      fflush (stdout);
    }
}

/* N steps of each model and nothing else: an instruction count (which,
 * unlike a time, a busy machine does not change) divides by N. */
static void
bench_steps (const char *only, gint64 steps)
{
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    {
      if (only != NULL && strcmp (only, models[i].name) != 0)
        continue;
      g_autoptr (RsSession) s = model_session (&models[i], 1);
      session_steps (s, steps);
      printf ("%s: %" G_GINT64_FORMAT " steps\n", models[i].name, steps);
    }
}

/* ---- snapshot publishing ------------------------------------------------------------ */

static long
page_size (void)
{
  return sysconf (_SC_PAGESIZE);
}

/* Resident set size in bytes (/proc/self/statm's second field). */
static double
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return NAN;
  long size = 0, resident = 0;
  if (sscanf (statm, "%ld %ld", &size, &resident) != 2)
    return NAN;
  return (double) resident * page_size ();
}

typedef struct {
  double seconds;
  guint64 snapshots;
  double rss_start, rss_end, rss_max;
} TrainerRun;

/* `steps` steps through the trainer at full speed, the main thread taking
 * the newest snapshot every 16 ms as the UI's frame clock would. */
static TrainerRun
run_trainer (const Model *model, gint64 steps)
{
  TrainerRun run = { 0 };
  RsSession *session = model_session (model, steps);
  RsTrainer *t = rs_trainer_new (session);
  rs_trainer_set_speed (t, 0);
  rs_trainer_sync (t);
  guint64 serial0 = rs_trainer_get_snapshot_serial (t);
  run.rss_start = run.rss_max = resident_bytes ();
  double t0 = now_seconds ();
  rs_trainer_play (t);
  while (rs_trainer_get_state (t) != RS_TRAINER_FINISHED)
    {
      g_usleep (16000);
      RsSnapshot *snap = rs_trainer_get_snapshot (t);
      rs_snapshot_unref (snap);
      run.rss_max = MAX (run.rss_max, resident_bytes ());
      if (rs_trainer_get_state (t) == RS_TRAINER_DIVERGED)
        g_error ("%s diverged in the trainer", model->name);
    }
  run.seconds = now_seconds () - t0;
  run.snapshots = rs_trainer_get_snapshot_serial (t) - serial0;
  run.rss_end = resident_bytes ();
  run.rss_max = MAX (run.rss_max, run.rss_end);
  rs_trainer_free (t);
  return run;
}

static void
bench_snapshot (const char *only, double seconds)
{
  printf ("\nSnapshot publishing: the trainer at full speed (publishing ~30 snapshots/s, the\n"
          "main thread taking one every 16 ms) against the bare session, same steps.\n");
  printf ("%-5s %10s %12s %12s %10s %9s\n", "model", "steps", "bare us/st", "trainer us/st",
          "snapshots", "overhead");
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const Model *model = &models[i];
      if (only != NULL && strcmp (only, model->name) != 0)
        continue;
      /* Bare: the same number of steps in this thread, timed the same way. */
      g_autoptr (RsSession) probe = model_session (model, 1);
      double per = time_work (session_steps, probe, 0.5, NULL);
      gint64 steps = MAX (100, (gint64) (seconds / per));
      double bare[3], trained[3];
      guint64 snaps = 0;
      for (int r = 0; r < 3; r++)
        {
          g_autoptr (RsSession) s = model_session (model, steps);
          double t0 = now_seconds ();
          session_steps (s, steps);
          bare[r] = (now_seconds () - t0) / steps;
          TrainerRun run = run_trainer (model, steps);
          trained[r] = run.seconds / steps;
          snaps = run.snapshots;
        }
      qsort (bare, 3, sizeof (double), compare_double);
      qsort (trained, 3, sizeof (double), compare_double);
      printf ("%-5s %10" G_GINT64_FORMAT " %12.3f %12.3f %10" G_GUINT64_FORMAT " %8.1f%%\n",
              model->name, steps, bare[1] * 1e6, trained[1] * 1e6, snaps,
              100 * (trained[1] / bare[1] - 1));
      fflush (stdout);
    }
}

static int
bench_rss (gint64 steps)
{
  const Model *seed = find_model ("seed");
  printf ("\nResident memory: %" G_GINT64_FORMAT " steps of the seed model through the trainer\n",
          steps);
  TrainerRun run = run_trainer (seed, steps);
  double growth = run.rss_end - run.rss_start;
  printf ("RSS start %.1f MB, end %.1f MB, max %.1f MB: growth %.2f MB (limit 10 MB) %s; "
          "%.0f steps/s, %" G_GUINT64_FORMAT " snapshots\n",
          run.rss_start / 1e6, run.rss_end / 1e6, run.rss_max / 1e6, growth / 1e6,
          growth <= 10e6 ? "pass" : "FAIL", steps / run.seconds, run.snapshots);
  return growth <= 10e6 ? 0 : 1;
}

/* ---- kernels ---------------------------------------------------------------------- */

typedef struct {
  int m, n, k;
  const float *a;
  gsize ars, acs;
  const float *b;
  gsize bks, bns;
  float *c;
} Product;

/* The same product by the ReLU-sparse kernels, where its zeros allow:
 * ROWS walks the set bits of A's rows (a forward or dX: C = A B with B
 * row-major, packed as the network packs it), COLS those of A's columns
 * (a dW: C = A^T B). */
typedef enum { SPARSE_NONE, SPARSE_ROWS, SPARSE_COLS } SparseForm;

typedef struct {
  SparseForm   form;
  RsNzIndex   *ix;
  int          m, n, k;
  const float *a;
  gsize        ars, acs;
  const float *b;      /* rows: packed or [k, n]; cols: [k, n] */
  gsize        ldb, chunk_stride;
  float       *part;
  float       *c;
} SparseProduct;

static void
sparse_work (gpointer data, gint64 n)
{
  SparseProduct *p = data;
  for (gint64 i = 0; i < n; i++)
    if (p->form == SPARSE_ROWS)
      rs_gemm_sparse (p->m, p->n, p->ix, p->a, p->ars, p->acs, p->b, p->ldb, p->chunk_stride,
                      0.0f, p->c, p->n, NULL);
    else
      rs_gemm_sparse_cols (p->m, p->n, p->k, p->ix, p->a, p->ars, p->acs, p->b, p->ldb,
                           p->part, 0.0f, p->c, p->n);
}

static void
product_work (gpointer data, gint64 n)
{
  Product *p = data;
  for (gint64 i = 0; i < n; i++)
    rs_gemm_ex (p->m, p->n, p->k, p->a, p->ars, p->acs, p->b, p->bks, p->bns, 0.0f, p->c,
                p->n, NULL);
}

static float *
random_buffer (RsRng *rng, gsize n, double zeros)
{
  float *v = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    v[i] = rs_rng_uniform (rng) < zeros ? 0.0f : (float) rs_rng_normal (rng);
  return v;
}

/* One product under every set: AVX2, AVX-512, OpenBLAS, portable, and the
 * sparse form when there is one (sp may be NULL). */
static void
bench_product (const char *what, Product *p, SparseProduct *sp, double seconds)
{
  printf ("  %-12s %4d x %4d x %4d", what, p->m, p->n, p->k);
  const RsKernelSet sets[] = { RS_KERNELS_AVX2, RS_KERNELS_AVX512, RS_KERNELS_BLAS,
                               RS_KERNELS_PORTABLE };
  for (gsize r = 0; r < G_N_ELEMENTS (sets); r++)
    {
      if (!rs_kernels_force (sets[r]))
        {
          printf (" %9s", "-");
          continue;
        }
      double cpu;
      time_work_cpu (product_work, p, seconds, NULL, &cpu, NULL);
      printf (" %9.2f", cpu * 1e6);
    }
  rs_kernels_force (RS_KERNELS_AUTO);
  if (sp != NULL && sp->form != SPARSE_NONE && rs_kernels_sparse_enabled ())
    {
      double cpu;
      time_work_cpu (sparse_work, sp, seconds, NULL, &cpu, NULL);
      printf (" %9.2f", cpu * 1e6);
    }
  else
    printf (" %9s", "-");
  printf ("  %s\n", rs_kernels_set_name (rs_kernels_choose (p->m, p->n, p->k)));
}

/* W^T [k, n] (row-major) as the network hands it to the row form. */
static void
sparse_rows_setup (SparseProduct *sp, int m, int n, int k, const float *a, const float *bt,
                   float *packed, float *c)
{
  *sp = (SparseProduct) { .form = SPARSE_ROWS, .m = m, .n = n, .k = k, .a = a, .ars = k,
                          .acs = 1, .c = c };
  sp->ix = rs_nz_index_new (m, k);
  rs_nz_index_build (sp->ix, a, m, k, k);
  if (rs_sparse_packs (n))
    {
      rs_sparse_pack (bt, k, n, n, packed);
      sp->b = packed;
      sp->ldb = RS_SPARSE_CHUNK;
      sp->chunk_stride = (gsize) k * RS_SPARSE_CHUNK;
    }
  else
    {
      sp->b = bt;
      sp->ldb = n;
      sp->chunk_stride = RS_SPARSE_CHUNK;
    }
}

static void
bench_kernels (double seconds)
{
  printf ("\nThe products of each layer, µs of CPU per call (least of 7 runs); sparse:\n"
          "the ReLU-sparse kernel at half zeros, where the product has them (whether the\n"
          "network uses it is decided per step by density and shape; docs/performance.md)\n");
  printf ("  %-12s %18s %9s %9s %9s %9s %9s  %s\n", "product", "m x n x k", "avx2", "avx512",
          "openblas", "portable", "sparse", "auto");
  RsRng rng;
  rs_rng_init (&rng, 1, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const Model *model = &models[i];
      g_auto (GStrv) sizes = g_strsplit (model->layers, ",", -1);
      int n_layers = g_strv_length (sizes) - 1, batch = model->batch;
      printf (" %s %s, batch %d\n", model->name, model->layers, batch);
      for (int l = 0; l < n_layers; l++)
        {
          int in = atoi (sizes[l]), out = atoi (sizes[l + 1]);
          /* a hidden layer's input (a ReLU output) and dz are half zeros */
          gboolean relu_in = l > 0, relu_dz = l + 1 < n_layers;
          g_autofree float *x = random_buffer (&rng, (gsize) batch * in, relu_in ? 0.5 : 0.0);
          g_autofree float *w = random_buffer (&rng, (gsize) out * in, 0.0);
          g_autofree float *dz = random_buffer (&rng, (gsize) batch * out, relu_dz ? 0.5 : 0.0);
          g_autofree float *c = g_new (float, (gsize) MAX (batch, out) * MAX (in, out));
          g_autofree char *fwd = g_strdup_printf ("fc%d forward", l + 1);
          g_autofree char *dw = g_strdup_printf ("fc%d dW", l + 1);
          g_autofree char *dx = g_strdup_printf ("fc%d dX", l + 1);
          g_autofree float *packed = g_new (float, (gsize) out * in);
          g_autofree float *part = g_new (float, (gsize) out * in);
          SparseProduct sf = { .form = SPARSE_NONE }, sg = sf, sh = sf;
          /* forward x W^T with W^T at hand (the network transposes W once) */
          Product f = { batch, out, in, x, in, 1, w, out, 1, c };
          if (relu_in)
            sparse_rows_setup (&sf, batch, out, in, x, w, packed, c);
          bench_product (fwd, &f, &sf, seconds);
          Product g = { out, in, batch, dz, 1, out, x, in, 1, c };
          if (relu_dz)
            {
              /* dW[j, :] = sum over the nonzero dz[n, j] of dz[n, j] x[n, :] */
              sg = (SparseProduct) { .form = SPARSE_COLS, .m = out, .n = in, .k = batch,
                                     .a = dz, .ars = 1, .acs = out, .b = x, .ldb = in,
                                     .part = part, .c = c };
              sg.ix = rs_nz_index_new (batch, out);
              rs_nz_index_build (sg.ix, dz, batch, out, out);
              rs_nz_index_columns (sg.ix);
            }
          bench_product (dw, &g, &sg, seconds);
          if (l > 0)
            {
              Product h = { batch, in, out, dz, out, 1, w, in, 1, c };
              if (relu_dz)
                sparse_rows_setup (&sh, batch, in, out, dz, w, packed, c);
              bench_product (dx, &h, &sh, seconds);
            }
          rs_nz_index_free (sf.ix);
          rs_nz_index_free (sg.ix);
          rs_nz_index_free (sh.ix);
        }
    }
}

int
main (int argc, char **argv)
{
  gboolean tsv = FALSE, snapshot = FALSE, kernels = FALSE, all = FALSE;
  gint64 rss_steps = 0, count_steps = 0;
  char *only = NULL, *set_name = NULL;
  double seconds = 2.0;
  int threads = 1;
  GOptionEntry entries[] = {
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      "Threads for the large products (default 1; 0: one per core)", "N" },
    { "tsv", 0, 0, G_OPTION_ARG_NONE, &tsv, "Tab-separated model table", NULL },
    { "model", 0, 0, G_OPTION_ARG_STRING, &only, "Only this model (seed, mid, big)", "NAME" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Time per measurement (2)", "S" },
    { "snapshot", 0, 0, G_OPTION_ARG_NONE, &snapshot, "Trainer with snapshots vs bare session",
      NULL },
    { "rss", 0, 0, G_OPTION_ARG_INT64, &rss_steps, "Resident memory over N seed steps", "N" },
    { "kernels", 0, 0, G_OPTION_ARG_NONE, &kernels, "Each kernel set on each product", NULL },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &count_steps,
      "Exactly N steps of each model, untimed (for instruction counts)", "N" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Models, snapshot cost and kernels", NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING, &set_name,
      "Every kernel from one set: portable, avx2, avx512, openblas (default: per size)", "SET" },
    { "with", 0, 0, G_OPTION_ARG_STRING_ARRAY, &extra_settings,
      "A preset key on every model, as --set of regscope-train (repeatable)",
      "SECTION.KEY=VALUE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- regscope step-rate benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, "With no option: the three models' step rates.");
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (only != NULL && find_model (only) == NULL)
    {
      fprintf (stderr, "unknown model '%s' (seed, mid, big)\n", only);
      return 2;
    }
  if (threads < 0)
    {
      fprintf (stderr, "--threads: %d is not a thread count (0: one per core)\n", threads);
      return 2;
    }
  rs_kernels_init ();
  rs_pool_set_threads (threads);
  if (set_name != NULL)
    {
      const RsKernelSet sets[] = { RS_KERNELS_PORTABLE, RS_KERNELS_AVX2, RS_KERNELS_AVX512,
                                   RS_KERNELS_BLAS };
      gboolean found = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
        if (strcmp (set_name, rs_kernels_set_name (sets[i])) == 0)
          {
            if (!rs_kernels_force (sets[i]))
              {
                fprintf (stderr, "the %s kernels are not available here\n", set_name);
                return 2;
              }
            found = TRUE;
          }
      if (!found)
        {
          fprintf (stderr, "unknown kernel set '%s' (portable, avx2, avx512, openblas)\n", set_name);
          return 2;
        }
      printf ("every kernel forced to the %s set\n", set_name);
    }
  int status = 0;
  if (count_steps > 0)
    {
      bench_steps (only, count_steps);
      g_free (only);
      g_free (set_name);
      g_strfreev (extra_settings);
      return 0;
    }
  gboolean models_table = all || (!snapshot && !kernels && rss_steps == 0);
  if (models_table)
    bench_models (only, seconds, tsv);
  if (snapshot || all)
    bench_snapshot (only, seconds);
  if (kernels || all)
    bench_kernels (seconds / 10);
  if (rss_steps > 0)
    status = bench_rss (rss_steps);
  g_free (only);
  g_free (set_name);
  g_strfreev (extra_settings);
  return status;
}
