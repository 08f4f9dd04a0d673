package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.blas.Dot;
import tsl.tensor.DType;

/**
 * dot of vectors and matrices. float32/float64 operands of the output's dtype go to OpenBLAS
 * (gemm, gemv, dot), straight from their memory when the layout allows (unit stride along one
 * axis), through a contiguous copy otherwise; other dtypes take a plain loop that sums in the
 * jvm reference's order.
 */
final class DotEmitter implements NodeEmitter {

    /** C helpers for BLAS operands, added to the translation unit when a node uses BLAS. */
    static final String BLAS_HELPERS = """
            #include <cblas.h>
            /* how BLAS can read matrix a in place: 0 row-major, 1 transposed, -1 it cannot */
            static int tsl_blas_layout(const tsl_arr* a, int64_t* ld) {
                const int64_t r = a->shape[0], c = a->shape[1], s0 = a->strides[0], s1 = a->strides[1];
                if (c <= 1 || s1 == 1) { *ld = r <= 1 ? (c > 1 ? c : 1) : s0; if (*ld >= (c > 1 ? c : 1)) return 0; }
                if (r <= 1 || s0 == 1) { *ld = c <= 1 ? (r > 1 ? r : 1) : s1; if (*ld >= (r > 1 ? r : 1)) return 1; }
                return -1;
            }
            /* a matrix or vector BLAS can read: in place, or a contiguous copy in *scratch */
            static const char* tsl_blas_operand(const tsl_arr* a, int64_t itemsize, int* trans, int64_t* ld, char** scratch) {
                if (a->ndim == 2) {
                    *trans = tsl_blas_layout(a, ld);
                    if (*trans >= 0) return a->data;
                    *trans = 0; *ld = a->shape[1] > 1 ? a->shape[1] : 1;
                } else {
                    *trans = 0; *ld = a->shape[0] <= 1 ? 1 : a->strides[0];
                    if (*ld >= 1) return a->data;
                    *ld = 1;
                }
                *scratch = (char*) malloc((tsl_size(a) > 0 ? tsl_size(a) : 1) * itemsize);
                if (!*scratch) return NULL;
                tsl_copy_contiguous(a, *scratch, itemsize);
                return *scratch;
            }
            """;

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Dot;
    }

    @Override
    public boolean usesBlas(Apply node) {
        return blas(node);
    }

    private static boolean blas(Apply node) {
        DType out = node.output().dtype();
        return out.isFloat() && node.input(0).dtype() == out && node.input(1).dtype() == out;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Variable x = node.input(0);
        Variable y = node.input(1);
        Variable out = node.output();
        boolean xv = x.ndim() == 1;
        boolean yv = y.ndim() == 1;
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* y = " + e.arr(y) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("const int64_t m = " + (xv ? "1" : "x->shape[0]") + ", k = x->shape[" + (x.ndim() - 1) + "], k2 = y->shape[0], n = "
                + (yv ? "1" : "y->shape[1]") + ";");
        e.line("if (k != k2) {");
        if (!xv && !yv) {
            e.fail("Shape mismatch: x has %lld cols (and %lld rows) but y has %lld rows (and %lld cols)",
                    "(long long) k", "(long long) m", "(long long) k2", "(long long) n");
        } else {
            e.line("char s0[256], s1[256];");
            e.fail("shapes %s and %s not aligned: %lld (dim " + (x.ndim() - 1) + ") != %lld (dim 0)",
                    "tsl_shape(x, s0, 256)", "tsl_shape(y, s1, 256)", "(long long) k", "(long long) k2");
        }
        e.line("}");
        int ond = out.ndim();
        e.line("o->ndim = " + ond + ";");
        if (!xv) {
            e.line("o->shape[0] = m;");
        }
        if (!yv) {
            e.line("o->shape[" + (xv ? 0 : 1) + "] = n;");
        }
        e.allocate(out, "o");
        if (blas(node)) {
            emitBlas(node, e, xv, yv);
        } else {
            emitLoop(node, e, xv, yv);
        }
        e.line("}");
    }

    private static void emitBlas(Apply node, Emit e, boolean xv, boolean yv) {
        boolean single = node.output().dtype() == DType.FLOAT32;
        String t = single ? "float" : "double";
        String p = single ? "s" : "d";
        int size = single ? 4 : 8;
        e.line(t + "* po = (" + t + "*) o->data;");
        e.line("if (k == 0) {");
        e.line("for (int64_t i = 0; i < m * n; i++) po[i] = 0;");
        e.line("} else if (m > 0 && n > 0) {");
        blasOperands(e, t, size);
        e.line("if (!a || !b) {");
        e.line("free(sx); free(sy);");
        e.fail("MemoryError: cannot allocate a copy of a dot operand");
        e.line("}");
        if (!xv && !yv) {
            e.line("cblas_" + p + "gemm(CblasRowMajor, tx ? CblasTrans : CblasNoTrans, ty ? CblasTrans : CblasNoTrans, "
                    + "m, n, k, 1, a, lx, b, ly, 0, po, n);");
        } else if (!xv) {
            // x is m×k: stored as is (NoTrans, m rows) or as its transpose (k rows)
            e.line("if (tx) cblas_" + p + "gemv(CblasRowMajor, CblasTrans, k, m, 1, a, lx, b, ly, 0, po, 1);");
            e.line("else cblas_" + p + "gemv(CblasRowMajor, CblasNoTrans, m, k, 1, a, lx, b, ly, 0, po, 1);");
        } else if (!yv) {
            // v·B = Bᵀv
            e.line("if (ty) cblas_" + p + "gemv(CblasRowMajor, CblasNoTrans, n, k, 1, b, ly, a, lx, 0, po, 1);");
            e.line("else cblas_" + p + "gemv(CblasRowMajor, CblasTrans, k, n, 1, b, ly, a, lx, 0, po, 1);");
        } else {
            // accumulate in double, as the jvm reference does
            e.line("po[0] = (" + t + ") " + (single ? "cblas_dsdot" : "cblas_ddot") + "(k, a, lx, b, ly);");
        }
        e.line("free(sx); free(sy);");
        e.line("}");
    }

    private static void emitLoop(Apply node, Emit e, boolean xv, boolean yv) {
        DType out = node.output().dtype();
        String at = out.isFloat() ? "double" : "int64_t";
        String ot = Prelude.cType(out);
        String xt = Prelude.cType(node.input(0).dtype());
        String yt = Prelude.cType(node.input(1).dtype());
        e.line("const int64_t xs0 = " + (xv ? "0" : "x->strides[0]") + ", xs1 = x->strides[" + (xv ? 0 : 1) + "];");
        e.line("const int64_t ys0 = y->strides[0], ys1 = " + (yv ? "0" : "y->strides[1]") + ";");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        e.line("const " + yt + "* py = (const " + yt + "*) y->data;");
        e.line(ot + "* po = (" + ot + "*) o->data;");
        e.line("for (int64_t i = 0; i < m; i++) {");
        e.line("for (int64_t j = 0; j < n; j++) {");
        e.line(at + " s = 0;");
        e.line("for (int64_t q = 0; q < k; q++) s += (" + at + ") px[i * xs0 + q * xs1] * (" + at + ") py[q * ys0 + j * ys1];");
        e.line("po[i * n + j] = " + ElemwiseEmitter.store(out, at, "s") + ";");
        e.line("}");
        e.line("}");
    }

    /**
     * Declares {@code a} and {@code b}: the operands {@code x} and {@code y} as cblas takes
     * them (transposed or not, leading dimension {@code lx}/{@code ly}), each copied into
     * {@code sx}/{@code sy} only when its strides do not fit; a null operand means a failed copy.
     */
    static void blasOperands(Emit e, String t, int size) {
        e.line("char* sx = NULL; char* sy = NULL;");
        e.line("int tx, ty;");
        e.line("int64_t lx, ly;");
        e.line("const " + t + "* a = (const " + t + "*) tsl_blas_operand(x, " + size + ", &tx, &lx, &sx);");
        e.line("const " + t + "* b = (const " + t + "*) tsl_blas_operand(y, " + size + ", &ty, &ly, &sy);");
    }
}
