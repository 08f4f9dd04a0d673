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
 * The gradient of {@link Conv2d} with respect to its input (Theano's AbstractConv2d_gradInputs):
 * from the filters, the output gradient and the input's (rows, cols), the adjoint of the
 * convolution. It is linear in both tensor operands, so its own gradients are a convolution
 * and a {@link Conv2dGradWeights}.
 */
public record Conv2dGradInputs(ConvParams params) implements Op {
    private static final String NAME = "conv2d_grad_inputs";

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable w = inputs.get(0);
        Variable top = inputs.get(1);
        Conv2d.checkTypes(NAME, w, "filters", top, "output gradient");
        Conv.checkShapeVector(NAME, inputs.get(2));
        int[] ws = w.type().shape();
        int[] ts = top.type().shape();
        if (ws[0] >= 0 && ts[1] >= 0 && ws[0] != ts[1]) {
            throw TslException.valueError(NAME + ": the output gradient has " + ts[1] + " channels but there are " + ws[0]
                    + " filters; filter shape " + ConvGeometry.shape(ws) + ", output gradient shape " + ConvGeometry.shape(ts));
        }
        int[] hw = Conv.constantPair(inputs.get(2));
        int channels = ws[1] < 0 ? TensorType.UNKNOWN : ws[1] * params.groups();
        return new Apply(this, inputs, List.of(new TensorType(w.dtype(), ts[0], channels, hw[0], hw[1])));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray w = in[0];
        NDArray top = in[1];
        int[] hw = Conv.pair(in[2]);
        int[] xShape = {top.dim(0), w.dim(1) * params.groups(), hw[0], hw[1]};
        ConvGeometry g = ConvGeometry.of(NAME, params, xShape, w.shape());
        Conv.checkTop(NAME, g, top);
        double[] gx = new double[Math.toIntExact(NDArray.sizeOf(xShape))];
        ConvKernels.gradInputs(g, gx, Doubles.of(w), Doubles.of(top));
        return new NDArray[] {Doubles.array(w.dtype(), xShape, gx)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable g = outputGrads.get(0);
        List<Variable> out = new ArrayList<>(3);
        if (g == null) {
            out.add(null);
            out.add(null);
        } else {
            // <gradInputs(w, top), g> = <top, conv2d(g, w)> = <w, gradWeights(g, top)>
            Variable w = node.input(0);
            Variable top = node.input(1);
            out.add(Conv.gradWeights(params, g, top, w));
            out.add(new Conv2d(params).makeNode(List.of(g, w)).output());
        }
        out.add(null);
        return out;
    }

    @Override
    public String toString() {
        return "Conv2dGradInputs{" + params.describe() + "}";
    }
}
