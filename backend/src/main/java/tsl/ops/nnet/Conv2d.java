package tsl.ops.nnet;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * Theano's conv2d on NCHW batches: input (batch, channels, rows, cols) and filters
 * (out_channels, channels / num_groups, rows, cols) give (batch, out_channels, out_rows,
 * out_cols). With {@code flip} (Theano's default) it is a true convolution, else a
 * correlation. The gradients are the two adjoint ops, which take the spatial size they must
 * produce as a small int vector input because strides make it ambiguous.
 */
public record Conv2d(ConvParams params) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable w = inputs.get(1);
        checkTypes("conv2d", x, "input", w, "filters");
        int[] xs = x.type().shape();
        int[] ws = w.type().shape();
        ConvGeometry.check("conv2d", params, xs[1], ws[0], ws[1], xs, ws);
        int[] out = {xs[0], ws[0], staticOut(0, xs, ws), staticOut(1, xs, ws)};
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), out)));
    }

    /** The output length along a spatial axis when both lengths are known, with the error of a filter that does not fit. */
    private int staticOut(int axis, int[] xs, int[] ws) {
        int in = xs[2 + axis];
        int k = ws[2 + axis];
        if (in < 0 || k < 0) {
            return TensorType.UNKNOWN;
        }
        int n = params.outLength(axis, in, k);
        if (n < 1) {
            throw TslException.valueError("conv2d: the filter (" + params.dilatedKernel(axis, k) + " " + (axis == 0 ? "rows" : "columns")
                    + " after dilation) does not fit in the input (" + (in + 2 * params.pad(axis, k)) + " after padding); input shape "
                    + ConvGeometry.shape(xs) + ", filter shape " + ConvGeometry.shape(ws) + ", " + params.describe());
        }
        return n;
    }

    /** Both operands 4-d, of one float dtype. */
    static void checkTypes(String op, Variable a, String aName, Variable b, String bName) {
        if (a.ndim() != 4 || b.ndim() != 4) {
            throw TslException.typeError(op + ": expected 4-d " + aName + " and " + bName + ", got " + a.type() + " and " + b.type());
        }
        if (!a.dtype().isFloat() || a.dtype() != b.dtype()) {
            throw TslException.typeError(op + ": expected " + aName + " and " + bName + " of the same float dtype, got "
                    + a.dtype() + " and " + b.dtype());
        }
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        ConvGeometry g = ConvGeometry.of("conv2d", params, in[0].shape(), in[1].shape());
        double[] out = new double[Math.toIntExact(NDArray.sizeOf(g.outputShape()))];
        ConvKernels.forward(g, Doubles.of(in[0]), Doubles.of(in[1]), out);
        return new NDArray[] {Doubles.array(in[0].dtype(), g.outputShape(), out)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        Variable x = node.input(0);
        Variable w = node.input(1);
        List<Variable> out = new ArrayList<>(2);
        if (gz == null) {
            out.add(null);
            out.add(null);
            return out;
        }
        out.add(Conv.gradInputs(params, w, gz, x));
        out.add(Conv.gradWeights(params, x, gz, w));
        return out;
    }

    @Override
    public String toString() {
        return "Conv2d{" + params.describe() + "}";
    }
}
