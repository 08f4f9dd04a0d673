package tsl.rewrite;

import static tsl.rewrite.RewriteTesting.check;
import static tsl.rewrite.RewriteTesting.only;
import static tsl.rewrite.RewriteTesting.random;
import static tsl.rewrite.RewriteTesting.var;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;

/** Each canonicalize rewrite: the graph before and after, and the same values. */
class CanonicalizeTest {
    private final Variable x = var(DType.FLOAT64, "x", -1);
    private final Variable y = var(DType.FLOAT64, "y", -1);
    private final Variable s = var(DType.FLOAT64, "s");

    @Test
    void neutralOperands() {
        check(only("local_mul_by_one"), List.of(x), List.of(T.mul(x, 1), T.add(0, x), T.sub(x, 0.0), T.trueDiv(x, 1)),
                "(x * TensorConstant{1}); (TensorConstant{0} + x); (x - TensorConstant{0.0}); (x / TensorConstant{1})",
                "x; x; x; x", random(DType.FLOAT64, 1, 5));
    }

    @Test
    void neutralOperandThatWidensTheShapeStays() {
        // x * ones(3) is not x when x has length 1 at run time
        Variable ones = T.constant(tsl.tensor.NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {1, 1, 1}));
        check(only("local_mul_by_one"), List.of(x), List.of(T.mul(x, ones)),
                "(x * TensorConstant{(3,) of 1.0})", "(x * TensorConstant{(3,) of 1.0})", random(DType.FLOAT64, 1, 1));
    }

    @Test
    void neutralOperandOfAnotherDtypeCasts() {
        Variable i = var(DType.INT32, "i", -1);
        check(only("local_mul_by_one"), List.of(i), List.of(T.mul(i, 1.0)),
                "(i * TensorConstant{1.0})", "Cast{float64}(i)", random(DType.INT32, 2, 4));
    }

    @Test
    void doubleNegation() {
        check(only("local_neg_neg"), List.of(x), List.of(T.neg(T.neg(x))), "(-(-x))", "x", random(DType.FLOAT64, 3, 4));
    }

    @Test
    void signNormalForm() {
        check(only("local_neg_sub", "local_sub_neg", "local_add_neg"), List.of(x, y),
                List.of(T.neg(T.sub(x, y)), T.sub(x, T.neg(y)), T.add(x, T.neg(y)), T.add(T.neg(x), y)),
                "(-(x - y)); (x - (-y)); (x + (-y)); ((-x) + y)",
                "(y - x); (x + y); (x - y); (y - x)", random(DType.FLOAT64, 4, 4), random(DType.FLOAT64, 5, 4));
    }

    @Test
    void constantsInAddAndMulChainsCombine() {
        check(only("local_add_mul_fusion"), List.of(x, y),
                List.of(T.add(T.add(T.add(x, 1.5), y), 2.5), T.mul(2.0, T.mul(x, 3.0))),
                "(((x + TensorConstant{1.5}) + y) + TensorConstant{2.5}); (TensorConstant{2.0} * (x * TensorConstant{3.0}))",
                "((x + y) + TensorConstant{4.0}); (x * TensorConstant{6.0})",
                random(DType.FLOAT64, 6, 4), random(DType.FLOAT64, 7, 4));
    }

    @Test
    void divisionCancelsAScalarFactor() {
        check(only("local_mul_canonizer"), List.of(x, s), List.of(T.trueDiv(T.mul(x, s), s), T.trueDiv(T.mul(s, x), s)),
                "((x * s) / s); ((s * x) / s)", "x; x", random(DType.FLOAT64, 8, 4), random(DType.FLOAT64, 9));
    }

    @Test
    void divisionDoesNotCancelWhenTheShapeCouldChange() {
        // y might have length 1 and x length 4: (y*x)/x has length 4, y has length 1
        check(only("local_mul_canonizer"), List.of(x, y), List.of(T.trueDiv(T.mul(y, x), x)),
                "((y * x) / x)", "((y * x) / x)", random(DType.FLOAT64, 8, 4), random(DType.FLOAT64, 9, 4));
    }

    @Test
    void constantSwitchPicksABranch() {
        Variable a = var(DType.FLOAT64, "a", 3);
        Variable b = var(DType.FLOAT64, "b", 3);
        check(only("local_useless_switch", "constant_folding"), List.of(a, b),
                List.of(T.switchOp(T.constant(true), a, b), T.switchOp(T.constant(0), a, b)),
                "switch(TensorConstant{True}, a, b); switch(TensorConstant{0}, a, b)", "a; b",
                random(DType.FLOAT64, 10, 3), random(DType.FLOAT64, 11, 3));
    }

    @Test
    void dimshufflesCompose() {
        Variable m = var(DType.FLOAT64, "m", -1, -1);
        check(only("local_dimshuffle_lift"), List.of(m), List.of(T.transpose(T.transpose(m)), T.dimshuffle(T.transpose(m), 1, -1, 0)),
                "DimShuffle{1,0}(DimShuffle{1,0}(m)); DimShuffle{1,x,0}(DimShuffle{1,0}(m))",
                "m; DimShuffle{0,x,1}(m)", random(DType.FLOAT64, 12, 2, 3));
    }

    @Test
    void uselessReshapesGo() {
        Variable m = var(DType.FLOAT64, "m", 2, 3);
        check(only("local_useless_reshape"), List.of(m), List.of(T.reshape(m, 2, 3), T.reshape(T.reshape(m, 3, 2), new int[] {6})),
                "Reshape{2}(m, TensorConstant{[2 3]}); Reshape{1}(Reshape{2}(m, TensorConstant{[3 2]}), TensorConstant{[6]})",
                "m; Reshape{1}(m, TensorConstant{[6]})", random(DType.FLOAT64, 13, 2, 3));
    }

    @Test
    void fullSliceIsTheTensor() {
        check(only("local_useless_subtensor"), List.of(x), List.of(T.subtensor(x, T.slice(null, null, null))),
                "Subtensor{:}(x)", "x", random(DType.FLOAT64, 14, 5));
    }

    @Test
    void uselessCastAndIdentity() {
        check(only("local_useless_elemwise"), List.of(x),
                List.of(T.exp(new tsl.ops.elemwise.Elemwise(tsl.ops.elemwise.ScalarOps.IDENTITY, DType.FLOAT64).makeNode(List.of(x)).output())),
                "exp(Cast{float64}(x))", "exp(x)", random(DType.FLOAT64, 15, 5));
    }
}
