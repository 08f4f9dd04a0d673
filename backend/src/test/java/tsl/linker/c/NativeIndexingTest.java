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
import tsl.ops.nnet.SpecifyShape;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Basic indexing, set/inc_subtensor, concatenate, broadcast Alloc, specify_shape and argmax in C, against the jvm reference. */
class NativeIndexingTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static void oneSegment(List<Variable> inputs, List<Variable> outputs) {
        FunctionGraph g = FunctionGraph.clone(inputs, outputs, Map.of());
        String src = new NativeLinker().generatedSource(g, inputs);
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step:\n" + src);
    }

    /** Both linkers raise the same error type and first line. */
    private static TslException sameError(List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", inputs, outputs, values));
        TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", inputs, outputs, values));
        assertEquals(jvm.pythonType(), nat.pythonType());
        assertEquals(firstLine(jvm), firstLine(nat));
        assertFalse(firstLine(nat).isEmpty());
        return nat;
    }

    private static String firstLine(TslException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }

    private static NDArray i64(long v) {
        return NDArray.scalar(v, DType.INT64);
    }

    @Test
    void slicesPointsAndNewAxesAreViewsWithPythonsArithmetic() {
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable i = OpTesting.var(DType.INT64, 0, "i");
        Variable j = OpTesting.var(DType.INT32, 0, "j");
        List<Variable> in = List.of(x, i, j);
        List<Variable> outs = List.of(T.subtensor(x, 1), T.subtensor(x, -1, T.slice(null, null, -1)),
                T.subtensor(x, T.slice(i, null), null, 0, T.slice(1, -1, 2)),
                T.subtensor(x, T.slice(null, j), T.slice(j, i, -1)), T.subtensor(x, i, j, T.slice(-100, 100, 3)),
                T.subtensor(x, T.slice(5, 2)), T.subtensor(x, null, T.ELLIPSIS, null),
                T.subtensor(T.transpose(x), T.slice(null, null, 2), 1));
        oneSegment(in, outs);
        NDArray xv = random(DType.FLOAT64, new int[] {4, 5, 6}, -1, 1, 3);
        for (long[] ij : new long[][] {{0, 0}, {1, 2}, {-2, -1}, {3, 4}, {-4, -5}}) {
            same(in, outs, xv, i64(ij[0]), NDArray.scalar(ij[1], DType.INT32));
        }
        same(in, outs, random(DType.FLOAT64, new int[] {3, 4, 5}, -1, 1, 4), i64(2), NDArray.scalar(1L, DType.INT32));
    }

    @Test
    void outOfRangePointsAndZeroStepsFailAsInTheReference() {
        Variable x = OpTesting.var(DType.FLOAT32, 2, "x");
        Variable i = OpTesting.var(DType.INT64, 0, "i");
        NDArray xv = random(DType.FLOAT32, new int[] {3, 4}, 0, 1, 1);
        TslException e = sameError(List.of(x, i), List.of(T.subtensor(x, T.slice(null, null), i)), xv, i64(4));
        assertEquals("IndexError", e.pythonType());
        assertEquals("index 4 is out of bounds for axis 1 with size 4", firstLine(e));
        sameError(List.of(x, i), List.of(T.subtensor(x, i)), xv, i64(-4));
        e = sameError(List.of(x, i), List.of(T.subtensor(x, T.slice(null, null, i))), xv, i64(0));
        assertEquals("ValueError", e.pythonType());
    }

    @Test
    void setAndIncSubtensorBroadcastTheValueIntoACopy() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Variable k = OpTesting.var(DType.INT64, 0, "k");
        Variable n = OpTesting.var(DType.INT32, 2, "n");
        List<Variable> in = List.of(x, y, k, n);
        List<Variable> outs = List.of(T.setSubtensor(T.subtensor(x, k), y), T.incSubtensor(T.subtensor(x, T.slice(null, null, 2)), y),
                T.incSubtensor(T.subtensor(x, T.slice(1, null), k), T.constant(2.5)),
                T.setSubtensor(T.subtensor(T.transpose(x), T.slice(null, null, -1)), T.constant(-1.0)),
                T.incSubtensor(T.subtensor(n, 0), T.constant(300L, DType.INT64)),
                T.incSubtensor(T.subtensor(x, k, T.slice(1, 3)), T.subtensor(y, T.slice(0, 2))), T.setSubtensor(T.subtensor(n, -1), y));
        oneSegment(in, outs);
        NDArray nv = NDArray.fromLongs(DType.INT32, new int[] {3, 4}, new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2147483647});
        same(in, outs, random(DType.FLOAT64, new int[] {3, 4}, -1, 1, 5), random(DType.FLOAT64, new int[] {4}, -9, 9, 6), i64(1), nv);
        same(in, outs, random(DType.FLOAT64, new int[] {3, 4}, -1, 1, 7), random(DType.FLOAT64, new int[] {4}, -9, 9, 8), i64(-3), nv);
    }

    @Test
    void aValueThatDoesNotBroadcastIsTheReferencesError() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        TslException e = sameError(List.of(x, y), List.of(T.setSubtensor(T.subtensor(x, T.slice(0, 2)), y)),
                random(DType.FLOAT64, new int[] {3, 4}, 0, 1, 1), random(DType.FLOAT64, new int[] {3}, 0, 1, 2));
        assertEquals("could not broadcast input array from shape (3,) into shape (2, 4)", firstLine(e));
    }

    @Test
    void concatenateChecksShapesAndPromotes() {
        Variable a = OpTesting.var(DType.FLOAT32, 2, "a");
        Variable b = OpTesting.var(DType.INT16, 2, "b");
        Variable c = OpTesting.var(DType.FLOAT32, 2, "c");
        List<Variable> in = List.of(a, b, c);
        List<Variable> outs = List.of(T.join(0, a, b, c), T.join(1, a, T.transpose(c)), T.concatenate(List.of(T.subtensor(a, T.slice(null, null, -1)), a), 1),
                T.stack(List.of(a, c), 1));
        oneSegment(in, outs);
        NDArray bv = NDArray.fromLongs(DType.INT16, new int[] {1, 3}, new long[] {-7, 0, 32767});
        same(in, outs, random(DType.FLOAT32, new int[] {3, 3}, -1, 1, 1), bv, random(DType.FLOAT32, new int[] {3, 3}, -1, 1, 2));
        TslException e = sameError(List.of(a, b, c), List.of(T.join(0, a, b)), random(DType.FLOAT32, new int[] {2, 3}, 0, 1, 1),
                NDArray.fromLongs(DType.INT16, new int[] {1, 2}, new long[] {1, 2}), random(DType.FLOAT32, new int[] {1, 1}, 0, 1, 1));
        assertTrue(firstLine(e).startsWith("all the input array dimensions except for the concatenation axis must match exactly"), firstLine(e));
        same(List.of(a), List.of(T.join(0, a, a)), random(DType.FLOAT32, new int[] {0, 2}, 0, 1, 1));
    }

    @Test
    void allocBroadcastsAValueWithDimensions() {
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        Variable m = OpTesting.var(DType.INT64, 0, "m");
        List<Variable> outs = List.of(T.alloc(v, m, T.subtensor(T.shape(v), 0)), T.alloc(v, m, T.constant(1L, DType.INT64), T.constant(4L, DType.INT64)));
        oneSegment(List.of(v, m), List.of(outs.get(0)));
        same(List.of(v, m), List.of(outs.get(0)), random(DType.FLOAT64, new int[] {3}, -1, 1, 4), i64(2));
        same(List.of(v, m), List.of(outs.get(1)), random(DType.FLOAT64, new int[] {1}, -1, 1, 4), i64(3));
        TslException e = sameError(List.of(v, m), List.of(outs.get(1)), random(DType.FLOAT64, new int[] {3}, -1, 1, 4), i64(3));
        assertEquals("alloc: could not broadcast value of shape (3,) to shape (3, 1, 4)", firstLine(e));
    }

    @Test
    void specifyShapeChecksTheLengthsItPromises() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable s = new SpecifyShape(new int[] {-1, 3}, "shape hint").makeNode(List.of(x)).output();
        List<Variable> outs = List.of(T.mul(s, T.constant(2.0)));
        oneSegment(List.of(x), outs);
        same(List.of(x), outs, random(DType.FLOAT64, new int[] {5, 3}, -1, 1, 4));
        TslException e = sameError(List.of(x), outs, random(DType.FLOAT64, new int[] {5, 4}, -1, 1, 4));
        assertEquals("shape hint: got an array of shape (5, 4), expected (?, 3)", firstLine(e));
    }

    @Test
    void argmaxAndArgminTakeTheFirstBestAndTheFirstNan() {
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable n = OpTesting.var(DType.INT8, 2, "n");
        List<Variable> in = List.of(x, n);
        List<Variable> outs = List.of(T.argmax(x), T.argmax(x, 1), T.argmin(x, -1), T.argmax(x, new int[] {0, 2}, false),
                T.argmin(x, new int[] {2, 0}, true), T.argmax(n, 0), T.argmin(n), T.argmax(T.transpose(x), 0));
        oneSegment(in, outs);
        NDArray xv = random(DType.FLOAT64, new int[] {3, 4, 5}, -2, 2, 9);
        xv.setDouble(7, Double.NaN);
        xv.setDouble(9, Double.NaN);
        xv.setDouble(30, 1e9);
        xv.setDouble(31, 1e9);
        NDArray nv = NDArray.fromLongs(DType.INT8, new int[] {2, 3}, new long[] {5, -128, 127, 127, 5, -128});
        same(in, outs, xv, nv);
        Variable e = T.argmax(x, 1);
        TslException err = sameError(List.of(x), List.of(e), random(DType.FLOAT64, new int[] {2, 0, 3}, 0, 1, 1));
        assertEquals("attempt to get argmax of an empty sequence", firstLine(err));
    }

    @Test
    void indexArraysGatherAndScatterAsNumpyDoes() {
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        Variable c = OpTesting.var(DType.INT32, 2, "c");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Variable n = OpTesting.var(DType.INT64, 0, "n");
        List<Variable> in = List.of(x, r, c, y, n);
        Variable rows = T.arange(T.subtensor(T.shape(x), 0));
        List<Variable> outs = List.of(T.subtensor(x, r), T.subtensor(x, T.slice(null, null), r), T.subtensor(x, r, c),
                T.subtensor(x, T.slice(1, null), c, T.slice(null, null, -2)), T.subtensor(x, rows, T.subtensor(r, T.slice(0, 3)), T.ELLIPSIS),
                T.incSubtensor(T.subtensor(x, r), T.constant(1.0)), T.setSubtensor(T.subtensor(x, T.slice(null, n), r, c), y),
                T.incSubtensor(T.subtensor(x, r, c), T.constant(0.5)), T.arange(n), T.arange(T.constant(7L, DType.INT64), n, T.constant(-2L, DType.INT64), null),
                T.arange(T.constant(0.5), T.cast(n, DType.FLOAT64), T.constant(0.75), null));
        oneSegment(in, outs);
        NDArray xv = random(DType.FLOAT64, new int[] {3, 4, 5}, -1, 1, 11);
        NDArray rv = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {2, -1, 2}); // repeated: added twice
        NDArray cv = NDArray.fromLongs(DType.INT32, new int[] {1, 3}, new long[] {0, 3, -4});
        same(in, outs, xv, rv, cv, random(DType.FLOAT64, new int[] {1}, -5, 5, 12), i64(2));
        same(in, outs, xv, rv, cv, random(DType.FLOAT64, new int[] {3}, -5, 5, 12), i64(-9));
    }

    @Test
    void indexErrorsOfArraysAreTheReferences() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        Variable c = OpTesting.var(DType.INT64, 1, "c");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        NDArray xv = random(DType.FLOAT64, new int[] {3, 4}, -1, 1, 11);
        NDArray two = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {0, 1});
        NDArray three = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {0, 1, 2});
        NDArray far = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {1, -5});
        TslException e = sameError(List.of(x, r, c), List.of(T.subtensor(x, r, c)), xv, two, three);
        assertEquals("IndexError", e.pythonType());
        assertEquals("shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,)", firstLine(e));
        e = sameError(List.of(x, r, c), List.of(T.subtensor(x, r, c)), xv, three, far);
        assertEquals("index -5 is out of bounds for axis 1 with size 4", firstLine(e));
        e = sameError(List.of(x, r, y), List.of(T.incSubtensor(T.subtensor(x, r), y)), xv, two, random(DType.FLOAT64, new int[] {3}, 0, 1, 1));
        assertEquals("shape mismatch: value array of shape (3,) could not be broadcast to indexing result of shape (2, 4)", firstLine(e));
        Variable n = OpTesting.var(DType.INT64, 0, "n");
        e = sameError(List.of(n), List.of(T.arange(T.constant(0L, DType.INT64), T.constant(5L, DType.INT64), n, null)), i64(0));
        assertEquals("arange: step cannot be zero", firstLine(e));
    }

    private static NDArray mask(int[] shape, long... bits) {
        return NDArray.fromLongs(DType.BOOL, shape, bits);
    }

    @Test
    void indexArraysApartOrWithPointsPutTheBroadcastAxesFirst() {
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        Variable c = OpTesting.var(DType.INT32, 2, "c");
        Variable i = OpTesting.var(DType.INT64, 0, "i");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Variable n = OpTesting.var(DType.INT16, 3, "n");
        Variable z = OpTesting.var(DType.FLOAT64, 1, "z");
        List<Variable> in = List.of(x, r, c, i, y, n, z);
        List<Variable> outs = List.of(T.subtensor(x, r, T.slice(null, null), c), T.subtensor(x, 0, T.slice(null, null), r),
                T.subtensor(x, r, 1), T.subtensor(x, T.slice(null, null), r, -1), T.subtensor(x, i, T.slice(1, null, 2), c),
                T.subtensor(T.transpose(x), c, i), T.subtensor(x, T.slice(null, null, -1), i, r), T.subtensor(n, r, T.slice(null, 2), i),
                T.incSubtensor(T.subtensor(x, r, T.slice(null, null), c), T.constant(1.5)),
                T.setSubtensor(T.subtensor(x, i, T.slice(null, null), r), y),
                T.incSubtensor(T.subtensor(n, r, T.slice(1, null), 0), T.constant(7L, DType.INT64)),
                T.incSubtensor(T.subtensor(T.transpose(x), c, T.slice(null, null, 2), i), z));
        oneSegment(in, outs);
        NDArray xv = random(DType.FLOAT64, new int[] {4, 5, 6}, -1, 1, 21);
        NDArray nv = NDArray.fromLongs(DType.INT16, new int[] {4, 5, 4}, java.util.stream.LongStream.range(0, 80).map(v -> v * 409 - 16000).toArray());
        NDArray rv = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {3, -1, 3});
        NDArray cv = NDArray.fromLongs(DType.INT32, new int[] {2, 1}, new long[] {0, -4});
        same(in, outs, xv, rv, cv, i64(2), random(DType.FLOAT64, new int[] {5}, -5, 5, 22), nv, random(DType.FLOAT64, new int[] {3}, -5, 5, 24));
        same(in, outs, xv, rv, cv, i64(-4), random(DType.FLOAT64, new int[] {1}, -5, 5, 23), nv, random(DType.FLOAT64, new int[] {1}, -5, 5, 25));
        // empty index arrays: empty results
        NDArray none = NDArray.fromLongs(DType.INT64, new int[] {0}, new long[0]);
        same(List.of(x, r), List.of(T.subtensor(x, r, T.slice(null, null), 1), T.incSubtensor(T.subtensor(x, 0, T.slice(null, null), r),
                T.constant(1.0))), xv, none);
        // the reference's errors: a point out of range, arrays that do not broadcast (a point is ())
        TslException e = sameError(in, List.of(outs.get(4)), xv, rv, cv, i64(4), random(DType.FLOAT64, new int[] {3}, 0, 1, 1), nv, random(DType.FLOAT64, new int[] {3}, 0, 1, 2));
        assertEquals("index 4 is out of bounds for axis 0 with size 4", firstLine(e));
        e = sameError(List.of(x, r, c), List.of(T.subtensor(x, r, 0, c)), xv, rv, NDArray.fromLongs(DType.INT32, new int[] {1, 2}, new long[] {0, 1}));
        assertEquals("shape mismatch: indexing arrays could not be broadcast together with shapes (3,) () (1,2)", firstLine(e));
        e = sameError(List.of(x, r, c), List.of(T.subtensor(x, 0, T.slice(null, null), r)), xv, NDArray.fromLongs(DType.INT64, new int[] {1}, new long[] {6}),
                cv);
        assertEquals("index 6 is out of bounds for axis 2 with size 6", firstLine(e));
    }

    @Test
    void booleanMasksIndexTheirNonzeroPositions() {
        Variable x = OpTesting.var(DType.FLOAT32, 3, "x");
        Variable m1 = OpTesting.var(DType.BOOL, 1, "m1");
        Variable m2 = OpTesting.var(DType.BOOL, 2, "m2");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        Variable y = OpTesting.var(DType.FLOAT32, 1, "y");
        Variable n = OpTesting.var(DType.INT32, 2, "n");
        List<Variable> in = List.of(x, m1, m2, r, y, n);
        List<Variable> outs = List.of(T.subtensor(x, m2), T.subtensor(x, T.slice(null, null), m1), T.subtensor(x, m1, T.slice(null, null), r),
                T.subtensor(x, T.slice(null, null, -1), m1, r), T.subtensor(T.transpose(x), T.slice(null, null), m2),
                T.subtensor(n, m1, T.slice(1, null)), T.subtensor(x, m1, 2, T.slice(null, 4)),
                T.setSubtensor(T.subtensor(x, m2), T.constant(0.0f)), T.incSubtensor(T.subtensor(x, T.slice(null, null), m1), y),
                T.incSubtensor(T.subtensor(x, m1, T.slice(null, null), r), T.constant(2.0f)),
                T.setSubtensor(T.subtensor(n, T.slice(null, null), T.subtensor(m1, T.slice(0, 4))), T.constant(-3L, DType.INT64)),
                T.subtensor(x, T.transpose(m2), T.slice(1, null)), T.subtensor(x, T.slice(null, null, 2), T.slice(null, null),
                        T.concatenate(List.of(T.subtensor(m2, 1, T.slice(null, null)), T.subtensor(m2, 0, T.slice(0, 1))), 0)),
                T.incSubtensor(T.subtensor(x, T.transpose(m2)), y));
        for (Variable o : outs) {
            assertTrue(Emitters.of(o.owner()) != null, o.owner().op().toString());
        }
        oneSegment(in, outs);
        NDArray xv = random(DType.FLOAT32, new int[] {5, 5, 6}, -1, 1, 31);
        NDArray nv = NDArray.fromLongs(DType.INT32, new int[] {5, 4}, java.util.stream.LongStream.range(0, 20).toArray());
        NDArray m2v = mask(new int[] {5, 5}, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0);
        // one nonzero position broadcasts against r; as many as r's length pair up with it
        same(in, outs, xv, mask(new int[] {5}, 0, 0, 1, 0, 0), m2v, NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {0, -1, 2}),
                random(DType.FLOAT32, new int[] {1}, -5, 5, 32), nv);
        same(in, outs, xv, mask(new int[] {5}, 1, 0, 1, 0, 1), m2v, NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {0, -1, 2}),
                random(DType.FLOAT32, new int[] {6}, -5, 5, 33), nv);
        NDArray noneSet = mask(new int[] {5}, 0, 0, 0, 0, 0);
        same(List.of(x, m1), List.of(T.subtensor(x, m1), T.setSubtensor(T.subtensor(x, T.slice(null, null), m1), T.constant(1.0f))), xv, noneSet);
        // the reference's errors: a mask of another shape, a count that does not broadcast
        TslException e = sameError(List.of(x, m1), List.of(T.subtensor(x, T.slice(null, null), m1)), xv, mask(new int[] {4}, 1, 0, 1, 1));
        assertEquals("IndexError", e.pythonType());
        assertEquals("boolean index did not match indexed array along axis 1; size of axis is 5 but size of corresponding boolean axis is 4",
                firstLine(e));
        e = sameError(List.of(x, m2), List.of(T.subtensor(T.transpose(x), m2)), xv, m2v);
        e = sameError(List.of(x, m1, r), List.of(T.subtensor(x, m1, T.slice(null, null), r)), xv, mask(new int[] {5}, 1, 1, 0, 0, 0),
                NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {0, 1, 2}));
        assertEquals("shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,)", firstLine(e));
        e = sameError(List.of(x, m2, r), List.of(T.subtensor(x, m2, r)), xv, m2v, NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {0, 1}));
        assertEquals("shape mismatch: indexing arrays could not be broadcast together with shapes (7,) (7,) (2,)", firstLine(e));
        e = sameError(List.of(x, m1, y), List.of(T.incSubtensor(T.subtensor(x, m1), y)), xv, mask(new int[] {5}, 1, 1, 0, 0, 0),
                random(DType.FLOAT32, new int[] {4}, 0, 1, 1));
        assertEquals("shape mismatch: value array of shape (4,) could not be broadcast to indexing result of shape (2, 5, 6)", firstLine(e));
    }

    @Test
    void aFloatValueGoesIntoAnIntegerArrayThroughJavasSaturatingCasts() {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -1e30, 2.9, -2.9, 300.7, 0.4, -129.5,
            9.3e18, -9.3e18};
        NDArray yv = NDArray.fromDoubles(DType.FLOAT64, new int[] {specials.length}, specials);
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Variable f = OpTesting.var(DType.FLOAT32, 1, "f");
        Variable r = OpTesting.var(DType.INT64, 1, "r");
        Variable k = OpTesting.var(DType.INT64, 1, "k");
        NDArray rv = NDArray.fromLongs(DType.INT64, new int[] {specials.length}, java.util.stream.LongStream.range(0, specials.length).toArray());
        for (DType target : new DType[] {DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.BOOL}) {
            Variable n = OpTesting.var(target, 2, "n");
            List<Variable> in = List.of(n, y, f, r, k);
            List<Variable> outs = List.of(T.setSubtensor(T.subtensor(n, 1), y), T.incSubtensor(T.subtensor(n, 0), y),
                    T.setSubtensor(T.subtensor(n, T.slice(null, null, -1), T.slice(null, null, 3)), f),
                    T.incSubtensor(T.subtensor(T.transpose(n), r, 1), y), T.setSubtensor(T.subtensor(n, 0, r), y),
                    T.incSubtensor(T.subtensor(n, T.slice(null, null), k), T.constant(2.75f)),
                    T.incSubtensor(T.subtensor(n, 1, k), T.constant(3L, DType.INT64)),
                    T.setSubtensor(T.subtensor(n, 0, k), T.constant(-2L, DType.INT16)));
            oneSegment(in, outs);
            long[] start = new long[2 * specials.length];
            for (int q = 0; q < start.length; q++) {
                start[q] = q * 37L - 200;
            }
            NDArray nv = NDArray.fromLongs(target, new int[] {2, specials.length}, start);
            same(in, outs, nv, yv, NDArray.fromDoubles(DType.FLOAT32, new int[] {1}, new double[] {Double.NaN}), rv,
                    NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {0, 5, 0}));
            same(in, outs, nv, yv, NDArray.fromDoubles(DType.FLOAT32, new int[] {1}, new double[] {-1e20}), rv,
                    NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {-1, 7}));
        }
    }
}
