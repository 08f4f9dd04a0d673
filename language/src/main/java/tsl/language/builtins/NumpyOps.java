package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.graph.TslException;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.Interop;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PySlice;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.blas.Dot;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/** NumPy's eager semantics on NDArrays: operators with NumPy's promotion, attributes, methods and indexing. */
public final class NumpyOps {
    private NumpyOps() {}

    /** A 0-d result becomes a NumPy scalar, as NumPy returns from reductions and scalar indexing. */
    public static Object wrap(NDArray a) {
        return a.ndim() == 0 ? NpScalar.of(a) : a;
    }

    static NDArray toArray(Object o, DType d) {
        NDArray a = o instanceof NDArray x ? x : o instanceof NpScalar s ? s.array() : Interop.toArray(o);
        return a.dtype() == d ? a : a.astype(d);
    }

    /** Pads ranks on the left so Elemwise sees equal ranks, checking NumPy broadcasting first. */
    private static NDArray[] align(NDArray... in) {
        int[] shape = new int[0];
        for (NDArray a : in) {
            try {
                shape = Shapes.broadcast(shape, a.shape());
            } catch (IllegalArgumentException e) {
                throw TslError.of("ValueError", broadcastMessage(in));
            }
        }
        NDArray[] out = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            NDArray a = in[i];
            while (a.ndim() < shape.length) {
                a = a.expandDims(0);
            }
            out[i] = a;
        }
        return out;
    }

    private static String broadcastMessage(NDArray[] in) {
        StringBuilder sb = new StringBuilder("operands could not be broadcast together with shapes");
        for (NDArray a : in) {
            sb.append(' ').append(Shapes.format(a.shape()).replace(" ", ""));
        }
        return sb.toString();
    }

    /** Applies a scalar op elementwise with NumPy broadcasting; a result of scalars is a scalar. */
    @TruffleBoundary
    public static Object elementwise(ScalarOp op, DType castTo, Object... args) {
        NDArray[] arrays = new NDArray[args.length];
        boolean allScalar = true;
        for (int i = 0; i < args.length; i++) {
            arrays[i] = args[i] instanceof NDArray a ? a : toArray(args[i], NumpyCasting.declared(args[i]));
            allScalar &= !(args[i] instanceof NDArray);
        }
        try {
            NDArray r = Eager.run1(new Elemwise(op, castTo), align(arrays));
            return allScalar ? wrap(r) : r;
        } catch (TslException e) {
            throw Interop.toError(e);
        }
    }

    @TruffleBoundary
    public static Object binary(String op, Object a, Object b) {
        if (op.equals("@")) {
            return wrap(Eager.run1(new Dot(), toArray(a, NumpyCasting.declared(a)), toArray(b, NumpyCasting.declared(b))));
        }
        ScalarOp s = switch (op) {
            case "+" -> ScalarOps.ADD;
            case "-" -> ScalarOps.SUB;
            case "*" -> ScalarOps.MUL;
            case "/" -> ScalarOps.TRUE_DIV;
            case "//" -> ScalarOps.INT_DIV;
            case "%" -> ScalarOps.MOD;
            case "**" -> ScalarOps.POW;
            case "&" -> ScalarOps.AND;
            case "|" -> ScalarOps.OR;
            default -> throw TslError.of("TypeError", "unsupported operand type(s) for " + op + ": '"
                    + PyOps.typeName(a) + "' and '" + PyOps.typeName(b) + "'");
        };
        return NumpyUfuncs.binary(s, a, b);
    }

    @TruffleBoundary
    public static Object unary(String op, Object a) {
        ScalarOp s = op.equals("neg") ? ScalarOps.NEG : ScalarOps.get(op);
        return elementwise(s, null, a);
    }

    @TruffleBoundary
    public static Object compare(String op, Object a, Object b) {
        ScalarOp s = switch (op) {
            case "<" -> ScalarOps.LT;
            case ">" -> ScalarOps.GT;
            case "<=" -> ScalarOps.LE;
            case ">=" -> ScalarOps.GE;
            case "==" -> ScalarOps.EQ;
            case "!=" -> ScalarOps.NEQ;
            default -> throw new IllegalStateException(op);
        };
        DType r = NumpyCasting.resultType(a, b);
        Object out = elementwise(s, null, NumpyUfuncs.as(a, r), NumpyUfuncs.as(b, r));
        return out instanceof NDArray arr ? wrap(arr) : out;
    }

    public static Object reduceAny(Object a) {
        NDArray x = toArray(a, NumpyCasting.declared(a));
        return Eager.run1(new Reduce(Reduce.Kind.ANY, null), x).getDouble(0) != 0;
    }

    static int[] axesOf(Object axis, int ndim) {
        if (axis == null || axis == PyNone.NONE) {
            return null;
        }
        List<Object> items = axis instanceof PyTuple || axis instanceof PyList ? PyOps.toList(axis) : List.of(axis);
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            int ax = PyOps.toIndex(items.get(i));
            int n = ax < 0 ? ax + ndim : ax;
            if (n < 0 || n >= ndim) {
                throw TslError.of("IndexError", "axis " + ax + " is out of bounds for array of dimension " + ndim);
            }
            out[i] = n;
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** argmax/argmin along an axis (None flattens), NumPy's first-occurrence tie rule. */
    @TruffleBoundary
    public static Object argReduce(NDArray a, Object axis, boolean max) {
        if (axis == null || axis == PyNone.NONE) {
            NDArray flat = a.reshape(-1);
            if (flat.size() == 0) {
                throw TslError.of("ValueError", "attempt to get " + (max ? "argmax" : "argmin") + " of an empty sequence");
            }
            long best = 0;
            for (long i = 1; i < flat.size(); i++) {
                double v = flat.getDouble(i);
                double b = flat.getDouble(best);
                if (Double.isNaN(b)) {
                    break;
                }
                if (Double.isNaN(v) || (max ? v > b : v < b)) {
                    best = i;
                }
            }
            return NpScalar.of(NDArray.scalar(best, DType.INT64));
        }
        int ax = axesOf(axis, a.ndim())[0];
        int[] perm = new int[a.ndim()];
        for (int i = 0, j = 0; i < a.ndim(); i++) {
            if (i != ax) {
                perm[j++] = i;
            }
        }
        perm[a.ndim() - 1] = ax;
        NDArray t = a.transpose(perm).copy();
        int n = a.dim(ax);
        int rows = (int) (t.size() / Math.max(n, 1));
        int[] outShape = new int[a.ndim() - 1];
        for (int i = 0, j = 0; i < a.ndim(); i++) {
            if (i != ax) {
                outShape[j++] = a.dim(i);
            }
        }
        NDArray out = NDArray.zeros(DType.INT64, outShape);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                double v = t.getDouble((long) r * n + i);
                double b = t.getDouble((long) r * n + best);
                if (Double.isNaN(b)) {
                    break;
                }
                if (Double.isNaN(v) || (max ? v > b : v < b)) {
                    best = i;
                }
            }
            out.setLong(r, best);
        }
        return wrap(out);
    }

    // ------------------------------------------------------------------ attributes and methods

    @TruffleBoundary
    public static Object getattr(Object o, String name) {
        NDArray a = o instanceof NpScalar s ? s.array() : (NDArray) o;
        return switch (name) {
            case "shape" -> shapeTuple(a.shape());
            case "ndim" -> (long) a.ndim();
            case "dtype" -> new NpDType(a.dtype());
            case "size" -> a.size();
            case "T" -> a.transpose();
            case "itemsize" -> (long) a.dtype().byteSize();
            case "nbytes" -> a.size() * a.dtype().byteSize();
            default -> ArrayMethods.get(a, name);
        };
    }

    public static PyTuple shapeTuple(int[] shape) {
        Object[] items = new Object[shape.length];
        for (int i = 0; i < shape.length; i++) {
            items[i] = (long) shape[i];
        }
        return new PyTuple(items);
    }

    public static Object toList(NDArray a) {
        if (a.ndim() == 0) {
            return NpScalar.of(a).toPython();
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < a.dim(0); i++) {
            out.add(toList(a.get(i)));
        }
        return new PyList(out);
    }

    // ------------------------------------------------------------------ indexing

    @TruffleBoundary
    public static Object getitem(NDArray a, Object key) {
        Object[] idx = IndexKeys.of(key);
        if (!IndexKeys.isBasic(idx)) {
            // advanced indexing copies: the backend's AdvancedSubtensor implements NumPy's rules
            try {
                return wrap(Eager.value(tsl.ops.T.subtensor(new tsl.graph.Constant(a), idx)));
            } catch (tsl.graph.TslException e) {
                throw Interop.toError(e);
            }
        }
        return wrap(basicView(a, idx));
    }

    /** Basic indexing as a view of {@code a} (writes through it reach {@code a}, as in NumPy). */
    private static NDArray basicView(NDArray a, Object[] idx) {
        int explicit = 0;
        for (Object k : idx) {
            if (k instanceof Long || k instanceof tsl.ops.T.Slice) {
                explicit++;
            }
        }
        if (explicit > a.ndim()) {
            throw TslError.of("IndexError", "too many indices for array: array is " + a.ndim() + "-dimensional, but "
                    + explicit + " were indexed");
        }
        NDArray v = a;
        int axis = 0;
        boolean sawEllipsis = false;
        for (Object k : idx) {
            if (k == null) {
                v = v.expandDims(axis++);
            } else if (k == tsl.ops.T.ELLIPSIS) {
                if (sawEllipsis) {
                    throw TslError.of("IndexError", "an index can only have a single ellipsis ('...')");
                }
                sawEllipsis = true;
                axis += a.ndim() - explicit;
            } else if (k instanceof tsl.ops.T.Slice s) {
                int[] ind = new PySlice(pyBound(s.start()), pyBound(s.stop()), pyBound(s.step())).indices(v.dim(axis));
                v = v.slice(axis, ind[0], ind[1], ind[2]);
                axis++;
            } else {
                long i = (Long) k;
                int n = v.dim(axis);
                long j = i < 0 ? i + n : i;
                if (j < 0 || j >= n) {
                    throw TslError.of("IndexError", "index " + i + " is out of bounds for axis " + axis + " with size " + n);
                }
                // select along axis: move it to the front, take row j
                int[] perm = new int[v.ndim()];
                perm[0] = axis;
                for (int d = 0, p = 1; d < v.ndim(); d++) {
                    if (d != axis) {
                        perm[p++] = d;
                    }
                }
                v = v.transpose(perm).get((int) j);
            }
        }
        return v;
    }

    private static Object pyBound(Object b) {
        return b == null ? PyNone.NONE : b;
    }

    @TruffleBoundary
    public static void setitem(NDArray a, Object key, Object value) {
        Object[] idx = IndexKeys.of(key);
        NDArray v = toArray(value, a.dtype());
        try {
            if (IndexKeys.isBasic(idx)) {
                basicView(a, idx).assign(v);
            } else {
                // advanced targets are not views: compute the updated array as set_subtensor does, then write it back
                tsl.graph.Variable target = tsl.ops.T.subtensor(new tsl.graph.Constant(a), idx);
                a.assign(Eager.value(tsl.ops.T.setSubtensor(target, new tsl.graph.Constant(v))));
            }
        } catch (tsl.graph.TslException e) {
            throw Interop.toError(e);
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", "could not broadcast input array: " + e.getMessage());
        }
    }
}
