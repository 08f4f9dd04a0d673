package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.check;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.nnet.Softmax;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Each stabilize rewrite: structure before and after, same values where both are finite, finite where the original was not. */
class StabilizeTest {
    private final Variable x = var(DType.FLOAT64, "x", -1);

    private static Optimizer stabilize() {
        return RewriteDB.defaultDB().query("None", java.util.Set.of("stabilize", "local_neg_neg", "local_sub_neg", "merge",
                "constant_folding"), java.util.Set.of());
    }

    @Test
    void logisticIsSigmoid() {
        check(only("local_exp_over_1_plus_exp", "local_neg_neg"), List.of(x),
                List.of(T.trueDiv(1, T.add(1, T.exp(T.neg(x)))), T.trueDiv(T.exp(x), T.add(T.exp(x), 1))),
                "(TensorConstant{1} / (TensorConstant{1} + exp((-x)))); (exp(x) / (exp(x) + TensorConstant{1}))",
                "sigmoid(x); sigmoid(x)", random(DType.FLOAT64, 1, 6));
    }

    @Test
    void logOfSigmoidAndOfOneMinusSigmoidAreSoftplus() {
        check(only("local_log_sigmoid", "local_1msigmoid", "local_neg_neg"), List.of(x),
                List.of(T.log(T.sigmoid(x)), T.log(T.sub(1, T.sigmoid(x)))),
                "log(sigmoid(x)); log((TensorConstant{1} - sigmoid(x)))",
                "(-softplus((-x))); (-softplus(x))", random(DType.FLOAT64, 2, 6));
    }

    @Test
    void log1pExpm1AndSoftplusForms() {
        check(only("local_log1p_exp", "local_log1p", "local_expm1"), List.of(x),
                List.of(T.log(T.add(1, T.exp(x))), T.log(T.add(x, 1)), T.log(T.sub(1, x)), T.sub(T.exp(x), 1)),
                "log((TensorConstant{1} + exp(x))); log((x + TensorConstant{1})); log((TensorConstant{1} - x)); (exp(x) - TensorConstant{1})",
                "softplus(x); log1p(x); log1p((-x)); expm1(x)",
                NDArray.fromDoubles(DType.FLOAT64, new int[] {4}, new double[] {-0.5, 0.25, 0.1, 0.75}));
    }

    @Test
    void logOfSoftmaxIsLogSoftmax() {
        Variable m = var(DType.FLOAT64, "m", -1, -1);
        Variable sm = new Softmax(false).makeNode(List.of(m)).output();
        check(only("local_log_softmax"), List.of(m), List.of(T.log(sm)), "log(Softmax(m))", "LogSoftmax(m)",
                random(DType.FLOAT64, 3, 2, 5));
    }

    @Test
    void logisticRegressionCrossentropyStaysFiniteAtLargeMargins() {
        // seed listing 11's cost: p = 1/(1+exp(-x.w-b)), xent = -y*log(p) - (1-y)*log(1-p), with |x.w| = 1000
        Variable xm = var(DType.FLOAT64, "xm", -1, -1);
        Variable w = var(DType.FLOAT64, "w", -1);
        Variable y = var(DType.FLOAT64, "y", -1);
        Variable p = T.trueDiv(1, T.add(1, T.exp(T.sub(T.neg(T.dot(xm, w)), 0.0))));
        Variable xent = T.sub(T.mul(T.neg(y), T.log(p)), T.mul(T.sub(1, y), T.log(T.sub(1, p))));
        NDArray xv = NDArray.fromDoubles(DType.FLOAT64, new int[] {2, 1}, new double[] {1000, -1000});
        NDArray wv = NDArray.fromDoubles(DType.FLOAT64, new int[] {1}, new double[] {1});
        NDArray yv = NDArray.fromDoubles(DType.FLOAT64, new int[] {2}, new double[] {0, 1});
        List<Variable> ins = List.of(xm, w, y);
        NDArray raw = RewriteTesting.run(RewriteTesting.graph(ins, xent), ins, xv, wv, yv)[0];
        assertTrue(Double.isInfinite(raw.getDouble(0)) || Double.isNaN(raw.getDouble(0)), "unoptimized overflows: " + raw);
        FunctionGraph g = RewriteTesting.graph(ins, xent);
        RewriteDB.defaultDB().query("fast_run", java.util.Set.of(), java.util.Set.of()).optimize(g);
        NDArray got = RewriteTesting.run(g, ins, xv, wv, yv)[0];
        assertEquals(1000.0, got.getDouble(0), 1e-9);
        assertEquals(1000.0, got.getDouble(1), 1e-9);
        // and where both are finite, the same numbers
        NDArray small = NDArray.fromDoubles(DType.FLOAT64, new int[] {2, 1}, new double[] {0.5, -2});
        NDArray a = RewriteTesting.run(RewriteTesting.graph(ins, xent), ins, small, wv, yv)[0];
        NDArray b = RewriteTesting.run(g, ins, small, wv, yv)[0];
        assertTrue(NDArray.allClose(a, b, 1e-12, 1e-12), a + " vs " + b);
    }
}
