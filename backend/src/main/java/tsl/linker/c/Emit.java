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

    /**
     * Grows {@code v}'s array (allocated by {@link #allocate}) to {@code rows} rows, keeping its
     * data; a MemoryError when it cannot.
     */
    void growRows(Variable v, String arrExpr, String rows) {
        int buf = segment.reuseBuffer(v);
        long itemsize = v.dtype().byteSize();
        String call = "tsl_grow_rows(" + arrExpr + ", " + rows + ", " + (buf < 0 ? "NULL, NULL" : "&bufs[" + buf + "], &caps[" + buf + "]")
                + ", " + itemsize + ")";
        line("if (" + call + ") { snprintf(err, TSL_ERRLEN, \"MemoryError: cannot grow an output of a while loop to %lld rows\", "
                + "(long long) (" + rows + ")); rc = " + (nodeIndex + 1) + "; goto fail; }");
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
