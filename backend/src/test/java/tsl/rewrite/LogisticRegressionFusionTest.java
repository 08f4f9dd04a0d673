package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.grad.Gradient;
import tsl.ops.T;
import tsl.ops.blas.Gemv;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.FusedElemwise;
import tsl.ops.blas.Dot;
import tsl.compile.Config;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The acceptance case of the optimizer: the train function of the seed's logistic regression
 * (seed listing 11) compiles to one fused loop for all the per-sample elementwise work — the
 * prediction, the crossentropy and the gradient of the cost with respect to x·w — and gemv
 * for the products, and computes exactly what the unoptimized graph computes.
 */
class LogisticRegressionFusionTest {
    private final Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "x");
    private final Variable y = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "y");

    private Function train(Mode mode, NDArray w0) {
        SharedVariable w = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 1), w0, "w");
        SharedVariable b = new SharedVariable(TensorType.ofNdim(DType.FLOAT64, 0), NDArray.scalar(0.0, DType.FLOAT64), "b");
        Variable p1 = T.trueDiv(1, T.add(1, T.exp(T.sub(T.neg(T.dot(x, w)), b))));
        Variable xent = T.sub(T.mul(T.neg(y), T.log(p1)), T.mul(T.sub(1, y), T.log(T.sub(1, p1))));
        Variable cost = T.add(T.mean(xent), T.mul(0.01, T.sum(T.pow(w, 2))));
        List<Variable> g = Gradient.grad(cost, List.of(w, b), Set.of(), "raise");
        return new FunctionBuilder().inputs(List.of(In.of(x), In.of(y))).outputs(List.of(T.gt(p1, 0.5), xent), false)
                .update(w, T.sub(w, T.mul(0.1, g.get(0)))).update(b, T.sub(b, T.mul(0.1, g.get(1)))).mode(mode).build();
    }

    private static boolean isLoop(Apply a) {
        return a.op() instanceof Elemwise || a.op() instanceof FusedElemwise;
    }

    private Function trainExcluding(String tag, NDArray w0) {
        String before = Config.get("optimizer_excluding");
        try {
            Config.set("optimizer_excluding", tag);
            return train(Mode.fromName("FAST_RUN"), w0);
        } finally {
            Config.set("optimizer_excluding", before == null ? "" : before);
        }
    }

    @Test
    void theProductsAndTheLoopBetweenThemAreOneNodeThatReadsXOnce() {
        FunctionGraph g = train(Mode.fromName("FAST_RUN"), RewriteTesting.random(DType.FLOAT64, 3, 3)).graph();
        Apply prediction = g.outputs().get(0).owner();
        assertTrue(prediction.op() instanceof tsl.ops.blas.GemvForwardBackward, prediction.toString());
        assertSame(prediction, g.outputs().get(1).owner(), "prediction and crossentropy come from the same node");
        assertEquals(0, g.toposort().stream().filter(a -> a.op() instanceof Gemv || isLoop(a) && a.inputs().contains(y)).count(),
                "no Gemv left, no other loop over the samples");
        assertSame(x, prediction.input(0));
    }

    @Test
    void perSampleElementwiseWorkIsOneLoopAndTheProductsAreGemv() {
        // the graph before local_gemv_forward_backward joins the products and the loop
        Function f = trainExcluding("gemv_forward_backward", RewriteTesting.random(DType.FLOAT64, 3, 3));
        FunctionGraph g = f.graph();
        Apply prediction = g.outputs().get(0).owner();
        Apply xent = g.outputs().get(1).owner();
        assertSame(prediction, xent, "prediction and crossentropy come from one loop");
        assertTrue(prediction.op() instanceof FusedElemwise, prediction.toString());
        long gemv = g.toposort().stream().filter(a -> a.op() instanceof Gemv).count();
        assertEquals(2, gemv, "x.w and x.T times the per-sample gradient");
        assertEquals(0, g.toposort().stream().filter(a -> a.op() instanceof Dot).count());
        // no other loop reads the per-sample values: y, or the forward product
        Apply forward = g.toposort().stream().filter(a -> a.op() instanceof Gemv && a.inputs().contains(x)).findFirst().orElseThrow();
        long perSample = g.toposort().stream()
                .filter(a -> isLoop(a) && (a.inputs().contains(y) || a.inputs().contains(forward.output()))).count();
        assertEquals(1, perSample, "one loop over the samples");
        // the gradient product reads that loop's third result
        Apply gradient = g.toposort().stream().filter(a -> a.op() instanceof Gemv && a != forward).findFirst().orElseThrow();
        assertSame(prediction, gradient.input(3).owner());
    }

    @Test
    void trainingStepsMatchTheUnfusedAndTheUnoptimizedGraphs() {
        NDArray w0 = RewriteTesting.random(DType.FLOAT64, 3, 3);
        Function fused = train(Mode.fromName("FAST_RUN"), w0);
        String before = Config.get("optimizer_excluding");
        Function unfused;
        try {
            Config.set("optimizer_excluding", "fusion");
            unfused = train(Mode.fromName("FAST_RUN"), w0);
        } finally {
            Config.set("optimizer_excluding", before == null ? "" : before);
        }
        assertTrue(unfused.graph().toposort().stream().noneMatch(a -> a.op() instanceof FusedElemwise));
        Function none = train(new Mode("py", "None"), w0);
        NDArray xs = RewriteTesting.random(DType.FLOAT64, 11, 10, 3);
        NDArray ys = NDArray.fromDoubles(DType.FLOAT64, new int[] {10}, new double[] {0, 1, 1, 0, 1, 0, 0, 1, 1, 1});
        for (int step = 0; step < 20; step++) {
            NDArray[] a = fused.call(xs, ys);
            NDArray[] b = unfused.call(xs, ys);
            NDArray[] c = none.call(xs, ys);
            for (int i = 0; i < 2; i++) {
                // fusion changes no rounding of its own, but the native loops call libmvec's SIMD exp/log1p,
                // which may differ from libm's in the last bit, and a fused and an unfused graph need not
                // call them on the same lanes; the stabilizing rewrites (softplus) may change the last bits
                assertArrayEquals(b[i].toDoubleArray(), a[i].toDoubleArray(), 1e-15, "output " + i + " at step " + step);
                assertArrayEquals(c[i].toDoubleArray(), a[i].toDoubleArray(), 1e-12, "output " + i + " at step " + step);
            }
        }
    }
}
