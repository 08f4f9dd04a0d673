package tsl.grad;

import tsl.graph.Variable;

/**
 * What {@code grad(..., return_disconnected='Disconnected')} returns for an input the cost does
 * not depend on (Theano's DisconnectedType instance): a marker, not a value to compute.
 */
public final class DisconnectedGradient extends Variable {
    public DisconnectedGradient(Variable wrt) {
        super(wrt.type(), null);
    }

    @Override
    public String toString() {
        return "DisconnectedType()";
    }
}
