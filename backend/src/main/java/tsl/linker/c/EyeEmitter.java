package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.shape.Eye;

/** eye(n, m, k): zeros with ones on the k-th diagonal. */
final class EyeEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Eye;
    }

    @Override
    public void emit(Apply node, Emit e) {
        String ot = Prelude.cType(node.output().dtype());
        e.line("{");
        String[] names = {"rows", "cols", "k"};
        for (int i = 0; i < 3; i++) {
            e.line("const int64_t " + names[i] + " = (int64_t) *(const " + Prelude.cType(node.input(i).dtype()) + "*) "
                    + e.arr(node.input(i)) + "->data;");
        }
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("if (rows < 0 || cols < 0) {");
        e.fail("negative dimensions are not allowed");
        e.line("}");
        e.line("o->ndim = 2;");
        e.line("o->shape[0] = rows;");
        e.line("o->shape[1] = cols;");
        e.allocate(node.output(), "o");
        e.line("memset(o->data, 0, tsl_size(o) * " + node.output().dtype().byteSize() + ");");
        e.line(ot + "* po = (" + ot + "*) o->data;");
        e.line("for (int64_t i = 0; i < rows; i++) { const int64_t j = i + k; if (j >= 0 && j < cols) po[i * cols + j] = (" + ot + ") 1; }");
        e.line("}");
    }
}
