package tsl.linker.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static tsl.linker.c.NativeTesting.random;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tsl.compile.FunctionBuilder;
import tsl.compile.In;
import tsl.compile.Mode;
import tsl.grad.Gradient;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.OpTesting;
import tsl.ops.T;
import tsl.ops.nnet.Conv;
import tsl.ops.nnet.Conv2dGradInputs;
import tsl.ops.nnet.Conv2dGradWeights;
import tsl.ops.nnet.ConvParams;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * conv2d and its two gradients in C against the jvm reference: every border mode, explicit
 * padding, subsample, dilation, no flip, groups, batches and channels, float32 and float64,
 * strided inputs, empty arrays, the gradients of a small conv net through grad(), and the
 * reference's errors for shapes that do not fit.
 */
class NativeConvTest {
    @BeforeAll
    static void compiler() {
        NativeTesting.assumeCompiler();
    }

    private static final ConvParams DEF = ConvParams.defaults();

    /** Settings with a filter of 3 x 2 over 2 groups of input channels. */
    private static final ConvParams[] SETTINGS = {
        DEF,
        DEF.withBorderMode("full"),
        DEF.withBorderMode("half"),
        DEF.withPadding(1, 2),
        DEF.withSubsample(2, 3),
        DEF.withBorderMode("full").withSubsample(2, 1).withDilation(2, 1),
        DEF.withPadding(3, 0).withSubsample(1, 2).withFlip(false),
        DEF.withBorderMode("half").withDilation(1, 3).withFlip(false),
        DEF.withGroups(2),
        DEF.withBorderMode("full").withGroups(2).withSubsample(3, 2).withDilation(2, 2)};

    private static Variable var(DType dt, String name) {
        return OpTesting.var(dt, 4, name);
    }

    @Test
    void forwardAndBothGradientOpsMatchTheReferenceForEverySetting() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable x = var(dt, "x");
            Variable w = var(dt, "w");
            Variable wg = var(dt, "wg");
            List<Variable> outs = new ArrayList<>();
            for (ConvParams p : SETTINGS) {
                Variable filters = p.groups() == 1 ? w : wg;
                Variable out = Conv.conv2d(x, filters, p);
                outs.add(out);
                // the gradient ops, fed the forward output (scaled) as the output gradient, and the input's / filters' shapes
                Variable top = T.mul(out, T.constant(0.5, dt));
                outs.add(new Conv2dGradInputs(p).makeNode(List.of(filters, top, spatial(x))).output());
                outs.add(new Conv2dGradWeights(p).makeNode(List.of(x, top, spatial(filters))).output());
            }
            // a spatially transposed input and a channel-reversed filter bank: strided views into C
            outs.add(Conv.conv2d(T.dimshuffle(x, 0, 1, 3, 2), w, SETTINGS[2]));
            Variable wSlice = T.subtensor(w, T.slice(null, null, -1L), T.slice(null, null, -1L));
            outs.add(Conv.conv2d(x, wSlice, SETTINGS[3]));
            List<Variable> ins = List.of(x, w, wg);
            assertOneSegment(ins, outs);
            NDArray wv = random(dt, new int[] {6, 4, 3, 2}, -1, 1, 2);
            NDArray wgv = random(dt, new int[] {6, 2, 3, 2}, -1, 1, 3);
            same(ins, outs, random(dt, new int[] {2, 4, 7, 8}, -1, 1, 1), wv, wgv);
            // one image, tall and thin
            same(ins, outs, random(dt, new int[] {1, 4, 11, 8}, -1, 1, 4), wv, wgv);
        }
    }

    /** (rows, cols) of a 4-d variable as the gradient ops take it, computed in the graph. */
    private static Variable spatial(Variable v) {
        return T.stackScalars(List.of(T.shapeI(v, 2), T.shapeI(v, 3)), DType.INT64);
    }

    @Test
    void emptyBatchesFilterBanksAndKernelsGiveTheReferencesShapes() {
        Variable x = var(DType.FLOAT64, "x");
        Variable w = var(DType.FLOAT64, "w");
        List<Variable> outs = new ArrayList<>();
        for (ConvParams p : new ConvParams[] {DEF, DEF.withBorderMode("full")}) {
            Variable out = Conv.conv2d(x, w, p);
            outs.add(out);
            outs.add(new Conv2dGradInputs(p).makeNode(List.of(w, out, spatial(x))).output());
            outs.add(new Conv2dGradWeights(p).makeNode(List.of(x, out, spatial(w))).output());
        }
        List<Variable> ins = List.of(x, w);
        assertOneSegment(ins, outs);
        same(ins, outs, random(DType.FLOAT64, new int[] {0, 2, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {3, 2, 2, 2}, -1, 1, 2));
        same(ins, outs, random(DType.FLOAT64, new int[] {2, 2, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {0, 2, 2, 2}, -1, 1, 2));
        same(ins, outs, random(DType.FLOAT64, new int[] {2, 0, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {3, 0, 2, 2}, -1, 1, 2));
        same(ins, outs, random(DType.FLOAT64, new int[] {2, 2, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {3, 2, 0, 2}, -1, 1, 2));
    }

    @Test
    void batchesSplitIntoSeveralBlocksOfImages() {
        // blocks hold up to 2^20 doubles: one image per block here (K x N = 162 x 14884), and two of
        // three images for the strided input gradient (the image, 600 x 600, is the larger)
        Variable x = var(DType.FLOAT64, "x");
        Variable w = var(DType.FLOAT64, "w");
        Variable top = var(DType.FLOAT64, "top");
        ConvParams strided = DEF.withSubsample(4, 4);
        Variable out = Conv.conv2d(x, w);
        List<Variable> outs = List.of(out, new Conv2dGradInputs(DEF).makeNode(List.of(w, out, spatial(x))).output(),
                new Conv2dGradWeights(DEF).makeNode(List.of(x, out, spatial(w))).output());
        same(List.of(x, w), outs, random(DType.FLOAT64, new int[] {3, 2, 130, 130}, -1, 1, 1), random(DType.FLOAT64, new int[] {2, 2, 9, 9}, -1, 1, 2));
        Variable xs = var(DType.FLOAT64, "xs");
        Variable giShaped = new Conv2dGradInputs(strided).makeNode(List.of(w, top, spatial(xs))).output();
        same(List.of(w, top, xs), List.of(giShaped), random(DType.FLOAT64, new int[] {1, 1, 1, 1}, -1, 1, 3),
                random(DType.FLOAT64, new int[] {3, 1, 150, 150}, -1, 1, 4), NDArray.zeros(DType.FLOAT64, new int[] {1, 1, 600, 600}));
    }

    @Test
    void theGradientsOfAConvNetCostMatchTheReference() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable x = var(dt, "x");
            Variable w1 = var(dt, "w1");
            Variable w2 = var(dt, "w2");
            Variable h = T.tanh(Conv.conv2d(x, w1, DEF.withBorderMode("half")));
            Variable y = Conv.conv2d(h, w2, DEF.withSubsample(2, 2).withFlip(false));
            Variable cost = T.sum(T.mul(y, y));
            List<Variable> outs = new ArrayList<>(List.of(cost));
            outs.addAll(Gradient.grad(cost, List.of(x, w1, w2), java.util.Set.of(), "raise"));
            List<Variable> ins = List.of(x, w1, w2);
            assertOneSegment(ins, outs);
            NDArray[] values = {random(dt, new int[] {3, 2, 9, 10}, -1, 1, 1), random(dt, new int[] {4, 2, 3, 3}, -0.5, 0.5, 2),
                random(dt, new int[] {5, 4, 3, 2}, -0.5, 0.5, 3)};
            // a float32 tanh runs in float natively (tanhf), in double on the jvm: an ulp of h,
            // carried through the convolutions into sums of many terms
            double scaleTol = dt == DType.FLOAT32 ? 1e-6 : 1e-13;
            NDArray[] ref = same(scaleTol, ins, outs, values);
            // after fast_run's rewrites, on both linkers
            NDArray[] nat = fastRun("c", ins, outs).call((Object[]) values);
            for (int i = 0; i < ref.length; i++) {
                assertClose(ref[i], nat[i], "fast_run output " + i, scaleTol);
            }
        }
    }

    @Test
    void aLeNetSizedLayerInFloat32StaysWithinOneUlpOfTheReference() {
        // the reduction of the filter gradient spans batch x positions (16 x 576 terms): accumulated in double, as the jvm does
        Variable x = var(DType.FLOAT32, "x");
        Variable w = var(DType.FLOAT32, "w");
        Variable out = Conv.conv2d(x, w);
        Variable cost = T.sum(T.mul(out, out));
        List<Variable> outs = new ArrayList<>(List.of(out));
        outs.addAll(Gradient.grad(cost, List.of(x, w), java.util.Set.of(), "raise"));
        List<Variable> ins = List.of(x, w);
        NDArray[] values = {random(DType.FLOAT32, new int[] {16, 1, 28, 28}, 0, 1, 1), random(DType.FLOAT32, new int[] {20, 1, 5, 5}, -1, 1, 2)};
        NDArray[] ref = NativeTesting.run("jvm", ins, outs, values);
        NDArray[] nat = NativeTesting.run("c", ins, outs, values);
        for (int i = 0; i < ref.length; i++) {
            for (long k = 0; k < ref[i].size(); k++) {
                double r = ref[i].getDouble(k);
                double n = nat[i].getDouble(k);
                if (Math.abs(r - n) > Math.ulp((float) r)) {
                    fail("output " + i + " element " + k + ": jvm " + r + " native " + n);
                }
            }
        }
    }

    @Test
    void shapesThatDoNotFitAreTheReferencesErrors() {
        Variable x = var(DType.FLOAT64, "x");
        Variable w = var(DType.FLOAT64, "w");
        Variable top = var(DType.FLOAT64, "top");
        Variable conv = Conv.conv2d(x, w, DEF.withSubsample(2, 1));
        Variable grouped = Conv.conv2d(x, w, DEF.withGroups(2));
        Variable shape = T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {6, 7}));
        Variable gi = new Conv2dGradInputs(DEF.withPadding(1, 0)).makeNode(List.of(w, top, shape)).output();
        Variable gw = new Conv2dGradWeights(DEF.withBorderMode("full")).makeNode(List.of(x, top, shape)).output();
        Variable gwGrouped = new Conv2dGradWeights(DEF.withGroups(3)).makeNode(List.of(x, top, shape)).output();
        NDArray x1 = random(DType.FLOAT64, new int[] {2, 3, 5, 5}, -1, 1, 1);
        // the input's channels against the filters', a filter larger than the input, filters that do not split into groups
        sameError(List.of(x, w), conv, x1, random(DType.FLOAT64, new int[] {4, 2, 3, 3}, -1, 1, 2));
        sameError(List.of(x, w), conv, x1, random(DType.FLOAT64, new int[] {4, 3, 6, 3}, -1, 1, 2));
        sameError(List.of(x, w), grouped, random(DType.FLOAT64, new int[] {2, 4, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {3, 2, 3, 3}, -1, 1, 2));
        sameError(List.of(x, w), grouped, random(DType.FLOAT64, new int[] {2, 4, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {4, 3, 3, 3}, -1, 1, 2));
        // output gradients of the wrong shape, a kernel that does not fit, channels that do not split into groups
        NDArray w1 = random(DType.FLOAT64, new int[] {4, 3, 3, 3}, -1, 1, 3);
        sameError(List.of(w, top), gi, w1, random(DType.FLOAT64, new int[] {2, 4, 6, 6}, -1, 1, 4));
        sameError(List.of(w, top), gi, w1, random(DType.FLOAT64, new int[] {2, 3, 6, 5}, -1, 1, 4));
        sameError(List.of(w, top), gi, random(DType.FLOAT64, new int[] {4, 3, 9, 3}, -1, 1, 3), random(DType.FLOAT64, new int[] {2, 4, 6, 5}, -1, 1, 4));
        sameError(List.of(x, top), gw, x1, random(DType.FLOAT64, new int[] {2, 4, 10, 10}, -1, 1, 4));
        sameError(List.of(x, top), gw, x1, random(DType.FLOAT64, new int[] {3, 4, 10, 11}, -1, 1, 4));
        sameError(List.of(x, top), gwGrouped, random(DType.FLOAT64, new int[] {2, 4, 5, 5}, -1, 1, 1), random(DType.FLOAT64, new int[] {2, 3, 1, 1}, -1, 1, 4));
        sameError(List.of(x, top), gwGrouped, x1, random(DType.FLOAT64, new int[] {2, 4, 1, 1}, -1, 1, 4));
        // and the right shapes work
        same(List.of(w, top), List.of(gi), w1, random(DType.FLOAT64, new int[] {2, 4, 6, 5}, -1, 1, 4));
        same(List.of(x, top), List.of(gw), x1, random(DType.FLOAT64, new int[] {2, 4, 10, 11}, -1, 1, 4));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertOneSegment(List<Variable> ins, List<Variable> outs) {
        FunctionGraph fg = FunctionGraph.clone(ins, outs, Map.of());
        String src = new NativeLinker().generatedSource(fg, ins);
        assertTrue(src.contains("int tsl_seg0(") && !src.contains("int tsl_seg1("), "one segment, no Java step");
        assertTrue(src.contains("tsl_conv_forward_"), "the convolution is in C");
    }

    private static tsl.compile.Function fastRun(String linker, List<Variable> inputs, List<Variable> outputs) {
        List<In> ins = new ArrayList<>();
        for (Variable v : inputs) {
            ins.add(In.of(v));
        }
        return new FunctionBuilder().inputs(ins).outputs(outputs, false).onUnusedInput("ignore").mode(new Mode(linker, "fast_run")).build();
    }

    private static void same(List<Variable> ins, List<Variable> outs, NDArray... values) {
        same(1e-13, ins, outs, values);
    }

    /** Both linkers within {@link #assertClose}'s bounds; returns the jvm's outputs. */
    private static NDArray[] same(double scaleTol, List<Variable> ins, List<Variable> outs, NDArray... values) {
        NDArray[] ref = NativeTesting.run("jvm", ins, outs, values);
        NDArray[] nat = NativeTesting.run("c", ins, outs, values);
        for (int i = 0; i < ref.length; i++) {
            assertClose(ref[i], nat[i], "output " + i, scaleTol);
        }
        return ref;
    }

    /**
     * Both linkers sum in double, in different orders (BLAS blocks the products): equal to a few
     * ulps of double relative to the largest element, then rounded alike.
     */
    /** Within 2 float32 ulp (1e-13 relative for float64), or scaleTol times the largest reference value. */
    private static void assertClose(NDArray ref, NDArray nat, String what, double scaleTol) {
        assertEquals(ref.dtype(), nat.dtype(), what + ": dtype");
        assertArrayEquals(ref.shape(), nat.shape(), what + ": shape");
        double scale = 0;
        for (long k = 0; k < ref.size(); k++) {
            scale = Math.max(scale, Math.abs(ref.getDouble(k)));
        }
        double rtol = ref.dtype() == DType.FLOAT32 ? 2.4e-7 : 1e-13;
        for (long k = 0; k < ref.size(); k++) {
            double r = ref.getDouble(k);
            double n = nat.getDouble(k);
            if (!(Math.abs(r - n) <= rtol * Math.abs(r) + scaleTol * scale)) {
                fail(what + ": element " + k + " of " + ref.size() + ": jvm " + r + " native " + n);
            }
        }
    }

    private static void sameError(List<Variable> ins, Variable out, NDArray... values) {
        TslException jvm = assertThrows(TslException.class, () -> NativeTesting.run("jvm", ins, List.of(out), values));
        TslException nat = assertThrows(TslException.class, () -> NativeTesting.run("c", ins, List.of(out), values));
        assertTrue(jvm.getMessage().startsWith("conv2d"), jvm.getMessage());
        assertEquals(jvm.getMessage(), nat.getMessage());
        assertEquals(jvm.pythonType(), nat.pythonType());
    }
}
