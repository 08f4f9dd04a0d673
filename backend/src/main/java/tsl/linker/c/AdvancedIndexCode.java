package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Variable;
import tsl.ops.subtensor.Index;

/**
 * The C of advanced indexing, following the jvm reference (AdvancedIndexing.plan): integer
 * index arrays, integer points (0-d arrays there, as in NumPy), boolean masks (their nonzero
 * positions, one 1-d index array per mask axis) and slices. The index arrays broadcast
 * together; when they sit next to each other their broadcast axes take their place in the
 * result, otherwise they come first and the slice axes follow. The code walks the result's
 * leading axes (all but the slice axes after the last indexed axis) and hands each position's
 * source offset to the caller, whose code moves one block (those trailing slice axes) at a
 * time. New axes among arrays and 0-d masks run in Java.
 */
final class AdvancedIndexCode {

    /** What indexes one or more axes of x, in the order of the index expression. */
    private sealed interface Part {
        int axis();
    }

    private record IntArray(int axis, Variable v, String name) implements Part {}

    private record Point(int axis, Index.Bound at, String name) implements Part {}

    /** A boolean mask over axes axis .. axis + v.ndim - 1. */
    private record Mask(int axis, Variable v, String name) implements Part {}

    private record Slice(int axis, Index.Range r) implements Part {}

    private final List<Part> parts;
    private final List<Variable> indexInputs;
    private final int bnd;            // rank of the broadcast index arrays
    private final int blockStart;     // x's first axis after the last indexed one
    private final List<Integer> lead; // the result's leading axes: a slice axis d of x, or -1 - j for broadcast axis j
    private final int bpos;           // where the broadcast axes start among the leading axes

    private AdvancedIndexCode(List<Part> parts, List<Variable> indexInputs, int bnd, int blockStart, List<Integer> lead, int bpos) {
        this.parts = parts;
        this.indexInputs = indexInputs;
        this.bnd = bnd;
        this.blockStart = blockStart;
        this.lead = lead;
        this.bpos = bpos;
    }

    /** The plan for {@code idx} over the given index inputs, or null when that form runs in Java. */
    static AdvancedIndexCode of(List<Index> idx, List<Variable> indexInputs) {
        int k = 0;
        int axis = 0;
        int bnd = 0;
        int firstArray = -1;
        int lastArray = -1;
        int arrayAxes = 0;
        boolean anyArray = false;
        List<Part> parts = new ArrayList<>();
        for (Index e : idx) {
            switch (e) {
                case Index.Array a -> {
                    Variable v = indexInputs.get(k++);
                    if (!(v.dtype().isInteger() || v.dtype().isBool()) || v.ndim() > Prelude.MAXDIM || v.dtype().isBool() && v.ndim() == 0) {
                        return null;
                    }
                    int span = v.dtype().isBool() ? v.ndim() : 1;
                    parts.add(v.dtype().isBool() ? new Mask(axis, v, "M" + parts.size()) : new IntArray(axis, v, "A" + parts.size()));
                    bnd = Math.max(bnd, v.dtype().isBool() ? 1 : v.ndim());
                    firstArray = firstArray < 0 ? axis : firstArray;
                    lastArray = axis + span - 1;
                    arrayAxes += span;
                    axis += span;
                    anyArray = true;
                }
                case Index.Point p -> {
                    parts.add(new Point(axis, p.at(), "P" + parts.size()));
                    firstArray = firstArray < 0 ? axis : firstArray;
                    lastArray = axis;
                    arrayAxes++;
                    axis++;
                    k += p.inputCount();
                }
                case Index.Range r -> {
                    parts.add(new Slice(axis, r));
                    axis++;
                    k += r.inputCount();
                }
                case Index.NewAxis n -> {
                    return null;
                }
            }
        }
        if (!anyArray) {
            return null;
        }
        boolean adjacent = lastArray - firstArray + 1 == arrayAxes;
        List<Integer> lead = new ArrayList<>();
        int bpos = 0;
        if (!adjacent) {
            addBroadcast(lead, bnd);
        }
        for (Part p : parts) {
            if (adjacent && p.axis() == firstArray) {
                bpos = lead.size();
                addBroadcast(lead, bnd);
            }
            if (p instanceof Slice s && s.axis() < lastArray) {
                lead.add(s.axis());
            }
        }
        return new AdvancedIndexCode(List.copyOf(parts), indexInputs, bnd, lastArray + 1, List.copyOf(lead), bpos);
    }

    private static void addBroadcast(List<Integer> lead, int bnd) {
        for (int j = 0; j < bnd; j++) {
            lead.add(-1 - j);
        }
    }

    /**
     * Writes the checks and the result's shape into {@code plan} (a {@code tsl_arr} lvalue, shape
     * only) and the view {@code xv} of {@code x} with the slices applied (indexed axes whole).
     * The reference's errors, in its order (the entries left to right, then the broadcast):
     * IndexError for an index out of range, a mask whose shape is not x's, or arrays that do not
     * broadcast; ValueError for a zero step.
     */
    void prepare(Emit e, String x, String xv, String plan, long itemsize) {
        e.line("tsl_arr " + xv + " = *" + x + ";");
        e.line("int64_t xoff = 0;");
        int[] k = {0};
        for (Part part : parts) {
            switch (part) {
                case IntArray a -> {
                    k[0]++;
                    String an = a.name();
                    e.line("const tsl_arr* " + an + " = " + e.arr(a.v()) + ";");
                    e.line("{");
                    e.line("const int64_t n = " + x + "->shape[" + a.axis() + "], cnt = tsl_size(" + an + ");");
                    e.line("int64_t ii[TSL_MAXD + 1] = {0};");
                    e.line("for (int64_t c = 0; c < cnt; c++) {");
                    e.line("int64_t ao = 0;");
                    e.line("for (int j = 0; j < " + an + "->ndim; j++) ao += ii[j] * " + an + "->strides[j];");
                    e.line("const int64_t v = (int64_t) ((const " + Prelude.cType(a.v().dtype()) + "*) " + an + "->data)[ao];");
                    e.line("if (v < -n || v >= n) {");
                    e.fail("IndexError: index %lld is out of bounds for axis " + a.axis() + " with size %lld", "(long long) v", "(long long) n");
                    e.line("}");
                    e.line("for (int j = (int) " + an + "->ndim - 1; j >= 0; j--) { if (++ii[j] < " + an + "->shape[j]) break; ii[j] = 0; }");
                    e.line("}");
                    e.line("}");
                }
                case Point p -> {
                    String value = BasicIndexCode.bound(e, p.at(), indexInputs, k);
                    e.line("int64_t " + p.name() + ";");
                    e.line("{");
                    e.line("const int64_t i = " + value + ", n = " + x + "->shape[" + p.axis() + "];");
                    e.line(p.name() + " = i < 0 ? i + n : i;");
                    e.line("if (" + p.name() + " < 0 || " + p.name() + " >= n) {");
                    e.fail("IndexError: index %lld is out of bounds for axis " + p.axis() + " with size %lld", "(long long) i", "(long long) n");
                    e.line("}");
                    e.line("}");
                }
                case Mask m -> {
                    k[0]++;
                    String mn = m.name();
                    int r = m.v().ndim();
                    e.line("const tsl_arr* " + mn + " = " + e.arr(m.v()) + ";");
                    e.line("for (int t = 0; t < " + r + "; t++) if (" + mn + "->shape[t] != " + x + "->shape[" + m.axis() + " + t]) {");
                    e.fail("IndexError: boolean index did not match indexed array along axis %d; size of axis is %lld but size of corresponding "
                            + "boolean axis is %lld", "" + m.axis() + " + t", "(long long) " + x + "->shape[" + m.axis() + " + t]",
                            "(long long) " + mn + "->shape[t]");
                    e.line("}");
                    // the count first: the broadcast and the result's shape depend on it
                    e.line("int64_t " + mn + "n = 0;");
                    Loops.cOrder(e, mn, r, "if (((const uint8_t*) " + mn + "->data)[off] != 0) " + mn + "n++;");
                }
                case Slice s -> BasicIndexCode.slice(e, x, s.axis(), s.r(), indexInputs, k, "xoff", xv, s.axis());
            }
        }
        e.line(xv + ".data = " + x + "->data + xoff * " + itemsize + ";");
        broadcast(e);
        // the result: the leading axes, then the block (the slice axes after the last indexed axis)
        e.line(plan + ".ndim = 0;");
        for (int a : lead) {
            e.line(plan + ".shape[" + plan + ".ndim++] = " + (a >= 0 ? xv + ".shape[" + a + "]" : "bsh[" + (-1 - a) + "]") + ";");
        }
        e.line("const int64_t lead = " + plan + ".ndim;");
        e.line("for (int64_t d = " + blockStart + "; d < " + xv + ".ndim; d++) " + plan + ".shape[" + plan + ".ndim++] = " + xv + ".shape[d];");
        e.line("int64_t nq = 1;");
        e.line("for (int64_t j = 0; j < lead; j++) nq *= " + plan + ".shape[j];");
        e.line("if (tsl_size(&" + plan + ") == 0) nq = 0;");
        e.line("tsl_arr xb;");
        e.line("xb.ndim = " + xv + ".ndim - " + blockStart + ";");
        e.line("for (int64_t d = 0; d < xb.ndim; d++) { xb.shape[d] = " + xv + ".shape[d + " + blockStart + "]; xb.strides[d] = "
                + xv + ".strides[d + " + blockStart + "]; }");
        e.line("xb.owner = " + xv + ".owner;");
    }

    /** NumPy's broadcast of the index arrays (right-aligned) into {@code bsh}, with the reference's IndexError. */
    private void broadcast(Emit e) {
        e.line("int64_t bsh[TSL_MAXD + 1];");
        e.line("for (int j = 0; j < " + bnd + "; j++) bsh[j] = 1;");
        e.line("int bad = 0;");
        for (Part p : parts) {
            if (p instanceof IntArray a) {
                String an = a.name();
                e.line("for (int64_t j = 0; j < " + an + "->ndim; j++) { int64_t* b = &bsh[j + " + bnd + " - " + an + "->ndim]; const int64_t s = "
                        + an + "->shape[j]; if (*b == 1) *b = s; else if (s != 1 && s != *b) bad = 1; }");
            } else if (p instanceof Mask m) {
                e.line("{ int64_t* b = &bsh[" + (bnd - 1) + "]; const int64_t s = " + m.name() + "n; if (*b == 1) *b = s; else if (s != 1 && s != *b) bad = 1; }");
            }
        }
        e.line("if (bad) {");
        // every index array's shape, in axis order: a point is (), a mask one (count,) per axis
        e.line("char s[1024]; size_t sk = 0;");
        boolean firstShape = true;
        for (Part p : parts) {
            int copies = p instanceof Mask m ? m.v().ndim() : p instanceof Slice ? 0 : 1;
            for (int c = 0; c < copies; c++) {
                String sep = firstShape ? "" : "if (sk < 1000) s[sk++] = ' '; ";
                firstShape = false;
                String text = switch (p) {
                    case IntArray a -> "tsl_shape(" + a.name() + ", t, 256);";
                    case Point q -> "snprintf(t, 256, \"()\");";
                    case Mask m -> "snprintf(t, 256, \"(%lld,)\", (long long) " + m.name() + "n);";
                    case Slice q -> throw new IllegalStateException();
                };
                e.line("{ char t[256]; " + text + " " + sep + "for (char* c = t; *c && sk < 1000; c++) if (*c != ' ') s[sk++] = *c; }");
            }
        }
        e.line("s[sk] = 0;");
        e.fail("IndexError: shape mismatch: indexing arrays could not be broadcast together with shapes %s", "s");
        e.line("}");
    }

    /**
     * Opens the walk over the result's leading positions: inside, {@code q} counts them in C
     * order, {@code pi} holds the position and {@code off} the source offset (elements) in xv.
     * Masks become their nonzero positions first (one malloc, freed by {@link #close}). Call it
     * after every check. Close it with {@link #close}.
     */
    void open(Emit e, String xv, String plan) {
        List<Mask> masks = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Mask m) {
                masks.add(m);
            }
        }
        if (!masks.isEmpty()) {
            StringBuilder total = new StringBuilder("1");
            for (Mask m : masks) {
                total.append(" + ").append(m.name()).append("n * ").append(m.v().ndim());
            }
            e.line("int64_t* mpos = (int64_t*) malloc((size_t) (" + total + ") * sizeof(int64_t));");
            e.line("if (!mpos) {");
            e.fail("MemoryError: cannot allocate the positions of a boolean index");
            e.line("}");
            String at = "mpos";
            for (Mask m : masks) {
                String mn = m.name();
                int r = m.v().ndim();
                e.line("int64_t* " + mn + "p = " + at + ";");
                at = mn + "p + " + mn + "n * " + r;
                e.line("{");
                e.line("int64_t w = 0;");
                Loops.cOrder(e, mn, r, "if (((const uint8_t*) " + mn + "->data)[off] != 0) { for (int j = 0; j < " + r + "; j++) " + mn + "p[w++] = idx[j]; }");
                e.line("}");
            }
        }
        e.line("int64_t pi[TSL_MAXD + 1] = {0};");
        e.line("for (int64_t q = 0; q < nq; q++) {");
        e.line("int64_t off = 0;");
        for (int r = 0; r < lead.size(); r++) {
            if (lead.get(r) >= 0) {
                e.line("off += pi[" + r + "] * " + xv + ".strides[" + lead.get(r) + "];");
            }
        }
        for (Part p : parts) {
            switch (p) {
                case IntArray a -> {
                    String an = a.name();
                    e.line("{");
                    e.line("int64_t ao = 0;");
                    e.line("for (int64_t j = 0; j < " + an + "->ndim; j++) { const int64_t bj = " + bpos + " + j + " + bnd + " - " + an
                            + "->ndim; if (" + an + "->shape[j] != 1) ao += pi[bj] * " + an + "->strides[j]; }");
                    e.line("int64_t v = (int64_t) ((const " + Prelude.cType(a.v().dtype()) + "*) " + an + "->data)[ao];");
                    e.line("if (v < 0) v += " + xv + ".shape[" + a.axis() + "];");
                    e.line("off += v * " + xv + ".strides[" + a.axis() + "];");
                    e.line("}");
                }
                case Point q -> e.line("off += " + q.name() + " * " + xv + ".strides[" + q.axis() + "];");
                case Mask m -> {
                    String mn = m.name();
                    int r = m.v().ndim();
                    e.line("{");
                    e.line("const int64_t* mp = " + mn + "p + (" + mn + "n == 1 ? 0 : pi[" + (bpos + bnd - 1) + "]) * " + r + ";");
                    e.line("for (int j = 0; j < " + r + "; j++) off += mp[j] * " + xv + ".strides[" + m.axis() + " + j];");
                    e.line("}");
                }
                case Slice s -> { }
            }
        }
    }

    /** The rank of the blocks the caller moves: x's axes after the last indexed one. */
    int blockNdim(int xNdim) {
        return xNdim - blockStart;
    }

    void close(Emit e, String plan) {
        e.line("for (int64_t j = lead - 1; j >= 0; j--) { if (++pi[j] < " + plan + ".shape[j]) break; pi[j] = 0; }");
        e.line("}");
        for (Part p : parts) {
            if (p instanceof Mask) {
                e.line("free(mpos);");
                break;
            }
        }
    }
}
