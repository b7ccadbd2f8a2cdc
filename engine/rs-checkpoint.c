#include "rs-checkpoint.h"

#include <glib/gi18n.h>
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
      g_set_error (error, RS_ERROR, RS_ERROR_SHAPE, _("%s: tensor '%s' is missing"), path, name);
      return FALSE;
    }
  if (t->data == NULL && strcmp (t->dtype, "F32") != 0)
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE,
                   _("%s: tensor '%s': dtype %s is not supported (only F32)"), path, name,
                   t->dtype);
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
                   _("%s: tensor '%s' has shape %s, the model needs %s"), path, name,
                   shape->str, want);
      g_string_free (shape, TRUE);
      return FALSE;
    }
  memcpy (dst, t->data, (gsize) rows * (cols > 0 ? cols : 1) * sizeof (float));
  return TRUE;
}

/* Is `name` one of fc1.weight, fc1.bias, ..., fcN.bias? */
static gboolean
is_model_tensor (const char *name, int n_layers)
{
  for (int l = 1; l <= n_layers; l++)
    {
      char w[32], b[32];
      g_snprintf (w, sizeof w, "fc%d.weight", l);
      g_snprintf (b, sizeof b, "fc%d.bias", l);
      if (strcmp (name, w) == 0 || strcmp (name, b) == 0)
        return TRUE;
    }
  return FALSE;
}

/* One line naming every tensor the model does not use, or NULL. */
static char *
describe_unused (const RsTensorFile *file, const char *path, int n_layers)
{
  GString *list = g_string_new (NULL);
  int n = 0;
  for (int i = 0; i < file->n_tensors; i++)
    {
      const RsTensor *t = &file->tensors[i];
      if (is_model_tensor (t->name, n_layers))
        continue;
      if (n++ < 8)
        {
          g_autofree char *shown = g_strescape (t->name, NULL);
          g_string_append_printf (list, "%s'%s'", n > 1 ? ", " : "", shown);
          if (strcmp (t->dtype, "F32") != 0)
            g_string_append_printf (list, " (%s)", t->dtype);
        }
    }
  if (n > 8)
    g_string_append_printf (list, " and %d more", n - 8);
  char *line = n == 0 ? NULL
               : g_strdup_printf ("%s: %d %s that the model (fc1..fc%d) does not use %s skipped: %s",
                                  path, n, n == 1 ? "tensor" : "tensors", n_layers,
                                  n == 1 ? "was" : "were", list->str);
  g_string_free (list, TRUE);
  return line;
}

gboolean
rs_checkpoint_load (RsNetwork *net, const char *path, char **warning, GError **error)
{
  if (warning != NULL)
    *warning = NULL;
  g_autoptr (RsTensorFile) file = rs_safetensors_load (path, error);
  if (file == NULL)
    return FALSE;

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
  /* Other tensors (an optimizer's step, a layer this model lacks, a
   * buffer of another dtype) are left alone, and said so in one line. */
  if (warning != NULL)
    *warning = describe_unused (file, path, net->n_layers);
  return TRUE;
}

gboolean
rs_checkpoint_save (const RsNetwork *net, const char *path, const char *lesson,
                    GError **error)
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
  /* As safetensors.torch.save_file: "format": "pt" tells readers that the
   * layout is PyTorch's. */
  const char *metadata[] = { "format", "pt", "regscope", RS_VERSION,
                             lesson != NULL ? "lesson" : NULL, lesson, NULL };
  return rs_safetensors_save_with_metadata (path, tensors, n, metadata, error);
}
