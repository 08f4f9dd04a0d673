package tsl.ops;

import tsl.ops.nnet.ConvParams;
import tsl.tensor.NDArray;

/**
 * A deliberately plain conv2d for tests: materialise the zero-padded input and the dilated,
 * optionally flipped kernel, then evaluate the textbook sum at every output position.
 * Shares no code with the op it checks.
 */
final class NaiveConv {
    private NaiveConv() {}

    static NDArray conv(NDArray x, NDArray w, ConvParams p) {
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        int dkh = (kh - 1) * p.dilH() + 1, dkw = (kw - 1) * p.dilW() + 1;
        int ph = switch (p.borderMode()) {
            case VALID -> 0;
            case FULL -> dkh - 1;
            case HALF -> dkh / 2;
            case EXPLICIT -> p.padH();
        };
        int pw = switch (p.borderMode()) {
            case VALID -> 0;
            case FULL -> dkw - 1;
            case HALF -> dkw / 2;
            case EXPLICIT -> p.padW();
        };
        int hp = h + 2 * ph, wp = wd + 2 * pw;
        double[][][][] xp = new double[b][c][hp][wp];
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        xp[n][ch][i + ph][j + pw] = x.getDouble(n, ch, i, j);
                    }
                }
            }
        }
        // dilated kernel, flipped when convolving
        double[][][][] k = new double[o][cg][dkh][dkw];
        for (int f = 0; f < o; f++) {
            for (int ch = 0; ch < cg; ch++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        double val = p.flip() ? w.getDouble(f, ch, kh - 1 - u, kw - 1 - v) : w.getDouble(f, ch, u, v);
                        k[f][ch][u * p.dilH()][v * p.dilW()] = val;
                    }
                }
            }
        }
        int oh = (hp - dkh) / p.strideH() + 1, ow = (wp - dkw) / p.strideW() + 1;
        int perGroup = o / p.groups();
        double[] out = new double[b * o * oh * ow];
        int idx = 0;
        for (int n = 0; n < b; n++) {
            for (int f = 0; f < o; f++) {
                int g = f / perGroup;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        for (int ch = 0; ch < cg; ch++) {
                            for (int u = 0; u < dkh; u++) {
                                for (int v = 0; v < dkw; v++) {
                                    s += xp[n][g * cg + ch][i * p.strideH() + u][j * p.strideW() + v] * k[f][ch][u][v];
                                }
                            }
                        }
                        out[idx++] = s;
                    }
                }
            }
        }
        return NDArray.fromDoubles(x.dtype(), new int[] {b, o, oh, ow}, out);
    }
}
