package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tsl.compile.Config;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.blas.Gemv;
import tsl.ops.blas.GemvForwardBackward;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * local_gemv_forward_backward: the forward product, a row-wise loop and the backward product
 * over the same X become one node with every output the graph used, and the values do not
 * change; graphs where one pass over X is not possible (the loop reads a reduction of z, the
 * backward matrix is not X's transpose, c needs the loop's results) keep their two Gemv.
 */
class GemvForwardBackwardFusionTest {
    private static final DType D = DType.FLOAT64;
    private final Variable x = var(D, "X", -1, -1);
    private final Variable w = var(D, "w", -1);
    private final Variable z0 = var(D, "z0", -1);
    private final Variable y = var(D, "y", -1);
    private final Variable c = var(D, "c", -1);

    private static Variable gemv(Variable z, double alpha, Variable a, Variable v, double beta) {
        return new Gemv().makeNode(List.of(z, T.constant(alpha, D), a, v, T.constant(beta, D))).output();
    }

    private Variable forward() {
        return gemv(z0, 1.0, x, w, 0.5);
    }

    private NDArray[] values() {
        return new NDArray[] {random(D, 1, 6, 4), random(D, 2, 4), random(D, 3, 6), random(D, 4, 6), random(D, 5, 4)};
    }

    private static Optimizer rewrite() {
        return RewriteTesting.only("elemwise_fusion", "local_gemv_forward_backward");
    }

    @Test
    void forwardLoopAndBackwardBecomeOneNodeWithEveryOutput() {
        Variable z = forward();
        Variable d = T.sub(T.sigmoid(z), y);
        Variable g = gemv(c, 0.1, T.transpose(x), d, 1.0);
        // z, the loop's result and the gradient all leave the graph: the node gives all three
        FunctionGraph after = RewriteTesting.check(rewrite(), List.of(x, w, z0, y, c), List.of(g, d, z),
                "Gemv{no_inplace}(c, TensorConstant{0.1}, DimShuffle{1,0}(X), (sigmoid(Gemv{no_inplace}(z0, TensorConstant{1.0}, X, w, "
                        + "TensorConstant{0.5})) - y), TensorConstant{1.0}); (sigmoid(Gemv{no_inplace}(z0, TensorConstant{1.0}, X, w, "
                        + "TensorConstant{0.5})) - y); Gemv{no_inplace}(z0, TensorConstant{1.0}, X, w, TensorConstant{0.5})",
                "GemvForwardBackward{Elemwise{Composite{Composite{(sigmoid(i0) - i1)}(i0, i1)}}.0}(X, w, z0, TensorConstant{1.0}, "
                        + "TensorConstant{0.5}, c, TensorConstant{0.1}, TensorConstant{1.0}, y).2; "
                        + "GemvForwardBackward{Elemwise{Composite{Composite{(sigmoid(i0) - i1)}(i0, i1)}}.0}(X, w, z0, TensorConstant{1.0}, "
                        + "TensorConstant{0.5}, c, TensorConstant{0.1}, TensorConstant{1.0}, y).1; "
                        + "GemvForwardBackward{Elemwise{Composite{Composite{(sigmoid(i0) - i1)}(i0, i1)}}.0}(X, w, z0, TensorConstant{1.0}, "
                        + "TensorConstant{0.5}, c, TensorConstant{0.1}, TensorConstant{1.0}, y).0",
                values());
        assertEquals(1, after.toposort().stream().filter(a -> a.op() instanceof GemvForwardBackward).count());
        assertEquals(0, after.toposort().stream().filter(a -> a.op() instanceof Gemv).count());
        assertEquals(List.of(x, w, z0, after.outputs().get(0).owner().input(3), after.outputs().get(0).owner().input(4), c),
                after.outputs().get(0).owner().inputs().subList(0, 6), "X, w, z0, alpha1, beta1, c");
    }

    @Test
    void theMeansCountReadsTheZerosDotAllocatedNotTheForwardProduct() {
        // dot(X, w) → Gemv(alloc(0, X.shape[0]), 1, X, w, 0): mean(loop) counts z's rows, which would feed the node itself
        Variable z = T.dot(x, w);
        Variable d = T.trueDiv(T.sub(T.sigmoid(z), y), T.cast(T.reducedCount(z, null), D));
        Variable g = T.dot(T.transpose(x), d);
        FunctionGraph after = RewriteTesting.check(RewriteTesting.only("specialize", "fusion", "shape"), List.of(x, w, y),
                List.of(g), "dot(DimShuffle{1,0}(X), ((sigmoid(dot(X, w)) - y) / Cast{float64}(ReducedCount[axes=null](dot(X, w)))))",
                "GemvForwardBackward{Elemwise{Composite{Composite{((sigmoid(i0) - i1) / i2)}(i0, i1, i2)}}.0}(X, w, "
                        + "Alloc(TensorConstant{0.0}, Subtensor{0}(Shape(X))), TensorConstant{1.0}, TensorConstant{0.0}, "
                        + "Alloc(TensorConstant{0.0}, Subtensor{0}(Shape(DimShuffle{1,0}(X)))), TensorConstant{1.0}, TensorConstant{0.0}, "
                        + "y, Cast{float64}(ReducedCount[axes=null](Alloc(TensorConstant{0.0}, Subtensor{0}(Shape(X)))))).2",
                random(D, 1, 6, 4), random(D, 2, 4), random(D, 4, 6));
        assertEquals(1, after.toposort().stream().filter(a -> a.op() instanceof GemvForwardBackward).count());
    }

    private void assertUnchanged(List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        FunctionGraph g = FunctionGraph.clone(inputs, outputs, Map.of());
        rewrite().optimize(g);
        assertTrue(g.toposort().stream().noneMatch(a -> a.op() instanceof GemvForwardBackward), RewriteTesting.formula(g));
        assertEquals(2, g.toposort().stream().filter(a -> a.op() instanceof Gemv).count(), RewriteTesting.formula(g));
        NDArray[] want = RewriteTesting.run(FunctionGraph.clone(inputs, outputs, Map.of()), inputs, values);
        NDArray[] got = RewriteTesting.run(g, inputs, values);
        for (int i = 0; i < want.length; i++) {
            assertTrue(NDArray.allClose(want[i], got[i], 1e-12, 1e-12), want[i] + " vs " + got[i]);
        }
    }

    @Test
    void notWhenTheLoopReadsAReductionOfZ() {
        // z - max(z): every row's delta needs every row's z, so the rows cannot be done block by block
        Variable z = forward();
        Variable d = T.sub(T.sigmoid(z), T.max(z));
        assertUnchanged(List.of(x, w, z0, c), List.of(gemv(c, 1.0, T.transpose(x), d, 1.0)), random(D, 1, 6, 4), random(D, 2, 4),
                random(D, 3, 6), random(D, 5, 4));
    }

    @Test
    void notWhenTheBackwardMatrixIsNotTheTransposeOfTheForwardOne() {
        Variable z = forward();
        Variable d = T.sub(T.sigmoid(z), y);
        // the same values in another layout (rows reversed): a different X to the rewrite
        Variable reversed = T.subtensor(x, new T.Slice(null, null, -1L));
        assertUnchanged(List.of(x, w, z0, y, c), List.of(gemv(c, 1.0, T.transpose(reversed), d, 1.0)), values());
        // X given already transposed: the forward product reads X.T, the backward X itself
        Variable xt = var(D, "Xt", -1, -1);
        Variable zt = gemv(z0, 1.0, T.transpose(xt), w, 0.5);
        Variable dt = T.sub(T.sigmoid(zt), y);
        assertUnchanged(List.of(xt, w, z0, y, c), List.of(gemv(c, 1.0, xt, dt, 1.0)), random(D, 1, 4, 6), random(D, 2, 4),
                random(D, 3, 6), random(D, 4, 6), random(D, 5, 4));
    }

    @Test
    void notWhenCNeedsTheLoopsResult() {
        Variable z = forward();
        Variable d = T.sub(T.sigmoid(z), y);
        Variable cd = T.mul(c, T.sum(d));
        assertUnchanged(List.of(x, w, z0, y, c), List.of(gemv(cd, 1.0, T.transpose(x), d, 1.0)), values());
    }

    @Test
    void notOnCuda() {
        Variable z = forward();
        Variable d = T.sub(T.sigmoid(z), y);
        String device = Config.device();
        try {
            Config.set("device", "cuda");
            assertUnchanged(List.of(x, w, z0, y, c), List.of(gemv(c, 1.0, T.transpose(x), d, 1.0)), values());
        } finally {
            Config.set("device", device);
        }
    }
}
