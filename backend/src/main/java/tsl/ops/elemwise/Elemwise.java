package tsl.ops.elemwise;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.tensor.DType;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * A {@link ScalarOp} applied elementwise with broadcasting. Inputs have the same number of
 * dimensions ({@link T} inserts DimShuffles for lower-rank inputs, as Theano does); a
 * dimension broadcasts when its static length is 1. {@code castTo}, when set, fixes the
 * output dtype (this is how casts are expressed).
 */
public record Elemwise(ScalarOp scalar, DType castTo, int inplace) implements Op {

    public Elemwise(ScalarOp scalar) {
        this(scalar, null);
    }

    public Elemwise(ScalarOp scalar, DType castTo) {
        this(scalar, castTo, -1);
    }

    /** The same op writing its output into input {@code i} (Theano's inplace_pattern {0: i}); -1: allocate. */
    public Elemwise withInplace(int i) {
        return new Elemwise(scalar, castTo, i);
    }

    @Override
    public java.util.Map<Integer, Integer> destroyMap() {
        return inplace < 0 ? java.util.Map.of() : java.util.Map.of(0, inplace);
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != scalar.nin()) {
            throw TslException.typeError(this + " takes " + scalar.nin() + " inputs, got " + inputs.size());
        }
        int ndim = inputs.get(0).ndim();
        DType[] dtypes = new DType[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Variable v = inputs.get(i);
            if (v.ndim() != ndim) {
                throw TslException.typeError(this + ": inputs must have the same number of dimensions, got "
                        + describe(inputs));
            }
            dtypes[i] = v.dtype();
        }
        if (scalar.equals(ScalarOps.INVERT) && dtypes.length == 1 && dtypes[0].isBool()) {
            // ~ on bool is logical not in NumPy and Theano, not the bitwise not of the byte
            return new Elemwise(ScalarOps.LOGICAL_NOT, castTo).makeNode(inputs);
        }
        if (scalar.outputRule() == ScalarOp.OutputRule.INTEGER) {
            for (DType d : dtypes) {
                if (d.isFloat()) {
                    throw TslException.typeError(this + " is not defined for floating-point inputs, got " + describe(inputs));
                }
            }
        }
        int[] shape = new int[ndim];
        for (int ax = 0; ax < ndim; ax++) {
            int len = 1;
            boolean unknown = false;
            for (Variable v : inputs) {
                int d = v.type().dim(ax);
                if (d == TensorType.UNKNOWN) {
                    unknown = true;
                } else if (d != 1) {
                    if (len != 1 && len != d) {
                        throw TslException.valueError("Incompatible Elemwise input shapes for " + this + ": "
                                + describe(inputs) + " differ in dimension " + ax + " (" + len + " vs " + d + ")");
                    }
                    len = d;
                }
            }
            shape[ax] = len != 1 ? len : (unknown ? TensorType.UNKNOWN : 1);
        }
        DType out = castTo != null ? castTo : scalar.outputDtype(dtypes);
        return new Apply(this, inputs, List.of(new TensorType(out, shape)));
    }

    private static String describe(List<Variable> inputs) {
        List<String> s = new ArrayList<>();
        for (Variable v : inputs) {
            s.add(v.type().toString());
        }
        return String.join(", ", s);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        int[] shape = in[0].shape();
        for (int i = 1; i < in.length; i++) {
            if (in[i].ndim() != shape.length) {
                throw TslException.valueError(this + ": input " + i + " has " + in[i].ndim() + " dimensions, expected " + shape.length);
            }
            try {
                shape = Shapes.broadcast(shape, in[i].shape());
            } catch (IllegalArgumentException e) {
                throw TslException.valueError("Input dimension mismatch in " + this + ": shapes " + shapesOf(in)
                        + " cannot be broadcast together");
            }
        }
        for (int i = 0; i < in.length; i++) {
            // a dimension declared broadcastable (length 1) must have length 1 at run time
            if (!node.input(i).type().fitsShape(in[i].shape())) {
                throw TslException.valueError(this + ": input " + i + " of shape " + Shapes.format(in[i].shape())
                        + " does not match its type " + node.input(i).type());
            }
        }
        DType outType = node.output().dtype();
        NDArray out = reusable(inplace, in, outType, shape) ? in[inplace] : NDArray.zeros(outType, shape);
        NDArray[] b = new NDArray[in.length];
        DType[] dtypes = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            b[i] = in[i].broadcastTo(shape);
            dtypes[i] = in[i].dtype();
        }
        long n = out.size();
        if (scalar.computesInIntegers(outType, dtypes)) {
            long[] args = new long[in.length];
            for (long k = 0; k < n; k++) {
                for (int i = 0; i < b.length; i++) {
                    args[i] = b[i].getLong(k);
                }
                out.setLong(k, scalar.integer().apply(args));
            }
        } else {
            if (scalar.real() == null) {
                throw TslException.typeError(this + " is not defined for dtypes " + java.util.Arrays.toString(dtypes));
            }
            double[] args = new double[in.length];
            for (long k = 0; k < n; k++) {
                for (int i = 0; i < b.length; i++) {
                    args[i] = b[i].getDouble(k);
                }
                out.setDouble(k, scalar.real().apply(args));
            }
        }
        return new NDArray[] {out};
    }

    /**
     * Whether input {@code i} can hold the output: same dtype and shape (an input broadcast at
     * run time cannot), and one element per index (no stride-0 broadcast view). Reading every
     * argument of an index before writing it keeps an elementwise loop correct in place.
     */
    static boolean reusable(int i, NDArray[] in, DType outType, int[] shape) {
        return i >= 0 && in[i].dtype() == outType && java.util.Arrays.equals(in[i].shape(), shape) && in[i].isContiguous();
    }

    private static String shapesOf(NDArray[] in) {
        List<String> s = new ArrayList<>();
        for (NDArray a : in) {
            s.add(Shapes.format(a.shape()));
        }
        return String.join(" and ", s);
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        List<Variable> x = node.inputs();
        List<Variable> raw = scalar.grad().grad(x, node.output(), gz);
        List<Variable> result = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            Variable g = raw.get(i);
            Variable xi = x.get(i);
            if (g instanceof tsl.grad.NullGradient) {
                result.add(g);
                continue;
            }
            if (g == null || xi.dtype().isDiscrete()) {
                result.add(null);
                continue;
            }
            result.add(T.sumToShapeOf(g, xi));
        }
        return result;
    }

    @Override
    public String toString() {
        // only the identity with a dtype is a cast; fill and fused composites also fix their dtype
        return castTo != null && scalar.equals(ScalarOps.IDENTITY) ? "Cast{" + castTo + "}" : "Elemwise{" + scalar.name() + "}";
    }

    @Override
    public boolean gradConnected(tsl.graph.Apply node, int i) {
        return !scalar.equals(ScalarOps.DISCONNECTED_GRAD);
    }

    /** Forward mode: each scalar gradient rule is linear in its output gradient, so feeding it a tangent gives that input's term. */
    @Override
    public List<Variable> rop(Apply node, List<Variable> evalPoints) {
        Variable z = node.output();
        if (z.dtype().isDiscrete()) {
            return java.util.Collections.singletonList(null);
        }
        if (scalar.equals(ScalarOps.GRAD_CLIP) || scalar.equals(ScalarOps.GRAD_SCALE)) {
            throw TslException.notSupported("R-op of " + this); // its gradient rule is not the derivative of its value
        }
        Variable sum = null;
        for (int i = 0; i < evalPoints.size(); i++) {
            Variable t = evalPoints.get(i);
            if (t == null || node.input(i).dtype().isDiscrete()) {
                continue;
            }
            Variable g = scalar.grad().grad(node.inputs(), z, t).get(i);
            if (g instanceof tsl.grad.NullGradient) {
                throw TslException.notSupported("R-op of " + this);
            }
            if (g != null) {
                sum = sum == null ? g : T.add(sum, g);
            }
        }
        return java.util.Collections.singletonList(sum == null ? null : T.cast(T.second(z, sum), z.dtype()));
    }
}
