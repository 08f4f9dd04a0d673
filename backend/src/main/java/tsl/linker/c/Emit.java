package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;

/** What a node's code generator writes into: the C source and the segment's slots. */
final class Emit {
    private final StringBuilder out;
    private final Segment segment;
    private final int nodeIndex;
    private int indent = 1;

    Emit(StringBuilder out, Segment segment, int nodeIndex) {
        this.out = out;
        this.segment = segment;
        this.nodeIndex = nodeIndex;
    }

    /** The descriptor of {@code v}, a {@code tsl_arr*} expression. */
    String arr(Variable v) {
        return "(&T[" + segment.slot(v) + "])";
    }

    Emit line(String s) {
        if (guardedLoop != null) {
            captureLoopLine(s);
            return this;
        }
        if (s.startsWith("#pragma omp parallel") && SIZE_TEST.matcher(s).find()) {
            guardedPragma = s;
            guardedLoop = new java.util.ArrayList<>();
            guardedDepth = 0;
            return this;
        }
        return append(s);
    }

    // A "#pragma omp parallel ... if (n >= N)" loop still calls GOMP_parallel when n is small,
    // which builds a one-thread team (malloc, free, futex calls): most of the cost of a call
    // on scalars. A loop of one element (0-d values) therefore runs without the pragma; larger
    // ones keep exactly the code they had, so vectorized and scalar lanes (whose libm results
    // may differ in the last bit) stay where they were. The emitted loop must open its block
    // on the for line, as every emitter writes it.
    private static final java.util.regex.Pattern SIZE_TEST =
            java.util.regex.Pattern.compile(" if \\(([A-Za-z_][A-Za-z0-9_]*) >= [0-9]+L?\\)");
    private String guardedPragma;
    private java.util.List<String> guardedLoop;
    private int guardedDepth;

    private void captureLoopLine(String s) {
        guardedLoop.add(s);
        if (s.startsWith("}")) {
            guardedDepth--;
        }
        if (s.endsWith("{")) {
            guardedDepth++;
        }
        if (guardedDepth > 0) {
            return;
        }
        String pragma = guardedPragma;
        java.util.List<String> loop = guardedLoop;
        guardedPragma = null;
        guardedLoop = null;
        java.util.regex.Matcher m = SIZE_TEST.matcher(pragma);
        m.find();
        append("if (" + m.group(1) + " > 1) {");
        append(pragma);
        loop.forEach(this::append);
        append("} else {");
        loop.forEach(this::append);
        append("}");
    }

    private Emit append(String s) {
        if (s.startsWith("}")) {
            indent--;
        }
        out.append("    ".repeat(Math.max(indent, 0))).append(s).append('\n');
        if (s.endsWith("{")) {
            indent++;
        }
        return this;
    }

    /** Gives {@code v} (whose ndim and shape are already set) contiguous memory. */
    void allocate(Variable v, String arrExpr) {
        int buf = segment.reuseBuffer(v);
        long itemsize = v.dtype().byteSize();
        String call = buf < 0 ? "tsl_alloc_fresh(" + arrExpr + ", " + itemsize + ")"
                : "tsl_alloc_reuse(" + arrExpr + ", &bufs[" + buf + "], &caps[" + buf + "], " + itemsize + ")";
        line("if (" + call + ") { snprintf(err, TSL_ERRLEN, \"MemoryError: cannot allocate %lld bytes\", (long long) (tsl_size("
                + arrExpr + ") * " + itemsize + ")); rc = " + (nodeIndex + 1) + "; goto fail; }");
        line(arrExpr + "->owner = " + segment.slot(v) + ";");
    }

    /** Leaves the segment with an error: {@code format} and {@code args} as for printf. */
    void fail(String format, String... args) {
        StringBuilder sb = new StringBuilder("{ snprintf(err, TSL_ERRLEN, \"").append(escape(format)).append('"');
        for (String a : args) {
            sb.append(", ").append(a);
        }
        sb.append("); rc = ").append(nodeIndex + 1).append("; goto fail; }");
        line(sb.toString());
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Text to embed in a printf format as it is. */
    static String text(String s) {
        return s.replace("%", "%%");
    }

    Apply node() {
        return segment.nodes.get(nodeIndex);
    }
}
