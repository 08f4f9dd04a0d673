package tsl.ops.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** beta*z + alpha*dot(A, B) against values worked out by hand (as numpy computes them). */
class GemvGemmTest {
    private static final DType F = DType.FLOAT64;

    private static Variable v(String n, int... shape) {
        return new Variable(new TensorType(F, shape), n);
    }

    private static NDArray a(int[] shape, double... values) {
        return NDArray.fromDoubles(F, shape, values);
    }

    private static NDArray s(double x) {
        return NDArray.scalar(x, F);
    }

    @Test
    void gemvScalesAndAccumulates() {
        Apply node = new Gemv().makeNode(List.of(v("y", -1), v("alpha"), v("A", -1, -1), v("x", -1), v("beta")));
        NDArray out = node.op().perform(node, new NDArray[] {a(new int[] {2}, 10, 20), s(2), a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6),
                a(new int[] {3}, 1, 0, -1), s(0.5)})[0];
        // A.x = [-2, -2]; 0.5*[10, 20] + 2*[-2, -2] = [1, 6]
        assertArrayEquals(new double[] {1, 6}, out.toDoubleArray(), 0);
    }

    @Test
    void betaZeroDoesNotReadZAndZBroadcasts() {
        Apply node = new Gemv().makeNode(List.of(v("y", 1), v("alpha"), v("A", -1, -1), v("x", -1), v("beta")));
        NDArray nan = a(new int[] {1}, Double.NaN);
        NDArray out = node.op().perform(node, new NDArray[] {nan, s(1), a(new int[] {2, 2}, 1, 2, 3, 4), a(new int[] {2}, 1, 1), s(0)})[0];
        assertArrayEquals(new double[] {3, 7}, out.toDoubleArray(), 0);
        NDArray acc = node.op().perform(node, new NDArray[] {a(new int[] {1}, 1), s(1), a(new int[] {2, 2}, 1, 2, 3, 4), a(new int[] {2}, 1, 1), s(1)})[0];
        assertArrayEquals(new double[] {4, 8}, acc.toDoubleArray(), 0);
    }

    @Test
    void gemmMatchesTheProduct() {
        Apply node = new Gemm().makeNode(List.of(v("Z", -1, -1), v("alpha"), v("A", -1, -1), v("B", -1, -1), v("beta")));
        NDArray out = node.op().perform(node, new NDArray[] {a(new int[] {2, 2}, 1, 1, 1, 1), s(1), a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6),
                a(new int[] {3, 2}, 1, 0, 0, 1, 1, 1), s(-1)})[0];
        // A.B = [[4, 5], [10, 11]]; minus ones
        assertArrayEquals(new double[] {3, 4, 9, 10}, out.toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 2}, out.shape());
    }

    @Test
    void errorsNameTheOp() {
        TslException t = assertThrows(TslException.class, () -> new Gemv().makeNode(List.of(v("y", -1), v("alpha"), v("A", -1, -1),
                new Variable(new TensorType(DType.FLOAT32, -1), "x"), v("beta"))));
        assertTrue(t.getMessage().startsWith("Gemv: every input must have the same float dtype"), t.getMessage());
        Apply node = new Gemv().makeNode(List.of(v("y", -1), v("alpha"), v("A", -1, -1), v("x", -1), v("beta")));
        TslException e = assertThrows(TslException.class, () -> node.op().perform(node, new NDArray[] {a(new int[] {2}, 0, 0), s(1),
                a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6), a(new int[] {2}, 1, 1), s(0)}));
        assertEquals("Gemv: shapes (2, 3) and (2,) not aligned: 3 (dim 1) != 2 (dim 0)", e.getMessage());
    }
}
