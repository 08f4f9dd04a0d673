package tsl.linker.cuda;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.linker.jvm.JvmLinker;
import tsl.ops.shape.DimShuffle;
import tsl.tensor.NDArray;

/**
 * DimShuffle as a view: on the device, the same permutation of shape and strides the Java
 * op makes on the host (dropped axes have length 1, new axes have length 1), so transposes
 * and broadcasts cost no copy. A value still on the host is shuffled there.
 */
final class DimShuffleStep implements CudaStep {
    private final Apply node;
    private final int[] pattern;

    DimShuffleStep(Apply node) {
        this.node = node;
        this.pattern = ((DimShuffle) node.op()).pattern();
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        if (!in[0].isOnDevice()) {
            return new CudaValue[] {CudaValue.onHost(JvmLinker.perform(node, new NDArray[] {in[0].host(run)})[0])};
        }
        DeviceArray x = in[0].device(run);
        int[] shape = x.shape();
        boolean[] kept = new boolean[shape.length];
        for (int p : pattern) {
            if (p != DimShuffle.NEW_AXIS) {
                kept[p] = true;
            }
        }
        for (int d = 0; d < shape.length; d++) {
            if (!kept[d] && shape[d] != 1) {
                throw TslException.valueError("dimshuffle " + node.op() + ": dimension " + d + " has length " + shape[d] + ", expected 1");
            }
        }
        int[] newShape = new int[pattern.length];
        long[] newStrides = new long[pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            int p = pattern[i];
            if (p == DimShuffle.NEW_AXIS) {
                newShape[i] = 1;
                newStrides[i] = 0;
            } else {
                newShape[i] = shape[p];
                newStrides[i] = x.strides()[p];
            }
        }
        return new CudaValue[] {CudaValue.onDevice(x.view(newShape, newStrides))};
    }
}
