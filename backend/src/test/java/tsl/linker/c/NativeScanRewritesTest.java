package tsl.linker.c;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.grad.Gradient;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.control.ScanBuilder;
import tsl.ops.control.ScanBuilder.OutputInfo;
import tsl.ops.control.ScanBuilder.Sequence;
import tsl.ops.control.ScanBuilder.Step;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The RNN gradient with every FAST_RUN rewrite (the scan rewrites included: pruned outputs,
 * sums pushed out as gemm, optimized and hoisted steps) through the native linker, against
 * the jvm linker with no rewrites at all.
 */
class NativeScanRewritesTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static tsl.compile.Function compile(String linker, String optimizer, List<Variable> in, List<Variable> out) {
        List<In> ins = new ArrayList<>();
        for (Variable v : in) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(out, false).onUnusedInput("ignore").mode(new Mode(linker, optimizer)).build();
    }

    @Test
    void rnnGradientsAgreeWithTheUnrewrittenReference() {
        Variable xs = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "xs");
        Variable w = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "W");
        Variable u = new Variable(TensorType.ofNdim(DType.FLOAT64, 2), "U");
        Variable h0 = new Variable(TensorType.ofNdim(DType.FLOAT64, 1), "h0");
        NDArray[] v = {NativeTesting.random(DType.FLOAT64, new int[] {9, 5}, -1, 1, 1),
            NativeTesting.random(DType.FLOAT64, new int[] {6, 6}, -0.4, 0.4, 2),
            NativeTesting.random(DType.FLOAT64, new int[] {6, 5}, -0.4, 0.4, 3),
            NativeTesting.random(DType.FLOAT64, new int[] {6}, -1, 1, 4)};
        for (boolean backwards : new boolean[] {false, true}) {
            for (int truncate : new int[] {-1, 4}) {
                Variable hs = ScanBuilder.scan(a -> new Step(List.of(T.tanh(T.add(T.dot(a.get(2), a.get(1)), T.dot(a.get(3), a.get(0))))),
                        Map.of(), null), List.of(new Sequence(xs)), List.of(OutputInfo.of(h0)), List.of(w, u), null, truncate, backwards,
                        "rnn").outputs().get(0);
                Variable cost = T.sum(T.mul(hs, hs));
                List<Variable> out = new ArrayList<>(List.of(cost, T.subtensor(hs, -1L)));
                out.addAll(Gradient.grad(cost, List.of(w, u, h0), null, "raise"));
                List<Variable> in = List.of(xs, w, u, h0);
                NDArray[] ref = compile("jvm", "None", in, out).call((Object[]) v);
                NDArray[] got = compile("c", "fast_run", in, out).call((Object[]) v);
                for (int i = 0; i < ref.length; i++) {
                    // the pushed-out sums add in another order: agreement to rounding, not to the bit
                    double[] r = ref[i].toDoubleArray();
                    double[] g = got[i].toDoubleArray();
                    org.junit.jupiter.api.Assertions.assertArrayEquals(ref[i].shape(), got[i].shape());
                    for (int k = 0; k < r.length; k++) {
                        org.junit.jupiter.api.Assertions.assertEquals(r[k], g[k], 1e-12 * Math.max(1, Math.abs(r[k])),
                                "backwards=" + backwards + " truncate=" + truncate + " output " + i + " element " + k);
                    }
                }
            }
        }
    }
}
