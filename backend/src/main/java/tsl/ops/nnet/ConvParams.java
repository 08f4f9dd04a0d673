package tsl.ops.nnet;

import tsl.graph.TslException;

/**
 * The fixed settings of a 2-D convolution (Theano's AbstractConv2d props): how the border is
 * padded, the strides ({@code subsample}), the filter dilation, whether the filters are flipped
 * (true convolution, Theano's default) or not (correlation), and the number of channel groups.
 * A record of ints, so that equal settings make equal ops and merging works.
 */
public record ConvParams(BorderMode borderMode, int padH, int padW, int strideH, int strideW, int dilH, int dilW,
        boolean flip, int groups) {

    /** Theano's border_mode: 'valid', 'full', 'half', or explicit symmetric zero padding. */
    public enum BorderMode { VALID, FULL, HALF, EXPLICIT }

    public ConvParams {
        if (strideH < 1 || strideW < 1) {
            throw TslException.valueError("conv2d: subsample must be positive, got (" + strideH + ", " + strideW + ")");
        }
        if (dilH < 1 || dilW < 1) {
            throw TslException.valueError("conv2d: filter_dilation must be positive, got (" + dilH + ", " + dilW + ")");
        }
        if (padH < 0 || padW < 0) {
            throw TslException.valueError("conv2d: border_mode padding must be non-negative, got (" + padH + ", " + padW + ")");
        }
        if (groups < 1) {
            throw TslException.valueError("conv2d: num_groups must be positive, got " + groups);
        }
        if (borderMode != BorderMode.EXPLICIT && (padH != 0 || padW != 0)) {
            throw new IllegalArgumentException("explicit padding with border mode " + borderMode);
        }
    }

    /** Theano's defaults: valid, no stride, no dilation, flipped filters, one group. */
    public static ConvParams defaults() {
        return new ConvParams(BorderMode.VALID, 0, 0, 1, 1, 1, 1, true, 1);
    }

    /** Parses a border_mode name ('valid', 'full', 'half'); integers go through {@link #withPadding}. */
    public ConvParams withBorderMode(String name) {
        BorderMode m = switch (name) {
            case "valid" -> BorderMode.VALID;
            case "full" -> BorderMode.FULL;
            case "half" -> BorderMode.HALF;
            default -> throw TslException.valueError("conv2d: invalid border_mode '" + name
                    + "', expected 'valid', 'full', 'half', an integer or a pair of integers");
        };
        return new ConvParams(m, 0, 0, strideH, strideW, dilH, dilW, flip, groups);
    }

    public ConvParams withPadding(int h, int w) {
        return new ConvParams(BorderMode.EXPLICIT, h, w, strideH, strideW, dilH, dilW, flip, groups);
    }

    public ConvParams withSubsample(int h, int w) {
        return new ConvParams(borderMode, padH, padW, h, w, dilH, dilW, flip, groups);
    }

    public ConvParams withDilation(int h, int w) {
        return new ConvParams(borderMode, padH, padW, strideH, strideW, h, w, flip, groups);
    }

    public ConvParams withFlip(boolean f) {
        return new ConvParams(borderMode, padH, padW, strideH, strideW, dilH, dilW, f, groups);
    }

    public ConvParams withGroups(int g) {
        return new ConvParams(borderMode, padH, padW, strideH, strideW, dilH, dilW, flip, g);
    }

    /** The extent of a filter of {@code kernel} taps along {@code axis} (0 = rows, 1 = cols) once dilated. */
    public int dilatedKernel(int axis, int kernel) {
        return (kernel - 1) * (axis == 0 ? dilH : dilW) + 1;
    }

    /** Zeros added on each side of the input along {@code axis}, for a filter of {@code kernel} taps. */
    public int pad(int axis, int kernel) {
        int dk = dilatedKernel(axis, kernel);
        return switch (borderMode) {
            case VALID -> 0;
            case FULL -> dk - 1;
            case HALF -> dk / 2;
            case EXPLICIT -> axis == 0 ? padH : padW;
        };
    }

    public int stride(int axis) {
        return axis == 0 ? strideH : strideW;
    }

    public int dilation(int axis) {
        return axis == 0 ? dilH : dilW;
    }

    /** The output length along {@code axis}; negative when the dilated filter does not fit in the padded input. */
    public int outLength(int axis, int in, int kernel) {
        int span = in + 2 * pad(axis, kernel) - dilatedKernel(axis, kernel);
        return span < 0 ? -1 : span / stride(axis) + 1;
    }

    /** The settings as Theano's keyword arguments, for messages. */
    public String describe() {
        String bm = switch (borderMode) {
            case VALID -> "'valid'";
            case FULL -> "'full'";
            case HALF -> "'half'";
            case EXPLICIT -> "(" + padH + ", " + padW + ")";
        };
        return "border_mode=" + bm + ", subsample=(" + strideH + ", " + strideW + "), filter_dilation=(" + dilH + ", " + dilW
                + "), filter_flip=" + (flip ? "True" : "False") + ", num_groups=" + groups;
    }
}
