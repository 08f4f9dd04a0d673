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

/** numpy.eye(n, m, k): ones on the k-th diagonal. Inputs: n, m, k integer scalars. */
public record Eye(DType dtype) implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        int[] shape = new int[2];
        for (int i = 0; i < 3; i++) {
            Variable v = inputs.get(i);
            if (v.ndim() != 0 || !v.dtype().isInteger()) {
                throw TslException.typeError("eye: n, m and k must be integer scalars, got " + v.type());
            }
            if (i < 2) {
                shape[i] = v instanceof Constant c ? (int) c.value().itemLong() : TensorType.UNKNOWN;
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(dtype, shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        long rows = in[0].itemLong();
        long cols = in[1].itemLong();
        long k = in[2].itemLong();
        if (rows < 0 || cols < 0) {
            throw TslException.valueError("negative dimensions are not allowed");
        }
        int[] nm = NDArray.shapeOf(dtype, rows, cols);
        int n = nm[0];
        int m = nm[1];
        NDArray out = NDArray.zeros(dtype, n, m);
        for (int i = 0; i < n; i++) {
            long j = i + k;
            if (j >= 0 && j < m) {
                out.setLong((long) i * m + j, 1);
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
        return "Eye{" + dtype + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return false;
    }
}
