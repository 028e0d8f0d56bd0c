#!/usr/bin/python3
"""Peer side of build/bench/kernels.sh: times numpy / PyTorch on the same cases as the C# "peer" mode.

Usage: kernels.py [regex] [--min-time seconds] [--list]; prints "case gflops" per matching case.
Run it with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp and OMP_NUM_THREADS=2 (kernels.sh does).

To add a case: write a function that builds its inputs and returns (run, flops), where run() does the
operation once, and register it with @case("name") using the same name as the C# IPeerCase.
"""
import re
import sys
import time

import numpy as np

CASES = []


def case(name):
    def register(setup):
        CASES.append((name, setup))
        return setup
    return register


_torch = None


def torch():
    """PyTorch, imported on first use (it is slow to import) and limited to 2 threads."""
    global _torch
    if _torch is None:
        import torch as t
        t.set_num_threads(2)
        _torch = t
    return _torch


def _gemm(m, n, k):
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    return (lambda: np.matmul(a, b, out=c)), 2.0 * m * n * k


for _n in (256, 512, 1024, 2048):
    case(f"sgemm_{_n}")(lambda n=_n: _gemm(n, n, n))
case("gemm_im2col_32x12544x27")(lambda: _gemm(32, 112 * 112, 27))
case("gemm_im2col_144x3136x24")(lambda: _gemm(144, 56 * 56, 24))


def measure(run, min_time):
    """Median seconds per run after a warm-up, over at least 5 runs and min_time seconds."""
    start, warm = time.perf_counter(), 0
    while warm < 3 or time.perf_counter() - start < min_time / 3:
        run()
        warm += 1
    times, start = [], time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main(argv):
    pattern, min_time, list_only = "", 0.5, False
    i = 0
    while i < len(argv):
        if argv[i] == "--min-time":
            min_time = float(argv[i + 1])
            i += 1
        elif argv[i] == "--list":
            list_only = True
        else:
            pattern = argv[i]
        i += 1
    selected = [(n, s) for n, s in CASES if re.search(pattern, n)]
    if list_only:
        for n, _ in selected:
            print(n)
        return
    np_config = getattr(np, "__version__", "?")
    print(f"# peer: numpy {np_config}, python {sys.version.split()[0]}", file=sys.stderr)
    for name, setup in selected:
        run, flops = setup()
        seconds = measure(run, min_time)
        print(f"{name} {flops / seconds / 1e9:.2f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
