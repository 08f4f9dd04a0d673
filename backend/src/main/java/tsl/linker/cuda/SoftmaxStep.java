package tsl.linker.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import tsl.graph.Apply;
import tsl.ops.nnet.Softmax;

/** Softmax / log-softmax over the last axis: one block per row. */
final class SoftmaxStep implements CudaStep {
    private final boolean log;
    private CUfunction kernel;

    SoftmaxStep(Apply node) {
        this.log = ((Softmax) node.op()).log();
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        DeviceArray x = run.contiguous(in[0].device(run));
        DeviceArray y = run.alloc(x.dtype(), x.shape());
        int n = x.shape()[x.ndim() - 1];
        long rows = n == 0 ? 0 : x.size() / n;
        if (rows > 0) {
            if (kernel == null) {
                kernel = run.device.function(SoftmaxKernel.source(x.dtype(), log), SoftmaxKernel.ENTRY);
            }
            int grid = (int) Math.min(rows, (long) run.device.multiprocessors() * 32);
            run.device.launch(kernel, grid, SoftmaxKernel.BLOCK, 0,
                    Pointer.to(new long[] {rows}), Pointer.to(new long[] {n}), x.arg(), y.arg());
        }
        return new CudaValue[] {CudaValue.onDevice(y)};
    }
}
