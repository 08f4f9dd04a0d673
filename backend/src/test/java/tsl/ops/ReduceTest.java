package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.checkGrad;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Reductions, arg-reductions, var/std and logsumexp against NumPy. */
class ReduceTest {
    static final double[] X = {1.5, -2.0, 3.0, 0.5, 4.0, 4.0, -1.0, 2.0, 0.25, 7.0, 7.0, -3.0,
        2.0, 1.0, -5.0, 6.0, 0.0, 3.0, 3.0, 1.0, -1.0, -1.0, 2.0, 8.0};

    static NDArray x(DType d) {
        return arr(d, shape(2, 3, 4), X);
    }

    static NDArray eval(DType d, java.util.function.Function<Variable, Variable> f) {
        Variable v = var(d, 3, "x");
        return run(List.of(v), f.apply(v), x(d));
    }

    @Test
    void sumProdMeanMaxMinFloat64() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.sum(v)), f, shape(), 42.25);
        assertArray(eval(f, v -> T.sum(v, 1)), f, shape(2, 4), 5.75, 9.0, 9.0, -0.5, 1.0, 3.0, 0.0, 15.0);
        assertArray(eval(f, v -> T.sum(v, new int[] {0, 2}, false)), f, shape(3), 7.0, 16.0, 19.25);
        assertArray(eval(f, v -> T.sum(v, new int[] {-1}, true)), f, shape(2, 3, 1), 3.0, 9.0, 11.25, 4.0, 7.0, 8.0);
        assertArray(eval(f, v -> T.prod(v, 1)), f, shape(2, 4), 1.5, -56.0, -21.0, -3.0, -0.0, -3.0, -30.0, 48.0);
        assertArray(eval(f, v -> T.prod(v, new int[] {-1}, true)), f, shape(2, 3, 1), -4.5, -32.0, -36.75, -60.0, 0.0, 16.0);
        assertArray(eval(f, v -> T.mean(v)), f, shape(), 1.7604166666666667);
        assertArray(eval(f, v -> T.mean(v, new int[] {0, 2}, false)), f, shape(3), 0.875, 2.0, 2.40625);
        assertArray(eval(f, v -> T.max(v, 1)), f, shape(2, 4), 4.0, 7.0, 7.0, 2.0, 2.0, 3.0, 3.0, 8.0);
        assertArray(eval(f, v -> T.max(v, new int[] {0, 2}, false)), f, shape(3), 6.0, 4.0, 8.0);
        assertArray(eval(f, v -> T.min(v)), f, shape(), -5.0);
        assertArray(eval(f, v -> T.min(v, new int[] {-1}, true)), f, shape(2, 3, 1), -2.0, -1.0, -3.0, -5.0, 0.0, -1.0);
    }

    @Test
    void float32StaysFloat32() {
        DType f = DType.FLOAT32;
        assertArray(eval(f, v -> T.mean(v, 2)), f, shape(2, 3), 0.75, 2.25, 2.8125, 1.0, 1.75, 2.0);
        assertArray(eval(f, v -> T.sum(v, 1)), f, shape(2, 4), 5.75, 9.0, 9.0, -0.5, 1.0, 3.0, 0.0, 15.0);
        assertArray(eval(f, v -> T.var(v, new int[] {2}, false)), f, shape(2, 3), 3.3125, 4.1875, 18.85546875, 15.5, 1.6875, 13.5);
        assertArray(eval(f, v -> T.max(v)), f, shape(), 8.0);
    }

    @Test
    void integerAndBoolDtypes() {
        // np.sum(x.astype(int32), axis=1) is int64; the mean of ints is float64
        assertArray(eval(DType.INT32, v -> T.sum(v, 1)), DType.INT64, shape(2, 4), 5, 9, 9, -1, 1, 3, 0, 15);
        assertArray(eval(DType.INT32, v -> T.mean(v, 1)), DType.FLOAT64, shape(2, 4),
                1.6666666666666667, 3.0, 3.0, -0.3333333333333333, 0.3333333333333333, 1.0, 0.0, 5.0);
        assertArray(eval(DType.INT32, v -> T.max(v, 1)), DType.INT32, shape(2, 4), 4, 7, 7, 2, 2, 3, 3, 8);
        Variable b = var(DType.BOOL, 2, "b");
        NDArray bv = arr(DType.BOOL, shape(2, 3), 1, 0, 1, 1, 1, 1);
        assertArray(run(List.of(b), T.sum(b, 1), bv), DType.INT64, shape(2), 2, 3);
        assertArray(run(List.of(b), T.prod(b), bv), DType.INT64, shape(), 0);
        assertArray(run(List.of(b), T.all(b, 1), bv), DType.BOOL, shape(2), 0, 1);
        assertArray(run(List.of(b), T.any(b, new int[] {0}, true), bv), DType.BOOL, shape(1, 3), 1, 1, 1);
        assertArray(eval(DType.FLOAT64, v -> T.all(v)), DType.BOOL, shape(), 0);
        assertArray(eval(DType.FLOAT64, v -> T.any(v)), DType.BOOL, shape(), 1);
    }

    @Test
    void argmaxArgmin() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.argmax(v)), DType.INT64, shape(), 23);
        assertArray(eval(f, v -> T.argmax(v, 0)), DType.INT64, shape(3, 4), 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1);
        assertArray(eval(f, v -> T.argmax(v, 2)), DType.INT64, shape(2, 3), 2, 0, 1, 3, 1, 3);
        assertArray(eval(f, v -> T.argmax(v, new int[] {1, 2}, false)), DType.INT64, shape(2), 9, 11);
        assertArray(eval(f, v -> T.argmin(v)), DType.INT64, shape(), 14);
        assertArray(eval(f, v -> T.argmin(v, -1)), DType.INT64, shape(2, 3), 1, 2, 3, 2, 0, 0);
        assertArray(eval(DType.INT16, v -> T.argmin(v, new int[] {1, 2}, true)), DType.INT64, shape(2, 1, 1), 11, 2);
        assertArray(eval(DType.FLOAT32, v -> T.argmin(v, 0)), DType.INT64, shape(3, 4), 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0);
        Variable n = var(DType.FLOAT64, 1, "n");
        // np.argmax([1, nan, 5, nan]) == 1
        assertArray(run(List.of(n), T.argmax(n), vec(DType.FLOAT64, 1, Double.NaN, 5, Double.NaN)), DType.INT64, shape(), 1);
    }

    @Test
    void varStdLogsumexp() {
        DType f = DType.FLOAT64;
        assertArray(eval(f, v -> T.var(v)), f, shape(), 10.007703993055555);
        assertArray(eval(f, v -> T.var(v, new int[] {1}, false, 1)), f, shape(2, 4),
                3.645833333333333, 21.0, 16.0, 6.583333333333334, 2.3333333333333335, 4.0, 19.0, 13.0);
        assertArray(eval(f, v -> T.std(v, new int[] {0, 2}, true)), f, shape(1, 3, 1),
                3.0695072894521687, 1.7320508075688772, 4.042619625626433);
        assertArray(eval(f, v -> T.logsumexp(v)), f, shape(), 8.662923319048867);
        Variable m = var(f, 2, "m");
        NDArray big = arr(f, shape(3, 3), 1000, 1000, -1000, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1, 2, 3);
        assertArray(run(List.of(m), T.logsumexp(m, new int[] {1}, false), big), f, shape(3),
                1000.6931471805599, Double.NEGATIVE_INFINITY, 3.40760596444438);
    }

    @Test
    void gradients() {
        NDArray p = arr(DType.FLOAT64, shape(2, 3), 1.5, -2, 0.7, 4, 3.5, -1);
        checkGrad(in -> T.sum(in[0], 1), p);
        checkGrad(in -> T.mean(in[0], new int[] {0}, true), p);
        checkGrad(in -> T.prod(in[0], 1), p);
        checkGrad(in -> T.max(in[0], 0), p);
        checkGrad(in -> T.min(in[0]), p);
        checkGrad(in -> T.var(in[0], new int[] {1}, false, 1), p);
        checkGrad(in -> T.std(in[0]), p);
        checkGrad(in -> T.logsumexp(in[0], new int[] {1}, true), p);
        checkGrad(in -> T.logsumexp(in[0]), arr(DType.FLOAT64, shape(2), 1000, 999));
    }

    @Test
    void prodGradientWithZeros() {
        // one zero: only the zero gets the product of the others; two zeros: all zero
        Variable x = var(DType.FLOAT64, 2, "x");
        Variable g = tsl.grad.Gradient.grad(T.sum(T.prod(x, 1)), List.of(x), null, "raise").get(0);
        assertArray(run(List.of(x), g, arr(DType.FLOAT64, shape(3, 3), 2, 0, 3, 0, 5, 0, 1, 2, 3)), DType.FLOAT64, shape(3, 3),
                0, 6, 0, 0, 0, 0, 6, 3, 2);
        checkGrad(in -> T.prod(in[0], 1), arr(DType.FLOAT64, shape(2, 3), 2, 0, 3, 0, 5, 0));
    }

    @Test
    void errors() {
        Variable v = var(DType.FLOAT64, 2, "v");
        TslException e = assertThrows(TslException.class, () -> T.sum(v, 2));
        assertEquals("ValueError", e.pythonType());
        assertEquals("TypeError", assertThrows(TslException.class, () -> T.argmax(var(DType.BOOL, 1, "b"))).pythonType());
        Variable empty = var(DType.FLOAT64, 1, "e");
        TslException run = assertThrows(TslException.class,
                () -> run(List.of(empty), T.max(empty), NDArray.zeros(DType.FLOAT64, 0)));
        assertEquals("ValueError", run.pythonType());
    }
}
