package tsl.ops.nnet;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * The gradient of {@link Pool} with respect to its input, from the input and the output
 * gradient (Theano's MaxPoolGrad and AveragePoolGrad in one op). Max pooling finds each
 * window's maximum again rather than taking the pooled output as an input: the work is the
 * same and the graph is smaller.
 */
public record PoolGrad(PoolParams params) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable gz = inputs.get(1);
        if (x.ndim() < 2 || gz.ndim() != x.ndim() || !x.dtype().isFloat() || gz.dtype() != x.dtype()) {
            throw TslException.typeError("pool_2d_grad: expected an input and an output gradient of one float dtype and rank >= 2, got "
                    + x.type() + " and " + gz.type());
        }
        return new Apply(this, inputs, List.of(x.type()));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        NDArray gz = in[1];
        int[] xs = x.shape();
        int[] os = Pool.outShape(params, xs);
        if (!java.util.Arrays.equals(os, gz.shape())) {
            throw TslException.valueError("pool_2d_grad: the output gradient has shape " + tsl.tensor.Shapes.format(gz.shape())
                    + " but pooling an input of shape " + tsl.tensor.Shapes.format(xs) + " gives " + tsl.tensor.Shapes.format(os));
        }
        double[] gx = new double[Math.toIntExact(x.size())];
        PoolKernels.grad(params, Doubles.of(x), Doubles.of(gz), Pool.planes(xs), xs[xs.length - 2], xs[xs.length - 1], gx,
                os[os.length - 2], os[os.length - 1]);
        return new NDArray[] {Doubles.array(x.dtype(), xs, gx)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable g = outputGrads.get(0);
        Variable x = node.input(0);
        List<Variable> out = new ArrayList<>(2);
        // piecewise constant in x: where it is differentiable, its derivative in x is zero
        out.add(T.zerosLike(x));
        if (g == null) {
            out.add(null);
        } else if (params.mode() == PoolParams.Mode.MAX) {
            out.add(new MaxPoolGradGrad(params).makeNode(List.of(x, g)).output());
        } else {
            // linear in gz and the adjoint of the (linear) pooling: its gradient is the pooling itself
            out.add(new Pool(params).makeNode(List.of(g)).output());
        }
        return out;
    }

    @Override
    public String toString() {
        return "PoolGrad{" + params.describe() + "}";
    }
}
