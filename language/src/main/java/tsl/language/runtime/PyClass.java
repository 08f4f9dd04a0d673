package tsl.language.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import com.oracle.truffle.api.interop.TruffleObject;

/** A Python class (single inheritance): built-in exception classes and user classes. */
public final class PyClass implements TruffleObject {
    public final String name;
    public final PyClass base;
    public final Map<String, Object> dict = new LinkedHashMap<>();

    public PyClass(String name, PyClass base) {
        this.name = name;
        this.base = base;
    }

    /** Attribute lookup along the inheritance chain; null when absent. */
    public Object lookup(String attr) {
        for (PyClass c = this; c != null; c = c.base) {
            Object v = c.dict.get(attr);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    public boolean isSubclassOf(PyClass other) {
        for (PyClass c = this; c != null; c = c.base) {
            if (c == other) {
                return true;
            }
        }
        return false;
    }

    public boolean isException() {
        return isSubclassOf(ExceptionClasses.BASE_EXCEPTION);
    }

    @Override
    public String toString() {
        return "<class '" + name + "'>";
    }
}
