package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.ops.nnet.SpecifyShape;

/** specify_shape: the input itself (a view), after checking the lengths the output type promises. */
final class SpecifyShapeEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof SpecifyShape;
    }

    @Override
    public Storage storage(Apply node) {
        return Storage.VIEW;
    }

    @Override
    public void emit(Apply node, Emit e) {
        SpecifyShape op = (SpecifyShape) node.op();
        TensorType t = node.output().type();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        StringBuilder wrong = new StringBuilder();
        for (int d = 0; d < t.ndim(); d++) {
            if (t.dim(d) != TensorType.UNKNOWN) {
                wrong.append(wrong.isEmpty() ? "" : " || ").append("x->shape[").append(d).append("] != ").append(t.dim(d));
            }
        }
        if (!wrong.isEmpty()) {
            e.line("if (" + wrong + ") {");
            e.line("char s[256];");
            e.fail(Emit.text(op.message()) + ": got an array of shape %s, expected " + Emit.text(op.expectedShape()),
                    "tsl_shape(x, s, 256)");
            e.line("}");
        }
        e.line("*o = *x;");
        e.line("}");
    }
}
