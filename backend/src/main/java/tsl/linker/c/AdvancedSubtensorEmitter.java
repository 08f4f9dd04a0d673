package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.subtensor.AdvancedSubtensor;

/** Advanced indexing {@code x[rows, cols]}, {@code x[:, i]}: a gather into a new array, block by block (AdvancedIndexCode). */
final class AdvancedSubtensorEmitter implements NodeEmitter {

    private static AdvancedIndexCode code(Apply node) {
        return AdvancedIndexCode.of(((AdvancedSubtensor) node.op()).idx(), node.inputs().subList(1, node.inputs().size()));
    }

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof AdvancedSubtensor && code(node) != null;
    }

    @Override
    public void emit(Apply node, Emit e) {
        AdvancedIndexCode code = code(node);
        Variable x = node.input(0);
        long isz = x.dtype().byteSize();
        String ct = Prelude.cType(x.dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("tsl_arr plan;");
        code.prepare(e, "x", "xv", "plan", isz);
        e.line("o->ndim = plan.ndim;");
        e.line("for (int d = 0; d < plan.ndim; d++) o->shape[d] = plan.shape[d];");
        e.allocate(node.output(), "o");
        e.line("const int64_t blk = tsl_size(&xb);");
        code.open(e, "xv", "plan");
        if (code.blockNdim(x.ndim()) == 0) {
            e.line("((" + ct + "*) o->data)[q] = ((const " + ct + "*) xv.data)[off];");
        } else {
            e.line("xb.data = xv.data + off * " + isz + ";");
            e.line("tsl_arr ob = xb;");
            e.line("tsl_set_contiguous(&ob);");
            e.line("ob.data = o->data + q * blk * " + isz + ";");
            StridedCopy.emit(e, "(&ob)", code.blockNdim(x.ndim()), x.dtype(), "(&xb)", x.dtype(), false);
        }
        code.close(e, "plan");
        e.line("}");
    }
}
