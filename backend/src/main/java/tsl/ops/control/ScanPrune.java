package tsl.ops.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * Theano's removal of unused scan outputs and inputs: a per-step output that nothing reads,
 * or a state that nothing reads and that no remaining output's step depends on, is no
 * longer computed; a sequence or non-sequence that the remaining step does not read is no
 * longer an input. The gradient of a scan is one backward scan with an output per input of
 * the forward loop; for an RNN trained on W and U, the gradient of the input sequence is one
 * of them, and computing it cost a matrix-vector product per step that nobody asked for.
 */
public final class ScanPrune {
    private ScanPrune() {}

    /** The rewrite: null when nothing changes, else one replacement per output of {@code node}. */
    public static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op)) {
            return null;
        }
        int nStates = op.nStates();
        int nNit = op.nNitSot();
        boolean[] keepNit = new boolean[nNit];
        for (int k = 0; k < nNit; k++) {
            keepNit[k] = !graph.clients(node.outputs().get(nStates + k)).isEmpty();
        }
        boolean[] keepState = new boolean[nStates];
        for (int j = 0; j < nStates; j++) {
            keepState[j] = !graph.clients(node.outputs().get(j)).isEmpty();
        }
        // a state nobody reads stays while a kept output's step (or the until condition) reads its taps
        List<Variable> innerOut = op.inner().outputs();
        boolean grew = true;
        while (grew) {
            grew = false;
            List<Variable> roots = new ArrayList<>();
            for (int j = 0; j < nStates; j++) {
                if (keepState[j]) {
                    roots.add(innerOut.get(j));
                }
            }
            for (int k = 0; k < nNit; k++) {
                if (keepNit[k]) {
                    roots.add(innerOut.get(nStates + k));
                }
            }
            if (op.hasUntil()) {
                roots.add(innerOut.get(nStates + nNit));
            }
            Set<Variable> read = ScanRebuild.reached(roots);
            for (int j = 0; j < nStates; j++) {
                if (!keepState[j]) {
                    for (Variable tap : ScanRebuild.tapInputs(op, j)) {
                        if (read.contains(tap)) {
                            keepState[j] = true;
                            grew = true;
                            break;
                        }
                    }
                }
            }
        }
        ScanRebuild.Result r = ScanRebuild.rebuild(node, keepState, keepNit, List.of());
        if (r == null) {
            return null;
        }
        List<Variable> repl = new ArrayList<>();
        List<Variable> nu = r.node().outputs();
        for (int j = 0; j < nStates; j++) {
            repl.add(r.stateIndex()[j] >= 0 ? nu.get(r.stateIndex()[j]) : node.outputs().get(j));
        }
        for (int k = 0; k < nNit; k++) {
            repl.add(r.nitIndex()[k] >= 0 ? nu.get(r.nitIndex()[k]) : node.outputs().get(nStates + k));
        }
        return repl;
    }
}
