package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Variable;
import tsl.ops.subtensor.Index;

/**
 * The C of advanced indexing for the forms that have it here: integer index arrays next to
 * each other, with slices around them ({@code x[i]}, {@code x[rows, cols]}, {@code x[:, i]},
 * {@code x[1:, i, j, ::2]}). As NumPy does, the index arrays broadcast together and their
 * result axes take the arrays' place. The code walks the result's leading axes (the slice
 * axes before the arrays, then the broadcast axes) and hands each position's source offset to
 * the caller, whose code moves one block (the slice axes after the arrays) at a time. Boolean
 * masks, integer points among arrays, new axes and arrays apart run in Java.
 */
final class AdvancedIndexCode {
    private final List<Index> idx;
    private final List<Variable> indexInputs;
    private final List<Variable> arrayInputs;   // the index arrays, in order
    private final int first;                    // the axis of the first index array

    private AdvancedIndexCode(List<Index> idx, List<Variable> indexInputs, List<Variable> arrayInputs, int first) {
        this.idx = idx;
        this.indexInputs = indexInputs;
        this.arrayInputs = arrayInputs;
        this.first = first;
    }

    /** The plan for {@code idx} over the given index inputs, or null when that form runs in Java. */
    static AdvancedIndexCode of(List<Index> idx, List<Variable> indexInputs) {
        int k = 0;
        int firstArray = -1;
        int lastArray = -1;
        List<Variable> arrays = new ArrayList<>();
        for (int d = 0; d < idx.size(); d++) {
            Index e = idx.get(d);
            if (e instanceof Index.Array) {
                Variable v = indexInputs.get(k++);
                if (!v.dtype().isInteger() || v.dtype().isBool() || v.ndim() > Prelude.MAXDIM) {
                    return null;
                }
                firstArray = firstArray < 0 ? d : firstArray;
                lastArray = d;
                arrays.add(v);
            } else if (e instanceof Index.Range) {
                for (int j = 0; j < e.inputCount(); j++) {
                    Variable v = indexInputs.get(k++);
                    if (v.ndim() != 0 || !v.dtype().isInteger()) {
                        return null;
                    }
                }
            } else {
                return null;
            }
        }
        if (arrays.isEmpty() || lastArray - firstArray + 1 != arrays.size()) {
            return null;
        }
        return new AdvancedIndexCode(idx, indexInputs, List.copyOf(arrays), firstArray);
    }

    /**
     * Writes the checks and the result's shape into {@code plan} (a {@code tsl_arr} lvalue, shape
     * only) and the view {@code xv} of {@code x} with the slices applied (array axes whole).
     * NumPy's errors: IndexError for an index out of range or arrays that do not broadcast,
     * ValueError for a zero step.
     */
    void prepare(Emit e, String x, String xv, String plan, long itemsize) {
        e.line("tsl_arr " + xv + " = *" + x + ";");
        e.line("int64_t xoff = 0;");
        int[] k = {0};
        List<String> arrs = new ArrayList<>();
        for (int d = 0; d < idx.size(); d++) {
            Index entry = idx.get(d);
            if (entry instanceof Index.Array) {
                Variable a = indexInputs.get(k[0]++);
                String an = "A" + arrs.size();
                arrs.add(an);
                String at = Prelude.cType(a.dtype());
                e.line("const tsl_arr* " + an + " = " + e.arr(a) + ";");
                e.line("{");
                e.line("const int64_t n = " + x + "->shape[" + d + "], cnt = tsl_size(" + an + ");");
                e.line("int64_t ii[TSL_MAXD + 1] = {0};");
                e.line("for (int64_t c = 0; c < cnt; c++) {");
                e.line("int64_t ao = 0;");
                e.line("for (int j = 0; j < " + an + "->ndim; j++) ao += ii[j] * " + an + "->strides[j];");
                e.line("const int64_t v = (int64_t) ((const " + at + "*) " + an + "->data)[ao];");
                e.line("if (v < -n || v >= n) {");
                e.fail("IndexError: index %lld is out of bounds for axis " + d + " with size %lld", "(long long) v", "(long long) n");
                e.line("}");
                e.line("for (int j = (int) " + an + "->ndim - 1; j >= 0; j--) { if (++ii[j] < " + an + "->shape[j]) break; ii[j] = 0; }");
                e.line("}");
                e.line("}");
            } else {
                BasicIndexCode.slice(e, x, d, (Index.Range) entry, indexInputs, k, "xoff", xv, d);
            }
        }
        e.line(xv + ".data = " + x + "->data + xoff * " + itemsize + ";");
        // the arrays broadcast together (NumPy's rule, right-aligned)
        e.line("int64_t bnd = 0, bsh[TSL_MAXD + 1];");
        e.line("int bad = 0;");
        for (String an : arrs) {
            e.line("if (" + an + "->ndim > bnd) { for (int64_t j = bnd - 1; j >= 0; j--) bsh[j + " + an + "->ndim - bnd] = bsh[j]; "
                    + "for (int64_t j = 0; j < " + an + "->ndim - bnd; j++) bsh[j] = 1; bnd = " + an + "->ndim; }");
            e.line("for (int64_t j = 0; j < " + an + "->ndim; j++) { int64_t* b = &bsh[j + bnd - " + an + "->ndim]; const int64_t s = "
                    + an + "->shape[j]; if (*b == 1) *b = s; else if (s != 1 && s != *b) bad = 1; }");
        }
        e.line("if (bad) {");
        e.line("char s[1024]; size_t sk = 0;");
        for (int i = 0; i < arrs.size(); i++) {
            e.line("{ char t[256]; tsl_shape(" + arrs.get(i) + ", t, 256); if (" + i + " > 0 && sk < 1000) s[sk++] = ' '; "
                    + "for (char* c = t; *c && sk < 1000; c++) if (*c != ' ') s[sk++] = *c; }");
        }
        e.line("s[sk] = 0;");
        e.fail("IndexError: shape mismatch: indexing arrays could not be broadcast together with shapes %s", "s");
        e.line("}");
        // the result: slice axes before the arrays, the broadcast axes, the slice axes after
        e.line(plan + ".ndim = 0;");
        e.line("for (int d = 0; d < " + first + "; d++) " + plan + ".shape[" + plan + ".ndim++] = " + xv + ".shape[d];");
        e.line("for (int64_t j = 0; j < bnd; j++) " + plan + ".shape[" + plan + ".ndim++] = bsh[j];");
        e.line("const int64_t lead = " + plan + ".ndim;");
        e.line("for (int64_t d = " + (first + arrayInputs.size()) + "; d < " + xv + ".ndim; d++) " + plan + ".shape[" + plan + ".ndim++] = " + xv
                + ".shape[d];");
        e.line("int64_t nq = 1;");
        e.line("for (int64_t j = 0; j < lead; j++) nq *= " + plan + ".shape[j];");
        e.line("if (tsl_size(&" + plan + ") == 0) nq = 0;");
        // the block after the arrays: the trailing slice axes of xv
        e.line("tsl_arr xb;");
        e.line("xb.ndim = " + xv + ".ndim - " + (first + arrayInputs.size()) + ";");
        e.line("for (int64_t d = 0; d < xb.ndim; d++) { xb.shape[d] = " + xv + ".shape[d + " + (first + arrayInputs.size()) + "]; xb.strides[d] = "
                + xv + ".strides[d + " + (first + arrayInputs.size()) + "]; }");
        e.line("xb.owner = " + xv + ".owner;");
    }

    /**
     * Opens the walk over the result's leading positions: inside, {@code q} counts them in C
     * order, {@code pi} holds the position and {@code off} the source offset (elements) in xv.
     * Close it with {@link #close}.
     */
    void open(Emit e, String xv, String plan) {
        e.line("int64_t pi[TSL_MAXD + 1] = {0};");
        e.line("for (int64_t q = 0; q < nq; q++) {");
        e.line("int64_t off = 0;");
        e.line("for (int d = 0; d < " + first + "; d++) off += pi[d] * " + xv + ".strides[d];");
        for (int i = 0; i < arrayInputs.size(); i++) {
            String an = "A" + i;
            e.line("{");
            e.line("int64_t ao = 0;");
            e.line("for (int64_t j = 0; j < " + an + "->ndim; j++) { const int64_t bj = " + first + " + j + bnd - " + an
                    + "->ndim; if (" + an + "->shape[j] != 1) ao += pi[bj] * " + an + "->strides[j]; }");
            e.line("int64_t v = (int64_t) ((const " + Prelude.cType(arrayInputs.get(i).dtype()) + "*) " + an + "->data)[ao];");
            e.line("if (v < 0) v += " + xv + ".shape[" + (first + i) + "];");
            e.line("off += v * " + xv + ".strides[" + (first + i) + "];");
            e.line("}");
        }
    }

    /** The rank of the blocks the caller moves: x's axes after the arrays. */
    int blockNdim(int xNdim) {
        return xNdim - first - arrayInputs.size();
    }

    void close(Emit e, String plan) {
        e.line("for (int64_t j = lead - 1; j >= 0; j--) { if (++pi[j] < " + plan + ".shape[j]) break; pi[j] = 0; }");
        e.line("}");
    }
}
