package tsl.language.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.MaterializedFrame;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.IndirectCallNode;

import tsl.graph.SourceLocation;
import tsl.language.builtins.FunctionObject;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyFunction;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PySet;
import tsl.language.runtime.PySlice;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;

/** The expression nodes (other than binary operators). */
public final class Exprs {
    private Exprs() {}

    public static final class Literal extends ExprNode {
        private final Object value;

        public Literal(Object value) {
            this.value = value;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return value;
        }
    }

    /** A local variable of the current function. */
    public static final class ReadLocal extends ExprNode {
        private final int slot;
        private final String name;

        public ReadLocal(int slot, String name) {
            this.slot = slot;
            this.name = name;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object v = frame.getObject(slot);
            if (v == null) {
                throw unbound();
            }
            return v;
        }

        @TruffleBoundary
        private RuntimeException unbound() {
            return TslError.of("UnboundLocalError", "local variable '" + name + "' referenced before assignment").at(getSourceSection());
        }
    }

    /** A local of an enclosing function, {@code depth} closures out. */
    public static final class ReadScope extends ExprNode {
        private final int depth;
        private final int slot;
        private final String name;

        public ReadScope(int depth, int slot, String name) {
            this.depth = depth;
            this.slot = slot;
            this.name = name;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object v = Scopes.enclosing(frame, depth).getObject(slot);
            if (v == null) {
                throw unbound();
            }
            return v;
        }

        @TruffleBoundary
        private RuntimeException unbound() {
            return TslError.of("NameError", "free variable '" + name + "' referenced before assignment in enclosing scope").at(getSourceSection());
        }
    }

    /** A module global, then a builtin. */
    public static final class ReadGlobal extends ExprNode {
        private final String module;
        private final String name;

        public ReadGlobal(String module, String name) {
            this.module = module;
            this.name = name;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return lookup();
        }

        @TruffleBoundary
        private Object lookup() {
            // the AST is shared by every context of an engine: the namespaces come from the running one
            tsl.language.TslContext ctx = tsl.language.TslContext.get(this);
            Object v = ctx.module(module).attrs.get(name);
            if (v == null) {
                v = ctx.builtins().get(name);
            }
            if (v == null) {
                throw TslError.of("NameError", "name '" + name + "' is not defined").at(getSourceSection());
            }
            return v;
        }
    }

    public static final class Unary extends ExprNode {
        private final String op;
        @Child private ExprNode operand;

        public Unary(String op, ExprNode operand) {
            this.op = op;
            this.operand = operand;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object v = operand.execute(frame);
            if (op.equals("not")) {
                return !truthy(v);
            }
            if (op.equals("-") && v instanceof Double d) {
                return -d;
            }
            SourceLocation prev = SourceLocation.enter(location());
            try {
                return PyOps.unary(op, v);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                SourceLocation.exit(prev);
            }
        }
    }

    /** A comparison chain {@code a < b <= c}: each operand evaluated once, short-circuiting on false. */
    public static final class Compare extends ExprNode {
        private final String[] ops;
        @Children private final ExprNode[] operands;

        public Compare(String[] ops, ExprNode[] operands) {
            this.ops = ops;
            this.operands = operands;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object left = operands[0].execute(frame);
            Object result = Boolean.TRUE;
            for (int i = 0; i < ops.length; i++) {
                Object right = operands[i + 1].execute(frame);
                result = compare(ops[i], left, right);
                if (i < ops.length - 1 && !truthy(result)) {
                    return result;
                }
                left = right;
            }
            return result;
        }

        private Object compare(String op, Object a, Object b) {
            if (a instanceof Long x && b instanceof Long y) {
                switch (op) {
                    case "<": return x < y;
                    case ">": return x > y;
                    case "<=": return x <= y;
                    case ">=": return x >= y;
                    case "==": return x.longValue() == y.longValue();
                    case "!=": return x.longValue() != y.longValue();
                    default: break;
                }
            }
            SourceLocation prev = SourceLocation.enter(location());
            try {
                return PyOps.compare(op, a, b);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                SourceLocation.exit(prev);
            }
        }
    }

    /** {@code a and b} / {@code a or b}: returns the deciding operand, as Python does. */
    public static final class Logical extends ExprNode {
        private final boolean isAnd;
        @Child private ExprNode left;
        @Child private ExprNode right;

        public Logical(boolean isAnd, ExprNode left, ExprNode right) {
            this.isAnd = isAnd;
            this.left = left;
            this.right = right;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object l = left.execute(frame);
            if (isAnd != truthy(l)) {
                return l;
            }
            return right.execute(frame);
        }
    }

    public static final class Conditional extends ExprNode {
        @Child private ExprNode cond;
        @Child private ExprNode then;
        @Child private ExprNode otherwise;

        public Conditional(ExprNode cond, ExprNode then, ExprNode otherwise) {
            this.cond = cond;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            Object c = cond.execute(frame);
            if (c instanceof tsl.graph.Variable v) {
                return symbolic(v, then.execute(frame), otherwise.execute(frame));
            }
            return truthy(c) ? then.execute(frame) : otherwise.execute(frame);
        }

        @com.oracle.truffle.api.CompilerDirectives.TruffleBoundary
        private static Object symbolic(tsl.graph.Variable cond, Object a, Object b) {
            return tsl.language.builtins.ControlModule.conditional(cond, a, b);
        }
    }

    public static final class Attribute extends ExprNode {
        @Child private ExprNode object;
        private final String name;

        public Attribute(ExprNode object, String name) {
            this.object = object;
            this.name = name;
        }

        public ExprNode object() { return object; }
        public String name() { return name; }

        @Override
        public Object execute(VirtualFrame frame) {
            Object o = object.execute(frame);
            SourceLocation prev = SourceLocation.enter(location());
            try {
                return PyOps.getattr(o, name);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                SourceLocation.exit(prev);
            }
        }
    }

    public static final class Subscript extends ExprNode {
        @Child private ExprNode object;
        @Child private ExprNode index;

        public Subscript(ExprNode object, ExprNode index) {
            this.object = object;
            this.index = index;
        }

        public ExprNode object() { return object; }
        public ExprNode index() { return index; }

        @Override
        public Object execute(VirtualFrame frame) {
            Object o = object.execute(frame);
            Object k = index.execute(frame);
            SourceLocation prev = SourceLocation.enter(location());
            try {
                return PyOps.getitem(o, k);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                SourceLocation.exit(prev);
            }
        }
    }

    public static final class Slice extends ExprNode {
        @Child private ExprNode lower;
        @Child private ExprNode upper;
        @Child private ExprNode step;

        public Slice(ExprNode lower, ExprNode upper, ExprNode step) {
            this.lower = lower;
            this.upper = upper;
            this.step = step;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return new PySlice(lower == null ? PyNone.NONE : lower.execute(frame),
                    upper == null ? PyNone.NONE : upper.execute(frame),
                    step == null ? PyNone.NONE : step.execute(frame));
        }
    }

    /** A list, tuple or set display; starred items are unpacked. */
    public static final class Display extends ExprNode {
        public enum Kind { LIST, TUPLE, SET }

        private final Kind kind;
        private final boolean[] starred;
        @Children private final ExprNode[] items;

        public Display(Kind kind, ExprNode[] items, boolean[] starred) {
            this.kind = kind;
            this.items = items;
            this.starred = starred;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object[] values = new Object[items.length];
            boolean anyStar = false;
            for (int i = 0; i < items.length; i++) {
                values[i] = items[i].execute(frame);
                anyStar |= starred[i];
            }
            return build(values, anyStar);
        }

        @TruffleBoundary
        private Object build(Object[] values, boolean anyStar) {
            List<Object> all;
            try {
                if (anyStar) {
                    all = new ArrayList<>();
                    for (int i = 0; i < values.length; i++) {
                        if (starred[i]) {
                            all.addAll(PyOps.toList(values[i]));
                        } else {
                            all.add(values[i]);
                        }
                    }
                } else {
                    all = java.util.Arrays.asList(values);
                }
                return switch (kind) {
                    case LIST -> new PyList(all);
                    case TUPLE -> PyTuple.of(all.toArray());
                    case SET -> {
                        PySet s = new PySet();
                        all.forEach(s::add);
                        yield s;
                    }
                };
            } catch (Throwable t) {
                throw located(t);
            }
        }
    }

    public static final class DictDisplay extends ExprNode {
        @Children private final ExprNode[] keys;   // null key: ** splat of the value
        @Children private final ExprNode[] values;

        public DictDisplay(ExprNode[] keys, ExprNode[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            PyDict d = new PyDict();
            for (int i = 0; i < values.length; i++) {
                Object k = keys[i] == null ? null : keys[i].execute(frame);
                Object v = values[i].execute(frame);
                put(d, k, v);
            }
            return d;
        }

        @TruffleBoundary
        private void put(PyDict d, Object k, Object v) {
            try {
                if (k == null) {
                    PyDict other = (PyDict) v;
                    for (var e : other.entries()) {
                        d.put(e.getKey().value(), e.getValue());
                    }
                } else {
                    d.put(k, v);
                }
            } catch (Throwable t) {
                throw located(t);
            }
        }
    }

    /** An f-string: literal parts and formatted expressions. */
    public static final class FString extends ExprNode {
        private final String[] literals;     // literals.length == values.length + 1
        private final String[] specs;
        private final char[] conversions;
        @Children private final ExprNode[] values;

        public FString(String[] literals, ExprNode[] values, char[] conversions, String[] specs) {
            this.literals = literals;
            this.values = values;
            this.conversions = conversions;
            this.specs = specs;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object[] vs = new Object[values.length];
            for (int i = 0; i < values.length; i++) {
                vs[i] = values[i].execute(frame);
            }
            return join(vs);
        }

        @TruffleBoundary
        private String join(Object[] vs) {
            try {
                StringBuilder sb = new StringBuilder(literals[0]);
                for (int i = 0; i < vs.length; i++) {
                    Object v = vs[i];
                    if (conversions[i] == 'r') {
                        v = PyStr.repr(v);
                    } else if (conversions[i] == 's') {
                        v = PyStr.str(v);
                    }
                    sb.append(PyStr.format(v, specs[i])).append(literals[i + 1]);
                }
                return sb.toString();
            } catch (Throwable t) {
                throw located(t);
            }
        }
    }

    /** A call {@code f(a, *b, k=c, **d)}. */
    public static final class Call extends ExprNode {
        @Child private ExprNode callee;
        @Children private final ExprNode[] args;
        private final boolean[] starred;
        private final String[] kwNames;   // null name: ** splat
        @Children private final ExprNode[] kwValues;
        @Child private IndirectCallNode callNode = IndirectCallNode.create();
        private final boolean plainPositional;   // f(a, b): no *args, no keywords

        public Call(ExprNode callee, ExprNode[] args, boolean[] starred, String[] kwNames, ExprNode[] kwValues) {
            this.callee = callee;
            this.args = args;
            this.starred = starred;
            this.kwNames = kwNames;
            this.kwValues = kwValues;
            boolean anyStarred = false;
            for (boolean b : starred) {
                anyStarred |= b;
            }
            this.plainPositional = !anyStarred && kwValues.length == 0;
        }

        public ExprNode callee() { return callee; }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object f = callee.execute(frame);
            Object[] a = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                a[i] = args[i].execute(frame);
            }
            Object[] kv = new Object[kwValues.length];
            for (int i = 0; i < kwValues.length; i++) {
                kv[i] = kwValues[i].execute(frame);
            }
            SourceLocation prev = SourceLocation.enter(location());
            try {
                if (plainPositional && f instanceof FunctionObject fo) {
                    // a compiled function called with plain arguments: straight to its array-taking call
                    return fo.callPositional(a);
                }
                List<Object> positional = positional(a);
                Map<String, Object> kw = keywords(kv);
                if (f instanceof PyFunction fn) {
                    return callNode.call(fn.target, fn.bind(positional, kw));
                }
                return PyOps.call(f, positional, kw);
            } catch (TslError e) {
                throw traced(e);
            } catch (Throwable t) {
                throw located(t);
            } finally {
                SourceLocation.exit(prev);
            }
        }

        @TruffleBoundary
        private TslError traced(TslError e) {
            if (e.section() == null) {
                e.at(getSourceSection());
            } else if (getSourceSection() != null && e.section() != getSourceSection()) {
                e.addTraceback(Scopes.tracebackEntry(getSourceSection(), getRootNode().getName()));
            }
            return e;
        }

        @TruffleBoundary
        private List<Object> positional(Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (int i = 0; i < a.length; i++) {
                if (starred[i]) {
                    out.addAll(PyOps.toList(a[i]));
                } else {
                    out.add(a[i]);
                }
            }
            return out;
        }

        @TruffleBoundary
        private Map<String, Object> keywords(Object[] kv) {
            if (kv.length == 0) {
                return Map.of();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i++) {
                if (kwNames[i] == null) {
                    if (!(kv[i] instanceof PyDict d)) {
                        throw TslError.of("TypeError", "argument after ** must be a mapping, not " + PyOps.typeName(kv[i]));
                    }
                    for (var e : d.entries()) {
                        out.put(PyStr.str(e.getKey().value()), e.getValue());
                    }
                } else {
                    out.put(kwNames[i], kv[i]);
                }
            }
            return out;
        }
    }

    /** def / lambda: creates a function closed over the current frame. */
    public static final class MakeFunction extends ExprNode {
        private final String name;
        private final tsl.language.runtime.Signature signature;
        private final com.oracle.truffle.api.RootCallTarget target;
        @Children private final ExprNode[] defaults;
        @Children private final ExprNode[] kwDefaults;  // null entries: required

        public MakeFunction(String name, tsl.language.runtime.Signature signature, com.oracle.truffle.api.RootCallTarget target,
                            ExprNode[] defaults, ExprNode[] kwDefaults) {
            this.name = name;
            this.signature = signature;
            this.target = target;
            this.defaults = defaults;
            this.kwDefaults = kwDefaults;
        }

        @Override
        @ExplodeLoop
        public Object execute(VirtualFrame frame) {
            Object[] d = new Object[defaults.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = defaults[i].execute(frame);
            }
            Object[] kd = new Object[kwDefaults.length];
            for (int i = 0; i < kd.length; i++) {
                kd[i] = kwDefaults[i] == null ? null : kwDefaults[i].execute(frame);
            }
            MaterializedFrame closure = frame.materialize();
            return new PyFunction(name, signature, target, closure, d, kd);
        }
    }
}
