package tsl.language.builtins;

import java.util.ArrayList;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
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
        return JvmLinker.perform(node, inputs);
    }

    public static NDArray run1(Op op, NDArray... inputs) {
        return run(op, inputs)[0];
    }
}
