package tsl.compile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import tsl.graph.Apply;

/**
 * What {@code function(..., profile=True)} measures: calls and their time, the time of each
 * node (when the linker runs nodes one at a time), and the compile-time breakdown. The
 * summary is laid out like Theano's profiler so that its readers find their way around.
 * Counters are thread-safe: a profiled function may be called from several threads.
 */
public final class ProfileStats {
    private final String name;
    private final LongAdder calls = new LongAdder();
    private final LongAdder callNanos = new LongAdder();
    private final Map<Apply, NodeStats> nodes = new LinkedHashMap<>();
    private final AtomicLong rewriteNanos = new AtomicLong();
    private final AtomicLong linkNanos = new AtomicLong();
    private volatile int nodeCount;

    /** One node's counters. */
    public static final class NodeStats {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();

        public void add(long ns) {
            calls.increment();
            nanos.add(ns);
        }
    }

    public ProfileStats(String name) {
        this.name = name;
    }

    /** The counters of {@code node}; linkers call this once per node at link time. */
    public synchronized NodeStats node(Apply node) {
        return nodes.computeIfAbsent(node, n -> new NodeStats());
    }

    void recordCall(long ns) {
        calls.increment();
        callNanos.add(ns);
    }

    void recordCompile(long rewriteNs, long linkNs, int nodeCount) {
        rewriteNanos.set(rewriteNs);
        linkNanos.set(linkNs);
        this.nodeCount = nodeCount;
    }

    public long calls() {
        return calls.sum();
    }

    /** Theano's {@code ProfileStats.summary()} layout: totals, then per op class, per op and per node. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder();
        long n = calls.sum();
        double total = callNanos.sum() / 1e9;
        double thunks = 0;
        for (NodeStats s : nodes.values()) {
            thunks += s.nanos.sum() / 1e9;
        }
        sb.append("Function profiling\n==================\n");
        sb.append("  Message: ").append(name == null ? "<function>" : name).append('\n');
        sb.append(f("  Time in %d calls to Function.__call__: %es\n", n, total));
        if (n > 0 && total > 0) {
            sb.append(f("  Time in thunks: %es (%.3f%%)\n", thunks, 100 * thunks / total));
        }
        sb.append(f("  Total compile time: %es\n", (rewriteNanos.get() + linkNanos.get()) / 1e9));
        sb.append(f("    Number of Apply nodes: %d\n", nodeCount));
        sb.append(f("    Optimizer time: %es\n", rewriteNanos.get() / 1e9));
        sb.append(f("    Linker time (includes C code generation and compiling): %es\n", linkNanos.get() / 1e9));
        if (nodes.isEmpty()) {
            sb.append("\n  No per-node times: this linker runs the graph as one program.\n");
            return sb.toString();
        }
        table(sb, "Class", "Class name", s -> s.op().getClass().getName(), thunks);
        table(sb, "Ops", "Op name", s -> s.op().toString(), thunks);
        sb.append("\nApply\n------\n");
        sb.append("<% time> <sum %> <apply time> <time per call> <#call> <id> <Apply name>\n");
        List<Map.Entry<Apply, NodeStats>> rows = new ArrayList<>(nodes.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<Apply, NodeStats> e) -> e.getValue().nanos.sum()).reversed());
        List<Apply> order = new ArrayList<>(nodes.keySet());
        double cum = 0;
        for (Map.Entry<Apply, NodeStats> e : rows) {
            double t = e.getValue().nanos.sum() / 1e9;
            long c = e.getValue().calls.sum();
            double pct = thunks > 0 ? 100 * t / thunks : 0;
            cum += pct;
            sb.append(f("  %5.1f%%   %5.1f%%      %.3fs       %.2es   %6d  %3d   %s\n", pct, cum, t, c > 0 ? t / c : 0.0, c,
                    order.indexOf(e.getKey()), e.getKey()));
        }
        return sb.toString();
    }

    private void table(StringBuilder sb, String title, String column, java.util.function.Function<Apply, String> key, double thunks) {
        Map<String, double[]> groups = new LinkedHashMap<>();   // time, calls, applies
        for (Map.Entry<Apply, NodeStats> e : nodes.entrySet()) {
            double[] g = groups.computeIfAbsent(key.apply(e.getKey()), k -> new double[3]);
            g[0] += e.getValue().nanos.sum() / 1e9;
            g[1] += e.getValue().calls.sum();
            g[2] += 1;
        }
        sb.append('\n').append(title).append('\n').append("-".repeat(title.length())).append('\n');
        sb.append("<% time> <sum %> <apply time> <time per call> <#call> <#apply> <").append(column).append(">\n");
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(groups.entrySet());
        rows.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed());
        double cum = 0;
        for (Map.Entry<String, double[]> e : rows) {
            double[] g = e.getValue();
            double pct = thunks > 0 ? 100 * g[0] / thunks : 0;
            cum += pct;
            sb.append(f("  %5.1f%%   %5.1f%%      %.3fs       %.2es   %6d   %4d   %s\n", pct, cum, g[0], g[1] > 0 ? g[0] / g[1] : 0.0,
                    (long) g[1], (long) g[2], e.getKey()));
        }
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
