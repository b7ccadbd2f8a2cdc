/* test-atomic-file.c — the write-to-temporary-then-rename discipline:
 * contents arrive whole, a failed or abandoned write leaves the old file
 * and no temporary behind, and errors name the destination. */
#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rs-atomic-file.h"
#include "rs-error.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GError *error = NULL;
  f->dir = g_dir_make_tmp ("rs-atomic-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      if (dir != NULL)
        {
          const char *name;
          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *child = g_build_filename (path, name, NULL);
              remove_tree (child);
            }
          g_dir_close (dir);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

/* g_ptr_array_sort passes pointers to the elements */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The entries of `dir`, sorted, joined by "|". */
static char *
list_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = names->pdata[i];
      g_string_append_printf (out, "%s%s", i ? "|" : "", n);
    }
  g_ptr_array_unref (names);
  return g_string_free (out, FALSE);
}

/* Entries of `dir` that look like temporaries of `base`: ".<base>.". */
static int
count_temporaries (const char *dir, const char *base)
{
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  int n = 0;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    n += g_str_has_prefix (name, prefix);
  g_dir_close (d);
  return n;
}

static void
assert_contents (const char *path, const void *want, gsize len)
{
  g_autofree char *got = NULL;
  gsize got_len = 0;
  GError *error = NULL;
  g_assert_true (g_file_get_contents (path, &got, &got_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got_len, ==, len);
  g_assert_true (memcmp (got, want, len) == 0);
}

static void
write_plain (const char *path, const char *text)
{
  GError *error = NULL;
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

/* ---- success ------------------------------------------------------------- */

static void
test_write_read_back (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.txt", NULL);
  const char text[] = "step,loss\n0,1.5\n";
  GError *error = NULL;
  g_assert_true (rs_atomic_file_write (path, text, strlen (text), &error));
  g_assert_no_error (error);
  assert_contents (path, text, strlen (text));
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "out.txt");
}

static void
test_empty_payload (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "empty", NULL);
  write_plain (path, "not empty yet");
  GError *error = NULL;
  g_assert_true (rs_atomic_file_write (path, "", 0, &error));
  g_assert_no_error (error);
  assert_contents (path, "", 0);
  g_assert_cmpint (count_temporaries (f->dir, "empty"), ==, 0);
}

static void
test_replace_existing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "model.safetensors", NULL);
  write_plain (path, "old contents that are longer than the new ones");
  GError *error = NULL;
  g_assert_true (rs_atomic_file_write (path, "new", 3, &error));
  g_assert_no_error (error);
  assert_contents (path, "new", 3);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "model.safetensors");
}

/* begin/fwrite/commit by hand: until the commit the destination keeps its
 * old contents and exactly one temporary sits beside it. */
static void
test_streaming_commit (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "log.csv", NULL);
  write_plain (path, "old\n");
  GError *error = NULL;
  RsAtomicFile *file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (file->path, ==, path);
  g_autofree char *tmp_dir = g_path_get_dirname (file->tmp_path);
  g_autofree char *tmp_base = g_path_get_basename (file->tmp_path);
  g_assert_cmpstr (tmp_dir, ==, f->dir);
  g_assert_true (g_str_has_prefix (tmp_base, ".log.csv."));
  g_assert_true (g_file_test (file->tmp_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (count_temporaries (f->dir, "log.csv"), ==, 1);

  for (int i = 0; i < 1000; i++)
    fprintf (file->stream, "%d,%d\n", i, i * i);
  fflush (file->stream);
  assert_contents (path, "old\n", 4);

  g_assert_true (rs_atomic_file_commit (file, &error));
  g_assert_no_error (error);

  GString *want = g_string_new (NULL);
  for (int i = 0; i < 1000; i++)
    g_string_append_printf (want, "%d,%d\n", i, i * i);
  assert_contents (path, want->str, want->len);
  g_string_free (want, TRUE);
  g_assert_cmpint (count_temporaries (f->dir, "log.csv"), ==, 0);
}

static void
test_large_payload (Fixture *f, gconstpointer data)
{
  const gsize len = 1u << 20;
  guint8 *payload = g_malloc (len);
  guint32 x = 2463534242u; /* xorshift32: a pattern with no short period */
  for (gsize i = 0; i < len; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      payload[i] = (guint8) x;
    }
  g_autofree char *path = g_build_filename (f->dir, "big.bin", NULL);
  GError *error = NULL;

  /* through the one-call helper */
  g_assert_true (rs_atomic_file_write (path, payload, len, &error));
  g_assert_no_error (error);
  assert_contents (path, payload, len);

  /* and streamed in uneven pieces over the previous file */
  for (gsize i = 0; i < len; i++)
    payload[i] = (guint8) (payload[i] ^ 0x5a);
  RsAtomicFile *file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  gsize done = 0, piece = 1;
  while (done < len)
    {
      gsize n = MIN (piece, len - done);
      g_assert_cmpuint (fwrite (payload + done, 1, n, file->stream), ==, n);
      done += n;
      piece = piece * 3 + 1;
    }
  g_assert_true (rs_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  assert_contents (path, payload, len);
  g_assert_cmpint (count_temporaries (f->dir, "big.bin"), ==, 0);
  g_free (payload);
}

/* A bare file name is written in the working directory. */
static void
test_relative_path (Fixture *f, gconstpointer data)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (f->dir), ==, 0);
  GError *error = NULL;
  gboolean ok = rs_atomic_file_write ("rel.txt", "abc", 3, &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_autofree char *path = g_build_filename (f->dir, "rel.txt", NULL);
  assert_contents (path, "abc", 3);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "rel.txt");
}

/* ---- failure ------------------------------------------------------------- */

/* Abandoning a write leaves the old file as it was and removes the
 * temporary. */
static void
test_abort_keeps_old (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "keep.ini", NULL);
  write_plain (path, "[experiment]\nseed=1\n");
  g_autofree char *other = g_build_filename (f->dir, "other.txt", NULL);
  write_plain (other, "x");

  GError *error = NULL;
  RsAtomicFile *file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  g_autofree char *tmp_path = g_strdup (file->tmp_path);
  fputs ("[experiment]\nseed=2\nhalf-writ", file->stream);
  fflush (file->stream);
  rs_atomic_file_abort (file);

  assert_contents (path, "[experiment]\nseed=1\n", 20);
  g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (count_temporaries (f->dir, "keep.ini"), ==, 0);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "keep.ini|other.txt");

  /* aborting before anything was written, and aborting NULL */
  file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  rs_atomic_file_abort (file);
  rs_atomic_file_abort (NULL);
  assert_contents (path, "[experiment]\nseed=1\n", 20);
  g_assert_cmpint (count_temporaries (f->dir, "keep.ini"), ==, 0);
}

/* A full disk during the commit: the stream's descriptor is replaced by
 * /dev/full, so the flush fails with ENOSPC. The old file must survive,
 * the temporary must go, and the error must name the destination. */
static void
test_commit_write_failure (Fixture *f, gconstpointer data)
{
  int full = open ("/dev/full", O_WRONLY);
  if (full < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_autofree char *path = g_build_filename (f->dir, "ckpt.safetensors", NULL);
  write_plain (path, "the previous checkpoint");

  GError *error = NULL;
  RsAtomicFile *file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  g_autofree char *tmp_path = g_strdup (file->tmp_path);
  g_assert_cmpint (dup2 (full, fileno (file->stream)), ==, fileno (file->stream));
  close (full);
  fputs ("a new checkpoint that will not fit", file->stream);

  g_assert_false (rs_atomic_file_commit (file, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_clear_error (&error);

  assert_contents (path, "the previous checkpoint", 23);
  g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "ckpt.safetensors");
}

/* The rename fails when, meanwhile, the destination became a non-empty
 * directory: the commit reports it and removes the temporary. */
static void
test_commit_rename_failure (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "target", NULL);
  GError *error = NULL;
  RsAtomicFile *file = rs_atomic_file_begin (path, &error);
  g_assert_no_error (error);
  g_autofree char *tmp_path = g_strdup (file->tmp_path);
  fputs ("data", file->stream);

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_autofree char *inside = g_build_filename (path, "occupant", NULL);
  write_plain (inside, "y");

  g_assert_false (rs_atomic_file_commit (file, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  assert_contents (inside, "y", 1);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "target");
}

static void
test_missing_directory (void)
{
  const char *path = "/nonexistent/x";
  GError *error = NULL;
  g_assert_false (rs_atomic_file_write (path, "abc", 3, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/x: "));
  g_assert_nonnull (strstr (error->message, "cannot write"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  g_assert_null (rs_atomic_file_begin (path, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/x: "));
  g_clear_error (&error);
  g_assert_false (g_file_test ("/nonexistent", G_FILE_TEST_EXISTS));
}

/* A directory is not a file to replace: refused up front, the directory
 * and what it holds untouched, no temporary left in the parent. */
static void
test_directory_target (Fixture *f, gconstpointer data)
{
  g_autofree char *sub = g_build_filename (f->dir, "results", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_autofree char *inside = g_build_filename (sub, "a.csv", NULL);
  write_plain (inside, "1");

  GError *error = NULL;
  g_assert_false (rs_atomic_file_write (sub, "abc", 3, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, sub));
  g_clear_error (&error);

  /* also when the directory is empty (rename could succeed over it) */
  g_autofree char *empty = g_build_filename (f->dir, "empty-dir", NULL);
  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_assert_null (rs_atomic_file_begin (empty, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, empty));
  g_clear_error (&error);
  g_assert_true (g_file_test (empty, G_FILE_TEST_IS_DIR));

  /* the root of the temporary directory itself */
  g_assert_false (rs_atomic_file_write (f->dir, "abc", 3, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  g_clear_error (&error);

  g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));
  assert_contents (inside, "1", 1);
  g_autofree char *listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "empty-dir|results");
  g_autofree char *sub_listing = list_dir (sub);
  g_assert_cmpstr (sub_listing, ==, "a.csv");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ((path), Fixture, NULL, fixture_setup, (fn), fixture_teardown)
  ADD ("/engine/atomic-file/write-read-back", test_write_read_back);
  ADD ("/engine/atomic-file/empty-payload", test_empty_payload);
  ADD ("/engine/atomic-file/replace-existing", test_replace_existing);
  ADD ("/engine/atomic-file/streaming-commit", test_streaming_commit);
  ADD ("/engine/atomic-file/large-payload", test_large_payload);
  ADD ("/engine/atomic-file/relative-path", test_relative_path);
  ADD ("/engine/atomic-file/abort-keeps-old", test_abort_keeps_old);
  ADD ("/engine/atomic-file/commit-write-failure", test_commit_write_failure);
  ADD ("/engine/atomic-file/commit-rename-failure", test_commit_rename_failure);
  ADD ("/engine/atomic-file/directory-target", test_directory_target);
#undef ADD
  g_test_add_func ("/engine/atomic-file/missing-directory", test_missing_directory);
  return g_test_run ();
}
