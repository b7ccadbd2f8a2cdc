#include "rs-safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs-atomic-file.h"
#include "rs-error.h"

/* The reference implementation refuses headers above 100 MB; so do we, so a
 * corrupt length cannot make us allocate gigabytes. */
#define RS_SAFETENSORS_MAX_HEADER G_GUINT64_CONSTANT (100000000)

/* json-glib needs some 40 bytes of nodes per byte of "[0,0,0,...]": a
 * header at the size limit could take gigabytes. A real one holds a few
 * values per tensor, so more than this many are refused unparsed. */
#define RS_SAFETENSORS_MAX_VALUES 1000000

/* regscope's models stop at 64 Mi parameters (RS_MAX_PARAMS): 256 MiB of
 * floats and a small header. Twice that is the most a file may hold, so a
 * huge or endless file is refused before it is read into memory. */
#define RS_SAFETENSORS_MAX_FILE (G_GUINT64_CONSTANT (512) * 1024 * 1024)

/* A real header nests three levels (root, entry, shape).  json-glib parses
 * recursively and overflows the stack on "[[[[...", so deeper headers are
 * refused before it sees them. */
#define RS_SAFETENSORS_MAX_DEPTH 32

/* Tensor names come from the file: escape control characters and cut long
 * ones so every message stays one readable line. */
static char *
display_name (const char *name)
{
  GString *s = g_string_new (NULL);
  glong n_chars = 0;
  for (const char *p = name; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      /* Count characters, not bytes, so UTF-8 is never cut in half. */
      if ((c & 0xc0) != 0x80 && ++n_chars > 64)
        {
          g_string_append (s, "...");
          break;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\x%02x", c);
      else
        g_string_append_c (s, (char) c);
    }
  return g_string_free (s, FALSE);
}

static void set_error (GError **error, RsErrorCode code, const char *file,
                       const char *tensor, const char *format, ...) G_GNUC_PRINTF (5, 6);

/* "FILE: tensor 'NAME': message" or "FILE: message". */
static void
set_error (GError **error, RsErrorCode code, const char *file, const char *tensor,
           const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (_(format), args);
  va_end (args);
  if (tensor != NULL)
    {
      g_autofree char *shown = display_name (tensor);
      g_set_error (error, RS_ERROR, code, _("%s: tensor '%s': %s"), file, shown, message);
    }
  else
    g_set_error (error, RS_ERROR, code, "%s: %s", file, message);
}

static char *
format_shape (const gint64 *shape, int n_dims)
{
  GString *s = g_string_new ("[");
  for (int i = 0; i < n_dims; i++)
    g_string_append_printf (s, i ? ", %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* ---- header lexical check ---------------------------------------------- */

static gboolean
is_hex (char c)
{
  return g_ascii_isxdigit (c);
}

static guint
hex4 (const char *p)
{
  return (guint) (g_ascii_xdigit_value (p[0]) << 12 | g_ascii_xdigit_value (p[1]) << 8
                  | g_ascii_xdigit_value (p[2]) << 4 | g_ascii_xdigit_value (p[3]));
}

static gboolean
is_json_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *not_json (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* "header is not valid JSON: " and the details. */
static char *
not_json (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *details = g_strdup_vprintf (_(format), args);
  va_end (args);
  return g_strconcat (_("header is not valid JSON: "), details, NULL);
}

/* Checks what json-glib's lenient scanner would otherwise accept or get
 * wrong: only standard JSON strings and escapes, no comments or single
 * quotes, a bounded nesting depth, and nothing but blanks after the
 * object or array that opens the text (json-glib 1.6 leaks the nodes it
 * built when a value is followed by more).  Because strings are tokenised
 * exactly as JSON defines them, the depth counted here is the depth the
 * parser will recurse to.  Returns NULL or the message for the problem. */
static char *
check_header_lexically (const char *text, gsize len)
{
  int depth = 0;
  gboolean closed = FALSE;  /* the outermost object or array has ended */
  guint values = 0;         /* containers, ':' and ',': about one per node */
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      if (closed && !is_json_blank (c))
        return not_json ("text after the end of the header at byte %zu", i);
      if (c == '"')
        {
          gsize start = i;
          for (i++; i < len && text[i] != '"'; i++)
            {
              if ((guchar) text[i] < 0x20)
                return not_json ("control character in the string at byte %zu",
                                        start);
              if (text[i] != '\\')
                continue;
              if (i + 1 >= len)
                return not_json ("unterminated string at byte %zu", start);
              char e = text[++i];
              if (e != '\0' && strchr ("\"\\/bfnrt", e) != NULL)
                continue;
              if (e != 'u' || i + 4 >= len || !is_hex (text[i + 1]) || !is_hex (text[i + 2])
                  || !is_hex (text[i + 3]) || !is_hex (text[i + 4]))
                return not_json ("invalid escape in the string at byte %zu",
                                        start);
              guint u = hex4 (text + i + 1);
              i += 4;
              if (u >= 0xdc00 && u <= 0xdfff)
                return not_json ("lone surrogate in the string at byte %zu",
                                        start);
              if (u >= 0xd800 && u <= 0xdbff)
                {
                  /* A high surrogate must be followed by a low one. */
                  if (i + 6 >= len || text[i + 1] != '\\' || text[i + 2] != 'u'
                      || !is_hex (text[i + 3]) || !is_hex (text[i + 4])
                      || !is_hex (text[i + 5]) || !is_hex (text[i + 6]))
                    return not_json ("lone surrogate in the string at byte %zu", start);
                  guint low = hex4 (text + i + 3);
                  if (low < 0xdc00 || low > 0xdfff)
                    return not_json ("lone surrogate in the string at byte %zu", start);
                  i += 6;
                }
            }
          if (i >= len)
            return not_json ("unterminated string at byte %zu", start);
          continue;
        }
      if ((c == '{' || c == '[' || c == ':' || c == ',')
          && ++values > RS_SAFETENSORS_MAX_VALUES)
        return g_strdup_printf ("header has more than %d values", RS_SAFETENSORS_MAX_VALUES);
      switch (c)
        {
        case '{':
        case '[':
          if (++depth > RS_SAFETENSORS_MAX_DEPTH)
            return not_json ("nested deeper than %d levels", RS_SAFETENSORS_MAX_DEPTH);
          break;
        case '}':
        case ']':
          if (--depth <= 0)
            closed = TRUE;
          break;
        case ' ': case '\t': case '\r': case '\n':
        case ':': case ',': case '+': case '-': case '.':
          break;
        default:
          /* Digits and the letters of true/false/null/exponents. */
          if (!g_ascii_isalnum (c))
            {
              if (g_ascii_isprint (c))
                return not_json ("unexpected character '%c' at byte %zu",
                                        c, i);
              return not_json ("unexpected byte 0x%02x at byte %zu",
                                      (guchar) c, i);
            }
          break;
        }
    }
  return NULL;
}

/* ---- duplicate keys ------------------------------------------------------ */

/* json-glib silently keeps the last of two equal keys, but it announces every
 * member with "object-member"; remembering (object, name) pairs finds the
 * repeats.  The objects stay alive during the parse, so pointers are unique. */
typedef struct {
  GHashTable *seen;  /* "pointer/name" */
  GHashTable *dups;  /* JsonObject * -> first repeated name */
} DupTracker;

static void
on_object_member (JsonParser *parser, JsonObject *object, const char *name, gpointer user_data)
{
  DupTracker *t = user_data;
  char *key = g_strdup_printf ("%p/%s", (void *) object, name);
  if (!g_hash_table_add (t->seen, key) && !g_hash_table_contains (t->dups, object))
    g_hash_table_insert (t->dups, object, g_strdup (name));
}

/* ---- parsing ------------------------------------------------------------- */

/* Every dtype of the format, with its element size: a tensor of any of
 * them is laid out and checked; only F32 data are read. */
static const struct {
  const char *name;
  guint       size;
} dtypes[] = {
  { "F32", 4 }, { "F64", 8 }, { "F16", 2 }, { "BF16", 2 }, { "F8_E4M3", 1 },
  { "F8_E5M2", 1 }, { "I64", 8 }, { "I32", 4 }, { "I16", 2 }, { "I8", 1 },
  { "U64", 8 }, { "U32", 4 }, { "U16", 2 }, { "U8", 1 }, { "BOOL", 1 },
};

guint
rs_safetensors_dtype_size (const char *dtype)
{
  for (gsize i = 0; dtype != NULL && i < G_N_ELEMENTS (dtypes); i++)
    if (strcmp (dtypes[i].name, dtype) == 0)
      return dtypes[i].size;
  return 0;
}

/* The table's own copy of a dtype name, so tensors can point at it. */
static const char *
dtype_name (const char *dtype)
{
  for (gsize i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (strcmp (dtypes[i].name, dtype) == 0)
      return dtypes[i].name;
  return NULL;
}

typedef struct {
  const char *name;   /* owned by the JSON tree */
  const char *dtype;  /* from dtypes[] */
  guint       size;   /* bytes per element */
  int         n_dims;
  gint64      shape[4];
  guint64     count;
  guint64     begin, end;
  guint       order;  /* position in the header, to keep sorting stable */
} Entry;

static gboolean
node_get_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_entry (const char *file, const char *name, JsonNode *node, GHashTable *dups,
             guint64 data_len, Entry *entry, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_error (error, RS_ERROR_PARSE, file, name, "entry is not a JSON object");
      return FALSE;
    }
  JsonObject *obj = json_node_get_object (node);
  const char *dup = g_hash_table_lookup (dups, obj);
  if (dup != NULL)
    {
      g_autofree char *shown = display_name (dup);
      set_error (error, RS_ERROR_PARSE, file, name, "duplicate key '%s'", shown);
      return FALSE;
    }

  /* dtype */
  JsonNode *dtype = json_object_get_member (obj, "dtype");
  if (dtype == NULL)
    {
      set_error (error, RS_ERROR_PARSE, file, name, "missing \"dtype\"");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (dtype) || json_node_get_value_type (dtype) != G_TYPE_STRING)
    {
      set_error (error, RS_ERROR_PARSE, file, name, "\"dtype\" is not a string");
      return FALSE;
    }
  const char *dtype_str = json_node_get_string (dtype);
  entry->dtype = dtype_str != NULL ? dtype_name (dtype_str) : NULL;
  if (entry->dtype == NULL)
    {
      g_autofree char *shown = display_name (dtype_str ? dtype_str : "");
      set_error (error, RS_ERROR_VALUE, file, name, "unknown dtype %s", shown);
      return FALSE;
    }
  entry->size = rs_safetensors_dtype_size (entry->dtype);

  /* shape */
  JsonNode *shape = json_object_get_member (obj, "shape");
  if (shape == NULL)
    {
      set_error (error, RS_ERROR_PARSE, file, name, "missing \"shape\"");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (shape))
    {
      set_error (error, RS_ERROR_PARSE, file, name, "\"shape\" is not an array");
      return FALSE;
    }
  JsonArray *dims = json_node_get_array (shape);
  guint n_dims = json_array_get_length (dims);
  if (n_dims > 4)
    {
      set_error (error, RS_ERROR_VALUE, file, name,
                 "shape has %u dimensions (at most 4 are supported)", n_dims);
      return FALSE;
    }
  entry->name = name;
  entry->n_dims = (int) n_dims;
  entry->count = 1;  /* a 0-dim tensor is a scalar */
  gboolean overflow = FALSE;
  for (guint i = 0; i < n_dims; i++)
    {
      gint64 d;
      if (!node_get_int (json_array_get_element (dims, i), &d))
        {
          set_error (error, RS_ERROR_PARSE, file, name, "shape[%u] is not an integer", i);
          return FALSE;
        }
      if (d < 0)
        {
          set_error (error, RS_ERROR_VALUE, file, name,
                     "shape[%u] is negative (%lld)", i, (long long) d);
          return FALSE;
        }
      entry->shape[i] = d;
      /* Keep count * size representable; a later zero dimension does not
       * excuse an absurd shape. */
      if (d != 0 && entry->count > G_MAXUINT64 / entry->size / (guint64) d)
        overflow = TRUE;
      else
        entry->count *= (guint64) d;
    }
  for (guint i = n_dims; i < 4; i++)
    entry->shape[i] = 0;
  if (overflow)
    {
      g_autofree char *s = format_shape (entry->shape, entry->n_dims);
      set_error (error, RS_ERROR_SHAPE, file, name, "shape %s has too many elements", s);
      return FALSE;
    }

  /* data_offsets */
  JsonNode *offsets = json_object_get_member (obj, "data_offsets");
  if (offsets == NULL)
    {
      set_error (error, RS_ERROR_PARSE, file, name, "missing \"data_offsets\"");
      return FALSE;
    }
  gint64 begin, end;
  JsonArray *pair = JSON_NODE_HOLDS_ARRAY (offsets) ? json_node_get_array (offsets) : NULL;
  if (pair == NULL || json_array_get_length (pair) != 2
      || !node_get_int (json_array_get_element (pair, 0), &begin)
      || !node_get_int (json_array_get_element (pair, 1), &end))
    {
      set_error (error, RS_ERROR_PARSE, file, name,
                 "\"data_offsets\" is not an array of two integers");
      return FALSE;
    }
  if (begin < 0 || end < 0)
    {
      set_error (error, RS_ERROR_VALUE, file, name,
                 "data_offsets [%lld, %lld] are negative", (long long) begin, (long long) end);
      return FALSE;
    }
  if (end < begin)
    {
      set_error (error, RS_ERROR_VALUE, file, name,
                 "data_offsets [%lld, %lld] end before they begin",
                 (long long) begin, (long long) end);
      return FALSE;
    }
  if ((guint64) end > data_len)
    {
      set_error (error, RS_ERROR_SHAPE, file, name,
                 "data_offsets [%lld, %lld] run past the end of the data section (%llu bytes)",
                 (long long) begin, (long long) end, (unsigned long long) data_len);
      return FALSE;
    }
  entry->begin = (guint64) begin;
  entry->end = (guint64) end;
  if (entry->end - entry->begin != entry->count * entry->size)
    {
      g_autofree char *s = format_shape (entry->shape, entry->n_dims);
      set_error (error, RS_ERROR_SHAPE, file, name,
                 "shape %s needs %llu bytes but data_offsets [%lld, %lld] hold %llu",
                 s, (unsigned long long) (entry->count * entry->size), (long long) begin,
                 (long long) end, (unsigned long long) (entry->end - entry->begin));
      return FALSE;
    }
  return TRUE;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static float *
copy_floats (const guint8 *src, guint64 count)
{
  float *dst = g_new (float, count);
  if (count == 0)
    return dst;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  memcpy (dst, src, count * 4);
#else
  /* The file is little-endian: swap the bit patterns, not the values. */
  for (guint64 i = 0; i < count; i++)
    {
      guint32 bits;
      memcpy (&bits, src + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (dst + i, &bits, 4);
    }
#endif
  return dst;
}

RsTensorFile *
rs_safetensors_parse (const guint8 *bytes, gsize len, const char *name_for_errors,
                      GError **error)
{
  const char *file = name_for_errors != NULL ? name_for_errors : "<memory>";

  if (len < 8)
    {
      set_error (error, RS_ERROR_PARSE, file, NULL,
                 "truncated: no header length (the file has %llu bytes)",
                 (unsigned long long) len);
      return NULL;
    }
  guint64 header_len;
  memcpy (&header_len, bytes, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > RS_SAFETENSORS_MAX_HEADER)
    {
      set_error (error, RS_ERROR_PARSE, file, NULL,
                 "header length %llu is larger than the limit of %llu bytes",
                 (unsigned long long) header_len,
                 (unsigned long long) RS_SAFETENSORS_MAX_HEADER);
      return NULL;
    }
  if (header_len > len - 8)
    {
      set_error (error, RS_ERROR_PARSE, file, NULL,
                 "header length %llu runs past the end of the file (%llu bytes)",
                 (unsigned long long) header_len, (unsigned long long) len);
      return NULL;
    }
  const char *header = (const char *) bytes + 8;
  const guint8 *data = bytes + 8 + header_len;
  guint64 data_len = len - 8 - header_len;

  if (!g_utf8_validate_len (header, header_len, NULL))
    {
      set_error (error, RS_ERROR_PARSE, file, NULL, "header is not valid UTF-8 text");
      return NULL;
    }
  g_autofree char *problem = check_header_lexically (header, header_len);
  if (problem != NULL)
    {
      set_error (error, RS_ERROR_PARSE, file, NULL, "%s", problem);
      return NULL;
    }
  /* Only an object is a header. Refusing anything else here also keeps
   * json-glib from a top-level scalar followed by more ("4{}"), whose
   * nodes it leaks. */
  gsize first = 0;
  while (first < header_len && is_json_blank (header[first]))
    first++;
  if (first == header_len || header[first] != '{')
    {
      set_error (error, RS_ERROR_PARSE, file, NULL, "header is not a JSON object");
      return NULL;
    }

  g_autoptr (JsonParser) parser = json_parser_new ();
  DupTracker dups = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free),
  };
  g_autoptr (GHashTable) seen = dups.seen;
  g_autoptr (GHashTable) dup_names = dups.dups;
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &dups);
  g_autoptr (GError) json_error = NULL;
  if (!json_parser_load_from_data (parser, header, (gssize) header_len, &json_error))
    {
      /* json-glib messages are one line, but make sure; they quote
       * strings cut at a byte count, which can split a UTF-8 character. */
      g_strdelimit (json_error->message, "\r\n", ' ');
      g_autofree char *message = g_utf8_make_valid (json_error->message, -1);
      set_error (error, RS_ERROR_PARSE, file, NULL, "header is not valid JSON: %s", message);
      return NULL;
    }
  g_hash_table_remove_all (seen);  /* only the duplicates are needed now */

  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (error, RS_ERROR_PARSE, file, NULL, "header is not a JSON object");
      return NULL;
    }
  JsonObject *root_obj = json_node_get_object (root);
  const char *dup = g_hash_table_lookup (dup_names, root_obj);
  if (dup != NULL)
    {
      set_error (error, RS_ERROR_PARSE, file, dup, "the name appears twice in the header");
      return NULL;
    }

  /* Members come in header order; validate each on its own first. */
  g_autoptr (GArray) entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autoptr (GPtrArray) metadata = g_ptr_array_new_with_free_func (g_free);
  GList *members = json_object_get_members (root_obj);
  guint order = 0;
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      if (strcmp (name, "__metadata__") == 0)
        {
          /* Free-form strings, kept for whoever reads them; anything else
           * there is ignored, as before. */
          JsonNode *node = json_object_get_member (root_obj, name);
          JsonObject *meta = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          GList *keys = meta != NULL ? json_object_get_members (meta) : NULL;
          for (GList *k = keys; k != NULL; k = k->next)
            {
              JsonNode *v = json_object_get_member (meta, k->data);
              if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
                {
                  g_ptr_array_add (metadata, g_strdup (k->data));
                  g_ptr_array_add (metadata, g_strdup (json_node_get_string (v)));
                }
            }
          g_list_free (keys);
          continue;
        }
      Entry entry = { 0 };
      entry.order = order++;
      if (!parse_entry (file, name, json_object_get_member (root_obj, name), dup_names,
                        data_len, &entry, error))
        {
          g_list_free (members);
          return NULL;
        }
      g_array_append_val (entries, entry);
    }
  g_list_free (members);

  /* Like the reference implementation, the tensors must tile the data
   * section exactly: no overlaps, no holes, no unused bytes at the end.
   * Anything else means the header and the data disagree. */
  g_array_sort (entries, compare_entries);
  guint64 expected = 0;
  const Entry *prev = NULL;
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);
      if (e->begin < expected)
        {
          g_autofree char *other = display_name (prev->name);
          set_error (error, RS_ERROR_SHAPE, file, e->name,
                     "data_offsets [%llu, %llu] overlap tensor '%s' [%llu, %llu]",
                     (unsigned long long) e->begin, (unsigned long long) e->end, other,
                     (unsigned long long) prev->begin, (unsigned long long) prev->end);
          return NULL;
        }
      if (e->begin > expected)
        {
          set_error (error, RS_ERROR_SHAPE, file, e->name,
                     "data starts at byte %llu but the previous tensor ends at byte %llu "
                     "(unused bytes in between)",
                     (unsigned long long) e->begin, (unsigned long long) expected);
          return NULL;
        }
      expected = e->end;
      prev = e;
    }
  if (expected != data_len)
    {
      set_error (error, RS_ERROR_SHAPE, file, NULL,
                 "the data section has %llu bytes but the tensors use only %llu",
                 (unsigned long long) data_len, (unsigned long long) expected);
      return NULL;
    }

  /* Everything is consistent: copy the tensors out in file order. */
  RsTensorFile *result = g_new0 (RsTensorFile, 1);
  result->n_tensors = (int) entries->len;
  result->tensors = g_new0 (RsTensor, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);
      RsTensor *t = &result->tensors[i];
      t->name = g_strdup (e->name);
      t->dtype = e->dtype;
      t->n_dims = e->n_dims;
      memcpy (t->shape, e->shape, sizeof t->shape);
      if (strcmp (e->dtype, "F32") == 0)
        t->data = copy_floats (data + e->begin, e->count);
    }
  g_ptr_array_add (metadata, NULL);
  result->metadata = (char **) g_ptr_array_steal (metadata, NULL);
  return result;
}

/* ---- loading ------------------------------------------------------------- */

static gboolean
read_whole_file (const char *path, guint8 **out, gsize *out_len, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int err = errno;
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read: %s"), path, g_strerror (err));
      return FALSE;
    }
  struct stat st = { 0 };  /* stays zero (no type, no size) if fstat fails */
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read: %s"), path,
                   g_strerror (EISDIR));
      return FALSE;
    }
  if (S_ISREG (st.st_mode) && (guint64) st.st_size > RS_SAFETENSORS_MAX_FILE)
    {
      close (fd);
      g_set_error (error, RS_ERROR, RS_ERROR_IO,
                   _("%s: cannot read: the file is larger than 512 MiB (%llu bytes)"), path,
                   (unsigned long long) st.st_size);
      return FALSE;
    }
  /* Read until EOF rather than trusting st_size: works for pipes too. */
  GByteArray *buf = g_byte_array_sized_new (st.st_size > 0 ? (guint) MIN (st.st_size, G_MAXINT) : 4096);
  guint8 chunk[65536];
  for (;;)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int err = errno;
          close (fd);
          g_byte_array_unref (buf);
          g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot read: %s"), path,
                       g_strerror (err));
          return FALSE;
        }
      if (n == 0)
        break;
      if ((guint64) buf->len + (guint64) n > RS_SAFETENSORS_MAX_FILE)
        {
          close (fd);
          g_byte_array_unref (buf);
          g_set_error (error, RS_ERROR, RS_ERROR_IO,
                       _("%s: cannot read: the file is larger than 512 MiB"), path);
          return FALSE;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  close (fd);
  *out_len = buf->len;
  *out = g_byte_array_free (buf, FALSE);
  return TRUE;
}

RsTensorFile *
rs_safetensors_load (const char *path, GError **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;
  if (!read_whole_file (path, &bytes, &len, error))
    return NULL;
  return rs_safetensors_parse (bytes, len, path, error);
}

void
rs_tensor_file_free (RsTensorFile *file)
{
  if (file == NULL)
    return;
  for (int i = 0; i < file->n_tensors; i++)
    {
      g_free (file->tensors[i].name);
      g_free (file->tensors[i].data);
    }
  g_free (file->tensors);
  g_strfreev (file->metadata);
  g_free (file);
}

const RsTensor *
rs_tensor_file_find (const RsTensorFile *file, const char *name)
{
  if (file == NULL || name == NULL)
    return NULL;
  for (int i = 0; i < file->n_tensors; i++)
    if (strcmp (file->tensors[i].name, name) == 0)
      return &file->tensors[i];
  return NULL;
}

/* ---- saving -------------------------------------------------------------- */

static void
append_json_string (GString *s, const char *str)
{
  g_string_append_c (s, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, (char) c);
    }
  g_string_append_c (s, '"');
}

/* Checks one tensor before anything is written; returns its byte count. */
static gboolean
check_tensor_for_save (const char *path, const RsTensor *t, int index, GHashTable *names,
                       guint64 *bytes, GError **error)
{
  if (t->name == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: tensor %d has no name"), path, index);
      return FALSE;
    }
  if (!g_utf8_validate (t->name, -1, NULL))
    {
      set_error (error, RS_ERROR_VALUE, path, t->name, "the name is not valid UTF-8");
      return FALSE;
    }
  if (strcmp (t->name, "__metadata__") == 0)
    {
      set_error (error, RS_ERROR_VALUE, path, t->name, "the name is reserved");
      return FALSE;
    }
  if (!g_hash_table_add (names, t->name))
    {
      set_error (error, RS_ERROR_VALUE, path, t->name, "the name appears twice");
      return FALSE;
    }
  if (t->dtype != NULL && strcmp (t->dtype, "F32") != 0)
    {
      g_autofree char *shown = display_name (t->dtype);
      set_error (error, RS_ERROR_VALUE, path, t->name,
                 "dtype %s cannot be written (only F32)", shown);
      return FALSE;
    }
  if (t->n_dims < 0 || t->n_dims > 4)
    {
      set_error (error, RS_ERROR_VALUE, path, t->name,
                 "%d dimensions (0 to 4 are supported)", t->n_dims);
      return FALSE;
    }
  guint64 count = 1;
  for (int i = 0; i < t->n_dims; i++)
    {
      gint64 d = t->shape[i];
      if (d < 0)
        {
          set_error (error, RS_ERROR_VALUE, path, t->name,
                     "shape[%d] is negative (%lld)", i, (long long) d);
          return FALSE;
        }
      if (d != 0 && count > G_MAXUINT64 / 4 / (guint64) d)
        {
          set_error (error, RS_ERROR_SHAPE, path, t->name, "shape has too many elements");
          return FALSE;
        }
      count *= (guint64) d;
    }
  if (count > 0 && t->data == NULL)
    {
      set_error (error, RS_ERROR_VALUE, path, t->name, "no data");
      return FALSE;
    }
  *bytes = count * 4;
  return TRUE;
}

static gboolean
write_floats (FILE *stream, const float *data, guint64 count)
{
  if (count == 0)
    return TRUE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return fwrite (data, 4, count, stream) == count;
#else
  guint32 buf[1024];
  for (guint64 i = 0; i < count; )
    {
      gsize n = MIN (count - i, G_N_ELEMENTS (buf));
      for (gsize j = 0; j < n; j++)
        {
          guint32 bits;
          memcpy (&bits, data + i + j, 4);
          buf[j] = GUINT32_TO_LE (bits);
        }
      if (fwrite (buf, 4, n, stream) != n)
        return FALSE;
      i += n;
    }
  return TRUE;
#endif
}

gboolean
rs_safetensors_save (const char *path, const RsTensor *tensors, int n_tensors,
                     GError **error)
{
  return rs_safetensors_save_with_metadata (path, tensors, n_tensors, NULL, error);
}

/* "__metadata__":{"key":"value",...}, first in the header as the
 * reference writer puts it. */
static gboolean
append_metadata (GString *header, const char *path, const char *const *metadata,
                 GError **error)
{
  g_string_append (header, "\"__metadata__\":{");
  for (int i = 0; metadata[i] != NULL; i += 2)
    {
      const char *key = metadata[i], *value = metadata[i + 1];
      if (value == NULL || !g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL))
        {
          g_autofree char *shown = display_name (key);
          g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                       _("%s: metadata '%s': needs a value, both valid UTF-8"), path, shown);
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (header, ',');
      append_json_string (header, key);
      g_string_append_c (header, ':');
      append_json_string (header, value);
    }
  g_string_append_c (header, '}');
  return TRUE;
}

gboolean
rs_safetensors_save_with_metadata (const char *path, const RsTensor *tensors, int n_tensors,
                                   const char *const *metadata, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  if (n_tensors < 0 || (n_tensors > 0 && tensors == NULL))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("%s: invalid tensor list"), path);
      return FALSE;
    }

  /* Build the whole header first, so nothing is written for bad input. */
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) header = g_string_new ("{");
  if (metadata != NULL && metadata[0] != NULL
      && !append_metadata (header, path, metadata, error))
    return FALSE;
  gboolean first = header->len == 1;
  guint64 offset = 0;
  for (int i = 0; i < n_tensors; i++)
    {
      const RsTensor *t = &tensors[i];
      guint64 bytes;
      if (!check_tensor_for_save (path, t, i, names, &bytes, error))
        return FALSE;
      if (!first)
        g_string_append_c (header, ',');
      first = FALSE;
      append_json_string (header, t->name);
      g_string_append (header, ":{\"dtype\":\"F32\",\"shape\":[");
      for (int d = 0; d < t->n_dims; d++)
        g_string_append_printf (header, d ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                t->shape[d]);
      g_string_append_printf (header, "],\"data_offsets\":[%" G_GUINT64_FORMAT ",%"
                              G_GUINT64_FORMAT "]}", offset, offset + bytes);
      offset += bytes;
    }
  g_string_append_c (header, '}');
  /* Pad with spaces so the data section starts 8-byte aligned, as the
   * reference writer does. */
  while (header->len % 8 != 0)
    g_string_append_c (header, ' ');

  RsAtomicFile *af = rs_atomic_file_begin (path, error);
  if (af == NULL)
    return FALSE;
  errno = 0;  /* so a short write without errno reports EIO, not stale news */
  guint64 len_le = GUINT64_TO_LE ((guint64) header->len);
  gboolean ok = fwrite (&len_le, 8, 1, af->stream) == 1
                && fwrite (header->str, 1, header->len, af->stream) == header->len;
  for (int i = 0; ok && i < n_tensors; i++)
    {
      const RsTensor *t = &tensors[i];
      guint64 count = 1;
      for (int d = 0; d < t->n_dims; d++)
        count *= (guint64) t->shape[d];
      ok = write_floats (af->stream, t->data, count);
    }
  if (!ok)
    {
      int err = errno ? errno : EIO;
      rs_atomic_file_abort (af);
      g_set_error (error, RS_ERROR, RS_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (err));
      return FALSE;
    }
  return rs_atomic_file_commit (af, error);
}
