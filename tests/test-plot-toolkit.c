/* test-plot-toolkit.c — nice ticks, log decades, labels that never overlap,
 * tick formatting, styles and colour maps. */
#include <math.h>

#include "plot-fixtures.h"
#include "rs-plot-toolkit.h"
#include "rs-plot-colormap.h"

typedef struct {
  cairo_surface_t *surface;
  cairo_t         *cr;
  RsPlotStyle      style;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  f->cr = cairo_create (f->surface);
  rs_plot_style_init (&f->style, RS_PLOT_THEME_LIGHT, FALSE);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  cairo_destroy (f->cr);
  cairo_surface_destroy (f->surface);
}

static void
assert_no_overlap (const RsPlotTicks *t)
{
  const RsPlotTick *prev = NULL;
  for (int i = 0; i < t->n; i++)
    {
      const RsPlotTick *k = &t->t[i];
      if (!k->labelled)
        continue;
      g_assert_cmpfloat (k->extent_hi, >, k->extent_lo);
      if (prev != NULL)
        {
          if (prev->extent_hi > k->extent_lo)
            g_error ("labels \"%s\" [%g, %g] and \"%s\" [%g, %g] overlap", prev->label,
                     prev->extent_lo, prev->extent_hi, k->label, k->extent_lo, k->extent_hi);
        }
      prev = k;
    }
}

static int
n_labelled (const RsPlotTicks *t)
{
  int n = 0;
  for (int i = 0; i < t->n; i++)
    n += t->t[i].labelled;
  return n;
}

static void
test_nice_step (void)
{
  g_assert_cmpfloat_with_epsilon (rs_plot_nice_step (10, 5), 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_plot_nice_step (1, 5), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_plot_nice_step (7, 3), 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rs_plot_nice_step (0.03, 5), 0.01, 1e-15);
  g_assert_cmpfloat_with_epsilon (rs_plot_nice_step (2000, 4), 500.0, 1e-9);
  g_assert_cmpfloat (rs_plot_nice_step (0, 5), ==, 1.0);
}

static void
test_nice_range (void)
{
  double lo = 0.13, hi = 2.7;
  rs_plot_nice_range (&lo, &hi, FALSE, 5);
  g_assert_cmpfloat_with_epsilon (lo, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi, 3.0, 1e-12);

  lo = 0.003, hi = 2.5;
  rs_plot_nice_range (&lo, &hi, TRUE, 5);
  g_assert_cmpfloat_with_epsilon (lo, 0.001, 1e-15);
  g_assert_cmpfloat_with_epsilon (hi, 10.0, 1e-12);

  /* a flat series still gets a range */
  lo = hi = 0.7;
  rs_plot_nice_range (&lo, &hi, FALSE, 5);
  g_assert_cmpfloat (hi, >, lo);
  g_assert_cmpfloat (lo, <=, 0.7);
  g_assert_cmpfloat (hi, >=, 0.7);
  lo = hi = 0.0;
  rs_plot_nice_range (&lo, &hi, FALSE, 5);
  g_assert_cmpfloat (hi, >, lo);
}

static void
test_format (void)
{
  struct { double v, step; gboolean log; RsTickFormat fmt; const char *want; } cases[] = {
    { 0.5, 0.1, FALSE, RS_TICK_NUMBER, "0.5" },
    { 1500, 500, FALSE, RS_TICK_NUMBER, "1500" },
    { 12000, 2000, FALSE, RS_TICK_NUMBER, "12k" },
    { 2500000, 500000, FALSE, RS_TICK_NUMBER, "2.5M" },
    { -0.5, 0.5, FALSE, RS_TICK_NUMBER, "−0.5" },
    { 1e-17, 0.2, FALSE, RS_TICK_NUMBER, "0" },
    { 0.25, 0.25, FALSE, RS_TICK_PERCENT, "25%" },
    { 1e-5, 1, TRUE, RS_TICK_NUMBER, "1e-5" },
    { 0.001, 1, TRUE, RS_TICK_NUMBER, "0.001" },
    { 10, 1, TRUE, RS_TICK_NUMBER, "10" },
    { 2e-4, 1e-4, FALSE, RS_TICK_NUMBER, "2e-4" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[24];
      rs_plot_format_tick (cases[i].v, cases[i].step, cases[i].log, cases[i].fmt, buf, sizeof buf);
      g_assert_cmpstr (buf, ==, cases[i].want);
    }
  char buf[32];
  rs_plot_format_count (1234567, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1,234,567");
  rs_plot_format_count (12, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "12");
}

static void
test_linear_ticks (Fixture *f, gconstpointer data)
{
  RsPlotScale s = { 0, 2000, FALSE, 50, 450 };
  RsPlotTicks t;
  rs_plot_ticks_compute (f->cr, &f->style, &s, FALSE, RS_TICK_NUMBER, 0, 500, &t);
  g_assert_cmpint (t.n, >=, 3);
  double step = t.t[1].value - t.t[0].value;
  /* 1-2-5 steps */
  double m = step / pow (10, floor (log10 (step)));
  g_assert_true (fabs (m - 1) < 1e-9 || fabs (m - 2) < 1e-9 || fabs (m - 5) < 1e-9);
  for (int i = 0; i < t.n; i++)
    {
      g_assert_cmpfloat_with_epsilon (t.t[i].pos, 50 + 400 * t.t[i].value / 2000, 1e-9);
      g_assert_cmpfloat_with_epsilon (fmod (t.t[i].value, step), 0, 1e-9);
    }
  assert_no_overlap (&t);
  g_assert_cmpint (n_labelled (&t), >=, 2);
}

static void
test_log_ticks_at_decades (Fixture *f, gconstpointer data)
{
  RsPlotScale s = { 1e-4, 10, TRUE, 280, 20 };    /* vertical: up */
  RsPlotTicks t;
  rs_plot_ticks_compute (f->cr, &f->style, &s, TRUE, RS_TICK_NUMBER, 0, 300, &t);
  int majors = 0;
  for (int i = 0; i < t.n; i++)
    {
      if (!t.t[i].major)
        continue;
      majors++;
      double e = log10 (t.t[i].value);
      g_assert_cmpfloat_with_epsilon (e, round (e), 1e-9);
      /* decades are evenly spaced on the axis */
      g_assert_cmpfloat_with_epsilon (t.t[i].pos, 280 - 260 * (e + 4) / 5, 1e-6);
    }
  g_assert_cmpint (majors, ==, 6);
  assert_no_overlap (&t);
  /* every label that is shown is a decade or a 2/5 multiple */
  for (int i = 0; i < t.n; i++)
    if (t.t[i].labelled)
      {
        double m = t.t[i].value / pow (10, floor (log10 (t.t[i].value) + 1e-9));
        g_assert_true (fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6);
      }

  /* on a rendered log loss plot the y grid sits at decades */
  RsSnapshot *snap = plot_fixture_small (100);
  f->style.log_y = TRUE;
  RsPlotLossLayout L;
  rs_plot_loss_layout (f->cr, &f->style, snap, NULL, 400, 300, &L);
  g_assert_true (L.loss.y.log);
  g_assert_cmpfloat_with_epsilon (log10 (L.loss.y.lo), round (log10 (L.loss.y.lo)), 1e-9);
  g_assert_cmpfloat_with_epsilon (log10 (L.loss.y.hi), round (log10 (L.loss.y.hi)), 1e-9);
  rs_plot_loss_draw (f->cr, &f->style, snap, NULL, 400, 300);
  int checked = 0;
  for (int i = 0; i < L.loss.yt.n; i++)
    {
      const RsPlotTick *k = &L.loss.yt.t[i];
      if (!k->major)
        continue;
      double e = log10 (k->value);
      g_assert_cmpfloat_with_epsilon (e, round (e), 1e-9);
      /* the grid line is there, at the right edge of the panel (no data) */
      guint32 px = plot_pixel (f->surface, L.loss.area.x + L.loss.area.w - 2, floor (k->pos));
      if (k->pos > L.loss.area.y + 1 && k->pos < L.loss.area.y + L.loss.area.h - 1)
        {
          g_assert_true (plot_pixel_is (px, &f->style.grid, 3));
          checked++;
        }
    }
  g_assert_cmpint (checked, >=, 1);
  rs_snapshot_unref (snap);
}

static void
test_short_log_range (Fixture *f, gconstpointer data)
{
  /* less than one decade: 2 and 5 fill in so the axis is not bare */
  RsPlotScale s = { 0.1, 1, TRUE, 20, 380 };
  RsPlotTicks t;
  rs_plot_ticks_compute (f->cr, &f->style, &s, FALSE, RS_TICK_NUMBER, 0, 400, &t);
  g_assert_cmpint (n_labelled (&t), >=, 3);
  for (int i = 1; i < t.n; i++)
    g_assert_cmpfloat (t.t[i].value, >, t.t[i - 1].value);
}

static void
test_small_plot_no_overlap (Fixture *f, gconstpointer data)
{
  /* The classroom case: a 200x150 thumbnail must not smudge its labels,
   * whatever the data range. */
  const double ranges[][2] = {
    { 0, 2000 }, { 0, 123456 }, { 0.0001, 0.0003 }, { -1.5, 1.5 }, { 0, 1 },
    { 0, 9876543 }, { 1e-6, 100 },
  };
  for (gsize r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (int vertical = 0; vertical <= 1; vertical++)
      for (int presentation = 0; presentation <= 1; presentation++)
        {
          RsPlotStyle style;
          rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, presentation);
          gboolean log = ranges[r][0] > 0 && ranges[r][1] / ranges[r][0] > 1000;
          RsPlotScale s = { ranges[r][0], ranges[r][1], log, 30, vertical ? 30 + 90 : 30 + 160 };
          if (vertical)
            s.p0 = 120, s.p1 = 30;
          else
            s.p0 = 30, s.p1 = 190;
          RsPlotTicks t;
          rs_plot_ticks_compute (f->cr, &style, &s, vertical, RS_TICK_NUMBER, 0,
                                 vertical ? 150 : 200, &t);
          assert_no_overlap (&t);
          g_assert_cmpint (n_labelled (&t), >=, 1);
          for (int i = 0; i < t.n; i++)
            if (t.t[i].labelled)
              {
                g_assert_cmpfloat (t.t[i].extent_lo, >=, 0);
                g_assert_cmpfloat (t.t[i].extent_hi, <=, vertical ? 150 : 200);
              }
        }

  /* and the real plot at 200x150 */
  RsSnapshot *snap = plot_fixture_realistic (FALSE);
  for (int presentation = 0; presentation <= 1; presentation++)
    {
      RsPlotStyle style;
      rs_plot_style_init (&style, RS_PLOT_THEME_LIGHT, presentation);
      RsPlotLossLayout L;
      rs_plot_loss_layout (f->cr, &style, snap, NULL, 200, 150, &L);
      assert_no_overlap (&L.loss.xt);
      assert_no_overlap (&L.loss.yt);
      if (L.has_acc)
        {
          assert_no_overlap (&L.acc.xt);
          assert_no_overlap (&L.acc.yt);
        }
      RsPlotHistogramLayout H;
      rs_plot_histogram_layout (f->cr, &style, snap, NULL, 0, 200, 150, &H);
      assert_no_overlap (&H.frame.xt);
      assert_no_overlap (&H.frame.yt);
    }
  rs_snapshot_unref (snap);
}

static void
test_zero_stays_labelled (Fixture *f, gconstpointer data)
{
  /* when labels are thinned, 0 keeps its label: it anchors the reading */
  RsPlotScale s = { -1000, 1000, FALSE, 0, 70 };
  RsPlotTicks t;
  rs_plot_ticks_compute (f->cr, &f->style, &s, FALSE, RS_TICK_NUMBER, 0, 70, &t);
  gboolean zero_labelled = FALSE;
  for (int i = 0; i < t.n; i++)
    if (t.t[i].value == 0.0)
      zero_labelled = t.t[i].labelled;
  g_assert_true (zero_labelled);
  assert_no_overlap (&t);
}

static double
luminance (guint32 px)
{
  return (0.2126 * ((px >> 16) & 0xff) + 0.7152 * ((px >> 8) & 0xff) + 0.0722 * (px & 0xff))
         / 255.0;
}

/* One vocabulary for |x| under the threshold, in every plot. */
static void
test_near_zero_words (void)
{
  g_autofree char *a = rs_plot_near_zero_text (0.38, "|w|", 1e-3);
  g_assert_cmpstr (a, ==, "38% near zero (|w| < 0.001)");
  g_autofree char *b = rs_plot_near_zero_text (0.004, NULL, 1e-3);
  g_assert_cmpstr (b, ==, "<1% near zero");
  g_autofree char *c = rs_plot_near_zero_swatch ("|a|", 1e-3);
  g_assert_cmpstr (c, ==, "near zero\n|a| < 0.001");
  g_assert_null (rs_plot_near_zero_swatch ("|a|", 0.0));
}

/* "93,3 %" drawn in `surface`, black on white. */
static void
draw_on_white (cairo_surface_t *surface, const RsPlotStyle *style, const char *text)
{
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  rs_plot_set_font (cr, style, 1.0, FALSE);
  rs_plot_text (cr, text, 10, 30, RS_ALIGN_START, RS_ALIGN_CENTER);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

/* German writes "93,3 %" with a narrow no-break space, which Cantarell
 * (the plots' first font) has no glyph for and cairo's toy API does not
 * fall back from: the plots measure and draw a no-break space instead,
 * the same width and the same pixels. */
static void
test_narrow_space_drawable (Fixture *f, gconstpointer data)
{
  const char *narrow = "93,3\u202f%", *nbsp = "93,3\u00a0%";
  cairo_surface_t *s[2];

  rs_plot_set_font (f->cr, &f->style, 1.0, FALSE);
  g_assert_cmpfloat (rs_plot_text_width (f->cr, narrow), ==, rs_plot_text_width (f->cr, nbsp));
  for (int i = 0; i < 2; i++)
    {
      s[i] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 60);
      draw_on_white (s[i], &f->style, i == 0 ? narrow : nbsp);
    }
  int ink = 0, differ = 0;
  for (int y = 0; y < 60; y++)
    for (int x = 0; x < 200; x++)
      {
        ink += plot_pixel (s[0], x, y) != 0xffffffffu;
        differ += plot_pixel (s[0], x, y) != plot_pixel (s[1], x, y);
      }
  g_assert_cmpint (ink, >, 20);
  g_assert_cmpint (differ, ==, 0);
  cairo_surface_destroy (s[0]);
  cairo_surface_destroy (s[1]);
}

static void
test_styles (void)
{
  RsPlotStyle light, dark, pres;
  rs_plot_style_init (&light, RS_PLOT_THEME_LIGHT, FALSE);
  rs_plot_style_init (&dark, RS_PLOT_THEME_DARK, FALSE);
  rs_plot_style_init (&pres, RS_PLOT_THEME_LIGHT, TRUE);
  g_assert_cmpfloat (pres.font_size, >=, light.font_size * 1.4);
  g_assert_cmpfloat (pres.line_width, >, light.line_width);
  g_assert_nonnull (light.font_family);

  /* rendered: the dark theme's background is dark, the light one's light */
  RsSnapshot *snap = plot_fixture_small (50);
  const RsPlotStyle *styles[2] = { &light, &dark };
  for (int i = 0; i < 2; i++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 200);
      cairo_t *cr = cairo_create (s);
      rs_plot_loss_draw (cr, styles[i], snap, NULL, 300, 200);
      double lum = luminance (plot_pixel (s, 2, 2));
      if (i == 0)
        g_assert_cmpfloat (lum, >, 0.9);
      else
        g_assert_cmpfloat (lum, <, 0.2);
      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
  rs_snapshot_unref (snap);

  /* every series colour is distinguishable from the background */
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < 8; k++)
      {
        const RsColor *c = &styles[i]->series[k], *b = &styles[i]->background;
        double d = fabs (c->r - b->r) + fabs (c->g - b->g) + fabs (c->b - b->b);
        g_assert_cmpfloat (d, >, 0.5);
      }
}

static void
test_viridis (void)
{
  RsColor c0 = rs_plot_viridis (0), c1 = rs_plot_viridis (1);
  g_assert_cmpfloat_with_epsilon (c0.r, 0x44 / 255.0, 4 / 255.0);
  g_assert_cmpfloat_with_epsilon (c0.b, 0x54 / 255.0, 4 / 255.0);
  g_assert_cmpfloat_with_epsilon (c1.r, 0xfd / 255.0, 4 / 255.0);
  g_assert_cmpfloat_with_epsilon (c1.g, 0xe7 / 255.0, 4 / 255.0);
  /* perceptually ordered: lightness rises all the way */
  double prev = -1;
  for (int i = 0; i <= 16; i++)
    {
      RsColor c = rs_plot_viridis (i / 16.0);
      double l = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
      g_assert_cmpfloat (l, >, prev);
      prev = l;
    }
  /* out of range and NaN are clamped */
  RsColor n = rs_plot_viridis (NAN), lo = rs_plot_viridis (-3), hi = rs_plot_viridis (7);
  g_assert_cmpfloat (n.r, ==, c0.r);
  g_assert_cmpfloat (lo.g, ==, c0.g);
  g_assert_cmpfloat (hi.b, ==, c1.b);
}

static void
test_diverging_and_palette (void)
{
  RsColor w = rs_plot_diverging (0), b = rs_plot_diverging (-1), r = rs_plot_diverging (1);
  g_assert_cmpfloat (w.r, ==, 1.0);
  g_assert_cmpfloat (w.g, ==, 1.0);
  g_assert_cmpfloat (w.b, ==, 1.0);
  g_assert_cmpfloat (b.b, >, b.r);
  g_assert_cmpfloat (r.r, >, r.b);
  /* symmetric in lightness around 0 */
  RsColor p = rs_plot_diverging (0.5), m = rs_plot_diverging (-0.5);
  double lp = 0.2126 * p.r + 0.7152 * p.g + 0.0722 * p.b;
  double lm = 0.2126 * m.r + 0.7152 * m.g + 0.0722 * m.b;
  g_assert_cmpfloat (fabs (lp - lm), <, 0.12);

  /* (how far apart they are, also for colour-blind eyes: test-plot-colors.c) */
  for (int i = 0; i < RS_PLOT_N_CLASS_COLORS; i++)
    for (int j = i + 1; j < RS_PLOT_N_CLASS_COLORS; j++)
      {
        RsColor a = rs_plot_palette (i), c = rs_plot_palette (j);
        g_assert_cmpfloat (fabs (a.r - c.r) + fabs (a.g - c.g) + fabs (a.b - c.b), >, 0.1);
      }
  RsColor a = rs_plot_palette (0), c = rs_plot_palette (RS_PLOT_N_CLASS_COLORS);
  g_assert_cmpfloat (a.r, ==, c.r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/axis/nice-step", test_nice_step);
  g_test_add_func ("/plot/axis/nice-range", test_nice_range);
  g_test_add_func ("/plot/axis/format", test_format);
  g_test_add ("/plot/axis/linear-ticks-1-2-5", Fixture, NULL, fixture_setup,
              test_linear_ticks, fixture_teardown);
  g_test_add ("/plot/axis/log-ticks-at-decades", Fixture, NULL, fixture_setup,
              test_log_ticks_at_decades, fixture_teardown);
  g_test_add ("/plot/axis/short-log-range", Fixture, NULL, fixture_setup,
              test_short_log_range, fixture_teardown);
  g_test_add ("/plot/axis/small-plot-labels-do-not-overlap", Fixture, NULL, fixture_setup,
              test_small_plot_no_overlap, fixture_teardown);
  g_test_add ("/plot/axis/zero-stays-labelled", Fixture, NULL, fixture_setup,
              test_zero_stays_labelled, fixture_teardown);
  g_test_add_func ("/plot/axis/near-zero-words", test_near_zero_words);
  g_test_add ("/plot/text/narrow-space-drawable", Fixture, NULL, fixture_setup,
              test_narrow_space_drawable, fixture_teardown);
  g_test_add_func ("/plot/style/themes", test_styles);
  g_test_add_func ("/plot/colormap/viridis", test_viridis);
  g_test_add_func ("/plot/colormap/diverging-and-palette", test_diverging_and_palette);
  return g_test_run ();
}
