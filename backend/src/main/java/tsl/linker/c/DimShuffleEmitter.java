package tsl.linker.c;

import tsl.graph.Apply;
import tsl.ops.shape.DimShuffle;

/** DimShuffle: a view (permuted strides, new axes of stride 0, dropped axes checked to be 1). */
final class DimShuffleEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof DimShuffle;
    }

    @Override
    public Storage storage(Apply node) {
        return Storage.VIEW;
    }

    @Override
    public void emit(Apply node, Emit e) {
        DimShuffle op = (DimShuffle) node.op();
        int[] pattern = op.pattern();
        int nd = node.input(0).ndim();
        boolean[] kept = new boolean[nd];
        for (int p : pattern) {
            if (p != DimShuffle.NEW_AXIS) {
                kept[p] = true;
            }
        }
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        for (int d = 0; d < nd; d++) {
            if (!kept[d]) {
                e.line("if (x->shape[" + d + "] != 1) {");
                e.fail(Emit.text("dimshuffle " + op + ": dimension " + d + " has length ") + "%lld, expected 1",
                        "(long long) x->shape[" + d + "]");
                e.line("}");
            }
        }
        e.line("o->ndim = " + pattern.length + ";");
        for (int i = 0; i < pattern.length; i++) {
            int p = pattern[i];
            e.line(p == DimShuffle.NEW_AXIS ? "o->shape[" + i + "] = 1; o->strides[" + i + "] = 0;"
                    : "o->shape[" + i + "] = x->shape[" + p + "]; o->strides[" + i + "] = x->strides[" + p + "];");
        }
        e.line("o->data = x->data;");
        e.line("o->owner = x->owner;");
        e.line("}");
    }
}
