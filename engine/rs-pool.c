/* rs-pool.c — the engine's worker threads (see rs-pool.h).
 *
 * Workers wait for a new job number. Between the products of one step the
 * gaps are up to a few tens of microseconds, so a worker first spins a
 * while on the job number (an atomic load and a pause) before it sleeps on
 * the condition variable; the caller does the same waiting for the last
 * part. The caller publishes a job under the lock, so a worker that
 * checked and is about to sleep cannot miss it. */
#include "rs-pool.h"

#include <pthread.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause ()
#else
#define CPU_RELAX() do { } while (0)
#endif

/* How long a waiting thread spins before it sleeps: longer than most gaps
 * between the products of a step (784-256-128-10: up to ~16 µs), far
 * shorter than a step. Timed, not counted: a pause takes ~40 ns on Zen 4,
 * far less on older cores. Not longer: on a busy machine a spinning worker
 * takes the core from its own caller (one process's threads share their
 * slice), and 150 µs made 784-256-128-10's two-thread step 3× slower at a
 * load of 12 on 2 cores; a sleeper that is woken gets the core at once. */
#define SPIN_US 40

static int threads_wanted = 1;  /* atomic */

/* One caller at a time; held from publishing a job to its end, and while
 * the workers are started or stopped. */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;  /* a new job, or quit */
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;  /* the last part ended */

/* The current job: written by the caller under `lock` before `job_id`
 * moves on, read by the workers after they saw it move. */
static RsPoolFunc job_func;
static void *job_data;
static int job_parts;
static guint job_id;        /* atomic */
static guint pending;       /* atomic: parts not finished by the workers */
static gboolean quit;       /* under lock */
static guint64 jobs_shared; /* atomic: jobs the workers took part in */

/* A calling thread's side work (rs_pool_side), in the order given. A
 * task's state: SIDE_NONE, then SIDE_PENDING once func and data are set,
 * SIDE_TAKEN by the one thread that runs it (a compare-and-swap). `n` is
 * the owner's alone, read by the workers during a job. A job carries its
 * caller's and ends only when the side work it took is done. */
enum { SIDE_NONE, SIDE_PENDING, SIDE_TAKEN };
typedef struct {
  RsPoolFunc func;
  void *data;
  int state;  /* atomic */
} SideTask;
typedef struct {
  SideTask task[RS_POOL_MAX_SIDE];
  int n;
} Side;
static __thread Side my_side;
static Side *job_side;  /* the current job's caller's, or NULL */

static pthread_t *workers;
static int n_workers;

typedef struct {
  int   index;  /* the part this worker computes: 1 .. n_workers */
  guint seen;   /* the last job before it started: not its to run */
} Worker;
static Worker *worker_info;

/* Spins up to SPIN_US while (*addr == value) == equal; returns *addr. */
static guint
spin_while (const guint *addr, guint value, gboolean equal)
{
  gint64 until = 0;
  for (guint s = 1;; s++)
    {
      guint now = __atomic_load_n (addr, __ATOMIC_ACQUIRE);
      if ((now == value) != equal)
        return now;
      CPU_RELAX ();
      if (s % 64 == 0)
        {
          /* A vDSO call, about one pause's cost, every 64 looks. */
          gint64 t = g_get_monotonic_time ();
          if (until == 0)
            until = t + SPIN_US;
          else if (t >= until)
            return now;
        }
    }
}

/* Runs the side work no one took yet. */
static void
take_side (Side *side)
{
  for (int i = 0; side != NULL && i < side->n; i++)
    {
      SideTask *t = &side->task[i];
      int expected = SIDE_PENDING;
      if (__atomic_compare_exchange_n (&t->state, &expected, SIDE_TAKEN, FALSE,
                                       __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        t->func (t->data, 0, 1);
    }
}

static void *
worker_main (void *arg)
{
  const Worker *self = arg;
  guint seen = self->seen;
  for (;;)
    {
      guint id = spin_while (&job_id, seen, TRUE);
      if (id == seen)
        {
          pthread_mutex_lock (&lock);
          while (!quit && (id = __atomic_load_n (&job_id, __ATOMIC_ACQUIRE)) == seen)
            pthread_cond_wait (&wake, &lock);
          gboolean stop = quit;
          pthread_mutex_unlock (&lock);
          if (stop)
            return NULL;
        }
      seen = id;
      if (self->index < job_parts)
        job_func (job_data, self->index, job_parts);
      take_side (job_side);
      if (__atomic_sub_fetch (&pending, 1, __ATOMIC_ACQ_REL) == 0)
        {
          pthread_mutex_lock (&lock);
          pthread_cond_signal (&done);
          pthread_mutex_unlock (&lock);
        }
    }
}

/* Under `busy`: stops the workers. */
static void
stop_workers (void)
{
  if (n_workers == 0)
    return;
  pthread_mutex_lock (&lock);
  quit = TRUE;
  pthread_cond_broadcast (&wake);
  pthread_mutex_unlock (&lock);
  for (int w = 0; w < n_workers; w++)
    pthread_join (workers[w], NULL);
  g_free (workers);
  g_free (worker_info);
  workers = NULL;
  worker_info = NULL;
  n_workers = 0;
  quit = FALSE;
}

/* Under `busy`: n workers running (fewer when the system refuses more). */
static void
start_workers (int n)
{
  stop_workers ();
  workers = g_new0 (pthread_t, n);
  worker_info = g_new0 (Worker, n);
  for (int w = 0; w < n; w++)
    {
      worker_info[w].index = w + 1;
      worker_info[w].seen = __atomic_load_n (&job_id, __ATOMIC_RELAXED);
      if (pthread_create (&workers[w], NULL, worker_main, &worker_info[w]) != 0)
        break;
      n_workers++;
    }
}

int
rs_pool_cores (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);
  return n >= 1 ? (int) MIN (n, 4096) : 1;
}

void
rs_pool_set_threads (int threads)
{
  g_return_if_fail (threads >= 0);
  __atomic_store_n (&threads_wanted, MIN (threads == 0 ? rs_pool_cores () : threads, RS_MAX_THREADS),
                    __ATOMIC_RELAXED);
}

int
rs_pool_threads (void)
{
  return __atomic_load_n (&threads_wanted, __ATOMIC_RELAXED);
}

guint64
rs_pool_jobs_shared (void)
{
  return __atomic_load_n (&jobs_shared, __ATOMIC_RELAXED);
}

static void
run_here (int parts, RsPoolFunc func, void *data)
{
  for (int p = 0; p < parts; p++)
    func (data, p, parts);
}

void
rs_pool_run (int parts, RsPoolFunc func, void *data)
{
  if (parts <= 1 || pthread_mutex_trylock (&busy) != 0)
    {
      run_here (parts, func, data);
      return;
    }
  if (n_workers < parts - 1)
    start_workers (parts - 1);
  if (n_workers < parts - 1)
    {
      pthread_mutex_unlock (&busy);
      run_here (parts, func, data);
      return;
    }

  __atomic_add_fetch (&jobs_shared, 1, __ATOMIC_RELAXED);
  pthread_mutex_lock (&lock);
  job_func = func;
  job_data = data;
  job_parts = parts;
  job_side = my_side.n > 0 ? &my_side : NULL;
  /* Every worker answers each job, idle ones too: simpler than telling
   * some to skip it, and they are few. */
  __atomic_store_n (&pending, (guint) n_workers, __ATOMIC_RELAXED);
  __atomic_add_fetch (&job_id, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast (&wake);
  pthread_mutex_unlock (&lock);

  func (data, 0, parts);
  take_side (job_side);

  if (spin_while (&pending, 0, FALSE) != 0)
    {
      pthread_mutex_lock (&lock);
      while (__atomic_load_n (&pending, __ATOMIC_ACQUIRE) != 0)
        pthread_cond_wait (&done, &lock);
      pthread_mutex_unlock (&lock);
    }
  pthread_mutex_unlock (&busy);
}

void
rs_pool_side (RsPoolFunc func, void *data)
{
  if (rs_pool_threads () <= 1 || my_side.n == RS_POOL_MAX_SIDE)
    {
      func (data, 0, 1);
      return;
    }
  SideTask *t = &my_side.task[my_side.n++];
  t->func = func;
  t->data = data;
  __atomic_store_n (&t->state, SIDE_PENDING, __ATOMIC_RELEASE);
}

void
rs_pool_side_wait (void)
{
  /* Taken means done: only a job takes it, and that job has ended. */
  take_side (&my_side);
  for (int i = 0; i < my_side.n; i++)
    __atomic_store_n (&my_side.task[i].state, SIDE_NONE, __ATOMIC_RELAXED);
  my_side.n = 0;
}
