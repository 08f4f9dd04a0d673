package tsl.ops.nnet;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * The gradient of max pooling's {@link PoolGrad} with respect to its output gradient
 * (Theano's DownsampleFactorMaxGradGrad): each window gathers the incoming gradient at the
 * elements that hold its maximum. Summing over ties makes it the exact adjoint of
 * PoolGrad, which sends a window's gradient to every tied element.
 */
public record MaxPoolGradGrad(PoolParams params) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable ggx = inputs.get(1);
        if (x.ndim() < 2 || ggx.ndim() != x.ndim() || !x.dtype().isFloat() || ggx.dtype() != x.dtype()) {
            throw TslException.typeError("max_pool_2d_grad_grad: expected two float tensors of one dtype and rank >= 2, got "
                    + x.type() + " and " + ggx.type());
        }
        return new Apply(this, inputs, List.of(new tsl.graph.TensorType(x.dtype(), Pool.outShape(params, x.type().shape()))));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] xs = x.shape();
        if (!java.util.Arrays.equals(xs, in[1].shape())) {
            throw TslException.valueError("max_pool_2d_grad_grad: shapes " + tsl.tensor.Shapes.format(xs) + " and "
                    + tsl.tensor.Shapes.format(in[1].shape()) + " differ");
        }
        int[] os = Pool.outShape(params, xs);
        double[] out = new double[Math.toIntExact(NDArray.sizeOf(os))];
        PoolKernels.maxGradGrad(params, Doubles.of(x), Doubles.of(in[1]), Pool.planes(xs), xs[xs.length - 2],
                xs[xs.length - 1], out, os[os.length - 2], os[os.length - 1]);
        return new NDArray[] {Doubles.array(x.dtype(), os, out)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable g = outputGrads.get(0);
        Variable x = node.input(0);
        // linear in ggx with the same routing as PoolGrad
        return java.util.Arrays.asList(T.zerosLike(x), g == null ? null : new PoolGrad(params).makeNode(List.of(x, g)).output());
    }

    @Override
    public String toString() {
        return "MaxPoolGradGrad{" + params.describe() + "}";
    }
}
