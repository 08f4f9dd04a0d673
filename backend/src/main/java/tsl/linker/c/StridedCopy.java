package tsl.linker.c;

import tsl.tensor.DType;

/**
 * The C that writes (or adds) one array into another of any strides, the source broadcast
 * to the target's shape NumPy's way (missing leading axes and axes of length 1 repeat), with
 * the jvm reference's conversions: float targets compute in double and round once, integer
 * targets in int64 and wrap. The caller has checked that the shapes broadcast.
 */
final class StridedCopy {
    private StridedCopy() {}

    /** Whether C converts {@code from} into {@code to} as the jvm reference does (Accumulate, NDArray.assign). */
    static boolean converts(DType from, DType to) {
        // a float written into an integer or bool target goes through Java's saturating casts; not in C
        return to.isFloat() || !from.isFloat() && !to.isBool() || from == to;
    }

    /** Writes code that makes {@code dst = src} (or {@code dst += src} when {@code add}). */
    static void emit(Emit e, String dst, DType dstType, String src, DType srcType, boolean add) {
        String dt = Prelude.cType(dstType);
        String st = Prelude.cType(srcType);
        String acc = dstType.isFloat() ? "double" : "int64_t";
        String value = add ? "(" + dt + ") ((" + acc + ") pd[j * dsi] + (" + acc + ") ps[j * ssi])"
                : "(" + dt + ") (" + acc + ") ps[j * ssi]";
        if (dstType == srcType && !add) {
            value = "ps[j * ssi]";
        }
        e.line("{");
        e.line("const tsl_arr* D = " + dst + "; const tsl_arr* S = " + src + ";");
        e.line("const int nd = (int) D->ndim;");
        e.line("int64_t sst[TSL_MAXD + 1], idx[TSL_MAXD + 1] = {0};");
        e.line("for (int d = 0; d < nd; d++) { const int sd = d - (nd - (int) S->ndim); sst[d] = sd < 0 || S->shape[sd] == 1 ? 0 : S->strides[sd]; }");
        e.line("const int64_t n = tsl_size(D);");
        e.line("const int64_t inner = nd > 0 ? D->shape[nd - 1] : 1, dsi = nd > 0 ? D->strides[nd - 1] : 0, ssi = nd > 0 ? sst[nd - 1] : 0;");
        e.line("for (int64_t r = 0; n > 0 && r < n / inner; r++) {");
        e.line("int64_t doff = 0, soff = 0;");
        e.line("for (int d = 0; d < nd - 1; d++) { doff += idx[d] * D->strides[d]; soff += idx[d] * sst[d]; }");
        e.line(dt + "* pd = (" + dt + "*) D->data + doff;");
        e.line("const " + st + "* ps = (const " + st + "*) S->data + soff;");
        e.line("for (int64_t j = 0; j < inner; j++) pd[j * dsi] = " + value + ";");
        e.line("for (int d = nd - 2; d >= 0; d--) { if (++idx[d] < D->shape[d]) break; idx[d] = 0; }");
        e.line("}");
        e.line("}");
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
