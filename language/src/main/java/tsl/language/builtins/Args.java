package tsl.language.builtins;

import java.util.List;
import java.util.Map;

import tsl.language.runtime.PyNone;
import tsl.language.runtime.TslError;

/** Reads builtin-function arguments by position or keyword, Python style. */
public final class Args {
    private final String function;
    private final List<Object> args;
    private final Map<String, Object> kwargs;

    public Args(String function, List<Object> args, Map<String, Object> kwargs) {
        this.function = function;
        this.args = args;
        this.kwargs = kwargs;
    }

    /** The argument at {@code index} or named {@code name}, or {@code dflt} (null = required). */
    public Object get(int index, String name, Object dflt) {
        if (index >= 0 && index < args.size()) {
            if (name != null && kwargs.containsKey(name)) {
                throw TslError.of("TypeError", function + "() got multiple values for argument '" + name + "'");
            }
            return args.get(index);
        }
        Object v = name == null ? null : kwargs.get(name);
        if (v != null) {
            return v;
        }
        if (dflt == null) {
            throw TslError.of("TypeError", function + "() missing required argument '" + name + "'");
        }
        return dflt;
    }

    public Object opt(int index, String name) {
        return get(index, name, PyNone.NONE);
    }

    public int size() {
        return args.size();
    }

    public List<Object> positional() {
        return args;
    }

    public Map<String, Object> keywords() {
        return kwargs;
    }

    /** Rejects keywords the function does not know. */
    public Args only(String... names) {
        for (String k : kwargs.keySet()) {
            boolean ok = false;
            for (String n : names) {
                ok |= n.equals(k);
            }
            if (!ok) {
                throw TslError.of("TypeError", function + "() got an unexpected keyword argument '" + k + "'");
            }
        }
        return this;
    }
}
