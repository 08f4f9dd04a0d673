package tsl.language.runtime;

import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

/**
 * The parameters of a Python function: positional-or-keyword names (with defaults for the
 * last ones), then optionally *args, keyword-only names, and **kwargs. Binding follows
 * Python's rules and errors.
 */
public record Signature(String name, String[] params, int nDefaults, String varargs, String[] kwonly, String kwargs) {

    /** Number of frame argument slots after the closure slot. */
    public int slotCount() {
        return params.length + (varargs != null ? 1 : 0) + kwonly.length + (kwargs != null ? 1 : 0);
    }

    /**
     * Binds call arguments to slots: params, then *args tuple, then kw-only, then **kwargs dict.
     *
     * @param defaults values for the last {@code nDefaults} params followed by kw-only defaults (null = required)
     */
    @TruffleBoundary
    public Object[] bind(Object closure, List<Object> args, Map<String, Object> kwargs, Object[] defaults, Object[] kwDefaults) {
        Object[] slots = new Object[1 + slotCount()];
        slots[0] = closure;
        int np = params.length;
        int i = 0;
        for (; i < args.size() && i < np; i++) {
            slots[1 + i] = args.get(i);
        }
        if (args.size() > np) {
            if (varargs == null) {
                throw TslError.of("TypeError", name + "() takes " + np + " positional argument" + (np == 1 ? "" : "s")
                        + " but " + args.size() + (args.size() == 1 ? " was" : " were") + " given");
            }
        }
        int at = 1 + np;
        if (varargs != null) {
            slots[at++] = args.size() > np ? PyTuple.of(args.subList(np, args.size())) : PyTuple.EMPTY;
        }
        int kwStart = at;
        PyDict extra = kwargs != null && this.kwargs != null ? new PyDict() : null;
        if (kwargs != null) {
            for (Map.Entry<String, Object> e : kwargs.entrySet()) {
                String k = e.getKey();
                int idx = indexOf(params, k);
                if (idx >= 0) {
                    if (slots[1 + idx] != null) {
                        throw TslError.of("TypeError", name + "() got multiple values for argument '" + k + "'");
                    }
                    slots[1 + idx] = e.getValue();
                    continue;
                }
                int kidx = indexOf(kwonly, k);
                if (kidx >= 0) {
                    slots[kwStart + kidx] = e.getValue();
                    continue;
                }
                if (extra == null) {
                    throw TslError.of("TypeError", name + "() got an unexpected keyword argument '" + k + "'");
                }
                extra.put(k, e.getValue());
            }
        }
        for (int p = 0; p < np; p++) {
            if (slots[1 + p] == null) {
                int d = p - (np - nDefaults);
                if (d >= 0) {
                    slots[1 + p] = defaults[d];
                } else {
                    throw TslError.of("TypeError", name + "() missing 1 required positional argument: '" + params[p] + "'");
                }
            }
        }
        for (int k = 0; k < kwonly.length; k++) {
            if (slots[kwStart + k] == null) {
                Object d = kwDefaults == null ? null : kwDefaults[k];
                if (d == null) {
                    throw TslError.of("TypeError", name + "() missing 1 required keyword-only argument: '" + kwonly[k] + "'");
                }
                slots[kwStart + k] = d;
            }
        }
        if (this.kwargs != null) {
            slots[kwStart + kwonly.length] = extra != null ? extra : new PyDict();
        }
        return slots;
    }

    private static int indexOf(String[] names, String k) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(k)) {
                return i;
            }
        }
        return -1;
    }
}
