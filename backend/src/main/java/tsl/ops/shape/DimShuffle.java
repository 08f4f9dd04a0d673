package tsl.ops.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.NDArray;

/**
 * Theano's DimShuffle: reorders dimensions, inserts broadcastable ones ('x', here -1) and
 * drops dimensions of length 1. Always a view.
 */
public record DimShuffle(int[] pattern) implements Op {
    public static final int NEW_AXIS = -1;

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        int ndim = x.ndim();
        boolean[] used = new boolean[ndim];
        int[] shape = new int[pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            int p = pattern[i];
            if (p == NEW_AXIS) {
                shape[i] = 1;
                continue;
            }
            if (p < 0 || p >= ndim || used[p]) {
                throw TslException.valueError("dimshuffle: invalid pattern " + this + " for an input with " + ndim + " dimensions");
            }
            used[p] = true;
            shape[i] = x.type().dim(p);
        }
        for (int d = 0; d < ndim; d++) {
            if (!used[d] && x.type().dim(d) != 1) {
                throw TslException.valueError("dimshuffle: cannot drop dimension " + d + " of " + x.type()
                        + ", which is not known to have length 1");
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        List<Integer> kept = new ArrayList<>();
        for (int p : pattern) {
            if (p != NEW_AXIS) {
                kept.add(p);
            }
        }
        int[] shape = x.shape();
        for (int d = 0; d < shape.length; d++) {
            if (!kept.contains(d) && shape[d] != 1) {
                throw TslException.valueError("dimshuffle " + this + ": dimension " + d + " has length " + shape[d] + ", expected 1");
            }
        }
        // drop the unused length-1 axes, permute, then insert new axes
        NDArray v = x;
        int[] order = new int[kept.size()];
        int[] rank = new int[shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            rank[d] = kept.contains(d) ? r++ : -1;
        }
        int[] keptShape = new int[kept.size()];
        long[] keptStrides = new long[kept.size()];
        long[] strides = x.strides();
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (rank[d] >= 0) {
                keptShape[j] = shape[d];
                keptStrides[j] = strides[d];
                j++;
            }
        }
        v = new NDArray(x.dtype(), keptShape, keptStrides, x.offset(), x.segment());
        for (int i = 0; i < kept.size(); i++) {
            order[i] = rank[kept.get(i)];
        }
        v = v.transpose(order);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] == NEW_AXIS) {
                v = v.expandDims(i);
            }
        }
        return new NDArray[] {v};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        Variable x = node.input(0);
        // sum over the inserted axes, then put the kept axes back in input order
        List<Integer> newAxes = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] == NEW_AXIS) {
                newAxes.add(i);
            } else {
                kept.add(pattern[i]);
            }
        }
        Variable g = gz;
        if (!newAxes.isEmpty()) {
            g = T.sum(g, newAxes.stream().mapToInt(Integer::intValue).toArray(), false);
        }
        int[] back = new int[x.ndim()];
        for (int d = 0; d < x.ndim(); d++) {
            int pos = kept.indexOf(d);
            back[d] = pos; // dropped axes (pos == -1) are re-inserted as new axes
        }
        return List.of(T.dimshuffle(g, back));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DimShuffle d && Arrays.equals(d.pattern, pattern);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pattern);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DimShuffle{");
        for (int i = 0; i < pattern.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(pattern[i] == NEW_AXIS ? "x" : Integer.toString(pattern[i]));
        }
        return sb.append('}').toString();
    }

    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable t = evalPoints.get(0);
        return java.util.Collections.singletonList(t == null ? null : makeNode(List.of(t)).output());
    }
}
