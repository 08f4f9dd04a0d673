package tsl.linker.c;

import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Every scalar op through the native Elemwise against the jvm reference. */
class NativeElemwiseTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    /** All float ops in one function (one compile): unary on (0.1, 0.9), binary on two such arrays. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void everyFloatOpMatches(DType dt) {
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        Variable c = OpTesting.var(dt, 2, "c");
        List<Variable> outs = new ArrayList<>();
        for (Map.Entry<String, ScalarOp> e : ScalarOps.all().entrySet()) {
            ScalarOp op = e.getValue();
            if (op.outputRule() == ScalarOp.OutputRule.INTEGER || op.name().equals("arccosh")) {
                continue;
            }
            outs.add(switch (op.nin()) {
                case 1 -> T.elemwise(op, a);
                case 2 -> T.elemwise(op, a, b);
                default -> T.elemwise(op, T.gt(a, b), b, c);
            });
        }
        outs.add(T.elemwise(ScalarOps.get("arccosh"), T.add(a, T.constant(1.0, dt))));
        NDArray x = random(dt, new int[] {3, 5}, 0.1, 0.9, 1);
        same(List.of(a, b, c), outs, x, random(dt, new int[] {3, 5}, -2, 2, 2), random(dt, new int[] {3, 5}, -1, 1, 3));
    }

    @Test
    void specialValuesFollowTheReference() {
        Variable a = OpTesting.var(DType.FLOAT64, 1, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 1, "b");
        NDArray x = OpTesting.vec(DType.FLOAT64, Double.NaN, 1, Double.NEGATIVE_INFINITY, -0.0, 3, Double.POSITIVE_INFINITY, -7.5);
        NDArray y = OpTesting.vec(DType.FLOAT64, 2, Double.NaN, 1, 5, -2, 0, 2);
        same(List.of(a, b), List.of(T.maximum(a, b), T.minimum(a, b), T.sgn(a), T.relu(a), T.mod(a, b), T.intDiv(a, b),
                T.isnan(a), T.isinf(a), T.clip(a, T.constant(-1.0), T.constant(2.0)), T.abs(a), T.sigmoid(a),
                T.softplus(a), T.round(a), T.round(a, "half_away_from_zero")), x, y);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64"})
    void integerOpsMatch(DType dt) {
        Variable a = OpTesting.var(dt, 1, "a");
        Variable b = OpTesting.var(dt, 1, "b");
        boolean unsigned = dt == DType.UINT8;
        NDArray x = NDArray.fromLongs(dt, new int[] {8}, unsigned ? new long[] {7, 0, 5, 100, 3, 9, 1, 255}
                : new long[] {7, -7, 5, -100, 0, 9, -1, 3});
        NDArray y = NDArray.fromLongs(dt, new int[] {8}, unsigned ? new long[] {2, 3, 0, 7, 1, 4, 2, 2}
                : new long[] {2, 2, -3, 7, 3, 0, -1, -2});
        same(List.of(a, b), List.of(T.add(a, b), T.sub(a, b), T.mul(a, b), T.intDiv(a, b), T.mod(a, b), T.maximum(a, b),
                T.minimum(a, b), T.neg(a), T.abs(a), T.sgn(a), T.and(a, b), T.or(a, b), T.xor(a, b), T.invert(a),
                T.lt(a, b), T.ge(a, b), T.eq(a, b), T.trueDiv(a, b), T.exp(T.cast(a, DType.INT8)), T.sqr(a),
                T.cast(a, DType.FLOAT32), T.cast(T.mul(a, T.constant(0.7)), DType.INT32)), x, y);
    }

    @Test
    void int64ExtremesDoNotTrap() {
        Variable a = OpTesting.var(DType.INT64, 1, "a");
        Variable b = OpTesting.var(DType.INT64, 1, "b");
        NDArray x = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {Long.MIN_VALUE, Long.MIN_VALUE, 5});
        NDArray y = NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {-1, 0, 0});
        same(List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b)), x, y);
    }

    @Test
    void boolsMatch() {
        Variable a = OpTesting.var(DType.BOOL, 1, "a");
        Variable b = OpTesting.var(DType.BOOL, 1, "b");
        NDArray x = NDArray.fromBooleans(new int[] {4}, true, false, true, false);
        NDArray y = NDArray.fromBooleans(new int[] {4}, true, true, false, false);
        same(List.of(a, b), List.of(T.and(a, b), T.or(a, b), T.xor(a, b), T.invert(a), T.add(a, b), T.eq(a, b),
                T.mul(a, T.constant(2.5))), x, y);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void broadcastsRowsColumnsAndScalars(DType dt) {
        Variable m = OpTesting.var(dt, 2, "m");
        Variable row = OpTesting.var(dt, new int[] {1, -1}, "row");
        Variable col = OpTesting.var(dt, new int[] {-1, 1}, "col");
        Variable s = OpTesting.var(dt, 0, "s");
        Variable v = OpTesting.var(dt, 1, "v");
        same(List.of(m, row, col, s, v), List.of(T.add(m, row), T.mul(col, row), T.sub(m, s), T.add(m, v),
                T.trueDiv(T.add(col, v), s), T.add(s, s)),
                random(dt, new int[] {4, 3}, -1, 1, 1), random(dt, new int[] {1, 3}, -1, 1, 2),
                random(dt, new int[] {4, 1}, -1, 1, 3), random(dt, new int[0], 1, 2, 4), random(dt, new int[] {3}, -1, 1, 5));
    }

    @Test
    void stridedViewsAndMixedDtypes() {
        Variable m = OpTesting.var(DType.FLOAT64, 3, "m");
        Variable i = OpTesting.var(DType.INT32, 3, "i");
        Variable f = OpTesting.var(DType.FLOAT32, 3, "f");
        Variable t = T.dimshuffle(m, 2, 0, 1);
        same(List.of(m, i, f), List.of(T.add(t, T.dimshuffle(i, 2, 0, 1)), T.mul(T.transpose(T.sum(m, 0)), 2),
                T.add(f, i), T.exp(T.dimshuffle(f, 1, 2, 0))),
                random(DType.FLOAT64, new int[] {2, 3, 4}, -1, 1, 1), random(DType.INT32, new int[] {2, 3, 4}, -50, 50, 2),
                random(DType.FLOAT32, new int[] {2, 3, 4}, -1, 1, 3));
    }

    @Test
    void emptyArrays() {
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 2, "b");
        same(List.of(a, b), List.of(T.add(a, b), T.exp(T.transpose(a))),
                NDArray.zeros(DType.FLOAT64, 0, 3), NDArray.zeros(DType.FLOAT64, 1, 3));
    }

    @Test
    void largeArraysTakeTheThreadedLoop() {
        Variable a = OpTesting.var(DType.FLOAT64, 1, "a");
        Variable b = OpTesting.var(DType.FLOAT32, 1, "b");
        int n = (int) ElemwiseEmitter.PARALLEL_MIN * 3 + 7;
        same(List.of(a, b), List.of(T.mul(T.sigmoid(a), T.log1p(T.mul(a, a))), T.add(T.exp(b), b)),
                random(DType.FLOAT64, new int[] {n}, -3, 3, 1), random(DType.FLOAT32, new int[] {n}, -3, 3, 2));
    }
}
