/* rs-plot-style.c — the light and dark themes and the presentation size. */
#include "rs-plot-style.h"

#include <string.h>

static RsColor
hex (guint32 rgb)
{
  RsColor c = { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                (rgb & 0xff) / 255.0, 1.0 };
  return c;
}

void
rs_plot_style_init (RsPlotStyle *style, RsPlotTheme theme, gboolean presentation)
{
  memset (style, 0, sizeof *style);
  style->theme = theme;
  /* presentation: readable from the back of a classroom */
  style->font_size = presentation ? 20.0 : 13.0;
  style->line_width = presentation ? 3.0 : 2.0;
  style->font_family = "Cantarell, Sans";
  style->log_y = FALSE;
  style->log_bins = FALSE;

  if (theme == RS_PLOT_THEME_DARK)
    {
      style->background = hex (0x1d2026);
      style->foreground = hex (0xeceff4);
      style->grid = hex (0x363b45);
      style->muted = hex (0xa3aab8);
      /* Tableau 10, lifted so the lines keep their contrast on a dark ground */
      style->series[RS_SERIES_LOSS] = hex (0xd8dee9);
      style->series[RS_SERIES_TASK] = hex (0x7aa6da);
      style->series[RS_SERIES_L1] = hex (0xffa94d);
      style->series[RS_SERIES_L2] = hex (0x82c47a);
      style->series[RS_SERIES_ACTIVITY] = hex (0xcc9bc4);
      style->series[RS_SERIES_VAL_LOSS] = hex (0xff7b7d);
      style->series[RS_SERIES_TRAIN_ACC] = hex (0x7aa6da);
      style->series[RS_SERIES_VAL_ACC] = hex (0xff7b7d);
      style->event = hex (0xf06fb8);
      /* "nothing there": a hole as dark as the page */
      style->near_zero = hex (0x08090b);
    }
  else
    {
      style->background = hex (0xffffff);
      style->foreground = hex (0x1f2430);
      style->grid = hex (0xe3e6eb);
      style->muted = hex (0x5c6370);
      /* Tableau 10 */
      style->series[RS_SERIES_LOSS] = hex (0x3d4451);
      style->series[RS_SERIES_TASK] = hex (0x4e79a7);
      style->series[RS_SERIES_L1] = hex (0xf28e2b);
      style->series[RS_SERIES_L2] = hex (0x59a14f);
      style->series[RS_SERIES_ACTIVITY] = hex (0xb07aa1);
      style->series[RS_SERIES_VAL_LOSS] = hex (0xe15759);
      style->series[RS_SERIES_TRAIN_ACC] = hex (0x4e79a7);
      style->series[RS_SERIES_VAL_ACC] = hex (0xe15759);
      style->event = hex (0xc2307f);
      /* "nothing there": a neutral grey, on no colour map (viridis and the
       * blue-white-red map are all hue or white), darker than the page so
       * silent units' columns go dark as the lessons say */
      style->near_zero = hex (0x767b86);
    }
}
