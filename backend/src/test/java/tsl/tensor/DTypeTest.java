package tsl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.tensor.DType.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DTypeTest {
    private static final DType[] ORDER = {BOOL, INT8, UINT8, INT16, INT32, INT64, FLOAT32, FLOAT64};

    /** np.promote_types(ORDER[i], ORDER[j]) printed by NumPy. */
    private static final DType[][] NUMPY_PROMOTE = {
        // BEGIN promote table
                {BOOL, INT8, UINT8, INT16, INT32, INT64, FLOAT32, FLOAT64},  // bool
                {INT8, INT8, INT16, INT16, INT32, INT64, FLOAT32, FLOAT64},  // int8
                {UINT8, INT16, UINT8, INT16, INT32, INT64, FLOAT32, FLOAT64},  // uint8
                {INT16, INT16, INT16, INT16, INT32, INT64, FLOAT32, FLOAT64},  // int16
                {INT32, INT32, INT32, INT32, INT32, INT64, FLOAT64, FLOAT64},  // int32
                {INT64, INT64, INT64, INT64, INT64, INT64, FLOAT64, FLOAT64},  // int64
                {FLOAT32, FLOAT32, FLOAT32, FLOAT32, FLOAT64, FLOAT64, FLOAT32, FLOAT64},  // float32
                {FLOAT64, FLOAT64, FLOAT64, FLOAT64, FLOAT64, FLOAT64, FLOAT64, FLOAT64},  // float64
        // END promote table
    };

    @Test
    void promoteMatchesNumpyForEveryPair() {
        for (int i = 0; i < ORDER.length; i++) {
            for (int j = 0; j < ORDER.length; j++) {
                assertEquals(NUMPY_PROMOTE[i][j], DType.promote(ORDER[i], ORDER[j]), ORDER[i] + " with " + ORDER[j]);
            }
        }
    }

    @Test
    void canHoldAllOfIsSafeCasting() {
        assertTrue(INT16.canHoldAllOf(UINT8));
        assertFalse(INT8.canHoldAllOf(UINT8));
        assertTrue(FLOAT32.canHoldAllOf(INT16));
        assertFalse(FLOAT32.canHoldAllOf(INT32));
        assertTrue(FLOAT64.canHoldAllOf(INT64));
        assertTrue(UINT8.canHoldAllOf(BOOL));
        assertFalse(BOOL.canHoldAllOf(INT8));
    }

    @ParameterizedTest
    @CsvSource({
        "0, INT8", "127, INT8", "-128, INT8", "128, INT16", "-129, INT16",
        "32767, INT16", "-32768, INT16", "32768, INT32", "-32769, INT32",
        "2147483647, INT32", "-2147483648, INT32", "2147483648, INT64", "-2147483649, INT64",
        "9223372036854775807, INT64", "-9223372036854775808, INT64",
    })
    void smallestIntFor(long v, DType expected) {
        assertEquals(expected, DType.smallestIntFor(v));
    }

    @ParameterizedTest
    @CsvSource({
        "float64, FLOAT64", "float, FLOAT64", "double, FLOAT64", "f8, FLOAT64", "float32, FLOAT32",
        "single, FLOAT32", "int64, INT64", "int, INT64", "int32, INT32", "int16, INT16", "int8, INT8",
        "uint8, UINT8", "ubyte, UINT8", "bool, BOOL", "bool_, BOOL", "Float64, FLOAT64",
    })
    void namesAndAliases(String name, DType expected) {
        assertEquals(expected, DType.fromName(name));
    }

    @Test
    void unknownNames() {
        assertNull(DType.lookup("complex128"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromName("float16"));
        assertEquals("data type 'float16' not understood", e.getMessage());
    }

    @Test
    void kindsAndSizes() {
        assertEquals(1, BOOL.byteSize());
        assertEquals(8, INT64.byteSize());
        assertEquals(4, FLOAT32.byteSize());
        assertTrue(UINT8.isInteger());
        assertFalse(BOOL.isInteger());
        assertTrue(BOOL.isDiscrete());
        assertFalse(FLOAT32.isDiscrete());
        assertEquals("uint8", UINT8.toString());
    }
}
