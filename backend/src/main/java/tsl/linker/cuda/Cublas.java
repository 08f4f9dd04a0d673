package tsl.linker.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import tsl.compile.Config;
import tsl.tensor.DType;

/**
 * cuBLAS through JCuda, when its native library loads (JCuda 12 needs libcublas.so.12, which
 * a CUDA 13 machine may not have): probed once, a LinkageError remembered as "not
 * available". The flag {@code cuda.cublas=False} turns it off (to measure TSL's own kernel).
 */
final class Cublas {
    private static final Object PROBE = new Object();
    private static cublasHandle handle;
    private static boolean probed;

    private Cublas() {}

    /** The handle, or null when cuBLAS is not available. Callers hold the device lock with the context current. */
    static cublasHandle handle() {
        synchronized (PROBE) {
            if (!probed) {
                probed = true;
                if (!"false".equalsIgnoreCase(String.valueOf(Config.get("cuda.cublas")))) {
                    try {
                        JCublas2.setExceptionsEnabled(true);
                        cublasHandle h = new cublasHandle();
                        JCublas2.cublasCreate(h);
                        handle = h;
                    } catch (LinkageError | CudaException e) {
                        handle = null;
                    }
                }
            }
            return handle;
        }
    }

    static boolean handleAvailable() {
        return handle() != null;
    }

    /**
     * Row-major C[m,n] = A[m,k]·B[k,n] where A and B each have unit stride along one axis.
     * cuBLAS is column-major, so it computes Cᵀ = Bᵀ·Aᵀ: a row-major matrix read
     * column-major is its transpose, which is what makes the operand order swap.
     */
    static void gemm(cublasHandle h, DType dtype, int m, int n, int k, DeviceArray a, DeviceArray b, DeviceArray c) {
        long[] sa = a.strides();
        long[] sb = b.strides();
        // as column-major operands: a row-major (unit column stride) A is Aᵀ with ld = row stride
        int opA = sa[1] == 1 ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T;
        int lda = (int) (sa[1] == 1 ? Math.max(sa[0], Math.max(1, k)) : Math.max(sa[1], Math.max(1, m)));
        int opB = sb[1] == 1 ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T;
        int ldb = (int) (sb[1] == 1 ? Math.max(sb[0], Math.max(1, n)) : Math.max(sb[1], Math.max(1, k)));
        if (dtype == DType.FLOAT32) {
            JCublas2.cublasSgemm(h, opB, opA, n, m, k, Pointer.to(new float[] {1f}), b.pointer(), ldb,
                    a.pointer(), lda, Pointer.to(new float[] {0f}), c.pointer(), n);
        } else {
            JCublas2.cublasDgemm(h, opB, opA, n, m, k, Pointer.to(new double[] {1}), b.pointer(), ldb,
                    a.pointer(), lda, Pointer.to(new double[] {0}), c.pointer(), n);
        }
    }

    /** Whether a matrix can be passed as is: unit stride along one axis. */
    static boolean usable(DeviceArray x) {
        long[] s = x.strides();
        int[] d = x.shape();
        return (s[1] == 1 && s[0] >= d[1]) || (s[0] == 1 && s[1] >= d[0]);
    }
}
