package tsl.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Native memory for tiny arrays (0-d scalars, short vectors) carved out of shared chunks.
 * An {@code Arena.ofAuto()} per array costs a Cleaner registration, a reference-queue round
 * trip and a malloc/free — several microseconds, which dominated the call of a compiled
 * function on scalars. A chunk is one auto arena; every slice keeps it alive, and it is
 * freed once no slice is reachable. Slices are never handed out twice, and a fresh chunk is
 * zeroed, so every slice starts as zeros, like {@code Arena.allocate}.
 *
 * <p>Safe from any number of threads: the bump pointer advances by compare-and-set.
 */
public final class SmallAllocations {
    /** Requests up to this many bytes come from a chunk; larger ones get their own arena. */
    public static final long MAX_BYTES = 64;
    private static final long ALIGN = 16;
    // small enough that one long-lived scalar pins little, large enough to amortize the arena
    private static final long CHUNK_BYTES = 4096;

    private static final class Chunk {
        final MemorySegment memory = Arena.ofAuto().allocate(CHUNK_BYTES, ALIGN);
        final java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong();
    }

    private static final AtomicReference<Chunk> current = new AtomicReference<>(new Chunk());

    private SmallAllocations() {}

    /** A zeroed, 16-byte aligned native segment of exactly {@code bytes} (1 to {@link #MAX_BYTES}). */
    public static MemorySegment allocate(long bytes) {
        if (bytes <= 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("small allocation of " + bytes + " bytes");
        }
        long rounded = (bytes + ALIGN - 1) & -ALIGN;
        while (true) {
            Chunk c = current.get();
            long at = c.used.getAndAdd(rounded);
            if (at + rounded <= CHUNK_BYTES) {
                return c.memory.asSlice(at, bytes);
            }
            // full: install a fresh chunk (losing the race just means using the winner's)
            if (current.get() == c) {
                current.compareAndSet(c, new Chunk());
            }
        }
    }
}
