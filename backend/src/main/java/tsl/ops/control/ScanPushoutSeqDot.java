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
import tsl.ops.T;
import tsl.ops.blas.Dot;

/**
 * Theano's scan_pushout_seqs_ops, for matrix-vector products: a step that multiplies a
 * loop-invariant matrix by its sequence's row, {@code dot(M, x_t)} or {@code dot(x_t, M)},
 * computes row t of one matrix product over the whole sequence, {@code dot(X, M.T)} or
 * {@code dot(X, M)}. That product is computed once before the loop (one gemm) and the step
 * reads its row t as a new sequence: the input projection {@code U·x_t} of an RNN stops being
 * a gemv per step.
 *
 * <p>Does not fire when the loop has an until condition (the rows past the stop would be
 * computed for nothing), or when the step's sequence row is not a plain vector.
 */
public final class ScanPushoutSeqDot {
    private ScanPushoutSeqDot() {}

    /** The rewrite: null when nothing changes, else one replacement per output of {@code node}. */
    public static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op) || op.hasUntil()) {
            return null;
        }
        InnerGraph inner = op.inner();
        List<Variable> innerIn = inner.inputs();
        int firstNonSeq = innerIn.size() - op.nNonSeqs();
        Set<Variable> invariant = Collections.newSetFromMap(new IdentityHashMap<>());
        invariant.addAll(innerIn.subList(firstNonSeq, innerIn.size()));
        for (Apply a : inner.graph().toposort()) {
            if (!(a.op() instanceof Dot) || a.inputs().size() != 2 || a.outputs().get(0).ndim() != 1) {
                continue;
            }
            Variable l = a.input(0), r = a.input(1);
            int seqL = innerIn.subList(0, op.nSeqs()).indexOf(l);
            int seqR = innerIn.subList(0, op.nSeqs()).indexOf(r);
            if (seqR >= 0 && l.ndim() == 2 && r.ndim() == 1 && isInvariant(l, invariant)) {
                return pushOut(node, op, a.outputs().get(0), seqR, l, true);
            }
            if (seqL >= 0 && l.ndim() == 1 && r.ndim() == 2 && isInvariant(r, invariant)) {
                return pushOut(node, op, a.outputs().get(0), seqL, r, false);
            }
        }
        return null;
    }

    private static boolean isInvariant(Variable v, Set<Variable> invariant) {
        return v instanceof Constant || invariant.contains(v);
    }

    /**
     * The loop with {@code product} (row t of X·M.T when {@code matrixFirst}, else of X·M, X
     * the outer sequence {@code seq}) read from a new sequence computed before it.
     */
    private static List<Variable> pushOut(Apply node, Scan op, Variable product, int seq, Variable matrix, boolean matrixFirst) {
        InnerGraph inner = op.inner();
        List<Variable> innerIn = inner.inputs();
        int firstNonSeq = innerIn.size() - op.nNonSeqs();
        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            Variable outerMatrix = matrix;
            if (!(matrix instanceof Constant)) {
                outerMatrix = node.input(1 + op.nSeqs() + op.nStates() + innerIn.indexOf(matrix) - firstNonSeq);
            }
            Variable x = node.input(1 + seq);
            Variable rows = matrixFirst ? T.dot(x, T.transpose(outerMatrix)) : T.dot(x, outerMatrix);

            // the step's inputs, with the new sequence after the old ones
            Map<Variable, Variable> fixed = new LinkedHashMap<>();
            for (int i = 0; i < op.nSeqs(); i++) {
                fixed.put(innerIn.get(i), fresh(innerIn.get(i)));
            }
            fixed.put(product, fresh(product));
            for (int i = op.nSeqs(); i < innerIn.size(); i++) {
                fixed.put(innerIn.get(i), fresh(innerIn.get(i)));
            }
            InnerGraph.Capture cap = InnerGraph.capture(fixed, inner.outputs(), v -> false);
            if (!cap.outerInputs().isEmpty()) {
                throw new IllegalStateException("scan_pushout_seqs_dot: the step reads " + cap.outerInputs() + " that are not its inputs");
            }
            List<Variable> nodeInputs = new ArrayList<>(node.inputs());
            nodeInputs.add(1 + op.nSeqs(), rows);
            return op.rebuiltOver(cap.graph(), op.nSeqs() + 1, nodeInputs);
        } finally {
            SourceLocation.exit(prev);
        }
    }

    private static Variable fresh(Variable like) {
        return new Variable(like.type(), like.name());
    }
}
