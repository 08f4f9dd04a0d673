#!/usr/bin/env python3
"""Runs the same work in TSL (bench.tsl, native linker) and in NumPy, in one run, and prints
times and ratios. Usage: python3 bench/native/compare.py [n] [gemm_n] [linker]

(1) chain 1/(1+exp(-(x*w+b)))*x + log1p(x*x) on n float64 / float32 values
(4) gemm_n x gemm_n float64 matrix product
(5) the cost of one call of function([a, b], a + b) on scalars
(2) seed 11's logistic-regression training step at N=10,000, feats=784 (NumPy: written by hand)
(3) a 784-500-10 tanh/softmax MLP SGD step on a batch of 256 (NumPy: written by hand)
(6) function() time for (2)'s graph and (3)'s in a new process: cold (an empty kernel cache,
    so gcc runs) and warm (the same cache again); with the jvm linker for comparison
Times are the best of 5 (10 for the training steps; the call overhead is a mean over 20000
calls). TSL_BENCH_SKIP_COMPILE=1 leaves (6) out; TSL_BENCH_ONLY_COMPILE=1 runs only (6), and
TSL_BENCH_COMPILE_RUNS=k runs each of its three processes k times and prints the medians.
TSL_BENCH_ONLY=chain,mlp_step runs only the cases whose names start so (both sides; '' = all).
Warm-up, as JMH does: each function, TSL's and NumPy's alike, is called for TSL_BENCH_WARMUP_S
seconds (default 8) before it is timed, so that the JVM's own compilers (C1/C2, and Graal compiling
itself and the script), which run on the same two cores for seconds after start-up, are done and
the times are steady-state ones. The tsl launcher runs those compiler threads at nice 10, so while
a case keeps both cores busy they finish later: with 3 s some cases still timed their tail (on the 2-core
machine dgemm took 0.535 s against 0.485 s, the MLP step 22 ms against 15-16 ms). TSL_BENCH_WARMUP_S=0 times right after one call (cold JIT: the
compiler threads then take cores from OpenBLAS's and OpenMP's threads). Each TSL case runs in a
process of its own, so one case's JIT work does not spill into the next one's timing. See docs/NATIVE.md.
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


import re
import statistics
import tempfile

only_compile = os.environ.get('TSL_BENCH_ONLY_COMPILE') == '1'
numpy_times = {}
tsl_times = {}
if not only_compile:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import numpy_bench
    only = os.environ.get('TSL_BENCH_ONLY', '')
    warmup = float(os.environ.get('TSL_BENCH_WARMUP_S', '8'))
    numpy_times = numpy_bench.run(n, m, only=only, warmup=warmup)
    with open(os.path.join(root, 'bench', 'native', 'bench.tsl')) as fh:
        script = fh.read()
    script = re.sub(r'^n = .*$', f'n = {n}', script, count=1, flags=re.M)
    script = re.sub(r'^m = .*$', f'm = {m}', script, count=1, flags=re.M)
    script = re.sub(r"^linker = .*$", f"linker = '{linker}'", script, count=1, flags=re.M)
    script = re.sub(r"^only = .*$", f"only = '{only}'", script, count=1, flags=re.M)
    script = re.sub(r"^warmup = .*$", f"warmup = {warmup}", script, count=1, flags=re.M)
    # one process per case: in a shared process the JIT work that the earlier cases started
    # (C2 compiling the JDK and, without libgraal, Graal compiling itself) was still running
    # through the MLP step's warm-up and took a core from OpenBLAS (49 ms against 16 ms alone)
    for case in [c for c in numpy_times]:
        case_script = re.sub(r"^only = .*$", f"only = '{case}'", script, count=1, flags=re.M)
        with tempfile.NamedTemporaryFile('w', suffix='.tsl', delete=False) as tmp:
            tmp.write(case_script)
        out = subprocess.run([os.path.join(root, 'bin', 'tsl'), tmp.name], capture_output=True, text=True)
        os.unlink(tmp.name)
        if out.returncode != 0:
            sys.exit('bench.tsl failed:\n' + out.stdout + out.stderr)
        for line in out.stdout.splitlines():
            name, value = line.split()
            tsl_times[name] = float(value)

def compile_times(flags, script_dir=None):
    """Runs compile_time.tsl in a new process with TSL_FLAGS=flags. The script's path is part
    of the program cache's key (its lines are), so the warm run must use the cold run's path:
    script_dir keeps it there, as a script run again keeps its own path."""
    with open(os.path.join(root, 'bench', 'native', 'compile_time.tsl')) as fh:
        src = fh.read()
    src = re.sub(r"^linker = .*$", f"linker = '{linker if 'jvm' not in flags else 'jvm'}'", src, count=1, flags=re.M)
    with tempfile.NamedTemporaryFile('w', suffix='.tsl', delete=False, dir=script_dir) as tmp:
        tmp.write(src)
    name = tmp.name
    if script_dir is not None:
        name = os.path.join(script_dir, 'compile_time.tsl')
        os.replace(tmp.name, name)
    env = dict(os.environ, TSL_FLAGS=flags)
    r = subprocess.run([os.path.join(root, 'bin', 'tsl'), name], capture_output=True, text=True, env=env)
    os.unlink(name)
    if r.returncode != 0:
        sys.exit('compile_time.tsl failed:\n' + r.stdout + r.stderr)
    return {line.split()[0]: float(line.split()[1]) for line in r.stdout.splitlines()}


compile_rows = []
if os.environ.get('TSL_BENCH_SKIP_COMPILE') != '1':
    runs = int(os.environ.get('TSL_BENCH_COMPILE_RUNS', '1'))
    colds, warms, jvms = [], [], []
    for _ in range(runs):
        cache = tempfile.mkdtemp(prefix='tsl-bench-cache-')
        colds.append(compile_times(f'cachedir={cache}', cache))
        warms.append(compile_times(f'cachedir={cache}', cache))
        jvms.append(compile_times('linker=jvm'))
        subprocess.run(['rm', '-rf', cache])
    median = lambda rows, name: statistics.median(r[name] for r in rows)
    for name in colds[0]:
        compile_rows.append((name, median(colds, name), median(warms, name), median(jvms, name)))

if not only_compile:
    print(f'n={n} gemm={m} linker={linker} numpy={np.__version__} warm-up={warmup:g} s per function, both sides'
          + (' (cold JIT)' if warmup == 0 else ''))
    print(f'{"benchmark":<16}{"TSL s":>12}{"NumPy s":>12}{"NumPy/TSL":>12}')
for name, t in tsl_times.items():
    ref = numpy_times[name]
    print(f'{name:<16}{t:>12.6f}{ref:>12.6f}{ref / t:>12.2f}')
if compile_rows:
    print(f'{"compile (6)":<16}{"cold s":>12}{"warm s":>12}{"jvm s":>12}   (new process each; target: cold < 1.5 s, warm < 0.1 s)')
    for name, c, w, j in compile_rows:
        print(f'{name:<16}{c:>12.3f}{w:>12.3f}{j:>12.3f}')
