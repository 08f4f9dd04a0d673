package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * A copy of x with {@code x[idx]} set to y or incremented by y, for array indices. Increments at
 * repeated indices accumulate (numpy.add.at, Theano's inc_subtensor); with set the last write
 * wins. Inputs: x, y, then the index inputs.
 */
public record AdvancedIncSubtensor(List<Index> idx, boolean set) implements Op {

    public AdvancedIncSubtensor {
        idx = List.copyOf(idx);
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        List<Variable> forX = new ArrayList<>(inputs);
        Variable y = forX.remove(1);
        BasicIndexing.checkInputs(toString(), idx, forX, 1, true);
        IncSubtensor.checkBroadcastable(this, y, AdvancedIndexing.outputType(idx, forX, 1).ndim());
        return new Apply(this, inputs, List.of(inputs.get(0).type()));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray out = in[0].copy();
        NDArray[] rest = new NDArray[in.length - 1];
        rest[0] = out;
        System.arraycopy(in, 2, rest, 1, in.length - 2);
        AdvancedIndexing.Plan plan = AdvancedIndexing.plan(out.shape(), idx, rest, 1);
        NDArray y;
        try {
            y = in[1].broadcastTo(plan.shape());
        } catch (IllegalArgumentException e) {
            throw TslException.valueError("shape mismatch: value array of shape " + Shapes.format(in[1].shape())
                    + " could not be broadcast to indexing result of shape " + Shapes.format(plan.shape()));
        }
        boolean integral = !out.dtype().isFloat();
        long[] source = plan.source();
        for (int k = 0; k < source.length; k++) {
            Accumulate.put(out, source[k], y, k, set, integral);
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return IncGrad.of(node, outputGrads.get(0), set, new AdvancedIncSubtensor(idx, true), new AdvancedSubtensor(idx));
    }

    @Override
    public String toString() {
        return (set ? "AdvancedSetSubtensor{" : "AdvancedIncSubtensor{") + BasicIndexing.format(idx) + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i < 2; // the rest are indices
    }
}
