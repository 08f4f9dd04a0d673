package tsl.ops.elemwise;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.TslException;
import tsl.tensor.DType;

/**
 * A fused scalar program: several scalar ops evaluated one after the other on the same
 * element, built as an ordinary {@link ScalarOp} so that {@link Elemwise} and every code
 * generator run a fused loop through the generic path. Each step keeps the dtype its
 * Elemwise had, and rounds to it, so fused and unfused graphs compute the same values.
 */
public final class Composite {
    /**
     * One step: {@code op} applied to {@code args}, where an argument below the composite's
     * input count names an input and above it names an earlier step's result.
     */
    public record Step(ScalarOp op, int[] args, DType[] argDtypes, DType out) {}

    private Composite() {}

    /** The composite scalar op of {@code steps} over {@code nin} inputs; its result is the last step's. */
    public static ScalarOp of(int nin, List<Step> steps) {
        Step[] s = steps.toArray(new Step[0]);
        if (s.length == 0) {
            throw new IllegalArgumentException("a composite needs at least one step");
        }
        boolean allInteger = true;
        for (Step st : s) {
            allInteger &= st.op().computesInIntegers(st.out(), st.argDtypes());
        }
        ScalarOp.RealFn real = x -> evalReal(nin, s, x);
        ScalarOp.IntFn integer = allInteger ? x -> evalInteger(nin, s, x) : null;
        return new ScalarOp(name(nin, s), nin, ScalarOp.OutputRule.UPCAST, real, integer, a -> cExpression(nin, s, a),
                (x, z, gz) -> {
                    throw TslException.notSupported("gradient of a fused Composite (fusion runs after gradients are taken)");
                });
    }

    private static double evalReal(int nin, Step[] steps, double[] x) {
        double[] v = new double[nin + steps.length];
        System.arraycopy(x, 0, v, 0, nin);
        evalReal(nin, steps, v, null);
        return v[v.length - 1];
    }

    /**
     * Runs the steps over {@code v} (the inputs first, then one slot per step), each rounded
     * to its dtype; steps whose {@code needed} entry is false are skipped (null: all run).
     */
    static void evalReal(int nin, Step[] steps, double[] v, boolean[] needed) {
        for (int k = 0; k < steps.length; k++) {
            if (needed != null && !needed[k]) {
                continue;
            }
            Step st = steps[k];
            int[] a = st.args();
            double r;
            if (st.op().computesInIntegers(st.out(), st.argDtypes())) {
                long[] args = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    args[i] = (long) v[a[i]];
                }
                r = (double) wrap(st.out(), st.op().integer().apply(args));
            } else {
                double[] args = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    args[i] = v[a[i]];
                }
                r = round(st.out(), st.op().real().apply(args));
            }
            v[nin + k] = r;
        }
    }

    private static long evalInteger(int nin, Step[] steps, long[] x) {
        long[] v = new long[nin + steps.length];
        System.arraycopy(x, 0, v, 0, nin);
        evalInteger(nin, steps, v, null);
        return v[v.length - 1];
    }

    /** {@link #evalReal(int, Step[], double[], boolean[])} for programs that compute in integers throughout. */
    static void evalInteger(int nin, Step[] steps, long[] v, boolean[] needed) {
        for (int k = 0; k < steps.length; k++) {
            if (needed != null && !needed[k]) {
                continue;
            }
            Step st = steps[k];
            int[] a = st.args();
            long[] args = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                args[i] = v[a[i]];
            }
            v[nin + k] = wrap(st.out(), st.op().integer().apply(args));
        }
    }

    /** A double stored in {@code d} and read back, as the unfused Elemwise's output array does. */
    static double round(DType d, double x) {
        return switch (d) {
            case FLOAT64 -> x;
            case FLOAT32 -> (float) x;
            case BOOL -> x != 0 ? 1 : 0;
            default -> (double) wrap(d, (long) x);
        };
    }

    static long wrap(DType d, long x) {
        return switch (d) {
            case BOOL -> x != 0 ? 1 : 0;
            case INT8 -> (byte) x;
            case UINT8 -> x & 0xFF;
            case INT16 -> (short) x;
            case INT32 -> (int) x;
            default -> x;
        };
    }

    /** The C type a step's result is kept in. */
    public static String cType(DType d) {
        return switch (d) {
            case FLOAT64 -> "double";
            case FLOAT32 -> "float";
            case INT64 -> "int64_t";
            case INT32 -> "int32_t";
            case INT16 -> "int16_t";
            case INT8 -> "int8_t";
            case UINT8, BOOL -> "uint8_t";
        };
    }

    /**
     * One C expression for the whole program: a GNU statement expression (gcc and nvcc
     * accept it) with a typed temporary per step, so a step used twice is computed once
     * and each result is rounded to its dtype as the unfused loop would.
     */
    private static String cExpression(int nin, Step[] steps, String[] in) {
        StringBuilder sb = new StringBuilder("({ ");
        String[] names = new String[nin + steps.length];
        System.arraycopy(in, 0, names, 0, nin);
        for (int k = 0; k < steps.length; k++) {
            Step st = steps[k];
            String[] args = new String[st.args().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = names[st.args()[i]];
            }
            String t = "tsl_c" + k;
            sb.append(cType(st.out())).append(' ').append(t).append(" = (").append(cType(st.out())).append(") (")
                    .append(st.op().c().apply(args)).append("); ");
            names[nin + k] = t;
        }
        return sb.append(names[names.length - 1]).append("; })").toString();
    }

    /**
     * C statements computing the steps marked {@code needed} (all when null), one typed
     * temporary {@code <prefix>K} per step rounded to its dtype as the unfused loops round;
     * {@code names} receives the C name of every value (inputs first, then steps).
     */
    public static String cStatements(int nin, List<Step> steps, String[] in, boolean[] needed, String prefix, String[] names) {
        StringBuilder sb = new StringBuilder();
        System.arraycopy(in, 0, names, 0, nin);
        for (int k = 0; k < steps.size(); k++) {
            if (needed != null && !needed[k]) {
                continue;
            }
            Step st = steps.get(k);
            String[] args = new String[st.args().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = names[st.args()[i]];
            }
            String t = prefix + k;
            sb.append("const ").append(cType(st.out())).append(' ').append(t).append(" = (").append(cType(st.out())).append(") (")
                    .append(st.op().c().apply(args)).append(");\n");
            names[nin + k] = t;
        }
        return sb.toString();
    }

    /** Whether every step has C code. */
    public static boolean hasC(List<Step> steps) {
        for (Step st : steps) {
            if (st.op().c() == null) {
                return false;
            }
        }
        return true;
    }

    /** Public view of {@link #allInteger(Step[])}. */
    public static boolean allInteger(List<Step> steps) {
        return allInteger(steps.toArray(new Step[0]));
    }

    private static final int MAX_NAME = 300;

    /** Whether every step computes in integers, so the whole program can run on longs. */
    static boolean allInteger(Step[] steps) {
        for (Step st : steps) {
            if (!st.op().computesInIntegers(st.out(), st.argDtypes())) {
                return false;
            }
        }
        return true;
    }

    /** Theano's display: {@code Composite{(i0 * sigmoid(i1))}}, steps inlined. */
    private static String name(int nin, Step[] steps) {
        String[] names = displayNames(nin, steps);
        return "Composite{" + names[names.length - 1] + "}";
    }

    /** The display of every input ({@code i0}...) and every step's result, steps inlined. */
    static String[] displayNames(int nin, Step[] steps) {
        String[] names = new String[nin + steps.length];
        for (int i = 0; i < nin; i++) {
            names[i] = "i" + i;
        }
        for (int k = 0; k < steps.length; k++) {
            Step st = steps[k];
            List<String> args = new ArrayList<>();
            for (int a : st.args()) {
                args.add(names[a]);
            }
            String e = infix(st.op().name(), args);
            if (e.length() > MAX_NAME) {
                e = e.substring(0, MAX_NAME) + "...";
            }
            boolean cast = st.op().equals(ScalarOps.IDENTITY);
            // an identity that keeps the dtype (what fill becomes inside a loop) shows as its argument
            names[nin + k] = cast && st.argDtypes()[0] == st.out() ? args.get(0) : cast ? "Cast{" + st.out() + "}(" + args.get(0) + ")" : e;
        }
        return names;
    }

    private static String infix(String op, List<String> a) {
        String sym = switch (op) {
            case "add" -> "+";
            case "sub" -> "-";
            case "mul" -> "*";
            case "true_div" -> "/";
            case "int_div" -> "//";
            case "mod" -> "%";
            case "lt" -> "<";
            case "gt" -> ">";
            case "le" -> "<=";
            case "ge" -> ">=";
            case "eq" -> "==";
            case "neq" -> "!=";
            default -> null;
        };
        if (sym != null && a.size() == 2) {
            return "(" + a.get(0) + " " + sym + " " + a.get(1) + ")";
        }
        if (op.equals("neg") && a.size() == 1) {
            return "(-" + a.get(0) + ")";
        }
        return op + "(" + String.join(", ", a) + ")";
    }
}
