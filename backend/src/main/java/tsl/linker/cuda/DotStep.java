package tsl.linker.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.tensor.DType;
import tsl.tensor.Shapes;

/**
 * Dot of float matrices and vectors: cuBLAS for matrix products when it loads, else the
 * tiled {@link GemmKernel}. Vectors are read as 1×k or k×1 matrices through their strides.
 * Integer products and mixed dtypes run on the host.
 */
final class DotStep implements CudaStep {
    private final Apply node;
    private final HostStep fallback;
    private CUfunction kernel;

    DotStep(Apply node) {
        this.node = node;
        this.fallback = new HostStep(node);
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        DType out = node.output().dtype();
        if (!out.isFloat() || in[0].dtype() != out || in[1].dtype() != out) {
            return fallback.run(run, in);
        }
        return new CudaValue[] {CudaValue.onDevice(product(run, in[0], in[1], out))};
    }

    /** dot(x, y) of float matrices or vectors of dtype {@code out} into a new device array, with NumPy's shape errors. */
    DeviceArray product(CudaRun run, CudaValue vx, CudaValue vy, DType out) {
        CudaValue[] in = {vx, vy};
        int[] xs = in[0].shape();
        int[] ys = in[1].shape();
        boolean xv = xs.length == 1;
        boolean yv = ys.length == 1;
        int m = xv ? 1 : xs[0];
        int k = xs[xs.length - 1];
        int k2 = ys[0];
        int n = yv ? 1 : ys[1];
        if (k != k2) {
            if (!xv && !yv) {
                throw TslException.valueError("Shape mismatch: x has " + k + " cols (and " + m + " rows) but y has "
                        + k2 + " rows (and " + n + " cols)");
            }
            throw TslException.valueError("shapes " + Shapes.format(xs) + " and " + Shapes.format(ys) + " not aligned: "
                    + k + " (dim " + (xs.length - 1) + ") != " + k2 + " (dim 0)");
        }
        DeviceArray x = in[0].device(run);
        DeviceArray y = in[1].device(run);
        // as matrices: a vector x is 1×k, a vector y is k×1 (the unused stride is never stepped)
        DeviceArray a = xv ? x.view(new int[] {1, k}, new long[] {0, x.strides()[0]}) : x;
        DeviceArray b = yv ? y.view(new int[] {k, 1}, new long[] {y.strides()[0], 0}) : y;
        int[] shape = xv && yv ? new int[0] : xv ? new int[] {n} : yv ? new int[] {m} : new int[] {m, n};
        DeviceArray c = run.alloc(out, shape);
        if (c.size() == 0) {
            return c;
        }
        if (k == 0) {
            // an empty sum: all-zero bytes are 0.0
            JCudaDriver.cuMemsetD8(c.pointer(), (byte) 0, c.size() * out.byteSize());
            return c;
        }
        if (!xv && !yv && m > 1 && n > 1 && Cublas.available() && Cublas.usable(a) && Cublas.usable(b)) {
            Cublas.gemm(out, m, n, k, a, b, c);
        } else {
            if (kernel == null) {
                kernel = run.device.function(GemmKernel.source(out), GemmKernel.ENTRY);
            }
            int gx = (n + GemmKernel.TILE - 1) / GemmKernel.TILE;
            int gy = (m + GemmKernel.TILE - 1) / GemmKernel.TILE;
            run.device.launch2d(kernel, gx, gy, GemmKernel.THREADS,
                    Pointer.to(new int[] {m}), Pointer.to(new int[] {n}), Pointer.to(new int[] {k}),
                    a.arg(), Pointer.to(new long[] {a.strides()[0]}), Pointer.to(new long[] {a.strides()[1]}),
                    b.arg(), Pointer.to(new long[] {b.strides()[0]}), Pointer.to(new long[] {b.strides()[1]}),
                    c.arg());
        }
        return c;
    }
}
