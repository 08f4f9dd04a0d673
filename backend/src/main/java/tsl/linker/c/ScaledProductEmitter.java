package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.tensor.DType;

/**
 * Gemv and Gemm, {@code beta * z + alpha * dot(a, b)} (inputs z, alpha, a, b, beta), as one
 * OpenBLAS call with alpha and beta passed through: z (broadcast to the output's shape) is
 * copied into the output first and BLAS accumulates onto it. When beta is 0, z is not read,
 * as in BLAS and the jvm reference. Operands reach BLAS in place or through the contiguous
 * copy of {@link DotEmitter}'s helpers. In the rare graph where the product itself broadcasts
 * (a one-row product against a taller z), it goes to scratch memory and is combined after.
 */
final class ScaledProductEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return (node.op() instanceof Gemv || node.op() instanceof Gemm) && node.output().dtype().isFloat();
    }

    @Override
    public boolean usesBlas(Apply node) {
        return true;
    }

    @Override
    public void emit(Apply node, Emit e) {
        boolean matrix = node.op() instanceof Gemm;
        boolean single = node.output().dtype() == DType.FLOAT32;
        String t = single ? "float" : "double";
        String p = single ? "s" : "d";
        int size = single ? 4 : 8;
        String op = Emit.text(node.op().toString());
        int nd = matrix ? 2 : 1;
        e.line("{");
        e.line("const tsl_arr* z = " + e.arr(node.input(0)) + ";");
        e.line("const " + t + " alpha = *(const " + t + "*) " + e.arr(node.input(1)) + "->data;");
        e.line("const tsl_arr* x = " + e.arr(node.input(2)) + ";");
        e.line("const tsl_arr* y = " + e.arr(node.input(3)) + ";");
        e.line("const " + t + " beta = *(const " + t + "*) " + e.arr(node.input(4)) + "->data;");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("const int64_t m = x->shape[0], k = x->shape[1], n = " + (matrix ? "y->shape[1]" : "1") + ";");
        e.line("if (y->shape[0] != k) {");
        e.line("char s0[256], s1[256];");
        e.fail(op + ": shapes %s and %s not aligned: %lld (dim 1) != %lld (dim 0)",
                "tsl_shape(x, s0, 256)", "tsl_shape(y, s1, 256)", "(long long) k", "(long long) y->shape[0]");
        e.line("}");
        // the product's shape, then the output's: z broadcast against it (NumPy's rule)
        e.line("int64_t ps[2] = {m, n};");
        e.line("o->ndim = " + nd + ";");
        e.line("int bad = 0, pbcast = 0;");
        e.line("for (int d = 0; d < " + nd + "; d++) {");
        e.line("const int64_t zd = z->shape[d], pd = ps[d];");
        e.line("if (zd != pd && zd != 1 && pd != 1) bad = 1;");
        e.line("o->shape[d] = zd == 1 ? pd : zd;");
        e.line("if (o->shape[d] != pd) pbcast = 1;");
        e.line("}");
        e.line("if (bad) {");
        e.line("char s0[256];");
        e.line("tsl_arr pr; pr.ndim = " + nd + "; pr.shape[0] = m; pr.shape[1] = n;");
        e.line("char s1[256];");
        e.fail(op + ": z of shape %s does not broadcast against the product of shape %s",
                "tsl_shape(z, s0, 256)", "tsl_shape(&pr, s1, 256)");
        e.line("}");
        e.allocate(node.output(), "o");
        e.line(t + "* po = (" + t + "*) o->data;");
        e.line("const int64_t on = " + (matrix ? "o->shape[1]" : "1") + ";");
        e.line("const int64_t zs0 = z->shape[0] == 1 ? 0 : z->strides[0];");
        e.line("const int64_t zs1 = " + (matrix ? "z->shape[1] == 1 ? 0 : z->strides[1]" : "0") + ";");
        e.line("const " + t + "* pz = (const " + t + "*) z->data;");
        e.line("if (m > 0 && n > 0) {");
        DotEmitter.blasOperands(e, t, size);
        // the product goes straight into the output unless it broadcasts
        e.line(t + "* pp = pbcast ? (" + t + "*) malloc(m * n * " + size + ") : po;");
        e.line("if (!a || !b || !pp) {");
        e.line("free(sx); free(sy);");
        e.fail("MemoryError: cannot allocate a copy of a " + op + " operand");
        e.line("}");
        // a broadcast product is computed plain (alpha 1, beta 0) and scaled while it is combined
        e.line("const " + t + " aa = pbcast ? 1 : alpha, bb = pbcast ? 0 : beta;");
        e.line("if (bb != 0) {");
        // rows of z (or its one broadcast row) are copied whole: the update W - lr * dot(a, b) copies all of W here
        e.line("if (zs1 == 1) for (int64_t i = 0; i < m; i++) memcpy(pp + i * n, pz + i * zs0, n * " + size + ");");
        e.line("else for (int64_t i = 0; i < m; i++) for (int64_t j = 0; j < n; j++) pp[i * n + j] = pz[i * zs0 + j * zs1];");
        e.line("}");
        e.line("if (k == 0) {");
        e.line("for (int64_t i = 0; i < m * n; i++) pp[i] = bb == 0 ? 0 : bb * pp[i];");
        e.line("} else {");
        if (matrix) {
            e.line("cblas_" + p + "gemm(CblasRowMajor, tx ? CblasTrans : CblasNoTrans, ty ? CblasTrans : CblasNoTrans, "
                    + "m, n, k, aa, a, lx, b, ly, bb, pp, n);");
        } else {
            // a is m×k, stored as is (NoTrans, m rows) or as its transpose (k rows)
            e.line("if (tx) cblas_" + p + "gemv(CblasRowMajor, CblasTrans, k, m, aa, a, lx, b, ly, bb, pp, 1);");
            e.line("else cblas_" + p + "gemv(CblasRowMajor, CblasNoTrans, m, k, aa, a, lx, b, ly, bb, pp, 1);");
        }
        e.line("}");
        e.line("free(sx); free(sy);");
        e.line("if (pbcast) {");
        e.line("const int64_t ps0 = o->shape[0] == m && m != 1 ? n : 0, ps1 = " + (matrix ? "n == 1 ? 0 : 1" : "0") + ";");
        e.line("for (int64_t i = 0; i < o->shape[0]; i++) for (int64_t j = 0; j < on; j++) {");
        e.line(t + " v = alpha * pp[i * ps0 + j * ps1];");
        e.line("if (beta != 0) v += beta * pz[i * zs0 + j * zs1];");
        e.line("po[i * on + j] = v;");
        e.line("}");
        e.line("free(pp);");
        e.line("}");
        e.line("} else {");
        // an empty product: the output is beta * z over its (possibly empty) shape, as the reference
        e.line("for (int64_t i = 0; i < o->shape[0]; i++) for (int64_t j = 0; j < on; j++) po[i * on + j] = beta == 0 ? 0 : beta * pz[i * zs0 + j * zs1];");
        e.line("}");
        e.line("}");
    }
}
