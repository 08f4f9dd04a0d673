package tsl.linker.cuda;

import java.util.Arrays;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.linker.jvm.JvmLinker;
import tsl.ops.shape.Reshape;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/** Reshape: a view of a contiguous device array (a non-contiguous one is copied first). */
final class ReshapeStep implements CudaStep {
    private final Apply node;
    private final int ndim;

    ReshapeStep(Apply node) {
        this.node = node;
        this.ndim = ((Reshape) node.op()).ndim();
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        if (!in[0].isOnDevice()) {
            return new CudaValue[] {CudaValue.onHost(JvmLinker.perform(node, new NDArray[] {in[0].host(run), in[1].host(run)})[0])};
        }
        long[] v = in[1].host(run).toLongArray();
        if (v.length != ndim) {
            throw TslException.valueError("Reshape: shape has " + v.length + " entries, expected " + ndim);
        }
        int[] requested = Arrays.stream(v).mapToInt(l -> (int) l).toArray();
        DeviceArray x = in[0].device(run);
        int[] shape;
        try {
            shape = NDArray.resolveShape(requested, x.size());
        } catch (IllegalArgumentException e) {
            throw TslException.valueError("cannot reshape array of size " + x.size() + " into shape " + Shapes.format(requested));
        }
        DeviceArray c = run.contiguous(x);
        return new CudaValue[] {CudaValue.onDevice(c.view(shape, NDArray.contiguousStrides(shape)))};
    }
}
