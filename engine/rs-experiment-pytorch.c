/* rs-experiment-pytorch.c — an experiment as the PyTorch program it stands
 * for, written in the style of the seed document's three examples, so a
 * student can go from the explorer back to code they can run and edit.
 *
 * The script follows the same recipe (model, optimizer parameter groups,
 * penalties added to the loss, the print line) but PyTorch draws its own
 * random numbers, so its losses are not regscope's digit for digit. */
#include "rs-experiment.h"
#include "rs-keys.h"

#include <string.h>

/* A double-quoted Python string literal. */
static void
append_py_string (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_printf (s, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (s, "\\n");
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (s, "\\x%02x", *p);
      else
        g_string_append_c (s, (char) *p);
    }
  g_string_append_c (s, '"');
}

/* Free text as comment lines of at most ~78 columns, wrapped at spaces;
 * the text's own line breaks are kept. */
static void
append_comment (GString *s, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      for (char *p = line; *p; p++)
        if ((unsigned char) *p < 0x20)
          *p = ' ';
      if (*line == '\0')
        {
          g_string_append (s, "#\n");
          continue;
        }
      while (*line != '\0')
        {
          /* Cut after the last space within 76 bytes (or at the first
           * space after, for one very long word). */
          gsize len = strlen (line), cut = len;
          if (len > 76)
            {
              cut = 0;
              for (gsize j = 0; j < len && (j <= 76 || cut == 0); j++)
                if (line[j] == ' ')
                  cut = j;
              if (cut == 0)
                cut = len;
            }
          g_string_append (s, "# ");
          g_string_append_len (s, line, cut);
          g_string_append_c (s, '\n');
          line += cut;
          while (*line == ' ')
            line++;
        }
    }
}

static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

/* The loss penalties are the table's layer keys with a Python name. Which
 * layers use a term decides its name: one layer with L1 reads "l1_lambda"
 * as in the seed, several read "l1_lambda_fc1", ... */
static int
count_layers_with (const RsExperiment *exp, const RsKey *term)
{
  int n = 0;
  for (int l = 0; l < exp->n_layers; l++)
    if (rs_key_get_number (term, &exp->layer[l]) > 0)
      n++;
  return n;
}

static char *
lambda_name (const RsExperiment *exp, const char *key, int layer)
{
  const RsKey *term = rs_key_find (RS_SECTION_LAYER, key);
  if (count_layers_with (exp, term) == 1)
    return g_strdup (term->python);
  return g_strdup_printf ("%s_fc%d", term->python, layer + 1);
}

/* The lines of every term that is on in layer l, from the key table's
 * templates (RsKey.python_loss, python_forward), each line indented by
 * `ind`; loss lines come after a blank line, as a paragraph. */
static void
append_term_lines (GString *s, const RsExperiment *exp, int l, const char *ind,
                   gboolean forward)
{
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  char k[16];
  g_snprintf (k, sizeof k, "%d", l + 1);
  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *term = &keys[i];
      const char *const *templates = forward ? term->python_forward : term->python_loss;
      if (term->section != RS_SECTION_LAYER || templates == NULL
          || rs_key_get_number (term, &exp->layer[l]) <= 0)
        continue;
      int variant = 0;
      if (term->python_variant != NULL)
        {
          const RsKey *by = rs_key_find (RS_SECTION_LAYER, term->python_variant);
          variant = (int) rs_key_get_number (by, &exp->layer[l]);
          if (variant < 0 || variant >= (int) g_strv_length ((char **) templates))
            variant = 0;
        }
      g_autofree char *name = term->python != NULL ? lambda_name (exp, term->name, l)
                                                   : g_strdup ("");
      g_auto (GStrv) lines = g_strsplit (templates[variant], "\n", -1);
      if (!forward)
        g_string_append_c (s, '\n');
      for (int j = 0; lines[j] != NULL; j++)
        {
          g_autofree char *with_name = replace_all (lines[j], "{name}", name);
          g_autofree char *line = replace_all (with_name, "{k}", k);
          g_string_append_printf (s, "%s%s\n", ind, line);
        }
    }
}

static gboolean
is_generated (RsDataSource s)
{
  return s == RS_DATA_RANDOM || s == RS_DATA_BLOBS || rs_data_source_is_2d (s);
}

static gboolean
any_weight_decay (const RsExperiment *exp)
{
  for (int l = 0; l < exp->n_layers; l++)
    if (exp->layer[l].weight_decay > 0)
      return TRUE;
  return FALSE;
}

static void
append_model (GString *s, const RsExperiment *exp)
{
  static const char *const act_fn[] = { "torch.relu", "torch.tanh", "torch.sigmoid", NULL };
  const char *act = (unsigned) exp->activation < 3 ? act_fn[exp->activation] : NULL;

  g_string_append (s, "class Model(nn.Module):\n"
                      "    def __init__(self):\n"
                      "        super(Model, self).__init__()\n");
  for (int l = 0; l < exp->n_layers; l++)
    g_string_append_printf (s, "        self.fc%d = nn.Linear(%d, %d)\n", l + 1,
                            exp->sizes[l], exp->sizes[l + 1]);
  g_string_append (s, "\n    def forward(self, x):\n");
  for (int l = 0; l < exp->n_layers; l++)
    {
      gboolean hidden = l < exp->n_layers - 1;
      if (hidden && act != NULL)
        g_string_append_printf (s, "        x = %s(self.fc%d(x))\n", act, l + 1);
      else
        g_string_append_printf (s, "        x = self.fc%d(x)\n", l + 1);
      append_term_lines (s, exp, l, "        ", TRUE);
    }
  g_string_append (s, "        return x\n\n");
}

static void
append_optimizer (GString *s, const RsExperiment *exp)
{
  static const char *const ctor[] = { "optim.SGD", "optim.Adam", "optim.AdamW" };
  const RsOptimizerConfig *o = &exp->optimizer;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  if (any_weight_decay (exp))
    {
      /* One parameter group per layer, each with that layer's decay (the
       * seed's Example 1): decay acts in the update, not in the loss. */
      g_string_append_printf (s, "# Weight decay per layer through parameter groups "
                                 "(never part of the printed loss)\n"
                                 "optimizer = %s([\n", ctor[o->kind]);
      for (int l = 0; l < exp->n_layers; l++)
        {
          rs_format_double (a, exp->layer[l].weight_decay);
          g_string_append_printf (s, "    {'params': model.fc%d.parameters(), "
                                     "'weight_decay': %s},\n", l + 1, a);
        }
      g_string_append (s, "]");
    }
  else
    g_string_append_printf (s, "optimizer = %s(model.parameters()", ctor[o->kind]);

  rs_format_double (a, o->lr);
  g_string_append_printf (s, ", lr=%s", a);
  if (o->kind == RS_OPT_SGD)
    {
      if (o->momentum != 0)
        {
          rs_format_double (a, o->momentum);
          g_string_append_printf (s, ", momentum=%s", a);
        }
      if (o->dampening != 0)
        {
          rs_format_double (a, o->dampening);
          g_string_append_printf (s, ", dampening=%s", a);
        }
      if (o->nesterov)
        g_string_append (s, ", nesterov=True");
    }
  else
    {
      if (o->beta1 != 0.9 || o->beta2 != 0.999)
        {
          rs_format_double (a, o->beta1);
          rs_format_double (b, o->beta2);
          g_string_append_printf (s, ", betas=(%s, %s)", a, b);
        }
      if (o->eps != 1e-8)
        {
          rs_format_double (a, o->eps);
          g_string_append_printf (s, ", eps=%s", a);
        }
      /* AdamW would otherwise decay everything by its default 0.01. */
      if (o->kind == RS_OPT_ADAMW && !any_weight_decay (exp))
        g_string_append (s, ", weight_decay=0");
    }
  g_string_append (s, ")\n");
}

static void
append_lambdas (GString *s, const RsExperiment *exp)
{
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *term = &keys[i];
      if (term->section != RS_SECTION_LAYER || term->python == NULL)
        continue;
      for (int l = 0; l < exp->n_layers; l++)
        {
          double lambda = rs_key_get_number (term, &exp->layer[l]);
          if (lambda <= 0)
            continue;
          g_autofree char *name = lambda_name (exp, term->name, l);
          rs_format_double (v, lambda);
          /* The label as a sentence starts: "Activity coefficient". */
          g_string_append_printf (s, "%s = %s # %c%s coefficient for fc%d\n", name, v,
                                  g_ascii_toupper (term->label[0]), term->label + 1, l + 1);
        }
    }
}

static const char csv_loader[] =
  "def load_csv(path):\n"
  "    \"\"\"Features in every column but the last, an integer class label last.\n"
  "    A first line that is not all numbers (column names, or scikit-learn's\n"
  "    'n_samples,n_features,class names' header) is skipped.\"\"\"\n"
  "    with open(path, newline='', encoding='utf-8-sig') as f:\n"
  "        rows = [row for row in csv.reader(f) if row]\n"
  "    def numeric(row):\n"
  "        try:\n"
  "            return [float(v) for v in row]\n"
  "        except ValueError:\n"
  "            return None\n"
  "    if len(rows) > 1 and (numeric(rows[0]) is None or len(rows[0]) != len(rows[1])):\n"
  "        rows = rows[1:]\n"
  "    data = torch.tensor([numeric(row) for row in rows], dtype=torch.float32)\n"
  "    return data[:, :-1], data[:, -1].long()\n\n";

static const char idx_loader[] =
  "def load_idx(folder, part):\n"
  "    \"\"\"MNIST-format images and labels, gzip'd or not: part is 'train' or\n"
  "    't10k'. Pixels 0..255 become 0..1 (as regscope reads them); None when\n"
  "    the folder has no such part.\"\"\"\n"
  "    def read(name):\n"
  "        for path in (os.path.join(folder, name + '.gz'), os.path.join(folder, name)):\n"
  "            if os.path.exists(path):\n"
  "                with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:\n"
  "                    return f.read()\n"
  "        return None\n"
  "    images = read(part + '-images-idx3-ubyte')\n"
  "    labels = read(part + '-labels-idx1-ubyte')\n"
  "    if images is None or labels is None:\n"
  "        return None, None\n"
  "    n = struct.unpack('>I', images[4:8])[0]\n"
  "    x = torch.frombuffer(bytearray(images[16:]), dtype=torch.uint8)\n"
  "    y = torch.frombuffer(bytearray(labels[8:]), dtype=torch.uint8)\n"
  "    return x.reshape(n, -1).float() / 255, y.long()\n\n";

static void
append_data (GString *s, const RsExperiment *exp)
{
  int n = exp->samples, f = exp->features, c = exp->classes;
  char noise[G_ASCII_DTOSTR_BUF_SIZE];
  rs_format_double (noise, exp->noise);
  const char *name = rs_data_source_to_string (exp->source);

  switch (exp->source)
    {
    case RS_DATA_RANDOM:
      g_string_append_printf (s, "# Dummy input and target\n"
                                 "inputs = torch.randn(%d, %d)\n"
                                 "targets = torch.randint(0, %d, (%d,))\n",
                              n, f, c, n);
      break;

    case RS_DATA_CSV:
      g_string_append (s, "inputs, targets = load_csv(");
      append_py_string (s, exp->csv_path ? exp->csv_path : "");
      g_string_append (s, ")\n");
      break;

    case RS_DATA_IDX:
      g_string_append (s, "data_folder = ");
      append_py_string (s, exp->csv_path ? exp->csv_path : "");
      g_string_append (s, "\ninputs, targets = load_idx(data_folder, 'train')\n"
                          "test_inputs, test_targets = load_idx(data_folder, 't10k')\n");
      break;

    case RS_DATA_DIGITS:
    case RS_DATA_IRIS:
    case RS_DATA_WINE:
    case RS_DATA_BREAST_CANCER:
      {
        /* The shipped files are scikit-learn's bundled tables. */
        g_autofree char *fn = g_strdelimit (g_strdup (name), "-", '_');
        g_string_append_printf (s,
          "# regscope ships %s as data/datasets/%s.csv (load it with load_csv);\n"
          "# it is the same table scikit-learn bundles:\n"
          "from sklearn.datasets import load_%s\n"
          "dataset = load_%s()\n"
          "inputs = torch.tensor(dataset.data, dtype=torch.float32)\n"
          "targets = torch.tensor(dataset.target, dtype=torch.long)\n",
          name, name, fn, fn);
        break;
      }

    default:
      g_string_append_printf (s,
        "# A stand-in for regscope's '%s' generator: the same kind of problem,\n"
        "# but not the same points (load regscope's %s here to compare exactly).\n"
        "targets = torch.arange(%d) %% %d\n",
        name, name, n, c);
      if (exp->source == RS_DATA_SPIRALS)
        g_string_append_printf (s,
          "t = torch.rand(%d)\n"
          "angle = 4.0 * t + targets * (2 * math.pi / %d)\n"
          "inputs = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1)\n",
          n, c);
      else if (exp->source == RS_DATA_MOONS)
        g_string_append_printf (s,
          "t = torch.rand(%d) * math.pi\n"
          "upper = torch.stack([torch.cos(t), torch.sin(t)], 1)\n"
          "lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)\n"
          "inputs = torch.where((targets == 0).unsqueeze(1), upper, lower)\n",
          n);
      else if (exp->source == RS_DATA_CIRCLES)
        g_string_append_printf (s,
          "angle = torch.rand(%d) * 2 * math.pi\n"
          "radius = (targets + 1) / %d\n"
          "inputs = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)\n",
          n, c);
      else if (exp->source == RS_DATA_XOR)
        g_string_append_printf (s,
          "inputs = torch.rand(%d, 2) * 2 - 1\n"
          "targets = ((inputs[:, 0] > 0) != (inputs[:, 1] > 0)).long()\n",
          n);
      else /* blobs */
        g_string_append_printf (s,
          "centers = torch.randn(%d, %d) * 3\n"
          "inputs = centers[targets]\n",
          c, f);
      g_string_append_printf (s, "inputs = inputs + %s * torch.randn(inputs.shape)\n", noise);
      break;
    }

  if (exp->validation > 0)
    {
      char frac[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (frac, 1.0 - exp->validation);
      g_string_append_printf (s,
        "\n# Hold out a validation set (regscope permutes with its own RNG: a different split)\n"
        "n_train = min(max(int(%s * len(inputs) + 0.5), 1), len(inputs) - 1)\n"
        "perm = torch.randperm(len(inputs))\n"
        "val_inputs, val_targets = inputs[perm[n_train:]], targets[perm[n_train:]]\n"
        "inputs, targets = inputs[perm[:n_train]], targets[perm[:n_train]]\n",
        frac);
    }
  if (exp->standardize)
    {
      g_string_append (s,
        "\n# Standardize with the training set's mean and spread\n"
        "mean = inputs.mean(0)\n"
        "std = inputs.std(0, unbiased=False)\n"
        "std[std == 0] = 1  # constant columns are only centred\n"
        "inputs = (inputs - mean) / std\n");
      if (exp->validation > 0)
        g_string_append (s, "val_inputs = (val_inputs - mean) / std\n");
      if (exp->source == RS_DATA_IDX)
        g_string_append (s, "if test_inputs is not None:\n"
                            "    test_inputs = (test_inputs - mean) / std\n");
    }
}

/* zero_grad, forward, task loss, every penalty, backward, step. */
static void
append_step (GString *s, const RsExperiment *exp, const char *ind, const char *x,
             const char *y)
{
  g_string_append_printf (s, "%soptimizer.zero_grad()\n"
                             "%soutputs = model(%s)\n", ind, ind, x);
  if (exp->loss == RS_LOSS_MSE)
    g_string_append_printf (s, "%sloss = criterion(outputs, "
                               "nn.functional.one_hot(%s, %d).float())\n",
                            ind, y, exp->sizes[exp->n_layers]);
  else
    g_string_append_printf (s, "%sloss = criterion(outputs, %s)\n", ind, y);

  for (int l = 0; l < exp->n_layers; l++)
    append_term_lines (s, exp, l, ind, FALSE);
  g_string_append_printf (s, "%sloss.backward()\n"
                             "%soptimizer.step()\n", ind, ind);
}

/* The seed's print line, with the validation loss when there is a split. */
static void
append_print (GString *s, const RsExperiment *exp, const char *ind, const char *label,
              const char *var)
{
  if (exp->validation > 0)
    {
      const char *y = exp->loss == RS_LOSS_MSE ? NULL : "val_targets";
      g_string_append_printf (s, "%swith torch.no_grad():\n", ind);
      if (y != NULL)
        g_string_append_printf (s, "%s    val_loss = criterion(model(val_inputs), %s)\n",
                                ind, y);
      else
        g_string_append_printf (s, "%s    val_loss = criterion(model(val_inputs), "
                                   "nn.functional.one_hot(val_targets, %d).float())\n",
                                ind, exp->sizes[exp->n_layers]);
      g_string_append_printf (s, "%sprint(f\"%s: {%s}, Loss: {loss.item():.4f}, "
                                 "Val loss: {val_loss.item():.4f}\")\n", ind, label, var);
    }
  else
    g_string_append_printf (s, "%sprint(f\"%s: {%s}, Loss: {loss.item():.4f}\")\n",
                            ind, label, var);
}

static void
append_loop (GString *s, const RsExperiment *exp)
{
  gboolean by_steps = exp->steps > 0;
  gboolean batches = exp->batch_size > 0
                     && !(is_generated (exp->source) && exp->batch_size >= exp->samples);

  if (!batches)
    {
      if (by_steps)
        g_string_append_printf (s, "for step in range(%" G_GINT64_FORMAT "):\n", exp->steps);
      else
        g_string_append_printf (s, "for epoch in range(%d):\n", exp->epochs);
      append_step (s, exp, "    ", "inputs", "targets");
      append_print (s, exp, "    ", by_steps ? "Step" : "Epoch", by_steps ? "step" : "epoch");
      return;
    }

  const char *order = exp->shuffle
    ? "torch.randperm(len(inputs))  # regscope shuffles with its own RNG: another order"
    : "torch.arange(len(inputs))";
  if (!by_steps)
    {
      g_string_append_printf (s,
        "batch_size = %d\n"
        "for epoch in range(%d):\n"
        "    order = %s\n"
        "    for start in range(0, len(inputs), batch_size):\n"
        "        batch = order[start:start + batch_size]\n",
        exp->batch_size, exp->epochs, order);
      append_step (s, exp, "        ", "inputs[batch]", "targets[batch]");
      g_string_append (s, "    # the loss of the epoch's last batch\n");
      append_print (s, exp, "    ", "Epoch", "epoch");
      return;
    }
  g_string_append_printf (s,
    "batch_size = %d\n"
    "steps = %" G_GINT64_FORMAT "\n"
    "step = 0\n"
    "while step < steps:\n"
    "    order = %s\n"
    "    for start in range(0, len(inputs), batch_size):\n"
    "        if step == steps:\n"
    "            break\n"
    "        batch = order[start:start + batch_size]\n",
    exp->batch_size, exp->steps, order);
  append_step (s, exp, "        ", "inputs[batch]", "targets[batch]");
  append_print (s, exp, "        ", "Step", "step");
  g_string_append (s, "        step += 1\n");
}

char *
rs_experiment_to_pytorch (const RsExperiment *exp)
{
  g_return_val_if_fail (exp != NULL, NULL);
  GString *s = g_string_new (NULL);

  append_comment (s, exp->title ? exp->title : "Untitled");
  if (exp->description != NULL && *exp->description != '\0')
    append_comment (s, exp->description);
  if (exp->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (exp->path);
      g_string_append_printf (s, "#\n# Written by regscope %s from %s.\n", RS_VERSION, base);
    }
  else
    g_string_append_printf (s, "#\n# Written by regscope %s.\n", RS_VERSION);
  g_string_append (s, "# PyTorch draws its own random numbers (weights, data, shuffling), so the\n"
                      "# losses follow the same recipe but not regscope's digits.\n");

  gboolean need_math = exp->source == RS_DATA_SPIRALS || exp->source == RS_DATA_MOONS
                       || exp->source == RS_DATA_CIRCLES;
  if (exp->source == RS_DATA_CSV)
    g_string_append (s, "import csv\n");
  if (exp->source == RS_DATA_IDX)
    g_string_append (s, "import gzip\nimport os\nimport struct\n");
  if (need_math)
    g_string_append (s, "import math\n");
  g_string_append (s, "import torch\n"
                      "import torch.nn as nn\n"
                      "import torch.optim as optim\n\n");
  if (exp->source == RS_DATA_CSV)
    g_string_append (s, csv_loader);
  if (exp->source == RS_DATA_IDX)
    g_string_append (s, idx_loader);

  append_model (s, exp);

  g_string_append_printf (s, "torch.manual_seed(%" G_GUINT64_FORMAT ")\n", exp->seed);
  g_string_append (s, "model = Model()\n");
  g_string_append_printf (s, "criterion = %s\n",
                          exp->loss == RS_LOSS_MSE ? "nn.MSELoss()" : "nn.CrossEntropyLoss()");
  append_optimizer (s, exp);
  append_lambdas (s, exp);
  g_string_append (s, "\n");

  append_data (s, exp);
  g_string_append (s, "\n");

  append_loop (s, exp);
  if (exp->source == RS_DATA_IDX)
    g_string_append (s, "\n# The test set, as regscope reports it\n"
                        "if test_inputs is not None:\n"
                        "    with torch.no_grad():\n"
                        "        correct = (model(test_inputs).argmax(1) == test_targets).sum().item()\n"
                        "    print(f\"Test accuracy: {correct / len(test_targets):.4f}\")\n");
  return g_string_free (s, FALSE);
}
