package tsl.ops.nnet;

import java.util.List;

import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * The Java entry points for convolution and pooling (Theano's {@code nnet.conv2d} and
 * {@code signal.pool.pool_2d}), and the small helpers their ops share.
 */
public final class Conv {
    private Conv() {}

    /** conv2d with Theano's defaults: valid, stride 1, no dilation, flipped filters. */
    public static Variable conv2d(Object input, Object filters) {
        return conv2d(input, filters, ConvParams.defaults(), null, null);
    }

    public static Variable conv2d(Object input, Object filters, ConvParams params) {
        return conv2d(input, filters, params, null, null);
    }

    /**
     * conv2d; {@code inputShape} / {@code filterShape} are Theano's optional shape hints (-1 for
     * an unknown entry): a hint that contradicts a known static length is an error, and the
     * hinted lengths become part of the static type.
     */
    public static Variable conv2d(Object input, Object filters, ConvParams params, int[] inputShape, int[] filterShape) {
        Variable x = T.asTensorVariable(input);
        Variable w = T.asTensorVariable(filters);
        if (!x.dtype().isFloat() || !w.dtype().isFloat()) {
            throw TslException.typeError("conv2d: expected float input and filters, got " + x.type() + " and " + w.type());
        }
        // Theano's AbstractConv2d: the output has the input's dtype, the filters are brought to it
        x = hinted("input_shape", x, inputShape, "image does not match given imshp");
        w = hinted("filter_shape", T.cast(w, x.dtype()), filterShape, "filters does not match given kshp");
        return new Conv2d(params).makeNode(List.of(x, w)).output();
    }

    /** x with the hinted static lengths; an error where the hint contradicts what is known. */
    private static Variable hinted(String what, Variable x, int[] hint, String mismatch) {
        if (hint == null) {
            return x;
        }
        if (hint.length != x.ndim()) {
            throw TslException.valueError("conv2d: " + what + " must have " + x.ndim() + " entries, got " + ConvGeometry.shape(hint));
        }
        int[] s = x.type().shape();
        boolean refined = false;
        for (int i = 0; i < s.length; i++) {
            if (hint[i] >= 0 && s[i] >= 0 && hint[i] != s[i]) {
                throw TslException.valueError("conv2d: " + what + " " + ConvGeometry.shape(hint) + " does not match the known shape "
                        + ConvGeometry.shape(s));
            }
            if (hint[i] >= 0 && s[i] < 0) {
                s[i] = hint[i];
                refined = true;
            }
        }
        return refined ? new SpecifyShape(s, "AbstractConv shape mismatch: shape of " + mismatch).makeNode(List.of(x)).output() : x;
    }

    /** pool_2d over the last two axes with Theano's arguments; {@code stride} null means the window size. */
    public static Variable pool2d(Object input, int[] ws, boolean ignoreBorder, int[] stride, int[] pad, String mode) {
        int[] st = stride == null ? ws : stride;
        int[] pd = pad == null ? new int[2] : pad;
        PoolParams p = new PoolParams(ws[0], ws[1], st[0], st[1], pd[0], pd[1], ignoreBorder, PoolParams.Mode.of(mode));
        return pool2d(input, p);
    }

    public static Variable pool2d(Object input, PoolParams params) {
        return new Pool(params).makeNode(List.of(T.asTensorVariable(input))).output();
    }

    // ------------------------------------------------------------------ helpers of the ops

    static Variable gradInputs(ConvParams p, Variable w, Variable top, Variable like) {
        return new Conv2dGradInputs(p).makeNode(List.of(w, T.cast(top, w.dtype()), spatialShape(like))).output();
    }

    static Variable gradWeights(ConvParams p, Variable x, Variable top, Variable like) {
        return new Conv2dGradWeights(p).makeNode(List.of(x, T.cast(top, x.dtype()), spatialShape(like))).output();
    }

    /** (rows, cols) of a 4-d variable as an int64 vector: a constant when both are static, so grad ops keep static shapes. */
    static Variable spatialShape(Variable v) {
        int h = v.type().dim(2);
        int w = v.type().dim(3);
        if (h >= 0 && w >= 0) {
            return T.constant(NDArray.fromLongs(DType.INT64, new int[] {2}, new long[] {h, w}));
        }
        return T.stackScalars(List.of(T.shapeI(v, 2), T.shapeI(v, 3)), DType.INT64);
    }

    static void checkShapeVector(String op, Variable s) {
        if (s.ndim() != 1 || !s.dtype().isInteger() || (s.type().dim(0) >= 0 && s.type().dim(0) != 2)) {
            throw TslException.typeError(op + ": expected a vector of two integers (rows, cols), got " + s.type());
        }
    }

    /** The two entries of a constant (rows, cols) vector, or unknown lengths. */
    static int[] constantPair(Variable s) {
        if (s instanceof Constant c) {
            return pair(c.value());
        }
        return new int[] {TensorType.UNKNOWN, TensorType.UNKNOWN};
    }

    static int[] pair(NDArray a) {
        if (a.size() != 2) {
            throw TslException.valueError("conv2d: expected (rows, cols), got " + a);
        }
        return new int[] {Math.toIntExact(a.getLong(0)), Math.toIntExact(a.getLong(1))};
    }

    /** The output gradient must have the shape the forward convolution would produce. */
    static void checkTop(String op, ConvGeometry g, NDArray top) {
        if (!java.util.Arrays.equals(top.shape(), g.outputShape())) {
            throw TslException.valueError(op + ": the output gradient has shape " + Shapes.format(top.shape()) + " but conv2d of an input "
                    + Shapes.format(g.inputShape()) + " with filters " + Shapes.format(g.filterShape()) + " gives "
                    + Shapes.format(g.outputShape()) + " (" + g.p().describe() + ")");
        }
    }
}
