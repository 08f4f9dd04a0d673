package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.reduce.Argmax;

/**
 * argmax / argmin over any axes: for each output position, the first flat index (in C order
 * over the reduced axes) of the largest (smallest) value; a NaN wins and the first NaN stays,
 * as NumPy and the jvm reference do.
 */
final class ArgmaxEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Argmax;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Argmax op = (Argmax) node.op();
        Variable x = node.input(0);
        int nd = x.ndim();
        boolean[] reduced = op.reduced(nd);
        List<Integer> kept = new ArrayList<>();
        List<Integer> red = new ArrayList<>();
        for (int d = 0; d < nd; d++) {
            (reduced[d] ? red : kept).add(d);
        }
        String xt = Prelude.cType(x.dtype());
        boolean integral = !x.dtype().isFloat();
        String vt = integral ? "int64_t" : "double";
        String name = op.min() ? "argmin" : "argmax";
        String cmp = op.min() ? "<" : ">";
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("o->ndim = " + kept.size() + ";");
        e.line("int64_t group = 1;");
        for (int k = 0; k < kept.size(); k++) {
            e.line("o->shape[" + k + "] = x->shape[" + kept.get(k) + "];");
        }
        for (int d : red) {
            e.line("group *= x->shape[" + d + "];");
        }
        e.line("if (group == 0) {");
        e.fail("attempt to get " + name + " of an empty sequence");
        e.line("}");
        e.allocate(node.output(), "o");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        e.line("int64_t* po = (int64_t*) o->data;");
        e.line("const int64_t m = tsl_size(o);");
        e.line("int64_t oi[TSL_MAXD + 1] = {0};");
        // the last reduced axis is the inner loop; the others advance an index counter
        int last = red.isEmpty() ? -1 : red.get(red.size() - 1);
        String inner = last < 0 ? "1" : "x->shape[" + last + "]";
        String innerStride = last < 0 ? "0" : "x->strides[" + last + "]";
        e.line("const int64_t inner = " + inner + ", si = " + innerStride + ";");
        e.line("for (int64_t q = 0; q < m; q++) {");
        e.line("int64_t base = 0;");
        for (int k = 0; k < kept.size(); k++) {
            e.line("base += oi[" + k + "] * x->strides[" + kept.get(k) + "];");
        }
        e.line("int64_t ri[TSL_MAXD + 1] = {0}, where = 0, w = 0;");
        e.line(vt + " best = 0;");
        e.line("int seen = 0;");
        e.line("for (int64_t r = 0; r < group / inner; r++) {");
        e.line("int64_t off = base;");
        for (int k = 0; k < red.size() - 1; k++) {
            e.line("off += ri[" + k + "] * x->strides[" + red.get(k) + "];");
        }
        e.line("for (int64_t j = 0; j < inner; j++, w++) {");
        e.line("const " + vt + " v = (" + vt + ") px[off + j * si];");
        if (integral) {
            e.line("if (!seen || v " + cmp + " best) { best = v; where = w; seen = 1; }");
        } else {
            e.line("if (!seen || (!isnan(best) && (isnan(v) || v " + cmp + " best))) { best = v; where = w; seen = 1; }");
        }
        e.line("}");
        for (int k = red.size() - 2; k >= 0; k--) {
            e.line("if (++ri[" + k + "] < x->shape[" + red.get(k) + "]) continue;");
            e.line("ri[" + k + "] = 0;");
        }
        e.line("}");
        e.line("po[q] = where;");
        for (int k = kept.size() - 1; k >= 0; k--) {
            e.line("if (++oi[" + k + "] < o->shape[" + k + "]) continue;");
            e.line("oi[" + k + "] = 0;");
        }
        e.line("}");
        e.line("}");
    }
}
