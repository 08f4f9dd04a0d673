package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.shape.Alloc;

/**
 * Alloc: the shape read from the length inputs, checked as the jvm linker checks it, then
 * filled — a 0-d value (the zeros a gemm or gemv starts from) with memset when its bytes are
 * all zero or a plain loop, a value with dimensions broadcast into the output.
 */
final class AllocEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Alloc;
    }

    @Override
    public void emit(Apply node, Emit e) {
        int nd = node.inputs().size() - 1;
        String ct = Prelude.cType(node.output().dtype());
        long itemsize = node.output().dtype().byteSize();
        e.line("{");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("o->ndim = " + nd + ";");
        for (int d = 0; d < nd; d++) {
            String lt = Prelude.cType(node.input(d + 1).dtype());
            e.line("o->shape[" + d + "] = (int64_t) *(const " + lt + "*) " + e.arr(node.input(d + 1)) + "->data;");
            e.line("if (o->shape[" + d + "] < 0) {");
            e.fail("negative dimensions are not allowed");
            e.line("}");
        }
        e.allocate(node.output(), "o");
        if (node.input(0).ndim() > 0) {
            e.line("const tsl_arr* v = " + e.arr(node.input(0)) + ";");
            StridedCopy.checkBroadcast(e, "fits", "o", "v");
            e.line("if (!fits) {");
            e.line("char s1[256], s2[256];");
            e.fail("alloc: could not broadcast value of shape %s to shape %s", "tsl_shape(v, s1, 256)", "tsl_shape(o, s2, 256)");
            e.line("}");
            StridedCopy.emit(e, "o", node.output().ndim(), node.output().dtype(), "v", node.input(0).dtype(), false);
            e.line("}");
            return;
        }
        e.line("const char* v = " + e.arr(node.input(0)) + "->data;");
        e.line("int zero = 1;");
        e.line("for (int b = 0; b < " + itemsize + "; b++) zero &= v[b] == 0;");
        e.line("const int64_t n = tsl_size(o);");
        e.line("if (zero) memset(o->data, 0, n * " + itemsize + ");");
        e.line("else { const " + ct + " c = *(const " + ct + "*) v; " + ct + "* po = (" + ct + "*) o->data; for (int64_t i = 0; i < n; i++) po[i] = c; }");
        e.line("}");
    }
}
