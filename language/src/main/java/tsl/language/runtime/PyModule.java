package tsl.language.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import com.oracle.truffle.api.interop.TruffleObject;

/** A module: a script's globals, or a built-in module such as theano or numpy. */
public final class PyModule implements TruffleObject {
    public final String name;
    public final Map<String, Object> attrs = new LinkedHashMap<>();

    public PyModule(String name) {
        this.name = name;
        attrs.put("__name__", name);
    }

    public PyModule put(String key, Object value) {
        attrs.put(key, value);
        return this;
    }

    public PyModule fn(String key, BuiltinFunction.Impl impl) {
        attrs.put(key, new BuiltinFunction(key, impl));
        return this;
    }

    @Override
    public String toString() {
        return "<module '" + name + "'>";
    }
}
