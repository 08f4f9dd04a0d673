#!/usr/bin/env python3
"""The NumPy half of the native benchmarks: prints "name seconds" lines (python3 numpy_bench.py [n] [gemm_n])."""
import sys
import time

import numpy as np


def best(f, reps=5):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(n, m):
    numpy_times = {}
    rng = np.random.default_rng(0)
    for dtype in ['float64', 'float32']:
        x = rng.random(n).astype(dtype)
        w = np.asarray(0.5, dtype=dtype)
        b = np.asarray(0.25, dtype=dtype)
        numpy_times['chain_' + dtype] = best(lambda: 1 / (1 + np.exp(-(x * w + b))) * x + np.log1p(x * x))
    a = rng.random((m, m))
    c = rng.random((m, m))
    numpy_times['dgemm'] = best(lambda: np.dot(a, c))
    p = np.asarray(1.0)
    q = np.asarray(2.0)
    calls = 20000
    t0 = time.perf_counter()
    for _ in range(calls):
        np.add(p, q)
    numpy_times['scalar_call'] = (time.perf_counter() - t0) / calls

    return numpy_times


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    for name, t in run(n, m).items():
        print(name, t)
