package tsl.language.builtins;

import tsl.language.runtime.Arith;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * NumPy 1.24's result_type with value-based casting. Python numbers, NumPy scalars and 0-d
 * arrays are "scalars": when their kind (bool < integer < float) is no higher than the
 * arrays', each one only counts with the smallest type that holds its value, so
 * {@code float32_array + 1.5} stays float32 and {@code int8_array + 1} stays int8, while
 * {@code int_array + 1.5} is float64. With scalars only, or a scalar of a higher kind, plain
 * promotion applies (a Python int is int64, a float float64).
 *
 * The promotion table here also has the types TSL arrays lack (uint16..uint64, float16),
 * because NumPy passes through them (uint8 with int8 is int16); a result in one of them
 * fails loudly rather than being silently widened.
 */
final class NumpyCasting {
    private NumpyCasting() {}

    /** A NumPy type: kind 0 bool, 1 signed, 2 unsigned, 3 float; size in bytes. */
    private record NType(int kind, int size) {
        static NType of(DType d) {
            return switch (d.kind()) {
                case BOOL -> new NType(0, 1);
                case INT -> new NType(1, d.byteSize());
                case UINT -> new NType(2, d.byteSize());
                case FLOAT -> new NType(3, d.byteSize());
            };
        }

        int category() {
            return kind == 0 ? 0 : kind == 3 ? 2 : 1;
        }

        DType toDType() {
            DType d = switch (kind) {
                case 0 -> DType.BOOL;
                case 1 -> switch (size) {
                    case 1 -> DType.INT8;
                    case 2 -> DType.INT16;
                    case 4 -> DType.INT32;
                    default -> DType.INT64;
                };
                case 2 -> size == 1 ? DType.UINT8 : null;
                default -> size == 4 ? DType.FLOAT32 : size == 8 ? DType.FLOAT64 : null;
            };
            if (d == null) {
                throw TslError.of("NotImplementedError", "not supported yet: NumPy result dtype "
                        + (kind == 2 ? "uint" : "float") + size * 8);
            }
            return d;
        }
    }

    private static NType promote(NType a, NType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.kind == 0) {
            return b;
        }
        if (b.kind == 0) {
            return a;
        }
        if (a.kind == 3 || b.kind == 3) {
            int fa = a.kind == 3 ? a.size : floatFor(a.size);
            int fb = b.kind == 3 ? b.size : floatFor(b.size);
            return new NType(3, Math.max(fa, fb));
        }
        if (a.kind == b.kind) {
            return new NType(a.kind, Math.max(a.size, b.size));
        }
        NType s = a.kind == 1 ? a : b;
        NType u = a.kind == 2 ? a : b;
        if (s.size > u.size) {
            return s;
        }
        return u.size == 8 ? new NType(3, 8) : new NType(1, u.size * 2);
    }

    /** The smallest float that holds every integer of the given size (int8 fits float16). */
    private static int floatFor(int intSize) {
        return intSize == 1 ? 2 : intSize == 2 ? 4 : 8;
    }

    /** np.promote_types for the dtypes TSL has. */
    static DType promote(DType a, DType b) {
        return promote(NType.of(a), NType.of(b)).toDType();
    }

    private static boolean isScalar(Object o) {
        return !(o instanceof NDArray a) || a.ndim() == 0;
    }

    /** The declared dtype of an operand (a Python int is int64, a float float64). */
    static DType declared(Object o) {
        if (o instanceof NDArray a) {
            return a.dtype();
        }
        if (o instanceof NpScalar s) {
            return s.dtype();
        }
        if (o instanceof Boolean) {
            return DType.BOOL;
        }
        if (o instanceof Double) {
            return DType.FLOAT64;
        }
        if (Arith.isInt(o)) {
            return DType.INT64;
        }
        return NumpyModule.asarray(o, null).dtype();
    }

    /**
     * The smallest type that holds a scalar's value; the flag says the value is a
     * non-negative integer that also fits the signed type of that size (NumPy then treats
     * it as signed next to signed integers: int8_array + 1 stays int8).
     */
    private static NType[] minScalarType(Object o) {
        DType d = declared(o);
        NDArray a = o instanceof NDArray x ? x : o instanceof NpScalar s ? s.array() : null;
        switch (d.kind()) {
            case BOOL:
                return new NType[] {new NType(0, 1), null};
            case FLOAT: {
                double v = a != null ? a.getDouble(0) : Arith.toDouble(o);
                int size = v > -65000 && v < 65000 ? 2 : v > -3.4e38 && v < 3.4e38 ? 4 : 8;
                return new NType[] {new NType(3, Math.min(size, d.byteSize() == 4 ? 4 : 8)), null};
            }
            default: {
                if (o instanceof java.math.BigInteger) {
                    throw TslError.of("OverflowError", "Python int too large to convert to C long");
                }
                long v = a != null ? a.getLong(0) : Arith.toLong(o);
                if (v >= 0) {
                    int size = v < 256 ? 1 : v < 65536 ? 2 : v < (1L << 32) ? 4 : 8;
                    long signedMax = size == 8 ? Long.MAX_VALUE : (1L << (size * 8 - 1)) - 1;
                    NType t = new NType(2, size);
                    return new NType[] {t, v <= signedMax ? new NType(1, size) : null};
                }
                int size = v >= Byte.MIN_VALUE ? 1 : v >= Short.MIN_VALUE ? 2 : v >= Integer.MIN_VALUE ? 4 : 8;
                return new NType[] {new NType(1, size), null};
            }
        }
    }

    /** np.result_type(*operands) with NumPy 1.24's value-based rules. */
    static DType resultType(Object... operands) {
        NType arrays = null;
        int arrayCategory = -1;
        int scalarCategory = -1;
        for (Object o : operands) {
            NType t = NType.of(declared(o));
            if (isScalar(o)) {
                scalarCategory = Math.max(scalarCategory, t.category());
            } else {
                arrays = arrays == null ? t : promote(arrays, t);
                arrayCategory = Math.max(arrayCategory, t.category());
            }
        }
        if (arrays == null || scalarCategory > arrayCategory) {
            NType r = null;
            for (Object o : operands) {
                NType t = NType.of(declared(o));
                r = r == null ? t : promote(r, t);
            }
            return r.toDType();
        }
        NType r = arrays;
        for (Object o : operands) {
            if (isScalar(o)) {
                NType[] m = minScalarType(o);
                NType t = m[1] != null && r.kind == 1 ? m[1] : m[0];
                r = promote(r, t);
            }
        }
        return r.toDType();
    }

    /** The float type a float-only ufunc (exp, sqrt, floor ...) computes an input of dtype d in. */
    static DType floatLoop(DType d) {
        if (d.isFloat()) {
            return d;
        }
        if (d.byteSize() == 1) {
            throw TslError.of("NotImplementedError", "not supported yet: NumPy computes this on " + d
                    + " in float16, which TSL lacks (cast to float32 first)");
        }
        return d.byteSize() == 2 ? DType.FLOAT32 : DType.FLOAT64;
    }
}
