#!/usr/bin/python3
"""Step rate of regscope against PyTorch on the same machine, in one run.

Runs the three reference models in PyTorch (one thread) and then the
regscope bench binary, prints µs/step, steps/s, the ratio and the target
per model, and exits 1 when a ratio misses its target (0 when all pass,
77 -- meson's "skipped" -- when torch is missing).

  tests/bench/compare-pytorch.py [--bench build/tests/bench/regscope-bench]
                                 [--seconds 2] [--model seed|mid|big]

Each model trains as the issue measures it: full batch of random data,
nn.Linear layers with ReLU, cross-entropy, Adam(lr=1e-3) and
loss += 0.005 * sum(p.abs().sum() for p in fc1.parameters()).
Use Debian's /usr/bin/python3 (python3-torch, PyTorch 1.13).
"""
import argparse
import os
import subprocess
import sys
import time

MODELS = [
    # name, layers, batch, target ratio
    ("seed", [10, 20, 5], 64, 50.0),
    ("mid", [64, 128, 64, 10], 256, 5.0),
    ("big", [784, 256, 128, 10], 128, 1.2),
]
REPEATS = 7


def torch_rate(torch, sizes, batch, seconds):
    """Median seconds per step of the PyTorch training loop."""
    nn = torch.nn
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(
                nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

        def forward(self, x):
            for i, layer in enumerate(self.layers):
                x = layer(x)
                if i + 1 < len(self.layers):
                    x = torch.relu(x)
            return x

    model = Net()
    fc1 = model.layers[0]
    x = torch.randn(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def steps(n):
        for _ in range(n):
            optimizer.zero_grad()
            out = model(x)
            loss = criterion(out, y)
            loss = loss + 0.005 * sum(p.abs().sum() for p in fc1.parameters())
            loss.backward()
            optimizer.step()
            loss.item()  # regscope reports every step's loss too

    n = 1
    while True:  # calibrate: a run of >= 20 ms
        t0 = time.perf_counter()
        steps(n)
        dt = time.perf_counter() - t0
        if dt >= 0.02:
            n = max(1, int(n * (seconds / REPEATS) / dt))
            break
        n *= 2
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        steps(n)
        times.append((time.perf_counter() - t0) / n)
    times.sort()
    return times[REPEATS // 2]


def regscope_rates(bench, seconds, only):
    cmd = [bench, "--tsv", "--seconds", str(seconds)]
    if only:
        cmd += ["--model", only]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    lines = [l.split("\t") for l in out.strip().splitlines()]
    header = lines[0]
    rows = {}
    for fields in lines[1:]:
        row = dict(zip(header, fields))
        rows[row["model"]] = float(row["us_per_step"]) * 1e-6
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", default=os.path.join(root, "build", "tests", "bench",
                                                  "regscope-bench"))
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--model", choices=[m[0] for m in MODELS])
    p.add_argument("--torch-only", action="store_true")
    args = p.parse_args()

    try:
        import torch
    except ImportError:
        print("SKIP: PyTorch is not installed for %s; install python3-torch "
              "(Debian) and run with /usr/bin/python3" % sys.executable)
        return 77
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)

    models = [m for m in MODELS if args.model in (None, m[0])]
    torch_sec = {}
    for name, sizes, batch, _ in models:
        torch_sec[name] = torch_rate(torch, sizes, batch, args.seconds)
        print("PyTorch %s %s batch %d: %.1f us/step" % (
            name, "-".join(map(str, sizes)), batch, torch_sec[name] * 1e6), flush=True)
    if args.torch_only:
        return 0
    if not os.access(args.bench, os.X_OK):
        print("error: no bench binary at %s (ninja -C build first)" % args.bench)
        return 2
    ours = regscope_rates(args.bench, args.seconds, args.model)

    print()
    print("PyTorch %s, %d thread; regscope %s" % (torch.__version__, torch.get_num_threads(),
                                                os.path.relpath(args.bench)))
    fmt = "%-5s %-15s %5s %10s %10s %12s %7s %7s  %s"
    print(fmt % ("model", "layers", "batch", "us/step", "steps/s", "PyTorch/s", "ratio",
                 "target", "result"))
    failed = 0
    for name, sizes, batch, target in models:
        ratio = torch_sec[name] / ours[name]
        ok = ratio >= target
        failed += not ok
        print(fmt % (name, "-".join(map(str, sizes)), batch, "%.2f" % (ours[name] * 1e6),
                     "%.0f" % (1 / ours[name]), "%.0f" % (1 / torch_sec[name]),
                     "%.2fx" % ratio, ">=%gx" % target, "pass" if ok else "FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
