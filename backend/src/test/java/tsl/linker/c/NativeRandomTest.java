package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tsl.linker.c.NativeTesting.same;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.random.RandomVariable;
import tsl.ops.random.RandomVariable.Distribution;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Uniform and normal draws in C give the jvm reference's stream bit for bit. */
class NativeRandomTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static List<Variable> draw(Distribution d, DType dtype, Variable state, Object... sizes) {
        List<Variable> in = new java.util.ArrayList<>(List.of(state));
        for (Object s : sizes) {
            in.add(T.asTensorVariable(s));
        }
        return new RandomVariable(d, dtype).makeNode(in).outputs();
    }

    @Test
    void uniformDrawsAreTheReferencesStream() {
        Variable state = OpTesting.var(DType.INT64, 1, "state");
        Variable n = OpTesting.var(DType.INT32, 0, "n");
        List<Variable> d64 = draw(Distribution.UNIFORM, DType.FLOAT64, state, n, T.constant(3L, DType.INT64));
        List<Variable> d32 = draw(Distribution.UNIFORM, DType.FLOAT32, d64.get(0), T.constant(1000L, DType.INT64));
        // dropout's shape: a mask from a draw compared with p
        List<Variable> outs = List.of(d64.get(1), d32.get(0), T.lt(d32.get(1), T.constant(0.3f, DType.FLOAT32)), d32.get(1));
        FunctionGraph g = FunctionGraph.clone(List.of(state, n), outs, Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(state, n));
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
        for (long[] kc : new long[][] {{0, 0}, {0x9E3779B97F4A7C15L, 41}, {-1, Long.MAX_VALUE}}) {
            NDArray st = NDArray.fromLongs(DType.INT64, new int[] {2}, kc);
            NDArray[] r = same(List.of(state, n), outs, st, NDArray.scalar(5L, DType.INT32));
            assertEquals(kc[1] + 2, r[1].getLong(1), "two draws advance the counter twice");
            NDArray[] jvm = NativeTesting.run("jvm", List.of(state, n), outs, st, NDArray.scalar(5L, DType.INT32));
            for (int i = 0; i < 1000; i++) {
                assertEquals(jvm[3].getDouble(i), r[3].getDouble(i), "bit for bit");
            }
        }
    }

    @Test
    void badStatesAndSizesAreTheReferencesErrors() {
        Variable state = OpTesting.var(DType.INT64, 1, "state");
        Variable n = OpTesting.var(DType.INT64, 0, "n");
        for (Distribution d : Distribution.values()) {
            List<Variable> outs = draw(d, DType.FLOAT64, state, n);
            for (NDArray[] args : new NDArray[][] {
                {NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {1, 2, 3}), NDArray.scalar(2L, DType.INT64)},
                {NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {1, 2}), NDArray.scalar(-2L, DType.INT64)},
                {NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {1, 2}), NDArray.scalar(1L << 31, DType.INT64)}}) {
                TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(state, n), outs, args));
                TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(state, n), outs, args));
                assertEquals(jvm.getMessage().lines().findFirst(), nat.getMessage().lines().findFirst());
            }
        }
    }

    /** Asserts every element has the same bits (float32 and float64 alike: compared as doubles, NaN included). */
    private static void assertBits(NDArray jvm, NDArray nat, String what) {
        assertEquals(jvm.dtype(), nat.dtype(), what + ": dtype");
        org.junit.jupiter.api.Assertions.assertArrayEquals(jvm.shape(), nat.shape(), what + ": shape");
        for (long i = 0; i < jvm.size(); i++) {
            if (Double.doubleToRawLongBits(jvm.getDouble(i)) != Double.doubleToRawLongBits(nat.getDouble(i))) {
                org.junit.jupiter.api.Assertions.fail(what + ": element " + i + ": jvm " + jvm.getDouble(i) + " native " + nat.getDouble(i));
            }
        }
    }

    /**
     * A million float64 and a million float32 normals per call, at gcc's default level and at -O3
     * (where gcc would contract a*b+c into an FMA without NormalTransform's pragma): the same bits.
     */
    @Test
    void normalDrawsAreTheReferencesStreamBitForBit() {
        Variable state = OpTesting.var(DType.INT64, 1, "state");
        Variable n = OpTesting.var(DType.INT32, 0, "n");
        List<Variable> d64 = draw(Distribution.NORMAL, DType.FLOAT64, state, n, T.constant(1000L, DType.INT64));
        List<Variable> d32 = draw(Distribution.NORMAL, DType.FLOAT32, d64.get(0), T.constant(1000L, DType.INT64), n);
        List<Variable> outs = List.of(d64.get(1), d32.get(0), d32.get(1));
        FunctionGraph g = FunctionGraph.clone(List.of(state, n), outs, Map.of());
        String src = new NativeLinker().generatedSource(g, List.of(state, n));
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
        assertTrue(src.contains("tsl_normal_fill_d(") && src.contains("tsl_normal_fill_f("), "both draws in C");
        String before = tsl.compile.Config.get("native_opt");
        try {
            for (String opt : new String[] {"-O1", "-O3"}) {
                tsl.compile.Config.set("native_opt", opt);
                for (long[] kc : new long[][] {{0, 0}, {0x9E3779B97F4A7C15L, 41}, {-1, Long.MAX_VALUE}}) {
                    NDArray st = NDArray.fromLongs(DType.INT64, new int[] {2}, kc);
                    NDArray[] jvm = NativeTesting.run("jvm", List.of(state, n), outs, st, NDArray.scalar(1000L, DType.INT32));
                    NDArray[] nat = NativeTesting.run("c", List.of(state, n), outs, st, NDArray.scalar(1000L, DType.INT32));
                    assertBits(jvm[0], nat[0], opt + " float64");
                    assertBits(jvm[2], nat[2], opt + " float32");
                    assertEquals(kc[1] + 2, nat[1].getLong(1), "two draws advance the counter twice");
                    assertEquals(kc[0], nat[1].getLong(0));
                }
            }
        } finally {
            tsl.compile.Config.set("native_opt", before == null ? "" : before);
        }
    }

    /** gcc -O3 -march=native contracts a*b+c into FMA unless told not to: the normal draw's C has none. */
    @Test
    void normalDrawCodeHasNoFusedMultiplyAdd(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path c = dir.resolve("n.c");
        java.nio.file.Path asm = dir.resolve("n.s");
        java.nio.file.Files.writeString(c, Prelude.text() + tsl.ops.random.NormalTransform.C_CODE
                + "void d(uint64_t k, int64_t n, double* o) { tsl_normal_fill_d(k, 0, n, o); }\n"
                + "void f(uint64_t k, int64_t n, float* o) { tsl_normal_fill_f(k, 0, n, o); }\n");
        List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O3"));
        cmd.addAll(Gcc.BASE_FLAGS);
        cmd.addAll(List.of("-S", "-o", asm.toString(), c.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        String text = java.nio.file.Files.readString(asm);
        assertTrue(text.contains("tsl_normal_fill_d") && text.contains("sqrtsd"), "the fill loops were compiled");
        assertTrue(!text.matches("(?s).*\\bvf(n)?m(add|sub)\\w*.*"), "no FMA instruction");
    }

    @Test
    void normalDrawShapes() {
        Variable state = OpTesting.var(DType.INT64, 1, "state");
        Variable a = OpTesting.var(DType.INT64, 0, "a");
        Variable b = OpTesting.var(DType.INT64, 0, "b");
        List<Variable> scalar = draw(Distribution.NORMAL, DType.FLOAT64, state);
        List<Variable> cube = draw(Distribution.NORMAL, DType.FLOAT32, scalar.get(0), a, b, T.constant(3L, DType.INT64));
        List<Variable> outs = List.of(scalar.get(1), cube.get(1), cube.get(0));
        NDArray st = NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {12345, 6});
        for (long[] ab : new long[][] {{2, 5}, {0, 4}, {1, 1}}) {
            NDArray[] args = {st, NDArray.scalar(ab[0], DType.INT64), NDArray.scalar(ab[1], DType.INT64)};
            NDArray[] jvm = NativeTesting.run("jvm", List.of(state, a, b), outs, args);
            NDArray[] nat = NativeTesting.run("c", List.of(state, a, b), outs, args);
            assertEquals(0, nat[0].ndim());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {(int) ab[0], (int) ab[1], 3}, nat[1].shape());
            for (int i = 0; i < 3; i++) {
                assertBits(jvm[i], nat[i], "output " + i + " for " + java.util.Arrays.toString(ab));
            }
        }
        // a strided state (a view) is read through its stride
        Variable big = OpTesting.var(DType.INT64, 1, "big");
        Variable view = T.subtensor(big, T.slice(null, null, 2L));
        List<Variable> fromView = draw(Distribution.NORMAL, DType.FLOAT64, view, T.constant(7L, DType.INT64));
        NDArray wide = NDArray.fromLongs(DType.INT64, new int[] {4}, new long[] {99, -5, 3, -5});
        assertBits(NativeTesting.run("jvm", List.of(big), List.of(fromView.get(1)), wide)[0],
                NativeTesting.run("c", List.of(big), List.of(fromView.get(1)), wide)[0], "from a view");
    }

    private static tsl.compile.Function compileStreams(String linker, List<Variable> in, Variable out) {
        List<tsl.compile.In> ins = new java.util.ArrayList<>();
        for (Variable v : in) {
            ins.add(tsl.compile.In.of(v));
        }
        return new tsl.compile.FunctionBuilder().inputs(ins).outputs(List.of(out), true)
                .mode(new tsl.compile.Mode(linker, "fast_run")).build();
    }

    /** The graph a compiled function runs, as C: one segment means no Java step. */
    private static String compiledSource(tsl.compile.Function f) {
        FunctionGraph g = f.graph();
        List<Variable> free = new java.util.ArrayList<>(g.inputs());
        for (Variable v : g.freeVariables()) {
            if (!free.contains(v)) {
                free.add(v);
            }
        }
        return new NativeLinker().generatedSource(g, free);
    }

    /** RandomStreams.normal(size, avg, std) with tensor avg and std broadcast over the draw, optimized: all C, the same bits. */
    @Test
    void scaledNormalsWithBroadcastParametersAreTheReferences() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            tsl.ops.random.RandomStreams srng = new tsl.ops.random.RandomStreams(2024);
            Variable avg = OpTesting.var(dt, 1, "avg");
            Variable std = OpTesting.var(dt, 2, "std");
            Variable sized = srng.normal(new Object[] {4, 3}, avg, std, dt);
            Variable fromParams = srng.normal(new Object[0], avg, std, dt); // size=None: the parameters' broadcast shape
            Variable both = T.add(sized, fromParams);
            tsl.compile.Function jf = compileStreams("jvm", List.of(avg, std), both);
            tsl.compile.Function cf = compileStreams("c", List.of(avg, std), both);
            String src = compiledSource(cf);
            assertTrue(src != null && src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment:\n" + src);
            NDArray av = NativeTesting.random(dt, new int[] {3}, -2, 2, 1);
            NDArray sd = NativeTesting.random(dt, new int[] {4, 1}, 0.5, 3, 2);
            for (int call = 0; call < 3; call++) { // each call draws afresh: the state updates too
                srng.seed(77 + call);
                NDArray j = jf.call(av, sd)[0];
                srng.seed(77 + call);
                NDArray c = cf.call(av, sd)[0];
                assertBits(j, c, dt + " call " + call);
                org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {4, 3}, c.shape());
                NDArray again = cf.call(av, sd)[0];
                assertTrue(again.getDouble(0) != c.getDouble(0), "the state advanced");
            }
            // parameters that do not broadcast together: the reference's error
            NDArray bad = NativeTesting.random(dt, new int[] {4, 2}, 0.5, 3, 3);
            TslException je = assertThrows(TslException.class, () -> jf.call(av, bad));
            TslException ce = assertThrows(TslException.class, () -> cf.call(av, bad));
            assertEquals(je.getMessage().lines().findFirst(), ce.getMessage().lines().findFirst());
        }
    }
}
