package tsl.language.runtime;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;

import tsl.compile.JavaValues;
import tsl.graph.TslException;
import tsl.tensor.NDArray;

/** Conversions at the edges: backend errors to Python exceptions, Python sequences to arrays, foreign values in. */
public final class Interop {
    private Interop() {}

    /** A backend error as the Python exception a user can catch by class. */
    @TruffleBoundary
    public static TslError toError(TslException e) {
        TslError err = TslError.of(e.pythonType(), e.getMessage());
        if (e.location() != null) {
            err.setLocationText(e.location().prefix());
        }
        return err;
    }

    /** numpy.asarray for Python values: nested lists/tuples of numbers, NDArrays, numpy scalars. */
    @TruffleBoundary
    public static NDArray toArray(Object o) {
        try {
            return JavaValues.asArray(toJava(o));
        } catch (TslException e) {
            throw toError(e);
        }
    }

    /** Python containers as Java lists of Long/Double/Boolean/NDArray (for backend conversion). */
    @TruffleBoundary
    public static Object toJava(Object o) {
        if (o instanceof PyList || o instanceof PyTuple) {
            List<Object> out = new ArrayList<>();
            for (Object x : PyOps.toList(o)) {
                out.add(toJava(x));
            }
            return out;
        }
        if (o instanceof NpScalar s) {
            return s.array();
        }
        if (o instanceof java.math.BigInteger) {
            throw TslError.of("OverflowError", "Python int too large to convert to C long");
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof NDArray) {
            return o;
        }
        throw TslError.of("TypeError", "cannot convert a value of type '" + PyOps.typeName(o) + "' to an array");
    }

    /** A TSL value as a valid interop value for another language or the host. */
    @TruffleBoundary
    public static Object toForeign(Object o) {
        if (o instanceof NDArray a) {
            return new tsl.language.interop.NDArrayView(a);
        }
        if (o instanceof NpScalar s) {
            return tsl.language.interop.HostValues.toJava(s);
        }
        if (o instanceof java.math.BigInteger) {
            throw TslError.of("OverflowError", "int too large to pass to another language: " + o);
        }
        if (o == null) {
            return PyNone.NONE;
        }
        if (o instanceof com.oracle.truffle.api.interop.TruffleObject || o instanceof Long || o instanceof Double
                || o instanceof Boolean || o instanceof String || o instanceof Integer) {
            return o;
        }
        // a backend object with no interop view of its own (a symbolic Variable...): opaque to others
        return asGuestHostObject(o);
    }

    /** A Java object as a host object value (usable by other languages only as far as the host allows). */
    @TruffleBoundary
    public static Object asGuestHostObject(Object o) {
        return tsl.language.TslContext.get(null).env().asGuestValue(o);
    }

    /** The Java object behind a host object value, or null when {@code o} is not one. */
    @TruffleBoundary
    public static Object hostObject(Object o) {
        if (!(o instanceof com.oracle.truffle.api.interop.TruffleObject)) {
            return null;
        }
        com.oracle.truffle.api.TruffleLanguage.Env env = tsl.language.TslContext.get(null).env();
        return env.isHostObject(o) ? env.asHostObject(o) : null;
    }

    /** Values from other languages (polyglot) as TSL values. */
    @TruffleBoundary
    public static Object fromForeign(Object o) {
        if (o instanceof tsl.language.interop.NDArrayView v) {
            return v.array();
        }
        Object host = hostObject(o);
        if (host != null) {
            Object v = tsl.language.interop.HostValues.fromJava(host);
            if (v != tsl.language.interop.HostValues.NOT_CONVERTIBLE) {
                return v;
            }
            // TSL's own backend objects (a Variable handed out earlier) come back as themselves
            return host.getClass().getName().startsWith("tsl.") ? host : o;
        }
        if (o instanceof Integer i) {
            return (long) i;
        }
        if (o instanceof Short s) {
            return (long) s;
        }
        if (o instanceof Byte b) {
            return (long) b;
        }
        if (o instanceof Float f) {
            return (double) f;
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof String) {
            return o;
        }
        InteropLibrary lib = InteropLibrary.getUncached();
        try {
            if (lib.isNull(o)) {
                return PyNone.NONE;
            }
            if (lib.isString(o)) {
                return lib.asString(o);
            }
            if (lib.isBoolean(o)) {
                return lib.asBoolean(o);
            }
            if (lib.isNumber(o)) {
                if (lib.fitsInLong(o)) {
                    return lib.asLong(o);
                }
                return lib.asDouble(o);
            }
            if (lib.hasArrayElements(o) && !(o instanceof PyList) && !(o instanceof PyTuple)) {
                long n = lib.getArraySize(o);
                List<Object> items = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    items.add(fromForeign(lib.readArrayElement(o, i)));
                }
                return new PyList(items);
            }
        } catch (UnsupportedMessageException | com.oracle.truffle.api.interop.InvalidArrayIndexException e) {
            return o;
        }
        return o;
    }

    public static Object[] fromForeignAll(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = fromForeign(args[i]);
        }
        return out;
    }
}
