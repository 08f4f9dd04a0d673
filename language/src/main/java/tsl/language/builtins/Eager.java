package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * Runs a graph op immediately on arrays: the NumPy layer computes with the same op
 * implementations as compiled functions, so eager and symbolic results agree.
 */
public final class Eager {
    private Eager() {}

    public static NDArray[] run(Op op, NDArray... inputs) {
        List<Variable> vars = new ArrayList<>(inputs.length);
        for (NDArray a : inputs) {
            vars.add(new Constant(a));
        }
        Apply node = op.makeNode(vars);
        // errors keep NumPy's plain message: there is no compiled node to point at
        return node.op().perform(node, inputs);
    }

    public static NDArray run1(Op op, NDArray... inputs) {
        return run(op, inputs)[0];
    }

    /** The value of a graph built over constants only (e.g. indexing an array through the backend's Subtensor). */
    public static NDArray value(Variable v) {
        return value(v, new java.util.IdentityHashMap<>());
    }

    private static NDArray value(Variable v, java.util.Map<Variable, NDArray> memo) {
        if (v instanceof Constant c) {
            return c.value();
        }
        NDArray known = memo.get(v);
        if (known != null) {
            return known;
        }
        Apply node = v.owner();
        if (node == null) {
            throw new IllegalArgumentException("not a constant graph: " + v);
        }
        NDArray[] args = new NDArray[node.inputs().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = value(node.input(i), memo);
        }
        NDArray[] outs = node.op().perform(node, args);
        for (int i = 0; i < outs.length; i++) {
            memo.put(node.outputs().get(i), outs[i]);
        }
        return memo.get(v);
    }
}
