#!/usr/bin/env python3
"""Seed 11's logistic-regression step (N=10,000, feats=784) as CPU time of one thread, for a
machine too loaded for wall-clock ratios: TSL native with the one-pass node
(local_gemv_forward_backward), TSL native without it (two gemv), and NumPy's hand-written step,
each in its own process with OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1; prints the best and the
median of reps calls. Usage: python3 bench/native/logreg_cpu.py [reps] [rounds]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 40
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
one = dict(os.environ, OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')

NUMPY = r'''
import sys, time, numpy as np
rng = np.random.RandomState(0)
x = rng.randn(10000, 784); y = rng.randint(size=10000, low=0, high=2).astype('float64')
state = {'w': rng.randn(784) * 0.01, 'b': 0.0}
def step():
    w, b = state['w'], state['b']
    p = 1 / (1 + np.exp(-(x @ w) - b))
    prediction = p > 0.5
    xent = -y * np.log(p) - (1 - y) * np.log(1 - p)
    gz = (p - y) / 10000
    state['w'] = w - 0.1 * (x.T @ gz + 0.02 * w)
    state['b'] = b - 0.1 * gz.sum()
    return prediction, xent
step()
for i in range(REPS):
    t0 = time.thread_time(); step(); print(time.thread_time() - t0)
'''


def tsl_script():
    with open(os.path.join(root, 'bench', 'native', 'bench.tsl')) as fh:
        src = fh.read()
    parts = re.split(r'(?m)^(?=# \(\d\))', src)
    section = [p for p in parts[1:] if "print('logreg_step" in p][0]
    section = re.sub(r"print\('logreg_step'.*", "for i in range(REPS):\n    t0 = time.thread_time()\n"
                     "    train(D[0], D[1])\n    print(time.thread_time() - t0)", section)
    return (parts[0] + section).replace('REPS', str(reps))


def run(cmd, env):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(' '.join(cmd) + ' failed:\n' + out.stdout + out.stderr)
    return [float(v) for v in out.stdout.split()]


with tempfile.NamedTemporaryFile('w', suffix='.tsl', delete=False) as tmp:
    tmp.write(tsl_script())
rows = {'tsl one pass': [], 'tsl two gemv': [], 'numpy': []}
for _ in range(rounds):
    rows['tsl one pass'] += run([os.path.join(root, 'bin', 'tsl'), tmp.name], one)
    rows['tsl two gemv'] += run([os.path.join(root, 'bin', 'tsl'), tmp.name],
                                dict(one, TSL_FLAGS='optimizer_excluding=gemv_forward_backward'))
    rows['numpy'] += run([sys.executable, '-c', NUMPY.replace('REPS', str(reps))], one)
os.unlink(tmp.name)
print(f'load {os.getloadavg()[0]:.1f}; CPU time of one thread per step, {rounds} x {reps} calls')
print(f'{"":<14}{"best ms":>10}{"median ms":>11}{"NumPy/this (median)":>21}')
ref = statistics.median(rows['numpy'])
for name, ts in rows.items():
    print(f'{name:<14}{min(ts) * 1e3:>10.2f}{statistics.median(ts) * 1e3:>11.2f}{ref / statistics.median(ts):>21.2f}')
