package tsl.ops.nnet;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * Theano's Pool (pool_2d): max, sum or average over windows of the last two axes of a tensor
 * of two or more dimensions; the leading axes are independent images. The output keeps the
 * input's dtype (an average of integers truncates, as when NumPy stores into an int array).
 */
public record Pool(PoolParams params) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (x.ndim() < 2) {
            throw new TslException("NotImplementedError", "pool_2d requires a dimension >= 2, got " + x.type());
        }
        if (x.dtype().isBool()) {
            throw TslException.typeError("pool_2d: expected a numeric tensor, got " + x.type());
        }
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), outShape(params, x.type().shape()))));
    }

    /** The output's static shape: leading lengths unchanged, pooled lengths where the input's are known. */
    static int[] outShape(PoolParams p, int[] in) {
        int[] out = in.clone();
        int nd = in.length;
        for (int a = 0; a < 2; a++) {
            int len = in[nd - 2 + a];
            out[nd - 2 + a] = len < 0 ? TensorType.UNKNOWN : p.outLength(a, len);
        }
        return out;
    }

    /** Number of independent planes (the product of the leading lengths). */
    static int planes(int[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            n *= shape[i];
        }
        return Math.toIntExact(n);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] xs = x.shape();
        int[] os = outShape(params, xs);
        int rows = xs[xs.length - 2], cols = xs[xs.length - 1];
        double[] out = new double[Math.toIntExact(NDArray.sizeOf(os))];
        PoolKernels.forward(params, Doubles.of(x), planes(xs), rows, cols, out, os[os.length - 2], os[os.length - 1]);
        if (x.dtype().isInteger()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] < 0 ? Math.ceil(out[i]) : Math.floor(out[i]);
            }
        }
        return new NDArray[] {Doubles.array(x.dtype(), os, out)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        Variable x = node.input(0);
        List<Variable> out = new ArrayList<>(1);
        if (gz == null || x.dtype().isDiscrete()) {
            out.add(null);
        } else {
            out.add(new PoolGrad(params).makeNode(List.of(x, T.cast(gz, x.dtype()))).output());
        }
        return out;
    }

    @Override
    public String toString() {
        return "Pool{" + params.describe() + "}";
    }
}
