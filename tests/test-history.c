/* test-history.c — bounded, evenly decimated metric history and events. */
#include <math.h>
#include <string.h>

#include "rs-history.h"

static RsMetrics
metrics_at (gint64 step)
{
  RsMetrics m = { 0 };
  m.step = step;
  m.loss = 1.0 / (1.0 + (double) step);
  m.val_loss = NAN;
  return m;
}

static void
assert_well_formed (const RsHistory *h)
{
  g_assert_cmpint (h->n, <=, h->capacity);
  for (int i = 1; i < h->n; i++)
    g_assert_cmpint (h->points[i].step, >, h->points[i - 1].step);
}

static void
test_capacity_rounded (void)
{
  RsHistory *h = rs_history_new (5);
  g_assert_cmpint (h->capacity, ==, 6);
  rs_history_free (h);
  h = rs_history_new (1);
  g_assert_cmpint (h->capacity, ==, 4);
  rs_history_free (h);
}

static void
test_keeps_all_until_full (void)
{
  RsHistory *h = rs_history_new (100);
  for (gint64 s = 0; s < 100; s++)
    {
      RsMetrics m = metrics_at (s);
      rs_history_append (h, &m);
    }
  g_assert_cmpint (h->n, ==, 100);
  g_assert_cmpint (h->stride, ==, 1);
  g_assert_cmpint (h->points[99].step, ==, 99);
  g_assert_cmpfloat (h->points[10].loss, ==, 1.0 / 11.0);
  rs_history_free (h);
}

static void
test_ten_million (void)
{
  const gint64 total = 10 * 1000 * 1000;
  RsHistory *h = rs_history_new (1000);
  for (gint64 s = 0; s < total; s++)
    {
      RsMetrics m = metrics_at (s);
      rs_history_append (h, &m);
      /* checking every step would take longer than the run itself */
      if ((s & 0xfffff) == 0)
        assert_well_formed (h);
    }
  assert_well_formed (h);
  g_assert_cmpint (h->n, <=, h->capacity);
  /* at least half full: decimation never throws away more than it must */
  g_assert_cmpint (h->n, >=, h->capacity / 2);
  g_assert_cmpint (h->points[0].step, ==, 0);
  /* evenly spread: every gap is the stride, and they cover the whole run */
  for (int i = 1; i < h->n; i++)
    g_assert_cmpint (h->points[i].step - h->points[i - 1].step, ==, h->stride);
  g_assert_cmpint (h->points[h->n - 1].step, >, total - h->stride - 1);
  /* the data went with the steps */
  g_assert_cmpfloat (h->points[h->n - 1].loss, ==,
                     1.0 / (1.0 + (double) h->points[h->n - 1].step));
  rs_history_free (h);
}

static void
test_first_point_kept_resumed (void)
{
  /* A run resumed at step 7 does not start on a multiple of the stride:
   * its first point must survive decimation anyway. */
  RsHistory *h = rs_history_new (8);
  for (gint64 s = 7; s < 500; s++)
    {
      RsMetrics m = metrics_at (s);
      rs_history_append (h, &m);
      assert_well_formed (h);
    }
  g_assert_cmpint (h->points[0].step, ==, 7);
  g_assert_cmpint (h->n, >=, 3);
  for (int i = 2; i < h->n; i++)
    g_assert_cmpint (h->points[i].step - h->points[i - 1].step, ==, h->stride);
  rs_history_free (h);
}

static void
test_non_increasing_ignored (void)
{
  RsHistory *h = rs_history_new (16);
  RsMetrics a = metrics_at (5), b = metrics_at (5), c = metrics_at (3);
  rs_history_append (h, &a);
  rs_history_append (h, &b);
  rs_history_append (h, &c);
  g_assert_cmpint (h->n, ==, 1);
  rs_history_clear (h);
  g_assert_cmpint (h->n, ==, 0);
  g_assert_cmpint (h->stride, ==, 1);
  rs_history_append (h, &c);
  g_assert_cmpint (h->n, ==, 1);
  rs_history_free (h);
}

static void
test_events_capped (void)
{
  RsHistory *h = rs_history_new (16);
  for (int i = 0; i < 10000; i++)
    {
      RsEvent e = { .step = i, .layer = 0, .old_value = 0, .new_value = i };
      g_strlcpy (e.key, "l1", sizeof e.key);
      rs_history_add_event (h, &e);
    }
  g_assert_cmpint (h->n_events, ==, 4096);
  g_assert_cmpint (h->events_capacity, <=, 4096);
  /* the newest are kept, in order */
  g_assert_cmpint (h->events[h->n_events - 1].step, ==, 9999);
  g_assert_cmpint (h->events[0].step, ==, 10000 - 4096);
  for (int i = 1; i < h->n_events; i++)
    g_assert_cmpint (h->events[i].step, ==, h->events[i - 1].step + 1);
  rs_history_free (h);
}

static void
test_copy (void)
{
  RsHistory *h = rs_history_new (8);
  for (gint64 s = 0; s < 20; s++)
    {
      RsMetrics m = metrics_at (s);
      rs_history_append (h, &m);
    }
  RsEvent e = { .step = 3, .layer = -1, .old_value = 0.1, .new_value = 0.01 };
  g_strlcpy (e.key, "lr", sizeof e.key);
  rs_history_add_event (h, &e);

  RsHistory *c = rs_history_copy (h);
  g_assert_true (c->points != h->points);
  g_assert_true (c->events != h->events);
  g_assert_cmpint (c->n, ==, h->n);
  g_assert_cmpint (c->stride, ==, h->stride);
  g_assert_cmpmem (c->points, sizeof (RsMetrics) * h->n, h->points, sizeof (RsMetrics) * h->n);
  g_assert_cmpint (c->n_events, ==, 1);
  g_assert_cmpstr (c->events[0].key, ==, "lr");
  rs_history_free (h);
  rs_history_free (c);
  g_assert_null (rs_history_copy (NULL));

  /* a history without events copies too */
  h = rs_history_new (4);
  c = rs_history_copy (h);
  g_assert_cmpint (c->n_events, ==, 0);
  rs_history_free (h);
  rs_history_free (c);
}

static void
test_event_describe (void)
{
  struct { int layer; const char *key; double from, to; const char *want; } cases[] = {
    { 0, "l1", 0, 0.005, "fc1 L1 0 → 0.005" },
    { 1, "weight-decay", 0.01, 0, "fc2 weight decay 0.01 → 0" },
    { -1, "lr", 0.001, 0.01, "lr 0.001 → 0.01" },
    { 2, "l1-bias", 1, 0, "fc3 L1 on bias on → off" },
    { 0, "activity-norm", 0, 1, "fc1 activity norm L1 → L2" },
    { 0, "activity", 0, 1e-5, "fc1 activity 0 → 1e-05" },
    { -1, "something-new", 1, 2, "something-new 1 → 2" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RsEvent e = { .step = 1, .layer = cases[i].layer,
                    .old_value = cases[i].from, .new_value = cases[i].to };
      g_strlcpy (e.key, cases[i].key, sizeof e.key);
      g_autofree char *s = rs_event_describe (&e);
      g_assert_cmpstr (s, ==, cases[i].want);
    }

  /* a key that fills the whole array is not read past */
  RsEvent e = { .step = 1, .layer = -1, .old_value = 1, .new_value = 2 };
  memset (e.key, 'k', sizeof e.key);
  g_autofree char *s = rs_event_describe (&e);
  g_assert_true (g_str_has_prefix (s, "kkkkkkkkkkkkkkkkkkkkkkkk 1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/capacity-rounded", test_capacity_rounded);
  g_test_add_func ("/history/keeps-all-until-full", test_keeps_all_until_full);
  g_test_add_func ("/history/ten-million-bounded-even", test_ten_million);
  g_test_add_func ("/history/first-point-kept-when-resumed", test_first_point_kept_resumed);
  g_test_add_func ("/history/non-increasing-ignored", test_non_increasing_ignored);
  g_test_add_func ("/history/events-capped", test_events_capped);
  g_test_add_func ("/history/copy", test_copy);
  g_test_add_func ("/metrics/event-describe", test_event_describe);
  return g_test_run ();
}
