package tsl.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.runAll;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class DerivativesTest {
    private static final DType F64 = DType.FLOAT64;
    private static final NDArray A = arr(F64, shape(3, 3), 1, 2, 0.5, -1, 3, 4, 0, 2, -2);
    private static final NDArray X = vec(F64, 0.3, -1.2, 2.0);

    /** A + A^T, the hessian of x.A.x. */
    private static double[] symmetrized() {
        double[] h = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                h[3 * i + j] = A.getDouble(i, j) + A.getDouble(j, i);
            }
        }
        return h;
    }

    @Test
    void hessianOfQuadraticFormIsASymmetrized() {
        Variable x = var(F64, 1, "x");
        Variable a = var(F64, 2, "A");
        Variable cost = T.dot(x, T.dot(a, x));
        Variable h = Derivatives.hessian(cost, List.of(x), null, "raise").get(0);
        assertArray(runAll(List.of(a, x), List.of(h), A, X)[0], F64, shape(3, 3), symmetrized());
    }

    @Test
    void hessianWithStaticLengthStacksRows() {
        Variable x = var(F64, shape(3), "x");
        Variable a = var(F64, 2, "A");
        Variable h = Derivatives.hessian(T.dot(x, T.dot(a, x)), List.of(x), null, "raise").get(0);
        assertEquals(3, h.type().dim(0));
        assertArray(runAll(List.of(a, x), List.of(h), A, X)[0], F64, shape(3, 3), symmetrized());
    }

    @Test
    void hessianCubicCrossTerms() {
        Variable x = var(F64, 1, "x");
        Variable x0 = T.subtensor(x, 0);
        Variable x1 = T.subtensor(x, 1);
        Variable cost = T.add(T.mul(T.pow(x0, T.constant(3)), x1), T.exp(x1));
        Variable h = Derivatives.hessian(cost, List.of(x), null, "raise").get(0);
        assertArray(runAll(List.of(x), List.of(h), vec(F64, 1.5, 0.5))[0], F64, shape(2, 2), 4.5, 6.75, 6.75, Math.exp(0.5));
    }

    @Test
    void jacobianOfTanhOfMatrixVectorProduct() {
        Variable x = var(F64, 1, "x");
        Variable a = var(F64, 2, "A");
        Variable j = Derivatives.jacobian(T.tanh(T.dot(a, x)), List.of(x), null, "raise").get(0);
        NDArray am = arr(F64, shape(2, 2), 1, 2, 3, -1);
        NDArray xv = vec(F64, 0.1, -0.2);
        double[] expect = new double[4];
        for (int r = 0; r < 2; r++) {
            double s = am.getDouble(r, 0) * 0.1 + am.getDouble(r, 1) * -0.2;
            double d = 1 - Math.tanh(s) * Math.tanh(s);
            expect[2 * r] = d * am.getDouble(r, 0);
            expect[2 * r + 1] = d * am.getDouble(r, 1);
        }
        assertArray(runAll(List.of(a, x), List.of(j), am, xv)[0], F64, shape(2, 2), expect);
    }

    @Test
    void jacobianWrtMatrixAndOfEmptyAndScalar() {
        Variable w = var(F64, 2, "W");
        Variable x = var(F64, 1, "x");
        Variable j = Derivatives.jacobian(T.dot(x, w), List.of(w), null, "raise").get(0); // d(xW)_k / dW_ij = x_i [j == k]
        NDArray out = runAll(List.of(x, w), List.of(j), vec(F64, 2, 3), arr(F64, shape(2, 2), 1, 2, 3, 4))[0];
        assertArray(out, F64, shape(2, 2, 2), 2, 0, 3, 0, 0, 2, 0, 3);
        Variable s = Derivatives.jacobian(T.sum(T.sqr(x)), List.of(x), null, "raise").get(0);
        assertArray(runAll(List.of(x), List.of(s), vec(F64, 2, 3))[0], F64, shape(2), 4, 6);
        assertEquals("AssertionError", assertThrows(TslException.class,
                () -> Derivatives.jacobian(w, List.of(w), null, "raise")).pythonType());
        NDArray empty = runAll(List.of(x), List.of(Derivatives.jacobian(T.sqr(x), List.of(x), null, "raise").get(0)),
                NDArray.zeros(F64, new int[] {0}))[0];
        assertArray(empty, F64, shape(0, 0));
    }

    @Test
    void thirdDerivativeThroughTheLoop() {
        // d/dx of the hessian diagonal of sum(x^4): 24 x
        Variable x = var(F64, 1, "x");
        Variable h = Derivatives.hessian(T.sum(T.pow(x, T.constant(4))), List.of(x), null, "raise").get(0);
        Variable g = Gradient.grad(T.sum(h), List.of(x), new Gradient.Options()).get(0);
        assertArray(runAll(List.of(x), List.of(g), vec(F64, 1, -2))[0], F64, shape(2), 24, -48);
    }

    @Test
    void lopIsAVectorJacobianProduct() {
        Variable x = var(F64, 1, "x");
        Variable a = var(F64, 2, "A");
        Variable v = var(F64, 1, "v");
        Variable l = Derivatives.lop(List.of(T.dot(a, x)), List.of(x), List.of(v), null, "raise").get(0);
        NDArray out = runAll(List.of(a, x, v), List.of(l), A, X, vec(F64, 1, 2, 3))[0];
        double[] e = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                e[j] += (i + 1) * A.getDouble(i, j);
            }
        }
        assertArray(out, F64, shape(3), e);
    }

    @Test
    void ropForwardAndFallbackAgree() {
        Variable x = var(F64, 1, "x");
        Variable a = var(F64, 2, "A");
        Variable v = var(F64, 1, "v");
        Variable f = T.tanh(T.dot(a, x));
        List<Variable> pushed = ForwardMode.pushForward(List.of(f), List.of(x), List.of(v));
        Variable r = ForwardMode.rop(List.of(f), List.of(x), List.of(v)).get(0);
        // softmax has no R-op: the double-L-op trick takes over
        Variable fs = T.softmax(T.dot(a, x));
        Variable rs = ForwardMode.rop(List.of(fs), List.of(x), List.of(v)).get(0);
        assertEquals(null, ForwardMode.pushForward(List.of(fs), List.of(x), List.of(v)));
        NDArray vv = vec(F64, 0.5, -1, 2);
        NDArray[] out = runAll(List.of(a, x, v), List.of(pushed.get(0), r, rs, T.softmax(T.dot(a, x))), A, X, vv);
        double[] jv = new double[3];
        double[] s = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                jv[i] += A.getDouble(i, k) * vv.getDouble(k);
                s[i] += A.getDouble(i, k) * X.getDouble(k);
            }
        }
        double[] expect = new double[3];
        for (int i = 0; i < 3; i++) {
            expect[i] = (1 - Math.tanh(s[i]) * Math.tanh(s[i])) * jv[i];
        }
        assertArray(out[0], F64, shape(3), expect);
        assertArray(out[1], F64, shape(3), expect);
        // softmax: J v = p * (Av - p.Av)
        double dotp = 0;
        for (int i = 0; i < 3; i++) {
            dotp += out[3].getDouble(i) * jv[i];
        }
        double[] es = new double[3];
        for (int i = 0; i < 3; i++) {
            es[i] = out[3].getDouble(i) * (jv[i] - dotp);
        }
        assertArray(out[2], F64, shape(3), es);
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> ForwardMode.rop(List.of(f), List.of(x), List.of(a))).pythonType());
    }

    @Test
    void ropOfADisconnectedOutput() {
        Variable x = var(F64, 1, "x");
        Variable y = var(F64, 1, "y");
        Variable v = var(F64, 1, "v");
        assertEquals("DisconnectedInputError", assertThrows(TslException.class,
                () -> ForwardMode.rop(List.of(T.exp(y)), List.of(x), List.of(v))).pythonType());
        assertEquals(null, ForwardMode.rop(List.of(T.exp(y)), List.of(x), List.of(v), "ignore", "None").get(0));
        Variable z = ForwardMode.rop(List.of(T.exp(y)), List.of(x), List.of(v), "ignore", "zero").get(0);
        assertArray(runAll(List.of(y), List.of(z), vec(F64, 1, 2))[0], F64, shape(2), 0, 0);
    }
}
