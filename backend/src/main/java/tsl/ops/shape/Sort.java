package tsl.ops.shape;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * numpy.sort / numpy.argsort along {@code axis} (stable, NaN last). argsort gives int64 indices;
 * the gradient of sort scatters back through those indices.
 */
public record Sort(int axis, boolean arg) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (axis < 0 || axis >= x.ndim()) {
            throw TslException.valueError((arg ? "argsort" : "sort") + ": axis " + axis + " is out of bounds for " + x.type());
        }
        TensorType t = arg ? x.type().withDtype(DType.INT64) : x.type();
        return new Apply(this, inputs, List.of(t));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] shape = x.shape();
        NDArray out = NDArray.zeros(node.output().dtype(), shape);
        int n = shape[axis];
        long[] strides = NDArray.contiguousStrides(shape);
        long lines = n == 0 ? 0 : x.size() / n;
        NDArray xc = x.contiguous();
        Comparator<Integer> byValue;
        for (long line = 0; line < lines; line++) {
            long base = lineStart(line, shape, strides);
            long step = strides[axis];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (x.dtype().isFloat()) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = xc.getDouble(base + i * step);
                }
                byValue = (a, b) -> compare(v[a], v[b]);
            } else {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = xc.getLong(base + i * step);
                }
                byValue = (a, b) -> Long.compare(v[a], v[b]);
            }
            Arrays.sort(order, byValue); // stable
            for (int i = 0; i < n; i++) {
                long dst = base + i * step;
                if (arg) {
                    out.setLong(dst, order[i]);
                } else if (x.dtype().isFloat()) {
                    out.setDouble(dst, xc.getDouble(base + order[i] * step));
                } else {
                    out.setLong(dst, xc.getLong(base + order[i] * step));
                }
            }
        }
        return new NDArray[] {out};
    }

    /**
     * NumPy's order for floats: NaN last (all NaNs alike), and -0.0 equal to 0.0, so a stable sort
     * keeps them in input order (Double.compare would put -0.0 first).
     */
    static int compare(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** The C-order position of element 0 of the {@code line}-th 1-d line along axis. */
    private long lineStart(long line, int[] shape, long[] strides) {
        long pos = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (d == axis) {
                continue;
            }
            pos += (line % shape[d]) * strides[d];
            line /= shape[d];
        }
        return pos;
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        if (arg || x.dtype().isDiscrete()) {
            return Collections.singletonList(null);
        }
        Variable order = T.argsort(x, axis);
        Object[] idx = T.alongAxisIndex(x, order, axis);
        return List.of(T.incSubtensor(T.subtensor(T.zerosLike(x), idx), outputGrads.get(0)));
    }

    @Override
    public String toString() {
        return (arg ? "ArgSort" : "Sort") + "{axis=" + axis + "}";
    }
}
