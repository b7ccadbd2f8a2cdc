/* rs-atomic-file.h — every file regscope writes goes to a temporary file
 * beside the target and is renamed over it only when complete, so a full
 * disk or a crash never leaves a half-written file or loses the old one. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct {
  char *path;      /* the destination */
  char *tmp_path;  /* "<dir>/.<name>.XXXXXX" */
  FILE *stream;    /* open for writing on tmp_path */
} RsAtomicFile;

/* Opens a temporary file beside `path`. Error: "PATH: cannot write: ..." */
RsAtomicFile *rs_atomic_file_begin  (const char *path, GError **error);
/* Flushes, fsyncs, closes and renames; on any failure removes the temporary
 * file and reports the error naming `path`. Frees `file` in every case. */
gboolean      rs_atomic_file_commit (RsAtomicFile *file, GError **error);
/* Removes the temporary file and frees `file`. NULL is fine. */
void          rs_atomic_file_abort  (RsAtomicFile *file);

/* The whole contents at once. */
gboolean      rs_atomic_file_write  (const char *path, const void *data, gsize len,
                                     GError **error);

G_END_DECLS
