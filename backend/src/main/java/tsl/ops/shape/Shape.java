package tsl.ops.shape;

import java.util.Collections;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** x.shape as an int64 vector (its length, x's ndim, is static). */
public record Shape() implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        return new Apply(this, inputs, List.of(new TensorType(DType.INT64, inputs.get(0).ndim())));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        int[] s = in[0].shape();
        long[] v = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i];
        }
        return new NDArray[] {NDArray.fromLongs(DType.INT64, new int[] {s.length}, v)};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return Collections.singletonList(null);
    }

    @Override
    public String toString() {
        return "Shape";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return false; // only the shape of x is read
    }
}
