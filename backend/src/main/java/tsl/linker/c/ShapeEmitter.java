package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.reduce.Reduce;
import tsl.ops.reduce.ReducedCount;
import tsl.ops.shape.Shape;

/**
 * Shape and ReducedCount: int64 values read from input shapes. In C they keep a function's
 * shape arithmetic (the zeros that a dot's gemm starts from, a mean's divisor) inside its
 * segment instead of splitting it around a Java step.
 */
final class ShapeEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (node.op() instanceof Shape) {
            return true;
        }
        if (node.op() instanceof ReducedCount) {
            int nd = node.input(0).ndim();
            return node.inputs().stream().allMatch(v -> v.ndim() == nd); // mixed ranks stay in Java
        }
        return false;
    }

    @Override
    public void emit(Apply node, Emit e) {
        if (node.op() instanceof Shape) {
            shape(node, e);
        } else {
            count(node, (ReducedCount) node.op(), e);
        }
    }

    private static void shape(Apply node, Emit e) {
        int nd = node.input(0).ndim();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("o->ndim = 1;");
        e.line("o->shape[0] = " + nd + ";");
        e.allocate(node.output(), "o");
        e.line("for (int d = 0; d < " + nd + "; d++) ((int64_t*) o->data)[d] = x->shape[d];");
        e.line("}");
    }

    /** The product of the reduced lengths of the shape the inputs broadcast to; the jvm linker's error if they do not. */
    private static void count(Apply node, ReducedCount op, Emit e) {
        int nd = node.input(0).ndim();
        boolean[] reduced = new Reduce(Reduce.Kind.SUM, op.axes()).reducedAxes(nd);
        e.line("{");
        e.line("tsl_arr b = *" + e.arr(node.input(0)) + ";");
        for (int i = 1; i < node.inputs().size(); i++) {
            Variable in = node.input(i);
            e.line("{");
            e.line("const tsl_arr* x = " + e.arr(in) + ";");
            e.line("for (int d = 0; d < " + nd + "; d++) {");
            e.line("if (b.shape[d] != x->shape[d] && b.shape[d] != 1 && x->shape[d] != 1) {");
            e.line("char s0[256], s1[256];");
            e.fail("Input dimension mismatch: shapes %s and %s cannot be broadcast together", "tsl_shape(&b, s0, 256)",
                    "tsl_shape(x, s1, 256)");
            e.line("}");
            e.line("if (b.shape[d] == 1) b.shape[d] = x->shape[d];");
            e.line("}");
            e.line("}");
        }
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("o->ndim = 0;");
        e.allocate(node.output(), "o");
        e.line("int64_t n = 1;");
        for (int d = 0; d < nd; d++) {
            if (reduced[d]) {
                e.line("n *= b.shape[" + d + "];");
            }
        }
        e.line("*(int64_t*) o->data = n;");
        e.line("}");
    }
}
