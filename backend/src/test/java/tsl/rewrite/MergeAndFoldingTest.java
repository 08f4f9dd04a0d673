package tsl.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static tsl.rewrite.RewriteTesting.check;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/** Merge (CSE), constant folding and the shape feature. */
class MergeAndFoldingTest {
    private final Variable x = var(DType.FLOAT64, "x", -1, -1);

    @Test
    void equalSubexpressionsBecomeOneNode() {
        // two separately built sum(exp(x), axis=0): equal ops (arrays compared by value) on equal inputs
        Variable a = T.sum(T.exp(x), new int[] {0}, false);
        Variable b = T.sum(T.exp(x), new int[] {0}, false);
        FunctionGraph g = check(only(), List.of(x), List.of(T.add(a, b)), "(Sum{axis=[0]}(exp(x)) + Sum{axis=[0]}(exp(x)))",
                "(Sum{axis=[0]}(exp(x)) + Sum{axis=[0]}(exp(x)))", random(DType.FLOAT64, 1, 2, 3));
        assertEquals(3, g.size());
        var add = g.outputs().get(0).owner();
        assertSame(add.input(0), add.input(1));
    }

    @Test
    void equalConstantsMerge() {
        Variable y = var(DType.FLOAT64, "y", -1);
        FunctionGraph g = RewriteTesting.graph(List.of(y), T.add(T.mul(y, 2.5), T.mul(y, 2.5)));
        assertEquals(5, g.size()); // two DimShuffles of two constants, two muls, one add
        Merge.run(g);
        assertEquals(3, g.size());
    }

    @Test
    void constantSubgraphsFold() {
        Variable y = var(DType.FLOAT64, "y", -1);
        Variable c = T.exp(T.add(T.constant(1.0), T.constant(2.0)));
        check(only("constant_folding"), List.of(y), List.of(T.mul(y, c)),
                "(y * exp((TensorConstant{1.0} + TensorConstant{2.0})))" /* float32 literals: a float32 result */, "(y * TensorConstant{[20.085537]})",
                random(DType.FLOAT64, 2, 4));
    }

    @Test
    void aFoldThatWouldFailIsLeftForRunTime() {
        Variable y = var(DType.FLOAT64, "y", -1);
        tsl.graph.Op failing = new tsl.graph.Op() {
            @Override
            public tsl.graph.Apply makeNode(List<Variable> in) {
                return new tsl.graph.Apply(this, in, List.of(in.get(0).type()));
            }

            @Override
            public tsl.tensor.NDArray[] perform(tsl.graph.Apply node, tsl.tensor.NDArray[] in) {
                throw tsl.graph.TslException.valueError("fails when run");
            }

            @Override
            public String toString() {
                return "Failing";
            }
        };
        Variable bad = failing.makeNode(List.of(T.constant(tsl.tensor.NDArray.of(1, 2, 3)))).output();
        FunctionGraph g = RewriteTesting.graph(List.of(y), T.add(y, bad));
        only("constant_folding").optimize(g);
        assertEquals("(y + Failing(TensorConstant{[1. 2. 3.]}))", RewriteTesting.formula(g));
    }

    @Test
    void staticShapesBecomeConstants() {
        Variable m = var(DType.FLOAT64, "m", 4, -1);
        Variable k = var(DType.FLOAT64, "k", 2, 3);
        check(only("shape", "constant_folding"), List.of(m, k), List.of(T.subtensor(T.shape(m), 0), T.subtensor(T.shape(m), 1),
                        T.shape(k)),
                "Subtensor{0}(Shape(m)); Subtensor{1}(Shape(m)); Shape(k)", "TensorConstant{4}; Subtensor{1}(Shape(m)); TensorConstant{[2 3]}",
                random(DType.FLOAT64, 3, 4, 5), random(DType.FLOAT64, 4, 2, 3));
    }
}
