package tsl.linker.c;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the malloc'd outputs that Java has adopted and not yet freed, and asks for a garbage
 * collection once much more has been adopted since the last one, as the JDK's direct buffers do
 * ({@code java.nio.Bits.reserveMemory}).
 *
 * <p>Why: an adopted buffer is freed only when its NDArray is collected, and a loop that calls a
 * function on 10^7 elements allocates so little on the Java heap that it goes many calls between
 * collections. Every call's output is then memory the kernel has not handed out recently, and on
 * these virtual machines such a page costs a host fault on top of its zeroing: the chain's 80 MB
 * output made ~57% of its CPU time {@code clear_page} (235 ms of CPU a call, one thread; 117-139 ms
 * with a collection every third call, the collection included). Freed promptly, the next call's
 * output gets the pages the last one released, as NumPy's do.
 */
final class AdoptedMemory {
    /** Adopted bytes between forced collections, and the outstanding bytes below which none is forced. */
    static final long COLLECT_AFTER = 256L << 20;

    /** A forced collection waits at least this many times as long as the last one took. */
    static final long SPACING = 5;

    private static final AtomicLong OUTSTANDING = new AtomicLong();
    private static final AtomicLong SINCE_COLLECTION = new AtomicLong();
    // when the last forced collection ended and how long it took (ns): a host with a large heap, whose
    // full collection takes long, gets them rarely instead of every 256 MiB
    private static volatile long lastEnd;
    private static volatile long lastTook;

    private AdoptedMemory() {}

    /**
     * Java now owns {@code bytes} of malloc'd memory. At most one collection per
     * {@link #COLLECT_AFTER} bytes adopted, and none sooner than {@link #SPACING} times the last
     * one's duration after it ended, so a caller that keeps its results, or a host with a large
     * heap, pays little; none while the ordinary collections keep the outstanding total low.
     */
    static void adopted(long bytes) {
        long outstanding = OUTSTANDING.addAndGet(bytes);
        if (SINCE_COLLECTION.addAndGet(bytes) >= COLLECT_AFTER && outstanding >= COLLECT_AFTER
                && (lastTook == 0 || System.nanoTime() - lastEnd >= SPACING * lastTook)
                && SINCE_COLLECTION.getAndSet(0) >= COLLECT_AFTER) {
            long t0 = System.nanoTime();
            System.gc();
            long t1 = System.nanoTime();
            lastTook = t1 - t0;
            lastEnd = t1;
        }
    }

    /** An adopted buffer was freed (its segment was collected). */
    static void freed(long bytes) {
        OUTSTANDING.addAndGet(-bytes);
    }

    static long outstanding() {
        return OUTSTANDING.get();
    }
}
