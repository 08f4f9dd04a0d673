package tsl.ops.control;

import tsl.graph.Constant;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/** Theano's typing rule for values that must agree across branches (ifelse) or steps (scan states). */
final class BranchTypes {
    private BranchTypes() {}

    /**
     * {@code other} made to stand beside {@code model}: the same variable when dtype and rank
     * agree; a constant converted to model's dtype when that loses nothing (so a literal
     * {@code 0} may face a float tensor); otherwise a TypeError as Theano raises it.
     */
    static Variable unify(Variable model, Variable other) {
        if (model.dtype() == other.dtype() && model.ndim() == other.ndim()) {
            return other;
        }
        if (other instanceof Constant c && model.ndim() == other.ndim()) {
            NDArray converted = c.value().astype(model.dtype());
            if (converted.astype(c.dtype()).sameAs(c.value())) {
                return new Constant(new TensorType(model.dtype(), c.type().shape()), converted, c.name());
            }
        }
        throw TslException.typeError("The two branches should have identical types, but they are " + model.type() + " and "
                + other.type() + " respectively. This error could be raised if for example you provided a one element list on"
                + " the `then` branch but a tensor on the `else` branch.");
    }

    /** The most specific type both may have: a static length kept only where both agree. */
    static TensorType join(TensorType a, TensorType b) {
        int[] s = a.shape();
        for (int i = 0; i < s.length; i++) {
            if (s[i] != b.dim(i)) {
                s[i] = TensorType.UNKNOWN;
            }
        }
        return a.withShape(s);
    }
}
