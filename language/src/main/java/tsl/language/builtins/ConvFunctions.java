package tsl.language.builtins;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Variable;
import tsl.language.TslContext;
import tsl.language.runtime.Arith;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.nnet.Conv;
import tsl.ops.nnet.ConvParams;

/**
 * theano.tensor.nnet.conv2d, theano.tensor.signal.pool.pool_2d and the old
 * theano.tensor.signal.downsample.max_pool_2d: Python arguments to the backend's {@link Conv}.
 */
final class ConvFunctions {
    private ConvFunctions() {}

    /** Fills nnet's conv2d / pool_2d / max_pool_2d and adds tensor.signal (pool, downsample) and nnet.conv. */
    static void register(PyModule nnet, PyModule tensor) {
        Set<String> warned = new HashSet<>();
        nnet.fn("conv2d", (a, kw) -> conv2d(a, kw));
        PyModule conv = new PyModule("theano.tensor.nnet.conv");
        conv.fn("conv2d", (a, kw) -> oldConv2d(a, kw));
        nnet.put("conv", conv);

        PyModule signal = new PyModule("theano.tensor.signal");
        PyModule pool = new PyModule("theano.tensor.signal.pool");
        pool.fn("pool_2d", (a, kw) -> pool2d(a, kw, warned));
        PyModule downsample = new PyModule("theano.tensor.signal.downsample");
        downsample.fn("max_pool_2d", (a, kw) -> maxPool2d(a, kw));
        signal.put("pool", pool);
        signal.put("downsample", downsample);
        tensor.put("signal", signal);
        nnet.put("pool_2d", pool.attrs.get("pool_2d"));
        nnet.put("max_pool_2d", downsample.attrs.get("max_pool_2d"));
    }

    // ------------------------------------------------------------------ conv2d

    private static Object conv2d(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("conv2d", a, kw).only("input", "filters", "input_shape", "filter_shape", "border_mode", "subsample",
                "filter_flip", "image_shape", "filter_dilation", "num_groups", "unshared");
        if (PyOps.isTrue(args.get(10, "unshared", false))) {
            throw TslError.of("NotImplementedError", "not supported yet: conv2d(unshared=True)");
        }
        Object inputShape = args.opt(2, "input_shape");
        Object imageShape = args.opt(7, "image_shape");
        if (imageShape != PyNone.NONE) {
            if (inputShape != PyNone.NONE) {
                throw TslError.of("ValueError", "conv2d: image_shape is provided, but input_shape is also provided; use only input_shape");
            }
            inputShape = imageShape;
        }
        ConvParams p = borderMode(ConvParams.defaults(), args.get(4, "border_mode", "valid"));
        int[] sub = pair("subsample", args.get(5, "subsample", PyNone.NONE), 1);
        int[] dil = pair("filter_dilation", args.get(8, "filter_dilation", PyNone.NONE), 1);
        p = p.withSubsample(sub[0], sub[1]).withDilation(dil[0], dil[1])
                .withFlip(PyOps.isTrue(args.get(6, "filter_flip", true)))
                .withGroups(PyOps.toIndex(args.get(9, "num_groups", 1L)));
        return Conv.conv2d(TensorFunctions.v(args.get(0, "input", null)), TensorFunctions.v(args.get(1, "filters", null)), p,
                hint("input_shape", inputShape), hint("filter_shape", args.opt(3, "filter_shape")));
    }

    /** theano.tensor.nnet.conv.conv2d, the pre-abstract-conv interface: 'valid' or 'full', flipped filters. */
    private static Object oldConv2d(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("conv2d", a, kw).only("input", "filters", "image_shape", "filter_shape", "border_mode", "subsample");
        Object mode = args.get(4, "border_mode", "valid");
        if (!"valid".equals(mode) && !"full".equals(mode)) {
            throw TslError.of("ValueError", "theano.tensor.nnet.conv.conv2d: border_mode must be 'valid' or 'full', got " + PyStr.repr(mode));
        }
        int[] sub = pair("subsample", args.get(5, "subsample", PyNone.NONE), 1);
        ConvParams p = ConvParams.defaults().withBorderMode((String) mode).withSubsample(sub[0], sub[1]);
        return Conv.conv2d(TensorFunctions.v(args.get(0, "input", null)), TensorFunctions.v(args.get(1, "filters", null)), p,
                hint("image_shape", args.opt(2, "image_shape")), hint("filter_shape", args.opt(3, "filter_shape")));
    }

    private static ConvParams borderMode(ConvParams p, Object mode) {
        if (mode instanceof String s) {
            return p.withBorderMode(s);
        }
        if (Arith.isInt(mode)) {
            int n = PyOps.toIndex(mode);
            return p.withPadding(n, n);
        }
        if (mode instanceof PyTuple || mode instanceof tsl.language.runtime.PyList) {
            List<Object> items = PyOps.toList(mode);
            if (items.size() == 2 && Arith.isInt(items.get(0)) && Arith.isInt(items.get(1))) {
                return p.withPadding(PyOps.toIndex(items.get(0)), PyOps.toIndex(items.get(1)));
            }
            if (items.size() == 2 && !Arith.isInt(items.get(0))) {
                throw TslError.of("NotImplementedError", "not supported yet: conv2d with asymmetric padding border_mode=" + PyStr.repr(mode));
            }
        }
        throw TslError.of("ValueError", "invalid border_mode " + PyStr.repr(mode)
                + ", which must be either \"valid\", \"full\", \"half\", an integer or a pair of integers");
    }

    /** A shape hint (a tuple with None for unknown entries), or null when not given. */
    private static int[] hint(String what, Object o) {
        if (o == PyNone.NONE) {
            return null;
        }
        List<Object> items = PyOps.toList(o);
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = items.get(i);
            if (e == PyNone.NONE) {
                out[i] = -1;
            } else if (Arith.isInt(e)) {
                out[i] = PyOps.toIndex(e);
            } else {
                throw TslError.of("NotImplementedError", "not supported yet: a symbolic entry in conv2d's " + what);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ pooling

    private static Object pool2d(List<Object> a, Map<String, Object> kw, Set<String> warned) {
        Args args = new Args("pool_2d", a, kw).only("input", "ws", "ignore_border", "stride", "pad", "mode", "ds", "st", "padding");
        Object ws = renamed(args, 1, "ws", 6, "ds", "You can't provide a tuple value to both 'ws' and 'ds'. Please provide a value only to 'ws'.");
        if (ws == PyNone.NONE) {
            throw TslError.of("ValueError", "You must provide a tuple value for the window size.");
        }
        Object stride = renamed(args, 3, "stride", 7, "st", "You can't provide a tuple value to both 'st and 'stride'. Please provide a value only to 'stride'.");
        Object pad = args.opt(4, "pad");
        Object padding = args.opt(8, "padding");
        if (padding != PyNone.NONE) {
            if (pad != PyNone.NONE && !isZeroPair(pad)) {
                throw TslError.of("ValueError", "You can't provide a tuple value to both 'padding' and pad.  Please provide a value only to pad.");
            }
            pad = padding;
        }
        Object ib = args.opt(2, "ignore_border");
        boolean ignoreBorder;
        if (ib == PyNone.NONE) {
            // Theano 1.0 warns and keeps the old default, False
            warnOnce(warned, "pool_2d() will have the parameter ignore_border default value changed to True (currently False)."
                    + " To have consistent behavior with all Theano version, explicitly add the parameter ignore_border=True.");
            ignoreBorder = false;
        } else {
            ignoreBorder = PyOps.isTrue(ib);
        }
        return pool(args.get(0, "input", null), ws, ignoreBorder, stride, pad, args.get(5, "mode", "max"));
    }

    /** theano.tensor.signal.downsample.max_pool_2d(input, ds, ignore_border=False, st=None, padding=(0, 0), mode='max'). */
    private static Object maxPool2d(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("max_pool_2d", a, kw).only("input", "ds", "ignore_border", "st", "padding", "mode");
        return pool(args.get(0, "input", null), args.get(1, "ds", null), PyOps.isTrue(args.get(2, "ignore_border", false)),
                args.opt(3, "st"), args.opt(4, "padding"), args.get(5, "mode", "max"));
    }

    private static Object pool(Object input, Object ws, boolean ignoreBorder, Object stride, Object pad, Object mode) {
        if (!(mode instanceof String m)) {
            throw TslError.of("TypeError", "pool_2d: mode must be a string, got " + PyStr.repr(mode));
        }
        Variable x = TensorFunctions.v(input);
        int[] w = pair("ws", ws, -1);
        int[] st = stride == PyNone.NONE ? null : pair("stride", stride, -1);
        int[] pd = pad == PyNone.NONE ? null : pair("pad", pad, 0);
        return Conv.pool2d(x, w, ignoreBorder, st, pd, m);
    }

    /** A new-style argument or its deprecated name (Theano accepts either, not both). */
    private static Object renamed(Args args, int index, String name, int oldIndex, String oldName, String bothMessage) {
        Object v = args.opt(index, name);
        Object old = args.opt(oldIndex, oldName);
        if (old != PyNone.NONE) {
            if (v != PyNone.NONE) {
                throw TslError.of("ValueError", bothMessage);
            }
            return old;
        }
        return v;
    }

    private static boolean isZeroPair(Object o) {
        List<Object> items = PyOps.toList(o);
        return items.stream().allMatch(e -> Arith.isInt(e) && PyOps.toIndex(e) == 0);
    }

    /** Two ints from a tuple or list; {@code dflt} >= 0 stands for None. */
    private static int[] pair(String what, Object o, int dflt) {
        if (o == PyNone.NONE && dflt >= 0) {
            return new int[] {dflt, dflt};
        }
        if (o instanceof Variable) {
            throw TslError.of("NotImplementedError", "not supported yet: a symbolic " + what + " (pass a tuple of ints)");
        }
        if (Arith.isInt(o) || o == PyNone.NONE) {
            throw TslError.of("TypeError", what + " must be a tuple of two ints, got " + PyStr.repr(o));
        }
        List<Object> items = PyOps.toList(o);
        if (items.size() != 2) {
            throw TslError.of("ValueError", what + " must have two entries (rows, cols), got " + PyStr.repr(o));
        }
        return new int[] {PyOps.toIndex(items.get(0)), PyOps.toIndex(items.get(1))};
    }

    private static void warnOnce(Set<String> warned, String message) {
        if (warned.add(message)) {
            java.io.PrintStream err = TslContext.get(null).err();
            err.println("UserWarning: " + message);
            err.flush();
        }
    }
}
