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
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** A NumPy subset over backend NDArrays (the language issue grows it). */
public final class NumpyModule {
    private NumpyModule() {}

    /** np.float32 and friends: a scalar type that is also accepted wherever a dtype is. */
    public record DTypeObject(DType dtype) implements TruffleObject, tsl.language.runtime.HostObject {
        @Override
        public String toString() {
            return dtype.numpyName();
        }

        private String pyName() {
            return dtype == DType.BOOL ? "bool_" : dtype.numpyName();
        }

        @Override
        public String typeName() {
            return "type";
        }

        @Override
        public String repr() {
            return "<class 'numpy." + pyName() + "'>";
        }

        @Override
        public Object getattr(String name) {
            return switch (name) {
                case "__name__" -> pyName();
                case "dtype" -> new NpDType(dtype);
                default -> null;
            };
        }

        /** np.float32(x): a NumPy scalar of this type, or an array for a sequence. */
        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            Object x = new Args(pyName(), args, kwargs).get(0, "x", 0L);
            if (x instanceof String s) {
                x = parseNumber(s);
            }
            NDArray a = asarray(x, null).astype(dtype);
            return a.ndim() == 0 ? NpScalar.of(a) : a;
        }

        @Override
        public boolean pyEquals(Object other) {
            return other instanceof DTypeObject d ? d.dtype == dtype : other instanceof NpDType n && n.dtype() == dtype;
        }
    }

    private static Object parseNumber(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e2) {
                throw TslError.of("ValueError", "could not convert string to a number: " + PyStr.repr(s));
            }
        }
    }

    public static DType toDType(Object o) {
        if (o instanceof DTypeObject d) {
            return d.dtype();
        }
        if (o instanceof NpDType d) {
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
        NumpyCreate.register(m);
        NumpyUfuncs.register(m);
        NumpyFunctions.register(m);
        m.fn("dtype", (a, k) -> new NpDType(toDType(new Args("dtype", a, k).get(0, "dtype", null))));
        m.fn("result_type", (a, k) -> new NpDType(NumpyCasting.resultType(a.toArray())));
        m.fn("promote_types", (a, k) -> new NpDType(NumpyCasting.promote(toDType(a.get(0)), toDType(a.get(1)))));
        m.fn("set_printoptions", (a, k) -> {
            Args p = new Args("set_printoptions", a, k).only("precision", "threshold", "edgeitems", "linewidth",
                    "suppress", "nanstr", "infstr", "formatter", "sign", "floatmode", "legacy");
            String[] names = {"precision", "threshold", "edgeitems", "linewidth", "suppress", "nanstr", "infstr",
                "formatter", "sign", "floatmode", "legacy"};
            for (int i = 0; i < names.length; i++) {
                if (i != 0 && i != 4 && p.opt(i, names[i]) != PyNone.NONE) {
                    throw TslError.of("NotImplementedError", "not supported yet: np.set_printoptions(" + names[i] + "=...)");
                }
            }
            Object precision = p.opt(0, "precision");
            Object suppress = p.opt(4, "suppress");
            try {
                tsl.tensor.NumpyFormat.setPrintOptions(precision == PyNone.NONE ? null : PyOps.toIndex(precision),
                        suppress == PyNone.NONE ? null : PyOps.isTrue(suppress));
            } catch (IllegalArgumentException e) {
                throw TslError.of("ValueError", e.getMessage());
            }
            return PyNone.NONE;
        });
        m.put("random", random());
        m.put("pi", Math.PI);
        m.put("e", Math.E);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("nan", Double.NaN);
        m.put("newaxis", PyNone.NONE);
        m.put("float_", new DTypeObject(DType.FLOAT64));
        m.put("int_", new DTypeObject(DType.INT64));
        m.put("double", new DTypeObject(DType.FLOAT64));
        m.put("single", new DTypeObject(DType.FLOAT32));
        m.put("ndarray", new BuiltinFunction("ndarray", (a, k) -> {
            throw TslError.of("NotImplementedError", "not supported yet: constructing np.ndarray directly (use np.zeros or np.array)");
        }));
        return m;
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
