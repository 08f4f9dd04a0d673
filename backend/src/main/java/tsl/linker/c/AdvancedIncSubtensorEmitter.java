package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.subtensor.AdvancedIncSubtensor;

/**
 * set_subtensor / inc_subtensor with index arrays: a copy of x, then y (broadcast to the
 * indexing result) written or added block by block in C order — a repeated index adds
 * twice, as numpy.add.at and the jvm reference do.
 */
final class AdvancedIncSubtensorEmitter implements NodeEmitter {

    private static AdvancedIndexCode code(Apply node) {
        return AdvancedIndexCode.of(((AdvancedIncSubtensor) node.op()).idx(), node.inputs().subList(2, node.inputs().size()));
    }

    @Override
    public boolean supports(Apply node) {
        // any value dtype: StridedCopy converts as Accumulate does, Java's saturating casts included
        return node.op() instanceof AdvancedIncSubtensor && code(node) != null;
    }

    @Override
    public void emit(Apply node, Emit e) {
        AdvancedIndexCode code = code(node);
        boolean set = ((AdvancedIncSubtensor) node.op()).set();
        Variable x = node.input(0);
        Variable y = node.input(1);
        long isz = x.dtype().byteSize();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* y = " + e.arr(y) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        StridedCopy.freshCopy(e, node.output(), "o", "x");
        e.line("tsl_arr plan;");
        code.prepare(e, "o", "xv", "plan", isz);
        StridedCopy.checkBroadcast(e, "fits", "(&plan)", "y");
        e.line("if (!fits) {");
        e.line("char s1[256], s2[256];");
        e.fail("shape mismatch: value array of shape %s could not be broadcast to indexing result of shape %s",
                "tsl_shape(y, s1, 256)", "tsl_shape(&plan, s2, 256)");
        e.line("}");
        // y's block: its axes that fall on the block's (right-aligned against the result)
        e.line("tsl_arr yb;");
        e.line("yb.ndim = y->ndim < xb.ndim ? y->ndim : xb.ndim;");
        e.line("for (int64_t d = 0; d < yb.ndim; d++) { yb.shape[d] = y->shape[d + y->ndim - yb.ndim]; yb.strides[d] = y->strides[d + y->ndim - yb.ndim]; }");
        code.open(e, "xv", "plan");
        e.line("int64_t yoff = 0;");
        e.line("for (int64_t j = 0; j < lead; j++) { const int64_t yd = j - (plan.ndim - y->ndim); if (yd >= 0 && y->shape[yd] != 1) yoff += pi[j] * y->strides[yd]; }");
        e.line("xb.data = xv.data + off * " + isz + ";");
        e.line("yb.data = y->data + yoff * " + y.dtype().byteSize() + ";");
        StridedCopy.emit(e, "(&xb)", code.blockNdim(x.ndim()), x.dtype(), "(&yb)", y.dtype(), !set);
        code.close(e, "plan");
        e.line("}");
    }
}
