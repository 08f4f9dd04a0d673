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
        String log = compileObject(src, dir);
        return (int) log.lines().filter(l -> l.contains("loop vectorized")).map(l -> l.split(":")[1]).distinct().count();
    }

    /** Compiles src to dir/k.o with the kernels' flags; returns gcc's vectorizer report. */
    private static String compileObject(String src, Path dir) throws IOException, InterruptedException {
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
        return log;
    }

    /** The libmvec functions an object file calls (its symbol table names them): _ZGVdN8v_expf gives expf. */
    private static java.util.Set<String> vectorCalls(Path object) throws IOException {
        String bytes = new String(Files.readAllBytes(object), StandardCharsets.ISO_8859_1);
        java.util.Set<String> calls = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("_ZGV[bcde]N[0-9]+v+_([a-z0-9]+)\u0000").matcher(bytes);
        while (m.find()) {
            calls.add(m.group(1));
        }
        return calls;
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
    void theProbeLooksForTheVectorAbisNames() {
        // a wrong name would read as "no libmvec" and quietly skip the tests above
        Prelude.VectorType d = Prelude.VECTOR_TYPES.get(0);
        Prelude.VectorType f = Prelude.VECTOR_TYPES.get(1);
        assertEquals("_ZGVbN2v_exp", d.symbol(d.variants().get(0), "exp"));
        assertEquals("_ZGVeN8vv_pow", d.symbol(d.variants().get(3), "pow"));
        assertEquals("_ZGVdN8v_log1pf", f.symbol(f.variants().get(2), "log1p"));
        assertEquals("_ZGVcN8vv_powf", f.symbol(f.variants().get(1), "pow"));
    }

    @Test
    void float32LoopsCallTheFloatVectorFunctions(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(NativeLibraries.vectorMath(null, null), "no libmvec: libm calls stay scalar");
        Variable y = OpTesting.var(DType.FLOAT32, 1, "y");
        Variable i = OpTesting.var(DType.INT16, 1, "i");
        // exp of int16 is float32 too, but computed from the integer in double, as before
        List<Variable> outs = List.of(T.exp(y), T.log1p(y), T.tanh(y), T.sigmoid(y), T.softplus(y), T.pow(y, y), T.log(i));
        FunctionGraph g = FunctionGraph.clone(List.of(y, i), outs, Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(y, i));
        compileObject(src, dir);
        assertEquals(java.util.Set.of("expf", "log1pf", "tanhf", "powf", "log"), vectorCalls(dir.resolve("k.o")),
                "float32 arguments call the float variants, integer ones the double");
    }

    /**
     * Float32 math runs in float (expf, ...) where the jvm linker computes in double and rounds:
     * the two may differ, but by no more than a few float32 ulp, in the vector body and the tail.
     */
    @Test
    void float32MathIsWithinAFewUlpOfTheReference() {
        Variable y = OpTesting.var(DType.FLOAT32, 1, "y");
        Map<String, Variable> ops = new java.util.LinkedHashMap<>();
        ops.put("exp", T.exp(y));
        ops.put("expm1", T.expm1(y));
        ops.put("log1p", T.log1p(T.abs(y)));
        ops.put("log", T.log(T.abs(y)));
        ops.put("tanh", T.tanh(y));
        ops.put("sin", T.sin(y));
        ops.put("sigmoid", T.sigmoid(y));
        ops.put("softplus", T.softplus(y));
        ops.put("erf", T.erf(y));
        ops.put("pow", T.pow(T.abs(y), T.constant(1.7f, DType.FLOAT32)));
        NDArray v = random(DType.FLOAT32, new int[] {1003}, -30, 30, 11);
        List<Variable> outs = new ArrayList<>(ops.values());
        NDArray[] ref = NativeTesting.run("jvm", List.of(y), outs, v);
        NDArray[] nat = NativeTesting.run("c", List.of(y), outs, v);
        List<String> names = new ArrayList<>(ops.keySet());
        for (int k = 0; k < outs.size(); k++) {
            assertEquals(DType.FLOAT32, nat[k].dtype(), names.get(k));
            for (long e = 0; e < v.size(); e++) {
                float r = (float) ref[k].getDouble(e);
                float n = (float) nat[k].getDouble(e);
                assertTrue(r == n || Math.abs(r - n) <= 4 * Math.ulp(r),
                        names.get(k) + "(" + v.getDouble(e) + "): jvm " + r + ", native " + n);
            }
        }
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
