package tsl.linker.c;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.tensor.DType;

class SmokeTest {
    @Test
    void addsTwoMatrices() {
        NativeTesting.assumeCompiler();
        Variable a = OpTesting.var(DType.FLOAT64, 2, "a");
        Variable b = OpTesting.var(DType.FLOAT64, 2, "b");
        NativeTesting.same(List.of(a, b), List.of(T.add(a, b), T.exp(T.mul(a, b))),
                NativeTesting.random(DType.FLOAT64, new int[] {3, 4}, -1, 1, 1),
                NativeTesting.random(DType.FLOAT64, new int[] {3, 4}, -1, 1, 2));
    }
}
