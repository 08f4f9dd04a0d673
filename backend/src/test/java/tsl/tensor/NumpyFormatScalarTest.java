package tsl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tsl.tensor.DType.*;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * str() of NumPy scalars (NumPy 1.24) and Python's repr(float). The expected strings were
 * produced by numpy_cases.py (beside this file).
 */
class NumpyFormatScalarTest {
    private static final double NaN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    record Scalar(DType dtype, double value, long longValue, String expected) {
        @Override
        public String toString() {
            return dtype + " " + expected;
        }
    }

    private static Scalar f(DType dtype, double v, String expected) {
        return new Scalar(dtype, v, (long) v, expected);
    }

    private static Scalar i(DType dtype, long v, String expected) {
        return new Scalar(dtype, v, v, expected);
    }

    static Stream<Scalar> scalars() {
        return Stream.of(
        // BEGIN scalar cases
                f(FLOAT64, 5.0, "5.0"),
                f(FLOAT64, 0.5, "0.5"),
                f(FLOAT64, -0.0, "-0.0"),
                f(FLOAT64, 1e+16, "1e+16"),
                f(FLOAT64, 1e-05, "1e-05"),
                f(FLOAT64, 1.5e-05, "1.5e-05"),
                f(FLOAT64, 0.0001, "0.0001"),
                f(FLOAT64, 123456789.123, "123456789.123"),
                f(FLOAT64, 1000000000000000.0, "1000000000000000.0"),
                f(FLOAT64, 9999999999999998.0, "9999999999999998.0"),
                f(FLOAT64, NaN, "nan"),
                f(FLOAT64, INF, "inf"),
                f(FLOAT64, -INF, "-inf"),
                f(FLOAT64, 0.30000000000000004, "0.30000000000000004"),
                f(FLOAT64, 0.3333333333333333, "0.3333333333333333"),
                f(FLOAT64, 5e-324, "5e-324"),
                f(FLOAT64, 1.7976931348623157e+308, "1.7976931348623157e+308"),
                f(FLOAT64, -2.5e-07, "-2.5e-07"),
                f(FLOAT64, 1e+22, "1e+22"),
                f(FLOAT64, 100.0, "100.0"),
                f(FLOAT32, 0.045176658779382706, "0.04517666"),
                f(FLOAT32, 0.10000000149011612, "0.1"),
                f(FLOAT32, 0.3333333432674408, "0.33333334"),
                f(FLOAT32, 9.999999747378752e-05, "1e-04"),
                f(FLOAT32, 16777216.0, "16777216.0"),
                f(FLOAT32, 1.0000000272564224e+16, "1e+16"),
                f(FLOAT32, 3.4028234663852886e+38, "3.4028235e+38"),
                f(FLOAT32, 1.401298464324817e-45, "1e-45"),
                f(FLOAT32, 2.5, "2.5"),
                f(FLOAT32, -0.0, "-0.0"),
                f(FLOAT32, NaN, "nan"),
                f(FLOAT32, INF, "inf"),
                f(FLOAT32, 100000000.0, "100000000.0"),
                f(FLOAT32, 0.30000001192092896, "0.3"),
                i(INT64, 7L, "7"),
                i(INT8, -128L, "-128"),
                i(UINT8, 255L, "255"),
                i(INT32, -5L, "-5"),
                i(INT32, 40000L, "40000"),
                i(INT16, -3L, "-3"),
                i(BOOL, 1L, "True"),
                i(BOOL, 0L, "False")
        // END scalar cases
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("scalars")
    void scalarStr(Scalar s) {
        assertEquals(s.expected(), NumpyFormat.scalarStr(s.value(), s.longValue(), s.dtype()));
    }

    /** str of a 0-d array is the str of its scalar. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("scalars")
    void zeroDimensionalStr(Scalar s) {
        NDArray a = s.dtype().isFloat() ? NDArray.scalar(s.value(), s.dtype()) : NDArray.scalar(s.longValue(), s.dtype());
        assertEquals(s.expected(), NumpyFormat.str(a));
    }

    record PyFloat(double value, String expected) {
        @Override
        public String toString() {
            return expected;
        }
    }

    private static PyFloat p(double v, String expected) {
        return new PyFloat(v, expected);
    }

    static Stream<PyFloat> pythonFloats() {
        return Stream.of(
        // BEGIN python floats
                p(1.0, "1.0"),
                p(0.1, "0.1"),
                p(1e+16, "1e+16"),
                p(1e+22, "1e+22"),
                p(1.7976931348623157e+308, "1.7976931348623157e+308"),
                p(5e-324, "5e-324"),
                p(-0.0, "-0.0"),
                p(NaN, "nan"),
                p(INF, "inf"),
                p(-INF, "-inf"),
                p(0.6666666666666666, "0.6666666666666666"),
                p(1e-07, "1e-07"),
                p(0.0001, "0.0001"),
                p(123.456, "123.456"),
                p(0.00030000000000000003, "0.00030000000000000003"),
                p(1.1805916207174113e+21, "1.1805916207174113e+21"),
                p(1000000000000000.2, "1000000000000000.2"),
                p(-12.0, "-12.0")
        // END python floats
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("pythonFloats")
    void pythonFloat(PyFloat p) {
        assertEquals(p.expected(), NumpyFormat.pythonFloat(p.value()));
    }
}
