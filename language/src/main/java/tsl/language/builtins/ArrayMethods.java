package tsl.language.builtins;

import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.NDArray;

/** The methods of an ndarray, as bound builtins over NumPy's functions. */
final class ArrayMethods {
    private ArrayMethods() {}

    private static BuiltinFunction m(String name, BuiltinFunction.Impl impl) {
        return new BuiltinFunction(name, impl);
    }

    /** Shape arguments given as one tuple/list or as separate ints. */
    private static int[] dims(List<Object> args) {
        List<Object> d = args.size() == 1 && (args.get(0) instanceof PyTuple || args.get(0) instanceof PyList)
                ? PyOps.toList(args.get(0)) : args;
        int[] s = new int[d.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = PyOps.toIndex(d.get(i));
        }
        return s;
    }

    @TruffleBoundary
    static Object get(NDArray a, String name) {
        return switch (name) {
            case "reshape" -> m(name, (args, kw) -> NumpyFunctions.reshape(a, dims(args)));
            case "astype" -> m(name, (args, kw) -> a.astype(NumpyModule.toDType(new Args(name, args, kw).get(0, "dtype", null))));
            case "copy" -> m(name, (args, kw) -> a.copy());
            case "flatten", "ravel" -> m(name, (args, kw) -> a.copy().reshape(-1));
            case "tolist" -> m(name, (args, kw) -> NumpyOps.toList(a));
            case "item" -> m(name, (args, kw) -> {
                if (!args.isEmpty()) {
                    Object v = NumpyOps.getitem(a.copy().reshape(-1), args.get(0));
                    return v instanceof NpScalar s ? s.toPython() : v;
                }
                if (a.size() != 1) {
                    throw TslError.of("ValueError", "can only convert an array of size 1 to a Python scalar");
                }
                return NpScalar.of(a.copy().reshape(new int[0])).toPython();
            });
            case "sum", "prod", "mean", "max", "min", "all", "any", "std", "var" ->
                    m(name, (args, kw) -> NumpyStats.call(name, a, args, kw));
            case "argmax" -> m(name, (args, kw) -> NumpyOps.argReduce(a, new Args(name, args, kw).opt(0, "axis"), true));
            case "argmin" -> m(name, (args, kw) -> NumpyOps.argReduce(a, new Args(name, args, kw).opt(0, "axis"), false));
            case "cumsum", "cumprod" -> m(name, (args, kw) -> {
                Args p = new Args(name, args, kw);
                Object dt = p.opt(1, "dtype");
                return NumpyStats.cumulative(a, p.opt(0, "axis"), dt == PyNone.NONE ? null : NumpyModule.toDType(dt), name.equals("cumprod"));
            });
            case "dot" -> m(name, (args, kw) -> NumpyOps.binary("@", a, args.get(0)));
            case "transpose" -> m(name, (args, kw) -> args.isEmpty() ? a.transpose() : a.transpose(dims(args)));
            case "clip" -> m(name, (args, kw) -> {
                Args p = new Args(name, args, kw);
                return NumpyUfuncs.clip(a, p.opt(0, "min"), p.opt(1, "max"));
            });
            case "round" -> m(name, (args, kw) -> NumpyUfuncs.round(a, PyOps.toIndex(new Args(name, args, kw).get(0, "decimals", 0L))));
            case "fill" -> m(name, (args, kw) -> {
                a.assign(NumpyOps.toArray(args.get(0), a.dtype()));
                return PyNone.NONE;
            });
            case "squeeze" -> m(name, (args, kw) -> NumpyFunctions.squeeze(a, new Args(name, args, kw).opt(0, "axis")));
            case "sort" -> m(name, (args, kw) -> {
                NumpySorting.sortInPlace(a, PyOps.toIndex(new Args(name, args, kw).get(0, "axis", -1L)));
                return PyNone.NONE;
            });
            case "argsort" -> m(name, (args, kw) -> NumpySorting.argsort(a, PyOps.toIndex(new Args(name, args, kw).get(0, "axis", -1L))));
            case "nonzero" -> m(name, (args, kw) -> NumpyFunctions.nonzero(a));
            case "repeat" -> m(name, (args, kw) -> {
                Args p = new Args(name, args, kw);
                return NumpyFunctions.repeat(a, p.get(0, "repeats", null), p.opt(1, "axis"));
            });
            default -> null;
        };
    }
}
