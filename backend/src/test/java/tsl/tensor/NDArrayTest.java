package tsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.tensor.DType.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Creation, element access, dtype conversion, comparison and tolist() of NDArrays. */
class NDArrayTest {
    private static int[] shape(int... dims) {
        return dims;
    }

    @Test
    void zerosHasShapeDtypeAndContiguousStrides() {
        NDArray a = NDArray.zeros(INT32, 2, 3, 4);
        assertEquals(INT32, a.dtype());
        assertEquals(3, a.ndim());
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        assertArrayEquals(new long[] {12, 4, 1}, a.strides());
        assertEquals(24, a.size());
        assertTrue(a.isContiguous());
        for (long v : a.toLongArray()) {
            assertEquals(0, v);
        }
    }

    @Test
    void zerosOfEmptyAndScalarShapes() {
        NDArray scalar = NDArray.zeros(FLOAT64);
        assertEquals(0, scalar.ndim());
        assertEquals(1, scalar.size());
        assertEquals(0.0, scalar.item());
        NDArray empty = NDArray.zeros(FLOAT32, 0, 3);
        assertEquals(0, empty.size());
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.toDoubleArray().length);
    }

    @Test
    void shapeIsDefensivelyCopied() {
        int[] s = {2, 2};
        NDArray a = NDArray.zeros(FLOAT64, s);
        s[0] = 7;
        a.shape()[1] = 9;
        assertArrayEquals(new int[] {2, 2}, a.shape());
    }

    @Test
    void fromDoublesIsCOrderAndConvertsToTheDtype() {
        NDArray a = NDArray.fromDoubles(FLOAT64, shape(2, 2), new double[] {1, 2, 3, 4});
        assertEquals(2.0, a.getDouble(0, 1));
        assertEquals(3.0, a.getDouble(1, 0));
        NDArray f = NDArray.fromDoubles(FLOAT32, shape(1), new double[] {0.1});
        assertEquals((double) 0.1f, f.getDouble(0));
        NDArray i = NDArray.fromDoubles(INT32, shape(4), new double[] {2.7, -2.7, 0.5, -0.5});
        assertArrayEquals(new long[] {2, -2, 0, 0}, i.toLongArray());
    }

    @Test
    void fromLongsKeepsInt64Extremes() {
        NDArray a = NDArray.fromLongs(INT64, shape(2), new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}, a.toLongArray());
        NDArray d = NDArray.fromLongs(FLOAT64, shape(2), new long[] {3, -4});
        assertArrayEquals(new double[] {3, -4}, d.toDoubleArray());
    }

    @Test
    void valueCountMustMatchTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.fromDoubles(FLOAT64, shape(2, 3), new double[] {1, 2, 3, 4, 5}));
        assertEquals("cannot reshape array of size 5 into shape (2,3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromLongs(INT64, shape(3), new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> NDArray.fromBooleans(shape(1), true, false));
    }

    @Test
    void fromBooleans() {
        NDArray a = NDArray.fromBooleans(shape(2, 2), true, false, false, true);
        assertEquals(BOOL, a.dtype());
        assertTrue(a.getBoolean(0));
        assertFalse(a.getBoolean(1));
        assertArrayEquals(new long[] {1, 0, 0, 1}, a.toLongArray());
        assertEquals("[[ True False]\n [False  True]]", a.toString());
        assertEquals(0, NDArray.fromBooleans(shape(0)).size());
    }

    @Test
    void scalars() {
        assertEquals(2.5, NDArray.scalar(2.5, FLOAT64).item());
        assertEquals(7, NDArray.scalar(7L, INT16).itemLong());
        assertEquals("True", NDArray.scalar(true).toString());
        assertEquals("array(1.5, dtype=float32)", NDArray.scalar(1.5, FLOAT32).repr());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(1, 2).item());
        assertEquals("can only convert an array of size 1 to a Python scalar", e.getMessage());
    }

    @Test
    void uint8WrapsAround() {
        NDArray a = NDArray.fromLongs(UINT8, shape(4), new long[] {256, -1, 300, 255});
        assertArrayEquals(new long[] {0, 255, 44, 255}, a.toLongArray());
        assertEquals(255.0, a.getDouble(1));
        a.setLong(0, 258);
        assertEquals(2, a.getLong(0));
        a.setDouble(0, -2.0);
        assertEquals(254, a.getLong(0));
        assertEquals("[254 255  44 255]", a.toString());
    }

    @Test
    void int8WrapsAround() {
        NDArray a = NDArray.fromLongs(INT8, shape(2), new long[] {128, -129});
        assertArrayEquals(new long[] {-128, 127}, a.toLongArray());
    }

    @Test
    void astypeTruncatesFloatsTowardZero() {
        NDArray a = NDArray.of(2.7, -2.7, 0.5, -0.5, 1e3);
        assertArrayEquals(new long[] {2, -2, 0, 0, 1000}, a.astype(INT32).toLongArray());
        assertArrayEquals(new long[] {2, -2, 0, 0, 1000}, a.astype(INT64).toLongArray());
        assertEquals(INT16, a.astype(INT16).dtype());
    }

    @Test
    void astypeToBoolIsNonZero() {
        NDArray a = NDArray.of(0.0, -0.0, 0.5, -3, Double.NaN);
        assertEquals("[False False  True  True  True]", a.astype(BOOL).toString());
        NDArray i = NDArray.fromLongs(INT64, shape(3), new long[] {0, 2, -1});
        assertEquals("[False  True  True]", i.astype(BOOL).toString());
    }

    @Test
    void astypeFromBoolAndBetweenFloats() {
        NDArray b = NDArray.fromBooleans(shape(2), true, false);
        assertArrayEquals(new double[] {1, 0}, b.astype(FLOAT64).toDoubleArray());
        assertArrayEquals(new long[] {1, 0}, b.astype(UINT8).toLongArray());
        NDArray f = NDArray.of(0.1).astype(FLOAT32);
        assertEquals((double) 0.1f, f.getDouble(0));
        assertEquals("[0.1]", f.toString());
        assertEquals((double) 0.1f, f.astype(FLOAT64).getDouble(0));
        assertArrayEquals(new long[] {44, 255}, NDArray.fromLongs(INT64, shape(2), new long[] {300, -1}).astype(UINT8).toLongArray());
    }

    @Test
    void astypeCopies() {
        NDArray a = NDArray.of(1, 2);
        NDArray b = a.astype(FLOAT64);
        b.setDouble(0, 9);
        assertEquals(1.0, a.getDouble(0));
    }

    @Test
    void allCloseUsesRelativeAndAbsoluteTolerance() {
        NDArray a = NDArray.of(1.0, 100.0);
        assertTrue(NDArray.allClose(a, NDArray.of(1.0, 100.0), 0, 0));
        assertTrue(NDArray.allClose(a, NDArray.of(1.0 + 1e-6, 100.001), 1e-5, 1e-8));
        assertFalse(NDArray.allClose(a, NDArray.of(1.0 + 1e-4, 100.0), 1e-5, 1e-8));
        assertTrue(NDArray.allClose(NDArray.of(0.0), NDArray.of(1e-9), 1e-5, 1e-8));
        assertFalse(NDArray.allClose(NDArray.of(0.0), NDArray.of(1e-7), 1e-5, 1e-8));
    }

    @Test
    void allCloseToleranceScalesWithTheSecondArgument() {
        // |a - b| <= atol + rtol * |b|, as in NumPy: not symmetric
        NDArray small = NDArray.of(1.0);
        NDArray big = NDArray.of(2.0);
        assertTrue(NDArray.allClose(small, big, 0.5, 0));
        assertFalse(NDArray.allClose(big, small, 0.5, 0));
    }

    @Test
    void allCloseNonFiniteValues() {
        double inf = Double.POSITIVE_INFINITY;
        assertTrue(NDArray.allClose(NDArray.of(inf, -inf), NDArray.of(inf, -inf), 1e-5, 1e-8));
        assertFalse(NDArray.allClose(NDArray.of(inf), NDArray.of(-inf), 1e-5, 1e-8));
        assertFalse(NDArray.allClose(NDArray.of(inf), NDArray.of(1e308), 1e-5, 1e-8));
        assertFalse(NDArray.allClose(NDArray.of(Double.NaN), NDArray.of(Double.NaN), 1e-5, 1e-8));
    }

    @Test
    void allCloseBroadcastsAndMixesDtypes() {
        NDArray m = NDArray.fromDoubles(FLOAT32, shape(2, 3), new double[] {1, 2, 3, 1, 2, 3});
        NDArray row = NDArray.fromLongs(INT64, shape(3), new long[] {1, 2, 3});
        assertTrue(NDArray.allClose(m, row, 0, 0));
        assertTrue(NDArray.allClose(NDArray.scalar(2.0, FLOAT64), NDArray.of(2, 2, 2), 0, 0));
        assertFalse(NDArray.allClose(m, NDArray.of(1, 2, 4), 1e-5, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> NDArray.allClose(m, NDArray.of(1, 2), 1e-5, 1e-8));
    }

    @Test
    void toNestedListOfZeroDimensionalIsTheElement() {
        assertEquals(2.5, NDArray.scalar(2.5, FLOAT64).toNestedList());
        assertEquals(3L, NDArray.scalar(3L, INT8).toNestedList());
        assertEquals(Boolean.TRUE, NDArray.scalar(true).toNestedList());
    }

    @Test
    void toNestedListTypes() {
        assertEquals(List.of(1.0, 2.5), NDArray.of(1.0, 2.5).toNestedList());
        assertEquals(List.of((double) 0.1f), NDArray.fromDoubles(FLOAT32, shape(1), new double[] {0.1}).toNestedList());
        assertEquals(List.of(255L, 0L), NDArray.fromLongs(UINT8, shape(2), new long[] {255, 0}).toNestedList());
        assertEquals(List.of(-5L), NDArray.fromLongs(INT32, shape(1), new long[] {-5}).toNestedList());
        assertEquals(List.of(true, false), NDArray.fromBooleans(shape(2), true, false).toNestedList());
    }

    @Test
    void toNestedListNests() {
        NDArray a = NDArray.fromLongs(INT64, shape(2, 3), new long[] {0, 1, 2, 3, 4, 5});
        assertEquals(List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L)), a.toNestedList());
        assertEquals(List.of(List.of(0L, 3L), List.of(1L, 4L), List.of(2L, 5L)), a.transpose().toNestedList());
        assertEquals(List.of(), NDArray.zeros(FLOAT64, 0, 3).toNestedList());
        assertEquals(List.of(List.of(), List.of()), NDArray.zeros(FLOAT64, 2, 0).toNestedList());
    }

    @Test
    void sameAsComparesDtypeShapeAndValues() {
        assertTrue(NDArray.of(1, Double.NaN).sameAs(NDArray.of(1, Double.NaN)));
        assertFalse(NDArray.of(1, 2).sameAs(NDArray.of(1, 2).astype(FLOAT32)));
        assertFalse(NDArray.of(1, 2).sameAs(NDArray.of(1, 2).reshape(2, 1)));
        assertFalse(NDArray.of(1, 2).sameAs(NDArray.of(1, 3)));
    }

    @Test
    void arraysTooLargeToAllocateFailAsNumPysMemoryError() {
        ArrayMemoryError e = assertThrows(ArrayMemoryError.class, () -> NDArray.zeros(FLOAT64, 100000, 100000, 100000));
        assertEquals("Unable to allocate 7.11 PiB for an array with shape (100000, 100000, 100000) and data type float64", e.getMessage());
        e = assertThrows(ArrayMemoryError.class, () -> NDArray.shapeOf(FLOAT64, 1_000_000_000_000L));
        assertEquals("Unable to allocate 7.28 TiB for an array with shape (1000000000000,) and data type float64", e.getMessage());
        assertEquals("negative dimensions are not allowed",
                assertThrows(IllegalArgumentException.class, () -> NDArray.shapeOf(FLOAT32, 3, -1)).getMessage());
        assertArrayEquals(new int[] {3, 4}, NDArray.shapeOf(FLOAT32, 3, 4));
    }

    @Test
    void byteCountsPrintAsNumPyPrintsThem() {
        // values printed by numpy 2.4's _ArrayMemoryError._size_to_string
        assertEquals("5 bytes", NDArray.byteString(5));
        assertEquals("1023 bytes", NDArray.byteString(1023));
        assertEquals("1.00 KiB", NDArray.byteString(1024));
        assertEquals("1.50 KiB", NDArray.byteString(1536));
        assertEquals("16.0 GiB", NDArray.byteString(17179869184.0));
        assertEquals("1.00 TiB", NDArray.byteString(1099511627776.0));
        assertEquals("7.28 TiB", NDArray.byteString(8e12));
        assertEquals("1.00 GiB", NDArray.byteString(1073636966));
        assertEquals("512. GiB", NDArray.byteString(549755813888.0));
        assertEquals("1000. MiB", NDArray.byteString(1048576000));
        assertEquals("1023. MiB", NDArray.byteString(1073112678));
        assertEquals("1000. GiB", NDArray.byteString(1073698874327.0));
        assertEquals("123. TiB", NDArray.byteString(135741307518713.0));
        assertEquals("8.00 EiB", NDArray.byteString(0x1p63));
    }
}
