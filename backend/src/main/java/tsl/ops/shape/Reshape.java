package tsl.ops.shape;

import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * x with a new shape (at most one -1), a view when x is contiguous. Inputs: x and an integer
 * vector of length {@code ndim}; a constant shape gives a static output shape.
 */
public record Reshape(int ndim) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable shape = inputs.get(1);
        if (shape.ndim() != 1 || !shape.dtype().isInteger()) {
            throw TslException.typeError("Reshape: the shape must be an integer vector, got " + shape.type());
        }
        if (shape.type().dim(0) != TensorType.UNKNOWN && shape.type().dim(0) != ndim) {
            throw TslException.valueError("Reshape: shape has " + shape.type().dim(0) + " entries, expected " + ndim);
        }
        int[] out = new int[ndim];
        Arrays.fill(out, TensorType.UNKNOWN);
        if (shape instanceof Constant c) {
            long[] v = c.value().toLongArray();
            int unknownAt = -1;
            for (int i = 0; i < ndim; i++) {
                if (v[i] == -1) {
                    unknownAt = i;
                } else {
                    out[i] = (int) v[i];
                }
            }
            long size = staticSize(x.type());
            if (size >= 0) {
                try {
                    out = NDArray.resolveShape(Arrays.stream(v).mapToInt(l -> (int) l).toArray(), size);
                } catch (IllegalArgumentException e) {
                    throw TslException.valueError("Reshape: " + e.getMessage());
                }
            } else if (unknownAt >= 0) {
                out[unknownAt] = TensorType.UNKNOWN;
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), out)));
    }

    private static long staticSize(TensorType t) {
        long n = 1;
        for (int d : t.shape()) {
            if (d == TensorType.UNKNOWN) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        long[] v = in[1].toLongArray();
        if (v.length != ndim) {
            throw TslException.valueError("Reshape: shape has " + v.length + " entries, expected " + ndim);
        }
        int[] s = Arrays.stream(v).mapToInt(l -> (int) l).toArray();
        try {
            return new NDArray[] {in[0].reshape(s)};
        } catch (IllegalArgumentException e) {
            throw TslException.valueError("cannot reshape array of size " + in[0].size() + " into shape " + Shapes.format(s));
        }
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        return Arrays.asList(T.reshape(outputGrads.get(0), T.shape(x), x.ndim()), null);
    }

    @Override
    public String toString() {
        return "Reshape{" + ndim + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i == 0; // the new shape
    }

    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable t = evalPoints.get(0);
        return java.util.Collections.singletonList(t == null ? null : makeNode(List.of(t, node.input(1))).output());
    }
}
