/* rs-metrics.c — short labels for control changes, drawn beside the event
 * markers of the loss curves. */
#include "rs-metrics.h"

#include <string.h>

/* The words a student sees for a preset key. */
static const char *
key_label (const char *key)
{
  static const struct { const char *key, *label; } names[] = {
    { "l1", "L1" },
    { "l1-bias", "L1 on bias" },
    { "l2", "L2" },
    { "weight-decay", "weight decay" },
    { "activity", "activity" },
    { "activity-norm", "activity norm" },
    { "lr", "lr" },
    { "momentum", "momentum" },
    { "nesterov", "nesterov" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i].key, key) == 0)
      return names[i].label;
  return key;
}

/* Booleans and enums are stored as numbers; show them as words. */
static char *
format_value (const char *key, double v)
{
  if (strcmp (key, "l1-bias") == 0 || strcmp (key, "nesterov") == 0)
    return g_strdup (v != 0.0 ? "on" : "off");
  if (strcmp (key, "activity-norm") == 0)
    return g_strdup (v != 0.0 ? "L2" : "L1");
  return g_strdup_printf ("%g", v);
}

char *
rs_event_describe (const RsEvent *event)
{
  char key[sizeof event->key + 1];

  /* key is a fixed array that may be filled to the last byte. */
  memcpy (key, event->key, sizeof event->key);
  key[sizeof event->key] = '\0';

  g_autofree char *from = format_value (key, event->old_value);
  g_autofree char *to = format_value (key, event->new_value);
  if (event->layer < 0)
    return g_strdup_printf ("%s %s → %s", key_label (key), from, to);
  return g_strdup_printf ("fc%d %s %s → %s", event->layer + 1, key_label (key), from, to);
}
