"""The Python/NumPy half of bench/scan/compare.py: the same work as ScanBench.java.

horner: a plain Python float loop over 1000 coefficients (what a scan with a scalar state
replaces); rnn_forward / rnn_forward_grad: h_t = tanh(W h_{t-1} + U x_t), hidden 128, input 64,
200 steps, then hand-written backpropagation through time for d sum(h) / d (W, U, h0).
Times are the best of `reps` calls after as many warm-up calls.
"""
import time

import numpy as np

COEFFS, HIDDEN, INPUT, STEPS = 1000, 128, 64, 200


def best(f, reps):
    for _ in range(reps):
        f()
    t = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


def horner(coeffs, x):
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


def rnn_forward(xs, W, U, h0):
    h = h0
    hs = np.empty((xs.shape[0], h0.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
        hs[t] = h
    return hs


def rnn_forward_grad(xs, W, U, h0):
    hs = rnn_forward(xs, W, U, h0)
    cost = hs.sum()
    dW = np.zeros_like(W)
    dU = np.zeros_like(U)
    dh = np.zeros_like(h0)
    for t in range(xs.shape[0] - 1, -1, -1):
        dh = dh + 1.0  # d cost / d h_t
        dpre = dh * (1.0 - hs[t] * hs[t])
        prev = hs[t - 1] if t > 0 else h0
        dW += np.outer(dpre, prev)
        dU += np.outer(dpre, xs[t])
        dh = W.T @ dpre
    return cost, dW, dU, dh


def run(reps=200):
    rng = np.random.default_rng(1)
    coeffs = rng.uniform(-1, 1, COEFFS).tolist()  # Python floats, not NumPy scalars
    xs = rng.uniform(-1, 1, (STEPS, INPUT))
    W = rng.uniform(-1, 1, (HIDDEN, HIDDEN)) / np.sqrt(HIDDEN)
    U = rng.uniform(-1, 1, (HIDDEN, INPUT)) / np.sqrt(INPUT)
    h0 = rng.uniform(-1, 1, HIDDEN)
    r = max(3, reps // 10)
    return {
        'horner': best(lambda: horner(coeffs, 0.999), reps),
        'rnn_forward': best(lambda: rnn_forward(xs, W, U, h0).sum(), r),
        'rnn_forward_grad': best(lambda: rnn_forward_grad(xs, W, U, h0), r),
    }


def check():
    """The BPTT above against central differences (a bench comparing against a wrong gradient would mean nothing)."""
    rng = np.random.default_rng(2)
    xs = rng.uniform(-1, 1, (5, 3))
    W = rng.uniform(-1, 1, (4, 4)) / 2
    U = rng.uniform(-1, 1, (4, 3)) / 2
    h0 = rng.uniform(-1, 1, 4)
    _, dW, dU, dh0 = rnn_forward_grad(xs, W, U, h0)
    eps = 1e-6
    for arr, grad in ((W, dW), (U, dU), (h0, dh0)):
        flat = arr.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = rnn_forward(xs, W, U, h0).sum()
            flat[i] = old - eps
            down = rnn_forward(xs, W, U, h0).sum()
            flat[i] = old
            assert abs((up - down) / (2 * eps) - grad.reshape(-1)[i]) < 1e-6


if __name__ == '__main__':
    check()
    for k, v in run().items():
        print(k, v)
