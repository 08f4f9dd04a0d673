package tsl.compile;

import java.util.List;
import java.util.function.Supplier;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * A linker that keeps linked programs across processes under a {@link GraphKey} of the
 * un-optimized graph, so that a warm function() skips the rewrites and code generation.
 */
public interface ProgramStore {
    /**
     * What, beyond the graph and the flags, decides the program this linker makes (compiler
     * version, CPU, compiler flags); null when nothing can be cached now (no compiler).
     */
    String identity();

    /**
     * The stored program of {@code key} and the free variables it takes in order, or null.
     * {@code optimized} gives the optimized graph when the program needs it (to name the node
     * behind an error); it runs the rewrites, so it is called only then.
     */
    Cached lookup(GraphKey key, Supplier<Optimized> optimized);

    /** Offers a program just linked from the graph of {@code key}; one that cannot be stored is ignored. */
    void store(GraphKey key, Linker.Program program, List<Variable> freeOrder);

    record Cached(Linker.Program program, List<Variable> freeOrder) {}

    /** The graph after the rewrites and its free variables in the order the program takes them. */
    record Optimized(FunctionGraph graph, List<Variable> freeOrder) {}
}
