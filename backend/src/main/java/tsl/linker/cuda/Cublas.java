package tsl.linker.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import tsl.compile.Config;
import tsl.tensor.DType;

/**
 * Matrix products through cuBLAS when a cuBLAS library loads: first any
 * {@code libcublas.so.N} through FFM ({@link CublasLibrary}), else JCuda's binding (which needs
 * CUDA 12's {@code libcublas.so.12}). Probed once, under the device lock; a failure is
 * remembered as "not available" and products use TSL's own kernel. The flag
 * {@code cuda.cublas=False} turns cuBLAS off (to measure and test that kernel).
 */
final class Cublas {
    private static final Object PROBE = new Object();
    private static boolean probed;
    private static CublasLibrary ffm;
    private static cublasHandle jcublas;

    private Cublas() {}

    private static void probe() {
        synchronized (PROBE) {
            if (probed) {
                return;
            }
            probed = true;
            for (String candidate : CublasLibrary.candidates()) {
                ffm = CublasLibrary.load(candidate);
                if (ffm != null) {
                    return;
                }
            }
            try {
                JCublas2.setExceptionsEnabled(true);
                cublasHandle h = new cublasHandle();
                JCublas2.cublasCreate(h);
                jcublas = h;
            } catch (LinkageError | CudaException e) {
                jcublas = null;
            }
        }
    }

    /** Whether cuBLAS is available and not turned off. Callers hold the device lock with the context current. */
    static boolean available() {
        probe();
        return (ffm != null || jcublas != null) && !"false".equalsIgnoreCase(String.valueOf(Config.get("cuda.cublas")));
    }

    /** Which cuBLAS is used, or null. Callers hold the device lock. */
    static String describe() {
        probe();
        return ffm != null ? "cuBLAS (" + ffm.library + ")" : jcublas != null ? "cuBLAS (JCuda)" : null;
    }

    /**
     * Row-major C[m,n] = A[m,k]·B[k,n] where A and B each have unit stride along one axis.
     * cuBLAS is column-major, so it computes Cᵀ = Bᵀ·Aᵀ: a row-major matrix read
     * column-major is its transpose, which is what makes the operand order swap.
     */
    static void gemm(DType dtype, int m, int n, int k, DeviceArray a, DeviceArray b, DeviceArray c) {
        int[] p = plan(m, n, k, a.strides(), b.strides());
        int opA = p[0];
        int lda = p[1];
        int opB = p[2];
        int ldb = p[3];
        if (ffm != null) {
            ffm.gemm(dtype == DType.FLOAT32, opB, opA, n, m, k, b.address(), ldb, a.address(), lda, c.address(), n);
        } else if (dtype == DType.FLOAT32) {
            JCublas2.cublasSgemm(jcublas, opB, opA, n, m, k, Pointer.to(new float[] {1f}), b.pointer(), ldb,
                    a.pointer(), lda, Pointer.to(new float[] {0f}), c.pointer(), n);
        } else {
            JCublas2.cublasDgemm(jcublas, opB, opA, n, m, k, Pointer.to(new double[] {1}), b.pointer(), ldb,
                    a.pointer(), lda, Pointer.to(new double[] {0}), c.pointer(), n);
        }
    }

    /**
     * {opA, lda, opB, ldb} for the column-major call Cᵀ = op(B')·op(A') where A' and B' are the
     * row-major operands' buffers read column-major: a row-major (unit column stride) matrix is
     * its own transpose there, with the row stride as leading dimension.
     */
    static int[] plan(int m, int n, int k, long[] sa, long[] sb) {
        int opA = sa[1] == 1 ? CublasLibrary.OP_N : CublasLibrary.OP_T;
        int lda = (int) (sa[1] == 1 ? Math.max(sa[0], Math.max(1, k)) : Math.max(sa[1], Math.max(1, m)));
        int opB = sb[1] == 1 ? CublasLibrary.OP_N : CublasLibrary.OP_T;
        int ldb = (int) (sb[1] == 1 ? Math.max(sb[0], Math.max(1, n)) : Math.max(sb[1], Math.max(1, k)));
        return new int[] {opA, lda, opB, ldb};
    }

    /** Whether a matrix can be passed as is: unit stride along one axis. */
    static boolean usable(DeviceArray x) {
        long[] s = x.strides();
        int[] d = x.shape();
        return (s[1] == 1 && s[0] >= d[1]) || (s[0] == 1 && s[1] >= d[0]);
    }
}
