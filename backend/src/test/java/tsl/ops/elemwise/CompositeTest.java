package tsl.ops.elemwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tsl.graph.TslException;
import tsl.tensor.DType;

/** The fused scalar program: its values, its C expression (compiled with gcc and nvcc when present) and its display. */
class CompositeTest {
    private static final DType F = DType.FLOAT64;

    /** tanh(exp(i0) * i1 + sqr(i0)) > 0.5 ? 2*i1 : i1, as one scalar program. */
    private static ScalarOp program() {
        return Composite.of(2, List.of(
                new Composite.Step(ScalarOps.EXP, new int[] {0}, new DType[] {F}, F),                 // 2
                new Composite.Step(ScalarOps.MUL, new int[] {2, 1}, new DType[] {F, F}, F),           // 3
                new Composite.Step(ScalarOps.SQR, new int[] {0}, new DType[] {F}, F),                 // 4
                new Composite.Step(ScalarOps.ADD, new int[] {3, 4}, new DType[] {F, F}, F),           // 5
                new Composite.Step(ScalarOps.TANH, new int[] {5}, new DType[] {F}, F)));              // 6
    }

    private static double reference(double a, double b) {
        return Math.tanh(Math.exp(a) * b + a * a);
    }

    @Test
    void evaluatesEveryStep() {
        ScalarOp p = program();
        assertEquals(2, p.nin());
        assertEquals("Composite{tanh(((exp(i0) * i1) + sqr(i0)))}", p.name());
        for (double[] in : new double[][] {{0.3, -1.2}, {-2, 0.5}, {1e-3, 4}}) {
            assertEquals(reference(in[0], in[1]), p.real().apply(in), 0.0);
        }
        assertNull(p.integer(), "a float program has no integer form");
    }

    @Test
    void hasNoGradient() {
        assertThrows(TslException.class, () -> program().grad().grad(null, null, null));
    }

    @Test
    void cExpressionUsesTypedTemporaries() {
        assertEquals("({ double tsl_c0 = (double) (exp(a)); double tsl_c1 = (double) ((tsl_c0 * b)); "
                + "double tsl_c2 = (double) ((a * a)); double tsl_c3 = (double) ((tsl_c1 + tsl_c2)); "
                + "double tsl_c4 = (double) (tanh(tsl_c3)); tsl_c4; })", program().c().apply(new String[] {"a", "b"}));
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void cExpressionCompilesAndComputesTheSameWithGcc() throws Exception {
        assumeTrue(runs("gcc", "--version"), "gcc not installed");
        Path dir = Files.createTempDirectory("tsl-composite");
        Path src = dir.resolve("t.c");
        String expr = program().c().apply(new String[] {"x[i]", "y[i]"});
        Files.writeString(src, "#include <math.h>\n#include <stdint.h>\n#include <stdio.h>\n"
                + "int main(void) { double x[3] = {0.3, -2, 1e-3}; double y[3] = {-1.2, 0.5, 4};\n"
                + "  for (int i = 0; i < 3; i++) printf(\"%.17g\\n\", " + expr + ");\n  return 0; }\n");
        Path exe = dir.resolve("t");
        assertEquals(true, runs("gcc", "-O2", "-o", exe.toString(), src.toString(), "-lm"), "gcc compiles the composite");
        Process p = new ProcessBuilder(exe.toString()).start();
        String[] lines = new String(p.getInputStream().readAllBytes()).trim().split("\n");
        p.waitFor();
        double[][] in = {{0.3, -1.2}, {-2, 0.5}, {1e-3, 4}};
        for (int i = 0; i < 3; i++) {
            assertEquals(reference(in[i][0], in[i][1]), Double.parseDouble(lines[i]), 1e-15);
        }
    }

    @Test
    void cExpressionCompilesForCudaWithNvcc() throws Exception {
        assumeTrue(runs("nvcc", "--version"), "nvcc not installed");
        Path dir = Files.createTempDirectory("tsl-composite-cu");
        Path src = dir.resolve("k.cu");
        String expr = program().c().apply(new String[] {"x[i]", "y[i]"});
        Files.writeString(src, "#include <stdint.h>\nextern \"C\" __global__ void k(const double* x, const double* y, double* z, int n) {\n"
                + "  int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) z[i] = " + expr + ";\n}\n");
        assertEquals(true, runs("nvcc", "-ptx", "-o", dir.resolve("k.ptx").toString(), src.toString()), "nvcc compiles the composite");
    }
}
