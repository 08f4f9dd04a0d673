package tsl.language.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.PyNone;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * NumPy's reductions with NumPy's order of operations, so that a float sum printed with all
 * its digits matches: NumPy walks the array in memory order, and when the reduced axes are
 * the innermost ones it adds each inner run by pairwise summation (blocks of eight partial
 * sums, halves above 128 items); otherwise each output accumulates item by item. float32
 * arithmetic stays in float32, as NumPy's loops do.
 */
final class NumpyReduce {
    private NumpyReduce() {}

    enum Kind { SUM, PROD, MAX, MIN, ALL, ANY }

    /** The axes a NumPy axis argument (None, an int or a tuple) selects, as a mask. */
    static boolean[] reducedMask(Object axis, int ndim) {
        boolean[] r = new boolean[ndim];
        if (axis == null || axis == PyNone.NONE) {
            Arrays.fill(r, true);
            return r;
        }
        for (int ax : NumpyOps.axesOf(axis, ndim)) {
            if (r[ax]) {
                throw TslError.of("ValueError", "duplicate value in 'axis'");
            }
            r[ax] = true;
        }
        return r;
    }

    /** The dtype NumPy's add/multiply reductions produce: small integers and bool widen to int64. */
    static DType accumulatorFor(DType in) {
        if (in.isFloat() || in == DType.INT64) {
            return in;
        }
        if (in == DType.UINT8) {
            throw TslError.of("NotImplementedError", "not supported yet: sum of uint8 (NumPy gives uint64, which TSL lacks); cast first");
        }
        return DType.INT64;
    }

    /**
     * Reduces {@code a} over the masked axes into an array of the remaining shape (no keepdims),
     * computing in {@code acc}.
     * (Integer input converted to float64 sums exactly below 2**53, so NumPy's buffered
     * 8192-item runs give the same result as one pairwise pass.)
     */
    @TruffleBoundary
    static NDArray reduce(Kind kind, NDArray a, boolean[] reduced, DType acc) {
        int nd = a.ndim();
        // NumPy's iterator visits axes in memory order (largest stride outermost) and drops length-1 axes
        long[] strides = a.strides();
        Integer[] order = new Integer[nd];
        for (int i = 0; i < nd; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Long.compare(Math.abs(strides[q]), Math.abs(strides[p])));
        List<Integer> axes = new ArrayList<>();
        for (int ax : order) {
            if (a.dim(ax) != 1) {
                axes.add(ax);
            }
        }
        int[] perm = new int[nd];
        int p = 0;
        for (int ax : axes) {
            perm[p++] = ax;
        }
        for (int ax = 0; ax < nd; ax++) {
            if (a.dim(ax) == 1) {
                perm[p++] = ax;
            }
        }
        NDArray t = a.transpose(perm).copy();
        int k = axes.size();
        int[] dims = new int[k];
        boolean[] red = new boolean[k];
        for (int i = 0; i < k; i++) {
            dims[i] = a.dim(axes.get(i));
            red[i] = reduced[axes.get(i)];
        }
        // the innermost run of reduced axes is added pairwise as one block
        int inner = k;
        long block = 1;
        while (inner > 0 && red[inner - 1]) {
            inner--;
            block *= dims[inner];
        }
        int[] outShape = outShape(a.shape(), reduced);
        long outSize = NDArray.sizeOf(outShape);
        // the output index of each kept axis among a's axes (C order of the result)
        long[] outStride = new long[k];
        long s = 1;
        for (int ax = nd - 1, j = outShape.length - 1; ax >= 0; ax--) {
            if (!reduced[ax]) {
                int pos = axes.indexOf(ax);
                if (pos >= 0) {
                    outStride[pos] = s;
                }
                s *= outShape[j--];
            }
        }
        double[] d = new double[(int) outSize];
        long[] l = new long[(int) outSize];
        boolean[] started = new boolean[(int) outSize];
        boolean floatAcc = acc.isFloat();
        boolean single = acc == DType.FLOAT32;
        double[] buf = new double[(int) Math.max(block, 1)];
        long total = t.size();
        int[] idx = new int[inner];
        for (long base = 0; base < total; base += block) {
            long o = 0;
            for (int i = 0; i < inner; i++) {
                o += idx[i] * outStride[i];
            }
            int oi = (int) o;
            if (block > 1 || inner == k) {
                // a reduced inner block (or the whole array reduced to one value)
                if (floatAcc) {
                    for (int i = 0; i < block; i++) {
                        buf[i] = t.getDouble(base + i);
                    }
                    double v = switch (kind) {
                        case SUM -> pairwise(buf, 0, (int) block, single);
                        default -> sequential(kind, buf, (int) block, single);
                    };
                    d[oi] = started[oi] ? combine(kind, d[oi], v, single) : (kind == Kind.SUM ? combine(kind, 0.0, v, single) : v);
                } else {
                    long v = 0;
                    boolean first = true;
                    for (int i = 0; i < block; i++) {
                        long x = t.getLong(base + i);
                        v = first ? x : combineLong(kind, v, x);
                        first = false;
                    }
                    l[oi] = started[oi] ? combineLong(kind, l[oi], v) : v;
                }
                started[oi] = true;
            } else {
                long x = t.getLong(base);
                double xd = t.getDouble(base);
                if (floatAcc) {
                    d[oi] = started[oi] ? combine(kind, d[oi], xd, single) : xd;
                } else {
                    l[oi] = started[oi] ? combineLong(kind, l[oi], x) : x;
                }
                started[oi] = true;
            }
            for (int i = inner - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        NDArray out = NDArray.zeros(kind == Kind.ALL || kind == Kind.ANY ? DType.BOOL : acc, outShape);
        for (int i = 0; i < outSize; i++) {
            if (!started[i]) {
                // an empty reduction: the identity
                if (kind == Kind.MAX || kind == Kind.MIN) {
                    throw TslError.of("ValueError", "zero-size array to reduction operation "
                            + (kind == Kind.MAX ? "maximum" : "minimum") + " which has no identity");
                }
                double id = kind == Kind.PROD || kind == Kind.ALL ? 1 : 0;
                d[i] = id;
                l[i] = (long) id;
            }
            if (kind == Kind.ALL || kind == Kind.ANY) {
                out.setLong(i, (floatAcc ? d[i] != 0 : l[i] != 0) ? 1 : 0);
            } else if (floatAcc) {
                out.setDouble(i, d[i]);
            } else {
                out.setLong(i, l[i]);
            }
        }
        return out;
    }

    static int[] outShape(int[] shape, boolean[] reduced) {
        int n = 0;
        for (boolean r : reduced) {
            n += r ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    private static double round(double v, boolean single) {
        return single ? (float) v : v;
    }

    private static double combine(Kind kind, double a, double b, boolean single) {
        return switch (kind) {
            case SUM -> round(a + b, single);
            case PROD -> round(a * b, single);
            case MAX -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MIN -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case ALL -> a != 0 && b != 0 ? 1 : 0;
            case ANY -> a != 0 || b != 0 ? 1 : 0;
        };
    }

    private static long combineLong(Kind kind, long a, long b) {
        return switch (kind) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case ALL -> a != 0 && b != 0 ? 1 : 0;
            case ANY -> a != 0 || b != 0 ? 1 : 0;
        };
    }

    private static double sequential(Kind kind, double[] v, int n, boolean single) {
        double r = v[0];
        for (int i = 1; i < n; i++) {
            r = combine(kind, r, v[i], single);
        }
        return r;
    }

    /** NumPy's pairwise_sum: exact order of its additions, in float32 when single. */
    static double pairwise(double[] a, int lo, int n, boolean single) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) {
                res = round(res + a[lo + i], single);
            }
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[lo + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] = round(r[j] + a[lo + i + j], single);
                }
            }
            double res = round(round(round(r[0] + r[1], single) + round(r[2] + r[3], single), single)
                    + round(round(r[4] + r[5], single) + round(r[6] + r[7], single), single), single);
            for (; i < n; i++) {
                res = round(res + a[lo + i], single);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return round(pairwise(a, lo, n2, single) + pairwise(a, lo + n2, n - n2, single), single);
    }

    /** Sums converted to float64 in NumPy's buffered runs of 8192 (the mean of an integer array). */
    static NDArray sumAsFloat64(NDArray a, boolean[] reduced) {
        return reduce(Kind.SUM, a.astype(DType.FLOAT64), reduced, DType.FLOAT64);
    }
}
