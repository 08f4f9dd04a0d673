package tsl.language.builtins;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.interop.TruffleObject;

import tsl.compile.JavaValues;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.Interop;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** A NumPy subset over backend NDArrays (the language issue grows it). */
public final class NumpyModule {
    private NumpyModule() {}

    /** np.float32 and friends: a dtype that is also callable to make a scalar. */
    public record DTypeObject(DType dtype) implements TruffleObject {
        @Override
        public String toString() {
            return dtype.numpyName();
        }
    }

    public static DType toDType(Object o) {
        if (o instanceof DTypeObject d) {
            return d.dtype();
        }
        if (o instanceof String s) {
            if (s.equals("floatX")) {
                return tsl.compile.Config.floatX();
            }
            DType d = DType.lookup(s);
            if (d == null) {
                throw TslError.of("TypeError", "data type '" + s + "' not understood");
            }
            return d;
        }
        if (o instanceof BuiltinFunction b) {
            switch (b.name) {
                case "float": return DType.FLOAT64;
                case "int": return DType.INT64;
                case "bool": return DType.BOOL;
                default: break;
            }
        }
        throw TslError.of("TypeError", "data type " + PyStr.repr(o) + " not understood");
    }

    private static int[] shapeArg(Object o) {
        List<Object> dims = o instanceof PyTuple || o instanceof tsl.language.runtime.PyList ? PyOps.toList(o) : List.of(o);
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = PyOps.toIndex(dims.get(i));
            if (s[i] < 0) {
                throw TslError.of("ValueError", "negative dimensions are not allowed");
            }
        }
        return s;
    }

    static NDArray asarray(Object o, Object dtype) {
        NDArray a = o instanceof NDArray x ? x : Interop.toArray(o);
        if (dtype != PyNone.NONE && dtype != null) {
            a = a.astype(toDType(dtype));
        }
        return a;
    }

    static PyModule create() {
        PyModule m = new PyModule("numpy");
        for (DType d : DType.values()) {
            DTypeObject obj = new DTypeObject(d);
            m.put(d == DType.BOOL ? "bool_" : d.numpyName(), obj);
        }
        m.fn("array", (a, k) -> {
            Args args = new Args("array", a, k);
            NDArray r = asarray(args.get(0, "object", null), args.opt(1, "dtype"));
            return r == a.get(0) ? r.copy() : r;
        });
        m.fn("asarray", (a, k) -> {
            Args args = new Args("asarray", a, k);
            return asarray(args.get(0, "a", null), args.opt(1, "dtype"));
        });
        m.fn("zeros", (a, k) -> {
            Args args = new Args("zeros", a, k);
            Object dt = args.opt(1, "dtype");
            return NDArray.zeros(dt == PyNone.NONE ? DType.FLOAT64 : toDType(dt), shapeArg(args.get(0, "shape", null)));
        });
        m.fn("ones", (a, k) -> {
            Args args = new Args("ones", a, k);
            Object dt = args.opt(1, "dtype");
            NDArray r = NDArray.zeros(dt == PyNone.NONE ? DType.FLOAT64 : toDType(dt), shapeArg(args.get(0, "shape", null)));
            r.assign(NDArray.scalar(1L, DType.INT64));
            return r;
        });
        m.fn("arange", (a, k) -> {
            Args args = new Args("arange", a, k);
            Object start = a.size() > 1 ? a.get(0) : 0L;
            Object stop = a.size() > 1 ? a.get(1) : a.get(0);
            Object step = a.size() > 2 ? a.get(2) : 1L;
            boolean isFloat = start instanceof Double || stop instanceof Double || step instanceof Double;
            Object dt = args.opt(-1, "dtype");
            DType d = dt != PyNone.NONE ? toDType(dt) : isFloat ? DType.FLOAT64 : DType.INT64;
            double s0 = Arith.toDouble(start);
            double st = Arith.toDouble(step);
            int n = (int) Math.max(0, Math.ceil((Arith.toDouble(stop) - s0) / st));
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = s0 + i * st;
            }
            return NDArray.fromDoubles(d, new int[] {n}, v);
        });
        m.fn("exp", (a, k) -> NumpyOps.elementwise(ScalarOps.EXP, null, a.get(0)));
        m.fn("log", (a, k) -> NumpyOps.elementwise(ScalarOps.LOG, null, a.get(0)));
        m.fn("tanh", (a, k) -> NumpyOps.elementwise(ScalarOps.TANH, null, a.get(0)));
        m.fn("sqrt", (a, k) -> NumpyOps.elementwise(ScalarOps.SQRT, null, a.get(0)));
        m.fn("abs", (a, k) -> NumpyOps.elementwise(ScalarOps.ABS, null, a.get(0)));
        m.fn("maximum", (a, k) -> NumpyOps.elementwise(ScalarOps.MAXIMUM, null, a.get(0), a.get(1)));
        m.fn("minimum", (a, k) -> NumpyOps.elementwise(ScalarOps.MINIMUM, null, a.get(0), a.get(1)));
        m.fn("dot", (a, k) -> NumpyOps.binary("@", a.get(0), a.get(1)));
        m.fn("sum", (a, k) -> reduce(Reduce.Kind.SUM, a, k));
        m.fn("mean", (a, k) -> reduce(Reduce.Kind.MEAN, a, k));
        m.fn("allclose", (a, k) -> {
            Args args = new Args("allclose", a, k);
            NDArray x = asarray(a.get(0), null);
            NDArray y = asarray(a.get(1), null);
            double rtol = Arith.toDouble(args.get(2, "rtol", 1e-5));
            double atol = Arith.toDouble(args.get(3, "atol", 1e-8));
            int[] shape = tsl.tensor.Shapes.broadcast(x.shape(), y.shape());
            NDArray bx = x.broadcastTo(shape);
            NDArray by = y.broadcastTo(shape);
            for (long i = 0; i < bx.size(); i++) {
                double p = bx.getDouble(i);
                double q = by.getDouble(i);
                if (!(Math.abs(p - q) <= atol + rtol * Math.abs(q))) {
                    return false;
                }
            }
            return true;
        });
        m.put("random", random());
        m.put("pi", Math.PI);
        m.put("e", Math.E);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("nan", Double.NaN);
        m.put("newaxis", PyNone.NONE);
        return m;
    }

    private static Object reduce(Reduce.Kind kind, List<Object> a, Map<String, Object> k) {
        Args args = new Args(kind.name().toLowerCase(), a, k);
        NDArray x = asarray(args.get(0, "a", null), null);
        return NumpyOps.reduce(kind, x, args.opt(1, "axis"), PyOps.isTrue(args.get(-1, "keepdims", false)));
    }

    /** numpy.random: the module functions draw from one shared legacy RandomState, as NumPy's do. */
    private static PyModule random() {
        PyModule r = new PyModule("numpy.random");
        RandomStateObject global = new RandomStateObject(PyNone.NONE);
        for (String name : new String[] {"seed", "rand", "randn", "random_sample", "random", "ranf", "sample",
                "standard_normal", "standard_exponential", "normal", "uniform", "exponential", "randint",
                "permutation", "shuffle", "choice", "binomial", "poisson", "beta", "gamma", "multivariate_normal",
                "get_state", "set_state"}) {
            r.put(name, global.getattr(name));
        }
        r.fn("RandomState", (a, k) -> new RandomStateObject(new Args("RandomState", a, k).opt(0, "seed")));
        r.fn("default_rng", (a, k) -> {
            throw TslError.of("NotImplementedError", "not supported yet: numpy.random.default_rng (use RandomState or np.random.seed)");
        });
        return r;
    }

    static Object scalarOf(DType d, Object v) {
        return NpScalar.of(JavaValues.asArray(Interop.toJava(v)).astype(d).reshape(new int[0]));
    }
}
