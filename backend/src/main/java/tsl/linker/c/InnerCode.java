package tsl.linker.c;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Variable;
import tsl.ops.control.InnerGraph;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The C of an {@link InnerGraph} (a branch of IfElse, the step of Scan) written inline into
 * the enclosing segment's function, so a loop step or a branch costs no call back to Java.
 *
 * <p>The inner graph is planned as a {@link Segment} of its own whose variables nothing
 * outside ever sees: every intermediate gets a buffer that is kept from step to step (grown
 * when needed, allocated once in a steady loop). Its descriptor table, buffer array and
 * capacities are malloc'd by {@link #declare} and freed by {@link #release}. The existing
 * emitters write the nodes' code unchanged: in a block that shadows {@code T}, {@code bufs}
 * and {@code caps} with the inner ones, and with {@code fail} redefined (by the preprocessor)
 * to a label of the enclosing control op, which names the inner node and cleans up.
 */
final class InnerCode {
    /** Largest constant (elements) written into the C source; larger ones keep the op in Java. */
    static final long MAX_CONSTANT = 4096;

    /** The label {@code goto fail} currently stands for, innermost last (empty: the function's own). */
    private static final ThreadLocal<Deque<String>> FAIL = ThreadLocal.withInitial(ArrayDeque::new);

    private final InnerGraph graph;
    private final Segment segment;
    private final String prefix;
    private final Map<Variable, Integer> slot = new IdentityHashMap<>();
    private final List<Constant> constants = new ArrayList<>();

    InnerCode(InnerGraph graph, String prefix) {
        this.graph = graph;
        this.prefix = prefix;
        this.segment = new Segment(0, graph.graph().toposort(), v -> false);
        for (Variable v : segment.inputs) {
            slot.put(v, segment.slot(v));
        }
        for (Variable v : segment.computed) {
            slot.put(v, segment.slot(v));
        }
        int next = segment.slotCount();
        // inner inputs no node reads (an output that is an input) still need a descriptor
        for (Variable v : graph.inputs()) {
            if (!slot.containsKey(v)) {
                slot.put(v, next++);
            }
        }
        for (Variable v : graph.outputs()) {
            if (!slot.containsKey(v)) {
                slot.put(v, next++);
            }
        }
        for (Variable v : constantsOf(graph)) {
            constants.add((Constant) v);
        }
    }

    /** Whether every node of {@code g} has C code and every constant is small enough to write out. */
    static boolean supported(InnerGraph g) {
        for (Apply a : g.graph().toposort()) {
            if (Emitters.of(a) == null) {
                return false;
            }
        }
        for (Variable v : g.outputs()) {
            if (v.ndim() > Prelude.MAXDIM - 1) {
                return false;
            }
        }
        for (Variable c : constantsOf(g)) {
            if (((Constant) c).value().size() > MAX_CONSTANT || c.ndim() > Prelude.MAXDIM) {
                return false;
            }
        }
        return true;
    }

    static boolean usesBlas(InnerGraph g) {
        for (Apply a : g.graph().toposort()) {
            NodeEmitter e = Emitters.of(a);
            if (e != null && e.usesBlas(a)) {
                return true;
            }
        }
        return false;
    }

    /** The constants the graph reads (and the outputs that are constants), first use first. */
    private static List<Variable> constantsOf(InnerGraph g) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Variable> r = new ArrayList<>();
        for (Apply a : g.graph().toposort()) {
            for (Variable v : a.inputs()) {
                if (v instanceof Constant && seen.add(v)) {
                    r.add(v);
                }
            }
        }
        for (Variable v : g.outputs()) {
            if (v instanceof Constant && seen.add(v)) {
                r.add(v);
            }
        }
        return r;
    }

    /** The inner descriptor of {@code v} (an inner input, intermediate, output or constant), a {@code tsl_arr*}. */
    String arr(Variable v) {
        Integer s = slot.get(v);
        if (s == null) {
            throw new IllegalStateException(v + " is not a variable of the inner graph");
        }
        return "(&" + prefix + "T[" + s + "])";
    }

    InnerGraph graph() { return graph; }

    /** Declares the (still unallocated) table and buffers; call where {@link #release} can see them. */
    void declareNull(Emit e) {
        e.line("tsl_arr* " + prefix + "T = NULL; void** " + prefix + "B = NULL; int64_t* " + prefix + "C = NULL;");
    }

    /** Allocates the table and buffer array and fills the constants' descriptors; leaves through {@code fail} when out of memory. */
    void allocate(Emit e) {
        int nb = Math.max(1, segment.reuseCount());
        e.line(prefix + "T = (tsl_arr*) calloc(" + Math.max(1, slot.size()) + ", sizeof(tsl_arr));");
        e.line(prefix + "B = (void**) calloc(" + nb + ", sizeof(void*));");
        e.line(prefix + "C = (int64_t*) calloc(" + nb + ", sizeof(int64_t));");
        e.line("if (!" + prefix + "T || !" + prefix + "B || !" + prefix + "C) {");
        e.fail("MemoryError: cannot allocate the scratch of " + Emit.text(e.node().op().toString()));
        e.line("}");
        for (int i = 0; i < constants.size(); i++) {
            Constant c = constants.get(i);
            NDArray v = c.value();
            String ct = Prelude.cType(c.dtype());
            String name = prefix + "K" + i;
            StringBuilder data = new StringBuilder("static const " + ct + " " + name + "[] = {");
            long n = v.size();
            for (long k = 0; k < Math.max(n, 1); k++) {
                data.append(k > 0 ? ", " : "").append(n == 0 ? "0" : literal(c.dtype(), v, k));
            }
            e.line(data.append("};").toString());
            String d = arr(c);
            e.line(d + "->data = (char*) " + name + "; " + d + "->ndim = " + c.ndim() + "; " + d + "->owner = -1;");
            int[] shape = v.shape();
            for (int k = 0; k < shape.length; k++) {
                e.line(d + "->shape[" + k + "] = " + shape[k] + ";");
            }
            e.line("tsl_set_contiguous(" + d + ");");
        }
    }

    private static String literal(DType dt, NDArray v, long k) {
        if (dt.isFloat()) {
            double x = v.getDouble(k);
            if (Double.isNaN(x)) {
                return "NAN";
            }
            if (Double.isInfinite(x)) {
                return x > 0 ? "INFINITY" : "-INFINITY";
            }
            return Double.toHexString(x); // exact
        }
        long x = v.getLong(k);
        return x == Long.MIN_VALUE ? "INT64_MIN" : x + "LL";
    }

    /** Frees the kept buffers, the table and the buffer array (safe when not allocated). */
    void release(Emit e) {
        e.line("if (" + prefix + "B) { for (int q = 0; q < " + Math.max(1, segment.reuseCount()) + "; q++) free(" + prefix
                + "B[q]); }");
        e.line("free(" + prefix + "T); free(" + prefix + "B); free(" + prefix + "C);");
        e.line(prefix + "T = NULL; " + prefix + "B = NULL; " + prefix + "C = NULL;");
    }

    /**
     * Writes the nodes' code. A failing node sets {@code rc} to its index + 1 and jumps to
     * {@code innerFail}, where {@link #describeFailure} adds which node it was.
     */
    void body(Emit e, String innerFail) {
        e.line("{");
        e.line("tsl_arr* T = " + prefix + "T; void** bufs = " + prefix + "B; int64_t* caps = " + prefix + "C;");
        e.line("(void) T; (void) bufs; (void) caps;");
        redirect(e, innerFail);
        for (int i = 0; i < segment.nodes.size(); i++) {
            Apply a = segment.nodes.get(i);
            StringBuilder sb = new StringBuilder();
            Emitters.of(a).emit(a, new Emit(sb, segment, i));
            e.line("/* " + a.op().toString().replace("*/", "* /") + " */");
            for (String l : sb.toString().split("\n")) {
                String s = l.strip();
                if (s.startsWith("#pragma omp parallel for simd")) {
                    // one step's arrays are small; starting an OpenMP team each step would cost more than the work
                    s = "#pragma omp simd";
                }
                if (!s.isEmpty()) {
                    e.line(s);
                }
            }
        }
        restore(e);
        e.line("}");
    }

    /**
     * Whether every node is an elementwise op on scalars (0-d): then a step can be plain C
     * arithmetic on local variables ({@link #scalarBody}), with no descriptors, buffers or
     * shape checks — a scan with a scalar state (Horner's rule, a running sum) costs a few
     * nanoseconds a step.
     */
    boolean scalarOnly() {
        for (Apply a : segment.nodes) {
            if (!(a.op() instanceof tsl.ops.elemwise.Elemwise) || !(Emitters.of(a) instanceof ElemwiseEmitter)) {
                return false;
            }
            for (Variable v : a.inputs()) {
                if (v.ndim() != 0) {
                    return false;
                }
            }
            if (a.outputs().size() != 1 || a.outputs().get(0).ndim() != 0) {
                return false;
            }
        }
        return true;
    }

    /** For {@link #scalarBody}: points each computed output's descriptor at a scalar that lives across steps. */
    void prepareScalar(Emit e) {
        Set<Variable> computed = Collections.newSetFromMap(new IdentityHashMap<>());
        computed.addAll(segment.computed);
        Set<Variable> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable o : graph.outputs()) {
            if (computed.contains(o) && done.add(o)) {
                int k = slot.get(o);
                String d = arr(o);
                e.line(Prelude.cType(o.dtype()) + " " + prefix + "S" + k + ";");
                e.line(d + "->data = (char*) &" + prefix + "S" + k + "; " + d + "->ndim = 0; " + d + "->owner = -1;");
            }
        }
    }

    /** One step as scalar C arithmetic (see {@link #scalarOnly}); the outputs land where {@link #prepareScalar} pointed them. */
    void scalarBody(Emit e) {
        e.line("{");
        Map<Variable, String> local = new IdentityHashMap<>();
        for (Apply a : segment.nodes) {
            tsl.ops.elemwise.Elemwise ew = (tsl.ops.elemwise.Elemwise) a.op();
            Variable out = a.outputs().get(0);
            String ct = ElemwiseEmitter.computeType(a);
            String base = "v" + slot.get(out);
            String[] names = new String[a.inputs().size()];
            for (int i = 0; i < names.length; i++) {
                Variable in = a.inputs().get(i);
                String value = local.containsKey(in) ? local.get(in)
                        : "(*(const " + Prelude.cType(in.dtype()) + "*) " + arr(in) + "->data)";
                names[i] = base + "a" + i;
                e.line("const " + ct + " " + names[i] + " = (" + ct + ") " + value + ";");
            }
            String ot = Prelude.cType(out.dtype());
            e.line((out.dtype().isFloat() ? "" : "const ") + ot + " " + base + " = " + ElemwiseEmitter.store(out.dtype(), ct, ew.scalar().c().apply(names)) + ";");
            if (out.dtype().isFloat()) {
                // each node rounds on its own, as op by op (and the jvm reference) does: no fused multiply-add across nodes
                e.line("__asm__(\"\" : \"+x\"(" + base + "));");
            }
            local.put(out, base);
        }
        Set<Variable> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable o : graph.outputs()) {
            if (local.containsKey(o) && done.add(o)) {
                e.line(prefix + "S" + slot.get(o) + " = " + local.get(o) + ";");
            }
        }
        e.line("}");
    }

    /**
     * The kept buffer that {@code v} (an inner variable) is computed into, or -1 when it has none
     * of its own (an input, a constant, a view).
     */
    int ownBuffer(Variable v) {
        return segment.computed.contains(v) ? segment.reuseBuffer(v) : -1;
    }

    /** The C names of the kept buffers and their capacities. */
    String buffers() { return prefix + "B"; }
    String capacities() { return prefix + "C"; }

    /** After a node failed ({@code rc} = its index + 1, message in err): appends which inner node it was. */
    void describeFailure(Emit e, String where) {
        int n = segment.nodes.size();
        if (n == 0) {
            return;
        }
        StringBuilder names = new StringBuilder("static const char* const " + prefix + "N[] = {");
        for (int i = 0; i < n; i++) {
            Apply a = segment.nodes.get(i);
            String d = a.op() + " (inside " + where + ")"
                    + (a.location() != null ? "\nThe node was built at " + a.location().prefix() : "");
            names.append(i > 0 ? ", " : "").append('"').append(Emit.escape(d)).append('"');
        }
        e.line(names.append("};").toString());
        e.line("if (rc >= 1 && rc <= " + n + ") {");
        e.line("size_t len = strlen(err);");
        e.line("snprintf(err + len, TSL_ERRLEN - len, \"\\nApply node that caused the error: %s\", " + prefix + "N[rc - 1]);");
        e.line("}");
    }

    /** Makes {@code goto fail} jump to {@code label} until {@link #restore}. */
    static void redirect(Emit e, String label) {
        e.line("#undef fail");
        e.line("#define fail " + label);
        FAIL.get().push(label);
    }

    /** Undoes the last {@link #redirect}. */
    static void restore(Emit e) {
        Deque<String> d = FAIL.get();
        d.pop();
        e.line("#undef fail");
        if (!d.isEmpty()) {
            e.line("#define fail " + d.peek());
        }
    }

    /** How deep in control ops the code being written is (0: the segment's own code). */
    private static int depth() {
        return FAIL.get().size();
    }

    /** Drops redirects above {@code depth}: after a code generator failed half-way, the next one starts clean. */
    private static void unwindTo(int depth) {
        Deque<String> d = FAIL.get();
        while (d.size() > depth) {
            d.pop();
        }
    }

    /** Writes a control op's code; whatever fail redirects the writer left (even when it threw) are dropped after. */
    static void scoped(Runnable writer) {
        int depth = depth();
        try {
            writer.run();
        } finally {
            unwindTo(depth);
        }
    }

    /** A name prefix unique within the enclosing C function, stable from run to run (so the kernel cache hits). */
    static String uniquePrefix(Emit e, Variable firstOutput, String kind) {
        Deque<String> d = FAIL.get();
        String parent = d.isEmpty() ? "tsl" : d.peek();
        return parent + "_" + kind + e.arr(firstOutput).replaceAll("\\D", "") + "_";
    }

    /** A C statement that copies array {@code src} (any strides) into contiguous memory at {@code dst}. */
    static String copyInto(String dst, String src, long itemsize) {
        return "if (tsl_is_contiguous(" + src + ")) memcpy(" + dst + ", " + src + "->data, tsl_size(" + src + ") * " + itemsize
                + "); else tsl_copy_contiguous(" + src + ", " + dst + ", " + itemsize + ");";
    }
}
