#!/usr/bin/python3
"""Step rate of regscope against PyTorch at its best on the same machine, in one run.

For each of the three reference models, times PyTorch's training step and
regscope's (the bench binary, --model NAME) in two modes, and prints
microseconds per step, steps per second, the ratios and the issue's targets:

  1 thread   one thread on each side: PyTorch with torch.set_num_threads(1)
             and OPENBLAS_NUM_THREADS=1 (without it, OpenBLAS takes the other
             cores for the large products; torch.set_num_threads does not
             reach it), regscope-bench --threads 1
  all cores  every core on each side: PyTorch with torch.set_num_threads(cores)
             and its OpenBLAS at its default (one thread per core), regscope-bench
             --threads 0 (one per core). PyTorch's own default is printed: on a
             VM it can be 1 (cpuinfo counts the vCPUs as one core's threads),
             and PyTorch with all cores is the stronger opponent.

Exit status: 0 when every ratio meets its target, 1 when one misses, 77
(meson's "skipped") when torch cannot be imported, 2 on a usage error.

PyTorch is compared at its best: glibc's default malloc returns and re-maps
its large gradient buffers every step, so PyTorch runs (in a child process
each, as the allocator is chosen at process start) with glibc's malloc tuned
(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728 in the
child's environment) and, when Debian's libjemalloc2 is installed, with
jemalloc (LD_PRELOAD). The ratio and its target are taken against the
faster of the two, which is named; the figures of each allocator are
printed below.

  /usr/bin/python3 tests/bench/compare-pytorch.py [--bench PATH] [--seconds S]
                     [--rounds R] [--model seed|mid|big] [--mode 1|all]

Each model trains as the issue measures it: full batch of random data,
nn.Linear layers with ReLU, cross-entropy, Adam(lr=1e-3) and
loss += 0.005 * sum(p.abs().sum() for p in fc1.parameters()), loss.item()
every step (regscope reports every step's loss too): the whole step, loss,
penalty and optimizer included.

A shared machine makes single timings unreliable, so each model and mode is
timed in R rounds (default 3) that alternate the sides (PyTorch first in
even rounds, regscope first in odd ones), and each side's best round
counts. Within a round each side reports the median and the least of seven
timed runs. With one thread the ratio is taken on the least process CPU
time per step: on a busy machine the wall clock of either side includes
time the core spent on other processes, while the CPU time is the work
itself (on an idle machine the two agree). With all cores it is taken on
the least wall time (CPU time adds up the threads; it cannot show a
speed-up). Use Debian's /usr/bin/python3 (python3-torch, PyTorch 1.13).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

MODELS = [
    # name, layers, batch, target ratio with one thread, with all cores
    ("seed", [10, 20, 5], 64, 60.0, None),
    ("mid", [64, 128, 64, 10], 256, 3.5, None),
    ("big", [784, 256, 128, 10], 128, 1.5, 1.3),
]
# regscope with all cores against its own one-thread rate, on these models.
SELF_SPEEDUP = {"big": 1.7}
REPEATS = 7
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

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


class Timing:
    """One side's figures per step, in seconds: median and least wall, least CPU."""

    def __init__(self, wall, wall_min, cpu, share, threads):
        self.wall, self.wall_min, self.cpu = wall, wall_min, cpu
        self.share, self.threads = share, threads

    def key(self, mode):
        """The figure that is compared: CPU time with one thread, wall time with all."""
        return self.cpu if mode == "1" else self.wall_min

    def better(self, other, mode):
        return other is None or self.key(mode) < other.key(mode)


def child_env(mode, env):
    """The environment of a PyTorch child: its allocator's, and one thread or the default."""
    result = dict(os.environ, **env)
    for var in THREAD_VARS:
        if mode == "1":
            result[var] = "1"
        else:
            result.pop(var, None)
    return result


def torch_child_timing(name, mode, env, seconds):
    """torch_timing of model `name` in a child process with `env` set before it starts."""
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-child", name, "--mode", mode,
           "--seconds", str(seconds)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=child_env(mode, env)).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return Timing(r["wall"], r["wall_min"], r["cpu"], r["share"], r["threads"])


def torch_timing(torch, sizes, batch, seconds):
    """A Timing of PyTorch's training step in this process."""
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
    share = sum(cpus) / sum(walls)
    walls.sort()
    return Timing(walls[REPEATS // 2], walls[0], min(cpus), share, torch.get_num_threads())


def regscope_timing(bench, name, mode, seconds):
    """A Timing of regscope's step from the bench (--threads 1, or 0: one per core)."""
    cmd = [bench, "--tsv", "--seconds", str(seconds), "--model", name,
           "--threads", "1" if mode == "1" else "0"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    header, row = (line.split("\t") for line in out.strip().splitlines()[:2])
    r = dict(zip(header, row))
    return Timing(float(r["us_per_step"]) * 1e-6, float(r["min_us_per_step"]) * 1e-6,
                  float(r["cpu_us_per_step"]) * 1e-6, float(r["cpu_share"]),
                  int(r["threads"]))


def measure(bench, name, mode, allocs, seconds, rounds):
    """Best regscope Timing and best Timing per allocator over alternating rounds."""
    best_r, best_t = None, {n: None for n, _ in allocs}
    for r in range(rounds):
        def run_torch():
            for n, env in allocs:
                t = torch_child_timing(name, mode, env, seconds)
                if t.better(best_t[n], mode):
                    best_t[n] = t
        if r % 2 == 0:
            run_torch()
        t = regscope_timing(bench, name, mode, seconds)
        if t.better(best_r, mode):
            best_r = t
        if r % 2 == 1:
            run_torch()
    return best_r, best_t


def us(seconds):
    return "%.2f" % (seconds * 1e6) if seconds < 1e-4 else "%.1f" % (seconds * 1e6)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", default=os.path.join(root, "build", "tests", "bench",
                                                  "regscope-bench"),
                   help="the regscope-bench binary (default: build/tests/bench/)")
    p.add_argument("--seconds", type=float, default=2.0,
                   help="time per model, side, allocator and round (default 2)")
    p.add_argument("--rounds", type=int, default=3,
                   help="alternating rounds; each side's best counts (default 3)")
    p.add_argument("--model", choices=[m[0] for m in MODELS])
    p.add_argument("--mode", choices=["1", "all"],
                   help="only one thread a side (1) or only all cores (all)")
    p.add_argument("--torch-child", choices=[m[0] for m in MODELS],
                   help=argparse.SUPPRESS)  # one PyTorch timing, as JSON
    args = p.parse_args()
    if args.rounds < 1 or args.seconds <= 0:
        print("error: --rounds and --seconds must be positive", file=sys.stderr)
        return 2

    if args.torch_child is not None and args.mode == "1":
        for var in THREAD_VARS:  # before torch is imported: OpenBLAS reads it then
            os.environ[var] = "1"
    try:
        import torch
    except ImportError:
        print("SKIP: PyTorch is not installed for %s; install python3-torch (Debian) and "
              "run this script with /usr/bin/python3" % sys.executable)
        return 77
    default_threads = torch.get_num_threads()
    if args.torch_child is not None:
        if args.mode == "1":
            torch.set_num_threads(1)
            torch.set_num_interop_threads(1)
        else:
            torch.set_num_threads(os.cpu_count())
        sizes, batch = next((m[1], m[2]) for m in MODELS if m[0] == args.torch_child)
        t = torch_timing(torch, sizes, batch, args.seconds)
        print(json.dumps({"wall": t.wall, "wall_min": t.wall_min, "cpu": t.cpu,
                          "share": t.share, "threads": t.threads}))
        return 0
    if not os.access(args.bench, os.X_OK):
        print("error: no bench binary at %s (run ninja -C build first, or give --bench)"
              % args.bench, file=sys.stderr)
        return 2

    allocs = allocators()
    print("PyTorch %s (default threads here: %d) against %s on %d cores; %s s per model, side, "
          "allocator and round; %d alternating rounds, best of each side"
          % (torch.__version__, default_threads, os.path.relpath(args.bench), os.cpu_count(),
             args.seconds, args.rounds))
    blas_env = " ".join("%s=%s" % (k, v) for k, v in sorted(os.environ.items())
                        if k.startswith("OPENBLAS_"))
    print("OpenBLAS settings in the environment (both sides): %s"
          % (blas_env or "none (OpenBLAS picks its kernels for the CPU)"))
    print("PyTorch's allocators: %s%s" % (
        "; ".join("%s (%s)" % (n, " ".join("%s=%s" % kv for kv in env.items()))
                  for n, env in allocs),
        "" if len(allocs) > 1 else "; jemalloc not found (apt-get install libjemalloc2)"))
    fmt = "%-5s %-15s %5s %-4s %7s %9s %9s %5s %11s %9s %5s %-11s %8s %7s  %s"
    print(fmt % ("model", "layers", "batch", "mode", "threads", "us/step", "steps/s", "cpu",
                 "PyTorch us", "steps/s", "cpu", "allocator", "ratio", "target", "result"))
    failed, busy = 0, False
    one_thread = {}
    for mode in ("1", "all"):
        if args.mode not in (None, mode):
            continue
        for name, sizes, batch, target1, target_all in MODELS:
            if args.model not in (None, name):
                continue
            target = target1 if mode == "1" else target_all
            r, per_alloc = measure(args.bench, name, mode, allocs, args.seconds, args.rounds)
            best = min(per_alloc, key=lambda n: per_alloc[n].key(mode))
            t = per_alloc[best]
            ratio = t.key(mode) / r.key(mode)
            ok = target is None or ratio >= target
            failed += not ok
            busy = busy or min([r.share] + [x.share for x in per_alloc.values()]) < (
                0.9 if mode == "1" else 0.9 * r.threads)
            what = "cpu" if mode == "1" else "least wall"
            print(fmt % (name, "-".join(map(str, sizes)), batch, mode,
                         "%d/%d" % (r.threads, t.threads), us(r.key(mode)),
                         "%.0f" % (1 / r.key(mode)), "%.0f%%" % (100 * r.share),
                         us(t.key(mode)), "%.0f" % (1 / t.key(mode)),
                         "%.0f%%" % (100 * t.share), best, "%.2fx" % ratio,
                         "-" if target is None else ">=%gx" % target,
                         "-" if target is None else "pass" if ok else "FAIL"), flush=True)
            print("%-5s each allocator (%s): %s" % ("", what, "; ".join(
                "%s %s us/step, ratio %.2fx" % (n, us(x.key(mode)), x.key(mode) / r.key(mode))
                for n, x in per_alloc.items())), flush=True)
            if mode == "1":
                one_thread[name] = r
                print("%-5s wall clock (median): regscope %s us/step, PyTorch (%s) %s us/step, "
                      "ratio %.2fx" % ("", us(r.wall), best, us(t.wall), t.wall / r.wall),
                      flush=True)
            else:
                mine = one_thread.get(name)
                if mine is None:
                    mine = measure(args.bench, name, "1", [], args.seconds, args.rounds)[0]
                speedup = mine.wall_min / r.wall_min
                want = SELF_SPEEDUP.get(name)
                ok = want is None or speedup >= want
                failed += not ok
                print("%-5s regscope on %d threads against its own 1 thread (least wall, "
                      "%s us/step): %.2fx%s" % ("", r.threads, us(mine.wall_min), speedup,
                      "" if want is None else ", target >=%gx: %s"
                      % (want, "pass" if ok else "FAIL")), flush=True)
    if busy:
        print("warning: a side had less CPU than its threads could use (other processes "
              "running): the one-thread CPU-time ratios still compare the work, the wall "
              "clock figures (all cores) are pessimistic for whichever side lost more")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
