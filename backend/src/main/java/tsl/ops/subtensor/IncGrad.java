package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.ops.T;

/**
 * The gradient of set/inc_subtensor, basic or advanced: x's gradient is gz with the written
 * region zeroed (set) or gz itself (inc); y's is gz read back at the region, summed to y's shape.
 */
final class IncGrad {
    private IncGrad() {}

    /**
     * @param zeroRegion the same kind of op with set=true, to zero the written region of gz
     * @param read       the matching subtensor op, to read the region of gz
     */
    static List<Variable> of(Apply node, Variable gz, boolean set, Op zeroRegion, Op read) {
        Variable x = node.input(0);
        Variable y = node.input(1);
        List<Variable> index = node.inputs().subList(2, node.inputs().size());
        List<Variable> g = new ArrayList<>();
        if (x.dtype().isDiscrete()) {
            g.add(null);
        } else if (set) {
            List<Variable> zeroIn = new ArrayList<>(List.of(gz, T.zerosLike(y)));
            zeroIn.addAll(index);
            g.add(zeroRegion.makeNode(zeroIn).output());
        } else {
            g.add(gz);
        }
        List<Variable> subIn = new ArrayList<>(List.of(gz));
        subIn.addAll(index);
        Variable gy = read.makeNode(subIn).output();
        g.add(y.dtype().isDiscrete() ? null : T.sumToShape(gy, y));
        for (int i = 0; i < index.size(); i++) {
            g.add(null);
        }
        return g;
    }
}
