package tsl.grad;

import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.ops.shape.DimShuffle;

/**
 * Gradients of forward patterns whose op-by-op gradient overflows although the value does not.
 * The logistic written out, 1 / (1 + exp(-x)), differentiates op by op into
 * exp(-x) / (1 + exp(-x))^2, which is inf / inf = NaN for x below about -710; Theano's
 * optimizer rewrites the pattern into sigmoid first. Here the gradient pass recognises it and
 * uses the sigmoid's own gradient instead.
 */
final class StableGrads {
    private StableGrads() {}

    /**
     * If {@code node} computes 1 / (1 + exp(-x)) through variables none of which is in
     * {@code stop}, that x; else null.
     */
    static Variable logisticInput(Apply node, Set<Variable> stop) {
        if (!isScalar(node, ScalarOps.TRUE_DIV) || !isOne(node.input(0))) {
            return null;
        }
        Variable u = node.input(1);
        if (stop.contains(u) || u.owner() == null || !isScalar(u.owner(), ScalarOps.ADD)) {
            return null;
        }
        Apply add = u.owner();
        Variable e = isOne(add.input(0)) ? add.input(1) : (isOne(add.input(1)) ? add.input(0) : null);
        if (e == null || stop.contains(e) || e.owner() == null || !isScalar(e.owner(), ScalarOps.EXP)) {
            return null;
        }
        Variable negX = e.owner().input(0);
        if (stop.contains(negX) || negX.owner() == null || !isScalar(negX.owner(), ScalarOps.NEG)) {
            return null;
        }
        Variable x = negX.owner().input(0);
        return x.dtype().isFloat() ? x : null;
    }

    static Variable sigmoidSlope(Variable x) {
        return ScalarOps.sigmoidSlope(x);
    }

    private static boolean isScalar(Apply a, ScalarOp op) {
        return a.op() instanceof Elemwise el && el.castTo() == null && el.scalar().equals(op);
    }

    private static boolean isOne(Variable v) {
        Variable c = v;
        while (c.owner() != null && c.owner().op() instanceof DimShuffle) {
            c = c.owner().input(0);
        }
        return c instanceof Constant k && k.value().size() == 1 && k.value().getDouble(0) == 1.0;
    }
}
