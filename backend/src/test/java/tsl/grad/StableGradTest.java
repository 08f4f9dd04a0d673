package tsl.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.runAll;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Gradients stay finite (and right) where the forward op is stable: inputs of magnitude 1000. */
class StableGradTest {
    private static final double[] BIG = {-1000, -30, 0, 30, 1000, 1000};

    /** The gradient of sum(f(x)) at BIG (a 2x3 matrix); every element must be finite. */
    private static double[] gradAt(DType d, Function<Variable, Variable> f) {
        Variable x = var(d, 2, "x");
        Variable g = Gradient.grad(T.sum(f.apply(x)), List.of(x), new Gradient.Options()).get(0);
        NDArray out = runAll(List.of(x), List.of(g), arr(d, shape(2, 3), BIG))[0];
        assertEquals(d, out.dtype());
        double[] v = out.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            assertTrue(Double.isFinite(v[i]), "element " + i + " of the gradient is " + v[i]);
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT64", "FLOAT32"})
    void sigmoidAndItsWrittenOutForm(DType d) {
        double[] g = gradAt(d, T::sigmoid);
        assertEquals(0.25, g[2], 1e-7);
        assertEquals(0.0, g[0]);
        double[] g2 = gradAt(d, x -> T.trueDiv(T.constant(1), T.add(T.constant(1), T.exp(T.neg(x)))));
        assertEquals(0.25, g2[2], 1e-7);
        assertEquals(9.357622968838425e-14, gradAt(DType.FLOAT64, T::sigmoid)[3], 1e-26); // accurate in the tail
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT64", "FLOAT32"})
    void softplus(DType d) {
        double[] g = gradAt(d, T::softplus);
        assertEquals(0.0, g[0]);
        assertEquals(0.5, g[2], 1e-7);
        assertEquals(1.0, g[4]);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT64", "FLOAT32"})
    void logSoftmaxAndCategoricalCrossentropy(DType d) {
        // the gradient of sum(log_softmax(x)) over a row is 1 - 3 softmax(x)
        double[] g = gradAt(d, T::logSoftmax);
        assertEquals(1.0, g[0], 1e-6);
        assertEquals(-0.5, g[4], 1e-6); // softmax of the second row is (0, 0.5, 0.5)
        Variable t = T.constant(NDArray.fromDoubles(d, new int[] {2, 3}, new double[] {1, 0, 0, 0, 0, 1}));
        double[] c = gradAt(d, x -> T.categoricalCrossentropy(T.softmax(x), t));
        assertEquals(-1.0, c[0], 1e-6); // softmax - target
        assertEquals(0.0, c[1], 1e-6);
        gradAt(d, x -> T.logsumexp(x, new int[] {1}, false));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT64", "FLOAT32"})
    void binaryCrossentropyOfSigmoid(DType d) {
        Variable t = T.constant(NDArray.fromDoubles(d, new int[] {2, 3}, new double[] {1, 1, 1, 0, 0, 0}));
        double[] g = gradAt(d, x -> T.binaryCrossentropy(T.sigmoid(x), t));
        assertEquals(-1.0, g[0], 1e-6); // sigmoid(x) - t
        assertEquals(-0.5, g[2], 1e-6);
        assertEquals(1.0, g[4], 1e-6);
    }
}
