package tsl.language.builtins;

import java.util.List;
import java.util.Map;

import tsl.language.runtime.Arith;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** NumPy's array constructors: zeros/ones/full/empty (and _like), arange, linspace, eye, identity. */
final class NumpyCreate {
    private NumpyCreate() {}

    static DType dtypeOr(Object dt, DType dflt) {
        return dt == null || dt == PyNone.NONE ? dflt : NumpyModule.toDType(dt);
    }

    static int[] shapeArg(Object o) {
        return RandomStateObject.sizeOf(o == PyNone.NONE ? PyTuple.EMPTY : o);
    }

    /**
     * A shape for an array of {@code d} about to be allocated: dimensions read as Python ints
     * (not indices), so a shape too large to allocate is NumPy's MemoryError, not an IndexError.
     */
    static int[] shapeArg(DType d, Object o) {
        Object size = o == PyNone.NONE ? PyTuple.EMPTY : o;
        List<Object> dims = size instanceof PyTuple || size instanceof PyList ? PyOps.toList(size) : List.of(size);
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            Object dim = dims.get(i);
            if (dim instanceof java.math.BigInteger) {
                throw TslError.of("ValueError", "Maximum allowed dimension exceeded");
            }
            s[i] = dim instanceof Long l ? l : PyOps.toIndex(dim);
            if (s[i] < 0) {
                throw TslError.of("ValueError", "negative dimensions are not allowed");
            }
        }
        return NDArray.shapeOf(d, s);
    }

    static NDArray filled(DType d, int[] shape, Object value) {
        NDArray r = NDArray.zeros(d, shape);
        r.assign(NumpyModule.asarray(value, null));
        return r;
    }

    static void register(PyModule m) {
        m.fn("zeros", (a, k) -> {
            Args p = new Args("zeros", a, k).only("shape", "dtype", "order");
            DType d = dtypeOr(p.opt(1, "dtype"), DType.FLOAT64);
            return NDArray.zeros(d, shapeArg(d, p.get(0, "shape", null)));
        });
        // NumPy leaves empty()'s memory uninitialised; zeros are one valid content
        m.fn("empty", (a, k) -> {
            Args p = new Args("empty", a, k).only("shape", "dtype", "order");
            DType d = dtypeOr(p.opt(1, "dtype"), DType.FLOAT64);
            return NDArray.zeros(d, shapeArg(d, p.get(0, "shape", null)));
        });
        m.fn("ones", (a, k) -> {
            Args p = new Args("ones", a, k).only("shape", "dtype", "order");
            DType d = dtypeOr(p.opt(1, "dtype"), DType.FLOAT64);
            return filled(d, shapeArg(d, p.get(0, "shape", null)), 1L);
        });
        m.fn("full", (a, k) -> {
            Args p = new Args("full", a, k).only("shape", "fill_value", "dtype", "order");
            Object v = p.get(1, "fill_value", null);
            DType d = dtypeOr(p.opt(2, "dtype"), NumpyModule.asarray(v, null).dtype());
            return filled(d, shapeArg(d, p.get(0, "shape", null)), v);
        });
        m.fn("zeros_like", (a, k) -> like("zeros_like", a, k, false));
        m.fn("empty_like", (a, k) -> like("empty_like", a, k, false));
        m.fn("ones_like", (a, k) -> like("ones_like", a, k, false));
        m.fn("full_like", (a, k) -> like("full_like", a, k, true));
        m.fn("arange", (a, k) -> arange(new Args("arange", a, k).only("start", "stop", "step", "dtype")));
        m.fn("linspace", (a, k) -> linspace(new Args("linspace", a, k).only("start", "stop", "num", "endpoint", "retstep", "dtype", "axis")));
        m.fn("eye", (a, k) -> {
            Args p = new Args("eye", a, k).only("N", "M", "k", "dtype", "order");
            int n = PyOps.toIndex(p.get(0, "N", null));
            Object mArg = p.opt(1, "M");
            int cols = mArg == PyNone.NONE ? n : PyOps.toIndex(mArg);
            return eye(n, cols, PyOps.toIndex(p.get(2, "k", 0L)), dtypeOr(p.opt(3, "dtype"), DType.FLOAT64));
        });
        m.fn("identity", (a, k) -> {
            Args p = new Args("identity", a, k).only("n", "dtype");
            int n = PyOps.toIndex(p.get(0, "n", null));
            return eye(n, n, 0, dtypeOr(p.opt(1, "dtype"), DType.FLOAT64));
        });
    }

    private static Object like(String name, List<Object> a, Map<String, Object> k, boolean withValue) {
        Args p = new Args(name, a, k).only("a", "fill_value", "dtype", "order", "subok", "shape");
        NDArray proto = NumpyModule.asarray(p.get(0, "a", null), null);
        int di = withValue ? 2 : 1;
        DType d = dtypeOr(p.opt(di, "dtype"), proto.dtype());
        Object shapeArg = p.get(-1, "shape", PyNone.NONE);
        int[] shape = shapeArg == PyNone.NONE ? proto.shape() : shapeArg(shapeArg);
        Object value = switch (name) {
            case "ones_like" -> 1L;
            case "full_like" -> p.get(1, "fill_value", null);
            default -> 0L;
        };
        return filled(d, shape, value);
    }

    private static NDArray eye(int n, int m, int k, DType d) {
        if (n < 0 || m < 0) {
            throw TslError.of("ValueError", "negative dimensions are not allowed");
        }
        NDArray r = NDArray.zeros(d, n, m);
        for (int i = 0; i < n; i++) {
            int j = i + k;
            if (j >= 0 && j < m) {
                r.setLong((long) i * m + j, 1);
            }
        }
        return r;
    }

    private static boolean isFloatArg(Object o) {
        return o instanceof Double || o instanceof NpScalar s && s.dtype().isFloat();
    }

    private static Object py(Object o) {
        return o instanceof NpScalar s ? s.toPython() : o;
    }

    /**
     * np.arange as NumPy computes it: length ceil((stop - start) / step); the first two values
     * are start and start + step converted to the dtype, and the rest start + i * delta where
     * delta is their difference in that dtype (so float steps accumulate no error).
     */
    private static NDArray arange(Args p) {
        Object start = p.get(0, "start", null);
        Object stop = p.opt(1, "stop");
        Object step = p.get(2, "step", 1L);
        if (stop == PyNone.NONE) {
            stop = start;
            start = 0L;
        }
        start = py(start);
        stop = py(stop);
        step = py(step);
        boolean isFloat = isFloatArg(start) || isFloatArg(stop) || isFloatArg(step);
        DType d = dtypeOr(p.opt(3, "dtype"), isFloat ? DType.FLOAT64 : DType.INT64);
        double st = Arith.toDouble(step);
        if (st == 0) {
            throw TslError.of("ZeroDivisionError", "division by zero");
        }
        double len = Math.ceil((Arith.toDouble(stop) - Arith.toDouble(start)) / st);
        if (!isFloat) {
            // exact for integers: Python computes the length with integer arithmetic
            long s0 = Arith.toLong(start);
            long s1 = Arith.toLong(stop);
            long sp = Arith.toLong(step);
            long diff = s1 - s0;
            len = sp > 0 ? Math.floorDiv(diff + sp - 1, sp) : Math.floorDiv(diff + sp + 1, sp);
        }
        int n = NDArray.shapeOf(d, (long) Math.max(0, len))[0];
        NDArray out = NDArray.zeros(d, n);
        if (n == 0) {
            return out;
        }
        NDArray first = NDArray.zeros(d, 2);
        if (isFloat) {
            first.setDouble(0, Arith.toDouble(start));
            first.setDouble(1, Arith.toDouble(start) + st);
        } else {
            first.setLong(0, Arith.toLong(start));
            first.setLong(1, Arith.toLong(start) + Arith.toLong(step));
        }
        if (d.isFloat()) {
            double v0 = first.getDouble(0);
            double delta = first.getDouble(1) - v0;
            boolean single = d == DType.FLOAT32;
            if (single) {
                delta = (float) delta;
            }
            for (int i = 0; i < n; i++) {
                double v = i == 0 ? v0 : i == 1 ? first.getDouble(1)
                        : single ? (float) (v0 + (float) (i * delta)) : v0 + i * delta;
                out.setDouble(i, v);
            }
        } else {
            long v0 = first.getLong(0);
            long delta = first.getLong(1) - v0;
            for (int i = 0; i < n; i++) {
                out.setLong(i, v0 + i * delta);
            }
        }
        return out;
    }

    /** np.linspace for scalar bounds: i * step + start, the last value exactly stop when endpoint. */
    private static Object linspace(Args p) {
        Object startArg = py(p.get(0, "start", null));
        Object stopArg = py(p.get(1, "stop", null));
        if (!Arith.isNumber(startArg) || !Arith.isNumber(stopArg)) {
            throw TslError.of("NotImplementedError", "not supported yet: linspace with array bounds");
        }
        int num = PyOps.toIndex(p.get(2, "num", 50L));
        if (num < 0) {
            throw TslError.of("ValueError", "Number of samples, " + num + ", must be non-negative.");
        }
        boolean endpoint = PyOps.isTrue(p.get(3, "endpoint", true));
        boolean retstep = PyOps.isTrue(p.get(4, "retstep", false));
        Object dtArg = p.opt(5, "dtype");
        double start = Arith.toDouble(startArg);
        double stop = Arith.toDouble(stopArg);
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        double[] y = new double[num];
        double step;
        if (div > 0) {
            step = delta / div;
            for (int i = 0; i < num; i++) {
                y[i] = step == 0 ? (i / (double) div) * delta + start : i * step + start;
            }
        } else {
            step = Double.NaN;
            for (int i = 0; i < num; i++) {
                y[i] = i * delta + start;
            }
        }
        if (endpoint && num > 1) {
            y[num - 1] = stop;
        }
        DType d = dtypeOr(dtArg, DType.FLOAT64);
        if (d.isInteger()) {
            for (int i = 0; i < num; i++) {
                y[i] = Math.floor(y[i]);
            }
        }
        NDArray out = NDArray.fromDoubles(DType.FLOAT64, new int[] {num}, y).astype(d);
        if (retstep) {
            return new PyTuple(new Object[] {out, NpScalar.of(NDArray.scalar(step, DType.FLOAT64))});
        }
        return out;
    }
}
