package tsl.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.ops.OpTesting.assertArray;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.runAll;
import static tsl.ops.OpTesting.shape;
import static tsl.ops.OpTesting.var;
import static tsl.ops.OpTesting.vec;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class GradientTest {
    private static final DType F64 = DType.FLOAT64;

    private static List<Variable> grad(Variable cost, List<Variable> wrt, Gradient.Options o) {
        return Gradient.grad(cost, wrt, o);
    }

    @Test
    void costMustBeScalarAndNamesItsNdim() {
        Variable x = var(F64, 1, "x");
        TslException e = assertThrows(TslException.class, () -> grad(x, List.of(x), new Gradient.Options()));
        assertEquals("TypeError", e.pythonType());
        assertTrue(e.getMessage().contains("ndim 1"), e.getMessage());
    }

    @Test
    void disconnectedInputsRaiseWarnIgnore() {
        Variable x = var(F64, 0, "x");
        Variable y = var(F64, 0, "y");
        Variable cost = T.mul(x, x);
        TslException e = assertThrows(TslException.class, () -> grad(cost, List.of(y), new Gradient.Options()));
        assertEquals("DisconnectedInputError", e.pythonType());
        Variable g = grad(cost, List.of(y), new Gradient.Options().disconnectedInputs("ignore")).get(0);
        assertArray(run(List.of(y), g, NDArray.scalar(2.0, F64)), F64, shape(), 0.0);
        assertNull(grad(cost, List.of(y), new Gradient.Options().disconnectedInputs("ignore").returnDisconnected("None")).get(0));
        assertInstanceOf(DisconnectedGradient.class,
                grad(cost, List.of(y), new Gradient.Options().disconnectedInputs("ignore").returnDisconnected("Disconnected")).get(0));
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> new Gradient.Options().disconnectedInputs("loud")).pythonType());
    }

    @Test
    void dependenceThroughShapeOnlyIsDisconnected() {
        Variable x = var(F64, 1, "x");
        Variable y = var(F64, 0, "y");
        Variable cost = T.mul(y, T.cast(T.shapeI(x, 0), F64));
        assertEquals("DisconnectedInputError",
                assertThrows(TslException.class, () -> grad(cost, List.of(x), new Gradient.Options())).pythonType());
    }

    @Test
    void discreteOpsGiveZerosNotErrors() {
        Variable x = var(F64, 1, "x");
        // argmax, a comparison and a cast to int: connected, slope zero
        Variable cost = T.add(T.add(T.cast(T.argmax(x), F64), T.sum(T.cast(T.gt(x, T.constant(0)), F64))),
                T.cast(T.sum(T.cast(x, DType.INT32)), F64));
        Variable g = grad(cost, List.of(x), new Gradient.Options()).get(0);
        assertArray(run(List.of(x), g, vec(F64, 1, -2, 3)), F64, shape(3), 0, 0, 0);
    }

    @Test
    void integerInputsHaveZeroFloatGradient() {
        Variable x = var(F64, 0, "x");
        Variable i = var(DType.INT32, 0, "i");
        Variable g = grad(T.mul(x, i), List.of(i), new Gradient.Options()).get(0);
        assertEquals(tsl.compile.Config.floatX(), g.dtype());
        NDArray out = runAll(List.of(x, i), List.of(g), NDArray.scalar(2.0, F64), NDArray.scalar(3, DType.INT32))[0];
        assertEquals(0.0, out.item());
        // an integer cost: zero gradient, no error
        Variable gi = grad(T.mul(i, i), List.of(i), new Gradient.Options()).get(0);
        assertEquals(0.0, runAll(List.of(i), List.of(gi), NDArray.scalar(3, DType.INT32))[0].item());
    }

    @Test
    void considerConstantStopsBackpropButNotAtItself() {
        Variable x = var(F64, 0, "x");
        Variable y = T.mul(x, x);
        Variable cost = T.mul(y, x); // x^3, with y held constant: d/dx = y = x^2
        Variable g = grad(cost, List.of(x), new Gradient.Options().considerConstant(Set.of(y))).get(0);
        assertEquals(9.0, run(List.of(x), g, NDArray.scalar(3.0, F64)).item());
        Variable gy = grad(cost, List.of(y), new Gradient.Options().considerConstant(Set.of(y))).get(0);
        assertEquals(3.0, run(List.of(x), gy, NDArray.scalar(3.0, F64)).item());
    }

    @Test
    void knownGradsWithoutCost() {
        Variable x = var(F64, 1, "x");
        Variable y = T.mul(x, T.constant(3.0, F64));
        Variable gy = var(F64, 1, "gy");
        Variable g = grad(null, List.of(x), new Gradient.Options().knownGrads(Map.of(y, gy))).get(0);
        assertArray(runAll(List.of(x, gy), List.of(g), vec(F64, 1, 2), vec(F64, 10, 20))[0], F64, shape(2), 30, 60);
        assertEquals("ValueError", assertThrows(TslException.class,
                () -> grad(null, List.of(x), new Gradient.Options())).pythonType());
    }

    @Test
    void nullGradientsRaiseOrReturn() {
        Variable x = var(F64, 0, "x");
        Variable cost = T.psi(x);
        TslException e = assertThrows(TslException.class, () -> grad(cost, List.of(x), new Gradient.Options()));
        assertEquals("NullTypeGradError", e.pythonType());
        assertInstanceOf(NullGradient.class, grad(cost, List.of(x), new Gradient.Options().nullGradients("return")).get(0));
        // a null gradient spreads through later ops
        Variable deeper = T.exp(T.psi(T.mul(x, x)));
        assertInstanceOf(NullGradient.class, grad(deeper, List.of(x), new Gradient.Options().nullGradients("return")).get(0));
    }

    @Test
    void disconnectedZeroClipScale() {
        Variable x = var(F64, 0, "x");
        Variable c1 = T.add(T.mul(x, x), T.disconnectedGrad(T.mul(x, x)));
        assertEquals(6.0, run(List.of(x), grad(c1, List.of(x), new Gradient.Options()).get(0), NDArray.scalar(3.0, F64)).item());
        // zero_grad keeps x connected
        Variable c2 = T.zeroGrad(T.mul(x, x));
        assertEquals(0.0, run(List.of(x), grad(c2, List.of(x), new Gradient.Options()).get(0), NDArray.scalar(3.0, F64)).item());
        assertEquals("DisconnectedInputError", assertThrows(TslException.class,
                () -> grad(T.disconnectedGrad(x), List.of(x), new Gradient.Options())).pythonType());
        Variable c3 = T.sqr(T.gradClip(x, -1, 2)); // d(x^2) = 6, clipped to 2 on its way to x
        assertEquals(2.0, run(List.of(x), grad(c3, List.of(x), new Gradient.Options()).get(0), NDArray.scalar(3.0, F64)).item());
        assertEquals(9.0, run(List.of(x), c3, NDArray.scalar(3.0, F64)).item());
        Variable c4 = T.sqr(T.gradScale(x, 0.5));
        assertEquals(3.0, run(List.of(x), grad(c4, List.of(x), new Gradient.Options()).get(0), NDArray.scalar(3.0, F64)).item());
        assertEquals("ValueError", assertThrows(TslException.class, () -> T.gradClip(x, 1, 0)).pythonType());
    }

    @Test
    void logisticPatternHasTheSigmoidGradient() {
        Variable x = var(F64, 0, "x");
        Variable s = T.trueDiv(T.constant(1), T.add(T.constant(1), T.exp(T.neg(x))));
        Variable g = grad(s, List.of(x), new Gradient.Options()).get(0);
        assertEquals(0.04517665973091213, run(List.of(x), g, NDArray.scalar(3.0, F64)).item());
        Variable xf = var(DType.FLOAT32, 0, "xf");
        Variable sf = T.trueDiv(T.constant(1), T.add(T.constant(1), T.exp(T.neg(xf))));
        Variable gf = grad(sf, List.of(xf), new Gradient.Options()).get(0);
        NDArray outf = run(List.of(xf), gf, NDArray.scalar(3.0, DType.FLOAT32));
        assertEquals(DType.FLOAT32, outf.dtype());
        assertEquals((float) 0.04517665973091213, (float) outf.item());
    }
}
