package tsl.ops.nnet;

/**
 * The three loops of a 2-D convolution on contiguous NCHW doubles: the forward pass, its
 * adjoint with respect to the input (scatter back through the same taps) and with respect to
 * the filters. All three walk the same taps in the same order: for each (batch, filter,
 * channel, tap) the innermost loop runs along an output row and a (possibly strided) input
 * row, so memory streams and nothing is allocated per element. Padding is never
 * materialised: each tap only visits the output range whose input position is inside.
 */
final class ConvKernels {
    private ConvKernels() {}

    /** out[b, o, i, j] = sum over c, u, v of x[b, g*Cg + c, i*sh + u*dh - ph, j*sw + v*dw - pw] * w[o, c, tap(u), tap(v)]. */
    static void forward(ConvGeometry g, double[] x, double[] w, double[] out) {
        walk(g, x, w, out, Direction.FORWARD);
    }

    /** The adjoint of {@link #forward} in x: gx accumulates top * w at every input position a tap read. */
    static void gradInputs(ConvGeometry g, double[] gx, double[] w, double[] top) {
        walk(g, gx, w, top, Direction.GRAD_INPUTS);
    }

    /** The adjoint of {@link #forward} in w: gw[o, c, tap] accumulates top * x over every position of that tap. */
    static void gradWeights(ConvGeometry g, double[] x, double[] gw, double[] top) {
        walk(g, x, gw, top, Direction.GRAD_WEIGHTS);
    }

    private enum Direction { FORWARD, GRAD_INPUTS, GRAD_WEIGHTS }

    private static void walk(ConvGeometry g, double[] x, double[] w, double[] y, Direction dir) {
        ConvParams p = g.p();
        int sh = p.strideH(), sw = p.strideW(), dh = p.dilH(), dw = p.dilW();
        int kh = g.kRows(), kw = g.kCols(), cg = g.groupChannels();
        int filtersPerGroup = g.outChannels() / p.groups();
        int inPlane = g.rows() * g.cols();
        int outPlane = g.outRows() * g.outCols();
        for (int b = 0; b < g.batch(); b++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int group = o / filtersPerGroup;
                int yBase = (b * g.outChannels() + o) * outPlane;
                for (int c = 0; c < cg; c++) {
                    int xBase = (b * g.channels() + group * cg + c) * inPlane;
                    int wBase = (o * cg + c) * kh * kw;
                    for (int u = 0; u < kh; u++) {
                        int rowOff = u * dh - g.padH();
                        int i0 = ConvGeometry.firstInside(rowOff, sh);
                        int i1 = ConvGeometry.endInside(rowOff, sh, g.rows(), g.outRows());
                        int ku = p.flip() ? kh - 1 - u : u;
                        for (int v = 0; v < kw; v++) {
                            int colOff = v * dw - g.padW();
                            int j0 = ConvGeometry.firstInside(colOff, sw);
                            int j1 = ConvGeometry.endInside(colOff, sw, g.cols(), g.outCols());
                            int wi = wBase + ku * kw + (p.flip() ? kw - 1 - v : v);
                            double wv = w[wi];
                            double acc = 0;
                            for (int i = i0; i < i1; i++) {
                                int xRow = xBase + (i * sh + rowOff) * g.cols() + colOff;
                                int yRow = yBase + i * g.outCols();
                                switch (dir) {
                                    case FORWARD -> {
                                        for (int j = j0; j < j1; j++) {
                                            y[yRow + j] += wv * x[xRow + j * sw];
                                        }
                                    }
                                    case GRAD_INPUTS -> {
                                        for (int j = j0; j < j1; j++) {
                                            x[xRow + j * sw] += wv * y[yRow + j];
                                        }
                                    }
                                    case GRAD_WEIGHTS -> {
                                        for (int j = j0; j < j1; j++) {
                                            acc += y[yRow + j] * x[xRow + j * sw];
                                        }
                                    }
                                }
                            }
                            if (dir == Direction.GRAD_WEIGHTS) {
                                w[wi] += acc;
                            }
                        }
                    }
                }
            }
        }
    }
}
