package tsl.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.blas.Dot;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Argmax;
import tsl.ops.reduce.Reduce;
import tsl.ops.reduce.ReducedCount;
import tsl.ops.shape.DimShuffle;
import tsl.ops.subtensor.AdvancedIncSubtensor;
import tsl.ops.subtensor.AdvancedSubtensor;
import tsl.ops.subtensor.IncSubtensor;
import tsl.ops.subtensor.Index;
import tsl.ops.subtensor.Subtensor;
import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * The symbolic vocabulary (Theano's {@code theano.tensor}, imported as {@code T}): builds
 * graph nodes from variables, NDArrays and Java numbers, converting constants with Theano's
 * autocasting rules and lining up ranks for broadcasting.
 */
public final class T {
    private T() {}

    // ------------------------------------------------------------------ constants

    /**
     * A constant for a Java value. Python ints become the smallest int dtype holding them and
     * Python floats float32 when exact, else float64 (Theano's autocasting), so that
     * {@code x * 0.5} keeps a float32 {@code x} float32.
     */
    public static Constant constant(Object value) {
        if (value instanceof Constant c) {
            return c;
        }
        if (value instanceof NDArray a) {
            return new Constant(a);
        }
        if (value instanceof Boolean b) {
            return new Constant(NDArray.scalar(b));
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            return new Constant(NDArray.scalar(v, DType.smallestIntFor(v)));
        }
        if (value instanceof Number n) {
            double v = n.doubleValue();
            DType d = ((float) v == v || Double.isNaN(v)) ? DType.FLOAT32 : DType.FLOAT64;
            return new Constant(NDArray.scalar(v, d));
        }
        throw TslException.typeError("cannot convert " + value + " to a tensor");
    }

    public static Constant constant(Object value, DType dtype) {
        Constant c = constant(value);
        if (c.dtype() == dtype) {
            return c;
        }
        return new Constant(c.value().astype(dtype));
    }

    public static Variable asTensorVariable(Object value) {
        if (value instanceof Variable v) {
            return v;
        }
        return constant(value);
    }

    // ------------------------------------------------------------------ elementwise

    /** Applies a scalar op elementwise, left-padding lower-rank inputs with broadcastable axes. */
    public static Variable elemwise(ScalarOp op, Object... args) {
        return elemwiseAs(op, null, args);
    }

    private static Variable elemwiseAs(ScalarOp op, DType castTo, Object... args) {
        List<Variable> vs = new ArrayList<>(args.length);
        int ndim = 0;
        for (Object a : args) {
            Variable v = asTensorVariable(a);
            vs.add(v);
            ndim = Math.max(ndim, v.ndim());
        }
        for (int i = 0; i < vs.size(); i++) {
            Variable v = vs.get(i);
            if (v.ndim() < ndim) {
                int[] pattern = new int[ndim];
                int pad = ndim - v.ndim();
                for (int d = 0; d < ndim; d++) {
                    pattern[d] = d < pad ? DimShuffle.NEW_AXIS : d - pad;
                }
                vs.set(i, dimshuffle(v, pattern));
            }
        }
        return new Elemwise(op, castTo).makeNode(vs).output();
    }

    public static Variable add(Object a, Object b) { return elemwise(ScalarOps.ADD, a, b); }
    public static Variable sub(Object a, Object b) { return elemwise(ScalarOps.SUB, a, b); }
    public static Variable mul(Object a, Object b) { return elemwise(ScalarOps.MUL, a, b); }
    public static Variable trueDiv(Object a, Object b) { return elemwise(ScalarOps.TRUE_DIV, a, b); }
    public static Variable intDiv(Object a, Object b) { return elemwise(ScalarOps.INT_DIV, a, b); }
    public static Variable mod(Object a, Object b) { return elemwise(ScalarOps.MOD, a, b); }
    public static Variable pow(Object a, Object b) { return elemwise(ScalarOps.POW, a, b); }
    public static Variable maximum(Object a, Object b) { return elemwise(ScalarOps.MAXIMUM, a, b); }
    public static Variable minimum(Object a, Object b) { return elemwise(ScalarOps.MINIMUM, a, b); }
    public static Variable neg(Object a) { return elemwise(ScalarOps.NEG, a); }
    public static Variable exp(Object a) { return elemwise(ScalarOps.EXP, a); }
    public static Variable log(Object a) { return elemwise(ScalarOps.LOG, a); }
    public static Variable sqr(Object a) { return elemwise(ScalarOps.SQR, a); }
    public static Variable sqrt(Object a) { return elemwise(ScalarOps.SQRT, a); }
    public static Variable tanh(Object a) { return elemwise(ScalarOps.TANH, a); }
    public static Variable abs(Object a) { return elemwise(ScalarOps.ABS, a); }
    public static Variable sgn(Object a) { return elemwise(ScalarOps.SGN, a); }
    public static Variable sigmoid(Object a) { return elemwise(ScalarOps.SIGMOID, a); }
    public static Variable eq(Object a, Object b) { return elemwise(ScalarOps.EQ, a, b); }
    public static Variable neq(Object a, Object b) { return elemwise(ScalarOps.NEQ, a, b); }
    public static Variable lt(Object a, Object b) { return elemwise(ScalarOps.LT, a, b); }
    public static Variable gt(Object a, Object b) { return elemwise(ScalarOps.GT, a, b); }
    public static Variable le(Object a, Object b) { return elemwise(ScalarOps.LE, a, b); }
    public static Variable ge(Object a, Object b) { return elemwise(ScalarOps.GE, a, b); }

    public static Variable expm1(Object a) { return elemwise(ScalarOps.EXPM1, a); }
    public static Variable exp2(Object a) { return elemwise(ScalarOps.EXP2, a); }
    public static Variable log2(Object a) { return elemwise(ScalarOps.LOG2, a); }
    public static Variable log10(Object a) { return elemwise(ScalarOps.LOG10, a); }
    public static Variable log1p(Object a) { return elemwise(ScalarOps.LOG1P, a); }
    public static Variable sin(Object a) { return elemwise(ScalarOps.SIN, a); }
    public static Variable cos(Object a) { return elemwise(ScalarOps.COS, a); }
    public static Variable tan(Object a) { return elemwise(ScalarOps.TAN, a); }
    public static Variable arcsin(Object a) { return elemwise(ScalarOps.ARCSIN, a); }
    public static Variable arccos(Object a) { return elemwise(ScalarOps.ARCCOS, a); }
    public static Variable arctan(Object a) { return elemwise(ScalarOps.ARCTAN, a); }
    public static Variable sinh(Object a) { return elemwise(ScalarOps.SINH, a); }
    public static Variable cosh(Object a) { return elemwise(ScalarOps.COSH, a); }
    public static Variable arcsinh(Object a) { return elemwise(ScalarOps.ARCSINH, a); }
    public static Variable arccosh(Object a) { return elemwise(ScalarOps.ARCCOSH, a); }
    public static Variable arctanh(Object a) { return elemwise(ScalarOps.ARCTANH, a); }
    public static Variable erf(Object a) { return elemwise(ScalarOps.ERF, a); }
    public static Variable erfc(Object a) { return elemwise(ScalarOps.ERFC, a); }
    public static Variable gammaln(Object a) { return elemwise(ScalarOps.GAMMALN, a); }
    public static Variable psi(Object a) { return elemwise(ScalarOps.PSI, a); }
    public static Variable softplus(Object a) { return elemwise(ScalarOps.SOFTPLUS, a); }
    public static Variable relu(Object a) { return elemwise(ScalarOps.RELU, a); }
    public static Variable floor(Object a) { return elemwise(ScalarOps.FLOOR, a); }
    public static Variable ceil(Object a) { return elemwise(ScalarOps.CEIL, a); }
    public static Variable isnan(Object a) { return elemwise(ScalarOps.ISNAN, a); }
    public static Variable isinf(Object a) { return elemwise(ScalarOps.ISINF, a); }
    public static Variable and(Object a, Object b) { return elemwise(ScalarOps.AND, a, b); }
    public static Variable or(Object a, Object b) { return elemwise(ScalarOps.OR, a, b); }
    public static Variable xor(Object a, Object b) { return elemwise(ScalarOps.XOR, a, b); }
    /** Bitwise not of integers, logical not of bools (Python's ~ on a tensor). */
    public static Variable invert(Object a) { return elemwise(ScalarOps.INVERT, a); }
    public static Variable clip(Object x, Object min, Object max) { return elemwise(ScalarOps.CLIP, x, min, max); }
    public static Variable disconnectedGrad(Object a) { return elemwise(ScalarOps.DISCONNECTED_GRAD, a); }

    /** Rounds half to even (numpy.round, Theano's default mode). */
    public static Variable round(Object a) { return round(a, "half_to_even"); }

    /** Theano's round: mode "half_to_even" or "half_away_from_zero". */
    public static Variable round(Object a, String mode) {
        return switch (mode) {
            case "half_to_even" -> elemwise(ScalarOps.ROUND_HALF_TO_EVEN, a);
            case "half_away_from_zero" -> elemwise(ScalarOps.ROUND_HALF_AWAY_FROM_ZERO, a);
            default -> throw TslException.valueError("round: mode must be 'half_to_even' or 'half_away_from_zero', got '" + mode + "'");
        };
    }

    /** Leaky rectifier: x where x > 0, else alpha * x (Theano's nnet.relu(x, alpha)). */
    public static Variable relu(Object a, double alpha) {
        if (alpha == 0) {
            return relu(a);
        }
        Variable x = asTensorVariable(a);
        return switchOp(gt(x, constant(0)), x, mul(x, floatConstant(alpha, x)));
    }

    /** {@code cond ? a : b} elementwise; the dtype is the promotion of the two branches only. */
    public static Variable switchOp(Object cond, Object a, Object b) {
        return elemwise(ScalarOps.SWITCH, cond, a, b);
    }

    /** A float constant that keeps {@code like}'s float dtype (floatX for discrete {@code like}). */
    public static Constant floatConstant(double v, Variable like) {
        DType d = like.dtype().isFloat() ? like.dtype() : tsl.compile.Config.floatX();
        return constant(v, d);
    }

    /** {@code y} broadcast against {@code x}, keeping y's dtype. */
    public static Variable second(Object x, Object y) {
        Variable vy = asTensorVariable(y);
        return elemwiseAs(ScalarOps.SECOND, vy.dtype(), x, vy);
    }

    public static Variable cast(Object x, DType dtype) {
        Variable v = asTensorVariable(x);
        if (v.dtype() == dtype) {
            return v;
        }
        return elemwiseAs(ScalarOps.IDENTITY, dtype, v);
    }

    public static Variable zerosLike(Object x) {
        Variable v = asTensorVariable(x);
        return second(v, constant(0, v.dtype()));
    }

    public static Variable onesLike(Object x) {
        Variable v = asTensorVariable(x);
        return second(v, constant(1, v.dtype()));
    }

    // ------------------------------------------------------------------ shape

    public static Variable dimshuffle(Object x, int... pattern) {
        Variable v = asTensorVariable(x);
        boolean identity = pattern.length == v.ndim();
        for (int i = 0; identity && i < pattern.length; i++) {
            identity = pattern[i] == i;
        }
        return identity ? v : new DimShuffle(pattern.clone()).makeNode(List.of(v)).output();
    }

    public static Variable transpose(Object x) {
        Variable v = asTensorVariable(x);
        int[] p = new int[v.ndim()];
        for (int i = 0; i < p.length; i++) {
            p[i] = p.length - 1 - i;
        }
        return dimshuffle(v, p);
    }

    /** Re-inserts reduced axes as broadcastable dimensions (the inverse of a reduction's shape). */
    public static Variable expandReduced(Variable g, boolean[] reduced) {
        int[] pattern = new int[reduced.length];
        int j = 0;
        for (int d = 0; d < reduced.length; d++) {
            pattern[d] = reduced[d] ? DimShuffle.NEW_AXIS : j++;
        }
        return dimshuffle(g, pattern);
    }

    /** Sums {@code g} over the axes where {@code x} broadcasts, and casts to x's dtype: the gradient of a broadcast. */
    public static Variable sumToShapeOf(Variable g, Variable x) {
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) {
            if (x.type().dim(d) == 1 && g.type().dim(d) != 1) {
                axes.add(d);
            }
        }
        Variable r = g;
        if (!axes.isEmpty()) {
            r = sum(g, axes.stream().mapToInt(Integer::intValue).toArray(), true);
        }
        return cast(r, x.dtype());
    }

    /** {@code g} summed down to the shape of {@code y} (leading extra axes and broadcast axes), in y's dtype. */
    public static Variable sumToShape(Variable g, Variable y) {
        Variable r = g;
        int extra = g.ndim() - y.ndim();
        if (extra > 0) {
            int[] lead = new int[extra];
            for (int i = 0; i < extra; i++) {
                lead[i] = i;
            }
            r = sum(r, lead, false);
        }
        return sumToShapeOf(r, y);
    }

    // ------------------------------------------------------------------ indexing

    /** A slice {@code start:stop:step} for {@link #subtensor}; each bound is null (None), a Java integer or an integer scalar variable. */
    public record Slice(Object start, Object stop, Object step) {}

    /** Python's {@code ...} in an index. */
    public static final Object ELLIPSIS = new Object() {
        @Override
        public String toString() {
            return "Ellipsis";
        }
    };

    public static Slice slice(Object start, Object stop, Object step) { return new Slice(start, stop, step); }
    public static Slice slice(Object start, Object stop) { return new Slice(start, stop, null); }

    /**
     * {@code x[idx...]} with NumPy's meaning. An entry is a Java integer, an integer scalar
     * variable, a {@link Slice}, null (None/newaxis), {@link #ELLIPSIS}, or an integer or boolean
     * array (a variable, an NDArray, int[] or long[]), which makes it advanced indexing.
     */
    public static Variable subtensor(Object x, Object... idx) {
        Variable v = asTensorVariable(x);
        List<Index> entries = new ArrayList<>();
        List<Variable> inputs = new ArrayList<>();
        inputs.add(v);
        boolean advanced = false;
        int explicit = 0;
        for (Object o : idx) {
            if (o != null && o != ELLIPSIS && !(o instanceof Variable w && w.dtype().isBool())) {
                explicit++;
            } else if (o instanceof Variable w) {
                explicit += w.ndim();
            }
        }
        boolean sawEllipsis = false;
        for (Object o : idx) {
            if (o == ELLIPSIS) {
                if (sawEllipsis) {
                    throw TslException.indexError("an index can only have a single ellipsis ('...')");
                }
                sawEllipsis = true;
                for (int i = explicit; i < v.ndim(); i++) {
                    entries.add(Index.Range.ALL);
                }
            } else if (o == null) {
                entries.add(new Index.NewAxis());
            } else if (o instanceof Slice sl) {
                entries.add(new Index.Range(bound(sl.start(), inputs), bound(sl.stop(), inputs), bound(sl.step(), inputs)));
            } else if (isJavaInteger(o)) {
                entries.add(new Index.Point(Index.Bound.of(((Number) o).longValue())));
            } else if (o instanceof Boolean) {
                throw TslException.notSupported("a Python bool as an index");
            } else {
                Variable w = o instanceof int[] || o instanceof long[] ? constant(intArray(o)) : asTensorVariable(o);
                if (w.ndim() == 0 && w.dtype().isInteger()) {
                    entries.add(new Index.Point(bound(w, inputs)));
                } else if (w.dtype().isFloat()) {
                    throw TslException.indexError("arrays used as indices must be of integer (or boolean) type, got " + w.type());
                } else {
                    entries.add(new Index.Array());
                    inputs.add(w);
                    advanced = true;
                }
            }
        }
        Apply node = advanced ? new AdvancedSubtensor(entries).makeNode(inputs) : new Subtensor(entries).makeNode(inputs);
        return node.output();
    }

    /** {@code x[indices]} along {@code axis} (numpy.take with an integer array). */
    public static Variable take(Object x, Object indices, int axis) {
        Variable v = asTensorVariable(x);
        int a = axis < 0 ? axis + v.ndim() : axis;
        Object[] idx = new Object[a + 1];
        for (int i = 0; i < a; i++) {
            idx[i] = slice(null, null, null);
        }
        idx[a] = indices;
        return subtensor(v, idx);
    }

    /** Theano's set_subtensor(x[idx], y): a copy of x with that region replaced by y. */
    public static Variable setSubtensor(Object xSub, Object y) { return incOrSet(xSub, y, true); }

    /** Theano's inc_subtensor(x[idx], y): repeated array indices accumulate, like numpy.add.at. */
    public static Variable incSubtensor(Object xSub, Object y) { return incOrSet(xSub, y, false); }

    private static Variable incOrSet(Object xSub, Object y, boolean set) {
        Variable sub = asTensorVariable(xSub);
        Variable vy = asTensorVariable(y);
        Apply owner = sub.owner();
        List<Variable> inputs = new ArrayList<>();
        String name = set ? "set_subtensor" : "inc_subtensor";
        if (owner == null || !(owner.op() instanceof Subtensor || owner.op() instanceof AdvancedSubtensor)) {
            throw TslException.typeError(name + " must be called on the result of indexing, like " + name + "(x[idx], y); got " + sub);
        }
        inputs.add(owner.input(0));
        inputs.add(vy);
        inputs.addAll(owner.inputs().subList(1, owner.inputs().size()));
        Apply node = owner.op() instanceof Subtensor s
                ? new IncSubtensor(s.idx(), set).makeNode(inputs)
                : new AdvancedIncSubtensor(((AdvancedSubtensor) owner.op()).idx(), set).makeNode(inputs);
        return node.output();
    }

    private static boolean isJavaInteger(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte;
    }

    private static NDArray intArray(Object o) {
        long[] v = o instanceof int[] ia ? Arrays.stream(ia).asLongStream().toArray() : (long[]) o;
        return NDArray.fromLongs(DType.INT64, new int[] {v.length}, v);
    }

    private static Index.Bound bound(Object o, List<Variable> inputs) {
        if (o == null) {
            return Index.Bound.NONE;
        }
        if (isJavaInteger(o)) {
            return Index.Bound.of(((Number) o).longValue());
        }
        Variable w = asTensorVariable(o);
        if (w.ndim() != 0 || !w.dtype().isInteger()) {
            throw TslException.typeError("slice indices must be integers or None, got " + w.type());
        }
        if (w instanceof Constant c) {
            return Index.Bound.of(c.value().itemLong());
        }
        inputs.add(w);
        return Index.Bound.INPUT;
    }

    // ------------------------------------------------------------------ reductions

    public static Variable reduce(Reduce.Kind kind, Object x, int[] axes, boolean keepdims) {
        Variable v = asTensorVariable(x);
        int[] norm = axes == null ? null : normalizeAxes(axes, v.ndim());
        Variable r = new Reduce(kind, norm).makeNode(List.of(v)).output();
        if (keepdims) {
            r = expandReduced(r, ((Reduce) r.owner().op()).reducedAxes(v.ndim()));
        }
        return r;
    }

    private static int[] normalizeAxes(int[] axes, int ndim) {
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            n[i] = axes[i] < 0 ? axes[i] + ndim : axes[i];
            if (n[i] < 0 || n[i] >= ndim) {
                throw TslException.valueError("axis " + axes[i] + " is out of bounds for a tensor of dimension " + ndim);
            }
        }
        Arrays.sort(n);
        return n;
    }

    public static Variable sum(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.SUM, x, axes, keepdims); }
    public static Variable mean(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.MEAN, x, axes, keepdims); }
    public static Variable sum(Object x) { return sum(x, null, false); }
    public static Variable mean(Object x) { return mean(x, null, false); }
    public static Variable sum(Object x, int axis) { return sum(x, new int[] {axis}, false); }
    public static Variable mean(Object x, int axis) { return mean(x, new int[] {axis}, false); }
    public static Variable prod(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.PROD, x, axes, keepdims); }
    public static Variable prod(Object x) { return prod(x, null, false); }
    public static Variable prod(Object x, int axis) { return prod(x, new int[] {axis}, false); }
    public static Variable max(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.MAX, x, axes, keepdims); }
    public static Variable max(Object x) { return max(x, null, false); }
    public static Variable max(Object x, int axis) { return max(x, new int[] {axis}, false); }
    public static Variable min(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.MIN, x, axes, keepdims); }
    public static Variable min(Object x) { return min(x, null, false); }
    public static Variable min(Object x, int axis) { return min(x, new int[] {axis}, false); }
    public static Variable all(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.ALL, x, axes, keepdims); }
    public static Variable all(Object x) { return all(x, null, false); }
    public static Variable all(Object x, int axis) { return all(x, new int[] {axis}, false); }
    public static Variable any(Object x, int[] axes, boolean keepdims) { return reduce(Reduce.Kind.ANY, x, axes, keepdims); }
    public static Variable any(Object x) { return any(x, null, false); }
    public static Variable any(Object x, int axis) { return any(x, new int[] {axis}, false); }

    /** Index of the maximum over {@code axes} (all, flattened, when null); int64; ties give the first. */
    public static Variable argmax(Object x, int[] axes, boolean keepdims) { return argReduce(x, axes, keepdims, false); }
    public static Variable argmax(Object x) { return argmax(x, null, false); }
    public static Variable argmax(Object x, int axis) { return argmax(x, new int[] {axis}, false); }
    public static Variable argmin(Object x, int[] axes, boolean keepdims) { return argReduce(x, axes, keepdims, true); }
    public static Variable argmin(Object x) { return argmin(x, null, false); }
    public static Variable argmin(Object x, int axis) { return argmin(x, new int[] {axis}, false); }

    private static Variable argReduce(Object x, int[] axes, boolean keepdims, boolean min) {
        Variable v = asTensorVariable(x);
        int[] norm = axes == null ? null : normalizeAxes(axes, v.ndim());
        Variable r = new Argmax(norm, min).makeNode(List.of(v)).output();
        if (keepdims) {
            r = expandReduced(r, new Reduce(Reduce.Kind.MAX, norm).reducedAxes(v.ndim()));
        }
        return r;
    }

    /** Variance with {@code ddof} delta degrees of freedom (numpy.var), built from means so its gradient comes for free. */
    public static Variable var(Object x, int[] axes, boolean keepdims, int ddof) {
        Variable v = asTensorVariable(x);
        int[] norm = axes == null ? null : normalizeAxes(axes, v.ndim());
        Variable centered = sub(v, mean(v, norm, true));
        Variable r = mean(sqr(centered), norm, keepdims);
        if (ddof != 0) {
            Variable n = cast(reducedCount(v, norm), r.dtype());
            r = mul(r, trueDiv(n, sub(n, constant((double) ddof, r.dtype()))));
        }
        return r;
    }

    public static Variable var(Object x, int[] axes, boolean keepdims) { return var(x, axes, keepdims, 0); }
    public static Variable var(Object x) { return var(x, null, false, 0); }
    public static Variable std(Object x, int[] axes, boolean keepdims, int ddof) { return sqrt(var(x, axes, keepdims, ddof)); }
    public static Variable std(Object x, int[] axes, boolean keepdims) { return std(x, axes, keepdims, 0); }
    public static Variable std(Object x) { return std(x, null, false, 0); }

    /**
     * log(sum(exp(x))) over {@code axes}, computed as m + log(sum(exp(x - m))) with m the max, so
     * that large inputs do not overflow. m is held constant for the gradient (it cancels
     * analytically), and an infinite max is replaced by 0 so that all -inf gives -inf, not NaN.
     */
    public static Variable logsumexp(Object x, int[] axes, boolean keepdims) {
        Variable v = asTensorVariable(x);
        int[] norm = axes == null ? null : normalizeAxes(axes, v.ndim());
        Variable m = disconnectedGrad(max(v, norm, true));
        Variable shift = switchOp(isinf(m), constant(0, m.dtype()), m);
        Variable r = add(log(sum(exp(sub(v, shift)), norm, true)), shift);
        if (!keepdims) {
            boolean[] reduced = new Reduce(Reduce.Kind.SUM, norm).reducedAxes(v.ndim());
            int[] pattern = new int[v.ndim() - count(reduced)];
            for (int d = 0, j = 0; d < reduced.length; d++) {
                if (!reduced[d]) {
                    pattern[j++] = d;
                }
            }
            r = dimshuffle(r, pattern);
        }
        return r;
    }

    public static Variable logsumexp(Object x) { return logsumexp(x, null, false); }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }

    public static Variable reducedCount(Variable x, int[] axes) {
        return new ReducedCount(axes).makeNode(List.of(x)).output();
    }

    // ------------------------------------------------------------------ products

    public static Variable dot(Object a, Object b) {
        Variable x = asTensorVariable(a);
        Variable y = asTensorVariable(b);
        if (x.ndim() == 0 || y.ndim() == 0) {
            return mul(x, y);
        }
        return new Dot().makeNode(List.of(x, y)).output();
    }

    public static Variable outer(Object a, Object b) {
        Variable x = asTensorVariable(a);
        Variable y = asTensorVariable(b);
        return dot(dimshuffle(x, 0, DimShuffle.NEW_AXIS), dimshuffle(y, DimShuffle.NEW_AXIS, 0));
    }

    /** A fresh symbolic input. */
    public static Variable tensor(DType dtype, int[] shape, String name) {
        return new Variable(new TensorType(dtype, shape), name);
    }
}
