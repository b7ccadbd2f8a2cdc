/* rs-checkpoint.h — a network's parameters to and from safetensors files,
 * with PyTorch's names ("fc1.weight" [out, in], "fc1.bias" [out]), so a
 * model initialised or trained in PyTorch loads here and back. */
#pragma once

#include <glib.h>

#include "rs-network.h"

G_BEGIN_DECLS

/* Copies every layer's tensors from the file into the network. Missing
 * tensors, wrong shapes and extra "fcK.*" tensors beyond the model are
 * errors naming the file and the tensor. */
gboolean rs_checkpoint_load (RsNetwork *net, const char *path, GError **error);
/* Writes fc1.weight, fc1.bias, fc2.weight, ... atomically. */
gboolean rs_checkpoint_save (const RsNetwork *net, const char *path, GError **error);

G_END_DECLS
