package tsl.language.nodes;

import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ControlFlowException;
import com.oracle.truffle.api.nodes.Node;

/** break, continue and return as exceptions that unwind to their loop or function. */
public final class ControlFlow {
    private ControlFlow() {}

    /**
     * One pass of a loop body: false when it ended with break. The safepoint poll lets
     * Ctrl-C and Context.interrupt stop a loop.
     */
    static boolean iteration(VirtualFrame frame, TslNode body, Node loop) {
        TruffleSafepoint.poll(loop);
        try {
            body.execute(frame);
        } catch (Break b) {
            return false;
        } catch (Continue c) {
            // next iteration
        }
        return true;
    }

    public static final class Break extends ControlFlowException {
        public static final Break INSTANCE = new Break();
    }

    public static final class Continue extends ControlFlowException {
        public static final Continue INSTANCE = new Continue();
    }

    public static final class Return extends ControlFlowException {
        public final Object value;
        /** The return statement, for errors about a return that cannot be built (in a lowered loop); may be null. */
        public final Node origin;

        public Return(Object value) {
            this(value, null);
        }

        public Return(Object value, Node origin) {
            this.value = value;
            this.origin = origin;
        }
    }
}
