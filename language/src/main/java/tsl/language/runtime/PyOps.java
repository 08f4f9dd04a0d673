package tsl.language.runtime;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

import tsl.compile.Function;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.language.builtins.FunctionObject;
import tsl.language.builtins.NumpyOps;
import tsl.language.builtins.VariableMethods;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * Python's dynamic semantics over TSL's values: operators, truth, equality, attributes,
 * items, iteration and calls. Nodes handle the common int/float cases themselves and come
 * here for everything else; symbolic operands build graph nodes, arrays compute eagerly
 * with NumPy's rules.
 */
public final class PyOps {
    private PyOps() {}

    // ------------------------------------------------------------------ truth and equality

    @TruffleBoundary
    public static boolean isTrue(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Long l) {
            return l != 0;
        }
        if (o instanceof Double d) {
            return d != 0;
        }
        if (o == PyNone.NONE || o == null) {
            return false;
        }
        if (o instanceof String s) {
            return !s.isEmpty();
        }
        if (o instanceof PyList l) {
            return !l.items.isEmpty();
        }
        if (o instanceof PyTuple t) {
            return t.items.length > 0;
        }
        if (o instanceof PyDict d) {
            return d.size() > 0;
        }
        if (o instanceof PySet s) {
            return s.size() > 0;
        }
        if (o instanceof BigInteger b) {
            return b.signum() != 0;
        }
        if (o instanceof NpScalar s) {
            return s.doubleValue() != 0;
        }
        if (o instanceof NDArray a) {
            if (a.size() != 1) {
                throw TslError.of("ValueError", "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()");
            }
            return a.getDouble(0) != 0;
        }
        if (o instanceof Variable) {
            throw TslError.of("TypeError", "Variables do not support boolean operations.");
        }
        if (o instanceof PyInstance inst) {
            Object m = inst.cls.lookup("__bool__");
            if (m != null) {
                return isTrue(call(m, List.of(inst), Map.of()));
            }
            m = inst.cls.lookup("__len__");
            if (m != null) {
                return Arith.toLong(call(m, List.of(inst), Map.of())) != 0;
            }
        }
        return true;
    }

    /** Python's == for hashing and containers (never elementwise). */
    @TruffleBoundary
    public static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (Arith.isNumber(a) && Arith.isNumber(b)) {
            return Arith.compare(a, b) == 0;
        }
        if (a instanceof NpScalar s && Arith.isNumber(b)) {
            return Arith.compare(s.toPython(), b) == 0;
        }
        if (b instanceof NpScalar s && Arith.isNumber(a)) {
            return Arith.compare(a, s.toPython()) == 0;
        }
        if (a instanceof String x && b instanceof String y) {
            return x.equals(y);
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            return x.equals(y);
        }
        if (a instanceof PyList x && b instanceof PyList y) {
            if (x.items.size() != y.items.size()) {
                return false;
            }
            for (int i = 0; i < x.items.size(); i++) {
                if (!eq(x.items.get(i), y.items.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof PyDict x && b instanceof PyDict y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (var e : x.entries()) {
                if (!y.containsKey(e.getKey().value()) || !eq(e.getValue(), y.get(e.getKey().value()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof PySet x && b instanceof PySet y) {
            return x.items.equals(y.items);
        }
        if (a instanceof PyInstance inst && inst.cls.lookup("__eq__") != null) {
            return isTrue(call(inst.cls.lookup("__eq__"), List.of(a, b), Map.of()));
        }
        if (a instanceof HostObject h) {
            return h.pyEquals(b);
        }
        if (b instanceof HostObject h) {
            return h.pyEquals(a);
        }
        return false;
    }

    @TruffleBoundary
    public static int hash(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof Long l) {
            return Long.hashCode(l);
        }
        if (o instanceof Double d) {
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.2e18) {
                return Long.hashCode((long) (double) d);
            }
            return Double.hashCode(d);
        }
        if (o instanceof BigInteger b) {
            return b.bitLength() < 64 ? Long.hashCode(b.longValue()) : b.hashCode();
        }
        if (o instanceof NpScalar s) {
            return hash(s.toPython());
        }
        if (o instanceof String || o instanceof PyTuple) {
            return o.hashCode();
        }
        return System.identityHashCode(o);
    }

    public static Object checkHashable(Object key) {
        if (key instanceof PyList || key instanceof PyDict || key instanceof PySet || key instanceof NDArray) {
            throw TslError.of("TypeError", "unhashable type: '" + typeName(key) + "'");
        }
        return key;
    }

    // ------------------------------------------------------------------ operators

    private static String dunder(String op) {
        return switch (op) {
            case "+" -> "add";
            case "-" -> "sub";
            case "*" -> "mul";
            case "/" -> "truediv";
            case "//" -> "floordiv";
            case "%" -> "mod";
            case "**" -> "pow";
            case "@" -> "matmul";
            case "&" -> "and";
            case "|" -> "or";
            case "^" -> "xor";
            case "<<" -> "lshift";
            case ">>" -> "rshift";
            default -> op;
        };
    }

    @TruffleBoundary
    public static Object binary(String op, Object a, Object b) {
        Object r = Arith.binary(op, a, b);
        if (r != null) {
            return r;
        }
        if (a instanceof String s && op.equals("%")) {
            return PyStr.percent(s, b);
        }
        if (a instanceof Variable || b instanceof Variable) {
            return symbolic(op, a, b);
        }
        if (a instanceof NDArray || b instanceof NDArray || a instanceof NpScalar || b instanceof NpScalar) {
            return NumpyOps.binary(op, a, b);
        }
        if (a instanceof PyInstance inst) {
            Object m = inst.cls.lookup("__" + dunder(op) + "__");
            if (m != null) {
                return call(m, List.of(a, b), Map.of());
            }
        }
        if (b instanceof PyInstance inst) {
            Object m = inst.cls.lookup("__r" + dunder(op) + "__");
            if (m != null) {
                return call(m, List.of(b, a), Map.of());
            }
        }
        switch (op) {
            case "+":
                if (a instanceof String x && b instanceof String y) {
                    return x + y;
                }
                if (a instanceof PyList x && b instanceof PyList y) {
                    PyList l = new PyList(x.items);
                    l.items.addAll(y.items);
                    return l;
                }
                if (a instanceof PyTuple x && b instanceof PyTuple y) {
                    Object[] items = new Object[x.items.length + y.items.length];
                    System.arraycopy(x.items, 0, items, 0, x.items.length);
                    System.arraycopy(y.items, 0, items, x.items.length, y.items.length);
                    return new PyTuple(items);
                }
                break;
            case "*":
                if (Arith.isInt(b) && (a instanceof String || a instanceof PyList || a instanceof PyTuple)) {
                    return repeat(a, Arith.toLong(b));
                }
                if (Arith.isInt(a) && (b instanceof String || b instanceof PyList || b instanceof PyTuple)) {
                    return repeat(b, Arith.toLong(a));
                }
                break;
            case "%":
                if (a instanceof String s) {
                    return PyStr.percent(s, b);
                }
                break;
            case "|":
                if (a instanceof PyDict x && b instanceof PyDict y) {
                    PyDict d = new PyDict();
                    for (var e : x.entries()) {
                        d.put(e.getKey().value(), e.getValue());
                    }
                    for (var e : y.entries()) {
                        d.put(e.getKey().value(), e.getValue());
                    }
                    return d;
                }
                break;
            default:
                break;
        }
        throw TslError.of("TypeError", "unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    private static Object repeat(Object seq, long n) {
        if (seq instanceof String s) {
            return n <= 0 ? "" : s.repeat((int) n);
        }
        List<Object> src = seq instanceof PyList l ? l.items : ((PyTuple) seq).asList();
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll(src);
        }
        return seq instanceof PyList ? new PyList(out) : PyTuple.of(out);
    }

    private static Object symbolic(String op, Object a, Object b) {
        Object x = toGraphOperand(a);
        Object y = toGraphOperand(b);
        try {
            return switch (op) {
                case "+" -> T.add(x, y);
                case "-" -> T.sub(x, y);
                case "*" -> T.mul(x, y);
                case "/" -> T.trueDiv(x, y);
                case "//" -> T.intDiv(x, y);
                case "%" -> T.mod(x, y);
                case "**" -> T.pow(x, y);
                case "@" -> T.dot(x, y);
                case "&" -> T.elemwise(tsl.ops.elemwise.ScalarOps.AND, x, y);
                case "|" -> T.elemwise(tsl.ops.elemwise.ScalarOps.OR, x, y);
                default -> throw TslError.of("TypeError", "unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
            };
        } catch (TslException e) {
            throw Interop.toError(e);
        }
    }

    /** Python values become graph constants; lists become arrays first. */
    public static Object toGraphOperand(Object o) {
        if (o instanceof Variable || o instanceof NDArray) {
            return o;
        }
        if (o instanceof NpScalar s) {
            return s.array();
        }
        if (o instanceof BigInteger) {
            throw TslError.of("OverflowError", "Python int too large to convert to a tensor constant");
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean) {
            return o;
        }
        if (o instanceof PyList || o instanceof PyTuple) {
            return Interop.toArray(o);
        }
        throw TslError.of("TypeError", "cannot use a value of type '" + typeName(o) + "' in a tensor expression");
    }

    @TruffleBoundary
    public static Object unary(String op, Object a) {
        switch (op) {
            case "not":
                return !isTrue(a);
            case "-":
                if (a instanceof Long l) {
                    return l == Long.MIN_VALUE ? Arith.norm(BigInteger.valueOf(l).negate()) : -l;
                }
                if (a instanceof Double d) {
                    return -d;
                }
                if (a instanceof Boolean || a instanceof BigInteger) {
                    return Arith.norm(Arith.big(a).negate());
                }
                if (a instanceof Variable v) {
                    return T.neg(v);
                }
                if (a instanceof NDArray || a instanceof NpScalar) {
                    return NumpyOps.unary("neg", a);
                }
                break;
            case "+":
                if (Arith.isNumber(a)) {
                    return a instanceof Boolean b ? (Object) (b ? 1L : 0L) : a;
                }
                if (a instanceof Variable || a instanceof NDArray || a instanceof NpScalar) {
                    return a;
                }
                break;
            case "~":
                if (Arith.isInt(a)) {
                    return a instanceof Boolean b ? (Object) (b ? -2L : -1L) : Arith.norm(Arith.big(a).not());
                }
                if (a instanceof Variable v) {
                    return T.elemwise(tsl.ops.elemwise.ScalarOps.get("invert"), v);
                }
                if (a instanceof NDArray || a instanceof NpScalar) {
                    return NumpyOps.unary("invert", a);
                }
                break;
            default:
                break;
        }
        if (a instanceof PyInstance inst) {
            String name = op.equals("-") ? "__neg__" : op.equals("+") ? "__pos__" : "__invert__";
            Object m = inst.cls.lookup(name);
            if (m != null) {
                return call(m, List.of(a), Map.of());
            }
        }
        throw TslError.of("TypeError", "bad operand type for unary " + op + ": '" + typeName(a) + "'");
    }

    /** A comparison: Python's on Python values, elementwise on arrays, a graph node on variables (except == and !=, which are identity as in Theano). */
    @TruffleBoundary
    public static Object compare(String op, Object a, Object b) {
        switch (op) {
            case "is":
                return a == b || (a instanceof Boolean && a.equals(b));
            case "is not":
                return !(a == b || (a instanceof Boolean && a.equals(b)));
            case "in":
                return contains(b, a);
            case "not in":
                return !contains(b, a);
            default:
                break;
        }
        if (a instanceof Variable || b instanceof Variable) {
            if (op.equals("==")) {
                return a == b;
            }
            if (op.equals("!=")) {
                return a != b;
            }
            Object x = toGraphOperand(a);
            Object y = toGraphOperand(b);
            return switch (op) {
                case "<" -> T.lt(x, y);
                case ">" -> T.gt(x, y);
                case "<=" -> T.le(x, y);
                case ">=" -> T.ge(x, y);
                default -> throw new IllegalStateException(op);
            };
        }
        if (a instanceof NDArray || b instanceof NDArray || a instanceof NpScalar || b instanceof NpScalar) {
            if (isArrayLike(a) && isArrayLike(b)) {
                return NumpyOps.compare(op, a, b);
            }
        }
        if (op.equals("==")) {
            return eq(a, b);
        }
        if (op.equals("!=")) {
            return !eq(a, b);
        }
        int c = order(a, b, op);
        if (c == 2) {
            return false; // NaN
        }
        return switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    private static boolean isArrayLike(Object o) {
        return o instanceof NDArray || o instanceof NpScalar || Arith.isNumber(o) || o instanceof PyList || o instanceof PyTuple;
    }

    /** Python's ordering of two values; throws TypeError for unorderable types. */
    @TruffleBoundary
    public static int order(Object a, Object b, String op) {
        if (a instanceof NpScalar s) {
            a = s.toPython();
        }
        if (b instanceof NpScalar s) {
            b = s.toPython();
        }
        if (Arith.isNumber(a) && Arith.isNumber(b)) {
            return Arith.compare(a, b);
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(x.compareTo(y));
        }
        if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
            List<Object> x = a instanceof PyList l ? l.items : ((PyTuple) a).asList();
            List<Object> y = b instanceof PyList l ? l.items : ((PyTuple) b).asList();
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return order(x.get(i), y.get(i), op);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a instanceof PyInstance inst) {
            Object m = inst.cls.lookup("__lt__");
            if (m != null) {
                if (isTrue(call(m, List.of(a, b), Map.of()))) {
                    return -1;
                }
                return eq(a, b) ? 0 : 1;
            }
        }
        throw TslError.of("TypeError", "'" + op + "' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    @TruffleBoundary
    public static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String t)) {
                throw TslError.of("TypeError", "'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.contains(t);
        }
        if (container instanceof PyDict d) {
            return d.containsKey(item);
        }
        if (container instanceof PySet s) {
            return s.contains(item);
        }
        if (container instanceof PyList || container instanceof PyTuple || container instanceof PyRange) {
            Iterator<Object> it = iterate(container);
            while (it.hasNext()) {
                if (eq(it.next(), item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof NDArray a) {
            return isTrue(NumpyOps.reduceAny(NumpyOps.compare("==", a, item)));
        }
        if (container instanceof PyModule m && item instanceof String s) {
            return m.attrs.containsKey(s);
        }
        throw TslError.of("TypeError", "argument of type '" + typeName(container) + "' is not iterable");
    }

    // ------------------------------------------------------------------ names and types

    @TruffleBoundary
    public static String typeName(Object o) {
        if (o == PyNone.NONE || o == null) {
            return "NoneType";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof Long || o instanceof BigInteger || o instanceof Integer) {
            return "int";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof PyList) {
            return "list";
        }
        if (o instanceof PyTuple) {
            return "tuple";
        }
        if (o instanceof PyDict) {
            return "dict";
        }
        if (o instanceof PySet) {
            return "set";
        }
        if (o instanceof PyRange) {
            return "range";
        }
        if (o instanceof PySlice) {
            return "slice";
        }
        if (o instanceof NDArray) {
            return "ndarray";
        }
        if (o instanceof NpScalar s) {
            return s.dtype().numpyName();
        }
        if (o instanceof HostObject h) {
            return h.typeName();
        }
        if (o instanceof tsl.graph.SharedVariable) {
            return "TensorSharedVariable";
        }
        if (o instanceof tsl.graph.Constant) {
            return "TensorConstant";
        }
        if (o instanceof Variable) {
            return "TensorVariable";
        }
        if (o instanceof PyFunction) {
            return "function";
        }
        if (o instanceof BuiltinFunction) {
            return "builtin_function_or_method";
        }
        if (o instanceof BoundMethod) {
            return "method";
        }
        if (o instanceof PyModule) {
            return "module";
        }
        if (o instanceof PyClass) {
            return "type";
        }
        if (o instanceof PyInstance inst) {
            return inst.cls.name;
        }
        if (o instanceof FunctionObject || o instanceof Function) {
            return "Function";
        }
        if (o instanceof PySuper) {
            return "super";
        }
        if (o == tsl.ops.T.ELLIPSIS) {
            return "ellipsis";
        }
        if (o instanceof tsl.language.builtins.TypeObject) {
            return "TensorType";
        }
        return o.getClass().getSimpleName();
    }

    @TruffleBoundary
    public static int toIndex(Object o) {
        if (o instanceof Long l) {
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                throw TslError.of("IndexError", "cannot fit 'int' into an index-sized integer");
            }
            return (int) (long) l;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof NpScalar s && !s.dtype().isFloat()) {
            return (int) s.longValue();
        }
        if (o instanceof NDArray a && a.ndim() == 0 && !a.dtype().isFloat()) {
            return (int) a.getLong(0);
        }
        throw TslError.of("TypeError", "'" + typeName(o) + "' object cannot be interpreted as an integer");
    }

    // ------------------------------------------------------------------ iteration and length

    @TruffleBoundary
    public static Iterator<Object> iterate(Object o) {
        if (o instanceof PyList l) {
            return new ArrayList<>(l.items).iterator();
        }
        if (o instanceof PyTuple t) {
            return t.asList().iterator();
        }
        if (o instanceof PyRange r) {
            return r.iterator();
        }
        if (o instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars.iterator();
        }
        if (o instanceof PyDict d) {
            return d.keys().iterator();
        }
        if (o instanceof PySet s) {
            List<Object> items = new ArrayList<>();
            for (PyDict.Key k : s.items) {
                items.add(k.value());
            }
            return items.iterator();
        }
        if (o instanceof PyIterator it) {
            return it.iterator();
        }
        if (o instanceof NDArray a) {
            if (a.ndim() == 0) {
                throw TslError.of("TypeError", "iteration over a 0-d array");
            }
            List<Object> rows = new ArrayList<>();
            for (int i = 0; i < a.dim(0); i++) {
                rows.add(NumpyOps.wrap(a.get(i)));
            }
            return rows.iterator();
        }
        if (o instanceof Variable) {
            throw TslError.of("TypeError", "TensorType does not support iteration. Maybe you are using builtins.sum instead of theano.tensor.sum?"
                    + " (Maybe .max?)");
        }
        if (o instanceof PyInstance inst && inst.cls.lookup("__iter__") != null) {
            Object it = call(inst.cls.lookup("__iter__"), List.of(inst), Map.of());
            return iterate(it);
        }
        throw TslError.of("TypeError", "'" + typeName(o) + "' object is not iterable");
    }

    @TruffleBoundary
    public static List<Object> toList(Object o) {
        if (o instanceof PyList l) {
            return l.items;
        }
        if (o instanceof PyTuple t) {
            return t.asList();
        }
        List<Object> out = new ArrayList<>();
        iterate(o).forEachRemaining(out::add);
        return out;
    }

    @TruffleBoundary
    public static long len(Object o) {
        if (o instanceof String s) {
            return s.codePointCount(0, s.length());
        }
        if (o instanceof PyList l) {
            return l.items.size();
        }
        if (o instanceof PyTuple t) {
            return t.items.length;
        }
        if (o instanceof PyDict d) {
            return d.size();
        }
        if (o instanceof PySet s) {
            return s.size();
        }
        if (o instanceof PyRange r) {
            return r.length();
        }
        if (o instanceof NDArray a) {
            if (a.ndim() == 0) {
                throw TslError.of("TypeError", "len() of unsized object");
            }
            return a.dim(0);
        }
        if (o instanceof Variable) {
            throw TslError.of("TypeError", "object of type 'TensorVariable' has no len()");
        }
        if (o instanceof PyInstance inst && inst.cls.lookup("__len__") != null) {
            return Arith.toLong(call(inst.cls.lookup("__len__"), List.of(inst), Map.of()));
        }
        throw TslError.of("TypeError", "object of type '" + typeName(o) + "' has no len()");
    }

    // ------------------------------------------------------------------ attributes

    @TruffleBoundary
    public static Object getattr(Object o, String name) {
        Object r = lookupAttr(o, name);
        if (r == null) {
            if (o instanceof PyModule m) {
                throw TslError.of("AttributeError", "module '" + m.name + "' has no attribute '" + name + "'");
            }
            throw TslError.of("AttributeError", "'" + typeName(o) + "' object has no attribute '" + name + "'");
        }
        return r;
    }

    /** The attribute, or null when there is none (hasattr). */
    @TruffleBoundary
    public static Object lookupAttr(Object o, String name) {
        if (o instanceof PyModule m) {
            return m.attrs.get(name);
        }
        if (o instanceof PySuper sup) {
            return sup.lookup(name);
        }
        if (o instanceof PyInstance inst) {
            Object v = inst.attrs.get(name);
            if (v != null) {
                return v;
            }
            Object c = inst.cls.lookup(name);
            if (c != null) {
                // builtin methods of built-in classes bind like def methods
                if (c instanceof PyFunction || c instanceof BuiltinFunction) {
                    return new BoundMethod(inst, c);
                }
                if (c instanceof StaticMethod sm) {
                    return sm.function();
                }
                return c;
            }
            if (name.equals("__class__")) {
                return inst.cls;
            }
            if (inst.cls.isException() && name.equals("args")) {
                return PyTuple.EMPTY;
            }
            Object ga = inst.cls.lookup("__getattr__");
            if (ga != null) {
                return call(ga, List.of(inst, name), Map.of());
            }
            return null;
        }
        if (o instanceof PyClass c) {
            if (name.equals("__name__")) {
                return c.name;
            }
            Object v = c.lookup(name);
            if (v instanceof StaticMethod sm) {
                return sm.function();
            }
            return v;
        }
        if (o instanceof PyFunction f) {
            if (name.equals("__name__")) {
                return f.name;
            }
            return f.attrs.get(name);
        }
        if (o instanceof BuiltinFunction f && name.equals("__name__")) {
            return f.name;
        }
        if (o instanceof Variable v) {
            return VariableMethods.getattr(v, name);
        }
        if (o instanceof tsl.language.builtins.TypeObject t) {
            return t.getattr(name);
        }
        if (o instanceof tsl.graph.Apply a) {
            return VariableMethods.applyAttr(a, name);
        }
        if (o instanceof NDArray || o instanceof NpScalar) {
            return NumpyOps.getattr(o, name);
        }
        if (o instanceof FunctionObject f) {
            return f.getattr(name);
        }
        if (o instanceof HostObject h) {
            return h.getattr(name);
        }
        Object foreign = tsl.language.interop.ForeignObjects.getattr(o, name);
        if (foreign != null) {
            return foreign;
        }
        return BuiltinMethods.lookup(o, name);
    }

    @TruffleBoundary
    public static void setattr(Object o, String name, Object value) {
        if (o instanceof PyInstance inst) {
            inst.attrs.put(name, value);
            return;
        }
        if (o instanceof PyModule m) {
            m.attrs.put(name, value);
            return;
        }
        if (o instanceof PyClass c) {
            c.dict.put(name, value);
            return;
        }
        if (o instanceof PyFunction f) {
            f.attrs.put(name, value);
            return;
        }
        if (o instanceof Variable v && name.equals("name")) {
            v.setName(value == PyNone.NONE ? null : PyStr.str(value));
            return;
        }
        throw TslError.of("AttributeError", "'" + typeName(o) + "' object has no attribute '" + name + "'");
    }

    // ------------------------------------------------------------------ items

    @TruffleBoundary
    public static Object getitem(Object o, Object key) {
        if (o instanceof PyList l) {
            if (key instanceof PySlice s) {
                int[] ind = s.indices(l.items.size());
                List<Object> out = new ArrayList<>();
                for (int i = 0, j = ind[0]; i < ind[1]; i++, j += ind[2]) {
                    out.add(l.items.get(j));
                }
                return new PyList(out);
            }
            return l.items.get(seqIndex(key, l.items.size(), "list"));
        }
        if (o instanceof PyTuple t) {
            if (key instanceof PySlice s) {
                int[] ind = s.indices(t.items.length);
                Object[] out = new Object[ind[1]];
                for (int i = 0, j = ind[0]; i < ind[1]; i++, j += ind[2]) {
                    out[i] = t.items[j];
                }
                return new PyTuple(out);
            }
            return t.items[seqIndex(key, t.items.length, "tuple")];
        }
        if (o instanceof String str) {
            int[] cps = str.codePoints().toArray();
            if (key instanceof PySlice s) {
                int[] ind = s.indices(cps.length);
                StringBuilder sb = new StringBuilder();
                for (int i = 0, j = ind[0]; i < ind[1]; i++, j += ind[2]) {
                    sb.appendCodePoint(cps[j]);
                }
                return sb.toString();
            }
            return new String(Character.toChars(cps[seqIndex(key, cps.length, "string")]));
        }
        if (o instanceof PyDict d) {
            Object v = d.get(key);
            if (v == null) {
                throw new TslError(keyError(key));
            }
            return v;
        }
        if (o instanceof PyRange r) {
            return r.get(seqIndex(key, (int) r.length(), "range object"));
        }
        if (o instanceof Variable v) {
            return VariableMethods.getitem(v, key);
        }
        if (o instanceof NDArray a) {
            return NumpyOps.getitem(a, key);
        }
        if (o instanceof PyInstance inst && inst.cls.lookup("__getitem__") != null) {
            return call(inst.cls.lookup("__getitem__"), List.of(inst, key), Map.of());
        }
        throw TslError.of("TypeError", "'" + typeName(o) + "' object is not subscriptable");
    }

    private static PyInstance keyError(Object key) {
        PyInstance e = new PyInstance(ExceptionClasses.get("KeyError"));
        e.attrs.put("args", PyTuple.of(key));
        return e;
    }

    private static int seqIndex(Object key, int size, String what) {
        if (!(Arith.isInt(key) || key instanceof NpScalar)) {
            throw TslError.of("TypeError", what + " indices must be integers or slices, not " + typeName(key));
        }
        int i = toIndex(key);
        int j = i < 0 ? i + size : i;
        if (j < 0 || j >= size) {
            throw TslError.of("IndexError", what + " index out of range");
        }
        return j;
    }

    @TruffleBoundary
    public static void setitem(Object o, Object key, Object value) {
        if (o instanceof PyList l) {
            if (key instanceof PySlice s) {
                int[] ind = s.indices(l.items.size());
                List<Object> vals = toList(value);
                if (ind[2] == 1) {
                    List<Object> sub = l.items.subList(ind[0], ind[0] + ind[1]);
                    sub.clear();
                    l.items.addAll(ind[0], vals);
                    return;
                }
                if (vals.size() != ind[1]) {
                    throw TslError.of("ValueError", "attempt to assign sequence of size " + vals.size() + " to extended slice of size " + ind[1]);
                }
                for (int i = 0, j = ind[0]; i < ind[1]; i++, j += ind[2]) {
                    l.items.set(j, vals.get(i));
                }
                return;
            }
            l.items.set(seqIndex(key, l.items.size(), "list assignment"), value);
            return;
        }
        if (o instanceof PyDict d) {
            d.put(key, value);
            return;
        }
        if (o instanceof NDArray a) {
            NumpyOps.setitem(a, key, value);
            return;
        }
        if (o instanceof PyInstance inst && inst.cls.lookup("__setitem__") != null) {
            call(inst.cls.lookup("__setitem__"), List.of(inst, key, value), Map.of());
            return;
        }
        if (o instanceof Variable) {
            throw TslError.of("TypeError", "TensorVariable does not support item assignment; use theano.tensor.set_subtensor(x[...], value)");
        }
        throw TslError.of("TypeError", "'" + typeName(o) + "' object does not support item assignment");
    }

    @TruffleBoundary
    public static void delitem(Object o, Object key) {
        if (o instanceof PyList l) {
            if (key instanceof PySlice s) {
                int[] ind = s.indices(l.items.size());
                List<Integer> idx = new ArrayList<>();
                for (int i = 0, j = ind[0]; i < ind[1]; i++, j += ind[2]) {
                    idx.add(j);
                }
                idx.sort(java.util.Collections.reverseOrder());
                for (int j : idx) {
                    l.items.remove(j);
                }
                return;
            }
            l.items.remove(seqIndex(key, l.items.size(), "list assignment"));
            return;
        }
        if (o instanceof PyDict d) {
            if (d.remove(key) == null) {
                throw new TslError(keyError(key));
            }
            return;
        }
        throw TslError.of("TypeError", "'" + typeName(o) + "' object doesn't support item deletion");
    }

    // ------------------------------------------------------------------ calls

    @TruffleBoundary
    public static PySuper newSuper(List<Object> args) {
        return PySuper.of(args);
    }

    @TruffleBoundary
    public static Object call(Object callee, List<Object> args, Map<String, Object> kwargs) {
        if (callee instanceof PyFunction f) {
            return f.target.call(f.bind(args, kwargs));
        }
        if (callee instanceof BuiltinFunction b) {
            try {
                return b.impl.call(args, kwargs);
            } catch (TslException e) {
                throw Interop.toError(e);
            }
        }
        if (callee instanceof BoundMethod m) {
            List<Object> all = new ArrayList<>(args.size() + 1);
            all.add(m.self());
            all.addAll(args);
            return call(m.function(), all, kwargs);
        }
        if (callee instanceof PyClass c) {
            return instantiate(c, args, kwargs);
        }
        if (callee instanceof FunctionObject f) {
            return f.call(args, kwargs);
        }
        if (callee instanceof tsl.language.builtins.TypeObject t) {
            return t.call(args, kwargs);
        }
        if (callee instanceof HostObject h) {
            return h.call(args, kwargs);
        }
        if (callee instanceof PyInstance inst && inst.cls.lookup("__call__") != null) {
            List<Object> all = new ArrayList<>(args.size() + 1);
            all.add(inst);
            all.addAll(args);
            return call(inst.cls.lookup("__call__"), all, kwargs);
        }
        if (kwargs.isEmpty()) {
            Object r = tsl.language.interop.ForeignObjects.call(callee, args);
            if (r != null) {
                return r;
            }
        }
        throw TslError.of("TypeError", "'" + typeName(callee) + "' object is not callable");
    }

    private static Object instantiate(PyClass c, List<Object> args, Map<String, Object> kwargs) {
        PyInstance inst = new PyInstance(c);
        Object init = c.lookup("__init__");
        if (init != null) {
            List<Object> all = new ArrayList<>(args.size() + 1);
            all.add(inst);
            all.addAll(args);
            call(init, all, kwargs);
        } else if (c.isException()) {
            inst.attrs.put("args", PyTuple.of(args));
        } else if (!args.isEmpty() || !kwargs.isEmpty()) {
            throw TslError.of("TypeError", c.name + "() takes no arguments");
        }
        if (c.isException() && !inst.attrs.containsKey("args")) {
            inst.attrs.put("args", PyTuple.of(args));
        }
        return inst;
    }
}
