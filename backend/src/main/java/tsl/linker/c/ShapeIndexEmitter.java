package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;

/**
 * Subtensor{k} of a vector with a constant k, as {@code shape[k]} in a gradient's shape
 * arithmetic: a 0-d view of one element. Every other Subtensor runs in Java.
 */
final class ShapeIndexEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof Subtensor s && node.inputs().size() == 1 && node.input(0).ndim() == 1
                && constantPoint(s.idx()) != null;
    }

    private static Long constantPoint(List<Index> idx) {
        return idx.size() == 1 && idx.get(0) instanceof Index.Point p && !p.at().symbolic() ? p.at().value() : null;
    }

    @Override
    public Storage storage(Apply node) {
        return Storage.VIEW;
    }

    @Override
    public void emit(Apply node, Emit e) {
        long k = constantPoint(((Subtensor) node.op()).idx());
        long itemsize = node.input(0).dtype().byteSize();
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("const int64_t k = " + k + "LL, i = k < 0 ? k + x->shape[0] : k;");
        e.line("if (i < 0 || i >= x->shape[0]) {");
        e.fail("IndexError: index %lld is out of bounds for axis 0 with size %lld", "(long long) k", "(long long) x->shape[0]");
        e.line("}");
        e.line("o->ndim = 0;");
        e.line("o->data = x->data + i * x->strides[0] * " + itemsize + ";");
        e.line("o->owner = x->owner;");
        e.line("}");
    }
}
