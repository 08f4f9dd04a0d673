package tsl.ops.blas;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** The inner product of vectors and matrices (1-d or 2-d operands), as numpy.dot. */
public record Dot() implements Op {

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable y = inputs.get(1);
        if (x.ndim() < 1 || x.ndim() > 2 || y.ndim() < 1 || y.ndim() > 2) {
            throw TslException.typeError("dot: inputs must be vectors or matrices, got " + x.type() + " and " + y.type());
        }
        int kx = x.type().dim(x.ndim() - 1);
        int ky = y.type().dim(0);
        if (kx != TensorType.UNKNOWN && ky != TensorType.UNKNOWN && kx != ky) {
            throw TslException.valueError("dot: shapes " + x.type().shapeString() + " and " + y.type().shapeString() + " not aligned: "
                    + kx + " (dim " + (x.ndim() - 1) + ") != " + ky + " (dim 0)");
        }
        int[] shape;
        if (x.ndim() == 1 && y.ndim() == 1) {
            shape = new int[0];
        } else if (x.ndim() == 2 && y.ndim() == 1) {
            shape = new int[] {x.type().dim(0)};
        } else if (x.ndim() == 1) {
            shape = new int[] {y.type().dim(1)};
        } else {
            shape = new int[] {x.type().dim(0), y.type().dim(1)};
        }
        DType out = DType.promote(x.dtype(), y.dtype());
        return new Apply(this, inputs, List.of(new TensorType(out, shape)));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        NDArray y = in[1];
        boolean xv = x.ndim() == 1;
        boolean yv = y.ndim() == 1;
        int m = xv ? 1 : x.dim(0);
        int k = x.dim(x.ndim() - 1);
        int k2 = y.dim(0);
        int n = yv ? 1 : y.dim(1);
        if (k != k2) {
            if (!xv && !yv) {
                throw TslException.valueError("Shape mismatch: x has " + k + " cols (and " + m + " rows) but y has "
                        + k2 + " rows (and " + n + " cols)");
            }
            throw TslException.valueError("shapes " + tsl.tensor.Shapes.format(x.shape()) + " and "
                    + tsl.tensor.Shapes.format(y.shape()) + " not aligned: " + k + " (dim " + (x.ndim() - 1) + ") != " + k2 + " (dim 0)");
        }
        DType outType = node.output().dtype();
        if (Blas.usable(outType, m, n, k)) {
            return new NDArray[] {Blas.product(x, y, outType)};
        }
        return new NDArray[] {loop(x, y, outType)};
    }

    /** The Java reference product (integers, empty operands, or no OpenBLAS). */
    static NDArray loop(NDArray x, NDArray y, DType outType) {
        boolean xv = x.ndim() == 1;
        boolean yv = y.ndim() == 1;
        int m = xv ? 1 : x.dim(0);
        int k = x.dim(x.ndim() - 1);
        int n = yv ? 1 : y.dim(1);
        int[] shape = xv && yv ? new int[0] : xv ? new int[] {n} : yv ? new int[] {m} : new int[] {m, n};
        NDArray out = NDArray.zeros(outType, shape);
        double[] a = x.toDoubleArray();
        double[] b = y.toDoubleArray();
        boolean integral = !outType.isFloat();
        long[] ia = integral ? x.toLongArray() : null;
        long[] ib = integral ? y.toLongArray() : null;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (integral) {
                    long s = 0;
                    for (int p = 0; p < k; p++) {
                        s += ia[i * k + p] * ib[p * n + j];
                    }
                    out.setLong((long) i * n + j, s);
                } else {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[i * k + p] * b[p * n + j];
                    }
                    out.setDouble((long) i * n + j, s);
                }
            }
        }
        return out;
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable x = node.input(0);
        Variable y = node.input(1);
        Variable gz = outputGrads.get(0);
        Variable gx;
        Variable gy;
        if (x.ndim() == 1 && y.ndim() == 1) {
            gx = T.mul(gz, y);
            gy = T.mul(gz, x);
        } else if (x.ndim() == 2 && y.ndim() == 1) {
            gx = T.outer(gz, y);
            gy = T.dot(T.transpose(x), gz);
        } else if (x.ndim() == 1) {
            gx = T.dot(y, gz);
            gy = T.outer(x, gz);
        } else {
            gx = T.dot(gz, T.transpose(y));
            gy = T.dot(T.transpose(x), gz);
        }
        return java.util.Arrays.asList(
                x.dtype().isDiscrete() ? null : T.cast(gx, x.dtype()),
                y.dtype().isDiscrete() ? null : T.cast(gy, y.dtype()));
    }

    @Override
    public String toString() {
        return "dot";
    }

    /** d(x . y) = dx . y + x . dy. */
    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable tx = evalPoints.get(0);
        Variable ty = evalPoints.get(1);
        Variable a = tx == null ? null : T.dot(tx, node.input(1));
        Variable b = ty == null ? null : T.dot(node.input(0), ty);
        return java.util.Collections.singletonList(a == null ? b : (b == null ? a : T.add(a, b)));
    }
}
