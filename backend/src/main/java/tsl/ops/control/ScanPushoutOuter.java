package tsl.ops.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.blas.Dot;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;

/**
 * Theano's scan_pushout for accumulated products (its PushOutDot1): a state that only sums
 * outer products, {@code acc_t = acc_{t-1} + outer(a_t, b_t)}, and that the function reads
 * only through its final value {@code acc[-1]}, is
 * {@code acc_init + dot(A.T, B)} with A and B the stacked a_t and b_t. The loop then emits
 * a_t and b_t as per-step outputs (or, where one is a sequence's row, reads that sequence
 * directly) and the sum becomes one matrix product after it: n rank-1 updates of a whole
 * matrix per step become one gemm. Backpropagation through time builds exactly such a state
 * for the gradient of every weight matrix of an RNN.
 *
 * <p>Does not fire when the loop has an until condition (the steps run are known only after
 * it), when the state has taps other than [-1], when the step reads the running sum for
 * anything else, or when any reader wants more than the last row.
 */
public final class ScanPushoutOuter {
    private ScanPushoutOuter() {}

    /** The rewrite: null when nothing changes, else one replacement per output of {@code node}. */
    public static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op) || op.hasUntil()) {
            return null;
        }
        for (int j = 0; j < op.nStates(); j++) {
            Variable[] ab = match(graph, node, op, j);
            if (ab != null) {
                return pushOut(node, op, j, ab[0], ab[1]);
            }
        }
        return null;
    }

    /** The vectors {a, b} of state j's outer-product sum, or null when state j is not such a sum. */
    private static Variable[] match(FunctionGraph graph, Apply node, Scan op, int j) {
        if (!Arrays.equals(op.taps(j), new int[] {-1}) || !onlyLastRowRead(graph, node.outputs().get(j))) {
            return null;
        }
        Variable prev = ScanRebuild.tapInputs(op, j).get(0);
        Variable next = op.inner().outputs().get(j);
        Apply add = next.owner();
        if (add == null || !(add.op() instanceof Elemwise e) || e.castTo() != null || !e.scalar().equals(ScalarOps.ADD)
                || add.inputs().size() != 2) {
            return null;
        }
        int at = add.input(0) == prev ? 0 : add.input(1) == prev ? 1 : -1;
        if (at < 0 || add.input(1 - at) == prev || uses(op.inner(), prev) != 1) {
            return null;
        }
        Variable prod = add.input(1 - at);
        if (next.dtype() != prev.dtype() || prod.dtype() != prev.dtype() || !prev.dtype().isFloat() || prev.ndim() != 2
                || !prev.type().equals(next.type())) {
            return null;
        }
        Apply dot = prod.owner();
        if (dot == null || !(dot.op() instanceof Dot)) {
            return null;
        }
        Variable a = vectorBehind(dot.input(0), new int[] {0, DimShuffle.NEW_AXIS});
        Variable b = vectorBehind(dot.input(1), new int[] {DimShuffle.NEW_AXIS, 0});
        if (a == null || b == null || a.dtype() != prev.dtype() || b.dtype() != prev.dtype()) {
            return null;
        }
        return new Variable[] {a, b};
    }

    /** v's vector when v is {@code DimShuffle{pattern}} of a vector, else null. */
    private static Variable vectorBehind(Variable v, int[] pattern) {
        Apply ds = v.owner();
        if (ds == null || !(ds.op() instanceof DimShuffle d) || !Arrays.equals(d.pattern(), pattern) || ds.input(0).ndim() != 1) {
            return null;
        }
        return ds.input(0);
    }

    /** How often {@code v} is read in the inner graph: by nodes, and as an output. */
    private static int uses(InnerGraph g, Variable v) {
        int n = 0;
        for (Apply a : g.graph().toposort()) {
            for (Variable in : a.inputs()) {
                if (in == v) {
                    n++;
                }
            }
        }
        for (Variable o : g.outputs()) {
            if (o == v) {
                n++;
            }
        }
        return n;
    }

    static boolean onlyLastRowRead(FunctionGraph graph, Variable out) {
        List<FunctionGraph.Client> cs = graph.clients(out);
        if (cs.isEmpty()) {
            return false;
        }
        for (FunctionGraph.Client c : cs) {
            if (c.node() == null || c.index() != 0 || !(c.node().op() instanceof Subtensor s) || s.idx().size() != 1
                    || !(s.idx().get(0) instanceof Index.Point p) || p.at().symbolic() || p.at().value() == null
                    || p.at().value() != -1) {
                return false;
            }
        }
        return true;
    }

    /** Which per-step output of the loop is {@code v} itself, or -1. */
    private static int stackedAs(Scan op, Variable v) {
        List<Variable> outs = op.inner().outputs();
        for (int k = 0; k < op.nNitSot(); k++) {
            if (outs.get(op.nStates() + k) == v) {
                return k;
            }
        }
        return -1;
    }

    private static List<Variable> pushOut(Apply node, Scan op, int j, Variable a, Variable b) {
        int nSeqs = op.nSeqs();
        List<Variable> innerIn = op.inner().inputs();
        List<Variable> added = new ArrayList<>();
        int seqA = innerIn.subList(0, nSeqs).indexOf(a);
        int seqB = innerIn.subList(0, nSeqs).indexOf(b);
        // a vector the loop already stacks (the delta an earlier pushout of this loop added, say
        // for W when this sum is U's) is read from that output rather than stacked twice
        int nitA = seqA < 0 ? stackedAs(op, a) : -1;
        int nitB = seqB < 0 ? stackedAs(op, b) : -1;
        if (seqA < 0 && nitA < 0) {
            added.add(a);
        }
        if (seqB < 0 && nitB < 0 && !(b == a && seqA < 0)) {
            added.add(b);
        }
        boolean[] keepState = new boolean[op.nStates()];
        Arrays.fill(keepState, true);
        keepState[j] = false;
        boolean[] keepNit = new boolean[op.nNitSot()];
        Arrays.fill(keepNit, true);
        boolean nothingLeft = op.nStates() == 1 && op.nNitSot() == 0 && added.isEmpty();
        ScanRebuild.Result r = nothingLeft ? null : ScanRebuild.rebuild(node, keepState, keepNit, added);
        if (r == null && !nothingLeft) {
            return null;
        }
        // (the sum was all the loop did, over sequences read directly: no loop is left)
        List<Variable> nu = r == null ? List.of() : r.node().outputs();
        Variable n = ScanRebuild.steps(node);
        Variable stackA = seqA >= 0 ? T.subtensor(node.input(1 + seqA), T.slice(null, n, null))
                : nitA >= 0 ? nu.get(r.nitIndex()[nitA]) : nu.get(r.addedIndex()[0]);
        Variable stackB = seqB >= 0 ? T.subtensor(node.input(1 + seqB), T.slice(null, n, null))
                : b == a && seqA < 0 ? stackA : nitB >= 0 ? nu.get(r.nitIndex()[nitB]) : nu.get(r.addedIndex()[added.size() - 1]);
        Variable init = T.subtensor(node.input(1 + nSeqs + j), 0L); // taps [-1]: row 0 is the value before step 0
        Variable last = T.add(init, T.dot(T.transpose(stackA), stackB));
        List<Variable> repl = new ArrayList<>();
        for (int s = 0; s < op.nStates(); s++) {
            // every reader of state j reads its last row: a one-row history with that row stands for it
            repl.add(s == j ? T.shapePadLeft(T.cast(last, node.outputs().get(j).dtype())) : nu.get(r.stateIndex()[s]));
        }
        for (int k = 0; k < op.nNitSot(); k++) {
            repl.add(nu.get(r.nitIndex()[k]));
        }
        return repl;
    }
}
