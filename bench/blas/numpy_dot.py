"""numpy.dot of n x n matrices, best of a few calls, printed like BlasBench: numpy_dot.py [sizes] [dtypes]."""
import sys
import time

import numpy as np

sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "512,2048").split(",")]
dtypes = (sys.argv[2] if len(sys.argv) > 2 else "float64,float32").split(",")
for dn in dtypes:
    for n in sizes:
        rng = np.random.RandomState(1)
        a = rng.rand(n, n).astype(dn)
        b = rng.rand(n, n).astype(dn)
        np.dot(a, b)
        best = float("inf")
        for _ in range(20 if n <= 512 else 5):
            t0 = time.perf_counter()
            np.dot(a, b)
            best = min(best, time.perf_counter() - t0)
        print("numpy %s dot %d: %.6f s  %.2f GFLOP/s" % (dn, n, best, 2.0 * n ** 3 / best / 1e9))
