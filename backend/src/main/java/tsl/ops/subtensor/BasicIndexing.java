package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/** Basic indexing (integers, slices, new axes): static output types and the views themselves. */
final class BasicIndexing {
    private BasicIndexing() {}

    /** Checks the node inputs of an index expression on {@code x} (index inputs from {@code first} on). */
    static void checkInputs(String op, List<Index> idx, List<Variable> inputs, int first, boolean allowArrays) {
        Variable x = inputs.get(0);
        int needed = 0;
        for (Index e : idx) {
            needed += e.inputCount();
        }
        if (inputs.size() != first + needed) {
            throw TslException.typeError(op + ": expected " + (first + needed) + " inputs, got " + inputs.size());
        }
        int consumed = 0;
        int k = first;
        for (Index e : idx) {
            if (e instanceof Index.Array) {
                Variable v = inputs.get(k++);
                if (!allowArrays) {
                    throw TslException.typeError(op + ": array indices need AdvancedSubtensor");
                }
                if (v.dtype().isFloat()) {
                    throw TslException.indexError("arrays used as indices must be of integer (or boolean) type, got " + v.type());
                }
                consumed += v.dtype().isBool() ? v.ndim() : 1;
                continue;
            }
            if (e instanceof Index.Point || e instanceof Index.Range) {
                consumed++;
            }
            for (int j = 0; j < e.inputCount(); j++) {
                Variable v = inputs.get(k++);
                if (v.ndim() != 0 || !v.dtype().isInteger()) {
                    throw TslException.typeError(op + ": slice bounds and indices must be integer scalars, got " + v.type());
                }
            }
        }
        if (consumed > x.ndim()) {
            throw TslException.indexError("too many indices for array: array is " + x.ndim() + "-dimensional, but "
                    + consumed + " were indexed");
        }
    }

    /** A bound's value when known while building: a constant bound or a Constant input. */
    static Long staticValue(Index.Bound b, List<Variable> inputs, int[] cursor) {
        if (!b.symbolic()) {
            return b.value();
        }
        Variable v = inputs.get(cursor[0]++);
        return v instanceof Constant c ? c.value().itemLong() : null;
    }

    static boolean known(Index.Bound b, Long v) {
        return !b.symbolic() || v != null;
    }

    /** The output type of a basic index expression. */
    static TensorType outputType(List<Index> idx, List<Variable> inputs, int first) {
        Variable x = inputs.get(0);
        List<Integer> shape = new ArrayList<>();
        int d = 0;
        int[] cursor = {first};
        for (Index e : idx) {
            switch (e) {
                case Index.Point p -> {
                    Long v = staticValue(p.at(), inputs, cursor);
                    int n = x.type().dim(d);
                    if (v != null && n != TensorType.UNKNOWN) {
                        SliceMath.point(v, n, d); // out of bounds is an error as soon as it is known
                    }
                    d++;
                }
                case Index.Range r -> {
                    Long start = staticValue(r.start(), inputs, cursor);
                    Long stop = staticValue(r.stop(), inputs, cursor);
                    Long step = staticValue(r.step(), inputs, cursor);
                    int n = x.type().dim(d);
                    boolean allKnown = known(r.start(), start) && known(r.stop(), stop) && known(r.step(), step);
                    if (allKnown && n != TensorType.UNKNOWN) {
                        shape.add((int) SliceMath.range(start, stop, step, n)[2]);
                    } else if (allKnown && start == null && stop == null && step == null) {
                        shape.add(n);
                    } else {
                        shape.add(TensorType.UNKNOWN);
                    }
                    d++;
                }
                case Index.NewAxis a -> shape.add(1);
                case Index.Array a -> throw new IllegalStateException("array index in basic indexing");
            }
        }
        for (; d < x.ndim(); d++) {
            shape.add(x.type().dim(d));
        }
        return new TensorType(x.dtype(), shape.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The view {@code x[idx]}; symbolic bounds are read from {@code in} starting at {@code first}. */
    static NDArray view(NDArray x, List<Index> idx, NDArray[] in, int first) {
        int[] xs = x.shape();
        long[] xst = x.strides();
        List<Integer> shape = new ArrayList<>();
        List<Long> strides = new ArrayList<>();
        long offset = x.offset();
        int d = 0;
        int k = first;
        for (Index e : idx) {
            switch (e) {
                case Index.Point p -> {
                    long v = p.at().symbolic() ? in[k++].itemLong() : p.at().value();
                    offset += SliceMath.point(v, xs[d], d) * xst[d];
                    d++;
                }
                case Index.Range r -> {
                    Long start = r.start().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.start().value();
                    Long stop = r.stop().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.stop().value();
                    Long step = r.step().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.step().value();
                    long[] s = SliceMath.range(start, stop, step, xs[d]);
                    if (s[2] > 0) {
                        offset += s[0] * xst[d];
                    }
                    shape.add((int) s[2]);
                    strides.add(xst[d] * s[1]);
                    d++;
                }
                case Index.NewAxis a -> {
                    shape.add(1);
                    strides.add(0L);
                }
                case Index.Array a -> throw new IllegalStateException("array index in basic indexing");
            }
        }
        for (; d < xs.length; d++) {
            shape.add(xs[d]);
            strides.add(xst[d]);
        }
        return new NDArray(x.dtype(), shape.stream().mapToInt(Integer::intValue).toArray(),
                strides.stream().mapToLong(Long::longValue).toArray(), offset, x.segment());
    }

    static String format(List<Index> idx) {
        List<String> s = new ArrayList<>();
        for (Index e : idx) {
            s.add(e.toString());
        }
        return String.join(", ", s);
    }
}
