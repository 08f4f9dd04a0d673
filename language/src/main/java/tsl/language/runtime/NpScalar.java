package tsl.language.runtime;

import com.oracle.truffle.api.interop.TruffleObject;

import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.NumpyFormat;

/**
 * A NumPy scalar (np.float32(0.5), the result of indexing or reducing an array): prints as
 * NumPy prints it (shortest digits for its own precision) and computes as a 0-d array.
 */
public record NpScalar(NDArray array) implements TruffleObject {

    public static NpScalar of(NDArray zeroD) {
        return new NpScalar(zeroD);
    }

    public DType dtype() {
        return array.dtype();
    }

    public double doubleValue() {
        return array.getDouble(0);
    }

    public long longValue() {
        return array.getLong(0);
    }

    /** The Python value with the same meaning: bool, int or float. */
    public Object toPython() {
        return switch (dtype().kind()) {
            case BOOL -> longValue() != 0;
            case INT, UINT -> longValue();
            case FLOAT -> doubleValue();
        };
    }

    public String str() {
        return NumpyFormat.scalarStr(doubleValue(), longValue(), dtype());
    }

    /** NumPy 1.24's repr of a scalar is its str. */
    public String repr() {
        return str();
    }

    @Override
    public String toString() {
        return str();
    }
}
