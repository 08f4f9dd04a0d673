package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.control.IfElse;
import tsl.ops.control.InnerGraph;

/**
 * IfElse as a C {@code if}: each branch's inner graph is inlined ({@link InnerCode}) on its
 * side of the {@code if}, so the branch not taken never runs — not even its allocations.
 * The taken branch's results are copied into the node's outputs, whose memory follows the
 * segment's plan (kept, or handed to Java) like any other node's.
 */
final class IfElseEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof IfElse op) || !InnerCode.supported(op.thenGraph()) || !InnerCode.supported(op.elseGraph())) {
            return false;
        }
        return typesMatch(node, op.thenGraph(), op.thenInputs()) && typesMatch(node, op.elseGraph(), op.elseInputs());
    }

    private static boolean typesMatch(Apply node, InnerGraph g, int[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (g.inputs().get(i).dtype() != node.input(inputs[i]).dtype() || g.inputs().get(i).ndim() != node.input(inputs[i]).ndim()) {
                return false;
            }
        }
        for (int k = 0; k < node.outputs().size(); k++) {
            if (g.outputs().get(k).dtype() != node.outputs().get(k).dtype() || g.outputs().get(k).ndim() != node.outputs().get(k).ndim()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean usesBlas(Apply node) {
        IfElse op = (IfElse) node.op();
        return InnerCode.usesBlas(op.thenGraph()) || InnerCode.usesBlas(op.elseGraph());
    }

    @Override
    public void emit(Apply node, Emit e) {
        InnerCode.scoped(() -> write(node, e));
    }

    private static void write(Apply node, Emit e) {
        IfElse op = (IfElse) node.op();
        String p = InnerCode.uniquePrefix(e, node.outputs().get(0), "if");
        InnerCode then = new InnerCode(op.thenGraph(), p + "t");
        InnerCode other = new InnerCode(op.elseGraph(), p + "e");
        Variable cond = node.input(0);
        e.line("{");
        then.declareNull(e);
        other.declareNull(e);
        InnerCode.redirect(e, p + "err");
        e.line("if (((const " + Prelude.cType(cond.dtype()) + "*) " + e.arr(cond) + "->data)[0] != 0) {");
        branch(node, e, then, op.thenInputs(), p + "tinner", "then");
        e.line("} else {");
        branch(node, e, other, op.elseInputs(), p + "einner", "else");
        e.line("}");
        e.line("goto " + p + "done;");
        e.line(p + "tinner: ;");
        then.describeFailure(e, op.toString());
        e.line("goto " + p + "err;");
        e.line(p + "einner: ;");
        other.describeFailure(e, op.toString());
        e.line(p + "err: ;");
        e.line("{");
        e.line("char msg[TSL_ERRLEN];");
        e.line("memcpy(msg, err, TSL_ERRLEN); msg[TSL_ERRLEN - 1] = 0;");
        then.release(e);
        other.release(e);
        InnerCode.restore(e);
        e.fail("%s", "msg");
        e.line("}");
        e.line(p + "done: ;");
        then.release(e);
        other.release(e);
        e.line("}");
    }

    private static void branch(Apply node, Emit e, InnerCode ic, int[] inputs, String innerFail, String side) {
        ic.allocate(e);
        List<Variable> in = ic.graph().inputs();
        for (int i = 0; i < inputs.length; i++) {
            e.line("*" + ic.arr(in.get(i)) + " = *" + e.arr(node.input(inputs[i])) + ";");
        }
        ic.body(e, innerFail);
        for (int k = 0; k < node.outputs().size(); k++) {
            Variable out = node.outputs().get(k);
            String oa = e.arr(out);
            TensorType want = out.type();
            int nd = out.ndim();
            e.line("{");
            e.line("const tsl_arr* src = " + ic.arr(ic.graph().outputs().get(k)) + ";");
            StringBuilder bad = new StringBuilder("0");
            for (int d = 0; d < nd; d++) {
                if (want.shape()[d] >= 0) {
                    bad.append(" || src->shape[").append(d).append("] != ").append(want.shape()[d]);
                }
            }
            e.line("if (" + bad + ") {");
            e.line("char s0[256];");
            e.fail("ifelse: the " + side + " branch output " + k + " has shape %s, which does not fit " + Emit.text(want.toString()),
                    "tsl_shape(src, s0, 256)");
            e.line("}");
            e.line(oa + "->ndim = " + nd + ";");
            for (int d = 0; d < nd; d++) {
                e.line(oa + "->shape[" + d + "] = src->shape[" + d + "];");
            }
            e.allocate(out, oa);
            e.line(InnerCode.copyInto(oa + "->data", "src", out.dtype().byteSize()));
            e.line("}");
        }
    }
}
