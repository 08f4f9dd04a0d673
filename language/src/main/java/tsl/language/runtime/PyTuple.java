package tsl.language.runtime;

import java.util.Arrays;
import java.util.List;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's tuple: an immutable sequence, hashable when its items are. */
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
}
