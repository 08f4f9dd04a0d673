package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import tsl.compile.Config;
import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Op;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.linker.c.NativeLinker;
import tsl.ops.T;
import tsl.ops.control.IfElse;
import tsl.ops.elemwise.Elemwise;
import tsl.printing.DebugPrint;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The in-place pass: which loops write into an input, that they really do (the jvm linker
 * returns the input's own buffer), and what must never be overwritten — the caller's
 * arrays, shared variables' values (even when the call fails), values an IfElse branch
 * reads, and other outputs.
 */
class InplaceTest {
    private final Variable x = var(DType.FLOAT64, "x", -1);
    private final Variable y = var(DType.FLOAT64, "y", -1);

    /** The default optimizer without fusion, so that single elementwise nodes are left to go in place. */
    private static Function compile(List<In> ins, List<Variable> outs, Map<SharedVariable, Variable> updates, Mode mode) {
        String before = Config.get("optimizer_excluding");
        try {
            Config.set("optimizer_excluding", "fusion");
            FunctionBuilder b = new FunctionBuilder().inputs(ins).outputs(outs, false).mode(mode);
            updates.forEach(b::update);
            return b.build();
        } finally {
            Config.set("optimizer_excluding", before == null ? "" : before);
        }
    }

    private static List<Apply> inplaceNodes(FunctionGraph g) {
        return g.toposort().stream().filter(a -> !a.op().destroyMap().isEmpty()).toList();
    }

    @Test
    void aLoopWritesIntoAnIntermediateButNeverIntoAnInput() {
        FunctionGraph before = RewriteTesting.graph(List.of(x, y), T.add(T.exp(x), y));
        FunctionGraph g = RewriteTesting.graph(List.of(x, y), T.add(T.exp(x), y));
        RewriteTesting.only("inplace").optimize(g);
        assertEquals("Elemwise{add,no_inplace} [id A] ''\n |Elemwise{exp,no_inplace} [id B] ''\n | |x [id C]\n |y [id D]\n",
                DebugPrint.of(before.outputs(), false));
        assertEquals("Elemwise{add,inplace} [id A] ''\n |Elemwise{exp,no_inplace} [id B] ''\n | |x [id C]\n |y [id D]\n",
                DebugPrint.of(g.outputs(), false));
        List<Apply> inplace = inplaceNodes(g);
        assertEquals(1, inplace.size());
        assertEquals(Map.of(0, 0), inplace.get(0).op().destroyMap(), "add writes into exp(x), not into x or y");
        NDArray xv = random(DType.FLOAT64, 1, 6);
        NDArray yv = random(DType.FLOAT64, 2, 6);
        assertArrayEquals(RewriteTesting.run(before, List.of(x, y), xv, yv)[0].toDoubleArray(),
                RewriteTesting.run(g, List.of(x, y), xv, yv)[0].toDoubleArray());
    }

    @Test
    void theJvmLinkerReturnsTheDestroyedInputsOwnBuffer() {
        FunctionGraph g = RewriteTesting.graph(List.of(x, y), T.add(T.exp(x), y));
        RewriteTesting.only("inplace").optimize(g);
        Apply add = inplaceNodes(g).get(0);
        NDArray e = NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {1, 2, 3});
        NDArray yv = NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {10, 20, 30});
        NDArray r = add.op().perform(add, new NDArray[] {e, yv})[0];
        assertSame(e, r, "no new array: the result is the input's buffer");
        assertArrayEquals(new double[] {11, 22, 33}, r.toDoubleArray());
        assertArrayEquals(new double[] {10, 20, 30}, yv.toDoubleArray(), "the other input is only read");
        // broadcast at run time (e has one element): the output cannot fit, a new array is allocated
        NDArray one = NDArray.fromDoubles(DType.FLOAT64, new int[] {1}, new double[] {1});
        NDArray wide = add.op().perform(add, new NDArray[] {one, yv})[0];
        assertNotSame(one, wide);
        assertArrayEquals(new double[] {1}, one.toDoubleArray());
        assertArrayEquals(new double[] {11, 21, 31}, wide.toDoubleArray());
    }

    @Test
    void setAndIncSubtensorWriteIntoAnIntermediateOnly() {
        Variable e = T.exp(x);
        Variable out = T.incSubtensor(T.subtensor(T.setSubtensor(T.subtensor(e, 0), T.subtensor(y, 1)), 2), 10.0);
        FunctionGraph g = RewriteTesting.check(RewriteTesting.only("inplace_setsubtensor"), List.of(x, y), List.of(out),
                "IncSubtensor{2}(SetSubtensor{0}(exp(x), Subtensor{1}(y)), TensorConstant{10.0})",
                "IncSubtensor{2;inplace}(SetSubtensor{0;inplace}(exp(x), Subtensor{1}(y)), TensorConstant{10.0})",
                random(DType.FLOAT64, 11, 4), random(DType.FLOAT64, 12, 4));
        assertEquals(2, inplaceNodes(g).size());
        Apply set = inplaceNodes(g).get(0);
        NDArray ev = NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {1, 2, 3});
        NDArray r = set.op().perform(set, new NDArray[] {ev, NDArray.scalar(9.0, DType.FLOAT64)})[0];
        assertSame(ev, r);
        assertArrayEquals(new double[] {9, 2, 3}, r.toDoubleArray());
        // on a function input nothing goes in place: the caller's array is left alone
        FunctionGraph onInput = RewriteTesting.graph(List.of(x), T.setSubtensor(T.subtensor(x, 0), 5.0));
        RewriteTesting.only("inplace_setsubtensor").optimize(onInput);
        assertEquals(0, inplaceNodes(onInput).size());
    }

    @Test
    void valuesAreUnchangedAndTheCallersArraysAreIntact() {
        Variable out = T.mul(T.add(T.exp(x), y), T.sub(y, 1.0));
        Function f = compile(List.of(In.of(x), In.of(y)), List.of(out, T.neg(x)), Map.of(), Mode.fromName("FAST_RUN"));
        assertTrue(inplaceNodes(f.graph()).size() >= 2, DebugPrint.of(f, false));
        Function ref = compile(List.of(In.of(x), In.of(y)), List.of(out, T.neg(x)), Map.of(), new Mode("jvm", "None"));
        NDArray xv = random(DType.FLOAT64, 3, 5);
        NDArray yv = random(DType.FLOAT64, 4, 5);
        double[] x0 = xv.toDoubleArray();
        double[] y0 = yv.toDoubleArray();
        NDArray[] got = f.call(xv, yv);
        NDArray[] want = ref.call(xv, yv);
        assertArrayEquals(want[0].toDoubleArray(), got[0].toDoubleArray());
        assertArrayEquals(want[1].toDoubleArray(), got[1].toDoubleArray());
        assertArrayEquals(x0, xv.toDoubleArray(), "the caller's x");
        assertArrayEquals(y0, yv.toDoubleArray(), "the caller's y");
        assertNotSame(got[0].segment(), got[1].segment(), "outputs never share a buffer");
        NDArray[] again = f.call(xv, yv);
        assertNotSame(got[0].segment(), again[0].segment(), "an earlier result is not overwritten by the next call");
        assertArrayEquals(want[0].toDoubleArray(), got[0].toDoubleArray());
    }

    @Test
    void sharedValuesSurviveAFailingCallAndAreReplacedOnlyOnSuccess() {
        SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 1),
                NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {1, 2, 3}), "w");
        // (w * 2 + 1) * x: both intermediate loops go in place; the last one fails when x has the wrong length
        Variable next = T.mul(T.add(T.mul(w, 2.0), 1.0), x);
        Function f = compile(List.of(In.of(x)), List.of(T.sum(next)), Map.of(w, next), Mode.fromName("FAST_RUN"));
        assertTrue(!inplaceNodes(f.graph()).isEmpty(), DebugPrint.of(f, false));
        NDArray stored = w.getValue(true);
        TslException e = assertThrows(TslException.class,
                () -> f.call(NDArray.fromDoubles(DType.FLOAT64, new int[] {2}, new double[] {1, 1})));
        assertTrue(e.getMessage().contains("mismatch") || e.getMessage().contains("broadcast"), e.getMessage());
        assertSame(stored, w.getValue(true), "no update was committed");
        assertArrayEquals(new double[] {1, 2, 3}, stored.toDoubleArray(), "and the stored value was not written into");
        f.call(NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {1, 1, 1}));
        assertArrayEquals(new double[] {1, 2, 3}, stored.toDoubleArray(), "the old value object is still intact");
        assertArrayEquals(new double[] {3, 5, 7}, w.getValue(true).toDoubleArray());
    }

    /** Counts how often its (identity) perform runs: shows which IfElse branch was evaluated. */
    static final class Counting implements Op {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public Apply makeNode(List<Variable> inputs) {
            return new Apply(this, inputs, List.of(inputs.get(0).type()));
        }

        @Override
        public NDArray[] perform(Apply node, NDArray[] in) {
            runs.incrementAndGet();
            return new NDArray[] {in[0].copy()};
        }
    }

    @Test
    void ifelseStaysLazyAndItsBranchInputsIntact() {
        Variable c = var(DType.FLOAT64, "c");
        Counting thenCount = new Counting();
        Counting elseCount = new Counting();
        Variable shared = T.exp(x); // read by both branches and by a loop after the IfElse
        Variable z = IfElse.build(T.gt(c, 0), List.of(T.add(T.exp(thenCount.makeNode(List.of(shared)).output()), 1.0)),
                List.of(T.mul(T.log(elseCount.makeNode(List.of(shared)).output()), 2.0)), null).get(0);
        Variable out = T.add(T.mul(z, 3.0), shared);
        Function f = compile(List.of(In.of(c), In.of(x)), List.of(out), Map.of(), Mode.fromName("FAST_RUN"));
        Function ref = compile(List.of(In.of(c), In.of(x)), List.of(out), Map.of(), new Mode("jvm", "None"));
        NDArray xv = NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {0.5, 1, 2});
        NDArray[] got = f.call(NDArray.scalar(1.0, DType.FLOAT64), xv);
        assertEquals(1, thenCount.runs.get());
        assertEquals(0, elseCount.runs.get(), "the else branch did not run");
        got = new NDArray[] {got[0], f.call(NDArray.scalar(-1.0, DType.FLOAT64), xv)[0]};
        assertEquals(1, thenCount.runs.get(), "the then branch did not run");
        assertEquals(1, elseCount.runs.get());
        assertArrayEquals(ref.call(NDArray.scalar(1.0, DType.FLOAT64), xv)[0].toDoubleArray(), got[0].toDoubleArray());
        assertArrayEquals(ref.call(NDArray.scalar(-1.0, DType.FLOAT64), xv)[0].toDoubleArray(), got[1].toDoubleArray());
        // the value both branches and the final add read has two clients: it is never written into
        for (Apply a : inplaceNodes(f.graph())) {
            for (int destroyed : a.op().destroyMap().values()) {
                Apply owner = a.input(destroyed).owner();
                assertTrue(owner != null && !(owner.op() instanceof IfElse), "an IfElse output may alias its inputs: " + a);
                assertEquals(1, f.graph().clients(a.input(destroyed)).size(), a.toString());
            }
        }
    }

    @Test
    void theNativeLinkerIgnoresTheDestroyMapAndComputesTheSameValues() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeLinker.available(), "gcc is not installed");
        Variable out = T.mul(T.add(T.exp(x), y), T.sub(y, 1.0));
        Function jvm = compile(List.of(In.of(x), In.of(y)), List.of(out), Map.of(), new Mode("jvm", "fast_run"));
        Function nat = compile(List.of(In.of(x), In.of(y)), List.of(out), Map.of(), new Mode("c", "fast_run"));
        assertTrue(inplaceNodes(nat.graph()).stream().anyMatch(a -> a.op() instanceof Elemwise));
        NDArray xv = random(DType.FLOAT64, 5, 7);
        NDArray yv = random(DType.FLOAT64, 6, 7);
        double[] x0 = xv.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(jvm.call(xv, yv)[0].toDoubleArray(), nat.call(xv, yv)[0].toDoubleArray(), 1e-12);
        }
        assertArrayEquals(x0, xv.toDoubleArray());
    }
}
