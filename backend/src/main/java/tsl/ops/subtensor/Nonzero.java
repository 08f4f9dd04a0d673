package tsl.ops.subtensor;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The coordinates of the non-zero elements of {@code x}, in C order, as an int64 matrix of
 * shape (x.ndim, count): row d holds the indices along dimension d (numpy.nonzero stacked, as
 * Theano's Nonzero op returns them). The count is known only at run time.
 */
public record Nonzero() implements Op {

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (x.ndim() == 0) {
            throw TslException.valueError("nonzero is not defined for a 0-d input (" + x.type() + "); reshape it to 1-d first");
        }
        return new Apply(this, inputs, List.of(new TensorType(DType.INT64, x.ndim(), TensorType.UNKNOWN)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int nd = x.ndim();
        long n = x.size();
        int count = 0;
        for (long i = 0; i < n; i++) {
            if (x.getDouble(i) != 0) {
                count++;
            }
        }
        NDArray out = NDArray.zeros(DType.INT64, nd, count);
        int[] shape = x.shape();
        int k = 0;
        for (long i = 0; i < n; i++) {
            if (x.getDouble(i) == 0) {
                continue;
            }
            long rest = i;
            for (int d = nd - 1; d >= 0; d--) {
                out.setLong((long) d * count + k, rest % shape[d]);
                rest /= shape[d];
            }
            k++;
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        // integer coordinates: no gradient flows back to x
        return java.util.Collections.singletonList(null);
    }

    @Override
    public String toString() {
        return "Nonzero";
    }
}
