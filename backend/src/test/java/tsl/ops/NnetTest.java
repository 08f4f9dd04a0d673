package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.ivec;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.grad.Gradient;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** softmax, log_softmax, cross-entropies and activations against SciPy, with gradients that stay finite at |x| = 1000. */
class NnetTest {
    static final double[] X = {1, 2, 3, 1000, 1000, -1000};

    @Test
    void softmaxValues() {
        Variable x = var(DType.FLOAT64, 2, "x");
        assertArray(run(List.of(x), T.softmax(x), arr(DType.FLOAT64, shape(2, 3), X)), DType.FLOAT64, shape(2, 3),
                0.09003057317038046, 0.24472847105479764, 0.6652409557748218, 0.5, 0.5, 0.0);
        assertArray(run(List.of(x), T.logSoftmax(x), arr(DType.FLOAT64, shape(2, 3), X)), DType.FLOAT64, shape(2, 3),
                -2.4076059644443806, -1.4076059644443804, -0.4076059644443804, -0.6931471805599453, -0.6931471805599453,
                -2000.69314718056);
        Variable f = var(DType.FLOAT32, shape(1, 3), "f");
        assertArray(run(List.of(f), T.softmax(f), arr(DType.FLOAT32, shape(1, 3), 1, 2, 3)), DType.FLOAT32, shape(1, 3),
                0.09003057330846786, 0.2447284609079361, 0.6652409434318542);
        assertEquals("TypeError", assertThrows(TslException.class, () -> T.softmax(var(DType.FLOAT64, 0, "s"))).pythonType());
    }

    @Test
    void softmaxGradients() {
        checkGrad(in -> T.softmax(in[0]), arr(DType.FLOAT64, shape(2, 3), 1, 2, 3, -1, 0.5, 0));
        checkGrad(in -> T.logSoftmax(in[0]), arr(DType.FLOAT64, shape(2, 3), 1, 2, 3, -1, 0.5, 0));
        assertFinite(x -> T.sum(T.mul(T.logSoftmax(x), T.constant(NDArray.of(1, 2, 3)))), arr(DType.FLOAT64, shape(2, 3), X));
        assertFinite(x -> T.sum(T.sqr(T.softmax(x))), arr(DType.FLOAT64, shape(2, 3), X));
    }

    @Test
    void crossEntropies() {
        Variable o = var(DType.FLOAT64, 1, "o");
        Variable t = var(DType.FLOAT64, 1, "t");
        NDArray tv = vec(DType.FLOAT64, 0, 1, 1);
        assertArray(run(List.of(o, t), T.binaryCrossentropy(o, t), vec(DType.FLOAT64, 0.2, 0.9, 0.5), tv), DType.FLOAT64, shape(3),
                0.2231435513142097, 0.10536051565782628, 0.6931471805599453);
        NDArray z = vec(DType.FLOAT64, -1000, 0.5, 1000);
        assertArray(run(List.of(o, t), T.binaryCrossentropy(T.sigmoid(o), t), z, tv), DType.FLOAT64, shape(3), 0, 0.4740769841801067, 0);
        assertArray(run(List.of(o, t), T.sigmoidBinaryCrossentropy(o, t), z, tv), DType.FLOAT64, shape(3), 0, 0.4740769841801067, 0);
        Variable tt = var(DType.FLOAT64, 1, "tt");
        assertFinite(x -> T.sum(T.binaryCrossentropy(T.sigmoid(x), T.constant(NDArray.of(1, 0, 1)))), z);
        Variable p = var(DType.FLOAT64, 2, "p");
        Variable y = var(DType.INT64, 1, "y");
        NDArray pv = arr(DType.FLOAT64, shape(2, 3), 0.2, 0.7, 0.1, 0.5, 0.25, 0.25);
        assertArray(run(List.of(p, y), T.categoricalCrossentropy(p, y), pv, ivec(1, 2)), DType.FLOAT64, shape(2),
                0.35667494393873245, 1.3862943611198906);
        Variable oneHot = var(DType.FLOAT64, 2, "h");
        assertArray(run(List.of(p, oneHot), T.categoricalCrossentropy(p, oneHot), pv, arr(DType.FLOAT64, shape(2, 3), 0, 1, 0, 0, 0, 1)),
                DType.FLOAT64, shape(2), 0.35667494393873245, 1.3862943611198906);
        assertFinite(x -> T.sum(T.categoricalCrossentropy(T.softmax(x), T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {2, 2})))),
                arr(DType.FLOAT64, shape(2, 3), X));
        checkGrad(in -> T.categoricalCrossentropy(T.softmax(in[0]), T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {0, 1}))),
                arr(DType.FLOAT64, shape(2, 3), 1, 2, 3, -1, 0.5, 0));
        checkGrad(in -> T.binaryCrossentropy(in[0], T.constant(NDArray.of(0, 1, 1))), vec(DType.FLOAT64, 0.2, 0.9, 0.5));
        assertEquals("TypeError", assertThrows(TslException.class, () -> T.categoricalCrossentropy(p, tt)).pythonType());
    }

    @Test
    void activations() {
        Variable x = var(DType.FLOAT64, 1, "x");
        NDArray z = vec(DType.FLOAT64, -1000, 0.5, 1000);
        assertArray(run(List.of(x), T.elu(x, 2.0), z), DType.FLOAT64, shape(3), -2, 0.5, 1000);
        Variable f = var(DType.FLOAT32, 1, "f");
        assertEquals(DType.FLOAT32, T.elu(f).dtype());
        for (java.util.function.Function<Variable, Variable> act : List.<java.util.function.Function<Variable, Variable>>of(
                T::sigmoid, T::softplus, T::relu, v -> T.elu(v), T::tanh)) {
            assertFinite(v -> T.sum(act.apply(v)), z);
        }
        checkGrad(in -> T.elu(in[0], 1.5), vec(DType.FLOAT64, -2, -0.5, 0.5, 2));
        checkGrad(in -> T.sigmoid(in[0]), vec(DType.FLOAT64, -2, -0.5, 0.5, 2));
    }

    private static void assertFinite(java.util.function.Function<Variable, Variable> cost, NDArray at) {
        Variable x = var(at.dtype(), at.ndim(), "x");
        Variable g = Gradient.grad(cost.apply(x), List.of(x), null, "raise").get(0);
        NDArray[] out = OpTesting.runAll(List.of(x), List.of(cost.apply(x), g), at);
        assertFalse(Double.isNaN(out[0].item()) || Double.isInfinite(out[0].item()), "cost " + out[0]);
        for (double v : out[1].toDoubleArray()) {
            assertFalse(Double.isNaN(v) || Double.isInfinite(v), "gradient " + out[1]);
        }
    }
}
