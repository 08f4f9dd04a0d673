package tsl.linker.cuda;

import tsl.graph.Apply;
import tsl.linker.jvm.JvmLinker;
import tsl.tensor.NDArray;

/**
 * A node with no CUDA implementation: its inputs come to the host, the Java reference runs,
 * and its outputs go to the device only if a later kernel needs them. Correct, and slow only
 * for large values.
 */
final class HostStep implements CudaStep {
    private final Apply node;

    HostStep(Apply node) {
        this.node = node;
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        NDArray[] args = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            args[i] = in[i].host(run);
        }
        NDArray[] out = JvmLinker.perform(node, args);
        CudaValue[] result = new CudaValue[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = CudaValue.onHost(out[i]);
        }
        return result;
    }
}
