package tsl.ops.nnet;

import tsl.graph.TslException;

/**
 * The settings of Theano's 2-D pooling over the last two axes: window {@code ws}, stride,
 * symmetric zero padding, whether a partial window at the far border is dropped
 * ({@code ignoreBorder}) and the reduction. Padding is never part of a max or a sum;
 * 'average_inc_pad' counts it in the divisor, 'average_exc_pad' does not.
 */
public record PoolParams(int wsH, int wsW, int strideH, int strideW, int padH, int padW, boolean ignoreBorder, Mode mode) {

    public enum Mode {
        MAX("max"), SUM("sum"), AVERAGE_INC_PAD("average_inc_pad"), AVERAGE_EXC_PAD("average_exc_pad");

        private final String theanoName;

        Mode(String theanoName) {
            this.theanoName = theanoName;
        }

        public String theanoName() {
            return theanoName;
        }

        /** Theano's mode names; 'max_deterministic' is Theano's alias of 'max' on the CPU. */
        public static Mode of(String name) {
            for (Mode m : values()) {
                if (m.theanoName.equals(name)) {
                    return m;
                }
            }
            if (name.equals("max_deterministic")) {
                return MAX;
            }
            throw TslException.valueError("Pool mode parameter only support 'max', 'sum', 'average_inc_pad' and 'average_exc_pad'. Got "
                    + name);
        }
    }

    public PoolParams {
        if (wsH < 1 || wsW < 1) {
            throw TslException.valueError("pool_2d: the window size must be positive, got (" + wsH + ", " + wsW + ")");
        }
        if (strideH < 1 || strideW < 1) {
            throw TslException.valueError("pool_2d: the stride must be positive, got (" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0) {
            throw TslException.valueError("pool_2d: the padding must be non-negative, got (" + padH + ", " + padW + ")");
        }
        if ((padH != 0 || padW != 0) && !ignoreBorder) {
            throw new TslException("NotImplementedError", "pool_2d: padding works only with ignore_border=True");
        }
        // a window made only of padding would have no maximum and no average
        if (padH >= wsH || padW >= wsW) {
            throw new TslException("NotImplementedError", "pool_2d: the padding (" + padH + ", " + padW
                    + ") must be smaller than the window (" + wsH + ", " + wsW + ")");
        }
    }

    public int ws(int axis) {
        return axis == 0 ? wsH : wsW;
    }

    public int stride(int axis) {
        return axis == 0 ? strideH : strideW;
    }

    public int pad(int axis) {
        return axis == 0 ? padH : padW;
    }

    /** Theano's Pool.out_shape for one axis of length {@code in}. */
    public int outLength(int axis, int in) {
        int v = in + 2 * pad(axis);
        int ws = ws(axis);
        int st = stride(axis);
        if (ignoreBorder) {
            return v < ws ? 0 : (v - ws) / st + 1;
        }
        if (v == 0) {
            return 0;
        }
        return st >= ws ? (v - 1) / st + 1 : Math.max(0, Math.floorDiv(v - 1 - ws + st, st)) + 1;
    }

    /** Window {@code r} along {@code axis}: {start, end} in unpadded input coordinates and the padded-window size. */
    void window(int axis, int r, int in, int[] out) {
        int padded = in + 2 * pad(axis);
        int start = r * stride(axis);
        int end = Math.min(start + ws(axis), padded);
        out[0] = Math.max(start, pad(axis)) - pad(axis);
        out[1] = Math.min(end, in + pad(axis)) - pad(axis);
        out[2] = end - start;
    }

    public String describe() {
        return "ws=(" + wsH + ", " + wsW + "), ignore_border=" + (ignoreBorder ? "True" : "False") + ", stride=(" + strideH + ", "
                + strideW + "), pad=(" + padH + ", " + padW + "), mode='" + mode.theanoName() + "'";
    }
}
