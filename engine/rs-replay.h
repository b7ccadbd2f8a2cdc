/* rs-replay.h — a saved session: the experiment as it was at the run's
 * start (the last reset), the init checkpoint, every control event with its
 * step, and how many steps were taken. `regscope-train --replay FILE`
 * reproduces the run bit for bit from it.
 *
 * The file is a preset (.ini) with one more section:
 *   [replay]
 *   steps=1200
 *   init=/path/to/init.safetensors     (optional)
 *   events=120 fc1 l1 0 0.005;300 optimizer lr 0.001 0.01
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
  RsEvent      *events;      /* in step order */
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
