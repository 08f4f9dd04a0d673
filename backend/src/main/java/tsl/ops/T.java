package tsl.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.blas.BatchedDot;
import tsl.ops.blas.Dot;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.reduce.Argmax;
import tsl.ops.reduce.Reduce;
import tsl.ops.reduce.ReducedCount;
import tsl.ops.nnet.Softmax;
import tsl.ops.shape.ARange;
import tsl.ops.shape.Alloc;
import tsl.ops.shape.CumOp;
import tsl.ops.shape.DimShuffle;
import tsl.ops.shape.Eye;
import tsl.ops.shape.Join;
import tsl.ops.shape.Repeat;
import tsl.ops.shape.Reshape;
import tsl.ops.shape.Shape;
import tsl.ops.shape.Sort;
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
    static {
        // the first tensor built: a function() is likely to follow, so the native linker starts its setup now
        tsl.compile.Mode.warmUpDefaultLinker();
    }

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

    /** Theano's shape_padleft(x): x with a new broadcastable leading axis. */
    public static Variable shapePadLeft(Object x) {
        Variable v = asTensorVariable(x);
        int[] p = new int[v.ndim() + 1];
        p[0] = DimShuffle.NEW_AXIS;
        for (int i = 0; i < v.ndim(); i++) {
            p[i + 1] = i;
        }
        return dimshuffle(v, p);
    }

    public static Variable transpose(Object x) {
        Variable v = asTensorVariable(x);
        int[] p = new int[v.ndim()];
        for (int i = 0; i < p.length; i++) {
            p[i] = p.length - 1 - i;
        }
        return dimshuffle(v, p);
    }

    /** x.shape as an int64 vector. */
    public static Variable shape(Object x) {
        return new Shape().makeNode(List.of(asTensorVariable(x))).output();
    }

    /** x.shape[i] as an int64 scalar: a constant when the length is static. */
    public static Variable shapeI(Object x, int i) {
        Variable v = asTensorVariable(x);
        int a = i < 0 ? i + v.ndim() : i;
        if (a < 0 || a >= v.ndim()) {
            throw TslException.indexError("shape index " + i + " is out of range for " + v.type());
        }
        int d = v.type().dim(a);
        return d != TensorType.UNKNOWN ? constant((long) d, DType.INT64) : subtensor(shape(v), a);
    }

    /** Reshape to a static list of lengths (at most one -1). */
    public static Variable reshape(Object x, int... shape) {
        long[] s = Arrays.stream(shape).asLongStream().toArray();
        return reshape(x, constant(NDArray.fromLongs(DType.INT64, new int[] {s.length}, s)), s.length);
    }

    /**
     * Reshape to {@code shape}: an int[]/long[], a list whose entries are Java integers or integer
     * scalar variables, or an integer vector variable (whose length must then be static).
     */
    public static Variable reshape(Object x, Object shape) {
        if (shape instanceof int[] ia) {
            return reshape(x, ia);
        }
        if (shape instanceof long[] la) {
            return reshape(x, Arrays.stream(la).mapToInt(l -> (int) l).toArray());
        }
        if (shape instanceof List<?> list) {
            boolean allInts = list.stream().allMatch(T::isJavaInteger);
            if (allInts) {
                return reshape(x, list.stream().mapToInt(o -> ((Number) o).intValue()).toArray());
            }
            return reshape(x, stackScalars(list, DType.INT64), list.size());
        }
        Variable s = asTensorVariable(shape);
        if (s.ndim() != 1 || s.type().dim(0) == TensorType.UNKNOWN) {
            throw TslException.valueError("reshape: the length of the shape must be known; pass ndim, got " + s.type());
        }
        return reshape(x, s, s.type().dim(0));
    }

    public static Variable reshape(Object x, Variable shape, int ndim) {
        return new Reshape(ndim).makeNode(List.of(asTensorVariable(x), shape)).output();
    }

    /** A vector from scalars (Java numbers or scalar variables), cast to {@code dtype}. */
    public static Variable stackScalars(List<?> scalars, DType dtype) {
        List<Object> parts = new ArrayList<>();
        for (Object o : scalars) {
            Variable v = cast(asTensorVariable(o), dtype);
            if (v.ndim() != 0) {
                throw TslException.typeError("expected a scalar, got " + v.type());
            }
            parts.add(dimshuffle(v, DimShuffle.NEW_AXIS));
        }
        return concatenate(parts, 0);
    }

    /** Keeps the first ndim-1 dimensions and flattens the rest into the last (Theano's flatten). */
    public static Variable flatten(Object x, int ndim) {
        Variable v = asTensorVariable(x);
        if (ndim < 1 || ndim > Math.max(v.ndim(), 1)) {
            throw TslException.valueError("flatten: ndim must be between 1 and " + Math.max(v.ndim(), 1) + ", got " + ndim);
        }
        List<Object> s = new ArrayList<>();
        for (int d = 0; d < ndim - 1; d++) {
            s.add(shapeI(v, d));
        }
        s.add(-1L);
        return reshape(v, stackScalars(s, DType.INT64), ndim);
    }

    public static Variable flatten(Object x) { return flatten(x, 1); }

    /** numpy.concatenate(tensors, axis). */
    public static Variable concatenate(List<?> tensors, int axis) {
        List<Variable> vs = new ArrayList<>();
        for (Object o : tensors) {
            vs.add(asTensorVariable(o));
        }
        if (vs.isEmpty()) {
            throw TslException.valueError("need at least one array to concatenate");
        }
        int a = axis < 0 ? axis + vs.get(0).ndim() : axis;
        if (vs.size() == 1) {
            return vs.get(0);
        }
        return new Join(a).makeNode(vs).output();
    }

    /** Theano's join(axis, *tensors). */
    public static Variable join(int axis, Object... tensors) { return concatenate(Arrays.asList(tensors), axis); }

    /** numpy.stack: joins along a new axis. */
    public static Variable stack(List<?> tensors, int axis) {
        List<Object> parts = new ArrayList<>();
        int ndim = -1;
        for (Object o : tensors) {
            Variable v = asTensorVariable(o);
            if (ndim >= 0 && v.ndim() != ndim) {
                throw TslException.valueError("all input arrays must have the same shape, got " + v.type());
            }
            ndim = v.ndim();
            int a = axis < 0 ? axis + v.ndim() + 1 : axis;
            if (a < 0 || a > v.ndim()) {
                throw TslException.valueError("stack: axis " + axis + " is out of bounds for arrays of dimension " + (v.ndim() + 1));
            }
            int[] pattern = new int[v.ndim() + 1];
            for (int d = 0, j = 0; d < pattern.length; d++) {
                pattern[d] = d == a ? DimShuffle.NEW_AXIS : j++;
            }
            parts.add(dimshuffle(v, pattern));
        }
        if (parts.isEmpty()) {
            throw TslException.valueError("need at least one array to stack");
        }
        int a = axis < 0 ? axis + ndim + 1 : axis;
        return parts.size() == 1 ? (Variable) parts.get(0) : concatenate(parts, a);
    }

    public static Variable stack(List<?> tensors) { return stack(tensors, 0); }

    /** Theano's split(x, splits_size, n_splits, axis): consecutive pieces of the given lengths. */
    public static List<Variable> split(Object x, Object splits, int nSplits, int axis) {
        Variable v = asTensorVariable(x);
        int a = axis < 0 ? axis + v.ndim() : axis;
        Variable sizes = splits instanceof int[] ia ? constant(intArray(ia)) : cast(asTensorVariable(splits), DType.INT64);
        List<Variable> pieces = new ArrayList<>();
        Object start = 0L;
        for (int i = 0; i < nSplits; i++) {
            Object stop = sizes instanceof Constant c ? (Object) (((Long) start) + c.value().getLong(i)) : add(start, subtensor(sizes, i));
            if (!(sizes instanceof Constant)) {
                stop = cast(stop, DType.INT64);
            }
            Object[] idx = new Object[a + 1];
            for (int d = 0; d < a; d++) {
                idx[d] = slice(null, null, null);
            }
            idx[a] = slice(start, stop);
            pieces.add(subtensor(v, idx));
            start = stop;
        }
        return pieces;
    }

    /** numpy.repeat(x, repeats, axis); repeats is an integer or an integer vector. */
    public static Variable repeat(Object x, Object repeats, int axis) {
        Variable v = asTensorVariable(x);
        int a = axis < 0 ? axis + v.ndim() : axis;
        Variable r = repeats instanceof int[] ia ? constant(intArray(ia)) : asTensorVariable(repeats);
        return new Repeat(a).makeNode(List.of(v, r)).output();
    }

    /** numpy.repeat(x, repeats) with no axis: repeats the flattened x. */
    public static Variable repeat(Object x, Object repeats) { return repeat(flatten(x), repeats, 0); }

    /** numpy.tile with static repetition counts, built from alloc and reshape so that it differentiates. */
    public static Variable tile(Object x, int... reps) {
        Variable v = asTensorVariable(x);
        int n = Math.max(v.ndim(), reps.length);
        int[] r = new int[n];
        Arrays.fill(r, 1);
        System.arraycopy(reps, 0, r, n - reps.length, reps.length);
        Variable padded = v;
        if (v.ndim() < n) {
            int[] pad = new int[n];
            for (int d = 0; d < n; d++) {
                pad[d] = d < n - v.ndim() ? DimShuffle.NEW_AXIS : d - (n - v.ndim());
            }
            padded = dimshuffle(v, pad);
        }
        // (d0, d1, ...) -> (r0, d0, r1, d1, ...) by broadcasting, then merge each pair
        int[] interleave = new int[2 * n];
        List<Object> allocShape = new ArrayList<>();
        List<Object> finalShape = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            interleave[2 * d] = DimShuffle.NEW_AXIS;
            interleave[2 * d + 1] = d;
            allocShape.add((long) r[d]);
            allocShape.add(shapeI(padded, d));
            finalShape.add(mul(shapeI(padded, d), constant((long) r[d], DType.INT64)));
        }
        Variable big = alloc(dimshuffle(padded, interleave), allocShape.toArray());
        return reshape(big, stackScalars(finalShape, DType.INT64), n);
    }

    /** numpy.arange(start, stop, step); with no dtype, Theano's choice: int64 for integer arguments, else floatX. */
    public static Variable arange(Object start, Object stop, Object step, DType dtype) {
        Variable a = asTensorVariable(start);
        Variable b = asTensorVariable(stop);
        Variable c = asTensorVariable(step);
        DType d = dtype;
        if (d == null) {
            DType p = DType.promote(DType.promote(a.dtype(), b.dtype()), c.dtype());
            d = p.isFloat() ? tsl.compile.Config.floatX() : DType.INT64;
        }
        return new ARange(d).makeNode(List.of(a, b, c)).output();
    }

    public static Variable arange(Object stop, DType dtype) { return arange(0, stop, 1, dtype); }
    public static Variable arange(Object stop) { return arange(0, stop, 1, null); }
    public static Variable arange(Object start, Object stop) { return arange(start, stop, 1, null); }

    /** Theano's alloc(value, *shape): value broadcast to a new array of that shape. */
    public static Variable alloc(Object value, Object... shape) {
        List<Variable> in = new ArrayList<>();
        in.add(asTensorVariable(value));
        for (Object o : shape) {
            Variable d = asTensorVariable(o);
            if (d instanceof Constant c && c.dtype().isInteger()) {
                d = constant(c.value(), DType.INT64); // stays a Constant, so the static shape is known
            }
            in.add(d.dtype() == DType.INT64 ? d : cast(d, DType.INT64));
        }
        return new Alloc().makeNode(in).output();
    }

    public static Variable zeros(Object[] shape, DType dtype) { return alloc(constant(0, dtype), shape); }
    public static Variable ones(Object[] shape, DType dtype) { return alloc(constant(1, dtype), shape); }
    public static Variable zeros(int[] shape, DType dtype) { return zeros(Arrays.stream(shape).boxed().toArray(), dtype); }
    public static Variable ones(int[] shape, DType dtype) { return ones(Arrays.stream(shape).boxed().toArray(), dtype); }

    /** Theano's fill(model, value): value broadcast to model's shape. */
    public static Variable fill(Object model, Object value) { return second(model, value); }

    /** numpy.eye(n, m, k, dtype). */
    public static Variable eye(Object n, Object m, Object k, DType dtype) {
        Variable vn = asTensorVariable(n);
        Variable vm = m == null ? vn : asTensorVariable(m);
        return new Eye(dtype).makeNode(List.of(vn, vm, asTensorVariable(k == null ? 0 : k))).output();
    }

    public static Variable eye(Object n, DType dtype) { return eye(n, null, 0, dtype); }

    /** Theano's identity_like: an eye with x's (2-d) shape and dtype. */
    public static Variable identityLike(Object x) {
        Variable v = asTensorVariable(x);
        return eye(shapeI(v, 0), shapeI(v, 1), 0, v.dtype());
    }

    /** numpy.sort along axis (-1 by default); null flattens first. */
    public static Variable sort(Object x, Integer axis) {
        Variable v = asTensorVariable(x);
        if (axis == null) {
            return sort(flatten(v), 0);
        }
        return new Sort(axis < 0 ? axis + v.ndim() : axis, false).makeNode(List.of(v)).output();
    }

    public static Variable sort(Object x) { return sort(x, -1); }

    public static Variable argsort(Object x, Integer axis) {
        Variable v = asTensorVariable(x);
        if (axis == null) {
            return argsort(flatten(v), 0);
        }
        return new Sort(axis < 0 ? axis + v.ndim() : axis, true).makeNode(List.of(v)).output();
    }

    public static Variable argsort(Object x) { return argsort(x, -1); }

    /**
     * Index entries for {@link #subtensor} that pick, along {@code axis}, the positions in
     * {@code indices} (same shape as x) and keep every other axis (numpy.take_along_axis).
     */
    public static Object[] alongAxisIndex(Variable x, Variable indices, int axis) {
        int n = x.ndim();
        Object[] idx = new Object[n];
        for (int d = 0; d < n; d++) {
            if (d == axis) {
                idx[d] = indices;
                continue;
            }
            int[] pattern = new int[n];
            Arrays.fill(pattern, DimShuffle.NEW_AXIS);
            pattern[d] = 0;
            idx[d] = dimshuffle(arange(shapeI(x, d), DType.INT64), pattern);
        }
        return idx;
    }

    /** numpy.cumsum along axis; null flattens first. */
    public static Variable cumsum(Object x, Integer axis) { return cum(x, axis, false); }
    public static Variable cumprod(Object x, Integer axis) { return cum(x, axis, true); }
    public static Variable cumsum(Object x) { return cumsum(x, null); }
    public static Variable cumprod(Object x) { return cumprod(x, null); }

    private static Variable cum(Object x, Integer axis, boolean product) {
        Variable v = asTensorVariable(x);
        if (axis == null) {
            v = flatten(v);
            axis = 0;
        }
        if (axis < -v.ndim() || axis >= v.ndim()) {
            // checked here so that the message shows the axis the user gave, not its normalized form
            throw TslException.valueError((product ? "cumprod" : "cumsum") + ": axis " + axis + " is out of bounds for " + v.type());
        }
        return new CumOp(axis < 0 ? axis + v.ndim() : axis, product, false).makeNode(List.of(v)).output();
    }

    /** numpy.diff(x, n, axis): the n-th forward difference along axis. */
    public static Variable diff(Object x, int n, int axis) {
        Variable v = asTensorVariable(x);
        int a = axis < 0 ? axis + v.ndim() : axis;
        if (a < 0 || a >= v.ndim()) {
            throw TslException.valueError("diff: axis " + axis + " is out of bounds for " + v.type());
        }
        for (int k = 0; k < n; k++) {
            Object[] hi = new Object[a + 1];
            Object[] lo = new Object[a + 1];
            for (int d = 0; d < a; d++) {
                hi[d] = slice(null, null, null);
                lo[d] = slice(null, null, null);
            }
            hi[a] = slice(1, null);
            lo[a] = slice(null, -1);
            Variable h = subtensor(v, hi);
            Variable l = subtensor(v, lo);
            v = v.dtype().isBool() ? neq(h, l) : sub(h, l);
        }
        return v;
    }

    public static Variable diff(Object x) { return diff(x, 1, -1); }

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

    /** numpy.nonzero(x): one int64 index vector per dimension of x. */
    public static List<Variable> nonzero(Object x) {
        Variable v = asTensorVariable(x);
        Variable coords = new tsl.ops.subtensor.Nonzero().makeNode(List.of(v)).output();
        List<Variable> out = new ArrayList<>();
        for (int d = 0; d < v.ndim(); d++) {
            out.add(subtensor(coords, (long) d));
        }
        return out;
    }

    /** x[nonzero(x)]: the non-zero values of x in C order. */
    public static Variable nonzeroValues(Object x) {
        Variable v = flatten(x);
        return subtensor(v, nonzero(v).get(0));
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
        int[] norm = axes == null ? null : normalizeAxes(kind.name().toLowerCase(java.util.Locale.ROOT), axes, v.ndim());
        Variable r = new Reduce(kind, norm).makeNode(List.of(v)).output();
        if (keepdims) {
            r = expandReduced(r, ((Reduce) r.owner().op()).reducedAxes(v.ndim()));
        }
        return r;
    }

    private static int[] normalizeAxes(int[] axes, int ndim) {
        return normalizeAxes("reduction", axes, ndim);
    }

    /** Axes made non-negative; out-of-range ones raise an error that names {@code op}. */
    private static int[] normalizeAxes(String op, int[] axes, int ndim) {
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            n[i] = axes[i] < 0 ? axes[i] + ndim : axes[i];
            if (n[i] < 0 || n[i] >= ndim) {
                throw TslException.valueError(op + ": axis " + axes[i] + " is out of bounds for a tensor of dimension " + ndim);
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
        int[] norm = axes == null ? null : normalizeAxes(min ? "argmin" : "argmax", axes, v.ndim());
        Variable r = new Argmax(norm, min).makeNode(List.of(v)).output();
        if (keepdims) {
            r = expandReduced(r, new Reduce(Reduce.Kind.MAX, norm).reducedAxes(v.ndim()));
        }
        return r;
    }

    /** Variance with {@code ddof} delta degrees of freedom (numpy.var), built from means so its gradient comes for free. */
    public static Variable var(Object x, int[] axes, boolean keepdims, int ddof) {
        Variable v = asTensorVariable(x);
        int[] norm = axes == null ? null : normalizeAxes("var", axes, v.ndim());
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
        int[] norm = axes == null ? null : normalizeAxes("logsumexp", axes, v.ndim());
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

    // ------------------------------------------------------------------ nnet

    /** softmax over the last axis (Theano's nnet.softmax), computed stably. */
    public static Variable softmax(Object x) {
        return new Softmax(false).makeNode(List.of(floatInput(x))).output();
    }

    /** log(softmax(x)) over the last axis, without taking the log of an underflowed 0. */
    public static Variable logSoftmax(Object x) {
        return new Softmax(true).makeNode(List.of(floatInput(x))).output();
    }

    private static Variable floatInput(Object x) {
        Variable v = asTensorVariable(x);
        return v.dtype().isFloat() ? v : cast(v, ScalarOp.upgradeToFloat(v.dtype()));
    }

    /** The exponential linear unit: x for x > 0, alpha * (exp(x) - 1) otherwise; expm1 of min(x, 0) keeps the unused branch finite. */
    public static Variable elu(Object x, double alpha) {
        Variable v = floatInput(x);
        Variable neg = mul(floatConstant(alpha, v), expm1(minimum(v, constant(0, v.dtype()))));
        return switchOp(gt(v, constant(0)), v, neg);
    }

    public static Variable elu(Object x) { return elu(x, 1.0); }

    /**
     * -(t log o + (1 - t) log(1 - o)), elementwise. When o is sigmoid(z) this is rewritten to
     * softplus(z) - t z, which stays finite (with finite gradients) where o rounds to 0 or 1.
     */
    public static Variable binaryCrossentropy(Object output, Object target) {
        Variable o = asTensorVariable(output);
        Variable t = asTensorVariable(target);
        Apply owner = o.owner();
        if (owner != null && owner.op() instanceof Elemwise e && e.castTo() == null && e.scalar().equals(ScalarOps.SIGMOID)) {
            Variable z = owner.input(0);
            return sub(softplus(z), mul(t, z));
        }
        Variable one = constant(1, o.dtype().isFloat() ? o.dtype() : DType.INT8);
        return neg(add(mul(t, log(o)), mul(sub(one, t), log(sub(one, o)))));
    }

    /** binaryCrossentropy(sigmoid(logits), target), the stable form directly (PyTensor's sigmoid_binary_crossentropy). */
    public static Variable sigmoidBinaryCrossentropy(Object logits, Object target) {
        Variable z = asTensorVariable(logits);
        return sub(softplus(z), mul(asTensorVariable(target), z));
    }

    /**
     * Theano's categorical_crossentropy(coding_dist, true_dist) for a matrix of row
     * distributions: true_dist is a one-hot (or soft) matrix, or an integer vector of class
     * indices. When coding_dist is softmax(z), log_softmax(z) is used instead of log(softmax(z)).
     */
    public static Variable categoricalCrossentropy(Object codingDist, Object trueDist) {
        Variable p = asTensorVariable(codingDist);
        Variable t = asTensorVariable(trueDist);
        Apply owner = p.owner();
        Variable logP = owner != null && owner.op() instanceof Softmax s && !s.log() ? logSoftmax(owner.input(0)) : log(p);
        if (t.ndim() == p.ndim()) {
            return neg(sum(mul(t, logP), new int[] {p.ndim() - 1}, false));
        }
        if (p.ndim() != 2 || t.ndim() != 1 || !t.dtype().isInteger()) {
            throw TslException.typeError("categorical_crossentropy: true_dist must be a matrix like coding_dist or an integer vector of"
                    + " class indices, got " + p.type() + " and " + t.type());
        }
        return neg(subtensor(logP, arange(shapeI(p, 0), DType.INT64), t));
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

    /** Theano's batched_dot: per-batch matrix products of 3-d tensors; 2-d operands are treated as stacks of vectors. */
    public static Variable batchedDot(Object a, Object b) {
        Variable x = asTensorVariable(a);
        Variable y = asTensorVariable(b);
        if (x.ndim() < 2 || x.ndim() > 3 || y.ndim() < 2 || y.ndim() > 3) {
            throw TslException.typeError("batched_dot: inputs must be 2-d or 3-d, got " + x.type() + " and " + y.type());
        }
        Variable x3 = x.ndim() == 2 ? dimshuffle(x, 0, DimShuffle.NEW_AXIS, 1) : x;
        Variable y3 = y.ndim() == 2 ? dimshuffle(y, 0, 1, DimShuffle.NEW_AXIS) : y;
        Variable r = new BatchedDot().makeNode(List.of(x3, y3)).output();
        if (x.ndim() == 2 && y.ndim() == 2) {
            return dimshuffle(r, 0);
        }
        if (x.ndim() == 2) {
            return dimshuffle(r, 0, 2);
        }
        return y.ndim() == 2 ? dimshuffle(r, 0, 1) : r;
    }

    /** numpy.tensordot over the last {@code n} axes of a and the first {@code n} of b. */
    public static Variable tensordot(Object a, Object b, int n) {
        Variable x = asTensorVariable(a);
        int[] ax = new int[n];
        int[] bx = new int[n];
        for (int i = 0; i < n; i++) {
            ax[i] = x.ndim() - n + i;
            bx[i] = i;
        }
        return tensordot(x, b, ax, bx);
    }

    /** numpy.tensordot(a, b, (axesA, axesB)): moves the summed axes together, reshapes to matrices and uses dot. */
    public static Variable tensordot(Object a, Object b, int[] axesA, int[] axesB) {
        Variable x = asTensorVariable(a);
        Variable y = asTensorVariable(b);
        if (axesA.length != axesB.length) {
            throw TslException.valueError("tensordot: shape-mismatch for sum (" + axesA.length + " and " + axesB.length + " axes)");
        }
        int[] sa = new int[axesA.length];
        int[] sb = new int[axesB.length];
        for (int i = 0; i < axesA.length; i++) {
            sa[i] = axesA[i] < 0 ? axesA[i] + x.ndim() : axesA[i];
            sb[i] = axesB[i] < 0 ? axesB[i] + y.ndim() : axesB[i];
            if (sa[i] < 0 || sa[i] >= x.ndim() || sb[i] < 0 || sb[i] >= y.ndim()) {
                throw TslException.valueError("tensordot: axis out of range for " + x.type() + " and " + y.type());
            }
            int da = x.type().dim(sa[i]);
            int db = y.type().dim(sb[i]);
            if (da != TensorType.UNKNOWN && db != TensorType.UNKNOWN && da != db) {
                throw TslException.valueError("tensordot: shape-mismatch for sum: " + x.type() + " axis " + sa[i] + " and "
                        + y.type() + " axis " + sb[i]);
            }
        }
        List<Integer> freeA = freeAxes(x.ndim(), sa);
        List<Integer> freeB = freeAxes(y.ndim(), sb);
        int[] permA = new int[x.ndim()];
        int[] permB = new int[y.ndim()];
        int k = 0;
        for (int d : freeA) {
            permA[k++] = d;
        }
        for (int d : sa) {
            permA[k++] = d;
        }
        k = 0;
        for (int d : sb) {
            permB[k++] = d;
        }
        for (int d : freeB) {
            permB[k++] = d;
        }
        Variable xt = dimshuffle(x, permA);
        Variable yt = dimshuffle(y, permB);
        Variable summed = constant(1L, DType.INT64);
        for (int d : sa) {
            summed = mul(summed, shapeI(x, d));
        }
        Variable x2 = reshape(xt, stackScalars(List.of(-1L, summed), DType.INT64), 2);
        Variable y2 = reshape(yt, stackScalars(List.of(summed, -1L), DType.INT64), 2);
        List<Object> outShape = new ArrayList<>();
        for (int d : freeA) {
            outShape.add(shapeI(x, d));
        }
        for (int d : freeB) {
            outShape.add(shapeI(y, d));
        }
        Variable prod = dot(x2, y2);
        if (outShape.isEmpty()) {
            return reshape(prod, new int[0]);
        }
        return reshape(prod, stackScalars(outShape, DType.INT64), outShape.size());
    }

    private static List<Integer> freeAxes(int ndim, int[] summed) {
        List<Integer> free = new ArrayList<>();
        for (int d = 0; d < ndim; d++) {
            final int dd = d;
            if (Arrays.stream(summed).noneMatch(s -> s == dd)) {
                free.add(d);
            }
        }
        return free;
    }

    /**
     * numpy.matmul ({@code @}): dot for 1-d and 2-d operands, batched products when both have
     * the same rank of 3 or more (the leading dimensions must then match; broadcasting them is
     * not supported yet).
     */
    public static Variable matmul(Object a, Object b) {
        Variable x = asTensorVariable(a);
        Variable y = asTensorVariable(b);
        if (x.ndim() == 0 || y.ndim() == 0) {
            throw TslException.valueError("matmul: Input operand does not have enough dimensions (scalar operands are not allowed)");
        }
        if (x.ndim() <= 2 && y.ndim() <= 2) {
            return dot(x, y);
        }
        if (x.ndim() != y.ndim()) {
            throw TslException.notSupported("matmul of a " + x.ndim() + "-d and a " + y.ndim() + "-d tensor (batch broadcasting)");
        }
        if (x.ndim() == 3) {
            return new BatchedDot().makeNode(List.of(x, y)).output();
        }
        int n = x.ndim();
        Variable x3 = reshape(x, stackScalars(List.of(-1L, shapeI(x, n - 2), shapeI(x, n - 1)), DType.INT64), 3);
        Variable y3 = reshape(y, stackScalars(List.of(-1L, shapeI(y, n - 2), shapeI(y, n - 1)), DType.INT64), 3);
        Variable r = new BatchedDot().makeNode(List.of(x3, y3)).output();
        List<Object> outShape = new ArrayList<>();
        for (int d = 0; d < n - 2; d++) {
            outShape.add(shapeI(x, d));
        }
        outShape.add(shapeI(x, n - 2));
        outShape.add(shapeI(y, n - 1));
        return reshape(r, stackScalars(outShape, DType.INT64), n);
    }

    /** A fresh symbolic input. */
    public static Variable tensor(DType dtype, int[] shape, String name) {
        return new Variable(new TensorType(dtype, shape), name);
    }

    // ------------------------------------------------------------------ gradient-shaping identities (theano.gradient)

    /** x, with a gradient that is zero but connected (theano.gradient.zero_grad). */
    public static Variable zeroGrad(Object x) { return elemwise(ScalarOps.ZERO_GRAD, x); }

    /** x, with its gradient clipped elementwise to [lo, hi] (theano.gradient.grad_clip). */
    public static Variable gradClip(Object x, double lo, double hi) {
        if (!(hi >= lo)) {
            throw TslException.valueError("grad_clip: `clip_upper_bound` should be >= `clip_lower_bound`, got " + lo + " and " + hi);
        }
        Variable v = asTensorVariable(x);
        DType d = v.dtype().isFloat() ? v.dtype() : tsl.compile.Config.floatX();
        return elemwise(ScalarOps.GRAD_CLIP, v, constant(lo, d), constant(hi, d));
    }

    /** x, with its gradient multiplied by {@code multiplier} (theano.gradient.grad_scale). */
    public static Variable gradScale(Object x, Object multiplier) {
        Variable v = asTensorVariable(x);
        Variable m = asTensorVariable(multiplier);
        if (m.ndim() != 0) {
            throw TslException.typeError("grad_scale: the multiplier must be a scalar, got " + m.type());
        }
        return elemwise(ScalarOps.GRAD_SCALE, v, v.dtype().isFloat() ? cast(m, v.dtype()) : m);
    }
}
