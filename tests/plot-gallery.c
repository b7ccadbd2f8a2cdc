/* plot-gallery — renders every plot of two synthetic classroom runs (digits
 * and 2-D spirals) in the light, dark and presentation styles, so the
 * plots can be looked at and judged as a whole:
 *
 *   plot-gallery [DIR]      (default: ./plot-gallery)
 *
 * writes DIR/<run>-<style>/<kind>.png (a dashboard included), small
 * thumbnails in DIR/thumbs and the empty loss plot DIR/empty-loss.png. */
#include <stdio.h>
#include <stdlib.h>

#include "plot-fixtures.h"
#include "rs-plot-export.h"

typedef struct {
  const char *name;
  RsPlotTheme theme;
  gboolean    presentation;
  gboolean    log;
} GalleryStyle;

static const GalleryStyle styles[] = {
  { "light", RS_PLOT_THEME_LIGHT, FALSE, FALSE },
  { "dark", RS_PLOT_THEME_DARK, FALSE, FALSE },
  { "presentation", RS_PLOT_THEME_LIGHT, TRUE, FALSE },
  { "light-log", RS_PLOT_THEME_LIGHT, FALSE, TRUE },
};

/* Sizes a plot is typically shown at: wide for curves, tall for stacks. */
static void
size_for (RsPlotKind kind, gboolean presentation, int *w, int *h)
{
  double k = presentation ? 1.4 : 1.0;
  switch (kind)
    {
    case RS_PLOT_DASHBOARD:
      *w = 1600, *h = 1000;
      return;
    case RS_PLOT_HISTOGRAM_TIME:
    case RS_PLOT_ACTIVATIONS:
      *w = (int) (760 * k), *h = (int) (900 * k);
      return;
    case RS_PLOT_HISTOGRAMS:
    case RS_PLOT_WEIGHTS:
      *w = (int) (1200 * k), *h = (int) (420 * k);
      return;
    default:
      *w = (int) (900 * k), *h = (int) (600 * k);
      return;
    }
}

int
main (int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : "plot-gallery";
  int status = EXIT_SUCCESS;

  for (int two_d = 0; two_d <= 1 && status == EXIT_SUCCESS; two_d++)
    {
      RsSnapshot *snap = plot_fixture_realistic (two_d);
      RsSnapshot *baseline = plot_fixture_baseline (snap, 2000);
      for (gsize s = 0; s < G_N_ELEMENTS (styles); s++)
        {
          RsPlotStyle style;
          rs_plot_style_init (&style, styles[s].theme, styles[s].presentation);
          style.log_y = styles[s].log;
          style.log_bins = styles[s].log;
          g_autofree char *sub = g_strdup_printf ("%s-%s", two_d ? "spirals" : "digits",
                                                  styles[s].name);
          g_autofree char *path = g_build_filename (dir, sub, NULL);
          if (g_mkdir_with_parents (path, 0755) != 0)
            {
              fprintf (stderr, "%s: cannot create folder\n", path);
              status = EXIT_FAILURE;
              break;
            }
          for (int k = 0; k < RS_PLOT_N_KINDS; k++)
            {
              if (!rs_plot_kind_applies (k, snap))
                continue;
              int w, h;
              size_for (k, styles[s].presentation, &w, &h);
              g_autofree char *file = g_strdup_printf ("%s/%s.png", path,
                                                       rs_plot_kind_to_string (k));
              g_autoptr (GError) error = NULL;
              if (!rs_plot_export (file, RS_EXPORT_PNG, k, &style, snap, baseline,
                                   w, h, 1.0, &error))
                {
                  fprintf (stderr, "%s\n", error->message);
                  status = EXIT_FAILURE;
                }
            }
        }
      rs_snapshot_unref (baseline);
      rs_snapshot_unref (snap);
    }

  /* thumbnails: the smallest a window might show a plot at */
  RsSnapshot *thumb = plot_fixture_realistic (FALSE);
  g_autofree char *tdir = g_build_filename (dir, "thumbs", NULL);
  g_mkdir_with_parents (tdir, 0755);
  RsPlotStyle tstyle;
  rs_plot_style_init (&tstyle, RS_PLOT_THEME_LIGHT, FALSE);
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.png", tdir, rs_plot_kind_to_string (k));
      g_autoptr (GError) terror = NULL;
      if (rs_plot_kind_applies (k, thumb)
          && !rs_plot_export (file, RS_EXPORT_PNG, k, &tstyle, thumb, NULL, 240, 160, 1.0,
                              &terror))
        {
          fprintf (stderr, "%s\n", terror->message);
          status = EXIT_FAILURE;
        }
    }
  rs_snapshot_unref (thumb);

  /* the empty state: what a class sees before pressing Play */
  RsSnapshot *empty = plot_fixture_small (0);
  RsPlotStyle style;
  rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, FALSE);
  g_autofree char *epath = g_build_filename (dir, "empty-loss.png", NULL);
  g_autoptr (GError) error = NULL;
  if (!rs_plot_export (epath, RS_EXPORT_PNG, RS_PLOT_LOSS, &style, empty, NULL, 900, 600,
                       1.0, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      status = EXIT_FAILURE;
    }
  rs_snapshot_unref (empty);
  if (status == EXIT_SUCCESS)
    printf ("%s: written\n", dir);
  return status;
}
