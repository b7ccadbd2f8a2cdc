/* test-ui-a11y.c — the window for a screen reader, a keyboard, large text:
 * accessible names and descriptions read through GTK's test AT context
 * (GTK_A11Y=test, see tests/meson.build), focus moved the way Tab moves
 * it, sizes checked by allocation. Under Xvfb, without sleeps. */
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "rs-early-stop-control.h"
#include "rs-lambda-control.h"
#include "rs-layer-row.h"
#include "rs-plot-describe.h"
#include "rs-plot-view.h"
#include "rs-window.h"
#include "ui-fixtures.h"

/* The accessible property `property` of `widget` is `expected`. */
static void
assert_text_property (GtkWidget             *widget,
                      GtkAccessibleProperty  property,
                      const char            *expected)
{
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                                              expected);
  if (diff != NULL)
    g_error ("%s: %s, expected “%s”", G_OBJECT_TYPE_NAME (widget), diff, expected);
}

static void
assert_name (GtkWidget  *widget,
             const char *expected)
{
  assert_text_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
}

static void
collect_type (GtkWidget *root,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_type (c, type, out);
}

/* ------------------------------------------------------------------ */

/* Every layer row's controls say layer and term: "fc2 L1 on", "fc2 L1
 * strength", "fc2 L1 value", "fc2 L1 includes bias", "fc2 activity norm";
 * and so do the window's own controls. */
static void
test_control_names (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const terms[RS_REG_N_TERMS] = {
    [RS_REG_TERM_L1] = "L1", [RS_REG_TERM_L2] = "L2",
    [RS_REG_TERM_WEIGHT_DECAY] = "Weight decay", [RS_REG_TERM_ACTIVITY] = "Activity",
    [RS_REG_TERM_DROPOUT] = "Dropout",
    [RS_REG_TERM_MAX_NORM] = "Max-norm",
  };
  GtkWidget *root = GTK_WIDGET (f->window);
  int n_rows = rs_window_get_n_layer_rows (f->window);

  g_assert_cmpint (n_rows, ==, 3);   /* l2-spiral: 2-64-64-3 */
  for (int i = 0; i < n_rows; i++)
    {
      RsLayerRow *row = rs_window_get_layer_row (f->window, i);

      for (int t = 0; t < RS_REG_N_TERMS; t++)
        {
          RsLambdaControl *c = rs_layer_row_get_control (row, t);
          g_autofree char *on = g_strdup_printf ("fc%d %s on", i + 1, terms[t]);
          g_autofree char *strength = g_strdup_printf ("fc%d %s strength", i + 1, terms[t]);
          g_autofree char *value = g_strdup_printf ("fc%d %s value", i + 1, terms[t]);

          assert_name (GTK_WIDGET (rs_lambda_control_get_switch (c)), on);
          assert_name (GTK_WIDGET (rs_lambda_control_get_scale (c)), strength);
          assert_name (GTK_WIDGET (rs_lambda_control_get_entry (c)), value);
        }
      g_autofree char *bias = g_strdup_printf ("fc%d L1 includes bias", i + 1);
      g_autofree char *norm = g_strdup_printf ("fc%d activity norm", i + 1);
      assert_name (GTK_WIDGET (rs_layer_row_get_l1_bias_button (row)), bias);
      assert_name (GTK_WIDGET (rs_layer_row_get_activity_norm_dropdown (row)), norm);
    }

  /* The transport controls, header bar and presentation bar alike. */
  static const struct { const char *action; const char *name; } actions[] = {
    { "win.play-pause", "Play training" },
    { "win.step", "One training step" },
    { "win.reset", "Reset training to step 0" },
    { "win.export", "Export plot" },
    { "win.pin-baseline", "Pin run as baseline" },
  };
  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      g_autoptr(GPtrArray) all = g_ptr_array_new ();
      collect_type (root, GTK_TYPE_BUTTON, all);
      int n = 0;
      for (guint k = 0; k < all->len; k++)
        if (has_action (all->pdata[k], actions[a].action))
          {
            assert_name (all->pdata[k], actions[a].name);
            n++;
          }
      g_assert_cmpint (n, >=, 1);
    }

  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (f->window));
  GtkWidget *speed = find_widget (titlebar, is_type, GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (speed);
  assert_name (speed, "Training speed");
  assert_name (find_widget (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK_SWITCHER)),
               "Plot pages");
  assert_name (find_widget (root, is_menu_button_with_icon, "view-more-symbolic"),
               "Plot options");
  assert_name (find_widget (root, is_menu_button_with_icon, "open-menu-symbolic"),
               "Main menu");

  /* The lesson button names the lesson; the learning rate has no layer. */
  const RsExperiment *exp = rs_window_get_snapshot (f->window)->experiment;
  g_autofree char *lesson = g_strdup_printf ("Lesson: %s", exp->title);
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();
  collect_type (root, GTK_TYPE_MENU_BUTTON, menus);
  int n_lesson = 0;
  for (guint k = 0; k < menus->len; k++)
    if (gtk_widget_has_css_class (menus->pdata[k], "lesson-button"))
      {
        assert_name (menus->pdata[k], lesson);
        n_lesson++;
      }
  g_assert_cmpint (n_lesson, ==, 2);

  g_autoptr(GPtrArray) lambdas = g_ptr_array_new ();
  collect_type (root, RS_TYPE_LAMBDA_CONTROL, lambdas);
  /* and the three of the whole model: learning rate, label smoothing,
   * input noise */
  static const struct { const char *key, *name, *whole; } globals[] = {
    { "lr", "Learning rate", NULL },
    { "label-smoothing", "Smoothing", "Label smoothing of the task loss" },
    { "input-noise", "Input noise", "Gaussian noise on the training inputs" },
  };
  g_assert_cmpint (lambdas->len, ==, n_rows * RS_REG_N_TERMS + G_N_ELEMENTS (globals));
  int n_model = 0;
  for (guint k = 0; k < lambdas->len; k++)
    if (gtk_widget_get_ancestor (lambdas->pdata[k], RS_TYPE_LAYER_ROW) == NULL)
      {
        const RsKey *key = rs_lambda_control_get_key (lambdas->pdata[k]);
        guint g = 0;
        while (g < G_N_ELEMENTS (globals) && !g_str_equal (key->name, globals[g].key))
          g++;
        g_assert_cmpuint (g, <, G_N_ELEMENTS (globals));
        g_autofree char *value = g_strdup_printf ("%s value", globals[g].name);
        assert_name (GTK_WIDGET (rs_lambda_control_get_scale (lambdas->pdata[k])),
                     globals[g].name);
        assert_name (GTK_WIDGET (rs_lambda_control_get_entry (lambdas->pdata[k])), value);
        if (globals[g].whole != NULL)
          assert_name (lambdas->pdata[k], globals[g].whole);
        n_model++;
      }
  g_assert_cmpint (n_model, ==, G_N_ELEMENTS (globals));

  /* Early stopping's five parts, each named with the term (the details
   * are hidden while it is off, and named all the same) */
  RsEarlyStopControl *es = RS_EARLY_STOP_CONTROL (
    find_widget (root, is_type, GSIZE_TO_POINTER (RS_TYPE_EARLY_STOP_CONTROL)));
  g_assert_nonnull (es);
  assert_name (GTK_WIDGET (rs_early_stop_control_get_switch (es)), "Early stopping on");
  assert_name (GTK_WIDGET (rs_early_stop_control_get_patience (es)),
               "Early stopping patience, in validation passes");
  assert_name (GTK_WIDGET (rs_early_stop_control_get_metric (es)), "Early stopping metric");
  assert_name (GTK_WIDGET (rs_early_stop_control_get_stop (es)), "Early stopping stops training");
  assert_name (GTK_WIDGET (rs_early_stop_control_get_restore (es)),
               "Early stopping restores the best weights when stopping");

  /* The pin button says what it does next. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "step", NULL);
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  rs_window_poll (f->window);
  rs_window_pin_baseline (f->window);
  GtkWidget *unpin = find_widget (root, has_action, "win.clear-baseline");
  g_assert_nonnull (unpin);
  assert_name (unpin, "Unpin baseline");
}

/* Every plot is an image named in words, the Loss plot (the default kind,
 * never "set") included, and says what it shows now. */
typedef struct {
  RsWindow   *window;
  RsPlotView *view;
} DescribedNow;

static gboolean
describes_snapshot (gpointer data)
{
  DescribedNow *d = data;
  g_autofree char *text = rs_plot_describe (rs_plot_view_get_kind (d->view),
                                            rs_window_get_snapshot (d->window));

  /* the check returns what differs, for the caller to free */
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (d->view),
                                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                              text);
  return diff == NULL;
}

static void
test_plot_names (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  collect_type (GTK_WIDGET (f->window), RS_TYPE_PLOT_VIEW, views);
  /* one view per kind, besides Compare's page (test-ui-twin names those) */
  for (guint k = views->len; k-- > 0;)
    for (GtkWidget *w = views->pdata[k]; w != NULL; w = gtk_widget_get_parent (w))
      {
        GtkWidget *parent = gtk_widget_get_parent (w);
        if (GTK_IS_STACK (parent)
            && g_strcmp0 (gtk_stack_page_get_name (gtk_stack_get_page (GTK_STACK (parent), w)),
                          "compare") == 0)
          {
            g_ptr_array_remove_index (views, k);
            break;
          }
      }

  g_assert_cmpint (views->len, ==, RS_PLOT_N_KINDS);
  for (guint k = 0; k < views->len; k++)
    {
      RsPlotView *view = views->pdata[k];
      RsPlotKind kind = rs_plot_view_get_kind (view);

      g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
      assert_name (GTK_WIDGET (view), rs_plot_kind_title (kind));
    }

  /* Five steps, then the loss plot reads them out. */
  for (int i = 0; i < 5; i++)
    g_action_group_activate_action (G_ACTION_GROUP (f->window), "step", NULL);
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  rs_window_poll (f->window);
  g_assert_cmpint (rs_window_get_snapshot (f->window)->steps_done, ==, 5);

  for (guint k = 0; k < views->len; k++)
    {
      RsPlotView *view = views->pdata[k];
      RsPlotKind kind = rs_plot_view_get_kind (view);
      DescribedNow d = { f->window, view };

      if (!rs_plot_kind_applies (kind, rs_window_get_snapshot (f->window)))
        continue;   /* no page for it in this lesson (digit tiles of spirals) */
      rs_window_set_current_plot_kind (f->window, kind);
      g_assert_true (wait_for (is_mapped, view));
      g_assert_true (wait_for (describes_snapshot, &d));
      if (kind == RS_PLOT_LOSS)
        {
          g_autofree char *text = rs_plot_describe (kind, rs_window_get_snapshot (f->window));
          g_assert_true (g_str_has_prefix (text, "Loss: total "));
          g_assert_true (g_str_has_suffix (text, ", step 5"));
        }
    }
}

/* The description changes at most once a second, driven by snapshots:
 * the first after a quiet second at once, later ones in that second not,
 * the newest when the second is over. The clock is the test's. */
static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now;
}

static RsSnapshot *
snapshot_at (gint64 steps,
             double loss)
{
  RsSnapshot *snap = rs_snapshot_new_empty (0);

  snap->steps_done = steps;
  snap->latest = (RsMetrics) { .step = steps - 1, .loss = loss, .task_loss = loss,
                               .train_acc = NAN, .val_loss = NAN, .val_acc = NAN,
                               .test_loss = NAN, .test_acc = NAN };
  return snap;
}

static gboolean
describes (RsPlotView       *view,
           const RsSnapshot *snap)
{
  g_autofree char *text = rs_plot_describe (RS_PLOT_LOSS, snap);
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                              text);
  return diff == NULL;
}

typedef struct {
  RsPlotView *view;
  RsSnapshot *snap;
} Describes;

static gboolean
describes_cb (gpointer data)
{
  Describes *d = data;
  return describes (d->view, d->snap);
}

static void
test_description_rate_limit (void)
{
  fake_now = 0;
  rs_plot_view_set_clock (fake_clock);

  GtkWidget *window = gtk_window_new ();
  RsPlotView *view = RS_PLOT_VIEW (rs_plot_view_new (RS_PLOT_LOSS));
  g_autoptr(RsSnapshot) a = snapshot_at (100, 0.9);
  g_autoptr(RsSnapshot) b = snapshot_at (110, 0.8);
  g_autoptr(RsSnapshot) c = snapshot_at (120, 0.7);
  g_autoptr(RsSnapshot) d = snapshot_at (130, 0.6);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_mapped, view));
  assert_name (GTK_WIDGET (view), "Loss curves");
  g_assert_true (describes (view, NULL));

  fake_now = 5 * G_USEC_PER_SEC;
  rs_plot_view_set_snapshot (view, a);
  g_assert_true (describes (view, a));            /* a quiet second before: at once */

  fake_now += G_USEC_PER_SEC / 2;
  rs_plot_view_set_snapshot (view, b);
  g_assert_true (describes (view, a));            /* half a second later: not yet */

  fake_now += G_USEC_PER_SEC / 2;
  rs_plot_view_set_snapshot (view, c);
  g_assert_true (describes (view, c));            /* a second after a: the newest */

  fake_now += G_USEC_PER_SEC / 5;
  rs_plot_view_set_snapshot (view, d);
  g_assert_true (describes (view, c));
  /* The last of a burst is not lost: it is read out when the second ends. */
  Describes wait_d = { view, d };
  g_assert_true (wait_for (describes_cb, &wait_d));

  gtk_window_destroy (GTK_WINDOW (window));
  rs_plot_view_set_clock (NULL);
}


/* ------------------------------------------------------------------ */
/* keyboard only                                                        */

/* One press of Tab: the window moves the focus to the next widget, and
 * wraps around at the end, as GTK's Tab binding does. */
static GtkWidget *
tab (RsWindow *window)
{
  if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
    {
      gtk_window_set_focus (GTK_WINDOW (window), NULL);
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* Every widget Tab reaches, once round the window (the focus comes back
 * to where it started: nothing traps it). */
static GPtrArray *
tab_cycle (RsWindow *window)
{
  GPtrArray *seen = g_ptr_array_new ();
  GtkWidget *first = tab (window);

  g_assert_nonnull (first);
  g_ptr_array_add (seen, first);
  for (int i = 0; i < 1000; i++)
    {
      GtkWidget *w = tab (window);
      g_assert_nonnull (w);
      if (w == first)
        return seen;
      g_ptr_array_add (seen, w);
    }
  g_error ("Tab never came back to %s: a focus trap", G_OBJECT_TYPE_NAME (first));
}

/* `control` or a widget inside it takes the focus on the way (a control
 * the lesson hides, such as a term a layer does not have, is not asked). */
static gboolean
reached (GPtrArray *seen, GtkWidget *control)
{
  if (!gtk_widget_is_visible (control))
    return TRUE;
  for (guint i = 0; i < seen->len; i++)
    if (seen->pdata[i] == control || gtk_widget_is_ancestor (seen->pdata[i], control))
      return TRUE;
  return FALSE;
}

static GtkWidget *
tab_to (RsWindow *window, GtkWidget *control)
{
  for (int i = 0; i < 1000; i++)
    {
      GtkWidget *w = tab (window);
      if (w == control || gtk_widget_is_ancestor (w, control))
        return w;
    }
  g_error ("Tab never reaches %s", G_OBJECT_TYPE_NAME (control));
}

static gboolean
is_running (gpointer data)
{
  return rs_trainer_get_state (data) == RS_TRAINER_RUNNING;
}

static gboolean
is_toggled (gpointer data)
{
  return gtk_toggle_button_get_active (data);
}

/* Every layer row's controls are on screen with a size. */
static gboolean
rows_laid_out (gpointer data)
{
  RsWindow *window = data;

  for (int i = 0; i < rs_window_get_n_layer_rows (window); i++)
    for (int t = 0; t < RS_REG_N_TERMS; t++)
      {
        GtkWidget *w = GTK_WIDGET (rs_lambda_control_get_switch (
          rs_layer_row_get_control (rs_window_get_layer_row (window, i), t)));
        if (gtk_widget_is_visible (w) && (!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) <= 0))
          return FALSE;
      }
  return TRUE;
}

static gboolean
has_chooser (gpointer data)
{
  return rs_window_get_file_chooser (data) != NULL;
}

static gboolean
chooser_has_file (gpointer chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
  return file != NULL;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
is_stopped (gpointer data)
{
  return rs_trainer_get_state (data) != RS_TRAINER_RUNNING;
}

/* Tab reaches every control of every layer row, every plot page's tab
 * and the transport; the focus is never trapped. Then, without the
 * mouse: Space on the focused Play button plays and pauses, a lambda
 * goes on by its switch and up by the slider's arrow key, and a plot page
 * and the export go by their tabs and action. */
static void
test_keyboard_only (Fixture       *f,
                    gconstpointer  data)
{
  RsWindow *window = f->window;
  GtkWidget *root = GTK_WIDGET (window);
  RsTrainer *trainer = rs_window_get_trainer (window);

  /* laid out: the focus order follows allocations */
  g_assert_true (wait_for (rows_laid_out, window));
  wait_frames (root, 3);
  g_autoptr(GPtrArray) seen = tab_cycle (window);

  for (int i = 0; i < rs_window_get_n_layer_rows (window); i++)
    {
      RsLayerRow *row = rs_window_get_layer_row (window, i);
      for (int t = 0; t < RS_REG_N_TERMS; t++)
        {
          RsLambdaControl *c = rs_layer_row_get_control (row, t);
          /* the output layer's row has no dropout control to reach */
          if (!gtk_widget_get_visible (GTK_WIDGET (c)))
            {
              g_assert_cmpint (t, ==, RS_REG_TERM_DROPOUT);
              g_assert_cmpint (i, ==, rs_window_get_n_layer_rows (window) - 1);
              continue;
            }
          g_assert_true (reached (seen, GTK_WIDGET (rs_lambda_control_get_switch (c))));
          g_assert_true (reached (seen, GTK_WIDGET (rs_lambda_control_get_scale (c))));
          g_assert_true (reached (seen, GTK_WIDGET (rs_lambda_control_get_entry (c))));
        }
      g_assert_true (reached (seen, GTK_WIDGET (rs_layer_row_get_l1_bias_button (row))));
      g_assert_true (reached (seen, GTK_WIDGET (rs_layer_row_get_activity_norm_dropdown (row))));
    }
  /* early stopping's switch (its details show once it is on) */
  GtkWidget *es = find_widget (root, is_type, GSIZE_TO_POINTER (RS_TYPE_EARLY_STOP_CONTROL));
  g_assert_true (reached (seen, GTK_WIDGET (rs_early_stop_control_get_switch (
                                 RS_EARLY_STOP_CONTROL (es)))));
  GtkWidget *tabs = find_widget (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK_SWITCHER));
  GtkStack *stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (tabs));
  int n_tabs = 0;
  for (GtkWidget *b = gtk_widget_get_first_child (tabs); b != NULL; b = gtk_widget_get_next_sibling (b))
    if (gtk_widget_get_visible (b))
      {
        g_assert_true (reached (seen, b));
        n_tabs++;
      }
  g_assert_cmpint (n_tabs, >=, 5);
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *play = find_widget (titlebar, has_action, "win.play-pause");
  GtkWidget *export = find_widget (titlebar, has_action, "win.export");
  g_assert_true (reached (seen, play));
  g_assert_true (reached (seen, export));
  g_assert_true (reached (seen, find_widget (titlebar, is_type,
                                             GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN))));

  /* A click leaves the focus where it was (so Space still plays after
   * one); only Tab puts it on a button, switch or check box. */
  g_assert_false (gtk_widget_get_focus_on_click (play));
  for (GtkWidget *b = gtk_widget_get_first_child (tabs); b != NULL; b = gtk_widget_get_next_sibling (b))
    g_assert_false (gtk_widget_get_focus_on_click (b));
  RsLayerRow *row0 = rs_window_get_layer_row (window, 0);
  g_assert_false (gtk_widget_get_focus_on_click (
    GTK_WIDGET (rs_lambda_control_get_switch (rs_layer_row_get_control (row0, RS_REG_TERM_L1)))));
  g_assert_false (gtk_widget_get_focus_on_click (GTK_WIDGET (rs_layer_row_get_l1_bias_button (row0))));

  /* Play and pause: Tab to the button, Space activates it (a button
   * activated by a key clicks when its press is over: waited for). */
  tab_to (window, play);
  g_assert_false (window_takes_key (window, GDK_KEY_space));   /* the button's */
  gtk_widget_activate (play);
  g_assert_true (wait_for (is_running, trainer));
  gtk_widget_activate (play);
  g_assert_true (wait_for (is_stopped, trainer));

  /* fc1 L1 on by its switch (Space is the switch's, not Play's), then
   * one step up by the slider's Right key. */
  RsLambdaControl *l1 = rs_layer_row_get_control (rs_window_get_layer_row (window, 0),
                                                  RS_REG_TERM_L1);
  GtkWidget *toggle = GTK_WIDGET (rs_lambda_control_get_switch (l1));
  GtkWidget *scale = GTK_WIDGET (rs_lambda_control_get_scale (l1));
  double before = rs_lambda_control_get_value (l1);
  g_assert_false (rs_lambda_control_get_active (l1));
  tab_to (window, toggle);
  g_assert_false (window_takes_key (window, GDK_KEY_space));
  gtk_widget_activate (toggle);
  g_assert_true (rs_lambda_control_get_active (l1));
  tab_to (window, scale);
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_STEP_RIGHT);
  g_assert_cmpfloat (rs_lambda_control_get_value (l1), >, before);
  /* the slider's value goes to the trainer once the hand rests */
  LayerValueWait has = { f, 0, G_STRUCT_OFFSET (RsLayerReg, l1),
                         rs_lambda_control_get_value (l1) };
  g_assert_true (wait_for (trainer_has_layer_value, &has));
  g_autoptr(RsSnapshot) snap = synced_snapshot (f);
  g_assert_cmpfloat (snap->experiment->layer[0].l1, ==, rs_lambda_control_get_value (l1));

  /* Every plot page by its tab. */
  for (GtkWidget *b = gtk_widget_get_first_child (tabs); b != NULL; b = gtk_widget_get_next_sibling (b))
    {
      if (!gtk_widget_get_visible (b))
        continue;
      tab_to (window, b);
      gtk_widget_activate (b);
      g_assert_true (wait_for (is_toggled, b));
      GtkWidget *page = gtk_stack_get_visible_child (stack);
      g_assert_true (wait_for (is_mapped, page));
      n_tabs--;
    }

  g_assert_cmpint (n_tabs, ==, 0);

  /* Export: Tab to its button, activate; the file chooser opens. */
  tab_to (window, export);
  gtk_widget_activate (export);
  g_assert_true (wait_for (has_chooser, window));
  /* typed a name in the chooser, Enter: its default response */
  GtkFileChooser *chooser = rs_window_get_file_chooser (window);
  g_autoptr(GFile) folder = g_file_new_for_path (f->tmpdir);
  g_autofree char *path = g_build_filename (f->tmpdir, "keyboard.png", NULL);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder, NULL));
  gtk_file_chooser_set_current_name (chooser, "keyboard.png");
  g_assert_true (wait_for (chooser_has_file, chooser));   /* the folder loads */
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_true (wait_for (file_exists, path));
  g_assert_null (rs_window_get_file_chooser (window));
}

/* ------------------------------------------------------------------ */
/* large text                                                           */

/* With text scaled by 1.5 (GNOME's "Large Text": gtk-xft-dpi × 1.5) the
 * window at 1280×800 still fits: header bar, every plot tab, the plot
 * menu, the plot (at its minimum or more), the sidebar and the status
 * line inside the window at their full size; every control of every layer
 * row as wide as it asks for and within the sidebar's width (the sidebar
 * scrolls vertically, never sideways). Checked by size requests and
 * allocations, as the projector test does. */
static void
test_large_text (Fixture       *f,
                 gconstpointer  data)
{
  const int width = 1280, height = 800;
  GtkSettings *settings = gtk_settings_get_default ();
  GtkWidget *root = GTK_WIDGET (f->window);
  GtkWidget *content = gtk_window_get_child (GTK_WINDOW (f->window));
  int dpi = 0;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  if (dpi <= 0)
    dpi = 96 * 1024;
  /* a line of text: the first layer's name */
  GtkWidget *row0 = find_widget (GTK_WIDGET (rs_window_get_layer_row (f->window, 0)), is_type,
                                 GSIZE_TO_POINTER (GTK_TYPE_LABEL));
  int min_before, min_after;
  gtk_widget_measure (row0, GTK_ORIENTATION_VERTICAL, -1, &min_before, NULL, NULL, NULL);
  g_object_set (settings, "gtk-xft-dpi", dpi * 3 / 2, NULL);
  wait_frames (root, 3);

  /* the text did grow */
  gtk_widget_measure (row0, GTK_ORIENTATION_VERTICAL, -1, &min_after, NULL, NULL, NULL);
  g_assert_cmpint (min_after, >=, min_before * 13 / 10);

  assert_window_fits (f->window, width, height);
  GtkWidget *tabs = find_widget (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK_SWITCHER));
  GtkStack *stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (tabs));
  GtkPaned *paned = GTK_PANED (find_widget (content, is_type, GSIZE_TO_POINTER (GTK_TYPE_PANED)));
  GtkWidget *sidebar = gtk_paned_get_start_child (paned);

  /* the plot keeps most of the width */
  g_assert_cmpint (gtk_widget_get_width (gtk_stack_get_visible_child (stack)), >=, width / 2);

  /* Every control of every layer row: its full width, inside the sidebar. */
  int sidebar_w = gtk_widget_get_width (sidebar);
  for (int i = 0; i < rs_window_get_n_layer_rows (f->window); i++)
    {
      RsLayerRow *row = rs_window_get_layer_row (f->window, i);
      GtkWidget *controls[RS_REG_N_TERMS * 3 + 2];
      int n = 0;
      for (int t = 0; t < RS_REG_N_TERMS; t++)
        {
          RsLambdaControl *c = rs_layer_row_get_control (row, t);
          if (!gtk_widget_get_visible (GTK_WIDGET (c)))
            continue; /* the output layer's dropout: not shown */
          controls[n++] = GTK_WIDGET (rs_lambda_control_get_switch (c));
          controls[n++] = GTK_WIDGET (rs_lambda_control_get_scale (c));
          controls[n++] = GTK_WIDGET (rs_lambda_control_get_entry (c));
        }
      controls[n++] = GTK_WIDGET (rs_layer_row_get_l1_bias_button (row));
      controls[n++] = GTK_WIDGET (rs_layer_row_get_activity_norm_dropdown (row));
      for (int k = 0; k < n; k++)
        {
          graphene_rect_t b;
          if (!gtk_widget_is_visible (controls[k]))
            continue;   /* a term this layer does not have */
          int cw, ch;
          g_assert_true (gtk_widget_compute_bounds (controls[k], sidebar, &b));
          gtk_widget_measure (controls[k], GTK_ORIENTATION_HORIZONTAL, -1, &cw, NULL, NULL, NULL);
          gtk_widget_measure (controls[k], GTK_ORIENTATION_VERTICAL, -1, &ch, NULL, NULL, NULL);
          if (b.origin.x < -0.5 || b.origin.x + b.size.width > sidebar_w + 0.5
              || b.size.width + 0.5 < cw || b.size.height + 0.5 < ch || b.size.width < 1)
            g_error ("fc%d: %s at x %.0f, %.0fx%.0f (needs %dx%d) in a sidebar %d wide", i + 1,
                     G_OBJECT_TYPE_NAME (controls[k]), b.origin.x, b.size.width, b.size.height,
                     cw, ch, sidebar_w);
        }
    }

  /* The terms went on two lines for it, and come back to one after. */
  RsLambdaControl *l1 = rs_layer_row_get_control (rs_window_get_layer_row (f->window, 0),
                                                  RS_REG_TERM_L1);
  g_assert_true (rs_lambda_control_get_compact (l1));
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
  g_assert_false (rs_lambda_control_get_compact (l1));
}

/* ------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  /* The names are checked in English. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (!ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/a11y/control-names", Fixture, "l2-spiral", fixture_set_up,
              test_control_names, fixture_tear_down);
  g_test_add ("/ui/a11y/plot-names-and-descriptions", Fixture, "l2-spiral", fixture_set_up,
              test_plot_names, fixture_tear_down);
  g_test_add_func ("/ui/a11y/description-rate-limit", test_description_rate_limit);
  g_test_add ("/ui/a11y/keyboard-only", Fixture, "l2-spiral", fixture_set_up,
              test_keyboard_only, fixture_tear_down);
  g_test_add ("/ui/a11y/large-text-fits", Fixture, "l2-spiral", fixture_set_up,
              test_large_text, fixture_tear_down);
  return g_test_run ();
}
