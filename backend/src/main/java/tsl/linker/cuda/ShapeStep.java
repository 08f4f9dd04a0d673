package tsl.linker.cuda;

import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** x.shape from the value's metadata, without touching its data. */
final class ShapeStep implements CudaStep {
    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        int[] s = in[0].shape();
        long[] v = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i];
        }
        return new CudaValue[] {CudaValue.onHost(NDArray.fromLongs(DType.INT64, new int[] {s.length}, v))};
    }
}
