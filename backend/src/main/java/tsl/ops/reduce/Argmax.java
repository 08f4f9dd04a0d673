package tsl.ops.reduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The int64 index of the largest (or, with {@code min}, smallest) element over {@code axes}
 * (all when null). Several axes are treated as one flattened axis in C order, as Theano does;
 * ties go to the first index and a NaN wins like in NumPy.
 */
public record Argmax(int[] axes, boolean min) implements Op {

    private String opName() {
        return min ? "argmin" : "argmax";
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (x.dtype().isBool()) {
            // NumPy allows it, but Theano's MaxAndArgmax does not; keep the error explicit
            throw TslException.typeError(opName() + " is not defined for bool input " + x.type());
        }
        boolean[] reduced = reduced(x.ndim());
        List<Integer> shape = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) {
            if (!reduced[d]) {
                shape.add(x.type().dim(d));
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(DType.INT64, shape.stream().mapToInt(Integer::intValue).toArray())));
    }

    /** Which of an input's {@code ndim} axes the argmax runs over (the output keeps the others). */
    public boolean[] reduced(int ndim) {
        return new Reduce(Reduce.Kind.MAX, axes).reducedAxes(ndim);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] shape = x.shape();
        boolean[] reduced = reduced(shape.length);
        List<Integer> outShape = new ArrayList<>();
        long groupSize = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                groupSize *= shape[d];
            } else {
                outShape.add(shape[d]);
            }
        }
        if (groupSize == 0) {
            throw TslException.valueError("attempt to get " + opName() + " of an empty sequence");
        }
        NDArray out = NDArray.zeros(DType.INT64, outShape.stream().mapToInt(Integer::intValue).toArray());
        int m = (int) out.size();
        boolean integral = !x.dtype().isFloat();
        double[] best = new double[m];
        long[] ibest = new long[m];
        long[] where = new long[m];
        boolean[] seen = new boolean[m];
        int[] idx = new int[shape.length];
        for (long k = 0; k < x.size(); k++) {
            int o = 0;
            long w = 0;
            for (int d = 0; d < shape.length; d++) {
                if (reduced[d]) {
                    w = w * shape[d] + idx[d];
                } else {
                    o = o * shape[d] + idx[d];
                }
            }
            boolean better;
            if (integral) {
                long v = x.getLong(k);
                better = !seen[o] || (min ? v < ibest[o] : v > ibest[o]);
                if (better) {
                    ibest[o] = v;
                }
            } else {
                double v = x.getDouble(k);
                boolean bestIsNan = seen[o] && Double.isNaN(best[o]);
                better = !seen[o] || (!bestIsNan && (Double.isNaN(v) || (min ? v < best[o] : v > best[o])));
                if (better) {
                    best[o] = v;
                }
            }
            if (better) {
                where[o] = w;
                seen[o] = true;
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        for (int o = 0; o < m; o++) {
            out.setLong(o, where[o]);
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        // an index is piecewise constant in x: no gradient flows through it
        return Collections.singletonList(null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argmax a && a.min == min && Arrays.equals(a.axes, axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes) * 2 + (min ? 1 : 0);
    }

    @Override
    public String toString() {
        return (min ? "Argmin" : "Argmax") + (axes == null ? "" : "{axis=" + Arrays.toString(axes) + "}");
    }
}
