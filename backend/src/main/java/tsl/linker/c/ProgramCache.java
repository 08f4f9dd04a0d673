package tsl.linker.c;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Linked programs on disk, keyed by a hash of the un-optimized graph ({@link tsl.compile.GraphKey}):
 * {@code <cachedir>/programs/<key>.prog}, a {@link ProgramDescription} between a magic header
 * and the SHA-256 of both. A warm function() reads one of these and the kernel it names instead
 * of rewriting the graph and generating C. Written like the kernels: a private temporary file
 * renamed into place, so concurrent processes never see half a file; whatever is unreadable
 * (truncated, corrupt, from another version) reads as absent and is written anew.
 */
final class ProgramCache {
    private static final byte[] MAGIC = "TSLPROG2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int HASH = 32;

    private final Path dir;

    ProgramCache(Path dir) {
        this.dir = dir;
    }

    /** The programs beside the kernels of {@code kernels} (the same cachedir). */
    static ProgramCache beside(KernelCache kernels) {
        return new ProgramCache(kernels.directory().resolveSibling("programs"));
    }

    Path directory() { return dir; }

    Path entry(String key) {
        return dir.resolve(key + ".prog");
    }

    /** The stored description for {@code key}, or null when there is none or it is damaged. */
    ProgramDescription read(String key) {
        byte[] all;
        try {
            all = Files.readAllBytes(entry(key));
        } catch (IOException e) {
            return null;
        }
        int n = all.length - MAGIC.length - HASH;
        if (n < 0 || !Arrays.equals(MAGIC, 0, MAGIC.length, all, 0, MAGIC.length)) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(all, MAGIC.length, MAGIC.length + n);
        if (!Arrays.equals(digest(body), 0, HASH, all, MAGIC.length + n, all.length)) {
            return null;
        }
        try {
            return ProgramDescription.fromBytes(body);
        } catch (IOException | RuntimeException e) {
            return null; // a well-formed file of another layout: rebuilt
        }
    }

    /** Stores {@code d} under {@code key}; a failure to write only costs the next process a compile. */
    void write(String key, ProgramDescription d) {
        byte[] body = d.toBytes();
        try {
            KernelCache.ensureDirectory(dir);
            Path tmp = Files.createTempFile(dir, "prog-", ".tmp");
            try {
                byte[] all = new byte[MAGIC.length + body.length + HASH];
                System.arraycopy(MAGIC, 0, all, 0, MAGIC.length);
                System.arraycopy(body, 0, all, MAGIC.length, body.length);
                System.arraycopy(digest(body), 0, all, MAGIC.length + body.length, HASH);
                Files.write(tmp, all);
                Files.move(tmp, entry(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | tsl.graph.TslException e) {
            // not cached: the next process compiles this graph again
        }
    }

    private static byte[] digest(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
