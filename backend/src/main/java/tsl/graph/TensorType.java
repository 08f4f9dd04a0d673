package tsl.graph;

import java.util.Arrays;

import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * The type of a tensor variable: a dtype and a static shape, one entry per dimension that is
 * either a known length or {@link #UNKNOWN}. Theano's {@code broadcastable} pattern is derived:
 * a dimension is broadcastable when it is known to be 1.
 */
public final class TensorType {
    public static final int UNKNOWN = -1;

    private final DType dtype;
    private final int[] shape;

    public TensorType(DType dtype, int... shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    public static TensorType ofNdim(DType dtype, int ndim) {
        int[] s = new int[ndim];
        Arrays.fill(s, UNKNOWN);
        return new TensorType(dtype, s);
    }

    public static TensorType fromBroadcastable(DType dtype, boolean[] broadcastable) {
        int[] s = new int[broadcastable.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = broadcastable[i] ? 1 : UNKNOWN;
        }
        return new TensorType(dtype, s);
    }

    public DType dtype() { return dtype; }
    public int ndim() { return shape.length; }
    public int[] shape() { return shape.clone(); }
    public int dim(int i) { return shape[i]; }

    public boolean[] broadcastable() {
        boolean[] b = new boolean[shape.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = shape[i] == 1;
        }
        return b;
    }

    public TensorType withDtype(DType d) {
        return new TensorType(d, shape);
    }

    public TensorType withShape(int... s) {
        return new TensorType(dtype, s);
    }

    /** Whether a value of this type may stand where {@code other} is expected (same dtype, compatible shape). */
    public boolean isCompatible(TensorType other) {
        if (dtype != other.dtype || shape.length != other.shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != UNKNOWN && other.shape[i] != UNKNOWN && shape[i] != other.shape[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} has this dtype and fits the static shape. */
    public boolean accepts(NDArray value) {
        return value.dtype() == dtype && fitsShape(value.shape());
    }

    public boolean fitsShape(int[] s) {
        if (s.length != shape.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (shape[i] != UNKNOWN && shape[i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    /** Theano's short name for the rank: scalar, vector, matrix, row, col, tensor3... */
    public String kindName() {
        boolean[] b = broadcastable();
        return switch (b.length) {
            case 0 -> "scalar";
            case 1 -> b[0] ? "(True,)" : "vector";
            case 2 -> b[0] && !b[1] ? "row" : (!b[0] && b[1] ? "col" : (!b[0] ? "matrix" : "(True, True)"));
            default -> {
                boolean any = false;
                for (boolean x : b) {
                    any |= x;
                }
                yield any ? Arrays.toString(b).replace("true", "True").replace("false", "False").replace('[', '(').replace(']', ')')
                        : "tensor" + b.length;
            }
        };
    }

    /** The static shape as Python would print it, with None for unknown lengths. */
    public String shapeString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] == UNKNOWN ? "?" : Integer.toString(shape[i]));
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TensorType(" + dtype + ", " + shapeString() + ")";
    }

    static String formatShape(int[] s) {
        return Shapes.format(s);
    }
}
