package tsl.ops.shape;

import java.util.ArrayList;
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

/** A new array of the given shape filled with {@code value} broadcast to it (Theano's alloc). Inputs: value, then one integer scalar per dimension. */
public record Alloc() implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable value = inputs.get(0);
        int ndim = inputs.size() - 1;
        if (value.ndim() > ndim) {
            throw TslException.valueError("alloc: the value " + value.type() + " has more dimensions than the requested shape (" + ndim + ")");
        }
        int[] shape = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            Variable d = inputs.get(i + 1);
            if (d.ndim() != 0 || !d.dtype().isInteger()) {
                throw TslException.typeError("alloc: shape entries must be integer scalars, got " + d.type());
            }
            shape[i] = d instanceof Constant c ? (int) c.value().itemLong() : TensorType.UNKNOWN;
        }
        return new Apply(this, inputs, List.of(new TensorType(value.dtype(), shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        long[] dims = new long[in.length - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = in[i + 1].itemLong();
            if (dims[i] < 0) {
                throw TslException.valueError("negative dimensions are not allowed");
            }
        }
        int[] shape = NDArray.shapeOf(in[0].dtype(), dims);
        NDArray out = NDArray.zeros(in[0].dtype(), shape);
        try {
            out.assign(in[0]);
        } catch (IllegalArgumentException e) {
            throw TslException.valueError("alloc: could not broadcast value of shape " + Shapes.format(in[0].shape())
                    + " to shape " + Shapes.format(shape));
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable value = node.input(0);
        List<Variable> g = new ArrayList<>();
        g.add(value.dtype().isDiscrete() ? null : T.sumToShape(outputGrads.get(0), value));
        for (int i = 1; i < node.inputs().size(); i++) {
            g.add(null);
        }
        return g;
    }

    @Override
    public String toString() {
        return "Alloc";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i == 0; // the rest are lengths
    }
}
