package tsl.ops.elemwise;

import static tsl.ops.elemwise.ScalarOp.OutputRule.BOOL;
import static tsl.ops.elemwise.ScalarOp.OutputRule.INTEGER;
import static tsl.ops.elemwise.ScalarOp.OutputRule.UPCAST;
import static tsl.ops.elemwise.ScalarOp.OutputRule.UPGRADE_TO_FLOAT;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Variable;
import tsl.ops.T;

/**
 * The registry of scalar operations. Adding an elementwise op means adding one definition
 * here (and its test): Elemwise, fusion and every backend pick it up from this record.
 */
public final class ScalarOps {
    private static final Map<String, ScalarOp> REGISTRY = new LinkedHashMap<>();

    private ScalarOps() {}

    private static ScalarOp def(String name, int nin, ScalarOp.OutputRule rule, ScalarOp.RealFn real,
                                ScalarOp.IntFn integer, java.util.function.Function<String[], String> c,
                                ScalarOp.GradRule grad) {
        ScalarOp op = new ScalarOp(name, nin, rule, real, integer, c, grad);
        REGISTRY.put(name, op);
        return op;
    }

    public static ScalarOp get(String name) {
        ScalarOp op = REGISTRY.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no scalar op " + name);
        }
        return op;
    }

    public static Map<String, ScalarOp> all() {
        return Collections.unmodifiableMap(REGISTRY);
    }

    private static List<Variable> grads(Variable... g) {
        return Arrays.asList(g);
    }

    /** Python's floor division on longs (rounds toward negative infinity). */
    public static long floorDiv(long a, long b) {
        if (b == 0) {
            return 0; // NumPy returns 0 for integer division by zero (with a warning)
        }
        return Math.floorDiv(a, b);
    }

    public static long floorMod(long a, long b) {
        if (b == 0) {
            return 0;
        }
        return Math.floorMod(a, b);
    }

    /** Python's float modulo: the result has the sign of the divisor. */
    public static double pyMod(double a, double b) {
        double m = a % b;
        if (m != 0 && ((m < 0) != (b < 0))) {
            m += b;
        }
        return m;
    }

    // ------------------------------------------------------------------ arithmetic

    public static final ScalarOp ADD = def("add", 2, UPCAST, x -> x[0] + x[1], x -> x[0] + x[1],
            a -> "(" + a[0] + " + " + a[1] + ")", (x, z, gz) -> grads(gz, gz));
    public static final ScalarOp SUB = def("sub", 2, UPCAST, x -> x[0] - x[1], x -> x[0] - x[1],
            a -> "(" + a[0] + " - " + a[1] + ")", (x, z, gz) -> grads(gz, T.neg(gz)));
    public static final ScalarOp MUL = def("mul", 2, UPCAST, x -> x[0] * x[1], x -> x[0] * x[1],
            a -> "(" + a[0] + " * " + a[1] + ")", (x, z, gz) -> grads(T.mul(gz, x.get(1)), T.mul(gz, x.get(0))));
    public static final ScalarOp TRUE_DIV = def("true_div", 2, UPGRADE_TO_FLOAT, x -> x[0] / x[1], null,
            a -> "(" + a[0] + " / " + a[1] + ")",
            (x, z, gz) -> grads(T.trueDiv(gz, x.get(1)), T.neg(T.trueDiv(T.mul(gz, z), x.get(1)))));
    public static final ScalarOp INT_DIV = def("int_div", 2, UPCAST, x -> Math.floor(x[0] / x[1]),
            x -> floorDiv(x[0], x[1]), a -> "tsl_floordiv(" + a[0] + ", " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp MOD = def("mod", 2, UPCAST, x -> pyMod(x[0], x[1]), x -> floorMod(x[0], x[1]),
            a -> "tsl_mod(" + a[0] + ", " + a[1] + ")",
            (x, z, gz) -> grads(gz, T.neg(T.mul(gz, T.intDiv(x.get(0), x.get(1))))));
    public static final ScalarOp POW = def("pow", 2, UPCAST, x -> Math.pow(x[0], x[1]), x -> ipow(x[0], x[1]),
            a -> "pow(" + a[0] + ", " + a[1] + ")",
            (x, z, gz) -> grads(
                    T.mul(gz, T.mul(x.get(1), T.pow(x.get(0), T.sub(x.get(1), T.constant(1))))),
                    T.mul(gz, T.mul(T.log(x.get(0)), z))));
    public static final ScalarOp NEG = def("neg", 1, UPCAST, x -> -x[0], x -> -x[0],
            a -> "(-" + a[0] + ")", (x, z, gz) -> grads(T.neg(gz)));
    public static final ScalarOp MAXIMUM = def("maximum", 2, UPCAST, x -> Double.isNaN(x[0]) || Double.isNaN(x[1]) ? Double.NaN : Math.max(x[0], x[1]),
            x -> Math.max(x[0], x[1]), a -> "fmax(" + a[0] + ", " + a[1] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.eq(z, x.get(0))), T.mul(gz, T.eq(z, x.get(1)))));
    public static final ScalarOp MINIMUM = def("minimum", 2, UPCAST, x -> Double.isNaN(x[0]) || Double.isNaN(x[1]) ? Double.NaN : Math.min(x[0], x[1]),
            x -> Math.min(x[0], x[1]), a -> "fmin(" + a[0] + ", " + a[1] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.eq(z, x.get(0))), T.mul(gz, T.eq(z, x.get(1)))));

    private static long ipow(long b, long e) {
        if (e < 0) {
            return b == 1 ? 1 : (b == -1 ? (e % 2 == 0 ? 1 : -1) : 0);
        }
        long r = 1;
        while (e > 0) {
            if ((e & 1) == 1) {
                r *= b;
            }
            b *= b;
            e >>= 1;
        }
        return r;
    }

    // ------------------------------------------------------------------ unary math

    public static final ScalarOp EXP = def("exp", 1, UPGRADE_TO_FLOAT, x -> Math.exp(x[0]), null,
            a -> "exp(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, z)));
    public static final ScalarOp LOG = def("log", 1, UPGRADE_TO_FLOAT, x -> Math.log(x[0]), null,
            a -> "log(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, x.get(0))));
    public static final ScalarOp SQR = def("sqr", 1, UPCAST, x -> x[0] * x[0], x -> x[0] * x[0],
            a -> "(" + a[0] + " * " + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.mul(x.get(0), T.constant(2)))));
    public static final ScalarOp SQRT = def("sqrt", 1, UPGRADE_TO_FLOAT, x -> Math.sqrt(x[0]), null,
            a -> "sqrt(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.mul(z, T.constant(2)))));
    public static final ScalarOp TANH = def("tanh", 1, UPGRADE_TO_FLOAT, x -> Math.tanh(x[0]), null,
            a -> "tanh(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.sub(T.constant(1), T.sqr(z)))));
    public static final ScalarOp ABS = def("abs", 1, UPCAST, x -> Math.abs(x[0]), x -> Math.abs(x[0]),
            a -> "fabs(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.sgn(x.get(0)))));
    public static final ScalarOp SGN = def("sgn", 1, UPCAST, x -> Double.isNaN(x[0]) ? Double.NaN : Math.signum(x[0]),
            x -> Long.signum(x[0]), a -> "((" + a[0] + " > 0) - (" + a[0] + " < 0))", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp SIGMOID = def("sigmoid", 1, UPGRADE_TO_FLOAT, x -> sigmoid(x[0]), null,
            a -> "tsl_sigmoid(" + a[0] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.mul(z, T.sub(T.constant(1), z)))));

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    // ------------------------------------------------------------------ comparisons and logic

    public static final ScalarOp LT = def("lt", 2, BOOL, x -> x[0] < x[1] ? 1 : 0, x -> x[0] < x[1] ? 1 : 0,
            a -> "(" + a[0] + " < " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp GT = def("gt", 2, BOOL, x -> x[0] > x[1] ? 1 : 0, x -> x[0] > x[1] ? 1 : 0,
            a -> "(" + a[0] + " > " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp LE = def("le", 2, BOOL, x -> x[0] <= x[1] ? 1 : 0, x -> x[0] <= x[1] ? 1 : 0,
            a -> "(" + a[0] + " <= " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp GE = def("ge", 2, BOOL, x -> x[0] >= x[1] ? 1 : 0, x -> x[0] >= x[1] ? 1 : 0,
            a -> "(" + a[0] + " >= " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp EQ = def("eq", 2, BOOL, x -> x[0] == x[1] ? 1 : 0, x -> x[0] == x[1] ? 1 : 0,
            a -> "(" + a[0] + " == " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp NEQ = def("neq", 2, BOOL, x -> x[0] != x[1] ? 1 : 0, x -> x[0] != x[1] ? 1 : 0,
            a -> "(" + a[0] + " != " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp AND = def("and_", 2, INTEGER, null, x -> x[0] & x[1],
            a -> "(" + a[0] + " & " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp OR = def("or_", 2, INTEGER, null, x -> x[0] | x[1],
            a -> "(" + a[0] + " | " + a[1] + ")", (x, z, gz) -> grads(null, null));
    public static final ScalarOp SWITCH = def("switch", 3, UPCAST, x -> x[0] != 0 ? x[1] : x[2], x -> x[0] != 0 ? x[1] : x[2],
            a -> "(" + a[0] + " ? " + a[1] + " : " + a[2] + ")",
            (x, z, gz) -> grads(null, T.switchOp(x.get(0), gz, T.zerosLike(gz)), T.switchOp(x.get(0), T.zerosLike(gz), gz)));
    /** Its second input broadcast to the shape of both (Theano's "second"/fill). */
    public static final ScalarOp SECOND = def("second", 2, UPCAST, x -> x[1], x -> x[1],
            a -> a[1], (x, z, gz) -> grads(null, gz));
    /** Identity, used by casts: the output dtype is chosen by the Elemwise that carries it. */
    public static final ScalarOp IDENTITY = def("identity", 1, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads(gz));
}
