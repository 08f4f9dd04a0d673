package tsl.language.runtime;

import java.util.List;
import java.util.Map;

/**
 * A script value implemented in Java that answers attribute look-ups itself (numpy's
 * RandomState, dtypes, the random module's generator ...), so new kinds of objects need no
 * new cases in PyOps.
 */
public interface HostObject {
    /** The attribute's value, or null when there is none (AttributeError). */
    Object getattr(String name);

    /** Python's type name, for error messages. */
    String typeName();

    default Object call(List<Object> args, Map<String, Object> kwargs) {
        throw TslError.of("TypeError", "'" + typeName() + "' object is not callable");
    }

    /** Python's repr (and, unless {@link #str} says otherwise, its str). */
    default String repr() {
        return toString();
    }

    default String str() {
        return repr();
    }

    /** Python's == against another value (identity unless overridden). */
    default boolean pyEquals(Object other) {
        return this == other;
    }
}
