package tsl.language.builtins;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Variable;
import tsl.language.TslContext;
import tsl.language.runtime.Arith;
import tsl.language.runtime.BuiltinFunction;
import tsl.language.runtime.ExceptionClasses;
import tsl.language.runtime.NpScalar;
import tsl.language.runtime.PyClass;
import tsl.language.runtime.PyDict;
import tsl.language.runtime.PyIterator;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyRange;
import tsl.language.runtime.PySet;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.Sorting;
import tsl.language.runtime.StaticMethod;
import tsl.language.runtime.TslError;
import tsl.tensor.NDArray;

/** Python's builtins plus the prelude: the tensor vocabulary in scope without an import. */
public final class Builtins {
    private Builtins() {}

    public static Map<String, Object> create(TslContext ctx) {
        Map<String, Object> b = new LinkedHashMap<>();
        def(b, "print", (a, k) -> {
            String sep = k.containsKey("sep") && k.get("sep") != PyNone.NONE ? PyStr.str(k.get("sep")) : " ";
            String end = k.containsKey("end") && k.get("end") != PyNone.NONE ? PyStr.str(k.get("end")) : "\n";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(PyStr.str(a.get(i)));
            }
            sb.append(end);
            ctx.out().print(sb);
            if (PyOps.isTrue(k.getOrDefault("flush", false))) {
                ctx.out().flush();
            }
            return PyNone.NONE;
        });
        def(b, "len", (a, k) -> PyOps.len(one("len", a)));
        def(b, "repr", (a, k) -> PyStr.repr(one("repr", a)));
        def(b, "range", (a, k) -> switch (a.size()) {
            case 1 -> new PyRange(0, Arith.toLong(index(a.get(0))), 1);
            case 2 -> new PyRange(Arith.toLong(index(a.get(0))), Arith.toLong(index(a.get(1))), 1);
            case 3 -> new PyRange(Arith.toLong(index(a.get(0))), Arith.toLong(index(a.get(1))), Arith.toLong(index(a.get(2))));
            default -> throw TslError.of("TypeError", "range expected 1 to 3 arguments, got " + a.size());
        });
        def(b, "enumerate", (a, k) -> {
            Iterator<Object> it = PyOps.iterate(a.get(0));
            long start = a.size() > 1 ? Arith.toLong(a.get(1)) : Arith.toLong(k.getOrDefault("start", 0L));
            return new PyIterator("enumerate", new Iterator<>() {
                long i = start;

                public boolean hasNext() {
                    return it.hasNext();
                }

                public Object next() {
                    return PyTuple.of(i++, it.next());
                }
            });
        });
        def(b, "zip", (a, k) -> {
            List<Iterator<Object>> its = new ArrayList<>();
            for (Object o : a) {
                its.add(PyOps.iterate(o));
            }
            return new PyIterator("zip", new Iterator<>() {
                public boolean hasNext() {
                    if (its.isEmpty()) {
                        return false;
                    }
                    for (Iterator<Object> it : its) {
                        if (!it.hasNext()) {
                            return false;
                        }
                    }
                    return true;
                }

                public Object next() {
                    Object[] t = new Object[its.size()];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = its.get(i).next();
                    }
                    return new PyTuple(t);
                }
            });
        });
        def(b, "map", (a, k) -> {
            Object f = a.get(0);
            List<Iterator<Object>> its = new ArrayList<>();
            for (Object o : a.subList(1, a.size())) {
                its.add(PyOps.iterate(o));
            }
            return new PyIterator("map", new Iterator<>() {
                public boolean hasNext() {
                    for (Iterator<Object> it : its) {
                        if (!it.hasNext()) {
                            return false;
                        }
                    }
                    return !its.isEmpty();
                }

                public Object next() {
                    List<Object> args = new ArrayList<>();
                    for (Iterator<Object> it : its) {
                        args.add(it.next());
                    }
                    return PyOps.call(f, args, Map.of());
                }
            });
        });
        def(b, "filter", (a, k) -> {
            Object f = a.get(0);
            List<Object> out = new ArrayList<>();
            for (Object o : PyOps.toList(a.get(1))) {
                if (f == PyNone.NONE ? PyOps.isTrue(o) : PyOps.isTrue(PyOps.call(f, List.of(o), Map.of()))) {
                    out.add(o);
                }
            }
            return new PyIterator("filter", out.iterator());
        });
        def(b, "sorted", (a, k) -> new PyList(Sorting.sorted(new ArrayList<>(PyOps.toList(one("sorted", a))), k.get("key"),
                PyOps.isTrue(k.getOrDefault("reverse", false)))));
        def(b, "reversed", (a, k) -> {
            List<Object> l = new ArrayList<>(PyOps.toList(one("reversed", a)));
            Collections.reverse(l);
            return new PyIterator("list_reverseiterator", l.iterator());
        });
        def(b, "iter", (a, k) -> new PyIterator("iterator", PyOps.iterate(one("iter", a))));
        def(b, "next", (a, k) -> {
            if (!(a.get(0) instanceof PyIterator it)) {
                throw TslError.of("TypeError", "'" + PyOps.typeName(a.get(0)) + "' object is not an iterator");
            }
            if (a.size() > 1 && !it.iterator().hasNext()) {
                return a.get(1);
            }
            return it.next();
        });
        def(b, "min", (a, k) -> extreme("min", a, k, -1));
        def(b, "max", (a, k) -> extreme("max", a, k, 1));
        def(b, "sum", (a, k) -> {
            Object first = a.get(0);
            if (first instanceof Variable v) {
                return VariableMethods.reduce(tsl.ops.reduce.Reduce.Kind.SUM, v, a.subList(1, a.size()), k);
            }
            Object acc = a.size() > 1 ? a.get(1) : k.getOrDefault("start", 0L);
            for (Object o : PyOps.toList(first)) {
                acc = PyOps.binary("+", acc, o);
            }
            return acc;
        });
        def(b, "abs", (a, k) -> {
            Object x = one("abs", a);
            if (x instanceof Long l) {
                return l == Long.MIN_VALUE ? Arith.norm(java.math.BigInteger.valueOf(l).negate()) : Math.abs(l);
            }
            if (x instanceof Double d) {
                return Math.abs(d);
            }
            if (x instanceof Variable v) {
                return tsl.ops.T.abs(v);
            }
            if (x instanceof NDArray || x instanceof NpScalar) {
                return NumpyOps.elementwise(tsl.ops.elemwise.ScalarOps.ABS, null, x);
            }
            if (Arith.isInt(x)) {
                return Arith.norm(Arith.big(x).abs());
            }
            throw TslError.of("TypeError", "bad operand type for abs(): '" + PyOps.typeName(x) + "'");
        });
        def(b, "round", (a, k) -> {
            Object x = a.get(0);
            Object nd = a.size() > 1 ? a.get(1) : k.getOrDefault("ndigits", PyNone.NONE);
            if (x instanceof NpScalar s) {
                x = s.toPython();
            }
            if (Arith.isInt(x)) {
                return nd == PyNone.NONE ? Arith.norm(Arith.big(x)) : x;
            }
            double d = Arith.toDouble(x);
            if (nd == PyNone.NONE) {
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw TslError.of("ValueError", "cannot convert float " + PyStr.repr(d) + " to integer");
                }
                return Arith.norm(new BigDecimal(d).setScale(0, RoundingMode.HALF_EVEN).toBigInteger());
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            return new BigDecimal(d).setScale((int) Arith.toLong(nd), RoundingMode.HALF_EVEN).doubleValue();
        });
        def(b, "int", (a, k) -> Conversions.toInt(a));
        def(b, "float", (a, k) -> Conversions.toFloat(a));
        def(b, "str", (a, k) -> a.isEmpty() ? "" : PyStr.str(a.get(0)));
        def(b, "bool", (a, k) -> !a.isEmpty() && PyOps.isTrue(a.get(0)));
        def(b, "list", (a, k) -> a.isEmpty() ? new PyList() : new PyList(PyOps.toList(a.get(0))));
        def(b, "tuple", (a, k) -> a.isEmpty() ? PyTuple.EMPTY : PyTuple.of(PyOps.toList(a.get(0))));
        def(b, "set", (a, k) -> {
            PySet s = new PySet();
            if (!a.isEmpty()) {
                PyOps.iterate(a.get(0)).forEachRemaining(s::add);
            }
            return s;
        });
        def(b, "dict", (a, k) -> {
            PyDict d = new PyDict();
            if (!a.isEmpty()) {
                if (a.get(0) instanceof PyDict o) {
                    for (var e : o.entries()) {
                        d.put(e.getKey().value(), e.getValue());
                    }
                } else {
                    for (Object p : PyOps.toList(a.get(0))) {
                        List<Object> kv = PyOps.toList(p);
                        d.put(kv.get(0), kv.get(1));
                    }
                }
            }
            for (Map.Entry<String, Object> e : k.entrySet()) {
                d.put(e.getKey(), e.getValue());
            }
            return d;
        });
        def(b, "isinstance", (a, k) -> Conversions.isinstance(a.get(0), a.get(1)));
        def(b, "type", (a, k) -> Conversions.typeOf(one("type", a), b));
        def(b, "hex", (a, k) -> radix(one("hex", a), 16, "0x"));
        def(b, "oct", (a, k) -> radix(one("oct", a), 8, "0o"));
        def(b, "bin", (a, k) -> radix(one("bin", a), 2, "0b"));
        def(b, "issubclass", (a, k) -> {
            if (a.size() != 2 || !(a.get(0) instanceof PyClass c)) {
                throw TslError.of("TypeError", "issubclass() arg 1 must be a class");
            }
            for (Object t : a.get(1) instanceof tsl.language.runtime.PyTuple tup ? tup.asList() : List.of(a.get(1))) {
                if (t instanceof PyClass other && c.isSubclassOf(other)) {
                    return true;
                }
            }
            return false;
        });
        def(b, "hasattr", (a, k) -> PyOps.lookupAttr(a.get(0), PyStr.str(a.get(1))) != null);
        def(b, "getattr", (a, k) -> {
            Object v = PyOps.lookupAttr(a.get(0), PyStr.str(a.get(1)));
            if (v == null) {
                if (a.size() > 2) {
                    return a.get(2);
                }
                return PyOps.getattr(a.get(0), PyStr.str(a.get(1)));
            }
            return v;
        });
        def(b, "setattr", (a, k) -> {
            PyOps.setattr(a.get(0), PyStr.str(a.get(1)), a.get(2));
            return PyNone.NONE;
        });
        def(b, "any", (a, k) -> {
            for (Object o : PyOps.toList(one("any", a))) {
                if (PyOps.isTrue(o)) {
                    return true;
                }
            }
            return false;
        });
        def(b, "all", (a, k) -> {
            for (Object o : PyOps.toList(one("all", a))) {
                if (!PyOps.isTrue(o)) {
                    return false;
                }
            }
            return true;
        });
        def(b, "id", (a, k) -> (long) System.identityHashCode(one("id", a)));
        def(b, "hash", (a, k) -> (long) PyOps.hash(PyOps.checkHashable(one("hash", a))));
        def(b, "chr", (a, k) -> new String(Character.toChars((int) Arith.toLong(one("chr", a)))));
        def(b, "ord", (a, k) -> (long) PyStr.str(one("ord", a)).codePointAt(0));
        def(b, "divmod", (a, k) -> PyTuple.of(PyOps.binary("//", a.get(0), a.get(1)), PyOps.binary("%", a.get(0), a.get(1))));
        def(b, "pow", (a, k) -> PyOps.binary("**", a.get(0), a.get(1)));
        def(b, "staticmethod", (a, k) -> new StaticMethod(one("staticmethod", a)));
        def(b, "callable", (a, k) -> {
            Object o = one("callable", a);
            return o instanceof BuiltinFunction || o instanceof tsl.language.runtime.PyFunction || o instanceof PyClass
                    || o instanceof tsl.language.runtime.BoundMethod || o instanceof FunctionObject;
        });
        b.put("object", new PyClass("object", null));
        for (String t : new String[] {"int", "float", "str", "bool", "list", "tuple", "dict", "set", "range", "slice", "frozenset", "bytes", "complex"}) {
            if (b.get(t) instanceof BuiltinFunction f) {
                b.put(t, f.asType());
            }
        }
        def(b, "super", (a, k) -> PyOps.newSuper(a));
        for (Map.Entry<String, PyClass> e : ExceptionClasses.all().entrySet()) {
            b.put(e.getKey(), e.getValue());
        }
        b.put("None", PyNone.NONE);
        // the prelude: theano.tensor's vocabulary and theano's functions, as DESIGN.md promises
        PyModule tensor = TensorModule.create();
        PyModule theano = TheanoModule.create(tensor);
        PyModule numpy = NumpyModule.create();
        b.put("__theano__", theano);
        b.put("__numpy__", numpy);
        PyModule printing = PrintingModule.create(ctx);
        theano.put("printing", printing);
        theano.put("pp", printing.attrs.get("pp"));
        for (Map.Entry<String, Object> e : tensor.attrs.entrySet()) {
            if (!e.getKey().startsWith("__") && !b.containsKey(e.getKey())) {
                b.put(e.getKey(), e.getValue());
            }
        }
        for (String n : new String[] {"function", "shared", "grad", "Mode", "In", "Out"}) {
            b.put(n, theano.attrs.get(n));
        }
        for (String n : ControlModule.PRELUDE) {
            b.put(n, n.equals("ifelse") ? ((PyModule) theano.attrs.get("ifelse")).attrs.get("ifelse") : theano.attrs.get(n));
        }
        return b;
    }

    private static void def(Map<String, Object> b, String name, BuiltinFunction.Impl impl) {
        b.put(name, new BuiltinFunction(name, impl));
    }

    private static Object one(String name, List<Object> a) {
        if (a.size() != 1) {
            throw TslError.of("TypeError", name + "() takes exactly one argument (" + a.size() + " given)");
        }
        return a.get(0);
    }

    /** hex/oct/bin: Python's sign-and-prefix form of an integer. */
    private static String radix(Object o, int base, String prefix) {
        java.math.BigInteger v = Arith.big(index(o));
        return (v.signum() < 0 ? "-" : "") + prefix + v.abs().toString(base);
    }

    private static Object index(Object o) {
        if (!Arith.isInt(o) && !(o instanceof NpScalar)) {
            throw TslError.of("TypeError", "'" + PyOps.typeName(o) + "' object cannot be interpreted as an integer");
        }
        return o instanceof NpScalar s ? s.toPython() : o;
    }

    private static Object extreme(String name, List<Object> a, Map<String, Object> k, int sign) {
        if (a.size() == 1 && a.get(0) instanceof Variable v) {
            return VariableMethods.reduce(sign > 0 ? tsl.ops.reduce.Reduce.Kind.MAX : tsl.ops.reduce.Reduce.Kind.MIN, v, List.of(), k);
        }
        List<Object> items = a.size() == 1 ? PyOps.toList(a.get(0)) : a;
        if (items.isEmpty()) {
            if (k.containsKey("default")) {
                return k.get("default");
            }
            throw TslError.of("ValueError", name + "() arg is an empty sequence");
        }
        Object key = k.get("key");
        Object best = items.get(0);
        Object bestKey = key == null ? best : PyOps.call(key, List.of(best), Map.of());
        for (int i = 1; i < items.size(); i++) {
            Object o = items.get(i);
            Object ok = key == null ? o : PyOps.call(key, List.of(o), Map.of());
            if (PyOps.order(ok, bestKey, sign > 0 ? ">" : "<") * sign > 0) {
                best = o;
                bestKey = ok;
            }
        }
        return best;
    }
}
