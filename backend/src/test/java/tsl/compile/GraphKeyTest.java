package tsl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import tsl.graph.FunctionGraph;
import tsl.graph.SharedVariable;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The program cache's key: equal for the same graph built twice, different for anything that changes the program. */
class GraphKeyTest {
    private static String key(Supplier<List<Variable>> build) {
        return keyOf(build, "fast_run", "gcc 1");
    }

    /** Builds the graph (first variable the input, the rest outputs) and keys it. */
    private static String keyOf(Supplier<List<Variable>> build, String optimizer, String linker) {
        List<Variable> vs = build.get();
        FunctionGraph g = FunctionGraph.clone(List.of(vs.get(0)), vs.subList(1, vs.size()), Map.of());
        GraphKey k = GraphKey.of(g, optimizer, linker);
        assertNotNull(k, "the graph has a stable form");
        return k.hash();
    }

    private static Supplier<List<Variable>> affine(DType dtype, double c, int axis) {
        return () -> {
            Variable x = OpTesting.var(dtype, 2, "x");
            return List.of(x, T.sum(T.mul(T.exp(x), T.constant(c)), axis));
        };
    }

    @Test
    void theSameGraphBuiltTwiceHasOneKey() {
        assertEquals(key(affine(DType.FLOAT64, 2, 0)), key(affine(DType.FLOAT64, 2, 0)));
    }

    @Test
    void aConstantsValueDtypeOrAnOpParameterChangesTheKey() {
        String k = key(affine(DType.FLOAT64, 2, 0));
        assertNotEquals(k, key(affine(DType.FLOAT64, 3, 0)), "constant value");
        assertNotEquals(k, key(affine(DType.FLOAT32, 2, 0)), "input dtype");
        assertNotEquals(k, key(affine(DType.FLOAT64, 2, 1)), "reduce axis");
    }

    @Test
    void theBroadcastPatternAndTheInputNameChangeTheKey() {
        Supplier<List<Variable>> row = () -> {
            Variable x = OpTesting.var(DType.FLOAT64, new int[] {1, TensorType.UNKNOWN}, "x");
            return List.of(x, T.exp(x));
        };
        Supplier<List<Variable>> matrix = () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 2, "x");
            return List.of(x, T.exp(x));
        };
        Supplier<List<Variable>> renamed = () -> {
            Variable x = OpTesting.var(DType.FLOAT64, 2, "y");
            return List.of(x, T.exp(x));
        };
        assertNotEquals(key(row), key(matrix));
        assertNotEquals(key(matrix), key(renamed));
    }

    @Test
    void theOptimizerTheLinkerAndTheFlagsChangeTheKey() {
        Supplier<List<Variable>> g = affine(DType.FLOAT64, 2, 0);
        String k = keyOf(g, "fast_run", "gcc 1");
        assertNotEquals(k, keyOf(g, "None", "gcc 1"));
        assertNotEquals(k, keyOf(g, "fast_run", "gcc 2"));
        String before = Config.get("mvec");
        try {
            Config.set("mvec", "Maybe" + System.nanoTime());
            assertNotEquals(k, keyOf(g, "fast_run", "gcc 1"));
        } finally {
            Config.set("mvec", before == null ? "" : before);
        }
        // where to cache and what to print do not change the program
        String cachedir = Config.get("cachedir");
        try {
            Config.set("cachedir", "/tmp/elsewhere-" + System.nanoTime());
            Config.set("mvec", before == null ? "" : before);
            String again = keyOf(g, "fast_run", "gcc 1");
            Config.set("cachedir", cachedir == null ? "" : cachedir);
            assertEquals(keyOf(g, "fast_run", "gcc 1"), again);
        } finally {
            Config.set("cachedir", cachedir == null ? "" : cachedir);
        }
    }

    @Test
    void sharedVariablesAreKeyedByTypeNotValueAndNamedAsLeaves() {
        SharedVariable w = new SharedVariable(new TensorType(DType.FLOAT64, TensorType.UNKNOWN), NDArray.of(1, 2, 3), "w");
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        FunctionGraph g = FunctionGraph.clone(List.of(x), List.of(T.mul(x, w)), Map.of());
        GraphKey k1 = GraphKey.of(g, "fast_run", "gcc");
        w.setValue(NDArray.of(4, 5), false);
        GraphKey k2 = GraphKey.of(g, "fast_run", "gcc");
        // the value is read at call time: another value is the same program
        assertEquals(k1.hash(), k2.hash());
        assertSame(x, k1.leaves().get(0));
        assertSame(w, k1.leaves().get(1));
    }
}
