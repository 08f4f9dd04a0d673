package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.shape.Reshape;

/** Reshape: a view of a contiguous input, else a contiguous copy; -1 resolved as NumPy does. */
final class ReshapeEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Reshape && node.input(1).dtype().isInteger();
    }

    @Override
    public Storage storage(Apply node) {
        return Storage.OWN_OR_VIEW;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Reshape op = (Reshape) node.op();
        int nd = op.ndim();
        String st = Prelude.cType(node.input(1).dtype());
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("const tsl_arr* sh = " + e.arr(node.input(1)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("if (sh->shape[0] != " + nd + ") {");
        e.fail("Reshape: shape has %lld entries, expected " + nd, "(long long) sh->shape[0]");
        e.line("}");
        e.line("o->ndim = " + nd + ";");
        e.line("int unknown = -1, twice = 0;");
        e.line("int64_t known = 1;");
        e.line("for (int i = 0; i < " + nd + "; i++) {");
        e.line("o->shape[i] = (int64_t) ((const " + st + "*) sh->data)[i * sh->strides[0]];");
        e.line("if (o->shape[i] < 0) { if (unknown >= 0) twice = 1; unknown = i; } else known *= o->shape[i];");
        e.line("}");
        e.line("const int64_t size = tsl_size(x);");
        e.line("if (twice) {");
        e.fail("can only specify one unknown dimension");
        e.line("}");
        e.line("if (unknown >= 0 ? (known == 0 || size % known != 0) : known != size) {");
        e.line("char s[256];");
        e.fail("cannot reshape array of size %lld into shape %s", "(long long) size", "tsl_shape(o, s, 256)");
        e.line("}");
        e.line("if (unknown >= 0) o->shape[unknown] = size / known;");
        e.line("if (tsl_is_contiguous(x)) {");
        e.line("o->data = x->data;");
        e.line("o->owner = x->owner;");
        e.line("tsl_set_contiguous(o);");
        e.line("} else {");
        e.allocate(node.output(), "o");
        e.line("tsl_copy_contiguous(x, o->data, " + node.input(0).dtype().byteSize() + ");");
        e.line("}");
        e.line("}");
    }
}
