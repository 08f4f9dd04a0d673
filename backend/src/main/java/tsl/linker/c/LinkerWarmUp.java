package tsl.linker.c;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process-wide setup of the native linker, done on background threads so that it overlaps
 * the script instead of the first function(). Two parts, started separately:
 * <ul>
 * <li>{@link #startLookup}, when the first tensor is built: what a warm function() — a
 * program-cache hit — needs and would otherwise do for the first time itself (see
 * {@link LookupRehearsal}): the compiler's identity, SHA-256, the graph key's code paths, reading
 * a stored program, loading OpenBLAS, FFM's downcall stubs. In a new process the first hit spent
 * ~70 ms of its own CPU on these against ~5-10 ms for the next one.</li>
 * <li>{@link #startCodegen}, when a function is about to be rewritten and compiled (a miss, or a
 * graph the cache does not keep): the libmvec probe, the prelude, the emitter classes. A hit
 * never needs them, and on two cores they only took CPU from it.</li>
 * </ul>
 * Each piece is idempotent and thread-safe (class initialisation, or a synchronized first use),
 * so the thread that links simply finds it done, or waits for the part in progress; nothing here
 * can change what a link produces.
 */
final class LinkerWarmUp {
    private static final AtomicBoolean LOOKUP = new AtomicBoolean();
    private static final AtomicBoolean CODEGEN = new AtomicBoolean();

    private LinkerWarmUp() {}

    /** Starts both parts (once per process each); returns at once. */
    static void start() {
        startLookup();
        startCodegen();
    }

    /** Starts the setup a program-cache hit needs, once per process; returns at once. */
    static void startLookup() {
        if (LOOKUP.compareAndSet(false, true)) {
            background("tsl-native-warmup", LinkerWarmUp::lookup);
        }
    }

    /** Starts the setup that generating and compiling C needs, once per process; returns at once. */
    static void startCodegen() {
        if (CODEGEN.compareAndSet(false, true)) {
            background("tsl-native-warmup-codegen", LinkerWarmUp::codegen);
        }
    }

    private static void background(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Both parts on this thread (tests race it against links). */
    static void run() {
        lookup();
        codegen();
    }

    static void lookup() {
        try {
            Gcc gcc = Gcc.find();
            if (gcc == null) {
                return; // the link falls back to the jvm linker and warns
            }
            KernelCache.key(gcc.identity());
            NativeLibraries.LINKER.downcallHandle(NativeLibraries.ENTRY); // the JDK keeps the generated stub per descriptor
            tsl.compile.GraphKey.warmUp(); // the code identity
            LookupRehearsal.run();
        } catch (Throwable e) {
            // only a head start: the link does each step again and reports what fails there
        }
    }

    static void codegen() {
        try {
            Gcc gcc = Gcc.find();
            if (gcc == null) {
                return;
            }
            NativeLibraries.vectorMath(gcc, null);
            Prelude.text();
            Class.forName(Emitters.class.getName(), true, LinkerWarmUp.class.getClassLoader()); // builds every emitter
        } catch (Throwable e) {
            // only a head start, as above
        }
    }
}
