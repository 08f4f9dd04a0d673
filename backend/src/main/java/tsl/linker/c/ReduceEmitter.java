package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/**
 * Reduce (sum, prod, mean, max, min, all, any over any axes). It walks the input in C order
 * and accumulates in double (int64 for integers) as the jvm reference does, so float sums
 * round identically on both backends.
 */
final class ReduceEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Reduce;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Reduce op = (Reduce) node.op();
        Variable x = node.input(0);
        Variable out = node.output();
        int nd = x.ndim();
        boolean[] reduced = op.reducedAxes(nd);
        boolean integral = !out.dtype().isFloat() && !x.dtype().isFloat();
        String at = integral ? "int64_t" : "double";
        String xt = Prelude.cType(x.dtype());
        String ot = Prelude.cType(out.dtype());
        Reduce.Kind kind = op.kind();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("o->ndim = " + out.ndim() + ";");
        e.line("int64_t count = 1;");
        int k = 0;
        for (int d = 0; d < nd; d++) {
            if (reduced[d]) {
                e.line("count *= x->shape[" + d + "];");
            } else {
                e.line("o->shape[" + (k++) + "] = x->shape[" + d + "];");
            }
        }
        if (kind == Reduce.Kind.MAX || kind == Reduce.Kind.MIN) {
            e.line("if (count == 0) {");
            e.fail("zero-size array to reduction operation " + kind.name().toLowerCase() + " which has no identity");
            e.line("}");
        }
        e.allocate(out, "o");
        e.line("const int64_t m = tsl_size(o);");
        e.line(at + " one;");
        e.line(at + "* acc = m == 1 ? &one : (" + at + "*) malloc((m > 0 ? m : 1) * sizeof(" + at + "));");
        e.line("if (!acc) {");
        e.fail("MemoryError: cannot allocate the accumulators of " + Emit.text(op.toString()));
        e.line("}");
        e.line("for (int64_t i = 0; i < m; i++) acc[i] = " + init(kind, integral) + ";");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        if (nd == 0) {
            e.line("{ " + at + " a = acc[0]; const " + at + " v = (" + at + ") px[0]; " + step(kind, integral) + " acc[0] = a; }");
        } else {
            // the output stride of each input dimension: 0 where it is reduced
            e.line("int64_t sx[" + nd + "], so[" + nd + "];");
            k = 0;
            for (int d = 0; d < nd; d++) {
                e.line("sx[" + d + "] = x->strides[" + d + "];");
                e.line("so[" + d + "] = " + (reduced[d] ? "0" : "o->strides[" + (k++) + "]") + ";");
            }
            String body = "const " + at + " v = (" + at + ") px[off0];\n"
                    + at + " a = acc[off1];\n" + step(kind, integral) + "\nacc[off1] = a;";
            if (reduced[nd - 1]) {
                // the innermost dimension is reduced: keep its accumulator in a register
                e.line("if (x->shape[" + (nd - 1) + "] > 0 && tsl_size(o) > 0) {");
                e.line("int64_t idx[" + nd + "] = {0};");
                e.line("const int64_t inner = x->shape[" + (nd - 1) + "], rows = tsl_size(x) / inner, s = sx[" + (nd - 1) + "];");
                e.line("for (int64_t r = 0; r < rows; r++) {");
                e.line("int64_t bx = 0, bo = 0;");
                e.line("for (int d = 0; d < " + (nd - 1) + "; d++) { bx += idx[d] * sx[d]; bo += idx[d] * so[d]; }");
                e.line(at + " a = acc[bo];");
                e.line("for (int64_t j = 0; j < inner; j++) { const " + at + " v = (" + at + ") px[bx + j * s]; " + step(kind, integral) + " }");
                e.line("acc[bo] = a;");
                e.line("for (int d = " + (nd - 2) + "; d >= 0; d--) { if (++idx[d] < x->shape[d]) break; idx[d] = 0; }");
                e.line("}");
                e.line("}");
            } else {
                e.line("if (tsl_size(x) > 0) {");
                Loops.strided(e, "x", nd, List.of("sx", "so"), body);
                e.line("}");
            }
        }
        e.line(ot + "* po = (" + ot + "*) o->data;");
        e.line("for (int64_t i = 0; i < m; i++) po[i] = " + finish(kind, integral, out.dtype(), ot) + ";");
        e.line("if (acc != &one) free(acc);");
        e.line("}");
    }

    private static String init(Reduce.Kind kind, boolean integral) {
        return switch (kind) {
            case SUM, MEAN, ANY -> "0";
            case PROD, ALL -> "1";
            case MAX -> integral ? "INT64_MIN" : "-INFINITY";
            case MIN -> integral ? "INT64_MAX" : "INFINITY";
        };
    }

    /** One accumulation step of {@code a} with {@code v}, as Reduce.perform does it. */
    private static String step(Reduce.Kind kind, boolean integral) {
        return switch (kind) {
            case SUM, MEAN -> "a = a + v;";
            case PROD -> "a = a * v;";
            case MAX -> integral ? "a = v > a ? v : a;" : "a = (v != v || a != a) ? NAN : (v > a ? v : a);";
            case MIN -> integral ? "a = v < a ? v : a;" : "a = (v != v || a != a) ? NAN : (v < a ? v : a);";
            case ALL -> "a = (a != 0 && v != 0);";
            case ANY -> "a = (a != 0 || v != 0);";
        };
    }

    private static String finish(Reduce.Kind kind, boolean integral, DType out, String ot) {
        if (out.isBool()) {
            return "(" + ot + ") (acc[i] != 0)";
        }
        if (kind == Reduce.Kind.MEAN && !integral) {
            return "(" + ot + ") (count == 0 ? NAN : acc[i] / (double) count)";
        }
        return "(" + ot + ") acc[i]";
    }
}
