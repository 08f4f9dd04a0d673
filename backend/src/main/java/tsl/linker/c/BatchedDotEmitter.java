package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.blas.BatchedDot;
import tsl.tensor.DType;

/**
 * BatchedDot, x (b, n, m) times y (b, m, p): one OpenBLAS gemm per batch for float32/float64
 * results, and the jvm reference's plain loop for integer and bool results (int64 sums that
 * wrap as Java's long arithmetic does, then stored in the output's dtype). As in the
 * reference, an operand of another dtype is converted to the output's first; one whose
 * matrices BLAS cannot read in place (no unit-stride axis) is copied once, not per batch.
 * Empty products (a zero dimension) are zeros without a BLAS call, as the reference does.
 */
final class BatchedDotEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof BatchedDot;
    }

    @Override
    public boolean usesBlas(Apply node) {
        return node.output().dtype().isFloat();
    }

    @Override
    public void emit(Apply node, Emit e) {
        Variable x = node.input(0);
        Variable y = node.input(1);
        Variable out = node.output();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* y = " + e.arr(y) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("const int64_t b = x->shape[0], n = x->shape[1], m = x->shape[2], p = y->shape[2];");
        e.line("if (y->shape[0] != b || y->shape[1] != m) {");
        e.fail("BatchedDot: shapes [%lld, %lld, %lld] and [%lld, %lld, %lld] do not match", "(long long) b", "(long long) n",
                "(long long) m", "(long long) y->shape[0]", "(long long) y->shape[1]", "(long long) p");
        e.line("}");
        e.line("o->ndim = 3;");
        e.line("o->shape[0] = b; o->shape[1] = n; o->shape[2] = p;");
        e.allocate(out, "o");
        if (out.dtype().isFloat()) {
            emitBlas(node, e);
        } else {
            emitLoop(node, e);
        }
        e.line("}");
    }

    private static void emitBlas(Apply node, Emit e) {
        DType d = node.output().dtype();
        boolean single = d == DType.FLOAT32;
        String t = Prelude.cType(d);
        String p = single ? "s" : "d";
        e.line(t + "* po = (" + t + "*) o->data;");
        e.line("if (m == 0) {");
        e.line("for (int64_t i = 0; i < b * n * p; i++) po[i] = 0;");
        e.line("} else if (b > 0 && n > 0 && p > 0) {");
        e.line("char* sx = NULL; char* sy = NULL;");
        e.line("tsl_arr xa, ya;");
        operand(e, node.input(0), d, "x", "xa", "sx");
        operand(e, node.input(1), d, "y", "ya", "sy");
        e.line("if (!xa.data || !ya.data) {");
        e.line("free(sx); free(sy);");
        e.fail("MemoryError: BatchedDot: cannot allocate a copy of an operand");
        e.line("}");
        // every batch has the same strides: how BLAS reads the first matrix is how it reads them all
        e.line("tsl_arr x0 = {xa.data, 2, -1, {n, m}, {xa.strides[1], xa.strides[2]}};");
        e.line("tsl_arr y0 = {ya.data, 2, -1, {m, p}, {ya.strides[1], ya.strides[2]}};");
        e.line("int64_t lx, ly;");
        e.line("const int tx = tsl_blas_layout(&x0, &lx), ty = tsl_blas_layout(&y0, &ly);");
        e.line("for (int64_t k = 0; k < b; k++) {");
        e.line("const " + t + "* a = (const " + t + "*) xa.data + k * xa.strides[0];");
        e.line("const " + t + "* c = (const " + t + "*) ya.data + k * ya.strides[0];");
        e.line("cblas_" + p + "gemm(CblasRowMajor, tx ? CblasTrans : CblasNoTrans, ty ? CblasTrans : CblasNoTrans, "
                + "n, p, m, 1, a, lx, c, ly, 0, po + k * n * p, p);");
        e.line("}");
        e.line("free(sx); free(sy);");
        e.line("}");
    }

    /**
     * Fills {@code view} with operand {@code name} as BLAS will read it: the
     * operand itself when it has the output's dtype and its matrices a unit-stride axis, else a
     * contiguous copy (converted to the output's dtype) in {@code scratch}; a null data pointer
     * means the copy could not be allocated.
     */
    private static void operand(Emit e, Variable v, DType d, String name, String view, String scratch) {
        String t = Prelude.cType(d);
        String vt = Prelude.cType(v.dtype());
        e.line(view + " = *" + name + ";");
        if (v.dtype() == d) {
            e.line("{");
            e.line("tsl_arr m0 = {" + name + "->data, 2, -1, {" + name + "->shape[1], " + name + "->shape[2]}, {" + name
                    + "->strides[1], " + name + "->strides[2]}};");
            e.line("int64_t ld;");
            e.line("if (tsl_blas_layout(&m0, &ld) < 0) {");
        }
        e.line(scratch + " = (char*) malloc(tsl_size(" + name + ") * sizeof(" + t + "));");
        e.line(view + ".data = " + scratch + ";");
        e.line("if (" + scratch + ") {");
        if (v.dtype() == d) {
            e.line("tsl_copy_contiguous(" + name + ", " + scratch + ", sizeof(" + t + "));");
        } else {
            e.line("int64_t idx[3] = {0};");
            e.line("const " + vt + "* src = (const " + vt + "*) " + name + "->data;");
            e.line("for (int64_t q = 0; q < tsl_size(" + name + "); q++) {");
            e.line("((" + t + "*) " + scratch + ")[q] = (" + t + ") src[idx[0] * " + name + "->strides[0] + idx[1] * " + name
                    + "->strides[1] + idx[2] * " + name + "->strides[2]];");
            e.line("for (int dd = 2; dd >= 0; dd--) { if (++idx[dd] < " + name + "->shape[dd]) break; idx[dd] = 0; }");
            e.line("}");
        }
        e.line("tsl_set_contiguous(&" + view + ");");
        e.line("}");
        if (v.dtype() == d) {
            e.line("}");
            e.line("}");
        }
    }

    private static void emitLoop(Apply node, Emit e) {
        DType d = node.output().dtype();
        String ot = Prelude.cType(d);
        String xt = Prelude.cType(node.input(0).dtype());
        String yt = Prelude.cType(node.input(1).dtype());
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        e.line("const " + yt + "* py = (const " + yt + "*) y->data;");
        e.line(ot + "* po = (" + ot + "*) o->data;");
        e.line("const int64_t xs0 = x->strides[0], xs1 = x->strides[1], xs2 = x->strides[2];");
        e.line("const int64_t ys0 = y->strides[0], ys1 = y->strides[1], ys2 = y->strides[2];");
        e.line("for (int64_t k = 0; k < b; k++) {");
        e.line("for (int64_t i = 0; i < n; i++) {");
        e.line("for (int64_t j = 0; j < p; j++) {");
        // unsigned arithmetic: Java's long wraps on overflow, C's signed overflow is undefined
        e.line("uint64_t s = 0;");
        e.line("for (int64_t q = 0; q < m; q++) s += (uint64_t) (int64_t) px[k * xs0 + i * xs1 + q * xs2] "
                + "* (uint64_t) (int64_t) py[k * ys0 + q * ys1 + j * ys2];");
        e.line("po[(k * n + i) * p + j] = " + ElemwiseEmitter.store(d, "int64_t", "(int64_t) s") + ";");
        e.line("}");
        e.line("}");
        e.line("}");
    }
}
