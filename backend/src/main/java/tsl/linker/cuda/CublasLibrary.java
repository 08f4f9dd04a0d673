package tsl.linker.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * cuBLAS's gemm called through the Foreign Function & Memory API, for whichever
 * {@code libcublas.so.N} the machine has (JCuda 12's binding needs CUDA 12's library; a CUDA 13
 * machine has {@code libcublas.so.13}). Only {@code cublasCreate_v2} and
 * {@code cublas[SD]gemm_v2} are used, whose C signatures are the same in every version since
 * CUDA 4. Work goes to the default stream of the current (primary) context, like the kernels.
 */
final class CublasLibrary {
    static final int OP_N = 0;
    static final int OP_T = 1;

    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MemorySegment handle;
    final String library;

    private CublasLibrary(SymbolLookup lib, String library) throws Throwable {
        Linker l = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout a = ValueLayout.ADDRESS;
        FunctionDescriptor gemm = FunctionDescriptor.of(i, a, i, i, i, i, i, a, a, i, a, i, a, a, i);
        sgemm = l.downcallHandle(lib.find("cublasSgemm_v2").orElseThrow(), gemm);
        dgemm = l.downcallHandle(lib.find("cublasDgemm_v2").orElseThrow(), gemm);
        MethodHandle create = l.downcallHandle(lib.find("cublasCreate_v2").orElseThrow(), FunctionDescriptor.of(i, a));
        MemorySegment slot = Arena.global().allocate(ValueLayout.ADDRESS);
        int rc = (int) create.invokeExact(slot);
        if (rc != 0) {
            throw new IllegalStateException("cublasCreate returned " + rc);
        }
        handle = slot.get(ValueLayout.ADDRESS, 0);
        this.library = library;
    }

    /** Loads the library and creates a handle (the context must be current); null when it cannot. */
    static CublasLibrary load(String path) {
        try {
            return new CublasLibrary(SymbolLookup.libraryLookup(path, Arena.global()), path);
        } catch (Throwable e) {
            return null;
        }
    }

    static List<String> candidates() {
        return ToolkitLibraries.candidates("libcublas");
    }

    /** Column-major C = op(A)·op(B) on device addresses, as cublas[SD]gemm with alpha 1 and beta 0. */
    void gemm(boolean single, int opA, int opB, int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        try (Arena arena = Arena.ofConfined()) {
            int rc;
            if (single) {
                rc = (int) sgemm.invokeExact(handle, opA, opB, m, n, k, arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f),
                        MemorySegment.ofAddress(a), lda, MemorySegment.ofAddress(b), ldb,
                        arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f), MemorySegment.ofAddress(c), ldc);
            } else {
                rc = (int) dgemm.invokeExact(handle, opA, opB, m, n, k, arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1d),
                        MemorySegment.ofAddress(a), lda, MemorySegment.ofAddress(b), ldb,
                        arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 0d), MemorySegment.ofAddress(c), ldc);
            }
            if (rc != 0) {
                throw new IllegalStateException("cuBLAS gemm returned status " + rc);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS call failed: " + t, t);
        }
    }
}
