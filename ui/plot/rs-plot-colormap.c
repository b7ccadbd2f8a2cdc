/* rs-plot-colormap.c — colour maps and the colour bar. */
#include "rs-plot-colormap.h"

#include <math.h>

/* viridis sampled at 256 points (0xRRGGBB) from a degree-6 polynomial fit
 * of matplotlib's map; the fit is within 1/255 of it nearly everywhere. */
static const guint32 viridis_table[256] = {
  0x470155, 0x470357, 0x470458, 0x470659, 0x47075b, 0x47085c, 0x470a5d, 0x470b5f,
  0x480d60, 0x480e61, 0x480f63, 0x481164, 0x481265, 0x481467, 0x481568, 0x481669,
  0x48186a, 0x48196c, 0x481a6d, 0x481c6e, 0x481d6f, 0x481f70, 0x482071, 0x482172,
  0x482374, 0x482475, 0x482576, 0x482777, 0x472878, 0x472979, 0x472a79, 0x472c7a,
  0x472d7b, 0x472e7c, 0x47307d, 0x46317e, 0x46327f, 0x46337f, 0x463580, 0x463681,
  0x453781, 0x453882, 0x453a83, 0x453b83, 0x443c84, 0x443d85, 0x443e85, 0x443f86,
  0x434186, 0x434287, 0x434387, 0x424488, 0x424588, 0x414688, 0x414889, 0x414989,
  0x404a8a, 0x404b8a, 0x3f4c8a, 0x3f4d8b, 0x3f4e8b, 0x3e4f8b, 0x3e508b, 0x3d518c,
  0x3d528c, 0x3c548c, 0x3c558c, 0x3b568c, 0x3b578d, 0x3a588d, 0x3a598d, 0x395a8d,
  0x395b8d, 0x385c8d, 0x385d8d, 0x375e8e, 0x365f8e, 0x36608e, 0x35618e, 0x35628e,
  0x34638e, 0x34648e, 0x33658e, 0x32668e, 0x32678e, 0x31688e, 0x31698e, 0x306a8e,
  0x306b8e, 0x2f6c8e, 0x2e6d8e, 0x2e6e8e, 0x2d6f8e, 0x2d708e, 0x2c718e, 0x2c728e,
  0x2b738e, 0x2b748e, 0x2a748e, 0x29758e, 0x29768e, 0x28778e, 0x28788e, 0x27798e,
  0x277a8e, 0x267b8e, 0x267c8d, 0x257d8d, 0x257e8d, 0x257f8d, 0x24808d, 0x24818d,
  0x23828d, 0x23838d, 0x22848d, 0x22858d, 0x22868d, 0x21868d, 0x21878c, 0x21888c,
  0x21898c, 0x208a8c, 0x208b8c, 0x208c8c, 0x208d8c, 0x1f8e8c, 0x1f8f8b, 0x1f908b,
  0x1f918b, 0x1f928b, 0x1f938b, 0x1f948b, 0x1f948a, 0x1f958a, 0x1f968a, 0x1f978a,
  0x1f9889, 0x1f9989, 0x1f9a89, 0x1f9b89, 0x209c88, 0x209d88, 0x209e88, 0x209f88,
  0x21a087, 0x21a187, 0x21a287, 0x22a286, 0x22a386, 0x23a485, 0x23a585, 0x24a685,
  0x25a784, 0x25a884, 0x26a983, 0x27aa83, 0x27ab82, 0x28ac82, 0x29ac81, 0x2aad80,
  0x2bae80, 0x2baf7f, 0x2cb07f, 0x2db17e, 0x2eb27d, 0x30b37d, 0x31b47c, 0x32b47b,
  0x33b57a, 0x34b67a, 0x35b779, 0x37b878, 0x38b977, 0x3aba76, 0x3bba75, 0x3cbb74,
  0x3ebc73, 0x3fbd72, 0x41be71, 0x43bf70, 0x44bf6f, 0x46c06e, 0x48c16d, 0x4ac26c,
  0x4bc36b, 0x4dc369, 0x4fc468, 0x51c567, 0x53c666, 0x55c664, 0x57c763, 0x59c862,
  0x5bc960, 0x5ec95f, 0x60ca5e, 0x62cb5c, 0x64cc5b, 0x67cc59, 0x69cd58, 0x6bce56,
  0x6ece55, 0x70cf53, 0x73d052, 0x75d050, 0x78d14e, 0x7ad24d, 0x7dd24b, 0x7fd34a,
  0x82d348, 0x84d446, 0x87d545, 0x8ad543, 0x8dd641, 0x8fd640, 0x92d73e, 0x95d73d,
  0x98d83b, 0x9ad939, 0x9dd938, 0xa0da36, 0xa3da34, 0xa6db33, 0xa8db31, 0xabdc30,
  0xaedc2e, 0xb1dc2d, 0xb4dd2b, 0xb7dd2a, 0xbade29, 0xbcde27, 0xbfdf26, 0xc2df25,
  0xc5df24, 0xc8e023, 0xcae021, 0xcde120, 0xd0e120, 0xd2e11f, 0xd5e21e, 0xd8e21d,
  0xdae21d, 0xdde31c, 0xe0e31c, 0xe2e31b, 0xe4e41b, 0xe7e41b, 0xe9e41b, 0xece51b,
  0xeee51b, 0xf0e51c, 0xf2e61c, 0xf4e61d, 0xf6e61e, 0xf8e71f, 0xfae720, 0xfce721,
};

static RsColor
from_hex (guint32 rgb)
{
  RsColor c = { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                (rgb & 0xff) / 255.0, 1.0 };
  return c;
}

RsColor
rs_plot_viridis (double t)
{
  if (!(t > 0.0))
    t = 0.0;
  if (t > 1.0)
    t = 1.0;
  return from_hex (viridis_table[(int) lround (t * 255.0)]);
}

RsColor
rs_plot_diverging (double t)
{
  /* ColorBrewer RdBu stops with a pure white centre, so weights at zero
   * read as "nothing there". */
  static const guint32 stops[7] = {
    0x2166ac, 0x67a9cf, 0xd1e5f0, 0xffffff, 0xfddbc7, 0xef8a62, 0xb2182b,
  };
  if (isnan (t))
    t = 0.0;
  t = CLAMP (t, -1.0, 1.0);
  double u = (t + 1.0) / 2.0 * 6.0;
  int i = (int) floor (u);
  if (i >= 6)
    return from_hex (stops[6]);
  RsColor a = from_hex (stops[i]), b = from_hex (stops[i + 1]);
  return rs_plot_color_mix (&a, &b, u - i);
}

RsColor
rs_plot_palette (int i)
{
  /* Okabe & Ito's eight, light grey in place of their black (which
   * would vanish on the dark theme): every pair stays apart under
   * protanopia and deuteranopia (tests/test-plot-colors.c). */
  static const guint32 colors[RS_PLOT_N_CLASS_COLORS] = {
    0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7, 0xbbbbbb,
  };
  if (i < 0)
    i = -i;
  return from_hex (colors[i % RS_PLOT_N_CLASS_COLORS]);
}

guint32
rs_plot_color_to_pixel (const RsColor *c)
{
  guint32 r = (guint32) lround (CLAMP (c->r, 0.0, 1.0) * 255.0);
  guint32 g = (guint32) lround (CLAMP (c->g, 0.0, 1.0) * 255.0);
  guint32 b = (guint32) lround (CLAMP (c->b, 0.0, 1.0) * 255.0);
  return 0xff000000u | (r << 16) | (g << 8) | b;
}

void
rs_plot_paint_cells (cairo_t *cr, cairo_surface_t *cells, const RsPlotRect *r)
{
  int w = cairo_image_surface_get_width (cells);
  int h = cairo_image_surface_get_height (cells);
  if (w <= 0 || h <= 0 || r->w <= 0 || r->h <= 0)
    return;

  /* Compare against device pixels: a 2x PNG export has twice as many. */
  double dx = r->w, dy = r->h;
  cairo_user_to_device_distance (cr, &dx, &dy);
  gboolean shrinking = fabs (dx) < w || fabs (dy) < h;

  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
  cairo_clip (cr);
  cairo_translate (cr, r->x, r->y);
  cairo_scale (cr, r->w / w, r->h / h);
  cairo_set_source_surface (cr, cells, 0, 0);
  cairo_pattern_t *p = cairo_get_source (cr);
  cairo_pattern_set_filter (p, shrinking ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (p, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
}

double
rs_plot_colorbar_width (cairo_t *cr, const RsPlotStyle *style, const char *near_zero_label)
{
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double label_w = rs_plot_text_width (cr, "0.0005");
  if (near_zero_label != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (near_zero_label, "\n", 2);
      for (int i = 0; lines[i] != NULL; i++)
        label_w = MAX (label_w, rs_plot_text_width (cr, lines[i]));
    }
  double w = style->font_size * 0.9            /* gap */
           + style->font_size * 0.9            /* strip */
           + style->font_size * 0.4
           + label_w + 1.0;                    /* slack for rounding */
  cairo_restore (cr);
  return w;
}

void
rs_plot_colorbar_draw (cairo_t *cr, const RsPlotStyle *style, const RsPlotRect *r,
                       double lo, double hi, gboolean log, gboolean diverging,
                       const char *title, const char *near_zero_label)
{
  cairo_save (cr);
  rs_plot_set_font (cr, style, RS_PLOT_TICK_SCALE, FALSE);
  double lh = rs_plot_line_height (cr);
  double gap = style->font_size * 0.9;
  double strip_w = style->font_size * 0.9;
  double x = r->x + gap;
  double top = r->y;
  g_auto (GStrv) nz_lines = near_zero_label != NULL ? g_strsplit (near_zero_label, "\n", 2) : NULL;
  int nz_n = nz_lines != NULL ? (int) g_strv_length (nz_lines) : 0;
  double bottom = r->y + r->h - (nz_n > 0 ? lh * (0.6 + nz_n) : 0.0);
  if (title != NULL)
    {
      /* the title sits on the strip's top, where a y title would be */
      rs_plot_set_color (cr, &style->muted);
      g_autofree char *fit = rs_plot_text_fit (cr, title, r->w - gap);
      rs_plot_text (cr, fit, x, top - lh * 0.55 - style->font_size * 0.1,
                    RS_ALIGN_START, RS_ALIGN_END);
    }
  if (bottom - top < lh)
    {
      cairo_restore (cr);
      return;
    }

  /* the strip: a gradient with enough stops to follow the map; vector
   * exports keep it as one object instead of hundreds of slivers */
  cairo_pattern_t *grad = cairo_pattern_create_linear (0, bottom, 0, top);
  for (int i = 0; i <= 64; i++)
    {
      double t = i / 64.0;
      RsColor c = diverging ? rs_plot_diverging (2.0 * t - 1.0) : rs_plot_viridis (t);
      cairo_pattern_add_color_stop_rgb (grad, t, c.r, c.g, c.b);
    }
  cairo_set_source (cr, grad);
  cairo_rectangle (cr, x, top, strip_w, bottom - top);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);
  cairo_set_line_width (cr, 1.0);
  rs_plot_set_color (cr, &style->grid);
  cairo_rectangle (cr, x, top, strip_w, bottom - top);
  cairo_stroke (cr);

  RsPlotScale s = { lo, hi, log, bottom, top };
  if (!(hi > lo))
    s.hi = lo + 1.0;
  RsPlotTicks ticks;
  rs_plot_ticks_compute (cr, style, &s, TRUE, RS_TICK_NUMBER, r->y, bottom + lh / 2, &ticks);
  rs_plot_set_color (cr, &style->muted);
  for (int i = 0; i < ticks.n; i++)
    {
      RsPlotTick *t = &ticks.t[i];
      if (!t->labelled)
        continue;
      cairo_move_to (cr, x + strip_w, floor (t->pos) + 0.5);
      cairo_line_to (cr, x + strip_w + 3, floor (t->pos) + 0.5);
      cairo_stroke (cr);
      rs_plot_text (cr, t->label, x + strip_w + style->font_size * 0.4,
                    (t->extent_lo + t->extent_hi) / 2, RS_ALIGN_START, RS_ALIGN_CENTER);
    }

  if (nz_n > 0)
    {
      /* the swatch, then its words: "near zero" beside it, the rule below */
      double sy = bottom + lh * 0.5;
      rs_plot_set_color (cr, &style->near_zero);
      cairo_rectangle (cr, x, sy, strip_w, lh);
      cairo_fill (cr);
      rs_plot_set_color (cr, &style->grid);
      cairo_rectangle (cr, floor (x) + 0.5, floor (sy) + 0.5, strip_w, lh);
      cairo_stroke (cr);
      rs_plot_set_color (cr, &style->muted);
      double tx = x + strip_w + style->font_size * 0.4;
      for (int i = 0; i < nz_n; i++)
        {
          double lx = i == 0 ? tx : x;
          g_autofree char *fit = rs_plot_text_fit (cr, nz_lines[i], r->x + r->w - lx);
          rs_plot_text (cr, fit, lx, sy + lh / 2 + i * lh, RS_ALIGN_START, RS_ALIGN_CENTER);
        }
    }
  cairo_restore (cr);
}
