package tsl.ops.nnet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * Bulk moves between NDArrays and the double[] the convolution and pooling loops work on:
 * contiguous float arrays are copied with one segment copy instead of element by element,
 * which on a LeNet-sized batch costs as much as the arithmetic.
 */
final class Doubles {
    private Doubles() {}

    static double[] of(NDArray a) {
        int n = Math.toIntExact(a.size());
        if (a.isContiguous() && a.dtype() == DType.FLOAT64) {
            double[] out = new double[n];
            MemorySegment.copy(a.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, a.offset() * 8, out, 0, n);
            return out;
        }
        if (a.isContiguous() && a.dtype() == DType.FLOAT32) {
            float[] f = new float[n];
            MemorySegment.copy(a.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, a.offset() * 4, f, 0, n);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
            return out;
        }
        return a.toDoubleArray();
    }

    static NDArray array(DType dtype, int[] shape, double[] values) {
        if (dtype == DType.FLOAT64) {
            NDArray a = NDArray.zeros(dtype, shape);
            MemorySegment.copy(values, 0, a.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, values.length);
            return a;
        }
        if (dtype == DType.FLOAT32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            NDArray a = NDArray.zeros(dtype, shape);
            MemorySegment.copy(f, 0, a.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, f.length);
            return a;
        }
        return NDArray.fromDoubles(dtype, shape, values);
    }
}
