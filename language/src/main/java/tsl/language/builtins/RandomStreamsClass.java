package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tsl.compile.Config;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyClass;
import tsl.language.runtime.PyInstance;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.random.RandomStreams;
import tsl.tensor.DType;

/**
 * Theano's random-stream classes as script classes: {@code RandomStreams(seed)}
 * (theano.tensor.shared_randomstreams) and {@code MRG_RandomStreams(seed)}
 * (theano.sandbox.rng_mrg), both over the backend's Philox streams.
 */
final class RandomStreamsClass {
    private static final String HANDLE = "__streams__";

    private RandomStreamsClass() {}

    static PyClass create(String className) {
        PyClass c = new PyClass(className, null);
        method(c, "__init__", (self, a, kw) -> {
            Object seed = new Args(className, a, kw).only("seed").opt(0, "seed");
            long s = seed == PyNone.NONE ? System.nanoTime() : Arith.toLong(seed);
            self.attrs.put(HANDLE, new RandomStreams(s));
            return PyNone.NONE;
        });
        method(c, "seed", (self, a, kw) -> {
            Object seed = new Args("seed", a, kw).opt(0, "seed");
            streams(self).seed(seed == PyNone.NONE ? System.nanoTime() : Arith.toLong(seed));
            return PyNone.NONE;
        });
        method(c, "uniform", (self, a, kw) -> {
            Args args = new Args("uniform", a, kw).only("size", "low", "high", "ndim", "dtype", "nstreams");
            DType d = dtype(args.opt(4, "dtype"), Config.floatX());
            return streams(self).uniform(size(args.opt(0, "size")), operand(args.get(1, "low", 0.0)), operand(args.get(2, "high", 1.0)), d);
        });
        method(c, "normal", (self, a, kw) -> {
            Args args = new Args("normal", a, kw).only("size", "avg", "std", "ndim", "dtype", "nstreams", "truncate");
            DType d = dtype(args.opt(4, "dtype"), Config.floatX());
            return streams(self).normal(size(args.opt(0, "size")), operand(args.get(1, "avg", 0.0)), operand(args.get(2, "std", 1.0)), d);
        });
        method(c, "binomial", (self, a, kw) -> {
            Args args = new Args("binomial", a, kw).only("size", "n", "p", "ndim", "dtype", "nstreams");
            DType d = dtype(args.opt(4, "dtype"), DType.INT64);
            return streams(self).binomial(size(args.opt(0, "size")), PyOps.toIndex(args.get(1, "n", 1L)), operand(args.get(2, "p", 0.5)), d);
        });
        method(c, "choice", (self, a, kw) -> {
            Args args = new Args("choice", a, kw).only("size", "a", "replace", "p", "ndim", "dtype");
            Object p = args.opt(3, "p");
            DType d = dtype(args.opt(5, "dtype"), DType.INT64);
            return streams(self).choice(size(args.opt(0, "size")), operand(args.get(1, "a", 2L)),
                    PyOps.isTrue(args.get(2, "replace", true)), p == PyNone.NONE ? null : operand(p), d);
        });
        method(c, "permutation", (self, a, kw) -> {
            Args args = new Args("permutation", a, kw).only("size", "n", "ndim", "dtype");
            Object n = kw.containsKey("n") ? kw.get("n") : a.size() > 1 ? a.get(1) : a.isEmpty() ? null : a.get(0);
            if (n == null) {
                throw TslError.of("TypeError", "permutation() missing required argument 'n'");
            }
            return streams(self).permutation(operand(n), dtype(args.opt(3, "dtype"), DType.INT64));
        });
        method(c, "state_updates", (self, a, kw) -> {
            List<Object> out = new ArrayList<>();
            for (var s : streams(self).states()) {
                out.add(new PyTuple(new Object[] {s, s.defaultUpdate()}));
            }
            return new PyList(out);
        });
        return c;
    }

    static PyModule module(String name, String className) {
        PyModule m = new PyModule(name);
        m.put(className, create(className));
        return m;
    }

    @FunctionalInterface
    private interface Method { Object call(PyInstance self, List<Object> a, Map<String, Object> kw); }

    private static void method(PyClass c, String name, Method body) {
        c.dict.put(name, new BuiltinFunction(name, (a, kw) -> {
            if (a.isEmpty() || !(a.get(0) instanceof PyInstance self)) {
                throw TslError.of("TypeError", name + "() needs a " + c.name + " instance");
            }
            try {
                return body.call(self, a.subList(1, a.size()), kw);
            } catch (TslException e) {
                throw Interop.toError(e);
            }
        }));
    }

    private static RandomStreams streams(PyInstance self) {
        Object s = self.attrs.get(HANDLE);
        if (!(s instanceof RandomStreams r)) {
            throw TslError.of("TypeError", "the random stream object was not initialized");
        }
        return r;
    }

    private static DType dtype(Object o, DType dflt) {
        return o == PyNone.NONE ? dflt : NumpyModule.toDType(o);
    }

    private static Object operand(Object o) {
        Object g = PyOps.toGraphOperand(o);
        return g instanceof tsl.tensor.NDArray a ? T.constant(a) : g;
    }

    /** size: None (a scalar draw), an int, a tuple/list of ints or scalar variables, or a vector variable of static length. */
    private static Object[] size(Object size) {
        if (size == PyNone.NONE) {
            return new Object[0];
        }
        if (size instanceof PyTuple || size instanceof PyList) {
            List<Object> items = PyOps.toList(size);
            Object[] out = new Object[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = PyOps.toGraphOperand(items.get(i));
            }
            return out;
        }
        Object g = PyOps.toGraphOperand(size);
        if (g instanceof Long) {
            return new Object[] {g};
        }
        Variable v = T.asTensorVariable(g);
        if (v.ndim() == 0) {
            return new Object[] {v};
        }
        if (v.ndim() != 1 || v.type().dim(0) < 0) {
            throw TslError.of("ValueError", "size must be a tuple or a vector of known length, got " + v.type());
        }
        Object[] out = new Object[v.type().dim(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = T.subtensor(v, (long) i);
        }
        return out;
    }
}
