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
            case "transpose" -> m(name, (a, k) -> T.transpose(v));
            case "astype" -> m(name, (a, k) -> T.cast(v, NumpyModule.toDType(a.get(0))));
            case "dimshuffle" -> m(name, (a, k) -> {
                List<Object> items = a.size() == 1 && (a.get(0) instanceof PyTuple || a.get(0) instanceof PyList) ? PyOps.toList(a.get(0)) : a;
                int[] pattern = new int[items.size()];
                for (int i = 0; i < pattern.length; i++) {
                    Object p = items.get(i);
                    pattern[i] = "x".equals(p) ? -1 : PyOps.toIndex(p);
                }
                return T.dimshuffle(v, pattern);
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
        throw TslError.of("NotImplementedError", "not supported yet: indexing a symbolic tensor (" + PyOps.typeName(v) + "[...])");
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
