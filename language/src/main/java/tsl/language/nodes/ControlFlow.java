package tsl.language.nodes;

import com.oracle.truffle.api.nodes.ControlFlowException;

/** break, continue and return as exceptions that unwind to their loop or function. */
public final class ControlFlow {
    private ControlFlow() {}

    public static final class Break extends ControlFlowException {
        public static final Break INSTANCE = new Break();
    }

    public static final class Continue extends ControlFlowException {
        public static final Continue INSTANCE = new Continue();
    }

    public static final class Return extends ControlFlowException {
        public final Object value;

        public Return(Object value) {
            this.value = value;
        }
    }
}
