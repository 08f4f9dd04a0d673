package tsl.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.shape.Alloc;
import tsl.tensor.NDArray;

/**
 * Constant folding: a node whose inputs are all constants is computed now, with the op's
 * Java {@code perform}, and replaced by the result. Big allocations are left alone (they
 * would sit in memory as constants), and a node that fails is left for run time, where
 * its error carries the script line.
 */
final class ConstantFolding {
    private static final long MAX_ELEMENTS = 1 << 16;

    private ConstantFolding() {}

    static void register(RewriteDB db) {
        db.register(new Rewrite("constant_folding", Set.of(Phase.CANONICALIZE, Phase.STABILIZE, Phase.SPECIALIZE),
                Set.of(RewriteDB.FAST_RUN, RewriteDB.FAST_COMPILE), null, ConstantFolding::fold));
    }

    static List<Variable> fold(FunctionGraph g, Apply node) {
        if (node.inputs().isEmpty() || node.op() instanceof Alloc) {
            return null;
        }
        NDArray[] in = new NDArray[node.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            if (!(node.input(i) instanceof Constant c)) {
                return null;
            }
            in[i] = c.value();
        }
        NDArray[] out;
        try {
            out = node.op().perform(node, in);
        } catch (TslException e) {
            return null;
        }
        List<Variable> repl = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            NDArray v = out[i];
            Variable old = node.outputs().get(i);
            if (v.size() > MAX_ELEMENTS) {
                return null;
            }
            if (v.dtype() != old.dtype()) {
                v = v.astype(old.dtype());
            }
            // a private contiguous copy: the value must not alias an input constant's buffer
            v = v.copy();
            TensorType t = new TensorType(v.dtype(), v.shape());
            repl.add(new Constant(t, v, null));
        }
        return repl;
    }
}
