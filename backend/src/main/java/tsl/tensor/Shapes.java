package tsl.tensor;

/** Shape arithmetic shared by eager NDArray code and graph-building code. */
public final class Shapes {
    private Shapes() {}

    /** Python's tuple syntax: (), (3,), (2, 3). */
    public static String format(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /**
     * The shape as NumPy's C code writes it in error messages: no spaces, "(3,)", "(2,3)", and
     * "newaxis" for a negative (unknown) length, except that leading unknown lengths are left out
     * ("cannot reshape array of size 6 into shape (4)" for reshape(-1, 4)).
     */
    public static String formatCompact(int[] shape) {
        int i = 0;
        while (i < shape.length && shape[i] < 0) {
            i++;
        }
        if (i == shape.length) {
            return "()";
        }
        StringBuilder sb = new StringBuilder("(").append(shape[i++]);
        for (; i < shape.length; i++) {
            sb.append(',').append(shape[i] < 0 ? "newaxis" : Integer.toString(shape[i]));
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** NumPy's broadcasting of two shapes; throws with NumPy's message when they do not match. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                // NumPy follows every shape with a space, the last one included
                throw new IllegalArgumentException("operands could not be broadcast together with shapes "
                        + formatCompact(a) + " " + formatCompact(b) + " ");
            }
        }
        return out;
    }

    /** Normalises a possibly negative axis; NumPy's AxisError message otherwise. */
    public static int axis(int axis, int ndim) {
        int a = axis < 0 ? axis + ndim : axis;
        if (a < 0 || a >= ndim) {
            throw new IllegalArgumentException("axis " + axis + " is out of bounds for array of dimension " + ndim);
        }
        return a;
    }
}
