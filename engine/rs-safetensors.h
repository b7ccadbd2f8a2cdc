/* rs-safetensors.h — read and write float32 checkpoints in the safetensors
 * format with PyTorch's names: "fc1.weight" [out, in], "fc1.bias" [out].
 *
 * The format: 8-byte little-endian header length N, N bytes of JSON
 * {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...
 *  "__metadata__": {...}}, then the raw little-endian tensor bytes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char       *name;
  int         n_dims;
  gint64      shape[4];
  float      *data;    /* product(shape) floats, owned; NULL unless F32 */
  const char *dtype;   /* "F32", "I64", ... (static); NULL when writing means F32 */
} RsTensor;

typedef struct {
  int       n_tensors;
  RsTensor *tensors;
  char    **metadata;  /* "__metadata__": key, value, key, value, ..., NULL */
} RsTensorFile;

/* Reads the whole file; every inconsistency (header length past the end,
 * bad JSON, an unknown dtype, offsets out of order, overlapping or past
 * the end, shape product not matching the byte count) is an error naming
 * the file and the tensor. Headers larger than 100 MB are refused. As in
 * the reference implementation the tensors must tile the data section
 * exactly (no holes, no unused trailing bytes). Tensors of every dtype of
 * the format are checked and listed, but only F32 data are read (others
 * have data NULL). The string values of "__metadata__" are kept in
 * metadata; anything else there is ignored.
 * Tensors come back in data order (the order rs_safetensors_save wrote).
 * Codes: RS_ERROR_IO (cannot read), RS_ERROR_PARSE (truncated, header
 * length, JSON syntax or types, duplicate names), RS_ERROR_VALUE (dtype,
 * rank, negative numbers), RS_ERROR_SHAPE (byte counts, offsets). */
RsTensorFile   *rs_safetensors_load (const char *path, GError **error);
RsTensorFile   *rs_safetensors_parse (const guint8 *bytes, gsize len,
                                      const char *name_for_errors, GError **error);
void            rs_tensor_file_free (RsTensorFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsTensorFile, rs_tensor_file_free)

const RsTensor *rs_tensor_file_find (const RsTensorFile *file, const char *name);

/* Bytes per element of a safetensors dtype ("F32" 4, "I64" 8, ...), 0 if
 * the format has no such dtype. */
guint           rs_safetensors_dtype_size (const char *dtype);

/* Writes F32 tensors in the given order, atomically (temporary file +
 * rename). */
gboolean        rs_safetensors_save (const char *path, const RsTensor *tensors,
                                     int n_tensors, GError **error);
/* The same with "__metadata__" first in the header, as the reference
 * writer puts it: `metadata` is key, value, key, value, ..., NULL. */
gboolean        rs_safetensors_save_with_metadata (const char *path, const RsTensor *tensors,
                                                   int n_tensors,
                                                   const char *const *metadata,
                                                   GError **error);

G_END_DECLS
