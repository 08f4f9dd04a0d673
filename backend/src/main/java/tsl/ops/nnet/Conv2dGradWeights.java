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
 * The gradient of {@link Conv2d} with respect to its filters (Theano's AbstractConv2d_gradWeights):
 * from the input, the output gradient and the filters' (rows, cols). Linear in both tensor
 * operands, so its own gradients are a {@link Conv2dGradInputs} and a convolution.
 */
public record Conv2dGradWeights(ConvParams params) implements Op {
    private static final String NAME = "conv2d_grad_weights";

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable top = inputs.get(1);
        Conv2d.checkTypes(NAME, x, "input", top, "output gradient");
        Conv.checkShapeVector(NAME, inputs.get(2));
        int[] xs = x.type().shape();
        int[] ts = top.type().shape();
        if (xs[0] >= 0 && ts[0] >= 0 && xs[0] != ts[0]) {
            throw TslException.valueError(NAME + ": the input has a batch of " + xs[0] + " but the output gradient of " + ts[0]
                    + "; input shape " + ConvGeometry.shape(xs) + ", output gradient shape " + ConvGeometry.shape(ts));
        }
        if (xs[1] >= 0 && xs[1] % params.groups() != 0) {
            throw TslException.valueError(NAME + ": the input's " + xs[1] + " channels do not split into num_groups " + params.groups());
        }
        int[] k = Conv.constantPair(inputs.get(2));
        int groupChannels = xs[1] < 0 ? TensorType.UNKNOWN : xs[1] / params.groups();
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), ts[1], groupChannels, k[0], k[1])));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        NDArray top = in[1];
        int[] k = Conv.pair(in[2]);
        if (x.dim(1) % params.groups() != 0) {
            throw TslException.valueError(NAME + ": the input's " + x.dim(1) + " channels do not split into num_groups " + params.groups());
        }
        int[] wShape = {top.dim(1), x.dim(1) / params.groups(), k[0], k[1]};
        ConvGeometry g = ConvGeometry.of(NAME, params, x.shape(), wShape);
        Conv.checkTop(NAME, g, top);
        double[] gw = new double[Math.toIntExact(NDArray.sizeOf(wShape))];
        ConvKernels.gradWeights(g, Doubles.of(x), gw, Doubles.of(top));
        return new NDArray[] {Doubles.array(x.dtype(), wShape, gw)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable h = outputGrads.get(0);
        List<Variable> out = new ArrayList<>(3);
        if (h == null) {
            out.add(null);
            out.add(null);
        } else {
            // <gradWeights(x, top), h> = <top, conv2d(x, h)> = <x, gradInputs(h, top)>
            Variable x = node.input(0);
            Variable top = node.input(1);
            out.add(Conv.gradInputs(params, h, top, x));
            out.add(new Conv2d(params).makeNode(List.of(x, h)).output());
        }
        out.add(null);
        return out;
    }

    @Override
    public String toString() {
        return "Conv2dGradWeights{" + params.describe() + "}";
    }
}
