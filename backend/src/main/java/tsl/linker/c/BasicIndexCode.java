package tsl.linker.c;

import java.util.List;

import tsl.graph.Variable;
import tsl.ops.subtensor.Index;

/**
 * The C of basic indexing {@code x[i, a:b:c, None]} (what BasicIndexing.view does in Java):
 * it fills a descriptor with the view's shape, strides and data pointer, with NumPy's
 * IndexError for a point out of range and ValueError for a zero step. Shared by Subtensor,
 * which returns the view, and IncSubtensor, which writes through it.
 */
final class BasicIndexCode {
    private BasicIndexCode() {}

    /**
     * Writes code that makes {@code view} (a {@code tsl_arr} lvalue) the view {@code x[idx]}.
     *
     * @param bounds the node inputs holding the symbolic bounds, in the order the entries consume them
     */
    static void view(Emit e, String x, String view, List<Index> idx, List<Variable> bounds, long itemsize) {
        e.line("{");
        e.line("int64_t off = 0;");
        int d = 0;
        int od = 0;
        int[] k = {0};
        for (Index entry : idx) {
            switch (entry) {
                case Index.Point p -> {
                    e.line("{");
                    e.line("const int64_t i = " + bound(e, p.at(), bounds, k) + ", n = " + x + "->shape[" + d + "], j = i < 0 ? i + n : i;");
                    e.line("if (j < 0 || j >= n) {");
                    e.fail("IndexError: index %lld is out of bounds for axis " + d + " with size %lld", "(long long) i", "(long long) n");
                    e.line("}");
                    e.line("off += j * " + x + "->strides[" + d + "];");
                    e.line("}");
                    d++;
                }
                case Index.Range r -> {
                    slice(e, x, d, r, bounds, k, "off", view, od);
                    d++;
                    od++;
                }
                case Index.NewAxis a -> {
                    e.line(view + ".shape[" + od + "] = 1; " + view + ".strides[" + od + "] = 0;");
                    od++;
                }
                case Index.Array a -> throw new IllegalStateException("array index in basic indexing");
            }
        }
        e.line("for (int64_t d = " + d + "; d < " + x + "->ndim; d++) { " + view + ".shape[d - " + (d - od) + "] = "
                + x + "->shape[d]; " + view + ".strides[d - " + (d - od) + "] = " + x + "->strides[d]; }");
        e.line(view + ".ndim = " + x + "->ndim - " + (d - od) + ";");
        e.line(view + ".data = " + x + "->data + off * " + itemsize + ";");
        e.line(view + ".owner = " + x + "->owner;");
        e.line("}");
    }

    /**
     * Writes the slice {@code r} of axis {@code d} of {@code x}: adds its start to the element
     * offset {@code off} and makes axis {@code od} of {@code view} its length and stride, with
     * Python's clamping (SliceMath in Java) and NumPy's ValueError for a zero step. {@code k}
     * counts the symbolic bounds consumed from {@code bounds}.
     */
    static void slice(Emit e, String x, int d, Index.Range r, List<Variable> bounds, int[] k, String off, String view, int od) {
        e.line("{");
        String start = r.start().isNone() ? "0" : bound(e, r.start(), bounds, k);
        String stop = r.stop().isNone() ? "0" : bound(e, r.stop(), bounds, k);
        String step = r.step().isNone() ? "1" : bound(e, r.step(), bounds, k);
        e.line("const int64_t start = " + start + ", stop = " + stop + ", step = " + step + ";");
        e.line("if (step == 0) {");
        e.fail("slice step cannot be zero");
        e.line("}");
        e.line("int64_t lo, len;");
        e.line("tsl_slice(" + (r.start().isNone() ? 0 : 1) + ", start, " + (r.stop().isNone() ? 0 : 1)
                + ", stop, step, " + x + "->shape[" + d + "], &lo, &len);");
        e.line("if (len > 0) " + off + " += lo * " + x + "->strides[" + d + "];");
        e.line(view + ".shape[" + od + "] = len; " + view + ".strides[" + od + "] = " + x + "->strides[" + d + "] * step;");
        e.line("}");
    }

    /** A bound's C value: its constant, or the next symbolic input read as int64. */
    static String bound(Emit e, Index.Bound b, List<Variable> bounds, int[] k) {
        if (!b.symbolic()) {
            return b.value() + "LL";
        }
        Variable v = bounds.get(k[0]++);
        return "(int64_t) *(const " + Prelude.cType(v.dtype()) + "*) " + e.arr(v) + "->data";
    }

    /** The rank of {@code x[idx]} for an x of rank {@code xNdim}: points remove an axis, new axes add one. */
    static int viewNdim(List<Index> idx, int xNdim) {
        int nd = xNdim;
        for (Index entry : idx) {
            nd += entry instanceof Index.Point ? -1 : entry instanceof Index.NewAxis ? 1 : 0;
        }
        return nd;
    }

    /** Whether every input after {@code first} is an integer scalar (a bound C can read). */
    static boolean boundsReadable(List<Variable> inputs, int first) {
        for (int i = first; i < inputs.size(); i++) {
            if (inputs.get(i).ndim() != 0 || !inputs.get(i).dtype().isInteger()) {
                return false;
            }
        }
        return true;
    }
}
