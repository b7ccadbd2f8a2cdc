#!/usr/bin/python3
"""Step rate of regscope against PyTorch on the same machine, in one run.

For each of the three reference models, times PyTorch's training loop and
then regscope's (the bench binary, --model NAME), one thread each, and
prints microseconds per step, steps per second, the ratio and the issue's
target. Exit status: 0 when every ratio meets its target, 1 when one misses,
77 (meson's "skipped") when torch cannot be imported, 2 on a usage error.

PyTorch is compared at its best: glibc's default malloc returns and re-maps
its large gradient buffers every step, so PyTorch runs (in a child process
each, as the allocator is chosen at process start) with glibc's malloc tuned
(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728) and, when
Debian's libjemalloc2 is installed, with jemalloc (LD_PRELOAD). The ratio
and its target are taken against the faster of the two, which is named; the
ratio against each allocator is printed below.

  /usr/bin/python3 tests/bench/compare-pytorch.py [--bench PATH] [--seconds S]
                                                  [--model seed|mid|big]

Each model trains as the issue measures it: full batch of random data,
nn.Linear layers with ReLU, cross-entropy, Adam(lr=1e-3) and
loss += 0.005 * sum(p.abs().sum() for p in fc1.parameters()), loss.item()
every step (regscope reports every step's loss too).

One thread on both sides: PyTorch's own pool by torch.set_num_threads(1),
and the OpenBLAS it calls by OPENBLAS_NUM_THREADS=1 set before torch is
imported (without it, OpenBLAS takes a second core for the large products;
torch.set_num_threads does not reach it). regscope pins its OpenBLAS itself.

Both sides report the median wall time per step and the least process CPU
time per step over seven runs. The ratio is taken on CPU time: on a busy
machine the wall clock of either side includes time the core spent on other
processes, while the CPU time is the work itself (on an idle machine the
two agree; the "cpu" columns show each side's share of the wall time, and a
warning is printed below 90%). Use Debian's /usr/bin/python3 (python3-torch,
PyTorch 1.13).
"""
import argparse
import glob
import json
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

# PyTorch's allocators: (name, environment of its process).
TUNED_GLIBC = ("glibc-tuned", {"MALLOC_MMAP_THRESHOLD_": "33554432",
                               "MALLOC_TRIM_THRESHOLD_": "134217728"})


def find_jemalloc():
    """The path of Debian's libjemalloc.so.2 (package libjemalloc2), or None."""
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "libjemalloc.so.2 " in line and "=>" in line:
                return line.split("=>")[1].strip()
    except OSError:
        pass
    found = sorted(glob.glob("/usr/lib/*/libjemalloc.so.2"))
    return found[0] if found else None


def allocators():
    result = [TUNED_GLIBC]
    jemalloc = find_jemalloc()
    if jemalloc is not None:
        result.append(("jemalloc", {"LD_PRELOAD": jemalloc}))
    return result


def torch_child_timing(name, env, seconds):
    """torch_timing of model `name` in a child process with `env` added."""
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-child", name,
           "--seconds", str(seconds)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=dict(os.environ, **env)).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return r["wall"], r["cpu"], r["share"]


def torch_timing(torch, sizes, batch, seconds):
    """(median wall s/step, least process CPU s/step, CPU share)."""
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
            loss.item()

    n = 1
    while True:  # calibrate: a run of >= 20 ms
        t0 = time.perf_counter()
        steps(n)
        dt = time.perf_counter() - t0
        if dt >= 0.02:
            n = max(1, int(n * (seconds / REPEATS) / dt))
            break
        n *= 2
    walls, cpus = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        steps(n)
        walls.append((time.perf_counter() - t0) / n)
        cpus.append((time.process_time() - c0) / n)
    walls.sort()
    return walls[REPEATS // 2], min(cpus), sum(cpus) / sum(walls)


def regscope_timing(bench, name, seconds):
    """(median wall s/step, least process CPU s/step, CPU share) from the bench."""
    cmd = [bench, "--tsv", "--seconds", str(seconds), "--model", name]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    header, row = (line.split("\t") for line in out.strip().splitlines()[:2])
    r = dict(zip(header, row))
    return (float(r["us_per_step"]) * 1e-6, float(r["cpu_us_per_step"]) * 1e-6,
            float(r["cpu_share"]))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", default=os.path.join(root, "build", "tests", "bench",
                                                  "regscope-bench"),
                   help="the regscope-bench binary (default: build/tests/bench/)")
    p.add_argument("--seconds", type=float, default=2.0,
                   help="time per model and side (default 2)")
    p.add_argument("--model", choices=[m[0] for m in MODELS])
    p.add_argument("--torch-child", choices=[m[0] for m in MODELS],
                   help=argparse.SUPPRESS)  # one PyTorch timing, as JSON
    args = p.parse_args()

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        import torch
    except ImportError:
        print("SKIP: PyTorch is not installed for %s; install python3-torch (Debian) and "
              "run this script with /usr/bin/python3" % sys.executable)
        return 77
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    if args.torch_child is not None:
        sizes, batch = next((m[1], m[2]) for m in MODELS if m[0] == args.torch_child)
        wall, cpu, share = torch_timing(torch, sizes, batch, args.seconds)
        print(json.dumps({"wall": wall, "cpu": cpu, "share": share}))
        return 0
    if not os.access(args.bench, os.X_OK):
        print("error: no bench binary at %s (run ninja -C build first, or give --bench)"
              % args.bench, file=sys.stderr)
        return 2

    allocs = allocators()
    print("PyTorch %s (%d thread) against %s, %s s per model, side and allocator"
          % (torch.__version__, torch.get_num_threads(), os.path.relpath(args.bench),
             args.seconds))
    print("PyTorch's allocators: %s%s" % (
        "; ".join("%s (%s)" % (n, " ".join("%s=%s" % kv for kv in env.items()))
                  for n, env in allocs),
        "" if len(allocs) > 1 else "; jemalloc not found (apt-get install libjemalloc2)"))
    fmt = "%-5s %-15s %5s %9s %9s %5s %11s %9s %5s %-11s %8s %7s  %s"
    print(fmt % ("model", "layers", "batch", "us/step", "steps/s", "cpu", "PyTorch us",
                 "steps/s", "cpu", "allocator", "ratio", "target", "result"))
    failed, busy = 0, False
    for name, sizes, batch, target in MODELS:
        if args.model not in (None, name):
            continue
        per_alloc = [(n, torch_child_timing(name, env, args.seconds)) for n, env in allocs]
        r_wall, r_cpu, r_share = regscope_timing(args.bench, name, args.seconds)
        best, (t_wall, t_cpu, t_share) = min(per_alloc, key=lambda a: a[1][1])
        ratio = t_cpu / r_cpu
        ok = ratio >= target
        failed += not ok
        busy = busy or min([r_share] + [t[2] for _, t in per_alloc]) < 0.9
        print(fmt % (name, "-".join(map(str, sizes)), batch, "%.2f" % (r_cpu * 1e6),
                     "%.0f" % (1 / r_cpu), "%.0f%%" % (100 * r_share), "%.1f" % (t_cpu * 1e6),
                     "%.0f" % (1 / t_cpu), "%.0f%%" % (100 * t_share), best, "%.2fx" % ratio,
                     ">=%gx" % target, "pass" if ok else "FAIL"), flush=True)
        print("%-5s each allocator: %s" % ("", "; ".join(
            "%s %.1f us/step, ratio %.2fx" % (n, t[1] * 1e6, t[1] / r_cpu)
            for n, t in per_alloc)), flush=True)
        print("%-5s wall clock: regscope %.2f us/step, PyTorch (%s) %.1f us/step, ratio %.2fx"
              % ("", r_wall * 1e6, best, t_wall * 1e6, t_wall / r_wall), flush=True)
    if busy:
        print("warning: a side had under 90% of a core (other processes running); the "
              "CPU-time ratios above still compare the work, the wall clock does not")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
