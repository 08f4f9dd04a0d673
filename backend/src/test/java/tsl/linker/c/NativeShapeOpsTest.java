package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.reduce.ReducedCount;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Shape, Subtensor{k} of a vector, Alloc of a scalar and ReducedCount in C, against the jvm reference. */
class NativeShapeOpsTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static String firstLine(TslException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }

    @Test
    void shapeArithmeticAndAllocMatchTheReference() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable y = OpTesting.var(DType.FLOAT32, 3, "y");
        Variable rows = T.subtensor(T.shape(x), 0);
        Variable last = T.subtensor(T.shape(y), -1);
        List<Variable> outs = List.of(T.shape(x), T.shape(y), rows, last,
                T.alloc(T.constant(0.0), rows, last), T.alloc(T.constant(2.5f, DType.FLOAT32), last, rows),
                T.alloc(T.constant(-0.0), rows), T.alloc(T.constant(7L, DType.INT64), rows, T.constant(2L, DType.INT64)),
                T.alloc(T.constant(0.0), T.subtensor(T.shape(x), 1), T.constant(0L, DType.INT64)),
                T.reducedCount(x, null), T.reducedCount(y, new int[] {0, 2}), T.reducedCount(y, new int[] {-1}),
                new ReducedCount(new int[] {0}).makeNode(List.of(x, T.transpose(x))).output());
        FunctionGraph g = FunctionGraph.clone(List.of(x, y), outs, Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(x, y));
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
        same(List.of(x, y), outs, random(DType.FLOAT64, new int[] {3, 3}, -1, 1, 1), random(DType.FLOAT32, new int[] {2, 4, 5}, -1, 1, 2));
    }

    @Test
    void aConstantIndexOutOfRangeIsTheReferencesIndexError() {
        Variable v = OpTesting.var(DType.INT64, 1, "v");
        Variable at = T.subtensor(v, -4);
        NDArray three = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {4, 5, 6});
        TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(v), List.of(at), three));
        TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(v), List.of(at), three));
        assertEquals("IndexError", nat.pythonType());
        assertEquals(firstLine(jvm), firstLine(nat));
        assertEquals("index -4 is out of bounds for axis 0 with size 3", firstLine(nat));
        same(List.of(v), List.of(at), NDArray.fromLongs(DType.INT64, new int[] {4}, new long[] {4, 5, 6, 7}));
    }

    @Test
    void negativeLengthsAndMismatchedShapesFailAsInTheReference() {
        Variable n = OpTesting.var(DType.INT64, 0, "n");
        Variable z = T.alloc(T.constant(0.0), n);
        TslException e = assertThrows(TslException.class,
                () -> NativeTesting.run("c", List.of(n), List.of(z), NDArray.scalar(-2L, DType.INT64)));
        assertEquals("ValueError", e.pythonType());
        assertEquals("negative dimensions are not allowed", firstLine(e));

        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 2, "b");
        Variable c = new ReducedCount(null).makeNode(List.of(a, b)).output();
        NDArray x = NDArray.zeros(DType.FLOAT64, 2, 3);
        NDArray y = NDArray.zeros(DType.FLOAT64, 4, 3);
        TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(a, b), List.of(c), x, y));
        TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(a, b), List.of(c), x, y));
        assertEquals(firstLine(jvm), firstLine(nat));
        assertFalse(firstLine(nat).isEmpty());
    }

    @Test
    void cumulativeSumsProductsAndEyeMatchTheReference() {
        Variable x = OpTesting.var(DType.FLOAT32, 3, "x");
        Variable n = OpTesting.var(DType.INT64, 2, "n");
        Variable k = OpTesting.var(DType.INT64, 0, "k");
        List<Variable> in = List.of(x, n, k);
        List<Variable> outs = List.of(T.cumsum(x), T.cumsum(x, 1), T.cumprod(x, -1), T.cumsum(T.transpose(x), 0), T.cumprod(n, 0),
                T.cumsum(n, 1), T.eye(k, T.constant(4L, DType.INT64), k, DType.FLOAT64), T.eye(T.constant(3L, DType.INT64), k, T.constant(-1L, DType.INT64), DType.INT8));
        FunctionGraph g = FunctionGraph.clone(in, outs, Map.of());
        String src = new NativeLinker().generatedSource(g, in);
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
        // a cumprod of int64 that overflows wraps as Java's long does
        NDArray big = NDArray.fromLongs(DType.INT64, new int[] {3, 2}, new long[] {1L << 40, 3, 1L << 30, -5, 1L << 20, 7});
        same(in, outs, random(DType.FLOAT32, new int[] {2, 3, 4}, 0.5, 1.5, 3), big, NDArray.scalar(2L, DType.INT64));
        same(in, outs, random(DType.FLOAT32, new int[] {1, 0, 4}, 0.5, 1.5, 3), big, NDArray.scalar(0L, DType.INT64));
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", in, outs,
                random(DType.FLOAT32, new int[] {1, 1, 1}, 0, 1, 1), big, NDArray.scalar(-1L, DType.INT64)));
        assertEquals("negative dimensions are not allowed", firstLine(e));
    }
}
