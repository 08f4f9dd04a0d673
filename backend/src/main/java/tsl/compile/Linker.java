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

    /** A linked graph. Thread-safe: it keeps no state between runs. */
    interface Program {
        /** Computes the graph's outputs from the free variables' values. */
        tsl.tensor.NDArray[] run(tsl.tensor.NDArray[] freeValues);
    }
}
