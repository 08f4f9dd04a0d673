package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Gemv and Gemm in C (one OpenBLAS call, alpha and beta folded in) against the jvm reference. */
class ScaledProductEmitterTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static Variable gemv(Variable z, Variable alpha, Variable a, Variable x, Variable beta) {
        return new Gemv().makeNode(List.of(z, alpha, a, x, beta)).output();
    }

    private static Variable gemm(Variable z, Variable alpha, Variable a, Variable b, Variable beta) {
        return new Gemm().makeNode(List.of(z, alpha, a, b, beta)).output();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void gemvInEveryLayout(DType dt) {
        Variable z = OpTesting.var(dt, 1, "z");
        Variable al = OpTesting.var(dt, 0, "alpha");
        Variable be = OpTesting.var(dt, 0, "beta");
        Variable a = OpTesting.var(dt, 2, "a");
        Variable x = OpTesting.var(dt, 1, "x");
        Variable w = OpTesting.var(dt, 1, "w");
        Variable one = OpTesting.var(dt, new int[] {1}, "one");
        NDArray zv = random(dt, new int[] {5}, -1, 1, 1);
        NDArray av = random(dt, new int[] {5, 4}, -1, 1, 2);
        NDArray xv = random(dt, new int[] {4}, -1, 1, 3);
        NDArray wv = random(dt, new int[] {5}, -1, 1, 4);
        same(List.of(z, al, a, x, w, be, one), List.of(
                gemv(z, al, a, x, be),
                // A stored transposed (a DimShuffle view): BLAS reads it with CblasTrans
                gemv(x, al, T.transpose(a), w, be),
                // every other element of x: a strided vector
                gemv(T.subtensor(z, new T.Slice(null, 4, null)), al, T.subtensor(a, new T.Slice(null, 4, null)), x, be),
                // z of length 1 broadcasts against the product
                gemv(one, al, a, x, be)),
                zv, NDArray.scalar(1.5, dt), av, xv, wv, NDArray.scalar(-0.5, dt), NDArray.fromDoubles(dt, new int[] {1}, new double[] {2}));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void gemmInEveryLayout(DType dt) {
        Variable z = OpTesting.var(dt, 2, "z");
        Variable row = OpTesting.var(dt, new int[] {1, -1}, "row");
        Variable al = OpTesting.var(dt, 0, "alpha");
        Variable be = OpTesting.var(dt, 0, "beta");
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        NDArray zv = random(dt, new int[] {5, 3}, -1, 1, 1);
        NDArray rv = random(dt, new int[] {1, 3}, -1, 1, 2);
        NDArray av = random(dt, new int[] {5, 4}, -1, 1, 3);
        NDArray bv = random(dt, new int[] {4, 3}, -1, 1, 4);
        same(List.of(z, row, al, a, b, be), List.of(
                gemm(z, al, a, b, be),
                // a bias row broadcast down the product (the MLP's layer)
                gemm(row, al, a, b, be),
                gemm(T.transpose(z), al, T.transpose(b), T.transpose(a), be),
                // a one-row product under a taller z: the product itself broadcasts
                gemm(z, al, T.subtensor(a, new T.Slice(null, 1, null)), b, be),
                // strided rows and columns: BLAS gets contiguous copies
                gemm(T.subtensor(z, new T.Slice(null, null, 2)), al, T.subtensor(a, new T.Slice(null, null, 2)), b, be),
                // z's rows in reverse order (a negative row stride; each row is still copied whole)
                gemm(T.subtensor(z, new T.Slice(null, null, -1)), al, a, b, be),
                // a column of z broadcast across the product's columns
                gemm(T.subtensor(z, new T.Slice(null, null, null), new T.Slice(null, 1, null)), al, a, b, be)),
                zv, rv, NDArray.scalar(0.75, dt), av, bv, NDArray.scalar(2, dt));
    }

    @Test
    void anUpdateSizedResultOfWholeAndPartHugePages() {
        // W - lr * dot(a, b) with a 784x500 W, as the MLP's update: a fresh 3 MiB output that C rounds up
        // to whole 2 MiB pages, and z copied into it row by row before the product accumulates
        DType dt = DType.FLOAT64;
        Variable z = OpTesting.var(dt, 2, "z");
        Variable al = OpTesting.var(dt, 0, "alpha");
        Variable be = OpTesting.var(dt, 0, "beta");
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        for (int[] mn : new int[][] {{784, 500}, {512, 512}}) {
            NDArray[] r = same(List.of(z, al, a, b, be), List.of(gemm(z, al, T.transpose(a), b, be)),
                    random(dt, mn, -1, 1, 1), NDArray.scalar(-0.1, dt), random(dt, new int[] {16, mn[0]}, -1, 1, 2),
                    random(dt, new int[] {16, mn[1]}, -1, 1, 3), NDArray.scalar(1, dt));
            assertEquals((long) mn[0] * mn[1], r[0].size());
        }
    }

    @Test
    void betaZeroDoesNotReadZAndEmptyOperandsWork() {
        DType dt = DType.FLOAT64;
        Variable z = OpTesting.var(dt, 2, "z");
        Variable al = OpTesting.var(dt, 0, "alpha");
        Variable be = OpTesting.var(dt, 0, "beta");
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        NDArray nan = OpTesting.arr(dt, new int[] {2, 2}, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        NDArray[] r = same(List.of(z, al, a, b, be), List.of(gemm(z, al, a, b, be)),
                nan, NDArray.scalar(1, dt), random(dt, new int[] {2, 3}, -1, 1, 1), random(dt, new int[] {3, 2}, -1, 1, 2), NDArray.scalar(0, dt));
        assertTrue(!Double.isNaN(r[0].getDouble(0)), "beta 0: z is not read");
        // k = 0: beta * z; m = 0: an empty result
        same(List.of(z, al, a, b, be), List.of(gemm(z, al, a, b, be)),
                random(dt, new int[] {2, 2}, -1, 1, 3), NDArray.scalar(3, dt), NDArray.zeros(dt, 2, 0), NDArray.zeros(dt, 0, 2), NDArray.scalar(0.5, dt));
        same(List.of(z, al, a, b, be), List.of(gemm(z, al, a, b, be)),
                random(dt, new int[] {1, 2}, -1, 1, 3), NDArray.scalar(3, dt), NDArray.zeros(dt, 0, 4), random(dt, new int[] {4, 2}, -1, 1, 4),
                NDArray.scalar(0.5, dt));
    }

    @Test
    void shapeErrorsAreTheReferencesErrors() {
        DType dt = DType.FLOAT64;
        Variable z = OpTesting.var(dt, 2, "z");
        Variable al = OpTesting.var(dt, 0, "alpha");
        Variable be = OpTesting.var(dt, 0, "beta");
        Variable a = OpTesting.var(dt, 2, "a");
        Variable b = OpTesting.var(dt, 2, "b");
        List<Variable> in = List.of(z, al, a, b, be);
        List<Variable> out = List.of(T.exp(gemm(z, al, a, b, be)));
        NDArray[][] cases = {
            {NDArray.zeros(dt, 2, 2), NDArray.scalar(1, dt), NDArray.zeros(dt, 2, 3), NDArray.zeros(dt, 4, 2), NDArray.scalar(1, dt)},
            {NDArray.zeros(dt, 3, 2), NDArray.scalar(1, dt), NDArray.zeros(dt, 2, 3), NDArray.zeros(dt, 3, 2), NDArray.scalar(1, dt)},
        };
        for (NDArray[] c : cases) {
            TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", in, out, c));
            TslException ref = assertThrows(TslException.class, () -> NativeTesting.run("jvm", in, out, c));
            assertEquals(ref.getMessage(), nat.getMessage());
            assertEquals("ValueError", nat.pythonType());
        }
    }

    @Test
    void theOptimizersProductsRunInC() {
        // dot after the specialize rewrites: gemv/gemm with a folded scale and accumulation
        DType dt = DType.FLOAT64;
        Variable x = OpTesting.var(dt, 2, "x");
        Variable w = OpTesting.var(dt, 1, "w");
        Variable m = OpTesting.var(dt, 2, "m");
        Variable c = OpTesting.var(dt, 2, "c");
        List<Variable> outs = List.of(T.sigmoid(T.dot(x, w)), T.add(c, T.mul(T.dot(x, m), T.constant(0.5, dt))));
        List<In> ins = List.of(In.of(x), In.of(w), In.of(m), In.of(c));
        NDArray xv = random(dt, new int[] {6, 4}, -1, 1, 1);
        NDArray wv = random(dt, new int[] {4}, -1, 1, 2);
        NDArray mv = random(dt, new int[] {4, 3}, -1, 1, 3);
        NDArray cv = random(dt, new int[] {6, 3}, -1, 1, 4);
        tsl.compile.Function nat = new FunctionBuilder().inputs(ins).outputs(outs, false).mode(new Mode("c", "fast_run")).build();
        tsl.compile.Function ref = new FunctionBuilder().inputs(ins).outputs(outs, false).mode(new Mode("jvm", "fast_run")).build();
        NDArray[] rn = nat.call(xv, wv, mv, cv);
        NDArray[] rr = ref.call(xv, wv, mv, cv);
        for (int i = 0; i < rr.length; i++) {
            NativeTesting.assertClose(rr[i], rn[i], "output " + i);
        }
        Variable z = OpTesting.var(dt, 1, "z");
        FunctionGraph g = FunctionGraph.clone(List.of(z, x, w), List.of(gemv(z, T.constant(1.0, dt), x, w, T.constant(0.0, dt))), Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(z, x, w));
        assertTrue(src.contains("cblas_dgemv("), "Gemv has C code");
    }
}
