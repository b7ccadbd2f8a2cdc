/* rs-twin.h — twin runs ("Compare"): two copies of one lesson trained side
 * by side, A as the lesson sets it and B differing in a few live controls
 * (a layer's terms, the optimizer's settings).
 *
 * Both sessions are built from the same seed (or the same init
 * checkpoint): the same data, split, initial weights, batch order and
 * dropout masks, so whatever differs between A and B comes from B's
 * overrides alone. B is, bit for bit, the run `regscope-train --set` gives
 * with the overrides. The overrides are the lesson's [compare] section:
 *
 *   [compare]
 *   fc1.l1=0.01
 *   optimizer.lr=0.01
 */
#pragma once

#include <glib.h>

#include "rs-event.h"
#include "rs-experiment.h"
#include "rs-metrics.h"
#include "rs-session.h"

G_BEGIN_DECLS

/* Checks B's overrides ("TERM=VALUE" as --set takes them; each term a live
 * control) and stores them in exp->compare, canonical ("fc1.l1=0.01");
 * entries empty: a twin whose B is A; NULL: no twin. names[i] begins the
 * errors of entry i ("lesson.ini:12", "--compare 'fc1.l1=x'"), `name`
 * those of B as a whole. On error exp is unchanged. */
gboolean      rs_twin_set_compare (RsExperiment *exp, const char *const *entries,
                                   const char *const *names, const char *name,
                                   GError **error);
/* One entry, "TERM=VALUE", added to (or replacing the same term's in) the
 * twin's overrides, turning the twin on; name begins the errors. */
gboolean      rs_twin_add_override (RsExperiment *exp, const char *entry, const char *name,
                                    GError **error);

/* B's settings: exp with its [compare] applied (B's own compare NULL). */
RsExperiment *rs_twin_experiment_b (const RsExperiment *exp, GError **error);

/* Whether B follows a change of A's (an event of A's run): not when B
 * overrides that key. */
gboolean      rs_twin_b_follows (const RsExperiment *exp, const RsEvent *event);

/* What tells the runs apart, for legends and titles: "A: fc1 L1 0" /
 * "B: fc1 L1 0.01" (which 0 for A, 1 for B); "A" / "B (as A)" when B has
 * no overrides. */
char         *rs_twin_describe (const RsExperiment *exp, int which);

/* The two sessions, stepped in lockstep. */
typedef struct {
  RsSession *a, *b;
} RsTwin;

/* init_path: both start from that checkpoint (NULL: from the seed). */
RsTwin       *rs_twin_new (const RsExperiment *exp, const char *init_path, GError **error);
void          rs_twin_free (RsTwin *twin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTwin, rs_twin_free)
/* One step of A, then one of B. FALSE when either diverges (the error
 * says which; both keep the state before the refused step of that run). */
gboolean      rs_twin_step (RsTwin *twin, RsMetrics *a, RsMetrics *b, GError **error);

G_END_DECLS
