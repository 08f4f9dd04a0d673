package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tsl.compile.Function;
import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.FusedElemwise;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The C code of a multi-output fused loop against the jvm reference: one loop, or one per output when shapes differ. */
class FusedElemwiseEmitterTest {
    private static Function compile(String linker, List<Variable> ins, List<Variable> outs) {
        return new FunctionBuilder().inputs(ins.stream().map(In::of).toList()).outputs(outs, false)
                .mode(new Mode(linker, "fast_run")).build();
    }

    private static void same(List<Variable> ins, List<Variable> outs, NDArray... values) {
        NativeTesting.assumeCompiler();
        Function nat = compile("c", ins, outs);
        Apply fused = nat.graph().toposort().stream().filter(a -> a.op() instanceof FusedElemwise).findFirst().orElseThrow();
        assertNotNull(Emitters.of(fused), "the fused loop has C code");
        NDArray[] want = compile("jvm", ins, outs).call((Object[]) values);
        NDArray[] got = nat.call((Object[]) values);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].dtype(), got[i].dtype());
            assertArrayEquals(want[i].shape(), got[i].shape(), "shape of output " + i);
            assertArrayEquals(want[i].toDoubleArray(), got[i].toDoubleArray(), 1e-12, "output " + i);
        }
    }

    private final Variable x = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "x");
    private final Variable y = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "y");

    private static NDArray vec(double... v) {
        return NDArray.fromDoubles(DType.FLOAT64, new int[] {v.length}, v);
    }

    @Test
    void oneLoopWritesEveryOutput() {
        Variable s = T.sigmoid(T.add(x, y));
        same(List.of(x, y), List.of(T.gt(s, 0.5), T.mul(s, y), T.sum(T.exp(s))), vec(-1, 0, 2, 3), vec(0.5, 1, -4, 2));
    }

    @Test
    void outputsOfDifferentRunTimeShapesGetTheirOwnLoops() {
        Variable e = T.exp(x);
        same(List.of(x, y), List.of(T.mul(T.add(e, y), y), T.sum(e)), vec(0.25), vec(1, 2, 3));
    }

    @Test
    void float32AndIntegerPrograms() {
        Variable a = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "a");
        Variable b = new Variable(TensorType.ofNdim(DType.FLOAT32, 2), "b");
        Variable s = T.tanh(T.mul(a, b));
        NDArray av = NDArray.fromDoubles(DType.FLOAT32, new int[] {2, 3}, new double[] {1.1, -2, 3, 0.5, 7, -0.25});
        NDArray bv = NDArray.fromDoubles(DType.FLOAT32, new int[] {2, 3}, new double[] {0.3, 0.2, -1, 4, 0.01, 2});
        same(List.of(a, b), List.of(T.add(s, a), T.sum(T.sqr(s))), av, bv);
        Variable i = new Variable(TensorType.ofNdim(DType.INT8, 1), "i");
        Variable j = new Variable(TensorType.ofNdim(DType.INT8, 1), "j");
        Variable p = T.mod(T.mul(T.add(i, j), j), 7); // mod is not cheap: computed once, kept as a second output
        same(List.of(i, j), List.of(T.sub(p, i), T.sum(T.mul(p, p))),
                NDArray.fromLongs(DType.INT8, new int[] {3}, new long[] {100, -100, 5}),
                NDArray.fromLongs(DType.INT8, new int[] {3}, new long[] {100, -50, 9}));
    }

    @Test
    void aShapeMismatchIsAnErrorNamingTheLoop() {
        NativeTesting.assumeCompiler();
        Variable e = T.exp(x);
        Function nat = compile("c", List.of(x, y), List.of(T.mul(T.add(e, y), y), T.sum(e)));
        TslException err = assertThrows(TslException.class, () -> nat.call(vec(1, 2), vec(1, 2, 3)));
        assertTrue(err.getMessage().contains("Input dimension mismatch"), err.getMessage());
    }
}
