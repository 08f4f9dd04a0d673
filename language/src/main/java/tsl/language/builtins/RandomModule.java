package tsl.language.builtins;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.TruffleObject;

import tsl.language.builtins.random.LibM;
import tsl.language.builtins.random.PyRandom;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.HostObject;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PySet;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.TslError;

/** Python's random module, drawing CPython's exact stream for a given int seed. */
public final class RandomModule {
    private RandomModule() {}

    private static final String[] FUNCTIONS = {"seed", "random", "uniform", "randint", "randrange", "getrandbits",
        "choice", "choices", "shuffle", "sample", "gauss", "normalvariate", "expovariate"};

    public static PyModule create() {
        PyModule m = new PyModule("random");
        Generator global = new Generator(PyNone.NONE);
        for (String name : FUNCTIONS) {
            m.put(name, global.getattr(name));
        }
        m.fn("Random", (a, k) -> new Generator(new Args("Random", a, k).opt(0, "x")));
        return m;
    }

    /** A random.Random instance. */
    public static final class Generator implements HostObject, TruffleObject {
        private final PyRandom rng = new PyRandom(BigInteger.ZERO);

        Generator(Object seed) {
            seed(seed);
        }

        @Override
        public String typeName() {
            return "Random";
        }

        @Override
        public String toString() {
            return "<random.Random object>";
        }

        private void seed(Object a) {
            if (a == PyNone.NONE) {
                rng.seed(BigInteger.valueOf(System.nanoTime()).shiftLeft(32).xor(BigInteger.valueOf(System.currentTimeMillis())));
            } else if (Arith.isInt(a)) {
                rng.seed(Arith.big(a));
            } else if (a instanceof NpScalar s && s.dtype().isDiscrete()) {
                rng.seed(Arith.big(s.toPython()));
            } else {
                throw TslError.of("NotImplementedError", "not supported yet: random.seed() of a " + PyOps.typeName(a)
                        + " (only int seeds reproduce CPython's stream)");
            }
        }

        private static BuiltinFunction m(String name, BuiltinFunction.Impl impl) {
            return new BuiltinFunction(name, impl);
        }

        private static BigInteger index(Object o) {
            Object v = o instanceof NpScalar s && s.dtype().isDiscrete() ? s.toPython() : o;
            if (!Arith.isInt(v)) {
                throw TslError.of("TypeError", "'" + PyOps.typeName(o) + "' object cannot be interpreted as an integer");
            }
            return Arith.big(v);
        }

        private static double real(Object o) {
            Object v = o instanceof NpScalar s ? s.toPython() : o;
            if (!Arith.isNumber(v)) {
                throw TslError.of("TypeError", "must be real number, not " + PyOps.typeName(o));
            }
            return Arith.toDouble(v);
        }

        private Object below(BigInteger n) {
            return n.bitLength() < 63 ? (Object) rng.randbelow(n.longValue()) : Arith.norm(rng.randbelow(n));
        }

        @Override
        @TruffleBoundary
        public Object getattr(String name) {
            return switch (name) {
                case "seed" -> m(name, (a, k) -> {
                    seed(new Args(name, a, k).opt(0, "a"));
                    return PyNone.NONE;
                });
                case "random" -> m(name, (a, k) -> rng.random());
                case "uniform" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k);
                    double lo = real(args.get(0, "a", null));
                    double hi = real(args.get(1, "b", null));
                    return lo + (hi - lo) * rng.random();
                });
                case "randint" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k);
                    return randrange(args.get(0, "a", null), Arith.norm(index(args.get(1, "b", null)).add(BigInteger.ONE)), 1L);
                });
                case "randrange" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k);
                    return randrange(args.get(0, "start", null), args.opt(1, "stop"), args.get(2, "step", 1L));
                });
                case "getrandbits" -> m(name, (a, k) -> {
                    BigInteger bits = index(new Args(name, a, k).get(0, "k", null));
                    if (bits.signum() < 0) {
                        throw TslError.of("ValueError", "number of bits must be non-negative");
                    }
                    return Arith.norm(rng.getrandbits(bits.intValueExact()));
                });
                case "choice" -> m(name, (a, k) -> {
                    Object seq = new Args(name, a, k).get(0, "seq", null);
                    long n = PyOps.len(seq);
                    if (n == 0) {
                        throw TslError.of("IndexError", "Cannot choose from an empty sequence");
                    }
                    return PyOps.getitem(seq, rng.randbelow(n));
                });
                case "choices" -> m(name, (a, k) -> choices(new Args(name, a, k).only("population", "weights", "cum_weights", "k")));
                case "shuffle" -> m(name, (a, k) -> {
                    Object x = new Args(name, a, k).get(0, "x", null);
                    for (long i = PyOps.len(x) - 1; i > 0; i--) {
                        long j = rng.randbelow(i + 1);
                        Object xi = PyOps.getitem(x, i);
                        Object xj = PyOps.getitem(x, j);
                        PyOps.setitem(x, i, xj);
                        PyOps.setitem(x, j, xi);
                    }
                    return PyNone.NONE;
                });
                case "sample" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k).only("population", "k");
                    return sample(args.get(0, "population", null), index(args.get(1, "k", null)).longValueExact());
                });
                case "gauss" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k);
                    return rng.gauss(real(args.get(0, "mu", 0.0)), real(args.get(1, "sigma", 1.0)));
                });
                case "normalvariate" -> m(name, (a, k) -> {
                    Args args = new Args(name, a, k);
                    return rng.normalvariate(real(args.get(0, "mu", 0.0)), real(args.get(1, "sigma", 1.0)));
                });
                case "expovariate" -> m(name, (a, k) -> {
                    double lambd = real(new Args(name, a, k).get(0, "lambd", 1.0));
                    if (lambd == 0) {
                        throw TslError.of("ZeroDivisionError", "float division by zero");
                    }
                    return -LibM.log(1.0 - rng.random()) / lambd;
                });
                default -> null;
            };
        }

        private Object randrange(Object start, Object stop, Object step) {
            BigInteger istart = index(start);
            if (stop == PyNone.NONE) {
                if (!(step instanceof Long l && l == 1)) {
                    throw TslError.of("TypeError", "Missing a non-None stop argument");
                }
                if (istart.signum() > 0) {
                    return below(istart);
                }
                throw TslError.of("ValueError", "empty range for randrange()");
            }
            BigInteger istop = index(stop);
            BigInteger width = istop.subtract(istart);
            BigInteger istep = index(step);
            if (istep.equals(BigInteger.ONE)) {
                if (width.signum() > 0) {
                    return Arith.norm(istart.add(Arith.big(below(width))));
                }
                throw TslError.of("ValueError", "empty range for randrange() (" + istart + ", " + istop + ", " + width + ")");
            }
            BigInteger n;
            if (istep.signum() > 0) {
                n = floorDiv(width.add(istep).subtract(BigInteger.ONE), istep);
            } else if (istep.signum() < 0) {
                n = floorDiv(width.add(istep).add(BigInteger.ONE), istep);
            } else {
                throw TslError.of("ValueError", "zero step for randrange()");
            }
            if (n.signum() <= 0) {
                throw TslError.of("ValueError", "empty range for randrange()");
            }
            return Arith.norm(istart.add(istep.multiply(Arith.big(below(n)))));
        }

        private static BigInteger floorDiv(BigInteger a, BigInteger b) {
            BigInteger[] qr = a.divideAndRemainder(b);
            return qr[1].signum() != 0 && qr[1].signum() != b.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
        }

        private Object sample(Object population, long k) {
            if (population instanceof PySet || population instanceof PyDict) {
                throw TslError.of("TypeError", "Population must be a sequence.  For dicts or sets, use sorted(d).");
            }
            long n = PyOps.len(population);
            if (k < 0 || k > n) {
                throw TslError.of("ValueError", "Sample larger than population or is negative");
            }
            List<Object> result = new ArrayList<>();
            long setsize = 21;
            if (k > 5) {
                setsize += (long) Math.pow(4, Math.ceil(LibM.log(k * 3) / LibM.log(4)));
            }
            if (n <= setsize) {
                List<Object> pool = PyOps.toList(population);
                pool = new ArrayList<>(pool);
                for (long i = 0; i < k; i++) {
                    int j = (int) rng.randbelow(n - i);
                    result.add(pool.get(j));
                    pool.set(j, pool.get((int) (n - i - 1)));
                }
            } else {
                Set<Long> selected = new HashSet<>();
                for (long i = 0; i < k; i++) {
                    long j = rng.randbelow(n);
                    while (selected.contains(j)) {
                        j = rng.randbelow(n);
                    }
                    selected.add(j);
                    result.add(PyOps.getitem(population, j));
                }
            }
            return new PyList(result);
        }

        private Object choices(Args args) {
            Object population = args.get(0, "population", null);
            Object weights = args.opt(1, "weights");
            Object cumWeights = args.opt(2, "cum_weights");
            long k = index(args.get(3, "k", 1L)).longValueExact();
            long n = PyOps.len(population);
            List<Object> out = new ArrayList<>();
            if (weights == PyNone.NONE && cumWeights == PyNone.NONE) {
                double nf = n;
                for (long i = 0; i < k; i++) {
                    out.add(PyOps.getitem(population, (long) Math.floor(rng.random() * nf)));
                }
                return new PyList(out);
            }
            if (weights != PyNone.NONE && cumWeights != PyNone.NONE) {
                throw TslError.of("TypeError", "Cannot specify both weights and cumulative weights");
            }
            List<Object> w = PyOps.toList(weights != PyNone.NONE ? weights : cumWeights);
            if (w.size() != n) {
                throw TslError.of("ValueError", "The number of weights does not match the population");
            }
            double[] cum = new double[w.size()];
            double acc = 0;
            for (int i = 0; i < cum.length; i++) {
                acc = weights != PyNone.NONE ? acc + real(w.get(i)) : real(w.get(i));
                cum[i] = acc;
            }
            double total = cum[cum.length - 1];
            if (total <= 0) {
                throw TslError.of("ValueError", "Total of weights must be greater than zero");
            }
            int hi = (int) n - 1;
            for (long i = 0; i < k; i++) {
                double x = rng.random() * total;
                int lo = 0;
                int h = hi;
                while (lo < h) {
                    int mid = (lo + h) >>> 1;
                    if (x < cum[mid]) {
                        h = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                out.add(PyOps.getitem(population, (long) lo));
            }
            return new PyList(out);
        }
    }
}
