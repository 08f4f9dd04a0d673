package tsl.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.vec;

import java.util.Random;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class VerifyGradTest {
    @Test
    void acceptsRightGradients() {
        VerifyGrad.verifyGrad(a -> T.mul(T.tanh(a[0]), T.exp(a[1])),
                new NDArray[] {vec(DType.FLOAT64, 0.1, -0.5, 2.0), vec(DType.FLOAT64, 0.3, 0.2, -1.0)},
                new VerifyGrad.Options().nTests(3).rng(new Random(1)));
        VerifyGrad.verifyGrad(a -> T.dot(a[0], a[1]),
                new NDArray[] {arr(DType.FLOAT32, shape(2, 2), 1, 2, 3, 4), vec(DType.FLOAT32, 0.5, -1)},
                new VerifyGrad.Options());
    }

    @Test
    void rejectsWrongGradientsWithGradientError() {
        // grad_scale's gradient is deliberately not the derivative of its value
        TslException e = assertThrows(TslException.class, () -> VerifyGrad.verifyGrad(a -> T.sqr(T.gradScale(a[0], 2.0)),
                new NDArray[] {vec(DType.FLOAT64, 1.0, 2.0)}, new VerifyGrad.Options()));
        assertEquals("GradientError", e.pythonType());
        assertTrue(e.getMessage().contains("argument 0"), e.getMessage());
        // ... but a tolerance wide enough lets it through
        VerifyGrad.verifyGrad(a -> T.sqr(T.gradScale(a[0], 1.01)), new NDArray[] {vec(DType.FLOAT64, 1.0, 2.0)},
                new VerifyGrad.Options().relTol(0.05).absTol(0.05));
    }

    @Test
    void rejectsIntegerPoints() {
        NDArray ints = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {1, 2});
        assertEquals("TypeError", assertThrows(TslException.class,
                () -> VerifyGrad.verifyGrad(a -> a[0], new NDArray[] {ints}, new VerifyGrad.Options())).pythonType());
    }

    @Test
    void theanoDefaults() {
        assertEquals(1e-7, VerifyGrad.defaultEps(DType.FLOAT64));
        assertEquals(3e-4, VerifyGrad.defaultEps(DType.FLOAT32));
        assertEquals(1e-4, VerifyGrad.defaultTol(DType.FLOAT64));
        assertEquals(1e-2, VerifyGrad.defaultTol(DType.FLOAT32));
    }
}
