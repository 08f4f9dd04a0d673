package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.nnet.Conv;
import tsl.ops.nnet.MaxPoolGradGrad;
import tsl.ops.nnet.PoolGrad;
import tsl.ops.nnet.PoolParams;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** pool_2d, its gradient and max pooling's second-order term in C, against the jvm reference, for every mode. */
class NativePoolTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static final PoolParams[] SETTINGS = {
        new PoolParams(2, 2, 2, 2, 0, 0, true, PoolParams.Mode.MAX),
        new PoolParams(3, 2, 1, 2, 1, 1, true, PoolParams.Mode.AVERAGE_INC_PAD),
        new PoolParams(3, 3, 2, 1, 2, 1, true, PoolParams.Mode.AVERAGE_EXC_PAD),
        new PoolParams(2, 3, 3, 2, 0, 0, false, PoolParams.Mode.SUM),
        new PoolParams(3, 2, 2, 3, 0, 0, false, PoolParams.Mode.MAX),
        new PoolParams(4, 4, 1, 1, 0, 0, true, PoolParams.Mode.MAX)};

    @Test
    void poolingAndItsGradientsMatchTheReference() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable x = OpTesting.var(dt, 4, "x");
            Variable gz = OpTesting.var(dt, 4, "gz");
            List<Variable> outs = new ArrayList<>();
            for (PoolParams p : SETTINGS) {
                Variable pooled = Conv.pool2d(x, p);
                outs.add(pooled);
                // the gradient of sum(pooled * gz') with gz' a slice of gz shaped like pooled
                Variable g = T.mul(pooled, T.constant(0.5, dt));
                outs.add(new PoolGrad(p).makeNode(List.of(x, T.cast(g, dt))).output());
                if (p.mode() == PoolParams.Mode.MAX) {
                    outs.add(new MaxPoolGradGrad(p).makeNode(List.of(x, gz)).output());
                }
                outs.add(Conv.pool2d(T.dimshuffle(x, 0, 1, 3, 2), p));
            }
            FunctionGraph fg = FunctionGraph.clone(List.of(x, gz), outs, Map.of());
            String src = new NativeLinker().generatedSource(fg, List.of(x, gz));
            assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
            NDArray xv = random(dt, new int[] {2, 3, 7, 6}, -2, 2, 5);
            // ties: several equal maxima in a window all receive the gradient
            xv.setDouble(0, 1.5);
            xv.setDouble(1, 1.5);
            xv.setDouble(6, 1.5);
            xv.setDouble(20, Double.NaN);
            same(List.of(x, gz), outs, xv, random(dt, new int[] {2, 3, 7, 6}, -1, 1, 6));
            same(List.of(x, gz), outs, random(dt, new int[] {1, 1, 1, 2}, -1, 1, 7), random(dt, new int[] {1, 1, 1, 2}, -1, 1, 8));
        }
    }

    @Test
    void aGradientOfTheWrongShapeIsTheReferencesError() {
        PoolParams p = SETTINGS[0];
        Variable x = OpTesting.var(DType.FLOAT64, 3, "x");
        Variable g = OpTesting.var(DType.FLOAT64, 3, "g");
        List<Variable> outs = List.of(new PoolGrad(p).makeNode(List.of(x, g)).output(), new MaxPoolGradGrad(p).makeNode(List.of(x, g)).output());
        for (Variable out : outs) {
            NDArray xv = random(DType.FLOAT64, new int[] {2, 4, 4}, 0, 1, 1);
            NDArray gv = random(DType.FLOAT64, new int[] {2, 3, 2}, 0, 1, 2);
            TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(x, g), List.of(out), xv, gv));
            TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(x, g), List.of(out), xv, gv));
            assertEquals(jvm.getMessage().lines().findFirst(), nat.getMessage().lines().findFirst());
        }
    }

    @Test
    void integerPoolingTruncatesAsTheReference() {
        for (DType dt : new DType[] {DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8}) {
            Variable x = OpTesting.var(dt, 3, "x");
            List<Variable> outs = new ArrayList<>();
            for (PoolParams p : SETTINGS) {
                outs.add(Conv.pool2d(x, p));
                outs.add(Conv.pool2d(T.dimshuffle(x, 0, 2, 1), p));
            }
            // windows half in the padding: an average of one cell, or of one cell over four
            outs.add(Conv.pool2d(x, new PoolParams(2, 2, 2, 2, 1, 1, true, PoolParams.Mode.AVERAGE_EXC_PAD)));
            outs.add(Conv.pool2d(x, new PoolParams(2, 2, 2, 2, 1, 1, true, PoolParams.Mode.AVERAGE_INC_PAD)));
            FunctionGraph fg = FunctionGraph.clone(List.of(x), outs, Map.of());
            String src = new NativeLinker().generatedSource(fg, List.of(x));
            assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
            long n = 3L * 7 * 6;
            long[] v = new long[(int) n];
            java.util.Random r = new java.util.Random(dt.ordinal());
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextLong();
            }
            v[0] = dt == DType.INT64 ? Long.MAX_VALUE : 7;
            v[1] = dt == DType.INT64 ? Long.MAX_VALUE - 1 : -3;
            NDArray xv = NDArray.fromLongs(dt, new int[] {3, 7, 6}, v);
            same(List.of(x), outs, xv);
            same(List.of(x), outs, NDArray.fromLongs(dt, new int[] {1, 0, 5}, new long[0]));
        }
    }
}
