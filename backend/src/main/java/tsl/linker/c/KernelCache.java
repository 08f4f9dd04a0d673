package tsl.linker.c;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import tsl.graph.TslException;

/**
 * Compiled kernels on disk, one file per key (a hash of code, compiler identity and flags).
 * Each entry is the shared library followed by a trailer (magic, length, SHA-256 of the
 * library), so a truncated or corrupt file is detected and rebuilt; dlopen ignores bytes after
 * the ELF image. Entries are built in a private temporary directory and renamed into place:
 * concurrent processes may build the same key, and whichever rename lands last wins with an
 * equally valid file. The directory is created 0700, since loading a library from a directory
 * others can write would run their code.
 */
public final class KernelCache {
    private static final byte[] MAGIC = "TSLKERN1".getBytes(StandardCharsets.US_ASCII);
    static final int TRAILER = MAGIC.length + 8 + 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    public KernelCache(Path dir) {
        this.dir = dir;
    }

    /** The cache of this process: {@code TSL_FLAGS=cachedir=...}, else ~/.cache/tsl. */
    public static KernelCache standard() {
        return new KernelCache(root().resolve("kernels"));
    }

    /** The directory under which TSL keeps everything it caches. */
    public static Path root() {
        String flag = tsl.compile.Config.get("cachedir");
        if (flag != null && !flag.isBlank()) {
            return Path.of(flag);
        }
        return userRoot();
    }

    /**
     * The per-user cache directory ({@code $XDG_CACHE_HOME/tsl} or {@code ~/.cache/tsl}),
     * whatever {@code cachedir} says: for what is not compiled and does not depend on it.
     */
    static Path userRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tsl");
    }

    public Path directory() { return dir; }

    /** The SHA-256 of the parts, joined by NUL, in hex: the cache key. */
    public static String key(String... parts) {
        MessageDigest md = sha256();
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The path of a valid library for {@code key}, building it with {@code build} (which must
     * write the library to the path it is given) when the entry is missing or corrupt.
     */
    public Path get(String key, Consumer<Path> build) {
        Path entry = dir.resolve(key + ".so");
        if (isValid(entry)) {
            return entry;
        }
        ensureDirectory(dir);
        Path work;
        try {
            work = Files.createTempDirectory(dir, "build-");
        } catch (IOException e) {
            throw new TslException("RuntimeError", "cannot create a build directory in " + dir + ": " + e.getMessage());
        }
        try {
            Path lib = work.resolve(key + ".so");
            build.accept(lib);
            // the generated source, kept beside the library for reading and debugging
            try (Stream<Path> sources = Files.list(work)) {
                for (Path c : sources.filter(p -> p.toString().endsWith(".c")).toList()) {
                    moveIntoPlace(c, dir.resolve(key + ".c"));
                }
            }
            byte[] image = Files.readAllBytes(lib);
            Files.write(lib, trailer(image), StandardOpenOption.APPEND);
            moveIntoPlace(lib, entry);
            return entry;
        } catch (IOException e) {
            throw new TslException("RuntimeError", "cannot write the kernel cache entry " + entry + ": " + e.getMessage());
        } finally {
            deleteTree(work);
        }
    }

    /** The path of a valid library for {@code key}, or null when there is none (missing or corrupt). */
    public Path existing(String key) {
        Path entry = dir.resolve(key + ".so");
        return isValid(entry) ? entry : null;
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically");
        }
    }

    static byte[] trailer(byte[] image) {
        ByteBuffer b = ByteBuffer.allocate(TRAILER);
        b.put(MAGIC).putLong(image.length).put(sha256().digest(image));
        return b.array();
    }

    /** Whether the entry exists, ends with a trailer that matches its length and its hash. */
    static boolean isValid(Path entry) {
        try {
            if (!Files.isRegularFile(entry)) {
                return false;
            }
            byte[] all = Files.readAllBytes(entry);
            if (all.length < TRAILER) {
                return false;
            }
            int n = all.length - TRAILER;
            byte[] image = Arrays.copyOf(all, n);
            return Arrays.equals(trailer(image), Arrays.copyOfRange(all, n, all.length));
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the directory (and missing parents) readable and writable by the owner only. */
    static void ensureDirectory(Path d) {
        try {
            if (!Files.isDirectory(d)) {
                Path parent = d.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    ensureDirectory(parent);
                }
                try {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (FileAlreadyExistsException e) {
                    // another process made it first
                }
                // the umask may have narrowed what createDirectory set; never widen beyond 0700
                Files.setPosixFilePermissions(d, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new TslException("RuntimeError", "cannot create the cache directory " + d + ": " + e.getMessage());
        }
    }

    /** Removes every entry ({@code tsl --cache-clear}), and the programs stored beside them (they name these kernels). */
    public void clear() {
        deleteTree(ProgramCache.beside(this).directory());
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a concurrent process may be removing it too
                }
            });
        } catch (IOException e) {
            // nothing left to remove
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
