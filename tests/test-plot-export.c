/* test-plot-export.c — PNG/SVG/PDF export, atomic and with clear errors;
 * names; every kind drawn inside its box. */
#include <glib/gstdio.h>
#include <string.h>

#include "plot-fixtures.h"
#include "rs-plot-toolkit.h"
#include "rs-plot-export.h"

typedef struct {
  char        *dir;
  RsPlotStyle  style;
  RsSnapshot  *snap;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GError *error = NULL;
  f->dir = g_dir_make_tmp ("regscope-export-XXXXXX", &error);
  g_assert_no_error (error);
  rs_plot_style_init (&f->style, RS_PLOT_THEME_LIGHT, FALSE);
  f->snap = plot_fixture_small (40);
}

static void
remove_tree (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  if (d != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *p = g_build_filename (path, name, NULL);
          if (g_file_test (p, G_FILE_TEST_IS_DIR))
            remove_tree (p);
          else
            g_unlink (p);
        }
      g_dir_close (d);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rs_snapshot_unref (f->snap);
  remove_tree (f->dir);
  g_free (f->dir);
}

static GPtrArray *
list_dir (const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (path, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  return names;
}

static void
test_png_valid (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "loss.png", NULL);
  GError *error = NULL;
  g_assert_true (rs_plot_export (path, RS_EXPORT_PNG, RS_PLOT_LOSS, &f->style, f->snap, NULL,
                                 300, 200, 1.0, &error));
  g_assert_no_error (error);
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 200);
  /* it holds a plot, not a blank page */
  int ink = 0;
  for (int y = 0; y < 200; y += 2)
    for (int x = 0; x < 300; x += 2)
      ink += !plot_pixel_is (plot_pixel (s, x, y), &f->style.background, 10);
  g_assert_cmpint (ink, >, 100);
  cairo_surface_destroy (s);

  /* scale 2 doubles the pixels */
  g_assert_true (rs_plot_export (path, RS_EXPORT_PNG, RS_PLOT_LOSS, &f->style, f->snap, NULL,
                                 300, 200, 2.0, &error));
  s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 600);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 400);
  cairo_surface_destroy (s);

  /* nothing else was left in the folder */
  GPtrArray *names = list_dir (f->dir);
  g_assert_cmpuint (names->len, ==, 1);
  g_ptr_array_unref (names);
}

static void
test_vector_formats (Fixture *f, gconstpointer data)
{
  GError *error = NULL;
  g_autofree char *svg = g_build_filename (f->dir, "weights.svg", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "weights.pdf", NULL);
  g_assert_true (rs_plot_export (svg, RS_EXPORT_SVG, RS_PLOT_WEIGHTS, &f->style, f->snap, NULL,
                                 500, 300, 3.0, &error));
  g_assert_no_error (error);
  g_assert_true (rs_plot_export (pdf, RS_EXPORT_PDF, RS_PLOT_DASHBOARD, &f->style, f->snap,
                                 NULL, 800, 600, 1.0, &error));
  g_assert_no_error (error);

  g_autofree char *text = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (svg, &text, &len, NULL));
  g_assert_true (g_str_has_prefix (text, "<?xml"));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_nonnull (strstr (text, "</svg>"));     /* finished, not cut off */
  g_autofree char *bin = NULL;
  g_assert_true (g_file_get_contents (pdf, &bin, &len, NULL));
  g_assert_cmpuint (len, >, 100);
  g_assert_cmpmem (bin, 5, "%PDF-", 5);
  g_assert_nonnull (g_strstr_len (bin + len - 64, 64, "%%EOF"));
}

static void
assert_fails_naming (Fixture *f, const char *path, RsExportFormat format)
{
  GError *error = NULL;
  g_assert_false (rs_plot_export (path, format, RS_PLOT_LOSS, &f->style, f->snap, NULL,
                                  200, 100, 1.0, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strchr (error->message, '\n'));
  g_error_free (error);
}

static void
test_unwritable (Fixture *f, gconstpointer data)
{
  assert_fails_naming (f, "/nonexistent/dir/x.png", RS_EXPORT_PNG);
  assert_fails_naming (f, "/nonexistent/dir/x.svg", RS_EXPORT_SVG);

  /* a directory where the file should go: error, and no temporary left */
  g_autofree char *sub = g_build_filename (f->dir, "taken.png", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  assert_fails_naming (f, sub, RS_EXPORT_PNG);
  assert_fails_naming (f, sub, RS_EXPORT_PDF);
  GPtrArray *names = list_dir (f->dir);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "taken.png");
  g_ptr_array_unref (names);

  /* a read-only folder (unless we are root, who may write anyway) */
  g_autofree char *ro = g_build_filename (f->dir, "ro", NULL);
  g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
  g_autofree char *in_ro = g_build_filename (ro, "x.png", NULL);
  GError *error = NULL;
  if (!rs_plot_export (in_ro, RS_EXPORT_PNG, RS_PLOT_LOSS, &f->style, f->snap, NULL, 100, 80,
                       1.0, &error))
    {
      g_assert_nonnull (strstr (error->message, in_ro));
      g_error_free (error);
      GPtrArray *ro_names = list_dir (ro);
      g_assert_cmpuint (ro_names->len, ==, 0);
      g_ptr_array_unref (ro_names);
    }
  g_chmod (ro, 0755);

  /* a size cairo cannot make is an error naming the path, not a crash */
  error = NULL;
  g_autofree char *huge = g_build_filename (f->dir, "huge.png", NULL);
  g_assert_false (rs_plot_export (huge, RS_EXPORT_PNG, RS_PLOT_LOSS, &f->style, f->snap, NULL,
                                  20000, 100, 4.0, &error));
  g_assert_nonnull (strstr (error->message, huge));
  g_error_free (error);
  g_assert_false (g_file_test (huge, G_FILE_TEST_EXISTS));
}

/* Pixels that differ between two same-size image surfaces. */
static int
pixels_differ (cairo_surface_t *a, cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  int n = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += plot_pixel (a, x, y) != plot_pixel (b, x, y);
  return n;
}

/* An export with a pinned run is the picture the window shows with it:
 * every comparison plot (loss, histograms, boundary, dashboard) is written
 * with the baseline drawn, and the PNG is exactly what rs_plot_draw_kind
 * draws with it, not the picture without. */
static void
test_export_with_baseline (Fixture *f, gconstpointer data)
{
  RsSnapshot *snap = plot_fixture_realistic (TRUE);
  RsSnapshot *base = plot_fixture_baseline (snap, 800);
  const RsPlotKind kinds[] = { RS_PLOT_LOSS, RS_PLOT_HISTOGRAMS, RS_PLOT_BOUNDARY,
                               RS_PLOT_DASHBOARD };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *path = g_build_filename (f->dir, "with-baseline.png", NULL);
      GError *error = NULL;
      g_assert_true (rs_plot_export (path, RS_EXPORT_PNG, kinds[k], &f->style, snap, base,
                                     500, 400, 1.0, &error));
      g_assert_no_error (error);
      cairo_surface_t *png = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);

      cairo_surface_t *shown[2];
      for (int b = 0; b < 2; b++)
        {
          shown[b] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 500, 400);
          cairo_t *cr = cairo_create (shown[b]);
          rs_plot_draw_kind (cr, kinds[k], &f->style, snap, b ? base : NULL, 500, 400);
          cairo_destroy (cr);
        }
      if (pixels_differ (png, shown[1]) != 0)
        g_error ("%s: the export is not the picture with the baseline",
                 rs_plot_kind_to_string (kinds[k]));
      if (pixels_differ (png, shown[0]) < 200)
        g_error ("%s: the export hardly differs from the picture without the baseline",
                 rs_plot_kind_to_string (kinds[k]));
      cairo_surface_destroy (shown[0]);
      cairo_surface_destroy (shown[1]);
      cairo_surface_destroy (png);
    }
  rs_snapshot_unref (base);
  rs_snapshot_unref (snap);
}

static void
test_export_all (Fixture *f, gconstpointer data)
{
  for (int two_d = 0; two_d <= 1; two_d++)
    {
      RsSnapshot *snap = plot_fixture_realistic (two_d);
      g_autofree char *dir = g_build_filename (f->dir, two_d ? "a/spirals" : "b/digits", NULL);
      GError *error = NULL;
      g_assert_true (rs_plot_export_all (dir, RS_EXPORT_PNG, &f->style, snap, NULL, 400, 300,
                                         1.0, &error));
      g_assert_no_error (error);
      for (int k = 0; k < RS_PLOT_N_KINDS; k++)
        {
          g_autofree char *name = g_strdup_printf ("%s.png", rs_plot_kind_to_string (k));
          g_autofree char *path = g_build_filename (dir, name, NULL);
          gboolean want = k != (two_d ? RS_PLOT_DIGIT_TILES : RS_PLOT_BOUNDARY);
          g_assert_cmpint (rs_plot_kind_applies (k, snap), ==, want);
          g_assert_cmpint (g_file_test (path, G_FILE_TEST_IS_REGULAR), ==, want);
        }
      GPtrArray *names = list_dir (dir);
      g_assert_cmpuint (names->len, ==, RS_PLOT_N_KINDS - 1);
      g_ptr_array_unref (names);
      rs_snapshot_unref (snap);
    }

  /* DIR cannot be made: the error names it */
  GError *error = NULL;
  g_assert_false (rs_plot_export_all ("/proc/regscope/plots", RS_EXPORT_SVG, &f->style,
                                      f->snap, NULL, 100, 100, 1.0, &error));
  g_assert_nonnull (strstr (error->message, "/proc/regscope/plots"));
  g_error_free (error);
}

static void
test_names (void)
{
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    {
      const char *name = rs_plot_kind_to_string (k);
      g_assert_nonnull (name);
      RsPlotKind back;
      g_assert_true (rs_plot_kind_from_string (name, &back));
      g_assert_cmpint (back, ==, k);
    }
  g_assert_cmpstr (rs_plot_kind_to_string (RS_PLOT_HISTOGRAM_TIME), ==, "histogram-time");
  g_assert_cmpstr (rs_plot_kind_to_string (RS_PLOT_DIGIT_TILES), ==, "digit-tiles");
  g_assert_null (rs_plot_kind_to_string (RS_PLOT_N_KINDS));
  RsPlotKind k;
  g_assert_false (rs_plot_kind_from_string ("pie-chart", &k));
  g_assert_false (rs_plot_kind_from_string (NULL, &k));

  const char *exts[] = { "png", "svg", "pdf" };
  for (int i = 0; i < 3; i++)
    {
      RsExportFormat fmt;
      g_assert_true (rs_export_format_from_string (exts[i], &fmt));
      g_assert_cmpstr (rs_export_format_extension (fmt), ==, exts[i]);
    }
  RsExportFormat fmt;
  g_assert_true (rs_export_format_from_string ("PNG", &fmt));
  g_assert_cmpint (fmt, ==, RS_EXPORT_PNG);
  g_assert_false (rs_export_format_from_string ("gif", &fmt));
}

static void
test_every_kind_in_bounds (Fixture *f, gconstpointer data)
{
  /* every kind, on every kind of snapshot (realistic, small, empty), in
   * every style: stays in its box, restores the cairo state, no error */
  RsSnapshot *snaps[4] = {
    plot_fixture_realistic (FALSE), plot_fixture_realistic (TRUE), f->snap,
    rs_snapshot_new_empty (0),
  };
  RsColor magenta = { 1, 0, 1, 1 };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 500, 400);
  for (int i = 0; i < 4; i++)
    for (int theme = 0; theme < 3; theme++)
      for (int k = 0; k < RS_PLOT_N_KINDS; k++)
        {
          RsPlotStyle style;
          rs_plot_style_init (&style, theme == 1 ? RS_PLOT_THEME_DARK : RS_PLOT_THEME_LIGHT,
                              theme == 2);
          style.log_y = style.log_bins = theme == 2;
          cairo_t *cr = cairo_create (s);
          rs_plot_set_color (cr, &magenta);
          cairo_paint (cr);
          cairo_translate (cr, 50, 40);
          RsSnapshot *base = plot_fixture_baseline (snaps[i], 500);
          rs_plot_draw_kind (cr, k, &style, snaps[i], base, 400, 320);
          rs_snapshot_unref (base);
          cairo_matrix_t m;
          cairo_get_matrix (cr, &m);
          g_assert_cmpfloat (m.x0, ==, 50);
          g_assert_cmpfloat (m.y0, ==, 40);
          g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
          cairo_destroy (cr);
          for (int y = 0; y < 400; y += 4)
            for (int x = 0; x < 500; x += 4)
              if (x < 50 || x >= 450 || y < 40 || y >= 360)
                if (!plot_pixel_is (plot_pixel (s, x, y), &magenta, 0))
                  g_error ("%s on snapshot %d drew outside its box at (%d, %d)",
                           rs_plot_kind_to_string (k), i, x, y);
          /* and it drew its background inside */
          g_assert_true (plot_pixel_is (plot_pixel (s, 52, 42), &style.background, 0));
        }
  cairo_surface_destroy (s);
  rs_snapshot_unref (snaps[0]);
  rs_snapshot_unref (snaps[1]);
  rs_snapshot_unref (snaps[3]);
}

static void
test_dark_png (Fixture *f, gconstpointer data)
{
  RsPlotStyle dark;
  rs_plot_style_init (&dark, RS_PLOT_THEME_DARK, FALSE);
  g_autofree char *path = g_build_filename (f->dir, "dark.png", NULL);
  GError *error = NULL;
  g_assert_true (rs_plot_export (path, RS_EXPORT_PNG, RS_PLOT_HISTOGRAMS, &dark, f->snap, NULL,
                                 300, 200, 1.0, &error));
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  guint32 px = plot_pixel (s, 3, 3);
  double lum = (0.2126 * ((px >> 16) & 0xff) + 0.7152 * ((px >> 8) & 0xff)
                + 0.0722 * (px & 0xff)) / 255.0;
  g_assert_cmpfloat (lum, <, 0.2);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/plot/export/png-valid", Fixture, NULL, fixture_setup, test_png_valid,
              fixture_teardown);
  g_test_add ("/plot/export/svg-pdf-valid", Fixture, NULL, fixture_setup, test_vector_formats,
              fixture_teardown);
  g_test_add ("/plot/export/unwritable-path", Fixture, NULL, fixture_setup, test_unwritable,
              fixture_teardown);
  g_test_add ("/plot/export/all-applicable-kinds", Fixture, NULL, fixture_setup,
              test_export_all, fixture_teardown);
  g_test_add_func ("/plot/export/names", test_names);
  g_test_add ("/plot/export/with-baseline", Fixture, NULL, fixture_setup,
              test_export_with_baseline, fixture_teardown);
  g_test_add ("/plot/export/every-kind-in-bounds", Fixture, NULL, fixture_setup,
              test_every_kind_in_bounds, fixture_teardown);
  g_test_add ("/plot/export/dark-background", Fixture, NULL, fixture_setup, test_dark_png,
              fixture_teardown);
  return g_test_run ();
}
