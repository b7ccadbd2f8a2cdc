/* rs-replay.h — a saved session: the experiment as it was at the run's
 * start (the last reset), the init checkpoint, every event with its step,
 * and how many steps were taken. `regscope-train --replay FILE`
 * reproduces the run bit for bit from it.
 *
 * The file is a preset (.ini) with one more section:
 *   [replay]
 *   steps=1200
 *   init=/path/to/init.safetensors     (optional)
 *   events=120 fc1 l1 0 0.005;300 optimizer lr 0.001 0.01
 *
 * A change of the data or the network is a restart event: the run so far
 * ends at its step, a new one starts from the seed with the keys it sets,
 * and the steps of the events after it (and `steps`) count from 0 again:
 *   events=120 fc1 l1 0 0.005;300 restart data.source=iris model.layers=4,20,3;40 fc2 l2 0 0.01
 * Errors name the file and the line of the key at fault.
 */
#pragma once

#include <glib.h>

#include "rs-experiment.h"
#include "rs-event.h"
#include "rs-metrics.h"

G_BEGIN_DECLS

typedef struct {
  RsExperiment *experiment;
  char         *init_path;   /* NULL: initialise from the seed */
  gint64        steps;
  int           n_events;
  RsEvent      *events;      /* in step order; a restart starts the steps again */
} RsReplay;

RsReplay *rs_replay_load (const char *path, GError **error);
RsReplay *rs_replay_load_from_data (const char *data, gsize len, const char *name_for_errors,
                                    GError **error);
void      rs_replay_free (RsReplay *replay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsReplay, rs_replay_free)

char     *rs_replay_to_string (const RsExperiment *experiment, const char *init_path,
                               gint64 steps, const RsEvent *events, int n_events);
gboolean  rs_replay_save (const char *path, const RsExperiment *experiment,
                          const char *init_path, gint64 steps, const RsEvent *events,
                          int n_events, GError **error);

G_END_DECLS
