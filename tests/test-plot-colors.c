/* test-plot-colors.c — the series and class colours stay apart for a
 * student who cannot tell red from green, and no series is told by
 * colour alone.
 *
 * Colour vision deficiency is simulated with the matrices of Machado,
 * Oliveira and Fernandes, "A Physiologically-based Model for Simulation of
 * Color Vision Deficiency", IEEE TVCG 15(6), 2009, at severity 1.0
 * (protanopia, deuteranopia), applied to linear sRGB. Distances are
 * CIEDE2000 (Sharma, Wu and Dalal, Color Res. Appl. 30(1), 2005) in CIELAB
 * under D65.
 *
 * The threshold is ΔE00 >= 10. A just-noticeable difference is about 1
 * for large patches side by side; the plots draw 2-px lines and small
 * legend marks, for which the difference needed to tell colours apart
 * grows several-fold as marks get thinner (Stone, Szafir and Setlur,
 * "An Engineering Model for Color Difference as a Function of Size",
 * 2014), and a student compares a curve with its legend entry, not side
 * by side. Tableau 10, the palette before, had pairs at 0.7 under
 * deuteranopia (its green and red); Okabe and Ito's set keeps every pair
 * above 11. */
#include <math.h>
#include <string.h>

#include "plot-fixtures.h"
#include "rs-plot-colormap.h"
#include "rs-plot-loss.h"
#include "rs-plot-toolkit.h"

#define MIN_DELTA_E 10.0

typedef struct { double L, a, b; } Lab;

typedef enum { VISION_NORMAL, VISION_PROTANOPIA, VISION_DEUTERANOPIA, N_VISIONS } Vision;

static const char *const vision_names[N_VISIONS] = { "normal", "protanopia", "deuteranopia" };

/* Machado et al. 2009, severity 1.0, on linear RGB. */
static const double machado[N_VISIONS][3][3] = {
  [VISION_NORMAL] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
  [VISION_PROTANOPIA] = { { 0.152286, 1.052583, -0.204868 },
                          { 0.114503, 0.786281, 0.099216 },
                          { -0.003882, -0.048116, 1.051998 } },
  [VISION_DEUTERANOPIA] = { { 0.367322, 0.860646, -0.227968 },
                            { 0.280085, 0.672501, 0.047413 },
                            { -0.011820, 0.042940, 0.968881 } },
};

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
lab_f (double t)
{
  return t > 216.0 / 24389.0 ? cbrt (t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
}

/* The colour as a viewer with `vision` sees it, in CIELAB (D65). */
static Lab
seen_as (const RsColor *c, Vision vision)
{
  double lin[3] = { srgb_to_linear (c->r), srgb_to_linear (c->g), srgb_to_linear (c->b) };
  double v[3];

  for (int i = 0; i < 3; i++)
    v[i] = CLAMP (machado[vision][i][0] * lin[0] + machado[vision][i][1] * lin[1]
                  + machado[vision][i][2] * lin[2], 0.0, 1.0);
  double X = 0.4124564 * v[0] + 0.3575761 * v[1] + 0.1804375 * v[2];
  double Y = 0.2126729 * v[0] + 0.7151522 * v[1] + 0.0721750 * v[2];
  double Z = 0.0193339 * v[0] + 0.1191920 * v[1] + 0.9503041 * v[2];
  double fx = lab_f (X / 0.95047), fy = lab_f (Y), fz = lab_f (Z / 1.08883);
  return (Lab) { 116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz) };
}

static double
deg (double rad)
{
  return rad * 180.0 / G_PI;
}

static double
rad (double degrees)
{
  return degrees * G_PI / 180.0;
}

/* CIEDE2000, kL = kC = kH = 1, as Sharma et al. 2005 write it out. */
static double
ciede2000 (Lab p, Lab q)
{
  double c1 = hypot (p.a, p.b), c2 = hypot (q.a, q.b), cb = (c1 + c2) / 2;
  double cb7 = pow (cb, 7);
  double g = 0.5 * (1 - sqrt (cb7 / (cb7 + pow (25, 7))));
  double a1 = (1 + g) * p.a, a2 = (1 + g) * q.a;
  double c1p = hypot (a1, p.b), c2p = hypot (a2, q.b);
  double h1p = c1p == 0 ? 0 : fmod (deg (atan2 (p.b, a1)) + 360, 360);
  double h2p = c2p == 0 ? 0 : fmod (deg (atan2 (q.b, a2)) + 360, 360);
  double dlp = q.L - p.L, dcp = c2p - c1p, dhp = 0;

  if (c1p * c2p != 0)
    {
      dhp = h2p - h1p;
      if (dhp > 180)
        dhp -= 360;
      else if (dhp < -180)
        dhp += 360;
    }
  double dHp = 2 * sqrt (c1p * c2p) * sin (rad (dhp / 2));
  double lbp = (p.L + q.L) / 2, cbp = (c1p + c2p) / 2, hbp = h1p + h2p;
  if (c1p * c2p != 0)
    {
      if (fabs (h1p - h2p) <= 180)
        hbp = (h1p + h2p) / 2;
      else if (h1p + h2p < 360)
        hbp = (h1p + h2p + 360) / 2;
      else
        hbp = (h1p + h2p - 360) / 2;
    }
  double t = 1 - 0.17 * cos (rad (hbp - 30)) + 0.24 * cos (rad (2 * hbp))
             + 0.32 * cos (rad (3 * hbp + 6)) - 0.20 * cos (rad (4 * hbp - 63));
  double dtheta = 30 * exp (-pow ((hbp - 275) / 25, 2));
  double cbp7 = pow (cbp, 7);
  double rc = 2 * sqrt (cbp7 / (cbp7 + pow (25, 7)));
  double sl = 1 + 0.015 * pow (lbp - 50, 2) / sqrt (20 + pow (lbp - 50, 2));
  double sc = 1 + 0.045 * cbp, sh = 1 + 0.015 * cbp * t;
  double rt = -sin (rad (2 * dtheta)) * rc;
  return sqrt (pow (dlp / sl, 2) + pow (dcp / sc, 2) + pow (dHp / sh, 2)
               + rt * (dcp / sc) * (dHp / sh));
}

/* The implementation against pairs of Sharma et al.'s table 1. */
static void
test_ciede2000_reference (void)
{
  static const struct { Lab p, q; double de; } pairs[] = {
    { { 50, 2.6772, -79.7751 }, { 50, 0, -82.7485 }, 2.0425 },
    { { 50, -1.3802, -84.2814 }, { 50, 0, -82.7485 }, 1.0000 },
    { { 50, 2.5, 0 }, { 50, 0, -2.5 }, 4.3065 },
    { { 50, 2.5, 0 }, { 73, 25, -18 }, 27.1492 },
    { { 60.2574, -34.0099, 36.2677 }, { 60.4626, -34.1751, 39.4387 }, 1.2644 },
    { { 22.7233, 20.0904, -46.6940 }, { 23.0331, 14.9730, -42.5619 }, 2.0373 },
    { { 90.8027, -2.0831, 1.4410 }, { 91.1528, -1.6435, 0.0447 }, 1.4441 },
    { { 2.0776, 0.0795, -1.1350 }, { 0.9033, -0.0636, -0.5514 }, 0.9082 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_assert_cmpfloat_with_epsilon (ciede2000 (pairs[i].p, pairs[i].q), pairs[i].de, 1e-4);
      g_assert_cmpfloat_with_epsilon (ciede2000 (pairs[i].q, pairs[i].p), pairs[i].de, 1e-4);
    }

  /* and the simulation: deuteranopia folds red and green together */
  RsColor red = { 0.8, 0.1, 0.1, 1 }, green = { 0.3, 0.55, 0.1, 1 };
  g_assert_cmpfloat (ciede2000 (seen_as (&red, VISION_NORMAL), seen_as (&green, VISION_NORMAL)),
                     >, 40);
  g_assert_cmpfloat (ciede2000 (seen_as (&red, VISION_DEUTERANOPIA),
                                seen_as (&green, VISION_DEUTERANOPIA)), <, 10);
}

typedef struct {
  const char *name;
  RsColor     color;
} Named;

static void
assert_apart (const Named *colors, int n, const char *what)
{
  for (int v = 0; v < N_VISIONS; v++)
    for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
        {
          double de = ciede2000 (seen_as (&colors[i].color, v), seen_as (&colors[j].color, v));
          if (de < MIN_DELTA_E)
            g_error ("%s: %s and %s are ΔE00 %.1f apart under %s (at least %.0f wanted)", what,
                     colors[i].name, colors[j].name, de, vision_names[v], MIN_DELTA_E);
        }
}

/* Every series colour that shares a plot with another, and the event
 * markers drawn among them, in both themes. Accuracy takes the colours of
 * the losses it belongs to (train: task, validation: val loss) in its own
 * panel: those pairs are equal on purpose. */
static void
test_series_apart (void)
{
  for (int theme = RS_PLOT_THEME_LIGHT; theme <= RS_PLOT_THEME_DARK; theme++)
    {
      RsPlotStyle style;
      rs_plot_style_init (&style, theme, FALSE);
      Named colors[] = {
        { "total loss", style.series[RS_SERIES_LOSS] },
        { "task loss", style.series[RS_SERIES_TASK] },
        { "L1", style.series[RS_SERIES_L1] },
        { "L2", style.series[RS_SERIES_L2] },
        { "activity", style.series[RS_SERIES_ACTIVITY] },
        { "validation loss", style.series[RS_SERIES_VAL_LOSS] },
        { "events", style.event },
      };
      assert_apart (colors, G_N_ELEMENTS (colors),
                    theme == RS_PLOT_THEME_DARK ? "dark theme" : "light theme");
      g_assert_true (memcmp (&style.series[RS_SERIES_TRAIN_ACC], &style.series[RS_SERIES_TASK],
                             sizeof (RsColor)) == 0);
      g_assert_true (memcmp (&style.series[RS_SERIES_VAL_ACC], &style.series[RS_SERIES_VAL_LOSS],
                             sizeof (RsColor)) == 0);
    }
}

/* Every pair of class colours (the decision boundary's regions and
 * points); the palette repeats after RS_PLOT_N_CLASS_COLORS. */
static void
test_classes_apart (void)
{
  Named colors[RS_PLOT_N_CLASS_COLORS];
  char names[RS_PLOT_N_CLASS_COLORS][16];

  for (int i = 0; i < RS_PLOT_N_CLASS_COLORS; i++)
    {
      g_snprintf (names[i], sizeof names[i], "class %d", i);
      colors[i] = (Named) { names[i], rs_plot_palette (i) };
    }
  assert_apart (colors, RS_PLOT_N_CLASS_COLORS, "classes");
  RsColor a = rs_plot_palette (1), b = rs_plot_palette (1 + RS_PLOT_N_CLASS_COLORS);
  g_assert_true (memcmp (&a, &b, sizeof a) == 0);
}

/* Not by colour alone: the curves that share a panel differ in pattern or
 * width as well, and a pinned run in pattern from every curve of the run. */
static void
test_series_patterns (void)
{
  RsPlotStyle style;
  rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, FALSE);
  /* the loss panel; total is drawn thicker than task */
  static const int loss_panel[] = { RS_SERIES_TASK, RS_SERIES_L1, RS_SERIES_L2,
                                    RS_SERIES_ACTIVITY, RS_SERIES_VAL_LOSS };

  for (gsize i = 0; i < G_N_ELEMENTS (loss_panel); i++)
    {
      for (gsize j = i + 1; j < G_N_ELEMENTS (loss_panel); j++)
        g_assert_cmpint (style.series_dash[loss_panel[i]], !=, style.series_dash[loss_panel[j]]);
      g_assert_cmpint (style.baseline_dash, !=, style.series_dash[loss_panel[i]]);
    }
  g_assert_cmpint (style.series_dash[RS_SERIES_TRAIN_ACC], !=,
                   style.series_dash[RS_SERIES_VAL_ACC]);
  g_assert_cmpint (style.series_dash[RS_SERIES_VAL_LOSS], ==,
                   style.series_dash[RS_SERIES_VAL_ACC]);   /* validation: dashed, everywhere */
}

/* On pixels: flat curves (train 1, validation 2, a pinned run at 3) are
 * one unbroken run of their colour along a row when solid, and broken into
 * dashes when not; sparse histories are stroked, dense ones filled as a
 * band, and both keep the pattern. */
static int
runs_of_color (cairo_surface_t *s, double y, double x0, double x1, const RsColor *c,
               double alpha, const RsColor *bg)
{
  RsColor want = rs_plot_color_mix (bg, c, alpha);
  int runs = 0;
  gboolean in = FALSE;

  for (double x = x0; x < x1; x += 1)
    {
      gboolean hit = FALSE;
      for (int dy = -1; dy <= 1 && !hit; dy++)
        hit = plot_pixel_is (plot_pixel (s, x, y + dy), &want, 12);
      if (hit && !in)
        runs++;
      in = hit;
    }
  return runs;
}

static RsSnapshot *
flat_run (int steps)
{
  RsSnapshot *snap = plot_fixture_small (0);

  /* room for every point: 3000 over a few hundred pixels is a band */
  rs_history_free (snap->history);
  snap->history = rs_history_new (4096);
  for (int i = 0; i < steps; i++)
    {
      RsMetrics m = { .step = i, .loss = 1.0, .task_loss = 1.0, .train_acc = NAN,
                      .val_loss = 2.0, .val_acc = NAN, .test_loss = NAN, .test_acc = NAN };
      rs_history_append (snap->history, &m);
      snap->latest = m;
    }
  snap->steps_done = steps;
  return snap;
}

static void
test_patterns_on_pixels (void)
{
  static const int lengths[] = { 40, 3000 };   /* stroked, banded */

  for (gsize k = 0; k < G_N_ELEMENTS (lengths); k++)
    {
      int n = lengths[k];
      g_autoptr(RsSnapshot) snap = flat_run (n);
      g_autoptr(RsSnapshot) base = flat_run (n);
      RsHistory *bh = base->history;
      for (int i = 0; i < bh->n; i++)
        {
          bh->points[i].loss = bh->points[i].task_loss = 3.0;
          bh->points[i].val_loss = NAN;
        }
      base->latest = bh->points[bh->n - 1];
      RsPlotStyle style;
      rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, FALSE);
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 500);
      cairo_t *cr = cairo_create (s);
      RsPlotLossLayout L;

      rs_plot_loss_draw (cr, &style, snap, base, 800, 500);
      rs_plot_loss_layout (cr, &style, snap, base, 800, 500, &L);
      cairo_surface_flush (s);
      const RsPlotFrame *f = &L.loss;
      double x0 = f->area.x + f->area.w * 0.2, x1 = f->area.x + f->area.w * 0.8;

      int train = runs_of_color (s, rs_plot_scale_map (&f->y, 1.0), x0, x1,
                                 &style.series[RS_SERIES_LOSS], 1.0, &style.background);
      int val = runs_of_color (s, rs_plot_scale_map (&f->y, 2.0), x0, x1,
                               &style.series[RS_SERIES_VAL_LOSS], 1.0, &style.background);
      int pinned = runs_of_color (s, rs_plot_scale_map (&f->y, 3.0), x0, x1,
                                  &style.series[RS_SERIES_LOSS], 0.3, &style.background);
      g_test_message ("%d points: runs train %d, validation %d, pinned %d", n, train, val,
                      pinned);
      g_assert_cmpint (train, ==, 1);
      g_assert_cmpint (val, >=, 10);
      g_assert_cmpint (pinned, >=, 20);

      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/colors/ciede2000-reference", test_ciede2000_reference);
  g_test_add_func ("/plot/colors/series-apart-under-cvd", test_series_apart);
  g_test_add_func ("/plot/colors/classes-apart-under-cvd", test_classes_apart);
  g_test_add_func ("/plot/colors/series-patterns", test_series_patterns);
  g_test_add_func ("/plot/colors/patterns-on-pixels", test_patterns_on_pixels);
  return g_test_run ();
}
