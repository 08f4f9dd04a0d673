package tsl.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * The program cache's part of function(): the key of the graph before the rewrites, a lookup,
 * and after a miss the offer of the freshly linked program. A hit leaves the graph un-optimized
 * until something asks for the optimized one ({@link #optimized}: debugprint, an error in a
 * native segment), which then runs the same rewrites a miss would have run.
 */
final class CachedCompile {
    /** Functions served from the store in this process (tests tell a hit from a miss by it). */
    static final java.util.concurrent.atomic.AtomicLong HITS = new java.util.concurrent.atomic.AtomicLong();

    private final FunctionGraph graph;
    private final List<Variable> inputs;
    private final String optimizer;
    private final ProgramStore store;
    private final GraphKey key;
    /** The flags function() saw: the deferred rewrites run with these, whatever is set by then. */
    private final Config.Snapshot flags;
    private ProgramStore.Optimized optimized;

    private CachedCompile(FunctionGraph graph, List<Variable> inputs, String optimizer, ProgramStore store, GraphKey key) {
        this.graph = graph;
        this.inputs = inputs;
        this.optimizer = optimizer;
        this.store = store;
        this.key = key;
        this.flags = Config.snapshot();
    }

    /**
     * The cache step of compiling {@code graph} (not yet rewritten) with {@code linker}, or null
     * when this function is not cached: the linker keeps nothing, the graph has no stable key,
     * or the function is profiled (a profile counts the optimized graph's nodes at compile time).
     */
    static CachedCompile start(FunctionGraph graph, List<Variable> inputs, Mode mode, Linker linker, boolean profiled) {
        if (profiled || !(linker instanceof ProgramStore store) || "False".equalsIgnoreCase(Config.get("program_cache"))) {
            return null;
        }
        String identity = store.identity();
        if (identity == null) {
            return null;
        }
        GraphKey key = GraphKey.of(graph, mode.optimizer(), identity);
        return key == null ? null : new CachedCompile(graph, inputs, mode.optimizer(), store, key);
    }

    /** The stored program, or null. */
    ProgramStore.Cached lookup() {
        ProgramStore.Cached hit = store.lookup(key, this::optimized);
        if (hit != null) {
            HITS.incrementAndGet();
        }
        return hit;
    }

    void store(Linker.Program program, List<Variable> freeOrder) {
        store.store(key, program, freeOrder);
    }

    /** The graph after the rewrites (run once, on first request) and its free variables in program order. */
    synchronized ProgramStore.Optimized optimized() {
        if (optimized == null) {
            Set<Variable> free = Config.within(flags, () -> GraphRewriting.optimize(graph, optimizer));
            List<Variable> order = new ArrayList<>(inputs);
            Set<Variable> in = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            in.addAll(inputs);
            for (Variable v : free) {
                if (!in.contains(v)) {
                    order.add(v);
                }
            }
            optimized = new ProgramStore.Optimized(graph, order);
        }
        return optimized;
    }
}
