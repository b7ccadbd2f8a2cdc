/* rs-pool.c — the engine's worker threads (see rs-pool.h).
 *
 * Workers wait for a new job number. Between the products of one step the
 * gaps are a few microseconds, so a worker first spins a while on the job
 * number (an atomic load and a pause) before it sleeps on the condition
 * variable; the caller does the same waiting for the last part. The caller
 * publishes a job under the lock, so a worker that checked and is about to
 * sleep cannot miss it. */
#include "rs-pool.h"

#include <pthread.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause ()
#else
#define CPU_RELAX() do { } while (0)
#endif

/* Spins of a waiting thread before it sleeps: ~20-50 µs, longer than the
 * gaps between the products of a step, far shorter than a step. */
#define SPINS 2000

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
static int pending;         /* atomic: parts not finished by the workers */
static gboolean quit;       /* under lock */
static guint64 jobs_shared; /* atomic: jobs the workers took part in */

static pthread_t *workers;
static int n_workers;

typedef struct {
  int   index;  /* the part this worker computes: 1 .. n_workers */
  guint seen;   /* the last job before it started: not its to run */
} Worker;
static Worker *worker_info;

static void *
worker_main (void *arg)
{
  const Worker *self = arg;
  guint seen = self->seen;
  for (;;)
    {
      guint id = __atomic_load_n (&job_id, __ATOMIC_ACQUIRE);
      for (int s = 0; id == seen && s < SPINS; s++)
        {
          CPU_RELAX ();
          id = __atomic_load_n (&job_id, __ATOMIC_ACQUIRE);
        }
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
  /* Every worker answers each job, idle ones too: simpler than telling
   * some to skip it, and they are few. */
  __atomic_store_n (&pending, n_workers, __ATOMIC_RELAXED);
  __atomic_add_fetch (&job_id, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast (&wake);
  pthread_mutex_unlock (&lock);

  func (data, 0, parts);

  for (int s = 0; __atomic_load_n (&pending, __ATOMIC_ACQUIRE) != 0 && s < SPINS; s++)
    CPU_RELAX ();
  if (__atomic_load_n (&pending, __ATOMIC_ACQUIRE) != 0)
    {
      pthread_mutex_lock (&lock);
      while (__atomic_load_n (&pending, __ATOMIC_ACQUIRE) != 0)
        pthread_cond_wait (&done, &lock);
      pthread_mutex_unlock (&lock);
    }
  pthread_mutex_unlock (&busy);
}
