package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.check;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Elementwise fusion: which nodes fuse, and that fused loops compute what the unfused graph did, dtype by dtype. */
class FusionTest {
    private final Variable x = var(DType.FLOAT64, "x", -1);
    private final Variable y = var(DType.FLOAT64, "y", -1);

    private static long elemwiseCount(FunctionGraph g) {
        return g.toposort().stream().filter(a -> a.op() instanceof Elemwise).count();
    }

    @Test
    void aChainBecomesOneLoop() {
        FunctionGraph g = check(only("fusion"), List.of(x, y), List.of(T.add(T.mul(T.exp(x), y), 1.0)),
                "((exp(x) * y) + TensorConstant{1.0})", "Composite{((exp(i0) * i1) + i2)}(x, y, TensorConstant{1.0})",
                random(DType.FLOAT64, 1, 5), random(DType.FLOAT64, 2, 5));
        assertEquals(1, elemwiseCount(g));
    }

    @Test
    void broadcastingInsideTheGroupIsKept() {
        Variable m = var(DType.FLOAT64, "m", -1, -1);
        Variable row = var(DType.FLOAT64, "r", 1, -1);
        check(only("fusion"), List.of(m, row), List.of(T.tanh(T.add(m, T.sqr(row)))),
                "tanh((m + sqr(r)))", "Composite{tanh((i1 + sqr(i0)))}(r, m)",
                random(DType.FLOAT64, 3, 3, 4), random(DType.FLOAT64, 4, 1, 4));
    }

    @Test
    void aResultUsedElsewhereBecomesASecondOutputOfTheLoop() {
        Variable e = T.exp(x);
        FunctionGraph g = check(only("fusion"), List.of(x, y), List.of(T.mul(T.add(e, y), y), T.sum(e)),
                "((exp(x) + y) * y); Sum(exp(x))",
                "Elemwise{Composite{exp(i0), ((exp(i0) + i1) * i1)}}(x, y).1; "
                        + "Sum(Elemwise{Composite{exp(i0), ((exp(i0) + i1) * i1)}}(x, y).0)",
                random(DType.FLOAT64, 5, 4), random(DType.FLOAT64, 6, 4));
        assertEquals(0, elemwiseCount(g));
        assertEquals(1, g.toposort().stream().filter(a -> a.op() instanceof FusedElemwise).count());
    }

    @Test
    void aFillResultKeepsTheShapeOfWhatItFills() {
        // fill(tanh(x), 1) reads no value of x, but its shape is x's: the multi-output loop must keep that
        Variable e = T.tanh(x);
        FunctionGraph g = check(only("fusion"), List.of(x, y), List.of(T.mul(e, y), T.second(e, 1.0)),
                "(tanh(x) * y); second(tanh(x), TensorConstant{1.0})",
                "Elemwise{Composite{(tanh(i0) * i1), second(tanh(i0), i2)}}(x, y, TensorConstant{1.0}).0; "
                        + "Elemwise{Composite{(tanh(i0) * i1), second(tanh(i0), i2)}}(x, y, TensorConstant{1.0}).1",
                random(DType.FLOAT64, 12, 4), random(DType.FLOAT64, 13, 4));
        assertEquals(1, g.toposort().stream().filter(a -> a.op() instanceof FusedElemwise).count());
    }

    @Test
    void loopsOfDifferentShapesStaySeparate() {
        Variable m = var(DType.FLOAT64, "m", -1, -1);
        Variable e = T.exp(x);
        FunctionGraph g = check(only("fusion"), List.of(x, m), List.of(T.mul(e, 2.0), T.add(m, T.sqr(e))),
                "(exp(x) * TensorConstant{2.0}); (m + sqr(exp(x)))",
                // the vector work is one loop; the matrix add reads its second result through a DimShuffle
                "Elemwise{Composite{(exp(i0) * i1), sqr(exp(i0))}}(x, TensorConstant{2.0}).0; "
                        + "(m + Elemwise{Composite{(exp(i0) * i1), sqr(exp(i0))}}(x, TensorConstant{2.0}).1)",
                random(DType.FLOAT64, 7, 4), random(DType.FLOAT64, 8, 3, 4));
        assertEquals(1, g.toposort().stream().filter(a -> a.op() instanceof FusedElemwise).count());
        assertEquals(1, elemwiseCount(g));
    }

    @Test
    void aMergeThatWouldMakeACycleIsRefused() {
        // exp(x) feeds the loop directly and through a sum: one loop would read its own result
        Variable e = T.exp(x);
        FunctionGraph g = check(only("fusion"), List.of(x, y), List.of(T.mul(T.add(e, T.sum(e)), y), T.tanh(e)),
                "((exp(x) + Sum(exp(x))) * y); tanh(exp(x))",
                "Composite{((i0 + i1) * i2)}(Elemwise{Composite{exp(i0), tanh(exp(i0))}}(x).0, Sum(Elemwise{Composite{exp(i0), "
                        + "tanh(exp(i0))}}(x).0), y); Elemwise{Composite{exp(i0), tanh(exp(i0))}}(x).1",
                random(DType.FLOAT64, 9, 4), random(DType.FLOAT64, 10, 4));
        assertEquals(1, g.toposort().stream().filter(a -> a.op() instanceof FusedElemwise).count());
    }

    @Test
    void outputsOfDifferentRunTimeShapesAreEachComputedOverTheirOwnShape() {
        // x turns out to be 1 long at run time: exp(x) keeps length 1 while the loop over y has length 4
        Variable e = T.exp(x);
        FunctionGraph g = check(only("fusion"), List.of(x, y), List.of(T.mul(T.add(e, y), y), T.sum(e)),
                "((exp(x) + y) * y); Sum(exp(x))",
                "Elemwise{Composite{exp(i0), ((exp(i0) + i1) * i1)}}(x, y).1; "
                        + "Sum(Elemwise{Composite{exp(i0), ((exp(i0) + i1) * i1)}}(x, y).0)",
                random(DType.FLOAT64, 5, 1), random(DType.FLOAT64, 6, 4));
        assertEquals(1, g.toposort().stream().filter(a -> a.op() instanceof FusedElemwise).count());
    }

    @Test
    void aShapeMismatchInAFusedLoopIsAnErrorNamingTheLoop() {
        Variable e = T.exp(x);
        tsl.compile.Function f = new tsl.compile.FunctionBuilder().inputs(List.of(tsl.compile.In.of(x), tsl.compile.In.of(y)))
                .outputs(List.of(T.mul(T.add(e, y), y), T.sum(e)), false).mode(new tsl.compile.Mode("jvm", "fast_run")).build();
        assertTrue(f.graph().toposort().stream().anyMatch(a -> a.op() instanceof FusedElemwise), "the two results share a loop");
        tsl.graph.TslException err = org.junit.jupiter.api.Assertions.assertThrows(tsl.graph.TslException.class,
                () -> f.call(random(DType.FLOAT64, 1, 2), random(DType.FLOAT64, 2, 3)));
        assertEquals("ValueError", err.pythonType());
        assertTrue(err.getMessage().contains("Input dimension mismatch"), err.getMessage());
        assertTrue(err.getMessage().contains("Composite"), "names the fused loop: " + err.getMessage());
    }

    @Test
    void float32StepsRoundAsTheUnfusedLoopDid() {
        Variable a = var(DType.FLOAT32, "a", -1);
        Variable b = var(DType.FLOAT32, "b", -1);
        FunctionGraph g = check(only("fusion"), List.of(a, b), List.of(T.sub(T.mul(T.add(a, b), T.add(a, b)), T.mul(a, a))),
                "(((a + b) * (a + b)) - (a * a))", "Composite{(((i0 + i1) * (i0 + i1)) - (i0 * i0))}(a, b)",
                NDArray.fromDoubles(DType.FLOAT32, new int[] {3}, new double[] {1e8f, 3.3f, -7.1f}),
                NDArray.fromDoubles(DType.FLOAT32, new int[] {3}, new double[] {1.25f, 1e-3f, 2.2f}));
        assertEquals(DType.FLOAT32, g.outputs().get(0).dtype());
    }

    @Test
    void integerStepsWrapAsTheUnfusedLoopDid() {
        Variable i = var(DType.INT8, "i", -1);
        Variable j = var(DType.INT8, "j", -1);
        check(only("fusion"), List.of(i, j), List.of(T.mul(T.add(i, j), j)), "((i + j) * j)", "Composite{((i0 + i1) * i1)}(i, j)",
                NDArray.fromLongs(DType.INT8, new int[] {3}, new long[] {100, -100, 5}),
                NDArray.fromLongs(DType.INT8, new int[] {3}, new long[] {100, -50, 7}));
    }

    @Test
    void mixedBoolIntegerAndFloatSteps() {
        Variable i = var(DType.INT32, "i", -1);
        check(only("fusion"), List.of(i, x), List.of(T.mul(T.cast(T.gt(T.add(i, 1), 0), DType.FLOAT64), T.exp(x))),
                "(Cast{float64}(((i + TensorConstant{1}) > TensorConstant{0})) * exp(x))",
                "Composite{(Cast{float64}(((i1 + i2) > i3)) * exp(i0))}(x, i, TensorConstant{1}, TensorConstant{0})",
                NDArray.fromLongs(DType.INT32, new int[] {3}, new long[] {-3, 0, 4}), random(DType.FLOAT64, 7, 3));
    }

    @Test
    void fusedGraphRunsThroughTheGenericElemwise() {
        FunctionGraph g = RewriteTesting.graph(List.of(x, y), T.sigmoid(T.sub(T.mul(x, y), x)));
        only("fusion").optimize(g);
        assertTrue(g.outputs().get(0).owner().op() instanceof Elemwise e && e.scalar().name().startsWith("Composite"));
    }

    @Test
    void aLoopTakesAtMost32InputsSoLongChainsSplit() {
        Variable v = x;
        for (int k = 0; k < 100; k++) {
            v = T.mul(T.add(v, T.constant(k + 0.5)), y);
        }
        FunctionGraph g = RewriteTesting.graph(List.of(x, y), v);
        only("fusion").optimize(g);
        long loops = elemwiseCount(g);
        // 100 distinct constants and two inputs: at least 4 loops, and far fewer than the 200 nodes
        assertTrue(loops >= 4 && loops <= 6, "loops: " + loops);
        for (var a : g.toposort()) {
            assertTrue(a.inputs().size() <= 32, a.toString());
        }
        NDArray xv = random(DType.FLOAT64, 8, 3);
        NDArray yv = NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {0.5, -0.25, 0.75});
        NDArray want = RewriteTesting.run(RewriteTesting.graph(List.of(x, y), v), List.of(x, y), xv, yv)[0];
        NDArray got = RewriteTesting.run(g, List.of(x, y), xv, yv)[0];
        assertTrue(NDArray.allClose(want, got, 1e-12, 0), want + " vs " + got);
    }
}
