package tsl.tensor;

import java.lang.foreign.Arena;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a dtype, a shape, strides (in elements) and an offset over a
 * {@link MemorySegment}, so that native and CUDA code can read it without copies.
 * Views (transpose, slices, broadcasts) share the segment; {@link #copy()} makes a
 * C-contiguous array. Element access by C-order linear index is the common currency of the
 * reference (jvm) implementations.
 */
public final class NDArray {
    private final DType dtype;
    private final int[] shape;
    private final long[] strides;
    private final long offset;
    private final long size;
    private final MemorySegment data;
    private final boolean contiguous;

    public NDArray(DType dtype, int[] shape, long[] strides, long offset, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.data = data;
        this.size = sizeOf(shape);
        this.contiguous = size <= 1 || Arrays.equals(strides, contiguousStrides(shape));
    }

    // ------------------------------------------------------------------ creation

    public static NDArray zeros(DType dtype, int... shape) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        long bytes = allocationBytes(dtype, dims);
        MemorySegment seg;
        try {
            long n = Math.max(bytes, dtype.byteSize());
            // scalars and tiny arrays share chunks: an arena each costs microseconds
            seg = n <= SmallAllocations.MAX_BYTES ? SmallAllocations.allocate(n) : Arena.ofAuto().allocate(n, 16);
        } catch (OutOfMemoryError e) {
            throw cannotAllocate(dtype, dims, bytes);
        }
        if (shape.length == 0) {
            return new NDArray(dtype, NO_DIMS, NO_STRIDES, 0, seg);   // a scalar: nothing to copy, and shape()/strides() hand out copies
        }
        return new NDArray(dtype, shape.clone(), contiguousStrides(shape), 0, seg);
    }

    private static final int[] NO_DIMS = {};
    private static final long[] NO_STRIDES = {};

    /**
     * A shape from numbers a user computed (arange, alloc, eye): IllegalArgumentException for
     * a negative dimension or a byte count past 2^63 (NumPy's ValueError) and {@link ArrayMemoryError} for an array too large to allocate,
     * never a wrapped-around int.
     */
    public static int[] shapeOf(DType dtype, long... dims) {
        allocationBytes(dtype, dims);
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    private static long allocationBytes(DType dtype, long[] dims) {
        long n = 1;
        boolean overflow = false;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimensions are not allowed");
            }
            if (d > Integer.MAX_VALUE) {
                overflow = true;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                overflow = true;
            }
        }
        if (overflow) {
            throw cannotAllocate(dtype, dims, -1);
        }
        try {
            return Math.multiplyExact(n, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw cannotAllocate(dtype, dims, -1);
        }
    }

    /** NumPy's message: "Unable to allocate 7.28 TiB for an array with shape (1000000000000,) and data type float64". */
    private static RuntimeException cannotAllocate(DType dtype, long[] dims, long bytes) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            shape.append(i > 0 ? ", " : "").append(dims[i]);
        }
        shape.append(dims.length == 1 ? ",)" : ")");
        double total = 1;
        for (long d : dims) {
            total *= d;
        }
        total *= dtype.byteSize();
        if (bytes < 0 && total >= 0x1p63) {
            // NumPy refuses this size before trying to allocate: a ValueError, not a MemoryError
            return new IllegalArgumentException("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum"
                    + " possible size.");
        }
        return new ArrayMemoryError("Unable to allocate " + byteString(total) + " for an array with shape " + shape
                + " and data type " + dtype);
    }

    /** Bytes as NumPy's MemoryError writes them: "5 bytes", "1.50 KiB", "16.0 GiB", "512. GiB", "1000. MiB". */
    static String byteString(double bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int unit = Math.min(Math.max(Math.getExponent(Math.max(bytes, 1)), 1) / 10, units.length - 1);
        if (unit == 0) {
            return (long) bytes + " bytes";
        }
        double value = bytes / Math.pow(1024, unit);
        if (Math.rint(value) == 1024 && unit < units.length - 1) {
            unit++;
            value /= 1024;
        }
        java.math.BigDecimal v = new java.math.BigDecimal(value);
        if (Math.rint(value) >= 1000) {
            // all the digits, with Python's '#' point
            return v.setScale(0, java.math.RoundingMode.HALF_EVEN).toPlainString() + ". " + units[unit];
        }
        // three significant digits, trailing zeros kept (Python's '{:#.3g}')
        v = v.round(new java.math.MathContext(3, java.math.RoundingMode.HALF_EVEN));
        int scale = Math.max(0, 3 - (v.precision() - v.scale()));
        String text = v.setScale(scale, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return (scale == 0 ? text + "." : text) + " " + units[unit];
    }

    public static NDArray fromDoubles(DType dtype, int[] shape, double[] values) {
        checkCount(values.length, shape);
        NDArray a = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            a.writeDouble(i, values[i]);
        }
        return a;
    }

    public static NDArray fromLongs(DType dtype, int[] shape, long[] values) {
        checkCount(values.length, shape);
        NDArray a = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            a.writeLong(i, values[i]);
        }
        return a;
    }

    /** A bool array of the given shape, values in C order. */
    public static NDArray fromBooleans(int[] shape, boolean... values) {
        checkCount(values.length, shape);
        NDArray a = zeros(DType.BOOL, shape);
        for (int i = 0; i < values.length; i++) {
            a.writeLong(i, values[i] ? 1 : 0);
        }
        return a;
    }

    /** The values fill the shape exactly; NumPy's reshape message otherwise (np.array(values).reshape(shape)). */
    private static void checkCount(int count, int[] shape) {
        if (count != sizeOf(shape)) {
            throw new IllegalArgumentException("cannot reshape array of size " + count + " into shape "
                    + Shapes.formatCompact(shape));
        }
    }

    public static NDArray of(double... values) {
        return fromDoubles(DType.FLOAT64, new int[] {values.length}, values);
    }

    public static NDArray scalar(double v, DType dtype) {
        NDArray a = zeros(dtype);
        a.setDouble(0, v);
        return a;
    }

    public static NDArray scalar(long v, DType dtype) {
        NDArray a = zeros(dtype);
        a.setLong(0, v);
        return a;
    }

    public static NDArray scalar(boolean v) {
        return scalar(v ? 1L : 0L, DType.BOOL);
    }

    // ------------------------------------------------------------------ properties

    public DType dtype() { return dtype; }
    public int ndim() { return shape.length; }
    public int[] shape() { return shape.clone(); }
    public int dim(int axis) { return shape[axis]; }
    public long[] strides() { return strides.clone(); }
    /** The stride of one axis, in elements (no copy of the strides array). */
    public long stride(int axis) { return strides[axis]; }
    public long offset() { return offset; }
    public long size() { return size; }
    public MemorySegment segment() { return data; }
    public boolean isContiguous() { return contiguous; }

    public static long sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public static long[] contiguousStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    // ------------------------------------------------------------------ element access

    /** Physical element index of the element at C-order position {@code linear}. */
    private long physical(long linear) {
        if (contiguous) {
            return offset + linear;
        }
        long p = offset;
        for (int ax = shape.length - 1; ax >= 0; ax--) {
            int d = shape[ax];
            p += (linear % d) * strides[ax];
            linear /= d;
        }
        return p;
    }

    private double readDouble(long p) {
        return switch (dtype) {
            case BOOL, INT8 -> data.get(ValueLayout.JAVA_BYTE, p);
            case UINT8 -> data.get(ValueLayout.JAVA_BYTE, p) & 0xff;
            case INT16 -> data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, p);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, p);
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, p);
            case FLOAT32 -> data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, p);
            case FLOAT64 -> data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, p);
        };
    }

    private long readLong(long p) {
        return switch (dtype) {
            case BOOL, INT8 -> data.get(ValueLayout.JAVA_BYTE, p);
            case UINT8 -> data.get(ValueLayout.JAVA_BYTE, p) & 0xff;
            case INT16 -> data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, p);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, p);
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, p);
            case FLOAT32 -> (long) data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, p);
            case FLOAT64 -> (long) data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, p);
        };
    }

    private void writeDouble(long p, double v) {
        switch (dtype) {
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, p, (byte) (v != 0 ? 1 : 0));
            case INT8, UINT8 -> data.set(ValueLayout.JAVA_BYTE, p, (byte) (long) v);
            case INT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, p, (short) (long) v);
            case INT32 -> data.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, p, (int) (long) v);
            case INT64 -> data.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, p, (long) v);
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, p, (float) v);
            case FLOAT64 -> data.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, p, v);
        }
    }

    private void writeLong(long p, long v) {
        switch (dtype) {
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, p, (byte) (v != 0 ? 1 : 0));
            case INT8, UINT8 -> data.set(ValueLayout.JAVA_BYTE, p, (byte) v);
            case INT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, p, (short) v);
            case INT32 -> data.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, p, (int) v);
            case INT64 -> data.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, p, v);
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, p, (float) v);
            case FLOAT64 -> data.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, p, (double) v);
        }
    }

    /** The element at C-order position {@code linear}, as a double. */
    public double getDouble(long linear) { return readDouble(physical(linear)); }
    public long getLong(long linear) { return readLong(physical(linear)); }
    public boolean getBoolean(long linear) { return readDouble(physical(linear)) != 0; }
    public void setDouble(long linear, double v) { writeDouble(physical(linear), v); }
    public void setLong(long linear, long v) { writeLong(physical(linear), v); }

    /** Element at a multi-index (no bounds checks beyond the segment's). */
    public double getDouble(int... index) {
        long p = offset;
        for (int i = 0; i < index.length; i++) {
            p += index[i] * strides[i];
        }
        return readDouble(p);
    }

    /** The single value of a 0-d or one-element array. */
    public double item() {
        if (size != 1) {
            throw new IllegalArgumentException("can only convert an array of size 1 to a Python scalar");
        }
        return getDouble(0);
    }

    public long itemLong() {
        if (size != 1) {
            throw new IllegalArgumentException("can only convert an array of size 1 to a Python scalar");
        }
        return getLong(0);
    }

    public double[] toDoubleArray() {
        double[] out = new double[(int) size];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[(int) size];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    // ------------------------------------------------------------------ conversions and views

    /** A C-contiguous copy. */
    public NDArray copy() {
        return astype(dtype);
    }

    /** A contiguous copy converted to {@code target} (C casting: floats truncate toward zero). */
    public NDArray astype(DType target) {
        NDArray out = zeros(target, shape);
        if (target.isFloat() || (dtype.isFloat() && target.isBool())) {
            for (long i = 0; i < size; i++) {
                out.writeDouble(i, getDouble(i));
            }
        } else {
            for (long i = 0; i < size; i++) {
                out.writeLong(i, getLong(i));
            }
        }
        return out;
    }

    /** This array if it is already contiguous, else a contiguous copy. */
    public NDArray contiguous() {
        return contiguous && offset == 0 ? this : copy();
    }

    /** Reshape, with at most one -1; a view when the array is contiguous. */
    public NDArray reshape(int... newShape) {
        int[] resolved = resolveShape(newShape, size);
        NDArray base = contiguous ? this : copy();
        return new NDArray(dtype, resolved, contiguousStrides(resolved), base.offset, base.data);
    }

    /**
     * Resolves the one unknown length in {@code newShape} against {@code size}; NumPy's errors
     * otherwise. Like NumPy, any negative length (not only -1) means "unknown".
     */
    public static int[] resolveShape(int[] newShape, long size) {
        int[] s = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("can only specify one unknown dimension");
                }
                unknown = i;
            } else {
                known *= s[i];
            }
        }
        boolean fits = unknown >= 0 ? known != 0 && size % known == 0 : known == size;
        if (!fits) {
            throw new IllegalArgumentException("cannot reshape array of size " + size + " into shape "
                    + Shapes.formatCompact(newShape));
        }
        if (unknown >= 0) {
            s[unknown] = (int) (size / known);
        }
        return s;
    }

    /** A view with the axes permuted; no argument reverses them. */
    public NDArray transpose(int... axes) {
        int n = shape.length;
        if (axes.length == 0) {
            axes = new int[n];
            for (int i = 0; i < n; i++) {
                axes[i] = n - 1 - i;
            }
        }
        if (axes.length != n) {
            throw new IllegalArgumentException("axes don't match array");
        }
        int[] s = new int[n];
        long[] st = new long[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int ax = Shapes.axis(axes[i], n);
            if (seen[ax]) {
                throw new IllegalArgumentException("repeated axis in transpose");
            }
            seen[ax] = true;
            s[i] = shape[ax];
            st[i] = strides[ax];
        }
        return new NDArray(dtype, s, st, offset, data);
    }

    /** A read-only-in-spirit view broadcast to {@code target} (stride 0 on broadcast axes). */
    public NDArray broadcastTo(int[] target) {
        if (Arrays.equals(target, shape)) {
            return this;
        }
        int n = target.length;
        int k = shape.length;
        if (k > n) {
            throw new IllegalArgumentException("input operand has more dimensions than allowed by the axis remapping");
        }
        long[] st = new long[n];
        for (int i = 0; i < n; i++) {
            int j = i - (n - k);
            if (j < 0) {
                st[i] = 0;
            } else if (shape[j] == target[i]) {
                st[i] = shape[j] == 1 ? 0 : strides[j];
            } else if (shape[j] == 1) {
                st[i] = 0;
            } else {
                // NumPy's nditer message, double space included
                throw new IllegalArgumentException("operands could not be broadcast together with remapped shapes"
                        + " [original->remapped]: " + Shapes.formatCompact(shape) + "  and requested shape "
                        + Shapes.formatCompact(target));
            }
        }
        return new NDArray(dtype, target.clone(), st, offset, data);
    }

    /** The sub-array at index {@code i} along axis 0 (a view). */
    public NDArray get(int i) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("too many indices for array: array is 0-dimensional");
        }
        int n = shape[0];
        int j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) {
            throw new IndexOutOfBoundsException("index " + i + " is out of bounds for axis 0 with size " + n);
        }
        return new NDArray(dtype, Arrays.copyOfRange(shape, 1, shape.length),
                Arrays.copyOfRange(strides, 1, strides.length), offset + j * strides[0], data);
    }

    /**
     * Python's slice.indices: {start, length, step} for {@code [start:stop:step]} over
     * {@code length} elements, ready for {@link #slice(int, int, int, int)}. Nulls are the
     * omitted parts; out-of-range bounds clip as Python's do.
     */
    public static int[] normalizeSlice(Integer start, Integer stop, Integer step, int length) {
        int st = step == null ? 1 : step;
        if (st == 0) {
            throw new IllegalArgumentException("slice step cannot be zero");
        }
        // a negative step walks from upper down to lower, where -1 means "before element 0"
        int lower = st > 0 ? 0 : -1;
        int upper = st > 0 ? length : length - 1;
        int from = start == null ? (st > 0 ? lower : upper) : clip(start, length, lower, upper);
        int to = stop == null ? (st > 0 ? upper : lower) : clip(stop, length, lower, upper);
        int count;
        if (st > 0) {
            count = to > from ? (int) (((long) to - from - 1) / st + 1) : 0;
        } else {
            count = from > to ? (int) (((long) from - to - 1) / -(long) st + 1) : 0;
        }
        return new int[] {from, count, st};
    }

    private static int clip(int index, int length, int lower, int upper) {
        long i = index < 0 ? (long) index + length : index;
        return (int) Math.max(lower, Math.min(upper, i));
    }

    /** A view of Python's {@code [start:stop:step]} along {@code axis} (nulls for omitted parts). */
    public NDArray sliceRange(int axis, Integer start, Integer stop, Integer step) {
        int ax = Shapes.axis(axis, shape.length);
        int[] s = normalizeSlice(start, stop, step, shape[ax]);
        return slice(ax, s[0], s[1], s[2]);
    }

    /** A view of {@code start:stop:step} along {@code axis}; bounds already normalised by the caller. */
    public NDArray slice(int axis, int start, int length, int step) {
        int[] s = shape.clone();
        long[] st = strides.clone();
        s[axis] = length;
        st[axis] = strides[axis] * step;
        long off = length == 0 ? offset : offset + start * strides[axis];
        return new NDArray(dtype, s, st, off, data);
    }

    /** A view with a new axis of length 1 inserted at {@code axis} (negative counts from the end of the result). */
    public NDArray expandDims(int axis) {
        int n = shape.length + 1;
        axis = Shapes.axis(axis, n);
        int[] s = new int[n];
        long[] st = new long[n];
        for (int i = 0, j = 0; i < n; i++) {
            if (i == axis) {
                s[i] = 1;
                st[i] = 0;
            } else {
                s[i] = shape[j];
                st[i] = strides[j];
                j++;
            }
        }
        return new NDArray(dtype, s, st, offset, data);
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this array. */
    public void assign(NDArray src) {
        NDArray b;
        try {
            b = src.broadcastTo(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("could not broadcast input array from shape "
                    + Shapes.formatCompact(src.shape) + " into shape " + Shapes.formatCompact(shape));
        }
        if (src.data == data) {
            // a[:] = a[::-1] must read every source element before any is overwritten
            b = b.copy();
        }
        // size > 0: an empty view may sit at an offset past its segment's end, which a block copy rejects
        if (size > 0 && b.dtype == dtype && !dtype.isBool() && contiguous && b.contiguous && b.data != data && Arrays.equals(b.shape, shape)) {
            // same layout on both sides: one block copy (a Join of a scan's history was an element loop here)
            long item = dtype.byteSize();
            MemorySegment.copy(b.data, b.offset * item, data, offset * item, size * item);
            return;
        }
        for (long i = 0; i < size; i++) {
            if (dtype.isFloat()) {
                setDouble(i, b.getDouble(i));
            } else if (dtype.isBool()) {
                setLong(i, b.getBoolean(i) ? 1 : 0);
            } else {
                // getLong truncates floats toward zero, as NumPy's unsafe cast does
                setLong(i, b.getLong(i));
            }
        }
    }

    /** Same dtype, shape and elements (NaN equals NaN). */
    public boolean sameAs(NDArray o) {
        if (o.dtype != dtype || !Arrays.equals(o.shape, shape)) {
            return false;
        }
        for (long i = 0; i < size; i++) {
            double x = getDouble(i);
            double y = o.getDouble(i);
            if (!(x == y || (Double.isNaN(x) && Double.isNaN(y)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * NumPy's allclose: every pair (broadcast together) has |a - b| <= atol + rtol * |b|;
     * infinities must be equal and NaN is never close. Computed in float64.
     */
    public static boolean allClose(NDArray a, NDArray b, double rtol, double atol) {
        int[] s = Shapes.broadcast(a.shape, b.shape);
        NDArray x = a.broadcastTo(s);
        NDArray y = b.broadcastTo(s);
        for (long i = 0; i < x.size; i++) {
            double u = x.getDouble(i);
            double v = y.getDouble(i);
            boolean close = Double.isFinite(u) && Double.isFinite(v)
                    ? Math.abs(u - v) <= atol + rtol * Math.abs(v)
                    : u == v;
            if (!close) {
                return false;
            }
        }
        return true;
    }

    /**
     * NumPy's tolist(): nested {@link List}s of Double (float dtypes), Long (integers) or
     * Boolean; a 0-d array gives the bare element, as in NumPy.
     */
    public Object toNestedList() {
        return nested(0, offset);
    }

    private Object nested(int axis, long position) {
        if (axis == shape.length) {
            return switch (dtype.kind()) {
                case BOOL -> readLong(position) != 0;
                case INT, UINT -> readLong(position);
                case FLOAT -> readDouble(position);
            };
        }
        List<Object> out = new ArrayList<>(shape[axis]);
        for (int i = 0; i < shape[axis]; i++) {
            out.add(nested(axis + 1, position + i * strides[axis]));
        }
        return out;
    }

    @Override
    public String toString() {
        return NumpyFormat.str(this);
    }

    public String repr() {
        return NumpyFormat.repr(this);
    }
}
