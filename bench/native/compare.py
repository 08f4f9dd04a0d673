#!/usr/bin/env python3
"""Runs the same work in TSL (bench.tsl, native linker) and in NumPy, in one run, and prints
times and ratios. Usage: python3 bench/native/compare.py [n] [gemm_n] [linker]

(1) chain 1/(1+exp(-(x*w+b)))*x + log1p(x*x) on n float64 / float32 values
(4) gemm_n x gemm_n float64 matrix product
(5) the cost of one call of function([a, b], a + b) on scalars
Times are the best of 5 (the call overhead is a mean over 20000 calls).
"""
import os
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    subprocess.run(['apt-get', 'install', '-y', 'python3-numpy'], check=True)
    import numpy as np

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
m = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
linker = sys.argv[3] if len(sys.argv) > 3 else 'c'


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_bench
numpy_times = numpy_bench.run(n, m)

import re
import tempfile
with open(os.path.join(root, 'bench', 'native', 'bench.tsl')) as fh:
    script = fh.read()
script = re.sub(r'^n = .*$', f'n = {n}', script, count=1, flags=re.M)
script = re.sub(r'^m = .*$', f'm = {m}', script, count=1, flags=re.M)
script = re.sub(r"^linker = .*$", f"linker = '{linker}'", script, count=1, flags=re.M)
with tempfile.NamedTemporaryFile('w', suffix='.tsl', delete=False) as tmp:
    tmp.write(script)
out = subprocess.run([os.path.join(root, 'bin', 'tsl'), tmp.name], capture_output=True, text=True)
os.unlink(tmp.name)
if out.returncode != 0:
    sys.exit('bench.tsl failed:\n' + out.stdout + out.stderr)
tsl_times = {}
for line in out.stdout.splitlines():
    name, value = line.split()
    tsl_times[name] = float(value)

print(f'n={n} gemm={m} linker={linker} numpy={np.__version__}')
print(f'{"benchmark":<16}{"TSL s":>12}{"NumPy s":>12}{"NumPy/TSL":>12}')
for name, t in tsl_times.items():
    ref = numpy_times[name]
    print(f'{name:<16}{t:>12.6f}{ref:>12.6f}{ref / t:>12.2f}')
