package tsl.ops.subtensor;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * NumPy's advanced indexing rules, resolved to a gather plan: for every element of the result,
 * the C-order position in x it comes from. Integer arrays (and integers, which count as 0-d
 * arrays here, as in NumPy) broadcast together; boolean arrays stand for their nonzero()
 * indices. When the array indices are adjacent their broadcast dimensions replace them in
 * place, otherwise they come first.
 */
final class AdvancedIndexing {
    private AdvancedIndexing() {}

    /** Result shape and, per result element, the linear source index in x. */
    record Plan(int[] shape, long[] source) {}

    private sealed interface Dim permits SliceDim, ArrayDim {}

    private record SliceDim(long start, long step, long length) implements Dim {}

    private record ArrayDim(int[] shape, long[] values) implements Dim {}

    /** The number of dimensions of {@code x[idx]}. */
    static TensorType outputType(List<Index> idx, List<Variable> inputs, int first) {
        Variable x = inputs.get(0);
        int arrayNdim = 0;
        int sliceDims = 0;
        int consumed = 0;
        int k = first;
        for (Index e : idx) {
            switch (e) {
                case Index.Array a -> {
                    Variable v = inputs.get(k++);
                    arrayNdim = Math.max(arrayNdim, v.dtype().isBool() ? 1 : v.ndim());
                    consumed += v.dtype().isBool() ? v.ndim() : 1;
                }
                case Index.Point p -> {
                    k += p.inputCount();
                    consumed++;
                }
                case Index.Range r -> {
                    k += r.inputCount();
                    consumed++;
                    sliceDims++;
                }
                case Index.NewAxis n -> throw TslException.notSupported("None/newaxis mixed with array indices");
            }
        }
        int trailing = x.ndim() - consumed;
        int ndim = arrayNdim + sliceDims + trailing;
        int[] shape = new int[ndim];
        for (int d = 0; d < ndim; d++) {
            shape[d] = d < ndim - trailing ? TensorType.UNKNOWN : x.type().dim(consumed + d - (ndim - trailing));
        }
        return new TensorType(x.dtype(), shape);
    }

    static Plan plan(int[] xs, List<Index> idx, NDArray[] in, int first) {
        List<Dim> dims = new ArrayList<>();
        int k = first;
        for (Index e : idx) {
            switch (e) {
                case Index.Array a -> {
                    NDArray v = in[k++];
                    if (v.dtype().isBool()) {
                        dims.addAll(nonzero(v, xs, dims.size()));
                    } else {
                        dims.add(checked(new ArrayDim(v.shape(), v.toLongArray()), xs, dims.size()));
                    }
                }
                case Index.Point p -> {
                    long v = p.at().symbolic() ? in[k++].itemLong() : p.at().value();
                    dims.add(checked(new ArrayDim(new int[0], new long[] {v}), xs, dims.size()));
                }
                case Index.Range r -> {
                    Long start = r.start().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.start().value();
                    Long stop = r.stop().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.stop().value();
                    Long step = r.step().symbolic() ? Long.valueOf(in[k++].itemLong()) : r.step().value();
                    long[] s = SliceMath.range(start, stop, step, xs[dims.size()]);
                    dims.add(new SliceDim(s[0], s[1], s[2]));
                }
                case Index.NewAxis n -> throw TslException.notSupported("None/newaxis mixed with array indices");
            }
        }
        while (dims.size() < xs.length) {
            dims.add(new SliceDim(0, 1, xs[dims.size()]));
        }
        int[] bshape = new int[0];
        int firstArray = -1;
        int lastArray = -1;
        int arrays = 0;
        for (int d = 0; d < dims.size(); d++) {
            if (dims.get(d) instanceof ArrayDim a) {
                try {
                    bshape = Shapes.broadcast(bshape, a.shape());
                } catch (IllegalArgumentException ex) {
                    throw TslException.indexError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                            + shapesOf(dims));
                }
                firstArray = firstArray < 0 ? d : firstArray;
                lastArray = d;
                arrays++;
            }
        }
        boolean adjacent = lastArray - firstArray + 1 == arrays;
        // result dims: each is one slice dim of x (its index d) or broadcast dim j (encoded -1 - j)
        List<Integer> shape = new ArrayList<>();
        List<Integer> sliceOf = new ArrayList<>();
        if (!adjacent) {
            addBroadcastDims(bshape, shape, sliceOf);
        }
        for (int d = 0; d < dims.size(); d++) {
            if (adjacent && d == firstArray) {
                addBroadcastDims(bshape, shape, sliceOf);
            }
            if (dims.get(d) instanceof SliceDim s) {
                shape.add((int) s.length());
                sliceOf.add(d);
            }
        }
        int[] out = shape.stream().mapToInt(Integer::intValue).toArray();
        long n = NDArray.sizeOf(out);
        long[] xStrides = NDArray.contiguousStrides(xs);
        long[] source = new long[(int) n];
        int[] oi = new int[out.length];
        int[] bi = new int[bshape.length];
        for (long q = 0; q < n; q++) {
            for (int r = 0; r < out.length; r++) {
                int s = sliceOf.get(r);
                if (s < 0) {
                    bi[-1 - s] = oi[r];
                }
            }
            long src = 0;
            for (int r = 0; r < out.length; r++) {
                int s = sliceOf.get(r);
                if (s >= 0) {
                    SliceDim sd = (SliceDim) dims.get(s);
                    src += (sd.start() + oi[r] * sd.step()) * xStrides[s];
                }
            }
            for (int d = 0; d < dims.size(); d++) {
                if (dims.get(d) instanceof ArrayDim a) {
                    src += a.values()[(int) broadcastIndex(a.shape(), bi)] * xStrides[d];
                }
            }
            source[(int) q] = src;
            for (int r = out.length - 1; r >= 0; r--) {
                if (++oi[r] < out[r]) {
                    break;
                }
                oi[r] = 0;
            }
        }
        return new Plan(out, source);
    }

    private static void addBroadcastDims(int[] bshape, List<Integer> shape, List<Integer> sliceOf) {
        for (int j = 0; j < bshape.length; j++) {
            shape.add(bshape[j]);
            sliceOf.add(-1 - j);
        }
    }

    /** The C-order position in an array of shape {@code shape} broadcast against multi-index {@code bi}. */
    private static long broadcastIndex(int[] shape, int[] bi) {
        long p = 0;
        int off = bi.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            p = p * shape[d] + (shape[d] == 1 ? 0 : bi[off + d]);
        }
        return p;
    }

    /** Normalises negative indices and raises NumPy's IndexError for out-of-range ones. */
    private static ArrayDim checked(ArrayDim a, int[] xs, int axis) {
        if (axis >= xs.length) {
            throw TslException.indexError("too many indices for array: array is " + xs.length + "-dimensional");
        }
        long[] v = a.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = SliceMath.point(v[i], xs[axis], axis);
        }
        return new ArrayDim(a.shape(), v);
    }

    private static List<ArrayDim> nonzero(NDArray mask, int[] xs, int axis) {
        int[] ms = mask.shape();
        for (int d = 0; d < ms.length; d++) {
            if (axis + d >= xs.length || ms[d] != xs[axis + d]) {
                throw TslException.indexError("boolean index did not match indexed array along axis " + (axis + d)
                        + "; size of axis is " + (axis + d < xs.length ? xs[axis + d] : 0) + " but size of corresponding boolean axis is " + ms[d]);
            }
        }
        List<long[]> coords = new ArrayList<>();
        int[] mi = new int[ms.length];
        for (long q = 0; q < mask.size(); q++) {
            if (mask.getLong(q) != 0) {
                long[] c = new long[ms.length];
                for (int d = 0; d < ms.length; d++) {
                    c[d] = mi[d];
                }
                coords.add(c);
            }
            for (int d = ms.length - 1; d >= 0; d--) {
                if (++mi[d] < ms[d]) {
                    break;
                }
                mi[d] = 0;
            }
        }
        List<ArrayDim> result = new ArrayList<>();
        for (int d = 0; d < ms.length; d++) {
            long[] v = new long[coords.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = coords.get(i)[d];
            }
            result.add(new ArrayDim(new int[] {v.length}, v));
        }
        return result;
    }

    private static String shapesOf(List<Dim> dims) {
        List<String> s = new ArrayList<>();
        for (Dim d : dims) {
            if (d instanceof ArrayDim a) {
                s.add(Shapes.format(a.shape()).replace(" ", ""));
            }
        }
        return String.join(" ", s);
    }
}
