package tsl.linker.c;

import tsl.graph.Apply;

/** The C code of one op family. */
interface NodeEmitter {
    /** Whether this node (its op, dtypes and ranks) has C code here. */
    boolean supports(Apply node);

    default Storage storage(Apply node) { return Storage.OWN; }

    default boolean usesBlas(Apply node) { return false; }

    /**
     * Writes the node's code: it sets each output's ndim and shape, allocates it (or points it
     * into its input) and computes it, or leaves through {@link Emit#fail}.
     */
    void emit(Apply node, Emit e);
}
