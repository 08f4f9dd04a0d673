package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Repeat, Sort/ArgSort, Nonzero and BatchedDot in C, against the jvm reference. */
class NativeSmallOpsTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static String firstLine(TslException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }

    /** Asserts the graph compiles to one native segment in which each of {@code ops} has C code. */
    private static String oneSegment(List<Variable> in, List<Variable> outs, String... ops) {
        FunctionGraph g = FunctionGraph.clone(in, outs, Map.of());
        String src = new NativeLinker().generatedSource(g, in);
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step:\n" + src);
        for (String op : ops) {
            assertTrue(src.contains("/* " + op), op + " has no C code");
        }
        return src;
    }

    /** Both linkers fail with the same error type and first line; returns that line. */
    private static String sameError(List<Variable> in, List<Variable> outs, NDArray... values) {
        TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", in, outs, values));
        TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", in, outs, values));
        assertEquals(jvm.pythonType(), nat.pythonType());
        assertEquals(firstLine(jvm), firstLine(nat));
        return firstLine(nat);
    }

    private static NDArray longs(DType d, int[] shape, long... v) {
        return NDArray.fromLongs(d, shape, v);
    }

    private static NDArray doubles(DType d, int[] shape, double... v) {
        return NDArray.fromDoubles(d, shape, v);
    }

    @Test
    void repeatMatchesTheReference() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32, DType.INT8, DType.BOOL}) {
            Variable x = OpTesting.var(dt, 2, "x");
            Variable k = OpTesting.var(DType.INT64, 0, "k");
            Variable r = OpTesting.var(DType.INT32, 1, "r");
            List<Variable> in = List.of(x, k, r);
            List<Variable> outs = List.of(T.repeat(x, k, 0), T.repeat(x, k, -1), T.repeat(x, r, 1), T.repeat(T.transpose(x), r, 0),
                    T.repeat(x, k), T.repeat(T.subtensor(x, new T.Slice(null, null, -1)), k, 1));
            oneSegment(in, outs, "Repeat{axis=0}", "Repeat{axis=1}");
            NDArray xv = random(dt, new int[] {3, 4}, -5, 5, 1);
            same(in, outs, xv, NDArray.scalar(2L, DType.INT64), longs(DType.INT32, new int[] {4}, 0, 3, 1, 2));
            same(in, outs, xv, NDArray.scalar(0L, DType.INT64), longs(DType.INT32, new int[] {1}, 2));
            // a strided input array and empty arrays
            same(in, outs, random(dt, new int[] {4, 3}, -5, 5, 2).transpose(), NDArray.scalar(1L, DType.INT64),
                    longs(DType.INT32, new int[] {4}, 1, 0, 0, 5));
            same(in, outs, NDArray.zeros(dt, 4, 0), NDArray.scalar(3L, DType.INT64), longs(DType.INT32, new int[] {0}));
            same(in, outs, NDArray.zeros(dt, 0, 4), NDArray.scalar(3L, DType.INT64), longs(DType.INT32, new int[] {4}, 1, 2, 3, 4));
        }
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Variable c = OpTesting.var(DType.UINT8, 1, "c");
        Variable out = T.repeat(v, c, 0);
        NDArray rep = same(List.of(v, c), List.of(out), doubles(DType.FLOAT64, new int[] {3}, 1.5, -2, 7),
                longs(DType.UINT8, new int[] {3}, 200, 0, 1))[0];
        assertArrayEquals(new int[] {201}, rep.shape());
        assertEquals(7.0, rep.getDouble(200));
    }

    @Test
    void repeatErrorsAreTheReferences() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable k = OpTesting.var(DType.INT64, 0, "k");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        List<Variable> in = List.of(x, k, r);
        NDArray xv = random(DType.FLOAT64, new int[] {2, 3}, -1, 1, 3);
        assertEquals("repeats may not contain negative values.",
                sameError(in, List.of(T.repeat(x, k, 1)), xv, NDArray.scalar(-1L, DType.INT64), longs(DType.INT64, new int[] {3}, 1, 1, 1)));
        assertEquals("repeats may not contain negative values.",
                sameError(in, List.of(T.repeat(x, r, 1)), xv, NDArray.scalar(1L, DType.INT64), longs(DType.INT64, new int[] {3}, 1, -2, 1)));
        assertEquals("operands could not be broadcast together with shape (3,) (2,)",
                sameError(in, List.of(T.repeat(x, r, -1)), xv, NDArray.scalar(1L, DType.INT64), longs(DType.INT64, new int[] {2}, 1, 1)));
        assertEquals("repeat: the result would have more than 2147483647 elements along axis 1",
                sameError(in, List.of(T.repeat(x, r, 1)), xv, NDArray.scalar(1L, DType.INT64),
                        longs(DType.INT64, new int[] {3}, 1L << 31, 1L << 62, -1)));
        // no element along the axis: a negative count is never read, in either linker
        same(in, List.of(T.repeat(x, k, 0)), NDArray.zeros(DType.FLOAT64, 0, 3), NDArray.scalar(-1L, DType.INT64),
                longs(DType.INT64, new int[] {0}));
    }

    @Test
    void sortAndArgsortMatchTheReference() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT64, DType.INT16, DType.UINT8, DType.BOOL}) {
            Variable x = OpTesting.var(dt, 3, "x");
            List<Variable> in = List.of(x);
            List<Variable> outs = new ArrayList<>();
            for (Integer axis : new Integer[] {0, 1, 2, -1, -3, null}) {
                outs.add(T.sort(x, axis));
                outs.add(T.argsort(x, axis));
            }
            outs.add(T.sort(T.transpose(x), 1));
            outs.add(T.argsort(T.subtensor(x, new T.Slice(null, null, -1), new T.Slice(null, null, 2)), 1));
            oneSegment(in, outs, "Sort{axis=0}", "ArgSort{axis=2}");
            // few distinct values: many ties, so stability shows in argsort
            same(in, outs, random(dt, new int[] {3, 5, 4}, -3, 3, 4));
            same(in, outs, random(dt, new int[] {2, 70, 3}, -4, 4, 5)); // lines longer than a run of 16: the merges
            same(in, outs, random(dt, new int[] {3, 4, 5}, -3, 3, 6).transpose(2, 0, 1));
            same(in, outs, NDArray.zeros(dt, 0, 3, 2));
            same(in, outs, NDArray.zeros(dt, 2, 0, 3));
        }
    }

    @Test
    void sortPutsNaNLastAndKeepsSignedZerosInOrder() {
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        double nan = Double.NaN;
        NDArray xv = doubles(DType.FLOAT64, new int[] {9}, nan, 0.0, -1, -0.0, nan, Double.NEGATIVE_INFINITY, 0.0, -0.0, 2);
        NDArray[] r = same(List.of(v), List.of(T.sort(v), T.argsort(v)), xv);
        // NumPy: [-inf, -1, 0, -0, 0, -0, 2, nan, nan], argsort [5, 2, 1, 3, 6, 7, 8, 0, 4]
        assertArrayEquals(new long[] {5, 2, 1, 3, 6, 7, 8, 0, 4}, r[1].toLongArray());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(r[0].getDouble(3)));
        assertTrue(Double.isNaN(r[0].getDouble(7)) && Double.isNaN(r[0].getDouble(8)));
        Variable f = OpTesting.var(DType.FLOAT32, 2, "f");
        NDArray big = random(DType.FLOAT32, new int[] {5, 100}, -2, 2, 7);
        for (int i = 0; i < 100; i += 7) {
            big.setDouble(i, nan);
            big.setDouble(300 + i / 2, nan);
        }
        same(List.of(f), List.of(T.sort(f, 1), T.argsort(f, 1), T.sort(f, 0), T.argsort(f, null)), big);
    }

    @Test
    void nonzeroMatchesTheReference() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT8, DType.UINT8, DType.BOOL}) {
            Variable x = OpTesting.var(dt, 3, "x");
            Variable v = OpTesting.var(dt, 1, "v");
            List<Variable> in = List.of(x, v);
            List<Variable> outs = new ArrayList<>(T.nonzero(x));
            outs.addAll(T.nonzero(T.transpose(x)));
            outs.addAll(T.nonzero(v));
            outs.add(T.nonzeroValues(x));
            oneSegment(in, outs, "Nonzero");
            same(in, outs, random(dt, new int[] {3, 4, 5}, -1.5, 1.5, 8), random(dt, new int[] {7}, -1, 1, 9));
            same(in, outs, random(dt, new int[] {5, 4, 3}, -1.5, 1.5, 10).transpose(2, 1, 0), NDArray.zeros(dt, 6));
            same(in, outs, NDArray.zeros(dt, 2, 0, 3), NDArray.zeros(dt, 0));
        }
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        NDArray[] r = same(List.of(v), T.nonzero(v), doubles(DType.FLOAT64, new int[] {5}, 0.0, Double.NaN, -0.0, 3, 0));
        assertArrayEquals(new long[] {1, 3}, r[0].toLongArray());
    }

    @Test
    void batchedDotMatchesTheReference() {
        DType[][] pairs = {{DType.FLOAT64, DType.FLOAT64}, {DType.FLOAT32, DType.FLOAT32}, {DType.FLOAT32, DType.INT32},
            {DType.INT16, DType.FLOAT32}, {DType.INT32, DType.INT32}, {DType.INT8, DType.INT8}, {DType.UINT8, DType.INT64},
            {DType.BOOL, DType.BOOL}};
        for (DType[] pair : pairs) {
            Variable x = OpTesting.var(pair[0], 3, "x");
            Variable y = OpTesting.var(pair[1], 3, "y");
            List<Variable> in = List.of(x, y);
            List<Variable> outs = List.of(T.batchedDot(x, y), T.batchedDot(T.dimshuffle(y, 0, 2, 1), T.dimshuffle(x, 0, 2, 1)),
                    T.batchedDot(T.subtensor(x, new T.Slice(null, null, -1), new T.Slice(null, null, 2)), y),
                    T.batchedDot(x, T.subtensor(y, new T.Slice(null, null, null), new T.Slice(null, null, null), new T.Slice(null, null, -1))));
            String src = oneSegment(in, outs, "BatchedDot");
            DType result = DType.promote(pair[0], pair[1]);
            assertEquals(result.isFloat(), src.contains(result == DType.FLOAT32 ? "cblas_sgemm" : "cblas_dgemm"), "gemm for float results only");
            // integers wide enough to overflow int8 sums and to wrap bool to true
            double lo = pair[0].isFloat() ? -1 : -60;
            double hi = pair[0].isFloat() ? 1 : 60;
            same(in, outs, random(pair[0], new int[] {3, 4, 5}, lo, hi, 11), random(pair[1], new int[] {3, 5, 6}, lo, hi, 12));
            same(in, outs, random(pair[0], new int[] {3, 5, 4}, lo, hi, 13).transpose(0, 2, 1),
                    random(pair[1], new int[] {6, 5, 3}, lo, hi, 14).transpose(2, 1, 0));
            same(in, outs, NDArray.zeros(pair[0], 2, 3, 0), NDArray.zeros(pair[1], 2, 0, 4));
            same(in, outs, NDArray.zeros(pair[0], 0, 3, 2), NDArray.zeros(pair[1], 0, 2, 4));
            same(in, outs, random(pair[0], new int[] {2, 1, 3}, lo, hi, 15), random(pair[1], new int[] {2, 3, 1}, lo, hi, 16));
        }
        // an operand computed by a broadcasting elemwise, and the 2-d forms of batched_dot
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable m = OpTesting.var(DType.FLOAT64, 3, "m");
        List<Variable> in = List.of(a, m);
        List<Variable> outs = List.of(T.batchedDot(a, m), T.batchedDot(m, T.transpose(T.transpose(a))),
                T.batchedDot(T.add(T.zerosLike(m), T.dimshuffle(a, tsl.ops.shape.DimShuffle.NEW_AXIS, 0, 1)), m));
        oneSegment(in, outs, "BatchedDot");
        same(in, outs, random(DType.FLOAT64, new int[] {4, 4}, -1, 1, 17), random(DType.FLOAT64, new int[] {4, 4, 4}, -1, 1, 18));
    }

    @Test
    void batchedDotShapeErrorsAreTheReferences() {
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 3, "y");
        Variable i = OpTesting.var(DType.INT32, 3, "i");
        assertEquals("BatchedDot: shapes [2, 3, 4] and [2, 5, 6] do not match", sameError(List.of(x, y), List.of(T.batchedDot(x, y)),
                NDArray.zeros(DType.FLOAT64, 2, 3, 4), NDArray.zeros(DType.FLOAT64, 2, 5, 6)));
        assertFalse(sameError(List.of(x, i), List.of(T.batchedDot(x, i)), NDArray.zeros(DType.FLOAT64, 3, 3, 4),
                NDArray.zeros(DType.INT32, 2, 4, 6)).isEmpty());
    }

    @Test
    void aScanStepThatSortsRepeatsAndFindsNonzerosRunsInC() {
        // a data-dependent output size inside the loop body: each step's sort, repeat and nonzero allocate afresh
        Variable m = OpTesting.var(DType.FLOAT64, 2, "m");
        Variable k = OpTesting.var(DType.INT64, 0, "k");
        Variable total = ScanBuilder.scan(a -> {
            Variable row = a.get(0);
            Variable sorted = T.sum(T.mul(T.sort(row), T.arange(3L)));
            Variable repeated = T.sum(T.repeat(row, k, 0));
            Variable nonzeros = T.cast(T.sum(T.nonzero(row).get(0)), DType.FLOAT64);
            return new Step(List.of(T.add(a.get(1), T.add(sorted, T.add(repeated, nonzeros)))), Map.of(), null);
        },
                List.of(new Sequence(m)), List.of(OutputInfo.of(T.constant(0.0, DType.FLOAT64))), List.of(), null, -1, false, null)
                .outputs().get(0);
        List<Variable> in = List.of(m, k);
        String src = oneSegment(in, List.of(total), "Scan{");
        assertTrue(src.contains("Sort{axis=0}") && src.contains("Repeat{axis=0}") && src.contains("Nonzero"), "the step's ops are in the C loop");
        NDArray mv = random(DType.FLOAT64, new int[] {5, 3}, -1, 1, 19);
        mv.setDouble(4, 0.0);
        same(in, List.of(total), mv, NDArray.scalar(2L, DType.INT64));
    }
}
