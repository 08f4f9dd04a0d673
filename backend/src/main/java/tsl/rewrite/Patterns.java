package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.T;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.shape.DimShuffle;
import tsl.tensor.NDArray;

/** Small pattern-matching helpers shared by the rewrites. */
final class Patterns {
    private Patterns() {}

    /** The node computing {@code v} if it is a plain (non-cast) Elemwise of {@code op}, else null. */
    static Apply elemwise(Variable v, ScalarOp op) {
        Apply a = v.owner();
        if (a != null && a.op() instanceof Elemwise e && e.castTo() == null && e.scalar().equals(op)) {
            return a;
        }
        return null;
    }

    static boolean isElemwise(Apply node, ScalarOp op) {
        return node.op() instanceof Elemwise e && e.castTo() == null && e.scalar().equals(op);
    }

    /**
     * The value of {@code v} if it is a constant (possibly behind DimShuffles that only add
     * broadcastable axes) whose elements are all equal, else null.
     */
    static Double scalarConstant(Variable v) {
        Variable x = v;
        while (x.owner() != null && x.owner().op() instanceof DimShuffle) {
            x = x.owner().input(0);
        }
        if (!(x instanceof Constant c)) {
            return null;
        }
        NDArray a = c.value();
        if (a.size() == 0) {
            return null;
        }
        double first = a.getDouble(0);
        for (long i = 1; i < a.size(); i++) {
            double d = a.getDouble(i);
            if (Double.doubleToLongBits(d) != Double.doubleToLongBits(first)) {
                return null;
            }
        }
        return first;
    }

    static boolean isConstant(Variable v, double value) {
        Double d = scalarConstant(v);
        return d != null && d == value;
    }

    /** Whether every dimension of v is statically 1 (a scalar broadcast to any shape). */
    static boolean scalarLike(Variable v) {
        for (int d = 0; d < v.ndim(); d++) {
            if (v.type().dim(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code r} made to stand for {@code old}: cast to old's dtype if needed; null when the
     * static shapes differ (then r might broadcast differently at run time).
     */
    static Variable fit(Variable r, Variable old) {
        if (r.ndim() != old.ndim()) {
            return null;
        }
        TensorType a = r.type();
        TensorType b = old.type();
        for (int d = 0; d < a.ndim(); d++) {
            if (a.dim(d) != b.dim(d)) {
                return null;
            }
        }
        return r.dtype() == old.dtype() ? r : T.cast(r, old.dtype());
    }

    /** {@code fit} as the single replacement of a one-output node, or null. */
    static List<Variable> one(Variable r, Apply node) {
        if (r == null) {
            return null;
        }
        Variable f = fit(r, node.output());
        return f == null ? null : List.of(f);
    }

    /** Whether the only use of {@code v} is by a node (not a graph output), and by one node only. */
    static boolean singleClient(FunctionGraph g, Variable v) {
        List<FunctionGraph.Client> cs = g.clients(v);
        return cs.size() == 1 && cs.get(0).node() != null;
    }

    /**
     * {@code r} standing for the output of {@code node} once the operands {@code dropped} are
     * gone: safe when the dropped operands cannot have widened the shape (all their dims are
     * statically 1) or when r's static shape is fully known and equal to the output's.
     */
    static List<Variable> oneReplacing(Variable r, Apply node, Variable... dropped) {
        boolean safe = true;
        for (Variable d : dropped) {
            safe &= scalarLike(d);
        }
        if (!safe) {
            Variable out = node.output();
            if (r.ndim() != out.ndim()) {
                return null;
            }
            for (int d = 0; d < r.ndim(); d++) {
                if (r.type().dim(d) == TensorType.UNKNOWN || r.type().dim(d) != out.type().dim(d)) {
                    return null;
                }
            }
        }
        return one(r, node);
    }
}
