/* rs-checkpoint.h — a network's parameters to and from safetensors files,
 * with PyTorch's names ("fc1.weight" [out, in], "fc1.bias" [out]), so a
 * model initialised or trained in PyTorch loads here and back. */
#pragma once

#include <glib.h>

#include "rs-network.h"

G_BEGIN_DECLS

/* Copies every layer's tensors from the file into the network (nothing on
 * error). A missing tensor, a wrong shape or a model tensor of another
 * dtype than F32 is an error naming the file and the tensor. Tensors the
 * model does not use (of any dtype) are skipped; *warning (may be NULL)
 * gets one line naming them, or NULL when there are none. */
gboolean rs_checkpoint_load (RsNetwork *net, const char *path, char **warning,
                             GError **error);
/* Writes fc1.weight, fc1.bias, fc2.weight, ... atomically, with
 * "__metadata__" {"format": "pt", "regscope": version, "lesson": lesson}
 * (lesson may be NULL). */
gboolean rs_checkpoint_save (const RsNetwork *net, const char *path, const char *lesson,
                             GError **error);

G_END_DECLS
