package tsl.ops.blas;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * BLAS gemm: {@code beta * Z + alpha * dot(A, B)} for matrices; inputs
 * {@code (Z, alpha, A, B, beta)} with scalar alpha and beta. Introduced by the specialize
 * rewrites from dot and the scaling and accumulation around it.
 */
public record Gemm() implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        return ScaledProduct.makeNode(this, inputs, 2, 2);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        return new NDArray[] {ScaledProduct.perform(this, in)};
    }

    @Override
    public String toString() {
        return "Gemm";
    }
}
