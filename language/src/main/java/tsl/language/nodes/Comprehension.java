package tsl.language.nodes;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;

import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PySet;

/**
 * A list, set or dict comprehension (generator expressions are evaluated as lists). Clauses
 * nest: each {@code for} clause iterates and each {@code if} clause filters.
 */
public final class Comprehension extends ExprNode {
    public enum Kind { LIST, SET, DICT }

    /** One for/if clause. For a for clause {@code target} is set, for an if clause it is null. */
    public static final class Clause extends TslNode {
        @Child Targets.Target target;
        @Child ExprNode expr;

        public Clause(Targets.Target target, ExprNode expr) {
            this.target = target;
            this.expr = expr;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return expr.execute(frame);
        }
    }

    private final Kind kind;
    @Children private final Clause[] clauses;
    @Child private ExprNode element;
    @Child private ExprNode value; // dict comprehensions

    public Comprehension(Kind kind, Clause[] clauses, ExprNode element, ExprNode value) {
        this.kind = kind;
        this.clauses = clauses;
        this.element = element;
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object acc = switch (kind) {
            case LIST -> new PyList();
            case SET -> new PySet();
            case DICT -> new PyDict();
        };
        run(frame, 0, acc);
        return acc;
    }

    private void run(VirtualFrame frame, int i, Object acc) {
        if (i == clauses.length) {
            Object e = element.execute(frame);
            add(acc, e, value == null ? null : value.execute(frame));
            return;
        }
        Clause c = clauses[i];
        if (c.target == null) {
            if (truthy(c.execute(frame))) {
                run(frame, i + 1, acc);
            }
            return;
        }
        Iterator<Object> it = iterator(c.execute(frame));
        while (hasNext(it)) {
            c.target.assign(frame, next(it));
            run(frame, i + 1, acc);
        }
    }

    @TruffleBoundary
    private void add(Object acc, Object e, Object v) {
        try {
            if (acc instanceof PyList l) {
                l.items.add(e);
            } else if (acc instanceof PySet s) {
                s.add(e);
            } else {
                ((PyDict) acc).put(e, v);
            }
        } catch (Throwable t) {
            throw located(t);
        }
    }
}
