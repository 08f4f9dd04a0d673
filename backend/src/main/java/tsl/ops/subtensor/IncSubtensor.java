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
 * A copy of x with {@code x[idx]} replaced by y ({@code set}) or incremented by y (Theano's
 * set_subtensor / inc_subtensor with basic indices). y broadcasts to the indexed region.
 * Inputs: x, y, then the symbolic bounds.
 */
public record IncSubtensor(List<Index> idx, boolean set, boolean inplace) implements Op {

    public IncSubtensor {
        idx = List.copyOf(idx);
    }

    public IncSubtensor(List<Index> idx, boolean set) {
        this(idx, set, false);
    }

    /** The same op writing into x's buffer (Theano's inplace=True): only the optimizer builds it, on an x no one else reads. */
    public IncSubtensor withInplace() {
        return new IncSubtensor(idx, set, true);
    }

    @Override
    public java.util.Map<Integer, Integer> destroyMap() {
        return inplace ? java.util.Map.of(0, 0) : java.util.Map.of();
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        List<Variable> forX = new ArrayList<>(inputs);
        Variable y = forX.remove(1);
        BasicIndexing.checkInputs(toString(), idx, forX, 1, false);
        var region = BasicIndexing.outputType(idx, forX, 1);
        checkBroadcastable(this, y, region.ndim());
        return new Apply(this, inputs, List.of(inputs.get(0).type()));
    }

    static void checkBroadcastable(Op op, Variable y, int regionNdim) {
        if (y.ndim() > regionNdim) {
            throw TslException.valueError(op + ": cannot assign a value with " + y.ndim() + " dimensions ("
                    + y.type() + ") to a region with " + regionNdim);
        }
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray out = inplace ? in[0] : in[0].copy();
        NDArray[] rest = new NDArray[in.length - 1];
        rest[0] = out;
        System.arraycopy(in, 2, rest, 1, in.length - 2);
        NDArray region = BasicIndexing.view(out, idx, rest, 1);
        NDArray y;
        try {
            y = in[1].broadcastTo(region.shape());
        } catch (IllegalArgumentException e) {
            throw TslException.valueError("could not broadcast input array from shape " + Shapes.format(in[1].shape())
                    + " into shape " + Shapes.format(region.shape()));
        }
        Accumulate.into(region, y, set);
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return IncGrad.of(node, outputGrads.get(0), set, new IncSubtensor(idx, true), new Subtensor(idx));
    }

    @Override
    public String toString() {
        return (set ? "SetSubtensor{" : "IncSubtensor{") + BasicIndexing.format(idx) + (inplace ? ";inplace" : "") + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i < 2; // the rest are indices
    }
}
