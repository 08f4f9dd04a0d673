"""Generates the expected strings in NumpyFormatArrayTest.java and NumpyFormatScalarTest.java.

The reference is NumPy 1.24. Under NumPy 2.x, legacy='1.25' restores 1.24's printing of
scalars and arrays; the Java tests hold the literal results, so they never run Python.
Run: python3 numpy_cases.py -- it rewrites the tables between the BEGIN/END markers.
"""
import numpy as np

np.set_printoptions(legacy='1.25')

F64, F32 = np.float64, np.float32
JAVA_DTYPE = {'float64': 'FLOAT64', 'float32': 'FLOAT32', 'int8': 'INT8', 'uint8': 'UINT8',
              'int16': 'INT16', 'int32': 'INT32', 'int64': 'INT64', 'bool': 'BOOL'}


def jstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def jdouble(x):
    x = float(x)
    if x != x:
        return 'NaN'
    if x == float('inf'):
        return 'INF'
    if x == float('-inf'):
        return '-INF'
    return repr(x)


def literal(arr):
    dt = JAVA_DTYPE[arr.dtype.name]
    shape = 'shape(' + ', '.join(str(d) for d in arr.shape) + ')'
    flat = arr.ravel()
    if arr.dtype.kind == 'f':
        vals = ', '.join(jdouble(v) for v in flat)
        return f'doubles({dt}, {shape}{", " if vals else ""}{vals})'
    vals = ', '.join(str(int(v)) + ('L' if abs(int(v)) > 2**31 - 1 else '') for v in flat)
    return f'longs({dt}, {shape}{", " if vals else ""}{vals})'


def generated(dtype, shape, java_fn, py_fn):
    n = int(np.prod(shape))
    arr = np.array([py_fn(float(i)) for i in range(n)], dtype=np.float64).astype(dtype).reshape(shape)
    dt = JAVA_DTYPE[np.dtype(dtype).name]
    java = f'gen({dt}, shape({", ".join(str(d) for d in shape)}), i -> {java_fn})'
    return java, arr


def expected(case, s, r):
    """A case whose NumPy 1.24 output differs from NumPy 2's (legacy='1.25' does not cover it)."""
    return case[0], case[1], s, r


def lit(values, dtype, shape=None):
    arr = np.array(values, dtype=dtype)
    if shape is not None:
        arr = arr.reshape(shape)
    return literal(arr), arr


ARRAY_CASES = [
    # 0-d
    lit(5.0, F64), lit(-1.5, F64), lit(-0.0, F64), lit(1 / 3, F64), lit(np.nan, F64), lit(1e16, F64),
    lit(0.1, F32), lit(1 / 3, F32), lit(7, np.int32), lit(-7, np.int64), lit(200, np.uint8),
    lit(True, bool), lit(False, bool),
    # 1-d floats
    lit([1.0, 2.0, 3.0], F64), lit([0.5, -1.25], F64), lit([1 / 3], F64), lit([1 / 3, 2 / 3, -1 / 3], F64),
    lit([-0.0], F64), lit([0.0, -0.0, 1.0], F64), lit([1e-5, 1.0], F64), lit([1e10, 1], F64),
    lit([1e8], F64), lit([99999999.0], F64), lit([1e-4, 1.0], F64), lit([0.001, 1.0], F64),
    lit([1.0, 1000.0], F64), lit([1.0, 1001.0], F64), lit([np.nan, 1.0], F64),
    lit([np.inf, -np.inf, np.nan], F64), lit([-np.inf, 1.5], F64), lit([np.nan], F64),
    lit([np.inf, 1e-7], F64), lit([1e100, 1e-5], F64), lit([1.5e-10, -2.5e-10], F64),
    lit([123456789.0, 1.0], F64), lit([0.1, 0.2, 0.1 + 0.2], F64), lit([1.23456789012], F64),
    lit([0.123456785], F64), lit([0.000134625, 0.1], F64), lit([1.000000375e-07, 1.0], F64),
    lit([8.7105e-04, -0.5], F64), lit([0.999999995, 1.0], F64), lit([9.9999999995e9], F64), lit([2.0 ** -9, 1.0], F64), lit([0.5, 1.5, 2.5, 100.125], F64),
    lit([12345678.9, -0.5], F64), lit([0.99999999999, 9.999999999], F64), lit([0.0, 0.0], F64),
    lit([-1e-300, 1e300], F64), lit([1.5, np.nan, -np.inf, 2e-6], F64),
    # 1-d float32
    lit([0.1, 0.2, 0.3], F32), lit([1 / 3, 2 / 3], F32), lit([0.04517666], F32),
    lit([16777217.0, 1.0], F32), expected(lit([1e-4], F32), '[1.e-04]', 'array([1.e-04], dtype=float32)'), lit([3.4028235e38, -1.0], F32),
    lit([np.nan, 0.25], F32), lit([99999992.0, 1.0], F32), lit([6.8538793e-11, -1.5983552e-10], F32),
    lit([2.0664399e-10, 1e-11], F32), lit([1.5, 2.0 ** -20], F32), lit([1e-45, 1.0], F32),
    # n-d floats
    lit([[1.0, 2.0], [3.0, 4.0]], F64), lit([[0.5, -10.25], [100.0, 1 / 7]], F64),
    lit([[1e-5, 1.0], [np.nan, -2.0]], F64), lit([[1.0, 2.0, 3.0]], F32),
    generated(F64, (2, 3, 4), 'i * 0.5', lambda i: i * 0.5),
    generated(F64, (2, 1, 2, 2), 'i - 3.0', lambda i: i - 3.0),
    # wrapping
    generated(F64, (30,), 'i * 1.1', lambda i: i * 1.1),
    generated(F64, (40,), 'i / 7.0', lambda i: i / 7.0),
    generated(F32, (30,), 'i * 1.1', lambda i: i * 1.1),
    generated(F32, (13,), 'i + 0.5', lambda i: i + 0.5),
    generated(F32, (12,), 'i * 0.25 + 1', lambda i: i * 0.25 + 1),
    generated(F64, (3, 20), 'i * 0.1', lambda i: i * 0.1),
    generated(F64, (25,), 'i * 1e-6 - 1e-5', lambda i: i * 1e-6 - 1e-5),
    # repr: dtype= moves to its own line when it would pass column 75
    generated(np.int16, (10,), 'i * 1000', lambda i: i * 1000),
    generated(np.int16, (18,), 'i * 1000', lambda i: i * 1000),
    generated(F32, (11,), 'i * 0.5', lambda i: i * 0.5),
    generated(F32, (21,), 'i * 0.5', lambda i: i * 0.5),
    generated(np.uint8, (15,), 'i * 7', lambda i: i * 7),
    generated(F32, (2, 11), 'i * 0.5', lambda i: i * 0.5),
    # summarization
    generated(F64, (2000,), 'i', lambda i: i),
    generated(F64, (1001,), 'i / 3.0', lambda i: i / 3.0),
    generated(F64, (40, 50), 'i * 0.25', lambda i: i * 0.25),
    generated(F32, (10, 10, 12), 'i', lambda i: i),
    generated(np.int64, (2000,), 'i', lambda i: i),
    generated(np.int32, (50, 30), 'i - 700', lambda i: i - 700),
    generated(F64, (1, 1001), 'i == 1000 ? 1e9 : i', lambda i: 1e9 if i == 1000 else i),
    generated(F64, (1001,), 'i == 500 ? 1e-9 : i', lambda i: 1e-9 if i == 500 else i),
    # integers
    lit([-128, 127, 0], np.int8), lit([0, 255, 7], np.uint8), lit([-32768, 5], np.int16),
    lit([1, -20, 300], np.int32), lit([1, 2, 3], np.int64), lit([2 ** 62, -1], np.int64),
    lit([[1, -20], [300, 4]], np.int32), lit([[1, 2], [3, 4]], np.int64),
    generated(np.int32, (30,), 'i * 3', lambda i: i * 3),
    generated(np.int64, (30,), 'i * 1000', lambda i: i * 1000),
    generated(np.uint8, (40,), 'i * 7', lambda i: i * 7 % 256),
    generated(np.int8, (2, 2, 3), 'i - 6', lambda i: i - 6),
    # bools
    lit([True, False], bool), lit([True, True], bool), lit([False], bool),
    lit([[True, False], [False, True]], bool),
    generated(bool, (30,), 'i % 3 == 0 ? 1 : 0', lambda i: 1 if i % 3 == 0 else 0),
    # empty
    lit([], F64), lit([], F32), lit([], np.int64), lit([], np.int32), lit([], bool),
    (literal(np.zeros((0, 3))), np.zeros((0, 3))), (literal(np.zeros((2, 0), np.int32)), np.zeros((2, 0), np.int32)),
    (literal(np.zeros((0,), np.uint8)), np.zeros((0,), np.uint8)),
]

SCALARS = [
    (5.0, F64), (0.5, F64), (-0.0, F64), (1e16, F64), (1e-5, F64), (1.5e-5, F64), (1e-4, F64),
    (123456789.123, F64), (1e15, F64), (9999999999999998.0, F64), (np.nan, F64), (np.inf, F64),
    (-np.inf, F64), (0.1 + 0.2, F64), (1 / 3, F64), (5e-324, F64), (1.7976931348623157e308, F64),
    (-2.5e-7, F64), (1e22, F64), (100.0, F64),
    (0.04517666, F32), (0.1, F32), (1 / 3, F32), (1e-4, F32), (16777216.0, F32), (1e16, F32),
    (3.4028235e38, F32), (1e-45, F32), (2.5, F32), (-0.0, F32), (np.nan, F32), (np.inf, F32),
    (1e8, F32), (0.3, F32),
    (7, np.int64), (-128, np.int8), (255, np.uint8), (-5, np.int32), (40000, np.int32), (-3, np.int16),
    (True, bool), (False, bool),
]

PYTHON_FLOATS = [1.0, 0.1, 1e16, 1e22, 1.7976931348623157e308, 5e-324, -0.0, float('nan'), float('inf'),
                 float('-inf'), 2 / 3, 1e-7, 0.0001, 123.456, 1e-4 * 3, 2.0 ** 70, 1e15 + 0.3, -12.0]

def array_rows():
    rows = []
    for case in ARRAY_CASES:
        java, arr = case[0], case[1]
        s, r = (case[2], case[3]) if len(case) == 4 else (str(arr), repr(arr))
        rows.append(f'                c({java},\n                        {jstr(s)},\n                        {jstr(r)})')
    return ',\n'.join(rows)


def scalar_rows():
    rows = []
    for v, dt in SCALARS:
        s = dt(v)
        name = JAVA_DTYPE[np.dtype(dt).name]
        if np.dtype(dt).kind == 'f':
            rows.append(f'                f({name}, {jdouble(float(s))}, {jstr(str(s))})')
        else:
            rows.append(f'                i({name}, {int(s)}L, {jstr(str(s))})')
    return ',\n'.join(rows)


def python_float_rows():
    return ',\n'.join(f'                p({jdouble(v)}, {jstr(repr(v))})' for v in PYTHON_FLOATS)


def splice(path, marker, rows):
    """Replaces the lines between '// BEGIN <marker>' and '// END <marker>' in a test source."""
    with open(path) as f:
        text = f.read()
    begin, end = f'// BEGIN {marker}\n', f'        // END {marker}'
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    with open(path, 'w') as f:
        f.write(head + begin + rows + '\n' + end + tail)


if __name__ == '__main__':
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    splice(os.path.join(here, 'NumpyFormatArrayTest.java'), 'array cases', array_rows())
    splice(os.path.join(here, 'NumpyFormatScalarTest.java'), 'scalar cases', scalar_rows())
    splice(os.path.join(here, 'NumpyFormatScalarTest.java'), 'python floats', python_float_rows())
