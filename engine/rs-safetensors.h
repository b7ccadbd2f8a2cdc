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
  char  *name;
  int    n_dims;
  gint64 shape[4];
  float *data;         /* product(shape) floats, owned */
} RsTensor;

typedef struct {
  int       n_tensors;
  RsTensor *tensors;
} RsTensorFile;

/* Reads the whole file; every inconsistency (header length past the end,
 * bad JSON, dtype other than F32, offsets out of order, overlapping or past
 * the end, shape product not matching the byte count) is an error naming
 * the file and the tensor. Headers larger than 100 MB are refused. As in
 * the reference implementation the tensors must tile the data section
 * exactly (no holes, no unused trailing bytes); "__metadata__" is ignored.
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

/* Writes tensors in the given order, atomically (temporary file + rename). */
gboolean        rs_safetensors_save (const char *path, const RsTensor *tensors,
                                     int n_tensors, GError **error);

G_END_DECLS
