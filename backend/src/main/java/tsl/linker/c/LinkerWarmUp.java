package tsl.linker.c;

/**
 * The process-wide setup of the native linker, started on a background thread when the first
 * function() of a process begins, so that it runs while the graph is being rewritten instead
 * of after it. In a new process the first native link spent ~150 ms of its own thread's CPU
 * (seconds of wall time on the loaded 2-core machines) on work that does not depend on the
 * graph: reading the compiler's identity, starting the FFM linker and spinning its downcall
 * stub for the kernels' entry signature, the SHA-256 provider, the libmvec probe, and loading
 * the emitter classes. Each piece is idempotent and thread-safe (class
 * initialisation, or a synchronized first use), so the link thread simply finds it done, or
 * waits for the part in progress; nothing here can change what the link produces.
 */
final class LinkerWarmUp {
    private static volatile boolean started;

    private LinkerWarmUp() {}

    /** Starts the warm-up once per process; returns at once. */
    static void start() {
        if (started) {
            return;
        }
        synchronized (LinkerWarmUp.class) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(LinkerWarmUp::run, "tsl-native-warmup");
        t.setDaemon(true);
        t.start();
    }

    static void run() {
        try {
            Gcc gcc = Gcc.find();
            if (gcc == null) {
                return; // the link falls back to the jvm linker and warns
            }
            KernelCache.key(gcc.identity());
            NativeLibraries.vectorMath(gcc, null);
            // the same descriptor as NativeLibraries.entry: the JDK keeps the generated stub per descriptor
            NativeLibraries.LINKER.downcallHandle(NativeLibraries.ENTRY);
            tsl.compile.GraphKey.warmUp(); // what a program-cache lookup needs first
            Prelude.text();
            Class.forName(Emitters.class.getName(), true, LinkerWarmUp.class.getClassLoader()); // builds every emitter
        } catch (Throwable e) {
            // only a head start: the link does each step again and reports what fails there
        }
    }
}
