package tsl.grad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;

/**
 * One or more verify_grad cases per differentiable op: the function to check and, for each
 * input, its shape and the interval its random values are drawn from (chosen inside the op's
 * domain and away from its kinks). Keys are "scalar:NAME" for scalar ops and the simple class
 * name for other ops.
 */
final class OpGradCases {
    private OpGradCases() {}

    /** An input: shape, and values uniform in [lo, hi), negated with probability 1/2 when {@code signed}. */
    record In(int[] shape, double lo, double hi, boolean signed) {
        static In of(double lo, double hi, int... shape) { return new In(shape, lo, hi, false); }
        static In signed(double lo, double hi, int... shape) { return new In(shape, lo, hi, true); }
    }

    record Case(String key, String label, Function<Variable[], Variable> fn, List<In> inputs) {}

    static final Map<String, List<Case>> ALL = new LinkedHashMap<>();

    private static void add(String key, String label, Function<Variable[], Variable> fn, In... inputs) {
        ALL.computeIfAbsent(key, k -> new ArrayList<>()).add(new Case(key, label, fn, List.of(inputs)));
    }

    private static void unary(ScalarOp op, double lo, double hi) {
        add("scalar:" + op.name(), op.name(), a -> T.elemwise(op, a[0]), In.of(lo, hi, 2, 3));
    }

    private static void binary(ScalarOp op, double lo0, double hi0, double lo1, double hi1) {
        // the second input broadcasts along the first axis, so the gradient's summing back is checked too
        add("scalar:" + op.name(), op.name(), a -> T.elemwise(op, a[0], a[1]), In.of(lo0, hi0, 2, 3), In.of(lo1, hi1, 3));
    }

    /** d sum(expr) / d wrt: a graph that contains the op's gradient ops, to check their own gradients. */
    private static Variable firstGrad(Variable expr, Variable wrt) {
        return Gradient.grad(T.sum(expr), List.of(wrt), java.util.Set.of(), "raise").get(0);
    }

    static {
        binary(ScalarOps.ADD, -2, 2, -2, 2);
        binary(ScalarOps.SUB, -2, 2, -2, 2);
        binary(ScalarOps.MUL, -2, 2, -2, 2);
        binary(ScalarOps.TRUE_DIV, -2, 2, 0.5, 2);
        binary(ScalarOps.MOD, 2.2, 2.8, 1.9, 2.0); // x / y in (1.1, 1.5): away from the jumps
        binary(ScalarOps.POW, 0.5, 2, -2, 2);
        binary(ScalarOps.MAXIMUM, -2, 2, -2, 2);
        binary(ScalarOps.MINIMUM, -2, 2, -2, 2);
        for (ScalarOp op : new ScalarOp[] {ScalarOps.NEG, ScalarOps.EXP, ScalarOps.SQR, ScalarOps.TANH, ScalarOps.SIGMOID,
                ScalarOps.EXP2, ScalarOps.EXPM1, ScalarOps.SOFTPLUS, ScalarOps.SIN, ScalarOps.COS, ScalarOps.ARCTAN,
                ScalarOps.SINH, ScalarOps.COSH, ScalarOps.ARCSINH, ScalarOps.ERF, ScalarOps.ERFC, ScalarOps.IDENTITY}) {
            unary(op, -2, 2);
        }
        for (ScalarOp op : new ScalarOp[] {ScalarOps.LOG, ScalarOps.SQRT, ScalarOps.LOG2, ScalarOps.LOG10, ScalarOps.GAMMALN}) {
            unary(op, 0.5, 3);
        }
        unary(ScalarOps.LOG1P, -0.5, 2);
        unary(ScalarOps.TAN, -1.2, 1.2);
        unary(ScalarOps.ARCSIN, -0.8, 0.8);
        unary(ScalarOps.ARCCOS, -0.8, 0.8);
        unary(ScalarOps.ARCTANH, -0.8, 0.8);
        unary(ScalarOps.ARCCOSH, 1.5, 3);
        for (ScalarOp op : new ScalarOp[] {ScalarOps.FLOOR, ScalarOps.CEIL, ScalarOps.ROUND_HALF_TO_EVEN,
                ScalarOps.ROUND_HALF_AWAY_FROM_ZERO}) {
            unary(op, 0.2, 0.4); // piecewise constant: away from the steps the slope is 0
        }
        add("scalar:abs", "abs", a -> T.abs(a[0]), In.signed(0.2, 2, 2, 3));
        add("scalar:relu", "relu", a -> T.relu(a[0]), In.signed(0.2, 2, 2, 3));
        add("scalar:clip", "clip", a -> T.clip(a[0], a[1], a[2]), In.of(-2, 2, 2, 3), In.of(-1.5, -0.5, 3), In.of(0.5, 1.5, 3));
        add("scalar:switch", "switch", a -> T.switchOp(T.gt(a[0], T.constant(0)), a[1], a[2]),
                In.signed(0.2, 2, 2, 3), In.of(-2, 2, 2, 3), In.of(-2, 2, 3));
        add("scalar:second", "second", a -> T.second(a[0], a[1]), In.of(-2, 2, 2, 3), In.of(-2, 2, 3));

        add("DimShuffle", "dimshuffle", a -> T.dimshuffle(a[0], 1, DimShuffle.NEW_AXIS, 0), In.of(-2, 2, 2, 3));
        add("Reshape", "reshape", a -> T.reshape(a[0], 3, 2), In.of(-2, 2, 2, 3));
        add("Join", "concatenate", a -> T.concatenate(List.of(a[0], a[1]), 0), In.of(-2, 2, 2, 3), In.of(-2, 2, 1, 3));
        add("Alloc", "alloc", a -> T.alloc(a[0], 2L, 3L), In.of(-2, 2, 3));
        add("Repeat", "repeat", a -> T.repeat(a[0], new int[] {1, 2, 0}, 0), In.of(-2, 2, 3));
        add("Sort", "sort", a -> T.sort(a[0]), In.of(-2, 2, 2, 4));
        add("CumOp", "cumsum", a -> T.cumsum(a[0], 1), In.of(-2, 2, 2, 3));
        add("CumOp", "cumprod", a -> T.cumprod(a[0], 1), In.signed(0.5, 1.5, 2, 3));
        add("Subtensor", "basic indexing", a -> T.subtensor(a[0], T.slice(null, null, null), T.slice(1, null)), In.of(-2, 2, 2, 3));
        add("AdvancedSubtensor", "integer-array indexing", a -> T.subtensor(a[0], new int[] {2, 0, 2}), In.of(-2, 2, 3, 2));
        add("IncSubtensor", "inc_subtensor", a -> T.incSubtensor(T.subtensor(a[0], T.slice(1, 3)), a[1]),
                In.of(-2, 2, 4), In.of(-2, 2, 2));
        add("IncSubtensor", "set_subtensor", a -> T.setSubtensor(T.subtensor(a[0], T.slice(1, 3)), a[1]),
                In.of(-2, 2, 4), In.of(-2, 2, 2));
        add("AdvancedIncSubtensor", "advanced inc_subtensor", a -> T.incSubtensor(T.subtensor(a[0], new int[] {0, 2, 0}), a[1]),
                In.of(-2, 2, 4), In.of(-2, 2, 3));
        add("Reduce", "sum", a -> T.sum(a[0], 1), In.of(-2, 2, 2, 3));
        add("Reduce", "mean", a -> T.mean(a[0]), In.of(-2, 2, 2, 3));
        add("Reduce", "prod", a -> T.prod(a[0], 0), In.signed(0.5, 1.5, 2, 3));
        add("Reduce", "max", a -> T.max(a[0], 1), In.of(-2, 2, 2, 3));
        add("Reduce", "min", a -> T.min(a[0]), In.of(-2, 2, 2, 3));
        add("Dot", "matrix-vector", a -> T.dot(a[0], a[1]), In.of(-2, 2, 2, 3), In.of(-2, 2, 3));
        add("Dot", "matrix-matrix", a -> T.dot(a[0], a[1]), In.of(-2, 2, 2, 3), In.of(-2, 2, 3, 2));
        add("Dot", "vector-vector", a -> T.dot(a[0], a[1]), In.of(-2, 2, 3), In.of(-2, 2, 3));
        add("BatchedDot", "batched_dot", a -> T.batchedDot(a[0], a[1]), In.of(-2, 2, 2, 2, 3), In.of(-2, 2, 2, 3, 2));
        add("Softmax", "softmax", a -> T.softmax(a[0]), In.of(-2, 2, 2, 3));
        add("Softmax", "log_softmax", a -> T.logSoftmax(a[0]), In.of(-2, 2, 2, 3));
        add("Conv2d", "conv2d", a -> tsl.ops.nnet.Conv.conv2d(a[0], a[1]), In.of(-1, 1, 1, 2, 4, 4), In.of(-1, 1, 3, 2, 2, 2));
        add("Conv2dGradInputs", "d conv2d / d input", a -> firstGrad(T.sqr(tsl.ops.nnet.Conv.conv2d(a[0], a[1])), a[0]),
                In.of(-1, 1, 1, 2, 4, 4), In.of(-1, 1, 3, 2, 2, 2));
        add("Conv2dGradWeights", "d conv2d / d filters", a -> firstGrad(T.sqr(tsl.ops.nnet.Conv.conv2d(a[0], a[1])), a[1]),
                In.of(-1, 1, 1, 2, 4, 4), In.of(-1, 1, 3, 2, 2, 2));
        add("Pool", "max pool", a -> tsl.ops.nnet.Conv.pool2d(a[0], new int[] {2, 2}, true, null, new int[] {0, 0}, "max"),
                In.of(-2, 2, 1, 1, 4, 4));
        add("Pool", "average pool", a -> tsl.ops.nnet.Conv.pool2d(a[0], new int[] {2, 2}, true, null, new int[] {0, 0},
                "average_inc_pad"), In.of(-2, 2, 1, 1, 4, 4));
        add("PoolGrad", "d average pool", a -> firstGrad(T.sqr(tsl.ops.nnet.Conv.pool2d(a[0], new int[] {2, 2}, true, null,
                new int[] {0, 0}, "average_inc_pad")), a[0]), In.of(-2, 2, 1, 1, 4, 4));
        add("MaxPoolGradGrad", "d max pool, twice", a -> firstGrad(T.sqr(tsl.ops.nnet.Conv.pool2d(a[0], new int[] {2, 2}, true,
                null, new int[] {0, 0}, "max")), a[0]), In.of(-2, 2, 1, 1, 4, 4));
        add("SpecifyShape", "specify_shape", a -> new tsl.ops.nnet.SpecifyShape(new int[] {2, 3}, "x").makeNode(List.of(a[0])).output(),
                In.of(-2, 2, 2, 3));
        add("IfElse", "ifelse, then taken", a -> tsl.ops.control.IfElse.build(T.gt(T.sum(a[0]), T.constant(-100.0)),
                List.of(T.mul(a[0], a[1])), List.of(a[0]), null).get(0), In.of(-2, 2, 2, 3), In.of(-2, 2, 3));
        add("IfElse", "ifelse, else taken", a -> tsl.ops.control.IfElse.build(T.lt(T.sum(a[0]), T.constant(-100.0)),
                List.of(T.mul(a[0], a[1])), List.of(T.exp(a[0])), null).get(0), In.of(-2, 2, 2, 3), In.of(-2, 2, 3));
        add("Scan", "recurrence h = tanh(h * w + x_t)", a -> tsl.ops.control.ScanBuilder.scan(p -> new tsl.ops.control.ScanBuilder.Step(
                List.of(T.tanh(T.add(T.mul(p.get(1), a[2]), p.get(0)))), Map.of(), null),
                List.of(new tsl.ops.control.ScanBuilder.Sequence(a[0])), List.of(tsl.ops.control.ScanBuilder.OutputInfo.of(a[1])),
                List.of(), null, -1, false, "rnn").outputs().get(0), In.of(-1, 1, 4, 2), In.of(-1, 1, 2), In.of(-1, 1, 2));
        add("IndexMap", "jacobian of unknown length", a -> Derivatives.jacobian(T.tanh(T.mul(a[0], a[0])), List.of(a[0]), null,
                "raise").get(0), In.of(-1, 1, 3));
    }
}
