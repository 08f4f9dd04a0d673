package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.reduce.Reduce;

/** Attributes and methods of symbolic variables (x.dtype, x.sum(axis=0), x.T, x.eval(), ...). */
public final class VariableMethods {
    private VariableMethods() {}

    private static BuiltinFunction m(String name, BuiltinFunction.Impl impl) {
        return new BuiltinFunction(name, impl);
    }

    @TruffleBoundary
    public static Object getattr(Variable v, String name) {
        switch (name) {
            case "type":
                return new TypeObject(v.type());
            case "dtype":
                return v.dtype().numpyName();
            case "ndim":
                return (long) v.ndim();
            case "broadcastable": {
                boolean[] b = v.type().broadcastable();
                Object[] items = new Object[b.length];
                for (int i = 0; i < b.length; i++) {
                    items[i] = b[i];
                }
                return new PyTuple(items);
            }
            case "name":
                return v.name() == null ? PyNone.NONE : v.name();
            case "owner":
                return v.owner() == null ? PyNone.NONE : v.owner();
            case "index":
                return (long) v.index();
            case "T":
                return T.transpose(v);
            case "shape":
                return T.shape(v);
            case "size":
                return T.prod(T.shape(v));
            case "value":
                if (v instanceof tsl.graph.Constant c) {
                    return c.value();
                }
                return null;
            default:
                break;
        }
        if (v instanceof tsl.graph.SharedVariable s) {
            Object r = SharedMethods.getattr(s, name);
            if (r != null) {
                return r;
            }
        }
        return switch (name) {
            case "sum" -> m(name, (a, k) -> reduce(Reduce.Kind.SUM, v, a, k));
            case "mean" -> m(name, (a, k) -> reduce(Reduce.Kind.MEAN, v, a, k));
            case "prod" -> m(name, (a, k) -> reduce(Reduce.Kind.PROD, v, a, k));
            case "max" -> m(name, (a, k) -> reduce(Reduce.Kind.MAX, v, a, k));
            case "min" -> m(name, (a, k) -> reduce(Reduce.Kind.MIN, v, a, k));
            case "all" -> m(name, (a, k) -> reduce(Reduce.Kind.ALL, v, a, k));
            case "any" -> m(name, (a, k) -> reduce(Reduce.Kind.ANY, v, a, k));
            case "dot" -> m(name, (a, k) -> T.dot(v, PyOps.toGraphOperand(a.get(0))));
            case "transpose" -> m(name, (a, k) -> a.isEmpty() ? T.transpose(v)
                    : T.dimshuffle(v, TensorFunctions.ints(a.size() == 1 && !tsl.language.runtime.Arith.isInt(a.get(0)) ? a.get(0) : new PyList(a))));
            case "astype" -> m(name, (a, k) -> T.cast(v, NumpyModule.toDType(new Args("astype", a, k).get(0, "dtype", null))));
            case "dimshuffle" -> m(name, (a, k) -> {
                List<Object> items = a.size() == 1 && (a.get(0) instanceof PyTuple || a.get(0) instanceof PyList) ? PyOps.toList(a.get(0)) : a;
                return T.dimshuffle(v, TensorFunctions.ints(new PyList(items)));
            });
            case "reshape" -> m(name, (a, k) -> {
                Args args = new Args("reshape", a, k).only("shape", "ndim");
                return reshape(v, a, args.get(-1, "ndim", PyNone.NONE));
            });
            case "flatten" -> m(name, (a, k) -> T.flatten(v, PyOps.toIndex(new Args("flatten", a, k).only("ndim", "outdim")
                    .get(0, "ndim", k.getOrDefault("outdim", 1L)))));
            case "ravel" -> m(name, (a, k) -> T.flatten(v));
            case "argmax", "argmin", "var", "std" -> m(name, (a, k) -> statistic(name, v, a, k));
            case "clip" -> m(name, (a, k) -> T.clip(v, PyOps.toGraphOperand(a.get(0)), PyOps.toGraphOperand(a.get(1))));
            case "round" -> m(name, (a, k) -> T.round(v, tsl.language.runtime.PyStr.str(new Args("round", a, k).get(0, "mode", "half_to_even"))));
            case "sort" -> m(name, (a, k) -> T.sort(v, PyOps.toIndex(new Args("sort", a, k).get(0, "axis", -1L))));
            case "argsort" -> m(name, (a, k) -> T.argsort(v, PyOps.toIndex(new Args("argsort", a, k).get(0, "axis", -1L))));
            case "cumsum", "cumprod" -> m(name, (a, k) -> {
                Object axis = new Args(name, a, k).opt(0, "axis");
                Integer ax = axis == PyNone.NONE ? null : PyOps.toIndex(axis);
                return name.equals("cumsum") ? T.cumsum(v, ax) : T.cumprod(v, ax);
            });
            case "repeat" -> m(name, (a, k) -> {
                Args args = new Args("repeat", a, k).only("repeats", "axis");
                Object axis = args.opt(1, "axis");
                Object r = PyOps.toGraphOperand(args.get(0, "repeats", null));
                return axis == PyNone.NONE ? T.repeat(v, r) : T.repeat(v, r, PyOps.toIndex(axis));
            });
            case "copy" -> m(name, (a, k) -> T.elemwise(tsl.ops.elemwise.ScalarOps.IDENTITY, v));
            case "squeeze" -> m(name, (a, k) -> {
                List<Integer> keep = new ArrayList<>();
                for (int d = 0; d < v.ndim(); d++) {
                    if (v.type().dim(d) != 1) {
                        keep.add(d);
                    }
                }
                return T.dimshuffle(v, keep.stream().mapToInt(Integer::intValue).toArray());
            });
            case "swapaxes" -> m(name, (a, k) -> {
                int[] p = new int[v.ndim()];
                for (int d = 0; d < p.length; d++) {
                    p[d] = d;
                }
                int i = Math.floorMod(PyOps.toIndex(a.get(0)), Math.max(p.length, 1));
                int j = Math.floorMod(PyOps.toIndex(a.get(1)), Math.max(p.length, 1));
                p[i] = j;
                p[j] = i;
                return T.dimshuffle(v, p);
            });
            case "nonzero" -> m(name, (a, k) -> PyTuple.of(new ArrayList<>(T.nonzero(v))));
            case "nonzero_values" -> m(name, (a, k) -> T.nonzeroValues(v));
            case "norm" -> m(name, (a, k) -> {
                Args args = new Args("norm", a, k).only("L", "axis");
                Object l = args.get(0, "L", null);
                Object axis = args.opt(1, "axis");
                double p = tsl.language.runtime.Arith.toDouble(l);
                Variable absV = T.abs(v);
                Variable powered = p == 1 ? absV : p == 2 ? T.sqr(absV) : T.pow(absV, T.floatConstant(p, v));
                Variable s = T.sum(powered, axes(axis), false);
                return p == 1 ? s : p == 2 ? T.sqrt(s) : T.pow(s, T.floatConstant(1.0 / p, v));
            });
            case "eval" -> m(name, (a, k) -> eval(v, a.isEmpty() ? null : a.get(0)));
            default -> null;
        };
    }

    static Object reduce(Reduce.Kind kind, Variable v, List<Object> a, Map<String, Object> k) {
        Args args = new Args(kind.name().toLowerCase(), a, k);
        Object axis = args.opt(0, "axis");
        boolean keepdims = PyOps.isTrue(args.get(-1, "keepdims", false));
        return T.reduce(kind, v, axes(axis), keepdims);
    }

    /** argmax / argmin / var / std / logsumexp with NumPy's axis, keepdims (and ddof for var/std). */
    static Object statistic(String name, Variable v, List<Object> a, Map<String, Object> k) {
        Args args = new Args(name, a, k).only("axis", "keepdims", "ddof", "corrected");
        int[] ax = axes(args.opt(0, "axis"));
        boolean keepdims = PyOps.isTrue(args.get(1, "keepdims", false));
        int ddof = PyOps.toIndex(args.get(2, "ddof", 0L));
        return switch (name) {
            case "argmax" -> T.argmax(v, ax, keepdims);
            case "argmin" -> T.argmin(v, ax, keepdims);
            case "var" -> T.var(v, ax, keepdims, ddof);
            case "std" -> T.std(v, ax, keepdims, ddof);
            case "logsumexp" -> T.logsumexp(v, ax, keepdims);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** x.reshape(shape) / x.reshape(d0, d1, ...) / reshape(x, shape, ndim): entries are ints or symbolic scalars, or one symbolic vector. */
    static Object reshape(Variable v, List<Object> a, Object ndim) {
        Object shape = a.size() == 1 ? a.get(0) : new PyTuple(a.toArray());
        if (shape instanceof PyList || shape instanceof PyTuple) {
            List<Object> dims = new ArrayList<>();
            for (Object d : PyOps.toList(shape)) {
                Object o = PyOps.toGraphOperand(d);
                dims.add(o instanceof Long l ? (Object) l : o);
            }
            return T.reshape(v, dims);
        }
        Object s = PyOps.toGraphOperand(shape);
        if (s instanceof Long l) {
            return T.reshape(v, List.of(l));
        }
        Variable sv = T.asTensorVariable(s);
        if (ndim != PyNone.NONE && ndim != null) {
            return T.reshape(v, sv, PyOps.toIndex(ndim));
        }
        return T.reshape(v, sv);
    }

    static int[] axes(Object axis) {
        if (axis == PyNone.NONE || axis == null) {
            return null;
        }
        List<Object> items = axis instanceof PyTuple || axis instanceof PyList ? PyOps.toList(axis) : List.of(axis);
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = PyOps.toIndex(items.get(i));
        }
        return out;
    }

    /** Variable.eval({x: value, ...}): compiles and runs a one-off function. */
    @TruffleBoundary
    static Object eval(Variable v, Object givens) {
        List<tsl.compile.In> inputs = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (givens instanceof PyDict d) {
            for (var e : d.entries()) {
                if (!(e.getKey().value() instanceof Variable in)) {
                    throw TslError.of("TypeError", "eval() keys must be variables");
                }
                inputs.add(tsl.compile.In.of(in));
                values.add(tsl.language.runtime.Interop.toJava(e.getValue() instanceof tsl.tensor.NDArray ? e.getValue() : e.getValue()));
            }
        }
        try {
            tsl.compile.Function f = new tsl.compile.FunctionBuilder().inputs(inputs).outputs(List.of(v), true)
                    .onUnusedInput("ignore").build();
            return f.call(values, Map.of())[0];
        } catch (TslException e) {
            throw tsl.language.runtime.Interop.toError(e);
        }
    }

    @TruffleBoundary
    public static Object getitem(Variable v, Object key) {
        try {
            return T.subtensor(v, IndexKeys.of(key));
        } catch (TslException e) {
            throw tsl.language.runtime.Interop.toError(e);
        }
    }

    /** Attributes of an Apply node (x.owner.op, .inputs, .outputs). */
    @TruffleBoundary
    public static Object applyAttr(Apply a, String name) {
        return switch (name) {
            case "op" -> a.op();
            case "inputs" -> new PyList(a.inputs());
            case "outputs" -> new PyList(a.outputs());
            default -> null;
        };
    }
}
