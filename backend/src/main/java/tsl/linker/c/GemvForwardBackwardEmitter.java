package tsl.linker.c;

import java.util.Arrays;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.blas.GemvForwardBackward;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;

/**
 * {@link GemvForwardBackward} as one pass over X: each thread takes blocks of rows small enough
 * to stay in its L2 cache, and for each block computes the forward dot products, runs the
 * elementwise body on those rows, and adds Xᵀ·delta of the block into its own accumulator
 * while the block is still cached; the accumulators are summed at the end. X is read from
 * memory once where two BLAS gemv calls read it twice — the step is bandwidth-bound.
 *
 * <p>X whose rows are not unit-stride is gathered block by block into per-thread scratch, so
 * it is still read once. Shape errors are the ones the replaced Gemv and elementwise nodes give.
 * The loops are plain C with {@code omp simd}: calling BLAS on one block per thread would have
 * OpenBLAS start threads of its own inside ours.
 */
final class GemvForwardBackwardEmitter implements NodeEmitter {
    /** Bytes of X per block: a block is read again by the backward product, from L2 (512 KB a core here). */
    static final long BLOCK_BYTES = 192 * 1024;
    /** Elements of X below which one thread does it all (ElemwiseEmitter's threshold). */
    static final long PARALLEL_MIN = ElemwiseEmitter.PARALLEL_MIN;

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof GemvForwardBackward op) || !Composite.hasC(op.body().steps())) {
            return false;
        }
        DType d = node.input(0).dtype();
        return (d == DType.FLOAT32 || d == DType.FLOAT64) && op.body().steps().stream().allMatch(s -> s.op().real() != null);
    }

    /** The C type the body computes in: float when every value it reads and writes is float32, as FusedElemwiseEmitter. */
    private static String computeType(Apply node, GemvForwardBackward op) {
        boolean allFloat32 = node.output().dtype() == DType.FLOAT32;
        for (int i = 0; i < op.body().nin(); i++) {
            if (i != op.zInput()) {
                allFloat32 &= node.input(GemvForwardBackward.inputOfBody(i, op.zInput())).dtype() == DType.FLOAT32;
            }
        }
        for (int o = 0; o < op.body().results().length; o++) {
            allFloat32 &= node.outputs().get(1 + o).dtype() == DType.FLOAT32;
        }
        return allFloat32 ? "float" : "double";
    }

    @Override
    public void emit(Apply node, Emit e) {
        GemvForwardBackward op = (GemvForwardBackward) node.op();
        FusedElemwise body = op.body();
        int nin = body.nin();
        int nout = body.results().length;
        int zi = op.zInput();
        String t = node.input(0).dtype() == DType.FLOAT32 ? "float" : "double";
        String ct = computeType(node, op);
        String gemv = "Gemv";
        e.line("{");
        e.line("const tsl_arr* X = " + e.arr(node.input(0)) + ";");
        e.line("const tsl_arr* W = " + e.arr(node.input(1)) + ";");
        e.line("const tsl_arr* Z0 = " + e.arr(node.input(2)) + ";");
        e.line("const " + t + " alpha1 = *(const " + t + "*) " + e.arr(node.input(3)) + "->data;");
        e.line("const " + t + " beta1 = *(const " + t + "*) " + e.arr(node.input(4)) + "->data;");
        e.line("const tsl_arr* C = " + e.arr(node.input(5)) + ";");
        e.line("const " + t + " alpha2 = *(const " + t + "*) " + e.arr(node.input(6)) + "->data;");
        e.line("const " + t + " beta2 = *(const " + t + "*) " + e.arr(node.input(7)) + "->data;");
        boolean[] scalar = new boolean[nin];
        for (int i = 0; i < nin; i++) {
            if (i != zi) {
                Variable v = node.input(GemvForwardBackward.inputOfBody(i, zi));
                scalar[i] = Arrays.stream(v.type().shape()).allMatch(d -> d == 1);
                e.line("const tsl_arr* x" + i + " = " + e.arr(v) + ";");
            }
        }
        e.line("const int64_t N = X->shape[0], K = X->shape[1];");
        // the loop's name (the jvm reference's error names it) once, not in every check
        e.line("static const char loopName[] = \"" + Emit.escape(body.toString()) + "\";");
        checks(node, op, e, gemv);
        e.line("tsl_arr* oz = " + e.arr(node.output()) + ";");
        e.line("oz->ndim = 1; oz->shape[0] = N;");
        e.allocate(node.output(), "oz");
        for (int o = 0; o < nout; o++) {
            Variable v = node.outputs().get(1 + o);
            e.line("tsl_arr* o" + o + " = " + e.arr(v) + ";");
            e.line("o" + o + "->ndim = 1; o" + o + "->shape[0] = N;");
            e.allocate(v, "o" + o);
        }
        Variable gv = node.outputs().get(nout + 1);
        e.line("tsl_arr* og = " + e.arr(gv) + ";");
        e.line("og->ndim = 1; og->shape[0] = K;");
        e.allocate(gv, "og");
        e.line(t + "* restrict pz = (" + t + "*) oz->data;");
        e.line(t + "* restrict pg = (" + t + "*) og->data;");
        e.line("const " + t + "* pz0 = (const " + t + "*) Z0->data;");
        e.line("const int64_t sz0 = Z0->shape[0] == 1 ? 0 : Z0->strides[0];");
        e.line("const " + t + "* pc = (const " + t + "*) C->data;");
        e.line("const int64_t sc = C->shape[0] == 1 ? 0 : C->strides[0];");
        for (int i = 0; i < nin; i++) {
            if (i != zi) {
                String it = Prelude.cType(node.input(GemvForwardBackward.inputOfBody(i, zi)).dtype());
                e.line("const " + it + "* restrict p" + i + " = (const " + it + "*) x" + i + "->data;");
                e.line("const int64_t s" + i + " = x" + i + "->shape[0] == 1 ? 0 : x" + i + "->strides[0];");
            }
        }
        for (int o = 0; o < nout; o++) {
            String ot = Prelude.cType(node.outputs().get(1 + o).dtype());
            e.line(ot + "* restrict po" + o + " = (" + ot + "*) o" + o + "->data;");
        }
        e.line("const " + t + "* pd = (const " + t + "*) po" + op.deltaOutput() + ";");
        // w contiguous (a copy when strided), the per-thread accumulators, and scratch for rows that are not unit-stride
        e.line("const int64_t BR = " + blockRows(t) + ";");
        e.line("const int64_t KP = (K + 7) & ~(int64_t) 7;");
        e.line("int nt = 1;");
        e.line("#ifdef _OPENMP");
        e.line("extern int omp_get_max_threads(void);");
        e.line("if (N * K >= " + PARALLEL_MIN + "LL) nt = omp_get_max_threads();");
        e.line("#endif");
        e.line("const int gatherRows = K > 1 && X->strides[1] != 1;");
        e.line(t + "* wbuf = W->strides[0] != 1 ? (" + t + "*) malloc((K > 0 ? K : 1) * sizeof(" + t + ")) : NULL;");
        e.line(t + "* acc = (" + t + "*) calloc((size_t) nt * (KP > 0 ? KP : 1), sizeof(" + t + "));");
        e.line(t + "* scratch = gatherRows ? (" + t + "*) malloc((size_t) nt * BR * (K > 0 ? K : 1) * sizeof(" + t + ")) : NULL;");
        e.line("if (!acc || (W->strides[0] != 1 && !wbuf) || (gatherRows && !scratch)) {");
        e.line("free(wbuf); free(acc); free(scratch);");
        e.fail("MemoryError: cannot allocate the accumulators of GemvForwardBackward");
        e.line("}");
        e.line("const " + t + "* pw = (const " + t + "*) W->data;");
        e.line("if (wbuf) { for (int64_t j = 0; j < K; j++) wbuf[j] = pw[j * W->strides[0]]; pw = wbuf; }");
        e.line("const " + t + "* px = (const " + t + "*) X->data;");
        e.line("const int64_t xs0 = X->strides[0], xs1 = X->strides[1];");
        e.line("#pragma omp parallel num_threads(nt) if (nt > 1)");
        e.line("{");
        e.line("int tid = 0;");
        e.line("#ifdef _OPENMP");
        e.line("extern int omp_get_thread_num(void);");
        e.line("tid = omp_get_thread_num();");
        e.line("#endif");
        e.line(t + "* restrict a = acc + (int64_t) tid * KP;");
        e.line(t + "* xbuf = scratch ? scratch + (int64_t) tid * BR * K : NULL;");
        e.line("#pragma omp for schedule(static)");
        e.line("for (int64_t b0 = 0; b0 < N; b0 += BR) {");
        e.line("const int64_t nb = N - b0 < BR ? N - b0 : BR;");
        e.line("const " + t + "* xb = px + b0 * xs0;");
        e.line("int64_t ld = xs0;");
        e.line("if (xbuf) {");
        e.line("for (int64_t r = 0; r < nb; r++) for (int64_t j = 0; j < K; j++) xbuf[r * K + j] = xb[r * xs0 + j * xs1];");
        e.line("xb = xbuf; ld = K;");
        e.line("}");
        forward(e, t);
        bodyLoop(node, op, e, ct, scalar);
        backward(e, t);
        e.line("}");
        e.line("}");
        e.line("for (int64_t j = 0; j < K; j++) {");
        e.line(t + " s = 0;");
        e.line("for (int q = 0; q < nt; q++) s += acc[q * KP + j];");
        e.line("pg[j] = alpha2 * s + (beta2 != 0 ? beta2 * pc[j * sc] : 0);");
        e.line("}");
        e.line("free(wbuf); free(acc); free(scratch);");
        e.line("}");
    }

    /** Rows per block: BLOCK_BYTES of X, at least 4 and at most 512 rows. */
    private static String blockRows(String t) {
        return "(K > 0 ? (" + BLOCK_BYTES + "LL / (K * (int64_t) sizeof(" + t + ")) < 4 ? 4 : " + BLOCK_BYTES
                + "LL / (K * (int64_t) sizeof(" + t + ")) > 512 ? 512 : " + BLOCK_BYTES + "LL / (K * (int64_t) sizeof(" + t
                + "))) : 512)";
    }

    /**
     * The errors of the replaced nodes: the forward Gemv's (w against X's columns, z0 against X's
     * rows), the loop's (a per-row input against X's rows) and the backward Gemv's (c against X's
     * columns). With a 1-row X a longer vector makes the loop's results longer than X's rows:
     * the backward Gemv's alignment error when delta reads it; a result delta does not read
     * would be valid there, but has no one-pass form, so it fails loudly. So does a 1-column X
     * against a longer c (the gradient would broadcast to c's length).
     */
    private static void checks(Apply node, GemvForwardBackward op, Emit e, String gemv) {
        int zi = op.zInput();
        boolean[][] uses = new boolean[op.body().results().length][];
        op.body().neededSteps(uses);
        boolean[] deltaReads = uses[op.deltaOutput()];
        e.line("if (W->shape[0] != K) {");
        e.line("char s0[256], s1[256];");
        e.fail(gemv + ": shapes %s and %s not aligned: %lld (dim 1) != %lld (dim 0)",
                "tsl_shape(X, s0, 256)", "tsl_shape(W, s1, 256)", "(long long) K", "(long long) W->shape[0]");
        e.line("}");
        e.line("if (Z0->shape[0] != N && Z0->shape[0] != 1) {");
        e.line("if (N == 1) {");
        alignment(e, gemv, "Z0");
        e.line("}");
        e.line("char s0[256];");
        e.fail(gemv + ": z of shape %s does not broadcast against the product of shape (%lld,)",
                "tsl_shape(Z0, s0, 256)", "(long long) N");
        e.line("}");
        for (int i = 0; i < op.body().nin(); i++) {
            if (i == zi) {
                continue;
            }
            e.line("if (x" + i + "->shape[0] != N && x" + i + "->shape[0] != 1) {");
            e.line("if (N == 1) {");
            if (deltaReads[i]) {
                alignment(e, gemv, "x" + i);
            } else {
                e.fail("not supported yet: GemvForwardBackward of a 1-row matrix against a vector of length %lld",
                        "(long long) x" + i + "->shape[0]");
            }
            e.line("}");
            e.line("char s0[256];");
            e.fail("Input dimension mismatch in %s: shapes (%lld,) and %s cannot be broadcast together",
                    "loopName", "(long long) N", "tsl_shape(x" + i + ", s0, 256)");
            e.line("}");
        }
        e.line("if (C->shape[0] != K && C->shape[0] != 1) {");
        e.line("if (K == 1) {");
        e.fail("not supported yet: GemvForwardBackward of a 1-column matrix against a vector of length %lld",
                "(long long) C->shape[0]");
        e.line("}");
        e.line("char s0[256];");
        e.fail(gemv + ": z of shape %s does not broadcast against the product of shape (%lld,)",
                "tsl_shape(C, s0, 256)", "(long long) K");
        e.line("}");
    }

    /** The backward Gemv's error when delta came out as long as {@code v} instead of X's one row. */
    private static void alignment(Emit e, String gemv, String v) {
        e.fail(gemv + ": shapes (%lld, 1) and (%lld,) not aligned: 1 (dim 1) != %lld (dim 0)",
                "(long long) K", "(long long) " + v + "->shape[0]", "(long long) " + v + "->shape[0]");
    }

    /** z for the block's rows, four rows at a time so that each load of w serves four of them. */
    private static void forward(Emit e, String t) {
        e.line("int64_t r = 0;");
        e.line("for (; r + 4 <= nb; r += 4) {");
        e.line("const " + t + "* xr0 = xb + r * ld; const " + t + "* xr1 = xr0 + ld; const " + t + "* xr2 = xr1 + ld; const " + t
                + "* xr3 = xr2 + ld;");
        e.line(t + " d0 = 0, d1 = 0, d2 = 0, d3 = 0;");
        e.line("#pragma omp simd reduction(+:d0,d1,d2,d3)");
        e.line("for (int64_t j = 0; j < K; j++) { const " + t
                + " wj = pw[j]; d0 += xr0[j] * wj; d1 += xr1[j] * wj; d2 += xr2[j] * wj; d3 += xr3[j] * wj; }");
        e.line("const " + t + " dd[4] = {d0, d1, d2, d3};");
        e.line("for (int q = 0; q < 4; q++) pz[b0 + r + q] = alpha1 * dd[q] + (beta1 != 0 ? beta1 * pz0[(b0 + r + q) * sz0] : 0);");
        e.line("}");
        e.line("for (; r < nb; r++) {");
        e.line("const " + t + "* xr0 = xb + r * ld;");
        e.line(t + " d0 = 0;");
        e.line("#pragma omp simd reduction(+:d0)");
        e.line("for (int64_t j = 0; j < K; j++) d0 += xr0[j] * pw[j];");
        e.line("pz[b0 + r] = alpha1 * d0 + (beta1 != 0 ? beta1 * pz0[(b0 + r) * sz0] : 0);");
        e.line("}");
    }

    /** The elementwise body over the block's rows: every output, delta among them. */
    private static void bodyLoop(Apply node, GemvForwardBackward op, Emit e, String ct, boolean[] scalar) {
        FusedElemwise body = op.body();
        int nin = body.nin();
        String[] in = new String[nin];
        for (int i = 0; i < nin; i++) {
            in[i] = "a" + i;
            if (i != op.zInput() && scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[0];");
            }
        }
        String[] names = new String[nin + body.steps().size()];
        String steps = Composite.cStatements(nin, body.steps(), in, null, "tsl_f", names);
        e.line("#pragma omp simd");
        e.line("for (int64_t i = b0; i < b0 + nb; i++) {");
        for (int i = 0; i < nin; i++) {
            if (i == op.zInput()) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") pz[i];");
            } else if (!scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[i * s" + i + "];");
            }
        }
        for (String l : steps.split("\n")) {
            e.line(l);
        }
        for (int o = 0; o < body.results().length; o++) {
            e.line("po" + o + "[i] = " + ElemwiseEmitter.store(node.outputs().get(1 + o).dtype(), ct, names[body.results()[o]]) + ";");
        }
        e.line("}");
    }

    /** Xᵀ·delta of the block into this thread's accumulator, four rows per pass over it. */
    private static void backward(Emit e, String t) {
        e.line("r = 0;");
        e.line("for (; r + 4 <= nb; r += 4) {");
        e.line("const " + t + "* xr0 = xb + r * ld; const " + t + "* xr1 = xr0 + ld; const " + t + "* xr2 = xr1 + ld; const " + t
                + "* xr3 = xr2 + ld;");
        e.line("const " + t + " g0 = pd[b0 + r], g1 = pd[b0 + r + 1], g2 = pd[b0 + r + 2], g3 = pd[b0 + r + 3];");
        e.line("#pragma omp simd");
        e.line("for (int64_t j = 0; j < K; j++) a[j] += g0 * xr0[j] + g1 * xr1[j] + g2 * xr2[j] + g3 * xr3[j];");
        e.line("}");
        e.line("for (; r < nb; r++) {");
        e.line("const " + t + "* xr0 = xb + r * ld;");
        e.line("const " + t + " g0 = pd[b0 + r];");
        e.line("#pragma omp simd");
        e.line("for (int64_t j = 0; j < K; j++) a[j] += g0 * xr0[j];");
        e.line("}");
    }
}
