package tsl.ops.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The OpenBLAS path of dot, gemv, gemm and batched_dot against the ops' own Java loops, over
 * operands BLAS can read in place (contiguous, transposed, row/column slices with leading
 * dimensions) and ones it cannot (broadcast, reversed, doubly strided): same shape, dtype and
 * values to rounding.
 */
class BlasTest {
    private static final Random RNG = new Random(42);

    @BeforeAll
    static void openBlasLoads() {
        assertTrue(Cblas.get() != null, "OpenBLAS from the bytedeco natives jar must load on this platform");
        assertTrue(Blas.usable(DType.FLOAT64, 2, 2) && Blas.usable(DType.FLOAT32, 1));
        assertTrue(!Blas.usable(DType.INT64, 2) && !Blas.usable(DType.FLOAT64, 0, 3), "ints and empty products use the Java loops");
    }

    private static NDArray random(DType d, int... shape) {
        double[] v = new double[(int) NDArray.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round((RNG.nextDouble() * 4 - 2) * 64) / 64.0;
        }
        return NDArray.fromDoubles(d, shape, v);
    }

    /** Views of a matrix of logical shape r x c, each laid out differently in memory. */
    private static List<NDArray> layouts(DType d, int r, int c) {
        List<NDArray> out = new ArrayList<>();
        out.add(random(d, r, c));
        out.add(random(d, c, r).transpose());
        out.add(random(d, r, c + 3).slice(1, 1, c, 1)); // leading dimension c + 3
        out.add(random(d, c + 2, r).slice(0, 2, c, 1).transpose());
        out.add(random(d, 2 * r, c).slice(0, 0, r, 2)); // every other row
        out.add(random(d, r, 2 * c).slice(1, 1, c, 2)); // no unit stride: copied
        out.add(random(d, r, c).slice(0, r - 1, r, -1)); // reversed rows: copied
        out.add(random(d, 1, c).broadcastTo(new int[] {r, c})); // stride 0: copied
        return out;
    }

    private static List<NDArray> vectors(DType d, int n) {
        return List.of(random(d, n), random(d, 3 * n).slice(0, 1, n, 3), random(d, n).slice(0, n - 1, n, -1),
                random(d, n, 2).transpose().get(1));
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double tol = expected.dtype() == DType.FLOAT32 ? 1e-4 : 1e-12;
        for (long i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (Math.abs(e - a) > tol * (1 + Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + " got " + a);
            }
        }
    }

    private static Variable sym(NDArray a) {
        return new Variable(TensorType.ofNdim(a.dtype(), a.ndim()), "v");
    }

    private static NDArray dot(NDArray x, NDArray y) {
        Apply node = new Dot().makeNode(List.of(sym(x), sym(y)));
        return node.op().perform(node, new NDArray[] {x, y})[0];
    }

    @Test
    void matrixProductsMatchTheJavaLoopForEveryLayout() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            int n = 0;
            for (NDArray a : layouts(d, 5, 7)) {
                for (NDArray b : layouts(d, 7, 4)) {
                    NDArray got = dot(a, b);
                    assertClose(Dot.loop(a, b, d), got, d + " layout pair " + n++);
                }
            }
        }
    }

    @Test
    void matrixVectorAndVectorMatrixProducts() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (NDArray a : layouts(d, 6, 3)) {
                for (NDArray v : vectors(d, 3)) {
                    assertClose(Dot.loop(a, v, d), dot(a, v), d + " matrix . vector");
                }
                for (NDArray v : vectors(d, 6)) {
                    assertClose(Dot.loop(v, a, d), dot(v, a), d + " vector . matrix");
                }
            }
            for (NDArray x : vectors(d, 9)) {
                for (NDArray y : vectors(d, 9)) {
                    NDArray got = dot(x, y);
                    assertEquals(0, got.ndim());
                    assertClose(Dot.loop(x, y, d), got, d + " vector . vector");
                }
            }
        }
    }

    @Test
    void mixedDtypesUpcastBeforeBlas() {
        NDArray a = random(DType.FLOAT32, 3, 4);
        NDArray b = random(DType.FLOAT64, 4, 2);
        NDArray got = dot(a, b);
        assertEquals(DType.FLOAT64, got.dtype());
        assertClose(Dot.loop(a, b, DType.FLOAT64), got, "float32 . float64");
        NDArray i = NDArray.fromLongs(DType.INT32, new int[] {4, 2}, new long[] {1, 2, 3, 4, 5, 6, 7, 8});
        NDArray gotInt = dot(a, i);
        assertEquals(DType.FLOAT64, gotInt.dtype(), "float32 . int32 is float64, as in NumPy");
        assertClose(Dot.loop(a, i, DType.FLOAT64), gotInt, "float32 . int32");
    }

    @Test
    void integerAndEmptyProductsKeepTheJavaLoop() {
        NDArray a = NDArray.fromLongs(DType.INT64, new int[] {2, 2}, new long[] {1L << 40, 2, 3, 4});
        NDArray b = NDArray.fromLongs(DType.INT64, new int[] {2, 1}, new long[] {3, 1});
        NDArray got = dot(a, b);
        assertEquals(DType.INT64, got.dtype());
        assertArrayEquals(new long[] {3L << 40 | 2, 13}, got.toLongArray(), "exact 64-bit integer sums");
        NDArray empty = dot(NDArray.zeros(DType.FLOAT64, 3, 0), NDArray.zeros(DType.FLOAT64, 0, 2));
        assertArrayEquals(new int[] {3, 2}, empty.shape());
        assertArrayEquals(new double[6], empty.toDoubleArray(), 0);
    }

    private static NDArray scaled(tsl.graph.Op op, NDArray z, double alpha, NDArray a, NDArray b, double beta) {
        DType d = z.dtype();
        Apply node = op.makeNode(List.of(sym(z), new Variable(new TensorType(d), "alpha"), sym(a), sym(b),
                new Variable(new TensorType(d), "beta")));
        return node.op().perform(node, new NDArray[] {z, NDArray.scalar(alpha, d), a, b, NDArray.scalar(beta, d)})[0];
    }

    @Test
    void gemmAndGemvMatchTheJavaLoop() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (NDArray a : layouts(d, 4, 5)) {
                for (NDArray b : layouts(d, 5, 3)) {
                    for (NDArray z : List.of(random(d, 4, 3), random(d, 3, 4).transpose(), random(d, 1, 3))) {
                        for (double beta : new double[] {0, 1, -0.5}) {
                            NDArray got = scaled(new Gemm(), z, 1.5, a, b, beta);
                            assertClose(ScaledProduct.loop(z, 1.5, a, b, beta, new int[] {4, 3}, new int[] {4, 3}), got, d + " gemm beta " + beta);
                        }
                    }
                }
                for (NDArray x : vectors(d, 5)) {
                    for (NDArray y : List.of(random(d, 4), random(d, 1), random(d, 8).slice(0, 0, 4, 2))) {
                        NDArray got = scaled(new Gemv(), y, -2, a, x, 0.25);
                        assertClose(ScaledProduct.loop(y, -2, a, x, 0.25, new int[] {4}, new int[] {4}), got, d + " gemv");
                    }
                }
            }
        }
    }

    @Test
    void gemmWhoseZIsLargerThanTheProduct() {
        NDArray z = random(DType.FLOAT64, 3, 2);
        NDArray a = random(DType.FLOAT64, 1, 4);
        NDArray b = random(DType.FLOAT64, 4, 2);
        NDArray got = scaled(new Gemm(), z, 1, a, b, 1);
        assertClose(ScaledProduct.loop(z, 1, a, b, 1, new int[] {1, 2}, new int[] {3, 2}), got, "z broadcast over the product");
    }

    @Test
    void batchedDotMatchesTheJavaLoop() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            List<UnaryOperator<NDArray>> views = List.of(x -> x, x -> x.transpose(0, 2, 1).copy().transpose(0, 2, 1),
                    x -> x.slice(0, x.dim(0) - 1, x.dim(0), -1));
            for (UnaryOperator<NDArray> vx : views) {
                for (UnaryOperator<NDArray> vy : views) {
                    NDArray x = vx.apply(random(d, 3, 4, 5));
                    NDArray y = vy.apply(random(d, 3, 5, 2));
                    Apply node = new BatchedDot().makeNode(List.of(sym(x), sym(y)));
                    NDArray got = node.op().perform(node, new NDArray[] {x, y})[0];
                    assertClose(BatchedDot.loop(x, y, d), got, d + " batched");
                }
            }
        }
    }

    @Test
    void theBlasFlagTurnsItOff() {
        tsl.compile.Config.set("blas", "False");
        try {
            assertTrue(!Blas.usable(DType.FLOAT64, 2, 2));
        } finally {
            tsl.compile.Config.set("blas", "True");
        }
        assertTrue(Blas.usable(DType.FLOAT64, 2, 2));
    }
}
