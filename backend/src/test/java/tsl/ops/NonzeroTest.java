package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tsl.ops.OpTesting.arr;
import static tsl.ops.OpTesting.run;
import static tsl.ops.OpTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class NonzeroTest {

    @Test
    void coordinatesPerDimensionInCOrderAsNumpyGivesThem() {
        // numpy.nonzero([[0, 3, 0], [4, 0, 5]]) == ([0, 1, 1], [1, 0, 2])
        Variable x = var(DType.FLOAT64, 2, "x");
        NDArray v = arr(DType.FLOAT64, new int[] {2, 3}, 0, 3, 0, 4, 0, 5);
        List<Variable> nz = T.nonzero(x);
        assertEquals(2, nz.size());
        assertArrayEquals(new long[] {0, 1, 1}, run(List.of(x), nz.get(0), v).toLongArray());
        assertArrayEquals(new long[] {1, 0, 2}, run(List.of(x), nz.get(1), v).toLongArray());
        assertEquals(DType.INT64, nz.get(0).dtype());
        assertArrayEquals(new double[] {3, 4, 5}, run(List.of(x), T.nonzeroValues(x), v).toDoubleArray());
    }

    @Test
    void anAllZeroInputGivesEmptyIndexVectors() {
        Variable x = var(DType.INT32, 1, "x");
        NDArray out = run(List.of(x), T.nonzero(x).get(0), arr(DType.INT32, new int[] {4}, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0}, out.shape());
    }

    @Test
    void boolMasksAndScalarsAsNumpyDoes() {
        Variable b = var(DType.BOOL, 1, "b");
        assertArrayEquals(new long[] {1, 3}, run(List.of(b), T.nonzero(b).get(0),
                NDArray.fromBooleans(new int[] {4}, false, true, false, true)).toLongArray());
        TslException e = assertThrows(TslException.class, () -> T.nonzero(var(DType.FLOAT64, 0, "s")));
        assertEquals("ValueError", e.pythonType());
    }
}
