package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.run;
import static tsl.rewrite.RewriteTesting.var;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.Scan;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The scan rewrites: "scan_remove_unused_outputs", "scan_pushout_outer", "scan_pushout_seqs_ops",
 * "scan_inner_optimize" and "scan_pushout_non_seqs". Each: the node before and after (its outputs, inputs, step),
 * the values against the graph without the rewrite, and the cases where it must not fire.
 */
class ScanRewritesTest {
    private final Variable xs = var(DType.FLOAT64, "xs", -1, -1);
    private final Variable ys = var(DType.FLOAT64, "ys", -1, -1);
    private final Variable w = var(DType.FLOAT64, "W", -1, -1);
    private final Variable u = var(DType.FLOAT64, "U", -1, -1);
    private final Variable h0 = var(DType.FLOAT64, "h0", -1);

    private static List<Scan> scans(FunctionGraph g) {
        List<Scan> r = new ArrayList<>();
        for (Apply a : g.toposort()) {
            if (a.op() instanceof Scan s) {
                r.add(s);
            }
        }
        return r;
    }

    private static Scan named(FunctionGraph g, String name) {
        return scans(g).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs {@code rewrites} on a copy; checks every output against the unrewritten graph; returns the copy. */
    private static FunctionGraph rewriteAndCompare(List<Variable> in, List<Variable> out, double tol, NDArray[] values,
                                                   String... rewrites) {
        FunctionGraph reference = FunctionGraph.clone(in, out, Map.of());
        FunctionGraph g = FunctionGraph.clone(in, out, Map.of());
        only(rewrites).optimize(g);
        NDArray[] want = run(reference, in, values);
        NDArray[] got = run(g, in, values);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i].shape(), got[i].shape(), "output " + i);
            double[] a = want[i].toDoubleArray();
            double[] b = got[i].toDoubleArray();
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], tol * Math.max(1, Math.abs(a[k])), "output " + i + " element " + k);
            }
        }
        return g;
    }

    /** h_t = tanh(W h_{t-1} + U x_t), with the given truncation and direction. */
    private Variable rnn(int truncate, boolean backwards) {
        return ScanBuilder.scan(a -> new Step(List.of(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))), Map.of(),
                null), List.of(new Sequence(xs)), List.of(OutputInfo.of(h0)), List.of(w, u), null, truncate, backwards, "rnn")
                .outputs().get(0);
    }

    private static NDArray scaled(NDArray a, double k) {
        for (long i = 0; i < a.size(); i++) {
            a.setDouble(i, a.getDouble(i) * k);
        }
        return a;
    }

    private NDArray[] rnnValues() {
        return new NDArray[] {random(DType.FLOAT64, 1, 7, 3), scaled(random(DType.FLOAT64, 2, 4, 4), 0.3),
            scaled(random(DType.FLOAT64, 3, 4, 3), 0.3), random(DType.FLOAT64, 4, 4)};
    }

    private List<Variable> rnnGrads(int truncate, boolean backwards) {
        Variable cost = T.sum(rnn(truncate, backwards));
        List<Variable> out = new ArrayList<>(List.of(cost));
        out.addAll(Gradient.grad(cost, List.of(w, u, h0), null, "raise"));
        return out;
    }

    // ---------------------------------------------------------------- scan_remove_unused_outputs

    @Test
    void theGradientOfTheInputSequenceIsNotComputedWhenNobodyAsksForIt() {
        List<Variable> in = List.of(xs, w, u, h0);
        List<Variable> out = rnnGrads(-1, false);
        FunctionGraph before = FunctionGraph.clone(in, out, Map.of());
        Scan back = named(before, "grad_of_rnn");
        assertEquals(1, back.nNitSot(), "before: the rows of d/dxs");
        assertEquals(4, back.nSeqs(), "before: xs, the history, the output gradients, the states");
        FunctionGraph g = rewriteAndCompare(in, out, 1e-12, rnnValues(), "scan_remove_unused_outputs");
        Scan pruned = named(g, "grad_of_rnn");
        assertEquals(0, pruned.nNitSot(), "after: no per-step output");
        assertEquals(4, pruned.nSeqs(), "xs still feeds the gradient of U");
        assertEquals(3, pruned.nStates());
    }

    @Test
    void aDroppedSequenceStillBoundsTheLoop() {
        // out0 reads xs (7 rows), out1 reads ys (3 rows): with out1 unread, ys goes, and the loop still runs 3 steps
        List<Variable> outs = ScanBuilder.scan(a -> new Step(List.of(T.mul(a.get(0), 2.0), T.exp(a.get(1))), Map.of(), null),
                List.of(new Sequence(xs), new Sequence(ys)), List.of(OutputInfo.none(), OutputInfo.none()), List.of(), null, -1, false,
                "two").outputs();
        List<Variable> in = List.of(xs, ys);
        FunctionGraph g = rewriteAndCompare(in, List.of(outs.get(0)), 0, new NDArray[] {random(DType.FLOAT64, 1, 7, 2),
            random(DType.FLOAT64, 2, 3, 2)}, "scan_remove_unused_outputs");
        Scan s = named(g, "two");
        assertEquals(1, s.nNitSot());
        assertEquals(1, s.nSeqs());
        assertTrue(s.stepsGiven(), "the dropped sequence's length is now n_steps");
        assertEquals(3, run(g, in, random(DType.FLOAT64, 1, 7, 2), random(DType.FLOAT64, 2, 3, 2))[0].dim(0));
    }

    @Test
    void anUnreadStateThatAKeptOutputOrTheUntilConditionReadsStays() {
        // state a is unread, but b reads a's taps; c is unread and read by nothing: only c goes
        Variable a0 = var(DType.FLOAT64, "a0", -1);
        Variable b0 = var(DType.FLOAT64, "b0", -1);
        Variable c0 = var(DType.FLOAT64, "c0", -1);
        List<Variable> outs = ScanBuilder.scan(p -> new Step(List.of(T.add(p.get(0), 1.0), T.add(p.get(1), p.get(0)),
                T.mul(p.get(2), 2.0)), Map.of(), T.gt(T.sum(p.get(0)), 100.0)), List.of(),
                List.of(OutputInfo.of(a0), OutputInfo.of(b0), OutputInfo.of(c0)), List.of(), T.constant(6L, DType.INT64), -1, false,
                "three").outputs();
        List<Variable> in = List.of(a0, b0, c0);
        NDArray[] v = {random(DType.FLOAT64, 1, 3), random(DType.FLOAT64, 2, 3), random(DType.FLOAT64, 3, 3)};
        FunctionGraph g = rewriteAndCompare(in, List.of(outs.get(1)), 0, v, "scan_remove_unused_outputs");
        Scan s = named(g, "three");
        assertEquals(2, s.nStates(), "a (read by b and the until condition) stays; c goes");
        assertTrue(s.hasUntil());
    }

    // ---------------------------------------------------------------- scan_pushout_outer

    @Test
    void theWeightGradientSumsBecomeOneProductAfterTheLoop() {
        List<Variable> in = List.of(xs, w, u, h0);
        List<Variable> out = rnnGrads(-1, false);
        FunctionGraph g = rewriteAndCompare(in, out, 1e-12, rnnValues(), "scan_pushout_outer");
        Scan back = named(g, "grad_of_rnn");
        assertEquals(1, back.nStates(), "after: only the carried gradient of h is a state; the sums of W and U are not");
        assertEquals(1 + 1, back.nNitSot(), "d/dxs, and the per-step delta, stacked once for both products");
        long gemms = g.toposort().stream().filter(a -> a.op() instanceof tsl.ops.blas.Dot && a.outputs().get(0).ndim() == 2).count();
        assertEquals(2, gemms, "one matrix product per weight matrix, after the loop");
    }

    @Test
    void theSumsStayCorrectWithTruncationAndBackwardsLoops() {
        List<Variable> in = List.of(xs, w, u, h0);
        for (boolean backwards : new boolean[] {false, true}) {
            for (int truncate : new int[] {-1, 3}) {
                FunctionGraph g = rewriteAndCompare(in, rnnGrads(truncate, backwards), 1e-12, rnnValues(), "scan_pushout_outer",
                        "scan_remove_unused_outputs");
                assertEquals(1, named(g, "grad_of_rnn").nStates(), "backwards=" + backwards + " truncate=" + truncate);
            }
        }
    }

    private Variable accumulate(boolean until, int[] taps, boolean readWhole, boolean readAccInStep) {
        // acc_t = acc_{t-k} + outer(x_t, y_t) (+ acc_{t-k} * 0.5 when the step reads the sum itself)
        Variable acc0 = taps[0] == -1 ? var(DType.FLOAT64, "acc0", -1, -1) : var(DType.FLOAT64, "acc0", -1, -1, -1);
        List<Variable> outs = ScanBuilder.scan(a -> {
            Variable prev = a.get(2);
            Variable next = T.add(prev, T.outer(a.get(0), a.get(1)));
            if (readAccInStep) {
                next = T.add(next, T.mul(prev, 0.5));
            }
            return new Step(List.of(next), Map.of(), until ? T.gt(T.sum(next), 1e9) : null);
        }, List.of(new Sequence(xs), new Sequence(ys)), List.of(new OutputInfo(acc0, taps)), List.of(), null, -1, false, "acc")
                .outputs();
        accInit = acc0;
        return readWhole ? outs.get(0) : T.subtensor(outs.get(0), -1L);
    }

    private Variable accInit;

    private FunctionGraph accumulateCase(boolean until, int[] taps, boolean readWhole, boolean readAccInStep) {
        Variable out = accumulate(until, taps, readWhole, readAccInStep);
        List<Variable> in = List.of(xs, ys, accInit);
        NDArray init = taps[0] == -1 ? random(DType.FLOAT64, 3, 3, 4) : random(DType.FLOAT64, 3, 2, 3, 4);
        NDArray[] v = {random(DType.FLOAT64, 1, 6, 3), random(DType.FLOAT64, 2, 6, 4), init};
        return rewriteAndCompare(in, List.of(out), 1e-12, v, "scan_pushout_outer");
    }

    @Test
    void aStateSummingOuterProductsOfSequenceRowsReadsTheSequencesDirectly() {
        FunctionGraph g = accumulateCase(false, new int[] {-1}, false, false);
        assertTrue(scans(g).isEmpty(), "after: the loop has nothing left to do, and is gone: " + RewriteTesting.formula(g));
    }

    @Test
    void theSumIsNotPushedOutWhereItWouldChangeWhatIsComputed() {
        assertEquals(1, named(accumulateCase(true, new int[] {-1}, false, false), "acc").nStates(), "until: the steps are not known");
        assertEquals(1, named(accumulateCase(false, new int[] {-2}, false, false), "acc").nStates(), "taps other than [-1]");
        assertEquals(1, named(accumulateCase(false, new int[] {-1}, true, false), "acc").nStates(), "the whole history is read");
        assertEquals(1, named(accumulateCase(false, new int[] {-1}, false, true), "acc").nStates(), "the step reads the sum");
    }

    // ---------------------------------------------------------------- scan_inner_optimize, scan_pushout_non_seqs

    @Test
    void theStepIsOptimizedOnce() {
        List<Variable> in = List.of(xs, w, u, h0);
        List<Variable> out = rnnGrads(-1, false);
        FunctionGraph before = FunctionGraph.clone(in, out, Map.of());
        Scan back0 = named(before, "grad_of_rnn");
        assertFalse(back0.innerOptimized());
        assertTrue(back0.inner().graph().toposort().stream().anyMatch(a -> a.op().toString().startsWith("Sum")), "before: the step still sums the fill's shape source");
        FunctionGraph g = rewriteAndCompare(in, out, 1e-12, rnnValues(), "scan_inner_optimize");
        Scan back = named(g, "grad_of_rnn");
        assertTrue(back.innerOptimized());
        assertTrue(back.inner().graph().toposort().size() < back0.inner().graph().toposort().size(),
                "after: fewer nodes per step (" + back.inner().graph().toposort() + ")");
        assertTrue(back.inner().graph().toposort().stream().noneMatch(a -> a.op().toString().startsWith("Sum")));
    }

    @Test
    void whatTheStepComputesFromNonSequencesAloneRunsOnceBeforeTheLoop() {
        // the optimized step starts its gemv from Alloc(0, U.shape[0]): the same zeros at every step
        List<Variable> in = List.of(xs, w, u, h0);
        List<Variable> out = List.of(rnn(-1, false));
        FunctionGraph optimized = FunctionGraph.clone(in, out, Map.of());
        only("scan_inner_optimize").optimize(optimized);
        Scan before = named(optimized, "rnn");
        assertTrue(before.inner().graph().toposort().stream().anyMatch(a -> a.op().toString().startsWith("Alloc")),
                "before: " + before.inner().graph().toposort());
        FunctionGraph g = FunctionGraph.clone(in, out, Map.of());
        only("scan_inner_optimize", "scan_pushout_non_seqs").optimize(g);
        Scan s = named(g, "rnn");
        assertTrue(s.innerOptimized());
        assertTrue(s.inner().graph().toposort().stream().noneMatch(a -> a.op().toString().startsWith("Alloc")
                || a.op().toString().startsWith("Shape")), "after: no Alloc inside the step: " + s.inner().graph().toposort());
        assertEquals(before.nNonSeqs() + 1, s.nNonSeqs(), "W, U, and the zeros as a new non-sequence");
        assertTrue(g.toposort().stream().anyMatch(a -> a.op().toString().startsWith("Alloc")), "the zeros, before the loop");
        NDArray[] v = rnnValues();
        NDArray want = run(FunctionGraph.clone(in, out, Map.of()), in, v)[0];
        NDArray got = run(g, in, v)[0];
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-14);
    }

    @Test
    void aStepThatDependsOnItsStateHasNothingToHoist() {
        FunctionGraph g = FunctionGraph.clone(List.of(xs, w, u, h0), List.of(rnn(-1, false)), Map.of());
        Scan before = named(g, "rnn");
        only("scan_pushout_non_seqs").optimize(g);
        assertEquals(before.nNonSeqs(), named(g, "rnn").nNonSeqs());
    }

    // ---------------------------------------------------------------- scan_pushout_seqs_ops

    private static long dots(Scan s) {
        return s.inner().graph().toposort().stream().filter(a -> a.op() instanceof tsl.ops.blas.Dot).count();
    }

    @Test
    void theInputProjectionBecomesOneProductBeforeTheLoop() {
        List<Variable> in = List.of(xs, w, u, h0);
        for (boolean backwards : new boolean[] {false, true}) {
            List<Variable> out = List.of(rnn(-1, backwards));
            FunctionGraph before = FunctionGraph.clone(in, out, Map.of());
            assertEquals(2, dots(named(before, "rnn")), "before: W h and U x_t in the step");
            FunctionGraph g = rewriteAndCompare(in, out, 1e-12, rnnValues(), "scan_pushout_seqs_ops");
            Scan s = named(g, "rnn");
            assertEquals(1, dots(s), "after: only W h_{t-1} is left in the step (backwards=" + backwards + ")");
            assertEquals(2, s.nSeqs(), "xs (now unread) and the rows of xs U^T");
            long products = g.toposort().stream().filter(a -> a.op() instanceof tsl.ops.blas.Dot).count();
            assertEquals(1, products, "one product over the whole sequence, before the loop: " + RewriteTesting.formula(g));
        }
    }

    @Test
    void theGradientsStayTheSameWithTheProjectionPushedOut() {
        // the forward loop inside the gradient graph, with truncation and both directions, and the other scan rewrites
        List<Variable> in = List.of(xs, w, u, h0);
        for (boolean backwards : new boolean[] {false, true}) {
            for (int truncate : new int[] {-1, 3}) {
                FunctionGraph g = rewriteAndCompare(in, rnnGrads(truncate, backwards), 1e-12, rnnValues(), "scan_pushout_seqs_ops",
                        "scan_pushout_outer", "scan_remove_unused_outputs");
                assertEquals(1, dots(named(g, "rnn")), "backwards=" + backwards + " truncate=" + truncate);
            }
        }
    }

    @Test
    void aRowTimesAMatrixAndASequenceWithTapsArePushedOutToo() {
        // y_t = tanh(x_{t-1} M + x_t . 0.5) + y_{t-1}: the row on the left, and a tap other than 0
        Variable m = var(DType.FLOAT64, "M", -1, -1);
        Variable y0 = var(DType.FLOAT64, "y0", -1);
        Variable out = ScanBuilder.scan(a -> new Step(List.of(T.add(T.tanh(T.add(T.dot(a.get(0), a.get(3)), T.mul(a.get(1), 0.5))),
                a.get(2))), Map.of(), null), List.of(new Sequence(xs, new int[] {-1, 0})), List.of(OutputInfo.of(y0)), List.of(m), null,
                -1, false, "taps").outputs().get(0);
        List<Variable> in = List.of(xs, m, y0);
        NDArray[] v = {random(DType.FLOAT64, 1, 6, 3), random(DType.FLOAT64, 2, 3, 3), random(DType.FLOAT64, 3, 3)};
        FunctionGraph g = rewriteAndCompare(in, List.of(out), 1e-12, v, "scan_pushout_seqs_ops");
        Scan s = named(g, "taps");
        assertEquals(0, dots(s), "after: the step has no product left");
        assertEquals(3, s.nSeqs(), "the two taps of xs, and the rows of x_{t-1} M");
    }

    @Test
    void aLoopWithAnUntilConditionKeepsItsProjection() {
        Variable out = ScanBuilder.scan(a -> {
            Variable h = T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))));
            return new Step(List.of(h), Map.of(), T.gt(T.sum(h), 1e9));
        }, List.of(new Sequence(xs)), List.of(OutputInfo.of(h0)), List.of(w, u), null, -1, false, "rnn").outputs().get(0);
        FunctionGraph g = rewriteAndCompare(List.of(xs, w, u, h0), List.of(out), 0, rnnValues(), "scan_pushout_seqs_ops");
        assertEquals(2, dots(named(g, "rnn")), "the rows past the stop would be computed for nothing");
    }
}
