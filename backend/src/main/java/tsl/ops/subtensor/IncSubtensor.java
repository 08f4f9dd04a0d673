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
public record IncSubtensor(List<Index> idx, boolean set) implements Op {

    public IncSubtensor {
        idx = List.copyOf(idx);
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
        NDArray out = in[0].copy();
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
        Variable x = node.input(0);
        Variable y = node.input(1);
        Variable gz = outputGrads.get(0);
        List<Variable> bounds = node.inputs().subList(2, node.inputs().size());
        List<Variable> g = new ArrayList<>();
        if (x.dtype().isDiscrete()) {
            g.add(null);
        } else if (set) {
            List<Variable> zeroIn = new ArrayList<>(List.of(gz, T.zerosLike(y)));
            zeroIn.addAll(bounds);
            g.add(new IncSubtensor(idx, true).makeNode(zeroIn).output());
        } else {
            g.add(gz);
        }
        List<Variable> subIn = new ArrayList<>(List.of(gz));
        subIn.addAll(bounds);
        Variable gy = new Subtensor(idx).makeNode(subIn).output();
        g.add(y.dtype().isDiscrete() ? null : T.sumToShape(gy, y));
        for (int i = 0; i < bounds.size(); i++) {
            g.add(null);
        }
        return g;
    }

    @Override
    public String toString() {
        return (set ? "SetSubtensor{" : "IncSubtensor{") + BasicIndexing.format(idx) + "}";
    }
}
