package tsl.ops.control;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;

/**
 * Theano's scan_save_mem, for the common case: a recurrent output that the function only
 * reads through {@code out[-1]} (a final state, and every gradient sum that backpropagation
 * through time carries) need not keep its whole history. The node becomes a {@link Scan}
 * that keeps only the last row of such outputs; {@code out[-1]} reads the same value. The
 * native backend then keeps the state in a ring buffer of (taps' depth + 1) rows instead of
 * writing n rows, which for the W-sized gradient sums of an RNN is most of the memory traffic.
 */
public final class ScanSaveMem {
    private ScanSaveMem() {}

    /** The rewrite: null when nothing changes, else one replacement per output of {@code node}. */
    public static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op)) {
            return null;
        }
        boolean[] last = new boolean[op.nStates()];
        boolean any = false;
        for (int j = 0; j < last.length; j++) {
            last[j] = op.lastOnly(j) || onlyLastRowRead(graph, node.outputs().get(j));
            any |= last[j] && !op.lastOnly(j);
        }
        if (!any) {
            return null;
        }
        tsl.graph.SourceLocation prev = tsl.graph.SourceLocation.enter(node.location());
        try {
            return new ArrayList<>(op.keepingLast(last).makeNode(node.inputs()).outputs());
        } finally {
            tsl.graph.SourceLocation.exit(prev);
        }
    }

    private static boolean onlyLastRowRead(FunctionGraph graph, Variable out) {
        List<FunctionGraph.Client> cs = graph.clients(out);
        if (cs.isEmpty()) {
            return false;
        }
        for (FunctionGraph.Client c : cs) {
            if (c.node() == null || c.index() != 0 || !(c.node().op() instanceof Subtensor s) || s.idx().isEmpty()
                    || !(s.idx().get(0) instanceof Index.Point p) || p.at().symbolic() || p.at().value() == null
                    || p.at().value() != -1) {
                return false;
            }
        }
        return true;
    }
}
