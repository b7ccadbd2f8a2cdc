/* rs-experiment-pytorch.c — an experiment as the PyTorch program it stands
 * for, written in the style of the seed document's three examples, so a
 * student can go from the explorer back to code they can run and edit.
 *
 * The script follows the same recipe (model, optimizer parameter groups,
 * penalties added to the loss, the print line) on the same numbers: the
 * data regscope loads or makes, its split, standardisation, batch order
 * and initial weights, through a few lines of Python that port
 * rs-rng.c, so its losses are regscope's (tests/test-pytorch-parity.c). */
#include "rs-experiment.h"
#include "rs-keys.h"
#include "rs-lessons.h"

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

/* Where a term's lines go. */
typedef enum { PY_FORWARD, PY_LOSS, PY_STEP } PyPlace;

/* The lines of every term that is on in layer l, from the key table's
 * templates (RsKey.python_forward, python_loss, python_step), each line
 * indented by `ind`; loss lines come after a blank line, as a paragraph. */
static void
append_term_lines (GString *s, const RsExperiment *exp, int l, const char *ind,
                   PyPlace place)
{
  gsize n_keys;
  const RsKey *keys = rs_keys (&n_keys);
  char k[16];
  g_snprintf (k, sizeof k, "%d", l + 1);
  for (gsize i = 0; i < n_keys; i++)
    {
      const RsKey *term = &keys[i];
      const char *const *templates = place == PY_FORWARD ? term->python_forward
                                     : place == PY_LOSS ? term->python_loss
                                     : term->python_step;
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
      if (place == PY_LOSS)
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
      append_term_lines (s, exp, l, "        ", PY_FORWARD);
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

/* The script's Python, written as regscope's C does the same thing. */
static const char rng_py[] =
  "M64 = (1 << 64) - 1\n"
  "\n"
  "\n"
  "class Rng:\n"
  "    \"\"\"regscope's random numbers (engine/rs-rng.c): xoshiro256** seeded by\n"
  "    splitmix64, one stream per purpose, so the data, the split, the initial\n"
  "    weights and the batch order are regscope's own.\"\"\"\n"
  "    DATA, INIT, SPLIT, SHUFFLE, DROPOUT, INPUT_NOISE = 1, 2, 3, 4, 6, 7\n"
  "\n"
  "    def __init__(self, seed, stream):\n"
  "        x = (seed ^ (stream * 0xd1b54a32d192ed03)) & M64\n"
  "        self.s = []\n"
  "        for _ in range(4):\n"
  "            x = (x + 0x9e3779b97f4a7c15) & M64\n"
  "            z = ((x ^ (x >> 30)) * 0xbf58476d1ce4e5b9) & M64\n"
  "            z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64\n"
  "            self.s.append(z ^ (z >> 31))\n"
  "        self.spare = None\n"
  "\n"
  "    def next(self):\n"
  "        s0, s1, s2, s3 = self.s\n"
  "        r = (s1 * 5) & M64\n"
  "        result = ((((r << 7) | (r >> 57)) & M64) * 9) & M64\n"
  "        t = (s1 << 17) & M64\n"
  "        s2 ^= s0\n"
  "        s3 ^= s1\n"
  "        s1 ^= s2\n"
  "        s0 ^= s3\n"
  "        s2 ^= t\n"
  "        s3 = ((s3 << 45) | (s3 >> 19)) & M64\n"
  "        self.s = [s0, s1, s2, s3]\n"
  "        return result\n"
  "\n"
  "    def uniform(self):  # [0, 1), 53 bits\n"
  "        return (self.next() >> 11) * 2.0 ** -53\n"
  "\n"
  "    def uniform_range(self, lo, hi):\n"
  "        return lo + (hi - lo) * self.uniform()\n"
  "\n"
  "    def normal(self):  # Box-Muller, both values used\n"
  "        if self.spare is not None:\n"
  "            value, self.spare = self.spare, None\n"
  "            return value\n"
  "        u1 = 0.0\n"
  "        while u1 <= 0.0:\n"
  "            u1 = self.uniform()\n"
  "        u2 = self.uniform()\n"
  "        r = math.sqrt(-2.0 * math.log(u1))\n"
  "        theta = 2.0 * math.pi * u2\n"
  "        self.spare = r * math.sin(theta)\n"
  "        return r * math.cos(theta)\n"
  "\n"
  "    def below(self, n):  # [0, n), unbiased (Lemire)\n"
  "        m = (self.next() >> 32) * n\n"
  "        if m & 0xffffffff < n:\n"
  "            threshold = (-n & 0xffffffff) % n\n"
  "            while m & 0xffffffff < threshold:\n"
  "                m = (self.next() >> 32) * n\n"
  "        return m >> 32\n"
  "\n"
  "    def shuffle(self, items):  # Fisher-Yates, in place\n"
  "        for i in range(len(items) - 1, 0, -1):\n"
  "            j = self.below(i + 1)\n"
  "            items[i], items[j] = items[j], items[i]\n"
  "\n";

static const char csv_py[] =
  "def load_csv(path, label_column='last'):\n"
  "    \"\"\"A CSV file read as regscope reads it: the first line is scikit-learn's\n"
  "    'n_samples,n_features,class names', column names, or already data; ';'\n"
  "    separates if the first line has one (then '5,1' is a number); the label\n"
  "    column is the last, a position from 1 or a header name; labels are class\n"
  "    numbers (1..K become 0..K-1) or class names (numbered in sorted order);\n"
  "    pandas' index column (an empty header name) is dropped.\"\"\"\n"
  "    with open(path, newline='', encoding='utf-8-sig') as f:\n"
  "        lines = [line.rstrip('\\r') for line in f.read().split('\\n')]\n"
  "    lines = [line for line in lines if line.strip(' \\t')]\n"
  "    quoted, sep = False, ','\n"
  "    for c in lines[0]:\n"
  "        if c == '\"':\n"
  "            quoted = not quoted\n"
  "        elif c == ';' and not quoted:\n"
  "            sep = ';'\n"
  "            break\n"
  "    rows = [[v.strip(' \\t') for v in row]\n"
  "            for row in csv.reader(lines, delimiter=sep, skipinitialspace=True)]\n"
  "\n"
  "    def number(text):\n"
  "        if sep == ';' and ',' in text:\n"
  "            if text.count(',') > 1 or '.' in text:\n"
  "                return None\n"
  "            text = text.replace(',', '.')\n"
  "        try:\n"
  "            return float(text)\n"
  "        except ValueError:\n"
  "            return None\n"
  "\n"
  "    def count(text):\n"
  "        return text != '' and all('0' <= c <= '9' for c in text)\n"
  "\n"
  "    def sklearn_header(row):\n"
  "        return len(row) >= 3 and count(row[0]) and count(row[1]) and int(row[1]) >= 1\n"
  "\n"
  "    first, names, header = rows[0], None, None\n"
  "    width = len(first)\n"
  "    if label_column in (None, '', 'last'):\n"
  "        label = None\n"
  "    elif count(label_column):\n"
  "        label = int(label_column) - 1\n"
  "    else:\n"
  "        label = -1  # a name: found in the header below\n"
  "    at = width - 1 if label is None or label < 0 else label\n"
  "    if all(number(v) is not None for v in first):\n"
  "        later = rows[1:]\n"
  "        if sklearn_header(first) and later and len(later[0]) != width \\\n"
  "                and int(first[1]) + 1 == len(later[0]):\n"
  "            names, rows = first[2:], later\n"
  "        elif sklearn_header(first) and later and len(later[0]) == width \\\n"
  "                and int(first[1]) + 1 == width and width >= 4 \\\n"
  "                and int(first[0]) == len(later) \\\n"
  "                and all(number(row[at]) is not None and number(row[at]) < width - 2\n"
  "                        for row in later):\n"
  "            names, rows = first[2:], later\n"
  "    elif sklearn_header(first):\n"
  "        names, rows = first[2:], rows[1:]\n"
  "    elif not (label != -1 and width >= 2 and first[at] != ''\n"
  "              and all(number(v) is not None for c, v in enumerate(first) if c != at)):\n"
  "        header, rows = first, rows[1:]\n"
  "    if names is not None:\n"
  "        width = int(first[1]) + 1\n"
  "    if label is None:\n"
  "        label = width - 1\n"
  "    elif label < 0:\n"
  "        label = header.index(label_column)\n"
  "    index = 0 if header is not None and label != 0 and header[0] in ('', 'Unnamed: 0') else -1\n"
  "    x = [[number(v) for c, v in enumerate(row) if c != label and c != index] for row in rows]\n"
  "    labels = [row[label] for row in rows]\n"
  "    if number(labels[0]) is not None:\n"
  "        y = [int(number(v)) for v in labels]\n"
  "        if names is None and max(y) >= 2 and set(y) == set(range(1, max(y) + 1)):\n"
  "            y = [v - 1 for v in y]  # 1..K: K classes\n"
  "    else:\n"
  "        classes = names if names is not None else sorted(set(labels))\n"
  "        rank = {name: k for k, name in enumerate(classes)}\n"
  "        y = [rank[v] for v in labels]\n"
  "    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)\n"
  "\n";

static const char idx_py[] =
  "def load_idx(folder, part):\n"
  "    \"\"\"MNIST-format images and labels, each gzip'd or not, as regscope reads\n"
  "    them: part is 'train' or 't10k'; pixels 0..255 become 0..1; None, None\n"
  "    when the folder has no such part.\"\"\"\n"
  "    def read(name):\n"
  "        for path in (os.path.join(folder, name + '.gz'), os.path.join(folder, name)):\n"
  "            if os.path.exists(path):\n"
  "                with open(path, 'rb') as f:\n"
  "                    data = f.read()\n"
  "                return gzip.decompress(data) if data[:2] == b'\\x1f\\x8b' else data\n"
  "        return None\n"
  "    images = read(part + '-images-idx3-ubyte')\n"
  "    labels = read(part + '-labels-idx1-ubyte')\n"
  "    if images is None or labels is None:\n"
  "        return None, None\n"
  "    n = struct.unpack('>I', images[4:8])[0]\n"
  "    x = torch.frombuffer(bytearray(images[4 + 4 * images[3]:]), dtype=torch.uint8)\n"
  "    y = torch.frombuffer(bytearray(labels[8:]), dtype=torch.uint8)\n"
  "    return x.reshape(n, -1).float() / 255, y.long()\n"
  "\n";

static const char safetensors_py[] =
  "def load_safetensors(path):\n"
  "    \"\"\"The F32 tensors of a .safetensors file by name: an 8-byte little-endian\n"
  "    header length, a JSON header, then the tensors' bytes.\"\"\"\n"
  "    with open(path, 'rb') as f:\n"
  "        header = json.loads(f.read(struct.unpack('<Q', f.read(8))[0]))\n"
  "        data = f.read()\n"
  "    tensors = {}\n"
  "    for name, info in header.items():\n"
  "        if name != '__metadata__' and info['dtype'] == 'F32':\n"
  "            begin, end = info['data_offsets']\n"
  "            values = struct.unpack('<%df' % ((end - begin) // 4), data[begin:end])\n"
  "            tensors[name] = torch.tensor(values).reshape(info['shape'])\n"
  "    return tensors\n"
  "\n";

static const char init_py[] =
  "def regscope_init(model, seed):\n"
  "    \"\"\"nn.Linear's own rule, U(-1/sqrt(in), 1/sqrt(in)), drawn from regscope's\n"
  "    RNG: layer by layer, the weight row by row, then the bias.\"\"\"\n"
  "    rng = Rng(seed, Rng.INIT)\n"
  "    with torch.no_grad():\n"
  "        for layer in [m for m in model.modules() if isinstance(m, nn.Linear)]:\n"
  "            bound = 1.0 / math.sqrt(layer.in_features)\n"
  "            for p in (layer.weight, layer.bias):\n"
  "                values = [rng.uniform_range(-bound, bound) for _ in range(p.numel())]\n"
  "                p.copy_(torch.tensor(values).reshape(p.shape))\n"
  "\n";

/* engine/rs-dataset-generate.c, one function per generator. */
static const char point_py[] =
  "def add_point(x, px, py, noise, rng):\n"
  "    # the noise is drawn even at 0, so the points do not depend on it\n"
  "    nx = rng.normal()\n"
  "    ny = rng.normal()\n"
  "    x += [px + noise * nx, py + noise * ny]\n"
  "\n";

static const struct {
  RsDataSource source;
  const char  *python;
} generator_py[] = {
  { RS_DATA_RANDOM,
  "def make_random(samples, features, classes, noise, rng):\n"
  "    x = [rng.normal() for _ in range(samples * features)]\n"
  "    y = [rng.below(classes) for _ in range(samples)]\n"
  "    return x, y\n"
  "\n" },
  { RS_DATA_SPIRALS,
  "def make_spirals(samples, features, classes, noise, rng):\n"
  "    x, y = [], [i % classes for i in range(samples)]\n"
  "    for k in y:\n"
  "        r = rng.uniform()\n"
  "        t = 2.0 * math.pi * k / classes + 4.0 * r\n"
  "        add_point(x, r * math.cos(t), r * math.sin(t), noise, rng)\n"
  "    return x, y\n"
  "\n" },
  { RS_DATA_MOONS,
  "def make_moons(samples, features, classes, noise, rng):\n"
  "    x, y = [], [i % 2 for i in range(samples)]\n"
  "    for k in y:\n"
  "        t = math.pi * rng.uniform()\n"
  "        if k == 0:\n"
  "            add_point(x, math.cos(t), math.sin(t), noise, rng)\n"
  "        else:\n"
  "            add_point(x, 1.0 - math.cos(t), 0.5 - math.sin(t), noise, rng)\n"
  "    return x, y\n"
  "\n" },
  { RS_DATA_CIRCLES,
  "def make_circles(samples, features, classes, noise, rng):\n"
  "    x, y = [], [i % classes for i in range(samples)]\n"
  "    for k in y:\n"
  "        r = (k + 1) / classes\n"
  "        t = 2.0 * math.pi * rng.uniform()\n"
  "        add_point(x, r * math.cos(t), r * math.sin(t), noise, rng)\n"
  "    return x, y\n"
  "\n" },
  { RS_DATA_XOR,
  "def make_xor(samples, features, classes, noise, rng):\n"
  "    x, y = [], []\n"
  "    for _ in range(samples):\n"
  "        px = rng.uniform_range(-1.0, 1.0)\n"
  "        py = rng.uniform_range(-1.0, 1.0)\n"
  "        y.append(int((px < 0.0) != (py < 0.0)))\n"
  "        add_point(x, px, py, noise, rng)\n"
  "    return x, y\n"
  "\n" },
  { RS_DATA_BLOBS,
  "def make_blobs(samples, features, classes, noise, rng):\n"
  "    # unit-variance clusters around centres uniform in [-10, 10]^features\n"
  "    centres = [rng.uniform_range(-10.0, 10.0) for _ in range(classes * features)]\n"
  "    x, y = [], [i % classes for i in range(samples)]\n"
  "    for k in y:\n"
  "        x += [centres[k * features + j] + rng.normal() for j in range(features)]\n"
  "    return x, y\n"
  "\n" },
};

static gboolean
is_builtin (RsDataSource s)
{
  return s == RS_DATA_DIGITS || s == RS_DATA_IRIS || s == RS_DATA_WINE
         || s == RS_DATA_BREAST_CANCER;
}

static gboolean
any_dropout (const RsExperiment *exp)
{
  for (int l = 0; l < exp->n_layers; l++)
    if (exp->layer[l].dropout > 0)
      return TRUE;
  return FALSE;
}

/* Dropout's masks from regscope's stream, so the script drops the units
 * regscope drops: layer by layer, row by row, unit by unit, in training
 * mode only (the key table's forward line calls it). */
static const char dropout_py[] =
  "dropout_rng = Rng(seed, Rng.DROPOUT)\n"
  "\n"
  "\n"
  "def regscope_dropout(x, p):\n"
  "    \"\"\"nn.Dropout's arithmetic (keep with probability 1 - p, scaled by\n"
  "    1/(1 - p)) on regscope's draw.\"\"\"\n"
  "    keep = [0.0 if dropout_rng.uniform() < p else 1.0 for _ in range(x.numel())]\n"
  "    return x * torch.tensor(keep).reshape(x.shape).div_(1 - p)\n"
  "\n"
  "\n";

/* Input noise from regscope's stream, so the script adds regscope's draws:
 * row by row, value by value, each rounded to float before it is added,
 * training steps only. */
static const char input_noise_py[] =
  "input_noise_rng = Rng(seed, Rng.INPUT_NOISE)\n"
  "\n"
  "\n"
  "def regscope_input_noise(x, sigma):\n"
  "    \"\"\"x + sigma * N(0, 1) per value, on regscope's draws.\"\"\"\n"
  "    noise = [sigma * input_noise_rng.normal() for _ in range(x.numel())]\n"
  "    return x + torch.tensor(noise, dtype=torch.float32).reshape(x.shape)\n"
  "\n"
  "\n";

/* Whether the script needs regscope's RNG: for the data, the split, the
 * batch order, the initial weights dropout's masks or
 * the input noise. */
static gboolean
needs_rng (const RsExperiment *exp, const char *init_path)
{
  return init_path == NULL || is_generated (exp->source) || exp->validation > 0
         || (exp->shuffle && exp->batch_size > 0) || any_dropout (exp)
         || exp->input_noise > 0;
}

/* inputs, targets (and for IDX test_inputs, test_targets) as regscope
 * loads or makes them, split and standardised the same way. */
static void
append_data (GString *s, const RsExperiment *exp)
{
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  const char *name = rs_data_source_to_string (exp->source);

  if (is_generated (exp->source))
    {
      rs_format_double (v, exp->noise);
      g_string_append_printf (s, "# regscope's '%s' data, made as regscope makes it\n"
                                 "x, y = make_%s(%d, %d, %d, %s, Rng(seed, Rng.DATA))\n"
                                 "inputs = torch.tensor(x, dtype=torch.float32)"
                                 ".reshape(%d, %d)\n"
                                 "targets = torch.tensor(y)\n",
                              name, name, exp->samples, exp->features, exp->classes, v,
                              exp->samples, exp->features);
    }
  else if (exp->source == RS_DATA_CSV)
    {
      g_string_append (s, "inputs, targets = load_csv(");
      append_py_string (s, exp->csv_path ? exp->csv_path : "");
      if (exp->label_column != NULL && *exp->label_column != '\0'
          && strcmp (exp->label_column, "last") != 0)
        {
          g_string_append (s, ", label_column=");
          append_py_string (s, exp->label_column);
        }
      g_string_append (s, ")\n");
    }
  else if (exp->source == RS_DATA_IDX)
    {
      g_string_append (s, "data_folder = ");
      append_py_string (s, exp->csv_path ? exp->csv_path : "");
      g_string_append (s, "\ninputs, targets = load_idx(data_folder, 'train')\n"
                          "test_inputs, test_targets = load_idx(data_folder, 't10k')\n");
    }
  else if (is_builtin (exp->source))
    {
      /* The file regscope ships (the same table scikit-learn bundles). */
      g_autofree char *file = g_strdup_printf ("%s.csv", name);
      g_autofree char *path = g_build_filename (rs_data_dir (), "datasets", file, NULL);
      g_string_append_printf (s, "# The %s table regscope ships\ninputs, targets = load_csv(",
                              name);
      append_py_string (s, path);
      g_string_append (s, ")\n");
    }

  if (exp->validation > 0)
    {
      /* rs_dataset_split: lround, at least one row on each side. */
      rs_format_double (v, exp->validation);
      g_string_append_printf (s,
        "\n# Hold out a validation set: regscope's permutation, the first part trains\n"
        "n = len(inputs)\n"
        "share = (1.0 - %s) * n\n"
        "n_train = min(max(int(share) + (share - int(share) >= 0.5), 1), n - 1)\n"
        "perm = list(range(n))\n"
        "Rng(seed, Rng.SPLIT).shuffle(perm)\n"
        "perm = torch.tensor(perm)\n"
        "val_inputs, val_targets = inputs[perm[n_train:]], targets[perm[n_train:]]\n"
        "inputs, targets = inputs[perm[:n_train]], targets[perm[:n_train]]\n",
        v);
    }
  if (exp->standardize)
    {
      g_string_append (s,
        "\n# Standardize with the training set's mean and spread (in double)\n"
        "mean = inputs.double().mean(0)\n"
        "std = (inputs.double() - mean).pow(2).mean(0).sqrt()\n"
        "scale = torch.where(std > 0, 1 / std, torch.ones_like(std))  "
        "# constant columns are only centred\n"
        "inputs = ((inputs.double() - mean) * scale).float()\n");
      if (exp->validation > 0)
        g_string_append (s, "val_inputs = ((val_inputs.double() - mean) * scale).float()\n");
      if (exp->source == RS_DATA_IDX)
        g_string_append (s, "if test_inputs is not None:\n"
                            "    test_inputs = ((test_inputs.double() - mean) * scale).float()\n");
    }
}

/* MSE's target for labels `y`: one-hot, or smoothed as
 * (1 - eps) one-hot + eps/C. */
static char *
mse_target (const RsExperiment *exp, const char *y)
{
  int classes = exp->sizes[exp->n_layers];
  if (exp->label_smoothing > 0)
    {
      char keep[G_ASCII_DTOSTR_BUF_SIZE], spread[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (keep, 1.0 - exp->label_smoothing);
      rs_format_double (spread, exp->label_smoothing / classes);
      return g_strdup_printf ("nn.functional.one_hot(%s, %d).float() * %s + %s", y, classes,
                              keep, spread);
    }
  return g_strdup_printf ("nn.functional.one_hot(%s, %d).float()", y, classes);
}

/* zero_grad, forward, task loss, every penalty. */
static void
append_step (GString *s, const RsExperiment *exp, const char *ind, const char *x,
             const char *y)
{
  g_string_append_printf (s, "%soptimizer.zero_grad()\n"
                             "%soutputs = model(%s)\n", ind, ind, x);
  if (exp->loss == RS_LOSS_MSE)
    {
      g_autofree char *target = mse_target (exp, y);
      g_string_append_printf (s, "%sloss = criterion(outputs, %s)\n", ind, target);
    }
  else
    g_string_append_printf (s, "%sloss = criterion(outputs, %s)\n", ind, y);

  for (int l = 0; l < exp->n_layers; l++)
    append_term_lines (s, exp, l, ind, PY_LOSS);
}

/* The task loss of a whole set (no penalties), as regscope evaluates it. */
static void
append_eval (GString *s, const RsExperiment *exp, const char *ind, const char *loss,
             const char *x, const char *y)
{
  g_string_append_printf (s, "%s    %s = criterion(model(%s), ", ind, loss, x);
  if (exp->loss == RS_LOSS_MSE)
    {
      g_autofree char *target = mse_target (exp, y);
      g_string_append_printf (s, "%s).item()\n", target);
    }
  else
    g_string_append_printf (s, "%s).item()\n", y);
}

/* regscope's run (rs-session.c): steps of batch_size rows, the rows in
 * regscope's order (reshuffled at each epoch's start when shuffling), the
 * validation loss every eval_every steps and at each epoch's end with the
 * parameters of that step's loss (before the update), and the epoch's
 * line with the mean loss of its steps, as regscope-train prints it. */
/* Early stopping as rs-session.c does it: the score of each validation
 * pass (with the pre-update weights), the best one's weights kept, the
 * passes since counted; the end of training where the patience runs out
 * (stop) or at the last step, and restore there. */
static gboolean
early_stopping_on (const RsExperiment *exp)
{
  return exp->early_stopping.patience > 0 && exp->validation > 0;
}

static void
append_early_stopping_setup (GString *s, const RsExperiment *exp)
{
  const RsEarlyStopping *es = &exp->early_stopping;
  gboolean acc = es->metric == RS_STOP_VAL_ACC;
  g_string_append_printf (s,
    "# Early stopping, as regscope's [early-stopping]: the weights of the validation\n"
    "# pass with the best %s are kept (strictly better: %s); after %d passes\n"
    "# without a better one the patience has run out.\n"
    "patience = %d\n"
    "stop = %s  # stop there (False: train on to the end, the best is still kept)\n"
    "restore = %s  # where training ends, put the best weights back\n"
    "best, best_step, best_state, wait = %s, -1, None, 0\n"
    "stopped_step, ended = -1, False\n",
    acc ? "accuracy" : "loss", acc ? "higher" : "lower", es->patience, es->patience,
    es->stop ? "True" : "False", es->restore ? "True" : "False",
    acc ? "-math.inf" : "math.inf");
}

/* After a validation pass, in its block (indented by ind). */
static void
append_early_stopping_track (GString *s, const RsExperiment *exp, const char *ind)
{
  gboolean acc = exp->early_stopping.metric == RS_STOP_VAL_ACC;
  g_string_append_printf (s,
    "%sif %s %s best:\n"
    "%s    best, best_step, wait = %s, step, 0\n"
    "%s    best_state = {k: v.clone() for k, v in model.state_dict().items()}\n"
    "%selse:\n"
    "%s    wait += 1\n",
    ind, acc ? "val_accuracy" : "val_loss", acc ? ">" : "<", ind, acc ? "val_accuracy" : "val_loss",
    ind, ind, ind);
}

/* After the update: the patience, the end of training, restore. */
static void
append_early_stopping_end (GString *s)
{
  g_string_append (s,
    "    if stopped_step < 0 and wait >= patience:\n"
    "        stopped_step = step + 1\n"
    "    stopping = stop and stopped_step == step + 1\n"
    "    if not ended and (stopping or step == steps - 1):\n"
    "        ended = True\n"
    "        if restore and best_state is not None:\n"
    "            model.load_state_dict(best_state)\n");
}

static void
append_loop (GString *s, const RsExperiment *exp, gint64 steps)
{
  gboolean val = exp->validation > 0, test = exp->source == RS_DATA_IDX;
  gboolean es = early_stopping_on (exp);
  gboolean es_acc = es && exp->early_stopping.metric == RS_STOP_VAL_ACC;

  if (exp->batch_size > 0)
    g_string_append_printf (s, "batch_size = min(%d, len(inputs))\n", exp->batch_size);
  else
    g_string_append (s, "batch_size = len(inputs)  # full batch\n");
  if (steps < 0 && exp->steps > 0)
    steps = exp->steps;
  if (steps >= 0)
    g_string_append_printf (s, "steps = %" G_GINT64_FORMAT "\n", steps);
  else
    g_string_append_printf (s, "steps = %d * -(-len(inputs) // batch_size)  "
                               "# %d epochs\n", exp->epochs, exp->epochs);
  if (val)
    g_string_append_printf (s, "eval_every = %d\n", exp->eval_every);
  g_string_append (s, "order = list(range(len(inputs)))\n");
  gboolean shuffle = exp->shuffle && exp->batch_size > 0;
  if (shuffle)
    g_string_append (s, "shuffle_rng = Rng(seed, Rng.SHUFFLE)\n");
  g_string_append (s, "step_losses = []  # every step's loss, as regscope's --log has them\n"
                      "epoch, start, epoch_losses = 0, 0, []\n");
  if (test)
    g_string_append (s, "test_loss = test_accuracy = float('nan')\n");
  if (es)
    append_early_stopping_setup (s, exp);
  g_string_append (s, "for step in range(steps):\n");
  if (shuffle)
    g_string_append (s, "    if start == 0 and batch_size < len(inputs):\n"
                        "        shuffle_rng.shuffle(order)\n");
  g_string_append (s, "    batch = order[start:start + batch_size]\n");
  append_step (s, exp, "    ", exp->input_noise > 0
                                 ? "regscope_input_noise(inputs[batch], input_noise)"
                                 : "inputs[batch]", "targets[batch]");
  g_string_append (s, "    epoch_end = start + len(batch) >= len(inputs)\n");
  if (val || test)
    g_string_append (s, "    # evaluated with the parameters of this step's loss, before the update\n");
  if (val)
    {
      /* eval mode: no dropout, as regscope's validation */
      g_string_append (s, "    if step % eval_every == 0 or epoch_end:\n"
                          "        model.eval()\n"
                          "        with torch.no_grad():\n");
      append_eval (s, exp, "        ", "val_loss", "val_inputs", "val_targets");
      if (es_acc)
        g_string_append (s, "            val_accuracy = (model(val_inputs).argmax(1) == "
                            "val_targets).float().mean().item()\n");
      g_string_append (s, "        model.train()\n");
      if (es)
        append_early_stopping_track (s, exp, "        ");
    }
  if (test)
    {
      g_string_append (s, "    if epoch_end and test_inputs is not None:\n"
                          "        model.eval()\n"
                          "        with torch.no_grad():\n");
      append_eval (s, exp, "        ", "test_loss", "test_inputs", "test_targets");
      g_string_append (s, "            test_accuracy = (model(test_inputs).argmax(1) == "
                          "test_targets).float().mean().item()\n"
                          "        model.train()\n");
    }
  g_string_append (s, "    loss.backward()\n"
                      "    optimizer.step()\n");
  for (int l = 0; l < exp->n_layers; l++)
    append_term_lines (s, exp, l, "    ", PY_STEP);
  if (es)
    append_early_stopping_end (s);
  g_string_append (s, "    step_losses.append(loss.item())\n"
                      "    epoch_losses.append(step_losses[-1])\n"
                      "    start += len(batch)\n");
  g_string_append (s, es ? "    if epoch_end or step == steps - 1 or stopping:\n"
                         : "    if epoch_end or step == steps - 1:\n");
  g_string_append (s, "        # the mean loss of the epoch's steps, as regscope-train prints it\n");
  if (val)
    g_string_append (s, "        print(f\"Epoch: {epoch}, Loss: "
                        "{sum(epoch_losses) / len(epoch_losses):.4f}, "
                        "Val loss: {val_loss:.4f}\")\n");
  else
    g_string_append (s, "        print(f\"Epoch: {epoch}, Loss: "
                        "{sum(epoch_losses) / len(epoch_losses):.4f}\")\n");
  if (test)
    g_string_append_printf (s, "    if (step == steps - 1%s) and test_inputs is not None:\n"
                               "        print(f\"Test accuracy: {test_accuracy:.4f} "
                               "(loss {test_loss:.4f}, epoch {epoch})\")\n",
                            es ? " or stopping" : "");
  g_string_append (s, "    if epoch_end:\n"
                      "        epoch, start, epoch_losses = epoch + 1, 0, []\n");
  if (es)
    g_string_append_printf (s, "    if stopping:\n"
                               "        print(f\"Early stopping at step {step + 1}: the best "
                               "validation %s was at step {best_step} ({best:.4f})\")\n"
                               "        break\n",
                            es_acc ? "accuracy" : "loss");
}

char *
rs_experiment_to_pytorch (const RsExperiment *exp)
{
  return rs_experiment_to_pytorch_with_init (exp, NULL, RS_PYTORCH_EXPERIMENT_STEPS);
}

char *
rs_experiment_to_pytorch_with_init (const RsExperiment *exp, const char *init_path,
                                    gint64 steps)
{
  g_return_val_if_fail (exp != NULL, NULL);
  GString *s = g_string_new (NULL);
  gboolean rng = needs_rng (exp, init_path);
  gboolean csv = exp->source == RS_DATA_CSV || is_builtin (exp->source);
  gboolean idx = exp->source == RS_DATA_IDX;

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
  g_string_append (s, "# It trains on regscope's data, split, standardisation, batch order and\n"
                      "# initial weights (regscope's random numbers, drawn below in Python), so\n"
                      "# it prints the losses regscope prints.\n");

  if (csv)
    g_string_append (s, "import csv\n");
  if (idx)
    g_string_append (s, "import gzip\n");
  if (init_path != NULL)
    g_string_append (s, "import json\n");
  if (rng)
    g_string_append (s, "import math\n");
  if (idx)
    g_string_append (s, "import os\n");
  if (idx || init_path != NULL)
    g_string_append (s, "import struct\n");
  g_string_append (s, "import torch\n"
                      "import torch.nn as nn\n"
                      "import torch.optim as optim\n\n");
  if (rng)
    g_string_append (s, rng_py);
  if (is_generated (exp->source))
    {
      if (rs_data_source_is_2d (exp->source))
        g_string_append (s, point_py);
      for (gsize i = 0; i < G_N_ELEMENTS (generator_py); i++)
        if (generator_py[i].source == exp->source)
          g_string_append (s, generator_py[i].python);
    }
  if (csv)
    g_string_append (s, csv_py);
  if (idx)
    g_string_append (s, idx_py);
  if (init_path != NULL)
    g_string_append (s, safetensors_py);
  else
    g_string_append (s, init_py);

  append_model (s, exp);

  g_string_append_printf (s, "seed = %" G_GUINT64_FORMAT "\n"
                             "torch.manual_seed(seed)  # for anything you add that draws "
                             "torch's numbers\n"
                             "model = Model()\n", exp->seed);
  if (init_path != NULL)
    {
      g_string_append (s, "# The initial weights regscope was given (--init)\n"
                          "tensors = load_safetensors(");
      append_py_string (s, init_path);
      g_string_append (s, ")\n"
                          "with torch.no_grad():\n"
                          "    for name, p in model.named_parameters():\n"
                          "        p.copy_(tensors[name])\n");
    }
  else
    g_string_append (s, "regscope_init(model, seed)\n");
  if (exp->loss == RS_LOSS_MSE)
    g_string_append (s, "criterion = nn.MSELoss()\n");
  else if (exp->label_smoothing > 0)
    {
      char eps[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (eps, exp->label_smoothing);
      g_string_append_printf (s, "criterion = nn.CrossEntropyLoss(label_smoothing=%s)\n", eps);
    }
  else
    g_string_append (s, "criterion = nn.CrossEntropyLoss()\n");
  append_optimizer (s, exp);
  append_lambdas (s, exp);
  g_string_append (s, "\n");
  if (any_dropout (exp))
    g_string_append (s, dropout_py);
  if (exp->input_noise > 0)
    {
      char sigma[G_ASCII_DTOSTR_BUF_SIZE];
      rs_format_double (sigma, exp->input_noise);
      g_string_append_printf (s, "input_noise = %s  # σ of the Gaussian input noise "
                                 "(training steps only)\n%s", sigma, input_noise_py);
    }

  append_data (s, exp);
  g_string_append (s, "\n");

  append_loop (s, exp, steps);
  return g_string_free (s, FALSE);
}
