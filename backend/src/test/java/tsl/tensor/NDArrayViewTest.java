package tsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.tensor.DType.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reshape, transpose, broadcast, indexing and slicing views; copies and assignment. */
class NDArrayViewTest {
    /** np.arange(n) as float64, reshaped. */
    private static NDArray arange(int n, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return NDArray.fromDoubles(FLOAT64, shape.length == 0 ? new int[] {n} : shape, v);
    }

    private static double[] values(double... v) {
        return v;
    }

    // ------------------------------------------------------------------ reshape

    @Test
    void reshapeResolvesMinusOne() {
        NDArray a = arange(6);
        assertArrayEquals(new int[] {2, 3}, a.reshape(2, -1).shape());
        assertArrayEquals(new int[] {3, 2}, a.reshape(-1, 2).shape());
        assertArrayEquals(new int[] {6}, a.reshape(2, 3).reshape(-1).shape());
        assertArrayEquals(new int[] {1, 6, 1}, a.reshape(1, -1, 1).shape());
        assertArrayEquals(new int[] {0, 3}, NDArray.zeros(FLOAT64, 0).reshape(0, 3).shape());
    }

    @Test
    void reshapeTreatsAnyNegativeAsUnknownLikeNumpy() {
        assertArrayEquals(new int[] {2, 3}, arange(6).reshape(-2, 3).shape());
    }

    @Test
    void reshapeOfContiguousArrayIsAView() {
        NDArray a = arange(6);
        NDArray m = a.reshape(2, 3);
        m.setDouble(4, 40);
        assertEquals(40.0, a.getDouble(4));
        assertEquals(5.0, m.getDouble(1, 2));
    }

    @Test
    void reshapeOfNonContiguousArrayReadsInCOrder() {
        NDArray t = arange(6, 2, 3).transpose();
        assertArrayEquals(values(0, 3, 1, 4, 2, 5), t.reshape(6).toDoubleArray());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "4; cannot reshape array of size 6 into shape (4,)",
        "2,4; cannot reshape array of size 6 into shape (2,4)",
        "-1,4; cannot reshape array of size 6 into shape (4)",
        "2,-1,4; cannot reshape array of size 6 into shape (2,newaxis,4)",
        "0,-1; cannot reshape array of size 6 into shape (0,newaxis)",
        "-1,-1; can only specify one unknown dimension",
    })
    void reshapeErrorsHaveNumpysMessages(String dims, String message) {
        int[] s = java.util.Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> arange(6).reshape(s));
        assertEquals(message, e.getMessage());
    }

    // ------------------------------------------------------------------ transpose

    @Test
    void transposeIsAViewWithPermutedStrides() {
        NDArray a = arange(6, 2, 3);
        NDArray t = a.transpose();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new long[] {1, 3}, t.strides());
        assertFalse(t.isContiguous());
        assertEquals(5.0, t.getDouble(2, 1));
        assertArrayEquals(values(0, 3, 1, 4, 2, 5), t.toDoubleArray());
        t.setDouble(1, 30);
        assertEquals(30.0, a.getDouble(1, 0));
        assertEquals("[[ 0. 30.]\n [ 1.  4.]\n [ 2.  5.]]", t.toString());
    }

    @Test
    void transposeWithAxes() {
        NDArray a = arange(24, 2, 3, 4);
        NDArray t = a.transpose(1, 0, 2);
        assertArrayEquals(new int[] {3, 2, 4}, t.shape());
        assertEquals(a.getDouble(1, 2, 3), t.getDouble(2, 1, 3));
        NDArray n = a.transpose(-1, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, n.shape());
        assertEquals(a.getDouble(1, 2, 3), n.getDouble(3, 1, 2));
    }

    @Test
    void transposeErrors() {
        NDArray a = arange(6, 2, 3);
        assertEquals("axes don't match array",
                assertThrows(IllegalArgumentException.class, () -> a.transpose(1)).getMessage());
        assertEquals("repeated axis in transpose",
                assertThrows(IllegalArgumentException.class, () -> a.transpose(0, 0)).getMessage());
        assertEquals("axis 2 is out of bounds for array of dimension 2",
                assertThrows(IllegalArgumentException.class, () -> a.transpose(0, 2)).getMessage());
    }

    // ------------------------------------------------------------------ broadcastTo

    @Test
    void broadcastToRepeatsWithZeroStrides() {
        NDArray row = NDArray.of(1, 2, 3);
        NDArray b = row.broadcastTo(new int[] {2, 3});
        assertArrayEquals(new long[] {0, 1}, b.strides());
        assertArrayEquals(values(1, 2, 3, 1, 2, 3), b.toDoubleArray());
        NDArray col = arange(3, 3, 1).broadcastTo(new int[] {3, 4});
        assertArrayEquals(new long[] {1, 0}, col.strides());
        assertEquals(2.0, col.getDouble(2, 3));
        NDArray s = NDArray.scalar(7.0, FLOAT64).broadcastTo(new int[] {2, 2});
        assertArrayEquals(values(7, 7, 7, 7), s.toDoubleArray());
        assertSame(row, row.broadcastTo(new int[] {3}));
    }

    @Test
    void broadcastToErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> arange(6, 2, 3).broadcastTo(new int[] {4, 3}));
        assertEquals("operands could not be broadcast together with remapped shapes [original->remapped]:"
                + " (2,3)  and requested shape (4,3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> arange(6, 2, 3).broadcastTo(new int[] {3}));
        assertEquals("input operand has more dimensions than allowed by the axis remapping", e.getMessage());
    }

    // ------------------------------------------------------------------ get, slice, expandDims

    @Test
    void getReturnsARowView() {
        NDArray a = arange(6, 2, 3);
        NDArray r = a.get(1);
        assertArrayEquals(new int[] {3}, r.shape());
        assertArrayEquals(values(3, 4, 5), r.toDoubleArray());
        assertArrayEquals(values(3, 4, 5), a.get(-1).toDoubleArray());
        r.setDouble(0, 33);
        assertEquals(33.0, a.getDouble(1, 0));
        assertEquals(0, a.get(0).get(0).ndim());
        assertEquals(4.0, a.get(1).get(1).item());
    }

    @Test
    void getErrors() {
        NDArray a = arange(3);
        assertEquals("index 3 is out of bounds for axis 0 with size 3",
                assertThrows(IndexOutOfBoundsException.class, () -> a.get(3)).getMessage());
        assertEquals("index -4 is out of bounds for axis 0 with size 3",
                assertThrows(IndexOutOfBoundsException.class, () -> a.get(-4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.scalar(1.0, FLOAT64).get(0));
    }

    @ParameterizedTest(name = "[{0}:{1}:{2}] of {3}")
    @CsvSource(nullValues = "null", value = {
        // start, stop, step, length -> Python's slice(start, stop, step).indices(length) and len(range(...))
        "null, null, null, 10, 0, 10, 1",
        "2, null, null, 10, 2, 8, 1",
        "null, null, -1, 10, 9, 10, -1",
        "-3, null, null, 10, 7, 3, 1",
        "null, -3, null, 10, 0, 7, 1",
        "20, null, null, 10, 10, 0, 1",
        "-20, null, null, 10, 0, 10, 1",
        "null, null, -2, 10, 9, 5, -2",
        "8, 2, -2, 10, 8, 3, -2",
        "2, 8, -2, 10, 2, 0, -2",
        "null, null, 3, 0, 0, 0, 3",
        "null, null, -1, 0, -1, 0, -1",
        "-1, -20, -1, 5, 4, 5, -1",
        "5, null, -1, 5, 4, 5, -1",
        "0, 10, 3, 10, 0, 4, 3",
        "1, 100, 7, 50, 1, 7, 7",
        "-100, 100, -1, 10, -1, 0, -1",
        "3, 3, null, 10, 3, 0, 1",
        "null, null, -3, 7, 6, 3, -3",
        "-1, null, -4, 9, 8, 3, -4",
    })
    void normalizeSliceFollowsPythonsSliceIndices(Integer start, Integer stop, Integer step, int length,
                                                  int expStart, int expLength, int expStep) {
        assertArrayEquals(new int[] {expStart, expLength, expStep}, NDArray.normalizeSlice(start, stop, step, length));
    }

    @Test
    void normalizeSliceRejectsZeroStep() {
        assertEquals("slice step cannot be zero",
                assertThrows(IllegalArgumentException.class, () -> NDArray.normalizeSlice(null, null, 0, 5)).getMessage());
    }

    @Test
    void slicesWithNegativeStepsAreViews() {
        NDArray a = arange(10);
        NDArray rev = a.sliceRange(0, null, null, -1);
        assertArrayEquals(values(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), rev.toDoubleArray());
        assertArrayEquals(values(8, 6, 4), a.sliceRange(0, 8, 2, -2).toDoubleArray());
        assertArrayEquals(values(7, 4, 1), rev.sliceRange(0, 2, null, 3).toDoubleArray());
        rev.setDouble(0, 90);
        assertEquals(90.0, a.getDouble(9));
        assertEquals(0, a.sliceRange(0, 5, 2, null).size());
        assertEquals("[]", a.sliceRange(0, 5, 2, null).toString());
    }

    @Test
    void slicesAlongInnerAxes() {
        NDArray m = arange(12, 3, 4);
        NDArray cols = m.sliceRange(1, null, null, -2);
        assertArrayEquals(new int[] {3, 2}, cols.shape());
        assertArrayEquals(values(3, 1, 7, 5, 11, 9), cols.toDoubleArray());
        NDArray rows = m.sliceRange(-2, 1, null, null);
        assertArrayEquals(values(4, 5, 6, 7, 8, 9, 10, 11), rows.toDoubleArray());
        int[] s = NDArray.normalizeSlice(1, 3, null, 4);
        assertArrayEquals(values(1, 2, 5, 6, 9, 10), m.slice(1, s[0], s[1], s[2]).toDoubleArray());
        assertEquals("[[ 3.  1.]\n [ 7.  5.]\n [11.  9.]]", cols.toString());
    }

    @Test
    void expandDims() {
        NDArray a = arange(6, 2, 3);
        assertArrayEquals(new int[] {1, 2, 3}, a.expandDims(0).shape());
        assertArrayEquals(new int[] {2, 1, 3}, a.expandDims(1).shape());
        assertArrayEquals(new int[] {2, 3, 1}, a.expandDims(2).shape());
        assertArrayEquals(new int[] {2, 3, 1}, a.expandDims(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, a.expandDims(-3).shape());
        assertArrayEquals(a.toDoubleArray(), a.expandDims(1).toDoubleArray());
        assertEquals("axis 3 is out of bounds for array of dimension 3",
                assertThrows(IllegalArgumentException.class, () -> a.expandDims(3)).getMessage());
        assertArrayEquals(new int[] {1}, NDArray.scalar(1.0, FLOAT64).expandDims(0).shape());
    }

    // ------------------------------------------------------------------ copy and assign

    @Test
    void copyOfNonContiguousViewIsContiguousAndIndependent() {
        NDArray a = arange(6, 2, 3);
        NDArray view = a.transpose().sliceRange(0, null, null, -1);
        NDArray c = view.copy();
        assertTrue(c.isContiguous());
        assertArrayEquals(new long[] {2, 1}, c.strides());
        assertArrayEquals(values(2, 5, 1, 4, 0, 3), c.toDoubleArray());
        c.setDouble(0, 100);
        assertEquals(2.0, a.getDouble(0, 2));
        assertEquals(FLOAT64, c.dtype());
    }

    @Test
    void contiguousReturnsCopyOnlyWhenNeeded() {
        NDArray a = arange(6, 2, 3);
        assertSame(a, a.contiguous());
        NDArray t = a.transpose().contiguous();
        assertTrue(t.isContiguous());
        assertArrayEquals(values(0, 3, 1, 4, 2, 5), t.toDoubleArray());
    }

    @Test
    void assignBroadcastsARow() {
        NDArray m = NDArray.zeros(FLOAT64, 2, 3);
        m.assign(NDArray.of(1, 2, 3));
        assertArrayEquals(values(1, 2, 3, 1, 2, 3), m.toDoubleArray());
        m.assign(NDArray.scalar(5.0, FLOAT64));
        assertArrayEquals(values(5, 5, 5, 5, 5, 5), m.toDoubleArray());
    }

    @Test
    void assignIntoAViewWritesThroughToTheBase() {
        NDArray a = arange(12, 3, 4);
        a.sliceRange(1, null, null, 2).assign(NDArray.fromLongs(INT64, new int[] {3, 1}, new long[] {-1, -2, -3}));
        assertArrayEquals(values(-1, 1, -1, 3, -2, 5, -2, 7, -3, 9, -3, 11), a.toDoubleArray());
    }

    @Test
    void assignBetweenContiguousBlocksCopiesAtTheirOffsets() {
        // rows 1..2 of a 4x3 array from rows 2..3 of another: both contiguous, both at an offset (the block-copy path)
        NDArray dst = NDArray.zeros(FLOAT64, 4, 3);
        NDArray src = arange(12, 4, 3);
        dst.sliceRange(0, 1, 3, null).assign(src.sliceRange(0, 2, 4, null));
        assertArrayEquals(values(0, 0, 0, 6, 7, 8, 9, 10, 11, 0, 0, 0), dst.toDoubleArray());
        // int64 too, and an overlapping self-assignment still reads before it writes
        NDArray i = NDArray.fromLongs(INT64, new int[] {4}, new long[] {1, 2, 3, 4});
        i.sliceRange(0, 0, 2, null).assign(NDArray.fromLongs(INT64, new int[] {2}, new long[] {-7, -8}));
        assertArrayEquals(new long[] {-7, -8, 3, 4}, i.toLongArray());
        NDArray r = arange(4);
        r.assign(r.sliceRange(0, null, null, -1));
        assertArrayEquals(values(3, 2, 1, 0), r.toDoubleArray());
    }

    @Test
    void assignConvertsToTheTargetDtype() {
        NDArray i = NDArray.zeros(INT32, 3);
        i.assign(NDArray.of(2.9, -2.9, 0.5));
        assertArrayEquals(new long[] {2, -2, 0}, i.toLongArray());
        NDArray b = NDArray.zeros(BOOL, 3);
        b.assign(NDArray.of(0.5, 0.0, -2));
        assertEquals("[ True False  True]", b.toString());
        NDArray u = NDArray.zeros(UINT8, 3);
        u.assign(NDArray.fromLongs(INT64, new int[] {3}, new long[] {256, -1, 300}));
        assertArrayEquals(new long[] {0, 255, 44}, u.toLongArray());
        NDArray f = NDArray.zeros(FLOAT32, 1);
        f.assign(NDArray.fromBooleans(new int[] {1}, true));
        assertEquals(1.0, f.getDouble(0));
    }

    @Test
    void assignFromAnOverlappingViewReadsTheOldValues() {
        NDArray a = arange(5);
        a.assign(a.sliceRange(0, null, null, -1));
        assertArrayEquals(values(4, 3, 2, 1, 0), a.toDoubleArray());
        NDArray m = arange(4, 2, 2);
        m.assign(m.transpose());
        assertArrayEquals(values(0, 2, 1, 3), m.toDoubleArray());
    }

    @Test
    void assignShapeMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(FLOAT64, 4, 3).assign(arange(6, 2, 3)));
        assertEquals("could not broadcast input array from shape (2,3) into shape (4,3)", e.getMessage());
    }
}
