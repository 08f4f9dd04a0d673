package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.ops.shape.DimShuffle;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Scan and IfElse compiled to C (a loop, an if): native against the jvm reference. */
class NativeControlTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static Step out(Variable... outs) {
        return new Step(List.of(outs), Map.of(), null);
    }

    private static ScanBuilder.Result scan(Function<List<Variable>, Step> fn, List<Sequence> seqs, List<OutputInfo> info,
                                           List<Variable> nonSeqs, Variable nSteps) {
        return ScanBuilder.scan(fn, seqs, info, nonSeqs, nSteps, -1, false, null);
    }

    /** The C of the function, asserting that every node named by {@code ops} was compiled (no Java step left for it). */
    private static String assertCompiled(List<Variable> inputs, List<Variable> outputs, String... ops) {
        FunctionGraph g = FunctionGraph.clone(inputs, outputs, Map.of());
        List<Variable> free = new ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        String src = new NativeLinker().generatedSource(g, free);
        for (String op : ops) {
            assertTrue(src != null && src.contains("/* " + op), op + " has no C code:\n" + src);
        }
        return src;
    }

    private static NDArray s(double v) {
        return NDArray.scalar(v, DType.FLOAT64);
    }

    // ------------------------------------------------------------------ ifelse

    @Test
    void ifelseRunsOnlyTheTakenBranch() {
        Variable c = OpTesting.var(DType.FLOAT64, 0, "c");
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        List<Variable> z = IfElse.build(T.gt(c, 0), List.of(T.exp(x), T.sum(T.mul(x, y))),
                List.of(T.log(y), T.max(y, 0)), "pick");
        assertCompiled(List.of(c, x, y), z, "if{pick}");
        NDArray xv = random(DType.FLOAT64, new int[] {5}, 0.1, 2, 1);
        NDArray yv = random(DType.FLOAT64, new int[] {5}, 0.1, 2, 2);
        same(List.of(c, x, y), z, s(1), xv, yv);
        same(List.of(c, x, y), z, s(-1), xv, yv);
    }

    @Test
    void anUntakenBranchThatWouldFailNeverRunsInC() {
        // the else branch multiplies a (3,) by a (2,2): it fails whenever it runs, so reaching it is detected
        Variable c = OpTesting.var(DType.INT8, 0, "c");
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Variable m = OpTesting.var(DType.FLOAT64, 2, "m");
        Variable z = IfElse.build(c, List.of(T.sum(x)), List.of(T.sum(T.dot(m, x))), null).get(0);
        assertCompiled(List.of(c, x, m), List.of(z), "if{}");
        NDArray xv = OpTesting.vec(DType.FLOAT64, 1, 2, 3);
        NDArray mv = NDArray.zeros(DType.FLOAT64, 2, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals(6.0, NativeTesting.run("c", List.of(c, x, m), List.of(z), NDArray.scalar(1, DType.INT8), xv, mv)[0].item());
        }
        TslException e = assertThrows(TslException.class,
                () -> NativeTesting.run("c", List.of(c, x, m), List.of(z), NDArray.scalar(0, DType.INT8), xv, mv));
        assertTrue(e.getMessage().contains("Shape mismatch") || e.getMessage().contains("not aligned"), e.getMessage());
        assertTrue(e.getMessage().contains("inside if{}"), e.getMessage());
    }

    @Test
    void ifelseBranchesThatReturnInputsConstantsAndViews() {
        Variable c = OpTesting.var(DType.INT64, 0, "c");
        Variable x = OpTesting.var(DType.FLOAT32, 2, "x");
        List<Variable> z = IfElse.build(c, List.of(x, T.transpose(x)), List.of(T.mul(x, 2), T.zerosLike(T.transpose(x))), null);
        NDArray xv = random(DType.FLOAT32, new int[] {2, 3}, -1, 1, 3);
        same(List.of(c, x), z, NDArray.scalar(3, DType.INT64), xv);
        same(List.of(c, x), z, NDArray.scalar(0, DType.INT64), xv);
    }

    // ------------------------------------------------------------------ scan

    @Test
    void cumulativeSumAndHorner() {
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Variable x = OpTesting.var(DType.FLOAT64, 0, "x");
        Variable cum = scan(a -> out(T.add(a.get(1), a.get(0))), List.of(new Sequence(v)),
                List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        Variable horner = scan(a -> out(T.add(T.mul(a.get(1), a.get(2)), a.get(0))), List.of(new Sequence(v)),
                List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(x), null).outputs().get(0);
        List<Variable> outs = List.of(cum, T.subtensor(horner, -1));
        String src = assertCompiled(List.of(v, x), outs, "Scan{");
        assertFalse(src.contains("omp parallel for simd schedule(static) if (n >= 131072)\n        po[i]"), "no thread team per step");
        same(List.of(v, x), outs, random(DType.FLOAT64, new int[] {50}, -1, 1, 4), s(0.9));
        same(List.of(v), List.of(cum), NDArray.zeros(DType.FLOAT64, 0));
    }

    @Test
    void fibonacciWithTwoTapsAndNSteps() {
        Variable init = OpTesting.var(DType.INT64, 1, "init");
        Variable n = OpTesting.var(DType.INT32, 0, "n");
        Variable r = scan(a -> out(T.add(a.get(0), a.get(1))), List.of(), List.of(new OutputInfo(init, new int[] {-2, -1})),
                List.of(), n).outputs().get(0);
        assertCompiled(List.of(init, n), List.of(r), "Scan{");
        NDArray iv = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {7, 0, 1});
        NDArray[] got = same(List.of(init, n), List.of(r), iv, NDArray.scalar(10, DType.INT32));
        // the taps read the first two rows of the initial value: 7, 0, 7, 7, 14, ...
        assertEquals(385L, got[0].getLong(9));
        same(List.of(init, n), List.of(r), iv, NDArray.scalar(0, DType.INT32));
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(init, n), List.of(r),
                NDArray.fromLongs(DType.INT64, new int[] {1}, new long[] {1}), NDArray.scalar(3, DType.INT32)));
        assertTrue(e.getMessage().contains("taps reach back 2 steps"), e.getMessage());
    }

    @Test
    void sequenceTapsGoBackwardsPerStepOutputsAndNonSequences() {
        Variable v = OpTesting.var(DType.FLOAT64, 2, "v");
        Variable w = OpTesting.var(DType.FLOAT64, 2, "w");
        Variable h0 = OpTesting.var(DType.FLOAT64, 1, "h0");
        // per step: the state, a per-step output of another shape, and one with no state
        ScanBuilder.Result fwd = ScanBuilder.scan(a -> out(T.tanh(T.add(T.dot(a.get(3), a.get(2)), T.sub(a.get(1), a.get(0)))),
                        T.sum(T.sqr(a.get(2))), T.outer(a.get(0), a.get(1))),
                List.of(new Sequence(v, new int[] {-1, 1})), List.of(OutputInfo.of(h0), OutputInfo.none(), OutputInfo.none()),
                List.of(w), null, -1, true, "fwd");
        List<Variable> outs = fwd.outputs();
        assertCompiled(List.of(v, w, h0), outs, "Scan{fwd}");
        same(List.of(v, w, h0), outs, random(DType.FLOAT64, new int[] {6, 3}, -1, 1, 5),
                random(DType.FLOAT64, new int[] {3, 3}, -1, 1, 6), random(DType.FLOAT64, new int[] {3}, -1, 1, 7));
    }

    @Test
    void untilBreaksTheLoop() {
        Variable x = OpTesting.var(DType.FLOAT32, 0, "x");
        ScanBuilder.Result r = scan(a -> new Step(List.of(T.mul(a.get(0), 2), T.neg(a.get(0))), Map.of(), T.gt(T.mul(a.get(0), 2), 40)),
                List.of(), List.of(OutputInfo.of(x), OutputInfo.none()), List.of(), T.constant(100L, DType.INT64));
        assertCompiled(List.of(x), r.outputs(), "Scan{");
        NDArray[] got = same(List.of(x), r.outputs(), NDArray.scalar(3.0, DType.FLOAT32));
        assertEquals(4, got[0].dim(0));
        same(List.of(x), r.outputs(), NDArray.scalar(-1.0, DType.FLOAT32));
    }

    @Test
    void nestedScanAndIfElseInsideTheStep() {
        Variable m = OpTesting.var(DType.FLOAT64, 2, "m");
        Variable r = scan(a -> {
            Variable rowSum = scan(b -> out(T.add(b.get(1), b.get(0))), List.of(new Sequence(a.get(0))),
                    List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
            Variable total = T.max(rowSum, 0);
            return out(T.add(a.get(1), IfElse.build(T.gt(total, 0), List.of(total), List.of(T.constant(0.0, DType.FLOAT64)), null).get(0)));
        }, List.of(new Sequence(m)), List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        String src = assertCompiled(List.of(m), List.of(r), "Scan{");
        assertTrue(src.contains("/* if{}"), "the ifelse inside the step is C too");
        same(List.of(m), List.of(r), OpTesting.arr(DType.FLOAT64, new int[] {3, 2}, 1, 2, -5, 1, 0.5, 0.25));
    }

    @Test
    void aShapeErrorInsideTheLoopNamesTheInnerNode() {
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Variable q = OpTesting.var(DType.FLOAT64, 2, "q");
        Variable r = scan(a -> out(T.add(a.get(0), a.get(1))), List.of(new Sequence(q)), List.of(OutputInfo.none()), List.of(v),
                null).outputs().get(0);
        NDArray ok = OpTesting.vec(DType.FLOAT64, 1, 2);
        NDArray rows = NDArray.zeros(DType.FLOAT64, 2, 3);
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(v, q), List.of(r), ok, rows));
        assertTrue(e.getMessage().contains("cannot be broadcast") || e.getMessage().contains("dimension mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("inside Scan{scan_fn}"), e.getMessage());
        // a step whose result changes shape: the loop's own check
        Variable h = OpTesting.var(DType.FLOAT64, 1, "h");
        Variable bad = scan(a -> out(T.dimshuffle(T.sum(a.get(0)), DimShuffle.NEW_AXIS)), List.of(), List.of(OutputInfo.of(h)), List.of(),
                T.constant(2L)).outputs().get(0);
        TslException e2 = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(h), List.of(bad), ok));
        assertTrue(e2.getMessage().contains("the loop expects (2,)"), e2.getMessage());
    }

    @Test
    void gradientThroughScanIsCompiledToo() {
        // h_t = tanh(W h_{t-1} + U x_t); cost = sum(h): gradients wrt W, U, h0 and X
        Variable xs = OpTesting.var(DType.FLOAT64, 2, "xs");
        Variable w = OpTesting.var(DType.FLOAT64, 2, "w");
        Variable u = OpTesting.var(DType.FLOAT64, 2, "u");
        Variable h0 = OpTesting.var(DType.FLOAT64, 1, "h0");
        Variable hs = scan(a -> out(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))), List.of(new Sequence(xs)),
                List.of(OutputInfo.of(h0)), List.of(w, u), null).outputs().get(0);
        Variable cost = T.sum(hs);
        List<Variable> outs = new ArrayList<>(List.of(cost));
        outs.addAll(Gradient.grad(cost, List.of(w, u, h0, xs), null, "raise"));
        assertCompiled(List.of(xs, w, u, h0), outs, "Scan{scan_fn}", "Scan{grad_of_scan_fn}");
        same(List.of(xs, w, u, h0), outs, random(DType.FLOAT64, new int[] {7, 3}, -1, 1, 8),
                random(DType.FLOAT64, new int[] {4, 4}, -0.5, 0.5, 9), random(DType.FLOAT64, new int[] {4, 3}, -0.5, 0.5, 10),
                random(DType.FLOAT64, new int[] {4}, -1, 1, 11));
    }

    // ------------------------------------------------------------------ scan_save_mem (fast_run)

    private static tsl.compile.Function fastRun(String linker, List<Variable> inputs, List<Variable> outputs) {
        List<tsl.compile.In> ins = new ArrayList<>();
        for (Variable v : inputs) {
            ins.add(tsl.compile.In.of(v));
        }
        return new tsl.compile.FunctionBuilder().inputs(ins).outputs(outputs, false).onUnusedInput("ignore")
                .mode(new tsl.compile.Mode(linker, "fast_run")).build();
    }

    /** The unoptimized jvm reference against both linkers after fast_run (which keeps only the last row of such states). */
    private static void sameAfterSaveMem(List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        NDArray[] ref = NativeTesting.run("jvm", inputs, outputs, values);
        for (String linker : List.of("jvm", "c")) {
            NDArray[] got = fastRun(linker, inputs, outputs).call((Object[]) values);
            for (int i = 0; i < ref.length; i++) {
                NativeTesting.assertClose(ref[i], got[i], linker + " fast_run output " + i);
            }
        }
    }

    @Test
    void aStateReadOnlyThroughItsLastRowKeepsOnlyARing() {
        Variable init = OpTesting.var(DType.INT64, 1, "init");
        Variable n = OpTesting.var(DType.INT32, 0, "n");
        Variable fib = scan(a -> out(T.add(a.get(0), a.get(1))), List.of(), List.of(new OutputInfo(init, new int[] {-2, -1})),
                List.of(), n).outputs().get(0);
        Variable last = T.subtensor(fib, -1);
        FunctionGraph g = FunctionGraph.clone(List.of(init, n), List.of(last), Map.of());
        tsl.graph.Apply scanNode = g.toposort().stream().filter(a -> a.op() instanceof tsl.ops.control.Scan).findFirst().orElseThrow();
        List<Variable> kept = tsl.ops.control.ScanSaveMem.transform(g, scanNode);
        assertTrue(kept != null && ((tsl.ops.control.Scan) kept.get(0).owner().op()).lastOnly(0));
        NDArray iv = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {0, 1});
        for (int steps : new int[] {1, 2, 3, 4, 60}) {
            sameAfterSaveMem(List.of(init, n), List.of(last), iv, NDArray.scalar(steps, DType.INT32));
        }
        // a state also read whole is kept whole
        assertEquals(null, tsl.ops.control.ScanSaveMem.transform(FunctionGraph.clone(List.of(init, n), List.of(last, fib), Map.of()),
                FunctionGraph.clone(List.of(init, n), List.of(last, fib), Map.of()).toposort().stream()
                        .filter(a -> a.op() instanceof tsl.ops.control.Scan).findFirst().orElseThrow()));
        // no step: out[-1] fails on both linkers, as without the rewrite
        for (String linker : List.of("jvm", "c")) {
            assertThrows(TslException.class, () -> fastRun(linker, List.of(init, n), List.of(last)).call(iv, NDArray.scalar(0, DType.INT32)));
        }
    }

    @Test
    void rnnGradientAfterSaveMem() {
        Variable xs = OpTesting.var(DType.FLOAT64, 2, "xs");
        Variable w = OpTesting.var(DType.FLOAT64, 2, "w");
        Variable u = OpTesting.var(DType.FLOAT64, 2, "u");
        Variable h0 = OpTesting.var(DType.FLOAT64, 1, "h0");
        Variable hs = scan(a -> out(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))), List.of(new Sequence(xs)),
                List.of(OutputInfo.of(h0)), List.of(w, u), null).outputs().get(0);
        Variable cost = T.sum(T.sqr(hs));
        List<Variable> outs = new ArrayList<>(List.of(cost, T.subtensor(hs, -1)));
        outs.addAll(Gradient.grad(cost, List.of(w, u, h0, xs), null, "raise"));
        sameAfterSaveMem(List.of(xs, w, u, h0), outs, random(DType.FLOAT64, new int[] {9, 3}, -1, 1, 12),
                random(DType.FLOAT64, new int[] {5, 5}, -0.5, 0.5, 13), random(DType.FLOAT64, new int[] {5, 3}, -0.5, 0.5, 14),
                random(DType.FLOAT64, new int[] {5}, -1, 1, 15));
    }

    // ------------------------------------------------------------------ outer products (the BPTT step's dot)

    @Test
    void outerProductsTakeAPlainLoop() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32}) {
            Variable a = OpTesting.var(dt, 1, "a");
            Variable b = OpTesting.var(dt, 1, "b");
            List<Variable> outs = List.of(T.outer(a, b), T.outer(T.subtensor(a, new T.Slice(null, null, -2)), b), T.outer(b, b));
            String src = assertCompiled(List.of(a, b), outs, "dot");
            assertFalse(src.contains("cblas_"), "an outer product needs no BLAS call");
            same(List.of(a, b), outs, random(dt, new int[] {7}, -3, 3, 16), random(dt, new int[] {5}, -3, 3, 17));
            same(List.of(a, b), outs, NDArray.zeros(dt, 0), random(dt, new int[] {5}, -3, 3, 17));
        }
    }

    @Test
    void aStepWithAnOpThatHasNoCCodeKeepsTheWholeScanInJava() {
        // JavaOnlyOp (test-only) has no C code: the loop runs on the Java path, with the same result
        Variable m = OpTesting.var(DType.FLOAT64, 2, "m");
        Variable r = scan(a -> out(T.add(a.get(1), T.sum(T.mul(JavaOnlyOp.of(a.get(0)), T.arange(3L))))), List.of(new Sequence(m)),
                List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null).outputs().get(0);
        List<Variable> outs = List.of(r, T.exp(r));
        String src = assertCompiled(List.of(m), outs, "Elemwise{exp}");
        assertFalse(src.contains("/* Scan{"), "the scan has an inner op with no C code");
        same(List.of(m), outs, random(DType.FLOAT64, new int[] {4, 3}, -1, 1, 18));
    }

    @Test
    void aWhileLoopWhoseStatesOnlyLeaveAsTheLastRowRunsInC() {
        // what `while y < 100: y = y * 2` lowers to: a scan bounded by until alone, inside the ifelse on the first
        // condition; after FAST_RUN (scan_save_mem inside the branch) its state is a ring buffer and the loop is C
        Variable x = OpTesting.var(DType.FLOAT64, 0, "x");
        Variable all = scan(a -> new Step(List.of(T.mul(a.get(0), 2.0)), Map.of(), T.ge(T.mul(a.get(0), 2.0), 100.0)), List.of(),
                List.of(OutputInfo.of(x)), List.of(), null).outputs().get(0);
        List<Variable> outs = IfElse.build(T.lt(x, 100.0), List.of(T.subtensor(all, -1L)), List.of(x), "while");
        FunctionGraph g = FunctionGraph.clone(List.of(x), outs, Map.of());
        tsl.rewrite.RewriteDB.defaultDB().query("fast_run", java.util.Set.of(), java.util.Set.of()).optimize(g);
        List<Variable> free = new ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        String src = new NativeLinker().generatedSource(g, free);
        assertTrue(src != null && src.contains("/* Scan{"), "the while loop has C code:\n" + src);
        for (double v : new double[] {3.0, 99.0, 150.0, 0.75}) {
            same(List.of(x), outs, NDArray.scalar(v, DType.FLOAT64));
        }
    }

    @Test
    void aWhileLoopWhoseHistoryIsReadGrowsItsOutputsInC() {
        // until alone bounds the loop and every row leaves it (a whole history, a per-step output): they start at 16 rows
        // and double; 1, 40 and 300 steps cross no, two and five doublings
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Variable limit = OpTesting.var(DType.FLOAT64, 0, "limit");
        ScanBuilder.Result r = scan(a -> {
            Variable next = T.add(a.get(0), 1.0);
            return new Step(List.of(next, T.sum(next)), Map.of(), T.ge(T.subtensor(next, 0L), a.get(1)));
        }, List.of(), List.of(OutputInfo.of(x), OutputInfo.none()), List.of(limit), null);
        List<Variable> outs = List.of(r.outputs().get(0), r.outputs().get(1));
        assertCompiled(List.of(x, limit), outs, "Scan{");
        for (double n : new double[] {0.5, 40.0, 300.0}) {
            NDArray start = random(DType.FLOAT64, new int[] {3}, -0.5, 0, 23);
            NDArray[] got = same(List.of(x, limit), outs, start, NDArray.scalar(n, DType.FLOAT64));
            assertEquals((int) Math.ceil(n - start.getDouble(0)), got[0].dim(0));
        }
    }

    @Test
    void theGradientOfAWhileLoopRunsInC() {
        // the gradient reads the forward loop's whole history: that loop is C now, and the backward one too
        Variable x = OpTesting.var(DType.FLOAT64, 0, "x");
        Variable all = scan(a -> new Step(List.of(T.mul(a.get(0), 1.5)), Map.of(), T.ge(T.mul(a.get(0), 1.5), 100.0)), List.of(),
                List.of(OutputInfo.of(x)), List.of(), null).outputs().get(0);
        Variable last = T.subtensor(all, -1L);
        Variable g = Gradient.grad(last, List.of(x), null, "raise").get(0);
        String src = assertCompiled(List.of(x), List.of(last, g), "Scan{");
        assertTrue(src.contains("cannot grow an output of a while loop"), "the forward loop's history does not grow:\n" + src);
        for (double v : new double[] {1.0, 99.0, 0.01}) {
            same(List.of(x), List.of(last, g), NDArray.scalar(v, DType.FLOAT64));
        }
    }
}
