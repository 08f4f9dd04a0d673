package tsl.language.runtime;

import java.util.Arrays;
import java.util.List;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's tuple: an immutable sequence, hashable when its items are. */
@com.oracle.truffle.api.library.ExportLibrary(com.oracle.truffle.api.interop.InteropLibrary.class)
public final class PyTuple implements TruffleObject {
    public static final PyTuple EMPTY = new PyTuple(new Object[0]);

    public final Object[] items;

    public PyTuple(Object[] items) {
        this.items = items;
    }

    public static PyTuple of(Object... xs) {
        return new PyTuple(xs);
    }

    public static PyTuple of(List<?> xs) {
        return new PyTuple(xs.toArray());
    }

    public int size() {
        return items.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PyTuple t) || t.items.length != items.length) {
            return false;
        }
        for (int i = 0; i < items.length; i++) {
            if (!PyOps.eq(items[i], t.items[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 17;
        for (Object o : items) {
            h = h * 31 + PyOps.hash(o);
        }
        return h;
    }

    @Override
    public String toString() {
        return PyStr.repr(this);
    }

    public List<Object> asList() {
        return Arrays.asList(items);
    }

    // ---------------------------------------------------------------- interop: an array of elements

    @com.oracle.truffle.api.library.ExportMessage
    boolean hasArrayElements() {
        return true;
    }

    @com.oracle.truffle.api.library.ExportMessage
    long getArraySize() {
        return items.length;
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean isArrayElementReadable(long index) {
        return index >= 0 && index < items.length;
    }

    @com.oracle.truffle.api.library.ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    Object readArrayElement(long index) throws com.oracle.truffle.api.interop.InvalidArrayIndexException {
        if (!isArrayElementReadable(index)) {
            throw com.oracle.truffle.api.interop.InvalidArrayIndexException.create(index);
        }
        return Interop.toForeign(items[(int) index]);
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @com.oracle.truffle.api.library.ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return tsl.language.TslLanguage.class;
    }

    @com.oracle.truffle.api.library.ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return PyStr.repr(this);
    }
}
