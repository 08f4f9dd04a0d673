package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.shape.CumOp;

/**
 * cumsum / cumprod along one axis (forwards or reversed): each line of the input walked with
 * the running value kept in double (int64 for integers) and stored at every step, as the jvm
 * reference does — a float32 cumsum rounds each stored value, never the running sum.
 */
final class CumOpEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof CumOp;
    }

    @Override
    public void emit(Apply node, Emit e) {
        CumOp op = (CumOp) node.op();
        Variable x = node.input(0);
        Variable out = node.output();
        int nd = x.ndim();
        int axis = op.axis();
        boolean integral = !out.dtype().isFloat();
        String at = integral ? "int64_t" : "double";
        String xt = Prelude.cType(x.dtype());
        String ot = Prelude.cType(out.dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = x->shape[d];");
        e.allocate(out, "o");
        e.line("const int64_t n = x->shape[" + axis + "], lines = n == 0 ? 0 : tsl_size(x) / n;");
        e.line("const int64_t sx = x->strides[" + axis + "], so = o->strides[" + axis + "];");
        e.line("int64_t li[TSL_MAXD + 1] = {0};");
        e.line("for (int64_t line = 0; line < lines; line++) {");
        e.line("int64_t bx = 0, bo = 0;");
        e.line("for (int d = 0; d < " + nd + "; d++) if (d != " + axis + ") { bx += li[d] * x->strides[d]; bo += li[d] * o->strides[d]; }");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data + bx;");
        e.line(ot + "* po = (" + ot + "*) o->data + bo;");
        e.line(at + " acc = " + (op.product() ? "1" : "0") + ";");
        e.line("for (int64_t j = 0; j < n; j++) {");
        e.line("const int64_t p = " + (op.reverse() ? "n - 1 - j" : "j") + ";");
        String sign = op.product() ? "*" : "+";
        // integers wrap as Java's long arithmetic does (signed overflow is undefined in C)
        e.line(integral ? "acc = (int64_t) ((uint64_t) acc " + sign + " (uint64_t) (int64_t) px[p * sx]);"
                : "acc = acc " + sign + " (double) px[p * sx];");
        e.line("po[p * so] = (" + ot + ") acc;");
        e.line("}");
        e.line("for (int d = " + (nd - 1) + "; d >= 0; d--) { if (d == " + axis + ") continue; if (++li[d] < x->shape[d]) break; li[d] = 0; }");
        e.line("}");
        e.line("}");
    }
}
