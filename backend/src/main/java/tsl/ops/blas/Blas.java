package tsl.ops.blas;

import java.lang.foreign.MemorySegment;

import tsl.compile.Config;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Matrix and vector products of float32/float64 NDArrays through OpenBLAS, reading operands
 * in place: a 2-d operand whose rows or columns are unit-stride goes to BLAS as it is (with
 * its leading dimension, transposed when its columns are the unit-stride axis); anything
 * else (broadcast, negative or two non-unit strides) is copied first. Integer products and
 * {@code TSL_FLAGS=blas=False} (or an OpenBLAS that cannot load) use the Java loops in the
 * ops instead: {@link #usable} decides.
 */
public final class Blas {
    private Blas() {}

    /** Whether products of {@code dtype} with these dimensions go to OpenBLAS. */
    public static boolean usable(DType dtype, int... dims) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            return false;
        }
        for (int d : dims) {
            if (d <= 0) {
                return false; // BLAS wants lda >= 1; the Java loops handle empty products
            }
        }
        return !"False".equalsIgnoreCase(Config.get("blas")) && Cblas.get() != null;
    }

    /** A 2-d operand as BLAS sees it: logical {@code rows x cols}; {@code trans} when stored column-major. */
    private record Mat(MemorySegment base, int rows, int cols, int ld, boolean trans) {
        Mat t() {
            return new Mat(base, cols, rows, ld, !trans);
        }

        int flag() {
            return trans ? Cblas.TRANS : Cblas.NO_TRANS;
        }
    }

    private static MemorySegment base(NDArray a) {
        return a.segment().asSlice(a.offset() * a.dtype().byteSize());
    }

    /** {@code a} in dtype {@code d} on native memory (a converted copy when it is not). */
    private static NDArray prepared(NDArray a, DType d) {
        return a.dtype() != d || !a.segment().isNative() ? a.astype(d) : a;
    }

    private static Mat mat(NDArray a, DType d) {
        a = prepared(a, d);
        int r = a.dim(0);
        int c = a.dim(1);
        long s0 = a.strides()[0];
        long s1 = a.strides()[1];
        if ((c <= 1 || s1 == 1) && (r <= 1 || (s0 >= Math.max(1, c) && s0 <= Integer.MAX_VALUE))) {
            return new Mat(base(a), r, c, r <= 1 ? Math.max(1, c) : (int) s0, false);
        }
        if ((r <= 1 || s0 == 1) && (c <= 1 || (s1 >= Math.max(1, r) && s1 <= Integer.MAX_VALUE))) {
            return new Mat(base(a), r, c, c <= 1 ? Math.max(1, r) : (int) s1, true);
        }
        NDArray copy = a.copy();
        return new Mat(base(copy), r, c, Math.max(1, c), false);
    }

    /** A vector as (base, increment): positive increments go as they are, others are copied. */
    private record Vec(MemorySegment base, int n, int inc) {}

    private static Vec vec(NDArray v, DType d) {
        v = prepared(v, d);
        int n = v.dim(0);
        long s = v.strides()[0];
        if (n <= 1) {
            return new Vec(base(v), n, 1);
        }
        if (s <= 0 || s > Integer.MAX_VALUE) {
            v = v.copy();
            s = 1;
        }
        return new Vec(base(v), n, (int) s);
    }

    /** numpy.dot of 1-d/2-d operands into a fresh array of {@code out} (float32 or float64). */
    public static NDArray product(NDArray x, NDArray y, DType out) {
        boolean xv = x.ndim() == 1;
        boolean yv = y.ndim() == 1;
        if (xv && yv) {
            return NDArray.scalar(dot(x, y, out), out);
        }
        if (!xv && !yv) {
            NDArray c = NDArray.zeros(out, x.dim(0), y.dim(1));
            gemm(1, x, y, 0, c);
            return c;
        }
        if (!xv) {
            NDArray c = NDArray.zeros(out, x.dim(0));
            gemv(1, mat(x, out), vec(y, out), 0, c);
            return c;
        }
        NDArray c = NDArray.zeros(out, y.dim(1));
        gemv(1, mat(y, out).t(), vec(x, out), 0, c);
        return c;
    }

    /** {@code sum(x * y)} of two vectors of equal length. */
    static double dot(NDArray x, NDArray y, DType d) {
        Vec a = vec(x, d);
        Vec b = vec(y, d);
        Cblas f = Cblas.get();
        try {
            return d == DType.FLOAT64 ? (double) f.ddot.invokeExact(a.n, a.base, a.inc, b.base, b.inc)
                    : (float) f.sdot.invokeExact(a.n, a.base, a.inc, b.base, b.inc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code c = alpha * dot(a, b) + beta * c} for matrices; c is a C-contiguous matrix of the product's dtype. */
    public static void gemm(double alpha, NDArray a, NDArray b, double beta, NDArray c) {
        DType d = c.dtype();
        Mat ma = mat(a, d);
        Mat mb = mat(b, d);
        Mat mc = mat(c, d);
        if (mc.trans || base(c).address() != mc.base.address()) {
            throw new IllegalArgumentException("gemm: the output must be a row-major matrix of dtype " + d);
        }
        Cblas f = Cblas.get();
        try {
            if (d == DType.FLOAT64) {
                f.dgemm.invokeExact(Cblas.ROW_MAJOR, ma.flag(), mb.flag(), ma.rows, mb.cols, ma.cols, alpha, ma.base, ma.ld,
                        mb.base, mb.ld, beta, mc.base, mc.ld);
            } else {
                f.sgemm.invokeExact(Cblas.ROW_MAJOR, ma.flag(), mb.flag(), ma.rows, mb.cols, ma.cols, (float) alpha, ma.base, ma.ld,
                        mb.base, mb.ld, (float) beta, mc.base, mc.ld);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code y = alpha * dot(a, x) + beta * y} for a matrix a; y is a contiguous vector of the product's dtype. */
    public static void gemv(double alpha, NDArray a, NDArray x, double beta, NDArray y) {
        gemv(alpha, mat(a, y.dtype()), vec(x, y.dtype()), beta, y);
    }

    private static void gemv(double alpha, Mat a, Vec x, double beta, NDArray y) {
        DType d = y.dtype();
        if (!y.isContiguous() || !y.segment().isNative()) {
            throw new IllegalArgumentException("gemv: the output must be a contiguous vector");
        }
        // a stored column-major is its transpose stored row-major
        int m = a.trans ? a.cols : a.rows;
        int n = a.trans ? a.rows : a.cols;
        Cblas f = Cblas.get();
        try {
            if (d == DType.FLOAT64) {
                f.dgemv.invokeExact(Cblas.ROW_MAJOR, a.flag(), m, n, alpha, a.base, a.ld, x.base, x.inc, beta, base(y), 1);
            } else {
                f.sgemv.invokeExact(Cblas.ROW_MAJOR, a.flag(), m, n, (float) alpha, a.base, a.ld, x.base, x.inc, (float) beta,
                        base(y), 1);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
