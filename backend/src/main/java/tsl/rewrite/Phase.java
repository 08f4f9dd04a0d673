package tsl.rewrite;

/**
 * The phases of the optimizer, run in this order (Theano's positions 0 … 49). Each phase
 * runs its local rewrites to a fixed point, then merges equal nodes.
 */
public enum Phase {
    /** Put the graph in a normal form: constant folding, algebraic identities, useless ops, static shapes. */
    CANONICALIZE,
    /** Replace numerically fragile expressions by stable ones (softplus, log1p, log_softmax). */
    STABILIZE,
    /** Replace general ops by faster special cases (sqr, sqrt, gemv, gemm). */
    SPECIALIZE,
    /** Fuse elementwise subgraphs into one loop. */
    FUSION,
    /** Let loops write into input buffers no one reads afterwards (Theano's inplace optimizations, position 75). */
    INPLACE;

    /** The tag a user names in optimizer_including / optimizer_excluding. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
