package tsl.language.runtime;

import java.util.LinkedHashSet;

import com.oracle.truffle.api.interop.TruffleObject;

/** Python's set (insertion-ordered here, which Python does not promise). */
public final class PySet implements TruffleObject {
    public final LinkedHashSet<PyDict.Key> items = new LinkedHashSet<>();

    public void add(Object o) {
        items.add(new PyDict.Key(PyOps.checkHashable(o)));
    }

    public boolean contains(Object o) {
        return items.contains(new PyDict.Key(o));
    }

    public int size() {
        return items.size();
    }
}
