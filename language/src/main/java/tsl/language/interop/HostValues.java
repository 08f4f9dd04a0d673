package tsl.language.interop;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.language.runtime.Interop;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Plain Java values (what a JSR-223 host or a polyglot Java host hands over) to TSL values and
 * back: numbers, strings, booleans, primitive arrays (nested too) ↔ NDArray, List ↔ list,
 * Map ↔ dict. Anything else has no TSL meaning and stays what it is.
 */
public final class HostValues {
    /** Marks a TSL value that has no plain-Java form (a function, a symbolic variable...). */
    public static final Object NOT_CONVERTIBLE = new Object();

    private HostValues() {}

    /** A Java value as a TSL value, or {@link #NOT_CONVERTIBLE}. */
    @TruffleBoundary
    public static Object fromJava(Object o) {
        if (o == null) {
            return PyNone.NONE;
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof String
                || o instanceof NDArray || o instanceof BigInteger) {
            return o;
        }
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof Float f) {
            return (double) f;
        }
        if (o instanceof Character) {
            return o.toString();
        }
        if (o.getClass().isArray()) {
            DType dtype = leafDType(o.getClass());
            if (dtype != null) {
                return primitiveArray(o, dtype);
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(o); i++) {
                items.add(fromJavaOrHost(Array.get(o, i)));
            }
            return new PyList(items);
        }
        if (o instanceof List<?> l) {
            List<Object> items = new ArrayList<>(l.size());
            for (Object x : l) {
                items.add(fromJavaOrHost(x));
            }
            return new PyList(items);
        }
        if (o instanceof Map<?, ?> m) {
            PyDict d = new PyDict();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                d.put(fromJavaOrHost(e.getKey()), fromJavaOrHost(e.getValue()));
            }
            return d;
        }
        return NOT_CONVERTIBLE;
    }

    /** Like {@link #fromJava}, with other Java objects kept as host objects. */
    @TruffleBoundary
    public static Object fromJavaOrHost(Object o) {
        Object v = fromJava(o);
        return v == NOT_CONVERTIBLE ? Interop.asGuestHostObject(o) : v;
    }

    /** The dtype of an (optionally nested) primitive array type, or null for other arrays. */
    private static DType leafDType(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c == double.class) {
            return DType.FLOAT64;
        }
        if (c == float.class) {
            return DType.FLOAT32;
        }
        if (c == long.class) {
            return DType.INT64;
        }
        if (c == int.class) {
            return DType.INT32;
        }
        if (c == short.class) {
            return DType.INT16;
        }
        if (c == byte.class) {
            return DType.INT8;
        }
        if (c == boolean.class) {
            return DType.BOOL;
        }
        return null;
    }

    private static NDArray primitiveArray(Object o, DType dtype) {
        List<Integer> dims = new ArrayList<>();
        Object cur = o;
        while (cur != null && cur.getClass().isArray()) {
            int n = Array.getLength(cur);
            dims.add(n);
            cur = n > 0 ? Array.get(cur, 0) : null;
        }
        int depth = 0;
        for (Class<?> c = o.getClass(); c.isArray(); c = c.getComponentType()) {
            depth++;
        }
        while (dims.size() < depth) {
            dims.add(0);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        NDArray out = NDArray.zeros(dtype, shape);
        long[] next = {0};
        fill(o, 0, shape, out, next);
        return out;
    }

    private static void fill(Object arr, int depth, int[] shape, NDArray out, long[] next) {
        int n = Array.getLength(arr);
        if (n != shape[depth]) {
            throw TslError.of("ValueError", "setting an array element with a sequence. The requested array has an inhomogeneous shape");
        }
        if (depth == shape.length - 1) {
            for (int i = 0; i < n; i++) {
                Object x = Array.get(arr, i);
                long at = next[0]++;
                if (x instanceof Boolean b) {
                    out.setLong(at, b ? 1 : 0);
                } else if (x instanceof Double || x instanceof Float) {
                    out.setDouble(at, ((Number) x).doubleValue());
                } else {
                    out.setLong(at, ((Number) x).longValue());
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            fill(Array.get(arr, i), depth + 1, shape, out, next);
        }
    }

    /** A TSL value as a plain Java value, or {@link #NOT_CONVERTIBLE}. Arrays stay NDArrays. */
    @TruffleBoundary
    public static Object toJava(Object o) {
        if (o == PyNone.NONE) {
            return null;
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof String
                || o instanceof BigInteger || o instanceof NDArray) {
            return o;
        }
        if (o instanceof NDArrayView v) {
            return v.array();
        }
        if (o instanceof NpScalar s) {
            NDArray a = s.array();
            return a.dtype().isBool() ? (Object) (a.getLong(0) != 0) : a.dtype().isFloat() ? (Object) a.getDouble(0) : (Object) a.getLong(0);
        }
        if (o instanceof PyList || o instanceof PyTuple) {
            List<Object> items = o instanceof PyList l ? l.items : List.of(((PyTuple) o).items);
            List<Object> out = new ArrayList<>(items.size());
            for (Object x : items) {
                Object j = toJava(x);
                if (j == NOT_CONVERTIBLE) {
                    return NOT_CONVERTIBLE;
                }
                out.add(j);
            }
            return out;
        }
        if (o instanceof PyDict d) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<PyDict.Key, Object> e : d.entries()) {
                Object k = toJava(e.getKey().value());
                Object v = toJava(e.getValue());
                if (k == NOT_CONVERTIBLE || v == NOT_CONVERTIBLE) {
                    return NOT_CONVERTIBLE;
                }
                out.put(k, v);
            }
            return out;
        }
        Object host = Interop.hostObject(o);
        return host != null ? host : NOT_CONVERTIBLE;
    }
}
