/* rs-render-thread.c — see rs-render-thread.h. */
#include "rs-render-thread.h"

#if defined (__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* The render thread's nice value. A plot must not take the CPU from a
 * frame: the thread is woken by the main thread and tends to run on its
 * core. 5 (a third of the weight of a normal thread) keeps frames smooth
 * with the trainer busy on a 2-CPU machine without starving the plots. */
#define RS_RENDER_NICE 5

typedef struct {
  RsRenderFunc work, done;
  gpointer     data;
} Job;

static gboolean
job_done (gpointer user_data)
{
  Job *job = user_data;

  job->done (job->data);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  static gboolean niced;   /* this thread only: the pool has one */

  if (!niced)
    {
      niced = TRUE;
#if defined (__linux__)
      /* Per thread on Linux; failing is harmless. */
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), RS_RENDER_NICE) != 0)
        g_debug ("render thread: setpriority failed");
#endif
    }
  job->work (job->data);
  g_idle_add_full (G_PRIORITY_DEFAULT, job_done, job, NULL);
}

void
rs_render_thread_push (RsRenderFunc work,
                       RsRenderFunc done,
                       gpointer     data)
{
  static GThreadPool *pool;   /* main thread only; lives as long as the process */
  Job *job = g_new (Job, 1);

  if (pool == NULL)
    pool = g_thread_pool_new (job_run, NULL, 1, TRUE, NULL);
  job->work = work;
  job->done = done;
  job->data = data;
  g_thread_pool_push (pool, job, NULL);
}
