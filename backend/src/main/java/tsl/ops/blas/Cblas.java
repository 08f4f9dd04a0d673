package tsl.ops.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import tsl.linker.c.OpenBlas;

/**
 * Downcall handles to OpenBLAS's cblas_* routines, from the same libopenblas.so.0 that the
 * native linker links against ({@link OpenBlas#directory()} extracts it once). Loaded lazily,
 * in {@link Arena#global()} (OpenBLAS's worker threads outlive any call), at most once per
 * process; when it cannot be loaded, {@link #get()} answers null and the products keep their
 * Java loops. This OpenBLAS uses 32-bit BLAS integers (no OPENBLAS_USE64BITINT).
 */
final class Cblas {
    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;

    final MethodHandle dgemm;
    final MethodHandle sgemm;
    final MethodHandle dgemv;
    final MethodHandle sgemv;
    final MethodHandle ddot;
    final MethodHandle sdot;

    private static volatile Cblas loaded;
    private static volatile boolean tried;

    private Cblas(SymbolLookup lib) {
        dgemm = handle(lib, "cblas_dgemm", gemm(JAVA_DOUBLE));
        sgemm = handle(lib, "cblas_sgemm", gemm(JAVA_FLOAT));
        dgemv = handle(lib, "cblas_dgemv", gemv(JAVA_DOUBLE));
        sgemv = handle(lib, "cblas_sgemv", gemv(JAVA_FLOAT));
        ddot = handle(lib, "cblas_ddot", FunctionDescriptor.of(JAVA_DOUBLE, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        sdot = handle(lib, "cblas_sdot", FunctionDescriptor.of(JAVA_FLOAT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** (order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc). */
    private static FunctionDescriptor gemm(MemoryLayout real) {
        return FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, real, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, real, ADDRESS, JAVA_INT);
    }

    /** (order, trans, M, N, alpha, A, lda, x, incx, beta, y, incy). */
    private static FunctionDescriptor gemv(MemoryLayout real) {
        return FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, real, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, real,
                ADDRESS, JAVA_INT);
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("libopenblas has no " + name));
        return Linker.nativeLinker().downcallHandle(sym, fd);
    }

    /** The loaded routines, or null when OpenBLAS cannot be loaded here (one warning, then Java loops). */
    static Cblas get() {
        if (!tried) {
            synchronized (Cblas.class) {
                if (!tried) {
                    try {
                        Path lib = OpenBlas.directory().resolve("libopenblas.so.0");
                        loaded = new Cblas(SymbolLookup.libraryLookup(lib, Arena.global()));
                    } catch (RuntimeException | LinkageError e) {
                        System.err.println("tsl: warning: OpenBLAS could not be loaded (" + e.getMessage()
                                + "): dot and gemm on the jvm linker use Java loops");
                    }
                    tried = true;
                }
            }
        }
        return loaded;
    }
}
