package tsl.ops.shape;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/** numpy.concatenate along {@code axis}; the dtype is the promotion of the inputs. */
public record Join(int axis) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.isEmpty()) {
            throw TslException.valueError("need at least one array to concatenate");
        }
        Variable first = inputs.get(0);
        int ndim = first.ndim();
        if (axis < 0 || axis >= ndim) {
            throw TslException.valueError("Join: axis " + axis + " is out of bounds for inputs of dimension " + ndim);
        }
        int[] shape = first.type().shape();
        DType dtype = first.dtype();
        for (int i = 1; i < inputs.size(); i++) {
            Variable v = inputs.get(i);
            if (v.ndim() != ndim) {
                throw TslException.valueError("Join: all inputs must have the same number of dimensions, got "
                        + first.type() + " and " + v.type());
            }
            dtype = DType.promote(dtype, v.dtype());
            for (int d = 0; d < ndim; d++) {
                int a = shape[d];
                int b = v.type().dim(d);
                if (d == axis) {
                    shape[d] = a == TensorType.UNKNOWN || b == TensorType.UNKNOWN ? TensorType.UNKNOWN : a + b;
                } else if (a == TensorType.UNKNOWN) {
                    shape[d] = b;
                } else if (b != TensorType.UNKNOWN && a != b) {
                    throw TslException.valueError("Join: input dimension " + d + " differs: " + first.type() + " and " + v.type());
                }
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(dtype, shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        int[] shape = in[0].shape();
        int total = 0;
        for (NDArray a : in) {
            int[] s = a.shape();
            for (int d = 0; d < shape.length; d++) {
                if (d != axis && s[d] != shape[d]) {
                    throw TslException.valueError("all the input array dimensions except for the concatenation axis must match"
                            + " exactly, but along dimension " + d + ", the array at index 0 has size " + shape[d]
                            + " and another has size " + s[d] + " (shapes " + Shapes.format(in[0].shape()) + ", " + Shapes.format(s) + ")");
                }
            }
            total += s[axis];
        }
        shape[axis] = total;
        NDArray out = NDArray.zeros(node.output().dtype(), shape);
        int at = 0;
        for (NDArray a : in) {
            int len = a.dim(axis);
            if (len > 0) {
                out.slice(axis, at, len, 1).assign(a);
            }
            at += len;
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        List<Variable> g = new ArrayList<>();
        Variable start = T.constant(0L, DType.INT64);
        for (Variable x : node.inputs()) {
            Variable stop = T.add(start, T.shapeI(x, axis));
            if (x.dtype().isDiscrete()) {
                g.add(null);
            } else {
                Object[] idx = new Object[axis + 1];
                for (int d = 0; d < axis; d++) {
                    idx[d] = T.slice(null, null, null);
                }
                idx[axis] = T.slice(start, stop);
                g.add(T.cast(T.subtensor(gz, idx), x.dtype()));
            }
            start = stop;
        }
        return g;
    }

    @Override
    public String toString() {
        return "Join{axis=" + axis + "}";
    }
}
