package tsl.linker.c;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * A test-only op that no C emitter knows: a copy of its input, computed in Java. Tests that
 * need a Java step between native segments use it, so that they keep testing that path
 * whatever real ops gain C code.
 */
record JavaOnlyOp() implements Op {
    static Variable of(Variable x) {
        return new JavaOnlyOp().makeNode(List.of(x)).output();
    }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        return new Apply(this, inputs, List.of(inputs.get(0).type()));
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] in) {
        return new NDArray[] {in[0].copy()};
    }

    @Override
    public String toString() {
        return "JavaOnlyOp";
    }
}
