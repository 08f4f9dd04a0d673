package tsl.language.jsr223;

import java.util.function.Supplier;

import org.graalvm.polyglot.Engine;

/**
 * The one polyglot Engine every javax.script engine of this class loader shares: contexts made
 * on it are cheap, and a Source parsed in one is reused by the others (the language's code is
 * context-independent).
 */
final class SharedEngine {
    /** Contexts of one engine must agree on host access: one engine without it, one with it. */
    private static final Engine[] ENGINES = new Engine[2];

    private SharedEngine() {}

    static Engine get(boolean hostAccess) {
        int i = hostAccess ? 1 : 0;
        synchronized (ENGINES) {
            if (ENGINES[i] == null) {
                ENGINES[i] = withOwnLoader(() -> Engine.newBuilder("tsl")
                        .option("engine.WarnInterpreterOnly", "false")
                        .build());
            }
            return ENGINES[i];
        }
    }

    /**
     * Truffle finds languages through ServiceLoader with the thread's context class loader. A
     * host that loaded this jar in a child loader (Ant, JMeter) would get "A language with id
     * 'tsl' is not available" unless that loader is ours while the engine and contexts are built.
     */
    static <T> T withOwnLoader(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader prev = t.getContextClassLoader();
        t.setContextClassLoader(SharedEngine.class.getClassLoader());
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(prev);
        }
    }
}
