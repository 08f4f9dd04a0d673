package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Shape, Reshape, Join, Alloc, ARange, Eye, Repeat, Sort, CumOp and the graphs built from them, against NumPy. */
class ShapeOpsTest {
    static final double[] X = {3, 1, 2, 0.5, -1, 7};

    static NDArray eval(DType d, Function<Variable, Variable> f) {
        Variable v = var(d, 2, "x");
        return run(List.of(v), f.apply(v), arr(d, shape(2, 3), X));
    }

    @Test
    void shapeAndReshape() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, T::shape), DType.INT64, shape(2), 2, 3);
        assertArray(eval(f, v -> T.reshape(v, 3, -1)), f, shape(3, 2), X);
        assertArray(eval(DType.FLOAT32, v -> T.reshape(v, List.of(T.shapeI(v, 1), 2))), DType.FLOAT32, shape(3, 2), X);
        assertArray(eval(f, T::flatten), f, shape(6), X);
        Variable t = var(f, 3, "t");
        assertArray(run(List.of(t), T.flatten(t, 2), arr(f, shape(2, 1, 3), X)), f, shape(2, 3), X);
        assertArrayEquals(new int[] {3, 2}, T.reshape(var(f, shape(2, 3), "k"), 3, -1).type().shape());
        TslException e = assertThrows(TslException.class, () -> eval(f, v -> T.reshape(v, 4, -1)));
        assertEquals("ValueError", e.pythonType());
        assertEquals("ValueError", assertThrows(TslException.class, () -> T.reshape(var(f, shape(2, 3), "k"), 4, 2)).pythonType());
        checkGrad(in -> T.reshape(T.transpose(in[0]), 2, 3), arr(f, shape(2, 3), X));
    }

    @Test
    void joinStackSplit() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.concatenate(List.of(v, T.mul(T.subtensor(v, T.slice(null, null), T.slice(null, 1)), 10)), 1)),
                f, shape(2, 4), 3, 1, 2, 30, 0.5, -1, 7, 5);
        assertArray(eval(DType.FLOAT32, v -> T.stack(List.of(T.subtensor(v, 0), T.subtensor(v, 1)), 1)), DType.FLOAT32, shape(3, 2),
                3, 0.5, 1, -1, 2, 7);
        Variable i = var(DType.INT32, 1, "i");
        Variable d = var(f, 1, "d");
        Variable j = T.concatenate(List.of(i, d), 0);
        assertEquals(DType.FLOAT64, j.dtype());
        assertArray(run(List.of(i, d), j, vec(DType.INT32, 1, 2), vec(f, 0.5)), f, shape(3), 1, 2, 0.5);
        List<Variable> parts = T.split(d, new int[] {1, 2}, 2, 0);
        assertArray(run(List.of(d), parts.get(1), vec(f, 1, 2, 3)), f, shape(2), 2, 3);
        Variable sizes = var(DType.INT64, 1, "sizes");
        List<Variable> sym = T.split(d, sizes, 2, 0);
        assertArray(run(List.of(d, sizes), sym.get(0), vec(f, 1, 2, 3), ivec(2, 1)), f, shape(2), 1, 2);
        Variable m = var(f, 2, "m");
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> run(List.of(m, d), T.concatenate(List.of(m, T.dimshuffle(d, 0, -1)), 0), arr(f, shape(2, 3), X), vec(f, 1, 2))).pythonType());
        assertEquals("ValueError", assertThrows(TslException.class, () -> T.concatenate(List.of(m, d), 0)).pythonType());
        checkGrad(in -> T.concatenate(List.of(in[0], T.sqr(in[1])), 0), vec(f, 1, 2), vec(f, 3, 4, 5));
        checkGrad(in -> T.stack(List.of(in[0], in[1]), 1), vec(f, 1, 2), vec(f, 3, 4));
    }

    @Test
    void creation() {
        assertArray(run(T.arange(1.0, 2.0, 0.25, null)), DType.FLOAT64, shape(4), 1, 1.25, 1.5, 1.75);
        assertArray(run(T.arange(5, 0, -2, null)), DType.INT64, shape(3), 5, 3, 1);
        assertArrayEquals(new int[] {3}, T.arange(5, 0, -2, null).type().shape());
        assertArray(run(T.eye(2, 3, 1, DType.FLOAT32)), DType.FLOAT32, shape(2, 3), 0, 1, 0, 0, 0, 1);
        Variable n = var(DType.INT64, 0, "n");
        assertArray(run(List.of(n), T.zeros(new Object[] {n, 2}, DType.FLOAT32), NDArray.scalar(2L, DType.INT64)), DType.FLOAT32,
                shape(2, 2), 0, 0, 0, 0);
        assertArray(run(T.ones(new int[] {2}, DType.INT8)), DType.INT8, shape(2), 1, 1);
        Variable v = var(DType.FLOAT64, 1, "v");
        assertArray(run(List.of(v), T.alloc(v, 2, 3), vec(DType.FLOAT64, 1, 2, 3)), DType.FLOAT64, shape(2, 3), 1, 2, 3, 1, 2, 3);
        assertArray(run(List.of(v), T.fill(v, 7.0), vec(DType.FLOAT64, 1, 2)), DType.FLOAT32, shape(2), 7, 7);
        assertArray(run(List.of(v), T.zerosLike(v), vec(DType.FLOAT64, 1, 2)), DType.FLOAT64, shape(2), 0, 0);
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> run(List.of(v), T.alloc(v, 2, 3), vec(DType.FLOAT64, 1, 2))).pythonType());
        checkGrad(in -> T.alloc(in[0], 2, 3), vec(DType.FLOAT64, 1, 2, 3));
    }

    @Test
    void repeatAndTile() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.repeat(v, new int[] {1, 0, 2}, 1)), f, shape(2, 3), 3, 2, 2, 0.5, 7, 7);
        assertArray(eval(DType.FLOAT32, v -> T.repeat(v, 2)), DType.FLOAT32, shape(12), 3, 3, 1, 1, 2, 2, 0.5, 0.5, -1, -1, 7, 7);
        assertArray(eval(f, v -> T.tile(T.subtensor(v, 0), 2, 2)), f, shape(2, 6), 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2);
        assertEquals("ValueError", assertThrows(TslException.class, () -> eval(f, v -> T.repeat(v, new int[] {1, 2}, 1))).pythonType());
        checkGrad(in -> T.repeat(in[0], new int[] {1, 0, 3}, 1), arr(f, shape(2, 3), X));
        checkGrad(in -> T.repeat(in[0], 2, 0), arr(f, shape(2, 3), X));
        checkGrad(in -> T.tile(in[0], 2, 3), vec(f, 1, 2));
    }

    @Test
    void sortAndCumulative() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.sort(v)), f, shape(2, 3), 1, 2, 3, -1, 0.5, 7);
        assertArray(eval(DType.FLOAT32, v -> T.sort(v, 0)), DType.FLOAT32, shape(2, 3), 0.5, -1, 2, 3, 1, 7);
        Variable v = var(f, 1, "v");
        assertArray(run(List.of(v), T.argsort(v), vec(f, 3, 1, Double.NaN, 1, 0)), DType.INT64, shape(5), 4, 1, 3, 0, 2);
        assertArray(eval(f, v2 -> T.cumsum(v2, 1)), f, shape(2, 3), 3, 4, 6, 0.5, -0.5, 6.5);
        assertArray(eval(f, T::cumprod), f, shape(6), 3, 3, 6, 3, -3, -21);
        assertArray(eval(DType.INT32, v2 -> T.cumsum(v2, 0)), DType.INT64, shape(2, 3), 3, 1, 2, 3, 0, 9);
        assertArray(eval(f, v2 -> T.diff(v2)), f, shape(2, 2), -2, 1, -1.5, 8);
        assertArray(run(List.of(v), T.diff(v, 2, 0), vec(DType.FLOAT64, 1, 4, 9, 16)), f, shape(2), 2, 2);
        assertEquals("ValueError", assertThrows(TslException.class, () -> T.cumsum(v, 1)).pythonType());
        checkGrad(in -> T.sort(in[0], 1), arr(f, shape(2, 3), X));
        checkGrad(in -> T.cumsum(in[0], 1), arr(f, shape(2, 3), X));
        checkGrad(in -> T.cumprod(in[0], 0), arr(f, shape(2, 3), X));
        checkGrad(in -> T.diff(in[0], 1, 0), arr(f, shape(2, 3), X));
    }
}
