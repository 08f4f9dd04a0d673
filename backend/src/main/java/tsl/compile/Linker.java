package tsl.compile;

import java.util.List;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/** Turns an optimized graph into something that runs: jvm (reference), native, cuda. */
public interface Linker {
    /**
     * @param freeVariables the graph's inputs, shared variables and constants, in the order
     *                      their values will be passed to {@link Program#run}
     */
    Program link(FunctionGraph graph, List<Variable> freeVariables);

    /**
     * Like {@link #link(FunctionGraph, List)}, recording per-node times into {@code profile}
     * where the linker runs nodes one at a time; a linker that runs the graph as one program
     * records nothing per node (the Function still times whole calls).
     */
    default Program link(FunctionGraph graph, List<Variable> freeVariables, ProfileStats profile) {
        return link(graph, freeVariables);
    }

    /** A linked graph. Thread-safe: it keeps no state between runs. */
    interface Program {
        /** Computes the graph's outputs from the free variables' values. */
        tsl.tensor.NDArray[] run(tsl.tensor.NDArray[] freeValues);
    }
}
