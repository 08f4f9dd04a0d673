package tsl.ops.shape;

import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** numpy.repeat(x, repeats, axis): repeats is an integer scalar or a vector with one count per element along axis. */
public record Repeat(int axis) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable r = inputs.get(1);
        if (!r.dtype().isInteger() || r.ndim() > 1) {
            throw TslException.typeError("repeat: repeats must be an integer scalar or vector, got " + r.type());
        }
        if (axis < 0 || axis >= x.ndim()) {
            throw TslException.valueError("repeat: axis " + axis + " is out of bounds for " + x.type());
        }
        int[] shape = x.type().shape();
        shape[axis] = TensorType.UNKNOWN;
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int n = x.dim(axis);
        long[] counts = new long[n];
        if (in[1].ndim() == 0) {
            Arrays.fill(counts, in[1].itemLong());
        } else {
            long[] r = in[1].toLongArray();
            if (r.length != n && r.length != 1) {
                throw TslException.valueError("operands could not be broadcast together with shape (" + n + ",) (" + r.length + ",)");
            }
            for (int i = 0; i < n; i++) {
                counts[i] = r.length == 1 ? r[0] : r[i];
            }
        }
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw TslException.valueError("repeats may not contain negative values.");
            }
            if (c > Integer.MAX_VALUE - total) {
                // a dimension is an int: a longer axis (or a long sum that wraps) cannot be allocated
                throw new TslException("MemoryError", "repeat: the result would have more than " + Integer.MAX_VALUE
                        + " elements along axis " + axis);
            }
            total += c;
        }
        int[] shape = x.shape();
        shape[axis] = (int) total;
        NDArray out = NDArray.zeros(x.dtype(), shape);
        int at = 0;
        for (int i = 0; i < n; i++) {
            NDArray src = x.slice(axis, i, 1, 1);
            for (long c = 0; c < counts[i]; c++) {
                out.slice(axis, at++, 1, 1).assign(src);
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        if (x.dtype().isDiscrete()) {
            return Arrays.asList(null, null);
        }
        // each output position came from one input position: scatter-add the gradient back
        Variable source = T.repeat(T.arange(T.shapeI(x, axis), DType.INT64), node.input(1), 0);
        Variable gx = T.incSubtensor(T.take(T.zerosLike(x), source, axis), outputGrads.get(0));
        return Arrays.asList(gx, null);
    }

    @Override
    public String toString() {
        return "Repeat{axis=" + axis + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i == 0; // the repeat counts
    }
}
