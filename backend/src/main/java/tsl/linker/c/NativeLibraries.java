package tsl.linker.c;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tsl.compile.Config;
import tsl.graph.TslException;

/**
 * Compiles translation units through the kernel cache and loads them, once per process per
 * key. Libraries live in {@link Arena#global()}: one that uses OpenMP must never be unloaded
 * while libgomp's threads may still run (PLATFORM.md).
 */
final class NativeLibraries {
    private static final Map<String, SymbolLookup> LOADED = new ConcurrentHashMap<>();
    static final Linker LINKER = Linker.nativeLinker();
    static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
    /**
     * A segment's entry point, {@code int f(tsl_arr* table, void** bufs, int64_t* caps, char* err)}.
     * The pointers go as plain addresses (the same registers on x86-64 and AArch64): a segment
     * argument would make every call acquire and release its arena (two atomic updates each);
     * the caller keeps the memory reachable instead.
     */
    static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static volatile boolean ompConfigured;

    private NativeLibraries() {}

    /** The loaded library of {@code tu}, compiling it unless the cache has it. */
    static SymbolLookup load(Gcc gcc, TranslationUnit tu, KernelCache cache) {
        return load(gcc, tu, cache, kernel(gcc, tu, cache));
    }

    /**
     * How {@code tu} is compiled and the cache key that names the result: what a cached
     * program keeps so that a later process can load the same library without the source.
     */
    record Kernel(String key, List<String> flags, List<String> link, boolean threads, boolean blas) {}

    static Kernel kernel(Gcc gcc, TranslationUnit tu, KernelCache cache) {
        List<String> flags = new ArrayList<>();
        List<String> link = new ArrayList<>();
        boolean threads = tu.usesThreads && !"False".equalsIgnoreCase(Config.get("openmp"));
        if (threads) {
            flags.add("-fopenmp");
        }
        if (tu.usesBlas) {
            flags.addAll(OpenBlas.compileFlags());
            link.addAll(OpenBlas.linkFlags());
            CompileTrace.phase("openblas");
        }
        boolean mv = vectorMath(gcc, cache);
        CompileTrace.phase("mvec-probe");
        flags.addAll(loopFlags(mv));
        if (mv) {
            link.add("-l:" + MVEC_LIBRARY);
        }
        link.add("-lm");
        String key = KernelCache.key(tu.source, gcc.identity(), Gcc.optLevel(), String.join(" ", Gcc.BASE_FLAGS), String.join(" ", flags),
                String.join(" ", link), tu.usesBlas ? OpenBlas.VERSION : "");
        CompileTrace.phase("key");
        return new Kernel(key, flags, link, threads, tu.usesBlas);
    }

    static SymbolLookup load(Gcc gcc, TranslationUnit tu, KernelCache cache, Kernel kernel) {
        return LOADED.computeIfAbsent(kernel.key(), k -> {
            Path lib = cache.get(k, out -> {
                CompileTrace.phase("cache-miss");
                gcc.compileInParts(out.getParent(), "k" + k.substring(0, 16), tu.source, tu.compileGroups(Gcc.jobs()),
                        kernel.flags(), kernel.link(), out);
                CompileTrace.phase("gcc");
            });
            CompileTrace.phase("cache");
            return open(lib, kernel.threads());
        });
    }

    /**
     * The library a cached program names, when its cache entry is there and intact; null
     * otherwise (the caller then compiles the graph the ordinary way, which rebuilds it).
     */
    static SymbolLookup loadCached(String key, boolean threads, boolean blas, KernelCache cache) {
        SymbolLookup known = LOADED.get(key);
        if (known != null) {
            return known;
        }
        Path lib = cache.existing(key);
        if (lib == null) {
            return null;
        }
        if (blas) {
            OpenBlas.directory(); // the library's rpath points there: extracted again if it was removed
        }
        try {
            return LOADED.computeIfAbsent(key, k -> open(lib, threads));
        } catch (TslException e) {
            return null; // e.g. a library it links is gone: compiled again, the ordinary path reports what fails
        }
    }

    private static SymbolLookup open(Path lib, boolean threads) {
        if (threads) {
            configureOpenMp();
        }
        try {
            SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
            CompileTrace.phase("dlopen");
            return l;
        } catch (IllegalArgumentException e) {
            throw new TslException("RuntimeError", "cannot load compiled kernel " + lib + ": " + e.getMessage());
        }
    }

    /**
     * Flags for the elementwise loops, with {@code mvec} when libmvec is there.
     * -fno-thread-jumps: jump threading merged the branches of the selects a fused loop makes
     * (sigmoid's and softplus's on one value) into paths that if-conversion cannot flatten, and
     * gcc then left the whole loop scalar (seed 11's training loop: "control flow in loop").
     * -mprefer-vector-width=256: -march=native on Zen 1 tunes for 128-bit vectors, i.e.
     * two-lane libmvec calls; the four-lane AVX2 variants took ~20% less CPU in the chain.
     */
    static List<String> loopFlags(boolean mvec) {
        return mvec ? List.of("-fno-thread-jumps", "-DTSL_MVEC", "-mprefer-vector-width=256") : List.of("-fno-thread-jumps");
    }

    private static volatile Boolean mvec;

    /**
     * Whether this system's libmvec has the SIMD variants (SSE, AVX, AVX2, AVX-512) of every
     * function Prelude declares. Probed once with dlsym rather than by compiling a test
     * program: a compile cost ~0.3 s of every cold start, a lookup well under a millisecond.
     * The kernels then link the same file by its soname, so no libmvec.so dev link is needed.
     */
    static boolean vectorMath(Gcc gcc, KernelCache cache) {
        if (mvec == null) {
            synchronized (NativeLibraries.class) {
                if (mvec == null) {
                    mvec = !"False".equalsIgnoreCase(Config.get("mvec")) && hasVectorMath();
                }
            }
        }
        return mvec;
    }

    static final String MVEC_LIBRARY = "libmvec.so.1";

    private static boolean hasVectorMath() {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(MVEC_LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            return false; // no libmvec here: scalar libm calls
        }
        for (Prelude.VectorType t : Prelude.VECTOR_TYPES) {
            for (String f : Prelude.VECTOR_MATH) {
                for (String variant : t.variants()) {
                    if (lib.find(t.symbol(variant, f)).isEmpty()) {
                        return false; // an older glibc (before 2.35) lacks most of them
                    }
                }
            }
        }
        return true;
    }

    /**
     * What the first kernel with OpenMP loops does when it loads, done ahead (for the linker's
     * warm-up): the wait policy set, then libgomp loaded (the kernels link this same soname).
     */
    static void preloadOpenMp() {
        if ("False".equalsIgnoreCase(Config.get("openmp"))) {
            return; // no kernel will use threads
        }
        configureOpenMp();
        try {
            SymbolLookup.libraryLookup("libgomp.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            // not installed: a kernel that needs it reports that when it loads
        }
    }

    /**
     * libgomp's default spin-waiting is very slow on machines with few cores; passive waiting
     * must be chosen before libgomp starts, so it is set in the environment before the first
     * OpenMP library loads (a value the user set is kept).
     */
    private static synchronized void configureOpenMp() {
        if (ompConfigured) {
            return;
        }
        ompConfigured = true;
        try (Arena a = Arena.ofConfined()) {
            MethodHandle setenv = LINKER.downcallHandle(LINKER.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int rc = (int) setenv.invokeExact(a.allocateFrom("OMP_WAIT_POLICY"), a.allocateFrom("passive"), 0);
            if (rc != 0) {
                System.err.println("tsl: warning: could not set OMP_WAIT_POLICY=passive");
            }
        } catch (Throwable t) {
            System.err.println("tsl: warning: could not set OMP_WAIT_POLICY=passive: " + t);
        }
    }

    static MethodHandle entry(SymbolLookup lib, String name) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name + " in compiled kernel"));
        return LINKER.downcallHandle(sym, ENTRY);
    }

    static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
