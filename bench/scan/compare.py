#!/usr/bin/env python3
"""Runs the scan benchmarks in TSL (ScanBench.java through the backend's Java API, native
linker unless told otherwise) and the same work in Python/NumPy, in one run, and prints times
and ratios. Usage: python3 bench/scan/compare.py [linkers (default c)] [reps (default 200)]

(a) horner: Horner's rule over 1000 coefficients, a scan with a scalar state, against a plain
    Python float loop;
(b) rnn_forward, rnn_forward_grad: h_t = tanh(W h_{t-1} + U x_t), hidden 128, input 64, 200
    steps; forward + gradient of sum(h) wrt W, U, h0 (the gradient is another scan), against
    NumPy with hand-written backpropagation through time.
Build first: mvn -o -q -B -DskipTests package (or at least the backend module).
"""
import os
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    subprocess.run(['apt-get', 'install', '-y', 'python3-numpy'], check=True)
    import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
linkers = sys.argv[1] if len(sys.argv) > 1 else 'c'
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200

sys.path.insert(0, here)
import numpy_bench
numpy_bench.check()
numpy_times = numpy_bench.run(reps)

out = subprocess.run([os.path.join(here, 'java-bench.sh'), linkers, str(reps)], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit('ScanBench failed:\n' + out.stdout + out.stderr)
print(f'numpy={np.__version__} python={sys.version.split()[0]} reps={reps}')
print(f'{"linker":<8}{"benchmark":<18}{"TSL ms":>12}{"Py/NumPy ms":>14}{"Py/TSL":>10}')
for line in out.stdout.splitlines():
    parts = line.split()
    if len(parts) < 3 or parts[1] not in numpy_times:
        print(line)
        continue
    linker, name, t = parts[0], parts[1], float(parts[2])
    ref = numpy_times[name]
    print(f'{linker:<8}{name:<18}{t * 1e3:>12.4f}{ref * 1e3:>14.4f}{ref / t:>10.2f}')
