package tsl.linker.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/** A Reduce node as the two {@link ReduceKernel} launches, after collapsing the dimensions. */
final class ReduceStep implements CudaStep {
    private final Apply node;
    private final Reduce op;
    private final Map<String, CUfunction[]> kernels = new HashMap<>();

    ReduceStep(Apply node) {
        this.node = node;
        this.op = (Reduce) node.op();
    }

    /** Dimensions as (length, stride) pairs: length-1 ones dropped, mergeable neighbours merged. */
    static List<long[]> collapse(List<long[]> dims) {
        List<long[]> out = new ArrayList<>();
        for (long[] d : dims) {
            if (d[0] == 1) {
                continue;
            }
            if (!out.isEmpty()) {
                long[] prev = out.get(out.size() - 1);
                if (prev[1] == d[1] * d[0]) {
                    out.set(out.size() - 1, new long[] {prev[0] * d[0], d[1]});
                    continue;
                }
            }
            out.add(d);
        }
        return out;
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        DeviceArray x = in[0].device(run);
        int[] shape = x.shape();
        boolean[] reduced = op.reducedAxes(shape.length);
        List<long[]> keptDims = new ArrayList<>();
        List<long[]> redDims = new ArrayList<>();
        List<Integer> outShape = new ArrayList<>();
        long nRed = 1;
        for (int d = 0; d < shape.length; d++) {
            long[] dim = {shape[d], x.strides()[d]};
            if (reduced[d]) {
                redDims.add(dim);
                nRed *= shape[d];
            } else {
                keptDims.add(dim);
                outShape.add(shape[d]);
            }
        }
        if (nRed == 0 && (op.kind() == Reduce.Kind.MAX || op.kind() == Reduce.Kind.MIN)) {
            throw TslException.valueError("zero-size array to reduction operation " + op.kind().name().toLowerCase()
                    + " which has no identity");
        }
        DType outType = node.output().dtype();
        DeviceArray out = run.alloc(outType, outShape.stream().mapToInt(Integer::intValue).toArray());
        long nOut = out.size();
        if (nOut == 0) {
            return new CudaValue[] {CudaValue.onDevice(out)};
        }
        List<long[]> kept = collapse(keptDims);
        List<long[]> red = nRed == 0 ? redDims : collapse(redDims);
        CUfunction[] f = kernels(run, x.dtype(), outType, kept.size(), red.size());
        int sms = run.device.multiprocessors();
        int chunks = 1;
        if (nOut < 4L * sms && nRed >= 8192) {
            // few outputs, long reductions: split each over several blocks, at least 16 elements per thread
            long byWork = Math.max(1, nRed / (ReduceKernel.BLOCK * 16L));
            long byGpu = Math.max(1, 8L * sms / nOut);
            chunks = (int) Math.min(byWork, byGpu);
        }
        DType acc = ReduceKernel.accumulator(op.kind(), x.dtype(), outType);
        DeviceArray partial = run.alloc(acc, new int[] {Math.toIntExact(nOut * chunks)});
        List<Pointer> params = new ArrayList<>();
        params.add(Pointer.to(new long[] {nOut}));
        params.add(Pointer.to(new long[] {nRed}));
        params.add(Pointer.to(new int[] {chunks}));
        for (long[] d : kept) {
            params.add(Pointer.to(new long[] {d[0]}));
            params.add(Pointer.to(new long[] {d[1]}));
        }
        for (long[] d : red) {
            params.add(Pointer.to(new long[] {d[0]}));
            params.add(Pointer.to(new long[] {d[1]}));
        }
        params.add(x.arg());
        params.add(partial.arg());
        long blocks = nOut * chunks;
        int grid = (int) Math.min(blocks, (long) sms * 32);
        run.device.launch(f[0], grid, ReduceKernel.BLOCK, 0, params.toArray(new Pointer[0]));
        run.device.launch(f[1], run.device.gridFor(nOut, 256), 256, 0,
                Pointer.to(new long[] {nOut}), Pointer.to(new int[] {chunks}), Pointer.to(new long[] {nRed}),
                partial.arg(), out.arg());
        return new CudaValue[] {CudaValue.onDevice(out)};
    }

    private CUfunction[] kernels(CudaRun run, DType in, DType out, int kept, int red) {
        String key = in + "/" + out + "/" + kept + "/" + red;
        CUfunction[] f = kernels.get(key);
        if (f == null) {
            String src = ReduceKernel.source(op.kind(), in, out, kept, red);
            f = new CUfunction[] {run.device.function(src, ReduceKernel.ENTRY), run.device.function(src, ReduceKernel.FINISH)};
            kernels.put(key, f);
        }
        return f;
    }
}
