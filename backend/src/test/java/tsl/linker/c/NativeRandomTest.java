package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** Uniform draws in C give the jvm reference's stream bit for bit; normal draws stay in Java. */
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
        List<Variable> outs = draw(Distribution.UNIFORM, DType.FLOAT64, state, n);
        for (NDArray[] args : new NDArray[][] {
            {NDArray.fromLongs(DType.INT64, new int[] {3}, new long[] {1, 2, 3}), NDArray.scalar(2L, DType.INT64)},
            {NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {1, 2}), NDArray.scalar(-2L, DType.INT64)}}) {
            TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", List.of(state, n), outs, args));
            TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", List.of(state, n), outs, args));
            assertEquals(jvm.getMessage().lines().findFirst(), nat.getMessage().lines().findFirst());
        }
        assertNull(Emitters.of(draw(Distribution.NORMAL, DType.FLOAT64, state, n).get(0).owner()), "normal draws run in Java");
    }
}
