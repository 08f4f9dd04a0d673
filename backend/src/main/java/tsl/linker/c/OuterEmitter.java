package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.blas.Dot;
import tsl.tensor.DType;

/**
 * dot of a column and a row, (m,1)·(1,n) — the outer product that the gradient of a
 * matrix-vector product builds (T.outer, and every BPTT step of an RNN). A plain loop: OpenBLAS
 * gemm with k = 1 spends most of its time packing, measured 3x slower than this loop on a
 * 128x128 result. Products are summed from 0 as the jvm reference's loop does.
 */
final class OuterEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof Dot) || node.input(0).ndim() != 2 || node.input(1).ndim() != 2) {
            return false;
        }
        return node.input(0).type().shape()[1] == 1 && node.input(1).type().shape()[0] == 1;
    }

    @Override
    public void emit(Apply node, Emit e) {
        Variable x = node.input(0);
        Variable y = node.input(1);
        Variable out = node.outputs().get(0);
        DType od = out.dtype();
        String at = od.isFloat() ? "double" : "int64_t";
        String xt = Prelude.cType(x.dtype());
        String yt = Prelude.cType(y.dtype());
        String ot = Prelude.cType(od);
        e.line("{");
        e.line("const tsl_arr* x = " + e.arr(x) + ";");
        e.line("const tsl_arr* y = " + e.arr(y) + ";");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        e.line("const int64_t m = x->shape[0], k = x->shape[1], k2 = y->shape[0], n = y->shape[1];");
        e.line("if (k != k2 || k != 1) {");
        e.fail("Shape mismatch: x has %lld cols (and %lld rows) but y has %lld rows (and %lld cols)",
                "(long long) k", "(long long) m", "(long long) k2", "(long long) n");
        e.line("}");
        e.line("o->ndim = 2; o->shape[0] = m; o->shape[1] = n;");
        e.allocate(out, "o");
        e.line("const " + xt + "* px = (const " + xt + "*) x->data;");
        e.line("const " + yt + "* py = (const " + yt + "*) y->data;");
        e.line("const int64_t xs = x->strides[0], ys = y->strides[1];");
        e.line(ot + "* restrict po = (" + ot + "*) o->data;");
        e.line("for (int64_t i = 0; i < m; i++) {");
        e.line("const " + at + " a = (" + at + ") px[i * xs];");
        e.line(ot + "* restrict row = po + i * n;");
        e.line("#pragma omp simd");
        e.line("for (int64_t j = 0; j < n; j++) {");
        e.line(at + " s = 0;");
        e.line("s += a * (" + at + ") py[j * ys];");
        e.line("row[j] = " + ElemwiseEmitter.store(od, at, "s") + ";");
        e.line("}");
        e.line("}");
        e.line("}");
    }
}
