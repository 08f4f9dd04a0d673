package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.shape.Join;

/** concatenate / Join: the inputs' shapes checked as NumPy does, then each copied into its slab of the output. */
final class JoinEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof Join)) {
            return false;
        }
        for (Variable v : node.inputs()) {
            if (!StridedCopy.converts(v.dtype(), node.output().dtype())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void emit(Apply node, Emit e) {
        int axis = ((Join) node.op()).axis();
        Variable out = node.output();
        int nd = out.ndim();
        e.line("{");
        e.line("const tsl_arr* x0 = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("o->ndim = " + nd + ";");
        e.line("for (int d = 0; d < " + nd + "; d++) o->shape[d] = x0->shape[d];");
        e.line("o->shape[" + axis + "] = 0;");
        for (Variable v : node.inputs()) {
            e.line("{");
            e.line("const tsl_arr* x = " + e.arr(v) + ";");
            e.line("for (int d = 0; d < " + nd + "; d++) {");
            e.line("if (d != " + axis + " && x->shape[d] != x0->shape[d]) {");
            e.line("char s1[256], s2[256];");
            e.fail("all the input array dimensions except for the concatenation axis must match exactly, but along dimension %d,"
                    + " the array at index 0 has size %lld and another has size %lld (shapes %s, %s)", "d",
                    "(long long) x0->shape[d]", "(long long) x->shape[d]", "tsl_shape(x0, s1, 256)", "tsl_shape(x, s2, 256)");
            e.line("}");
            e.line("}");
            e.line("o->shape[" + axis + "] += x->shape[" + axis + "];");
            e.line("}");
        }
        e.allocate(out, "o");
        e.line("int64_t at = 0;");
        for (Variable v : node.inputs()) {
            e.line("{");
            e.line("const tsl_arr* x = " + e.arr(v) + ";");
            e.line("tsl_arr slab = *o;");
            e.line("slab.shape[" + axis + "] = x->shape[" + axis + "];");
            e.line("slab.data = o->data + at * o->strides[" + axis + "] * " + out.dtype().byteSize() + ";");
            e.line("at += x->shape[" + axis + "];");
            StridedCopy.emit(e, "(&slab)", nd, out.dtype(), "x", v.dtype(), false);
            e.line("}");
        }
        e.line("}");
    }
}
