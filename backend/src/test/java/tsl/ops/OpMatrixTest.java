package tsl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The per-op matrix for every Op class but Elemwise (which {@link ElemwiseMatrixTest} covers
 * op by op): each has value cases, run in float32 and in float64, against NumPy's results
 * written in the table (op_matrix_values.py beside this file prints them; the inputs are exact
 * in binary32), and error cases whose {@link TslException} must name the op. The graph of a value case
 * must contain the op it is filed under; it runs as built (no rewrites) and again after
 * FAST_RUN's rewrites. {@link #everyOpClassHasValueAndErrorCases} fails when an Op class
 * appears without both.
 */
class OpMatrixTest {
    /** Op classes covered elsewhere, and where. */
    private static final Map<String, String> ELSEWHERE = Map.of(
            "Elemwise", "ElemwiseMatrixTest: every registered scalar op",
            // only fusion makes one (several results per loop): values for float32, float64, ints and
            // broadcast inputs against the unfused graph, and a shape error naming the loop
            "FusedElemwise", "FusionTest and FusedElemwiseEmitterTest",
            // only local_gemv_forward_backward makes one: values against the unfused graph and call-time
            // shape errors in GemvForwardBackwardFusionTest and GemvForwardBackwardEmitterTest
            "GemvForwardBackward", "GemvForwardBackwardFusionTest and GemvForwardBackwardEmitterTest");

    // Inputs: NumPy's A, B, V3, V2, T3, T3b, IMG, FIL of the value script.
    static final double[] A = {1.5, -2, 0.25, 3, 0.5, -1};
    static final double[] B = {1, -0.5, 2, 0.25, -1.5, 3};
    static final double[] V3 = {0.5, -1, 2};
    static final double[] V2 = {2, -0.5};
    static final double[] T3 = range(12, 0.25, -1);
    static final double[] T3B = range(12, 0.125, -0.5);
    static final double[] IMG = {-1.0, -0.375, 0.25, 0.875, -0.5, 0.125, 0.75, -0.625, 0.0, 0.625, -0.75, -0.125, 0.5, -0.875,
        -0.25, 0.375};
    static final double[] FIL = {1, -0.5, 0.25, 2};

    private static double[] range(int n, double scale, double offset) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * scale + offset;
        }
        return v;
    }

    /** An input of the case: its shape and values (in the dtype under test). */
    record Input(int[] shape, double[] values) {}

    static Input in(double[] values, int... shape) {
        return new Input(shape, values);
    }

    /** A value case; {@code outDtype} null means the dtype under test. */
    record ValueCase(String key, String label, Function<Variable[], Variable> fn, List<Input> inputs, DType outDtype,
                     int[] shape, double[] expected) {}

    /** {@code atCall}: raised while a compiled function runs, where the message ends with the Apply node (Theano's format). */
    record ErrorCase(String key, String label, Function<DType, Executable> action, String pythonType, String names, boolean atCall) {}

    static final Map<String, List<ValueCase>> VALUES = new LinkedHashMap<>();
    static final Map<String, List<ErrorCase>> ERRORS = new LinkedHashMap<>();

    private static void value(String key, String label, Function<Variable[], Variable> fn, List<Input> inputs, DType outDtype,
                              int[] shape, double... expected) {
        VALUES.computeIfAbsent(key, k -> new ArrayList<>()).add(new ValueCase(key, label, fn, inputs, outDtype, shape, expected));
    }

    private static void value(String key, String label, Function<Variable[], Variable> fn, List<Input> inputs, int[] shape,
                              double... expected) {
        value(key, label, fn, inputs, null, shape, expected);
    }

    /** {@code names}: what the message must contain (case-insensitive) to name the op. */
    private static void error(String key, String label, String pythonType, String names, Function<DType, Executable> action) {
        ERRORS.computeIfAbsent(key, k -> new ArrayList<>()).add(new ErrorCase(key, label, action, pythonType, names, false));
    }

    /** An error at call time: NumPy's message, then the Apply node, which names the op. */
    private static void errorAtCall(String key, String label, String pythonType, String names, Function<DType, Executable> action) {
        ERRORS.computeIfAbsent(key, k -> new ArrayList<>()).add(new ErrorCase(key, label, action, pythonType, names, true));
    }

    private static int[] s(int... shape) {
        return shape;
    }

    private static Variable sym(DType d, int... shape) {
        return OpTesting.var(d, shape, "x");
    }

    private static Variable unknown(DType d, int ndim) {
        return OpTesting.var(d, ndim, "x");
    }

    private static NDArray val(DType d, double[] values, int... shape) {
        return NDArray.fromDoubles(d, shape, values);
    }

    /** Runs {@code out} of {@code inputs} on the given values (jvm linker, no rewrites). */
    private static NDArray eval(List<Variable> inputs, Variable out, NDArray... values) {
        return compile(inputs, out, "None").call((Object[]) values)[0];
    }

    private static tsl.compile.Function compile(List<Variable> inputs, Variable out, String optimizer) {
        List<In> ins = new ArrayList<>();
        for (Variable v : inputs) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(List.of(out), false).onUnusedInput("ignore")
                .mode(new Mode("jvm", optimizer)).build();
    }

    private static tsl.ops.control.ScanBuilder.Result cumsumScan(Variable seq, Variable init) {
        return tsl.ops.control.ScanBuilder.scan(p -> new tsl.ops.control.ScanBuilder.Step(List.of(T.add(p.get(0), p.get(1))),
                Map.of(), null), List.of(new tsl.ops.control.ScanBuilder.Sequence(seq)),
                List.of(tsl.ops.control.ScanBuilder.OutputInfo.of(init)), List.of(), null, -1, false, "cumsum");
    }

    private static Variable firstGrad(Variable expr, Variable wrt) {
        return tsl.grad.Gradient.grad(T.sum(expr), List.of(wrt), Set.of(), "raise").get(0);
    }

    private static Variable pool(Variable x, String mode) {
        return tsl.ops.nnet.Conv.pool2d(x, new int[] {2, 2}, true, null, new int[] {0, 0}, mode);
    }

    static {
        List<Input> a = List.of(in(A, 2, 3));
        // ---------------------------------------------------------------- reductions
        value("Reduce", "sum, axis None", x -> T.sum(x[0]), a, s(), 2.25);
        value("Reduce", "sum, axis 1, keepdims", x -> T.sum(x[0], new int[] {1}, true), a, s(2, 1), -0.25, 2.5);
        value("Reduce", "sum, axes (0, 2)", x -> T.sum(x[0], new int[] {0, 2}, false), List.of(in(T3, 2, 2, 3)), s(2), 0.0, 4.5);
        value("Reduce", "prod, axis 0", x -> T.prod(x[0], 0), a, s(3), 4.5, -1.0, -0.25);
        value("Reduce", "max, axis 1", x -> T.max(x[0], 1), a, s(2), 1.5, 3.0);
        value("Reduce", "min, axis None", x -> T.min(x[0]), a, s(), -2.0);
        value("Reduce", "mean, axis (0,)", x -> T.mean(x[0], new int[] {0}, false), a, s(3), 2.25, -0.75, -0.375);
        value("Reduce", "var, axis 1", x -> T.var(x[0], new int[] {1}, false), a, s(2), 2.097222222222222, 2.722222222222222);
        value("Reduce", "std, axis None", x -> T.std(x[0]), a, s(), 1.6185770499629193);
        value("Reduce", "logsumexp, axis 1", x -> T.logsumexp(x[0], new int[] {1}, false), a, s(2), 1.7751302622476353,
                3.0956743294143823);
        value("Reduce", "all, axis 0", x -> T.all(x[0], 0), a, DType.BOOL, s(3), 1, 1, 1);
        value("Reduce", "any, axis None, keepdims", x -> T.any(T.gt(x[0], 2), null, true), a, DType.BOOL, s(1, 1), 1);
        error("Reduce", "axis out of range", "ValueError", "sum", d -> () -> T.sum(sym(d, 2, 3), 2));
        error("Reduce", "repeated axis", "ValueError", "max", d -> () -> T.max(sym(d, 2, 3), new int[] {1, -1}, false));
        value("ReducedCount", "mean's divisor, axes (0, 2)", x -> T.reducedCount(x[0], new int[] {0, 2}), List.of(in(T3, 2, 2, 3)),
                DType.INT64, s(), 6);
        error("ReducedCount", "axis out of range", "ValueError", "axis", d -> () -> T.reducedCount(sym(d, 2, 3), new int[] {2}));
        value("Argmax", "argmax, axis 1", x -> T.argmax(x[0], 1), a, DType.INT64, s(2), 0, 0);
        value("Argmax", "argmin, axis None", x -> T.argmin(x[0]), a, DType.INT64, s(), 1);
        value("Argmax", "argmax, axis 0, keepdims", x -> T.argmax(x[0], new int[] {0}, true), a, DType.INT64, s(1, 3), 1, 1, 0);
        error("Argmax", "axis out of range", "ValueError", "argmax", d -> () -> T.argmax(sym(d, 2, 3), 5));

        // ---------------------------------------------------------------- products
        List<Input> ab = List.of(in(A, 2, 3), in(B, 3, 2));
        value("Dot", "matrix . matrix", x -> T.dot(x[0], x[1]), ab, s(2, 2), -2.875, -0.5, 5.5, -4.375);
        value("Dot", "matrix . vector", x -> T.dot(x[0], x[1]), List.of(in(A, 2, 3), in(V3, 3)), s(2), 3.25, -1.0);
        value("Dot", "vector . matrix", x -> T.dot(x[0], x[1]), List.of(in(V3, 3), in(B, 3, 2)), s(2), -4.5, 5.5);
        value("Dot", "vector . vector", x -> T.dot(x[0], x[1]), List.of(in(V3, 3), in(V3, 3)), s(), 5.25);
        value("Dot", "outer", x -> T.outer(x[0], x[1]), List.of(in(V3, 3), in(V2, 2)), s(3, 2), 1.0, -0.25, -2.0, 0.5, 4.0, -1.0);
        value("Dot", "tensordot, 1 axis", x -> T.tensordot(x[0], x[1], 1), List.of(in(T3, 2, 2, 3), in(B, 3, 2)), s(2, 2, 2),
                -1.75, -1.1875, -0.625, 0.875, 0.5, 2.9375, 1.625, 5.0);
        error("Dot", "3-d operand", "TypeError", "dot", d -> () -> T.dot(sym(d, 2, 2, 3), sym(d, 3, 2)));
        error("Dot", "static shapes not aligned", "ValueError", "dot", d -> () -> T.dot(sym(d, 2, 3), sym(d, 2, 3)));
        errorAtCall("Dot", "call-time shapes not aligned", "ValueError", "dot", d -> () -> {
            Variable x = unknown(d, 2);
            Variable y = unknown(d, 2);
            eval(List.of(x, y), T.dot(x, y), val(d, A, 2, 3), val(d, A, 2, 3));
        });
        value("BatchedDot", "batched_dot", x -> T.batchedDot(x[0], x[1]), List.of(in(T3, 2, 2, 3), in(T3B, 2, 3, 2)), s(2, 2, 2),
                0.6875, 0.40625, 0.125, 0.125, 1.25, 1.53125, 2.375, 2.9375);
        value("BatchedDot", "matmul of 3-d tensors", x -> T.matmul(x[0], x[1]), List.of(in(T3, 2, 2, 3), in(T3B, 2, 3, 2)),
                s(2, 2, 2), 0.6875, 0.40625, 0.125, 0.125, 1.25, 1.53125, 2.375, 2.9375);
        error("BatchedDot", "2-d operands", "TypeError", "BatchedDot",
                d -> () -> new tsl.ops.blas.BatchedDot().makeNode(List.of(sym(d, 2, 3), sym(d, 3, 2))));
        errorAtCall("BatchedDot", "call-time batch sizes differ", "ValueError", "BatchedDot", d -> () -> {
            Variable x = unknown(d, 3);
            Variable y = unknown(d, 3);
            eval(List.of(x, y), T.batchedDot(x, y), val(d, T3, 2, 2, 3), val(d, T3B, 1, 3, 4));
        });
        value("Gemm", "0.5 z + 2 a.b", x -> new tsl.ops.blas.Gemm().makeNode(List.of(T.onesLike(T.dot(x[0], x[1])),
                T.constant(2.0, x[0].dtype()), x[0], x[1], T.constant(0.5, x[0].dtype()))).output(), ab, s(2, 2),
                -5.25, -0.5, 11.5, -8.25);
        error("Gemm", "mixed dtypes", "TypeError", "Gemm", d -> () -> new tsl.ops.blas.Gemm().makeNode(List.of(sym(d, 2, 2),
                T.constant(1.0, d), sym(d, 2, 3), sym(DType.INT32, 3, 2), T.constant(1.0, d))));
        value("Gemv", "-z + 0.5 a.x", x -> new tsl.ops.blas.Gemv().makeNode(List.of(x[2], T.constant(0.5, x[0].dtype()), x[0], x[1],
                T.constant(-1.0, x[0].dtype()))).output(), List.of(in(A, 2, 3), in(V3, 3), in(V2, 2)), s(2), -0.375, 0.0);
        errorAtCall("Gemv", "call-time shapes not aligned", "ValueError", "Gemv", d -> () -> {
            Variable z = unknown(d, 1);
            Variable m = unknown(d, 2);
            Variable v = unknown(d, 1);
            Variable g = new tsl.ops.blas.Gemv().makeNode(List.of(z, T.constant(1.0, d), m, v, T.constant(1.0, d))).output();
            eval(List.of(z, m, v), g, val(d, V2, 2), val(d, A, 2, 3), val(d, V2, 2));
        });

        // ---------------------------------------------------------------- shape ops
        value("Reshape", "reshape (3, -1)", x -> T.reshape(x[0], 3, -1), a, s(3, 2), A);
        value("Reshape", "flatten(2)", x -> T.flatten(x[0], 2), List.of(in(T3, 2, 2, 3)), s(2, 6), T3);
        errorAtCall("Reshape", "call-time size mismatch", "ValueError", "reshape", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), T.reshape(x, 4, -1), val(d, A, 2, 3));
        });
        errorAtCall("Reshape", "two -1", "ValueError", "reshape", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), T.reshape(x, -1, -1), val(d, A, 2, 3));
        });
        value("DimShuffle", "dimshuffle(1, 'x', 0)", x -> T.dimshuffle(x[0], 1, tsl.ops.shape.DimShuffle.NEW_AXIS, 0), a, s(3, 1, 2),
                1.5, 3.0, -2.0, 0.5, 0.25, -1.0);
        value("DimShuffle", "transpose", x -> T.transpose(x[0]), a, s(3, 2), 1.5, 3.0, -2.0, 0.5, 0.25, -1.0);
        error("DimShuffle", "dropping a dimension that is not broadcastable", "ValueError", "DimShuffle",
                d -> () -> T.dimshuffle(sym(d, 2, 3), 1));
        value("Join", "concatenate, axis 1", x -> T.concatenate(List.of(x[0], T.transpose(x[1])), 1), ab, s(2, 6),
                1.5, -2.0, 0.25, 1.0, 2.0, -1.5, 3.0, 0.5, -1.0, -0.5, 0.25, 3.0);
        value("Join", "stack", x -> T.stack(List.of(x[0], T.mul(x[0], 2))), List.of(in(V3, 3)), s(2, 3), 0.5, -1.0, 2.0, 1.0, -2.0, 4.0);
        error("Join", "ranks differ", "ValueError", "Join", d -> () -> T.concatenate(List.of(sym(d, 2, 3), sym(d, 3)), 0));
        errorAtCall("Join", "call-time shapes differ", "ValueError", "Join", d -> () -> {
            Variable x = unknown(d, 2);
            Variable y = unknown(d, 2);
            eval(List.of(x, y), T.concatenate(List.of(x, y), 0), val(d, A, 2, 3), val(d, B, 3, 2));
        });
        value("Repeat", "repeat [1, 2, 0]", x -> T.repeat(x[0], T.constant(OpTesting.ivec(1, 2, 0)), 0), List.of(in(V3, 3)), s(3),
                0.5, -1.0, -1.0);
        value("Repeat", "repeat 2, axis 0", x -> T.repeat(x[0], 2, 0), a, s(4, 3), 1.5, -2.0, 0.25, 1.5, -2.0, 0.25, 3.0, 0.5, -1.0,
                3.0, 0.5, -1.0);
        value("Alloc", "tile", x -> T.tile(x[0], 2), List.of(in(V3, 3)), s(6), 0.5, -1.0, 2.0, 0.5, -1.0, 2.0);
        errorAtCall("Repeat", "call-time repeats of the wrong length", "ValueError", "Repeat", d -> () -> {
            Variable x = unknown(d, 1);
            eval(List.of(x), T.repeat(x, T.constant(OpTesting.ivec(1, 2)), 0), val(d, V3, 3));
        });
        value("Alloc", "alloc(v, 2, 3)", x -> T.alloc(x[0], 2L, 3L), List.of(in(V3, 3)), s(2, 3), 0.5, -1.0, 2.0, 0.5, -1.0, 2.0);
        value("Alloc", "alloc(0-d, 2, 3)", x -> T.alloc(x[0], 2L, 3L), List.of(in(new double[] {-0.75})), s(2, 3),
                -0.75, -0.75, -0.75, -0.75, -0.75, -0.75);
        errorAtCall("Alloc", "value does not broadcast to the shape", "ValueError", "alloc", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), T.alloc(x, 3L, 3L), val(d, A, 2, 3));
        });
        value("ARange", "arange(0.5, 3, 0.75)", x -> T.add(T.arange(0.5, 3, 0.75, x[0].dtype()), T.mul(x[0], 0)), List.of(in(new double[] {0}, 1)),
                s(4), 0.5, 1.25, 2.0, 2.75);
        error("ARange", "more elements than an array can hold", "MemoryError", "arange", d -> () -> T.arange(0, 1e12, 1, d));
        errorAtCall("ARange", "step 0", "ValueError", "arange", d -> () -> eval(List.of(), T.arange(0, 1, 0, d)));
        value("Eye", "eye(3, 4, k=1)", x -> T.add(T.eye(3L, 4L, 1L, x[0].dtype()), T.mul(x[0], 0)), List.of(in(new double[] {0}, 1, 1)), s(3, 4),
                0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        errorAtCall("Eye", "negative size", "ValueError", "Eye", d -> () -> eval(List.of(), T.eye(-1L, d)));
        value("Shape", "shape", x -> T.shape(x[0]), a, DType.INT64, s(2), 2, 3);
        error("Shape", "index past the rank", "IndexError", "shape", d -> () -> T.shapeI(sym(d, 2, 3), 2));
        value("Sort", "sort, axis 1", x -> T.sort(x[0], 1), a, s(2, 3), -2.0, 0.25, 1.5, -1.0, 0.5, 3.0);
        value("Sort", "sort, axis None", x -> T.sort(x[0], null), a, s(6), -2.0, -1.0, 0.25, 0.5, 1.5, 3.0);
        value("Sort", "argsort", x -> T.argsort(x[0], 1), a, DType.INT64, s(2, 3), 1, 2, 0, 2, 1, 0);
        error("Sort", "axis out of range", "ValueError", "sort", d -> () -> T.sort(sym(d, 2, 3), 2));
        value("CumOp", "cumsum, axis 1", x -> T.cumsum(x[0], 1), a, s(2, 3), 1.5, -0.5, -0.25, 3.0, 3.5, 2.5);
        value("CumOp", "cumprod, axis None", x -> T.cumprod(x[0]), a, s(6), 1.5, -3.0, -0.75, -2.25, -1.125, 1.125);
        error("CumOp", "axis out of range", "ValueError", "cumsum", d -> () -> T.cumsum(sym(d, 2, 3), 3));
        error("CumOp", "negative axis out of range", "ValueError", "cumprod: axis -3 ", d -> () -> T.cumprod(sym(d, 2, 3), -3));

        // ---------------------------------------------------------------- indexing
        value("Subtensor", "x[1:, ::-1]", x -> T.subtensor(x[0], T.slice(1, null), T.slice(null, null, -1)), a, s(1, 3), -1.0, 0.5, 3.0);
        value("Subtensor", "x[-1, -2]", x -> T.subtensor(x[0], -1, -2), a, s(), 0.5);
        value("Subtensor", "diff", x -> T.diff(x[0]), a, s(2, 2), -3.5, 2.25, -2.5, -1.5);
        errorAtCall("Subtensor", "call-time index out of bounds", "IndexError", "Subtensor", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), T.subtensor(x, 5), val(d, A, 2, 3));
        });
        error("Subtensor", "too many indices", "IndexError", "too many indices", d -> () -> T.subtensor(sym(d, 2, 3), 0, 0, 0));
        value("AdvancedSubtensor", "x[[1, 0, 1]]", x -> T.subtensor(x[0], (Object) new int[] {1, 0, 1}), a, s(3, 3),
                3.0, 0.5, -1.0, 1.5, -2.0, 0.25, 3.0, 0.5, -1.0);
        value("AdvancedSubtensor", "x[x > 0.3]", x -> T.subtensor(x[0], T.gt(x[0], 0.3)), a, s(3), 1.5, 3.0, 0.5);
        errorAtCall("AdvancedSubtensor", "call-time index out of bounds", "IndexError", "AdvancedSubtensor", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), T.subtensor(x, (Object) new int[] {0, 7}), val(d, A, 2, 3));
        });
        value("IncSubtensor", "set_subtensor(x[0, 1:], [9, 8])", x -> T.setSubtensor(T.subtensor(x[0], 0, T.slice(1, null)),
                T.constant(NDArray.fromDoubles(x[0].dtype(), new int[] {2}, new double[] {9, 8}))), a, s(2, 3), 1.5, 9.0, 8.0, 3.0, 0.5, -1.0);
        value("IncSubtensor", "inc_subtensor(x[:, 0], 1)", x -> T.incSubtensor(T.subtensor(x[0], T.slice(null, null), 0),
                T.constant(1.0, x[0].dtype())), a, s(2, 3), 2.5, -2.0, 0.25, 4.0, 0.5, -1.0);
        errorAtCall("IncSubtensor", "call-time value of the wrong shape", "ValueError", "SetSubtensor", d -> () -> {
            Variable x = unknown(d, 2);
            Variable y = unknown(d, 1);
            eval(List.of(x, y), T.setSubtensor(T.subtensor(x, 0), y), val(d, A, 2, 3), val(d, V2, 2));
        });
        value("AdvancedIncSubtensor", "inc_subtensor(v[[0, 2, 0]], [1, 2, 3])", x -> T.incSubtensor(T.subtensor(x[0],
                (Object) new int[] {0, 2, 0}), x[1]), List.of(in(V3, 3), in(new double[] {1, 2, 3}, 3)), s(3), 4.5, -1.0, 4.0);
        value("AdvancedIncSubtensor", "set_subtensor(v[[2, 0]], [7, 6])", x -> T.setSubtensor(T.subtensor(x[0],
                (Object) new int[] {2, 0}), x[1]), List.of(in(V3, 3), in(new double[] {7, 6}, 2)), s(3), 6.0, -1.0, 7.0);
        errorAtCall("AdvancedIncSubtensor", "call-time index out of bounds", "IndexError", "AdvancedIncSubtensor", d -> () -> {
            Variable x = unknown(d, 1);
            Variable y = unknown(d, 1);
            eval(List.of(x, y), T.incSubtensor(T.subtensor(x, (Object) new int[] {0, 5}), y), val(d, V3, 3), val(d, V2, 2));
        });
        value("Nonzero", "nonzero(x - 0.5)[1]", x -> T.nonzero(T.sub(x[0], 0.5)).get(1), a, DType.INT64, s(5), 0, 1, 2, 0, 2);
        error("Nonzero", "0-d input", "ValueError", "nonzero", d -> () -> T.nonzero(sym(d)));

        // ---------------------------------------------------------------- nnet
        value("Softmax", "softmax", x -> T.softmax(x[0]), a, s(2, 3), 0.7594731860969822, 0.022934102999540424, 0.21759271090347723,
                0.9087599242585133, 0.07459555713221444, 0.016644518609272352);
        value("Softmax", "log_softmax", x -> T.logSoftmax(x[0]), a, s(2, 3), -0.2751302622476354, -3.7751302622476355,
                -1.5251302622476355, -0.09567432941438228, -2.5956743294143823, -4.095674329414383);
        error("Softmax", "0-d input", "TypeError", "softmax", d -> () -> T.softmax(sym(d)));
        List<Input> conv = List.of(in(IMG, 1, 1, 4, 4), in(FIL, 1, 1, 2, 2));
        value("Conv2d", "conv2d, valid", x -> tsl.ops.nnet.Conv.conv2d(x[0], x[1]), conv, s(1, 1, 3, 3), -1.71875, 0.0, -0.28125,
                -0.34375, -0.625, 1.59375, -0.96875, 1.25, -1.03125);
        error("Conv2d", "channels differ", "ValueError", "conv2d",
                d -> () -> tsl.ops.nnet.Conv.conv2d(sym(d, 1, 1, 4, 4), sym(d, 1, 2, 2, 2)));
        error("Conv2d", "3-d input", "TypeError", "conv2d", d -> () -> tsl.ops.nnet.Conv.conv2d(sym(d, 1, 4, 4), sym(d, 1, 1, 2, 2)));
        value("Conv2dGradInputs", "d sum(conv2d^2) / d input", x -> firstGrad(T.sqr(tsl.ops.nnet.Conv.conv2d(x[0], x[1])), x[0]), conv,
                s(1, 1, 4, 4), -6.875, -0.859375, -1.125, -0.140625, 0.34375, -6.109375, 6.34375, 0.234375, -3.53125, 4.453125,
                -6.34375, 2.671875, 0.96875, -3.1875, 3.53125, -2.0625);
        error("Conv2dGradInputs", "filters and gradient of different dtypes", "TypeError", "conv2d_grad_inputs",
                d -> () -> new tsl.ops.nnet.Conv2dGradInputs(tsl.ops.nnet.ConvParams.defaults()).makeNode(List.of(sym(d, 1, 1, 2, 2),
                        sym(DType.INT32, 1, 1, 3, 3), T.constant(OpTesting.ivec(4, 4)))));
        value("Conv2dGradWeights", "d sum(conv2d^2) / d filters", x -> firstGrad(T.sqr(tsl.ops.nnet.Conv.conv2d(x[0], x[1])), x[1]),
                conv, s(1, 1, 2, 2), 0.328125, -4.515625, -5.046875, 8.984375);
        error("Conv2dGradWeights", "3-d input", "TypeError", "conv2d_grad_weights",
                d -> () -> new tsl.ops.nnet.Conv2dGradWeights(tsl.ops.nnet.ConvParams.defaults()).makeNode(List.of(sym(d, 1, 4, 4),
                        sym(d, 1, 1, 3, 3), T.constant(OpTesting.ivec(2, 2)))));
        List<Input> img = List.of(in(IMG, 1, 1, 4, 4));
        value("Pool", "max pool 2x2", x -> pool(x[0], "max"), img, s(1, 1, 2, 2), 0.125, 0.875, 0.625, 0.375);
        value("Pool", "average pool 2x2", x -> pool(x[0], "average_inc_pad"), img, s(1, 1, 2, 2), -0.4375, 0.3125, 0.0625, -0.1875);
        // Theano's error class and message
        error("Pool", "1-d input", "NotImplementedError", "pool_2d", d -> () -> pool(sym(d, 4), "max"));
        value("PoolGrad", "d sum(avg pool^2) / d input", x -> firstGrad(T.sqr(pool(x[0], "average_inc_pad")), x[0]), img,
                s(1, 1, 4, 4), -0.21875, -0.21875, 0.15625, 0.15625, -0.21875, -0.21875, 0.15625, 0.15625, 0.03125, 0.03125,
                -0.09375, -0.09375, 0.03125, 0.03125, -0.09375, -0.09375);
        error("PoolGrad", "gradient of another dtype", "TypeError", "pool_2d_grad",
                d -> () -> new tsl.ops.nnet.PoolGrad(new tsl.ops.nnet.PoolParams(2, 2, 2, 2, 0, 0, true,
                        tsl.ops.nnet.PoolParams.Mode.of("max"))).makeNode(List.of(sym(d, 1, 1, 4, 4), sym(DType.INT32, 1, 1, 2, 2))));
        // the max pool gradient is linear in its output gradient g; its own gradient with respect to g
        // picks w at each window's argmax (flat positions 5, 3, 9, 15 of IMG)
        value("MaxPoolGradGrad", "d sum(d sum(max pool * g) / dx * w) / d g", x -> firstGrad(T.mul(firstGrad(T.mul(pool(x[0], "max"),
                x[1]), x[0]), x[2]), x[1]), List.of(in(IMG, 1, 1, 4, 4), in(FIL, 1, 1, 2, 2), in(range(16, 1, 0), 1, 1, 4, 4)),
                s(1, 1, 2, 2), 5, 3, 9, 15);
        error("MaxPoolGradGrad", "ranks differ", "TypeError", "max_pool_2d_grad_grad",
                d -> () -> new tsl.ops.nnet.MaxPoolGradGrad(new tsl.ops.nnet.PoolParams(2, 2, 2, 2, 0, 0, true,
                        tsl.ops.nnet.PoolParams.Mode.of("max"))).makeNode(List.of(sym(d, 1, 1, 4, 4), sym(d, 1, 4, 4))));
        value("SpecifyShape", "specify_shape (2, 3)", x -> new tsl.ops.nnet.SpecifyShape(new int[] {2, 3}, "x").makeNode(
                List.of(x[0])).output(), a, s(2, 3), A);
        errorAtCall("SpecifyShape", "call-time shape differs", "ValueError", "SpecifyShape", d -> () -> {
            Variable x = unknown(d, 2);
            eval(List.of(x), new tsl.ops.nnet.SpecifyShape(new int[] {3, 2}, "x").makeNode(List.of(x)).output(), val(d, A, 2, 3));
        });

        // ---------------------------------------------------------------- control flow and random streams
        value("IfElse", "then taken", x -> tsl.ops.control.IfElse.build(T.gt(T.sum(x[0]), T.constant(0.0)), List.of(T.mul(x[0], 2)),
                List.of(T.sub(x[0], 1)), null).get(0), a, s(2, 3), 3.0, -4.0, 0.5, 6.0, 1.0, -2.0);
        value("IfElse", "else taken", x -> tsl.ops.control.IfElse.build(T.lt(T.sum(x[0]), T.constant(0.0)), List.of(T.mul(x[0], 2)),
                List.of(T.sub(x[0], 1)), null).get(0), a, s(2, 3), 0.5, -3.0, -0.75, 2.0, -0.5, -2.0);
        // Theano's own message, which the golden tests print: "The two branches should have identical types..."
        error("IfElse", "branches of different ranks", "TypeError", "two branches", d -> () -> tsl.ops.control.IfElse.build(
                T.gt(T.sum(sym(d, 2)), T.constant(0.0)), List.of(sym(d, 2)), List.of(sym(d, 2, 2)), null));
        value("Scan", "cumulative sum over rows", x -> cumsumScan(x[0], T.zerosLike(T.subtensor(x[0], 0))).outputs().get(0), a,
                s(2, 3), 1.5, -2.0, 0.25, 4.5, -1.5, -0.75);
        error("Scan", "step output of another rank than its initial value", "ValueError", "scan",
                d -> () -> cumsumScan(sym(d, 2, 3), sym(d)));
        // ---------------------------------------------------------------- negative axes, keepdims, tuples, reversed slices
        List<Input> t3 = List.of(in(T3, 2, 2, 3));
        value("Argmax", "argmax, axis None, keepdims", x -> T.argmax(x[0], null, true), a, DType.INT64, s(1, 1), 3);
        value("Reduce", "sum, axes (0, 2), keepdims", x -> T.sum(x[0], new int[] {0, 2}, true), t3, s(1, 2, 1), 0.0, 4.5);
        value("Reduce", "prod, axis None", x -> T.prod(x[0]), a, s(), 1.125);
        value("Reduce", "mean, axis (-1,), keepdims", x -> T.mean(x[0], new int[] {-1}, true), a, s(2, 1), -0.08333333333333333,
                0.8333333333333334);
        value("Reduce", "max, axes (0, 1)", x -> T.max(x[0], new int[] {0, 1}, false), t3, s(3), 1.25, 1.5, 1.75);
        value("Reduce", "var, axis 1, ddof 1", x -> T.var(x[0], new int[] {1}, false, 1), a, s(2), 3.145833333333333, 4.083333333333333);
        value("CumOp", "cumsum, axis -1, 3-d", x -> T.cumsum(x[0], -1), t3, s(2, 2, 3), -1.0, -1.75, -2.25, -0.25, -0.25, 0.0, 0.5,
                1.25, 2.25, 1.25, 2.75, 4.5);
        value("Sort", "sort, axis -1, 3-d", x -> T.sort(T.mul(x[0], T.constant(NDArray.fromDoubles(x[0].dtype(), new int[] {3},
                new double[] {1, -1, 1}))), -1), t3, s(2, 2, 3), -1.0, -0.5, 0.75, -0.25, -0.0, 0.25, -0.75, 0.5, 1.0, -1.5, 1.25, 1.75);
        value("Subtensor", "x[::-1, 2:0:-1]", x -> T.subtensor(x[0], T.slice(null, null, -1), T.slice(2, 0, -1)), a, s(2, 2),
                -1.0, 0.5, 0.25, -2.0);
        value("Subtensor", "x[:, -2:]", x -> T.subtensor(x[0], T.slice(null, null), T.slice(-2, null)), a, s(2, 2), -2.0, 0.25, 0.5, -1.0);
        value("Subtensor", "diff(x.T, n=2, axis=0)", x -> T.diff(T.transpose(x[0]), 2, 0), a, s(1, 2), 5.75, 1.0);
        value("Join", "concatenate, axis -1", x -> T.concatenate(List.of(x[0], x[0]), -1), a, s(2, 6), 1.5, -2.0, 0.25, 1.5, -2.0, 0.25,
                3.0, 0.5, -1.0, 3.0, 0.5, -1.0);
        value("Join", "stack, axis 1", x -> T.stack(List.of(x[0], T.mul(x[0], 2)), 1), List.of(in(V3, 3)), s(3, 2), 0.5, 1.0, -1.0,
                -2.0, 2.0, 4.0);
        value("Dot", "tensordot, axes ([0, 2], [0, 1])", x -> T.tensordot(x[0], x[1], new int[] {0, 2}, new int[] {0, 1}),
                List.of(in(T3, 2, 2, 3), in(A, 2, 3)), s(2), 0.75, 2.4375);
        value("Dot", "matmul, matrix @ vector", x -> T.matmul(x[0], x[1]), List.of(in(A, 2, 3), in(V3, 3)), s(2), 3.25, -1.0);
        value("AdvancedSubtensor", "take([2, 0], axis=1)", x -> T.take(x[0], T.constant(OpTesting.ivec(2, 0)), 1), a, s(2, 2),
                0.25, 1.5, -1.0, 3.0);
        value("AdvancedSubtensor", "x[[1, 0], [2, 1]]", x -> T.subtensor(x[0], new int[] {1, 0}, new int[] {2, 1}), a, s(2), -1.0, -2.0);

        error("RandomVariable", "low of another rank than the size", "ValueError", "uniform",
                d -> () -> new tsl.ops.random.RandomStreams(1).uniform(new Object[] {2L}, sym(d, 3, 3), 1.0, d));
    }

    // ---------------------------------------------------------------- runners

    @TestFactory
    Stream<DynamicTest> valuesMatchNumpy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<ValueCase> cases : VALUES.values()) {
            for (ValueCase c : cases) {
                for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    tests.add(DynamicTest.dynamicTest(c.key() + ": " + c.label() + " " + d, () -> checkValue(c, d)));
                }
            }
        }
        return tests.stream();
    }

    private static void checkValue(ValueCase c, DType d) {
        Variable[] syms = new Variable[c.inputs().size()];
        NDArray[] vals = new NDArray[syms.length];
        for (int i = 0; i < syms.length; i++) {
            syms[i] = unknown(d, c.inputs().get(i).shape().length);
            vals[i] = val(d, c.inputs().get(i).values(), c.inputs().get(i).shape());
        }
        Variable out = c.fn().apply(syms);
        assertTrue(opsOf(out).contains(c.key()), "the graph of '" + c.label() + "' has no " + c.key() + ": " + opsOf(out));
        DType dtype = c.outDtype() == null ? d : c.outDtype();
        for (String optimizer : new String[] {"None", "fast_run"}) {
            NDArray got = compile(List.of(syms), out, optimizer).call((Object[]) vals)[0];
            String what = c.key() + " " + c.label() + " " + d + " (" + optimizer + ")";
            assertEquals(dtype, got.dtype(), what + ": dtype");
            assertArrayEquals(c.shape(), got.shape(), what + ": shape " + Arrays.toString(got.shape()));
            double rtol = d == DType.FLOAT32 ? 1e-6 : 1e-13;
            for (int k = 0; k < c.expected().length; k++) {
                double e = c.expected()[k];
                double g = got.getDouble(k);
                if (!(Math.abs(g - e) <= rtol * Math.max(1, Math.abs(e)))) {
                    fail(what + ": element " + k + " expected " + e + " got " + g + " (all " + Arrays.toString(got.toDoubleArray()) + ")");
                }
            }
        }
    }

    /** Simple names of the op classes in the graph of {@code out}, inner graphs not included. */
    private static Set<String> opsOf(Variable out) {
        Set<String> names = new TreeSet<>();
        Set<Variable> seen = new HashSet<>();
        Deque<Variable> todo = new ArrayDeque<>(List.of(out));
        while (!todo.isEmpty()) {
            Variable v = todo.pop();
            if (!seen.add(v) || v.owner() == null) {
                continue;
            }
            Apply a = v.owner();
            names.add(a.op().getClass().getSimpleName());
            todo.addAll(a.inputs());
        }
        return names;
    }

    @TestFactory
    Stream<DynamicTest> badInputsRaiseErrorsThatNameTheOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (List<ErrorCase> cases : ERRORS.values()) {
            for (ErrorCase c : cases) {
                for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    tests.add(DynamicTest.dynamicTest(c.key() + ": " + c.label() + " " + d, () -> {
                        TslException t = assertThrows(TslException.class, c.action().apply(d), c.label());
                        String first = c.atCall() ? t.getMessage() : t.getMessage().lines().findFirst().orElse("");
                        assertEquals(c.pythonType(), t.pythonType(), t.getMessage());
                        assertTrue(first.toLowerCase(Locale.ROOT).contains(c.names().toLowerCase(Locale.ROOT)),
                                "the message should name " + c.names() + ": " + t.getMessage());
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void randomStreamsDrawReproduciblyInBothDtypes() {
        for (DType d : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable u = new tsl.ops.random.RandomStreams(7).uniform(new Object[] {2L, 3L}, 0.5, 1.5, d);
            assertTrue(opsOf(u).contains("RandomVariable"), opsOf(u).toString());
            NDArray first = compile(List.of(), u, "None").call()[0];
            Variable again = new tsl.ops.random.RandomStreams(7).uniform(new Object[] {2L, 3L}, 0.5, 1.5, d);
            NDArray second = compile(List.of(), again, "fast_run").call()[0];
            assertEquals(d, first.dtype());
            assertArrayEquals(new int[] {2, 3}, first.shape());
            assertArrayEquals(first.toDoubleArray(), second.toDoubleArray(), 0, "same seed, same draw");
            for (double v : first.toDoubleArray()) {
                assertTrue(v >= 0.5 && v < 1.5, "uniform(0.5, 1.5) drew " + v);
            }
            assertTrue(Arrays.stream(first.toDoubleArray()).distinct().count() == 6, "six distinct draws");
            // size=None with a vector parameter: one draw per element, not one draw broadcast
            Variable lows = T.constant(NDArray.fromDoubles(d, new int[] {4}, new double[] {0, 10, 20, 30}));
            NDArray perElement = compile(List.of(), new tsl.ops.random.RandomStreams(7).uniform(new Object[0], lows,
                    T.add(lows, 1.0), d), "None").call()[0];
            assertArrayEquals(new int[] {4}, perElement.shape());
            double[] offsets = new double[4];
            for (int i = 0; i < 4; i++) {
                offsets[i] = perElement.getDouble(i) - 10 * i;
                assertTrue(offsets[i] >= 0 && offsets[i] < 1.0001, "element " + i + " = " + perElement.getDouble(i));
            }
            assertTrue(Arrays.stream(offsets).distinct().count() > 1, "independent draws per element: " + Arrays.toString(offsets));
        }
    }

    // ---------------------------------------------------------------- coverage

    @Test
    void everyOpClassHasValueAndErrorCases() throws IOException, URISyntaxException {
        Set<String> missing = new TreeSet<>();
        List<Class<?>> classes = OpTesting.opClasses();
        assertTrue(classes.size() > 25, "found only " + classes);
        for (Class<?> c : classes) {
            String key = c.getSimpleName();
            if (ELSEWHERE.containsKey(key)) {
                continue;
            }
            boolean values = VALUES.containsKey(key) || key.equals("RandomVariable");
            if (!values || !ERRORS.containsKey(key)) {
                missing.add(key + (values ? " (no error case)" : " (no value case)"));
            }
        }
        assertTrue(missing.isEmpty(), "op classes without float32/float64 value cases and an error case in OpMatrixTest: " + missing);
    }

}
