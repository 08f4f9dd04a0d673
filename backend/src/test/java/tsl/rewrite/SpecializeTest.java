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

/** Each specialize rewrite: structure before and after and the same values. */
class SpecializeTest {
    private final Variable x = var(DType.FLOAT64, "x", -1);
    private final Variable a = var(DType.FLOAT64, "A", -1, -1);
    private final Variable b = var(DType.FLOAT64, "B", -1, -1);
    private final Variable v = var(DType.FLOAT64, "v", -1);
    private final Variable z = var(DType.FLOAT64, "z", -1);

    @Test
    void powersBecomeSqrSqrtAndDivision() {
        check(only("local_pow_specialize"), List.of(x),
                List.of(T.pow(x, 2), T.pow(x, 0.5), T.pow(x, -1), T.pow(x, 3)),
                "(x ** TensorConstant{2}); (x ** TensorConstant{0.5}); (x ** TensorConstant{-1}); (x ** TensorConstant{3})",
                "sqr(x); sqrt(x); (TensorConstant{1.0} / x); (x ** TensorConstant{3})",
                tsl.tensor.NDArray.fromDoubles(DType.FLOAT64, new int[] {3}, new double[] {0.5, 2, 3}));
    }

    @Test
    void matrixVectorProductIsGemv() {
        check(only("local_dot_to_gemv_gemm"), List.of(a, v), List.of(T.dot(a, v), T.dot(v, a)),
                "dot(A, v); dot(v, A)",
                "Gemv{no_inplace}(Alloc(TensorConstant{0.0}, Subtensor{0}(Shape(A))), TensorConstant{1.0}, A, v, TensorConstant{0.0}); "
                        + "Gemv{no_inplace}(Alloc(TensorConstant{0.0}, Subtensor{0}(Shape(DimShuffle{1,0}(A)))), TensorConstant{1.0}, "
                        + "DimShuffle{1,0}(A), v, TensorConstant{0.0})",
                random(DType.FLOAT64, 1, 3, 3), random(DType.FLOAT64, 2, 3));
    }

    @Test
    void scaleAndAccumulateFoldIntoGemv() {
        // two products: a product used twice (after merging) must stay, since folding would change the other use
        check(only("local_dot_to_gemv_gemm", "local_gemm_scale", "local_gemm_accumulate", "constant_folding"),
                List.of(a, b, v, z), List.of(T.sub(z, T.mul(0.1, T.dot(a, v))), T.add(T.dot(b, v), z)),
                "(z - (TensorConstant{0.1} * dot(A, v))); (dot(B, v) + z)",
                "Gemv{no_inplace}(z, TensorConstant{-0.1}, A, v, TensorConstant{1.0}); Gemv{no_inplace}(z, TensorConstant{1.0}, B, v, TensorConstant{1.0})",
                random(DType.FLOAT64, 3, 4, 3), random(DType.FLOAT64, 11, 4, 3), random(DType.FLOAT64, 4, 3), random(DType.FLOAT64, 5, 4));
    }

    @Test
    void matrixProductWithAccumulationIsGemm() {
        Variable c = var(DType.FLOAT64, "C", -1, -1);
        check(only("local_dot_to_gemv_gemm", "local_gemm_scale", "local_gemm_accumulate", "constant_folding"),
                List.of(a, b, c), List.of(T.add(c, T.mul(T.dot(a, b), 2.0))),
                "(C + (dot(A, B) * TensorConstant{2.0}))",
                "Gemm{no_inplace}(C, TensorConstant{2.0}, A, B, TensorConstant{1.0})",
                random(DType.FLOAT64, 6, 2, 3), random(DType.FLOAT64, 7, 3, 4), random(DType.FLOAT64, 8, 2, 4));
    }

    @Test
    void integerProductsStayDot() {
        Variable ia = var(DType.INT64, "iA", -1, -1);
        Variable iv = var(DType.INT64, "iv", -1);
        check(only("local_dot_to_gemv_gemm"), List.of(ia, iv), List.of(T.dot(ia, iv)), "dot(iA, iv)", "dot(iA, iv)",
                random(DType.INT64, 9, 2, 2), random(DType.INT64, 10, 2));
    }
}
