package tsl.ops.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.Variable;

/**
 * Theano's scan_pushout_non_seqs: what the step computes from non-sequences and constants
 * alone is the same at every step, so it is computed once, before the loop, and enters the
 * step as a new non-sequence. Random draws are never moved (each step must draw afresh), nor
 * are control ops (their laziness is the point). The optimized step of an RNN builds the
 * zero vector a gemv starts from with Alloc(0, U.shape[0]); out of the loop, it is allocated
 * once per call, and the step is left with what has C code.
 */
public final class ScanHoist {
    private ScanHoist() {}

    /** The rewrite: null when nothing changes, else one replacement per output of {@code node}. */
    public static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op)) {
            return null;
        }
        InnerGraph inner = op.inner();
        List<Variable> innerIn = inner.inputs();
        int firstNonSeq = innerIn.size() - op.nNonSeqs();
        Set<Variable> invariant = Collections.newSetFromMap(new IdentityHashMap<>());
        invariant.addAll(innerIn.subList(firstNonSeq, innerIn.size()));
        List<Apply> order = inner.graph().toposort();
        for (Apply a : order) {
            if (!movable(a)) {
                continue;
            }
            boolean all = true;
            for (Variable in : a.inputs()) {
                all &= in instanceof Constant || invariant.contains(in);
            }
            if (all) {
                invariant.addAll(a.outputs());
            }
        }
        // the frontier: computed invariant values that a varying node (or the step's result) reads
        Set<Variable> hoist = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Variable> frontier = new ArrayList<>();
        for (Apply a : order) {
            if (invariant.contains(a.outputs().get(0))) {
                continue;
            }
            for (Variable in : a.inputs()) {
                if (in.owner() != null && invariant.contains(in) && hoist.add(in)) {
                    frontier.add(in);
                }
            }
        }
        for (Variable o : inner.outputs()) {
            if (o.owner() != null && invariant.contains(o) && hoist.add(o)) {
                frontier.add(o);
            }
        }
        if (frontier.isEmpty()) {
            return null;
        }
        for (Apply a : order) {
            for (int destroyed : a.op().destroyMap().values()) {
                if (hoist.contains(a.input(destroyed))) {
                    return null; // a step that overwrites the value needs its own copy each step
                }
            }
        }
        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            // the hoisted values over the node's own inputs
            List<Variable> outerNonSeqs = node.inputs().subList(node.inputs().size() - op.nNonSeqs(), node.inputs().size());
            Map<Variable, Variable> givens = new IdentityHashMap<>();
            for (int i = 0; i < op.nNonSeqs(); i++) {
                givens.put(innerIn.get(firstNonSeq + i), outerNonSeqs.get(i));
            }
            List<Variable> outerValues = FunctionGraph.clone(new ArrayList<>(outerNonSeqs), frontier, givens).outputs();

            Map<Variable, Variable> fixed = new LinkedHashMap<>();
            for (Variable v : innerIn) {
                fixed.put(v, new Variable(v.type(), v.name()));
            }
            for (Variable v : frontier) {
                fixed.put(v, new Variable(v.type(), v.name()));
            }
            List<Variable> outs = inner.outputs();
            InnerGraph.Capture cap = InnerGraph.capture(fixed, outs, v -> false);
            if (!cap.outerInputs().isEmpty()) {
                throw new IllegalStateException("scan_pushout_non_seqs: the step reads " + cap.outerInputs() + " that are not its inputs");
            }
            List<Variable> nodeInputs = new ArrayList<>(node.inputs());
            nodeInputs.addAll(outerValues);
            return op.rebuiltOver(cap.graph(), op.nSeqs(), nodeInputs);
        } finally {
            SourceLocation.exit(prev);
        }
    }

    /** Whether a node may run once instead of once per step: deterministic, and not lazy. */
    private static boolean movable(Apply a) {
        String pkg = a.op().getClass().getPackageName();
        return !pkg.equals("tsl.ops.random") && !pkg.equals("tsl.ops.control") && a.op().destroyMap().isEmpty();
    }
}
