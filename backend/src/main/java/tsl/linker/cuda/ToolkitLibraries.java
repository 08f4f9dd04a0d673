package tsl.linker.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a CUDA toolkit library (NVRTC, cuBLAS) may be: the versioned files in the usual toolkit
 * folders, CUDA_HOME and LD_LIBRARY_PATH, newest major version first, then the plain sonames
 * for the system loader's own search. The driver is backward compatible, so any of 11..14 will do.
 */
final class ToolkitLibraries {
    private ToolkitLibraries() {}

    /** Paths and sonames to try for {@code base} (e.g. "libnvrtc"), most preferred first. */
    static List<String> candidates(String base) {
        List<String> out = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null) {
            dirs.add(home + "/lib64");
        }
        dirs.addAll(List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        for (int v = 14; v >= 11; v--) {
            for (String d : dirs) {
                if (!d.isEmpty() && Files.exists(Path.of(d, base + ".so." + v))) {
                    out.add(Path.of(d, base + ".so." + v).toString());
                }
            }
        }
        for (int v = 14; v >= 11; v--) {
            out.add(base + ".so." + v);
        }
        return out;
    }
}
