package tsl.ops.nnet;

/**
 * The loops of 2-D pooling over contiguous planes (the last two axes; every leading index is
 * one plane): the forward reduction, its gradient, and the gradient of max pooling's
 * gradient. Window bounds come from {@link PoolParams#window} once per output row and column.
 */
final class PoolKernels {
    private PoolKernels() {}

    /** Window bounds for every output index along one axis: {start, end, paddedSize} triples. */
    static int[] windows(PoolParams p, int axis, int in, int outLen) {
        int[] w = new int[3 * outLen];
        int[] t = new int[3];
        for (int r = 0; r < outLen; r++) {
            p.window(axis, r, in, t);
            System.arraycopy(t, 0, w, 3 * r, 3);
        }
        return w;
    }

    static void forward(PoolParams p, double[] x, int planes, int rows, int cols, double[] out, int outRows, int outCols) {
        int[] rw = windows(p, 0, rows, outRows);
        int[] cw = windows(p, 1, cols, outCols);
        for (int n = 0; n < planes; n++) {
            int xBase = n * rows * cols;
            int oBase = n * outRows * outCols;
            for (int r = 0; r < outRows; r++) {
                int r0 = rw[3 * r], r1 = rw[3 * r + 1];
                for (int c = 0; c < outCols; c++) {
                    int c0 = cw[3 * c], c1 = cw[3 * c + 1];
                    double v;
                    if (p.mode() == PoolParams.Mode.MAX) {
                        v = windowMax(x, xBase, cols, r0, r1, c0, c1);
                    } else {
                        v = 0;
                        for (int i = r0; i < r1; i++) {
                            for (int j = c0; j < c1; j++) {
                                v += x[xBase + i * cols + j];
                            }
                        }
                        v /= divisor(p, rw, cw, r, c);
                    }
                    out[oBase + r * outCols + c] = v;
                }
            }
        }
    }

    /** What a window's sum is divided by: 1 for sum, the window's cells with or without padding for the averages. */
    static double divisor(PoolParams p, int[] rw, int[] cw, int r, int c) {
        return switch (p.mode()) {
            case SUM, MAX -> 1;
            case AVERAGE_INC_PAD -> (double) rw[3 * r + 2] * cw[3 * c + 2];
            case AVERAGE_EXC_PAD -> (double) (rw[3 * r + 1] - rw[3 * r]) * (cw[3 * c + 1] - cw[3 * c]);
        };
    }

    /**
     * gx for output gradient gz. Max pooling sends a window's gradient to every element equal to
     * the window's maximum (Theano's MaxPoolGrad; ties all receive it); sum and the averages
     * spread it over the window's input cells, divided as in the forward pass.
     */
    static void grad(PoolParams p, double[] x, double[] gz, int planes, int rows, int cols, double[] gx, int outRows, int outCols) {
        int[] rw = windows(p, 0, rows, outRows);
        int[] cw = windows(p, 1, cols, outCols);
        for (int n = 0; n < planes; n++) {
            int xBase = n * rows * cols;
            int oBase = n * outRows * outCols;
            for (int r = 0; r < outRows; r++) {
                int r0 = rw[3 * r], r1 = rw[3 * r + 1];
                for (int c = 0; c < outCols; c++) {
                    int c0 = cw[3 * c], c1 = cw[3 * c + 1];
                    double g = gz[oBase + r * outCols + c];
                    if (p.mode() == PoolParams.Mode.MAX) {
                        double m = windowMax(x, xBase, cols, r0, r1, c0, c1);
                        for (int i = r0; i < r1; i++) {
                            for (int j = c0; j < c1; j++) {
                                if (x[xBase + i * cols + j] == m) {
                                    gx[xBase + i * cols + j] += g;
                                }
                            }
                        }
                    } else {
                        double share = g / divisor(p, rw, cw, r, c);
                        for (int i = r0; i < r1; i++) {
                            for (int j = c0; j < c1; j++) {
                                gx[xBase + i * cols + j] += share;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of max pooling's gradient in its output-gradient operand: each window
     * gathers the sum of {@code ggx} over the elements equal to its maximum.
     */
    static void maxGradGrad(PoolParams p, double[] x, double[] ggx, int planes, int rows, int cols, double[] out, int outRows, int outCols) {
        int[] rw = windows(p, 0, rows, outRows);
        int[] cw = windows(p, 1, cols, outCols);
        for (int n = 0; n < planes; n++) {
            int xBase = n * rows * cols;
            int oBase = n * outRows * outCols;
            for (int r = 0; r < outRows; r++) {
                int r0 = rw[3 * r], r1 = rw[3 * r + 1];
                for (int c = 0; c < outCols; c++) {
                    int c0 = cw[3 * c], c1 = cw[3 * c + 1];
                    double m = windowMax(x, xBase, cols, r0, r1, c0, c1);
                    double s = 0;
                    for (int i = r0; i < r1; i++) {
                        for (int j = c0; j < c1; j++) {
                            if (x[xBase + i * cols + j] == m) {
                                s += ggx[xBase + i * cols + j];
                            }
                        }
                    }
                    out[oBase + r * outCols + c] = s;
                }
            }
        }
    }

    private static double windowMax(double[] x, int base, int cols, int r0, int r1, int c0, int c1) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = r0; i < r1; i++) {
            for (int j = c0; j < c1; j++) {
                double a = x[base + i * cols + j];
                if (a > m || Double.isNaN(a)) {
                    m = a; // NaN sticks, as with NumPy's max
                }
            }
        }
        return m;
    }
}
