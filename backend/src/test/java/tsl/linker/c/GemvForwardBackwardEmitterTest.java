package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.grad.Gradient;
import tsl.ops.T;
import tsl.ops.blas.GemvForwardBackward;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The one-pass C code of {@link GemvForwardBackward} (the logistic-regression step of seed 11:
 * prediction, crossentropy and both gradients) against the jvm reference and against the
 * graph without this rewrite: shapes that end mid-block or mid-unroll, one thread and several,
 * X row-major, column-major and with strided rows, float32 and float64; and the shape errors
 * the replaced nodes give.
 */
class GemvForwardBackwardEmitterTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    /** train(x, y, w, b) → [p > 0.5, xent, gw, gb] as in seed listing 11 (w and b as inputs here). */
    private static Function step(DType d, Mode mode) {
        Variable x = new Variable(TensorType.ofNdim(d, 2), "x");
        Variable y = new Variable(TensorType.ofNdim(d, 1), "y");
        Variable w = new Variable(TensorType.ofNdim(d, 1), "w");
        Variable b = new Variable(TensorType.ofNdim(d, 0), "b");
        Variable p1 = T.trueDiv(1, T.add(1, T.exp(T.sub(T.neg(T.dot(x, w)), b))));
        Variable xent = T.sub(T.mul(T.neg(y), T.log(p1)), T.mul(T.sub(1, y), T.log(T.sub(1, p1))));
        Variable cost = T.add(T.mean(xent), T.mul(0.01, T.sum(T.pow(w, 2))));
        List<Variable> g = Gradient.grad(cost, List.of(w, b), java.util.Set.of(), "raise");
        return new FunctionBuilder().inputs(List.of(In.of(x), In.of(y), In.of(w), In.of(b)))
                .outputs(List.of(T.gt(p1, 0.5), xent, g.get(0), g.get(1)), false).mode(mode).build();
    }

    /** The jvm reference of the graph with the two Gemv and the loop between them as they were. */
    private static Function unfused(DType d) {
        String before = tsl.compile.Config.get("optimizer_excluding");
        try {
            tsl.compile.Config.set("optimizer_excluding", "gemv_forward_backward");
            Function f = step(d, new Mode("jvm", "fast_run"));
            assertTrue(!fused(f));
            return f;
        } finally {
            tsl.compile.Config.set("optimizer_excluding", before == null ? "" : before);
        }
    }

    private static boolean fused(Function f) {
        return f.graph().toposort().stream().anyMatch(a -> a.op() instanceof GemvForwardBackward);
    }

    private static NDArray labels(DType d, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 7 % 3) == 0 ? 1 : 0;
        }
        return NDArray.fromDoubles(d, new int[] {n}, v);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void sameAsTheJvmAndTheUnfusedGraphInEveryLayout(DType d) {
        Function nat = step(d, new Mode("c", "fast_run"));
        Function jvm = step(d, new Mode("jvm", "fast_run"));
        Function plain = unfused(d); // the same stabilized formulas: float32's log(1 - p) alone differs by 1e-4
        assertTrue(fused(nat) && fused(jvm), nat.graph().toposort().toString());
        // 1 row; fewer rows than one unroll; a block and a bit with a ragged unroll; enough for threads
        int[][] sizes = {{1, 3}, {3, 5}, {259, 33}, {1000, 300}, {0, 4}, {6, 0}};
        double tol = d == DType.FLOAT32 ? 2e-5 : 1e-12;
        for (int[] s : sizes) {
            NDArray x = random(d, s, -1, 1, s[0] * 31L + s[1]);
            NDArray y = labels(d, s[0]);
            NDArray w = random(d, new int[] {s[1]}, -0.5, 0.5, 7);
            NDArray b = NDArray.scalar(0.25, d);
            NDArray colMajor = x.transpose().copy().transpose();
            NDArray stridedRows = random(d, new int[] {s[0], 2 * s[1]}, -1, 1, 3).sliceRange(1, null, null, 2);
            for (NDArray xv : new NDArray[] {x, colMajor, stridedRows}) {
                NDArray[] want = plain.call(xv, y, w, b);
                NDArray[] ref = jvm.call(xv, y, w, b);
                NDArray[] got = nat.call(xv, y, w, b);
                for (int i = 0; i < want.length; i++) {
                    String what = "output " + i + " at " + s[0] + "x" + s[1] + " strides " + java.util.Arrays.toString(xv.strides());
                    assertTrue(NDArray.allClose(want[i], ref[i], tol, tol), what + ": jvm " + ref[i] + " unfused " + want[i]);
                    assertEquals(ref[i].dtype(), got[i].dtype(), what);
                    assertTrue(NDArray.allClose(ref[i], got[i], tol, tol), what + ": jvm " + ref[i] + " native " + got[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void callTimeShapeErrorsAreTheReplacedNodes(DType d) {
        NDArray x = random(d, new int[] {5, 4}, -1, 1, 1);
        NDArray w = random(d, new int[] {4}, -1, 1, 2);
        NDArray b = NDArray.scalar(0.0, d);
        Object[][] calls = {
            {x, labels(d, 5), random(d, new int[] {3}, -1, 1, 2), b}, // w against X's columns: the forward Gemv
            {x, labels(d, 4), w, b}, // y against X's rows: the loop (here the mean's count, which reads y first)
            {random(d, new int[] {1, 4}, -1, 1, 3), labels(d, 3), w, b}, // one row, y longer: the backward Gemv
        };
        String[] expected = {"not aligned: 4 (dim 1) != 3 (dim 0)", "shapes (4,) and (5,) cannot be broadcast together",
            "Gemv: shapes (4, 1) and (3,) not aligned: 1 (dim 1) != 3 (dim 0)"};
        for (int k = 0; k < calls.length; k++) {
            String[] first = new String[2];
            int j = 0;
            for (String linker : new String[] {"c", "jvm"}) {
                Function f = step(d, new Mode(linker, "fast_run"));
                Object[] args = calls[k];
                TslException e = assertThrows(TslException.class, () -> f.call(args));
                first[j++] = e.getMessage().lines().findFirst().orElse("");
            }
            assertTrue(first[0].contains(expected[k]), first[0]);
            assertEquals(first[1], first[0], "native and jvm report the same error");
        }
    }
}
