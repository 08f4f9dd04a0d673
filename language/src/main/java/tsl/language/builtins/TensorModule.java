package tsl.language.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tsl.compile.Config;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/** The module theano.tensor: variable constructors and the symbolic operations. */
final class TensorModule {
    private TensorModule() {}

    private static final String[] KINDS = {"scalar", "vector", "row", "col", "matrix", "tensor3", "tensor4", "tensor5"};
    private static final String[] PLURALS = {"scalars", "vectors", "rows", "cols", "matrices", "tensor3s", "tensor4s", "tensor5s"};

    static int[] shapeOf(String kind) {
        return switch (kind) {
            case "scalar" -> new int[0];
            case "vector" -> new int[] {-1};
            case "row" -> new int[] {1, -1};
            case "col" -> new int[] {-1, 1};
            case "matrix" -> new int[] {-1, -1};
            case "tensor3" -> new int[] {-1, -1, -1};
            case "tensor4" -> new int[] {-1, -1, -1, -1};
            default -> new int[] {-1, -1, -1, -1, -1};
        };
    }

    static DType prefixDtype(char c) {
        return switch (c) {
            case 'b' -> DType.INT8;
            case 'w' -> DType.INT16;
            case 'i' -> DType.INT32;
            case 'l' -> DType.INT64;
            case 'f' -> DType.FLOAT32;
            case 'd' -> DType.FLOAT64;
            default -> null;
        };
    }

    private static Object name(Object n) {
        return n == PyNone.NONE ? null : PyStr.str(n);
    }

    static PyModule create() {
        PyModule m = new PyModule("theano.tensor");
        for (int k = 0; k < KINDS.length; k++) {
            String kind = KINDS[k];
            int[] shape = shapeOf(kind);
            m.fn(kind, (a, kw) -> {
                Args args = new Args(kind, a, kw).only("name", "dtype", "shape");
                Object dt = args.opt(1, "dtype");
                DType d = dt == PyNone.NONE ? Config.floatX() : NumpyModule.toDType(dt);
                return new Variable(new TensorType(d, shape), (String) name(args.opt(0, "name")));
            });
            for (char p : "bwilfd".toCharArray()) {
                DType d = prefixDtype(p);
                m.fn(p + kind, (a, kw) -> new Variable(new TensorType(d, shape), (String) name(new Args(p + kind, a, kw).opt(0, "name"))));
                m.fn(p + PLURALS[k], (a, kw) -> plural(d, shape, a));
            }
            m.fn(PLURALS[k], (a, kw) -> plural(Config.floatX(), shape, a));
        }
        m.fn("TensorType", (a, kw) -> {
            Args args = new Args("TensorType", a, kw).only("dtype", "broadcastable", "name", "sparse_grad", "shape");
            DType d = NumpyModule.toDType(args.get(0, "dtype", null));
            Object bc = args.opt(1, "broadcastable");
            List<Object> flags = bc == PyNone.NONE ? List.of() : PyOps.toList(bc);
            boolean[] b = new boolean[flags.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = PyOps.isTrue(flags.get(i));
            }
            return new TypeObject(TensorType.fromBroadcastable(d, b));
        });
        m.fn("tensor", (a, kw) -> {
            Args args = new Args("tensor", a, kw).only("dtype", "shape", "name", "broadcastable");
            Object dt = args.opt(0, "dtype");
            DType d = dt == PyNone.NONE ? Config.floatX() : NumpyModule.toDType(dt);
            Object sh = args.opt(-1, "shape");
            int[] shape;
            if (sh != PyNone.NONE) {
                List<Object> dims = PyOps.toList(sh);
                shape = new int[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i) == PyNone.NONE ? -1 : PyOps.toIndex(dims.get(i));
                }
            } else {
                List<Object> flags = PyOps.toList(args.get(-1, "broadcastable", new PyTuple(new Object[0])));
                shape = new int[flags.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = PyOps.isTrue(flags.get(i)) ? 1 : -1;
                }
            }
            return new Variable(new TensorType(d, shape), (String) name(args.opt(-1, "name")));
        });
        TensorFunctions.register(m);
        m.fn("grad", TheanoModule::grad);
        return m;
    }

    private static Object plural(DType d, int[] shape, List<Object> names) {
        if (names.size() == 1 && tsl.language.runtime.Arith.isInt(names.get(0))) {
            int n = PyOps.toIndex(names.get(0));
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) {
                out[i] = new Variable(new TensorType(d, shape), null);
            }
            return n == 1 ? out[0] : new PyTuple(out);
        }
        List<Object> out = new ArrayList<>();
        for (Object n : names) {
            out.add(new Variable(new TensorType(d, shape), PyStr.str(n)));
        }
        return out.size() == 1 ? out.get(0) : PyTuple.of(out);
    }

    static String[] kinds() {
        return Arrays.copyOf(KINDS, KINDS.length);
    }
}
