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
        unary(m, "exp", ScalarOps.EXP);
        unary(m, "log", ScalarOps.LOG);
        unary(m, "sqr", ScalarOps.SQR);
        unary(m, "sqrt", ScalarOps.SQRT);
        unary(m, "tanh", ScalarOps.TANH);
        unary(m, "abs_", ScalarOps.ABS);
        unary(m, "abs", ScalarOps.ABS);
        unary(m, "sgn", ScalarOps.SGN);
        unary(m, "neg", ScalarOps.NEG);
        unary(m, "sigmoid", ScalarOps.SIGMOID);
        binary(m, "add", ScalarOps.ADD);
        binary(m, "sub", ScalarOps.SUB);
        binary(m, "mul", ScalarOps.MUL);
        binary(m, "true_div", ScalarOps.TRUE_DIV);
        binary(m, "int_div", ScalarOps.INT_DIV);
        binary(m, "mod", ScalarOps.MOD);
        binary(m, "pow", ScalarOps.POW);
        binary(m, "maximum", ScalarOps.MAXIMUM);
        binary(m, "minimum", ScalarOps.MINIMUM);
        binary(m, "lt", ScalarOps.LT);
        binary(m, "gt", ScalarOps.GT);
        binary(m, "le", ScalarOps.LE);
        binary(m, "ge", ScalarOps.GE);
        binary(m, "eq", ScalarOps.EQ);
        binary(m, "neq", ScalarOps.NEQ);
        m.fn("switch", (a, kw) -> T.switchOp(g(a.get(0)), g(a.get(1)), g(a.get(2))));
        m.put("where", m.attrs.get("switch"));
        m.fn("dot", (a, kw) -> T.dot(g(a.get(0)), g(a.get(1))));
        m.fn("outer", (a, kw) -> T.outer(g(a.get(0)), g(a.get(1))));
        m.fn("cast", (a, kw) -> T.cast(g(a.get(0)), NumpyModule.toDType(new Args("cast", a, kw).get(1, "dtype", null))));
        m.fn("transpose", (a, kw) -> T.transpose(g(a.get(0))));
        m.fn("zeros_like", (a, kw) -> T.zerosLike(g(a.get(0))));
        m.fn("ones_like", (a, kw) -> T.onesLike(g(a.get(0))));
        m.fn("as_tensor_variable", (a, kw) -> T.asTensorVariable(g(a.get(0))));
        m.fn("constant", (a, kw) -> T.constant(g(a.get(0))));
        reduction(m, "sum", Reduce.Kind.SUM);
        reduction(m, "mean", Reduce.Kind.MEAN);
        reduction(m, "prod", Reduce.Kind.PROD);
        reduction(m, "max", Reduce.Kind.MAX);
        reduction(m, "min", Reduce.Kind.MIN);
        reduction(m, "all", Reduce.Kind.ALL);
        reduction(m, "any", Reduce.Kind.ANY);
        m.fn("grad", TheanoModule::grad);
        PyModule nnet = new PyModule("theano.tensor.nnet");
        nnet.put("sigmoid", m.attrs.get("sigmoid"));
        m.put("nnet", nnet);
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

    /** A Python value as a graph operand. */
    static Object g(Object o) {
        return PyOps.toGraphOperand(o);
    }

    private static void unary(PyModule m, String name, tsl.ops.elemwise.ScalarOp op) {
        m.fn(name, (a, kw) -> {
            if (a.size() != 1) {
                throw TslError.of("TypeError", name + "() takes 1 argument, got " + a.size());
            }
            return T.elemwise(op, g(a.get(0)));
        });
    }

    private static void binary(PyModule m, String name, tsl.ops.elemwise.ScalarOp op) {
        m.fn(name, (a, kw) -> {
            if (a.size() != 2) {
                throw TslError.of("TypeError", name + "() takes 2 arguments, got " + a.size());
            }
            return T.elemwise(op, g(a.get(0)), g(a.get(1)));
        });
    }

    private static void reduction(PyModule m, String name, Reduce.Kind kind) {
        m.fn(name, (a, kw) -> {
            Object x = g(a.get(0));
            Map<String, Object> k = kw;
            List<Object> rest = a.subList(1, a.size());
            Variable v = T.asTensorVariable(x);
            return VariableMethods.reduce(kind, v, rest, k);
        });
    }

    static String[] kinds() {
        return Arrays.copyOf(KINDS, KINDS.length);
    }
}
