package tsl.ops.reduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A reduction over some axes (all when {@code axes} is null): sum, prod, mean, max, min,
 * all, any. Output dtypes follow Theano: integer sums and products accumulate in int64,
 * the mean of integers is float64, max/min keep the dtype, all/any give bool.
 */
public record Reduce(Kind kind, int[] axes) implements Op {

    public enum Kind { SUM, PROD, MEAN, MAX, MIN, ALL, ANY }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        boolean[] reduced = reducedAxes(x.ndim());
        List<Integer> shape = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) {
            if (!reduced[d]) {
                shape.add(x.type().dim(d));
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(outputDtype(x.dtype()),
                shape.stream().mapToInt(Integer::intValue).toArray())));
    }

    public DType outputDtype(DType in) {
        return switch (kind) {
            case SUM, PROD -> in.isFloat() ? in : DType.INT64;
            case MEAN -> in.isFloat() ? in : DType.FLOAT64;
            case MAX, MIN -> in;
            case ALL, ANY -> DType.BOOL;
        };
    }

    public boolean[] reducedAxes(int ndim) {
        return reducedAxes(kind.name().toLowerCase(java.util.Locale.ROOT), axes, ndim);
    }

    /** Which of {@code ndim} axes {@code axes} reduces (null: all), with errors that name {@code op}. */
    public static boolean[] reducedAxes(String op, int[] axes, int ndim) {
        boolean[] r = new boolean[ndim];
        if (axes == null) {
            Arrays.fill(r, true);
            return r;
        }
        for (int a : axes) {
            int n = a < 0 ? a + ndim : a;
            if (n < 0 || n >= ndim) {
                throw TslException.valueError(op + ": axis " + a + " is out of bounds for a tensor of dimension " + ndim);
            }
            if (r[n]) {
                throw TslException.valueError(op + ": duplicate value in 'axis'");
            }
            r[n] = true;
        }
        return r;
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        int[] shape = x.shape();
        boolean[] reduced = reducedAxes(shape.length);
        List<Integer> outShape = new ArrayList<>();
        long count = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                count *= shape[d];
            } else {
                outShape.add(shape[d]);
            }
        }
        if (count == 0 && (kind == Kind.MAX || kind == Kind.MIN)) {
            throw TslException.valueError("zero-size array to reduction operation " + kind.name().toLowerCase() + " which has no identity");
        }
        DType outType = node.output().dtype();
        NDArray out = NDArray.zeros(outType, outShape.stream().mapToInt(Integer::intValue).toArray());
        int m = (int) out.size();
        boolean integral = !outType.isFloat() && !x.dtype().isFloat();
        double[] acc = new double[m];
        long[] iacc = new long[m];
        double init = switch (kind) {
            case SUM, MEAN, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        Arrays.fill(acc, init);
        Arrays.fill(iacc, kind == Kind.MAX ? Long.MIN_VALUE : kind == Kind.MIN ? Long.MAX_VALUE : (long) init);
        boolean[] seen = new boolean[m];
        int[] idx = new int[shape.length];
        long n = x.size();
        for (long k = 0; k < n; k++) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    o = o * shape[d] + idx[d];
                }
            }
            if (integral) {
                long v = x.getLong(k);
                iacc[o] = switch (kind) {
                    case SUM, MEAN -> iacc[o] + v;
                    case PROD -> iacc[o] * v;
                    case MAX -> Math.max(iacc[o], v);
                    case MIN -> Math.min(iacc[o], v);
                    case ALL -> (iacc[o] != 0 && v != 0) ? 1 : 0;
                    case ANY -> (iacc[o] != 0 || v != 0) ? 1 : 0;
                };
            } else {
                double v = x.getDouble(k);
                acc[o] = switch (kind) {
                    case SUM, MEAN -> acc[o] + v;
                    case PROD -> acc[o] * v;
                    case MAX -> (Double.isNaN(v) || Double.isNaN(acc[o])) ? Double.NaN : Math.max(acc[o], v);
                    case MIN -> (Double.isNaN(v) || Double.isNaN(acc[o])) ? Double.NaN : Math.min(acc[o], v);
                    case ALL -> (acc[o] != 0 && v != 0) ? 1 : 0;
                    case ANY -> (acc[o] != 0 || v != 0) ? 1 : 0;
                };
            }
            seen[o] = true;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        for (int o = 0; o < m; o++) {
            if (integral) {
                out.setLong(o, iacc[o]);
            } else if (kind == Kind.MEAN) {
                out.setDouble(o, count == 0 ? Double.NaN : acc[o] / count);
            } else {
                out.setDouble(o, acc[o]);
            }
        }
        return new NDArray[] {out};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        Variable gz = outputGrads.get(0);
        if (x.dtype().isDiscrete() || kind == Kind.ALL || kind == Kind.ANY) {
            return java.util.Collections.singletonList(null);
        }
        boolean[] reduced = reducedAxes(x.ndim());
        Variable gExpanded = T.expandReduced(gz, reduced);
        Variable g = switch (kind) {
            case SUM -> T.second(x, gExpanded);
            case MEAN -> T.trueDiv(T.second(x, gExpanded), T.cast(T.reducedCount(x, axes), x.dtype()));
            case PROD -> T.mul(T.second(x, gExpanded), prodOfOthers(x, reduced));
            case MAX, MIN -> T.mul(gExpanded, T.eq(x, T.expandReduced(node.output(), reduced)));
            default -> throw new IllegalStateException();
        };
        return List.of(T.cast(g, x.dtype()));
    }

    /**
     * For each element, the product of the other elements of its group. prod/x is wrong where x
     * is zero, so zeros are counted: with none it is prod/x, with one it is the product of the
     * non-zeros at the zero and 0 elsewhere, with more it is 0 everywhere.
     */
    private Variable prodOfOthers(Variable x, boolean[] reduced) {
        Variable isZero = T.eq(x, T.constant(0));
        Variable nonZero = T.switchOp(isZero, T.constant(1, x.dtype()), x);
        Variable prodNonZero = T.expandReduced(new Reduce(Kind.PROD, axes).makeNode(List.of(nonZero)).output(), reduced);
        Variable zeros = T.expandReduced(new Reduce(Kind.SUM, axes).makeNode(List.of(isZero)).output(), reduced);
        Variable none = T.trueDiv(prodNonZero, nonZero);
        Variable one = T.switchOp(isZero, prodNonZero, T.constant(0, x.dtype()));
        return T.switchOp(T.eq(zeros, T.constant(0)), none,
                T.switchOp(T.eq(zeros, T.constant(1)), one, T.constant(0, x.dtype())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reduce r && r.kind == kind && Arrays.equals(r.axes, axes);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(axes);
    }

    @Override
    public String toString() {
        String name = kind.name().charAt(0) + kind.name().substring(1).toLowerCase();
        return name + (axes == null ? "" : "{axis=" + Arrays.toString(axes) + "}");
    }

    /** Sums and means are linear: their tangent is the same reduction of the input tangent. */
    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable t = evalPoints.get(0);
        if (t == null || node.output().dtype().isDiscrete()) {
            return java.util.Collections.singletonList(null);
        }
        if (kind != Kind.SUM && kind != Kind.MEAN) {
            throw TslException.notSupported("R-op of " + this);
        }
        return List.of(makeNode(List.of(t)).output());
    }
}
