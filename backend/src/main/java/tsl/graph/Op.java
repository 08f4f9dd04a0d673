package tsl.graph;

import java.util.List;

import tsl.tensor.NDArray;

/**
 * An operation of the graph. Each op answers, in one class: {@link #makeNode} (checks the
 * inputs and infers output types, static shapes included), {@link #perform} (the Java
 * reference used by the jvm linker, constant folding and DebugMode) and {@link #grad}
 * (reverse mode). Ops are values: two equal ops applied to the same inputs compute the same
 * thing, which is what merging relies on.
 */
public interface Op {
    /** Builds an Apply node, or throws a {@link TslException} naming the op and the bad input. */
    Apply makeNode(List<Variable> inputs);

    /** Computes the outputs from concrete inputs. Must not modify the inputs, except those its {@link #destroyMap} names. */
    NDArray[] perform(Apply node, NDArray[] inputs);

    /**
     * The gradients with respect to each input, given the gradients of the cost with respect to
     * each output ({@code null} for an output the cost does not depend on). An entry of the
     * result is {@code null} when the input is disconnected or not differentiable.
     */
    default List<Variable> grad(Apply node, List<Variable> outputGrads) {
        throw TslException.notSupported("gradient of " + this);
    }

    /**
     * Whether a gradient can flow from the outputs to input {@code i} (Theano's connection_pattern).
     * False for inputs the outputs depend on only through their shape or as indices: the cost is
     * then disconnected from them, not merely of zero slope.
     */
    default boolean gradConnected(Apply node, int i) {
        return true;
    }

    /**
     * Forward mode (Theano's R-op): the directional derivatives of the outputs given a tangent
     * for each input ({@code null} where the tangent is zero); {@code null} entries in the result
     * are zero tangents. Ops without one make {@code Rop} fall back to two reverse passes.
     */
    default List<Variable> rop(Apply node, List<Variable> evalPoints) {
        throw TslException.notSupported("R-op of " + this);
    }

    /**
     * Theano's destroy_map: output index → the input index whose buffer that output is written
     * into. Empty for ops that allocate their outputs. Only the optimizer's in-place pass builds
     * such ops, and only on inputs no one else reads afterwards; a linker that ignores the map
     * (and allocates) stays correct.
     */
    default java.util.Map<Integer, Integer> destroyMap() {
        return java.util.Map.of();
    }
}
