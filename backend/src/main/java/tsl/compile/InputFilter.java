package tsl.compile;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * Theano's TensorType.filter: converts a value passed to a function (or to a shared
 * variable) to the type it must have, refusing conversions that could lose precision unless
 * downcasting is allowed.
 */
public final class InputFilter {
    private InputFilter() {}

    /**
     * @param allowDowncast {@code TRUE} casts anything, {@code null} (the default) also lets a
     *                      Python float into a floatX input, {@code FALSE} casts only exactly
     */
    public static NDArray filter(TensorType type, Object value, boolean strict, Boolean allowDowncast, String what) {
        NDArray data;
        boolean fromArray = value instanceof NDArray;
        if (fromArray && ((NDArray) value).dtype() == type.dtype()) {
            data = (NDArray) value;
        } else if (!strict && value instanceof Double d && type.dtype() == DType.FLOAT64) {
            // a Python float into a float64 input: exact under every downcast setting (the general path gives the same)
            data = NDArray.scalar(d, DType.FLOAT64);
        } else if (!strict && (value instanceof Long || value instanceof Integer) && type.dtype() == DType.INT64) {
            data = NDArray.scalar(((Number) value).longValue(), DType.INT64);
        } else if (strict) {
            throw TslException.typeError(what + ": expected an array of dtype " + type.dtype()
                    + ", got " + describe(value) + " (strict mode)");
        } else if (Boolean.TRUE.equals(allowDowncast)) {
            data = JavaValues.asArray(value).astype(type.dtype());
        } else if (fromArray) {
            NDArray a = (NDArray) value;
            if (type.dtype().canHoldAllOf(a.dtype())) {
                data = a.astype(type.dtype());
            } else {
                throw TslException.typeError(what + ": TensorType(" + type.dtype() + ", " + type.shapeString()
                        + ") cannot store a value of dtype " + a.dtype() + " without risking loss of precision. If you do not mind"
                        + " this loss, you can: 1) explicitly cast your data to " + type.dtype()
                        + ", or 2) set \"allow_input_downcast=True\" when calling \"function\".");
            }
        } else if (allowDowncast == null && value instanceof Double && type.dtype() == Config.floatX()) {
            data = JavaValues.asArray(value).astype(type.dtype());
        } else {
            NDArray original = JavaValues.asArray(value);
            NDArray converted = original.astype(type.dtype());
            if (!sameValues(original, converted)) {
                throw TslException.typeError(what + ": TensorType(" + type.dtype() + ", " + type.shapeString()
                        + ") cannot store accurately value " + describe(value) + ", it would be represented as "
                        + converted + ". If you do not mind this precision loss, you can: 1) explicitly convert your data"
                        + " to a numpy array of dtype " + type.dtype() + ", or 2) set \"allow_input_downcast=True\" when calling \"function\".");
            }
            data = converted;
        }
        if (data.ndim() != type.ndim()) {
            throw TslException.typeError(what + ": wrong number of dimensions: expected " + type.ndim() + ", got "
                    + data.ndim() + " with shape " + Shapes.format(data.shape()) + ".");
        }
        if (data.ndim() > 0 && !type.fitsShape(data.shape())) {   // a 0-d value of the right ndim always fits
            throw TslException.typeError(what + ": the shape " + Shapes.format(data.shape())
                    + " does not match the static shape " + type.shapeString() + " of " + type);
        }
        return data;
    }

    private static boolean sameValues(NDArray a, NDArray b) {
        for (long i = 0; i < a.size(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            if (!(x == y || (Double.isNaN(x) && Double.isNaN(y)))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Object v) {
        return v instanceof NDArray a ? "an array of dtype " + a.dtype() : String.valueOf(v);
    }
}
