package tsl.ops.shape;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Cumulative sum or product along {@code axis} (numpy.cumsum / cumprod); {@code reverse}
 * accumulates from the end, which is what the gradient of the forward one needs.
 * Integers accumulate in int64, as Theano's CumOp does for sums.
 */
public record CumOp(int axis, boolean product, boolean reverse) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (axis < 0 || axis >= x.ndim()) {
            throw TslException.valueError(this + ": axis " + axis + " is out of bounds for " + x.type());
        }
        DType d = x.dtype().isFloat() ? x.dtype() : DType.INT64;
        return new Apply(this, inputs, List.of(x.type().withDtype(d)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] shape = x.shape();
        NDArray out = NDArray.zeros(node.output().dtype(), shape);
        int n = shape[axis];
        long[] strides = NDArray.contiguousStrides(shape);
        long lines = n == 0 ? 0 : x.size() / n;
        boolean integral = !out.dtype().isFloat();
        for (long line = 0; line < lines; line++) {
            long base = 0;
            long rest = line;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (d != axis) {
                    base += (rest % shape[d]) * strides[d];
                    rest /= shape[d];
                }
            }
            double acc = product ? 1 : 0;
            long iacc = product ? 1 : 0;
            for (int j = 0; j < n; j++) {
                long p = base + (reverse ? n - 1 - j : j) * strides[axis];
                if (integral) {
                    iacc = product ? iacc * x.getLong(p) : iacc + x.getLong(p);
                    out.setLong(p, iacc);
                } else {
                    acc = product ? acc * x.getDouble(p) : acc + x.getDouble(p);
                    out.setDouble(p, acc);
                }
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        if (x.dtype().isDiscrete()) {
            return java.util.Collections.singletonList(null);
        }
        Variable gz = outputGrads.get(0);
        CumOp backward = new CumOp(axis, false, !reverse);
        if (!product) {
            return List.of(backward.makeNode(List.of(gz)).output());
        }
        // d/dx_i of prod_{j<=i} x_j: sum over later outputs of gz_k * out_k / x_i (as Theano; undefined at x = 0)
        Variable acc = backward.makeNode(List.of(T.mul(gz, node.output()))).output();
        return List.of(T.trueDiv(acc, x));
    }

    @Override
    public String toString() {
        return (product ? "CumProd" : "CumSum") + "{axis=" + axis + (reverse ? ", reverse" : "") + "}";
    }
}
