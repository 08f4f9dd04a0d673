package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/** {@code x[idx]} where idx holds integer or boolean arrays: a gather into a new array. Inputs: x, then the index inputs. */
public record AdvancedSubtensor(List<Index> idx) implements Op {

    public AdvancedSubtensor {
        idx = List.copyOf(idx);
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        BasicIndexing.checkInputs(toString(), idx, inputs, 1, true);
        return new Apply(this, inputs, List.of(AdvancedIndexing.outputType(idx, inputs, 1)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        AdvancedIndexing.Plan plan = AdvancedIndexing.plan(x.shape(), idx, in, 1);
        NDArray out = NDArray.zeros(x.dtype(), plan.shape());
        NDArray src = x.contiguous();
        long[] source = plan.source();
        if (x.dtype().isFloat()) {
            for (int k = 0; k < source.length; k++) {
                out.setDouble(k, src.getDouble(source[k]));
            }
        } else {
            for (int k = 0; k < source.length; k++) {
                out.setLong(k, src.getLong(source[k]));
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        List<Variable> incInputs = new ArrayList<>(List.of(T.zerosLike(x), outputGrads.get(0)));
        incInputs.addAll(node.inputs().subList(1, node.inputs().size()));
        List<Variable> g = new ArrayList<>();
        g.add(x.dtype().isDiscrete() ? null : new AdvancedIncSubtensor(idx, false).makeNode(incInputs).output());
        for (int i = 1; i < node.inputs().size(); i++) {
            g.add(null);
        }
        return g;
    }

    @Override
    public String toString() {
        return "AdvancedSubtensor{" + BasicIndexing.format(idx) + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return i == 0; // the rest are indices
    }
}
