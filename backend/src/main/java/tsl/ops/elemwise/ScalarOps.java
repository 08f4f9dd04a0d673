package tsl.ops.elemwise;

import static tsl.ops.elemwise.ScalarOp.OutputRule.BOOL;
import static tsl.ops.elemwise.ScalarOp.OutputRule.INTEGER;
import static tsl.ops.elemwise.ScalarOp.OutputRule.UPCAST;
import static tsl.ops.elemwise.ScalarOp.OutputRule.UPCAST_BRANCHES;
import static tsl.ops.elemwise.ScalarOp.OutputRule.UPGRADE_TO_FLOAT;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

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

    /** NumPy's float modulo (npy_divmod): the result has the sign of the divisor, a zero result included. */
    public static double pyMod(double a, double b) {
        double m = a % b;
        if (b == 0) {
            return m; // NaN, as NumPy (with a warning)
        }
        if (m != 0) {
            if ((m < 0) != (b < 0)) {
                m += b;
            }
        } else {
            m = Math.copySign(0.0, b);
        }
        return m;
    }

    /**
     * NumPy's float floor division (npy_divmod): the quotient of {@code a - fmod(a, b)}, which is
     * exact, rather than floor(a / b), whose rounding can step over an integer (1.0 // 0.1 is 9,
     * though 1.0 / 0.1 rounds to 10).
     */
    public static double pyFloorDiv(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && ((b < 0) != (mod < 0))) {
            div -= 1.0;
        }
        if (div == 0) {
            return Math.copySign(0.0, a / b);
        }
        double f = Math.floor(div);
        return div - f > 0.5 ? f + 1.0 : f;
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
    public static final ScalarOp INT_DIV = def("int_div", 2, UPCAST, x -> pyFloorDiv(x[0], x[1]),
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
            x -> Math.max(x[0], x[1]), a -> "(" + a[0] + " != " + a[0] + " || " + a[0] + " > " + a[1] + " ? " + a[0] + " : " + a[1] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.eq(z, x.get(0))), T.mul(gz, T.eq(z, x.get(1)))));
    public static final ScalarOp MINIMUM = def("minimum", 2, UPCAST, x -> Double.isNaN(x[0]) || Double.isNaN(x[1]) ? Double.NaN : Math.min(x[0], x[1]),
            x -> Math.min(x[0], x[1]), a -> "(" + a[0] + " != " + a[0] + " || " + a[0] + " < " + a[1] + " ? " + a[0] + " : " + a[1] + ")",
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
    public static final ScalarOp SGN = def("sgn", 1, UPCAST, x -> Double.isNaN(x[0]) ? Double.NaN : x[0] > 0 ? 1.0 : x[0] < 0 ? -1.0 : 0.0,
            x -> Long.signum(x[0]), a -> "(" + a[0] + " != " + a[0] + " ? " + a[0] + " : (" + a[0] + " > 0) - (" + a[0] + " < 0))", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp SIGMOID = def("sigmoid", 1, UPGRADE_TO_FLOAT, x -> sigmoid(x[0]), null,
            a -> "tsl_sigmoid(" + a[0] + ")",
            (x, z, gz) -> grads(T.mul(gz, sigmoidSlope(x.get(0)))));

    /**
     * d sigmoid(x) / dx = sigmoid(x) sigmoid(-x), written as exp(-(softplus(x) + softplus(-x))):
     * finite for every x, and accurate in the tails where z (1 - z) would round to 0. Narrower
     * floats are computed in float64 and rounded once: the sum of the two softpluses would
     * otherwise lose the last digits of a float32 result.
     */
    public static Variable sigmoidSlope(Variable x) {
        if (x.dtype() != DType.FLOAT64) {
            Variable slope = sigmoidSlope(T.cast(x, DType.FLOAT64));
            return x.dtype().isFloat() ? T.cast(slope, x.dtype()) : slope;
        }
        return T.exp(T.neg(T.add(T.softplus(x), T.softplus(T.neg(x)))));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    // ------------------------------------------------------------------ exponentials and logarithms

    private static final double LN2 = Math.log(2);
    private static final double LN10 = Math.log(10);

    /** A constant in the float dtype of {@code like}, so gradient constants do not upcast float32 graphs. */
    private static Variable k(double v, Variable like) {
        DType d = like.dtype().isFloat() ? like.dtype() : DType.FLOAT64;
        return T.constant(v, d);
    }

    public static final ScalarOp EXP2 = def("exp2", 1, UPGRADE_TO_FLOAT, x -> Math.pow(2.0, x[0]), null,
            a -> "exp2(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.mul(z, k(LN2, z)))));
    public static final ScalarOp EXPM1 = def("expm1", 1, UPGRADE_TO_FLOAT, x -> Math.expm1(x[0]), null,
            a -> "expm1(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.add(z, k(1, z)))));
    public static final ScalarOp LOG2 = def("log2", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.log2(x[0]), null,
            a -> "log2(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.mul(x.get(0), k(LN2, z)))));
    public static final ScalarOp LOG10 = def("log10", 1, UPGRADE_TO_FLOAT, x -> Math.log10(x[0]), null,
            a -> "log10(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.mul(x.get(0), k(LN10, z)))));
    public static final ScalarOp LOG1P = def("log1p", 1, UPGRADE_TO_FLOAT, x -> Math.log1p(x[0]), null,
            a -> "log1p(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.add(x.get(0), k(1, z)))));
    /**
     * log(1 + e^x), written so that it neither overflows for large x nor loses digits for very negative x.
     * In C, max(x, 0) is a select, not fmax: gcc vectorizes no loop that calls fmax without
     * -ffast-math (the values are the same: a NaN x makes the log1p term NaN either way).
     */
    public static final ScalarOp SOFTPLUS = def("softplus", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.softplus(x[0]), null,
            a -> "(log1p(exp(-fabs(" + a[0] + "))) + ((" + a[0] + ") > 0 ? (" + a[0] + ") : 0.0))",
            (x, z, gz) -> grads(T.mul(gz, T.sigmoid(x.get(0)))));

    // ------------------------------------------------------------------ trigonometric and hyperbolic

    public static final ScalarOp SIN = def("sin", 1, UPGRADE_TO_FLOAT, x -> Math.sin(x[0]), null,
            a -> "sin(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.cos(x.get(0)))));
    public static final ScalarOp COS = def("cos", 1, UPGRADE_TO_FLOAT, x -> Math.cos(x[0]), null,
            a -> "cos(" + a[0] + ")", (x, z, gz) -> grads(T.neg(T.mul(gz, T.sin(x.get(0))))));
    public static final ScalarOp TAN = def("tan", 1, UPGRADE_TO_FLOAT, x -> Math.tan(x[0]), null,
            a -> "tan(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.add(k(1, z), T.sqr(z)))));
    public static final ScalarOp ARCSIN = def("arcsin", 1, UPGRADE_TO_FLOAT, x -> Math.asin(x[0]), null,
            a -> "asin(" + a[0] + ")",
            (x, z, gz) -> grads(T.trueDiv(gz, T.sqrt(T.sub(k(1, z), T.sqr(x.get(0)))))));
    public static final ScalarOp ARCCOS = def("arccos", 1, UPGRADE_TO_FLOAT, x -> Math.acos(x[0]), null,
            a -> "acos(" + a[0] + ")",
            (x, z, gz) -> grads(T.neg(T.trueDiv(gz, T.sqrt(T.sub(k(1, z), T.sqr(x.get(0))))))));
    public static final ScalarOp ARCTAN = def("arctan", 1, UPGRADE_TO_FLOAT, x -> Math.atan(x[0]), null,
            a -> "atan(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.add(k(1, z), T.sqr(x.get(0))))));
    public static final ScalarOp SINH = def("sinh", 1, UPGRADE_TO_FLOAT, x -> Math.sinh(x[0]), null,
            a -> "sinh(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.cosh(x.get(0)))));
    public static final ScalarOp COSH = def("cosh", 1, UPGRADE_TO_FLOAT, x -> Math.cosh(x[0]), null,
            a -> "cosh(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.sinh(x.get(0)))));
    public static final ScalarOp ARCSINH = def("arcsinh", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.asinh(x[0]), null,
            a -> "asinh(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.sqrt(T.add(T.sqr(x.get(0)), k(1, z))))));
    public static final ScalarOp ARCCOSH = def("arccosh", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.acosh(x[0]), null,
            a -> "acosh(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.sqrt(T.sub(T.sqr(x.get(0)), k(1, z))))));
    public static final ScalarOp ARCTANH = def("arctanh", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.atanh(x[0]), null,
            a -> "atanh(" + a[0] + ")", (x, z, gz) -> grads(T.trueDiv(gz, T.sub(k(1, z), T.sqr(x.get(0))))));

    // ------------------------------------------------------------------ special functions

    public static final ScalarOp ERF = def("erf", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.erf(x[0]), null,
            a -> "erf(" + a[0] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.mul(k(2 / Math.sqrt(Math.PI), z), T.exp(T.neg(T.sqr(x.get(0))))))));
    public static final ScalarOp ERFC = def("erfc", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.erfc(x[0]), null,
            a -> "erfc(" + a[0] + ")",
            (x, z, gz) -> grads(T.mul(gz, T.mul(k(-2 / Math.sqrt(Math.PI), z), T.exp(T.neg(T.sqr(x.get(0))))))));
    /** The digamma function; C has none, so generated code needs the helper {@link #C_HELPERS} defines. */
    public static final ScalarOp PSI = def("psi", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.psi(x[0]), null,
            a -> "tsl_psi(" + a[0] + ")", (x, z, gz) -> grads(
                    new tsl.grad.NullGradient(x.get(0).type(), "the gradient of psi (the trigamma function) is not implemented")));
    public static final ScalarOp GAMMALN = def("gammaln", 1, UPGRADE_TO_FLOAT, x -> SpecialFunctions.gammaln(x[0]), null,
            a -> "lgamma(" + a[0] + ")", (x, z, gz) -> grads(T.mul(gz, T.elemwise(PSI, x.get(0)))));

    // ------------------------------------------------------------------ rounding (piecewise constant: zero gradient)

    public static final ScalarOp FLOOR = def("floor", 1, UPGRADE_TO_FLOAT, x -> Math.floor(x[0]), null,
            a -> "floor(" + a[0] + ")", (x, z, gz) -> grads(T.zerosLike(x.get(0))));
    public static final ScalarOp CEIL = def("ceil", 1, UPGRADE_TO_FLOAT, x -> Math.ceil(x[0]), null,
            a -> "ceil(" + a[0] + ")", (x, z, gz) -> grads(T.zerosLike(x.get(0))));
    /** Ties to the even neighbour, as numpy.round and Theano's round(mode="half_to_even"); C's rint in the default rounding mode. */
    public static final ScalarOp ROUND_HALF_TO_EVEN = def("round_half_to_even", 1, UPGRADE_TO_FLOAT, x -> Math.rint(x[0]), null,
            a -> "rint(" + a[0] + ")", (x, z, gz) -> grads(T.zerosLike(x.get(0))));
    public static final ScalarOp ROUND_HALF_AWAY_FROM_ZERO = def("round_half_away_from_zero", 1, UPGRADE_TO_FLOAT,
            x -> Double.isNaN(x[0]) || Double.isInfinite(x[0]) ? x[0] : Math.signum(x[0]) * Math.floor(Math.abs(x[0]) + 0.5), null,
            a -> "round(" + a[0] + ")", (x, z, gz) -> grads(T.zerosLike(x.get(0))));

    // ------------------------------------------------------------------ piecewise linear

    public static final ScalarOp RELU = def("relu", 1, UPCAST, x -> x[0] > 0 || Double.isNaN(x[0]) ? x[0] : 0.0,
            x -> Math.max(x[0], 0), a -> "((" + a[0] + ") > 0 || (" + a[0] + ") != (" + a[0] + ") ? (" + a[0] + ") : 0)",
            (x, z, gz) -> grads(T.mul(gz, T.gt(x.get(0), T.constant(0)))));
    /** numpy.clip(x, lo, hi): NaN stays NaN; the gradient reaches x only where it lies inside [lo, hi]. */
    public static final ScalarOp CLIP = def("clip", 3, UPCAST,
            x -> x[0] < x[1] ? x[1] : (x[0] > x[2] ? x[2] : x[0]),
            x -> x[0] < x[1] ? x[1] : (x[0] > x[2] ? x[2] : x[0]),
            a -> "((" + a[0] + ") < (" + a[1] + ") ? (" + a[1] + ") : ((" + a[0] + ") > (" + a[2] + ") ? (" + a[2] + ") : ("
                    + a[0] + ")))",
            (x, z, gz) -> grads(
                    T.mul(gz, T.and(T.ge(x.get(0), x.get(1)), T.le(x.get(0), x.get(2)))),
                    T.mul(gz, T.lt(x.get(0), x.get(1))),
                    T.mul(gz, T.gt(x.get(0), x.get(2)))));

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
    public static final ScalarOp XOR = def("xor", 2, INTEGER, null, x -> x[0] ^ x[1],
            a -> "(" + a[0] + " ^ " + a[1] + ")", (x, z, gz) -> grads(null, null));
    /** Bitwise not; {@link T#invert} uses {@link #LOGICAL_NOT} for bool, where ~ would turn true into true. */
    public static final ScalarOp INVERT = def("invert", 1, INTEGER, null, x -> ~x[0],
            a -> "(~" + a[0] + ")", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp LOGICAL_NOT = def("logical_not", 1, BOOL, x -> x[0] == 0 ? 1 : 0, x -> x[0] == 0 ? 1 : 0,
            a -> "(!" + a[0] + ")", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp ISNAN = def("isnan", 1, BOOL, x -> Double.isNaN(x[0]) ? 1 : 0, x -> 0,
            a -> "isnan((double) (" + a[0] + "))", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp ISINF = def("isinf", 1, BOOL, x -> Double.isInfinite(x[0]) ? 1 : 0, x -> 0,
            a -> "isinf((double) (" + a[0] + "))", (x, z, gz) -> grads((Variable) null));
    public static final ScalarOp SWITCH = def("switch", 3, UPCAST_BRANCHES, x -> x[0] != 0 ? x[1] : x[2], x -> x[0] != 0 ? x[1] : x[2],
            a -> "(" + a[0] + " ? " + a[1] + " : " + a[2] + ")",
            (x, z, gz) -> grads(null, T.switchOp(x.get(0), gz, T.zerosLike(gz)), T.switchOp(x.get(0), T.zerosLike(gz), gz)));
    /** Its second input broadcast to the shape of both (Theano's "second"/fill). */
    public static final ScalarOp SECOND = def("second", 2, UPCAST, x -> x[1], x -> x[1],
            a -> a[1], (x, z, gz) -> grads(null, gz));
    /** Identity, used by casts: the output dtype is chosen by the Elemwise that carries it. */
    public static final ScalarOp IDENTITY = def("identity", 1, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads(gz));
    /** Identity whose input is disconnected from the gradient (theano.gradient.disconnected_grad). */
    public static final ScalarOp DISCONNECTED_GRAD = def("disconnected_grad", 1, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads((Variable) null));

    /** Identity whose gradient is zero, though still connected (theano.gradient.zero_grad). */
    public static final ScalarOp ZERO_GRAD = def("zero_grad", 1, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads(T.zerosLike(gz)));
    /** Identity whose gradient is clipped to [lo, hi] (theano.gradient.grad_clip(x, lo, hi)). */
    public static final ScalarOp GRAD_CLIP = def("grad_clip", 3, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads(T.clip(gz, x.get(1), x.get(2)), null, null));
    /** Identity whose gradient is multiplied by its second input (theano.gradient.grad_scale(x, m)). */
    public static final ScalarOp GRAD_SCALE = def("grad_scale", 2, UPCAST, x -> x[0], x -> x[0],
            a -> a[0], (x, z, gz) -> grads(T.mul(gz, x.get(1)), null));

    /** C definitions of the tsl_* helpers that the C expressions above use and libm lacks. */
    public static final String C_HELPERS = """
            static inline double tsl_psi(double x) {
                double r = 0.0;
                if (x <= 0 && x == floor(x)) return NAN;
                if (x < 0) { r -= M_PI / tan(M_PI * (x - rint(x))); x = 1.0 - x; }
                while (x < 10.0) { r -= 1.0 / x; x += 1.0; }
                double i2 = 1.0 / (x * x);
                return r + log(x) - 0.5 / x
                    - i2 * (1.0/12 - i2 * (1.0/120 - i2 * (1.0/252 - i2 * (1.0/240 - i2 * (1.0/132
                    - i2 * (691.0/32760 - i2 * (1.0/12)))))));
            }
            """;
}
