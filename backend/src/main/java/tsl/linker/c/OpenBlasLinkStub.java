package tsl.linker.c;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tsl.graph.TslException;

/**
 * What ld links a kernel against instead of the real libopenblas.so.0: a small library with the
 * same soname and an empty function for every {@code cblas_} name in the extraction's cblas.h.
 * ld read the whole dynamic symbol table of the 30 MB library for every kernel that uses BLAS:
 * 0.07 s of a kernel's ~0.35 s of gcc CPU (0.2 s of wall time on the loaded 2-core machine). The
 * kernel records the same {@code DT_NEEDED libopenblas.so.0} and its rpath still names the real
 * library's directory, so the real library is what loads; the stub is never loaded. Built once
 * per extraction into {@code <extraction>/link-stub/} (a private temporary directory renamed
 * into place, like the extraction itself); when it cannot be built, kernels link the real library.
 */
final class OpenBlasLinkStub {
    static final String DIRECTORY = "link-stub";
    private static final String LIBRARY = "libopenblas.so.0";
    private static final String COMPLETE = "complete";
    private static final Pattern CBLAS = Pattern.compile("\\b(cblas_\\w+)\\s*\\(");

    private OpenBlasLinkStub() {}

    /** The directory holding the stub beside {@code extraction}, building it on first use; null when it cannot be built. */
    static synchronized Path directory(Path extraction, Gcc gcc) {
        Path target = extraction.resolve(DIRECTORY);
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return target;
        }
        if (gcc == null) {
            return null;
        }
        Path work = null;
        try {
            work = Files.createTempDirectory(extraction, "link-stub-");
            gcc.compile(work, "stub", source(Files.readString(extraction.resolve("include/cblas.h"))),
                    List.of("-Wl,-soname," + LIBRARY), List.of(), work.resolve(LIBRARY));
            Files.createFile(work.resolve(COMPLETE));
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                work = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process finished first; its stub is as good as ours
            }
            return Files.isRegularFile(target.resolve(COMPLETE)) ? target : null;
        } catch (IOException | TslException e) {
            return null; // the real library is linked instead
        } finally {
            if (work != null) {
                KernelCache.deleteTree(work);
            }
        }
    }

    /**
     * An empty body for each cblas function the header declares: ld only needs the names to be
     * defined somewhere (so that {@code --as-needed}, where a toolchain defaults to it, keeps the
     * dependency); their signatures do not matter, nothing ever calls these.
     */
    static String source(String cblasHeader) {
        Set<String> names = new TreeSet<>();
        Matcher m = CBLAS.matcher(cblasHeader);
        while (m.find()) {
            names.add(m.group(1));
        }
        StringBuilder sb = new StringBuilder("/* link-time stand-in for libopenblas.so.0 (OpenBlasLinkStub) */\n");
        for (String n : names) {
            sb.append("void ").append(n).append("(void) {}\n");
        }
        return sb.toString();
    }
}
