/* test-safetensors.c — the float32 safetensors reader and writer.
 *
 * Bad files are built in memory from a JSON header and a data length, so
 * each failure mode is one table row rather than a committed binary. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-safetensors.h"

#define BAD "bad.safetensors"

/* ---- helpers ------------------------------------------------------------- */

/* 8-byte little-endian header length, the header, then data_len bytes. */
static GBytes *
make_file (const char *header, gsize data_len)
{
  gsize hlen = strlen (header);
  gsize len = 8 + hlen + data_len;
  guint8 *buf = g_malloc0 (len);
  guint64 le = GUINT64_TO_LE ((guint64) hlen);
  memcpy (buf, &le, 8);
  memcpy (buf + 8, header, hlen);
  for (gsize i = 0; i < data_len; i++)
    buf[8 + hlen + i] = (guint8) (i * 7 + 1);
  return g_bytes_new_take (buf, len);
}

static RsTensorFile *
parse_bytes (GBytes *bytes, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  return rs_safetensors_parse (data, len, BAD, error);
}

/* Every engine error is one line naming the file (and the tensor). */
static void
assert_message (const GError *error, const char *file, const char *tensor, const char *extra)
{
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_str_has_prefix (error->message, file));
  if (tensor != NULL)
    {
      g_autofree char *quoted = g_strdup_printf ("tensor '%s'", tensor);
      g_assert_nonnull (strstr (error->message, quoted));
    }
  if (extra != NULL && strstr (error->message, extra) == NULL)
    g_error ("message \"%s\" does not contain \"%s\"", error->message, extra);
}

static char *
make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rs-safetensors-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static guint
count_dir_entries (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        g_rmdir (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static gsize
tensor_count (const RsTensor *t)
{
  gsize n = 1;
  for (int i = 0; i < t->n_dims; i++)
    n *= (gsize) t->shape[i];
  return n;
}

/* A small valid file: two tensors, 24 + 8 data bytes. */
static const char valid_header[] =
  "{\"__metadata__\":{\"format\":\"pt\"},"
  "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
  "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}";

static GBytes *
make_valid_file (void)
{
  return make_file (valid_header, 32);
}

/* ---- round trip ---------------------------------------------------------- */

static void
test_roundtrip (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "x.safetensors", NULL);

  float w[4 * 3];
  for (int i = 0; i < 12; i++)
    w[i] = (float) (i - 5) / 7.0f;
  /* Bit patterns that a lossy path (text, double rounding) would change. */
  float b[6] = { -0.0f, INFINITY, -INFINITY, 1e-45f, 3.4028235e38f, NAN };
  float scalar = 42.5f;
  float four[1 * 2 * 1 * 3] = { 1, 2, 3, 4, 5, 6 };
  RsTensor in[] = {
    { (char *) "fc1.weight", 2, { 4, 3 }, w },
    { (char *) "fc1.bias", 1, { 6 }, b },
    { (char *) "scale", 0, { 0 }, &scalar },
    { (char *) "empty", 2, { 0, 5 }, NULL },
    { (char *) "4d \"quoted\"\n\u00e9", 4, { 1, 2, 1, 3 }, four },
  };
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_safetensors_save (path, in, (int) G_N_ELEMENTS (in), &error));
  g_assert_no_error (error);

  /* Layout: the data section starts 8-byte aligned after the header. */
  g_autofree char *raw = NULL;
  gsize raw_len;
  g_assert_true (g_file_get_contents (path, &raw, &raw_len, NULL));
  guint64 hlen;
  memcpy (&hlen, raw, 8);
  hlen = GUINT64_FROM_LE (hlen);
  g_assert_cmpuint (hlen % 8, ==, 0);
  g_assert_cmpuint (raw_len, ==, 8 + hlen + (12 + 6 + 1 + 0 + 6) * 4);

  g_autoptr (RsTensorFile) out = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_cmpint (out->n_tensors, ==, G_N_ELEMENTS (in));
  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    {
      const RsTensor *t = &out->tensors[i];
      g_assert_cmpstr (t->name, ==, in[i].name);
      g_assert_cmpint (t->n_dims, ==, in[i].n_dims);
      for (int d = 0; d < t->n_dims; d++)
        g_assert_cmpint (t->shape[d], ==, in[i].shape[d]);
      gsize n = tensor_count (t);
      if (n > 0)
        g_assert_cmpmem (t->data, (int) n * 4, in[i].data, (int) n * 4);
      g_assert_true (rs_tensor_file_find (out, in[i].name) == t);
    }
  g_assert_null (rs_tensor_file_find (out, "fc1"));
  g_assert_null (rs_tensor_file_find (out, "fc1.weight "));
  g_assert_null (rs_tensor_file_find (out, "__metadata__"));

  /* Nothing but the file itself in the directory. */
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  remove_tmp_dir (dir);
}

static void
test_empty_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "none.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_safetensors_save (path, NULL, 0, &error));
  g_autoptr (RsTensorFile) out = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (out->n_tensors, ==, 0);
  g_assert_null (rs_tensor_file_find (out, "x"));
  remove_tmp_dir (dir);
}

static void
test_metadata_ignored (void)
{
  g_autoptr (GBytes) bytes = make_valid_file ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->n_tensors, ==, 2);
  g_assert_null (rs_tensor_file_find (f, "__metadata__"));
  /* Its strings are kept, not as a tensor. */
  const char *meta[] = { "format", "pt", NULL };
  g_assert_cmpstrv (f->metadata, meta);
  const RsTensor *w = rs_tensor_file_find (f, "fc1.weight");
  const RsTensor *b = rs_tensor_file_find (f, "fc1.bias");
  g_assert_nonnull (w);
  g_assert_nonnull (b);
  g_assert_cmpint (w->n_dims, ==, 2);
  g_assert_cmpint (w->shape[0], ==, 2);
  g_assert_cmpint (w->shape[1], ==, 3);
  g_assert_cmpint (b->n_dims, ==, 1);
  g_assert_cmpint (b->shape[0], ==, 2);

  /* Data are taken at the offsets, little-endian. */
  gsize len;
  const guint8 *raw = g_bytes_get_data (bytes, &len);
  const guint8 *data = raw + 8 + strlen (valid_header);
  guint32 bits;
  memcpy (&bits, data + 24 + 4, 4);
  bits = GUINT32_FROM_LE (bits);
  guint32 got;
  memcpy (&got, &b->data[1], 4);
  g_assert_cmphex (got, ==, bits);

  /* Padding spaces after the JSON, as the reference writer emits. */
  g_autofree char *padded = g_strconcat (valid_header, "      ", NULL);
  g_autoptr (GBytes) bytes2 = make_file (padded, 32);
  g_autoptr (RsTensorFile) f2 = parse_bytes (bytes2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f2->n_tensors, ==, 2);
}

/* Tensors are returned in data order, whatever the order in the header. */
static void
test_file_order (void)
{
  g_autoptr (GBytes) bytes = make_file (
    "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
    "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},"
    "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", 8);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->n_tensors, ==, 3);
  g_assert_cmpstr (f->tensors[0].name, ==, "a");
  g_assert_cmpint (f->tensors[0].n_dims, ==, 0);
  g_assert_cmpstr (f->tensors[1].name, ==, "b");
  g_assert_cmpstr (f->tensors[2].name, ==, "z");
  g_assert_cmpint (f->tensors[2].shape[0], ==, 0);
}

/* ---- malformed files ----------------------------------------------------- */

typedef struct {
  const char *path;    /* test path suffix */
  const char *header;  /* JSON header */
  gsize data_len;
  RsErrorCode code;
  const char *tensor;  /* expected "tensor 'NAME'" or NULL */
  const char *extra;   /* expected substring or NULL */
} BadCase;

#define ENTRY(dtype, shape, offsets) \
  "{\"dtype\":" dtype ",\"shape\":" shape ",\"data_offsets\":" offsets "}"

static const BadCase bad_cases[] = {
  { "invalid-json", "{\"w\":", 0, RS_ERROR_PARSE, NULL, "header is not valid JSON: " },
  { "invalid-json-trailing-comma", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[0,4]") ",}", 4,
    RS_ERROR_PARSE, NULL, "header is not valid JSON: " },
  { "invalid-json-garbage-after", "{} x", 0, RS_ERROR_PARSE, NULL, "header is not valid JSON" },
  { "invalid-json-single-quotes", "{'w':1}", 0, RS_ERROR_PARSE, NULL, "not valid JSON" },
  { "invalid-json-comment", "{/* c */}", 0, RS_ERROR_PARSE, NULL, "not valid JSON" },
  { "invalid-json-bad-escape", "{\"w\\q\":1}", 0, RS_ERROR_PARSE, NULL, "escape" },
  { "invalid-json-bad-unicode-escape", "{\"w\\u12\":1}", 0, RS_ERROR_PARSE, NULL, "escape" },
  { "invalid-json-lone-surrogate", "{\"w\\ud800\":1}", 0, RS_ERROR_PARSE, NULL, "surrogate" },
  { "invalid-json-unterminated", "{\"w", 0, RS_ERROR_PARSE, NULL, "unterminated" },
  { "invalid-json-control-char", "{\"w\tx\":1}", 0, RS_ERROR_PARSE, NULL, "control" },
  { "invalid-utf8", "{\"w\xff\":1}", 0, RS_ERROR_PARSE, NULL, "UTF-8" },
  { "empty-header", "", 0, RS_ERROR_PARSE, NULL, "not a JSON object" },
  { "not-object-array", "[1,2]", 0, RS_ERROR_PARSE, NULL, "not a JSON object" },
  { "not-object-number", "7", 0, RS_ERROR_PARSE, NULL, "not a JSON object" },
  { "entry-not-object", "{\"w\":[1]}", 0, RS_ERROR_PARSE, "w", "not a JSON object" },
  { "missing-dtype", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
    RS_ERROR_PARSE, "w", "missing \"dtype\"" },
  { "missing-shape", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4,
    RS_ERROR_PARSE, "w", "missing \"shape\"" },
  { "missing-offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4,
    RS_ERROR_PARSE, "w", "missing \"data_offsets\"" },
  { "dtype-not-string", "{\"w\":" ENTRY ("32", "[1]", "[0,4]") "}", 4,
    RS_ERROR_PARSE, "w", "\"dtype\" is not a string" },
  { "shape-not-array", "{\"w\":" ENTRY ("\"F32\"", "1", "[0,4]") "}", 4,
    RS_ERROR_PARSE, "w", "\"shape\" is not an array" },
  { "shape-float", "{\"w\":" ENTRY ("\"F32\"", "[1.5]", "[0,4]") "}", 4,
    RS_ERROR_PARSE, "w", "shape[0] is not an integer" },
  { "shape-string", "{\"w\":" ENTRY ("\"F32\"", "[1,\"2\"]", "[0,8]") "}", 8,
    RS_ERROR_PARSE, "w", "shape[1] is not an integer" },
  { "offsets-not-pair", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[0,4,8]") "}", 8,
    RS_ERROR_PARSE, "w", "data_offsets" },
  { "offsets-not-array", "{\"w\":" ENTRY ("\"F32\"", "[1]", "{}") "}", 4,
    RS_ERROR_PARSE, "w", "data_offsets" },
  { "offsets-bool", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[false,4]") "}", 4,
    RS_ERROR_PARSE, "w", "data_offsets" },
  { "dtype-unknown", "{\"fc1.weight\":" ENTRY ("\"F17\"", "[2]", "[0,4]") "}", 4,
    RS_ERROR_VALUE, "fc1.weight", "unknown dtype F17" },
  { "dtype-lowercase", "{\"w\":" ENTRY ("\"f32\"", "[1]", "[0,4]") "}", 4,
    RS_ERROR_VALUE, "w", "unknown dtype f32" },
  /* Other dtypes are laid out with their own element size. */
  { "dtype-i64-size", "{\"step\":" ENTRY ("\"I64\"", "[]", "[0,4]") "}", 4,
    RS_ERROR_SHAPE, "step", "shape [] needs 8 bytes" },
  { "dtype-f16-size", "{\"h\":" ENTRY ("\"F16\"", "[3]", "[0,4]") "}", 4,
    RS_ERROR_SHAPE, "h", "shape [3] needs 6 bytes" },
  { "too-many-dims", "{\"w\":" ENTRY ("\"F32\"", "[1,1,1,1,1]", "[0,4]") "}", 4,
    RS_ERROR_VALUE, "w", "5 dimensions" },
  { "negative-dim", "{\"w\":" ENTRY ("\"F32\"", "[2,-3]", "[0,4]") "}", 4,
    RS_ERROR_VALUE, "w", "shape[1] is negative (-3)" },
  { "shape-overflow",
    "{\"w\":" ENTRY ("\"F32\"", "[4294967296,4294967296]", "[0,4]") "}", 4,
    RS_ERROR_SHAPE, "w", "too many elements" },
  { "shape-overflow-with-zero",
    "{\"w\":" ENTRY ("\"F32\"", "[9223372036854775807,9223372036854775807,0]", "[0,0]") "}",
    0, RS_ERROR_SHAPE, "w", "too many elements" },
  { "offsets-negative", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[-4,0]") "}", 4,
    RS_ERROR_VALUE, "w", "negative" },
  { "offsets-reversed", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[8,4]") "}", 8,
    RS_ERROR_VALUE, "w", "end before they begin" },
  { "byte-count", "{\"w\":" ENTRY ("\"F32\"", "[2,3]", "[0,20]") "}", 20,
    RS_ERROR_SHAPE, "w", "needs 24 bytes" },
  { "offsets-past-end", "{\"w\":" ENTRY ("\"F32\"", "[2]", "[0,8]") "}", 4,
    RS_ERROR_SHAPE, "w", "past the end of the data section (4 bytes)" },
  { "offsets-huge", "{\"w\":" ENTRY ("\"F32\"", "[1]", "[9223372036854775800,9223372036854775804]")
    "}", 4, RS_ERROR_SHAPE, "w", "past the end" },
  { "overlap",
    "{\"a\":" ENTRY ("\"F32\"", "[2]", "[0,8]") ",\"b\":" ENTRY ("\"F32\"", "[2]", "[4,12]") "}",
    12, RS_ERROR_SHAPE, "b", "overlap tensor 'a'" },
  { "overlap-same",
    "{\"a\":" ENTRY ("\"F32\"", "[2]", "[0,8]") ",\"b\":" ENTRY ("\"F32\"", "[2]", "[0,8]") "}",
    8, RS_ERROR_SHAPE, "b", "overlap" },
  { "gap",
    "{\"a\":" ENTRY ("\"F32\"", "[1]", "[0,4]") ",\"b\":" ENTRY ("\"F32\"", "[1]", "[8,12]") "}",
    12, RS_ERROR_SHAPE, "b", "unused bytes" },
  { "gap-at-start", "{\"a\":" ENTRY ("\"F32\"", "[1]", "[4,8]") "}", 8,
    RS_ERROR_SHAPE, "a", "unused bytes" },
  { "trailing-bytes", "{\"a\":" ENTRY ("\"F32\"", "[1]", "[0,4]") "}", 8,
    RS_ERROR_SHAPE, NULL, "use only 4" },
  { "duplicate-name",
    "{\"w\":" ENTRY ("\"F32\"", "[1]", "[0,4]") ",\"w\":" ENTRY ("\"F32\"", "[1]", "[4,8]") "}",
    8, RS_ERROR_PARSE, "w", "twice" },
  { "duplicate-key",
    "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
    RS_ERROR_PARSE, "w", "duplicate key 'dtype'" },
  { "name-with-newline", "{\"a\\nb\":" ENTRY ("\"F17\"", "[1]", "[0,2]") "}", 2,
    RS_ERROR_VALUE, "a\\x0ab", "F17" },
};

static void
test_bad_case (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GBytes) bytes = make_file (c->header, c->data_len);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
  g_assert_null (f);
  g_assert_error (error, RS_ERROR, (gint) c->code);
  assert_message (error, BAD ":", c->tensor, c->extra);
}

static void
test_truncated_header (void)
{
  static const guint8 bytes[8] = { 8, 0, 0, 0, 0, 0, 0, 0 };
  for (gsize len = 0; len < 8; len++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (bytes, len);
      g_assert_null (rs_safetensors_parse (copy, len, BAD, &error));
      g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
      assert_message (error, BAD ":", NULL, "truncated: no header length");
    }
}

static void
test_header_too_large (void)
{
  guint8 bytes[16] = { 0 };
  guint64 n = GUINT64_TO_LE (G_GUINT64_CONSTANT (100000001));
  memcpy (bytes, &n, 8);
  g_autoptr (GError) error = NULL;
  g_assert_null (rs_safetensors_parse (bytes, sizeof bytes, BAD, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  assert_message (error, BAD ":", NULL, "100000001");

  /* All ones: the largest length, also refused without allocating. */
  memset (bytes, 0xff, 8);
  g_clear_error (&error);
  g_assert_null (rs_safetensors_parse (bytes, sizeof bytes, BAD, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
}

static void
test_header_past_end (void)
{
  guint8 bytes[8 + 10] = { 0 };
  guint64 n = GUINT64_TO_LE (11);
  memcpy (bytes, &n, 8);
  g_autoptr (GError) error = NULL;
  g_assert_null (rs_safetensors_parse (bytes, sizeof bytes, BAD, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  assert_message (error, BAD ":", NULL, "header length 11 runs past the end of the file (18 bytes)");
}

/* json-glib recurses per level; a deep header must not exhaust the stack. */
static void
test_deep_nesting (void)
{
  gsize depth = 1000000;
  char *header = g_malloc (2 * depth + 1);
  memset (header, '[', depth);
  memset (header + depth, ']', depth);
  header[2 * depth] = '\0';
  g_autoptr (GBytes) bytes = make_file (header, 0);
  g_free (header);
  g_autoptr (GError) error = NULL;
  g_assert_null (parse_bytes (bytes, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  assert_message (error, BAD ":", NULL, "nested deeper");

  /* Brackets inside strings do not count. */
  GString *name = g_string_new ("{\"");
  for (int i = 0; i < 100; i++)
    g_string_append (name, "[{");
  g_string_append (name, "\":" ENTRY ("\"F32\"", "[1]", "[0,4]") "}");
  g_autoptr (GBytes) ok = make_file (name->str, 4);
  g_string_free (name, TRUE);
  g_clear_error (&error);
  g_autoptr (RsTensorFile) f = parse_bytes (ok, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->n_tensors, ==, 1);
}

/* Every proper prefix of a valid file is an error, never a crash or a read
 * past the end (each prefix is copied to its own exactly-sized block so the
 * address sanitizer would notice). */
static void
test_truncated_prefixes (void)
{
  g_autoptr (GBytes) bytes = make_valid_file ();
  gsize len;
  const guint8 *full = g_bytes_get_data (bytes, &len);
  for (gsize n = 0; n < len; n++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (full, n);
      RsTensorFile *f = rs_safetensors_parse (copy, n, BAD, &error);
      if (f != NULL)
        g_error ("a %" G_GSIZE_FORMAT "-byte prefix of %" G_GSIZE_FORMAT " was accepted", n, len);
      g_assert_true (error != NULL && error->domain == RS_ERROR);
      assert_message (error, BAD ":", NULL, NULL);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f);
}

/* Random corruption of the header (and the length field) is either
 * rejected with a proper error or yields a consistent file. */
static void
test_header_fuzz (void)
{
  static const char interesting[] = "{}[]\",:\\0129-eE \"\xff\x80";
  g_autoptr (GBytes) bytes = make_valid_file ();
  gsize len;
  const guint8 *full = g_bytes_get_data (bytes, &len);
  gsize header_end = 8 + strlen (valid_header);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  guint accepted = 0;
  for (int iter = 0; iter < 600; iter++)
    {
      g_autofree guint8 *copy = g_memdup2 (full, len);
      int flips = g_rand_int_range (rand, 1, 4);
      for (int k = 0; k < flips; k++)
        {
          gsize pos = (gsize) g_rand_int_range (rand, 0, (gint32) header_end);
          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              copy[pos] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
              break;
            case 1:
              copy[pos] = (guint8) g_rand_int_range (rand, 0, 256);
              break;
            default:
              copy[pos] = (guint8) interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)];
              break;
            }
        }
      /* Sometimes also cut the file short. */
      gsize n = g_rand_int_range (rand, 0, 4) == 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) len)
                                                     : len;
      g_autoptr (GError) error = NULL;
      g_autoptr (RsTensorFile) f = rs_safetensors_parse (copy, n, BAD, &error);
      if (f == NULL)
        {
          g_assert_true (error != NULL && error->domain == RS_ERROR);
          assert_message (error, BAD ":", NULL, NULL);
          continue;
        }
      g_assert_no_error (error);
      accepted++;
      for (int i = 0; i < f->n_tensors; i++)
        {
          const RsTensor *t = &f->tensors[i];
          g_assert_nonnull (t->name);
          g_assert_cmpint (t->n_dims, >=, 0);
          g_assert_cmpint (t->n_dims, <=, 4);
          gsize count = tensor_count (t);
          g_assert_cmpuint (count * 4, <=, len);
          /* Touch all the data so the sanitizer checks the allocation. */
          volatile float sum = 0;
          for (gsize j = 0; j < count; j++)
            sum += t->data[j];
          (void) sum;
        }
    }
  g_test_message ("%u of 600 corrupted files were still consistent", accepted);
}

/* ---- loading from disk --------------------------------------------------- */

static void
test_load_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (rs_safetensors_load ("/nonexistent-dir/missing.safetensors", &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  assert_message (error, "/nonexistent-dir/missing.safetensors:", NULL, "cannot read");
}

static void
test_load_directory (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  g_assert_null (rs_safetensors_load (dir, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  assert_message (error, dir, NULL, "cannot read");
  remove_tmp_dir (dir);
}

static void
test_load_names_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "w.safetensors", NULL);
  g_autoptr (GBytes) bytes = make_file ("{\"fc1.weight\":" ENTRY ("\"F17\"", "[2]", "[0,4]") "}", 4);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  g_autoptr (GError) error = NULL;
  g_assert_null (rs_safetensors_load (path, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  g_autofree char *expected = g_strdup_printf (
    "%s: tensor 'fc1.weight': unknown dtype F17", path);
  g_assert_cmpstr (error->message, ==, expected);
  remove_tmp_dir (dir);
}

/* Tensors of other dtypes are checked and listed, their data not read:
 * a trainer's I64 step counter, F16 or BF16 copies, a BOOL mask. */
static void
test_other_dtypes (void)
{
  static const char header[] =
    "{\"__metadata__\":{\"format\":\"pt\",\"odd\":{\"not\":\"a string\"}},"
    "\"step\":" ENTRY ("\"I64\"", "[]", "[0,8]") ","
    "\"w\":" ENTRY ("\"F32\"", "[2]", "[8,16]") ","
    "\"half\":" ENTRY ("\"BF16\"", "[3]", "[16,22]") ","
    "\"mask\":" ENTRY ("\"BOOL\"", "[2,1]", "[22,24]") "}";
  g_autoptr (GBytes) bytes = make_file (header, 24);
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->n_tensors, ==, 4);
  const char *names[] = { "step", "w", "half", "mask" };
  const char *types[] = { "I64", "F32", "BF16", "BOOL" };
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpstr (f->tensors[i].name, ==, names[i]);
      g_assert_cmpstr (f->tensors[i].dtype, ==, types[i]);
      g_assert_true ((f->tensors[i].data != NULL) == (i == 1));
    }
  g_assert_cmpint (f->tensors[3].n_dims, ==, 2);
  /* The F32 tensor's bytes are read at its own offset. */
  const guint8 *raw = g_bytes_get_data (bytes, NULL);
  g_assert_cmpmem (f->tensors[1].data, 8, raw + 8 + strlen (header) + 8, 8);
  /* Only the string values of "__metadata__" are kept. */
  const char *meta[] = { "format", "pt", NULL };
  g_assert_cmpstrv (f->metadata, meta);

  g_assert_cmpuint (rs_safetensors_dtype_size ("F32"), ==, 4);
  g_assert_cmpuint (rs_safetensors_dtype_size ("I64"), ==, 8);
  g_assert_cmpuint (rs_safetensors_dtype_size ("F8_E5M2"), ==, 1);
  g_assert_cmpuint (rs_safetensors_dtype_size ("F17"), ==, 0);
  g_assert_cmpuint (rs_safetensors_dtype_size (NULL), ==, 0);
}

/* ---- saving -------------------------------------------------------------- */

/* "__metadata__" comes first, as safetensors.torch.save_file writes it,
 * and reads back; values are escaped as JSON. */
static void
test_save_metadata (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "m.safetensors", NULL);
  float v[2] = { 1, 2 };
  RsTensor t = { (char *) "v", 1, { 2 }, v };
  const char *meta[] = { "format", "pt", "lesson", "say \"hi\"\n", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_safetensors_save_with_metadata (path, &t, 1, meta, &error));
  g_assert_no_error (error);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  guint64 hlen;
  memcpy (&hlen, bytes, 8);
  hlen = GUINT64_FROM_LE (hlen);
  g_assert_cmpuint (hlen % 8, ==, 0);
  g_assert_cmpuint (len, ==, 8 + hlen + 8);
  g_autofree char *header = g_strndup (bytes + 8, hlen);
  g_assert_true (g_str_has_prefix (header, "{\"__metadata__\":{\"format\":\"pt\","
                                           "\"lesson\":\"say \\\"hi\\\"\\u000a\"},"
                                           "\"v\":{\"dtype\":\"F32\""));
  g_autoptr (RsTensorFile) f = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (f->metadata, meta);
  g_assert_cmpint (f->n_tensors, ==, 1);
  g_assert_cmpmem (f->tensors[0].data, sizeof v, v, sizeof v);

  /* Without metadata the header has none; other dtypes are not written. */
  g_assert_true (rs_safetensors_save (path, &t, 1, &error));
  g_autoptr (RsTensorFile) plain = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (plain->metadata[0]);
  RsTensor i64 = { (char *) "step", 0, { 0 }, v, "I64" };
  g_assert_false (rs_safetensors_save (path, &i64, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_VALUE);
  assert_message (error, path, "step", "dtype I64 cannot be written (only F32)");
  remove_tmp_dir (dir);
}

static void
test_save_unwritable (void)
{
  float v[2] = { 1, 2 };
  RsTensor t = { (char *) "v", 1, { 2 }, v };
  g_autoptr (GError) error = NULL;
  g_assert_false (rs_safetensors_save ("/nonexistent-dir/x.safetensors", &t, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  assert_message (error, "/nonexistent-dir/x.safetensors:", NULL, NULL);

  /* A directory where the file should be: refused, nothing left behind. */
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "x.safetensors", NULL);
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  g_clear_error (&error);
  g_assert_false (rs_safetensors_save (target, &t, 1, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  assert_message (error, target, NULL, NULL);
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  remove_tmp_dir (dir);
}

static void
test_save_replaces (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "x.safetensors", NULL);
  g_assert_true (g_file_set_contents (path, "old contents that are not safetensors", -1, NULL));

  float v[3] = { 1.5f, -2.25f, 3 };
  RsTensor t = { (char *) "v", 1, { 3 }, v };
  g_autoptr (GError) error = NULL;
  g_assert_true (rs_safetensors_save (path, &t, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);

  g_autoptr (RsTensorFile) f = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->n_tensors, ==, 1);
  g_assert_cmpmem (f->tensors[0].data, sizeof v, v, sizeof v);

  /* Saving again with different content replaces it too. */
  float s = 7;
  RsTensor t2 = { (char *) "s", 0, { 0 }, &s };
  g_assert_true (rs_safetensors_save (path, &t2, 1, &error));
  g_autoptr (RsTensorFile) f2 = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (f2->n_tensors, ==, 1);
  g_assert_cmpstr (f2->tensors[0].name, ==, "s");
  g_assert_cmpfloat (f2->tensors[0].data[0], ==, 7.0f);
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  remove_tmp_dir (dir);
}

static void
test_save_invalid (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "x.safetensors", NULL);
  float v[2] = { 1, 2 };
  struct {
    RsTensor t[2];
    int n;
    const char *tensor;
  } cases[] = {
    { { { (char *) "a", 5, { 1, 1, 1, 1 }, v } }, 1, "a" },
    { { { (char *) "a", 1, { -2 }, v } }, 1, "a" },
    { { { (char *) "a", 1, { 2 }, NULL } }, 1, "a" },
    { { { (char *) "__metadata__", 1, { 2 }, v } }, 1, "__metadata__" },
    { { { (char *) "a", 1, { 2 }, v }, { (char *) "a", 1, { 2 }, v } }, 2, "a" },
    { { { (char *) "a", 2, { G_MAXINT64, G_MAXINT64 }, v } }, 1, "a" },
    { { { NULL, 1, { 2 }, v } }, 1, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (rs_safetensors_save (path, cases[i].t, cases[i].n, &error));
      g_assert_true (error != NULL && error->domain == RS_ERROR);
      assert_message (error, path, cases[i].tensor, NULL);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (count_dir_entries (dir), ==, 0);
    }
  remove_tmp_dir (dir);
}

/* ---- files written by PyTorch -------------------------------------------- */

static void
test_golden_init (void)
{
  g_autofree char *path = g_build_filename (RS_TEST_SRCDIR, "golden", "seed-l1",
                                            "init.safetensors", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("tests/golden/seed-l1/init.safetensors has not been generated");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (RsTensorFile) f = rs_safetensors_load (path, &error);
  g_assert_no_error (error);
  static const struct {
    const char *name;
    int n_dims;
    gint64 shape[2];
  } expected[] = {
    { "fc1.weight", 2, { 20, 10 } },
    { "fc1.bias", 1, { 20 } },
    { "fc2.weight", 2, { 5, 20 } },
    { "fc2.bias", 1, { 5 } },
  };
  g_assert_cmpint (f->n_tensors, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const RsTensor *t = rs_tensor_file_find (f, expected[i].name);
      g_assert_nonnull (t);
      g_assert_cmpint (t->n_dims, ==, expected[i].n_dims);
      for (int d = 0; d < t->n_dims; d++)
        g_assert_cmpint (t->shape[d], ==, expected[i].shape[d]);
      /* PyTorch's default init keeps |w| <= 1/sqrt(fan_in) <= 1. */
      for (gsize j = 0; j < tensor_count (t); j++)
        g_assert_true (isfinite (t->data[j]) && fabsf (t->data[j]) <= 1.0f);
    }
}

/* Every checkpoint in the golden fixtures loads. */
static void
test_golden_all (void)
{
  g_autofree char *root = g_build_filename (RS_TEST_SRCDIR, "golden", NULL);
  g_autoptr (GDir) d = g_dir_open (root, 0, NULL);
  if (d == NULL)
    {
      g_test_skip ("no tests/golden directory");
      return;
    }
  guint n = 0;
  const char *sub;
  while ((sub = g_dir_read_name (d)) != NULL)
    {
      const char *names[] = { "init.safetensors", "final.safetensors" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (root, sub, names[i], NULL);
          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          g_autoptr (GError) error = NULL;
          g_autoptr (RsTensorFile) f = rs_safetensors_load (path, &error);
          g_assert_no_error (error);
          g_assert_cmpint (f->n_tensors, >, 0);
          n++;
        }
    }
  if (n == 0)
    g_test_skip ("no golden checkpoints");
}

/* Found by tests/fuzz/fuzz-safetensors. json-glib 1.6 leaks the nodes it
 * built when the top-level value is followed by more ("4{ }"), so only an
 * object, and nothing after it, reaches the parser; and its messages quote
 * strings cut at a byte count, which could split a UTF-8 character. */
static void
test_fuzz_findings (void)
{
  static const struct {
    const char *header;
    const char *extra;
  } cases[] = {
    { "4{ }", "header is not a JSON object" },
    { "null{\"a\":1}", "header is not a JSON object" },
    { "  [] {}", "header is not valid JSON: text after the end of the header at byte 5" },
    { "{} {}", "header is not valid JSON: text after the end of the header at byte 3" },
    { "{\"a\":{}}]  ", "header is not valid JSON: text after the end of the header at byte 8" },
    { "{}  \n ", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) bytes = make_file (cases[i].header, 0);
      g_autoptr (GError) error = NULL;
      g_autoptr (RsTensorFile) f = parse_bytes (bytes, &error);
      if (cases[i].extra == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpint (f->n_tensors, ==, 0);
          continue;
        }
      g_assert_null (f);
      g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
      assert_message (error, BAD ":", NULL, cases[i].extra);
    }

  /* json-glib cuts this string constant inside the 'é'. */
  GString *header = g_string_new ("{\"");
  for (int i = 0; i < 36; i++)
    g_string_append_c (header, 'x');
  g_string_append (header, "\xc3\xa9\" \"z\"}");
  g_autoptr (GBytes) bytes = make_file (header->str, 0);
  g_string_free (header, TRUE);
  g_autoptr (GError) error = NULL;
  g_assert_null (parse_bytes (bytes, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  assert_message (error, BAD ":", NULL, "header is not valid JSON: ");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* What a hostile file must not make the reader allocate: json-glib nodes
 * for millions of header values (some 40 bytes each), or a whole file of
 * gigabytes read before its header is looked at. */
static void
test_limits (void)
{
  GString *header = g_string_new ("{\"a\":[");
  for (int i = 0; i < 1000000; i++)
    g_string_append (header, "0,");
  g_string_append (header, "0]}");
  g_autoptr (GBytes) bytes = make_file (header->str, 0);
  g_string_free (header, TRUE);
  g_autoptr (GError) error = NULL;
  g_assert_null (parse_bytes (bytes, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_PARSE);
  assert_message (error, BAD ":", NULL, "header has more than 1000000 values");
  g_clear_error (&error);

  /* A sparse file just over 512 MiB: refused from its size, unread. */
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.safetensors", NULL);
  FILE *fp = g_fopen (path, "wb");
  g_assert_nonnull (fp);
  g_assert_cmpint (fseeko (fp, (off_t) 512 * 1024 * 1024, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc (0, fp), ==, 0);
  g_assert_cmpint (fclose (fp), ==, 0);
  g_assert_null (rs_safetensors_load (path, &error));
  g_assert_error (error, RS_ERROR, RS_ERROR_IO);
  assert_message (error, path, NULL, "larger than 512 MiB (536870913 bytes)");
  remove_tmp_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/safetensors/roundtrip", test_roundtrip);
  g_test_add_func ("/engine/safetensors/empty-file", test_empty_file);
  g_test_add_func ("/engine/safetensors/metadata-ignored", test_metadata_ignored);
  g_test_add_func ("/engine/safetensors/other-dtypes", test_other_dtypes);
  g_test_add_func ("/engine/safetensors/save-metadata", test_save_metadata);
  g_test_add_func ("/engine/safetensors/file-order", test_file_order);
  g_test_add_func ("/engine/safetensors/truncated-header", test_truncated_header);
  g_test_add_func ("/engine/safetensors/header-too-large", test_header_too_large);
  g_test_add_func ("/engine/safetensors/header-past-end", test_header_past_end);
  g_test_add_func ("/engine/safetensors/deep-nesting", test_deep_nesting);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/safetensors/bad/%s", bad_cases[i].path);
      g_test_add_data_func (path, &bad_cases[i], test_bad_case);
    }
  g_test_add_func ("/engine/safetensors/truncated-prefixes", test_truncated_prefixes);
  g_test_add_func ("/engine/safetensors/header-fuzz", test_header_fuzz);
  g_test_add_func ("/engine/safetensors/load-missing", test_load_missing);
  g_test_add_func ("/engine/safetensors/load-directory", test_load_directory);
  g_test_add_func ("/engine/safetensors/load-names-file", test_load_names_file);
  g_test_add_func ("/engine/safetensors/save-unwritable", test_save_unwritable);
  g_test_add_func ("/engine/safetensors/save-replaces", test_save_replaces);
  g_test_add_func ("/engine/safetensors/save-invalid", test_save_invalid);
  g_test_add_func ("/engine/safetensors/golden-init", test_golden_init);
  g_test_add_func ("/engine/safetensors/golden-all", test_golden_all);
  g_test_add_func ("/engine/safetensors/fuzz-findings", test_fuzz_findings);
  g_test_add_func ("/engine/safetensors/limits", test_limits);

  return g_test_run ();
}
