package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.nnet.Conv;
import tsl.ops.nnet.Conv2dGradInputs;
import tsl.ops.nnet.Conv2dGradWeights;
import tsl.ops.nnet.ConvParams;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * conv2d against SciPy's convolve2d / correlate2d (literal arrays) and against a naive
 * reference that pads, dilates and flips explicitly; finite-difference gradients for the
 * input, the filters and the gradient ops themselves.
 */
class ConvTest {
    private static final ConvParams DEF = ConvParams.defaults();

    private static NDArray ramp(DType d, int[] s, double scale, int mod) {
        double[] v = new double[(int) NDArray.sizeOf(s)];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 7L) % mod - mod / 2) * scale;
        }
        return NDArray.fromDoubles(d, s, v);
    }

    private static NDArray conv(NDArray x, NDArray w, ConvParams p) {
        Variable xv = var(x.dtype(), 4, "x");
        Variable wv = var(w.dtype(), 4, "w");
        return run(List.of(xv, wv), Conv.conv2d(xv, wv, p), x, w);
    }

    // ------------------------------------------------------------------ values

    @Test
    void singleChannelAgainstScipy() {
        NDArray x = arr(DType.FLOAT64, shape(1, 1, 4, 4), java.util.stream.IntStream.range(0, 16).asDoubleStream().toArray());
        NDArray w = arr(DType.FLOAT64, shape(1, 1, 3, 3), java.util.stream.IntStream.range(0, 9).asDoubleStream().toArray());
        // scipy.signal.convolve2d(x, w, 'valid'), correlate2d(x, w, 'valid'), convolve2d 'full' and 'same'
        assertArray(conv(x, w, DEF), DType.FLOAT64, shape(1, 1, 2, 2), 102, 138, 246, 282);
        assertArray(conv(x, w, DEF.withFlip(false)), DType.FLOAT64, shape(1, 1, 2, 2), 258, 294, 402, 438);
        assertArray(conv(x, w, DEF.withBorderMode("full")), DType.FLOAT64, shape(1, 1, 6, 6),
                0, 0, 1, 4, 7, 6, 0, 7, 23, 38, 41, 29, 12, 45, 102, 138, 126, 81, 48, 129, 246, 282, 234, 141,
                84, 197, 341, 374, 287, 163, 72, 162, 271, 292, 217, 120);
        assertArray(conv(x, w, DEF.withBorderMode("half")), DType.FLOAT64, shape(1, 1, 4, 4),
                7, 23, 38, 41, 45, 102, 138, 126, 129, 246, 282, 234, 197, 341, 374, 287);
        assertArray(conv(x, w, DEF.withPadding(1, 1)), DType.FLOAT64, shape(1, 1, 4, 4),
                7, 23, 38, 41, 45, 102, 138, 126, 129, 246, 282, 234, 197, 341, 374, 287);
    }

    @Test
    void strideDilationPaddingAgainstScipy() {
        NDArray x = arr(DType.FLOAT64, shape(1, 1, 5, 6), java.util.stream.IntStream.range(0, 30).asDoubleStream().toArray());
        NDArray w = arr(DType.FLOAT64, shape(1, 1, 2, 2), 1, 2, 3, 4);
        // convolve2d(x, w dilated by (2, 1), 'full')[::2, ::1]
        assertArray(conv(x, w, DEF.withBorderMode("full").withSubsample(2, 1).withDilation(2, 1)), DType.FLOAT64, shape(1, 1, 4, 7),
                0, 1, 4, 7, 10, 13, 10, 12, 40, 50, 60, 70, 80, 54, 60, 160, 170, 180, 190, 200, 126, 72, 171, 178, 185, 192, 199, 116);
        // correlate2d(np.pad(x, ((1, 1), (2, 2))), w, 'valid')[::1, ::2]
        assertArray(conv(x, w, DEF.withPadding(1, 2).withSubsample(1, 2).withFlip(false)), DType.FLOAT64, shape(1, 1, 6, 5),
                0, 4, 18, 32, 0, 0, 48, 68, 88, 0, 0, 108, 128, 148, 0, 0, 168, 188, 208, 0, 0, 228, 248, 268, 0, 0, 74, 80, 86, 0);
    }

    @Test
    void float32AndGroupsLiterals() {
        double[] xv = new double[16];
        for (int i = 0; i < 16; i++) {
            xv[i] = (float) ((float) i * 0.1f);
        }
        NDArray x = arr(DType.FLOAT32, shape(1, 1, 4, 4), xv);
        NDArray w = arr(DType.FLOAT32, shape(1, 1, 2, 2), 0.5, -1.25, 2.0, 0.3);
        NDArray out = conv(x, w, DEF);
        // scipy convolve2d on float32 arrays
        assertArray(out, DType.FLOAT32, shape(1, 1, 3, 3), new double[] {-0.04999999701976776, 0.10500001907348633, 0.2600000202655792,
                0.5700000524520874, 0.7250000238418579, 0.8799999952316284, 1.190000057220459, 1.3449997901916504, 1.5}, 1e-5);
        // two groups of two channels, one filter per group: sum of convolve2d over the group's channels
        double[] gxv = new double[36];
        double[] gwv = new double[16];
        for (int i = 0; i < 36; i++) {
            gxv[i] = i % 7 - 3;
        }
        for (int i = 0; i < 16; i++) {
            gwv[i] = i % 5 - 2;
        }
        NDArray gx = arr(DType.FLOAT64, shape(1, 4, 3, 3), gxv);
        assertArray(conv(gx, arr(DType.FLOAT64, shape(2, 2, 2, 2), gwv), DEF.withGroups(2)), DType.FLOAT64, shape(1, 2, 2, 2),
                -3, -20, 2, 13, -26, -11, 12, 13);
    }

    /** Every border mode, stride, dilation, flip and grouping against the naive reference, in both float dtypes. */
    @Test
    void matchesNaiveReference() {
        ConvParams[] all = {
            DEF, DEF.withFlip(false), DEF.withBorderMode("full"), DEF.withBorderMode("half"), DEF.withPadding(2, 1),
            DEF.withSubsample(2, 3), DEF.withBorderMode("full").withSubsample(3, 2), DEF.withDilation(2, 2),
            DEF.withBorderMode("half").withDilation(1, 2).withFlip(false), DEF.withPadding(1, 0).withSubsample(2, 2).withDilation(2, 1),
            DEF.withGroups(2), DEF.withGroups(2).withBorderMode("full").withSubsample(2, 1),
        };
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (ConvParams p : all) {
                int groups = p.groups();
                NDArray x = ramp(d, shape(2, 2 * groups, 7, 8), 0.25, 13);
                NDArray w = ramp(d, shape(5 * groups, 2, 3, 2), 0.5, 5); // blocks of four filters and a remainder
                NDArray got = conv(x, w, p);
                NDArray want = NaiveConv.conv(x, w, p);
                assertArray(got, d, want.shape(), want.toDoubleArray(), d == DType.FLOAT32 ? 1e-5 : 1e-12);
            }
        }
    }

    @Test
    void staticShapes() {
        Variable x = var(DType.FLOAT32, shape(8, 3, 28, 28), "x");
        Variable w = var(DType.FLOAT32, shape(6, 3, 5, 5), "w");
        assertArrayEquals(shape(8, 6, 24, 24), Conv.conv2d(x, w).type().shape());
        assertArrayEquals(shape(8, 6, 32, 32), Conv.conv2d(x, w, DEF.withBorderMode("full")).type().shape());
        assertArrayEquals(shape(8, 6, 14, 14), Conv.conv2d(x, w, DEF.withBorderMode("half").withSubsample(2, 2)).type().shape());
        assertArrayEquals(shape(8, 6, 20, 26), Conv.conv2d(x, w, DEF.withDilation(2, 1).withPadding(0, 1)).type().shape());
        Variable u = var(DType.FLOAT64, 4, "u");
        assertArrayEquals(shape(-1, 6, -1, -1), Conv.conv2d(u, var(DType.FLOAT64, shape(6, 3, 5, 5), "k")).type().shape());
        // Theano: the output has the input's dtype whatever the filters' dtype
        assertEquals(DType.FLOAT32, Conv.conv2d(x, var(DType.FLOAT64, 4, "k")).dtype());
        assertEquals(DType.FLOAT64, Conv.conv2d(u, var(DType.FLOAT32, 4, "k")).dtype());
        // shape hints become static lengths, and are checked when the function runs
        Variable hinted = Conv.conv2d(u, var(DType.FLOAT64, 4, "k"), DEF, new int[] {2, 1, 6, 6}, new int[] {3, 1, 3, 3});
        assertArrayEquals(shape(2, 3, 4, 4), hinted.type().shape());
        Variable k = var(DType.FLOAT64, 4, "k2");
        Variable h2 = Conv.conv2d(u, k, DEF, new int[] {2, 1, 6, 6}, null);
        TslException e = assertThrows(TslException.class,
                () -> run(List.of(u, k), h2, ramp(DType.FLOAT64, shape(2, 1, 5, 6), 1, 3), ramp(DType.FLOAT64, shape(1, 1, 3, 3), 1, 3)));
        assertTrue(e.getMessage().contains("AbstractConv shape mismatch: shape of image does not match given imshp"), e.getMessage());
    }

    @Test
    void errors() {
        Variable x = var(DType.FLOAT64, shape(2, 3, 5, 5), "x");
        assertError("ValueError", "3 channels but the filters expect 2", () -> Conv.conv2d(x, var(DType.FLOAT64, shape(4, 2, 3, 3), "w")));
        assertError("ValueError", "does not fit", () -> Conv.conv2d(x, var(DType.FLOAT64, shape(4, 3, 6, 3), "w")));
        assertError("ValueError", "does not fit", () -> Conv.conv2d(x, var(DType.FLOAT64, shape(4, 3, 3, 3), "w"), DEF.withDilation(3, 1)));
        assertError("TypeError", "expected 4-d", () -> Conv.conv2d(var(DType.FLOAT64, 3, "t"), var(DType.FLOAT64, 4, "w")));
        assertError("TypeError", "float", () -> Conv.conv2d(var(DType.INT32, 4, "i"), var(DType.FLOAT64, 4, "w")));
        assertError("ValueError", "multiple of num_groups", () -> Conv.conv2d(var(DType.FLOAT64, shape(1, 4, 5, 5), "g"),
                var(DType.FLOAT64, shape(3, 2, 3, 3), "w"), DEF.withGroups(2)));
        assertError("ValueError", "subsample must be positive", () -> DEF.withSubsample(0, 1));
        assertError("ValueError", "invalid border_mode", () -> DEF.withBorderMode("same"));
        assertError("ValueError", "input_shape", () -> Conv.conv2d(x, var(DType.FLOAT64, 4, "w"), DEF, new int[] {2, 4, 5, 5}, null));
        // shapes only known when the function runs
        Variable a = var(DType.FLOAT64, 4, "a");
        Variable b = var(DType.FLOAT64, 4, "b");
        Variable out = Conv.conv2d(a, b);
        assertError("ValueError", "input shape (1, 1, 3, 3), filter shape (1, 1, 4, 2)",
                () -> run(List.of(a, b), out, ramp(DType.FLOAT64, shape(1, 1, 3, 3), 1, 3), ramp(DType.FLOAT64, shape(1, 1, 4, 2), 1, 3)));
        assertError("ValueError", "2 channels but the filters expect 1",
                () -> run(List.of(a, b), out, ramp(DType.FLOAT64, shape(1, 2, 3, 3), 1, 3), ramp(DType.FLOAT64, shape(1, 1, 2, 2), 1, 3)));
    }

    static void assertError(String type, String fragment, org.junit.jupiter.api.function.Executable body) {
        TslException e = assertThrows(TslException.class, body);
        assertEquals(type, e.pythonType(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "message: " + e.getMessage());
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void gradientsOfInputAndFilters() {
        ConvParams[] all = {
            DEF, DEF.withFlip(false), DEF.withBorderMode("full"), DEF.withBorderMode("half"), DEF.withPadding(1, 2),
            DEF.withSubsample(2, 2), DEF.withDilation(2, 1).withSubsample(1, 2), DEF.withGroups(2).withPadding(0, 1),
        };
        for (ConvParams p : all) {
            NDArray x = ramp(DType.FLOAT64, shape(2, 2 * p.groups(), 5, 6), 0.1, 11);
            NDArray w = ramp(DType.FLOAT64, shape(5 * p.groups(), 2, 3, 2), 0.2, 7);
            checkGrad(in -> Conv.conv2d(in[0], in[1], p), x, w);
        }
    }

    @Test
    void gradientsOfTheGradientOps() {
        ConvParams p = DEF.withSubsample(2, 1).withPadding(1, 0);
        // input (1, 2, 5, 4), filters (5, 2, 2, 2) -> output (1, 5, 3, 3)
        NDArray w = ramp(DType.FLOAT64, shape(5, 2, 2, 2), 0.3, 7);
        NDArray top = ramp(DType.FLOAT64, shape(1, 5, 3, 3), 0.2, 5);
        NDArray x = ramp(DType.FLOAT64, shape(1, 2, 5, 4), 0.1, 11);
        Variable hw = T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {5, 4}));
        Variable kk = T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {2, 2}));
        checkGrad(in -> new Conv2dGradInputs(p).makeNode(List.of(in[0], in[1], hw)).output(), w, top);
        checkGrad(in -> new Conv2dGradWeights(p).makeNode(List.of(in[0], in[1], kk)).output(), x, top);
        // the gradient op's static shape comes from the constant size vector
        Variable wv = var(DType.FLOAT64, shape(5, 2, 2, 2), "w");
        assertArrayEquals(shape(-1, 2, 5, 4),
                new Conv2dGradInputs(p).makeNode(List.of(wv, var(DType.FLOAT64, 4, "t"), hw)).output().type().shape());
        // a second derivative through conv2d: d/dw of sum((d cost/dx)^2)
        checkGrad(in -> {
            Variable c = T.sum(T.sqr(Conv.conv2d(in[0], in[1], p)));
            Variable gxv = tsl.grad.Gradient.grad(c, List.of(in[0]), null, "raise").get(0);
            return T.sqr(gxv);
        }, 1e-4, x, w);
    }

    @Test
    void gradientStaticShapes() {
        Variable x = var(DType.FLOAT32, shape(4, 3, 9, 9), "x");
        Variable w = var(DType.FLOAT32, shape(5, 3, 3, 3), "w");
        Variable c = T.sum(Conv.conv2d(x, w, DEF.withSubsample(2, 2)));
        List<Variable> g = tsl.grad.Gradient.grad(c, List.of(x, w), null, "raise");
        assertArrayEquals(shape(4, 3, 9, 9), g.get(0).type().shape());
        assertArrayEquals(shape(5, 3, 3, 3), g.get(1).type().shape());
        assertEquals(DType.FLOAT32, g.get(0).dtype());
        assertEquals(TensorType.UNKNOWN, Conv.conv2d(var(DType.FLOAT32, 4, "u"), w).type().dim(2));
    }
}
