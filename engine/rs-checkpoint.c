#include "rs-checkpoint.h"

#include <stdio.h>
#include <string.h>

#include "rs-error.h"
#include "rs-safetensors.h"

static gboolean
copy_tensor (const RsTensorFile *file, const char *path, const char *name, float *dst,
             int rows, int cols, GError **error)
{
  const RsTensor *t = rs_tensor_file_find (file, name);
  if (t == NULL)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE, "%s: tensor '%s' is missing", path, name);
      return FALSE;
    }
  gboolean ok = cols > 0 ? (t->n_dims == 2 && t->shape[0] == rows && t->shape[1] == cols)
                         : (t->n_dims == 1 && t->shape[0] == rows);
  if (!ok)
    {
      GString *shape = g_string_new ("[");
      for (int d = 0; d < t->n_dims; d++)
        g_string_append_printf (shape, "%s%" G_GINT64_FORMAT, d ? ", " : "", t->shape[d]);
      g_string_append_c (shape, ']');
      g_autofree char *want = cols > 0 ? g_strdup_printf ("[%d, %d]", rows, cols)
                                       : g_strdup_printf ("[%d]", rows);
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                   "%s: tensor '%s' has shape %s, the model needs %s", path, name,
                   shape->str, want);
      g_string_free (shape, TRUE);
      return FALSE;
    }
  memcpy (dst, t->data, (gsize) rows * (cols > 0 ? cols : 1) * sizeof (float));
  return TRUE;
}

gboolean
rs_checkpoint_load (RsNetwork *net, const char *path, GError **error)
{
  g_autoptr (RsTensorFile) file = rs_safetensors_load (path, error);
  if (file == NULL)
    return FALSE;

  /* A tensor named like a layer this model does not have means the file
   * belongs to another architecture: say so rather than ignore it. */
  for (int i = 0; i < file->n_tensors; i++)
    {
      const char *name = file->tensors[i].name;
      int k = 0;
      if (sscanf (name, "fc%d.", &k) == 1 && (k < 1 || k > net->n_layers))
        {
          g_set_error (error, RS_ERROR, RS_ERROR_SHAPE,
                       "%s: tensor '%s' is for a layer the model does not have (fc1..fc%d)",
                       path, name, net->n_layers);
          return FALSE;
        }
    }

  /* Copy into a scratch vector first so a failure leaves the net intact. */
  g_autofree float *scratch = g_new (float, net->n_params);
  for (int l = 0; l < net->n_layers; l++)
    {
      const RsLayer *layer = &net->layers[l];
      g_autofree char *wname = g_strdup_printf ("fc%d.weight", l + 1);
      g_autofree char *bname = g_strdup_printf ("fc%d.bias", l + 1);
      gsize off = (gsize) (layer->weight - net->params);
      if (!copy_tensor (file, path, wname, scratch + off, layer->out, layer->in, error)
          || !copy_tensor (file, path, bname, scratch + off + (gsize) layer->out * layer->in,
                           layer->out, 0, error))
        return FALSE;
    }
  memcpy (net->params, scratch, net->n_params * sizeof (float));
  return TRUE;
}

gboolean
rs_checkpoint_save (const RsNetwork *net, const char *path, GError **error)
{
  RsTensor tensors[2 * RS_MAX_LAYERS];
  char names[2 * RS_MAX_LAYERS][32];
  int n = 0;
  for (int l = 0; l < net->n_layers; l++)
    {
      const RsLayer *layer = &net->layers[l];
      g_snprintf (names[n], sizeof names[n], "fc%d.weight", l + 1);
      tensors[n] = (RsTensor) { .name = names[n], .n_dims = 2,
                                .shape = { layer->out, layer->in }, .data = layer->weight };
      n++;
      g_snprintf (names[n], sizeof names[n], "fc%d.bias", l + 1);
      tensors[n] = (RsTensor) { .name = names[n], .n_dims = 1, .shape = { layer->out },
                                .data = layer->bias };
      n++;
    }
  return rs_safetensors_save (path, tensors, n, error);
}
