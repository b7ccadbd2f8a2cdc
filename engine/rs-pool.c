/* rs-pool.c — the engine's worker threads (see rs-pool.h).
 *
 * A job is a list of units: its parts and the side work the caller left
 * (rs_pool_side), in the order part 0, the side tasks, parts 1 .. n-1.
 * The caller takes units from the front, the workers from the back, each
 * with one compare-and-swap on `job_state` (the job's number and the two
 * ends), so no one waits for a unit that no one has begun: a worker that
 * is late (asleep, or its core taken by another process) leaves its parts
 * to the caller instead of holding the job. With two threads on a quiet
 * machine each keeps its end, the same rows every step (the caller the
 * front, as the weight gradient's rows that Adam updates next), so little
 * moves between the cores' caches.
 *
 * Workers wait for a new job number. Between the products of one step the
 * gaps are up to a few tens of microseconds, so a worker first spins a
 * while on it (an atomic load and a pause) before it sleeps on the
 * condition variable; the caller does the same waiting for the last unit.
 * The caller publishes a job under the lock, so a worker that checked and
 * is about to sleep cannot miss it. */
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
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;  /* the last unit ended */

/* The job's number (bits 32-63) and its units not yet taken: from `front`
 * (bits 16-31) to `back` (bits 0-15) exclusive. Atomic; a new job is
 * published by storing it (release). */
static guint64 job_state;
#define STATE_ID(s)    ((guint) ((s) >> 32))
#define STATE_FRONT(s) ((guint) ((s) >> 16) & 0xffffu)
#define STATE_BACK(s)  ((guint) (s) & 0xffffu)
#define ID_MASK G_GUINT64_CONSTANT (0xffffffff00000000)
#define STATE(id, front, back) \
  (((guint64) (id) << 32) | ((guint64) (front) << 16) | (guint64) (back))

/* The current job: written by the caller before `job_state` moves on,
 * read by a worker only after it took a unit (the job cannot end, and so
 * these cannot change, before that unit is done). */
static RsPoolFunc job_func;
static void *job_data;
static int job_parts;
static int job_n_side;
static guint64 units_done;  /* atomic: the job's units finished */
static gboolean quit;       /* under lock */
static guint64 jobs_shared; /* atomic: jobs the workers took part in */
static guint64 jobs_split;  /* atomic: jobs published to the workers */

/* A calling thread's side work (rs_pool_side), in the order given. A
 * task's state: SIDE_NONE, then SIDE_PENDING once func and data are set,
 * SIDE_TAKEN by the one thread that runs it (a compare-and-swap). `n` is
 * the owner's alone, read by the workers during a job. A job carries its
 * caller's as units and ends only when they are done. */
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
  guint seen;   /* the last job before it started: not its to run */
} Worker;
static Worker *worker_info;

/* Spins up to SPIN_US while (load (addr) == value) == equal; returns the
 * last value loaded. */
static guint64
spin_while (const guint64 *addr, guint64 mask, guint64 value, gboolean equal)
{
  gint64 until = 0;
  for (guint s = 1;; s++)
    {
      guint64 now = __atomic_load_n (addr, __ATOMIC_ACQUIRE);
      if (((now & mask) == value) != equal)
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

/* Runs one side task unless another thread took it already. */
static void
take_side_task (SideTask *t)
{
  int expected = SIDE_PENDING;
  if (__atomic_compare_exchange_n (&t->state, &expected, SIDE_TAKEN, FALSE, __ATOMIC_ACQ_REL,
                                   __ATOMIC_RELAXED))
    t->func (t->data, 0, 1);
}

/* Runs the side work no one took yet. */
static void
take_side (Side *side)
{
  for (int i = 0; side != NULL && i < side->n; i++)
    take_side_task (&side->task[i]);
}

/* Runs unit u of the current job (see the top of the file). */
static void
run_unit (guint u)
{
  int parts = job_parts, n_side = job_n_side;
  if (u == 0)
    job_func (job_data, 0, parts);
  else if (u <= (guint) n_side)
    take_side_task (&job_side->task[u - 1]);
  else
    job_func (job_data, (int) u - n_side, parts);
}

/* Takes the next unit of job `id` from the front (the caller) or the back
 * (the workers); FALSE when none is left or the job is over. */
static gboolean
claim (guint id, gboolean front, guint *unit)
{
  guint64 s = __atomic_load_n (&job_state, __ATOMIC_ACQUIRE);
  for (;;)
    {
      guint lo = STATE_FRONT (s), hi = STATE_BACK (s);
      if (STATE_ID (s) != id || lo >= hi)
        return FALSE;
      guint64 next = front ? STATE (id, lo + 1, hi) : STATE (id, lo, hi - 1);
      if (__atomic_compare_exchange_n (&job_state, &s, next, TRUE, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE))
        {
          *unit = front ? lo : hi - 1;
          return TRUE;
        }
    }
}

/* Runs the units of job `id` this thread can still take, each counted
 * done; a worker that ends the job wakes the caller. Returns how many. */
static guint
run_units (guint id, gboolean front)
{
  guint u, ran = 0;
  while (claim (id, front, &u))
    {
      /* Read only with a unit taken: the job cannot end before it is
       * done, so this is the job's count. */
      guint64 units = (guint64) job_parts + job_n_side;
      run_unit (u);
      /* Counted before the unit is: the job's caller sees it on return. */
      if (ran++ == 0 && !front)
        __atomic_add_fetch (&jobs_shared, 1, __ATOMIC_RELAXED);
      if (__atomic_add_fetch (&units_done, 1, __ATOMIC_ACQ_REL) == units && !front)
        {
          pthread_mutex_lock (&lock);
          pthread_cond_signal (&done);
          pthread_mutex_unlock (&lock);
        }
    }
  return ran;
}

static void *
worker_main (void *arg)
{
  const Worker *self = arg;
  guint seen = self->seen;
  for (;;)
    {
      guint64 st = spin_while (&job_state, ID_MASK, (guint64) seen << 32, TRUE);
      guint id = STATE_ID (st);
      if (id == seen)
        {
          pthread_mutex_lock (&lock);
          while (!quit && (id = STATE_ID (__atomic_load_n (&job_state, __ATOMIC_ACQUIRE))) == seen)
            pthread_cond_wait (&wake, &lock);
          gboolean stop = quit;
          pthread_mutex_unlock (&lock);
          if (stop)
            return NULL;
        }
      seen = id;
      run_units (id, FALSE);
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
      worker_info[w].seen = STATE_ID (__atomic_load_n (&job_state, __ATOMIC_RELAXED));
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

guint64
rs_pool_jobs_split (void)
{
  return __atomic_load_n (&jobs_split, __ATOMIC_RELAXED);
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
  g_return_if_fail (parts <= RS_POOL_MAX_PARTS);
  if (parts <= 1 || pthread_mutex_trylock (&busy) != 0)
    {
      run_here (parts, func, data);
      return;
    }
  int wanted = rs_pool_threads () - 1;
  if (n_workers != wanted)
    start_workers (wanted);
  if (n_workers == 0)
    {
      pthread_mutex_unlock (&busy);
      run_here (parts, func, data);
      return;
    }

  __atomic_add_fetch (&jobs_split, 1, __ATOMIC_RELAXED);
  int n_side = my_side.n;
  guint64 units = (guint64) parts + n_side;
  pthread_mutex_lock (&lock);
  job_func = func;
  job_data = data;
  job_parts = parts;
  job_side = n_side > 0 ? &my_side : NULL;
  job_n_side = n_side;
  __atomic_store_n (&units_done, 0, __ATOMIC_RELAXED);
  guint id = STATE_ID (__atomic_load_n (&job_state, __ATOMIC_RELAXED)) + 1;
  /* Unit 0, part 0, is the caller's already. */
  __atomic_store_n (&job_state, STATE (id, 1, units), __ATOMIC_RELEASE);
  pthread_cond_broadcast (&wake);
  pthread_mutex_unlock (&lock);

  run_unit (0);
  __atomic_add_fetch (&units_done, 1, __ATOMIC_ACQ_REL);
  run_units (id, TRUE);

  if (spin_while (&units_done, ~G_GUINT64_CONSTANT (0), units, FALSE) != units)
    {
      pthread_mutex_lock (&lock);
      while (__atomic_load_n (&units_done, __ATOMIC_ACQUIRE) != units)
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
