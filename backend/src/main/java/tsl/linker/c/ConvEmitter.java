package tsl.linker.c;

import tsl.graph.Apply;
import tsl.graph.Variable;
import tsl.ops.nnet.Conv2d;
import tsl.ops.nnet.Conv2dGradInputs;
import tsl.ops.nnet.Conv2dGradWeights;
import tsl.ops.nnet.ConvParams;
import tsl.tensor.DType;

/**
 * conv2d and its two gradients (Conv2d, Conv2dGradInputs, Conv2dGradWeights) on float32 and
 * float64, every setting of {@link ConvParams} (border modes, explicit padding, subsample,
 * dilation, flip, groups): the node checks its shapes with the jvm reference's messages, then
 * calls the im2col + dgemm helpers of {@link ConvCode}, which read the operands through their
 * strides (a transposed or sliced input needs no copy) and write a fresh contiguous output.
 */
final class ConvEmitter implements NodeEmitter {

    @Override
    public boolean supports(Apply node) {
        if (!(node.op() instanceof Conv2d || node.op() instanceof Conv2dGradInputs || node.op() instanceof Conv2dGradWeights)) {
            return false;
        }
        DType t = node.output().dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64 || node.input(0).dtype() != t || node.input(1).dtype() != t) {
            return false;
        }
        if (node.inputs().size() == 3) {
            // the (rows, cols) vector: a length other than 2 is the reference's error on printing the array; left to Java
            Variable s = node.input(2);
            return s.ndim() == 1 && s.dtype().isInteger() && s.type().dim(0) == 2;
        }
        return true;
    }

    @Override
    public boolean usesBlas(Apply node) {
        return true;
    }

    private static ConvParams params(Apply node) {
        return switch (node.op()) {
            case Conv2d c -> c.params();
            case Conv2dGradInputs c -> c.params();
            case Conv2dGradWeights c -> c.params();
            default -> throw new IllegalStateException(node.op().toString());
        };
    }

    @Override
    public void emit(Apply node, Emit e) {
        ConvParams p = params(node);
        String s = node.output().dtype() == DType.FLOAT32 ? "s" : "d";
        String t = Prelude.cType(node.output().dtype());
        String describe = "\"" + Emit.escape(p.describe()) + "\"";
        int mode = switch (p.borderMode()) {
            case VALID -> 0;
            case FULL -> 1;
            case HALF -> 2;
            case EXPLICIT -> 3;
        };
        String settings = mode + ", " + p.padH() + ", " + p.padW() + ", " + p.strideH() + ", " + p.strideW() + ", " + p.dilH() + ", "
                + p.dilW() + ", " + p.groups() + ", " + (p.flip() ? 1 : 0) + ", " + describe + ", cmsg";
        e.line("{");
        e.line("const tsl_arr* a0 = " + e.arr(node.input(0)) + ";");
        e.line("const tsl_arr* a1 = " + e.arr(node.input(1)) + ";");
        e.line("tsl_arr* o = " + e.arr(node.output()) + ";");
        e.line("tsl_conv_g g;");
        e.line("char cmsg[TSL_ERRLEN];");
        String call;
        switch (node.op()) {
            case Conv2d c -> {
                e.line("if (tsl_conv_geometry(&g, \"conv2d\", a0->shape, a1->shape, " + settings + "))");
                e.fail("%s", "cmsg");
                e.line("o->ndim = 4; o->shape[0] = g.B; o->shape[1] = g.O; o->shape[2] = g.OH; o->shape[3] = g.OW;");
                call = "tsl_conv_forward_" + s + "(&g, a0, a1, (" + t + "*) o->data)";
            }
            case Conv2dGradInputs c -> {
                String name = "\"conv2d_grad_inputs\"";
                pair(e, node.input(2), "input");
                e.line("const int64_t xs[4] = {a1->shape[0], a0->shape[1] * " + p.groups() + ", hw[0], hw[1]};");
                e.line("if (tsl_conv_geometry(&g, " + name + ", xs, a0->shape, " + settings + "))");
                e.fail("%s", "cmsg");
                e.line("if (tsl_conv_check_top(&g, " + name + ", a1->shape, " + describe + ", cmsg))");
                e.fail("%s", "cmsg");
                e.line("o->ndim = 4; for (int d = 0; d < 4; d++) o->shape[d] = xs[d];");
                call = "tsl_conv_grad_inputs_" + s + "(&g, a0, a1, (" + t + "*) o->data)";
            }
            case Conv2dGradWeights c -> {
                String name = "\"conv2d_grad_weights\"";
                pair(e, node.input(2), "filter");
                e.line("if (a0->shape[1] % " + p.groups() + " != 0)");
                e.fail("conv2d_grad_weights: the input's %lld channels do not split into num_groups " + p.groups(), "(long long) a0->shape[1]");
                e.line("const int64_t ws[4] = {a1->shape[1], a0->shape[1] / " + p.groups() + ", hw[0], hw[1]};");
                e.line("if (tsl_conv_geometry(&g, " + name + ", a0->shape, ws, " + settings + "))");
                e.fail("%s", "cmsg");
                e.line("if (tsl_conv_check_top(&g, " + name + ", a1->shape, " + describe + ", cmsg))");
                e.fail("%s", "cmsg");
                e.line("o->ndim = 4; for (int d = 0; d < 4; d++) o->shape[d] = ws[d];");
                call = "tsl_conv_grad_weights_" + s + "(&g, a0, a1, (" + t + "*) o->data)";
            }
            default -> throw new IllegalStateException(node.op().toString());
        }
        e.allocate(node.output(), "o");
        e.line("if (" + call + ")");
        e.fail("MemoryError: cannot allocate the scratch of " + Emit.text(node.op().toString()));
        e.line("}");
    }

    /**
     * Declares {@code hw}, the (rows, cols) a gradient op is told to produce, read from its int
     * vector. The reference takes them as Java ints (Math.toIntExact); such vectors come from a
     * shape, so a value outside [0, 2^31) is refused here with a message of its own.
     */
    private static void pair(Emit e, Variable v, String what) {
        String it = Prelude.cType(v.dtype());
        e.line("const tsl_arr* sv = " + e.arr(v) + ";");
        e.line("const int64_t hw[2] = {(int64_t) ((const " + it + "*) sv->data)[0], (int64_t) ((const " + it + "*) sv->data)[sv->strides[0]]};");
        e.line("if (hw[0] < 0 || hw[1] < 0 || hw[0] > 2147483647 || hw[1] > 2147483647)");
        e.fail("conv2d: the " + what + " size (%lld, %lld) is out of range", "(long long) hw[0]", "(long long) hw[1]");
    }
}
