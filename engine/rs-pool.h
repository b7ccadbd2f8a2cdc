/* rs-pool.h — the engine's worker threads for the large products: one
 * persistent pool, created when a thread count above one is first used and
 * reused for every call after (no thread is created and nothing is
 * allocated in the step). A job is split into parts, each computed by
 * exactly one thread; the caller runs part 0 itself, and the parts no
 * worker has taken yet when it is done (so a late worker does not hold
 * the job). Only one caller uses
 * the pool at a time: another one (a sweep's second session, say) runs its
 * parts itself, in the calling thread, with the same results. pthread
 * primitives and C11-style atomics throughout: TSan sees them (GMutex it
 * does not). Not installed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many threads (more are taken as this many). */
#define RS_MAX_THREADS 64

/* Computes part `part` of `parts` of a job. */
typedef void (*RsPoolFunc) (void *data, int part, int parts);

/* The threads the engine's products may use (>= 1; 0: one per core).
 * Takes effect for the next product; call it while no other thread trains
 * (the window and regscope-train set it once at startup, tests between
 * runs). */
void rs_pool_set_threads (int threads);
/* The thread count in effect (>= 1). */
int  rs_pool_threads (void);
/* The machine's cores (online processors; >= 1). */
int  rs_pool_cores (void);

/* At most this many parts in a job. */
#define RS_POOL_MAX_PARTS (4 * RS_MAX_THREADS)

/* Runs func (data, p, parts) for p = 0 .. parts - 1, on the pool's threads
 * when it is free and parts > 1, else one after the other here; returns
 * when all are done. Part 0 runs in the caller; the others in whichever
 * thread takes them first, the caller from part 1 up, the workers from
 * the last part down. parts <= RS_POOL_MAX_PARTS, and may be more than
 * rs_pool_threads (): smaller parts balance better when a thread is late. */
void rs_pool_run (int parts, RsPoolFunc func, void *data);

/* Side work: func (data, 0, 1), run once by whichever thread is first done
 * with its part of the calling thread's next split job (so a thread that
 * would wait works instead), or by rs_pool_side_wait when no job took it;
 * right away when rs_pool_threads () is 1 or RS_POOL_MAX_SIDE tasks of
 * the calling thread wait already. It must not touch what the products
 * between the two calls write. Taken in the order given; the results are
 * the same bits on any thread. */
#define RS_POOL_MAX_SIDE 4
void rs_pool_side (RsPoolFunc func, void *data);
/* Returns when all the calling thread's side work is done (running here
 * what no job took). */
void rs_pool_side_wait (void);

/* How many times so far a worker ran some of a job (a part or side work):
 * for the tests, which check the threads were really used. */
guint64 rs_pool_jobs_shared (void);
/* How many jobs so far were handed to the workers (whoever then ran
 * their parts): for the tests, which check a split really happened. */
guint64 rs_pool_jobs_split (void);

G_END_DECLS
