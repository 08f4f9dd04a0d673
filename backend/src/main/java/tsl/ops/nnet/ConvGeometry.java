package tsl.ops.nnet;

import tsl.graph.TslException;
import tsl.tensor.Shapes;

/**
 * The concrete sizes of one 2-D convolution: input (batch, channels, rows, cols), filters
 * (outChannels, channels / groups, kRows, kCols), output (batch, outChannels, outRows, outCols),
 * with the padding, strides and dilation of its {@link ConvParams}. Building one checks that
 * the shapes fit together and says what is wrong in Theano's terms when they do not.
 */
record ConvGeometry(int batch, int channels, int rows, int cols, int outChannels, int groupChannels, int kRows, int kCols,
        int outRows, int outCols, int padH, int padW, ConvParams p) {

    /** The geometry for an input of shape {@code x} and filters of shape {@code w}; {@code op} names the caller in errors. */
    static ConvGeometry of(String op, ConvParams p, int[] x, int[] w) {
        if (x.length != 4 || w.length != 4) {
            throw TslException.typeError(op + ": expected a 4-d input (batch, channels, rows, cols) and 4-d filters"
                    + " (out_channels, in_channels / num_groups, rows, cols), got shapes " + Shapes.format(x) + " and " + Shapes.format(w));
        }
        check(op, p, x[1], w[0], w[1], x, w);
        int oh = p.outLength(0, x[2], w[2]);
        int ow = p.outLength(1, x[3], w[3]);
        if (oh < 1 || ow < 1) {
            throw TslException.valueError(op + ": the filter (" + p.dilatedKernel(0, w[2]) + ", " + p.dilatedKernel(1, w[3])
                    + " after dilation) does not fit in the input (" + (x[2] + 2 * p.pad(0, w[2])) + ", " + (x[3] + 2 * p.pad(1, w[3]))
                    + " after padding); input shape " + Shapes.format(x) + ", filter shape " + Shapes.format(w) + ", " + p.describe());
        }
        return new ConvGeometry(x[0], x[1], x[2], x[3], w[0], w[1], w[2], w[3], oh, ow, p.pad(0, w[2]), p.pad(1, w[3]), p);
    }

    /**
     * Checks channels and groups with whatever is known ({@code -1} = unknown): the input's channels
     * must be the filters' input channels times the groups, and the groups must divide the output channels.
     */
    static void check(String op, ConvParams p, int channels, int outChannels, int groupChannels, int[] x, int[] w) {
        if (channels >= 0 && groupChannels >= 0 && channels != groupChannels * p.groups()) {
            throw TslException.valueError(op + ": the input has " + channels + " channels but the filters expect "
                    + groupChannels + (p.groups() > 1 ? " x num_groups " + p.groups() + " = " + groupChannels * p.groups() : "")
                    + "; input shape " + shape(x) + ", filter shape " + shape(w));
        }
        if (outChannels >= 0 && outChannels % p.groups() != 0) {
            throw TslException.valueError(op + ": the number of filters (" + outChannels + ") must be a multiple of num_groups ("
                    + p.groups() + "); filter shape " + shape(w));
        }
    }

    /** A static shape for messages, with ? for unknown lengths. */
    static String shape(int[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? ", " : "").append(s[i] < 0 ? "?" : Integer.toString(s[i]));
        }
        return sb.append(s.length == 1 ? ",)" : ")").toString();
    }

    int[] inputShape() {
        return new int[] {batch, channels, rows, cols};
    }

    int[] filterShape() {
        return new int[] {outChannels, groupChannels, kRows, kCols};
    }

    int[] outputShape() {
        return new int[] {batch, outChannels, outRows, outCols};
    }

    /** First output index whose tap, {@code offset} past {@code i * stride} in the input, lies inside the input. */
    static int firstInside(int offset, int stride) {
        return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    }

    /** One past the last output index (at most {@code outLen}) whose tap lies inside an input of {@code inLen}. */
    static int endInside(int offset, int stride, int inLen, int outLen) {
        int last = inLen - 1 - offset;
        return last < 0 ? 0 : Math.min(outLen, last / stride + 1);
    }
}
