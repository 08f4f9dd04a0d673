package tsl.linker.cuda;

import tsl.graph.TslException;
import tsl.tensor.Shapes;

/**
 * Alloc (zeros, ones, fill, the gradients' broadcasts) as a broadcasting view of its value:
 * stride 0 along every new or stretched dimension. Kernels only read their inputs, so a view
 * that repeats one element is as good as the filled array and costs nothing.
 */
final class AllocStep implements CudaStep {
    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        int[] shape = new int[in.length - 1];
        for (int i = 0; i < shape.length; i++) {
            long v = in[i + 1].host(run).itemLong();
            if (v < 0) {
                throw TslException.valueError("negative dimensions are not allowed");
            }
            shape[i] = (int) v;
        }
        DeviceArray value = in[0].device(run);
        int lead = shape.length - value.ndim();
        if (lead < 0) {
            throw broadcastError(value, shape);
        }
        long[] strides = new long[shape.length];
        for (int d = lead; d < shape.length; d++) {
            int vd = value.shape()[d - lead];
            if (vd == shape[d]) {
                strides[d] = value.strides()[d - lead];
            } else if (vd != 1) {
                throw broadcastError(value, shape);
            }
        }
        return new CudaValue[] {CudaValue.onDevice(value.view(shape, strides))};
    }

    private static TslException broadcastError(DeviceArray value, int[] shape) {
        return TslException.valueError("alloc: could not broadcast value of shape " + Shapes.format(value.shape())
                + " to shape " + Shapes.format(shape));
    }
}
