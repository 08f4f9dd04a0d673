package tsl.linker.cuda;

import java.lang.foreign.Arena;

import tsl.graph.Apply;
import tsl.linker.jvm.JvmLinker;
import tsl.tensor.NDArray;

/**
 * An op that reads only its input's shape (Shape, ReducedCount): its Java reference runs on a
 * data-less stand-in of the right dtype and shape (every stride 0 over one element), so a
 * device value is never copied back just to be measured.
 */
final class ShapeStep implements CudaStep {
    private final Apply node;

    ShapeStep(Apply node) {
        this.node = node;
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        NDArray[] args = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            int[] shape = in[i].shape();
            args[i] = new NDArray(in[i].dtype(), shape, new long[shape.length], 0, Arena.ofAuto().allocate(8, 8));
        }
        NDArray[] out = JvmLinker.perform(node, args);
        CudaValue[] result = new CudaValue[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = CudaValue.onHost(out[i]);
        }
        return result;
    }
}
