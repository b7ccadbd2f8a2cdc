/* test-dataset-idx.c — the IDX reader (MNIST's format, gzip'd or not): the
 * committed Fashion-MNIST slice, crafted files of known bytes, and one
 * error message for each way a file can be wrong. */
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rs-dataset.h"
#include "rs-error.h"
#include "rs-experiment.h"
#include "rs-session.h"

/* ---- crafted files ---- */

static void
put_be32 (GByteArray *b, guint32 v)
{
  guint8 be[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (b, be, 4);
}

/* An IDX header: magic 0,0,type,dims then the sizes. */
static GByteArray *
idx_header (guint8 type, int dims, const guint32 *sizes)
{
  GByteArray *b = g_byte_array_new ();
  guint8 magic[4] = { 0, 0, type, (guint8) dims };
  g_byte_array_append (b, magic, 4);
  for (int d = 0; d < dims; d++)
    put_be32 (b, sizes[d]);
  return b;
}

/* n images of h x w whose pixel i of image k is (k * 37 + i * 11) % 256. */
static GByteArray *
make_images (guint32 n, guint32 h, guint32 w)
{
  guint32 sizes[3] = { n, h, w };
  GByteArray *b = idx_header (0x08, 3, sizes);
  for (guint32 k = 0; k < n; k++)
    for (guint32 i = 0; i < h * w; i++)
      {
        guint8 v = (guint8) ((k * 37 + i * 11) % 256);
        g_byte_array_append (b, &v, 1);
      }
  return b;
}

static GByteArray *
make_labels (guint32 n, const guint8 *labels)
{
  GByteArray *b = idx_header (0x08, 1, &n);
  g_byte_array_append (b, labels, n);
  return b;
}

static GBytes *
gzip_bytes (const guint8 *data, gsize len)
{
  GZlibCompressor *gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  GOutputStream *mem = g_memory_output_stream_new_resizable ();
  GOutputStream *out = g_converter_output_stream_new (mem, G_CONVERTER (gz));
  g_autoptr (GError) error = NULL;
  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);
  GBytes *bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
  g_object_unref (out);
  g_object_unref (mem);
  g_object_unref (gz);
  return bytes;
}

/* A temporary folder and files in it. */
typedef struct {
  char *dir;
} TmpDir;

static void
tmp_dir_init (TmpDir *t)
{
  g_autoptr (GError) error = NULL;
  t->dir = g_dir_make_tmp ("regscope-idx-XXXXXX", &error);
  g_assert_no_error (error);
}

static char *
tmp_write (TmpDir *t, const char *name, const guint8 *data, gsize len)
{
  char *path = g_build_filename (t->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

static void
tmp_dir_clear (TmpDir *t)
{
  GDir *d = g_dir_open (t->dir, 0, NULL);
  const char *entry;
  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (t->dir, entry, NULL);
      g_unlink (p);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (t->dir);
  g_free (t->dir);
}

/* rs_dataset_parse_idx must fail with `code` and exactly `message`. */
static void
expect_parse_error (const GByteArray *img, const GByteArray *lab, RsErrorCode code,
                    const char *message)
{
  g_autoptr (GError) error = NULL;
  RsDataset *d = rs_dataset_parse_idx (img->data, img->len, "img.idx", lab->data, lab->len,
                                       "lab.idx", &error);
  g_assert_null (d);
  g_assert_error (error, RS_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (strchr (error->message, '\n'));
}

static const guint8 labels5[5] = { 2, 0, 1, 2, 1 };

/* ---- tests ---- */

static void
test_crafted_values (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 3);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsDataset) d = rs_dataset_parse_idx (img->data, img->len, "img", lab->data,
                                                  lab->len, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->n, ==, 5);
  g_assert_cmpint (d->features, ==, 6);
  g_assert_cmpint (d->image_w, ==, 3);
  g_assert_cmpint (d->image_h, ==, 2);
  g_assert_cmpint (d->classes, ==, 3);
  g_assert_null (d->class_names);
  for (int k = 0; k < 5; k++)
    {
      g_assert_cmpint (d->y[k], ==, labels5[k]);
      for (int i = 0; i < 6; i++)
        g_assert_cmpfloat (d->x[k * 6 + i], ==, (float) ((k * 37 + i * 11) % 256) / 255.0f);
    }

  /* Two dimensions: rows of features, no picture. */
  guint32 sizes[2] = { 5, 4 };
  g_autoptr (GByteArray) flat = idx_header (0x08, 2, sizes);
  for (int i = 0; i < 20; i++)
    {
      guint8 v = (guint8) (255 - i);
      g_byte_array_append (flat, &v, 1);
    }
  g_autoptr (RsDataset) f = rs_dataset_parse_idx (flat->data, flat->len, "flat", lab->data,
                                                  lab->len, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->features, ==, 4);
  g_assert_cmpint (f->image_w, ==, 0);
  g_assert_cmpfloat (f->x[0], ==, 1.0f);
  g_assert_cmpfloat (f->x[19], ==, 236.0f / 255.0f);
}

/* gzip'd and plain files, from memory and from disk, give the same data. */
static void
test_gzip_and_plain_agree (void)
{
  g_autoptr (GByteArray) img = make_images (5, 4, 4);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);
  g_autoptr (GBytes) img_gz = gzip_bytes (img->data, img->len);
  g_autoptr (GBytes) lab_gz = gzip_bytes (lab->data, lab->len);
  gsize img_gz_len, lab_gz_len;
  const guint8 *img_gz_data = g_bytes_get_data (img_gz, &img_gz_len);
  const guint8 *lab_gz_data = g_bytes_get_data (lab_gz, &lab_gz_len);
  g_assert_cmpint (img_gz_data[0], ==, 0x1f);

  g_autoptr (GError) error = NULL;
  g_autoptr (RsDataset) plain = rs_dataset_parse_idx (img->data, img->len, "i", lab->data,
                                                      lab->len, "l", &error);
  g_assert_no_error (error);
  g_autoptr (RsDataset) gz = rs_dataset_parse_idx (img_gz_data, img_gz_len, "i", lab_gz_data,
                                                   lab_gz_len, "l", &error);
  g_assert_no_error (error);
  /* one of each */
  g_autoptr (RsDataset) mixed = rs_dataset_parse_idx (img_gz_data, img_gz_len, "i", lab->data,
                                                      lab->len, "l", &error);
  g_assert_no_error (error);

  TmpDir t;
  tmp_dir_init (&t);
  g_autofree char *ip = tmp_write (&t, "i.gz", img_gz_data, img_gz_len);
  g_autofree char *lp = tmp_write (&t, "l", lab->data, lab->len);
  g_autoptr (RsDataset) file = rs_dataset_load_idx (ip, lp, &error);
  g_assert_no_error (error);
  tmp_dir_clear (&t);

  const RsDataset *others[3] = { gz, mixed, file };
  for (int o = 0; o < 3; o++)
    {
      g_assert_cmpint (others[o]->n, ==, plain->n);
      g_assert_cmpint (others[o]->features, ==, plain->features);
      g_assert_cmpint (others[o]->classes, ==, plain->classes);
      g_assert_cmpint (others[o]->image_w, ==, 4);
      g_assert_cmpmem (others[o]->x, 5 * 16 * sizeof (float), plain->x, 5 * 16 * sizeof (float));
      g_assert_cmpmem (others[o]->y, 5 * sizeof (int32_t), plain->y, 5 * sizeof (int32_t));
    }
}

/* The committed slice of Fashion-MNIST: 200 training and 100 test images,
 * the first ones of each file of dataset-fashion-mnist. */
static void
test_fashion_slice (void)
{
  g_autofree char *dir = g_build_filename (RS_TEST_SRCDIR, "data", "fashion-mnist-slice", NULL);
  RsDataset *train = NULL, *test = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_dataset_load_idx_dir (dir, &train, &test, &error));
  g_assert_no_error (error);
  g_assert_cmpint (train->n, ==, 200);
  g_assert_cmpint (test->n, ==, 100);
  for (int s = 0; s < 2; s++)
    {
      const RsDataset *d = s == 0 ? train : test;
      g_assert_cmpint (d->features, ==, 784);
      g_assert_cmpint (d->image_w, ==, 28);
      g_assert_cmpint (d->image_h, ==, 28);
      g_assert_cmpint (d->classes, ==, 10);
      float lo = 1.0f, hi = 0.0f;
      for (gsize i = 0; i < (gsize) d->n * 784; i++)
        lo = MIN (lo, d->x[i]), hi = MAX (hi, d->x[i]);
      g_assert_cmpfloat (lo, ==, 0.0f);
      g_assert_cmpfloat (hi, ==, 1.0f);
    }
  /* Fashion-MNIST's first training image is an ankle boot (9), its first
   * test image too; the slice holds 24 T-shirts and 26 trousers. */
  g_assert_cmpint (train->y[0], ==, 9);
  g_assert_cmpint (test->y[0], ==, 9);
  int counts[10] = { 0 };
  for (int i = 0; i < train->n; i++)
    counts[train->y[i]]++;
  g_assert_cmpint (counts[0], ==, 24);
  g_assert_cmpint (counts[1], ==, 26);
  rs_dataset_free (train);
  rs_dataset_free (test);
}

static void
test_errors_header (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 2);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);

  g_autoptr (GByteArray) bad = g_byte_array_new ();
  g_byte_array_append (bad, (const guint8 *) "PK\3\4 not idx", 13);
  expect_parse_error (bad, lab, RS_ERROR_PARSE, "img.idx: not an IDX file (magic 0x504b0304)");

  g_autoptr (GByteArray) empty = g_byte_array_new ();
  expect_parse_error (img, empty, RS_ERROR_PARSE, "lab.idx: truncated in the header");

  guint32 sizes[3] = { 5, 2, 2 };
  g_autoptr (GByteArray) floats = idx_header (0x0d, 3, sizes);
  expect_parse_error (floats, lab, RS_ERROR_PARSE,
                      "img.idx: IDX element type 0x0d is not supported (only unsigned bytes, 0x08)");

  /* images and labels swapped */
  expect_parse_error (lab, img, RS_ERROR_PARSE,
                      "img.idx: images need 2 or 3 dimensions, the file has 1 (magic 0x00000801)");
  g_autoptr (GByteArray) lab3 = idx_header (0x08, 3, sizes);
  expect_parse_error (img, lab3, RS_ERROR_PARSE,
                      "lab.idx: labels need 1 dimension, the file has 3 (magic 0x00000803)");

  guint32 zero[3] = { 5, 0, 2 };
  g_autoptr (GByteArray) zdim = idx_header (0x08, 3, zero);
  expect_parse_error (zdim, lab, RS_ERROR_PARSE, "img.idx: dimension 2 is 0");

  /* Sizes that would need gigabytes are refused before any allocation. */
  guint32 huge[3] = { 0x7fffffff, 28, 28 };
  g_autoptr (GByteArray) big = idx_header (0x08, 3, huge);
  expect_parse_error (big, lab, RS_ERROR_VALUE,
                      "img.idx: 2147483647 images of 784 values are more than 268435456 values");
  guint32 wide[3] = { 1, 4096, 4096 };
  g_autoptr (GByteArray) wide_img = idx_header (0x08, 3, wide);
  expect_parse_error (wide_img, lab, RS_ERROR_VALUE,
                      "img.idx: images of 16777216 values are too large (at most 1048576)");
  guint32 many = 0x80000000u;
  g_autoptr (GByteArray) many_lab = idx_header (0x08, 1, &many);
  expect_parse_error (img, many_lab, RS_ERROR_VALUE, "lab.idx: 2147483648 labels are too many");
}

static void
test_errors_mismatch (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 2);
  g_autoptr (GByteArray) lab4 = make_labels (4, labels5);
  expect_parse_error (img, lab4, RS_ERROR_SHAPE, "lab.idx: 4 labels for the 5 images of img.idx");

  static const guint8 zeros[5] = { 0 };
  g_autoptr (GByteArray) lab0 = make_labels (5, zeros);
  expect_parse_error (img, lab0, RS_ERROR_VALUE,
                      "lab.idx: every label is 0; a classifier needs at least 2 classes");
}

static void
test_errors_truncated (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 2);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);

  g_autoptr (GByteArray) short_img = g_byte_array_new ();
  g_byte_array_append (short_img, img->data, img->len - 1);
  expect_parse_error (short_img, lab, RS_ERROR_PARSE, "img.idx: truncated in the images");
  g_autoptr (GByteArray) short_lab = g_byte_array_new ();
  g_byte_array_append (short_lab, lab->data, lab->len - 2);
  expect_parse_error (img, short_lab, RS_ERROR_PARSE, "lab.idx: truncated in the labels");

  g_autoptr (GByteArray) long_img = g_byte_array_new ();
  g_byte_array_append (long_img, img->data, img->len);
  g_byte_array_append (long_img, (const guint8 *) "x", 1);
  expect_parse_error (long_img, lab, RS_ERROR_PARSE,
                      "img.idx: more data after the 5 items the header announces");

  /* A gzip stream cut short, and one with a flipped byte inside. */
  g_autoptr (GBytes) gz = gzip_bytes (img->data, img->len);
  gsize gz_len;
  const guint8 *gz_data = g_bytes_get_data (gz, &gz_len);
  g_autoptr (GByteArray) cut = g_byte_array_new ();
  g_byte_array_append (cut, gz_data, (guint) gz_len - 12);
  expect_parse_error (cut, lab, RS_ERROR_PARSE, "img.idx: truncated gzip data in the images");

  g_autoptr (GByteArray) bad = g_byte_array_new ();
  g_byte_array_append (bad, gz_data, (guint) gz_len);
  bad->data[gz_len - 6] ^= 0xff; /* inside the CRC-32 trailer */
  g_autoptr (GError) error = NULL;
  RsDataset *d = rs_dataset_parse_idx (bad->data, bad->len, "img.idx", lab->data, lab->len,
                                       "lab.idx", &error);
  g_assert_null (d);
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "img.idx: damaged "));
  g_assert_null (strchr (error->message, '\n'));
}

/* Writes the four files of an IDX folder (plain, or .gz when `gz`). */
static void
write_folder (TmpDir *t, const GByteArray *files[4], gboolean gz)
{
  static const char *const names[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
  };
  for (int i = 0; i < 4; i++)
    {
      if (files[i] == NULL)
        continue;
      if (gz)
        {
          g_autoptr (GBytes) b = gzip_bytes (files[i]->data, files[i]->len);
          g_autofree char *name = g_strconcat (names[i], ".gz", NULL);
          gsize len;
          const guint8 *data = g_bytes_get_data (b, &len);
          g_free (tmp_write (t, name, data, len));
        }
      else
        g_free (tmp_write (t, names[i], files[i]->data, files[i]->len));
    }
}

static void
expect_dir_error (const GByteArray *files[4], RsErrorCode code, const char *rest)
{
  TmpDir t;
  tmp_dir_init (&t);
  write_folder (&t, files, FALSE);
  RsDataset *train = (RsDataset *) 0x1, *test = (RsDataset *) 0x1;
  g_autoptr (GError) error = NULL;
  g_assert_false (rs_dataset_load_idx_dir (t.dir, &train, &test, &error));
  g_assert_null (train);
  g_assert_null (test);
  g_assert_error (error, RS_ERROR, (int) code);
  g_auto (GStrv) parts = g_strsplit (rest, "@DIR@", -1);
  g_autofree char *expected = g_strjoinv (t.dir, parts);
  g_assert_cmpstr (error->message, ==, expected);
  tmp_dir_clear (&t);
}

static void
test_folder (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 2);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);
  static const guint8 test_labels[3] = { 1, 1, 0 };
  g_autoptr (GByteArray) timg = make_images (3, 2, 2);
  g_autoptr (GByteArray) tlab = make_labels (3, test_labels);

  /* A test set without class 2 still counts the training set's 3 classes;
   * a folder without the t10k pair has no test set. */
  for (int with_test = 0; with_test < 2; with_test++)
    {
      const GByteArray *files[4] = { img, lab, with_test ? timg : NULL, with_test ? tlab : NULL };
      TmpDir t;
      tmp_dir_init (&t);
      write_folder (&t, files, with_test);
      RsDataset *train = NULL, *test = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (rs_dataset_load_idx_dir (t.dir, &train, &test, &error));
      g_assert_no_error (error);
      g_assert_cmpint (train->n, ==, 5);
      g_assert_cmpint (train->classes, ==, 3);
      if (with_test)
        {
          g_assert_cmpint (test->n, ==, 3);
          g_assert_cmpint (test->classes, ==, 3);
          g_assert_cmpint (test->image_w, ==, 2);
          g_assert_cmpint (test->y[2], ==, 0);
        }
      else
        g_assert_null (test);
      rs_dataset_free (train);
      rs_dataset_free (test);
      tmp_dir_clear (&t);
    }
}

static void
test_folder_errors (void)
{
  g_autoptr (GByteArray) img = make_images (5, 2, 2);
  g_autoptr (GByteArray) lab = make_labels (5, labels5);
  static const guint8 out_of_range[3] = { 1, 3, 0 };
  g_autoptr (GByteArray) timg = make_images (3, 2, 2);
  g_autoptr (GByteArray) tlab = make_labels (3, out_of_range);
  g_autoptr (GByteArray) timg_wide = make_images (3, 2, 3);
  static const guint8 ok_labels[3] = { 1, 1, 0 };
  g_autoptr (GByteArray) tlab_ok = make_labels (3, ok_labels);

  const GByteArray *range[4] = { img, lab, timg, tlab };
  expect_dir_error (range, RS_ERROR_VALUE,
                    "@DIR@/t10k-labels-idx1-ubyte: item 1: label 3 is out of range for the 3 classes of the training labels");
  const GByteArray *shape[4] = { img, lab, timg_wide, tlab_ok };
  expect_dir_error (shape, RS_ERROR_SHAPE,
                    "@DIR@/t10k-images-idx3-ubyte: the test images are 3×2, the training images 2×2");
  const GByteArray *half[4] = { img, lab, timg, NULL };
  expect_dir_error (half, RS_ERROR_IO,
                    "@DIR@: t10k-images-idx3-ubyte is there but t10k-labels-idx1-ubyte[.gz] is not");
  const GByteArray *no_labels[4] = { img, NULL, NULL, NULL };
  expect_dir_error (no_labels, RS_ERROR_IO,
                    "@DIR@: no train-labels-idx1-ubyte[.gz] in this folder (an IDX folder holds "
                    "train-images-idx3-ubyte, train-labels-idx1-ubyte and optionally "
                    "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)");
  /* An error inside a file names that file. */
  g_autoptr (GByteArray) short_lab = make_labels (4, labels5);
  const GByteArray *count[4] = { img, short_lab, NULL, NULL };
  expect_dir_error (count, RS_ERROR_SHAPE,
                    "@DIR@/train-labels-idx1-ubyte: 4 labels for the 5 images of @DIR@/train-images-idx3-ubyte");

  g_autoptr (GError) error = NULL;
  RsDataset *train = NULL, *test = NULL;
  g_assert_false (rs_dataset_load_idx_dir ("/nonexistent/regscope-idx", &train, &test, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "/nonexistent/regscope-idx: no such folder");
  g_clear_error (&error);
  g_assert_null (rs_dataset_load_idx ("/nonexistent/i", "/nonexistent/l", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/i: "));
}

/* source=idx:DIR in a preset: resolved against the preset's folder, written
 * back absolute; the session loads the folder, and a missing one is a
 * one-line error naming it. */
static void
test_preset_source (void)
{
  g_autofree char *name = g_build_filename (RS_TEST_SRCDIR, "data", "x.ini", NULL);
  static const char ini[] =
    "[data]\nsource=idx:fashion-mnist-slice\nvalidation=0\n"
    "[model]\nlayers=784,8,10\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (RsExperiment) exp = rs_experiment_load_from_data (ini, -1, name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (exp->source, ==, RS_DATA_IDX);
  g_autofree char *dir = g_build_filename (RS_TEST_SRCDIR, "data", "fashion-mnist-slice", NULL);
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  g_assert_cmpstr (exp->csv_path, ==, abs);

  g_autofree char *text = rs_experiment_to_ini (exp);
  g_autofree char *line = g_strconcat ("source=idx:", abs, "\n", NULL);
  g_assert_nonnull (strstr (text, line));
  g_autoptr (RsExperiment) back = rs_experiment_load_from_data (text, -1, "back.ini", &error);
  g_assert_no_error (error);
  g_assert_true (rs_experiment_equal (exp, back));

  g_autoptr (RsSession) s = rs_session_new (exp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rs_session_get_train (s)->n, ==, 200);
  g_assert_null (rs_session_get_validation (s));
  g_assert_cmpint (rs_session_get_test (s)->n, ==, 100);

  static const struct { const char *set; const char *message; } bad[] = {
    { "data.source=idx", "[data] source: 'idx' needs a folder, as in idx:/usr/share/datasets/fashion-mnist" },
    { "data.source=idx:", "[data] source: 'idx:' needs a folder, as in idx:/usr/share/datasets/fashion-mnist" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (rs_experiment_set (exp, bad[i].set, &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
      /* after the "--set '...': " prefix */
      g_assert_true (g_str_has_suffix (error->message, bad[i].message));
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  g_assert_true (rs_experiment_set (exp, "data.source=idx:/nonexistent/fashion", &error));
  g_assert_no_error (error);
  g_assert_null (rs_session_new (exp, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "/nonexistent/fashion: no such folder");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/dataset-idx/crafted-values", test_crafted_values);
  g_test_add_func ("/engine/dataset-idx/gzip-and-plain-agree", test_gzip_and_plain_agree);
  g_test_add_func ("/engine/dataset-idx/fashion-slice", test_fashion_slice);
  g_test_add_func ("/engine/dataset-idx/error-header", test_errors_header);
  g_test_add_func ("/engine/dataset-idx/error-mismatch", test_errors_mismatch);
  g_test_add_func ("/engine/dataset-idx/error-truncated", test_errors_truncated);
  g_test_add_func ("/engine/dataset-idx/folder", test_folder);
  g_test_add_func ("/engine/dataset-idx/folder-errors", test_folder_errors);
  g_test_add_func ("/engine/dataset-idx/preset-source", test_preset_source);
  return g_test_run ();
}
