package tsl.language.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.TruffleObject;

import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.HostObject;
import tsl.tensor.DType;

/**
 * A numpy.dtype instance (what {@code a.dtype} and {@code np.dtype('f4')} give): prints as
 * its name, reprs as {@code dtype('float32')}, and equals its scalar type, another dtype of
 * the same kind and size, or any string NumPy would read as it.
 */
public record NpDType(DType dtype) implements HostObject, TruffleObject {

    @Override
    public String typeName() {
        return "dtype[" + dtype.numpyName() + "]";
    }

    @Override
    public String str() {
        return dtype.numpyName();
    }

    @Override
    public String repr() {
        return "dtype('" + dtype.numpyName() + "')";
    }

    @Override
    public String toString() {
        return dtype.numpyName();
    }

    /** NumPy's one-letter kind: b, i, u or f. */
    public static String kind(DType d) {
        return switch (d.kind()) {
            case BOOL -> "b";
            case INT -> "i";
            case UINT -> "u";
            case FLOAT -> "f";
        };
    }

    @Override
    @TruffleBoundary
    public Object getattr(String name) {
        return switch (name) {
            case "name" -> dtype.numpyName();
            case "itemsize" -> (long) dtype.byteSize();
            case "kind" -> kind(dtype);
            case "str" -> (dtype.byteSize() == 1 ? "|" : "<") + kind(dtype) + dtype.byteSize();
            case "char" -> switch (dtype) {
                case BOOL -> "?";
                case INT8 -> "b";
                case UINT8 -> "B";
                case INT16 -> "h";
                case INT32 -> "i";
                case INT64 -> "l";
                case FLOAT32 -> "f";
                case FLOAT64 -> "d";
            };
            case "type" -> new NumpyModule.DTypeObject(dtype);
            case "ndim" -> 0L;
            case "__eq__" -> new BuiltinFunction("__eq__", (a, k) -> pyEquals(a.get(0)));
            default -> null;
        };
    }

    @Override
    @TruffleBoundary
    public boolean pyEquals(Object other) {
        try {
            return NumpyModule.toDType(other) == dtype;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpDType d && d.dtype == dtype;
    }

    @Override
    public int hashCode() {
        return dtype.hashCode();
    }
}
