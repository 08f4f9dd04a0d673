package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.random;
import static tsl.linker.c.NativeTesting.same;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The elementwise loops gcc must vectorize (issue 8's speed targets rest on it): loops shorter
 * than the threading threshold, and loops that call sigmoid or libm functions.
 */
class VectorizedLoopsTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    /** gcc's report on the generated code: the source lines of the loops it vectorized (an epilogue may be reported too). */
    private static int vectorizedLoops(String src, Path dir) throws IOException, InterruptedException {
        Path c = dir.resolve("k.c");
        Files.writeString(c, src);
        List<String> cmd = new ArrayList<>(List.of("gcc", Gcc.optLevel()));
        cmd.addAll(Gcc.BASE_FLAGS);
        cmd.addAll(NativeLibraries.loopFlags(true));
        cmd.addAll(List.of("-fopenmp", "-fopt-info-vec-optimized", "-c", "-o",
                dir.resolve("k.o").toString(), c.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc finished");
        assertEquals(0, p.exitValue(), log);
        return (int) log.lines().filter(l -> l.contains("loop vectorized")).map(l -> l.split(":")[1]).distinct().count();
    }

    @Test
    void shortLoopsAndSigmoidLoopsAreVectorized(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeLibraries.vectorMath(null, null), "no libmvec: libm calls stay scalar");
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        Variable y = OpTesting.var(DType.FLOAT32, 2, "y");
        List<Variable> outs = List.of(T.tanh(x), T.sigmoid(x), T.log1p(x), T.softplus(x), T.sigmoid(y), T.exp(y), T.gt(T.sigmoid(x), T.constant(0.5)));
        FunctionGraph g = FunctionGraph.clone(List.of(x, y), outs, Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(x, y));
        long loops = src.lines().filter(l -> l.strip().startsWith("#pragma omp parallel for simd")).count();
        assertEquals(outs.size() + 1, loops, "one loop per node (the comparison's sigmoid is a node of its own)");
        // a bare if() on "parallel for simd" also turns off simd below the threshold (OpenMP 5)
        assertTrue(src.contains("if (parallel: n >= " + ElemwiseEmitter.PARALLEL_MIN + ")"));
        assertEquals(loops, vectorizedLoops(src, dir));
    }

    @Test
    void aFusedLossAndGradientLoopIsVectorized(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeLibraries.vectorMath(null, null), "no libmvec: libm calls stay scalar");
        // seed 11's loop: sigmoid and softplus selects on one value, a bool output beside float ones
        Variable z = OpTesting.var(DType.FLOAT64, 1, "z");
        Variable y = OpTesting.var(DType.FLOAT64, 1, "y");
        Variable p = T.sigmoid(z);
        Variable xent = T.sub(T.mul(T.neg(y), T.neg(T.softplus(T.neg(z)))), T.mul(T.sub(T.constant(1.0), y), T.neg(T.softplus(z))));
        List<Variable> outs = List.of(T.gt(p, T.constant(0.5)), xent, T.mul(T.sub(p, y), T.sigmoid(T.neg(z))));
        tsl.compile.Function f = new tsl.compile.FunctionBuilder().inputs(List.of(tsl.compile.In.of(z), tsl.compile.In.of(y)))
                .outputs(outs, false).mode(new tsl.compile.Mode("c", "fast_run")).build();
        FunctionGraph g = FunctionGraph.clone(List.of(z, y), outs, Map.of());
        tsl.rewrite.Optimizer.forMode("fast_run").optimize(g);
        String src = new NativeLinker().generatedSource(g, List.of(z, y));
        long loops = src.lines().filter(l -> l.strip().startsWith("#pragma omp parallel for simd")).count();
        assertTrue(loops >= 1 && src.contains("log1p(exp(-fabs("), "fused loops with softplus in them");
        assertEquals(loops, vectorizedLoops(src, dir));
        NDArray zv = random(DType.FLOAT64, new int[] {37}, -40, 40, 7);
        NDArray yv = random(DType.FLOAT64, new int[] {37}, 0, 1, 8);
        same(List.of(z, y), outs, zv, yv);
        assertEquals(3, f.call(zv, yv).length);
    }

    @Test
    void sigmoidMatchesTheReferenceInBothTails() {
        Variable a = OpTesting.var(DType.FLOAT64, 1, "a");
        Variable b = OpTesting.var(DType.FLOAT32, 1, "b");
        double[] v = {-800, -745, -720, -709.5, -40, -1, -1e-300, -0.0, 0.0, 1e-300, 1, 40, 709.5, 720, 800,
            Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] many = new double[v.length * 4 + 3]; // long enough for the vector body and a scalar tail
        for (int i = 0; i < many.length; i++) {
            many[i] = v[i % v.length];
        }
        NDArray xa = NDArray.fromDoubles(DType.FLOAT64, new int[] {many.length}, many);
        NDArray xb = NDArray.fromDoubles(DType.FLOAT32, new int[] {many.length}, many);
        same(List.of(a, b), List.of(T.sigmoid(a), T.sigmoid(b)), xa, xb);
        same(List.of(a), List.of(T.sigmoid(a)), random(DType.FLOAT64, new int[] {1001}, -30, 30, 5));
    }
}
