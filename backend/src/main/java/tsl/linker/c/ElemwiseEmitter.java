package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.tensor.DType;

/**
 * Elemwise over any {@link ScalarOp} (fused Composites included: their C function composes the
 * expression): NumPy broadcasting, any strides. The one loop is flat over contiguous operands
 * (vectorized, and split across threads when long); a strided or broadcast input is gathered
 * into a contiguous copy first.
 */
final class ElemwiseEmitter implements NodeEmitter {
    /**
     * Elements below which threads cost more than they save (PLATFORM.md: OpenMP on 2 cores).
     * The loops say {@code if (parallel: ...)}: a plain {@code if} on {@code parallel for simd}
     * applies to the simd part too (OpenMP 5), and gcc then ran every shorter loop unvectorized,
     * scalar libm calls included.
     */
    static final long PARALLEL_MIN = 1L << 17;

    /**
     * The pragma over an elementwise loop whose output is {@code out}. A 0-d output is one
     * element: no pragma at all, because even with its {@code if} false GOMP_parallel builds a
     * one-thread team on every call (malloc, free, futex), most of the cost of a call on scalars.
     */
    static void loopPragma(Emit e, Variable out) {
        if (out.ndim() > 0) {
            e.line("#pragma omp parallel for simd schedule(static) if (parallel: n >= " + PARALLEL_MIN + ")");
        }
    }

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof Elemwise ew) || ew.scalar().c() == null) {
            return false;
        }
        return ew.scalar().real() != null || computeType(node).equals("int64_t");
    }

    /** The C type the scalar expression computes in, following the jvm reference's choice of long or double. */
    static String computeType(Apply node) {
        Elemwise ew = (Elemwise) node.op();
        DType out = node.output().dtype();
        DType[] in = new DType[node.inputs().size()];
        boolean allFloat32 = out == DType.FLOAT32;
        for (int i = 0; i < in.length; i++) {
            in[i] = node.input(i).dtype();
            allFloat32 &= in[i] == DType.FLOAT32;
        }
        if (ew.scalar().computesInIntegers(out, in)) {
            return "int64_t";
        }
        // float32 arithmetic rounds as double arithmetic rounded to float32 does; libm calls still take doubles
        return allFloat32 ? "float" : "double";
    }

    @Override
    public void emit(Apply node, Emit e) {
        Elemwise ew = (Elemwise) node.op();
        Variable out = node.output();
        int nd = out.ndim();
        int nin = node.inputs().size();
        String ct = computeType(node);
        String ot = Prelude.cType(out.dtype());
        e.line("{");
        e.line("tsl_arr* o = " + e.arr(out) + ";");
        for (int i = 0; i < nin; i++) {
            e.line("const tsl_arr* x" + i + " = " + e.arr(node.input(i)) + ";");
        }
        e.line("o->ndim = " + nd + ";");
        e.line("int bad = 0;");
        for (int d = 0; d < nd; d++) {
            e.line("{");
            e.line("int64_t len = 1;");
            for (int i = 0; i < nin; i++) {
                String s = "x" + i + "->shape[" + d + "]";
                e.line("if (" + s + " != 1) { if (len != 1 && len != " + s + ") bad = 1; len = " + s + "; }");
            }
            e.line("o->shape[" + d + "] = len;");
            e.line("}");
        }
        broadcastErrors(node, ew.toString(), e);
        e.allocate(out, "o");
        e.line("const int64_t n = tsl_size(o);");
        e.line(ot + "* restrict po = (" + ot + "*) o->data;");
        String[] names = new String[nin];
        boolean[] scalar = new boolean[nin];
        for (int i = 0; i < nin; i++) {
            String it = Prelude.cType(node.input(i).dtype());
            names[i] = "a" + i;
            // an input whose type says one element (a scalar broadcast by DimShuffle) is read once, outside the loop
            scalar[i] = java.util.Arrays.stream(node.input(i).type().shape()).allMatch(d -> d == 1);
            e.line("const " + it + "* restrict p" + i + " = (const " + it + "*) x" + i + "->data;");
        }
        // One loop per node, over contiguous operands: an input that is strided or broadcast is
        // first gathered into a contiguous copy. A second, strided loop per node would cost a
        // third of the compile time of every function, for the rarer layouts only.
        StringBuilder release = new StringBuilder();
        for (int i = 0; i < nin; i++) {
            if (!scalar[i]) {
                e.line("char* g" + i + " = NULL;");
                release.append("free(g").append(i).append("); ");
            }
        }
        for (int i = 0; i < nin; i++) {
            if (!scalar[i]) {
                long isz = node.input(i).dtype().byteSize();
                e.line("if (!tsl_is_contiguous(x" + i + ") || tsl_size(x" + i + ") != n) {");
                e.line("g" + i + " = tsl_gather(x" + i + ", o, " + isz + ");");
                e.line("if (!g" + i + ") {");
                e.line(release.toString());
                e.fail("MemoryError: cannot allocate %lld bytes", "(long long) (n * " + isz + ")");
                e.line("}");
                e.line("p" + i + " = (const " + Prelude.cType(node.input(i).dtype()) + "*) g" + i + ";");
                e.line("}");
            }
        }
        String expr = ew.scalar().c().apply(names);
        String store = store(out.dtype(), ct, expr);
        for (int i = 0; i < nin; i++) {
            if (scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[0];");
            }
        }
        loopPragma(e, node.output());
        e.line("for (int64_t i = 0; i < n; i++) {");
        for (int i = 0; i < nin; i++) {
            if (!scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[i];");
            }
        }
        e.line("po[i] = " + store + ";");
        e.line("}");
        if (release.length() > 0) {
            e.line(release.toString().trim());
        }
        e.line("}");
    }

    /**
     * The C that fails a call whose input shapes do not broadcast (after the code set {@code bad}),
     * or whose input has a length other than 1 where its type says 1: NumPy's and Theano's messages.
     */
    static void broadcastErrors(Apply node, String op, Emit e) {
        int nin = node.inputs().size();
        int nd = node.outputs().get(0).ndim();
        e.line("if (bad) {");
        StringBuilder fmt = new StringBuilder("Input dimension mismatch in " + Emit.text(op) + ": shapes ");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < nin; i++) {
            fmt.append(i > 0 ? " and %s" : "%s");
            e.line("char s" + i + "[256];");
            args.add("tsl_shape(x" + i + ", s" + i + ", 256)");
        }
        fmt.append(" cannot be broadcast together");
        e.fail(fmt.toString(), args.toArray(new String[0]));
        e.line("}");
        for (int i = 0; i < nin; i++) {
            // a dimension the type declares broadcastable must have length 1 at run time
            int[] st = node.input(i).type().shape();
            for (int d = 0; d < nd; d++) {
                if (st[d] == 1) {
                    e.line("if (x" + i + "->shape[" + d + "] != 1) {");
                    e.line("char s[256];");
                    e.fail(Emit.text(op + ": input " + i + " of shape ") + "%s" + Emit.text(" does not match its type "
                            + node.input(i).type()), "tsl_shape(x" + i + ", s, 256)");
                    e.line("}");
                }
            }
        }
    }

    /** The conversion of the computed value to the output dtype, as the jvm reference writes it. */
    static String store(DType out, String ct, String expr) {
        String ot = Prelude.cType(out);
        if (out.isBool()) {
            return "(" + ot + ") ((" + expr + ") != 0)";
        }
        if (!out.isFloat() && !ct.equals("int64_t")) {
            return "(" + ot + ") (int64_t) (" + expr + ")"; // a double truncates toward zero first
        }
        return "(" + ot + ") (" + expr + ")";
    }
}
