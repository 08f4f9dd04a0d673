package tsl.ops.random;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Draws a standard sample — uniform on [0, 1) or standard normal — of a given shape from a
 * Philox stream. Inputs: the stream state (an int64 vector {@code [key, counter]}, normally a
 * shared variable) and one int64 scalar per output dimension. Outputs: the next state (the
 * counter advanced by one draw) and the sample. Element {@code i} of draw {@code c} is block
 * {@code (i, c)} of the stream, so the values do not depend on how the loop is run.
 * Scaled distributions (normal(avg, std), uniform(low, high), binomial, choice, permutation)
 * are ordinary graphs on top of these, which also gives them gradients where they have any.
 */
public record RandomVariable(Distribution distribution, DType dtype) implements Op {

    public enum Distribution { UNIFORM, NORMAL }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (!dtype.isFloat()) {
            throw TslException.typeError(this + ": the sample dtype must be float32 or float64, got " + dtype);
        }
        Variable state = inputs.get(0);
        if (state.ndim() != 1 || state.dtype() != DType.INT64) {
            throw TslException.typeError(this + ": the state must be an int64 vector [key, counter], got " + state.type());
        }
        int[] shape = new int[inputs.size() - 1];
        for (int d = 0; d < shape.length; d++) {
            Variable s = inputs.get(d + 1);
            if (s.ndim() != 0 || !s.dtype().isInteger()) {
                throw TslException.typeError(this + ": size entries must be integer scalars, got " + s.type());
            }
            shape[d] = s instanceof Constant c ? (int) c.value().itemLong() : TensorType.UNKNOWN;
            if (s instanceof Constant && shape[d] < 0) {
                throw TslException.valueError(this + ": negative dimensions are not allowed, got size " + shape[d]);
            }
        }
        return new Apply(this, new ArrayList<>(inputs), List.of(state.type(), new TensorType(dtype, shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray state = in[0];
        if (state.size() != 2) {
            throw TslException.valueError(this + ": the state must hold [key, counter], got " + state.size() + " values");
        }
        long key = state.getLong(0);
        long counter = state.getLong(1);
        int[] shape = new int[in.length - 1];
        for (int d = 0; d < shape.length; d++) {
            long n = in[d + 1].itemLong();
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw TslException.valueError(this + ": invalid size " + n);
            }
            shape[d] = (int) n;
        }
        NDArray out = NDArray.zeros(dtype, shape);
        int[] w = new int[4];
        long size = out.size();
        for (long i = 0; i < size; i++) {
            Philox.block(key, i, counter, w);
            out.setDouble(i, sample(w));
        }
        NDArray next = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {key, counter + 1});
        return new NDArray[] {next, out};
    }

    private double sample(int[] w) {
        if (distribution == Distribution.UNIFORM) {
            return dtype == DType.FLOAT32 ? Philox.unitFloat(w[0]) : Philox.unitDouble(w[0], w[1]);
        }
        // our own log and cos, so the C twin gives the same bits (NormalTransform)
        return NormalTransform.standardNormal(w[0], w[1], w[2], w[3]);
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        // a draw does not depend differentiably on the state or the size
        List<Variable> none = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            none.add(null);
        }
        return none;
    }

    @Override
    public String toString() {
        return "RandomVariable{" + distribution.name().toLowerCase() + "," + dtype + "}";
    }
}
