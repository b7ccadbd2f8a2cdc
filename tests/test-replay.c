/* test-replay.c — saved session files: round trip, errors that name the
 * file and the event, and the oddities a hand-edited file may have. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-replay.h"
#include "rs-run.h"
#include "rs-trainer.h"

static char *
seed_preset_text (void)
{
  g_autofree char *path = g_strdup_printf ("%s/presets/seed-l1.ini", g_getenv ("REGSCOPE_DATADIR"));
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *preset = seed_preset_text ();
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (preset, strlen (preset), "s.ini", &error);
  g_assert_no_error (error);
  RsEvent events[3] = {
    { .step = 2, .layer = 0, .key = "l1", .old_value = 0.005, .new_value = 0.1 / 3 },
    { .step = 2, .layer = 1, .key = "activity-norm", .old_value = 0, .new_value = 1 },
    { .step = 9, .layer = -1, .key = "lr", .old_value = 0.001, .new_value = 1e-2 },
  };
  g_autofree char *text = rs_replay_to_string (exp, "/tmp/w.safetensors", 12, events, 3);
  g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "s.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->steps, ==, 12);
  g_assert_cmpstr (r->init_path, ==, "/tmp/w.safetensors");
  g_assert_cmpint (r->n_events, ==, 3);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (r->events[i].step, ==, events[i].step);
      g_assert_cmpint (r->events[i].layer, ==, events[i].layer);
      g_assert_cmpstr (r->events[i].key, ==, events[i].key);
      /* %.17g: every bit survives */
      g_assert_cmpmem (&r->events[i].new_value, sizeof (double), &events[i].new_value, sizeof (double));
      g_assert_cmpmem (&r->events[i].old_value, sizeof (double), &events[i].old_value, sizeof (double));
    }
  g_assert_true (rs_experiment_equal (r->experiment, exp));
}

static void
assert_error (const char *text, const char *must_contain)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "lesson.session", &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "lesson.session"));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_nonnull (strstr (error->message, must_contain));
}

static void
test_errors (void)
{
  g_autofree char *preset = seed_preset_text ();
  g_autofree char *no_replay = g_strdup (preset);
  assert_error (no_replay, "[replay]");

  const struct { const char *replay; const char *expect; } cases[] = {
    { "[replay]\nevents=\n", "steps" },
    { "[replay]\nsteps=-4\n", "steps" },
    { "[replay]\nsteps=ten\n", "steps" },
    { "[replay]\nsteps=5\nspeed=3\n", "speed" },
    { "[replay]\nsteps=5\nevents=1 fc1 l1 0\n", "event 1" },
    { "[replay]\nsteps=5\nevents=1 fc1 l1 0 1;2 fc9 l1 0 1\n", "event 2" },
    { "[replay]\nsteps=5\nevents=1 fc1 lambda 0 1\n", "unknown key" },
    { "[replay]\nsteps=5\nevents=3 fc1 l1 0 1;2 fc1 l2 0 1\n", "step order" },
    { "[replay]\nsteps=5\nevents=9 fc1 l1 0 1\n", "after the last step" },
    { "[replay]\nsteps=5\nevents=1 fc1 l1 0 nan\n", "event 1" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (preset, "\n", cases[i].replay, NULL);
      assert_error (text, cases[i].expect);
    }
}

/* A byte order mark, CRLF line ends, and an init path with trailing
 * blanks (as a hand edit leaves them) are accepted and normalised. */
static void
test_oddities (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *preset = seed_preset_text ();
  g_autofree char *body = g_strconcat (preset, "\n[replay]\nsteps=7\ninit=/tmp/w.safetensors  \nevents=3 fc1 l1 0.005 0\n", NULL);
  g_autofree char *crlf = NULL;
  {
    g_auto (GStrv) lines = g_strsplit (body, "\n", -1);
    crlf = g_strjoinv ("\r\n", lines);
  }
  g_autofree char *text = g_strconcat ("\xEF\xBB\xBF", crlf, NULL);
  g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "s.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->steps, ==, 7);
  g_assert_cmpstr (r->init_path, ==, "/tmp/w.safetensors");
  g_assert_cmpint (r->n_events, ==, 1);
  g_assert_cmpfloat (r->events[0].new_value, ==, 0.0);
}

/* A restart (a change of data or network) survives the file: a CSV path
 * with a blank, a ';' and a '%', a new network, a term on a layer it
 * adds; the events after it count their steps from 0 and may name that
 * layer. */
static void
test_restart_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *preset = seed_preset_text ();
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (preset, strlen (preset), "s.ini", &error);
  g_assert_no_error (error);
  g_autoptr (RsExperiment) changed = rs_experiment_copy (exp);
  const char *set[] = { "data.source=csv:/tmp/my data;v2 100%.csv", "data.label-column=species",
                        "model.layers=10,20,8,5", "fc3.l2=0.01", "model.activation=tanh", NULL };
  g_assert_true (rs_experiment_set_many (changed, set, &error));
  g_assert_no_error (error);

  RsEvent events[3] = {
    { .step = 4, .layer = 0, .key = "l1", .old_value = 0.005, .new_value = 0.01 },
  };
  /* the run as it was at the change: the fc1 event applied */
  g_autoptr (RsExperiment) before = rs_experiment_copy (exp);
  g_assert_true (rs_event_apply (&events[0], before, &error));
  rs_event_init_restart (&events[1], 7, before, changed);
  events[2] = (RsEvent) { .step = 2, .layer = 2, .key = "l1", .old_value = 0, .new_value = 0.5 };
  /* only what differs, from the key table, in its order */
  g_autofree char *joined = g_strjoinv (" ", events[1].change);
  g_assert_cmpstr (joined, ==, "data.source=csv:/tmp/my data;v2 100%.csv "
                   "data.label-column=species model.layers=10,20,8,5 model.activation=tanh "
                   "fc1.l1=0.005 fc3.l2=0.01");
  g_autofree char *line = rs_event_to_string (&events[1]);
  g_assert_cmpstr (line, ==, "7 restart data.source=csv:/tmp/my%20data%3Bv2%20100%25.csv "
                   "data.label-column=species model.layers=10,20,8,5 model.activation=tanh "
                   "fc1.l1=0.005 fc3.l2=0.01");

  g_autofree char *text = rs_replay_to_string (exp, NULL, 3, events, 3);
  g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "s.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->n_events, ==, 3);
  g_assert_cmpint (r->events[1].kind, ==, RS_EVENT_RESTART);
  g_assert_cmpint (r->events[1].step, ==, 7);
  g_assert_cmpstrv (r->events[1].change, events[1].change);
  g_assert_cmpint (r->events[2].kind, ==, RS_EVENT_CONTROL);
  g_assert_cmpint (r->events[2].layer, ==, 2);

  /* The fc1 event and the restart give the changed experiment, fc1's L1
   * included (the restart sets what differs from the run as it was). */
  g_autoptr (RsExperiment) replayed = rs_experiment_copy (r->experiment);
  g_assert_true (rs_event_apply (&r->events[0], replayed, &error));
  g_assert_true (rs_event_apply (&r->events[1], replayed, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (replayed->layer[0].l1, ==, 0.005);
  g_assert_true (rs_experiment_equal (replayed, changed));
  g_assert_cmpstr (replayed->csv_path, ==, "/tmp/my data;v2 100%.csv");
  for (int i = 0; i < 3; i++)
    rs_event_clear (&events[i]);
}

/* Bad restarts: one line naming the file, the line of events= and the
 * event; a restart starts the step order and the step count again. */
static void
test_restart_errors (void)
{
  g_autofree char *preset = seed_preset_text ();
  int replay_line = 4;  /* a blank line, [replay], steps= and events= after the preset */
  for (const char *p = preset; *p; p++)
    replay_line += *p == '\n';
  g_autofree char *at_line = g_strdup_printf ("lesson.session:%d: [replay] events", replay_line);

  const struct { const char *events; const char *expect; } cases[] = {
    { "3 restart", NULL },
    { "3 restart data.source=iris model.layers=4,20,3;0 fc1 l1 0 1", NULL },
    /* fc3 exists only after the restart */
    { "1 fc3 l1 0 1;3 restart model.layers=10,20,8,5;2 fc3 l1 0 1", "event 1" },
    { "3 restart model.layers=10,20,8,5;2 fc3 l1 0 1", NULL },
    /* steps= counts the last run: the first may be longer */
    { "90 fc1 l1 0 1;99 restart model.activation=tanh;5 fc1 l1 1 0", NULL },
    { "3 restart model.activation=tanh;9 fc1 l1 0 1", "event 2 ('9 fc1 l1 0 1'): the event comes after" },
    { "4 fc1 l1 0 1;3 restart model.activation=tanh", "step order" },
    { "3 restart data.source=spiral", "event 1 ('3 restart data.source=spiral')" },
    { "3 restart data.sorce=iris", "did you mean" },
    { "3 restart model.layers=4,20,3", "event 1" },           /* 10 features */
    { "3 restart source=iris", "not a restart" },
    { "3 restart data.source=%ZZ", "not a restart" },
    { "3 restart data.source=a%00b", "not a restart" },
    { "x restart data.source=iris", "not a restart" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (preset, "\n[replay]\nsteps=5\nevents=", cases[i].events,
                                           "\n", NULL);
      if (cases[i].expect == NULL)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "lesson.session",
                                                             &error);
          g_assert_no_error (error);
          g_assert_nonnull (r);
          continue;
        }
      g_test_message ("%s", cases[i].events);
      assert_error (text, cases[i].expect);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsReplay) r = rs_replay_load_from_data (text, strlen (text), "lesson.session", &error);
      g_assert_null (r);
      g_assert_true (g_str_has_prefix (error->message, at_line));
    }
}

static void
assert_same_weights (RsSession *session, const RsSnapshot *snap)
{
  g_assert_cmpint (rs_session_n_layers (session), ==, snap->n_layers);
  const RsExperiment *exp = rs_session_get_experiment (session);
  for (int l = 0; l < snap->n_layers; l++)
    g_assert_cmpmem (rs_session_layer_weight (session, l),
                     sizeof (float) * (gsize) exp->sizes[l] * (gsize) exp->sizes[l + 1],
                     snap->layers[l].weight,
                     sizeof (float) * (gsize) exp->sizes[l] * (gsize) exp->sizes[l + 1]);
}

static void
train (RsTrainer *t, int steps)
{
  for (int i = 0; i < steps; i++)
    rs_trainer_step (t);
  rs_trainer_sync (t);
}

/* The window's way: the new run built beside the old one, from the
 * experiment as the controls have it, then handed over. */
static RsTrainer *
change (RsTrainer *t, const char *const *set)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RsSnapshot) snap = rs_trainer_get_snapshot (t);
  g_autoptr (RsExperiment) exp = rs_experiment_copy (snap->experiment);
  g_assert_true (rs_experiment_set_many (exp, set, &error));
  g_assert_no_error (error);
  RsSession *session = rs_session_new (exp, &error);
  g_assert_no_error (error);
  return rs_trainer_new_after_change (session, t);
}

/* A live run with a data change and a network change mid-way (and
 * controls before, between and after them), saved and replayed: the same
 * weights and the same losses, bit for bit. */
static void
test_restart_replays_bit_for_bit (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/presets/seed-l1.ini", g_getenv ("REGSCOPE_DATADIR"));
  g_autoptr (RsExperiment) exp = rs_experiment_load (path, &error);
  g_assert_no_error (error);
  RsTrainer *t = rs_trainer_new (rs_session_new (exp, &error));
  g_assert_no_error (error);

  train (t, 3);
  RsLayerReg reg = exp->layer[1];
  reg.l2 = 0.02;
  rs_trainer_set_layer_reg (t, 1, &reg);
  train (t, 2);
  const char *data[] = { "data.source=iris", "model.layers=4,20,3", NULL };
  t = change (t, data);
  train (t, 4);
  rs_trainer_set_control (t, "label-smoothing", 0.1);
  rs_trainer_set_control (t, "input-noise", 0.3); /* live: drawn from the session's stream */
  train (t, 1);
  const char *network[] = { "model.layers=4,16,8,3", "model.activation=tanh", NULL };
  t = change (t, network);
  train (t, 3);
  reg = (RsLayerReg) { 0 };
  rs_layer_reg_init_default (&reg);
  reg.l1 = 0.001;
  rs_trainer_set_layer_reg (t, 2, &reg);
  train (t, 4);

  g_autofree char *dir = g_dir_make_tmp ("regscope-replay-XXXXXX", NULL);
  g_autofree char *session_path = g_build_filename (dir, "changed.session", NULL);
  g_assert_true (rs_trainer_save_session (t, session_path, &error));
  g_assert_no_error (error);
  g_autoptr (RsSnapshot) live = rs_trainer_get_snapshot (t);
  rs_trainer_free (t);
  g_assert_cmpint (live->steps_done, ==, 7);
  g_assert_cmpint (live->history->n, ==, 7);
  g_assert_cmpint (live->n_layers, ==, 3);

  g_autoptr (RsReplay) replay = rs_replay_load (session_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (replay->steps, ==, 7);
  g_assert_cmpint (replay->experiment->source, ==, RS_DATA_RANDOM);
  int restarts = 0;
  for (int i = 0; i < replay->n_events; i++)
    restarts += replay->events[i].kind == RS_EVENT_RESTART;
  g_assert_cmpint (restarts, ==, 2);
  gboolean noise_event = FALSE;
  for (int i = 0; i < replay->n_events; i++)
    noise_event |= replay->events[i].layer == -1
                   && g_strcmp0 (replay->events[i].key, "input-noise") == 0
                   && replay->events[i].new_value == 0.3;
  g_assert_true (noise_event);
  g_assert_cmpint (replay->events[1].step, ==, 5);    /* the data change, after 5 steps */
  g_assert_cmpint (replay->events[1].kind, ==, RS_EVENT_RESTART);

  g_autoptr (RsSession) session = rs_session_new (replay->experiment, &error);
  g_assert_no_error (error);
  RsHistory *history = rs_history_new (4096);
  g_assert_true (rs_run (session, replay->steps, replay->events, replay->n_events,
                         history, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rs_experiment_equal (rs_session_get_experiment (session), live->experiment));
  g_assert_cmpint (rs_session_get_step (session), ==, 7);
  g_assert_cmpint (history->n, ==, 7);
  for (int i = 0; i < 7; i++)
    {
      g_assert_cmpmem (&history->points[i].loss, sizeof (double),
                       &live->history->points[i].loss, sizeof (double));
      g_assert_cmpmem (&history->points[i].val_loss, sizeof (double),
                       &live->history->points[i].val_loss, sizeof (double));
    }
  assert_same_weights (session, live);
  rs_history_free (history);
  g_unlink (session_path);
  g_rmdir (dir);
}

/* Files beyond any real session are refused unread, with the path. */
static void
test_huge_file_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("regscope-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.ini", NULL);
  FILE *f = fopen (path, "wb");
  g_assert_nonnull (f);
  /* sparse: 17 MiB without writing them */
  g_assert_cmpint (fseek (f, 17 << 20, SEEK_SET), ==, 0);
  fputc ('\n', f);
  fclose (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsReplay) r = rs_replay_load (path, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_save_atomic (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *preset = seed_preset_text ();
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (preset, strlen (preset), "s.ini", &error);
  g_autofree char *dir = g_dir_make_tmp ("regscope-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.ini", NULL);
  g_assert_true (rs_replay_save (path, exp, NULL, 3, NULL, 0, &error));
  g_autoptr (RsReplay) r = rs_replay_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (r->init_path);
  g_assert_cmpint (r->n_events, ==, 0);
  g_autofree char *bad = g_build_filename (dir, "missing", "s.ini", NULL);
  g_assert_false (rs_replay_save (bad, exp, NULL, 3, NULL, 0, &error));
  g_assert_nonnull (strstr (error->message, bad));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/replay/round-trip", test_round_trip);
  g_test_add_func ("/engine/replay/errors-name-file-and-event", test_errors);
  g_test_add_func ("/engine/replay/bom-crlf-trailing-blanks", test_oddities);
  g_test_add_func ("/engine/replay/huge-file-refused", test_huge_file_refused);
  g_test_add_func ("/engine/replay/restart-round-trip", test_restart_round_trip);
  g_test_add_func ("/engine/replay/restart-errors-name-file-and-line", test_restart_errors);
  g_test_add_func ("/engine/replay/data-and-network-change-bit-for-bit",
                   test_restart_replays_bit_for_bit);
  g_test_add_func ("/engine/replay/save-atomic", test_save_atomic);
  return g_test_run ();
}
