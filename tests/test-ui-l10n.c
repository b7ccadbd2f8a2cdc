/* test-ui-l10n.c — the window in German, as a German classroom sees it.
 *
 * meson runs this with LANGUAGE=de and LC_ALL=de_DE.UTF-8 (test "ui-l10n"):
 * the words come from po/de.po through the build folder's catalogs, the
 * numbers a person reads follow the locale ("0,5"), and the files the
 * window writes do not ("0.5"). Without the de_DE.UTF-8 locale (Debian:
 * package locales, `localedef -i de_DE -f UTF-8 de_DE.UTF-8`) the words are
 * still checked (in C.UTF-8) and the number tests skip, saying so. A count
 * is grouped ("4.000"), a percentage spaced ("93,3 %"). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "rs-i18n.h"
#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "ui-fixtures.h"

static gboolean german_numbers;

static gboolean
is_label_reading (GtkWidget     *widget,
                  gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);
}

static void
assert_label (RsWindow   *window,
              const char *text)
{
  if (find_widget (GTK_WIDGET (window), is_label_reading, text) == NULL)
    g_error ("no label reads \"%s\" in the German window", text);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* The words: from the .ui templates, from C strings, from the key table,
 * and the lesson's own translation in its preset. */
static void
test_german_labels (Fixture       *f,
                    gconstpointer  data)
{
  RsWindow *window = f->window;
  RsStatusLine *status = rs_window_get_status_line (window);

  assert_label (window, "Regularisierung pro Schicht");  /* rs-window.ui */
  assert_label (window, "Lernrate");
  assert_label (window, "Verlust");                      /* a page tab */
  assert_label (window, "Start");                        /* the Play button */
  assert_label (window, "Vergleich anheften");           /* rs-window.c */
  assert_label (window, "Ausgangsbeispiel 2: L1 auf fc1"); /* title[de] in the preset */
  g_assert_true (g_str_has_prefix (rs_status_line_get_metrics_text (status),
                                   "Schritt 0 — Start (Leertaste)"));
  g_assert_cmpstr (rs_status_line_get_state_text (status), ==, "Pausiert");

  /* Nothing of it is left in English. */
  g_assert_null (find_widget (GTK_WIDGET (window), is_label_reading, "Regularization per layer"));
  g_assert_null (find_widget (GTK_WIDGET (window), is_label_reading, "Learning rate"));
}

/* Numbers a person reads follow the locale; files stay in the C locale. */
static void
test_numbers (Fixture       *f,
              gconstpointer  data)
{
  if (!german_numbers)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed "
                   "(localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
      return;
    }
  g_autoptr(GError) error = NULL;
  RsWindow *window = f->window;
  RsLambdaControl *l1 = rs_layer_row_get_control (rs_window_get_layer_row (window, 0),
                                                  RS_REG_TERM_L1);

  /* The box shows a strength as a German writes it ("0,005", the
   * lesson's); it takes "0,25" so, and Python's "0.5" as well. */
  GtkEntry *entry = rs_lambda_control_get_entry (l1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "0,005");
  gtk_editable_set_text (GTK_EDITABLE (entry), "0,25");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpfloat (rs_lambda_control_get_lambda (l1), ==, 0.25);
  gtk_editable_set_text (GTK_EDITABLE (entry), "0.5");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpfloat (rs_lambda_control_get_lambda (l1), ==, 0.5);

  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_autoptr(RsSnapshot) synced = synced_snapshot (f);
  g_assert_cmpint (synced->steps_done, ==, 1);
  rs_window_poll (window);

  /* The status line: "Schritt 1/10 · Epoche 1 · Verlust 1,8614 · …". */
  const char *metrics = rs_status_line_get_metrics_text (rs_window_get_status_line (window));
  const RsSnapshot *snap = rs_window_get_snapshot (window);
  g_autofree char *loss = g_strdup_printf (" · Verlust %.4f · ", snap->latest.loss);
  g_assert_nonnull (strchr (loss, ','));
  if (strstr (metrics, loss) == NULL)
    g_error ("the status line \"%s\" does not show the loss as \"%s\"", metrics, loss);
  g_autofree char *l1_term = g_strdup_printf (" · L1 %.4f", snap->latest.l1);
  g_assert_nonnull (strstr (metrics, l1_term));

  /* The files say 0.5 (the lesson as a preset: "l1=0.5"; the session: its
   * last event ends "… 0.5"; whether the trainer saw 0.25 on its own
   * depends on timing, so only the end is asked for), and are byte for
   * byte what the C locale writes. */
  typedef gboolean (*SaveFunc) (RsWindow *, const char *, GError **);
  const SaveFunc saves[] = { rs_window_save_lesson_to_file, rs_window_save_session_to_file };
  const char *says[] = { "\nl1=0.5\n", " 0.5\n" };
  for (guint i = 0; i < G_N_ELEMENTS (saves); i++)
    {
      g_autofree char *german = g_build_filename (f->tmpdir, "de.ini", NULL);
      g_autofree char *c = g_build_filename (f->tmpdir, "c.ini", NULL);
      g_assert_true (saves[i] (window, german, &error));
      g_assert_no_error (error);
      g_autofree char *old = g_strdup (setlocale (LC_NUMERIC, NULL));
      setlocale (LC_NUMERIC, "C");
      gboolean saved = saves[i] (window, c, &error);
      setlocale (LC_NUMERIC, old);
      g_assert_true (saved);
      g_assert_no_error (error);

      g_autofree char *text = read_file (german);
      g_autofree char *c_text = read_file (c);
      if (strstr (text, says[i]) == NULL)
        g_error ("%s does not say \"%s\":\n%s", german, g_strstrip (g_strdup (says[i])), text);
      g_assert_cmpstr (text, ==, c_text);
    }
}

/* Every % in `text` has a narrow no-break space before it ("93,3 %"), and
 * there is at least one. */
static void
assert_percent_spaced (const char *text)
{
  const char *nnbsp = "\u202f";
  int n = 0;

  for (const char *p = strchr (text, '%'); p != NULL; p = strchr (p + 1, '%'), n++)
    if (p - text < 3 || strncmp (p - 3, nnbsp, 3) != 0)
      g_error ("\"%s\": a %% without a narrow no-break space before it", text);
  if (n == 0)
    g_error ("\"%s\" shows no percentage", text);
}

/* Counts a person reads are grouped as the locale groups them (German:
 * "4.000", "1.797"), and a percentage is written "93,3 %" (status line
 * and layer rows). The digits
 * lesson: 1797 samples, 4000 steps. */
static void
test_counts_and_percent (Fixture       *f,
                         gconstpointer  data)
{
  if (!german_numbers)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed "
                   "(localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
      return;
    }
  RsWindow *window = f->window;

  g_assert_nonnull (find_widget (GTK_WIDGET (window), shows_text_containing,
                                 " · 1.797 Beispiele ("));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), shows_text_containing, " · 4.000 Schritte"));

  take_steps (f, 1);
  const char *metrics = rs_status_line_get_metrics_text (rs_window_get_status_line (window));
  if (!g_str_has_prefix (metrics, "Schritt 1/4.000 · "))
    g_error ("the status line \"%s\" does not start \"Schritt 1/4.000 · \"", metrics);
  assert_percent_spaced (metrics);
  /* and the layer rows' shares: "0 % nahe null · 0 % stumm" */
  GtkWidget *shares = find_widget (GTK_WIDGET (window), shows_text_containing, " nahe null · ");
  g_assert_nonnull (shares);
  assert_percent_spaced (shown_text (shares));
}

int
main (int    argc,
      char **argv)
{
  rs_i18n_init ();
  german_numbers = g_str_has_prefix (setlocale (LC_NUMERIC, NULL), "de_DE");
  if (!german_numbers)
    {
      /* Without de_DE the locale is "C", where gettext ignores LANGUAGE. */
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      rs_i18n_init ();
    }
  if (!ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/l10n/german-labels", Fixture, NULL, fixture_set_up, test_german_labels,
              fixture_tear_down);
  g_test_add ("/ui/l10n/numbers-follow-locale-files-do-not", Fixture, NULL, fixture_set_up,
              test_numbers, fixture_tear_down);
  g_test_add ("/ui/l10n/counts-grouped-percent-spaced", Fixture, "l1-digits", fixture_set_up,
              test_counts_and_percent, fixture_tear_down);
  return g_test_run ();
}
