package tsl.linker.c;

import java.util.LinkedHashMap;
import java.util.Map;

import tsl.compile.Config;

/**
 * Where the time of one native link goes ({@code TSL_FLAGS=native_trace=True}): code
 * generation, gcc (only on a cache miss), loading, and so on. One line per compiled function
 * on stderr, so compile-time work can be measured on real programs rather than guessed.
 */
final class CompileTrace {
    private static final ThreadLocal<CompileTrace> CURRENT = new ThreadLocal<>();

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Map<String, Long> cpuNanos = new LinkedHashMap<>();
    private long mark = System.nanoTime();
    private long cpuMark = cpuNow();
    private final long start = mark;
    // CPU time of the linking thread (gcc's own is not in it): on a loaded machine, wall times mislead
    private final long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    private String note = "";

    private static long cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static boolean enabled() {
        String v = Config.get("native_trace");
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
    }

    private static final ThreadLocal<Boolean> QUIET = new ThreadLocal<>();

    /** Starts tracing the link on this thread (a no-op unless enabled). */
    static void begin() {
        CURRENT.set(enabled() && QUIET.get() == null ? new CompileTrace() : null);
    }

    /** No trace on this thread from now on: the warm-up's rehearsed lookup is not a link to report. */
    static void quiet() {
        QUIET.set(Boolean.TRUE);
    }

    /** Charges the time since the last phase to {@code phase}. */
    static void phase(String phase) {
        CompileTrace t = CURRENT.get();
        if (t != null) {
            long now = System.nanoTime();
            long cpu = cpuNow();
            t.nanos.merge(phase, now - t.mark, Long::sum);
            t.cpuNanos.merge(phase, cpu - t.cpuMark, Long::sum);
            t.mark = now;
            t.cpuMark = cpu;
        }
    }

    static void note(String s) {
        CompileTrace t = CURRENT.get();
        if (t != null) {
            t.note += (t.note.isEmpty() ? "" : ", ") + s;
        }
    }

    static void end(String what) {
        CompileTrace t = CURRENT.get();
        if (t == null) {
            return;
        }
        CURRENT.remove();
        StringBuilder sb = new StringBuilder("tsl: native: ").append(what).append(String.format(" %.1f ms:", (System.nanoTime() - t.start) / 1e6));
        // wall ms/this thread's CPU ms: on a loaded machine, the wall time is mostly waiting for a core
        t.nanos.forEach((k, v) -> sb.append(String.format(" %s %.1f/%.1f", k, v / 1e6, t.cpuNanos.get(k) / 1e6)));
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t.cpuStart;
        sb.append(String.format("; this thread's CPU %.1f ms", cpu / 1e6));
        if (!t.note.isEmpty()) {
            sb.append(" (").append(t.note).append(')');
        }
        System.err.println(sb);
    }
}
