package tsl.linker.c;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import tsl.graph.TslException;

/**
 * The OpenBLAS that ships in bytedeco's natives jar, extracted once into the TSL cache so
 * that generated C can include its cblas.h and link its libopenblas.so.0 by explicit path
 * and rpath. Debian's own OpenBLAS may be installed too: without the explicit -I/-L/rpath,
 * gcc would silently pick that one instead.
 */
public final class OpenBlas {
    public static final String VERSION = "0.3.31-1.5.13";
    private static final String RESOURCE_DIR = "/org/bytedeco/openblas/linux-x86_64/";
    /** libopenblas.so.0 finds its runtime libraries through RUNPATH $ORIGIN, so they go beside it. */
    private static final List<String> FILES = List.of("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0",
            "libgcc_s.so.1", "include/cblas.h", "include/openblas_config.h");
    private static final String COMPLETE = "complete";

    private static volatile Path extracted;

    private OpenBlas() {}

    /** The directory holding libopenblas.so.0 and include/, extracting it on first use. */
    public static synchronized Path directory() {
        if (extracted == null) {
            extracted = locate(KernelCache.userRoot(), KernelCache.root());
        }
        return extracted;
    }

    /**
     * Where this OpenBLAS lives: one extraction per user and version under {@code userRoot},
     * shared by every {@code cachedir} — it is a copy of a jar, not a compiled kernel, and
     * inflating its 30 MB cost 0.3 s of CPU (seconds on a loaded machine) in every process
     * that started with an empty cache directory. An extraction already in {@code cacheRoot}
     * (where earlier versions put it) is used as it is; {@code cacheRoot} is also the fallback
     * when {@code userRoot} cannot be written.
     */
    static Path locate(Path userRoot, Path cacheRoot) {
        Path own = cacheRoot.resolve(DIRECTORY);
        if (isComplete(own)) {
            return own;
        }
        Path shared = userRoot.resolve(DIRECTORY);
        if (isComplete(shared)) {
            return shared;
        }
        try {
            return extract(shared);
        } catch (TslException e) {
            if (own.equals(shared)) {
                throw e;
            }
            return extract(own);
        }
    }

    private static final String DIRECTORY = "openblas-" + VERSION;

    static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(COMPLETE));
    }

    /**
     * Loads libopenblas.so.0 into the process when it has been extracted already (this never
     * extracts: a program without products should not pay for that), so that the kernels that
     * link it find it loaded (the dynamic loader matches it by its soname) instead of spending
     * ~15-20 ms of the first link's CPU on mapping, relocating and starting it. For the linker's
     * warm-up thread; it is a pthreads build, so no OpenMP runtime starts with it.
     */
    static void preload() {
        Path dir = extractedDirectory();
        if (dir != null) {
            SymbolLookup.libraryLookup(dir.resolve("libopenblas.so.0"), Arena.global());
        }
    }

    /**
     * The directory {@link #directory} would return when it needs no extraction; null when it
     * would. Not remembered: the kernels' flags name the directory, so {@link #directory} decides
     * it with the flags in force when a kernel is compiled.
     */
    static Path extractedDirectory() {
        Path known = extracted;
        return known != null ? known : extractedDirectory(KernelCache.userRoot(), KernelCache.root());
    }

    /** What {@link #locate} would find without extracting, in the same order; null when it would extract. */
    static Path extractedDirectory(Path userRoot, Path cacheRoot) {
        Path own = cacheRoot.resolve(DIRECTORY);
        Path shared = userRoot.resolve(DIRECTORY);
        return isComplete(own) ? own : isComplete(shared) ? shared : null;
    }

    /** gcc flags that compile and link against this OpenBLAS only. */
    public static List<String> compileFlags() {
        return List.of("-I" + directory().resolve("include"));
    }

    public static List<String> linkFlags() {
        Path d = directory();
        // ld reads the small stand-in (OpenBlasLinkStub); the rpath names the real library, which is what loads
        Path stub = OpenBlasLinkStub.directory(d, Gcc.find());
        return List.of("-L" + (stub != null ? stub : d), "-l:libopenblas.so.0", "-Wl,-rpath," + d);
    }

    static Path extract(Path target) {
        if (isComplete(target)) {
            return target;
        }
        KernelCache.ensureDirectory(target.getParent());
        Path work = null;
        try {
            work = Files.createTempDirectory(target.getParent(), "openblas-extract-");
            Files.createDirectories(work.resolve("include"));
            for (String f : FILES) {
                try (InputStream in = OpenBlas.class.getResourceAsStream(RESOURCE_DIR + f)) {
                    if (in == null) {
                        throw new TslException("RuntimeError", "the OpenBLAS natives jar (org.bytedeco:openblas:" + VERSION
                                + ":linux-x86_64) is not on the class path: " + f + " is missing");
                    }
                    Files.copy(in, work.resolve(f));
                }
            }
            Files.createFile(work.resolve(COMPLETE));
            if (Files.exists(target)) {
                // an incomplete earlier extraction: move it aside, then take its place
                Path stale = Files.createTempDirectory(target.getParent(), "openblas-stale-");
                try {
                    Files.move(target, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // another process moved it first
                }
                KernelCache.deleteTree(stale);
            }
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                work = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process finished first; its copy is as good as ours
            }
            if (!Files.isRegularFile(target.resolve(COMPLETE))) {
                throw new TslException("RuntimeError", "could not extract OpenBLAS into " + target);
            }
            return target;
        } catch (IOException e) {
            throw new TslException("RuntimeError", "could not extract OpenBLAS into " + target + ": " + e.getMessage());
        } finally {
            if (work != null) {
                KernelCache.deleteTree(work);
            }
        }
    }
}
