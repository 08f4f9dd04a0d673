package tsl.language.builtins;

import java.util.List;
import java.util.function.DoubleBinaryOperator;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.TruffleObject;

import tsl.language.builtins.random.LegacyRandom;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.HostObject;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * numpy.random.RandomState: NumPy's legacy samplers (the ones np.random.seed drives), giving
 * the same numbers as NumPy for the same seed. The numpy.random module functions call one
 * shared instance of this.
 */
public final class RandomStateObject implements HostObject, TruffleObject {
    private final LegacyRandom rng;

    public RandomStateObject(Object seed) {
        rng = new LegacyRandom(0);
        seed(seed);
    }

    @Override
    public String typeName() {
        return "RandomState";
    }

    @Override
    public String toString() {
        return "RandomState(MT19937)";
    }

    @TruffleBoundary
    void seed(Object seed) {
        try {
            if (seed == null || seed == PyNone.NONE) {
                long t = System.nanoTime() ^ System.currentTimeMillis() * 1000003L;
                rng.seedArray(new long[] {t & 0xffffffffL, t >>> 32});
            } else if (seed instanceof PyList || seed instanceof PyTuple || seed instanceof NDArray a && a.ndim() > 0) {
                NDArray a = NumpyModule.asarray(seed, null);
                if (!a.dtype().isDiscrete()) {
                    throw TslError.of("TypeError", "Cannot cast array data from dtype('" + a.dtype() + "') to dtype('int64') according to the rule 'safe'");
                }
                rng.seedArray(a.reshape(-1).toLongArray());
            } else {
                Object s = seed instanceof NpScalar n ? n.toPython() : seed instanceof NDArray a ? a.itemLong() : seed;
                if (!Arith.isInt(s)) {
                    throw TslError.of("TypeError", "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'");
                }
                java.math.BigInteger b = Arith.big(s);
                if (b.signum() < 0 || b.bitLength() > 32) {
                    throw TslError.of("ValueError", "Seed must be between 0 and 2**32 - 1");
                }
                rng.seed(b.longValue());
            }
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ argument helpers

    /** The output shape from a size argument (None, an int or a tuple); null for None. */
    static int[] sizeOf(Object size) {
        if (size == null || size == PyNone.NONE) {
            return null;
        }
        List<Object> dims = size instanceof PyTuple || size instanceof PyList ? PyOps.toList(size) : List.of(size);
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = PyOps.toIndex(dims.get(i));
            if (s[i] < 0) {
                throw TslError.of("ValueError", "negative dimensions are not allowed");
            }
        }
        return s;
    }

    private static int[] dimsOf(List<Object> args) {
        int[] s = new int[args.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = PyOps.toIndex(args.get(i));
            if (s[i] < 0) {
                throw TslError.of("ValueError", "negative dimensions are not allowed");
            }
        }
        return s;
    }

    private interface Draw {
        double next();
    }

    /** Draws with no parameters: a Python float for no shape, else a float64 array filled in C order. */
    private static Object fill(int[] shape, Draw d) {
        if (shape == null) {
            return d.next();
        }
        NDArray out = NDArray.zeros(DType.FLOAT64, shape);
        for (long i = 0; i < out.size(); i++) {
            out.setDouble(i, d.next());
        }
        return out;
    }

    /**
     * Draws with two parameters that may be arrays (NumPy's cont()): the parameters broadcast
     * against each other and the size; scalars and no size give a Python float.
     */
    private Object cont2(Object p, Object q, Object size, String pName, String qName, DoubleBinaryOperator f, boolean qNonNegative) {
        int[] shape = sizeOf(size);
        boolean scalars = isScalar(p) && isScalar(q);
        if (scalars && shape == null) {
            double a = Arith.toDouble(pyScalar(p));
            double b = Arith.toDouble(pyScalar(q));
            if (qNonNegative && b < 0) {
                throw TslError.of("ValueError", qName + " < 0");
            }
            return f.applyAsDouble(a, b);
        }
        NDArray pa = NumpyModule.asarray(p, null).astype(DType.FLOAT64);
        NDArray qa = NumpyModule.asarray(q, null).astype(DType.FLOAT64);
        int[] bshape;
        try {
            bshape = Shapes.broadcast(pa.shape(), qa.shape());
            if (shape != null) {
                int[] check = Shapes.broadcast(bshape, shape);
                if (!java.util.Arrays.equals(check, shape)) {
                    throw new IllegalArgumentException();
                }
                bshape = shape;
            }
        } catch (IllegalArgumentException e) {
            throw TslError.of("ValueError", "shape mismatch: objects cannot be broadcast to a single shape");
        }
        NDArray pb = pa.broadcastTo(bshape);
        NDArray qb = qa.broadcastTo(bshape);
        if (qNonNegative) {
            for (long i = 0; i < qb.size(); i++) {
                if (qb.getDouble(i) < 0) {
                    throw TslError.of("ValueError", qName + " < 0");
                }
            }
        }
        NDArray out = NDArray.zeros(DType.FLOAT64, bshape);
        for (long i = 0; i < out.size(); i++) {
            out.setDouble(i, f.applyAsDouble(pb.getDouble(i), qb.getDouble(i)));
        }
        return out;
    }

    private static boolean isScalar(Object o) {
        return Arith.isNumber(o) || o instanceof NpScalar || o instanceof NDArray a && a.ndim() == 0;
    }

    private static Object pyScalar(Object o) {
        if (o instanceof NpScalar s) {
            return s.toPython();
        }
        if (o instanceof NDArray a) {
            return NpScalar.of(a).toPython();
        }
        return o;
    }

    // ------------------------------------------------------------------ methods

    private static BuiltinFunction m(String name, BuiltinFunction.Impl impl) {
        return new BuiltinFunction(name, impl);
    }

    @Override
    @TruffleBoundary
    public Object getattr(String name) {
        return switch (name) {
            case "seed" -> m(name, (a, k) -> {
                seed(new Args(name, a, k).opt(0, "seed"));
                return PyNone.NONE;
            });
            case "rand" -> m(name, (a, k) -> fill(a.isEmpty() ? null : dimsOf(a), rng::nextDouble));
            case "randn" -> m(name, (a, k) -> fill(a.isEmpty() ? null : dimsOf(a), rng::gauss));
            case "random_sample", "random", "ranf", "sample" -> m(name, (a, k) ->
                    fill(sizeOf(new Args(name, a, k).only("size").opt(0, "size")), rng::nextDouble));
            case "standard_normal" -> m(name, (a, k) ->
                    fill(sizeOf(new Args(name, a, k).only("size").opt(0, "size")), rng::gauss));
            case "standard_exponential" -> m(name, (a, k) ->
                    fill(sizeOf(new Args(name, a, k).only("size").opt(0, "size")), this::exponential));
            case "normal" -> m(name, (a, k) -> {
                Args args = new Args(name, a, k).only("loc", "scale", "size");
                return cont2(args.get(0, "loc", 0.0), args.get(1, "scale", 1.0), args.opt(2, "size"), "loc", "scale",
                        (loc, scale) -> loc + scale * rng.gauss(), true);
            });
            case "uniform" -> m(name, (a, k) -> {
                Args args = new Args(name, a, k).only("low", "high", "size");
                return cont2(args.get(0, "low", 0.0), args.get(1, "high", 1.0), args.opt(2, "size"), "low", "high",
                        (low, high) -> uniform(low, high), false);
            });
            case "exponential" -> m(name, (a, k) -> {
                Args args = new Args(name, a, k).only("scale", "size");
                return cont2(args.get(0, "scale", 1.0), 0.0, args.opt(1, "size"), "scale", "scale",
                        (scale, unused) -> {
                            if (scale < 0) {
                                throw TslError.of("ValueError", "scale < 0");
                            }
                            return scale * exponential();
                        }, false);
            });
            case "randint" -> m(name, (a, k) -> randint(new Args(name, a, k).only("low", "high", "size", "dtype")));
            case "permutation" -> m(name, (a, k) -> permutation(new Args(name, a, k).get(0, "x", null)));
            case "shuffle" -> m(name, (a, k) -> {
                shuffle(new Args(name, a, k).get(0, "x", null));
                return PyNone.NONE;
            });
            case "choice" -> m(name, (a, k) -> RandomChoice.choice(this, new Args(name, a, k).only("a", "size", "replace", "p")));
            case "binomial" -> m(name, (a, k) -> binomial(new Args(name, a, k).only("n", "p", "size")));
            case "poisson", "beta", "gamma", "multivariate_normal", "get_state", "set_state" ->
                    m(name, (a, k) -> {
                        throw TslError.of("NotImplementedError", "not supported yet: numpy.random." + name);
                    });
            default -> null;
        };
    }

    private double exponential() {
        return -tsl.language.builtins.random.LibM.log(1.0 - rng.nextDouble());
    }

    private double uniform(double low, double high) {
        double range = high - low;
        if (!Double.isFinite(range)) {
            throw TslError.of("OverflowError", "Range exceeds valid bounds");
        }
        return low + range * rng.nextDouble();
    }

    double nextDouble() {
        return rng.nextDouble();
    }

    long interval(long max) {
        return rng.interval(max);
    }

    /** binomial(n, p, size) for scalar n and p, drawn as NumPy's legacy sampler draws them. */
    private Object binomial(Args args) {
        Object nArg = args.get(0, "n", null);
        Object pArg = args.get(1, "p", null);
        if (!isScalar(nArg) || !isScalar(pArg)) {
            throw TslError.of("NotImplementedError", "not supported yet: binomial with array parameters");
        }
        long n = Arith.toLong(pyScalar(nArg) instanceof Double d ? (Object) (long) (double) d : pyScalar(nArg));
        double p = Arith.toDouble(pyScalar(pArg));
        if (n < 0) {
            throw TslError.of("ValueError", "n < 0");
        }
        if (!(p >= 0 && p <= 1)) {
            throw TslError.of("ValueError", p < 0 ? "p < 0" : p > 1 ? "p > 1" : "p is nan");
        }
        if (!LegacyRandom.binomialByInversion(n, p)) {
            throw TslError.of("NotImplementedError", "not supported yet: binomial with n * min(p, 1 - p) > 30 (NumPy's BTPE sampler)");
        }
        int[] shape = sizeOf(args.opt(2, "size"));
        if (shape == null) {
            return rng.binomial(n, p);
        }
        long[] v = new long[(int) NDArray.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.binomial(n, p);
        }
        return NDArray.fromLongs(DType.INT64, shape, v);
    }

    // ------------------------------------------------------------------ integers

    @TruffleBoundary
    Object randint(Args args) {
        Object lowArg = args.get(0, "low", null);
        Object highArg = args.opt(1, "high");
        Object size = args.opt(2, "size");
        Object dt = args.opt(3, "dtype");
        DType dtype = dt == PyNone.NONE ? DType.INT64 : NumpyModule.toDType(dt);
        if (dtype.isFloat()) {
            throw TslError.of("TypeError", "Unsupported dtype dtype('" + dtype + "') for randint");
        }
        if (highArg == PyNone.NONE) {
            highArg = lowArg;
            lowArg = 0L;
        }
        if (!isScalar(lowArg) || !isScalar(highArg)) {
            throw TslError.of("NotImplementedError", "not supported yet: randint with array bounds");
        }
        long low = Arith.toLong(toIntArg(pyScalar(lowArg)));
        long high = Arith.toLong(toIntArg(pyScalar(highArg))) - 1;
        long[] range = rangeOf(dtype);
        if (low < range[0]) {
            throw TslError.of("ValueError", "low is out of bounds for " + dtype);
        }
        if (high > range[1]) {
            throw TslError.of("ValueError", "high is out of bounds for " + dtype);
        }
        if (low > high) {
            throw TslError.of("ValueError", "low >= high");
        }
        int[] shape = sizeOf(size);
        int count = shape == null ? 1 : (int) NDArray.sizeOf(shape);
        int bits = dtype.isBool() ? 1 : dtype.byteSize() * 8;
        long[] v = rng.bounded(low, high - low, count, bits);
        if (shape == null) {
            // NumPy returns a Python int for the default dtype and a NumPy scalar otherwise
            if (dtype == DType.INT64 && (dt == PyNone.NONE || dt instanceof BuiltinFunction)) {
                return v[0];
            }
            if (dtype.isBool()) {
                return dt instanceof BuiltinFunction ? (Object) (v[0] != 0) : NpScalar.of(NDArray.scalar(v[0] != 0));
            }
            return NpScalar.of(NDArray.scalar(v[0], dtype));
        }
        return NDArray.fromLongs(dtype, shape, v);
    }

    private static Object toIntArg(Object o) {
        if (o instanceof Double d) {
            return (long) (double) d;
        }
        return o;
    }

    private static long[] rangeOf(DType d) {
        return switch (d) {
            case BOOL -> new long[] {0, 1};
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case UINT8 -> new long[] {0, 255};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        };
    }

    // ------------------------------------------------------------------ permutations

    /** Legacy shuffle: for i from n-1 down to 1, swap item i with item random_interval(i), along the first axis. */
    @TruffleBoundary
    void shuffle(Object x) {
        if (x instanceof PyList l) {
            for (int i = l.items.size() - 1; i > 0; i--) {
                int j = (int) rng.interval(i);
                Object t = l.items.get(i);
                l.items.set(i, l.items.get(j));
                l.items.set(j, t);
            }
            return;
        }
        if (x instanceof NDArray a) {
            if (a.ndim() == 0) {
                throw TslError.of("TypeError", "len() of unsized object");
            }
            for (int i = a.dim(0) - 1; i > 0; i--) {
                int j = (int) rng.interval(i);
                if (a.ndim() == 1) {
                    double tmpD = a.getDouble(i);
                    long tmpL = a.getLong(i);
                    if (a.dtype().isFloat()) {
                        a.setDouble(i, a.getDouble(j));
                        a.setDouble(j, tmpD);
                    } else {
                        a.setLong(i, a.getLong(j));
                        a.setLong(j, tmpL);
                    }
                } else {
                    NDArray row = a.get(i).copy();
                    a.get(i).assign(a.get(j));
                    a.get(j).assign(row);
                }
            }
            return;
        }
        throw TslError.of("TypeError", "shuffle() argument must be a list or an ndarray, not " + PyOps.typeName(x));
    }

    @TruffleBoundary
    Object permutation(Object x) {
        NDArray arr;
        if (Arith.isInt(x) || x instanceof NpScalar s && s.dtype().isInteger()) {
            long n = Arith.toLong(pyScalar(x));
            if (n < 0) {
                throw TslError.of("ValueError", "negative dimensions are not allowed");
            }
            long[] v = new long[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            arr = NDArray.fromLongs(DType.INT64, new int[] {(int) n}, v);
        } else {
            arr = NumpyModule.asarray(x, null).copy();
            if (arr.ndim() == 0) {
                throw TslError.of("IndexError", "x must be an integer or at least 1-dimensional");
            }
        }
        shuffle(arr);
        return arr;
    }

    static java.util.List<Object> listOf(Object... items) {
        java.util.List<Object> l = new java.util.ArrayList<>();
        java.util.Collections.addAll(l, items);
        return l;
    }

    static PyTuple shapeTupleOf(int[] shape) {
        return NumpyOps.shapeTuple(shape);
    }
}
