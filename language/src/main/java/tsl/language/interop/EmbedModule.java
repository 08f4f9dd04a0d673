package tsl.language.interop;

import tsl.language.TslContext;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.TslError;

/**
 * {@code _embed}: what the Java embeddings (JSR-223) ask of a context. {@code to_java(v)}
 * hands a value out as a plain Java object (numbers, strings, booleans, NDArray, List, Map,
 * null) so that the host unwraps it with {@code Value.asHostObject()}; a value with no Java
 * form comes back unchanged. {@code call_method(obj, name, *args)} is Invocable.invokeMethod.
 */
public final class EmbedModule {
    public static final String NAME = "_embed";

    private EmbedModule() {}

    public static PyModule create(TslContext ctx) {
        PyModule m = new PyModule(NAME);
        m.fn("to_java", (a, k) -> {
            if (a.size() != 1) {
                throw TslError.of("TypeError", "to_java() takes exactly one argument (" + a.size() + " given)");
            }
            Object v = a.get(0);
            Object j = HostValues.toJava(v);
            if (j == HostValues.NOT_CONVERTIBLE || j == null) {
                return j == null ? tsl.language.runtime.PyNone.NONE : v;
            }
            // boxed even for numbers: as a plain interop number 8.0 could not be told from 8
            boolean primitive = j instanceof Number && !(j instanceof java.math.BigInteger) || j instanceof Boolean || j instanceof String;
            return primitive ? ctx.env().asBoxedGuestValue(j) : ctx.env().asGuestValue(j);
        });
        // Invocable.invokeFunction on a name the script did not define: Python's builtins (print, len...)
        m.fn("builtin", (a, k) -> {
            Object f = ctx.builtins().get((String) a.get(0));
            return f == null ? tsl.language.runtime.PyNone.NONE : f;
        });
        m.fn("call_method", (a, k) -> {
            // Invocable.invokeMethod: obj.name(*args), with Python's attribute lookup
            Object method = tsl.language.runtime.PyOps.getattr(a.get(0), (String) a.get(1));
            return tsl.language.runtime.PyOps.call(method, a.subList(2, a.size()), java.util.Map.of());
        });
        return m;
    }
}
