package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.compile.Mode;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Calls of native functions: buffers between calls, threads, DebugMode. */
class NativeProgramTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    @Test
    void outputsOfOneCallSurviveTheNext() {
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        // the exp is an intermediate (a kept buffer); the outputs must be fresh every call
        Function f = NativeTesting.compile("c", List.of(x), List.of(T.mul(T.exp(x), 2), T.sum(T.exp(x))));
        NDArray[] first = f.call(OpTesting.vec(DType.FLOAT64, 0, 1));
        double[] before = first[0].toDoubleArray();
        NDArray[] second = f.call(OpTesting.vec(DType.FLOAT64, 2, 3, 4));
        assertArrayEquals(before, first[0].toDoubleArray());
        assertNotSame(first[0].segment(), second[0].segment());
        assertArrayEquals(new double[] {2 * Math.exp(2), 2 * Math.exp(3), 2 * Math.exp(4)}, second[0].toDoubleArray(), 1e-12);
        // a smaller call after a larger one reuses the grown buffer
        NDArray[] third = f.call(OpTesting.vec(DType.FLOAT64, 5));
        assertEquals(Math.exp(5), third[1].item(), 1e-9);
    }

    @Test
    void viewsOfInputsAreNotHandedOutAsAliases() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Function f = NativeTesting.compile("c", List.of(x), List.of(T.transpose(x)));
        NDArray in = OpTesting.arr(DType.FLOAT64, new int[] {2, 2}, 1, 2, 3, 4);
        NDArray out = f.call(in)[0];
        assertArrayEquals(new double[] {1, 3, 2, 4}, out.toDoubleArray());
        in.setDouble(0, 99);
        assertEquals(1, out.getDouble(0), "Function copies outputs that alias inputs");
    }

    @Test
    void concurrentCallsDoNotShareBuffers() throws Exception {
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Function f = NativeTesting.compile("c", List.of(x), List.of(T.sum(T.mul(T.exp(x), x))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                final int n = 1000 + t * 997;
                results.add(pool.submit(() -> {
                    NDArray v = random(DType.FLOAT64, new int[] {n}, -1, 1, n);
                    double expect = 0;
                    for (int i = 0; i < n; i++) {
                        expect += Math.exp(v.getDouble(i)) * v.getDouble(i);
                    }
                    double got = 0;
                    for (int rep = 0; rep < 20; rep++) {
                        got = f.call(v)[0].item();
                    }
                    return new double[] {expect, got};
                }));
            }
            for (Future<double[]> r : results) {
                double[] p = r.get();
                assertEquals(p[0], p[1], 1e-9 * Math.abs(p[0]));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void debugModeAgreesOnCorrectCode() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Function f = NativeTesting.compile("debug", List.of(x, y), List.of(T.softmax(T.add(T.dot(x, T.transpose(x)), T.sum(y)))));
        NDArray out = f.call(random(DType.FLOAT64, new int[] {3, 2}, -1, 1, 1), random(DType.FLOAT64, new int[] {4}, -1, 1, 2))[0];
        assertArrayEquals(new int[] {3, 3}, out.shape());
        assertEquals("debug", Mode.fromName("DebugMode").linker());
    }

    @Test
    void debugModeNamesTheFirstNodeThatDiffers() {
        // an op whose C code deliberately disagrees with its Java reference
        ScalarOp wrong = new ScalarOp("plus_one", 1, ScalarOp.OutputRule.UPCAST, v -> v[0] + 1, v -> v[0] + 1,
                a -> "(" + a[0] + " + 2)", (xs, z, gz) -> List.of(gz));
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        tsl.graph.SourceLocation loc = new tsl.graph.SourceLocation("bad.tsl", 7, 3, "");
        tsl.graph.SourceLocation prev = tsl.graph.SourceLocation.enter(loc);
        Variable bad;
        try {
            bad = new Elemwise(wrong).makeNode(List.of(T.exp(x))).output();
        } finally {
            tsl.graph.SourceLocation.exit(prev);
        }
        Function f = NativeTesting.compile("debug", List.of(x), List.of(T.mul(bad, 3)));
        TslException e = assertThrows(TslException.class, () -> f.call(OpTesting.vec(DType.FLOAT64, 0.5, 1)));
        assertEquals("DebugModeError", e.pythonType());
        assertTrue(e.getMessage().contains("Elemwise{plus_one}"), e.getMessage());
        assertTrue(e.getMessage().contains("flat index 0"), e.getMessage());
        assertEquals(loc, e.location());
    }

    @Test
    void debugDifferenceReportsShapeAndDtype() {
        assertTrue(DebugLinker.difference(NDArray.zeros(DType.FLOAT64, 2), NDArray.zeros(DType.FLOAT32, 2)).startsWith("dtype float64"));
        assertTrue(DebugLinker.difference(NDArray.zeros(DType.FLOAT64, 2), NDArray.zeros(DType.FLOAT64, 3)).startsWith("shape (2,)"));
        assertEquals(null, DebugLinker.difference(OpTesting.vec(DType.FLOAT64, 1, Double.NaN), OpTesting.vec(DType.FLOAT64, 1, Double.NaN)));
    }

    @Test
    void generatedSourceIsOneTranslationUnitWithASegmentPerRun() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable j = JavaOnlyOp.of(T.exp(x));
        tsl.graph.FunctionGraph g = tsl.graph.FunctionGraph.clone(List.of(x), List.of(T.sum(j)), java.util.Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(x));
        assertTrue(src.contains("int tsl_seg0(") && src.contains("int tsl_seg1("), "two segments around the Java step");
        assertTrue(!src.contains("cblas"), "no BLAS where no dot is");
    }

    @Test
    void theSameGraphGeneratesTheSameCode() {
        // the cache key is a hash of the code: it must not depend on hash order or variable ids
        java.util.function.Supplier<String> gen = () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
            Variable y = T.add(T.exp(x), T.dot(x, T.transpose(x)));
            tsl.graph.FunctionGraph g = tsl.graph.FunctionGraph.clone(List.of(x), List.of(y, T.sum(y), T.mul(y, 2)), java.util.Map.of());
            return new NativeLinker().generatedSource(g, List.of(x));
        };
        assertEquals(gen.get(), gen.get());
    }
}
