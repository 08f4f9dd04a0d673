package tsl.ops.blas;

import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/** A stack of matrix products: x (b, n, m) and y (b, m, p) give (b, n, p). */
public record BatchedDot() implements Op {
    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        Variable y = inputs.get(1);
        if (x.ndim() != 3 || y.ndim() != 3) {
            throw TslException.typeError("BatchedDot: inputs must be 3-d, got " + x.type() + " and " + y.type());
        }
        check(x.type().dim(0), y.type().dim(0), x, y, "batch sizes");
        check(x.type().dim(2), y.type().dim(1), x, y, "inner dimensions");
        int b = x.type().dim(0) != TensorType.UNKNOWN ? x.type().dim(0) : y.type().dim(0);
        return new Apply(this, inputs, List.of(new TensorType(DType.promote(x.dtype(), y.dtype()), b, x.type().dim(1), y.type().dim(2))));
    }

    private static void check(int a, int b, Variable x, Variable y, String what) {
        if (a != TensorType.UNKNOWN && b != TensorType.UNKNOWN && a != b) {
            throw TslException.valueError("BatchedDot: " + what + " differ: " + x.type() + " and " + y.type());
        }
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        NDArray x = in[0];
        NDArray y = in[1];
        int b = x.dim(0);
        int n = x.dim(1);
        int m = x.dim(2);
        int p = y.dim(2);
        if (y.dim(0) != b || y.dim(1) != m) {
            throw TslException.valueError("BatchedDot: shapes " + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape())
                    + " do not match");
        }
        DType d = node.output().dtype();
        if (Blas.usable(d, b, n, m, p)) {
            NDArray out = NDArray.zeros(d, b, n, p);
            for (int k = 0; k < b; k++) {
                Blas.gemm(1, x.get(k), y.get(k), 0, out.get(k));
            }
            return new NDArray[] {out};
        }
        return new NDArray[] {loop(x, y, d)};
    }

    /** The Java reference (integers, empty operands, or no OpenBLAS). */
    static NDArray loop(NDArray x, NDArray y, DType d) {
        int b = x.dim(0);
        int n = x.dim(1);
        int m = x.dim(2);
        int p = y.dim(2);
        NDArray out = NDArray.zeros(d, b, n, p);
        boolean integral = !out.dtype().isFloat();
        for (int k = 0; k < b; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    long o = ((long) k * n + i) * p + j;
                    if (integral) {
                        long s = 0;
                        for (int q = 0; q < m; q++) {
                            s += x.getLong(((long) k * n + i) * m + q) * y.getLong(((long) k * m + q) * p + j);
                        }
                        out.setLong(o, s);
                    } else {
                        double s = 0;
                        for (int q = 0; q < m; q++) {
                            s += x.getDouble(((long) k * n + i) * m + q) * y.getDouble(((long) k * m + q) * p + j);
                        }
                        out.setDouble(o, s);
                    }
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
        Variable gx = new BatchedDot().makeNode(List.of(gz, T.dimshuffle(y, 0, 2, 1))).output();
        Variable gy = new BatchedDot().makeNode(List.of(T.dimshuffle(x, 0, 2, 1), gz)).output();
        return Arrays.asList(x.dtype().isDiscrete() ? null : T.cast(gx, x.dtype()), y.dtype().isDiscrete() ? null : T.cast(gy, y.dtype()));
    }

    @Override
    public String toString() {
        return "BatchedDot";
    }
}
