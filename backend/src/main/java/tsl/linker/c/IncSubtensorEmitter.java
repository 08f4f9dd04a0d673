package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.subtensor.IncSubtensor;

/**
 * set_subtensor / inc_subtensor with basic indices: a contiguous copy of x, then y written or
 * added through the view {@code copy[idx]} (y broadcast to it). The in-place variant also
 * copies here, as every native node that owns its output does.
 */
final class IncSubtensorEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        // any value dtype: StridedCopy converts as Accumulate does, Java's saturating casts included
        return node.op() instanceof IncSubtensor && BasicIndexCode.boundsReadable(node.inputs(), 2);
    }

    @Override
    public void emit(Apply node, Emit e) {
        IncSubtensor op = (IncSubtensor) node.op();
        Variable x = node.input(0);
        Variable y = node.input(1);
        long itemsize = x.dtype().byteSize();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* y = " + e.arr(y) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        StridedCopy.freshCopy(e, node.output(), "o", "x");
        e.line("tsl_arr r;");
        BasicIndexCode.view(e, "o", "r", op.idx(), node.inputs().subList(2, node.inputs().size()), itemsize);
        StridedCopy.checkBroadcast(e, "fits", "(&r)", "y");
        e.line("if (!fits) {");
        e.line("char s1[256], s2[256];");
        e.fail("could not broadcast input array from shape %s into shape %s", "tsl_shape(y, s1, 256)", "tsl_shape(&r, s2, 256)");
        e.line("}");
        StridedCopy.emit(e, "(&r)", BasicIndexCode.viewNdim(op.idx(), x.ndim()), x.dtype(), "y", y.dtype(), !op.set());
        e.line("}");
    }
}
