package tsl.language.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's list: a mutable sequence. */
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
}
