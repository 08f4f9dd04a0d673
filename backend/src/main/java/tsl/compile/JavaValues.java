package tsl.compile;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.TslException;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Converts Java values (numbers, booleans, nested lists and arrays) to NDArrays the way
 * numpy.asarray does: bools stay bool, ints become int64, anything with a float float64.
 */
public final class JavaValues {
    private JavaValues() {}

    public static NDArray asArray(Object value) {
        if (value instanceof NDArray a) {
            return a;
        }
        List<Integer> shape = new ArrayList<>();
        shapeOf(value, shape);
        int[] s = shape.stream().mapToInt(Integer::intValue).toArray();
        List<Object> flat = new ArrayList<>();
        flatten(value, 0, s, flat);
        DType dtype = DType.BOOL;
        for (Object o : flat) {
            dtype = DType.promote(dtype, dtypeOf(o));
        }
        if (flat.isEmpty()) {
            dtype = DType.FLOAT64;
        }
        NDArray out = NDArray.zeros(dtype, s);
        for (int i = 0; i < flat.size(); i++) {
            Object o = flat.get(i);
            if (o instanceof NDArray a) {
                o = a.dtype().isFloat() ? (Object) a.getDouble(0) : (Object) a.getLong(0);
            }
            if (o instanceof Boolean b) {
                out.setLong(i, b ? 1 : 0);
            } else if (o instanceof Double || o instanceof Float) {
                out.setDouble(i, ((Number) o).doubleValue());
            } else {
                out.setLong(i, ((Number) o).longValue());
            }
        }
        return out;
    }

    private static DType dtypeOf(Object o) {
        if (o instanceof Boolean) {
            return DType.BOOL;
        }
        if (o instanceof Double || o instanceof Float) {
            return DType.FLOAT64;
        }
        if (o instanceof NDArray a) {
            return a.dtype();
        }
        if (o instanceof Number) {
            return DType.INT64;
        }
        throw TslException.typeError("cannot convert a value of type " + o.getClass().getSimpleName() + " to an array");
    }

    private static List<?> asList(Object value) {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof Object[] arr) {
            return java.util.Arrays.asList(arr);
        }
        if (value instanceof double[] d) {
            List<Object> l = new ArrayList<>();
            for (double x : d) {
                l.add(x);
            }
            return l;
        }
        if (value instanceof float[] d) {
            List<Object> l = new ArrayList<>();
            for (float x : d) {
                l.add((double) x);
            }
            return l;
        }
        if (value instanceof int[] d) {
            List<Object> l = new ArrayList<>();
            for (int x : d) {
                l.add((long) x);
            }
            return l;
        }
        if (value instanceof long[] d) {
            List<Object> l = new ArrayList<>();
            for (long x : d) {
                l.add(x);
            }
            return l;
        }
        return null;
    }

    private static void shapeOf(Object value, List<Integer> shape) {
        List<?> l = asList(value);
        if (l == null) {
            if (value instanceof NDArray a) {
                for (int d : a.shape()) {
                    shape.add(d);
                }
            }
            return;
        }
        shape.add(l.size());
        if (!l.isEmpty()) {
            shapeOf(l.get(0), shape);
        }
    }

    private static void flatten(Object value, int depth, int[] shape, List<Object> out) {
        if (depth == shape.length) {
            if (asList(value) != null) {
                throw TslException.valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape");
            }
            if (value instanceof NDArray a && a.ndim() > 0) {
                for (long i = 0; i < a.size(); i++) {
                    out.add(a.dtype().isFloat() ? (Object) a.getDouble(i) : (Object) a.getLong(i));
                }
                return;
            }
            out.add(value);
            return;
        }
        List<?> l = asList(value);
        if (l == null || l.size() != shape[depth]) {
            if (value instanceof NDArray a && a.ndim() == shape.length - depth) {
                for (long i = 0; i < a.size(); i++) {
                    out.add(a.dtype().isFloat() ? (Object) a.getDouble(i) : (Object) a.getLong(i));
                }
                return;
            }
            throw TslException.valueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after "
                    + depth + " dimensions.");
        }
        for (Object o : l) {
            flatten(o, depth + 1, shape, out);
        }
    }
}
