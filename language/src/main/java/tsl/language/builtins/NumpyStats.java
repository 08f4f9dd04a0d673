package tsl.language.builtins;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * sum, prod, mean, max, min, all, any, var and std as NumPy's functions and ndarray methods
 * take them (axis as int or tuple, keepdims, dtype, ddof), with NumPy's result dtypes: integer
 * sums widen to int64, means and variances of integers are float64, a float32 mean divides in
 * float32 for arrays and through float64 for a scalar result (NumPy's _mean does both).
 */
final class NumpyStats {
    private NumpyStats() {}

    /** The ndarray method / numpy function {@code name} applied to {@code a}, arguments after the array. */
    @TruffleBoundary
    static Object call(String name, NDArray a, List<Object> args, Map<String, Object> kw) {
        Args p = new Args(name, args, kw);
        Object axis = p.opt(0, "axis");
        Object dtype = name.equals("max") || name.equals("min") || name.equals("all") || name.equals("any")
                ? PyNone.NONE : p.opt(1, "dtype");
        boolean keepdims = PyOps.isTrue(p.get(-1, "keepdims", false));
        int ddof = PyOps.toIndex(p.get(-1, "ddof", 0L));
        return reduction(name, a, axis, keepdims, dtype == PyNone.NONE ? null : NumpyModule.toDType(dtype), ddof);
    }

    static Object reduction(String name, NDArray a, Object axis, boolean keepdims, DType dtype, int ddof) {
        boolean[] red = NumpyReduce.reducedMask(axis, a.ndim());
        NDArray r = switch (name) {
            case "sum" -> NumpyReduce.reduce(NumpyReduce.Kind.SUM, cast(a, dtype), red, dtype != null ? dtype : NumpyReduce.accumulatorFor(a.dtype()));
            case "prod" -> NumpyReduce.reduce(NumpyReduce.Kind.PROD, cast(a, dtype), red, dtype != null ? dtype : NumpyReduce.accumulatorFor(a.dtype()));
            case "max", "amax" -> NumpyReduce.reduce(NumpyReduce.Kind.MAX, a, red, a.dtype());
            case "min", "amin" -> NumpyReduce.reduce(NumpyReduce.Kind.MIN, a, red, a.dtype());
            case "all" -> NumpyReduce.reduce(NumpyReduce.Kind.ALL, a, red, a.dtype());
            case "any" -> NumpyReduce.reduce(NumpyReduce.Kind.ANY, a, red, a.dtype());
            case "mean" -> mean(a, red, dtype);
            case "var" -> variance(a, red, dtype, ddof, false);
            case "std" -> variance(a, red, dtype, ddof, true);
            default -> throw new IllegalArgumentException(name);
        };
        if (keepdims) {
            return r.reshape(keptShape(a.shape(), red));
        }
        return NumpyOps.wrap(r);
    }

    private static NDArray cast(NDArray a, DType dtype) {
        return dtype == null || dtype == a.dtype() ? a : a.astype(dtype);
    }

    static int[] keptShape(int[] shape, boolean[] red) {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (red[i]) {
                s[i] = 1;
            }
        }
        return s;
    }

    private static long count(NDArray a, boolean[] red) {
        long n = 1;
        for (int i = 0; i < red.length; i++) {
            if (red[i]) {
                n *= a.dim(i);
            }
        }
        return n;
    }

    private static DType meanType(NDArray a, DType dtype) {
        return dtype != null ? dtype : a.dtype().isFloat() ? a.dtype() : DType.FLOAT64;
    }

    /** _mean: the sum in the mean's dtype, then divided by the count in that dtype. */
    private static NDArray mean(NDArray a, boolean[] red, DType dtype) {
        DType t = meanType(a, dtype);
        NDArray s = NumpyReduce.reduce(NumpyReduce.Kind.SUM, cast(a, t), red, t);
        long n = count(a, red);
        divide(s, n, s.ndim() == 0);
        return s;
    }

    /** In place: s / n as NumPy divides (float32 arrays in float32, a float32 scalar through float64). */
    private static void divide(NDArray s, long n, boolean scalar) {
        for (long i = 0; i < s.size(); i++) {
            double v = s.getDouble(i);
            double q = s.dtype() == DType.FLOAT32 && !scalar ? (float) v / (float) n : v / n;
            s.setDouble(i, n == 0 ? Double.NaN : q);
        }
    }

    /** _var: mean with keepdims, squared deviations summed, divided by n - ddof; std is its sqrt. */
    private static NDArray variance(NDArray a, boolean[] red, DType dtype, int ddof, boolean sqrt) {
        DType t = meanType(a, dtype);
        NDArray x = cast(a, t);
        NDArray m = NumpyReduce.reduce(NumpyReduce.Kind.SUM, x, red, t);
        long n = count(a, red);
        divide(m, n, false);
        NDArray mb = m.reshape(keptShape(a.shape(), red)).broadcastTo(a.shape());
        NDArray dev = NDArray.zeros(t, a.shape());
        boolean single = t == DType.FLOAT32;
        for (long i = 0; i < dev.size(); i++) {
            double d = x.getDouble(i) - mb.getDouble(i);
            d = single ? (float) d : d;
            dev.setDouble(i, single ? (float) (d * d) : d * d);
        }
        NDArray r = NumpyReduce.reduce(NumpyReduce.Kind.SUM, dev, red, t);
        long div = Math.max(n - ddof, 0);
        divide(r, div, r.ndim() == 0);
        if (sqrt) {
            for (long i = 0; i < r.size(); i++) {
                double v = Math.sqrt(r.getDouble(i));
                r.setDouble(i, single ? (float) v : v);
            }
        }
        return r;
    }

    /** np.cumsum / np.cumprod: sequential along the axis (flattened for None), integers widened to int64. */
    @TruffleBoundary
    static NDArray cumulative(NDArray a, Object axis, DType dtype, boolean product) {
        DType t = dtype != null ? dtype : NumpyReduce.accumulatorFor(a.dtype());
        NDArray x = (axis == null || axis == PyNone.NONE ? a.copy().reshape(-1) : a).astype(t);
        int ax = axis == null || axis == PyNone.NONE ? 0 : NumpyOps.axesOf(axis, a.ndim())[0];
        if (x.ndim() == 0) {
            throw TslError.of("ValueError", "axis " + ax + " is out of bounds for array of dimension 0");
        }
        NDArray out = x.copy();
        int[] perm = moveToEnd(out.ndim(), ax);
        NDArray v = out.transpose(perm);
        NDArray flat = v.copy();
        int n = out.dim(ax);
        long rows = n == 0 ? 0 : flat.size() / n;
        boolean single = t == DType.FLOAT32;
        for (long r = 0; r < rows; r++) {
            if (t.isFloat()) {
                double acc = flat.getDouble(r * n);
                for (int i = 1; i < n; i++) {
                    double y = flat.getDouble(r * n + i);
                    acc = product ? acc * y : acc + y;
                    acc = single ? (float) acc : acc;
                    flat.setDouble(r * n + i, acc);
                }
            } else {
                long acc = flat.getLong(r * n);
                for (int i = 1; i < n; i++) {
                    long y = flat.getLong(r * n + i);
                    acc = product ? acc * y : acc + y;
                    flat.setLong(r * n + i, acc);
                }
            }
        }
        v.assign(flat);
        return out;
    }

    static int[] moveToEnd(int ndim, int ax) {
        int[] perm = new int[ndim];
        for (int i = 0, j = 0; i < ndim; i++) {
            if (i != ax) {
                perm[j++] = i;
            }
        }
        perm[ndim - 1] = ax;
        return perm;
    }
}
