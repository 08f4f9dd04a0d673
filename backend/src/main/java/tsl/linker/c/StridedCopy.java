package tsl.linker.c;

import java.util.List;

import tsl.graph.Variable;
import tsl.tensor.DType;

/**
 * The C that writes (or adds) one array into another of any strides, the source broadcast
 * to the target's shape NumPy's way (missing leading axes and axes of length 1 repeat), with
 * the jvm reference's conversions: float targets compute in double and round once, integer
 * targets in int64 and wrap. The caller has checked that the shapes broadcast.
 */
final class StridedCopy {
    private StridedCopy() {}

    /** Whether {@link #emit} converts {@code from} into {@code to} as NDArray.assign does (concatenate). */
    static boolean converts(DType from, DType to) {
        // the pairs where NDArray.assign and Accumulate agree; the others are not checked against assign
        return to.isFloat() || !from.isFloat() && !to.isBool() || from == to;
    }

    /**
     * Writes code that makes {@code dst = src} (or {@code dst += src} when {@code add});
     * {@code nd} is dst's rank, known when the graph is compiled. Any pair of dtypes converts
     * as Accumulate does (set/inc_subtensor); other callers keep to {@link #converts}.
     */
    static void emit(Emit e, String dst, int nd, DType dstType, String src, DType srcType, boolean add) {
        String dt = Prelude.cType(dstType);
        String st = Prelude.cType(srcType);
        e.line("{");
        e.line("const tsl_arr* D = " + dst + "; const tsl_arr* S = " + src + ";");
        e.line(dt + "* pd = (" + dt + "*) D->data;");
        e.line("const " + st + "* ps = (const " + st + "*) S->data;");
        if (nd == 0) {
            e.line(assign("pd[0]", "ps[0]", dstType, srcType, add));
            e.line("}");
            return;
        }
        // the source's strides against dst's axes: 0 where it broadcasts
        e.line("int64_t sst[" + nd + "];");
        e.line("for (int d = 0; d < " + nd + "; d++) { const int sd = d - (" + nd + " - (int) S->ndim); sst[d] = sd < 0 || S->shape[sd] == 1 ? 0 : S->strides[sd]; }");
        Loops.strided(e, "D", nd, List.of("D->strides", "sst"), assign("pd[off0]", "ps[off1]", dstType, srcType, add));
        e.line("}");
    }

    /**
     * One element, as Accumulate.put: a float target computes in double and rounds once; an
     * integer or bool target computes in int64 (wrapping as Java's long does — signed overflow
     * is undefined in C), or in double through Java's saturating (long) cast when the value is
     * a float; then narrows as NDArray.setLong does (wraps; bool is "not zero").
     */
    private static String assign(String target, String value, DType dstType, DType srcType, boolean add) {
        String dt = Prelude.cType(dstType);
        if (dstType.isFloat()) {
            if (add) {
                return target + " = (" + dt + ") ((double) " + target + " + (double) " + value + ");";
            }
            return target + " = " + (dstType == srcType ? value : "(" + dt + ") (double) " + value) + ";";
        }
        if (!add && dstType == srcType) {
            return target + " = " + value + ";";
        }
        String v;
        if (srcType.isFloat()) {
            v = "tsl_d2l(" + (add ? "(double) (int64_t) " + target + " + " : "") + "(double) " + value + ")";
        } else if (add) {
            v = "(int64_t) ((uint64_t) (int64_t) " + target + " + (uint64_t) (int64_t) " + value + ")";
        } else {
            v = "(int64_t) " + value;
        }
        return target + " = " + (dstType.isBool() ? "(" + dt + ") (" + v + " != 0)" : "(" + dt + ") " + v) + ";";
    }

    /** Writes code that makes {@code o} (the descriptor of {@code out}) a fresh contiguous copy of {@code x}, same shape and dtype. */
    static void freshCopy(Emit e, Variable out, String o, String x) {
        long itemsize = out.dtype().byteSize();
        e.line(o + "->ndim = " + x + "->ndim;");
        e.line("for (int d = 0; d < " + x + "->ndim; d++) " + o + "->shape[d] = " + x + "->shape[d];");
        e.allocate(out, o);
        e.line("if (tsl_is_contiguous(" + x + ")) memcpy(" + o + "->data, " + x + "->data, tsl_size(" + x + ") * " + itemsize + ");");
        e.line("else tsl_copy_contiguous(" + x + ", " + o + "->data, " + itemsize + ");");
    }

    /**
     * Writes code that sets {@code ok} to whether {@code src}'s shape broadcasts to {@code dst}'s
     * (src has no more axes than dst; each of its axes is 1 or the same length).
     */
    static void checkBroadcast(Emit e, String ok, String dst, String src) {
        e.line("int " + ok + " = " + src + "->ndim <= " + dst + "->ndim;");
        e.line("for (int d = 1; " + ok + " && d <= " + src + "->ndim; d++) { const int64_t a = " + src + "->shape[" + src
                + "->ndim - d]; " + ok + " = a == 1 || a == " + dst + "->shape[" + dst + "->ndim - d]; }");
    }
}
