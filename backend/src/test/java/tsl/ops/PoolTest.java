package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static tsl.ops.ConvTest.assertError;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.Variable;
import tsl.ops.nnet.Conv;
import tsl.ops.nnet.PoolParams;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * pool_2d in every mode against literal arrays (computed with NumPy by Theano's Pool.perform
 * recipe: pad, slice each window, np.max / np.sum / np.average), with and without
 * ignore_border and padding; gradients by finite differences.
 */
class PoolTest {
    /** (x * 7 % 11) - 5 for x = 0..29, shape (1, 5, 6): mixed signs and some ties. */
    static final double[] X = {-5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2, -2, 5, 1, -3, 4, 0};
    static final String[] MODES = {"max", "sum", "average_inc_pad", "average_exc_pad"};

    private static NDArray pool(NDArray x, int[] ws, boolean ignoreBorder, int[] stride, int[] pad, String mode) {
        Variable v = var(x.dtype(), x.ndim(), "x");
        return run(List.of(v), Conv.pool2d(v, ws, ignoreBorder, stride, pad, mode), x);
    }

    private static void expect(int[] ws, boolean ib, int[] st, int[] pad, int[] outShape, double[]... perMode) {
        NDArray x = arr(DType.FLOAT64, shape(1, 5, 6), X);
        for (int m = 0; m < MODES.length; m++) {
            assertArray(pool(x, ws, ib, st, pad, MODES[m]), DType.FLOAT64, outShape, perMode[m], 1e-12);
        }
    }

    @Test
    void nonOverlappingWindows() {
        expect(shape(2, 2), true, null, null, shape(1, 2, 3),
                new double[] {4, 5, 1, 2, 5, 4},
                new double[] {1, 2, -8, -4, 8, -2},
                new double[] {0.25, 0.5, -2, -1, 2, -0.5},
                new double[] {0.25, 0.5, -2, -1, 2, -0.5});
        // the partial last row is kept: its windows hold 2 cells and both averages divide by 2
        expect(shape(2, 2), false, null, null, shape(1, 3, 3),
                new double[] {4, 5, 1, 2, 5, 4, 5, 1, 4},
                new double[] {1, 2, -8, -4, 8, -2, 3, -2, 4},
                new double[] {0.25, 0.5, -2, -1, 2, -0.5, 1.5, -1, 2},
                new double[] {0.25, 0.5, -2, -1, 2, -0.5, 1.5, -1, 2});
    }

    @Test
    void paddingAndStride() {
        // ws (3, 3), stride (2, 2), pad (1, 1): inc_pad divides by 9, exc_pad by the cells inside the image
        expect(shape(3, 3), true, shape(2, 2), shape(1, 1), shape(1, 3, 3),
                new double[] {4, 5, 5, 4, 5, 4, 5, 5, 4},
                new double[] {1, 4, 0, 0, 1, -5, -1, 1, -3},
                new double[] {1 / 9.0, 4 / 9.0, 0, 0, 1 / 9.0, -5 / 9.0, -1 / 9.0, 1 / 9.0, -3 / 9.0},
                new double[] {0.25, 4 / 6.0, 0, 0, 1 / 9.0, -5 / 9.0, -0.25, 1 / 6.0, -0.5});
        expect(shape(3, 2), false, shape(1, 2), null, shape(1, 3, 3),
                new double[] {4, 5, 4, 4, 5, 4, 5, 5, 4},
                new double[] {1, 8, -7, 0, 7, -8, -1, 6, 2},
                new double[] {1 / 6.0, 8 / 6.0, -7 / 6.0, 0, 7 / 6.0, -8 / 6.0, -1 / 6.0, 1, 2 / 6.0},
                new double[] {1 / 6.0, 8 / 6.0, -7 / 6.0, 0, 7 / 6.0, -8 / 6.0, -1 / 6.0, 1, 2 / 6.0});
    }

    @Test
    void ranksDtypesAndShapes() {
        // a matrix, and a 4-d batch whose leading axes are independent images
        NDArray m = arr(DType.FLOAT32, shape(5, 6), X);
        assertArray(pool(m, shape(2, 2), true, null, null, "max"), DType.FLOAT32, shape(2, 3), 4, 5, 1, 2, 5, 4);
        double[] two = new double[60];
        for (int i = 0; i < 60; i++) {
            two[i] = i < 30 ? X[i] : -X[i - 30];
        }
        assertArray(pool(arr(DType.FLOAT64, shape(2, 1, 5, 6), two), shape(2, 2), true, null, null, "sum"), DType.FLOAT64,
                shape(2, 1, 2, 3), 1, 2, -8, -4, 8, -2, -1, -2, 8, 4, -8, 2);
        // integers keep their dtype; an average truncates toward zero as NumPy's store into an int array does
        NDArray ints = NDArray.fromLongs(DType.INT32, shape(1, 5, 6), java.util.Arrays.stream(X).mapToLong(d -> (long) d).toArray());
        assertArray(pool(ints, shape(2, 2), true, null, null, "max"), DType.INT32, shape(1, 2, 3), 4, 5, 1, 2, 5, 4);
        assertArray(pool(ints, shape(2, 2), true, null, null, "average_inc_pad"), DType.INT32, shape(1, 2, 3), 0, 0, -2, -1, 2, 0);
        // static shapes
        Variable x = var(DType.FLOAT32, shape(8, 6, 24, 24), "x");
        assertArrayEquals(shape(8, 6, 12, 12), Conv.pool2d(x, shape(2, 2), true, null, null, "max").type().shape());
        assertArrayEquals(shape(8, 6, 8, 8), Conv.pool2d(x, shape(3, 3), false, null, null, "max").type().shape());
        assertArrayEquals(shape(9, 8), Conv.pool2d(var(DType.FLOAT64, shape(25, 24), "z"), shape(3, 3), false, null, null, "max").type().shape());
        assertArrayEquals(shape(8, 8), Conv.pool2d(var(DType.FLOAT64, shape(25, 24), "z"), shape(3, 3), true, null, null, "max").type().shape());
        assertArrayEquals(shape(8, 6, 12, 12), Conv.pool2d(x, shape(3, 3), true, shape(2, 2), shape(1, 1), "sum").type().shape());
        assertArrayEquals(shape(-1, 6, -1, 24), Conv.pool2d(var(DType.FLOAT64, shape(-1, 6, -1, 48), "y"), shape(2, 2), true, null, null,
                "max").type().shape());
        // window larger than the image with ignore_border: an empty result, as in Theano
        assertArray(pool(arr(DType.FLOAT64, shape(1, 1, 2), 1, 2), shape(3, 3), true, null, null, "max"), DType.FLOAT64, shape(1, 0, 0));
        // NaN propagates through max
        assertEquals(Double.NaN, pool(arr(DType.FLOAT64, shape(2, 2), 1, Double.NaN, 3, 0), shape(2, 2), true, null, null, "max").item());
    }

    @Test
    void gradients() {
        // distinct values so every window has one maximum
        double[] v = new double[2 * 5 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 37) % 61) * 0.1 - 3;
        }
        NDArray x = arr(DType.FLOAT64, shape(2, 5, 6), v);
        for (String mode : MODES) {
            checkGrad(in -> Conv.pool2d(in[0], shape(2, 2), false, null, null, mode), x);
            checkGrad(in -> Conv.pool2d(in[0], shape(3, 3), true, shape(2, 2), shape(1, 1), mode), x);
            checkGrad(in -> Conv.pool2d(in[0], shape(3, 2), false, shape(1, 2), null, mode), x);
        }
    }

    @Test
    void maxGradientGoesToEveryTiedMaximum() {
        Variable x = var(DType.FLOAT64, 2, "x");
        Variable g = Gradient.grad(T.sum(Conv.pool2d(x, shape(2, 2), true, null, null, "max")), List.of(x), null, "raise").get(0);
        assertArray(run(List.of(x), g, arr(DType.FLOAT64, shape(2, 4), 1, 3, 2, 2, 3, 0, 2, 1)), DType.FLOAT64, shape(2, 4),
                0, 1, 1, 1, 1, 0, 1, 0);
    }

    @Test
    void secondDerivatives() {
        double[] v = new double[30];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 37) % 61) * 0.1 - 3;
        }
        NDArray x = arr(DType.FLOAT64, shape(1, 5, 6), v);
        NDArray w = arr(DType.FLOAT64, shape(1, 3, 3), 0.5, -1, 2, 1.5, 0.25, -0.75, 1, 2, -2);
        for (String mode : MODES) {
            // the gradient of pooling is linear in the output gradient: differentiate it with respect to that
            checkGrad(in -> {
                Variable cost = T.sum(T.mul(Conv.pool2d(in[0], shape(2, 2), false, null, null, mode), in[1]));
                return Gradient.grad(cost, List.of(in[0]), null, "raise").get(0);
            }, x, w);
        }
    }

    @Test
    void errors() {
        Variable x = var(DType.FLOAT64, 4, "x");
        assertError("NotImplementedError", "padding works only with ignore_border=True",
                () -> Conv.pool2d(x, shape(3, 3), false, null, shape(1, 1), "max"));
        assertError("NotImplementedError", "must be smaller than the window", () -> Conv.pool2d(x, shape(2, 2), true, null, shape(2, 0), "max"));
        assertError("ValueError", "Got average", () -> Conv.pool2d(x, shape(2, 2), true, null, null, "average"));
        assertError("NotImplementedError", "pool_2d requires a dimension >= 2",
                () -> Conv.pool2d(var(DType.FLOAT64, 1, "v"), shape(2, 2), true, null, null, "max"));
        assertError("ValueError", "window size must be positive", () -> Conv.pool2d(x, shape(0, 2), true, null, null, "max"));
        assertEquals(PoolParams.Mode.MAX, PoolParams.Mode.of("max_deterministic"));
    }
}
