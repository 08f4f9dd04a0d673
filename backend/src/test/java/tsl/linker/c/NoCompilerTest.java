package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

class NoCompilerTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingCompilerIsNotFound() {
        assertNull(Gcc.probe(tmp.resolve("no-such-gcc").toString()));
    }

    @Test
    void withoutACompilerTheJvmRunsTheGraphAndWarnsOnce() {
        Variable x = OpTesting.var(DType.FLOAT64, 1, "x");
        FunctionGraph g = FunctionGraph.clone(List.of(x), List.of(T.mul(x, 2)), Map.of());
        NativeLinker linker = new NativeLinker(new KernelCache(tmp.resolve("k")), () -> null);
        List<Variable> free = new java.util.ArrayList<>(List.of(x));
        for (Variable v : g.freeVariables()) {
            if (v != x) {
                free.add(v); // the constant 2
            }
        }
        NDArray two = ((tsl.graph.Constant) free.get(1)).value();
        NDArray out = linker.link(g, free).run(new NDArray[] {OpTesting.vec(DType.FLOAT64, 1, 2), two})[0];
        assertArrayEquals(new double[] {2, 4}, out.toDoubleArray());
        linker.link(g, free);
        assertFalse(NativeLinker.warnNoCompiler(), "the warning was already printed");
    }
}
