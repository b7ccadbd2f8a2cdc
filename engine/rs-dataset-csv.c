/* rs-dataset-csv.c — reading labelled data from a CSV file.
 *
 * The file is read line by line in bounded pieces: a line longer than
 * 1 MiB or a file larger than 512 MiB is refused before it is held in
 * memory. Text already in memory (rs_dataset_parse_csv) goes through the
 * same line reader and parser, with the same limits. Every error is one
 * line, "FILE:LINE: what", so the CLI can print it as it is and the window
 * can show it in a dialog.
 *
 * The first line is one of three things (see rs-dataset.h). A scikit-learn
 * header whose class names are numbers ("1797,64,0,1,...,9") looks like a
 * data row; the second line settles it (see decide_numeric_first_line). */
#include "rs-dataset.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rs-error.h"

#define RS_CSV_MAX_LINE  (1024 * 1024)
#define RS_CSV_MAX_FILE  (G_GINT64_CONSTANT (512) * 1024 * 1024)
#define RS_CSV_MAX_LABEL 1000000
#define RS_CSV_MAX_COLUMNS 1000000
#define RS_CSV_CHUNK     (64 * 1024)

/* ---- bounded line reader ---- */

typedef struct {
  FILE       *fp;          /* NULL: the whole text is in `chunk` */
  const char *name;        /* for messages */
  char       *buffer;      /* RS_CSV_CHUNK bytes when reading a file */
  const char *chunk;       /* the bytes not yet taken: buffer, or the text */
  gsize       chunk_len;
  gsize       chunk_pos;
  GString    *line;        /* the current line, without '\n' */
  int         line_no;     /* 1-based number of `line` */
  gint64      total;       /* bytes read so far */
  gboolean    eof;
} LineReader;

static gboolean
reader_fill (LineReader *r, GError **error)
{
  r->chunk = r->buffer;
  r->chunk_len = fread (r->buffer, 1, RS_CSV_CHUNK, r->fp);
  r->chunk_pos = 0;
  if (r->chunk_len == 0)
    {
      if (ferror (r->fp))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: read error: %s",
                       r->name, g_strerror (errno));
          return FALSE;
        }
      r->eof = TRUE;
      return TRUE;
    }
  r->total += (gint64) r->chunk_len;
  /* The size check before opening does not cover pipes and devices. */
  if (r->total > RS_CSV_MAX_FILE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   "%s: file is larger than 512 MiB", r->name);
      return FALSE;
    }
  return TRUE;
}

/* 1: a line is in r->line; 0: end of file; -1: error. */
static int
reader_next (LineReader *r, GError **error)
{
  g_string_truncate (r->line, 0);
  r->line_no++;
  gboolean any = FALSE;

  for (;;)
    {
      if (r->chunk_pos == r->chunk_len)
        {
          if (r->eof)
            break;
          if (!reader_fill (r, error))
            return -1;
          if (r->eof)
            break;
        }
      const char *start = r->chunk + r->chunk_pos;
      gsize avail = r->chunk_len - r->chunk_pos;
      const char *nl = memchr (start, '\n', avail);
      gsize take = nl != NULL ? (gsize) (nl - start) : avail;
      any = TRUE;

      if (memchr (start, '\0', take) != NULL)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:%d: binary data (NUL byte)", r->name, r->line_no);
          return -1;
        }
      if (r->line->len + take > RS_CSV_MAX_LINE)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:%d: line longer than 1 MiB", r->name, r->line_no);
          return -1;
        }
      g_string_append_len (r->line, start, (gssize) take);
      r->chunk_pos += take;
      if (nl != NULL)
        {
          r->chunk_pos++;
          return 1;
        }
    }
  /* End of file: a last line without '\n' still counts. */
  return any ? 1 : 0;
}

/* ---- fields ---- */

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static char *
strip_blanks (char *s)
{
  while (is_blank (*s))
    s++;
  gsize len = strlen (s);
  while (len > 0 && is_blank (s[len - 1]))
    s[--len] = '\0';
  return s;
}

/* A field quoted for a message: valid UTF-8, no control characters, and
 * short, so that the message stays one readable line. */
static char *
quote_field (const char *field)
{
  g_autofree char *valid = g_utf8_make_valid (field, -1);
  GString *out = g_string_new (NULL);
  glong chars = 0;
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (chars++ == 40)
        {
          g_string_append (out, "...");
          break;
        }
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || c == 0x7f)
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Splits `line` in place at commas into `fields` (pointers into `line`),
 * blanks around each field removed. A field may be in double quotes, with
 * "" for a quote inside; quoted text is never a number's business but
 * lets a header carry names with commas. */
static gboolean
split_fields (char *line, GPtrArray *fields, const char *name, int line_no,
              GError **error)
{
  g_ptr_array_set_size (fields, 0);
  char *p = line;

  for (;;)
    {
      int column = (int) fields->len + 1;
      while (is_blank (*p))
        p++;
      if (*p == '"')
        {
          char *out = ++p;
          char *field = out;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                               "%s:%d: column %d: unterminated quote",
                               name, line_no, column);
                  return FALSE;
                }
              if (*p == '"')
                {
                  if (p[1] == '"')
                    {
                      *out++ = '"';
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              *out++ = *p++;
            }
          while (is_blank (*p))
            p++;
          if (*p != ',' && *p != '\0')
            {
              g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                           "%s:%d: column %d: text after the closing quote",
                           name, line_no, column);
              return FALSE;
            }
          gboolean last = *p == '\0';
          *out = '\0';
          g_ptr_array_add (fields, field);
          if (last)
            return TRUE;
          p++;
        }
      else
        {
          char *field = p;
          char *comma = strchr (p, ',');
          gboolean last = comma == NULL;
          if (!last)
            *comma = '\0';
          g_ptr_array_add (fields, strip_blanks (field));
          if (last)
            return TRUE;
          p = comma + 1;
        }
    }
}

/* The whole (already stripped) field is a number: no trailing text. */
static gboolean
parse_number (const char *field, double *out)
{
  if (*field == '\0')
    return FALSE;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (field, &end);
  if (end == field || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/* A plain decimal count as scikit-learn writes it in its header. */
static gboolean
parse_count (const char *field, gint64 max, gint64 *out)
{
  if (*field == '\0')
    return FALSE;
  for (const char *p = field; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (field, 10, 0, (guint64) max, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static gboolean
all_numeric (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      double v;
      if (!parse_number (g_ptr_array_index (fields, i), &v))
        return FALSE;
    }
  return TRUE;
}

/* ---- the loader ---- */

typedef enum {
  FIRST_NONE,      /* nothing read yet */
  FIRST_PENDING,   /* an all-numeric first line waits for the second */
  FIRST_DATA,      /* the first line was a data row */
  FIRST_NAMES,     /* column names */
  FIRST_SKLEARN,   /* n_samples,n_features,class names... */
  FIRST_MAYBE,     /* data row or sklearn header; the row count decides */
} FirstLine;

typedef struct {
  const char *name;
  FirstLine   first;
  char      **first_fields;   /* copy of an all-numeric first line */
  int         columns;        /* expected on every data line */
  gint64      header_samples; /* sklearn header's n_samples */
  char      **class_names;    /* from an sklearn header */
  int         header_classes; /* 0 when the header names none */
  GArray     *x;              /* float */
  GArray     *y;              /* int32_t */
  int         max_label;
} CsvState;

static void
csv_state_clear (CsvState *s)
{
  g_strfreev (s->first_fields);
  g_strfreev (s->class_names);
  if (s->x != NULL)
    g_array_unref (s->x);
  if (s->y != NULL)
    g_array_unref (s->y);
}

static gboolean
parse_label (CsvState *s, const char *field, int line_no, int32_t *out,
             GError **error)
{
  double v;
  if (*field == '\0')
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s:%d: empty label",
                   s->name, line_no);
      return FALSE;
    }
  if (!parse_number (field, &v) || !isfinite (v) || v < 0.0 || v != floor (v))
    {
      g_autofree char *q = quote_field (field);
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s:%d: label '%s' is not a non-negative integer",
                   s->name, line_no, q);
      return FALSE;
    }
  if (v > RS_CSV_MAX_LABEL)
    {
      g_autofree char *q = quote_field (field);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   "%s:%d: label '%s' is too large (at most %d)",
                   s->name, line_no, q, RS_CSV_MAX_LABEL);
      return FALSE;
    }
  int32_t label = (int32_t) v;
  if (s->header_classes > 0 && label >= s->header_classes)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   "%s:%d: label %d is out of range for the %d classes in the header",
                   s->name, line_no, label, s->header_classes);
      return FALSE;
    }
  *out = label;
  return TRUE;
}

/* Appends one data row; nothing is appended when it is wrong. */
static gboolean
add_row (CsvState *s, char **fields, int n_fields, int line_no, GError **error)
{
  if (n_fields != s->columns)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s:%d: expected %d columns, found %d",
                   s->name, line_no, s->columns, n_fields);
      return FALSE;
    }
  int features = n_fields - 1;
  int32_t label;
  if (!parse_label (s, fields[features], line_no, &label, error))
    return FALSE;

  guint base = s->x->len;
  g_array_set_size (s->x, base + (guint) features);
  float *row = &g_array_index (s->x, float, base);
  for (int j = 0; j < features; j++)
    {
      const char *field = fields[j];
      double v = 0.0;
      const char *problem = NULL;
      gboolean quote = TRUE;
      if (*field == '\0')
        {
          problem = "empty field";
          quote = FALSE;
        }
      else if (!parse_number (field, &v))
        problem = "not a number";
      else if (!isfinite (v))
        {
          problem = "NaN or infinite value";
          quote = FALSE;
        }
      else if (!isfinite ((float) v))
        problem = "too large for a float";

      if (problem != NULL)
        {
          g_array_set_size (s->x, base);
          if (quote)
            {
              g_autofree char *q = quote_field (field);
              g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                           "%s:%d: column %d: '%s' is %s",
                           s->name, line_no, j + 1, q, problem);
            }
          else
            g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                         "%s:%d: column %d: %s", s->name, line_no, j + 1, problem);
          return FALSE;
        }
      row[j] = (float) v;
    }
  g_array_append_val (s->y, label);
  s->max_label = MAX (s->max_label, label);
  return TRUE;
}

/* Takes the class names from an sklearn header's fields[2..]. */
static gboolean
take_class_names (CsvState *s, char **fields, int n_fields, GError **error)
{
  int k = n_fields - 2;
  s->class_names = g_new0 (char *, (gsize) k + 1);
  /* A hash, not a scan of the earlier names: a 1 MiB header holds 10^5. */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 0; i < k; i++)
    {
      const char *cls = fields[i + 2];
      if (*cls == '\0')
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:1: column %d: empty class name", s->name, i + 3);
          return FALSE;
        }
      if (!g_utf8_validate (cls, -1, NULL))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:1: column %d: class name is not valid UTF-8",
                       s->name, i + 3);
          return FALSE;
        }
      if (!g_hash_table_add (seen, (gpointer) cls))
        {
          g_autofree char *q = quote_field (cls);
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:1: column %d: class name '%s' appears twice",
                       s->name, i + 3, q);
          return FALSE;
        }
      s->class_names[i] = g_strdup (cls);
    }
  s->header_classes = k;
  return TRUE;
}

/* An sklearn header: "n_samples,n_features,name,name,...". */
static gboolean
sklearn_counts (char **fields, int n_fields, gint64 *samples, gint64 *features)
{
  return n_fields >= 3
         && parse_count (fields[0], G_MAXINT, samples)
         && parse_count (fields[1], RS_CSV_MAX_COLUMNS, features)
         && *features >= 1;
}

static gboolean
start_sklearn (CsvState *s, char **fields, int n_fields, GError **error)
{
  gint64 samples = 0, features = 0;
  if (!sklearn_counts (fields, n_fields, &samples, &features))
    g_assert_not_reached ();
  s->first = FIRST_SKLEARN;
  s->header_samples = samples;
  s->columns = (int) features + 1;
  return take_class_names (s, fields, n_fields, error);
}

static gboolean
handle_first_line (CsvState *s, GPtrArray *fields, GError **error)
{
  char **f = (char **) fields->pdata;
  int n = (int) fields->len;

  if (all_numeric (fields))
    {
      /* A data row or an sklearn header with numeric class names: wait
       * for the second line. */
      s->first = FIRST_PENDING;
      s->first_fields = g_new0 (char *, (gsize) n + 1);
      for (int i = 0; i < n; i++)
        s->first_fields[i] = g_strdup (f[i]);
      return TRUE;
    }

  gint64 samples, features;
  if (sklearn_counts (f, n, &samples, &features))
    return start_sklearn (s, f, n, error);

  if (n < 2)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s:1: need at least 2 columns (features, then the label), found %d",
                   s->name, n);
      return FALSE;
    }
  s->first = FIRST_NAMES;
  s->columns = n;
  return TRUE;
}

/* The first line was all numbers; `second` is the next non-blank line
 * (NULL at end of file). */
static gboolean
decide_numeric_first_line (CsvState *s, GPtrArray *second, GError **error)
{
  char **f = s->first_fields;
  int n = (int) g_strv_length (f);
  int n2 = second != NULL ? (int) second->len : -1;
  gint64 samples, features;
  gboolean counts = sklearn_counts (f, n, &samples, &features);

  /* The header's width (2 + classes) differs from the rows' and its
   * n_features matches them: e.g. digits' "1797,64,0,...,9". Without that
   * match the line is taken as a row, since integer data rows abound. */
  if (counts && n2 >= 0 && n != n2 && features + 1 == n2)
    return start_sklearn (s, f, n, error);

  if (n < 2)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s:1: need at least 2 columns (features, then the label), found %d",
                   s->name, n);
      return FALSE;
    }

  s->columns = n;
  /* Same width: "100,3,0,1" above rows of 3 features and a label could be
   * either. It is a header only if n_samples turns out to be the row
   * count (checked at the end) and the labels fit its classes. */
  if (counts && n2 == n && features + 1 == n && n >= 4)
    {
      g_autoptr (GError) row_error = NULL;
      if (!add_row (s, f, n, 1, &row_error))
        return start_sklearn (s, f, n, error);
      s->first = FIRST_MAYBE;
      return TRUE;
    }

  s->first = FIRST_DATA;
  return add_row (s, f, n, 1, error);
}

/* At the end of the file: an undecided first line becomes a header only
 * when the evidence is complete. */
static void
settle_maybe_header (CsvState *s)
{
  gint64 samples = 0, features = 0;
  char **f = s->first_fields;
  int n = (int) g_strv_length (f);
  if (!sklearn_counts (f, n, &samples, &features))
    return;

  guint rows_after = s->y->len - 1;
  if (samples != (gint64) rows_after)
    return;
  int k = n - 2;
  int max_after = -1;
  for (guint i = 1; i < s->y->len; i++)
    max_after = MAX (max_after, g_array_index (s->y, int32_t, i));
  if (max_after >= k)
    return;
  if (!take_class_names (s, f, n, NULL))
    {
      g_clear_pointer (&s->class_names, g_strfreev);
      s->header_classes = 0;
      return;
    }

  g_array_remove_range (s->x, 0, (guint) features);
  g_array_remove_index (s->y, 0);
  s->max_label = max_after;
  s->first = FIRST_SKLEARN;
  s->header_samples = samples;
}

static RsDataset *
finish (CsvState *s, GError **error)
{
  if (s->first == FIRST_NONE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, "%s: empty file", s->name);
      return NULL;
    }
  if (s->first == FIRST_PENDING
      && !decide_numeric_first_line (s, NULL, error))
    return NULL;
  if (s->first == FIRST_MAYBE)
    settle_maybe_header (s);

  int n = (int) s->y->len;
  if (n == 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s: no data rows after the header", s->name);
      return NULL;
    }
  if (s->first == FIRST_SKLEARN && s->header_samples != n)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   "%s:1: header says %" G_GINT64_FORMAT " samples, but the file has %d data rows",
                   s->name, s->header_samples, n);
      return NULL;
    }

  int classes = s->header_classes > 0 ? s->header_classes : s->max_label + 1;
  if (classes < 2)
    {
      if (s->header_classes > 0)
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     "%s:1: the header names only 1 class; a classifier needs at least 2",
                     s->name);
      else
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     "%s: every label is 0; a classifier needs at least 2 classes",
                     s->name);
      return NULL;
    }

  RsDataset *data = g_new0 (RsDataset, 1);
  data->n = n;
  data->features = s->columns - 1;
  data->classes = classes;
  data->x = (float *) (void *) g_array_steal (s->x, NULL);
  data->y = (int32_t *) (void *) g_array_steal (s->y, NULL);
  data->class_names = g_steal_pointer (&s->class_names);
  return data;
}

static gboolean
is_blank_line (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (!is_blank (*p) && *p != '\r')
      return FALSE;
  return TRUE;
}

/* Reads every line of `r` and builds the data set. */
static RsDataset *
parse_lines (LineReader *r, GError **error)
{
  const char *name = r->name;
  CsvState s = { 0 };
  s.name = name;
  s.x = g_array_new (FALSE, FALSE, sizeof (float));
  s.y = g_array_new (FALSE, FALSE, sizeof (int32_t));
  s.max_label = -1;

  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  RsDataset *data = NULL;
  int blank_line = 0; /* the first blank line not yet followed by data */
  int rc;

  while ((rc = reader_next (r, error)) > 0)
    {
      char *line = r->line->str;
      gsize len = r->line->len;
      if (r->line_no == 1 && len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
        }
      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';

      if (is_blank_line (line))
        {
          if (blank_line == 0)
            blank_line = r->line_no;
          continue;
        }
      /* Blank lines are only allowed at the end: one in the middle usually
       * means two files were pasted together. */
      if (blank_line != 0)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:%d: empty line before more data", name, blank_line);
          goto out;
        }

      if (!split_fields (line, fields, name, r->line_no, error))
        goto out;

      if (s.first == FIRST_NONE)
        {
          /* Leading blank lines were refused above. */
          g_assert (r->line_no == 1);
          if (!handle_first_line (&s, fields, error))
            goto out;
          continue;
        }
      if (s.first == FIRST_PENDING)
        {
          if (!decide_numeric_first_line (&s, fields, error))
            goto out;
        }
      else if (s.first == FIRST_SKLEARN && s.y->len == 0
               && (int) fields->len != s.columns)
        {
          /* The header and the rows disagree: blame the header. */
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       "%s:1: header says %d features, but line %d has %u columns",
                       name, s.columns - 1, r->line_no, fields->len);
          goto out;
        }

      if (s.y->len >= (guint) G_MAXINT)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       "%s:%d: too many rows", name, r->line_no);
          goto out;
        }
      if (!add_row (&s, (char **) fields->pdata, (int) fields->len, r->line_no,
                    error))
        goto out;
    }
  if (rc < 0)
    goto out;

  data = finish (&s, error);

out:
  csv_state_clear (&s);
  return data;
}

RsDataset *
rs_dataset_load_csv (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *name = g_filename_display_name (path);

  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      int err = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", name, g_strerror (err));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: is a directory", name);
      return NULL;
    }
  if (S_ISREG (st.st_mode) && (gint64) st.st_size > RS_CSV_MAX_FILE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   "%s: file is larger than 512 MiB (%" G_GINT64_FORMAT " bytes)",
                   name, (gint64) st.st_size);
      return NULL;
    }

  FILE *fp = g_fopen (path, "rb");
  if (fp == NULL)
    {
      int err = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, "%s: %s", name, g_strerror (err));
      return NULL;
    }

  LineReader r = { 0 };
  r.fp = fp;
  r.name = name;
  r.buffer = g_malloc (RS_CSV_CHUNK);
  r.chunk = r.buffer;
  r.line = g_string_sized_new (256);

  RsDataset *data = parse_lines (&r, error);

  fclose (fp);
  g_free (r.buffer);
  g_string_free (r.line, TRUE);
  return data;
}

RsDataset *
rs_dataset_parse_csv (const char *data, gsize len, const char *name_for_errors,
                      GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *name = name_for_errors != NULL ? name_for_errors : "<memory>";
  if ((guint64) len > (guint64) RS_CSV_MAX_FILE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   "%s: file is larger than 512 MiB (%" G_GUINT64_FORMAT " bytes)",
                   name, (guint64) len);
      return NULL;
    }

  /* The whole text is one chunk and there is nothing more to read. */
  LineReader r = { 0 };
  r.name = name;
  r.chunk = data != NULL ? data : "";
  r.chunk_len = len;
  r.total = (gint64) len;
  r.eof = TRUE;
  r.line = g_string_sized_new (256);

  RsDataset *result = parse_lines (&r, error);

  g_string_free (r.line, TRUE);
  return result;
}
