package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Float floor division, modulo and sign in generated C as NumPy computes them (npy_divmod):
 * 1.0 // 0.1 is 9, a zero remainder takes the divisor's sign, sign(-0.0) is 0.0.
 */
class NumpyDivisionNativeTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    @Test
    void floorDivisionModuloAndSignMatchNumpy() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable a = OpTesting.var(d, 1, "a");
            Variable b = OpTesting.var(d, 1, "b");
            NDArray x = OpTesting.vec(d, 1.0, -3.0, 0.0, 4.0, -0.0, 7.0);
            NDArray y = OpTesting.vec(d, 0.1, 1.5, -2.0, -2.0, 3.0, 0.0);
            NDArray[] nat = NativeTesting.run("c", List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b), T.sgn(a)), x, y);
            // numpy.floor_divide, numpy.mod, numpy.sign on these values
            double[][] expected = {{9.0, -2.0, -0.0, -2.0, -0.0, Double.POSITIVE_INFINITY},
                {d == DType.FLOAT64 ? 0.09999999999999995 : 0.09999998658895493, 0.0, -0.0, -0.0, 0.0, Double.NaN},
                {1.0, -1.0, 0.0, 1.0, 0.0, 1.0}};
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 6; i++) {
                    double e = expected[o][i];
                    double g = nat[o].getDouble(i);
                    String what = d + " output " + o + " element " + i;
                    if (Double.isNaN(e) || e == 0) {
                        assertEquals(Double.valueOf(e), Double.valueOf(g), what); // NaN and the sign of zero
                    } else {
                        assertEquals(e, g, Math.abs(e) * 1e-6, what);
                    }
                }
            }
            NativeTesting.same(List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b), T.sgn(a)), x, y);
        }
    }
}
