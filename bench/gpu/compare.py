#!/usr/bin/env python3
"""Compares two program outputs (cpu reference, cuda) as text with numbers to a tolerance.

Usage: compare.py CPU_OUT CUDA_OUT [rtol] [atol]. Exit 0 when they agree. Numbers are compared
by value, so a GPU sum that gives 0.0 where the CPU gave -4.4e-16 (and NumPy then prints the
array in another notation) still agrees; everything else must match word for word.
"""
import math
import re
import sys

NUM = re.compile(r"(?<![A-Za-z_])[-+]?(?:nan|inf|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def parts(text):
    nums = [float(m.group(0)) for m in NUM.finditer(text)]
    skeleton = re.sub(r"\s+", " ", NUM.sub("#", text)).strip()
    return skeleton, nums


def main():
    a, b = open(sys.argv[1]).read(), open(sys.argv[2]).read()
    rtol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-6
    atol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-9
    sa, na = parts(a)
    sb, nb = parts(b)
    if sa != sb or len(na) != len(nb):
        for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines())):
            if parts(x)[0] != parts(y)[0]:
                print(f"line {i + 1} differs:\n  cpu:  {x}\n  cuda: {y}")
                break
        else:
            print(f"outputs differ in length ({len(a.splitlines())} vs {len(b.splitlines())} lines)")
        return 1
    for i, (x, y) in enumerate(zip(na, nb)):
        same = (math.isnan(x) and math.isnan(y)) or x == y or abs(x - y) <= atol + rtol * abs(x)
        if not same:
            print(f"number {i + 1} differs: cpu {x!r} vs cuda {y!r}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
