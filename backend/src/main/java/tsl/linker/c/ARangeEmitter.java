package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.shape.ARange;

/**
 * arange(start, stop, step): the length ceil((stop - start) / step) computed in double as the
 * jvm reference does, integer values as start + i * step in int64 when all three are integers.
 */
final class ARangeEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        // a float range stored into an integer dtype goes through Java's casts; not in C
        return node.op() instanceof ARange && (node.output().dtype().isFloat() || integral(node));
    }

    private static boolean integral(Apply node) {
        return !node.output().dtype().isFloat() && !node.input(0).dtype().isFloat() && !node.input(2).dtype().isFloat();
    }

    @Override
    public void emit(Apply node, Emit e) {
        boolean integral = integral(node);
        String ot = Prelude.cType(node.output().dtype());
        e.line("{");
        String[] names = {"start", "stop", "step"};
        for (int i = 0; i < 3; i++) {
            String it = Prelude.cType(node.input(i).dtype());
            e.line("const " + it + " " + names[i] + "_v = *(const " + it + "*) " + e.arr(node.input(i)) + "->data;");
            e.line("const double " + names[i] + " = (double) " + names[i] + "_v;");
        }
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("if (step == 0) {");
        e.fail("arange: step cannot be zero");
        e.line("}");
        e.line("const double c = ceil((stop - start) / step);");
        e.line("const int64_t n = c > 0 ? (int64_t) c : 0;");
        e.line("if (!(c < 2147483648.0) && n > 0) {");
        e.fail("MemoryError: arange: cannot allocate an array of %.0f elements", "c");
        e.line("}");
        e.line("o->ndim = 1;");
        e.line("o->shape[0] = n;");
        e.allocate(node.output(), "o");
        e.line(ot + "* po = (" + ot + "*) o->data;");
        if (integral) {
            e.line("for (int64_t i = 0; i < n; i++) po[i] = (" + ot + ") ((int64_t) start_v + i * (int64_t) step_v);");
        } else {
            e.line("for (int64_t i = 0; i < n; i++) po[i] = (" + ot + ") (start + i * step);");
        }
        e.line("}");
    }
}
