/* rs-plot-export.c — plots to PNG, SVG and PDF through the same draw
 * functions the window uses, written atomically: a failed export leaves
 * neither a half-written file nor a temporary one behind. */
#include "rs-plot-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-atomic-file.h"
#include "rs-error.h"
#include "rs-plot-toolkit.h"

static const char *const kind_names[RS_PLOT_N_KINDS] = {
  [RS_PLOT_DASHBOARD] = "dashboard",
  [RS_PLOT_LOSS] = "loss",
  [RS_PLOT_HISTOGRAMS] = "histograms",
  [RS_PLOT_HISTOGRAM_TIME] = "histogram-time",
  [RS_PLOT_WEIGHTS] = "weights",
  [RS_PLOT_ACTIVATIONS] = "activations",
  [RS_PLOT_DIGIT_TILES] = "digit-tiles",
  [RS_PLOT_BOUNDARY] = "boundary",
  [RS_PLOT_CONFUSION] = "confusion",
};

static const char *const format_names[] = { "png", "svg", "pdf" };

const char *
rs_plot_kind_to_string (RsPlotKind kind)
{
  if ((int) kind < 0 || kind >= RS_PLOT_N_KINDS)
    return NULL;
  return kind_names[kind];
}

gboolean
rs_plot_kind_from_string (const char *name, RsPlotKind *out)
{
  if (name == NULL)
    return FALSE;
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    if (g_ascii_strcasecmp (name, kind_names[k]) == 0)
      {
        if (out != NULL)
          *out = (RsPlotKind) k;
        return TRUE;
      }
  return FALSE;
}

gboolean
rs_plot_kind_applies (RsPlotKind kind, const RsSnapshot *snap)
{
  switch (kind)
    {
    case RS_PLOT_DIGIT_TILES:
      return snap != NULL && snap->image_w > 0 && snap->image_h > 0 && snap->n_layers > 0
             && snap->layers[0].in == snap->image_w * snap->image_h;
    case RS_PLOT_BOUNDARY:
      return snap != NULL && snap->grid_w > 0 && snap->grid_h > 0;
    case RS_PLOT_CONFUSION:
      return snap != NULL && snap->classes >= 2 && snap->val_rows > 0;
    case RS_PLOT_N_KINDS:
      return FALSE;
    default:
      return (int) kind >= 0;
    }
}

const char *
rs_export_format_extension (RsExportFormat format)
{
  if ((int) format < 0 || (gsize) format >= G_N_ELEMENTS (format_names))
    return NULL;
  return format_names[format];
}

gboolean
rs_export_format_from_string (const char *name, RsExportFormat *out)
{
  if (name == NULL)
    return FALSE;
  for (gsize k = 0; k < G_N_ELEMENTS (format_names); k++)
    if (g_ascii_strcasecmp (name, format_names[k]) == 0)
      {
        if (out != NULL)
          *out = (RsExportFormat) k;
        return TRUE;
      }
  return FALSE;
}

void
rs_plot_draw_kind (cairo_t *cr, RsPlotKind kind, const RsPlotStyle *style,
                   const RsSnapshot *snap, const RsSnapshot *baseline,
                   double width, double height)
{
  switch (kind)
    {
    case RS_PLOT_DASHBOARD:
      rs_plot_dashboard_draw (cr, style, snap, baseline, width, height);
      break;
    case RS_PLOT_LOSS:
      rs_plot_loss_draw (cr, style, snap, baseline, width, height);
      break;
    case RS_PLOT_HISTOGRAMS:
      rs_plot_histograms_draw (cr, style, snap, baseline, width, height);
      break;
    case RS_PLOT_HISTOGRAM_TIME:
      rs_plot_draw_layers (cr, style, snap, rs_plot_histogram_time_draw, TRUE, FALSE,
                           width, height);
      break;
    case RS_PLOT_WEIGHTS:
      rs_plot_weight_heatmaps_draw (cr, style, snap, width, height);
      break;
    case RS_PLOT_ACTIVATIONS:
      rs_plot_draw_layers (cr, style, snap, rs_plot_activation_heatmap_draw, TRUE, FALSE,
                           width, height);
      break;
    case RS_PLOT_DIGIT_TILES:
      rs_plot_digit_tiles_draw (cr, style, snap, width, height);
      break;
    case RS_PLOT_BOUNDARY:
      rs_plot_boundary_draw (cr, style, snap, baseline, width, height);
      break;
    case RS_PLOT_CONFUSION:
      rs_plot_confusion_draw (cr, style, snap, baseline, width, height);
      break;
    case RS_PLOT_N_KINDS:
    default:
      break;
    }
}

static cairo_status_t
write_to_stream (void *closure, const unsigned char *data, unsigned int length)
{
  FILE *stream = closure;
  if (length > 0 && fwrite (data, 1, length, stream) != length)
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
set_render_error (GError **error, const char *path, cairo_status_t status, FILE *stream)
{
  /* a write error from cairo is really the file's: say why if we can */
  if (status == CAIRO_STATUS_WRITE_ERROR && stream != NULL && ferror (stream) && errno != 0)
    g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (errno));
  else
    g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot render: %s"), path,
                 cairo_status_to_string (status));
}

gboolean
rs_plot_export_with (const char *path, RsExportFormat format, RsPlotDrawFunc draw,
                     gconstpointer data, int width, int height, double scale, GError **error)
{
  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);

  if (width <= 0 || height <= 0 || width > 32767 || height > 32767)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: size %d×%d is out of range"), path,
                   width, height);
      return FALSE;
    }
  if (format != RS_EXPORT_PNG)
    scale = 1.0;              /* vector formats scale themselves */
  if (!(scale > 0.0) || width * scale > 32767 || height * scale > 32767)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: scale %g is out of range"), path, scale);
      return FALSE;
    }
  if (rs_export_format_extension (format) == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: unknown format or plot"), path);
      return FALSE;
    }

  RsAtomicFile *file = rs_atomic_file_begin (path, error);
  if (file == NULL)
    return FALSE;

  cairo_surface_t *surface;
  switch (format)
    {
    case RS_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_stream, file->stream,
                                                     width, height);
      break;
    case RS_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_stream, file->stream,
                                                     width, height);
      break;
    case RS_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                            (int) ceil (height * scale));
      break;
    }

  cairo_t *cr = cairo_create (surface);
  if (format == RS_EXPORT_PNG)
    cairo_scale (cr, scale, scale);
  draw (cr, data, width, height);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == RS_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_to_stream, file->stream);
  /* finishing a vector surface writes its tail to the stream */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      set_render_error (error, path, status, file->stream);
      rs_atomic_file_abort (file);
      return FALSE;
    }
  return rs_atomic_file_commit (file, error);
}

typedef struct {
  RsPlotKind         kind;
  const RsPlotStyle *style;
  const RsSnapshot  *snap;
  const RsSnapshot  *baseline;
} KindDraw;

static void
draw_kind (cairo_t *cr, gconstpointer data, double width, double height)
{
  const KindDraw *k = data;
  rs_plot_draw_kind (cr, k->kind, k->style, k->snap, k->baseline, width, height);
}

gboolean
rs_plot_export (const char *path, RsExportFormat format, RsPlotKind kind,
                const RsPlotStyle *style, const RsSnapshot *snap,
                const RsSnapshot *baseline, int width, int height,
                double scale, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (style != NULL && snap != NULL, FALSE);
  if (rs_plot_kind_to_string (kind) == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, "%s: unknown format or plot", path);
      return FALSE;
    }
  KindDraw k = { kind, style, snap, baseline };
  return rs_plot_export_with (path, format, draw_kind, &k, width, height, scale, error);
}

/* Creates dir (and its parents). */
gboolean
rs_plot_export_make_dir (const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot create folder: %s"), dir,
                   g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
rs_plot_export_all (const char *dir, RsExportFormat format, const RsPlotStyle *style,
                    const RsSnapshot *snap, const RsSnapshot *baseline, int width,
                    int height, double scale, GError **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!rs_plot_export_make_dir (dir, error))
    return FALSE;
  const char *ext = rs_export_format_extension (format);
  if (ext == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: unknown format"), dir);
      return FALSE;
    }
  for (int k = 0; k < RS_PLOT_N_KINDS; k++)
    {
      if (!rs_plot_kind_applies ((RsPlotKind) k, snap))
        continue;
      g_autofree char *name = g_strdup_printf ("%s.%s", kind_names[k], ext);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!rs_plot_export (path, format, (RsPlotKind) k, style, snap, baseline, width, height,
                           scale, error))
        return FALSE;
    }
  return TRUE;
}
