package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.shape.Sort;

/**
 * sort / argsort along one axis, in the jvm reference's order: stable, NaN last, -0.0 equal
 * to 0.0. Each line along the axis is copied out, its positions are sorted by a bottom-up
 * merge sort (insertion-sorted runs of 16 first), and the values or positions are stored.
 */
final class SortEmitter implements NodeEmitter {
    /** Length of the runs that insertion sort orders before the merges. */
    private static final int RUN = 16;

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Sort;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Sort op = (Sort) node.op();
        int axis = op.axis();
        Variable x = node.input(0);
        Variable out = node.output();
        int nd = x.ndim();
        String xt = Prelude.cType(x.dtype());
        String ot = Prelude.cType(out.dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = x->shape[d];");
        e.allocate(out, "o");
        e.line("const int64_t n = x->shape[" + axis + "], lines = n == 0 ? 0 : tsl_size(x) / n;");
        e.line("if (lines > 0) {");
        e.line("const int64_t sx = x->strides[" + axis + "], so = o->strides[" + axis + "];");
        e.line(xt + "* v = (" + xt + "*) malloc(n * sizeof(" + xt + "));");
        e.line("int64_t* ix = (int64_t*) malloc(n * sizeof(int64_t));");
        e.line("int64_t* tmp = (int64_t*) malloc(n * sizeof(int64_t));");
        e.line("if (!v || !ix || !tmp) {");
        e.line("free(v); free(ix); free(tmp);");
        e.fail("MemoryError: " + (op.arg() ? "argsort" : "sort") + ": cannot allocate the scratch of a line of %lld elements",
                "(long long) n");
        e.line("}");
        e.line("int64_t li[TSL_MAXD + 1] = {0};");
        e.line("for (int64_t line = 0; line < lines; line++) {");
        e.line("int64_t bx = 0, bo = 0;");
        e.line("for (int d = 0; d < " + nd + "; d++) if (d != " + axis + ") { bx += li[d] * x->strides[d]; bo += li[d] * o->strides[d]; }");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data + bx;");
        e.line(ot + "* po = (" + ot + "*) o->data + bo;");
        e.line("for (int64_t j = 0; j < n; j++) { v[j] = px[j * sx]; ix[j] = j; }");
        sortPositions(e, x.dtype().isFloat());
        e.line("for (int64_t j = 0; j < n; j++) po[j * so] = " + (op.arg() ? "ix[j]" : "v[ix[j]]") + ";");
        e.line("for (int d = " + (nd - 1) + "; d >= 0; d--) { if (d == " + axis + ") continue; if (++li[d] < x->shape[d]) break; li[d] = 0; }");
        e.line("}");
        e.line("free(v); free(ix); free(tmp);");
        e.line("}");
        e.line("}");
    }

    /** Sorts {@code ix[0..n)} by {@code v[ix[j]]}, stably; {@code tmp} is scratch of the same length. */
    private static void sortPositions(Emit e, boolean floating) {
        e.line("for (int64_t lo = 0; lo < n; lo += " + RUN + ") {");
        e.line("const int64_t hi = lo + " + RUN + " < n ? lo + " + RUN + " : n;");
        e.line("for (int64_t i = lo + 1; i < hi; i++) {");
        e.line("const int64_t cur = ix[i];");
        e.line("int64_t k = i;");
        e.line("while (k > lo && " + less("v[cur]", "v[ix[k - 1]]", floating) + ") { ix[k] = ix[k - 1]; k--; }");
        e.line("ix[k] = cur;");
        e.line("}");
        e.line("}");
        e.line("for (int64_t w = " + RUN + "; w < n; w *= 2) {");
        e.line("for (int64_t lo = 0; lo < n; lo += 2 * w) {");
        e.line("const int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;");
        e.line("int64_t i = lo, j = mid, k = lo;");
        // the left run wins ties: that is what keeps the sort stable
        e.line("while (i < mid && j < hi) tmp[k++] = " + less("v[ix[j]]", "v[ix[i]]", floating) + " ? ix[j++] : ix[i++];");
        e.line("while (i < mid) tmp[k++] = ix[i++];");
        e.line("while (j < hi) tmp[k++] = ix[j++];");
        e.line("}");
        e.line("int64_t* t = ix; ix = tmp; tmp = t;");
        e.line("}");
    }

    /** C for {@code a} before {@code b}: plain {@code <}, with NaN after every number for floats. */
    private static String less(String a, String b, boolean floating) {
        return floating ? "(" + b + " != " + b + " ? " + a + " == " + a + " : " + a + " < " + b + ")" : "(" + a + " < " + b + ")";
    }
}
