package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.subtensor.Nonzero;

/**
 * The (ndim, count) int64 coordinates of x's non-zero elements in C order. The count is data:
 * one pass counts (NaN is non-zero, -0.0 is zero, as {@code != 0} says in both languages),
 * the output is allocated, and a second pass writes the coordinates.
 */
final class NonzeroEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Nonzero;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Variable x = node.input(0);
        Variable out = node.output();
        int nd = x.ndim();
        String xt = Prelude.cType(x.dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        e.line("int64_t count = 0;");
        Loops.cOrder(e, "x", nd, "count += px[off] != 0;");
        e.line("o->ndim = 2;");
        e.line("o->shape[0] = " + nd + ";");
        e.line("o->shape[1] = count;");
        e.allocate(out, "o");
        e.line("int64_t* po = (int64_t*) o->data;");
        e.line("int64_t k = 0;");
        Loops.cOrder(e, "x", nd, "if (px[off] != 0) { for (int d = 0; d < " + nd + "; d++) po[d * count + k] = idx[d]; k++; }");
        e.line("}");
    }
}
