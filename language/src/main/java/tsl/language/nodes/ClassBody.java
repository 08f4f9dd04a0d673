package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

/** The body of a class statement, run in its own frame; its locals become the class dict. */
public final class ClassBody extends ExprNode {
    @Child private TslNode body;
    private final String[] names;

    public ClassBody(TslNode body, String[] names) {
        this.body = body;
        this.names = names;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        body.execute(frame);
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = frame.getObject(i);
        }
        return toMap(values);
    }

    @TruffleBoundary
    private java.util.Map<String, Object> toMap(Object[] values) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                m.put(names[i], values[i]);
            }
        }
        return m;
    }
}
