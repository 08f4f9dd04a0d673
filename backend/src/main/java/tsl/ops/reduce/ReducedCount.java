package tsl.ops.reduce;

import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The number of elements a reduction over {@code axes} (all when null) combines: an int64 scalar
 * read from the input's shape. With several inputs (of one rank) it reads the shape they
 * broadcast to: the shape rewrites replace the count of an elementwise result by the count of
 * its inputs, so the result itself need not exist first.
 */
public record ReducedCount(int[] axes) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Reduce.reducedAxes("ReducedCount", axes, inputs.get(0).ndim()); // the axes must exist, or the count would be wrong
        return new Apply(this, inputs, List.of(new TensorType(DType.INT64)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        int[] shape = in[0].shape();
        for (int i = 1; i < in.length; i++) {
            try {
                shape = tsl.tensor.Shapes.broadcast(shape, in[i].shape());
            } catch (IllegalArgumentException e) {
                throw tsl.graph.TslException.valueError("Input dimension mismatch: shapes " + tsl.tensor.Shapes.format(shape)
                        + " and " + tsl.tensor.Shapes.format(in[i].shape()) + " cannot be broadcast together");
            }
        }
        boolean[] reduced = new Reduce(Reduce.Kind.SUM, axes).reducedAxes(shape.length);
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                n *= shape[d];
            }
        }
        return new NDArray[] {NDArray.scalar(n, DType.INT64)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return java.util.Collections.singletonList(null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReducedCount r && Arrays.equals(r.axes, axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes);
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return false; // only the shape of x is read
    }
}
