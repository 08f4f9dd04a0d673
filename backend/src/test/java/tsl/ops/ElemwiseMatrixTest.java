package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The per-op matrix for elementwise ops: every op in the {@link ScalarOps} registry, on float32
 * and float64, with all inputs (2, 3) matrices, with each input in turn a broadcast (1, 3) row,
 * and with each input in turn a 0-d scalar, against a reference computed independently of the
 * op (StrictMath, NumPy's own algorithms written out, or SciPy values written in the table).
 * Ops with an integer rule are also run on int64, and bitwise ops only on integers. Every op
 * also has error cases (arity, static and call-time shape mismatch, dtype). A registered op
 * without an entry here fails {@link #everyRegisteredScalarOpHasAnEntry}.
 */
class ElemwiseMatrixTest {

    @FunctionalInterface
    interface Ref { double at(double[] x); }

    @FunctionalInterface
    interface IntRef { long at(long[] x); }

    /** One op: reference on doubles (null for integer-only ops), on longs (null: no int64 case), and the values of each input. */
    record Entry(String op, Ref ref, IntRef intRef, boolean boolOut, double[][] domains) {}

    // Input values, one row per input; element k of each row goes to element k of a (2, 3) matrix.
    static final double[] ANY = {-2.5, -0.75, 0.0, 0.5, 1.25, 3.0};
    static final double[] ANY2 = {1.5, -0.25, 2.0, -3.0, 0.5, 0.0};
    static final double[] TIES = {-2.5, 0.0, 0.0, 1.0, 1.25, -3.0};
    static final double[] NONZERO = {1.5, -0.25, 2.0, -3.0, 0.5, 4.0};
    static final double[] POS = {0.125, 0.5, 1.0, 1.5, 2.25, 4.0};
    static final double[] UNIT = {-0.875, -0.5, 0.0, 0.25, 0.5, 0.75};
    static final double[] GE1 = {1.0, 1.25, 1.5, 2.0, 3.5, 10.0};
    static final double[] GAM = {0.125, 0.5, 1.0, 2.5, 10.0, -0.5};
    static final double[] GT_M1 = {-0.5, -0.25, 0.0, 0.5, 1.5, 7.0};
    static final double[] SIGNS = {-2.5, -0.0, 0.0, 0.5, -1.25, 3.0};
    static final double[] HALVES = {-2.5, -1.5, -0.5, 0.5, 2.5, 3.75};
    static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, 1.5, -2.0};
    static final double[] WITH_NAN = {1.5, Double.NaN, 2.0, -3.0, 0.5, -1.0};
    static final double[] COND = {0.0, 1.0, -0.5, 0.0, 2.0, 0.0};
    static final double[] LO = {-1.0, -1.0, 0.0, 0.0, -0.5, 1.0};
    static final double[] HI = {1.0, 2.0, 0.25, 0.25, 0.5, 1.0};
    /** mod/int_div pairs with exact multiples (-3 % 1.5: NumPy's zero takes the divisor's sign) and 1 // 0.1 (NumPy: 9). */
    static final double[] DIVIDENDS = {-3.0, -0.75, 0.0, 1.0, 1.25, 3.0};
    static final double[] DIVISORS = {1.5, -0.25, -2.0, 0.1, 0.5, -4.0};
    static final double[] INTS = {5, -3, 0, 127, 12, -128};
    static final double[] INTS2 = {3, 6, -1, 1, 10, 64};
    static final double[] INT_DIVISORS = {2, -4, 3, -1, 5, 7};
    static final double[] SMALL_EXP = {0, 1, 2, 3, 1, 0};

    static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    private static void add(String op, Ref ref, IntRef intRef, double[]... domains) {
        TABLE.put(op, new Entry(op, ref, intRef, false, domains));
    }

    private static void bool(String op, Ref ref, IntRef intRef, double[]... domains) {
        TABLE.put(op, new Entry(op, ref, intRef, true, domains));
    }

    /** A reference given as SciPy/NumPy float64 values at the points of {@code domain} (inputs exact in float32). */
    private static Ref table(double[] domain, double... values) {
        return x -> {
            for (int i = 0; i < domain.length; i++) {
                if (Double.compare(domain[i], x[0]) == 0) {
                    return values[i];
                }
            }
            throw new AssertionError("no table value at " + x[0]);
        };
    }

    /** NumPy's npy_divmod for floats: returns {floor quotient, remainder}. */
    static double[] numpyDivmod(double a, double b) {
        double mod = a % b; // C fmod
        if (b == 0) {
            return new double[] {a / b, mod};
        }
        double div = (a - mod) / b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
                div -= 1.0;
            }
        } else {
            mod = Math.copySign(0.0, b);
        }
        double floordiv;
        if (div != 0) {
            floordiv = StrictMath.floor(div);
            if (div - floordiv > 0.5) {
                floordiv += 1.0;
            }
        } else {
            floordiv = Math.copySign(0.0, a / b);
        }
        return new double[] {floordiv, mod};
    }

    static {
        add("add", x -> x[0] + x[1], x -> x[0] + x[1], ANY, ANY2);
        add("sub", x -> x[0] - x[1], x -> x[0] - x[1], ANY, ANY2);
        add("mul", x -> x[0] * x[1], x -> x[0] * x[1], ANY, ANY2);
        add("true_div", x -> x[0] / x[1], null, ANY, NONZERO);
        add("int_div", x -> numpyDivmod(x[0], x[1])[0], x -> Math.floorDiv(x[0], x[1]), DIVIDENDS, DIVISORS);
        add("mod", x -> numpyDivmod(x[0], x[1])[1], x -> Math.floorMod(x[0], x[1]), DIVIDENDS, DIVISORS);
        add("pow", x -> StrictMath.pow(x[0], x[1]), x -> {
            long r = 1;
            for (long i = 0; i < x[1]; i++) {
                r *= x[0];
            }
            return r;
        }, POS, ANY);
        add("neg", x -> -x[0], x -> -x[0], ANY);
        add("maximum", x -> Double.isNaN(x[0]) || Double.isNaN(x[1]) ? Double.NaN : StrictMath.max(x[0], x[1]),
                x -> Math.max(x[0], x[1]), ANY, WITH_NAN);
        add("minimum", x -> Double.isNaN(x[0]) || Double.isNaN(x[1]) ? Double.NaN : StrictMath.min(x[0], x[1]),
                x -> Math.min(x[0], x[1]), ANY, WITH_NAN);
        add("exp", x -> StrictMath.exp(x[0]), null, ANY);
        add("log", x -> StrictMath.log(x[0]), null, POS);
        add("sqr", x -> x[0] * x[0], x -> x[0] * x[0], ANY);
        add("sqrt", x -> StrictMath.sqrt(x[0]), null, POS);
        add("tanh", x -> StrictMath.tanh(x[0]), null, ANY);
        add("abs", x -> StrictMath.abs(x[0]), x -> Math.abs(x[0]), SIGNS);
        // np.sign(-0.0) is 0.0: NumPy's sign is "x > 0 ? 1 : x < 0 ? -1 : 0" (NaN stays NaN)
        add("sgn", x -> Double.isNaN(x[0]) ? Double.NaN : x[0] > 0 ? 1.0 : x[0] < 0 ? -1.0 : 0.0, x -> Long.signum(x[0]), SIGNS);
        add("sigmoid", x -> 1 / (1 + StrictMath.exp(-x[0])), null, ANY);
        add("exp2", x -> StrictMath.pow(2, x[0]), null, ANY);
        add("expm1", x -> StrictMath.expm1(x[0]), null, ANY);
        add("log2", table(POS, -3.0, -1.0, 0.0, 0.5849625007211562, 1.1699250014423124, 2.0), null, POS);
        add("log10", x -> StrictMath.log10(x[0]), null, POS);
        add("log1p", x -> StrictMath.log1p(x[0]), null, GT_M1);
        add("softplus", x -> StrictMath.log1p(StrictMath.exp(x[0])), null, ANY);
        add("sin", x -> StrictMath.sin(x[0]), null, ANY);
        add("cos", x -> StrictMath.cos(x[0]), null, ANY);
        add("tan", x -> StrictMath.tan(x[0]), null, ANY);
        add("arcsin", x -> StrictMath.asin(x[0]), null, UNIT);
        add("arccos", x -> StrictMath.acos(x[0]), null, UNIT);
        add("arctan", x -> StrictMath.atan(x[0]), null, ANY);
        add("sinh", x -> StrictMath.sinh(x[0]), null, ANY);
        add("cosh", x -> StrictMath.cosh(x[0]), null, ANY);
        // numpy.arcsinh / arccosh / arctanh and scipy.special at the same points
        add("arcsinh", table(ANY, -1.6472311463710958, -0.6931471805599453, 0.0, 0.48121182505960347, 1.0475930126492587,
                1.8184464592320668), null, ANY);
        add("arccosh", table(GE1, 0.0, 0.6931471805599453, 0.9624236501192069, 1.3169578969248166, 1.9248473002384139,
                2.993222846126381), null, GE1);
        add("arctanh", table(UNIT, -1.354025100551105, -0.5493061443340548, 0.0, 0.25541281188299536, 0.5493061443340548,
                0.9729550745276566), null, UNIT);
        add("erf", table(ANY, -0.999593047982555, -0.7111556336535151, 0.0, 0.5204998778130465, 0.9229001282564582,
                0.9999779095030014), null, ANY);
        add("erfc", table(ANY, 1.999593047982555, 1.7111556336535152, 1.0, 0.4795001221869535, 0.07709987174354177,
                2.2090496998585445e-05), null, ANY);
        add("psi", table(GAM, -8.388492663295855, -1.9635100260214235, -0.5772156649015329, 0.7031566406452432,
                2.251752589066721, 0.03648997397857651), null, GAM);
        add("gammaln", table(GAM, 2.0194183575537963, 0.5723649429247, 0.0, 0.2846828704729192, 12.801827480081469,
                1.2655121234846454), null, GAM);
        add("floor", x -> StrictMath.floor(x[0]), null, ANY);
        add("ceil", x -> StrictMath.ceil(x[0]), null, ANY);
        add("round_half_to_even", x -> StrictMath.rint(x[0]), null, HALVES);
        add("round_half_away_from_zero", table(HALVES, -3.0, -2.0, -1.0, 1.0, 3.0, 4.0), null, HALVES);
        add("relu", x -> x[0] > 0 ? x[0] : 0.0, x -> x[0] > 0 ? x[0] : 0, ANY);
        add("clip", x -> StrictMath.min(StrictMath.max(x[0], x[1]), x[2]), x -> Math.min(Math.max(x[0], x[1]), x[2]), ANY, LO, HI);
        bool("lt", x -> x[0] < x[1] ? 1 : 0, x -> x[0] < x[1] ? 1 : 0, ANY, TIES);
        bool("gt", x -> x[0] > x[1] ? 1 : 0, x -> x[0] > x[1] ? 1 : 0, ANY, TIES);
        bool("le", x -> x[0] <= x[1] ? 1 : 0, x -> x[0] <= x[1] ? 1 : 0, ANY, TIES);
        bool("ge", x -> x[0] >= x[1] ? 1 : 0, x -> x[0] >= x[1] ? 1 : 0, ANY, TIES);
        bool("eq", x -> x[0] == x[1] ? 1 : 0, x -> x[0] == x[1] ? 1 : 0, ANY, TIES);
        bool("neq", x -> x[0] != x[1] ? 1 : 0, x -> x[0] != x[1] ? 1 : 0, ANY, TIES);
        add("and_", null, x -> x[0] & x[1], INTS, INTS2);
        add("or_", null, x -> x[0] | x[1], INTS, INTS2);
        add("xor", null, x -> x[0] ^ x[1], INTS, INTS2);
        add("invert", null, x -> ~x[0], INTS);
        bool("logical_not", x -> x[0] == 0 ? 1 : 0, x -> x[0] == 0 ? 1 : 0, SIGNS);
        bool("isnan", x -> Double.isNaN(x[0]) ? 1 : 0, x -> 0, SPECIAL);
        bool("isinf", x -> Double.isInfinite(x[0]) ? 1 : 0, x -> 0, SPECIAL);
        add("switch", x -> x[0] != 0 ? x[1] : x[2], x -> x[0] != 0 ? x[1] : x[2], COND, ANY, ANY2);
        add("second", x -> x[1], x -> x[1], ANY, ANY2);
        add("identity", x -> x[0], x -> x[0], ANY);
        add("disconnected_grad", x -> x[0], x -> x[0], ANY);
        add("zero_grad", x -> x[0], x -> x[0], ANY);
        add("grad_clip", x -> x[0], x -> x[0], ANY, LO, HI);
        add("grad_scale", x -> x[0], x -> x[0], ANY, ANY2);
    }

    @Test
    void everyRegisteredScalarOpHasAnEntry() {
        Set<String> missing = new TreeSet<>(ScalarOps.all().keySet());
        missing.removeAll(TABLE.keySet());
        assertTrue(missing.isEmpty(), "scalar ops without a value/error entry in ElemwiseMatrixTest.TABLE: " + missing);
        Set<String> unknown = new TreeSet<>(TABLE.keySet());
        unknown.removeAll(ScalarOps.all().keySet());
        assertTrue(unknown.isEmpty(), "entries for ops that are not registered: " + unknown);
        for (Entry e : TABLE.values()) {
            assertEquals(ScalarOps.get(e.op).nin(), e.domains.length, e.op + ": one domain per input");
        }
    }

    /** How one input is shaped in a case: a full (2, 3) matrix, a broadcast (1, 3) row, or a 0-d scalar. */
    enum Form { MATRIX, ROW, SCALAR }

    /** All-matrix, then each input alone as a row, then each alone as a scalar (for unary ops: matrix, row, scalar). */
    private static List<Form[]> layouts(int nin) {
        List<Form[]> out = new ArrayList<>();
        Form[] all = new Form[nin];
        Arrays.fill(all, Form.MATRIX);
        out.add(all);
        for (Form f : new Form[] {Form.ROW, Form.SCALAR}) {
            for (int i = 0; i < nin; i++) {
                Form[] l = all.clone();
                l[i] = f;
                out.add(l);
            }
        }
        return out;
    }

    private static double valueAt(double[] domain, Form f, int r, int c) {
        return switch (f) {
            case MATRIX -> domain[r * 3 + c];
            case ROW -> domain[c];
            case SCALAR -> domain[1];
        };
    }

    private static NDArray input(double[] domain, Form f, DType d) {
        return switch (f) {
            case MATRIX -> NDArray.fromDoubles(d, new int[] {2, 3}, domain);
            case ROW -> NDArray.fromDoubles(d, new int[] {1, 3}, Arrays.copyOf(domain, 3));
            case SCALAR -> NDArray.scalar(domain[1], d);
        };
    }

    private static Variable symbol(Form f, DType d, int i) {
        return switch (f) {
            case MATRIX -> OpTesting.var(d, 2, "x" + i);
            case ROW -> OpTesting.var(d, new int[] {1, -1}, "x" + i);
            case SCALAR -> OpTesting.var(d, 0, "x" + i);
        };
    }

    /** The value a float32 input actually holds. */
    private static double stored(double v, DType d) {
        return d == DType.FLOAT32 ? (double) (float) v : d.isFloat() ? v : (double) (long) v;
    }

    @TestFactory
    Stream<DynamicTest> valuesMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : TABLE.values()) {
            List<DType> dtypes = new ArrayList<>();
            if (e.ref != null) {
                dtypes.add(DType.FLOAT64);
                dtypes.add(DType.FLOAT32);
            }
            if (e.intRef != null) {
                dtypes.add(DType.INT64);
            }
            for (DType d : dtypes) {
                for (Form[] l : layouts(e.domains.length)) {
                    tests.add(DynamicTest.dynamicTest(e.op + " " + d + " " + Arrays.toString(l), () -> checkValues(e, d, l)));
                }
            }
        }
        return tests.stream();
    }

    private static void checkValues(Entry e, DType d, Form[] layout) {
        ScalarOp op = ScalarOps.get(e.op);
        int nin = layout.length;
        List<Variable> syms = new ArrayList<>();
        NDArray[] values = new NDArray[nin];
        boolean allScalar = true;
        for (int i = 0; i < nin; i++) {
            double[] dom = domainFor(e, d, i);
            syms.add(symbol(layout[i], d, i));
            values[i] = input(dom, layout[i], d);
            allScalar &= layout[i] == Form.SCALAR;
        }
        Variable out = T.elemwise(op, syms.toArray());
        NDArray got = OpTesting.run(syms, out, values);
        DType expectedDtype = e.boolOut ? DType.BOOL : d;
        assertEquals(expectedDtype, got.dtype(), "dtype");
        int[] shape = allScalar ? new int[0] : anyMatrix(layout) ? new int[] {2, 3} : new int[] {1, 3};
        assertArrayEquals(shape, got.shape(), "shape");
        int rows = shape.length == 2 ? shape[0] : 1;
        int cols = shape.length == 2 ? 3 : 1;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double[] x = new double[nin];
                long[] xl = new long[nin];
                for (int i = 0; i < nin; i++) {
                    double v = valueAt(domainFor(e, d, i), layout[i], r, c);
                    x[i] = stored(v, d);
                    xl[i] = (long) v;
                }
                double expected = d.isFloat() ? e.ref.at(x) : e.intRef.at(xl);
                if (d == DType.FLOAT32 && !e.boolOut) {
                    expected = (float) expected;
                }
                double actual = got.getDouble((long) r * cols + c);
                if (!close(expected, actual, d)) {
                    fail(e.op + " " + d + " at " + Arrays.toString(x) + ": expected " + expected + " got " + actual);
                }
            }
        }
    }

    private static double[] domainFor(Entry e, DType d, int i) {
        if (!d.isFloat() && (e.op.equals("int_div") || e.op.equals("mod"))) {
            return i == 0 ? INTS : INT_DIVISORS;
        }
        if (!d.isFloat() && e.op.equals("pow")) {
            return i == 0 ? INTS2 : SMALL_EXP;
        }
        return e.domains[i];
    }

    private static boolean anyMatrix(Form[] layout) {
        for (Form f : layout) {
            if (f == Form.MATRIX) {
                return true;
            }
        }
        return false;
    }

    /** float64 to a few ulps, float32 to a float32 tolerance; NaN matches NaN and a zero must have the reference's sign. */
    private static boolean close(double e, double a, DType d) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (e == 0 && a == 0) {
            return Double.compare(e, a) == 0;
        }
        if (e == a) {
            return true;
        }
        double rtol = d == DType.FLOAT32 ? 1e-6 : d.isFloat() ? 1e-14 : 0;
        return Math.abs(e - a) <= rtol * Math.abs(e);
    }

    // ------------------------------------------------------------------ errors

    private static DType workingDtype(Entry e) {
        return e.ref == null ? DType.INT64 : DType.FLOAT64;
    }

    @TestFactory
    Stream<DynamicTest> badInputsRaiseErrorsThatNameTheOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : TABLE.values()) {
            ScalarOp op = ScalarOps.get(e.op);
            String name = "Elemwise{" + e.op + "}";
            DType d = workingDtype(e);
            tests.add(DynamicTest.dynamicTest(e.op + ": wrong number of inputs", () -> {
                List<Variable> in = new ArrayList<>();
                for (int i = 0; i <= op.nin(); i++) {
                    in.add(OpTesting.var(d, 1, "x" + i));
                }
                TslException t = assertThrows(TslException.class, () -> new Elemwise(op).makeNode(in));
                assertEquals("TypeError", t.pythonType());
                assertTrue(t.getMessage().contains(name), t.getMessage());
            }));
            if (op.nin() >= 2) {
                tests.add(DynamicTest.dynamicTest(e.op + ": static lengths 3 and 4", () -> {
                    List<Variable> in = new ArrayList<>();
                    for (int i = 0; i < op.nin(); i++) {
                        in.add(OpTesting.var(d, new int[] {i == 0 ? 3 : 4}, "x" + i));
                    }
                    TslException t = assertThrows(TslException.class, () -> T.elemwise(op, in.toArray()));
                    assertEquals("ValueError", t.pythonType());
                    assertTrue(t.getMessage().contains(name) && t.getMessage().contains("3 vs 4"), t.getMessage());
                }));
                tests.add(DynamicTest.dynamicTest(e.op + ": different ranks given to the op itself", () -> {
                    List<Variable> in = new ArrayList<>();
                    for (int i = 0; i < op.nin(); i++) {
                        in.add(OpTesting.var(d, i == 0 ? 2 : 1, "x" + i));
                    }
                    TslException t = assertThrows(TslException.class, () -> new Elemwise(op).makeNode(in));
                    assertTrue(t.getMessage().contains(name), t.getMessage());
                }));
                tests.add(DynamicTest.dynamicTest(e.op + ": call-time shapes (3,) and (4,)", () -> {
                    List<Variable> in = new ArrayList<>();
                    NDArray[] vals = new NDArray[op.nin()];
                    for (int i = 0; i < op.nin(); i++) {
                        in.add(OpTesting.var(d, 1, "x" + i));
                        vals[i] = NDArray.zeros(d, i == 0 ? 3 : 4);
                    }
                    TslException t = assertThrows(TslException.class, () -> OpTesting.run(in, T.elemwise(op, in.toArray()), vals));
                    String first = t.getMessage().lines().findFirst().orElse("");
                    assertEquals("ValueError", t.pythonType());
                    assertTrue(first.contains(name) && first.contains("(3,)") && first.contains("(4,)"), t.getMessage());
                }));
            } else {
                tests.add(DynamicTest.dynamicTest(e.op + ": a length-3 value for a broadcastable input", () -> {
                    // given to the op itself: a compiled function already rejects it at its inputs (a TypeError, as Theano)
                    tsl.graph.Apply node = new Elemwise(op).makeNode(List.of(OpTesting.var(d, new int[] {1}, "x")));
                    TslException t = assertThrows(TslException.class, () -> node.op().perform(node, new NDArray[] {NDArray.zeros(d, 3)}));
                    assertEquals("ValueError", t.pythonType());
                    assertTrue(t.getMessage().contains(name) && t.getMessage().contains("(3,)"), t.getMessage());
                }));
            }
            if (e.ref == null) {
                tests.add(DynamicTest.dynamicTest(e.op + ": float inputs", () -> {
                    List<Variable> in = new ArrayList<>();
                    for (int i = 0; i < op.nin(); i++) {
                        in.add(OpTesting.var(i == 0 ? DType.FLOAT32 : DType.INT64, 1, "x" + i));
                    }
                    TslException t = assertThrows(TslException.class, () -> T.elemwise(op, in.toArray()));
                    assertEquals("TypeError", t.pythonType());
                    assertTrue(t.getMessage().contains(name) && t.getMessage().contains("float32"), t.getMessage());
                }));
            }
        }
        return tests.stream();
    }
}
