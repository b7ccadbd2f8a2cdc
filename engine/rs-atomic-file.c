#include "rs-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rs-error.h"

static void
set_write_error (GError **error, const char *path, int err)
{
  g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot write: %s"), path,
               g_strerror (err));
}

RsAtomicFile *
rs_atomic_file_begin (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot write: is a directory"), path);
      return NULL;
    }
  int fd = g_mkstemp_full (tmpl, O_WRONLY, 0644);
  if (fd < 0)
    {
      set_write_error (error, path, errno);
      return NULL;
    }
  FILE *stream = fdopen (fd, "wb");
  if (stream == NULL)
    {
      int err = errno;
      close (fd);
      g_unlink (tmpl);
      set_write_error (error, path, err);
      return NULL;
    }
  RsAtomicFile *file = g_new0 (RsAtomicFile, 1);
  file->path = g_strdup (path);
  file->tmp_path = g_steal_pointer (&tmpl);
  file->stream = stream;
  return file;
}

static void
rs_atomic_file_free (RsAtomicFile *file)
{
  g_free (file->path);
  g_free (file->tmp_path);
  g_free (file);
}

gboolean
rs_atomic_file_commit (RsAtomicFile *file, GError **error)
{
  int err = 0;
  if (fflush (file->stream) != 0 || ferror (file->stream))
    err = errno ? errno : EIO;
  if (err == 0 && fsync (fileno (file->stream)) != 0)
    err = errno;
  if (fclose (file->stream) != 0 && err == 0)
    err = errno;
  file->stream = NULL;
  if (err == 0 && g_rename (file->tmp_path, file->path) != 0)
    err = errno;
  if (err != 0)
    {
      g_unlink (file->tmp_path);
      set_write_error (error, file->path, err);
      rs_atomic_file_free (file);
      return FALSE;
    }
  rs_atomic_file_free (file);
  return TRUE;
}

void
rs_atomic_file_abort (RsAtomicFile *file)
{
  if (file == NULL)
    return;
  if (file->stream != NULL)
    fclose (file->stream);
  g_unlink (file->tmp_path);
  rs_atomic_file_free (file);
}

gboolean
rs_atomic_file_write (const char *path, const void *data, gsize len, GError **error)
{
  RsAtomicFile *file = rs_atomic_file_begin (path, error);
  if (file == NULL)
    return FALSE;
  if (len > 0 && fwrite (data, 1, len, file->stream) != len)
    {
      int err = errno ? errno : EIO;
      rs_atomic_file_abort (file);
      set_write_error (error, path, err);
      return FALSE;
    }
  return rs_atomic_file_commit (file, error);
}
