package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.nnet.Softmax;

/** Softmax and LogSoftmax over the last axis, shifted by the row maximum as the jvm reference is. */
final class SoftmaxEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Softmax && node.input(0).dtype().isFloat();
    }

    @Override
    public void emit(Apply node, Emit e) {
        boolean log = ((Softmax) node.op()).log();
        int nd = node.input(0).ndim();
        String t = Prelude.cType(node.input(0).dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = x->shape[d];");
        e.allocate(node.output(), "o");
        e.line("const int64_t n = x->shape[" + (nd - 1) + "], rows = n == 0 ? 0 : tsl_size(x) / n, s = x->strides[" + (nd - 1) + "];");
        e.line("const " + t + "* px = (const " + t + "*) x->data;");
        e.line(t + "* po = (" + t + "*) o->data;");
        e.line("int64_t idx[" + nd + "] = {0};");
        e.line("for (int64_t r = 0; r < rows; r++) {");
        e.line("int64_t b = 0;");
        e.line("for (int d = 0; d < " + (nd - 1) + "; d++) b += idx[d] * x->strides[d];");
        e.line("const " + t + "* row = px + b;");
        e.line(t + "* dst = po + r * n;");
        e.line("double mx = -INFINITY;");
        e.line("for (int64_t j = 0; j < n; j++) { const double v = row[j * s]; mx = (v != v || mx != mx) ? NAN : (v > mx ? v : mx); }");
        e.line("if (isinf(mx)) mx = 0; /* all -inf (or a +inf): let the arithmetic give NumPy's answer */");
        e.line("double sum = 0;");
        e.line("for (int64_t j = 0; j < n; j++) sum += exp(row[j * s] - mx);");
        if (log) {
            e.line("const double ls = log(sum);");
            e.line("for (int64_t j = 0; j < n; j++) dst[j] = (" + t + ") ((row[j * s] - mx) - ls);");
        } else {
            e.line("for (int64_t j = 0; j < n; j++) dst[j] = (" + t + ") (exp(row[j * s] - mx) / sum);");
        }
        e.line("for (int d = " + (nd - 2) + "; d >= 0; d--) { if (++idx[d] < x->shape[d]) break; idx[d] = 0; }");
        e.line("}");
        e.line("}");
    }
}
