package tsl.language.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's list: a mutable sequence. */
@com.oracle.truffle.api.library.ExportLibrary(com.oracle.truffle.api.interop.InteropLibrary.class)
public final class PyList implements TruffleObject {
    public final ArrayList<Object> items;

    public PyList() {
        this.items = new ArrayList<>();
    }

    public PyList(Collection<?> items) {
        this.items = new ArrayList<>(items);
    }

    public static PyList of(Object... xs) {
        return new PyList(List.of(xs));
    }

    public int size() {
        return items.size();
    }

    @Override
    public String toString() {
        return PyStr.repr(this);
    }

    // ---------------------------------------------------------------- interop: an array of elements

    @com.oracle.truffle.api.library.ExportMessage
    boolean hasArrayElements() {
        return true;
    }

    @com.oracle.truffle.api.library.ExportMessage
    long getArraySize() {
        return items.size();
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean isArrayElementReadable(long index) {
        return index >= 0 && index < items.size();
    }

    @com.oracle.truffle.api.library.ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    Object readArrayElement(long index) throws com.oracle.truffle.api.interop.InvalidArrayIndexException {
        if (!isArrayElementReadable(index)) {
            throw com.oracle.truffle.api.interop.InvalidArrayIndexException.create(index);
        }
        return Interop.toForeign(items.get((int) index));
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean isArrayElementModifiable(long index) {
        return isArrayElementReadable(index);
    }

    @com.oracle.truffle.api.library.ExportMessage
    boolean isArrayElementInsertable(long index) {
        return index == items.size();
    }

    @com.oracle.truffle.api.library.ExportMessage
    @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
    void writeArrayElement(long index, Object value) throws com.oracle.truffle.api.interop.InvalidArrayIndexException {
        Object v = Interop.fromForeign(value);
        if (index == items.size()) {
            items.add(v);
        } else if (isArrayElementReadable(index)) {
            items.set((int) index, v);
        } else {
            throw com.oracle.truffle.api.interop.InvalidArrayIndexException.create(index);
        }
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
