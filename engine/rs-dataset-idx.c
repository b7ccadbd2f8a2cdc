/* rs-dataset-idx.c — labelled images from IDX files (the MNIST format), as
 * Fashion-MNIST ships them: an images file and a labels file, each gzip'd
 * or not.
 *
 * An IDX file is a 4-byte magic (0, 0, the element type, the number of
 * dimensions), one big-endian 32-bit size per dimension, then the elements
 * in row-major order. regscope reads unsigned bytes (type 0x08): images of
 * 2 or 3 dimensions (n × features, or n × height × width) and labels of
 * 1 (n). Pixels 0..255 become 0..1, as torchvision's ToTensor() does.
 *
 * The data are streamed through (a gzip decompressor when the first two
 * bytes are gzip's magic) into buffers that grow as the bytes arrive, so
 * a header promising gigabytes costs nothing; the limits on the sizes are
 * checked from the headers. Every error is
 * one line naming the file: "train-labels-idx1-ubyte.gz: ...". */
#include "rs-dataset.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rs-error.h"

#define RS_IDX_TYPE_UBYTE   0x08
#define RS_IDX_MAX_ITEM     (1 << 20)          /* values in one image */
#define RS_IDX_MAX_VALUES   (G_GUINT64_CONSTANT (256) << 20) /* all images */
#define RS_IDX_CHUNK        (64 * 1024)    /* the first read; then doubling */

typedef struct {
  GInputStream *in;      /* the bytes after any gzip layer */
  const char   *name;    /* for messages */
  int           dims;
  guint32       size[3];
} IdxFile;

/* The stream of an IDX file's own bytes: `raw` itself, or its gzip'd
 * contents when it starts with gzip's magic 1f 8b. Takes `raw`. */
static GInputStream *
unwrap_gzip (GInputStream *raw, const char *name, GError **error)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new (raw));
  g_object_unref (raw);
  g_autoptr (GError) io_error = NULL;
  if (g_buffered_input_stream_fill (buffered, 2, NULL, &io_error) < 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", name, io_error->message);
      g_object_unref (buffered);
      return NULL;
    }
  gsize avail = 0;
  const guint8 *head = g_buffered_input_stream_peek_buffer (buffered, &avail);
  if (avail >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    {
      GZlibDecompressor *gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *in = g_converter_input_stream_new (G_INPUT_STREAM (buffered),
                                                       G_CONVERTER (gunzip));
      g_object_unref (gunzip);
      g_object_unref (buffered);
      return in;
    }
  return G_INPUT_STREAM (buffered);
}

/* Reads exactly `len` bytes. A short read is "truncated"; a damaged gzip
 * stream names zlib's complaint. `what` says what was being read. */
static gboolean
read_exact (IdxFile *f, void *buf, gsize len, const char *what, GError **error)
{
  gsize got = 0;
  g_autoptr (GError) io_error = NULL;
  if (!g_input_stream_read_all (f->in, buf, len, &got, NULL, &io_error))
    {
      if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                     _("%s: truncated gzip data in the %s"), f->name, what);
      else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                     _("%s: damaged gzip data in the %s (%s)"), f->name, what, io_error->message);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", f->name, io_error->message);
      return FALSE;
    }
  if (got < len)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: truncated in the %s"), f->name, what);
      return FALSE;
    }
  return TRUE;
}

/* The magic and the sizes. `min_dims`..`max_dims` is what the caller
 * accepts (labels 1, images 2 or 3). */
static gboolean
read_header (IdxFile *f, int min_dims, int max_dims, const char *kind, GError **error)
{
  guint8 magic[4];
  if (!read_exact (f, magic, 4, "header", error))
    return FALSE;
  guint32 m = (guint32) magic[0] << 24 | (guint32) magic[1] << 16
              | (guint32) magic[2] << 8 | magic[3];
  if (magic[0] != 0 || magic[1] != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: not an IDX file (magic 0x%08x)"), f->name, m);
      return FALSE;
    }
  if (magic[2] != RS_IDX_TYPE_UBYTE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: IDX element type 0x%02x is not supported (only unsigned bytes, 0x08)"),
                   f->name, magic[2]);
      return FALSE;
    }
  if (magic[3] < min_dims || magic[3] > max_dims)
    {
      if (min_dims == max_dims)
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                     _("%s: %s need %d dimension, the file has %d (magic 0x%08x)"),
                     f->name, kind, min_dims, magic[3], m);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                     _("%s: %s need %d or %d dimensions, the file has %d (magic 0x%08x)"),
                     f->name, kind, min_dims, max_dims, magic[3], m);
      return FALSE;
    }
  f->dims = magic[3];
  for (int d = 0; d < f->dims; d++)
    {
      guint8 b[4];
      if (!read_exact (f, b, 4, "header", error))
        return FALSE;
      f->size[d] = (guint32) b[0] << 24 | (guint32) b[1] << 16 | (guint32) b[2] << 8 | b[3];
      if (f->size[d] == 0)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s: dimension %d is 0"), f->name, d + 1);
          return FALSE;
        }
    }
  if (f->size[0] > (guint32) G_MAXINT)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: %u %s are too many"),
                   f->name, f->size[0], kind);
      return FALSE;
    }
  return TRUE;
}

/* Nothing may follow the last item: extra bytes mean the header's count is
 * wrong, or two files were joined. */
static gboolean
expect_end (IdxFile *f, GError **error)
{
  guint8 extra;
  gsize got = 0;
  g_autoptr (GError) io_error = NULL;
  if (!g_input_stream_read_all (f->in, &extra, 1, &got, NULL, &io_error))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: damaged data after the last item (%s)"),
                   f->name, io_error->message);
      return FALSE;
    }
  if (got != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s: more data after the %u items the header announces"),
                   f->name, f->size[0]);
      return FALSE;
    }
  return TRUE;
}

/* The `total` bytes of the elements, in a buffer that grows as they
 * arrive: a header can promise far more than the file holds. */
static guint8 *
read_payload (IdxFile *f, guint64 total, const char *what, GError **error)
{
  gsize cap = (gsize) MIN (total, (guint64) RS_IDX_CHUNK), done = 0;
  guint8 *buf = g_malloc (MAX (cap, 1));
  while (done < total)
    {
      if (done == cap)
        {
          cap = (gsize) MIN (total, (guint64) cap * 2);
          buf = g_realloc (buf, cap);
        }
      if (!read_exact (f, buf + done, cap - done, what, error))
        {
          g_free (buf);
          return NULL;
        }
      done = cap;
    }
  return buf;
}

/* Reads an images stream and a labels stream (both taken). */
static RsDataset *
parse_streams (GInputStream *images_raw, const char *images_name,
               GInputStream *labels_raw, const char *labels_name, GError **error)
{
  IdxFile img = { .name = images_name }, lab = { .name = labels_name };
  RsDataset *data = NULL;
  guint8 *pixels = NULL, *labels = NULL;

  img.in = unwrap_gzip (images_raw, images_name, error);
  if (img.in == NULL)
    {
      g_object_unref (labels_raw);
      return NULL;
    }
  lab.in = unwrap_gzip (labels_raw, labels_name, error);
  if (lab.in == NULL)
    goto out;

  /* Both headers first: a mismatch is found before anything is read. */
  if (!read_header (&img, 2, 3, "images", error)
      || !read_header (&lab, 1, 1, "labels", error))
    goto out;

  guint64 features = img.size[1] * (guint64) (img.dims == 3 ? img.size[2] : 1);
  if (features > RS_IDX_MAX_ITEM)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: images of %llu values are too large (at most %d)"),
                   images_name, (unsigned long long) features, RS_IDX_MAX_ITEM);
      goto out;
    }
  if (features * img.size[0] > RS_IDX_MAX_VALUES)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: %u images of %llu values are more than %llu values"),
                   images_name, img.size[0], (unsigned long long) features,
                   (unsigned long long) RS_IDX_MAX_VALUES);
      goto out;
    }
  if (lab.size[0] != img.size[0])
    {
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE, _("%s: %u labels for the %u images of %s"),
                   labels_name, lab.size[0], img.size[0], images_name);
      goto out;
    }

  int n = (int) img.size[0];
  pixels = read_payload (&img, (guint64) n * features, "images", error);
  if (pixels == NULL || !expect_end (&img, error))
    goto out;
  labels = read_payload (&lab, (guint64) n, "labels", error);
  if (labels == NULL || !expect_end (&lab, error))
    goto out;

  int max_label = -1;
  for (int i = 0; i < n; i++)
    max_label = MAX (max_label, labels[i]);
  if (max_label < 1)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: every label is 0; a classifier needs at least 2 classes"), labels_name);
      goto out;
    }

  data = rs_dataset_new (n, (int) features, max_label + 1);
  if (img.dims == 3)
    {
      data->image_h = (int) img.size[1];
      data->image_w = (int) img.size[2];
    }
  for (gsize i = 0; i < (gsize) n * features; i++)
    data->x[i] = pixels[i] / 255.0f;
  for (int i = 0; i < n; i++)
    data->y[i] = labels[i];

out:
  g_free (pixels);
  g_free (labels);
  g_clear_object (&img.in);
  g_clear_object (&lab.in);
  return data;
}

RsDataset *
rs_dataset_parse_idx (const guint8 *images, gsize images_len, const char *images_name,
                      const guint8 *labels, gsize labels_len, const char *labels_name,
                      GError **error)
{
  g_return_val_if_fail (images != NULL || images_len == 0, NULL);
  g_return_val_if_fail (labels != NULL || labels_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The bytes stay the caller's: the streams only read them. */
  GInputStream *img = g_memory_input_stream_new_from_data (images, (gssize) images_len, NULL);
  GInputStream *lab = g_memory_input_stream_new_from_data (labels, (gssize) labels_len, NULL);
  return parse_streams (img, images_name != NULL ? images_name : "<images>",
                        lab, labels_name != NULL ? labels_name : "<labels>", error);
}

static GInputStream *
open_file (const char *path, const char *name, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) io_error = NULL;
  GFileInputStream *in = g_file_read (file, NULL, &io_error);
  if (in == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", name, io_error->message);
      return NULL;
    }
  return G_INPUT_STREAM (in);
}

RsDataset *
rs_dataset_load_idx (const char *images_path, const char *labels_path, GError **error)
{
  g_return_val_if_fail (images_path != NULL && labels_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *images_name = g_filename_display_name (images_path);
  g_autofree char *labels_name = g_filename_display_name (labels_path);
  GInputStream *img = open_file (images_path, images_name, error);
  if (img == NULL)
    return NULL;
  GInputStream *lab = open_file (labels_path, labels_name, error);
  if (lab == NULL)
    {
      g_object_unref (img);
      return NULL;
    }
  return parse_streams (img, images_name, lab, labels_name, error);
}

/* DIR/BASE.gz, else DIR/BASE; NULL when neither exists. */
static char *
find_idx_file (const char *dir, const char *base)
{
  g_autofree char *gz = g_strconcat (base, ".gz", NULL);
  char *path = g_build_filename (dir, gz, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_free (path);
  path = g_build_filename (dir, base, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_free (path);
  return NULL;
}

/* The test set against the training set: the same image size, and no
 * label the training labels do not have. */
static gboolean
check_test (const RsDataset *train, RsDataset *test, const char *images_name,
            const char *labels_name, GError **error)
{
  if (test->features != train->features || test->image_w != train->image_w
      || test->image_h != train->image_h)
    {
      if (train->image_w > 0 && test->image_w > 0)
        g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                     _("%s: the test images are %d×%d, the training images %d×%d"),
                     images_name, test->image_w, test->image_h, train->image_w, train->image_h);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                     _("%s: the test images have %d values, the training images %d"),
                     images_name, test->features, train->features);
      return FALSE;
    }
  for (int i = 0; i < test->n; i++)
    if (test->y[i] >= train->classes)
      {
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     _("%s: item %d: label %d is out of range for the %d classes of the training labels"),
                     labels_name, i, test->y[i], train->classes);
        return FALSE;
      }
  /* Both sides count the same classes, even when the test set lacks the
   * last one. */
  test->classes = train->classes;
  return TRUE;
}

gboolean
rs_dataset_load_idx_dir (const char *dir, RsDataset **train, RsDataset **test,
                         GError **error)
{
  g_return_val_if_fail (dir != NULL && train != NULL && test != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  *train = NULL;
  *test = NULL;

  g_autofree char *dir_name = g_filename_display_name (dir);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", dir_name,
                   g_file_test (dir, G_FILE_TEST_EXISTS) ? "is not a folder"
                                                         : "no such folder");
      return FALSE;
    }

  static const char *const bases[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  char *paths[4];
  for (int i = 0; i < 4; i++)
    paths[i] = find_idx_file (dir, bases[i]);

  gboolean ok = FALSE;
  if (paths[0] == NULL || paths[1] == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: no %s[.gz] in this folder (an IDX folder holds %s, %s and optionally %s, %s)"),
                   dir_name, bases[paths[0] == NULL ? 0 : 1], bases[0], bases[1], bases[2],
                   bases[3]);
      goto out;
    }
  if ((paths[2] == NULL) != (paths[3] == NULL))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: %s is there but %s[.gz] is not"),
                   dir_name, bases[paths[2] == NULL ? 3 : 2], bases[paths[2] == NULL ? 2 : 3]);
      goto out;
    }

  *train = rs_dataset_load_idx (paths[0], paths[1], error);
  if (*train == NULL)
    goto out;
  if (paths[2] != NULL)
    {
      *test = rs_dataset_load_idx (paths[2], paths[3], error);
      g_autofree char *images_name = g_filename_display_name (paths[2]);
      g_autofree char *labels_name = g_filename_display_name (paths[3]);
      if (*test == NULL
          || !check_test (*train, *test, images_name, labels_name, error))
        goto out;
    }
  ok = TRUE;

out:
  if (!ok)
    {
      g_clear_pointer (train, rs_dataset_free);
      g_clear_pointer (test, rs_dataset_free);
    }
  for (int i = 0; i < 4; i++)
    g_free (paths[i]);
  return ok;
}
