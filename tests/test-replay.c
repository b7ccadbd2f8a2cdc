/* test-replay.c — saved session files: round trip, errors that name the
 * file and the event, and the oddities a hand-edited file may have. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-replay.h"

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
  g_test_add_func ("/engine/replay/save-atomic", test_save_atomic);
  return g_test_run ();
}
