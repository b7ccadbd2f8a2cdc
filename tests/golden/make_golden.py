#!/usr/bin/python3
"""make_golden.py - regenerate regscope's golden fixtures from PyTorch.

What it makes
-------------
For every case in CASES below, the directory tests/golden/<case>/ with:

  preset.ini         a regscope preset (GKeyFile) describing the case exactly;
                     [data] source=csv:data.csv (relative to the preset's folder)
  data.csv           "x0,...,x{F-1},label" header, one row per sample; features
                     as '%.9g' of the float32 values (round-trip exact), the
                     integer label last; '\n' line ends
  init.safetensors   the initial parameters (fc1.weight [out,in], fc1.bias [out],
                     fc2.weight, ...), float32 little-endian
  final.safetensors  the parameters after the last optimizer step
  expected.csv       "step,epoch,loss,task_loss,l1,l2,activity", one row per
                     optimizer step, '%.9g'; all values come from the forward pass
                     BEFORE that step's optimizer.step() (what the seed prints)
  epochs.txt         (the three seed cases only) the seed program's printout
                     for its 10 epochs: "Epoch: 0, Loss: 1.6234"

The training loop is the one of the seed document
(../shared/seed/000_969556f0ab043192.txt): nn.Linear layers fc1..fcN, the
hidden activation after every layer except the last, one optimizer parameter
group per layer (its weight and bias, with that layer's weight_decay), and

    optimizer.zero_grad(); out = model(x)
    loss = criterion(out, y) + l1 + l2 + activity
    loss.backward(); optimizer.step()

Per-layer terms (lambda is the layer's preset value):
  l1       = lambda * sum(p.abs().sum() for p in (W, b))   (W only if l1-bias=false)
  l2       = lambda * sum(p.pow(2).sum() for p in (W, b))
  activity = lambda * a.abs().mean()   (a.pow(2).mean() for activity-norm=l2),
             a = the layer's post-activation output (the last layer: its raw output)
Weight decay is the parameter group's weight_decay, never part of the loss.
Label smoothing is nn.CrossEntropyLoss(label_smoothing=eps). Max-norm c on a
layer is torch.renorm(fc.weight, 2, 0, c) copied back after each step.
MSE is nn.MSELoss() (mean) against float one-hot targets.

Dropout (a hidden layer's `dropout=p`) multiplies the layer's output, after
its activity term is taken, by mask.div(1 - p) as torch.nn.Dropout does
(ATen's noise.div_(1 - p)); the mask is not PyTorch's own draw but
regscope's: masks.bin, written by `test-golden --write-masks DIR` (the
RS_TEST_GOLDEN environment variable names that program; default
build/tests/test-golden), one bit per hidden output and step (1 kept),
step by step, layer by layer, row-major [batch, out], bit i being bit i % 8
of byte i / 8. The case's
masks.bin is committed with it.

    /usr/bin/python3 tests/golden/make_golden.py [CASE...]

rewrites the named cases only.

How to run (from the repository root; needs Debian's python3-torch 1.13,
which only /usr/bin/python3 sees):

    /usr/bin/python3 tests/golden/make_golden.py

It rewrites tests/golden/<case>/ for every case (or only the cases named
as arguments). CI never runs this script;
the C tests only read the committed fixtures.
"""

import json
import os
import struct
import subprocess
import sys

import torch
import torch.nn as nn
import torch.optim as optim

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 150


def fmt(v):
    """'%.9g' of a float32 value (a tensor or a Python float)."""
    if isinstance(v, torch.Tensor):
        v = v.item()
    return '%.9g' % float(v)


def layer_reg(l1=0.0, l1_bias=True, l2=0.0, weight_decay=0.0, activity=0.0,
              activity_norm='l1', dropout=0.0, max_norm=0.0):
    return dict(l1=l1, l1_bias=l1_bias, l2=l2, weight_decay=weight_decay,
                activity=activity, activity_norm=activity_norm,
                dropout=dropout, max_norm=max_norm)


def case(name, title, description, layers, activation='relu',
         loss='cross-entropy', optimizer=None, regs=None, samples=64,
         batch_size=0, steps=STEPS, seed_program=None, label_smoothing=0.0):
    return dict(name=name, title=title, description=description,
                layers=layers, activation=activation, loss=loss,
                optimizer=optimizer, regs=regs or {}, samples=samples,
                batch_size=batch_size, steps=steps,
                seed_program=seed_program, label_smoothing=label_smoothing)


CASES = [
    case('seed-l2-weight-decay',
         'Seed example 1: weight decay on fc1',
         'The seed program 1: Adam with a parameter group that gives fc1 '
         'weight_decay 0.01; the printed loss is the criterion only.',
         [10, 20, 5], optimizer=dict(name='adam', lr=0.001),
         regs={1: layer_reg(weight_decay=0.01)}, seed_program=1),
    case('seed-l1',
         'Seed example 2: L1 on fc1',
         'The seed program 2: 0.005 times the sum of |w| and |b| of fc1 '
         'added to the cross-entropy loss.',
         [10, 20, 5], optimizer=dict(name='adam', lr=0.001),
         regs={1: layer_reg(l1=0.005)}, seed_program=2),
    case('seed-activity',
         'Seed example 3: activity regularization on fc1',
         'The seed program 3: 0.001 times the mean |a| of the ReLU outputs '
         'of fc1 added to the cross-entropy loss.',
         [10, 20, 5], optimizer=dict(name='adam', lr=0.001),
         regs={1: layer_reg(activity=0.001)}, seed_program=3),
    case('sgd-momentum',
         'SGD with momentum and dampening',
         'SGD lr 0.05, momentum 0.9, dampening 0.1; weight decay 0.001 on '
         'fc2 and L2 0.001 on fc1.',
         [10, 32, 4],
         optimizer=dict(name='sgd', lr=0.05, momentum=0.9, dampening=0.1),
         regs={1: layer_reg(l2=0.001), 2: layer_reg(weight_decay=0.001)}),
    case('sgd-nesterov',
         'SGD with Nesterov momentum',
         'SGD lr 0.05, Nesterov momentum 0.9; weight decay 0.01 on fc1 and '
         'L1 0.001 on the weights (not the bias) of fc2.',
         [10, 32, 4],
         optimizer=dict(name='sgd', lr=0.05, momentum=0.9, nesterov=True),
         regs={1: layer_reg(weight_decay=0.01),
               2: layer_reg(l1=0.001, l1_bias=False)}),
    case('adamw',
         'AdamW with decoupled weight decay',
         'AdamW lr 0.003, betas 0.9/0.99, eps 1e-7; decoupled weight decay '
         '0.05 on fc1 and 0.01 on fc2.',
         [10, 24, 5],
         optimizer=dict(name='adamw', lr=0.003, betas=(0.9, 0.99), eps=1e-7),
         regs={1: layer_reg(weight_decay=0.05),
               2: layer_reg(weight_decay=0.01)}),
    case('tanh',
         'Two tanh hidden layers',
         'Adam lr 0.01 on an 8-16-16-3 tanh net; L2 0.002 on fc2 and '
         'activity 0.01 (mean a squared) on fc1.',
         [8, 16, 16, 3], activation='tanh',
         optimizer=dict(name='adam', lr=0.01),
         regs={1: layer_reg(activity=0.01, activity_norm='l2'),
               2: layer_reg(l2=0.002)}),
    case('sigmoid',
         'Sigmoid hidden layer, plain SGD',
         'Plain SGD lr 0.5 on an 8-16-3 sigmoid net with L1 0.001 on fc1.',
         [8, 16, 3], activation='sigmoid',
         optimizer=dict(name='sgd', lr=0.5),
         regs={1: layer_reg(l1=0.001)}),
    case('mixed-3layer',
         'Every kind of term on three layers',
         'Adam lr 0.005, 12-32-16-4 ReLU: fc1 L1 on weights and activity; '
         'fc2 L2, weight decay and squared activity; fc3 L1.',
         [12, 32, 16, 4], optimizer=dict(name='adam', lr=0.005),
         regs={1: layer_reg(l1=0.002, l1_bias=False, activity=0.005),
               2: layer_reg(l2=0.003, weight_decay=0.01, activity=0.002,
                            activity_norm='l2'),
               3: layer_reg(l1=0.001)},
         # 120 steps, not 150: the L1 activity term drives fc1's ReLU units
         # onto their kink (z = 0), where float32 rounding decides which side
         # a unit lands on; from about step 130 on, regscope and PyTorch
         # (whose matrix products sum in another order) take different sides
         # and the trajectories separate by more than 1e-4. Up to step 125
         # they agree to 2e-7.
         samples=96, steps=120),
    case('mse',
         'Mean squared error on one-hot targets',
         'SGD lr 0.1 momentum 0.5 on a 6-16-3 tanh net trained with MSE '
         'against one-hot targets; L2 0.001 on fc1.',
         [6, 16, 3], activation='tanh', loss='mse',
         optimizer=dict(name='sgd', lr=0.1, momentum=0.5),
         regs={1: layer_reg(l2=0.001)}),
    case('minibatch',
         'Mini-batches of 16 without shuffling',
         'Adam lr 0.003, 80 samples in batches of 16 taken in file order '
         '(5 steps per epoch); L1 0.001 on fc1.',
         [10, 20, 5], optimizer=dict(name='adam', lr=0.003),
         regs={1: layer_reg(l1=0.001)}, samples=80, batch_size=16),
    case('linear-act',
         'Linear activation, penalties on the output layer',
         'Adam lr 0.01 on a 5-7-2 net without nonlinearity; L2 0.01 and '
         'activity 0.01 on fc2 (its raw output).',
         [5, 7, 2], activation='linear',
         optimizer=dict(name='adam', lr=0.01),
         regs={2: layer_reg(l2=0.01, activity=0.01)}),
    case('dropout',
         'Dropout on two ReLU layers, mini-batches',
         'Adam lr 0.005 on a 10-32-16-5 ReLU net, 80 samples in batches of '
         '16: dropout 0.5 on fc1 (with activity 0.005, taken before the '
         'dropout) and 0.2 on fc2; regscope\'s masks (masks.bin).',
         [10, 32, 16, 5], optimizer=dict(name='adam', lr=0.005),
         regs={1: layer_reg(dropout=0.5, activity=0.005),
               2: layer_reg(dropout=0.2)},
         samples=80, batch_size=16),
    case('dropout-tanh',
         'Dropout on a tanh layer, SGD with momentum',
         'SGD lr 0.1 momentum 0.9 on an 8-24-3 tanh net, full batch: '
         'dropout 0.3 on fc1, L2 0.001 on fc2; regscope\'s masks (masks.bin).',
         [8, 24, 3], activation='tanh',
         optimizer=dict(name='sgd', lr=0.1, momentum=0.9),
         regs={1: layer_reg(dropout=0.3), 2: layer_reg(l2=0.001)}),
    case('label-smoothing',
         'Label smoothing 0.1',
         'Adam lr 0.01 on a 10-20-5 ReLU net with '
         'nn.CrossEntropyLoss(label_smoothing=0.1) and L2 0.001 on fc1.',
         [10, 20, 5], optimizer=dict(name='adam', lr=0.01),
         regs={1: layer_reg(l2=0.001)}, label_smoothing=0.1),
    case('max-norm',
         'Max-norm constraints on two layers',
         'SGD lr 0.1 momentum 0.9 on a 10-24-5 ReLU net; after every step '
         "fc1's rows are renormed to at most 0.5 and fc2's to at most 1 "
         '(torch.renorm(W, 2, 0, c)).',
         [10, 24, 5], optimizer=dict(name='sgd', lr=0.1, momentum=0.9),
         regs={1: layer_reg(max_norm=0.5), 2: layer_reg(max_norm=1.0)}),
]


class Net(nn.Module):
    """fc1..fcN, created in order (the seed's SimpleModel for 10,20,5)."""

    def __init__(self, sizes, activation):
        super().__init__()
        self.n = len(sizes) - 1
        for k in range(1, self.n + 1):
            setattr(self, 'fc%d' % k, nn.Linear(sizes[k - 1], sizes[k]))
        self.act = {'relu': torch.relu, 'tanh': torch.tanh,
                    'sigmoid': torch.sigmoid, 'linear': lambda t: t}[activation]

    def layer(self, k):
        return getattr(self, 'fc%d' % k)

    def forward(self, x, masks=None):
        """masks: {k: float 0/1 tensor [batch, out]} for the layers that drop."""
        self.activations = []
        for k in range(1, self.n + 1):
            x = self.layer(k)(x)
            if k < self.n:
                x = self.act(x)
            self.activations.append(x)
            if masks and k in masks:
                p = self.dropout[k]
                # torch.nn.Dropout's own arithmetic on regscope's draw
                x = x * masks[k].div_(1 - p)
        return x


def params_in_order(model):
    out = []
    for k in range(1, model.n + 1):
        fc = model.layer(k)
        out.append(('fc%d.weight' % k, fc.weight))
        out.append(('fc%d.bias' % k, fc.bias))
    return out


def write_safetensors(path, named):
    header = {}
    blobs = []
    offset = 0
    for name, t in named:
        t = t.detach().to(torch.float32).contiguous()
        raw = struct.pack('<%df' % t.numel(), *t.reshape(-1).tolist())
        header[name] = {'dtype': 'F32', 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    js = json.dumps(header, separators=(',', ':')).encode('ascii')
    js += b' ' * ((8 - len(js) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Independent reader used to check what was written."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        a, b = info['data_offsets']
        vals = struct.unpack('<%df' % ((b - a) // 4), body[a:b])
        out[name] = torch.tensor(vals, dtype=torch.float32).reshape(info['shape'])
    assert len(body) == max(i['data_offsets'][1] for i in header.values())
    return out


def g(v):
    """A preset number: Python's shortest round-trip repr."""
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


def write_preset(path, c):
    o = c['optimizer']
    lines = ['[experiment]',
             'title=%s' % c['title'],
             'description=%s' % c['description'],
             'seed=0',
             'steps=%d' % c['steps'],
             '',
             '[data]',
             'source=csv:data.csv',
             'validation=0',
             'batch-size=%d' % c['batch_size'],
             'shuffle=false',
             'standardize=false',
             '',
             '[model]',
             'layers=%s' % ','.join(str(s) for s in c['layers']),
             'activation=%s' % c['activation'],
             'loss=%s' % c['loss']]
    if c['label_smoothing']:
        lines.append('label-smoothing=%s' % g(c['label_smoothing']))
    lines += ['',
             '[optimizer]',
             'name=%s' % o['name'],
             'lr=%s' % g(o['lr'])]
    if o['name'] == 'sgd':
        if o.get('momentum', 0):
            lines.append('momentum=%s' % g(o['momentum']))
        if o.get('dampening', 0):
            lines.append('dampening=%s' % g(o['dampening']))
        if o.get('nesterov', False):
            lines.append('nesterov=true')
    else:
        if 'betas' in o:
            lines.append('betas=%s,%s' % (g(o['betas'][0]), g(o['betas'][1])))
        if 'eps' in o:
            lines.append('eps=%s' % g(o['eps']))
    for k in sorted(c['regs']):
        r = c['regs'][k]
        lines += ['', '[layer fc%d]' % k]
        if r['l1']:
            lines.append('l1=%s' % g(r['l1']))
            if not r['l1_bias']:
                lines.append('l1-bias=false')
        if r['l2']:
            lines.append('l2=%s' % g(r['l2']))
        if r['weight_decay']:
            lines.append('weight-decay=%s' % g(r['weight_decay']))
        if r['activity']:
            lines.append('activity=%s' % g(r['activity']))
            if r['activity_norm'] != 'l1':
                lines.append('activity-norm=%s' % r['activity_norm'])
        if r['dropout']:
            lines.append('dropout=%s' % g(r['dropout']))
        if r['max_norm']:
            lines.append('max-norm=%s' % g(r['max_norm']))
    with open(path, 'w', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')


def write_data(path, x, y):
    n, F = x.shape
    with open(path, 'w', newline='\n') as f:
        f.write(','.join(['x%d' % i for i in range(F)] + ['label']) + '\n')
        for i in range(n):
            f.write(','.join([fmt(v) for v in x[i].tolist()] +
                             [str(int(y[i]))]) + '\n')


def make_optimizer(model, o, regs):
    groups = []
    for k in range(1, model.n + 1):
        wd = regs.get(k, layer_reg())['weight_decay']
        # weight_decay is always explicit: AdamW's own default is 0.01.
        groups.append({'params': list(model.layer(k).parameters()),
                       'weight_decay': wd})
    if o['name'] == 'sgd':
        return optim.SGD(groups, lr=o['lr'], momentum=o.get('momentum', 0.0),
                         dampening=o.get('dampening', 0.0),
                         nesterov=o.get('nesterov', False))
    cls = optim.Adam if o['name'] == 'adam' else optim.AdamW
    return cls(groups, lr=o['lr'], betas=o.get('betas', (0.9, 0.999)),
               eps=o.get('eps', 1e-8))


def penalties(model, regs):
    """Sum over layers of each kind of term; None when no layer has it."""
    l1 = l2 = act = None

    def acc(total, term):
        return term if total is None else total + term

    for k in range(1, model.n + 1):
        r = regs.get(k)
        if r is None:
            continue
        fc = model.layer(k)
        if r['l1']:
            ps = list(fc.parameters()) if r['l1_bias'] else [fc.weight]
            l1 = acc(l1, r['l1'] * sum(p.abs().sum() for p in ps))
        if r['l2']:
            l2 = acc(l2, r['l2'] * sum(p.pow(2).sum() for p in fc.parameters()))
        if r['activity']:
            a = model.activations[k - 1]
            m = a.abs().mean() if r['activity_norm'] == 'l1' else a.pow(2).mean()
            act = acc(act, r['activity'] * m)
    return l1, l2, act


def run_case(c):
    out_dir = os.path.join(HERE, c['name'])
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    sizes = c['layers']
    F, C, n = sizes[0], sizes[-1], c['samples']

    # The seed's order of random draws: the model, then inputs, then targets.
    model = Net(sizes, c['activation'])
    inputs = torch.randn(n, F)
    targets = torch.randint(0, C, (n,))
    assert sorted(set(targets.tolist())) == list(range(C)), \
        '%s: not every class occurs in the data' % c['name']

    write_preset(os.path.join(out_dir, 'preset.ini'), c)
    write_data(os.path.join(out_dir, 'data.csv'), inputs, targets)
    write_safetensors(os.path.join(out_dir, 'init.safetensors'),
                      params_in_order(model))

    if c['loss'] == 'mse':
        criterion = nn.MSELoss()
    else:
        criterion = nn.CrossEntropyLoss(label_smoothing=c['label_smoothing'])
    optimizer = make_optimizer(model, c['optimizer'], c['regs'])

    bs = c['batch_size'] or n
    assert n % bs == 0
    per_epoch = n // bs

    dropping = [k for k in sorted(c['regs']) if c['regs'][k]['dropout']]
    model.dropout = {k: c['regs'][k]['dropout'] for k in dropping}
    masks = None
    if dropping:
        prog = os.environ.get('RS_TEST_GOLDEN', 'build/tests/test-golden')
        subprocess.run([prog, '--write-masks', out_dir], check=True)
        with open(os.path.join(out_dir, 'masks.bin'), 'rb') as f:
            packed = f.read()
        masks = bytes((packed[i >> 3] >> (i & 7)) & 1
                      for i in range(8 * len(packed)))
    mpos = 0

    rows = []
    printed = []
    renormed = 0
    for step in range(c['steps']):
        epoch = step // per_epoch
        b = step % per_epoch
        x = inputs[b * bs:(b + 1) * bs]
        y = targets[b * bs:(b + 1) * bs]

        step_masks = {}
        for k in dropping:
            width = sizes[k]
            raw = masks[mpos:mpos + bs * width]
            assert len(raw) == bs * width, '%s: masks.bin too short' % c['name']
            mpos += bs * width
            step_masks[k] = torch.tensor(list(raw), dtype=torch.float32).reshape(bs, width)

        optimizer.zero_grad()
        outputs = model(x, step_masks)
        if c['loss'] == 'mse':
            task = criterion(outputs, nn.functional.one_hot(y, C).float())
        else:
            task = criterion(outputs, y)
        l1, l2, act = penalties(model, c['regs'])
        loss = task
        for term in (l1, l2, act):
            if term is not None:
                loss = loss + term
        loss.backward()
        optimizer.step()
        # Max-norm: each unit's incoming weights (a row of W) renormed
        # after the step; the bias is left alone.
        with torch.no_grad():
            for k, r in c['regs'].items():
                if r['max_norm']:
                    w = model.layer(k).weight
                    w.copy_(torch.renorm(w, 2, 0, r['max_norm']))
                    renormed += int((w.norm(dim=1) >= r['max_norm'] * 0.999).sum())

        zero = 0.0
        rows.append([str(step), str(epoch), fmt(loss), fmt(task),
                     fmt(l1 if l1 is not None else zero),
                     fmt(l2 if l2 is not None else zero),
                     fmt(act if act is not None else zero)])
        # Seed example 1 prints the criterion only, 2 and 3 the full loss.
        shown = task if c['seed_program'] == 1 else loss
        printed.append(f"Epoch: {epoch}, Loss: {shown.item():.4f}")

    if masks is not None:
        assert (mpos + 7) // 8 == len(packed), '%s: masks.bin too long' % c['name']
    write_safetensors(os.path.join(out_dir, 'final.safetensors'),
                      params_in_order(model))
    with open(os.path.join(out_dir, 'expected.csv'), 'w', newline='\n') as f:
        f.write('step,epoch,loss,task_loss,l1,l2,activity\n')
        for r in rows:
            f.write(','.join(r) + '\n')
    if any(r['max_norm'] for r in c['regs'].values()):
        assert renormed > 0, '%s: max-norm never acted' % c['name']
    if c['seed_program']:
        with open(os.path.join(out_dir, 'epochs.txt'), 'w', newline='\n') as f:
            f.write('\n'.join(printed[:10]) + '\n')

    # Check the round trip of what was written.
    back = read_safetensors(os.path.join(out_dir, 'final.safetensors'))
    for name, p in params_in_order(model):
        assert torch.equal(back[name], p.detach()), name
    return c['steps']


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    only = set(sys.argv[1:])
    unknown = only - {c['name'] for c in CASES}
    if unknown:
        sys.exit('make_golden.py: no such case: %s' % ', '.join(sorted(unknown)))
    for c in CASES:
        if only and c['name'] not in only:
            continue
        steps = run_case(c)
        print('%-22s %d steps' % (c['name'], steps))


if __name__ == '__main__':
    main()
