package tsl.linker.c;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The compiler's version line, remembered on disk per compiler binary (its real path, size
 * and modification time), so that a new process need not start {@code gcc --version} before
 * it can look a kernel up: on the loaded 2-core machines that start cost 25-150 ms of every
 * warm start. Any change to the binary (an upgrade) changes the file name and probes again.
 */
final class CompilerIdentity {
    private CompilerIdentity() {}

    /** The real path of {@code cmd} (a path, or a name looked up on PATH), or null. */
    static Path resolve(String cmd) {
        try {
            if (cmd.contains("/")) {
                Path p = Path.of(cmd);
                return Files.isExecutable(p) ? p.toRealPath() : null;
            }
            String path = System.getenv("PATH");
            if (path == null) {
                return null;
            }
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, cmd);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p.toRealPath();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable PATH entries: probe the slow way
        }
        return null;
    }

    private static Path file(Path root, Path exe) throws IOException {
        BasicFileAttributes a = Files.readAttributes(exe, BasicFileAttributes.class);
        String key = KernelCache.key(exe.toString(), Long.toString(a.size()), Long.toString(a.lastModifiedTime().toMillis()));
        return root.resolve("compilers").resolve(key.substring(0, 32));
    }

    /** The remembered version line, or null when there is none for this exact binary. */
    static String read(Path exe) {
        return read(KernelCache.root(), exe);
    }

    static void write(Path exe, String version) {
        write(KernelCache.root(), exe, version);
    }

    static String read(Path root, Path exe) {
        try {
            Path f = file(root, exe);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            String s = Files.readString(f, StandardCharsets.UTF_8);
            // written whole by an atomic rename, but an empty or foreign file is not trusted
            return s.startsWith("v1\n") && s.endsWith("\n") && s.length() > 4 ? s.substring(3, s.length() - 1) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void write(Path root, Path exe, String version) {
        try {
            Path f = file(root, exe);
            KernelCache.ensureDirectory(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), "id-", ".tmp");
            Files.writeString(tmp, "v1\n" + version + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // not remembered: the next process probes again
        }
    }
}
