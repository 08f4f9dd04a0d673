package tsl.linker.cuda;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.TslException;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;
import tsl.tensor.Shapes;

/**
 * Gemm and Gemv, {@code beta * z + alpha * dot(a, b)} with inputs {@code (z, alpha, a, b,
 * beta)} (the optimizer turns products, and the scaling and accumulation around them, into
 * these): the product as {@link DotStep} computes it (cuBLAS or the tiled kernel), then, unless
 * alpha is 1 and beta 0, one elementwise kernel for the scaling and z (broadcast against the
 * product either way, as the jvm reference does). When beta is 0, z is not read, as in BLAS.
 */
final class GemmStep implements CudaStep {

    private final Apply node;
    private final DotStep dot;
    private final HostStep fallback;
    private final ElemwiseLauncher scale;
    private final ElemwiseLauncher scaleAndAdd;

    GemmStep(Apply node) {
        this.node = node;
        this.dot = new DotStep(node);
        this.fallback = new HostStep(node);
        DType d = node.output().dtype();
        this.scale = new ElemwiseLauncher(new Elemwise(ScalarOps.MUL));
        // inputs (p, alpha, z, beta): alpha * p + beta * z
        this.scaleAndAdd = new ElemwiseLauncher(new Elemwise(Composite.of(4, List.of(
                new Composite.Step(ScalarOps.MUL, new int[] {1, 0}, new DType[] {d, d}, d),
                new Composite.Step(ScalarOps.MUL, new int[] {3, 2}, new DType[] {d, d}, d),
                new Composite.Step(ScalarOps.ADD, new int[] {4, 5}, new DType[] {d, d}, d)))));
    }

    @Override
    public CudaValue[] run(CudaRun run, CudaValue[] in) {
        DType d = node.output().dtype();
        for (CudaValue v : in) {
            if (!d.isFloat() || v.dtype() != d) {
                return fallback.run(run, in);
            }
        }
        // alpha and beta are mostly constants, whose host values are at hand
        double alpha = in[1].host(run).item();
        double beta = in[4].host(run).item();
        DeviceArray p = dot.product(run, in[2], in[3], d);
        int nd = p.ndim();
        int[] zs = in[0].shape();
        if (zs.length != nd) {
            throw TslException.valueError(node.op() + ": z has " + zs.length + " dimensions, the product " + nd);
        }
        int[] out;
        try {
            out = Shapes.broadcast(zs, p.shape());
        } catch (IllegalArgumentException e) {
            throw TslException.valueError(node.op() + ": z of shape " + Shapes.format(zs) + " does not broadcast against the product of shape "
                    + Shapes.format(p.shape()));
        }
        if (alpha == 1 && beta == 0 && java.util.Arrays.equals(out, p.shape())) {
            return new CudaValue[] {CudaValue.onDevice(p)};
        }
        DeviceArray a = asScalar(in[1].device(run), nd);
        if (beta == 0) {
            return new CudaValue[] {CudaValue.onDevice(scale.run(run, new DeviceArray[] {p, a}, d, out))};
        }
        DeviceArray b = asScalar(in[4].device(run), nd);
        DeviceArray z = in[0].device(run);
        return new CudaValue[] {CudaValue.onDevice(scaleAndAdd.run(run, new DeviceArray[] {p, a, z, b}, d, out))};
    }

    /** A one-element array as an {@code nd}-dimensional one (all lengths 1), as the elementwise launcher wants. */
    private static DeviceArray asScalar(DeviceArray s, int nd) {
        int[] shape = new int[nd];
        java.util.Arrays.fill(shape, 1);
        return s.view(shape, new long[nd]);
    }

}
