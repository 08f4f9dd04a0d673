package tsl.language.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.Arith;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * RandomState.choice as NumPy's legacy code draws it: with replacement, uniform picks are
 * randint draws and weighted picks search the normalized cumulative p with random_sample
 * draws; without replacement, uniform picks are a prefix of a permutation and weighted picks
 * repeat weighted rounds, zeroing p where an item was already found.
 */
final class RandomChoice {
    private RandomChoice() {}

    @TruffleBoundary
    static Object choice(RandomStateObject rs, Args args) {
        Object aArg = args.get(0, "a", null);
        int[] shape = RandomStateObject.sizeOf(args.opt(1, "size"));
        boolean replace = PyOps.isTrue(args.get(2, "replace", true));
        Object pArg = args.opt(3, "p");

        NDArray pool = null;
        long popSize;
        if (Arith.isInt(aArg) || aArg instanceof NpScalar s && s.dtype().isInteger()) {
            popSize = Arith.toLong(aArg instanceof NpScalar s ? s.toPython() : aArg);
            if (popSize <= 0) {
                throw TslError.of("ValueError", "a must be a positive integer unless no samples are taken");
            }
        } else {
            pool = NumpyModule.asarray(aArg, null);
            if (pool.ndim() != 1) {
                throw TslError.of("ValueError", "a must be 1-dimensional");
            }
            popSize = pool.dim(0);
            if (popSize == 0) {
                throw TslError.of("ValueError", "a cannot be empty unless no samples are taken");
            }
        }
        double[] p = null;
        if (pArg != PyNone.NONE) {
            NDArray pa = NumpyModule.asarray(pArg, null).astype(DType.FLOAT64);
            if (pa.ndim() != 1) {
                throw TslError.of("ValueError", "p must be 1-dimensional");
            }
            if (pa.size() != popSize) {
                throw TslError.of("ValueError", "a and p must have same size");
            }
            p = pa.toDoubleArray();
            double total = 0;
            for (double v : p) {
                if (v < 0) {
                    throw TslError.of("ValueError", "probabilities are not non-negative");
                }
                total += v;
            }
            if (Math.abs(total - 1) > Math.sqrt(Math.ulp(1.0))) {
                throw TslError.of("ValueError", "probabilities do not sum to 1");
            }
        }
        int n = shape == null ? 1 : (int) NDArray.sizeOf(shape);
        long[] idx;
        if (replace) {
            if (p != null) {
                double[] cdf = cumulative(p);
                idx = new long[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = searchRight(cdf, rs.nextDouble());
                }
            } else {
                idx = longs(rs.randint(new Args("randint", RandomStateObject.listOf(0L, popSize,
                        shape == null ? PyNone.NONE : RandomStateObject.shapeTupleOf(new int[] {n})), java.util.Map.of())));
            }
        } else {
            if (n > popSize) {
                throw TslError.of("ValueError", "Cannot take a larger sample than population when 'replace=False'");
            }
            if (p != null) {
                int nonZero = 0;
                for (double v : p) {
                    nonZero += v > 0 ? 1 : 0;
                }
                if (nonZero < n) {
                    throw TslError.of("ValueError", "Fewer non-zero entries in p than size");
                }
                idx = weightedWithoutReplacement(rs, p, n);
            } else {
                NDArray perm = (NDArray) rs.permutation(popSize);
                idx = new long[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = perm.getLong(i);
                }
            }
        }
        if (shape == null) {
            long i = idx[0];
            if (pool == null) {
                return i;
            }
            return NumpyOps.wrap(pool.get((int) i).copy());
        }
        if (pool == null) {
            return NDArray.fromLongs(DType.INT64, shape, idx);
        }
        NDArray out = NDArray.zeros(pool.dtype(), shape);
        for (int i = 0; i < n; i++) {
            out.reshape(-1).get(i).assign(pool.get((int) idx[i]));
        }
        return out;
    }

    private static long[] longs(Object r) {
        if (r instanceof NDArray a) {
            return a.toLongArray();
        }
        return new long[] {Arith.toLong(r)};
    }

    /** p.cumsum() / cdf[-1], summed left to right as NumPy does. */
    private static double[] cumulative(double[] p) {
        double[] cdf = new double[p.length];
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i];
            cdf[i] = s;
        }
        double last = cdf[cdf.length - 1];
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= last;
        }
        return cdf;
    }

    /** searchsorted(cdf, x, side='right'): the number of entries <= x. */
    private static long searchRight(double[] cdf, double x) {
        int lo = 0;
        int hi = cdf.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long[] weightedWithoutReplacement(RandomStateObject rs, double[] p0, int size) {
        double[] p = p0.clone();
        long[] found = new long[size];
        int nUniq = 0;
        while (nUniq < size) {
            double[] x = new double[size - nUniq];
            for (int i = 0; i < x.length; i++) {
                x[i] = rs.nextDouble();
            }
            for (int i = 0; i < nUniq; i++) {
                p[(int) found[i]] = 0;
            }
            double[] cdf = cumulative(p);
            long[] fresh = new long[x.length];
            for (int i = 0; i < x.length; i++) {
                fresh[i] = searchRight(cdf, x[i]);
            }
            // np.unique(new, return_index=True) then sorted indices: first occurrences, in draw order
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (long v : fresh) {
                if (seen.add(v)) {
                    found[nUniq++] = v;
                }
            }
        }
        return found;
    }
}
