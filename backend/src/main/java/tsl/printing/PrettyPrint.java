package tsl.printing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;

/**
 * Theano's {@code pp}: an expression as a formula, {@code ((x + y) * TensorConstant{2})}.
 * Arithmetic is infix and fully parenthesised; other ops print as calls; leaves by name.
 */
public final class PrettyPrint {
    private PrettyPrint() {}

    private static final Map<String, String> INFIX = Map.ofEntries(
            Map.entry("add", "+"), Map.entry("sub", "-"), Map.entry("mul", "*"), Map.entry("true_div", "/"),
            Map.entry("int_div", "//"), Map.entry("mod", "%"), Map.entry("pow", "**"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("le", "<="), Map.entry("ge", ">="), Map.entry("eq", "=="),
            Map.entry("neq", "!="), Map.entry("and_", "&"), Map.entry("or_", "|"), Map.entry("xor", "^"));

    public static String of(Variable v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb, 0);
        return sb.toString();
    }

    private static void write(Variable v, StringBuilder sb, int depth) {
        Apply a = v.owner();
        if (a == null) {
            sb.append(OpNames.leaf(v));
            return;
        }
        if (depth > 200) {
            sb.append("...");
            return;
        }
        if (a.op() instanceof Elemwise e) {
            String name = e.scalar().name();
            String sym = INFIX.get(name);
            if (e.castTo() == null && sym != null && a.inputs().size() == 2) {
                sb.append('(');
                write(a.input(0), sb, depth + 1);
                sb.append(' ').append(sym).append(' ');
                write(a.input(1), sb, depth + 1);
                sb.append(')');
                return;
            }
            if (e.castTo() == null && e.scalar().equals(ScalarOps.NEG)) {
                sb.append("(-");
                write(a.input(0), sb, depth + 1);
                sb.append(')');
                return;
            }
            call(e.castTo() != null && e.scalar().equals(ScalarOps.IDENTITY) ? "Cast{" + e.castTo() + "}" : name, a, sb, depth);
            return;
        }
        if (a.op() instanceof DimShuffle) {
            // the leading broadcast axes elemwise adds are noise in a formula; other dimshuffles are shown
            int[] p = ((DimShuffle) a.op()).pattern();
            int pad = p.length - a.input(0).ndim();
            boolean leadingNewAxes = pad >= 0;
            for (int i = 0; i < p.length && leadingNewAxes; i++) {
                leadingNewAxes = i < pad ? p[i] == DimShuffle.NEW_AXIS : p[i] == i - pad;
            }
            if (leadingNewAxes) {
                write(a.input(0), sb, depth + 1);
                return;
            }
        }
        call(OpNames.op(a), a, sb, depth);
        if (a.outputs().size() > 1) {
            sb.append('.').append(v.index()); // which result of a multi-output node, as debugprint shows it
        }
    }

    private static void call(String name, Apply a, StringBuilder sb, int depth) {
        sb.append(name).append('(');
        List<Variable> ins = new ArrayList<>(a.inputs());
        for (int i = 0; i < ins.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            write(ins.get(i), sb, depth + 1);
        }
        sb.append(')');
    }
}
