package tsl.grad;

import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.Variable;

/**
 * A gradient that is undefined or not implemented (Theano's NullType): it stands in the
 * gradient graph where an op cannot say how the cost changes with one of its inputs. It is
 * never computed: it spreads to everything upstream of it, and {@code grad} either raises
 * {@code NullTypeGradError} or returns it, as {@code null_gradients} asks.
 */
public final class NullGradient extends Variable {
    private final String reason;

    public NullGradient(TensorType type, String reason) {
        super(type, null);
        this.reason = reason;
    }

    /** Theano's grad_not_implemented: input {@code i} of {@code op} has no gradient rule yet. */
    public static NullGradient notImplemented(Op op, int i, Variable input) {
        return new NullGradient(input.type(), "the grad method for input " + i + " of " + op + " is not implemented");
    }

    /** Theano's grad_undefined: the gradient of input {@code i} of {@code op} does not exist mathematically. */
    public static NullGradient undefined(Op op, int i, Variable input, String why) {
        return new NullGradient(input.type(), "the gradient of input " + i + " of " + op + " is undefined: " + why);
    }

    public String reason() { return reason; }

    /** The same reason for another input, so that a null gradient keeps its explanation as it spreads. */
    NullGradient forInput(Variable input) {
        return new NullGradient(input.type(), reason);
    }

    @Override
    public String toString() {
        return "NullType{" + reason + "}";
    }
}
