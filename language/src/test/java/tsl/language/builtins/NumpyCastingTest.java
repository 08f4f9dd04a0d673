package tsl.language.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import tsl.language.runtime.NpScalar;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** NumPy 1.24's result_type, case by case (values from NumPy 1.24 / NEP 50's table of old behaviour). */
class NumpyCastingTest {
    private static NDArray arr(DType d) {
        return NDArray.zeros(d, 2);
    }

    private static NpScalar scalar(long v, DType d) {
        return NpScalar.of(NDArray.scalar(v, d));
    }

    @Test
    void pythonScalarsDoNotWidenArraysOfTheirKind() {
        assertEquals(DType.INT8, NumpyCasting.resultType(arr(DType.INT8), 1L));
        assertEquals(DType.UINT8, NumpyCasting.resultType(arr(DType.UINT8), 255L));
        assertEquals(DType.FLOAT32, NumpyCasting.resultType(arr(DType.FLOAT32), 1.5));
        assertEquals(DType.FLOAT32, NumpyCasting.resultType(arr(DType.FLOAT32), 7L));
    }

    @Test
    void valuesThatDoNotFitWiden() {
        assertEquals(DType.INT16, NumpyCasting.resultType(arr(DType.INT8), 200L));
        assertEquals(DType.INT32, NumpyCasting.resultType(arr(DType.INT8), 40000L));
        assertEquals(DType.INT16, NumpyCasting.resultType(arr(DType.UINT8), -1L));
        assertEquals(DType.INT64, NumpyCasting.resultType(arr(DType.INT32), 1L << 40));
        assertEquals(DType.FLOAT64, NumpyCasting.resultType(arr(DType.FLOAT32), 1e300));
    }

    @Test
    void numpyScalarsAreValueBasedToo() {
        assertEquals(DType.INT8, NumpyCasting.resultType(arr(DType.INT8), scalar(1, DType.INT64)));
        assertEquals(DType.FLOAT32, NumpyCasting.resultType(arr(DType.FLOAT32), NpScalar.of(NDArray.scalar(0.1, DType.FLOAT64))));
    }

    @Test
    void higherKindScalarsAndScalarsAlonePromoteByType() {
        assertEquals(DType.FLOAT64, NumpyCasting.resultType(arr(DType.INT16), 1.5));
        assertEquals(DType.INT64, NumpyCasting.resultType(arr(DType.BOOL), 1L));
        assertEquals(DType.FLOAT64, NumpyCasting.resultType(NpScalar.of(NDArray.scalar(3.0, DType.FLOAT32)), 3.0));
        assertEquals(DType.INT64, NumpyCasting.resultType(scalar(1, DType.INT8), 2L));
    }

    @Test
    void promotionTable() {
        assertEquals(DType.INT16, NumpyCasting.promote(DType.INT8, DType.UINT8));
        assertEquals(DType.FLOAT64, NumpyCasting.promote(DType.INT32, DType.FLOAT32));
        assertEquals(DType.FLOAT32, NumpyCasting.promote(DType.INT16, DType.FLOAT32));
        assertThrows(RuntimeException.class, () -> NumpyCasting.floatLoop(DType.INT8));
        assertEquals(DType.FLOAT32, NumpyCasting.floatLoop(DType.INT16));
        assertEquals(DType.FLOAT64, NumpyCasting.floatLoop(DType.INT64));
    }
}
