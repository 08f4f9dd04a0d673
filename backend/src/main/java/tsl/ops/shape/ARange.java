package tsl.ops.shape;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** numpy.arange(start, stop, step) as a vector of {@code dtype}. Inputs: the three scalars. */
public record ARange(DType dtype) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        for (Variable v : inputs) {
            if (v.ndim() != 0) {
                throw TslException.typeError("arange: start, stop and step must be scalars, got " + v.type());
            }
        }
        int len = TensorType.UNKNOWN;
        if (inputs.stream().allMatch(v -> v instanceof Constant)) {
            long n = length(((Constant) inputs.get(0)).value().item(), ((Constant) inputs.get(1)).value().item(),
                    ((Constant) inputs.get(2)).value().item());
            try {
                // NumPy's MemoryError for more elements than an array holds, not a wrapped int
                len = NDArray.shapeOf(dtype, n)[0];
            } catch (tsl.tensor.ArrayMemoryError e) {
                throw new TslException("MemoryError", "arange: " + e.getMessage());
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(dtype, len)));
    }

    static long length(double start, double stop, double step) {
        if (step == 0) {
            throw TslException.valueError("arange: step cannot be zero");
        }
        return Math.max(0, (long) Math.ceil((stop - start) / step));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        double start = in[0].item();
        double stop = in[1].item();
        double step = in[2].item();
        int n = NDArray.shapeOf(dtype, length(start, stop, step))[0];
        NDArray out = NDArray.zeros(dtype, n);
        boolean integral = !dtype.isFloat() && !in[0].dtype().isFloat() && !in[2].dtype().isFloat();
        for (int i = 0; i < n; i++) {
            if (integral) {
                out.setLong(i, in[0].itemLong() + i * in[2].itemLong());
            } else {
                out.setDouble(i, start + i * step);
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return java.util.Arrays.asList(null, null, null);
    }

    @Override
    public String toString() {
        return "ARange{" + dtype + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return false;
    }
}
