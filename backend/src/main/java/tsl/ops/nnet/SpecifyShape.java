package tsl.ops.nnet;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;
import tsl.tensor.Shapes;

/**
 * Theano's SpecifyShape, as conv2d's {@code input_shape} / {@code filter_shape} hints use it:
 * passes its input through with the hinted lengths in its static type, and checks them when
 * it runs so that a wrong hint is an error rather than a wrong static shape.
 */
public record SpecifyShape(List<Integer> shape, String message) implements Op {
    /** {@code message} leads the runtime error, e.g. Theano's "AbstractConv shape mismatch: ...". */
    public SpecifyShape(int[] shape, String message) {
        this(java.util.Arrays.stream(shape).boxed().toList(), message);
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        Variable x = inputs.get(0);
        if (x.ndim() != shape.size()) {
            throw TslException.valueError("specify_shape: expected " + shape.size() + " dimensions, got " + x.type());
        }
        int[] s = x.type().shape();
        for (int i = 0; i < s.length; i++) {
            int h = shape.get(i);
            if (h >= 0 && s[i] >= 0 && h != s[i]) {
                throw TslException.valueError("specify_shape: " + x.type() + " cannot have shape " + ConvGeometry.shape(hint()));
            }
            if (h >= 0) {
                s[i] = h;
            }
        }
        return new Apply(this, inputs, List.of(new TensorType(x.dtype(), s)));
    }

    private int[] hint() {
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The promised shape as the error message writes it, {@code (?, 3)}. */
    public String expectedShape() {
        return ConvGeometry.shape(hint());
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        if (!node.output().type().fitsShape(in[0].shape())) {
            throw TslException.valueError(message + ": got an array of shape " + Shapes.format(in[0].shape()) + ", expected "
                    + ConvGeometry.shape(hint()));
        }
        return new NDArray[] {in[0]};
    }

    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        return java.util.Arrays.asList(outputGrads.get(0));
    }

    @Override
    public String toString() {
        return "SpecifyShape" + ConvGeometry.shape(hint());
    }
}
