package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.random.RandomVariable;

/**
 * A uniform or standard normal draw: element i of draw c is Philox block (i, c) under the
 * state's key, turned into a float exactly as the jvm reference does (bit arithmetic for
 * uniforms; for normals NormalTransform's log and cos, written the same way in C and Java
 * rather than libm's, whose last bit may differ), so a seed gives the same numbers on both
 * linkers; the next state is [key, c + 1].
 */
final class RandomEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        return node.op() instanceof RandomVariable;
    }

    @Override
    public void emit(Apply node, Emit e) {
        RandomVariable op = (RandomVariable) node.op();
        Variable sample = node.outputs().get(1);
        boolean single = sample.dtype() == tsl.tensor.DType.FLOAT32;
        String t = Prelude.cType(sample.dtype());
        int nd = node.inputs().size() - 1;
        e.line("{");
        e.line("const tsl_arr* st = " + e.arr(node.input(0)) + ";");
        e.line("tsl_arr* so = " + e.arr(node.outputs().get(0)) + ";");
        e.line("tsl_arr* o = " + e.arr(sample) + ";");
        e.line("if (tsl_size(st) != 2) {");
        e.fail(Emit.text(op.toString()) + ": the state must hold [key, counter], got %lld values", "(long long) tsl_size(st)");
        e.line("}");
        e.line("const uint64_t key = (uint64_t) *(const int64_t*) st->data;");
        e.line("const int64_t counter = *(const int64_t*) (st->data + st->strides[0] * 8);");
        e.line("o->ndim = " + nd + ";");
        for (int d = 0; d < nd; d++) {
            Variable s = node.input(d + 1);
            e.line("o->shape[" + d + "] = (int64_t) *(const " + Prelude.cType(s.dtype()) + "*) " + e.arr(s) + "->data;");
            e.line("if (o->shape[" + d + "] < 0 || o->shape[" + d + "] > 2147483647) {");
            e.fail(Emit.text(op.toString()) + ": invalid size %lld", "(long long) o->shape[" + d + "]");
            e.line("}");
        }
        e.allocate(sample, "o");
        e.line("so->ndim = 1;");
        e.line("so->shape[0] = 2;");
        e.allocate(node.outputs().get(0), "so");
        e.line("((int64_t*) so->data)[0] = (int64_t) key;");
        e.line("((int64_t*) so->data)[1] = (int64_t) ((uint64_t) counter + 1);");
        e.line("const int64_t n = tsl_size(o);");
        e.line(t + "* po = (" + t + "*) o->data;");
        if (op.distribution() == RandomVariable.Distribution.NORMAL) {
            e.line("tsl_normal_fill_" + (single ? "f" : "d") + "(key, (uint64_t) counter, n, po);");
            e.line("}");
            return;
        }
        e.line("for (int64_t i = 0; i < n; i++) {");
        e.line("uint32_t w[4];");
        e.line("tsl_philox(key, (uint64_t) i, (uint64_t) counter, w);");
        e.line(single ? "po[i] = (float) (w[0] >> 8) * 0x1.0p-24f;"
                : "po[i] = ((double) (w[0] >> 5) * 67108864.0 + (double) (w[1] >> 6)) * 0x1.0p-53;");
        e.line("}");
        e.line("}");
    }
}
