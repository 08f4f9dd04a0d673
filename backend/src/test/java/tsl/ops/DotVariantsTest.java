package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** batched_dot, tensordot and matmul against NumPy. */
class DotVariantsTest {
    static NDArray a(DType d) {
        return arr(d, shape(2, 2, 3), -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5);
    }

    static NDArray b(DType d) {
        return arr(d, shape(2, 3, 3), 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25);
    }

    @Test
    void batchedDotAndMatmul() {
        for (DType d : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Variable x = var(d, 3, "x");
            Variable y = var(d, 3, "y");
            double[] expected = {-0.375, -0.75, -1.125, 3.0, 3.75, 4.5, 23.25, 25.125, 27.0, 36.75, 39.75, 42.75};
            assertArray(run(List.of(x, y), T.batchedDot(x, y), a(d), b(d)), d, shape(2, 2, 3), expected);
            assertArray(run(List.of(x, y), T.matmul(x, y), a(d), b(d)), d, shape(2, 2, 3), expected);
        }
        Variable m = var(DType.FLOAT64, 2, "m");
        NDArray mv = arr(DType.FLOAT64, shape(2, 3), 0, 1, 2, 3, 4, 5);
        assertArray(run(List.of(m), T.batchedDot(m, T.add(m, 1)), mv), DType.FLOAT64, shape(2), 8, 62);
        Variable p = var(DType.FLOAT64, 4, "p");
        Variable q = var(DType.FLOAT64, 4, "q");
        double[] pv = new double[24];
        double[] qv = new double[16];
        for (int i = 0; i < 24; i++) {
            pv[i] = i;
        }
        for (int i = 0; i < 16; i++) {
            qv[i] = i;
        }
        assertArray(run(List.of(p, q), T.matmul(p, q), arr(DType.FLOAT64, shape(2, 1, 3, 4), pv), arr(DType.FLOAT64, shape(2, 1, 4, 2), qv)),
                DType.FLOAT64, shape(2, 1, 3, 2), 28, 34, 76, 98, 124, 162, 604, 658, 780, 850, 956, 1042);
        Variable bad = var(DType.FLOAT64, shape(2, 4, 3), "bad");
        Variable x = var(DType.FLOAT64, shape(2, 2, 3), "x");
        assertEquals("ValueError", assertThrows(TslException.class, () -> T.batchedDot(x, bad)).pythonType());
        assertEquals("NotImplementedError", assertThrows(TslException.class, () -> T.matmul(x, m)).pythonType());
    }

    @Test
    void tensordot() {
        Variable x = var(DType.FLOAT64, 3, "x");
        Variable y = var(DType.FLOAT64, 3, "y");
        assertArray(run(List.of(x, y), T.tensordot(x, y, new int[] {0, 2}, new int[] {0, 1}), a(DType.FLOAT64), b(DType.FLOAT64)),
                DType.FLOAT64, shape(2, 3), 22.875, 24.375, 25.875, 39.75, 43.5, 47.25);
        Variable y2 = var(DType.FLOAT32, 2, "y2");
        Variable x32 = var(DType.FLOAT32, 3, "x32");
        assertArray(run(List.of(x32, y2), T.tensordot(x32, y2, 1), a(DType.FLOAT32), arr(DType.FLOAT32, shape(3, 3), 0, 0.25, 0.5, 0.75, 1,
                1.25, 1.5, 1.75, 2)), DType.FLOAT32, shape(2, 2, 3), -0.375, -0.75, -1.125, 3.0, 3.75, 4.5, 6.375, 8.25, 10.125, 9.75,
                12.75, 15.75);
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> T.tensordot(var(DType.FLOAT64, shape(2, 3), "s"), var(DType.FLOAT64, shape(2, 3), "t"), new int[] {1}, new int[] {0}))
                .pythonType());
    }

    @Test
    void gradients() {
        checkGrad(in -> T.batchedDot(in[0], in[1]), a(DType.FLOAT64), b(DType.FLOAT64));
        checkGrad(in -> T.tensordot(in[0], in[1], new int[] {0, 2}, new int[] {0, 1}), a(DType.FLOAT64), b(DType.FLOAT64));
        checkGrad(in -> T.tensordot(in[0], in[1], 2), arr(DType.FLOAT64, shape(2, 3), 1, 2, 3, 4, 5, 6),
                arr(DType.FLOAT64, shape(2, 3), 0.5, -1, 2, 0, 1, 3));
    }
}
