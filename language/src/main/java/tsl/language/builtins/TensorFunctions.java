package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tsl.graph.Variable;
import tsl.language.runtime.Arith;
import tsl.language.runtime.PyList;
import tsl.language.runtime.PyModule;
import tsl.language.runtime.PyNone;
import tsl.language.runtime.PyOps;
import tsl.language.runtime.PyStr;
import tsl.language.runtime.PyTuple;
import tsl.language.runtime.TslError;
import tsl.ops.T;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Reduce;
import tsl.tensor.DType;

/**
 * The symbolic operations of theano.tensor (and its nnet / special / extra_ops submodules),
 * each a thin adapter from Python arguments to the backend's {@link T} facade.
 */
final class TensorFunctions {
    private TensorFunctions() {}

    /** Elementwise ops exposed under their registry name, plus Theano/NumPy aliases. */
    private static final String[][] ALIASES = {
        {"abs", "abs_"}, {"sgn", "sign"}, {"pow", "power"}, {"int_div", "floor_div"}, {"true_div", "divide"},
        {"sqr", "square"}, {"and_", "bitwise_and"}, {"or_", "bitwise_or"}, {"xor", "bitwise_xor"}, {"invert", "bitwise_not"},
        {"lt", "less"}, {"gt", "greater"}, {"le", "less_equal"}, {"ge", "greater_equal"}, {"eq", "equal"}, {"neq", "not_equal"},
        {"psi", "digamma"}, {"sigmoid", "expit"}, {"gammaln", "gamma_ln"},
    };

    /** Scalar ops that are implementation details, not user vocabulary. */
    private static final java.util.Set<String> HIDDEN = java.util.Set.of("second", "identity", "disconnected_grad",
            "round_half_to_even", "round_half_away_from_zero", "clip", "switch", "relu", "logical_not");

    static void register(PyModule m) {
        for (Map.Entry<String, ScalarOp> e : ScalarOps.all().entrySet()) {
            if (!HIDDEN.contains(e.getKey())) {
                elementwise(m, e.getKey(), e.getValue());
            }
        }
        for (String[] a : ALIASES) {
            m.put(a[1], m.attrs.get(a[0]));
        }
        m.fn("clip", (a, kw) -> {
            Args args = new Args("clip", a, kw).only("x", "min", "max");
            return T.clip(g(args.get(0, "x", null)), g(args.get(1, "min", null)), g(args.get(2, "max", null)));
        });
        m.fn("switch", (a, kw) -> {
            Args args = new Args("switch", a, kw).only("cond", "ift", "iff");
            return T.switchOp(g(args.get(0, "cond", null)), g(args.get(1, "ift", null)), g(args.get(2, "iff", null)));
        });
        m.put("where", m.attrs.get("switch"));
        m.fn("round", (a, kw) -> {
            Args args = new Args("round", a, kw).only("a", "mode");
            return T.round(g(args.get(0, "a", null)), PyStr.str(args.get(1, "mode", "half_to_even")));
        });
        m.fn("relu", TensorFunctions::relu);
        m.fn("inv", (a, kw) -> T.trueDiv(1.0, g(one("inv", a))));
        m.put("reciprocal", m.attrs.get("inv"));
        m.fn("cast", (a, kw) -> {
            Args args = new Args("cast", a, kw).only("x", "dtype");
            return T.cast(g(args.get(0, "x", null)), NumpyModule.toDType(args.get(1, "dtype", null)));
        });
        m.fn("as_tensor_variable", (a, kw) -> T.asTensorVariable(g(new Args("as_tensor_variable", a, kw).get(0, "x", null))));
        m.put("as_tensor", m.attrs.get("as_tensor_variable"));
        m.fn("constant", (a, kw) -> {
            Args args = new Args("constant", a, kw).only("x", "name", "ndim", "dtype");
            Object dt = args.opt(3, "dtype");
            Object x = g(args.get(0, "x", null));
            return dt == PyNone.NONE ? T.constant(x) : T.constant(x, NumpyModule.toDType(dt));
        });

        // reductions
        reduction(m, "sum", Reduce.Kind.SUM);
        reduction(m, "mean", Reduce.Kind.MEAN);
        reduction(m, "prod", Reduce.Kind.PROD);
        reduction(m, "max", Reduce.Kind.MAX);
        reduction(m, "min", Reduce.Kind.MIN);
        reduction(m, "all", Reduce.Kind.ALL);
        reduction(m, "any", Reduce.Kind.ANY);
        for (String n : new String[] {"argmax", "argmin", "var", "std", "logsumexp"}) {
            m.fn(n, (a, kw) -> VariableMethods.statistic(n, v(a.isEmpty() ? kw.get("x") : a.get(0)),
                    a.isEmpty() ? a : a.subList(1, a.size()), without(kw, "x")));
        }

        // shape
        m.fn("shape", (a, kw) -> T.shape(g(one("shape", a))));
        m.fn("reshape", (a, kw) -> {
            Args args = new Args("reshape", a, kw).only("x", "newshape", "ndim");
            return VariableMethods.reshape(v(args.get(0, "x", null)), List.of(args.get(1, "newshape", null)), args.opt(2, "ndim"));
        });
        m.fn("flatten", (a, kw) -> {
            Args args = new Args("flatten", a, kw).only("x", "ndim", "outdim");
            Object nd = args.get(1, "ndim", kw.getOrDefault("outdim", 1L));
            return T.flatten(g(args.get(0, "x", null)), PyOps.toIndex(nd));
        });
        m.fn("transpose", (a, kw) -> {
            Args args = new Args("transpose", a, kw).only("x", "axes");
            Object axes = args.opt(1, "axes");
            Variable x = v(args.get(0, "x", null));
            return axes == PyNone.NONE ? T.transpose(x) : T.dimshuffle(x, ints(axes));
        });
        m.fn("concatenate", (a, kw) -> {
            Args args = new Args("concatenate", a, kw).only("tensor_list", "axis");
            return T.concatenate(operands(args.get(0, "tensor_list", null)), PyOps.toIndex(args.get(1, "axis", 0L)));
        });
        m.fn("join", (a, kw) -> {
            if (a.isEmpty()) {
                throw TslError.of("TypeError", "join() missing required argument 'axis'");
            }
            List<Object> ts = new ArrayList<>();
            for (Object o : a.subList(1, a.size())) {
                ts.add(g(o));
            }
            return T.concatenate(ts, PyOps.toIndex(a.get(0)));
        });
        m.fn("stack", (a, kw) -> {
            Args args = new Args("stack", a, kw).only("tensors", "axis");
            Object first = args.get(0, "tensors", null);
            // Theano also accepts stack(x, y, z)
            List<Object> ts = first instanceof PyList || first instanceof PyTuple ? operands(first) : operandList(a);
            return T.stack(ts, PyOps.toIndex(args.get(first instanceof PyList || first instanceof PyTuple ? 1 : -1, "axis", 0L)));
        });
        m.fn("split", (a, kw) -> {
            Args args = new Args("split", a, kw).only("x", "splits_size", "n_splits", "axis");
            Object sizes = g(args.get(1, "splits_size", null));
            return new PyList(new ArrayList<>(T.split(g(args.get(0, "x", null)), sizes,
                    PyOps.toIndex(args.get(2, "n_splits", null)), PyOps.toIndex(args.get(3, "axis", 0L)))));
        });
        m.fn("repeat", (a, kw) -> {
            Args args = new Args("repeat", a, kw).only("x", "repeats", "axis");
            Object axis = args.opt(2, "axis");
            Object x = g(args.get(0, "x", null));
            Object r = g(args.get(1, "repeats", null));
            return axis == PyNone.NONE ? T.repeat(x, r) : T.repeat(x, r, PyOps.toIndex(axis));
        });
        m.fn("tile", (a, kw) -> {
            Args args = new Args("tile", a, kw).only("x", "reps", "ndim");
            Object reps = args.get(1, "reps", null);
            return T.tile(g(args.get(0, "x", null)), Arith.isInt(reps) ? new int[] {PyOps.toIndex(reps)} : ints(reps));
        });
        m.fn("arange", (a, kw) -> {
            Args args = new Args("arange", a, kw).only("start", "stop", "step", "dtype");
            Object dt = args.opt(3, "dtype");
            DType d = dt == PyNone.NONE ? null : NumpyModule.toDType(dt);
            Object start = g(args.get(0, "start", null));
            Object stop = args.opt(1, "stop");
            if (stop == PyNone.NONE) {
                return T.arange(0L, start, 1L, d);
            }
            return T.arange(start, g(stop), g(args.get(2, "step", 1L)), d);
        });
        m.fn("zeros_like", (a, kw) -> likeOf("zeros_like", a, kw, 0));
        m.fn("ones_like", (a, kw) -> likeOf("ones_like", a, kw, 1));
        m.fn("zeros", (a, kw) -> filled("zeros", a, kw, 0));
        m.fn("ones", (a, kw) -> filled("ones", a, kw, 1));
        m.fn("alloc", (a, kw) -> {
            if (a.isEmpty()) {
                throw TslError.of("TypeError", "alloc() missing required argument 'value'");
            }
            return T.alloc(g(a.get(0)), operandList(a.subList(1, a.size())).toArray());
        });
        m.fn("fill", (a, kw) -> T.fill(g(a.get(0)), g(a.get(1))));
        m.put("second", m.attrs.get("fill"));
        m.fn("eye", (a, kw) -> {
            Args args = new Args("eye", a, kw).only("n", "m", "k", "dtype");
            Object mm = args.opt(1, "m");
            Object dt = args.opt(3, "dtype");
            return T.eye(g(args.get(0, "n", null)), mm == PyNone.NONE ? null : g(mm), g(args.get(2, "k", 0L)),
                    dt == PyNone.NONE ? tsl.compile.Config.floatX() : NumpyModule.toDType(dt));
        });
        m.fn("identity_like", (a, kw) -> T.identityLike(g(one("identity_like", a))));
        m.fn("sort", (a, kw) -> axisOp("sort", a, kw, (x, ax) -> T.sort(x, ax)));
        m.fn("argsort", (a, kw) -> axisOp("argsort", a, kw, (x, ax) -> T.argsort(x, ax)));
        m.fn("cumsum", (a, kw) -> optAxisOp("cumsum", a, kw, T::cumsum));
        m.fn("cumprod", (a, kw) -> optAxisOp("cumprod", a, kw, T::cumprod));
        m.fn("diff", (a, kw) -> {
            Args args = new Args("diff", a, kw).only("x", "n", "axis");
            return T.diff(g(args.get(0, "x", null)), PyOps.toIndex(args.get(1, "n", 1L)), PyOps.toIndex(args.get(2, "axis", -1L)));
        });
        m.fn("set_subtensor", (a, kw) -> {
            Args args = new Args("set_subtensor", a, kw).only("x", "y", "inplace", "tolerate_inplace_aliasing");
            return T.setSubtensor(g(args.get(0, "x", null)), g(args.get(1, "y", null)));
        });
        m.fn("inc_subtensor", (a, kw) -> {
            Args args = new Args("inc_subtensor", a, kw).only("x", "y", "inplace", "set_instead_of_inc", "tolerate_inplace_aliasing");
            Object x = g(args.get(0, "x", null));
            Object y = g(args.get(1, "y", null));
            return PyOps.isTrue(args.get(3, "set_instead_of_inc", false)) ? T.setSubtensor(x, y) : T.incSubtensor(x, y);
        });
        m.fn("nonzero", (a, kw) -> tsl.language.runtime.PyTuple.of(new ArrayList<>(T.nonzero(g(one("nonzero", a))))));
        m.fn("nonzero_values", (a, kw) -> T.nonzeroValues(g(one("nonzero_values", a))));
        m.fn("flatnonzero", (a, kw) -> T.nonzero(T.flatten(g(one("flatnonzero", a)))).get(0));
        m.fn("take", (a, kw) -> {
            Args args = new Args("take", a, kw).only("a", "indices", "axis");
            Object axis = args.opt(2, "axis");
            Object x = g(args.get(0, "a", null));
            Object idx = g(args.get(1, "indices", null));
            return axis == PyNone.NONE ? T.take(T.flatten(x), idx, 0) : T.take(x, idx, PyOps.toIndex(axis));
        });

        // products
        m.fn("dot", (a, kw) -> T.dot(g(a.get(0)), g(a.get(1))));
        m.fn("outer", (a, kw) -> T.outer(g(a.get(0)), g(a.get(1))));
        m.fn("batched_dot", (a, kw) -> T.batchedDot(g(a.get(0)), g(a.get(1))));
        m.fn("matmul", (a, kw) -> T.matmul(g(a.get(0)), g(a.get(1))));
        m.fn("tensordot", (a, kw) -> {
            Args args = new Args("tensordot", a, kw).only("a", "b", "axes");
            Object x = g(args.get(0, "a", null));
            Object y = g(args.get(1, "b", null));
            Object axes = args.get(2, "axes", 2L);
            if (Arith.isInt(axes)) {
                return T.tensordot(x, y, PyOps.toIndex(axes));
            }
            List<Object> pair = PyOps.toList(axes);
            if (pair.size() != 2) {
                throw TslError.of("ValueError", "tensordot: axes must be an integer or a pair of axis lists");
            }
            return T.tensordot(x, y, axisList(pair.get(0)), axisList(pair.get(1)));
        });

        PyModule nnet = nnet(m);
        m.put("nnet", nnet);
        PyModule special = new PyModule("theano.tensor.special");
        special.fn("softmax", (a, kw) -> softmax("softmax", a, kw, false, true));
        special.fn("log_softmax", (a, kw) -> softmax("log_softmax", a, kw, true, true));
        special.put("sigmoid", m.attrs.get("sigmoid"));
        special.put("expit", m.attrs.get("sigmoid"));
        special.put("softplus", m.attrs.get("softplus"));
        m.put("special", special);
        m.put("softmax", special.attrs.get("softmax"));
        m.put("log_softmax", special.attrs.get("log_softmax"));
        PyModule extra = new PyModule("theano.tensor.extra_ops");
        for (String n : new String[] {"cumsum", "cumprod", "diff", "repeat", "fill_diagonal"}) {
            if (m.attrs.containsKey(n)) {
                extra.put(n, m.attrs.get(n));
            }
        }
        m.put("extra_ops", extra);
        PyModule basic = new PyModule("theano.tensor.basic");
        basic.attrs.putAll(m.attrs);
        basic.put("__name__", "theano.tensor.basic");
        m.put("basic", basic);
    }

    private static PyModule nnet(PyModule m) {
        PyModule nnet = new PyModule("theano.tensor.nnet");
        for (String n : new String[] {"sigmoid", "softplus", "relu"}) {
            nnet.put(n, m.attrs.get(n));
        }
        nnet.fn("softmax", (a, kw) -> softmax("softmax", a, kw, false, false));
        nnet.fn("log_softmax", (a, kw) -> softmax("log_softmax", a, kw, true, false));
        nnet.put("logsoftmax", nnet.attrs.get("log_softmax"));
        nnet.fn("elu", (a, kw) -> {
            Args args = new Args("elu", a, kw).only("x", "alpha");
            return T.elu(g(args.get(0, "x", null)), Arith.toDouble(args.get(1, "alpha", 1.0)));
        });
        nnet.fn("binary_crossentropy", (a, kw) -> {
            Args args = new Args("binary_crossentropy", a, kw).only("output", "target");
            return T.binaryCrossentropy(g(args.get(0, "output", null)), g(args.get(1, "target", null)));
        });
        nnet.fn("sigmoid_binary_crossentropy", (a, kw) -> {
            Args args = new Args("sigmoid_binary_crossentropy", a, kw).only("output", "target");
            return T.sigmoidBinaryCrossentropy(g(args.get(0, "output", null)), g(args.get(1, "target", null)));
        });
        nnet.fn("categorical_crossentropy", (a, kw) -> {
            Args args = new Args("categorical_crossentropy", a, kw).only("coding_dist", "true_dist");
            return T.categoricalCrossentropy(g(args.get(0, "coding_dist", null)), g(args.get(1, "true_dist", null)));
        });
        nnet.fn("hard_sigmoid", (a, kw) -> {
            Variable x = v(one("hard_sigmoid", a));
            return T.clip(T.add(T.mul(x, T.floatConstant(0.2, x)), T.floatConstant(0.5, x)), 0L, 1L);
        });
        nnet.put("ultra_fast_sigmoid", m.attrs.get("sigmoid"));
        for (String n : new String[] {"conv2d", "pool_2d", "max_pool_2d"}) {
            nnet.fn(n, (a, kw) -> {
                throw TslError.of("NotImplementedError", "not supported yet: theano.tensor.nnet." + n);
            });
        }
        for (String n : new String[] {"binary_crossentropy", "categorical_crossentropy", "softmax", "log_softmax", "elu",
                "hard_sigmoid", "ultra_fast_sigmoid", "sigmoid_binary_crossentropy"}) {
            if (!m.attrs.containsKey(n)) {
                m.put(n, nnet.attrs.get(n));
            }
        }
        ConvFunctions.register(nnet, m);
        return nnet;
    }

    // ------------------------------------------------------------------ adapters

    /** softmax / log_softmax; PyTensor's special.softmax defaults to all axes, Theano's nnet.softmax to the last. */
    private static Object softmax(String name, List<Object> a, Map<String, Object> kw, boolean log, boolean allAxesByDefault) {
        Args args = new Args(name, a, kw).only("c", "x", "axis");
        Object xo = a.isEmpty() ? kw.getOrDefault("c", kw.get("x")) : a.get(0);
        if (xo == null) {
            throw TslError.of("TypeError", name + "() missing required argument 'x'");
        }
        Variable x = v(xo);
        Object axis = args.get(1, "axis", allAxesByDefault ? PyNone.NONE : (Object) (-1L));
        if (axis == PyNone.NONE && x.ndim() > 1) {
            Variable flat = T.flatten(x);
            Variable r = log ? T.logSoftmax(flat) : T.softmax(flat);
            return T.reshape(r, T.shape(x), x.ndim());
        }
        if (x.ndim() == 0) {
            throw TslError.of("ValueError", name + ": the input must have at least one dimension");
        }
        int ax = axis == PyNone.NONE ? x.ndim() - 1 : PyOps.toIndex(axis);
        if (ax < 0) {
            ax += x.ndim();
        }
        if (ax < 0 || ax >= x.ndim()) {
            throw TslError.of("ValueError", name + ": axis " + PyStr.repr(axis) + " is out of bounds for an input of ndim " + x.ndim());
        }
        if (ax == x.ndim() - 1) {
            return log ? T.logSoftmax(x) : T.softmax(x);
        }
        // move the axis last, normalize there, move it back
        int[] perm = new int[x.ndim()];
        int[] back = new int[x.ndim()];
        for (int d = 0, p = 0; d < x.ndim(); d++) {
            if (d != ax) {
                perm[p++] = d;
            }
        }
        perm[x.ndim() - 1] = ax;
        for (int d = 0; d < perm.length; d++) {
            back[perm[d]] = d;
        }
        Variable moved = T.dimshuffle(x, perm);
        return T.dimshuffle(log ? T.logSoftmax(moved) : T.softmax(moved), back);
    }

    private static Object relu(List<Object> a, Map<String, Object> kw) {
        Args args = new Args("relu", a, kw).only("x", "alpha");
        Object alpha = args.get(1, "alpha", 0L);
        Object x = g(args.get(0, "x", null));
        if (alpha instanceof Variable av) {
            Variable xv = T.asTensorVariable(x);
            return T.switchOp(T.gt(xv, 0L), xv, T.mul(xv, av));
        }
        return T.relu(x, Arith.toDouble(alpha));
    }

    private static Object likeOf(String name, List<Object> a, Map<String, Object> kw, int value) {
        Args args = new Args(name, a, kw).only("model", "x", "dtype");
        Object xo = a.isEmpty() ? kw.getOrDefault("model", kw.get("x")) : a.get(0);
        if (xo == null) {
            throw TslError.of("TypeError", name + "() missing required argument 'model'");
        }
        Variable x = v(xo);
        Object dt = args.get(1, "dtype", PyNone.NONE);
        DType d = dt == PyNone.NONE ? x.dtype() : NumpyModule.toDType(dt);
        return T.second(x, T.constant(value, d));
    }

    private static Object filled(String name, List<Object> a, Map<String, Object> kw, int value) {
        Args args = new Args(name, a, kw).only("shape", "dtype");
        Object shape = args.get(0, "shape", null);
        Object dt = args.opt(1, "dtype");
        DType d = dt == PyNone.NONE ? tsl.compile.Config.floatX() : NumpyModule.toDType(dt);
        List<Object> dims = shape instanceof PyList || shape instanceof PyTuple ? operands(shape) : List.of(g(shape));
        return T.alloc(T.constant(value, d), dims.toArray());
    }

    @FunctionalInterface
    private interface AxisFn { Variable apply(Object x, Integer axis); }

    private static Object axisOp(String name, List<Object> a, Map<String, Object> kw, AxisFn f) {
        Args args = new Args(name, a, kw).only("a", "x", "axis", "kind", "order");
        Object xo = a.isEmpty() ? kw.getOrDefault("a", kw.get("x")) : a.get(0);
        Object axis = args.get(1, "axis", -1L);
        Variable x = v(xo);
        if (axis == PyNone.NONE) {
            return f.apply(T.flatten(x), 0);
        }
        return f.apply(x, PyOps.toIndex(axis));
    }

    private static Object optAxisOp(String name, List<Object> a, Map<String, Object> kw, AxisFn f) {
        Args args = new Args(name, a, kw).only("x", "axis");
        Object axis = args.opt(1, "axis");
        return f.apply(g(args.get(0, "x", null)), axis == PyNone.NONE ? null : PyOps.toIndex(axis));
    }

    private static void elementwise(PyModule m, String name, ScalarOp op) {
        m.fn(name, (a, kw) -> {
            if (!kw.isEmpty()) {
                throw TslError.of("TypeError", name + "() got an unexpected keyword argument '" + kw.keySet().iterator().next() + "'");
            }
            if (a.size() != op.nin()) {
                throw TslError.of("TypeError", name + "() takes " + op.nin() + " argument" + (op.nin() == 1 ? "" : "s") + ", got " + a.size());
            }
            Object[] xs = new Object[a.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = g(a.get(i));
            }
            return T.elemwise(op, xs);
        });
    }

    private static void reduction(PyModule m, String name, Reduce.Kind kind) {
        m.fn(name, (a, kw) -> {
            Object xo = a.isEmpty() ? kw.get("x") : a.get(0);
            if (xo == null) {
                throw TslError.of("TypeError", name + "() missing required argument 'x'");
            }
            return VariableMethods.reduce(kind, v(xo), a.isEmpty() ? a : a.subList(1, a.size()), without(kw, "x"));
        });
    }

    private static Map<String, Object> without(Map<String, Object> kw, String key) {
        if (!kw.containsKey(key)) {
            return kw;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(kw);
        copy.remove(key);
        return copy;
    }

    private static Object one(String name, List<Object> a) {
        if (a.size() != 1) {
            throw TslError.of("TypeError", name + "() takes 1 argument, got " + a.size());
        }
        return a.get(0);
    }

    static Object g(Object o) {
        return PyOps.toGraphOperand(o);
    }

    static Variable v(Object o) {
        return T.asTensorVariable(g(o));
    }

    private static List<Object> operands(Object seq) {
        return operandList(PyOps.toList(seq));
    }

    private static List<Object> operandList(List<Object> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Object o : items) {
            out.add(g(o));
        }
        return out;
    }

    static int[] ints(Object seq) {
        List<Object> items = PyOps.toList(seq);
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = items.get(i);
            out[i] = "x".equals(o) ? tsl.ops.shape.DimShuffle.NEW_AXIS : PyOps.toIndex(o);
        }
        return out;
    }

    private static int[] axisList(Object o) {
        return Arith.isInt(o) ? new int[] {PyOps.toIndex(o)} : ints(o);
    }
}
