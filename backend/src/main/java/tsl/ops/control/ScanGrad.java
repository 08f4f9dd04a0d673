package tsl.ops.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/**
 * Backpropagation through time for {@link Scan}, as another Scan that runs the steps in
 * reverse. Each backward step recomputes its forward step from the saved inputs and state
 * history and applies the reverse-mode gradient of that one step. It carries, per forward
 * state with taps reaching back K steps, K pending gradients (the contributions already
 * known for the K states before the current one) and, per non-sequence, the running sum of
 * its gradient; it emits, per sequence, the gradient of each row. With
 * {@code truncate_gradient = k > 0} only the last k steps are run back, as in Theano.
 */
final class ScanGrad {
    private ScanGrad() {}

    static List<Variable> grad(Scan op, Apply node, List<Variable> outputGrads) {
        int nSeqs = op.nSeqs();
        int nStates = op.nStates();
        int nNit = op.nNitSot();
        List<Variable> in = node.inputs();
        List<Variable> seqs = in.subList(1, 1 + nSeqs);
        List<Variable> inits = in.subList(1 + nSeqs, 1 + nSeqs + nStates);
        List<Variable> nonSeqs = in.subList(1 + nSeqs + nStates, in.size());
        List<Variable> outs = node.outputs();
        List<Variable> innerIn = op.inner().inputs();

        Variable n = T.shapeI(outs.get(0), 0); // the steps the forward loop ran
        boolean truncated = op.truncateGradient() > 0;
        Variable m = truncated ? T.minimum(n, T.constant((long) op.truncateGradient(), DType.INT64)) : n;

        Map<Variable, Variable> fixed = new LinkedHashMap<>();
        List<Variable> bSeqs = new ArrayList<>();
        List<Variable> recompute = new ArrayList<>(); // arguments of the forward step inside the backward step
        // forward sequences, rows in reverse
        List<Variable> seqRow = new ArrayList<>();
        for (int i = 0; i < nSeqs; i++) {
            bSeqs.add(reverse(T.subtensor(seqs.get(i), T.slice(null, n, null))));
            Variable p = placeholder(innerIn.get(i), fixed);
            seqRow.add(p);
            recompute.add(p);
        }
        // each tap of each state: the state history shifted by the tap, in reverse
        List<List<Variable>> tapRow = new ArrayList<>();
        int a = nSeqs;
        for (int j = 0; j < nStates; j++) {
            int depth = op.depth(j);
            Variable history = T.concatenate(List.of(T.subtensor(inits.get(j), T.slice(0, depth, null)), outs.get(j)), 0);
            List<Variable> rows = new ArrayList<>();
            for (int tap : op.taps(j)) {
                bSeqs.add(reverse(T.subtensor(history, T.slice(depth + tap, tap, null))));
                Variable p = placeholder(innerIn.get(a++), fixed);
                rows.add(p);
                recompute.add(p);
            }
            tapRow.add(rows);
        }
        recompute.addAll(nonSeqs);
        // the gradients arriving at each output, in reverse
        List<Variable> outGrad = new ArrayList<>();
        for (int k = 0; k < nStates + nNit; k++) {
            Variable g = outputGrads.get(k);
            if (g == null || !outs.get(k).dtype().isFloat()) {
                outGrad.add(null);
                continue;
            }
            bSeqs.add(reverse(g));
            outGrad.add(placeholder(new Variable(Scan.rowType(outs.get(k).type()), "g_" + k), fixed));
        }
        // each state's value at every step, from the forward history (in reverse): the backward
        // step reads it there rather than recomputing the forward step's last node from its inputs
        List<Variable> storedRow = new ArrayList<>();
        for (int j = 0; j < nStates; j++) {
            if (!outs.get(j).dtype().isFloat()) {
                storedRow.add(null);
                continue;
            }
            bSeqs.add(reverse(outs.get(j)));
            storedRow.add(placeholder(new Variable(Scan.rowType(outs.get(j).type()), "h_" + j), fixed));
        }
        // carried: pending gradients of the previous states, running sums for non-sequences
        List<Variable> bInits = new ArrayList<>();
        List<int[]> bTaps = new ArrayList<>();
        List<List<Variable>> carry = new ArrayList<>();
        for (int j = 0; j < nStates; j++) {
            List<Variable> cs = new ArrayList<>();
            if (outs.get(j).dtype().isFloat()) {
                Variable zero = T.zerosLike(T.subtensor(inits.get(j), 0));
                for (int i = 0; i < op.depth(j); i++) {
                    cs.add(placeholder(new Variable(zero.type(), "carry_" + j + "_" + i), fixed));
                    bInits.add(T.shapePadLeft(zero));
                    bTaps.add(new int[] {-1});
                }
            }
            carry.add(cs);
        }
        List<Variable> sums = new ArrayList<>();
        for (Variable p : nonSeqs) {
            if (p.dtype().isFloat()) {
                sums.add(placeholder(new Variable(p.type(), "gsum_" + p), fixed));
                bInits.add(T.shapePadLeft(T.zerosLike(p)));
                bTaps.add(new int[] {-1});
            } else {
                sums.add(null);
            }
        }

        // the backward step
        List<Variable> fwd = op.inner().inline(recompute).subList(0, nStates + nNit);
        List<Variable> adj = new ArrayList<>();
        for (int k = 0; k < nStates + nNit; k++) {
            Variable g = outGrad.get(k);
            if (k < nStates && g != null && !carry.get(k).isEmpty()) {
                g = T.add(g, carry.get(k).get(0));
            }
            adj.add(g);
        }
        List<Variable> wrt = new ArrayList<>();
        for (Variable p : seqRow) {
            wrt.add(p);
        }
        for (List<Variable> rows : tapRow) {
            wrt.addAll(rows);
        }
        for (Variable p : nonSeqs) {
            wrt.add(p);
        }
        List<Variable> floatWrt = new ArrayList<>();
        for (Variable w : wrt) {
            if (w.dtype().isFloat()) {
                floatWrt.add(w);
            }
        }
        List<Variable> dFloat = Lop.lop(fwd, adj, floatWrt);
        Map<Variable, Variable> stored = new java.util.IdentityHashMap<>();
        for (int j = 0; j < nStates; j++) {
            Variable f = fwd.get(j);
            if (storedRow.get(j) != null && f.owner() != null && f.dtype() == storedRow.get(j).dtype() && !stored.containsKey(f)) {
                stored.put(f, storedRow.get(j));
            }
        }
        if (!stored.isEmpty()) {
            // the same values (the history holds exactly what the step computed), so the gradient is unchanged;
            // what only fed the replaced outputs (for an RNN: both matrix-vector products) drops out of the step
            dFloat = tsl.graph.FunctionGraph.clone(List.of(), dFloat, stored).outputs();
        }
        Map<Variable, Variable> d = new java.util.IdentityHashMap<>();
        for (int i = 0; i < floatWrt.size(); i++) {
            d.put(floatWrt.get(i), dFloat.get(i));
        }
        List<Variable> bOuts = new ArrayList<>();
        for (int j = 0; j < nStates; j++) {
            List<Variable> cs = carry.get(j);
            int[] taps = op.taps(j);
            for (int i = 0; i < cs.size(); i++) {
                // after this step, pending slot i stands for the state i+1 steps before the current one
                Variable next = i + 1 < cs.size() ? cs.get(i + 1) : null;
                for (int t = 0; t < taps.length; t++) {
                    if (taps[t] == -(i + 1)) {
                        Variable dt = d.get(tapRow.get(j).get(t));
                        next = next == null ? dt : T.add(next, dt);
                    }
                }
                bOuts.add(next == null ? T.zerosLike(cs.get(i)) : T.cast(next, cs.get(i).dtype()));
            }
        }
        for (int k = 0; k < nonSeqs.size(); k++) {
            if (sums.get(k) != null) {
                bOuts.add(T.add(sums.get(k), d.get(nonSeqs.get(k))));
            }
        }
        int nCarried = bOuts.size();
        List<Integer> seqGradIndex = new ArrayList<>();
        for (int i = 0; i < nSeqs; i++) {
            if (seqRow.get(i).dtype().isFloat()) {
                seqGradIndex.add(i);
                bOuts.add(d.get(seqRow.get(i)));
            }
        }
        List<Variable> result = new ArrayList<>(Collections.nCopies(in.size(), null));
        if (bOuts.isEmpty()) {
            return result;
        }
        List<Variable> back = ScanBuilder.makeNode(fixed, bSeqs, bInits, bTaps, bOuts, null, m, -1,
                "grad_of_" + (op.name() == null ? "scan_fn" : op.name()));

        Variable cut = truncated ? T.lt(m, n) : null; // truncated: no gradient reaches the initial states
        int b = 0;
        for (int j = 0; j < nStates; j++) {
            List<Variable> cs = carry.get(j);
            if (cs.isEmpty()) {
                continue;
            }
            List<Variable> rows = new ArrayList<>();
            for (int i = cs.size() - 1; i >= 0; i--) {
                rows.add(T.subtensor(back.get(b + i), -1)); // pending slot i after step 0 is initial row depth-1-i
            }
            b += cs.size();
            Variable init = inits.get(j);
            Variable g = T.incSubtensor(T.subtensor(T.zerosLike(init), T.slice(0, cs.size(), null)), T.stack(rows, 0));
            result.set(1 + nSeqs + j, cut == null ? g : T.switchOp(cut, T.zerosLike(init), g));
        }
        for (int k = 0; k < nonSeqs.size(); k++) {
            if (sums.get(k) != null) {
                result.set(1 + nSeqs + nStates + k, T.subtensor(back.get(b++), -1));
            }
        }
        for (int s = 0; s < seqGradIndex.size(); s++) {
            int i = seqGradIndex.get(s);
            Variable rows = reverse(back.get(nCarried + s));
            Variable start = truncated ? T.sub(n, m) : T.constant(0L, DType.INT64);
            Variable seq = seqs.get(i);
            result.set(1 + i, T.incSubtensor(T.subtensor(T.zerosLike(seq), T.slice(start, n, null)), rows));
        }
        return result;
    }

    private static Variable reverse(Variable x) {
        return T.subtensor(x, T.slice(null, null, -1));
    }

    /** A fresh inner input of v's type, registered as fixed (it is an input of the backward step). */
    private static Variable placeholder(Variable like, Map<Variable, Variable> fixed) {
        Variable p = new Variable(new TensorType(like.dtype(), like.type().shape()), like.name());
        fixed.put(p, p);
        return p;
    }
}
