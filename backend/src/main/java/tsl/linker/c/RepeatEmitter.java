package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.shape.Repeat;

/**
 * numpy.repeat along one axis: the counts (a scalar, or a vector of one count per element
 * or of length 1) are read and checked first, as the jvm reference does, then each output
 * position along the axis is mapped to its source position and the output is written row by
 * row in C order, reading x through its strides.
 */
final class RepeatEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Repeat;
    }

    @Override
    public void emit(Apply node, Emit e) {
        int axis = ((Repeat) node.op()).axis();
        Variable x = node.input(0);
        Variable r = node.input(1);
        Variable out = node.output();
        int nd = x.ndim();
        String rt = Prelude.cType(r.dtype());
        String ct = Prelude.cType(x.dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* r = " + e.arr(r) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("const int64_t n = x->shape[" + axis + "];");
        if (r.ndim() == 0) {
            e.line("const int64_t rn = 1, rs = 0;");
        } else {
            e.line("const int64_t rn = r->shape[0], rs = rn == 1 ? 0 : r->strides[0];");
            e.line("if (rn != n && rn != 1) {");
            e.fail("operands could not be broadcast together with shape (%lld,) (%lld,)", "(long long) n", "(long long) rn");
            e.line("}");
        }
        e.line("const " + rt + "* pr = (const " + rt + "*) r->data;");
        e.line("int64_t total = 0;");
        e.line("for (int64_t i = 0; i < n; i++) {");
        e.line("const int64_t c = (int64_t) pr[i * rs];");
        e.line("if (c < 0) {");
        e.fail("repeats may not contain negative values.");
        e.line("}");
        e.line("if (c > INT32_MAX - total) {");
        e.fail("MemoryError: repeat: the result would have more than 2147483647 elements along axis " + axis);
        e.line("}");
        e.line("total += c;");
        e.line("}");
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = x->shape[d];");
        e.line("o->shape[" + axis + "] = total;");
        e.allocate(out, "o");
        e.line("const int64_t size = tsl_size(o);");
        e.line("if (size > 0) {");
        // src[j]: the position along the axis that output position j copies
        e.line("int64_t* src = (int64_t*) malloc(total * sizeof(int64_t));");
        e.line("if (!src) {");
        e.fail("MemoryError: repeat: cannot allocate %lld indices", "(long long) total");
        e.line("}");
        e.line("for (int64_t i = 0, j = 0; i < n; i++) for (int64_t c = (int64_t) pr[i * rs]; c > 0; c--) src[j++] = i;");
        e.line("const " + ct + "* px = (const " + ct + "*) x->data;");
        e.line(ct + "* po = (" + ct + "*) o->data;");
        // row by row over the last dimension, whose source position is src[j] when it is the repeated axis
        e.line("const int64_t inner = o->shape[" + (nd - 1) + "], sl = x->strides[" + (nd - 1) + "];");
        e.line("int64_t idx[TSL_MAXD] = {0};");
        e.line("for (int64_t row = 0; row < size / inner; row++) {");
        e.line("int64_t off = 0;");
        e.line("for (int d = 0; d < " + (nd - 1) + "; d++) off += (d == " + axis + " ? src[idx[d]] : idx[d]) * x->strides[d];");
        e.line("const " + ct + "* in = px + off;");
        e.line(ct + "* to = po + row * inner;");
        e.line(axis == nd - 1 ? "for (int64_t j = 0; j < inner; j++) to[j] = in[src[j] * sl];"
                : "for (int64_t j = 0; j < inner; j++) to[j] = in[j * sl];");
        e.line("for (int d = " + (nd - 2) + "; d >= 0; d--) { if (++idx[d] < o->shape[d]) break; idx[d] = 0; }");
        e.line("}");
        e.line("free(src);");
        e.line("}");
        e.line("}");
    }
}
