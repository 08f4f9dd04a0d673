package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** Compiles the same graph with the jvm and the native linker and compares what they compute. */
final class NativeTesting {
    private NativeTesting() {}

    static void assumeCompiler() {
        Assumptions.assumeTrue(NativeLinker.available(), "gcc is not installed");
    }

    static tsl.compile.Function compile(String linker, List<Variable> inputs, List<Variable> outputs) {
        List<In> ins = new ArrayList<>();
        for (Variable v : inputs) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(outputs, false).onUnusedInput("ignore")
                // no rewrites: these tests are about each op's generated code, node by node
                .mode(new Mode(linker, "None")).build();
    }

    static NDArray[] run(String linker, List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        return compile(linker, inputs, outputs).call((Object[]) values);
    }

    /** Runs on both linkers and checks dtype, shape and values agree (within rtol for floats). */
    static NDArray[] same(List<Variable> inputs, List<Variable> outputs, NDArray... values) {
        NDArray[] ref = run("jvm", inputs, outputs, values);
        NDArray[] nat = run("c", inputs, outputs, values);
        for (int i = 0; i < ref.length; i++) {
            assertClose(ref[i], nat[i], "output " + i);
        }
        return nat;
    }

    static void assertClose(NDArray ref, NDArray nat, String what) {
        assertEquals(ref.dtype(), nat.dtype(), what + ": dtype");
        assertArrayEquals(ref.shape(), nat.shape(), what + ": shape");
        double rtol = ref.dtype() == DType.FLOAT32 ? 1e-5 : 1e-12;
        // float32 libm calls run in float natively (expf), in double on the jvm: an ulp or two of an
        // operand, which a cancellation (exp(b) + b near 0) makes large beside the result
        double atol = ref.dtype() == DType.FLOAT32 ? 1e-6 : 1e-300;
        for (long k = 0; k < ref.size(); k++) {
            double r = ref.getDouble(k);
            double n = nat.getDouble(k);
            boolean ok = ref.dtype().isFloat()
                    ? (Double.isNaN(r) && Double.isNaN(n)) || r == n || Math.abs(r - n) <= rtol * Math.max(Math.abs(r), 1e-300) + atol
                    : ref.getLong(k) == nat.getLong(k);
            if (!ok) {
                fail(what + ": element " + k + ": jvm " + r + " native " + n + " (jvm " + ref + ", native " + nat + ")");
            }
        }
    }

    /** Deterministic pseudo-random values in [lo, hi). */
    static NDArray random(DType dtype, int[] shape, double lo, double hi, long seed) {
        java.util.Random r = new java.util.Random(seed);
        long n = NDArray.sizeOf(shape);
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return NDArray.fromDoubles(dtype, shape, v);
    }
}
