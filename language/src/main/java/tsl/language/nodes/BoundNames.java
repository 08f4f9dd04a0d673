package tsl.language.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;

import tsl.language.runtime.TslError;

/**
 * The names a block of statements binds, with a read and a write node for each, so that a
 * statement lowered to a graph (an if or a for over symbolic values) can snapshot, restore
 * and rebind them in whatever scope they live (frame slot, closure cell or module global).
 */
public final class BoundNames extends Node {
    @Children private final ExprNode[] reads;
    @Children private final Targets.Target[] writes;
    final String[] names;

    public BoundNames(String[] names, ExprNode[] reads, Targets.Target[] writes) {
        this.names = names;
        this.reads = reads;
        this.writes = writes;
    }

    int size() {
        return names.length;
    }

    /** Each name's current value, or null when it is unbound. */
    Object[] readAll(VirtualFrame frame) {
        Object[] v = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                v[i] = reads[i].execute(frame);
            } catch (TslError unbound) {
                v[i] = null;
            }
        }
        return v;
    }

    void assign(VirtualFrame frame, int i, Object value) {
        writes[i].assign(frame, value);
    }

    /** Puts a name back as it was: bound to {@code value}, or unbound when value is null. */
    void restore(VirtualFrame frame, int i, Object value) {
        if (value != null) {
            writes[i].assign(frame, value);
            return;
        }
        try {
            writes[i].delete(frame);
        } catch (TslError notBound) {
            // nothing to unbind
        }
    }
}
