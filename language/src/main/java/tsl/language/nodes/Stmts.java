package tsl.language.nodes;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.profiles.CountingConditionProfile;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.runtime.ExceptionClasses;
import tsl.language.runtime.Interop;
import tsl.language.runtime.PyClass;
import tsl.language.runtime.PyInstance;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;

/** The statement nodes. Statements evaluate to null. */
public final class Stmts {
    private Stmts() {}

    public static final class Block extends TslNode {
        @Children private final TslNode[] body;

        public Block(TslNode[] body) {
            this.body = body;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            for (TslNode s : body) {
                s.execute(frame);
            }
            return null;
        }
    }

    public static final class ExprStmt extends TslNode {
        @Child private ExprNode expr;

        public ExprStmt(ExprNode expr) {
            this.expr = expr;
        }

        public ExprNode expr() { return expr; }

        @Override
        public Object execute(VirtualFrame frame) {
            expr.execute(frame);
            return null;
        }
    }

    /** {@code t1 = t2 = value}. */
    public static final class Assign extends TslNode {
        @Children private final Targets.Target[] targets;
        @Child private ExprNode value;

        public Assign(Targets.Target[] targets, ExprNode value) {
            this.targets = targets;
            this.value = value;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object v = value.execute(frame);
            for (Targets.Target t : targets) {
                t.assign(frame, v);
            }
            return null;
        }
    }

    /** {@code target op= value}: lists extend in place, everything else rebinds. */
    public static final class AugAssign extends TslNode {
        @Child private ExprNode read;
        @Child private ExprNode value;
        @Child private Targets.Target target;
        private final String op;

        public AugAssign(ExprNode read, String op, ExprNode value, Targets.Target target) {
            this.read = read;
            this.op = op;
            this.value = value;
            this.target = target;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object current = read.execute(frame);
            Object v = value.execute(frame);
            Object result;
            if (current instanceof Long a && v instanceof Long b && op.equals("+")) {
                long r = a + b;
                result = ((a ^ r) & (b ^ r)) < 0 ? PyOps.binary(op, a, b) : (Object) r;
            } else {
                result = compute(current, v);
            }
            target.assign(frame, result);
            return null;
        }

        private Object compute(Object current, Object v) {
            tsl.graph.SourceLocation prev = tsl.graph.SourceLocation.enter(location());
            try {
                if (current instanceof tsl.language.runtime.PyList l && op.equals("+")) {
                    l.items.addAll(PyOps.toList(v));
                    return l;
                }
                return PyOps.binary(op, current, v);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                tsl.graph.SourceLocation.exit(prev);
            }
        }
    }

    public static final class If extends TslNode {
        @Child private ExprNode cond;
        @Child private TslNode then;
        @Child private TslNode otherwise;
        private final CountingConditionProfile profile = CountingConditionProfile.create();

        public If(ExprNode cond, TslNode then, TslNode otherwise) {
            this.cond = cond;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            if (profile.profile(truthy(cond.execute(frame)))) {
                then.execute(frame);
            } else if (otherwise != null) {
                otherwise.execute(frame);
            }
            return null;
        }
    }

    public static final class While extends TslNode {
        @Child private ExprNode cond;
        @Child private TslNode body;
        @Child private TslNode orelse;
        @Child private BoundNames bound;
        private final Object loop;                       // the identity its break/continue statements name

        public While(ExprNode cond, TslNode body, TslNode orelse, BoundNames bound, Object loop) {
            this.cond = cond;
            this.body = body;
            this.orelse = orelse;
            this.bound = bound;
            this.loop = loop;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object first = cond.execute(frame);
            if (first instanceof tsl.graph.Variable v) {
                // a symbolic condition: the loop becomes a Scan with until
                com.oracle.truffle.api.CompilerDirectives.transferToInterpreter();
                Variable broke = ScanLowering.lowerWhile(frame, v, cond, body, bound, loop, orelse != null, this);
                runElse(frame, orelse, broke, bound, this);
                return null;
            }
            for (Object value = first; truthy(value); value = cond.execute(frame)) {
                if (!ControlFlow.iteration(frame, body, this)) {
                    return null;
                }
            }
            if (orelse != null) {
                orelse.execute(frame);
            }
            return null;
        }
    }

    public static final class For extends TslNode {
        @Child private RangeLoop rangeLoop;   // made on the first loop over a range
        @Child private Targets.Target target;
        @Child private ExprNode iterable;
        @Child private TslNode body;
        @Child private TslNode orelse;
        @Child private BoundNames bound;
        private final String[] targetNames;
        private final Object loop;                       // the identity its break/continue statements name

        public For(Targets.Target target, ExprNode iterable, TslNode body, TslNode orelse, BoundNames bound, String[] targetNames,
                   Object loop) {
            this.target = target;
            this.iterable = iterable;
            this.body = body;
            this.orelse = orelse;
            this.bound = bound;
            this.targetNames = targetNames;
            this.loop = loop;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object seq = iterable.execute(frame);
            if (seq instanceof tsl.graph.Variable v) {
                // a loop over a symbolic tensor is a Scan over its first axis
                com.oracle.truffle.api.CompilerDirectives.transferToInterpreter();
                Variable broke = ScanLowering.lower(frame, v, target, body, bound, targetNames, loop, orelse != null, this);
                runElse(frame, orelse, broke, bound, this);
                return null;
            }
            if (seq instanceof tsl.language.runtime.PyRange r && r.step() == 1) {
                if (rangeLoop == null) {
                    com.oracle.truffle.api.CompilerDirectives.transferToInterpreterAndInvalidate();
                    rangeLoop = insert(new RangeLoop(target, body));
                }
                if (!rangeLoop.run(frame, r.start(), r.stop())) {
                    return null;
                }
            } else {
                Iterator<Object> it = iterator(seq);
                while (hasNext(it)) {
                    target.assign(frame, next(it));
                    if (!ControlFlow.iteration(frame, body, this)) {
                        return null;
                    }
                }
            }
            if (orelse != null) {
                orelse.execute(frame);
            }
            return null;
        }
    }

    /**
     * The else clause of a loop lowered to a Scan. Python runs it unless the loop ended with
     * break: at once when no step can break, else as a branch on {@code broke}, whose value is
     * only known when the function runs.
     */
    private static void runElse(VirtualFrame frame, TslNode orelse, Variable broke, BoundNames bound, TslNode loop) {
        if (orelse == null) {
            return;
        }
        if (broke != null) {
            ScanLowering.elseClause(frame, orelse, broke, bound, loop);
            return;
        }
        orelse.execute(frame);
    }

    public static final class Break extends TslNode {
        @Override
        public Object execute(VirtualFrame frame) {
            throw ControlFlow.Break.INSTANCE;
        }
    }

    public static final class Continue extends TslNode {
        @Override
        public Object execute(VirtualFrame frame) {
            throw ControlFlow.Continue.INSTANCE;
        }
    }

    public static final class Return extends TslNode {
        @Child private ExprNode value;

        public Return(ExprNode value) {
            this.value = value;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            throw new ControlFlow.Return(value == null ? PyNone.NONE : value.execute(frame), this);
        }
    }

    public static final class Pass extends TslNode {
        @Override
        public Object execute(VirtualFrame frame) {
            return null;
        }
    }

    public static final class Del extends TslNode {
        @Children private final Targets.Target[] targets;

        public Del(Targets.Target[] targets) {
            this.targets = targets;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            for (Targets.Target t : targets) {
                t.delete(frame);
            }
            return null;
        }
    }

    public static final class Assert extends TslNode {
        @Child private ExprNode test;
        @Child private ExprNode message;

        public Assert(ExprNode test, ExprNode message) {
            this.test = test;
            this.message = message;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object t = test.execute(frame);
            if (!truthy(t)) {
                Object m = message == null ? null : message.execute(frame);
                throw fail(m);
            }
            return null;
        }

        @TruffleBoundary
        private TslError fail(Object m) {
            PyInstance inst = new PyInstance(ExceptionClasses.get("AssertionError"));
            inst.attrs.put("args", m == null ? PyTuple.EMPTY : PyTuple.of(m));
            return new TslError(inst).at(getSourceSection());
        }
    }

    public static final class Raise extends TslNode {
        @Child private ExprNode exception;

        public Raise(ExprNode exception) {
            this.exception = exception;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            if (exception == null) {
                TslError current = Handling.current();
                if (current == null) {
                    throw TslError.of("RuntimeError", "No active exception to reraise").at(getSourceSection());
                }
                throw current;
            }
            Object e = exception.execute(frame);
            throw make(e);
        }

        @TruffleBoundary
        private TslError make(Object e) {
            if (e instanceof PyClass c && c.isException()) {
                e = PyOps.call(c, List.of(), Map.of());
            }
            if (e instanceof PyInstance inst && inst.cls.isException()) {
                return new TslError(inst).at(getSourceSection());
            }
            return TslError.of("TypeError", "exceptions must derive from BaseException").at(getSourceSection());
        }
    }

    /** The exception being handled, for a bare {@code raise}. */
    public static final class Handling {
        private static final ThreadLocal<java.util.ArrayDeque<TslError>> STACK = ThreadLocal.withInitial(java.util.ArrayDeque::new);

        private Handling() {}

        @TruffleBoundary
        static TslError current() {
            return STACK.get().peek();
        }

        @TruffleBoundary
        static void push(TslError e) {
            STACK.get().push(e);
        }

        @TruffleBoundary
        static void pop() {
            STACK.get().pop();
        }
    }

    public static final class Try extends TslNode {
        @Child private TslNode body;
        @Children private final ExprNode[] types;        // null: bare except
        @Children private final Targets.Target[] names;  // null: no "as"
        @Children private final TslNode[] handlers;
        @Child private TslNode orelse;
        @Child private TslNode finalbody;

        public Try(TslNode body, ExprNode[] types, Targets.Target[] names, TslNode[] handlers, TslNode orelse, TslNode finalbody) {
            this.body = body;
            this.types = types;
            this.names = names;
            this.handlers = handlers;
            this.orelse = orelse;
            this.finalbody = finalbody;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            try {
                runBody(frame);
            } finally {
                if (finalbody != null) {
                    finalbody.execute(frame);
                }
            }
            return null;
        }

        @ExplodeLoop
        private void runBody(VirtualFrame frame) {
            TslError error;
            try {
                body.execute(frame);
                if (orelse != null) {
                    orelse.execute(frame);
                }
                return;
            } catch (TslError e) {
                error = e;
            } catch (TslException e) {
                error = Interop.toError(e).at(getSourceSection());
            } catch (StackOverflowError e) {
                error = TslError.of("RecursionError", "maximum recursion depth exceeded").at(getSourceSection());
            }
            for (int i = 0; i < handlers.length; i++) {
                if (types[i] == null || matches(types[i].execute(frame), error)) {
                    if (names[i] != null) {
                        names[i].assign(frame, error.exception);
                    }
                    Handling.push(error);
                    try {
                        handlers[i].execute(frame);
                    } finally {
                        Handling.pop();
                    }
                    return;
                }
            }
            throw error;
        }

        @TruffleBoundary
        private boolean matches(Object type, TslError e) {
            if (type instanceof PyTuple t) {
                for (Object o : t.items) {
                    if (matches(o, e)) {
                        return true;
                    }
                }
                return false;
            }
            if (type instanceof PyClass c) {
                return e.exception.cls.isSubclassOf(c);
            }
            throw TslError.of("TypeError", "catching classes that do not inherit from BaseException is not allowed, got "
                    + PyStr.repr(type)).at(getSourceSection());
        }
    }
}
