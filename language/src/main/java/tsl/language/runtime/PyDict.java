package tsl.language.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import com.oracle.truffle.api.interop.TruffleObject;

/**
 * Python's dict, insertion-ordered. Keys are wrapped so that Python's equality holds
 * (1 == 1.0 == True hash alike; graph variables and arrays hash by identity).
 */
public final class PyDict implements TruffleObject {
    private final LinkedHashMap<Key, Object> map = new LinkedHashMap<>();

    /** A dict key with Python's __eq__/__hash__. */
    public record Key(Object value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && PyOps.eq(value, k.value);
        }

        @Override
        public int hashCode() {
            return PyOps.hash(value);
        }
    }

    public Object get(Object key) {
        return map.get(new Key(PyOps.checkHashable(key)));
    }

    public boolean containsKey(Object key) {
        return map.containsKey(new Key(PyOps.checkHashable(key)));
    }

    public void put(Object key, Object value) {
        map.put(new Key(PyOps.checkHashable(key)), value);
    }

    public Object remove(Object key) {
        return map.remove(new Key(key));
    }

    public int size() {
        return map.size();
    }

    public Iterable<Map.Entry<Key, Object>> entries() {
        return map.entrySet();
    }

    public java.util.List<Object> keys() {
        java.util.List<Object> ks = new java.util.ArrayList<>();
        for (Key k : map.keySet()) {
            ks.add(k.value());
        }
        return ks;
    }

    public java.util.List<Object> values() {
        return new java.util.ArrayList<>(map.values());
    }

    public void clear() {
        map.clear();
    }

    @Override
    public String toString() {
        return PyStr.repr(this);
    }
}
