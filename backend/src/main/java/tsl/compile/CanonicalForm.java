package tsl.compile;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.SourceLocation;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.NDArray;

/**
 * A byte string that is equal for two graphs exactly when they compute the same thing the same
 * way, stable across processes: the key of {@link GraphKey}. Variables are numbered in the order
 * first met (nodes in topological order), so the identity of Java objects never leaks in; an op
 * is written as its class and every field, recursively. What cannot be written stably (a lambda,
 * an unknown library object, a cycle) makes the whole graph {@link Uncacheable}: such a graph is
 * simply compiled every time, never looked up under a key that might not be its own.
 */
final class CanonicalForm {
    /** Thrown when some part of the graph has no stable form; the graph is then not cached. */
    static final class Uncacheable extends RuntimeException {
        Uncacheable(String why) {
            super(why, null, false, false);
        }
    }

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();
    private static final int MAX_DEPTH = 200;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final Map<Variable, Integer> ids = new IdentityHashMap<>();
    private final List<Variable> leaves = new ArrayList<>();
    private final Map<Object, Boolean> open = new IdentityHashMap<>();
    private final java.util.Set<Apply> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private int depth;

    /** The variables without an owner (inputs, shared variables, constants), in the order they were numbered. */
    List<Variable> leaves() { return leaves; }

    byte[] toByteArray() { return bytes.toByteArray(); }

    /** Writes a whole graph: its inputs, its nodes in topological order, its outputs. */
    void graph(FunctionGraph g) {
        tag('G');
        integer(g.inputs().size());
        for (Variable v : g.inputs()) {
            variable(v);
        }
        List<Apply> order = g.toposort();
        integer(order.size());
        for (Apply a : order) {
            apply(a);
        }
        integer(g.outputs().size());
        for (Variable v : g.outputs()) {
            variable(v);
        }
    }

    void string(String s) {
        try {
            if (s == null) {
                out.writeByte('n');
            } else {
                out.writeByte('s');
                out.writeUTF(s.length() > 16000 ? Integer.toString(s.length()) + ':' + s.hashCode() + ':' + s : s);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
    }

    void integer(long n) {
        try {
            out.writeLong(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void tag(char c) {
        try {
            out.writeByte(c);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void raw(byte[] b) {
        integer(b.length);
        bytes.write(b, 0, b.length);
    }

    /** A reference to a variable met before, or its full description the first time. */
    private void variable(Variable v) {
        Integer id = ids.get(v);
        if (id != null) {
            tag('r');
            integer(id);
            return;
        }
        if (v.owner() != null) {
            apply(v.owner()); // numbers its outputs, v among them
            tag('r');
            integer(ids.get(v));
            return;
        }
        ids.put(v, ids.size());
        leaves.add(v);
        switch (v) {
            case SharedVariable s -> {
                // its value is read at call time; only its type and default update shape the program
                tag('S');
                type(s.type());
                string(s.name());
                tag(s.defaultUpdate() != null ? 'u' : '-');
            }
            case Constant c -> {
                tag('C');
                type(c.type());
                string(c.name());
                array(c.value());
            }
            default -> {
                tag('I');
                type(v.type());
                string(v.name());
            }
        }
    }

    private void apply(Apply a) {
        if (!written.add(a)) {
            return;
        }
        for (Variable in : a.inputs()) {
            if (!ids.containsKey(in) && in.owner() != null) {
                apply(in.owner());
            }
        }
        tag('A');
        object(a.op());
        location(a.location());
        integer(a.inputs().size());
        for (Variable in : a.inputs()) {
            variable(in);
        }
        integer(a.outputs().size());
        for (Variable o : a.outputs()) {
            ids.put(o, ids.size());
            type(o.type());
            string(o.name());
        }
    }

    private void location(SourceLocation l) {
        // part of the key: a cached program reports errors at the lines that built its nodes
        if (l == null) {
            tag('-');
            return;
        }
        tag('L');
        string(l.file());
        integer(l.line());
        integer(l.column());
    }

    private void type(TensorType t) {
        string(t.dtype().toString());
        int[] shape = t.shape();
        integer(shape.length);
        for (int d : shape) {
            integer(d);
        }
    }

    private void array(NDArray a) {
        string(a.dtype().toString());
        integer(a.ndim());
        for (int i = 0; i < a.ndim(); i++) {
            integer(a.dim(i));
        }
        NDArray c = a.isContiguous() ? a : a.contiguous();
        long n = c.size() * c.dtype().byteSize();
        raw(c.segment().asSlice(c.offset() * c.dtype().byteSize(), n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** Any value an op holds: written by kind, then recursively by its fields. */
    void object(Object o) {
        if (o == null) {
            tag('n');
            return;
        }
        if (++depth > MAX_DEPTH) {
            throw new Uncacheable("nested too deeply: " + o.getClass().getName());
        }
        try {
            write(o);
        } finally {
            depth--;
        }
    }

    private void write(Object o) {
        Class<?> c = o.getClass();
        switch (o) {
            case String s -> string(s);
            case Boolean b -> { tag('b'); integer(b ? 1 : 0); }
            case Character ch -> { tag('c'); integer(ch); }
            case Double d -> { tag('d'); integer(Double.doubleToRawLongBits(d)); }
            case Float f -> { tag('f'); integer(Float.floatToRawIntBits(f)); }
            case Number n when c.getName().startsWith("java.lang.") -> { tag('i'); string(c.getSimpleName()); integer(n.longValue()); }
            case Enum<?> e -> { tag('e'); string(e.getDeclaringClass().getName()); string(e.name()); }
            case Variable v -> variable(v);
            case NDArray a -> { tag('a'); array(a); }
            case FunctionGraph g -> graph(g);
            case ScalarOp s -> scalarOp(s);
            case SourceLocation l -> location(l);
            case TensorType t -> { tag('T'); type(t); }
            case Collection<?> col when col instanceof List<?> || col instanceof java.util.SequencedCollection<?> -> {
                tag('l');
                integer(col.size());
                for (Object e : col) {
                    object(e);
                }
            }
            case Map<?, ?> m -> map(m);
            default -> {
                if (c.isArray()) {
                    tag('[');
                    string(c.getComponentType().getName());
                    int n = Array.getLength(o);
                    integer(n);
                    for (int i = 0; i < n; i++) {
                        object(Array.get(o, i));
                    }
                } else {
                    fields(o);
                }
            }
        }
    }

    /** A registered scalar op by its name; any other (a lambda-built one) has no stable form. */
    private void scalarOp(ScalarOp s) {
        ScalarOp registered = ScalarOps.all().get(s.name());
        if (registered != s) {
            throw new Uncacheable("scalar op " + s.name() + " is not a registered one");
        }
        tag('o');
        string(s.name());
    }

    private void map(Map<?, ?> m) {
        // map order may differ between processes (Map.of): entries sorted by their own form
        List<byte[]> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            CanonicalForm sub = new CanonicalForm();
            sub.ids.putAll(ids);
            sub.depth = depth;
            sub.object(e.getKey());
            sub.object(e.getValue());
            if (sub.ids.size() != ids.size()) {
                throw new Uncacheable("a map whose entries hold new variables");
            }
            entries.add(sub.toByteArray());
        }
        entries.sort(java.util.Arrays::compare);
        tag('m');
        integer(entries.size());
        for (byte[] e : entries) {
            raw(e);
        }
    }

    private void fields(Object o) {
        Class<?> c = o.getClass();
        if (c.isSynthetic() || c.isHidden() || !c.getName().startsWith("tsl.")) {
            throw new Uncacheable("no stable form for " + c.getName());
        }
        if (open.put(o, Boolean.TRUE) != null) {
            throw new Uncacheable("a cycle through " + c.getName());
        }
        try {
            tag('{');
            string(c.getName());
            for (Field f : fieldsOf(c)) {
                try {
                    object(f.get(o));
                } catch (IllegalAccessException e) {
                    throw new Uncacheable("cannot read " + f);
                }
            }
            tag('}');
        } finally {
            open.remove(o);
        }
    }

    /**
     * The fields that define a value: every instance field up the class chain, in a fixed
     * order, except transient ones and a linked program (a product of the others, made lazily).
     */
    private static List<Field> fieldsOf(Class<?> c) {
        return FIELDS.computeIfAbsent(c, k -> {
            List<Field> fs = new ArrayList<>();
            if (k.isRecord()) {
                for (RecordComponent rc : k.getRecordComponents()) {
                    try {
                        fs.add(k.getDeclaredField(rc.getName()));
                    } catch (NoSuchFieldException e) {
                        throw new IllegalStateException(e);
                    }
                }
            } else {
                for (Class<?> x = k; x != null && x != Object.class; x = x.getSuperclass()) {
                    List<Field> own = new ArrayList<>();
                    for (Field f : x.getDeclaredFields()) {
                        int mod = f.getModifiers();
                        if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getType() == Linker.Program.class) {
                            continue;
                        }
                        own.add(f);
                    }
                    own.sort(Comparator.comparing(Field::getName));
                    fs.addAll(own);
                }
            }
            for (Field f : fs) {
                f.setAccessible(true);
            }
            return List.copyOf(fs);
        });
    }
}
