package tsl.ops.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.SourceLocation;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * Builds a smaller or reshaped copy of a {@link Scan} node for the scan rewrites: some states
 * and per-step outputs dropped, new per-step outputs added (inner variables of the step that
 * the rewrite wants stacked), and every sequence and non-sequence that the remaining step
 * no longer reads removed from the node. A dropped sequence may have been what bounded the
 * loop, so its length then becomes part of an explicit {@code n_steps}: the loop runs exactly
 * as many steps as before.
 */
final class ScanRebuild {
    private ScanRebuild() {}

    /** The new node, and where each kept output and each added per-step output is among its outputs. */
    record Result(Apply node, int[] stateIndex, int[] nitIndex, int[] addedIndex) {}

    /**
     * The inner variables that the given inner outputs read (the outputs included).
     */
    static Set<Variable> reached(List<Variable> outputs) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>(outputs);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (!seen.add(v) || v.owner() == null) {
                continue;
            }
            for (Variable in : v.owner().inputs()) {
                stack.push(in);
            }
        }
        return seen;
    }

    /** The inner input of each tap of state j, in tap order. */
    static List<Variable> tapInputs(Scan op, int state) {
        int a = op.nSeqs();
        for (int j = 0; j < state; j++) {
            a += op.taps(j).length;
        }
        return op.inner().inputs().subList(a, a + op.taps(state).length);
    }

    /**
     * The rebuilt node: the states with {@code keepState}, the per-step outputs with
     * {@code keepNit}, then one per-step output per entry of {@code added} (inner variables of
     * the step). Null when the result would be the same node (nothing dropped, nothing added,
     * no input unread) or would have no output left.
     */
    static Result rebuild(Apply node, boolean[] keepState, boolean[] keepNit, List<Variable> added) {
        Scan op = (Scan) node.op();
        List<Variable> innerIn = op.inner().inputs();
        List<Variable> innerOut = op.inner().outputs();
        int nSeqs = op.nSeqs();
        int nStates = op.nStates();
        int nNit = op.nNitSot();
        List<Variable> outs = new ArrayList<>();
        int[] stateIndex = new int[nStates];
        int[] nitIndex = new int[nNit];
        int[] addedIndex = new int[added.size()];
        List<int[]> taps = new ArrayList<>();
        List<Variable> inits = new ArrayList<>();
        List<Boolean> lastOnly = new ArrayList<>();
        for (int j = 0; j < nStates; j++) {
            stateIndex[j] = keepState[j] ? outs.size() : -1;
            if (keepState[j]) {
                outs.add(innerOut.get(j));
                taps.add(op.taps(j));
                inits.add(node.input(1 + nSeqs + j));
                lastOnly.add(op.lastOnly(j));
            }
        }
        for (int k = 0; k < nNit; k++) {
            nitIndex[k] = keepNit[k] ? outs.size() : -1;
            if (keepNit[k]) {
                outs.add(innerOut.get(nStates + k));
            }
        }
        for (int i = 0; i < added.size(); i++) {
            addedIndex[i] = outs.size();
            outs.add(added.get(i));
        }
        if (outs.isEmpty()) {
            return null;
        }
        List<Variable> all = new ArrayList<>(outs);
        if (op.hasUntil()) {
            all.add(innerOut.get(nStates + nNit));
        }
        Set<Variable> read = reached(all);

        // the inner inputs that stay: read sequences, every tap of a kept state, read non-sequences
        Map<Variable, Variable> fixed = new LinkedHashMap<>();
        List<Variable> seqs = new ArrayList<>();
        List<Variable> droppedSeqs = new ArrayList<>();
        for (int i = 0; i < nSeqs; i++) {
            if (read.contains(innerIn.get(i))) {
                fixed.put(innerIn.get(i), fresh(innerIn.get(i)));
                seqs.add(node.input(1 + i));
            } else {
                droppedSeqs.add(node.input(1 + i));
            }
        }
        for (int j = 0; j < nStates; j++) {
            for (Variable tap : tapInputs(op, j)) {
                if (keepState[j]) {
                    fixed.put(tap, fresh(tap));
                } else if (read.contains(tap)) {
                    throw new IllegalStateException("scan rebuild: a dropped state is still read by the step");
                }
            }
        }
        int firstNonSeq = innerIn.size() - op.nNonSeqs();
        List<Variable> nonSeqs = new ArrayList<>();
        for (int i = 0; i < op.nNonSeqs(); i++) {
            Variable v = innerIn.get(firstNonSeq + i);
            if (read.contains(v)) {
                fixed.put(v, fresh(v));
                nonSeqs.add(node.input(1 + nSeqs + nStates + i));
            }
        }
        boolean same = added.isEmpty() && droppedSeqs.isEmpty() && nonSeqs.size() == op.nNonSeqs() && taps.size() == nStates
                && outs.size() == nStates + nNit;
        if (same) {
            return null;
        }

        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            InnerGraph.Capture cap = InnerGraph.capture(fixed, all, v -> false);
            if (!cap.outerInputs().isEmpty()) {
                throw new IllegalStateException("scan rebuild: the step reads " + cap.outerInputs() + " that are not its inputs");
            }
            Variable nSteps = node.input(0);
            boolean stepsGiven = op.stepsGiven();
            for (Variable s : droppedSeqs) {
                // the dropped sequence still bounds the loop
                Variable len = T.shapeI(s, 0);
                nSteps = stepsGiven ? T.minimum(nSteps, len) : len;
                stepsGiven = true;
            }
            List<Variable> nodeInputs = new ArrayList<>();
            nodeInputs.add(nSteps);
            nodeInputs.addAll(seqs);
            nodeInputs.addAll(inits);
            nodeInputs.addAll(nonSeqs);
            List<TensorType> types = new ArrayList<>();
            for (Variable v : nodeInputs) {
                types.add(v.type());
            }
            Scan scan = new Scan(cap.graph(), seqs.size(), taps.toArray(new int[0][]), outs.size() - taps.size(), op.hasUntil(),
                    stepsGiven, op.truncateGradient(), op.name(), types);
            boolean[] last = new boolean[taps.size()];
            for (int j = 0; j < last.length; j++) {
                last[j] = lastOnly.get(j);
            }
            Apply built = scan.keepingLast(last).makeNode(nodeInputs);
            return new Result(built, stateIndex, nitIndex, addedIndex);
        } finally {
            SourceLocation.exit(prev);
        }
    }

    private static Variable fresh(Variable like) {
        return new Variable(like.type(), like.name());
    }

    /** The steps a loop with no until runs: the shortest sequence, or n_steps when given and shorter. */
    static Variable steps(Apply node) {
        Scan op = (Scan) node.op();
        Variable n = op.stepsGiven() ? T.cast(node.input(0), DType.INT64) : null;
        for (int i = 0; i < op.nSeqs(); i++) {
            Variable len = T.shapeI(node.input(1 + i), 0);
            n = n == null ? len : T.minimum(n, len);
        }
        return n;
    }
}
