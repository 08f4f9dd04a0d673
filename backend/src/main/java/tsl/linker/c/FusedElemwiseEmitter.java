package tsl.linker.c;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;

/**
 * A fused loop with several outputs: when every output has the loop's shape and the inputs
 * are contiguous (the usual case), one flat loop computes the shared scalar program once per
 * element and stores each result; otherwise each output gets its own strided loop over its
 * own shape, computing only the steps it needs (the jvm reference does the same).
 */
final class FusedElemwiseEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof FusedElemwise f) || !Composite.hasC(f.steps())) {
            return false;
        }
        return Composite.allInteger(f.steps()) || f.steps().stream().allMatch(s -> s.op().real() != null);
    }

    /** The C type inputs are read in, following the jvm reference: longs for integer programs, else doubles (floats when all float32). */
    private static String computeType(Apply node, FusedElemwise f) {
        if (Composite.allInteger(f.steps())) {
            return "int64_t";
        }
        boolean allFloat32 = true;
        for (Variable v : node.inputs()) {
            allFloat32 &= v.dtype() == DType.FLOAT32;
        }
        for (Variable v : node.outputs()) {
            allFloat32 &= v.dtype() == DType.FLOAT32;
        }
        return allFloat32 ? "float" : "double";
    }

    @Override
    public void emit(Apply node, Emit e) {
        FusedElemwise f = (FusedElemwise) node.op();
        int nin = node.inputs().size();
        int nout = node.outputs().size();
        int nd = node.output().ndim();
        String ct = computeType(node, f);
        boolean[][] uses = new boolean[nout][];
        boolean[][] needed = f.neededSteps(uses);
        e.line("{");
        for (int i = 0; i < nin; i++) {
            e.line("const tsl_arr* x" + i + " = " + e.arr(node.input(i)) + ";");
        }
        e.line("int bad = 0;");
        for (int o = 0; o < nout; o++) {
            e.line("tsl_arr* o" + o + " = " + e.arr(node.outputs().get(o)) + ";");
            e.line("o" + o + "->ndim = " + nd + ";");
            for (int d = 0; d < nd; d++) {
                e.line("{");
                e.line("int64_t len = 1;");
                for (int i = 0; i < nin; i++) {
                    if (uses[o][i]) {
                        String s = "x" + i + "->shape[" + d + "]";
                        e.line("if (" + s + " != 1) { if (len != 1 && len != " + s + ") bad = 1; len = " + s + "; }");
                    }
                }
                e.line("o" + o + "->shape[" + d + "] = len;");
                e.line("}");
            }
        }
        ElemwiseEmitter.broadcastErrors(node, f.toString(), e);
        for (int o = 0; o < nout; o++) {
            e.allocate(node.outputs().get(o), "o" + o);
        }
        e.line("const int64_t n = tsl_size(o0);");
        StringBuilder fast = new StringBuilder("1");
        for (int o = 1; o < nout; o++) {
            for (int d = 0; d < nd; d++) {
                fast.append(" && o").append(o).append("->shape[").append(d).append("] == o0->shape[").append(d).append(']');
            }
        }
        boolean[] scalar = new boolean[nin];
        for (int i = 0; i < nin; i++) {
            String it = Prelude.cType(node.input(i).dtype());
            e.line("const " + it + "* restrict p" + i + " = (const " + it + "*) x" + i + "->data;");
            scalar[i] = Arrays.stream(node.input(i).type().shape()).allMatch(d -> d == 1);
            if (!scalar[i]) {
                fast.append(" && tsl_is_contiguous(x").append(i).append(") && tsl_size(x").append(i).append(") == n");
            }
        }
        for (int o = 0; o < nout; o++) {
            String ot = Prelude.cType(node.outputs().get(o).dtype());
            e.line(ot + "* restrict po" + o + " = (" + ot + "*) o" + o + "->data;");
        }
        String[] in = new String[nin];
        for (int i = 0; i < nin; i++) {
            in[i] = "a" + i;
        }
        String[] names = new String[nin + f.steps().size()];
        String all = Composite.cStatements(nin, f.steps(), in, null, "tsl_f", names);
        e.line("if (" + fast + ") {");
        for (int i = 0; i < nin; i++) {
            if (scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[0];");
            }
        }
        ElemwiseEmitter.loopPragma(e, node.outputs().get(0));
        e.line("for (int64_t i = 0; i < n; i++) {");
        for (int i = 0; i < nin; i++) {
            if (!scalar[i]) {
                e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[i];");
            }
        }
        for (String l : all.split("\n")) {
            e.line(l);
        }
        for (int o = 0; o < nout; o++) {
            e.line("po" + o + "[i] = " + ElemwiseEmitter.store(node.outputs().get(o).dtype(), ct, names[f.results()[o]]) + ";");
        }
        e.line("}");
        e.line("} else {");
        for (int o = 0; o < nout; o++) {
            emitOwnLoop(node, f, e, o, uses[o], needed[o], ct, nd);
        }
        e.line("}");
        e.line("}");
    }

    /** Output o over its own shape with a strided loop, reading only the inputs it uses. */
    private static void emitOwnLoop(Apply node, FusedElemwise f, Emit e, int o, boolean[] uses, boolean[] needed, String ct, int nd) {
        int nin = node.inputs().size();
        String[] in = new String[nin];
        for (int i = 0; i < nin; i++) {
            in[i] = "a" + i;
        }
        String[] names = new String[nin + f.steps().size()];
        String steps = Composite.cStatements(nin, f.steps(), in, needed, "tsl_u", names);
        String store = "po" + o + "[off0] = " + ElemwiseEmitter.store(node.outputs().get(o).dtype(), ct, names[f.results()[o]]) + ";";
        if (nd == 0) {
            e.line("{");
            for (int i = 0; i < nin; i++) {
                if (uses[i]) {
                    e.line("const " + ct + " a" + i + " = (" + ct + ") p" + i + "[0];");
                }
            }
            for (String l : steps.split("\n")) {
                e.line(l);
            }
            e.line(store.replace("[off0]", "[0]"));
            e.line("}");
            return;
        }
        e.line("{");
        List<String> strides = new ArrayList<>();
        e.line("int64_t so[" + nd + "];");
        e.line("for (int d = 0; d < " + nd + "; d++) so[d] = o" + o + "->strides[d];");
        strides.add("so");
        List<Integer> read = new ArrayList<>();
        for (int i = 0; i < nin; i++) {
            if (uses[i]) {
                e.line("int64_t sx" + i + "[" + nd + "];");
                e.line("for (int d = 0; d < " + nd + "; d++) sx" + i + "[d] = x" + i + "->shape[d] == 1 ? 0 : x" + i + "->strides[d];");
                strides.add("sx" + i);
                read.add(i);
            }
        }
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < read.size(); k++) {
            int i = read.get(k);
            body.append("const ").append(ct).append(" a").append(i).append(" = (").append(ct).append(") p").append(i)
                    .append("[off").append(k + 1).append("];\n");
        }
        body.append(steps).append(store);
        Loops.strided(e, "o" + o, nd, strides, body.toString(), false);
        e.line("}");
    }
}
