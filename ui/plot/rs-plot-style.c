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

  /* Train solid (the total thicker), validation dashed, each penalty its
   * own pattern: the curves stay apart without telling red from green. */
  static const RsDash dashes[G_N_ELEMENTS (style->series_dash)] = {
    [RS_SERIES_LOSS] = RS_DASH_SOLID, [RS_SERIES_TASK] = RS_DASH_SOLID,
    [RS_SERIES_L1] = RS_DASH_DASH_DOT, [RS_SERIES_L2] = RS_DASH_LONG,
    [RS_SERIES_ACTIVITY] = RS_DASH_DASH_DOT_DOT, [RS_SERIES_VAL_LOSS] = RS_DASH_DASHED,
    [RS_SERIES_TRAIN_ACC] = RS_DASH_SOLID, [RS_SERIES_VAL_ACC] = RS_DASH_DASHED,
  };
  memcpy (style->series_dash, dashes, sizeof dashes);
  style->baseline_dash = RS_DASH_DOTTED;

  if (theme == RS_PLOT_THEME_DARK)
    {
      style->background = hex (0x1d2026);
      style->foreground = hex (0xeceff4);
      style->grid = hex (0x363b45);
      style->muted = hex (0xa3aab8);
      /* Okabe & Ito's colour-blind-safe set; sky blue for the task loss,
       * its blue is too dark on this ground; the events in its yellow */
      style->series[RS_SERIES_LOSS] = hex (0xd8dee9);
      style->series[RS_SERIES_TASK] = hex (0x56b4e9);
      style->series[RS_SERIES_L1] = hex (0xe69f00);
      style->series[RS_SERIES_L2] = hex (0x009e73);
      style->series[RS_SERIES_ACTIVITY] = hex (0xcc79a7);
      style->series[RS_SERIES_VAL_LOSS] = hex (0xd55e00);
      style->series[RS_SERIES_TRAIN_ACC] = hex (0x56b4e9);
      style->series[RS_SERIES_VAL_ACC] = hex (0xd55e00);
      style->event = hex (0xf0e442);
      /* "nothing there": a hole as dark as the page */
      style->near_zero = hex (0x08090b);
    }
  else
    {
      style->background = hex (0xffffff);
      style->foreground = hex (0x1f2430);
      style->grid = hex (0xe3e6eb);
      style->muted = hex (0x5c6370);
      /* Okabe & Ito's colour-blind-safe set (tests/test-plot-colors.c
       * checks every pair under protanopia and deuteranopia) */
      style->series[RS_SERIES_LOSS] = hex (0x3d4451);
      style->series[RS_SERIES_TASK] = hex (0x0072b2);
      style->series[RS_SERIES_L1] = hex (0xe69f00);
      style->series[RS_SERIES_L2] = hex (0x009e73);
      style->series[RS_SERIES_ACTIVITY] = hex (0xcc79a7);
      style->series[RS_SERIES_VAL_LOSS] = hex (0xd55e00);
      style->series[RS_SERIES_TRAIN_ACC] = hex (0x0072b2);
      style->series[RS_SERIES_VAL_ACC] = hex (0xd55e00);
      style->event = hex (0xc2307f);
      /* "nothing there": a neutral grey, on no colour map (viridis and the
       * blue-white-red map are all hue or white), darker than the page so
       * silent units' columns go dark as the lessons say */
      style->near_zero = hex (0x767b86);
    }
  /* Twin runs: A in the blue and B in the vermillion of the same set, and
   * B's lines in patterns of their own (long dashes, dash-dot), so the two
   * runs differ without colour too. */
  style->twin[0] = style->series[RS_SERIES_TASK];
  style->twin[1] = style->series[RS_SERIES_VAL_LOSS];
  static const RsDash twin_dashes[2][2] = { { RS_DASH_SOLID, RS_DASH_DASHED },
                                            { RS_DASH_LONG, RS_DASH_DASH_DOT } };
  memcpy (style->twin_dash, twin_dashes, sizeof twin_dashes);
}
