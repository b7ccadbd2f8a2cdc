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
 * data row; the second line settles it (see decide_numeric_first_line).
 *
 * The separator is decided once, by the first line: ';' when it holds one
 * outside quotes, else ','. With ';' a number may use a decimal comma.
 * Whether labels are class numbers or class names is decided by the first
 * data row (see parse_label). */
#include "rs-dataset.h"

#include <errno.h>
#include <glib/gi18n.h>
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
/* A text label column with more different values than this is not a
 * class: it is an ID or a measurement. */
#define RS_CSV_MAX_TEXT_CLASSES 10000

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
          g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: read error: %s"),
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
                   _("%s: file is larger than 512 MiB"), r->name);
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
                       _("%s:%d: binary data (NUL byte)"), r->name, r->line_no);
          return -1;
        }
      if (r->line->len + take > RS_CSV_MAX_LINE)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:%d: line longer than 1 MiB"), r->name, r->line_no);
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

/* ';' when the line has one outside double quotes, else ','. */
static char
detect_separator (const char *line)
{
  gboolean quoted = FALSE;
  for (const char *p = line; *p != '\0'; p++)
    if (*p == '"')
      quoted = !quoted;
    else if (*p == ';' && !quoted)
      return ';';
  return ',';
}

/* Splits `line` in place at `sep` into `fields` (pointers into `line`),
 * blanks around each field removed. A field may be in double quotes, with
 * "" for a quote inside; quoted text is never a number's business but
 * lets a header carry names with commas. */
static gboolean
split_fields (char *line, char sep, GPtrArray *fields, const char *name, int line_no,
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
                               _("%s:%d: column %d: unterminated quote"),
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
          if (*p != sep && *p != '\0')
            {
              g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                           _("%s:%d: column %d: text after the closing quote"),
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
          char *comma = strchr (p, sep);
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

/* The whole (already stripped) field is a number: no trailing text. Where
 * ';' separates, one ',' is a decimal mark ("5,1"), as spreadsheets in
 * many languages write it; a field with both '.' and ',' is not a number. */
static gboolean
parse_number (const char *field, char sep, double *out)
{
  if (*field == '\0')
    return FALSE;
  const char *comma = sep == ';' ? strchr (field, ',') : NULL;
  char small[64];
  g_autofree char *big = NULL;
  const char *text = field;
  if (comma != NULL)
    {
      if (strchr (comma + 1, ',') != NULL || strchr (field, '.') != NULL)
        return FALSE;
      gsize len = strlen (field);
      char *copy = len < sizeof small ? small : (big = g_malloc (len + 1));
      memcpy (copy, field, len + 1);
      copy[comma - field] = '.';
      text = copy;
    }
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
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

/* Every field but `except` (-1: none) is a number. */
static gboolean
all_numeric_but (GPtrArray *fields, char sep, int except)
{
  for (guint i = 0; i < fields->len; i++)
    {
      double v;
      if ((int) i != except && !parse_number (g_ptr_array_index (fields, i), sep, &v))
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

typedef enum {
  LABELS_UNKNOWN,  /* no data row yet */
  LABELS_NUMBERS,  /* class numbers 0, 1, ... (or 1..K) */
  LABELS_NAMES,    /* class names: "setosa", ... */
} LabelKind;

typedef enum {
  SPEC_LAST,       /* the label is the last column */
  SPEC_POSITION,   /* the label is column `position` (from 1) */
  SPEC_NAME,       /* the label is the column the header names so */
} LabelSpec;

typedef struct {
  const char *name;
  char        sep;            /* ',' or ';', from the first line */
  LabelSpec   spec;
  const char *spec_name;      /* SPEC_NAME: the column name */
  gint64      spec_position;  /* SPEC_POSITION: 1-based */
  FirstLine   first;
  char      **first_fields;   /* copy of an all-numeric first line */
  int         columns;        /* expected on every data line */
  int         label_col;      /* 0-based column of the label */
  int         index_col;      /* pandas' index column, dropped; -1: none */
  char       *first_name;     /* FIRST_NAMES: the first column's name */
  gint64      header_samples; /* sklearn header's n_samples */
  char      **class_names;    /* from an sklearn header */
  int         header_classes; /* 0 when the header names none */
  GHashTable *header_ids;     /* class name -> index + 1, made when needed */
  GArray     *x;              /* float */
  GArray     *y;              /* int32_t */
  int         max_label;
  LabelKind   labels;
  int         first_label_line;
  GHashTable *text_ids;       /* class name -> id + 1, ids in order of appearance */
  GPtrArray  *text_names;     /* id -> class name (owned) */
} CsvState;

static void
csv_state_clear (CsvState *s)
{
  g_strfreev (s->first_fields);
  g_free (s->first_name);
  g_strfreev (s->class_names);
  if (s->header_ids != NULL)
    g_hash_table_unref (s->header_ids);
  if (s->text_ids != NULL)
    g_hash_table_unref (s->text_ids);
  if (s->text_names != NULL)
    g_ptr_array_unref (s->text_names);
  if (s->x != NULL)
    g_array_unref (s->x);
  if (s->y != NULL)
    g_array_unref (s->y);
}

/* NULL, "" or "last": SPEC_LAST; a position counted from 1 (all digits,
 * *position 0 when out of range); anything else is a column name. */
static LabelSpec
classify_label_spec (const char *spec, gint64 *position)
{
  *position = 0;
  if (spec == NULL || *spec == '\0' || strcmp (spec, "last") == 0)
    return SPEC_LAST;
  for (const char *p = spec; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return SPEC_NAME;
  guint64 v = 0;
  if (g_ascii_string_to_unsigned (spec, 10, 1, RS_CSV_MAX_COLUMNS, &v, NULL))
    *position = (gint64) v;
  return SPEC_POSITION;
}

gboolean
rs_csv_label_column_is_valid (const char *label_column)
{
  gint64 position;
  return classify_label_spec (label_column, &position) != SPEC_POSITION || position > 0;
}

/* Reads options->label_column (see classify_label_spec). */
static gboolean
parse_label_spec (CsvState *s, const RsCsvOptions *options, GError **error)
{
  const char *spec = options != NULL ? options->label_column : NULL;
  s->spec = classify_label_spec (spec, &s->spec_position);
  s->spec_name = spec;
  if (s->spec == SPEC_POSITION && s->spec_position == 0)
    {
      g_autofree char *q = quote_field (spec);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: label column %s: expected a column name, 'last' or a position "
                     "from 1 to %d"), s->name, q, RS_CSV_MAX_COLUMNS);
      return FALSE;
    }
  return TRUE;
}

/* The column names of a header, for a message: the first few. */
static char *
list_names (char **names, int n)
{
  GString *out = g_string_new (NULL);
  for (int i = 0; i < n && i < 8; i++)
    {
      g_autofree char *q = quote_field (names[i]);
      g_string_append_printf (out, "%s'%s'", i > 0 ? ", " : "", q);
    }
  if (n > 8)
    g_string_append (out, ", ...");
  return g_string_free (out, FALSE);
}

/* pandas writes its index as the first column under an empty name
 * (to_csv's default); read back without index_col=0 it is "Unnamed: 0". */
static gboolean
is_index_name (const char *name)
{
  return *name == '\0' || strcmp (name, "Unnamed: 0") == 0;
}

/* Every data line has n columns: find the label among them, and the
 * index column when `header` (the column names, or NULL) shows one. */
static gboolean
set_columns (CsvState *s, int n, char **header, GError **error)
{
  if (n < 2)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:1: need at least 2 columns (features, then the label), found %d"),
                   s->name, n);
      return FALSE;
    }
  s->columns = n;
  s->index_col = -1;
  switch (s->spec)
    {
    case SPEC_LAST:
      s->label_col = n - 1;
      break;
    case SPEC_POSITION:
      if (s->spec_position > n)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s:1: label column %lld does not exist: the file has %d columns"),
                       s->name, (long long) s->spec_position, n);
          return FALSE;
        }
      s->label_col = (int) s->spec_position - 1;
      break;
    case SPEC_NAME:
    default:
      {
        g_autofree char *q = quote_field (s->spec_name);
        if (header == NULL)
          {
            g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                         _("%s:1: label column '%s' is a name, but line 1 is not a "
                           "header of column names"), s->name, q);
            return FALSE;
          }
        s->label_col = -1;
        for (int i = 0; i < n; i++)
          if (strcmp (header[i], s->spec_name) == 0)
            {
              if (s->label_col >= 0)
                {
                  g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                               _("%s:1: columns %d and %d are both named '%s'"),
                               s->name, s->label_col + 1, i + 1, q);
                  return FALSE;
                }
              s->label_col = i;
            }
        if (s->label_col < 0)
          {
            g_autofree char *names = list_names (header, n);
            g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                         _("%s:1: no column is named '%s' (the header has %s)"),
                         s->name, q, names);
            return FALSE;
          }
      }
      break;
    }
  if (header != NULL && s->label_col != 0 && is_index_name (header[0]))
    {
      s->index_col = 0;
      if (n < 3)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:1: the first column is an index (its name is empty), and "
                         "besides it and the label there is no feature column"), s->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* A class name: its class in the sklearn header, or a new or known id. */
static gboolean
text_label (CsvState *s, const char *field, int line_no, int32_t *out, GError **error)
{
  if (!g_utf8_validate (field, -1, NULL))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:%d: label is not valid UTF-8 text"), s->name, line_no);
      return FALSE;
    }
  if (s->header_classes > 0)
    {
      if (s->header_ids == NULL)
        {
          s->header_ids = g_hash_table_new (g_str_hash, g_str_equal);
          for (int k = 0; k < s->header_classes; k++)
            g_hash_table_insert (s->header_ids, s->class_names[k], GINT_TO_POINTER (k + 1));
        }
      int id = GPOINTER_TO_INT (g_hash_table_lookup (s->header_ids, field));
      if (id == 0)
        {
          g_autofree char *q = quote_field (field);
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s:%d: label '%s' is not one of the %d classes named in the header"),
                       s->name, line_no, q, s->header_classes);
          return FALSE;
        }
      *out = id - 1;
      return TRUE;
    }

  if (s->text_ids == NULL)
    {
      s->text_ids = g_hash_table_new (g_str_hash, g_str_equal);
      s->text_names = g_ptr_array_new_with_free_func (g_free);
    }
  int id = GPOINTER_TO_INT (g_hash_table_lookup (s->text_ids, field));
  if (id == 0)
    {
      if (s->text_names->len >= RS_CSV_MAX_TEXT_CLASSES)
        {
          g_autofree char *q = quote_field (field);
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s:%d: label '%s' makes more than %d different class names; "
                         "is column %d really the class?"),
                       s->name, line_no, q, RS_CSV_MAX_TEXT_CLASSES, s->label_col + 1);
          return FALSE;
        }
      char *copy = g_strdup (field);
      g_ptr_array_add (s->text_names, copy);
      id = (int) s->text_names->len;
      g_hash_table_insert (s->text_ids, copy, GINT_TO_POINTER (id));
    }
  *out = id - 1;
  return TRUE;
}

/* The first data row decides: a number makes every label a class number,
 * anything else makes every label a class name. */
static gboolean
parse_label (CsvState *s, const char *field, int line_no, int32_t *out,
             GError **error)
{
  double v;
  if (*field == '\0')
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s:%d: empty label"),
                   s->name, line_no);
      return FALSE;
    }
  gboolean number = parse_number (field, s->sep, &v);
  if (s->labels == LABELS_UNKNOWN)
    {
      s->labels = number ? LABELS_NUMBERS : LABELS_NAMES;
      s->first_label_line = line_no;
    }
  if (s->labels == LABELS_NAMES)
    return text_label (s, field, line_no, out, error);
  if (!number)
    {
      g_autofree char *q = quote_field (field);
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:%d: label '%s' is not a number, but the first label (line %d) is"),
                   s->name, line_no, q, s->first_label_line);
      return FALSE;
    }
  if (!isfinite (v) || v < 0.0 || v != floor (v))
    {
      g_autofree char *q = quote_field (field);
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:%d: label '%s' is not a non-negative integer"),
                   s->name, line_no, q);
      return FALSE;
    }
  if (v > RS_CSV_MAX_LABEL)
    {
      g_autofree char *q = quote_field (field);
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s:%d: label '%s' is too large (at most %d)"),
                   s->name, line_no, q, RS_CSV_MAX_LABEL);
      return FALSE;
    }
  int32_t label = (int32_t) v;
  if (s->header_classes > 0 && label >= s->header_classes)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s:%d: label %d is out of range for the %d classes in the header"),
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
                   _("%s:%d: expected %d columns, found %d"),
                   s->name, line_no, s->columns, n_fields);
      return FALSE;
    }
  int32_t label;
  if (!parse_label (s, fields[s->label_col], line_no, &label, error))
    return FALSE;

  int features = n_fields - 1 - (s->index_col >= 0);
  guint base = s->x->len;
  g_array_set_size (s->x, base + (guint) features);
  float *row = &g_array_index (s->x, float, base);
  int j = 0;
  for (int c = 0; c < n_fields; c++)
    {
      if (c == s->label_col || c == s->index_col)
        continue;
      const char *field = fields[c];
      double v = 0.0;
      const char *problem = NULL;
      gboolean quote = TRUE;
      if (*field == '\0')
        {
          problem = "empty field";
          quote = FALSE;
        }
      else if (!parse_number (field, s->sep, &v))
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
                           _("%s:%d: column %d: '%s' is %s"),
                           s->name, line_no, c + 1, q, problem);
            }
          else
            g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                         _("%s:%d: column %d: %s"), s->name, line_no, c + 1, problem);
          return FALSE;
        }
      row[j++] = (float) v;
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
                       _("%s:1: column %d: empty class name"), s->name, i + 3);
          return FALSE;
        }
      if (!g_utf8_validate (cls, -1, NULL))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:1: column %d: class name is not valid UTF-8"),
                       s->name, i + 3);
          return FALSE;
        }
      if (!g_hash_table_add (seen, (gpointer) cls))
        {
          g_autofree char *q = quote_field (cls);
          g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                       _("%s:1: column %d: class name '%s' appears twice"),
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
  return set_columns (s, (int) features + 1, NULL, error)
         && take_class_names (s, fields, n_fields, error);
}

static gboolean
handle_first_line (CsvState *s, GPtrArray *fields, GError **error)
{
  char **f = (char **) fields->pdata;
  int n = (int) fields->len;

  if (all_numeric_but (fields, s->sep, -1))
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

  /* Numbers and a class name where the label goes: "5.1,3.5,setosa" is
   * a data row, not a header. */
  if (s->spec != SPEC_NAME && n >= 2)
    {
      gint64 label = s->spec == SPEC_LAST ? n - 1 : s->spec_position - 1;
      if (label < n && *f[label] != '\0' && all_numeric_but (fields, s->sep, (int) label))
        {
          s->first = FIRST_DATA;
          return set_columns (s, n, NULL, error) && add_row (s, f, n, 1, error);
        }
    }

  s->first = FIRST_NAMES;
  s->first_name = g_strdup (f[0]);
  return set_columns (s, n, f, error);
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

  if (!set_columns (s, n, NULL, error))
    return FALSE;
  /* Same width: "100,3,0,1" above rows of 3 features and a label could be
   * either. It is a header only if n_samples turns out to be the row
   * count (checked at the end) and the labels fit its classes. */
  if (counts && n2 == n && features + 1 == n && n >= 4)
    {
      g_autoptr (GError) row_error = NULL;
      if (!add_row (s, f, n, 1, &row_error))
        {
          s->labels = LABELS_UNKNOWN;
          return start_sklearn (s, f, n, error);
        }
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

static int
compare_names (gconstpointer a, gconstpointer b, gpointer user_data)
{
  char **names = user_data;
  return strcmp (names[*(const int *) a], names[*(const int *) b]);
}

/* Class names in sorted order (as sklearn's LabelEncoder and
 * sorted(set(labels)) give them), so the classes do not depend on which
 * row comes first. */
static char **
sort_text_classes (CsvState *s, int32_t *y, int n)
{
  int k = (int) s->text_names->len;
  char **names = (char **) s->text_names->pdata;
  g_autofree int *order = g_new (int, k);
  g_autofree int32_t *rank = g_new (int32_t, k);
  for (int i = 0; i < k; i++)
    order[i] = i;
  g_qsort_with_data (order, k, sizeof (int), compare_names, names);
  char **sorted = g_new0 (char *, (gsize) k + 1);
  for (int r = 0; r < k; r++)
    {
      rank[order[r]] = r;
      sorted[r] = g_strdup (names[order[r]]);
    }
  for (int i = 0; i < n; i++)
    y[i] = rank[y[i]];
  return sorted;
}

/* Class numbers whose set is exactly {1, ..., K} with K >= 2 (no 0) are
 * numbered from 1 in the file: shift them to 0..K-1 so that K classes are
 * K outputs, and keep "1".."K" as the class names for the plots. Any
 * other set (one with a 0, or a gap) is taken as it is. */
static char **
shift_one_based (int32_t *y, int n, int max_label)
{
  if (max_label < 2)
    return NULL;
  g_autofree guint8 *seen = g_new0 (guint8, (gsize) max_label + 1);
  for (int i = 0; i < n; i++)
    seen[y[i]] = 1;
  if (seen[0])
    return NULL;
  for (int k = 1; k <= max_label; k++)
    if (!seen[k])
      return NULL;
  for (int i = 0; i < n; i++)
    y[i]--;
  char **names = g_new0 (char *, (gsize) max_label + 1);
  for (int k = 0; k < max_label; k++)
    names[k] = g_strdup_printf ("%d", k + 1);
  return names;
}

/* A first feature column that counts the rows 0, 1, 2, ... (or 1, 2, 3,
 * ...) is an index written with the data, not a measurement: it would let
 * the network learn row numbers. */
static gboolean
check_no_index_feature (CsvState *s, const RsDataset *data, GError **error)
{
  if (data->n < 3 || s->label_col == 0 || s->index_col == 0)
    return TRUE;
  gsize f = (gsize) data->features;
  float base = data->x[0];
  if (base != 0.0f && base != 1.0f)
    return TRUE;
  for (int i = 0; i < data->n; i++)
    if (data->x[(gsize) i * f] != base + (float) i)
      return TRUE;
  g_autofree char *named = NULL;
  if (s->first_name != NULL)
    {
      g_autofree char *q = quote_field (s->first_name);
      named = g_strdup_printf (" ('%s')", q);
    }
  g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
               _("%s: column 1%s counts the rows %s like a pandas index, not a feature; "
                 "remove it, or leave its header name empty to have it dropped"),
               s->name, named != NULL ? named : "",
               base == 0.0f ? "0, 1, 2, ..." : "1, 2, 3, ...");
  return FALSE;
}

static RsDataset *
finish (CsvState *s, GError **error)
{
  if (s->first == FIRST_NONE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("%s: empty file"), s->name);
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
                   _("%s: no data rows after the header"), s->name);
      return NULL;
    }
  if (s->first == FIRST_SKLEARN && s->header_samples != n)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE,
                   _("%s:1: header says %lld samples, but the file has %d data rows"),
                   s->name, (long long) s->header_samples, n);
      return NULL;
    }

  int32_t *y = &g_array_index (s->y, int32_t, 0);
  char **names = g_steal_pointer (&s->class_names);
  int classes;
  if (s->header_classes > 0)
    classes = s->header_classes;
  else if (s->labels == LABELS_NAMES)
    {
      names = sort_text_classes (s, y, n);
      classes = (int) s->text_names->len;
    }
  else
    {
      names = shift_one_based (y, n, s->max_label);
      classes = names != NULL ? s->max_label : s->max_label + 1;
    }

  if (classes < 2)
    {
      if (s->header_classes > 0)
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     _("%s:1: the header names only 1 class; a classifier needs at least 2"),
                     s->name);
      else if (s->labels == LABELS_NAMES)
        {
          g_autofree char *q = quote_field (names[0]);
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s: every label is '%s'; a classifier needs at least 2 classes"),
                       s->name, q);
        }
      else
        g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                     _("%s: every label is 0; a classifier needs at least 2 classes"),
                     s->name);
      g_strfreev (names);
      return NULL;
    }

  RsDataset *data = g_new0 (RsDataset, 1);
  data->n = n;
  data->features = s->columns - 1 - (s->index_col >= 0);
  data->classes = classes;
  data->x = (float *) (void *) g_array_steal (s->x, NULL);
  data->y = (int32_t *) (void *) g_array_steal (s->y, NULL);
  data->class_names = names;
  if (!check_no_index_feature (s, data, error))
    {
      rs_dataset_free (data);
      return NULL;
    }
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

void
rs_csv_info_clear (RsCsvInfo *info)
{
  if (info == NULL)
    return;
  g_strfreev (info->column_names);
  for (int i = 0; i < info->n_rows; i++)
    g_strfreev (info->rows[i]);
  memset (info, 0, sizeof *info);
  info->index_column = -1;
}

/* What the preview shows, from the first lines as split (`lines`: the
 * first RS_CSV_PREVIEW_ROWS + 1 non-blank ones) and what the reader made
 * of line 1. */
static void
fill_info (const CsvState *s, GPtrArray *lines, RsCsvInfo *info)
{
  rs_csv_info_clear (info);
  info->header = s->first == FIRST_NAMES ? RS_CSV_HEADER_NAMES
               : s->first == FIRST_SKLEARN ? RS_CSV_HEADER_SKLEARN : RS_CSV_HEADER_NONE;
  info->separator = s->sep;
  info->columns = s->columns;
  info->label_column = s->label_col;
  info->index_column = s->index_col;
  guint first_row = info->header == RS_CSV_HEADER_NONE ? 0 : 1;
  if (info->header == RS_CSV_HEADER_NAMES && lines->len > 0)
    info->column_names = g_strdupv (g_ptr_array_index (lines, 0));
  for (guint i = first_row; i < lines->len && info->n_rows < RS_CSV_PREVIEW_ROWS; i++)
    info->rows[info->n_rows++] = g_strdupv (g_ptr_array_index (lines, i));
}

/* Reads every line of `r` and builds the data set. */
static RsDataset *
parse_lines (LineReader *r, const RsCsvOptions *options, GError **error)
{
  const char *name = r->name;
  CsvState s = { 0 };
  s.name = name;
  if (!parse_label_spec (&s, options, error))
    return NULL;
  s.x = g_array_new (FALSE, FALSE, sizeof (float));
  s.y = g_array_new (FALSE, FALSE, sizeof (int32_t));
  s.max_label = -1;

  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  /* the first lines' fields, for RsCsvInfo */
  g_autoptr (GPtrArray) preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  RsCsvInfo *info = options != NULL ? options->info : NULL;
  RsDataset *data = NULL;
  if (info != NULL)
    rs_csv_info_clear (info); /* a failure leaves nothing from an earlier file */
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
                       _("%s:%d: empty line before more data"), name, blank_line);
          goto out;
        }

      if (s.sep == '\0')
        s.sep = detect_separator (line);
      if (!split_fields (line, s.sep, fields, name, r->line_no, error))
        goto out;
      if (info != NULL && preview->len <= RS_CSV_PREVIEW_ROWS)
        {
          char **copy = g_new0 (char *, fields->len + 1);
          for (guint i = 0; i < fields->len; i++)
            copy[i] = g_strdup (g_ptr_array_index (fields, i));
          g_ptr_array_add (preview, copy);
        }

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
                       _("%s:1: header says %d features, but line %d has %u columns"),
                       name, s.columns - 1, r->line_no, fields->len);
          goto out;
        }

      if (s.y->len >= (guint) G_MAXINT)
        {
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s:%d: too many rows"), name, r->line_no);
          goto out;
        }
      if (!add_row (&s, (char **) fields->pdata, (int) fields->len, r->line_no,
                    error))
        goto out;
    }
  if (rc < 0)
    goto out;

  data = finish (&s, error);
  if (data != NULL && info != NULL)
    fill_info (&s, preview, info);

out:
  csv_state_clear (&s);
  return data;
}

RsDataset *
rs_dataset_load_csv (const char *path, GError **error)
{
  return rs_dataset_load_csv_with (path, NULL, error);
}

RsDataset *
rs_dataset_load_csv_with (const char *path, const RsCsvOptions *options, GError **error)
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
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: is a directory"), name);
      return NULL;
    }
  if (S_ISREG (st.st_mode) && (gint64) st.st_size > RS_CSV_MAX_FILE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: file is larger than 512 MiB (%lld bytes)"),
                   name, (long long) st.st_size);
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

  RsDataset *data = parse_lines (&r, options, error);

  fclose (fp);
  g_free (r.buffer);
  g_string_free (r.line, TRUE);
  return data;
}

RsDataset *
rs_dataset_parse_csv (const char *data, gsize len, const char *name_for_errors,
                      GError **error)
{
  return rs_dataset_parse_csv_with (data, len, name_for_errors, NULL, error);
}

RsDataset *
rs_dataset_parse_csv_with (const char *data, gsize len, const char *name_for_errors,
                           const RsCsvOptions *options, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *name = name_for_errors != NULL ? name_for_errors : "<memory>";
  if ((guint64) len > (guint64) RS_CSV_MAX_FILE)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: file is larger than 512 MiB (%lld bytes)"),
                   name, (long long) len);
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

  RsDataset *result = parse_lines (&r, options, error);

  g_string_free (r.line, TRUE);
  return result;
}
