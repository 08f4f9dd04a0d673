package tsl.compile;

import tsl.graph.Variable;

/** A function input with Theano's options (In(variable, value=..., name=..., borrow=..., mutable=...)). */
public record In(Variable variable, String name, Object value, boolean hasValue, boolean borrow, boolean mutable) {
    public static In of(Variable v) {
        return new In(v, v.name(), null, false, false, false);
    }
}
