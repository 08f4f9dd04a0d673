package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.control.Scan;
import tsl.tensor.DType;

/**
 * Scan as a C loop inside the segment's function: the step's inner graph is inlined once
 * ({@link InnerCode}) and run n times with no call back to Java.
 *
 * <p>Memory: each recurrent output is allocated once, before the loop, at its full length
 * (n rows); a tap reads its row in place, from that output (rows already written) or from the
 * initial value (rows before step 0), so nothing is copied to feed a step. A per-step output
 * is allocated at step 0, when its row shape is known. The inner intermediates live in
 * buffers kept from step to step. Each step's result is copied into its row (the inner graph
 * may return a view or an input). With {@code until}, the loop breaks after the first step
 * whose condition is true and every output's length becomes the number of steps run. A while
 * loop (until alone bounds it) starts its whole histories and per-step outputs at a few rows
 * and doubles them with realloc when full (a MemoryError when that fails); states read only
 * as their last row are rings and do not grow.
 */
final class ScanEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof Scan op) || !InnerCode.supported(op.inner())) {
            return false;
        }
        List<Variable> innerIn = op.inner().inputs();
        List<Variable> innerOut = op.inner().outputs();
        int nSeqs = op.nSeqs();
        int a = nSeqs;
        for (int i = 0; i < nSeqs; i++) {
            if (innerIn.get(i).dtype() != node.input(1 + i).dtype()) {
                return false;
            }
        }
        for (int j = 0; j < op.nStates(); j++) {
            DType d = node.input(1 + nSeqs + j).dtype();
            if (innerOut.get(j).dtype() != d || node.outputs().get(j).dtype() != d
                    || node.input(1 + nSeqs + j).ndim() != innerOut.get(j).ndim() + 1) {
                return false;
            }
            for (int t = 0; t < op.taps(j).length; t++) {
                if (innerIn.get(a++).dtype() != d) {
                    return false;
                }
            }
        }
        for (int k = 0; k < op.nNitSot(); k++) {
            if (innerOut.get(op.nStates() + k).dtype() != node.outputs().get(op.nStates() + k).dtype()) {
                return false;
            }
        }
        int firstNonSeq = 1 + nSeqs + op.nStates();
        for (int i = 0; i < op.nNonSeqs(); i++) {
            if (innerIn.get(a + i).dtype() != node.input(firstNonSeq + i).dtype()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean usesBlas(Apply node) {
        return InnerCode.usesBlas(((Scan) node.op()).inner());
    }

    @Override
    public void emit(Apply node, Emit e) {
        InnerCode.scoped(() -> write(node, e));
    }

    private static void write(Apply node, Emit e) {
        Scan op = (Scan) node.op();
        int nSeqs = op.nSeqs();
        int nStates = op.nStates();
        int nNit = op.nNitSot();
        List<Variable> innerIn = op.inner().inputs();
        List<Variable> innerOut = op.inner().outputs();
        String p = InnerCode.uniquePrefix(e, node.outputs().get(0), "scan");
        InnerCode ic = new InnerCode(op.inner(), p);
        String name = Emit.text(op.toString());
        e.line("{");
        e.line("int64_t " + p + "n = INT64_MAX, " + p + "done, " + p + "cap;");
        ic.declareNull(e);
        for (int j = 0; j < nStates; j++) {
            if (op.lastOnly(j)) {
                int rows = op.depth(j) + 1;
                e.line("tsl_arr " + p + "H" + j + "; char* " + p + "P" + j + "[" + rows + "] = {0}; int64_t " + p + "Q" + j + "[" + rows + "];");
            }
        }
        InnerCode.redirect(e, p + "err");
        for (int i = 0; i < nSeqs; i++) {
            e.line("if (" + e.arr(node.input(1 + i)) + "->shape[0] < " + p + "n) " + p + "n = " + e.arr(node.input(1 + i)) + "->shape[0];");
        }
        if (op.stepsGiven()) {
            Variable ns = node.input(0);
            e.line("{");
            e.line("const int64_t s = (int64_t) ((const " + Prelude.cType(ns.dtype()) + "*) " + e.arr(ns) + "->data)[0];");
            e.line("if (s < 0) {");
            e.fail("not supported yet: scan with a negative n_steps (%lld)", "(long long) s");
            e.line("}");
            e.line("if (s < " + p + "n) " + p + "n = s;");
            e.line("}");
        }
        if (!unbounded(op)) {
            e.line("if (" + p + "n == INT64_MAX) {");
            e.fail(name + ": no sequence and no n_steps");
            e.line("}");
        }
        e.line(p + "done = " + p + "n;");
        // rows allocated for a whole history or a per-step output: all n, or for a while loop (no n) a start that doubles
        e.line(p + "cap = " + (unbounded(op) ? INITIAL_ROWS + "" : p + "n") + ";");
        // recurrent outputs: the whole history at once
        for (int j = 0; j < nStates; j++) {
            Variable init = node.input(1 + nSeqs + j);
            String ia = e.arr(init);
            String oa = e.arr(node.outputs().get(j));
            int depth = op.depth(j);
            e.line("if (" + ia + "->shape[0] < " + depth + ") {");
            e.fail(name + ": the initial value of output " + j + " has %lld rows, but its taps reach back " + depth + " steps",
                    "(long long) " + ia + "->shape[0]");
            e.line("}");
            if (op.lastOnly(j)) {
                // only the last row leaves the loop: a ring of depth + 1 rows holds what the taps read
                String h = ring(p, j);
                e.line(h + "->ndim = " + init.ndim() + "; " + h + "->owner = -1; " + h + "->shape[0] = " + (depth + 1) + ";");
                for (int d = 1; d < init.ndim(); d++) {
                    e.line(h + "->shape[" + d + "] = " + ia + "->shape[" + d + "];");
                }
                e.line("tsl_set_contiguous(" + h + "); " + h + "->data = NULL;");
                // one allocation per row, so that a step's result can be swapped in rather than copied
                e.line("for (int q = 0; q < " + (depth + 1) + "; q++) {");
                e.line("int64_t rb = tsl_size(" + h + ") / " + (depth + 1) + " * " + init.dtype().byteSize() + ";");
                e.line(p + "Q" + j + "[q] = rb > 0 ? rb : 1;");
                e.line(p + "P" + j + "[q] = (char*) malloc(" + p + "Q" + j + "[q]);");
                e.line("if (!" + p + "P" + j + "[q]) {");
                e.fail("MemoryError: cannot allocate the state of " + name);
                e.line("}");
                e.line("}");
                continue;
            }
            e.line(oa + "->ndim = " + init.ndim() + "; " + oa + "->shape[0] = " + p + "cap;");
            for (int d = 1; d < init.ndim(); d++) {
                e.line(oa + "->shape[" + d + "] = " + ia + "->shape[" + d + "];");
            }
            e.allocate(node.outputs().get(j), oa);
        }
        ic.allocate(e);
        // rows of sequences and non-sequences: the shape is fixed, only the data pointer moves
        for (int i = 0; i < nSeqs; i++) {
            String s = e.arr(node.input(1 + i));
            String d = ic.arr(innerIn.get(i));
            int rnd = node.input(1 + i).ndim() - 1;
            e.line(d + "->ndim = " + rnd + "; " + d + "->owner = -1;");
            for (int q = 0; q < rnd; q++) {
                e.line(d + "->shape[" + q + "] = " + s + "->shape[" + (q + 1) + "]; " + d + "->strides[" + q + "] = " + s + "->strides[" + (q + 1) + "];");
            }
        }
        int firstTap = nSeqs;
        int tapCount = 0;
        for (int j = 0; j < nStates; j++) {
            tapCount += op.taps(j).length;
        }
        int firstNonSeq = 1 + nSeqs + nStates;
        for (int i = 0; i < op.nNonSeqs(); i++) {
            e.line("*" + ic.arr(innerIn.get(firstTap + tapCount + i)) + " = *" + e.arr(node.input(firstNonSeq + i)) + ";");
        }
        boolean scalar = ic.scalarOnly();
        if (scalar) {
            ic.prepareScalar(e);
        }
        e.line("for (int64_t t = 0; t < " + p + "n; t++) {");
        // a host may cancel a loop that never ends: one load and a predictable branch, only every 1024 steps when a step is a
        // few scalar operations (nanoseconds), every step otherwise (a step with arrays costs far more than the load)
        int pollMask = scalar ? 1023 : 0;
        e.line("if ((t & " + pollMask + ") == " + pollMask + " && tsl_cancelled(err)) {");
        e.fail(Prelude.CANCELLED + name + " was cancelled at step %lld", "(long long) t");
        e.line("}");
        if (unbounded(op) && (op.nNitSot() > 0 || !allLastOnly(op))) {
            // a while loop's whole histories and per-step outputs are full: twice the rows (realloc keeps the rows written)
            e.line("if (t == " + p + "cap) {");
            e.line("const int64_t more = " + p + "cap * 2;");
            for (int k = 0; k < nStates + nNit; k++) {
                if (k < nStates && op.lastOnly(k)) {
                    continue;
                }
                Variable out = node.outputs().get(k);
                e.growRows(out, e.arr(out), "more");
            }
            e.line(p + "cap = more;");
            e.line("}");
        }
        for (int i = 0; i < nSeqs; i++) {
            String s = e.arr(node.input(1 + i));
            e.line(ic.arr(innerIn.get(i)) + "->data = " + s + "->data + t * " + s + "->strides[0] * "
                    + node.input(1 + i).dtype().byteSize() + ";");
        }
        int a = firstTap;
        for (int j = 0; j < nStates; j++) {
            Variable init = node.input(1 + nSeqs + j);
            String ia = e.arr(init);
            String oa = history(e, node, p, j);
            long item = init.dtype().byteSize();
            int rnd = init.ndim() - 1;
            for (int tap : op.taps(j)) {
                String d = ic.arr(innerIn.get(a++));
                e.line("{");
                e.line("const int64_t r = t + (" + tap + ");");
                e.line("const tsl_arr* h = r >= 0 ? " + oa + " : " + ia + ";");
                if (op.lastOnly(j)) {
                    e.line(d + "->data = r >= 0 ? " + p + "P" + j + "[" + row(op, j, "r") + "] : h->data + (r + " + op.depth(j) + ") * h->strides[0] * " + item + ";");
                } else {
                    e.line(d + "->data = h->data + (r >= 0 ? r : r + " + op.depth(j) + ") * h->strides[0] * " + item + ";");
                }
                e.line(d + "->ndim = " + rnd + "; " + d + "->owner = -1;");
                for (int q = 0; q < rnd; q++) {
                    e.line(d + "->shape[" + q + "] = h->shape[" + (q + 1) + "]; " + d + "->strides[" + q + "] = h->strides[" + (q + 1) + "];");
                }
                e.line("}");
            }
        }
        if (scalar) {
            ic.scalarBody(e);
        } else {
            ic.body(e, p + "inner");
        }
        for (int k = 0; k < nStates + nNit; k++) {
            Variable out = node.outputs().get(k);
            String oa = k < nStates ? history(e, node, p, k) : e.arr(out);
            String src = ic.arr(innerOut.get(k));
            int rnd = out.ndim() - 1;
            long item = out.dtype().byteSize();
            e.line("{");
            e.line("const tsl_arr* src = " + src + ";");
            if (k >= nStates) {
                e.line("if (t == 0) {");
                e.line(oa + "->ndim = " + out.ndim() + "; " + oa + "->shape[0] = " + p + "cap;");
                e.line("for (int q = 0; q < " + rnd + "; q++) " + oa + "->shape[q + 1] = src->shape[q];");
                e.allocate(out, oa);
                e.line("}");
            }
            e.line("int same = 1;");
            e.line("for (int q = 0; q < " + rnd + "; q++) same &= src->shape[q] == " + oa + "->shape[q + 1];");
            e.line("if (!same) {");
            e.line("tsl_arr want; want.ndim = " + rnd + ";");
            e.line("for (int q = 0; q < " + rnd + "; q++) want.shape[q] = " + oa + "->shape[q + 1];");
            e.line("char s0[256], s1[256];");
            e.fail(name + ": at step %lld output " + k + " of the inner function has shape %s, but the loop expects %s"
                    + " (every step must give the same shape, that of the initial state for a recurrent output)",
                    "(long long) t", "tsl_shape(src, s0, 256)", "tsl_shape(&want, s1, 256)");
            e.line("}");
            int own = k < nStates && op.lastOnly(k) && !scalar && once(innerOut, k) ? ic.ownBuffer(innerOut.get(k)) : -1;
            if (own >= 0) {
                // the step's result owns a kept buffer: it becomes the ring row, and the row's old buffer takes its place
                String slot = p + "P" + k + "[" + row(op, k, "t") + "]";
                String cap = p + "Q" + k + "[" + row(op, k, "t") + "]";
                // (a reshape may have made it a view after all: then it is copied)
                e.line("if (src->data == (char*) " + ic.buffers() + "[" + own + "]) {");
                e.line("void* tmp = " + slot + "; " + slot + " = (char*) " + ic.buffers() + "[" + own + "]; " + ic.buffers() + "[" + own + "] = tmp;");
                e.line("int64_t cap = " + cap + "; " + cap + " = " + ic.capacities() + "[" + own + "]; " + ic.capacities() + "[" + own + "] = cap;");
                e.line("} else {");
                e.line(InnerCode.copyInto(slot, "src", item));
                e.line("}");
                e.line("}");
                continue;
            }
            e.line("char* dst = " + (k < nStates && op.lastOnly(k) ? p + "P" + k + "[" + row(op, k, "t") + "]"
                    : oa + "->data + t * " + oa + "->strides[0] * " + item) + ";");
            if (rnd == 0) {
                e.line("memcpy(dst, src->data, " + item + ");");
            } else {
                e.line(InnerCode.copyInto("dst", "src", item));
            }
            e.line("}");
        }
        if (op.hasUntil()) {
            Variable u = innerOut.get(nStates + nNit);
            e.line("if (((const " + Prelude.cType(u.dtype()) + "*) " + ic.arr(u) + "->data)[0] != 0) { " + p + "done = t + 1; break; }");
        }
        e.line("}");
        for (int k = nStates; k < nStates + nNit; k++) {
            // no step ran: the per-step shape is only known where it is static
            Variable out = node.outputs().get(k);
            String oa = e.arr(out);
            int[] s = out.type().shape();
            e.line("if (" + p + "n == 0) {");
            e.line(oa + "->ndim = " + out.ndim() + ";");
            for (int d = 0; d < s.length; d++) {
                e.line(oa + "->shape[" + d + "] = " + Math.max(s[d], 0) + ";");
            }
            e.allocate(out, oa);
            e.line("}");
        }
        for (int j = 0; j < nStates; j++) {
            if (op.lastOnly(j)) {
                Variable out = node.outputs().get(j);
                String oa = e.arr(out);
                String h = ring(p, j);
                long item = out.dtype().byteSize();
                e.line(oa + "->ndim = " + out.ndim() + "; " + oa + "->shape[0] = " + p + "done > 0 ? 1 : 0;");
                for (int d = 1; d < out.ndim(); d++) {
                    e.line(oa + "->shape[" + d + "] = " + h + "->shape[" + d + "];");
                }
                e.allocate(out, oa);
                e.line("if (" + p + "done > 0) memcpy(" + oa + "->data, " + p + "P" + j + "[(" + p + "done - 1) % " + (op.depth(j) + 1)
                        + "], tsl_size(" + oa + ") * " + item + ");");
            }
        }
        for (int k = 0; k < nStates + nNit; k++) {
            if (k >= nStates || !op.lastOnly(k)) {
                e.line(e.arr(node.outputs().get(k)) + "->shape[0] = " + p + "done;");
            }
        }
        e.line("goto " + p + "done_;");
        e.line(p + "inner: ;");
        ic.describeFailure(e, op.toString());
        e.line(p + "err: ;");
        e.line("{");
        e.line("char msg[TSL_ERRLEN];");
        e.line("memcpy(msg, err, TSL_ERRLEN); msg[TSL_ERRLEN - 1] = 0;");
        ic.release(e);
        releaseRings(e, op, p);
        InnerCode.restore(e);
        e.fail("%s", "msg");
        e.line("}");
        e.line(p + "done_: ;");
        ic.release(e);
        releaseRings(e, op, p);
        e.line("}");
    }

    /** Rows a while loop's growing outputs start with. */
    private static final int INITIAL_ROWS = 16;

    /** A while loop: no sequence and no n_steps, only until ends it. */
    private static boolean unbounded(Scan op) {
        return op.nSeqs() == 0 && !op.stepsGiven() && op.hasUntil();
    }

    private static boolean allLastOnly(Scan op) {
        for (int j = 0; j < op.nStates(); j++) {
            if (!op.lastOnly(j)) {
                return false;
            }
        }
        return true;
    }

    private static String ring(String p, int j) {
        return "(&" + p + "H" + j + ")";
    }

    /** Where state j's rows are written: the output itself, or its ring when only the last row is kept. */
    private static String history(Emit e, Apply node, String p, int j) {
        return ((Scan) node.op()).lastOnly(j) ? ring(p, j) : e.arr(node.outputs().get(j));
    }

    /** The row of state j that step {@code r} lives in. */
    private static String row(Scan op, int j, String r) {
        return op.lastOnly(j) ? "(" + r + " % " + (op.depth(j) + 1) + ")" : r;
    }

    private static void releaseRings(Emit e, Scan op, String p) {
        for (int j = 0; j < op.nStates(); j++) {
            if (op.lastOnly(j)) {
                e.line("for (int q = 0; q < " + (op.depth(j) + 1) + "; q++) { free(" + p + "P" + j + "[q]); " + p + "P" + j + "[q] = NULL; }");
            }
        }
    }

    /** Whether inner output k is no other inner output too (a swapped buffer must have one owner). */
    private static boolean once(List<Variable> innerOut, int k) {
        for (int i = 0; i < innerOut.size(); i++) {
            if (i != k && innerOut.get(i) == innerOut.get(k)) {
                return false;
            }
        }
        return true;
    }
}
