package tsl.ops.nnet;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * softmax over the last axis, or its logarithm ({@code log}), computed after subtracting the
 * row maximum so that large inputs neither overflow nor give NaN. The gradients are written
 * in terms of the outputs, which stay finite.
 */
public record Softmax(boolean log) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (x.ndim() < 1 || !x.dtype().isFloat()) {
            throw TslException.typeError(this + ": expected a float tensor with at least one dimension, got " + x.type());
        }
        return new Apply(this, inputs, List.of(x.type()));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0].contiguous();
        NDArray out = NDArray.zeros(x.dtype(), x.shape());
        int n = x.dim(x.ndim() - 1);
        long rows = n == 0 ? 0 : x.size() / n;
        for (long r = 0; r < rows; r++) {
            long base = r * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x.getDouble(base + j));
            }
            if (Double.isInfinite(max)) {
                max = 0; // all -inf (or a +inf): let the arithmetic give NumPy's answer
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x.getDouble(base + j) - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < n; j++) {
                double shifted = x.getDouble(base + j) - max;
                out.setDouble(base + j, log ? shifted - logSum : Math.exp(shifted) / sum);
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        Variable z = node.output();
        int last = z.ndim() - 1;
        if (log) {
            Variable sm = new Softmax(false).makeNode(node.inputs()).output();
            return List.of(T.sub(gz, T.mul(T.sum(gz, new int[] {last}, true), sm)));
        }
        return List.of(T.mul(T.sub(gz, T.sum(T.mul(gz, z), new int[] {last}, true)), z));
    }

    @Override
    public String toString() {
        return log ? "LogSoftmax" : "Softmax";
    }
}
