package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/** Basic indexing {@code x[i, a:b:c, None]}: always a view of x. Inputs: x, then the symbolic bounds. */
public record Subtensor(List<Index> idx) implements Op {

    public Subtensor {
        idx = List.copyOf(idx);
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        BasicIndexing.checkInputs(toString(), idx, inputs, 1, false);
        return new Apply(this, inputs, List.of(BasicIndexing.outputType(idx, inputs, 1)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        return new NDArray[] {BasicIndexing.view(in[0], idx, in, 1)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        List<Variable> incInputs = new ArrayList<>();
        incInputs.add(T.zerosLike(x));
        incInputs.add(outputGrads.get(0));
        incInputs.addAll(node.inputs().subList(1, node.inputs().size()));
        List<Variable> g = new ArrayList<>();
        g.add(x.dtype().isDiscrete() ? null : new IncSubtensor(idx, false).makeNode(incInputs).output());
        for (int i = 1; i < node.inputs().size(); i++) {
            g.add(null);
        }
        return g;
    }

    @Override
    public String toString() {
        return "Subtensor{" + BasicIndexing.format(idx) + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i == 0; // the rest are indices
    }

    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable t = evalPoints.get(0);
        if (t == null) {
            return java.util.Collections.singletonList(null);
        }
        List<Variable> in = new ArrayList<>(node.inputs());
        in.set(0, t);
        return List.of(makeNode(in).output());
    }
}
