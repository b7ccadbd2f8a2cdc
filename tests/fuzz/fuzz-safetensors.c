/* fuzz-safetensors.c — rs_safetensors_parse on arbitrary bytes.
 *
 * Checks: no crash, leak, hang or huge allocation; a refused input gives a
 * one-line RS_ERROR; an accepted one has sane tensors (named, rank 0..4,
 * dimensions >= 0, a known dtype; F32 data holding product(shape) floats,
 * which are all read so ASan sees any short buffer, and no data for other
 * dtypes), findable by name, and the tensors fill the data section after
 * the header exactly (the tiling rule); metadata is key/value pairs. */
#include <string.h>

#include "fuzz-common.h"
#include "rs-safetensors.h"

static void
check_file (const RsTensorFile *file, const uint8_t *data, size_t size)
{
  if (file->n_tensors < 0 || (file->n_tensors > 0 && file->tensors == NULL))
    fuzz_fail ("bad tensor list: %d tensors", file->n_tensors);
  if (size < 8)
    fuzz_fail ("accepted %zu bytes: no room for the header length", size);
  guint64 header_len;
  memcpy (&header_len, data, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > size - 8)
    fuzz_fail ("accepted a header length of %" G_GUINT64_FORMAT " in %zu bytes",
               header_len, size);
  guint64 data_len = size - 8 - header_len;
  guint64 total_bytes = 0;
  for (int i = 0; i < file->n_tensors; i++)
    {
      const RsTensor *t = &file->tensors[i];
      if (t->name == NULL || strcmp (t->name, "__metadata__") == 0)
        fuzz_fail ("tensor %d has no name or a reserved one", i);
      if (t->n_dims < 0 || t->n_dims > 4)
        fuzz_fail ("tensor '%s': rank %d", t->name, t->n_dims);
      guint64 count = 1;
      for (int k = 0; k < t->n_dims; k++)
        {
          if (t->shape[k] < 0)
            fuzz_fail ("tensor '%s': shape[%d] = %" G_GINT64_FORMAT, t->name, k, t->shape[k]);
          count *= (guint64) t->shape[k];
        }
      guint elem = rs_safetensors_dtype_size (t->dtype);
      if (elem == 0)
        fuzz_fail ("tensor '%s': unknown dtype", t->name);
      if (count * elem > size)
        fuzz_fail ("tensor '%s': %" G_GUINT64_FORMAT " elements from %zu bytes", t->name,
                   count, size);
      total_bytes += count * elem;
      if (strcmp (t->dtype, "F32") != 0)
        {
          if (t->data != NULL)
            fuzz_fail ("tensor '%s': %s data were read", t->name, t->dtype);
          count = 0;
        }
      else if (count > 0 && t->data == NULL)
        fuzz_fail ("tensor '%s': no data", t->name);
      /* Read every float: a buffer shorter than the shape says is an ASan
       * report here. */
      volatile guint32 sink = 0;
      for (guint64 j = 0; j < count; j++)
        {
          guint32 bits;
          memcpy (&bits, &t->data[j], 4);
          sink ^= bits;
        }
      (void) sink;
      const RsTensor *found = rs_tensor_file_find (file, t->name);
      if (found == NULL || strcmp (found->name, t->name) != 0)
        fuzz_fail ("tensor '%s' is not found by name", t->name);
    }
  if (file->metadata == NULL || g_strv_length (file->metadata) % 2 != 0)
    fuzz_fail ("metadata is not key/value pairs");
  if (total_bytes != data_len)
    fuzz_fail ("tensors hold %" G_GUINT64_FORMAT " bytes, the data section has %"
               G_GUINT64_FORMAT, total_bytes, data_len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RsTensorFile *file = rs_safetensors_parse (data, size, "fuzz.safetensors", &error);
  if (file == NULL)
    {
      fuzz_check_error ("rs_safetensors_parse", error);
      g_error_free (error);
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("rs_safetensors_parse succeeded and set an error: %s", error->message);
  check_file (file, data, size);
  rs_tensor_file_free (file);
  return 0;
}
