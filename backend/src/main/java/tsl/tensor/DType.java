package tsl.tensor;

import java.lang.foreign.ValueLayout;
import java.util.Locale;

/** The element types of NDArrays and tensor variables, with NumPy's names. */
public enum DType {
    BOOL("bool", 1, Kind.BOOL, ValueLayout.JAVA_BYTE),
    INT8("int8", 1, Kind.INT, ValueLayout.JAVA_BYTE),
    UINT8("uint8", 1, Kind.UINT, ValueLayout.JAVA_BYTE),
    INT16("int16", 2, Kind.INT, ValueLayout.JAVA_SHORT_UNALIGNED),
    INT32("int32", 4, Kind.INT, ValueLayout.JAVA_INT_UNALIGNED),
    INT64("int64", 8, Kind.INT, ValueLayout.JAVA_LONG_UNALIGNED),
    FLOAT32("float32", 4, Kind.FLOAT, ValueLayout.JAVA_FLOAT_UNALIGNED),
    FLOAT64("float64", 8, Kind.FLOAT, ValueLayout.JAVA_DOUBLE_UNALIGNED);

    public enum Kind { BOOL, UINT, INT, FLOAT }

    private final String numpyName;
    private final int byteSize;
    private final Kind kind;
    private final ValueLayout layout;

    DType(String numpyName, int byteSize, Kind kind, ValueLayout layout) {
        this.numpyName = numpyName;
        this.byteSize = byteSize;
        this.kind = kind;
        this.layout = layout;
    }

    public String numpyName() { return numpyName; }
    public int byteSize() { return byteSize; }
    public Kind kind() { return kind; }
    public ValueLayout layout() { return layout; }
    public boolean isFloat() { return kind == Kind.FLOAT; }
    public boolean isBool() { return kind == Kind.BOOL; }
    /** Signed or unsigned integer (not bool). */
    public boolean isInteger() { return kind == Kind.INT || kind == Kind.UINT; }
    /** Integer or bool: values that are whole numbers. */
    public boolean isDiscrete() { return kind != Kind.FLOAT; }

    @Override
    public String toString() { return numpyName; }

    /** Looks a dtype up by NumPy name or an alias ("float", "int", "bool_", "floatX" is resolved by the caller). */
    public static DType fromName(String name) {
        DType d = lookup(name);
        if (d == null) {
            throw new IllegalArgumentException("data type '" + name + "' not understood");
        }
        return d;
    }

    public static DType lookup(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "bool", "bool_", "bool8", "?" -> BOOL;
            case "int8", "byte", "b", "i1" -> INT8;
            case "uint8", "ubyte", "u1" -> UINT8;
            case "int16", "short", "i2" -> INT16;
            case "int32", "intc", "i4" -> INT32;
            case "int64", "int", "long", "int_", "intp", "i8", "l" -> INT64;
            case "float32", "single", "f4", "f" -> FLOAT32;
            case "float64", "float", "double", "float_", "f8", "d" -> FLOAT64;
            default -> null;
        };
    }

    /** NumPy's type promotion (np.promote_types) for the dtypes TSL has. */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.kind == Kind.BOOL) {
            return b;
        }
        if (b.kind == Kind.BOOL) {
            return a;
        }
        if (a.isFloat() || b.isFloat()) {
            if (a.isFloat() && b.isFloat()) {
                return a.byteSize >= b.byteSize ? a : b;
            }
            DType f = a.isFloat() ? a : b;
            DType i = a.isFloat() ? b : a;
            // float32 holds int8/uint8/int16 exactly; wider integers need float64
            return (f == FLOAT32 && i.byteSize <= 2) ? FLOAT32 : FLOAT64;
        }
        if (a.kind == b.kind) {
            return a.byteSize >= b.byteSize ? a : b;
        }
        DType s = a.kind == Kind.INT ? a : b;
        DType u = a.kind == Kind.UINT ? a : b;
        if (s.byteSize > u.byteSize) {
            return s;
        }
        return switch (u.byteSize) {
            case 1 -> INT16;
            case 2 -> INT32;
            default -> INT64;
        };
    }

    /** The smallest signed integer dtype that holds v (Theano's autocasting of int literals). */
    public static DType smallestIntFor(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return INT8;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return INT16;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return INT32;
        return INT64;
    }

    /** Whether every value of {@code from} is exactly representable in this dtype (NumPy's can_cast 'safe'). */
    public boolean canHoldAllOf(DType from) {
        return promote(this, from) == this;
    }
}
