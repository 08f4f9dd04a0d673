package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Basic and advanced indexing, set/inc_subtensor, against NumPy. */
class SubtensorTest {
    static NDArray x(DType d) {
        double[] v = new double[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i;
        }
        return arr(d, shape(2, 3, 4), v);
    }

    static NDArray eval(DType d, Function<Variable, Variable> f) {
        Variable v = var(d, 3, "x");
        return run(List.of(v), f.apply(v), x(d));
    }

    static final Object ALL = T.slice(null, null, null);

    @Test
    void basicSlicesAndPoints() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.subtensor(v, ALL, T.slice(1, 3), T.slice(null, null, -2))), f, shape(2, 2, 2),
                7, 5, 11, 9, 19, 17, 23, 21);
        assertArray(eval(f, v -> T.subtensor(v, -1, null, ALL, 2)), f, shape(1, 3), 14, 18, 22);
        assertArray(eval(f, v -> T.subtensor(v, ALL, T.slice(-5, 10, 1), 0)), f, shape(2, 3), 0, 4, 8, 12, 16, 20);
        assertArray(eval(DType.FLOAT32, v -> T.subtensor(v, 0, T.slice(null, null, 2))), DType.FLOAT32, shape(2, 4),
                0, 1, 2, 3, 8, 9, 10, 11);
        assertArray(eval(DType.INT32, v -> T.subtensor(v, T.ELLIPSIS, 1)), DType.INT32, shape(2, 3), 1, 5, 9, 13, 17, 21);
    }

    @Test
    void symbolicBoundsAndStaticShapes() {
        Variable x = var(DType.FLOAT64, 3, "x");
        Variable i = var(DType.INT64, 0, "i");
        Variable a = var(DType.INT32, 0, "a");
        Variable s = T.subtensor(x, i, T.slice(a, null));
        assertEquals(2, s.ndim());
        assertArray(run(List.of(x, i, a), s, x(DType.FLOAT64), NDArray.scalar(1L, DType.INT64), NDArray.scalar(-3L, DType.INT32)),
                DType.FLOAT64, shape(3, 4), 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
        Variable known = var(DType.FLOAT64, shape(5, 4), "k");
        assertArrayEquals(new int[] {2, 4}, T.subtensor(known, T.slice(1, null, 2)).type().shape());
        assertArrayEquals(new int[] {TensorType.UNKNOWN, 4}, T.subtensor(known, T.slice(i, null)).type().shape());
    }

    @Test
    void basicIndexingIsAView() {
        Variable x = var(DType.FLOAT64, 3, "x");
        Variable s = T.subtensor(x, 1);
        NDArray xv = x(DType.FLOAT64);
        NDArray out = s.owner().op().perform(s.owner(), new NDArray[] {xv})[0];
        assertSame(xv.segment(), out.segment());
    }

    @Test
    void advancedIndexing() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.subtensor(T.subtensor(v, new int[] {-1, 0, 0}), ALL, 0, 0)), f, shape(3), 12, 0, 0);
        assertArray(eval(f, v -> T.subtensor(v, ALL, new long[] {2, 0}, 1)), f, shape(2, 2), 9, 1, 21, 13);
        assertArray(eval(f, v -> T.subtensor(v, new int[] {1, 0}, ALL, new int[] {3, 2})), f, shape(2, 3), 15, 19, 23, 2, 6, 10);
        assertArray(eval(f, v -> T.subtensor(v, 1, T.slice(1, null), new int[] {0, 3})), f, shape(2, 2), 16, 20, 19, 23);
        Variable m = var(DType.BOOL, 2, "m");
        Variable x = var(DType.FLOAT32, 3, "x");
        assertArray(run(List.of(x, m), T.subtensor(x, m), x(DType.FLOAT32), arr(DType.BOOL, shape(2, 3), 1, 0, 1, 0, 0, 1)),
                DType.FLOAT32, shape(3, 4), 0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23);
        assertArray(eval(f, v -> T.subtensor(v, T.gt(v, 17))), f, shape(6), 18, 19, 20, 21, 22, 23);
        Variable idx = var(DType.INT64, 2, "idx");
        Variable r = T.subtensor(x, idx);
        assertEquals(4, r.ndim());
        assertArrayEquals(new int[] {1, 2, 3, 4}, run(List.of(x, idx), r, x(DType.FLOAT32), arr(DType.INT64, shape(1, 2), 1, 0)).shape());
    }

    @Test
    void setAndIncSubtensor() {
        Variable x = var(DType.FLOAT64, 3, "x");
        Variable set = T.setSubtensor(T.subtensor(x, 0, T.slice(1, null)), 5.0);
        assertArray(run(List.of(x), T.subtensor(set, 0), x(DType.FLOAT64)), DType.FLOAT64, shape(3, 4),
                0, 1, 2, 3, 5, 5, 5, 5, 5, 5, 5, 5);
        Variable v = var(DType.FLOAT64, 1, "v");
        Variable y = var(DType.FLOAT64, 1, "y");
        // np.add.at(zeros(4), [0, 0, 2], [1, 2, 3])
        assertArray(run(List.of(v, y), T.incSubtensor(T.subtensor(v, new int[] {0, 0, 2}), y), vec(DType.FLOAT64, 0, 0, 0, 0),
                vec(DType.FLOAT64, 1, 2, 3)), DType.FLOAT64, shape(4), 3, 0, 3, 0);
        assertArray(run(List.of(v), T.setSubtensor(T.subtensor(v, new int[] {1, -1}), vec(DType.FLOAT64, 7, 8)),
                vec(DType.FLOAT64, 0, 1, 2, 3)), DType.FLOAT64, shape(4), 0, 7, 2, 8);
        Variable iv = var(DType.INT32, 1, "iv");
        assertArray(run(List.of(iv), T.incSubtensor(T.subtensor(iv, T.slice(1, null)), 10), vec(DType.INT32, 1, 2, 3)),
                DType.INT32, shape(3), 1, 12, 13);
        assertThrows(TslException.class, () -> T.setSubtensor(x, 1.0));
    }

    @Test
    void outOfBoundsIsIndexError() {
        Variable x = var(DType.FLOAT64, 3, "x");
        TslException e = assertThrows(TslException.class, () -> run(List.of(x), T.subtensor(x, 5), x(DType.FLOAT64)));
        assertEquals("IndexError", e.pythonType());
        e = assertThrows(TslException.class, () -> run(List.of(x), T.subtensor(x, ALL, new int[] {0, 3}), x(DType.FLOAT64)));
        assertEquals("IndexError", e.pythonType());
        Variable k = var(DType.FLOAT64, shape(2, 3), "k");
        assertEquals("IndexError", assertThrows(TslException.class, () -> T.subtensor(k, 0, -4)).pythonType());
        assertEquals("IndexError", assertThrows(TslException.class, () -> T.subtensor(k, 0, 0, 0)).pythonType());
        assertEquals("IndexError", assertThrows(TslException.class, () -> T.subtensor(k, vec(DType.FLOAT64, 0.5))).pythonType());
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> run(List.of(x), T.subtensor(x, T.slice(null, null, 0)), x(DType.FLOAT64))).pythonType());
    }

    @Test
    void gradients() {
        NDArray p = arr(DType.FLOAT64, shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        checkGrad(in -> T.subtensor(in[0], T.slice(1, null), T.slice(null, null, -2)), p);
        checkGrad(in -> T.subtensor(in[0], new int[] {2, 0, 2}), p);
        checkGrad(in -> T.subtensor(in[0], ALL, new int[] {1, 1, 3}), p);
        checkGrad(in -> T.setSubtensor(T.subtensor(in[0], 1), in[1]), p, vec(DType.FLOAT64, 1, 2, 3, 4));
        checkGrad(in -> T.incSubtensor(T.subtensor(in[0], T.slice(0, 2), 1), in[1]), p, NDArray.scalar(5.0, DType.FLOAT64));
        checkGrad(in -> T.incSubtensor(T.subtensor(in[0], new int[] {0, 0, 2}), in[1]), p, arr(DType.FLOAT64, shape(3, 4),
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        checkGrad(in -> T.setSubtensor(T.subtensor(in[0], new int[] {0, 2}), in[1]), p, vec(DType.FLOAT64, 1, 2, 3, 4));
    }
}
