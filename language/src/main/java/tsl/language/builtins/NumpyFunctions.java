package tsl.language.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.Arith;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/** NumPy's functions that rearrange, join, search, compare and summarise arrays. */
final class NumpyFunctions {
    private NumpyFunctions() {}

    static NDArray arr(Object o) {
        return NumpyModule.asarray(o, null);
    }

    static void register(PyModule m) {
        for (String name : new String[] {"sum", "prod", "mean", "max", "amax", "min", "amin", "all", "any", "std", "var"}) {
            m.fn(name, (a, k) -> {
                if (a.isEmpty() && !k.containsKey("a")) {
                    throw TslError.of("TypeError", name + "() missing required argument 'a'");
                }
                Object x = a.isEmpty() ? k.get("a") : a.get(0);
                java.util.Map<String, Object> kw = new java.util.LinkedHashMap<>(k);
                kw.remove("a");
                String method = name.equals("amax") ? "max" : name.equals("amin") ? "min" : name;
                return NumpyStats.call(method, arr(x), a.isEmpty() ? a : a.subList(1, a.size()), kw);
            });
        }
        m.fn("cumsum", (a, k) -> {
            Args p = new Args("cumsum", a, k).only("a", "axis", "dtype");
            return NumpyStats.cumulative(arr(p.get(0, "a", null)), p.opt(1, "axis"), dt(p.opt(2, "dtype")), false);
        });
        m.fn("cumprod", (a, k) -> {
            Args p = new Args("cumprod", a, k).only("a", "axis", "dtype");
            return NumpyStats.cumulative(arr(p.get(0, "a", null)), p.opt(1, "axis"), dt(p.opt(2, "dtype")), true);
        });
        m.fn("argmax", (a, k) -> {
            Args p = new Args("argmax", a, k).only("a", "axis");
            return NumpyOps.argReduce(arr(p.get(0, "a", null)), p.opt(1, "axis"), true);
        });
        m.fn("argmin", (a, k) -> {
            Args p = new Args("argmin", a, k).only("a", "axis");
            return NumpyOps.argReduce(arr(p.get(0, "a", null)), p.opt(1, "axis"), false);
        });
        m.fn("dot", (a, k) -> NumpyOps.binary("@", a.get(0), a.get(1)));
        m.fn("matmul", (a, k) -> {
            NDArray x = arr(a.get(0));
            NDArray y = arr(a.get(1));
            if (x.ndim() == 0 || y.ndim() == 0) {
                throw TslError.of("ValueError", "matmul: Input operand " + (x.ndim() == 0 ? 0 : 1) + " does not have enough dimensions");
            }
            if (x.ndim() > 2 || y.ndim() > 2) {
                throw TslError.of("NotImplementedError", "not supported yet: np.matmul of arrays with more than 2 dimensions");
            }
            return NumpyOps.binary("@", x, y);
        });
        m.fn("outer", (a, k) -> {
            NDArray x = arr(a.get(0)).reshape(-1);
            NDArray y = arr(a.get(1)).reshape(-1);
            return NumpyUfuncs.binary(ScalarOps.MUL, x.reshape(x.dim(0), 1), y.reshape(1, y.dim(0)));
        });
        m.fn("transpose", (a, k) -> {
            Args p = new Args("transpose", a, k).only("a", "axes");
            NDArray x = arr(p.get(0, "a", null));
            Object axes = p.opt(1, "axes");
            return axes == PyNone.NONE ? x.transpose() : x.transpose(ints(axes));
        });
        m.fn("reshape", (a, k) -> {
            Args p = new Args("reshape", a, k).only("a", "newshape", "order");
            return reshape(arr(p.get(0, "a", null)), ints(p.get(1, "newshape", null)));
        });
        m.fn("squeeze", (a, k) -> {
            Args p = new Args("squeeze", a, k).only("a", "axis");
            return squeeze(arr(p.get(0, "a", null)), p.opt(1, "axis"));
        });
        m.fn("expand_dims", (a, k) -> {
            Args p = new Args("expand_dims", a, k).only("a", "axis");
            return arr(p.get(0, "a", null)).expandDims(PyOps.toIndex(p.get(1, "axis", null)));
        });
        m.fn("ravel", (a, k) -> arr(a.get(0)).copy().reshape(-1));
        m.fn("copy", (a, k) -> arr(a.get(0)).copy());
        m.fn("shape", (a, k) -> NumpyOps.shapeTuple(arr(a.get(0)).shape()));
        m.fn("ndim", (a, k) -> (long) arr(a.get(0)).ndim());
        m.fn("size", (a, k) -> arr(a.get(0)).size());
        m.fn("concatenate", (a, k) -> {
            Args p = new Args("concatenate", a, k).only("arrays", "axis", "dtype");
            Object axis = p.get(1, "axis", 0L);
            List<NDArray> xs = arrays(p.get(0, "arrays", null));
            if (axis == PyNone.NONE) {
                List<NDArray> flat = new ArrayList<>();
                for (NDArray x : xs) {
                    flat.add(x.reshape(-1));
                }
                return concatenate(flat, 0);
            }
            return concatenate(xs, PyOps.toIndex(axis));
        });
        m.fn("stack", (a, k) -> {
            Args p = new Args("stack", a, k).only("arrays", "axis");
            return stack(arrays(p.get(0, "arrays", null)), PyOps.toIndex(p.get(1, "axis", 0L)));
        });
        m.fn("vstack", (a, k) -> {
            List<NDArray> xs = new ArrayList<>();
            for (NDArray x : arrays(a.get(0))) {
                xs.add(x.ndim() == 0 ? x.reshape(1, 1) : x.ndim() == 1 ? x.reshape(1, x.dim(0)) : x);
            }
            return concatenate(xs, 0);
        });
        m.fn("hstack", (a, k) -> {
            List<NDArray> xs = new ArrayList<>();
            for (NDArray x : arrays(a.get(0))) {
                xs.add(x.ndim() == 0 ? x.reshape(1) : x);
            }
            return concatenate(xs, xs.get(0).ndim() == 1 ? 0 : 1);
        });
        m.fn("where", (a, k) -> {
            if (a.size() == 1) {
                return nonzero(arr(a.get(0)));
            }
            if (a.size() != 3) {
                throw TslError.of("ValueError", "either both or neither of x and y should be given");
            }
            return where(a.get(0), a.get(1), a.get(2));
        });
        m.fn("nonzero", (a, k) -> nonzero(arr(a.get(0))));
        m.fn("argwhere", (a, k) -> {
            NDArray x = arr(a.get(0));
            PyTuple nz = nonzero(x);
            int n = nz.items.length == 0 ? (x.getDouble(0) != 0 ? 1 : 0) : ((NDArray) nz.items[0]).dim(0);
            NDArray out = NDArray.zeros(DType.INT64, n, x.ndim());
            for (int j = 0; j < x.ndim(); j++) {
                NDArray col = (NDArray) nz.items[j];
                for (int i = 0; i < n; i++) {
                    out.setLong((long) i * x.ndim() + j, col.getLong(i));
                }
            }
            return out;
        });
        m.fn("count_nonzero", (a, k) -> {
            Args p = new Args("count_nonzero", a, k).only("a", "axis", "keepdims");
            NDArray x = arr(p.get(0, "a", null));
            Object axis = p.opt(1, "axis");
            NDArray nz = NDArray.zeros(DType.INT64, x.shape());
            for (long i = 0; i < x.size(); i++) {
                nz.setLong(i, x.getDouble(i) != 0 ? 1 : 0);
            }
            Object r = NumpyStats.reduction("sum", nz, axis, PyOps.isTrue(p.get(2, "keepdims", false)), null, 0);
            return axis == PyNone.NONE && r instanceof NpScalar s ? s.toPython() : r;
        });
        m.fn("allclose", (a, k) -> {
            Args p = new Args("allclose", a, k).only("a", "b", "rtol", "atol", "equal_nan");
            NDArray c = isclose(p);
            for (long i = 0; i < c.size(); i++) {
                if (c.getLong(i) == 0) {
                    return false;
                }
            }
            return true;
        });
        m.fn("isclose", (a, k) -> NumpyOps.wrap(isclose(new Args("isclose", a, k).only("a", "b", "rtol", "atol", "equal_nan"))));
        m.fn("array_equal", (a, k) -> {
            NDArray x = arr(a.get(0));
            NDArray y = arr(a.get(1));
            if (!Arrays.equals(x.shape(), y.shape())) {
                return false;
            }
            for (long i = 0; i < x.size(); i++) {
                if (x.dtype().isFloat() || y.dtype().isFloat() ? x.getDouble(i) != y.getDouble(i) : x.getLong(i) != y.getLong(i)) {
                    return false;
                }
            }
            return true;
        });
        m.fn("sort", (a, k) -> {
            Args p = new Args("sort", a, k).only("a", "axis", "kind");
            NDArray x = arr(p.get(0, "a", null));
            Object axis = p.get(1, "axis", -1L);
            NDArray c = axis == PyNone.NONE ? x.copy().reshape(-1) : x.copy();
            NumpySorting.sortInPlace(c, axis == PyNone.NONE ? 0 : PyOps.toIndex(axis));
            return c;
        });
        m.fn("argsort", (a, k) -> {
            Args p = new Args("argsort", a, k).only("a", "axis", "kind");
            Object axis = p.get(1, "axis", -1L);
            NDArray x = arr(p.get(0, "a", null));
            return NumpySorting.argsort(axis == PyNone.NONE ? x.reshape(-1) : x, axis == PyNone.NONE ? 0 : PyOps.toIndex(axis));
        });
        m.fn("unique", (a, k) -> NumpySorting.unique(new Args("unique", a, k).only("ar", "return_index", "return_inverse", "return_counts")));
        m.fn("tile", (a, k) -> tile(arr(a.get(0)), ints(a.get(1))));
        m.fn("repeat", (a, k) -> {
            Args p = new Args("repeat", a, k).only("a", "repeats", "axis");
            return repeat(arr(p.get(0, "a", null)), p.get(1, "repeats", null), p.opt(2, "axis"));
        });
        PyModule linalg = new PyModule("numpy.linalg");
        linalg.fn("norm", (a, k) -> norm(new Args("norm", a, k).only("x", "ord", "axis", "keepdims")));
        m.put("linalg", linalg);
    }

    private static DType dt(Object o) {
        return o == PyNone.NONE ? null : NumpyModule.toDType(o);
    }

    static int[] ints(Object o) {
        List<Object> items = o instanceof PyTuple || o instanceof PyList ? PyOps.toList(o) : List.of(o);
        int[] r = new int[items.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = PyOps.toIndex(items.get(i));
        }
        return r;
    }

    static NDArray reshape(NDArray a, int[] shape) {
        try {
            return a.reshape(shape);
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", e.getMessage());
        }
    }

    private static List<NDArray> arrays(Object seq) {
        List<NDArray> out = new ArrayList<>();
        for (Object o : PyOps.toList(seq)) {
            out.add(arr(o));
        }
        if (out.isEmpty()) {
            throw TslError.of("ValueError", "need at least one array to concatenate");
        }
        return out;
    }

    /** The common dtype of a list of arrays (all arrays, so plain promotion). */
    private static DType common(List<NDArray> xs) {
        DType d = xs.get(0).dtype();
        for (NDArray x : xs) {
            d = NumpyCasting.promote(d, x.dtype());
        }
        return d;
    }

    @TruffleBoundary
    static NDArray concatenate(List<NDArray> xs, int axis) {
        int nd = xs.get(0).ndim();
        if (nd == 0) {
            throw TslError.of("ValueError", "zero-dimensional arrays cannot be concatenated");
        }
        int ax = axis < 0 ? axis + nd : axis;
        if (ax < 0 || ax >= nd) {
            throw TslError.of("AxisError", "axis " + axis + " is out of bounds for array of dimension " + nd);
        }
        int[] shape = xs.get(0).shape();
        int total = 0;
        for (int i = 0; i < xs.size(); i++) {
            NDArray x = xs.get(i);
            if (x.ndim() != nd) {
                throw TslError.of("ValueError", "all the input array dimensions except for the concatenation axis must match exactly, "
                        + "but along dimension 0, the array at index 0 has " + nd + " dimension(s) and the array at index " + i
                        + " has " + x.ndim() + " dimension(s)");
            }
            for (int d = 0; d < nd; d++) {
                if (d != ax && x.dim(d) != shape[d]) {
                    throw TslError.of("ValueError", "all the input array dimensions except for the concatenation axis must match exactly, "
                            + "but along dimension " + d + ", the array at index 0 has size " + shape[d]
                            + " and the array at index " + i + " has size " + x.dim(d));
                }
            }
            total += x.dim(ax);
        }
        shape[ax] = total;
        NDArray out = NDArray.zeros(common(xs), shape);
        int at = 0;
        for (NDArray x : xs) {
            out.slice(ax, at, x.dim(ax), 1).assign(x);
            at += x.dim(ax);
        }
        return out;
    }

    static NDArray stack(List<NDArray> xs, int axis) {
        int[] s = xs.get(0).shape();
        int nd = s.length + 1;
        int ax = axis < 0 ? axis + nd : axis;
        if (ax < 0 || ax >= nd) {
            throw TslError.of("AxisError", "axis " + axis + " is out of bounds for array of dimension " + nd);
        }
        List<NDArray> ex = new ArrayList<>();
        for (NDArray x : xs) {
            if (!Arrays.equals(x.shape(), s)) {
                throw TslError.of("ValueError", "all input arrays must have the same shape");
            }
            ex.add(x.expandDims(ax));
        }
        return concatenate(ex, ax);
    }

    static NDArray squeeze(NDArray a, Object axis) {
        List<Integer> keep = new ArrayList<>();
        boolean[] drop = new boolean[a.ndim()];
        if (axis == PyNone.NONE) {
            for (int i = 0; i < a.ndim(); i++) {
                drop[i] = a.dim(i) == 1;
            }
        } else {
            for (int ax : NumpyOps.axesOf(axis, a.ndim())) {
                if (a.dim(ax) != 1) {
                    throw TslError.of("ValueError", "cannot select an axis to squeeze out which has size not equal to one");
                }
                drop[ax] = true;
            }
        }
        for (int i = 0; i < a.ndim(); i++) {
            if (!drop[i]) {
                keep.add(a.dim(i));
            }
        }
        return a.reshape(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    static Object where(Object cond, Object x, Object y) {
        NDArray c = arr(cond);
        DType d = NumpyCasting.resultType(x, y);
        NDArray xa = arr(x).astype(d);
        NDArray ya = arr(y).astype(d);
        int[] shape;
        try {
            shape = Shapes.broadcast(Shapes.broadcast(c.shape(), xa.shape()), ya.shape());
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", "operands could not be broadcast together with shapes "
                    + Shapes.format(c.shape()).replace(" ", "") + " " + Shapes.format(xa.shape()).replace(" ", "") + " "
                    + Shapes.format(ya.shape()).replace(" ", ""));
        }
        NDArray cb = c.broadcastTo(shape);
        NDArray xb = xa.broadcastTo(shape);
        NDArray yb = ya.broadcastTo(shape);
        NDArray out = NDArray.zeros(d, shape);
        for (long i = 0; i < out.size(); i++) {
            NDArray src = cb.getDouble(i) != 0 ? xb : yb;
            if (d.isFloat()) {
                out.setDouble(i, src.getDouble(i));
            } else {
                out.setLong(i, src.getLong(i));
            }
        }
        return NumpyOps.wrap(out);
    }

    static PyTuple nonzero(NDArray a) {
        if (a.ndim() == 0) {
            throw TslError.of("ValueError", "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.");
        }
        List<long[]> hits = new ArrayList<>();
        int[] idx = new int[a.ndim()];
        for (long i = 0; i < a.size(); i++) {
            if (a.getDouble(i) != 0) {
                long[] h = new long[idx.length];
                for (int d = 0; d < idx.length; d++) {
                    h[d] = idx[d];
                }
                hits.add(h);
            }
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < a.dim(d)) {
                    break;
                }
                idx[d] = 0;
            }
        }
        Object[] out = new Object[a.ndim()];
        for (int d = 0; d < out.length; d++) {
            long[] v = new long[hits.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = hits.get(i)[d];
            }
            out[d] = NDArray.fromLongs(DType.INT64, new int[] {v.length}, v);
        }
        return new PyTuple(out);
    }

    private static NDArray isclose(Args p) {
        NDArray x = arr(p.get(0, "a", null));
        NDArray y = arr(p.get(1, "b", null));
        double rtol = Arith.toDouble(p.get(2, "rtol", 1e-5));
        double atol = Arith.toDouble(p.get(3, "atol", 1e-8));
        boolean equalNan = PyOps.isTrue(p.get(4, "equal_nan", false));
        int[] shape;
        try {
            shape = Shapes.broadcast(x.shape(), y.shape());
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", "operands could not be broadcast together with shapes "
                    + Shapes.format(x.shape()).replace(" ", "") + " " + Shapes.format(y.shape()).replace(" ", ""));
        }
        NDArray bx = x.broadcastTo(shape);
        NDArray by = y.broadcastTo(shape);
        NDArray out = NDArray.zeros(DType.BOOL, shape);
        for (long i = 0; i < out.size(); i++) {
            double a = bx.getDouble(i);
            double b = by.getDouble(i);
            boolean close;
            if (Double.isNaN(a) || Double.isNaN(b)) {
                close = equalNan && Double.isNaN(a) && Double.isNaN(b);
            } else if (Double.isInfinite(a) || Double.isInfinite(b)) {
                close = a == b;
            } else {
                close = Math.abs(a - b) <= atol + rtol * Math.abs(b);
            }
            out.setLong(i, close ? 1 : 0);
        }
        return out;
    }

    static NDArray tile(NDArray a, int[] reps) {
        int nd = Math.max(a.ndim(), reps.length);
        int[] r = new int[nd];
        Arrays.fill(r, 1);
        System.arraycopy(reps, 0, r, nd - reps.length, reps.length);
        NDArray x = a;
        while (x.ndim() < nd) {
            x = x.expandDims(0);
        }
        int[] shape = new int[nd];
        for (int i = 0; i < nd; i++) {
            shape[i] = x.dim(i) * r[i];
        }
        NDArray out = NDArray.zeros(a.dtype(), shape);
        int[] idx = new int[nd];
        for (long i = 0; i < out.size(); i++) {
            long src = 0;
            for (int d = 0; d < nd; d++) {
                src = src * x.dim(d) + idx[d] % x.dim(d);
            }
            if (a.dtype().isFloat()) {
                out.setDouble(i, x.getDouble(src));
            } else {
                out.setLong(i, x.getLong(src));
            }
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    static NDArray repeat(NDArray a, Object repeats, Object axis) {
        NDArray x = axis == PyNone.NONE ? a.reshape(-1) : a;
        int ax = axis == PyNone.NONE ? 0 : NumpyOps.axesOf(axis, a.ndim())[0];
        int n = x.dim(ax);
        NDArray rep = arr(repeats);
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = rep.size() == 1 ? rep.getLong(0) : rep.getLong(i);
            if (counts[i] < 0) {
                throw TslError.of("ValueError", "repeats may not contain negative values.");
            }
        }
        if (rep.size() != 1 && rep.size() != n) {
            throw TslError.of("ValueError", "operands could not be broadcast together with shape (" + n + ",) (" + rep.size() + ",)");
        }
        List<NDArray> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NDArray piece = x.slice(ax, i, 1, 1);
            for (long c = 0; c < counts[i]; c++) {
                parts.add(piece);
            }
        }
        if (parts.isEmpty()) {
            int[] s = x.shape();
            s[ax] = 0;
            return NDArray.zeros(a.dtype(), s);
        }
        return concatenate(parts, ax);
    }

    /** np.linalg.norm for the default (2/Frobenius) and the 1 and inf vector orders. */
    private static Object norm(Args p) {
        NDArray x = arr(p.get(0, "x", null));
        Object ord = p.opt(1, "ord");
        Object axis = p.opt(2, "axis");
        boolean keepdims = PyOps.isTrue(p.get(3, "keepdims", false));
        NDArray xf = x.dtype().isFloat() ? x : x.astype(DType.FLOAT64);
        if (ord != PyNone.NONE && !(ord instanceof String s && s.equals("fro"))) {
            double o = Arith.toDouble(ord instanceof NpScalar s ? s.toPython() : ord);
            if (x.ndim() != 1 && axis == PyNone.NONE) {
                throw TslError.of("NotImplementedError", "not supported yet: matrix norms other than 'fro'");
            }
            NDArray absx = (NDArray) NumpyUfuncs.sameUnary(ScalarOps.ABS, xf.ndim() == 0 ? xf.reshape(1) : xf);
            if (Double.isInfinite(o)) {
                return NumpyStats.reduction(o > 0 ? "max" : "min", absx, axis, keepdims, null, 0);
            }
            if (o == 1) {
                return NumpyStats.reduction("sum", absx, axis, keepdims, null, 0);
            }
            if (o != 2) {
                throw TslError.of("NotImplementedError", "not supported yet: norm of order " + PyOps.typeName(ord));
            }
        }
        NDArray sq = (NDArray) NumpyUfuncs.binary(ScalarOps.MUL, xf.ndim() == 0 ? xf.reshape(1) : xf, xf.ndim() == 0 ? xf.reshape(1) : xf);
        Object s = NumpyStats.reduction("sum", sq, axis, keepdims, null, 0);
        return NumpyUfuncs.floatUnary(ScalarOps.SQRT, s);
    }
}
