package tsl.compile;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tsl.graph.Apply;
import tsl.graph.SourceLocation;
import tsl.graph.TslException;

/**
 * Stopping a call from outside while a loop runs. Each thread has a flag that long loops
 * poll: the Java Scan loop every step, the C loops of the native linker every few steps
 * (they read the flag's native memory, since generated C cannot see Java's state and never
 * returns to Java until the loop ends). An embedding layer sets the flag through
 * {@link #cancel} (a Truffle context being cancelled or closed); a plain
 * {@link Thread#interrupt} is honoured too — the Java loop checks it, and for a native call a
 * watcher thread turns it into the flag. A cancelled call throws {@link Cancelled} before any
 * shared variable is updated.
 */
public final class Cancellation {
    private static final ThreadLocal<Cancellation> CURRENT = ThreadLocal.withInitial(Cancellation::new);
    private static final VarHandle FLAG = JAVA_INT.varHandle();
    /** Native calls in flight whose thread may be interrupted: what the watcher looks at. */
    private static final Set<Cancellation> WATCHED = ConcurrentHashMap.newKeySet();
    private static final long WATCH_INTERVAL_MS = 50;
    private static volatile Thread watcher;

    private final Thread thread = Thread.currentThread();
    // native, so that C reads it; freed with this object (the thread-local keeps it while the thread lives)
    private final MemorySegment flag = Arena.ofAuto().allocate(JAVA_INT);

    private Cancellation() {}

    /** The calling thread's flag. */
    public static Cancellation current() {
        return CURRENT.get();
    }

    /** Asks the call running on this flag's thread to stop; safe from any thread. */
    public void cancel() {
        FLAG.setVolatile(flag, 0L, 1);
    }

    /** Forgets a request (after it was answered, or when the embedding layer withdraws it). */
    public void clear() {
        FLAG.setVolatile(flag, 0L, 0);
    }

    /** Whether the call on this thread should stop. */
    public boolean requested() {
        return (int) FLAG.getVolatile(flag, 0L) != 0 || thread.isInterrupted();
    }

    /** The flag's address, for generated code to poll (a 32-bit int, non-zero when cancelled). */
    public long address() {
        return flag.address();
    }

    /** For loops in Java: throws {@link Cancelled} when the calling thread's call should stop. */
    public static void poll() {
        Cancellation c = CURRENT.get();
        if (c.requested()) {
            throw c.cancelled();
        }
    }

    /** The error a stopped call ends with; the request is answered, so the flag is cleared (a thread interrupt is the host's and stays). */
    public Cancelled cancelled() {
        clear();
        return new Cancelled();
    }

    /** While a native call that polls the flag runs: a thread interrupt now reaches it through the watcher. */
    public void watch() {
        WATCHED.add(this);
        if (watcher == null) {
            startWatcher();
        }
    }

    public void unwatch() {
        WATCHED.remove(this);
    }

    private static synchronized void startWatcher() {
        if (watcher != null) {
            return;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(WATCH_INTERVAL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                for (Cancellation c : WATCHED) {
                    if (c.thread.isInterrupted()) {
                        c.cancel();
                    }
                }
            }
        }, "tsl-cancel-watch");
        t.setDaemon(true);
        t.start();
        watcher = t;
    }

    /** A call stopped by {@link #cancel} or a thread interrupt (Python's KeyboardInterrupt). */
    public static final class Cancelled extends TslException {
        Cancelled() {
            super("KeyboardInterrupt", "the call was cancelled", null, null);
        }

        /** A cancellation is not the failure of the node that was running: it passes through unchanged. */
        @Override
        public TslException inNode(Apply node) {
            return this;
        }

        @Override
        public TslException at(SourceLocation loc) {
            return this;
        }
    }
}
