package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Reductions, views, dot and softmax: native against the jvm reference. */
class NativeOpsTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT32", "BOOL"})
    void reductionsOverAnyAxes(DType dt) {
        Variable x = OpTesting.var(dt, 3, "x");
        NDArray v = dt == DType.BOOL ? NDArray.fromBooleans(new int[] {2, 3, 4}, randomBits(24))
                : random(dt, new int[] {2, 3, 4}, dt.isFloat() ? -2 : -5, dt.isFloat() ? 2 : 5, 7);
        same(List.of(x), List.of(T.sum(x), T.sum(x, 0), T.sum(x, new int[] {0, 2}, false), T.prod(x, 1),
                T.mean(x, new int[] {1, 2}, true), T.max(x, 2), T.min(x), T.max(x, new int[] {0, 1}, false),
                T.all(x, 1), T.any(x), T.mean(x), T.sum(T.dimshuffle(x, 2, 0, 1), 1)), v);
    }

    private static boolean[] randomBits(int n) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = (i * 7) % 3 != 0;
        }
        return b;
    }

    @Test
    void reductionsOfNaNAndEmpty() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        NDArray v = OpTesting.arr(DType.FLOAT64, new int[] {2, 3}, 1, Double.NaN, 3, 4, 5, 6);
        same(List.of(x), List.of(T.max(x, 1), T.min(x, 0), T.sum(x, 1)), v);
        NDArray empty = NDArray.zeros(DType.FLOAT64, 0, 3);
        same(List.of(x), List.of(T.sum(x, 0), T.mean(x, 0), T.prod(x, 1), T.mean(x)), empty);
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(x), List.of(T.max(x, 0)), empty));
        assertTrue(e.getMessage().contains("zero-size array to reduction operation max"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void dotInEveryLayout(DType dt) {
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        Variable v = OpTesting.var(dt, 1, "v");
        Variable w = OpTesting.var(dt, 1, "w");
        Variable row = OpTesting.var(dt, new int[] {1, -1}, "row");
        NDArray av = random(dt, new int[] {5, 4}, -1, 1, 1);
        NDArray bv = random(dt, new int[] {4, 3}, -1, 1, 2);
        NDArray vv = random(dt, new int[] {4}, -1, 1, 3);
        NDArray wv = random(dt, new int[] {5}, -1, 1, 4);
        NDArray rv = random(dt, new int[] {1, 4}, -1, 1, 5);
        same(List.of(a, b, v, w, row), List.of(
                T.dot(a, b), T.dot(T.transpose(b), T.transpose(a)), T.dot(a, v), T.dot(w, a), T.dot(v, v),
                T.dot(T.transpose(a), w), T.dot(v, b), T.dot(v, T.transpose(T.transpose(b))),
                // a broadcast row (stride 0) and a reversed-order view take the copying path
                T.dot(T.add(row, T.zerosLike(a)), v), T.dot(T.dimshuffle(T.sum(a, 1), 0, -1), row),
                // every other row and column (a Java view): no unit stride, so BLAS gets a copy
                T.dot(T.subtensor(a, new T.Slice(null, null, 2), new T.Slice(null, null, 2)), T.subtensor(b, new T.Slice(null, 2, null))),
                T.dot(T.subtensor(v, new T.Slice(null, null, -1)), b), T.dot(T.subtensor(w, new T.Slice(null, null, 2)), T.subtensor(w, new T.Slice(1, 4, null)))),
                av, bv, vv, wv, rv);
    }

    @Test
    void integerAndMixedDot() {
        Variable a = OpTesting.var(DType.INT32, 2, "a");
        Variable b = OpTesting.var(DType.INT64, 2, "b");
        Variable f = OpTesting.var(DType.FLOAT32, 1, "f");
        same(List.of(a, b, f), List.of(T.dot(a, b), T.dot(T.transpose(a), T.cast(f, DType.FLOAT64)), T.dot(f, T.cast(T.transpose(b), DType.FLOAT64))),
                random(DType.INT32, new int[] {3, 2}, -9, 9, 1), random(DType.INT64, new int[] {2, 3}, -9, 9, 2),
                random(DType.FLOAT32, new int[] {3}, -1, 1, 3));
    }

    @Test
    void dotShapeErrorIsATslExceptionNamingShapesAndLine() {
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 2, "b");
        Variable v = OpTesting.var(DType.FLOAT64, 1, "v");
        tsl.graph.SourceLocation loc = new tsl.graph.SourceLocation("model.tsl", 14, 12, "y = dot(a, b)");
        tsl.graph.SourceLocation prev = tsl.graph.SourceLocation.enter(loc);
        Variable prod;
        Variable mv;
        try {
            prod = T.dot(a, b);
            mv = T.dot(a, v);
        } finally {
            tsl.graph.SourceLocation.exit(prev);
        }
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(a, b), List.of(prod),
                NDArray.zeros(DType.FLOAT64, 2, 3), NDArray.zeros(DType.FLOAT64, 4, 2)));
        assertEquals("ValueError", e.pythonType());
        assertEquals("Shape mismatch: x has 3 cols (and 2 rows) but y has 4 rows (and 2 cols)", firstLine(e));
        assertEquals(loc, e.location());
        TslException e2 = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(a, v), List.of(mv),
                NDArray.zeros(DType.FLOAT64, 2, 3), NDArray.zeros(DType.FLOAT64, 4)));
        assertEquals("shapes (2, 3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)", firstLine(e2));
    }

    @Test
    void elemwiseShapeErrorNamesTheOpAndShapes() {
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 2, "b");
        tsl.graph.SourceLocation loc = new tsl.graph.SourceLocation("f.tsl", 3, 5, "a + b");
        tsl.graph.SourceLocation prev = tsl.graph.SourceLocation.enter(loc);
        Variable sum;
        try {
            sum = T.add(a, b);
        } finally {
            tsl.graph.SourceLocation.exit(prev);
        }
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(a, b), List.of(T.exp(sum)),
                NDArray.zeros(DType.FLOAT64, 2, 3), NDArray.zeros(DType.FLOAT64, 4, 3)));
        assertEquals("Input dimension mismatch in Elemwise{add}: shapes (2, 3) and (4, 3) cannot be broadcast together",
                e.getMessage().lines().findFirst().orElseThrow());
        assertEquals(loc, e.location());
        // the same message as the jvm reference
        TslException r = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(a, b), List.of(T.exp(sum)),
                NDArray.zeros(DType.FLOAT64, 2, 3), NDArray.zeros(DType.FLOAT64, 4, 3)));
        assertEquals(r.getMessage(), e.getMessage());
    }

    @Test
    void softmaxAndLogSoftmax() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable f = OpTesting.var(DType.FLOAT32, 3, "f");
        NDArray xv = OpTesting.arr(DType.FLOAT64, new int[] {3, 3}, 1, 2, 3, 1000, 1000, -1000,
                Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY);
        same(List.of(x, f), List.of(T.softmax(x), T.logSoftmax(x), T.softmax(T.transpose(x)), T.softmax(f), T.logSoftmax(f)),
                xv, random(DType.FLOAT32, new int[] {2, 3, 4}, -5, 5, 1));
    }

    @Test
    void reshapeViewsCopiesAndErrors() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        NDArray xv = random(DType.FLOAT64, new int[] {4, 6}, -1, 1, 1);
        same(List.of(x), List.of(T.reshape(x, 3, 8), T.reshape(x, new int[] {-1}), T.reshape(T.transpose(x), 2, -1, 3),
                T.add(T.reshape(T.transpose(x), new int[] {24}), 1), T.flatten(x)), xv);
        TslException e = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(x), List.of(T.reshape(x, 5, -1)), xv));
        assertEquals("cannot reshape array of size 24 into shape (5, -1)", firstLine(e));
    }

    @Test
    void javaStepsBetweenNativeSegments() {
        Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
        Variable y = OpTesting.var(DType.FLOAT64, 2, "y");
        // JavaOnlyOp (test-only) has no C code: native (exp, concatenate), then Java, then native again
        Variable j = JavaOnlyOp.of(T.concatenate(List.of(T.exp(x), T.mul(y, 2)), 0));
        same(List.of(x, y), List.of(T.sum(T.tanh(j), 1), j, T.transpose(x)),
                random(DType.FLOAT64, new int[] {2, 3}, -1, 1, 1), random(DType.FLOAT64, new int[] {4, 3}, -1, 1, 2));
    }

    /** The error itself, without the "Apply node that caused the error" lines both linkers add. */
    private static String firstLine(TslException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }
}
