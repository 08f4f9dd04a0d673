package tsl.linker.c;

import java.util.List;

/**
 * The strided n-dimensional loop the emitters share: the outer dimensions are walked with
 * an index counter, the innermost one is a plain loop the compiler can vectorize.
 */
final class Loops {
    private Loops() {}

    /**
     * Emits a loop over the shape of {@code shapeArr} ({@code nd} dimensions, nd >= 1). For
     * each operand k, {@code strides.get(k)} names a C array of nd strides; in the body, the
     * operand's element offset is {@code off<k>} and the inner position {@code j}.
     */
    static void strided(Emit e, String shapeArr, int nd, List<String> strides, String body) {
        strided(e, shapeArr, nd, strides, body, false);
    }

    /** As above; {@code simd}: the inner iterations are independent, so they may be vectorized. */
    static void strided(Emit e, String shapeArr, int nd, List<String> strides, String body, boolean simd) {
        e.line("{");
        e.line("int64_t idx[" + nd + "] = {0};");
        e.line("const int64_t inner = " + shapeArr + "->shape[" + (nd - 1) + "];");
        e.line("const int64_t rows = inner == 0 ? 0 : tsl_size(" + shapeArr + ") / inner;");
        e.line("for (int64_t r = 0; r < rows; r++) {");
        for (int k = 0; k < strides.size(); k++) {
            e.line("int64_t base" + k + " = 0;");
        }
        e.line("for (int d = 0; d < " + (nd - 1) + "; d++) {");
        for (int k = 0; k < strides.size(); k++) {
            e.line("base" + k + " += idx[d] * " + strides.get(k) + "[d];");
        }
        e.line("}");
        for (int k = 0; k < strides.size(); k++) {
            e.line("const int64_t in" + k + " = " + strides.get(k) + "[" + (nd - 1) + "];");
        }
        if (simd) {
            e.line("#pragma omp simd");
        }
        e.line("for (int64_t j = 0; j < inner; j++) {");
        for (int k = 0; k < strides.size(); k++) {
            e.line("const int64_t off" + k + " = base" + k + " + j * in" + k + ";");
        }
        for (String l : body.split("\n")) {
            e.line(l);
        }
        e.line("}");
        e.line("for (int d = " + (nd - 2) + "; d >= 0; d--) { if (++idx[d] < " + shapeArr + "->shape[d]) break; idx[d] = 0; }");
        e.line("}");
        e.line("}");
    }

    /**
     * Runs {@code body} for every element of the array {@code arr} (rank {@code nd}) in C order,
     * with its whole multi-index in {@code idx} and its element offset in {@code off}: for code
     * that needs each element's position, such as the nonzero positions of an array or a mask.
     */
    static void cOrder(Emit e, String arr, int nd, String body) {
        e.line("{");
        e.line("const int64_t cnt = tsl_size(" + arr + ");");
        e.line("int64_t idx[TSL_MAXD + 1] = {0};");
        e.line("for (int64_t q = 0; q < cnt; q++) {");
        e.line("int64_t off = 0;");
        e.line("for (int d = 0; d < " + nd + "; d++) off += idx[d] * " + arr + "->strides[d];");
        e.line(body);
        e.line("for (int d = " + (nd - 1) + "; d >= 0; d--) { if (++idx[d] < " + arr + "->shape[d]) break; idx[d] = 0; }");
        e.line("}");
        e.line("}");
    }
}
