package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.nnet.MaxPoolGradGrad;
import tsl.ops.nnet.Pool;
import tsl.ops.nnet.PoolGrad;
import tsl.ops.nnet.PoolParams;

/**
 * 2-D pooling over the last two axes — the forward reduction (Pool), its gradient (PoolGrad)
 * and max pooling's second-order term (MaxPoolGradGrad) — for float arrays, as the jvm
 * reference's PoolKernels compute them: window bounds once per output row and column, every
 * sum in double in the same order, a window's maximum with NaN sticking, max-pooling
 * gradients sent to every element equal to the maximum. Integer arrays (Pool only: its
 * gradients take floats) pool in double too, and the result is stored as the reference's
 * Pool.perform does: truncated toward zero, then Java's (long) cast (NaN 0, saturating) and
 * NDArray's narrowing.
 */
final class PoolEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return (node.op() instanceof Pool || node.op() instanceof PoolGrad || node.op() instanceof MaxPoolGradGrad)
                && (node.input(0).dtype().isFloat() || node.op() instanceof Pool && node.input(0).dtype().isInteger())
                && node.output().dtype() == node.input(0).dtype()
                && (node.inputs().size() == 1 || node.input(1).dtype() == node.input(0).dtype());
    }

    private static PoolParams params(Apply node) {
        return switch (node.op()) {
            case Pool p -> p.params();
            case PoolGrad p -> p.params();
            case MaxPoolGradGrad p -> p.params();
            default -> throw new IllegalStateException(node.op().toString());
        };
    }

    @Override
    public void emit(Apply node, Emit e) {
        PoolParams p = params(node);
        Variable x = node.input(0);
        int nd = x.ndim();
        String t = Prelude.cType(x.dtype());
        boolean forward = node.op() instanceof Pool;
        boolean grad = node.op() instanceof PoolGrad;
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("const int64_t rows = x->shape[" + (nd - 2) + "], cols = x->shape[" + (nd - 1) + "];");
        e.line("int64_t planes = 1;");
        e.line("for (int d = 0; d < " + (nd - 2) + "; d++) planes *= x->shape[d];");
        e.line("const int64_t orows = " + outLength(p, 0, "rows") + ", ocols = " + outLength(p, 1, "cols") + ";");
        e.line("tsl_arr pooled = *x;");
        e.line("pooled.shape[" + (nd - 2) + "] = orows; pooled.shape[" + (nd - 1) + "] = ocols;");
        if (!forward) {
            e.line("const tsl_arr* g = " + e.arr(node.input(1)) + ";");
            e.line("int same = 1;");
            e.line("for (int d = 0; d < " + nd + "; d++) same &= g->shape[d] == (" + (grad ? "pooled" : "(*x)") + ").shape[d];");
            e.line("if (!same) {");
            e.line("char s1[256], s2[256], s3[256];");
            if (grad) {
                e.fail("pool_2d_grad: the output gradient has shape %s but pooling an input of shape %s gives %s",
                        "tsl_shape(g, s1, 256)", "tsl_shape(x, s2, 256)", "tsl_shape(&pooled, s3, 256)");
            } else {
                e.line("(void) s3;");
                e.fail("max_pool_2d_grad_grad: shapes %s and %s differ", "tsl_shape(x, s1, 256)", "tsl_shape(g, s2, 256)");
            }
            e.line("}");
        }
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = " + (grad ? "x" : "(&pooled)") + "->shape[d];");
        e.allocate(node.output(), "o");
        // contiguous inputs (a copy when strided), the windows of every output row and column
        e.line("const " + t + "* xs = (const " + t + "*) x->data;");
        e.line("char* xcopy = NULL; char* gcopy = NULL;");
        e.line("int64_t* rw = (int64_t*) malloc((3 * orows + 1) * sizeof(int64_t));");
        e.line("int64_t* cw = (int64_t*) malloc((3 * ocols + 1) * sizeof(int64_t));");
        e.line("double* acc = NULL;");
        e.line("int oom = !rw || !cw;");
        contiguous(e, "x", "xs", "xcopy", t);
        if (!forward) {
            e.line("const " + t + "* gs = (const " + t + "*) g->data;");
            contiguous(e, "g", "gs", "gcopy", t);
        }
        if (grad) {
            e.line("if (!oom) { acc = (double*) calloc(tsl_size(x) > 0 ? tsl_size(x) : 1, sizeof(double)); oom = !acc; }");
        }
        e.line("if (oom) {");
        e.line("free(rw); free(cw); free(xcopy); free(gcopy); free(acc);");
        e.fail("MemoryError: cannot allocate the scratch of " + Emit.text(node.op().toString()));
        e.line("}");
        window(e, p, 0, "rows", "orows", "rw");
        window(e, p, 1, "cols", "ocols", "cw");
        e.line(t + "* po = (" + t + "*) o->data;");
        e.line("for (int64_t n = 0; n < planes; n++) {");
        e.line("const int64_t xb = n * rows * cols, ob = n * orows * ocols;");
        e.line("for (int64_t r = 0; r < orows; r++) {");
        e.line("const int64_t r0 = rw[3 * r], r1 = rw[3 * r + 1];");
        e.line("for (int64_t c = 0; c < ocols; c++) {");
        e.line("const int64_t c0 = cw[3 * c], c1 = cw[3 * c + 1];");
        boolean max = p.mode() == PoolParams.Mode.MAX;
        // what a window's value becomes in the output's dtype
        String store = x.dtype().isFloat() ? "(" + t + ") " : "(" + t + ") tsl_d2l";
        if (max || !forward && !grad) {
            e.line("double m = -INFINITY;");
            e.line("for (int64_t i = r0; i < r1; i++) for (int64_t j = c0; j < c1; j++) { const double a = xs[xb + i * cols + j]; "
                    + "if (a > m || isnan(a)) m = a; }");
        }
        if (forward) {
            if (max) {
                e.line("po[ob + r * ocols + c] = " + store + "(m);");
            } else {
                e.line("double v = 0;");
                e.line("for (int64_t i = r0; i < r1; i++) for (int64_t j = c0; j < c1; j++) v += xs[xb + i * cols + j];");
                e.line("po[ob + r * ocols + c] = " + store + "(v / " + divisor(p) + ");");
            }
        } else if (grad) {
            e.line("const double gv = gs[ob + r * ocols + c];");
            if (max) {
                e.line("for (int64_t i = r0; i < r1; i++) for (int64_t j = c0; j < c1; j++) if (xs[xb + i * cols + j] == m) "
                        + "acc[xb + i * cols + j] += gv;");
            } else {
                e.line("const double share = gv / " + divisor(p) + ";");
                e.line("for (int64_t i = r0; i < r1; i++) for (int64_t j = c0; j < c1; j++) acc[xb + i * cols + j] += share;");
            }
        } else {
            e.line("double s = 0;");
            e.line("for (int64_t i = r0; i < r1; i++) for (int64_t j = c0; j < c1; j++) if (xs[xb + i * cols + j] == m) s += gs[xb + i * cols + j];");
            e.line("po[ob + r * ocols + c] = (" + t + ") s;");
        }
        e.line("}");
        e.line("}");
        e.line("}");
        if (grad) {
            e.line("for (int64_t k = 0; k < tsl_size(x); k++) po[k] = (" + t + ") acc[k];");
        }
        e.line("free(rw); free(cw); free(xcopy); free(gcopy); free(acc);");
        e.line("}");
    }

    /** Points {@code data} at a contiguous copy of {@code arr} in {@code copy} when arr is strided (oom set if that fails). */
    private static void contiguous(Emit e, String arr, String data, String copy, String t) {
        e.line("if (!oom && !tsl_is_contiguous(" + arr + ")) { " + copy + " = (char*) malloc((tsl_size(" + arr + ") > 0 ? tsl_size(" + arr
                + ") : 1) * sizeof(" + t + ")); if (" + copy + ") { tsl_copy_contiguous(" + arr + ", " + copy + ", sizeof(" + t + ")); "
                + data + " = (const " + t + "*) " + copy + "; } else oom = 1; }");
    }

    /** Theano's Pool.out_shape for one axis (PoolParams.outLength). */
    private static String outLength(PoolParams p, int axis, String in) {
        long ws = p.ws(axis);
        long st = p.stride(axis);
        String v = "(" + in + " + " + 2L * p.pad(axis) + ")";
        if (p.ignoreBorder()) {
            return "(" + v + " < " + ws + " ? 0 : (" + v + " - " + ws + ") / " + st + " + 1)";
        }
        if (st >= ws) {
            return "(" + v + " == 0 ? 0 : (" + v + " - 1) / " + st + " + 1)";
        }
        return "(" + v + " == 0 ? 0 : (tsl_floordiv_i(" + v + " - 1 - " + ws + " + " + st + ", " + st + ") > 0 ? tsl_floordiv_i(" + v
                + " - 1 - " + ws + " + " + st + ", " + st + ") : 0) + 1)";
    }

    /** Fills {start, end, padded size} of every window along one axis (PoolParams.window). */
    private static void window(Emit e, PoolParams p, int axis, String in, String out, String table) {
        long pad = p.pad(axis);
        e.line("for (int64_t r = 0; r < " + out + "; r++) {");
        e.line("const int64_t padded = " + in + " + " + 2 * pad + ", start = r * " + p.stride(axis) + ", end0 = start + " + p.ws(axis)
                + ", end = end0 < padded ? end0 : padded;");
        e.line(table + "[3 * r] = (start > " + pad + " ? start : " + pad + ") - " + pad + ";");
        e.line(table + "[3 * r + 1] = (end < " + in + " + " + pad + " ? end : " + in + " + " + pad + ") - " + pad + ";");
        e.line(table + "[3 * r + 2] = end - start;");
        e.line("}");
    }

    /** What a window's sum is divided by (PoolKernels.divisor). */
    private static String divisor(PoolParams p) {
        return switch (p.mode()) {
            case SUM, MAX -> "1.0";
            case AVERAGE_INC_PAD -> "((double) rw[3 * r + 2] * (double) cw[3 * c + 2])";
            case AVERAGE_EXC_PAD -> "((double) (rw[3 * r + 1] - rw[3 * r]) * (double) (cw[3 * c + 1] - cw[3 * c]))";
        };
    }
}
