package tsl.ops.blas;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * What {@link Gemv} and {@link Gemm} share: {@code beta * z + alpha * dot(a, b)} with
 * NumPy broadcasting of z against the product, inputs {@code (z, alpha, a, b, beta)}.
 * They exist only after the optimizer introduced them (gradients are taken before), so
 * they have no grad. When beta is 0, z is not read, as in BLAS.
 */
final class ScaledProduct {
    private ScaledProduct() {}

    static Apply makeNode(Object op, List<Variable> in, int aNdim, int bNdim) {
        if (in.size() != 5) {
            throw TslException.typeError(op + " takes 5 inputs (z, alpha, a, b, beta), got " + in.size());
        }
        Variable z = in.get(0);
        Variable alpha = in.get(1);
        Variable a = in.get(2);
        Variable b = in.get(3);
        Variable beta = in.get(4);
        DType d = z.dtype();
        if (!d.isFloat() || a.dtype() != d || b.dtype() != d || alpha.dtype() != d || beta.dtype() != d) {
            throw TslException.typeError(op + ": every input must have the same float dtype, got " + z.type() + ", "
                    + alpha.type() + ", " + a.type() + ", " + b.type() + ", " + beta.type());
        }
        if (a.ndim() != aNdim || b.ndim() != bNdim || alpha.ndim() != 0 || beta.ndim() != 0 || z.ndim() != aNdim + bNdim - 2) {
            throw TslException.typeError(op + ": wrong ranks " + z.type() + ", " + alpha.type() + ", " + a.type() + ", "
                    + b.type() + ", " + beta.type());
        }
        int[] prod = bNdim == 1 ? new int[] {a.type().dim(0)} : new int[] {a.type().dim(0), b.type().dim(1)};
        int[] out = new int[prod.length];
        for (int i = 0; i < out.length; i++) {
            int zd = z.type().dim(i);
            int pd = prod[i];
            out[i] = zd == 1 ? pd : pd == 1 ? zd : zd != TensorType.UNKNOWN ? zd : pd;
        }
        return new Apply((tsl.graph.Op) op, in, List.of(new TensorType(d, out)));
    }

    static NDArray perform(Object op, NDArray[] in) {
        NDArray z = in[0];
        double alpha = in[1].item();
        NDArray a = in[2];
        NDArray b = in[3];
        double beta = in[4].item();
        int m = a.dim(0);
        int k = a.dim(1);
        boolean vec = b.ndim() == 1;
        int n = vec ? 1 : b.dim(1);
        if (b.dim(0) != k) {
            throw TslException.valueError(op + ": shapes " + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape())
                    + " not aligned: " + k + " (dim 1) != " + b.dim(0) + " (dim 0)");
        }
        int[] prodShape = vec ? new int[] {m} : new int[] {m, n};
        int[] outShape;
        try {
            outShape = Shapes.broadcast(z.shape(), prodShape);
        } catch (IllegalArgumentException e) {
            throw TslException.valueError(op + ": z of shape " + Shapes.format(z.shape()) + " does not broadcast against the product of shape "
                    + Shapes.format(prodShape));
        }
        // z may be larger than the product (it broadcasts both ways); BLAS writes only product-shaped outputs
        if (java.util.Arrays.equals(outShape, prodShape) && Blas.usable(z.dtype(), m, n, k)) {
            NDArray out = NDArray.zeros(z.dtype(), outShape);
            if (beta != 0 && z.isContiguous() && java.util.Arrays.equals(z.shape(), outShape) && z.segment().isNative()) {
                long bytes = out.size() * out.dtype().byteSize();
                java.lang.foreign.MemorySegment.copy(z.segment(), z.offset() * z.dtype().byteSize(), out.segment(), 0, bytes);
            } else if (beta != 0) {
                out.assign(z);
            }
            if (vec) {
                Blas.gemv(alpha, a, b, beta, out);
            } else {
                Blas.gemm(alpha, a, b, beta, out);
            }
            return out;
        }
        return loop(z, alpha, a, b, beta, prodShape, outShape);
    }

    /** The Java reference (no OpenBLAS, or empty operands). */
    static NDArray loop(NDArray z, double alpha, NDArray a, NDArray b, double beta, int[] prodShape, int[] outShape) {
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.ndim() == 1 ? 1 : b.dim(1);
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double[] prod = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = av[i * k + p];
                for (int j = 0; j < n; j++) {
                    prod[i * n + j] += aip * bv[p * n + j];
                }
            }
        }
        NDArray out = NDArray.zeros(z.dtype(), outShape);
        NDArray zb = beta == 0 ? null : z.broadcastTo(outShape);
        NDArray pb = NDArray.fromDoubles(DType.FLOAT64, prodShape, prod).broadcastTo(outShape);
        for (long i = 0; i < out.size(); i++) {
            double v = alpha * pb.getDouble(i);
            if (zb != null) {
                v += beta * zb.getDouble(i);
            }
            out.setDouble(i, v);
        }
        return out;
    }
}
