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

    /** Computes the outputs from concrete inputs. Must not modify the inputs. */
    NDArray[] perform(Apply node, NDArray[] inputs);

    /**
     * The gradients with respect to each input, given the gradients of the cost with respect to
     * each output ({@code null} for an output the cost does not depend on). An entry of the
     * result is {@code null} when the input is disconnected or not differentiable.
     */
    default List<Variable> grad(Apply node, List<Variable> outputGrads) {
        throw TslException.notSupported("gradient of " + this);
    }
}
