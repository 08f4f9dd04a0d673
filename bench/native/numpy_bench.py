#!/usr/bin/env python3
"""The NumPy half of the native benchmarks: prints "name seconds" lines (python3 numpy_bench.py [n] [gemm_n])."""
import sys
import time

import numpy as np


WARMUP_S = 0.0   # run() sets it: seconds each function is called before it is timed


def best(f, reps=5):
    # the same warm-up as bench.tsl's (compare.py passes one value to both sides): NumPy has no JIT,
    # but its allocator reaches the same steady state (freed pages reused) that the timed calls see
    t_end = time.perf_counter() + WARMUP_S
    while time.perf_counter() < t_end:
        f()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(n, m, lr_n=10000, mlp_batch=256, only='', warmup=0.0):
    """only: the cases to time, names or prefixes, comma-separated ('' = all); the same random draws either way;
    warmup: seconds each function is called before it is timed"""
    global WARMUP_S
    WARMUP_S = warmup
    def wanted(name):
        return only == '' or any(name.startswith(w) for w in only.split(','))
    numpy_times = {}
    rng = np.random.default_rng(0)
    for dtype in ['float64', 'float32']:
        x = rng.random(n).astype(dtype)
        w = np.asarray(0.5, dtype=dtype)
        b = np.asarray(0.25, dtype=dtype)
        if wanted('chain_' + dtype):
            numpy_times['chain_' + dtype] = best(lambda: 1 / (1 + np.exp(-(x * w + b))) * x + np.log1p(x * x))
    a = rng.random((m, m))
    c = rng.random((m, m))
    if wanted('dgemm'):
        numpy_times['dgemm'] = best(lambda: np.dot(a, c))
    p = np.asarray(1.0)
    q = np.asarray(2.0)
    calls = 20000
    best(lambda: np.add(p, q), 1)   # only its warm-up
    t0 = time.perf_counter()
    for _ in range(calls):
        np.add(p, q)
    numpy_times['scalar_call'] = (time.perf_counter() - t0) / calls

    # (2) seed 11's logistic-regression step written by hand: forward, gradients, updates
    feats = 784
    x = rng.standard_normal((lr_n, feats))
    y = rng.integers(0, 2, size=lr_n).astype('float64')
    state = {'w': rng.standard_normal(feats) * 0.01, 'b': 0.0}

    def logreg_step():
        w, b = state['w'], state['b']
        p = 1 / (1 + np.exp(-(x @ w) - b))
        prediction = p > 0.5
        xent = -y * np.log(p) - (1 - y) * np.log(1 - p)
        gz = (p - y) / lr_n
        state['w'] = w - 0.1 * (x.T @ gz + 0.02 * w)
        state['b'] = b - 0.1 * gz.sum()
        return prediction, xent
    if wanted('logreg_step'):
        numpy_times['logreg_step'] = best(logreg_step, 10)

    # (3) the 784-500-10 tanh/softmax MLP's SGD step, written by hand
    X = rng.random((mlp_batch, 784))
    Y = np.eye(10)[rng.integers(0, 10, size=mlp_batch)]
    mlp = {'W1': rng.standard_normal((784, 500)) * 0.01, 'b1': np.zeros(500),
           'W2': rng.standard_normal((500, 10)) * 0.01, 'b2': np.zeros(10)}

    def mlp_step():
        W1, b1, W2, b2 = mlp['W1'], mlp['b1'], mlp['W2'], mlp['b2']
        h = np.tanh(X @ W1 + b1)
        z = h @ W2 + b2
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.mean(np.sum(Y * np.log(p), axis=1))
        gz = (p - Y) / mlp_batch
        gW2 = h.T @ gz
        gh = (gz @ W2.T) * (1 - h * h)
        gW1 = X.T @ gh
        mlp['W1'] = W1 - 0.1 * gW1
        mlp['b1'] = b1 - 0.1 * gh.sum(axis=0)
        mlp['W2'] = W2 - 0.1 * gW2
        mlp['b2'] = b2 - 0.1 * gz.sum(axis=0)
        return loss
    if wanted('mlp_step'):
        numpy_times['mlp_step'] = best(mlp_step, 10)

    return numpy_times


if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    for name, t in run(n, m).items():
        print(name, t)
