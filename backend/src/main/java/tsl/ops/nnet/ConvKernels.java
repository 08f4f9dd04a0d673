package tsl.ops.nnet;

import java.util.Arrays;

/**
 * The three loops of a 2-D convolution on contiguous NCHW doubles, written as matrix
 * products over an unrolled input (im2col): for one image and one channel group, row k of
 * the column matrix holds, for every output position, the input value that filter tap k
 * multiplies (zero in the padding). Rows are ordered as the filters are stored, so a filter
 * is one contiguous row of weights. Every innermost loop then runs over the output
 * positions of one image, contiguous and long enough to vectorise, and nothing is
 * allocated per element: one column buffer serves the whole batch.
 */
final class ConvKernels {
    private ConvKernels() {}

    /** out[b, o] = W_o . col(x[b], group of o). */
    static void forward(ConvGeometry g, double[] x, double[] w, double[] out) {
        Layout l = new Layout(g);
        double[] col = new double[l.k * l.n];
        for (int b = 0; b < g.batch(); b++) {
            for (int grp = 0; grp < g.p().groups(); grp++) {
                im2col(g, l, x, b, grp, col);
                int oEnd = (grp + 1) * l.perGroup;
                int o = grp * l.perGroup;
                // four filters at a time: each column element is loaded once for four outputs
                for (; o + 4 <= oEnd; o += 4) {
                    int o0 = (b * g.outChannels() + o) * l.n;
                    int o1 = o0 + l.n, o2 = o1 + l.n, o3 = o2 + l.n;
                    for (int k = 0; k < l.k; k++) {
                        double w0 = w[o * l.k + k], w1 = w[(o + 1) * l.k + k], w2 = w[(o + 2) * l.k + k], w3 = w[(o + 3) * l.k + k];
                        int cBase = k * l.n;
                        for (int n = 0; n < l.n; n++) {
                            double c = col[cBase + n];
                            out[o0 + n] += w0 * c;
                            out[o1 + n] += w1 * c;
                            out[o2 + n] += w2 * c;
                            out[o3 + n] += w3 * c;
                        }
                    }
                }
                for (; o < oEnd; o++) {
                    int oBase = (b * g.outChannels() + o) * l.n;
                    int wBase = o * l.k;
                    for (int k = 0; k < l.k; k++) {
                        double wv = w[wBase + k];
                        int cBase = k * l.n;
                        for (int n = 0; n < l.n; n++) {
                            out[oBase + n] += wv * col[cBase + n];
                        }
                    }
                }
            }
        }
    }

    /** The adjoint in x: col = W^T top for each image and group, scattered back through the taps (col2im). */
    static void gradInputs(ConvGeometry g, double[] gx, double[] w, double[] top) {
        Layout l = new Layout(g);
        double[] col = new double[l.k * l.n];
        for (int b = 0; b < g.batch(); b++) {
            for (int grp = 0; grp < g.p().groups(); grp++) {
                Arrays.fill(col, 0);
                int oEnd = (grp + 1) * l.perGroup;
                int o = grp * l.perGroup;
                for (; o + 4 <= oEnd; o += 4) {
                    int t0 = (b * g.outChannels() + o) * l.n;
                    int t1 = t0 + l.n, t2 = t1 + l.n, t3 = t2 + l.n;
                    for (int k = 0; k < l.k; k++) {
                        double w0 = w[o * l.k + k], w1 = w[(o + 1) * l.k + k], w2 = w[(o + 2) * l.k + k], w3 = w[(o + 3) * l.k + k];
                        int cBase = k * l.n;
                        for (int n = 0; n < l.n; n++) {
                            col[cBase + n] += w0 * top[t0 + n] + w1 * top[t1 + n] + w2 * top[t2 + n] + w3 * top[t3 + n];
                        }
                    }
                }
                for (; o < oEnd; o++) {
                    int tBase = (b * g.outChannels() + o) * l.n;
                    int wBase = o * l.k;
                    for (int k = 0; k < l.k; k++) {
                        double wv = w[wBase + k];
                        int cBase = k * l.n;
                        for (int n = 0; n < l.n; n++) {
                            col[cBase + n] += wv * top[tBase + n];
                        }
                    }
                }
                col2im(g, l, col, b, grp, gx);
            }
        }
    }

    /** The adjoint in w: gw_o += top[b, o] . col(x[b]) row by row. */
    static void gradWeights(ConvGeometry g, double[] x, double[] gw, double[] top) {
        Layout l = new Layout(g);
        double[] col = new double[l.k * l.n];
        for (int b = 0; b < g.batch(); b++) {
            for (int grp = 0; grp < g.p().groups(); grp++) {
                im2col(g, l, x, b, grp, col);
                int oEnd = (grp + 1) * l.perGroup;
                int o = grp * l.perGroup;
                for (; o + 4 <= oEnd; o += 4) {
                    int t0 = (b * g.outChannels() + o) * l.n;
                    int t1 = t0 + l.n, t2 = t1 + l.n, t3 = t2 + l.n;
                    for (int k = 0; k < l.k; k++) {
                        int cBase = k * l.n;
                        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                        for (int n = 0; n < l.n; n++) {
                            double c = col[cBase + n];
                            a0 += top[t0 + n] * c;
                            a1 += top[t1 + n] * c;
                            a2 += top[t2 + n] * c;
                            a3 += top[t3 + n] * c;
                        }
                        gw[o * l.k + k] += a0;
                        gw[(o + 1) * l.k + k] += a1;
                        gw[(o + 2) * l.k + k] += a2;
                        gw[(o + 3) * l.k + k] += a3;
                    }
                }
                for (; o < oEnd; o++) {
                    int tBase = (b * g.outChannels() + o) * l.n;
                    int wBase = o * l.k;
                    for (int k = 0; k < l.k; k++) {
                        int cBase = k * l.n;
                        double acc = 0;
                        for (int n = 0; n < l.n; n++) {
                            acc += top[tBase + n] * col[cBase + n];
                        }
                        gw[wBase + k] += acc;
                    }
                }
            }
        }
    }

    /** Sizes of the unrolled problem: k taps per filter (channels of a group x rows x cols), n output positions. */
    private record Layout(int k, int n, int perGroup) {
        Layout(ConvGeometry g) {
            this(g.groupChannels() * g.kRows() * g.kCols(), g.outRows() * g.outCols(), g.outChannels() / g.p().groups());
        }
    }

    /** Fills col from image b, channel group grp; row (c, ku, kv) reads the input at tap (u, v) = the flip of (ku, kv). */
    private static void im2col(ConvGeometry g, Layout l, double[] x, int b, int grp, double[] col) {
        forEachTap(g, l, b, grp, (xBase, cBase, rowOff, colOff) -> {
            ConvParams p = g.p();
            int oh = g.outRows(), ow = g.outCols(), sh = p.strideH(), sw = p.strideW();
            // rows [i0, i1) and columns [j0, j1) of the output read inside the input; the rest reads padding
            int i0 = Math.min(ConvGeometry.firstInside(rowOff, sh), oh);
            int i1 = Math.max(ConvGeometry.endInside(rowOff, sh, g.rows(), oh), i0);
            int j0 = Math.min(ConvGeometry.firstInside(colOff, sw), ow);
            int j1 = Math.max(ConvGeometry.endInside(colOff, sw, g.cols(), ow), j0);
            Arrays.fill(col, cBase, cBase + i0 * ow, 0);
            for (int i = i0; i < i1; i++) {
                int dst = cBase + i * ow;
                int src = xBase + (i * sh + rowOff) * g.cols() + colOff;
                Arrays.fill(col, dst, dst + j0, 0);
                for (int j = j0; j < j1; j++) {
                    col[dst + j] = x[src + j * sw];
                }
                Arrays.fill(col, dst + j1, dst + ow, 0);
            }
            Arrays.fill(col, cBase + i1 * ow, cBase + oh * ow, 0);
        });
    }

    /** Adds col back into gx at the input positions {@link #im2col} read from. */
    private static void col2im(ConvGeometry g, Layout l, double[] col, int b, int grp, double[] gx) {
        forEachTap(g, l, b, grp, (xBase, cBase, rowOff, colOff) -> {
            ConvParams p = g.p();
            int ow = g.outCols(), sh = p.strideH(), sw = p.strideW();
            int i0 = ConvGeometry.firstInside(rowOff, sh), i1 = ConvGeometry.endInside(rowOff, sh, g.rows(), g.outRows());
            int j0 = ConvGeometry.firstInside(colOff, sw), j1 = ConvGeometry.endInside(colOff, sw, g.cols(), ow);
            for (int i = i0; i < i1; i++) {
                int src = cBase + i * ow;
                int dst = xBase + (i * sh + rowOff) * g.cols() + colOff;
                for (int j = j0; j < j1; j++) {
                    gx[dst + j * sw] += col[src + j];
                }
            }
        });
    }

    private interface TapVisitor {
        /** One filter tap: the input plane's start, the column row's start, and the tap's row/col offset in the input. */
        void visit(int xBase, int cBase, int rowOff, int colOff);
    }

    private static void forEachTap(ConvGeometry g, Layout l, int b, int grp, TapVisitor visitor) {
        ConvParams p = g.p();
        int kh = g.kRows(), kw = g.kCols();
        for (int c = 0; c < g.groupChannels(); c++) {
            int xBase = (b * g.channels() + grp * g.groupChannels() + c) * g.rows() * g.cols();
            for (int ku = 0; ku < kh; ku++) {
                int u = p.flip() ? kh - 1 - ku : ku;
                for (int kv = 0; kv < kw; kv++) {
                    int v = p.flip() ? kw - 1 - kv : kv;
                    int cBase = ((c * kh + ku) * kw + kv) * l.n;
                    visitor.visit(xBase, cBase, u * p.dilH() - g.padH(), v * p.dilW() - g.padW());
                }
            }
        }
    }
}
