package tsl.ops.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Op;
import tsl.graph.TensorType;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * Theano's lazy {@code ifelse(cond, then, else)}: one or more outputs, taken all from the
 * then-branch when the scalar condition is non-zero, else all from the else-branch.
 *
 * <p>Laziness lives in the op, not in a linker: each branch is an {@link InnerGraph} holding
 * everything the branch computes, and {@link #perform} runs only the taken one. The node's
 * inputs are the condition followed by the outer variables the branches read (graph inputs,
 * shared variables, and values the condition needs anyway), so no linker ever computes
 * anything for the branch that is not taken.
 */
public final class IfElse implements Op {
    private final InnerGraph thenGraph;
    private final InnerGraph elseGraph;
    private final int[] thenInputs; // node input index feeding each inner input of the then-branch
    private final int[] elseInputs;
    private final List<TensorType> outputTypes;
    private final List<TensorType> inputTypes; // expected types of node inputs 1..n
    private final String name;
    private final boolean branchesOptimized;

    private IfElse(InnerGraph thenGraph, InnerGraph elseGraph, int[] thenInputs, int[] elseInputs,
                   List<TensorType> outputTypes, List<TensorType> inputTypes, String name) {
        this(thenGraph, elseGraph, thenInputs, elseInputs, outputTypes, inputTypes, name, false);
    }

    private IfElse(InnerGraph thenGraph, InnerGraph elseGraph, int[] thenInputs, int[] elseInputs,
                   List<TensorType> outputTypes, List<TensorType> inputTypes, String name, boolean branchesOptimized) {
        this.thenGraph = thenGraph;
        this.elseGraph = elseGraph;
        this.thenInputs = thenInputs;
        this.elseInputs = elseInputs;
        this.outputTypes = List.copyOf(outputTypes);
        this.inputTypes = List.copyOf(inputTypes);
        this.name = name;
        this.branchesOptimized = branchesOptimized;
    }

    /**
     * The same choice over optimized copies of its branches (the same inputs and outputs, in
     * the same order, computing the same values); each branch still runs only when taken.
     */
    public IfElse withOptimizedBranches(InnerGraph then, InnerGraph otherwise) {
        if (then.inputs().size() != thenGraph.inputs().size() || then.outputs().size() != thenGraph.outputs().size()
                || otherwise.inputs().size() != elseGraph.inputs().size() || otherwise.outputs().size() != elseGraph.outputs().size()) {
            throw new IllegalArgumentException("withOptimizedBranches: a branch's inputs or outputs changed");
        }
        return new IfElse(then, otherwise, thenInputs, elseInputs, outputTypes, inputTypes, name, true);
    }

    /** Whether the branches' graphs have been optimized already. */
    public boolean branchesOptimized() { return branchesOptimized; }

    /**
     * Builds {@code ifelse(cond, thens, elses)}: the branches must have as many outputs and
     * pairwise the same dtype and rank; a static length known on one side only becomes unknown.
     */
    public static List<Variable> build(Variable cond, List<Variable> thens, List<Variable> elses, String name) {
        if (cond.ndim() != 0) {
            throw TslException.typeError("ifelse: the condition has to be a scalar (0 standing for False, anything else for"
                    + " True), got " + cond.type());
        }
        if (thens.size() != elses.size()) {
            throw TslException.valueError("ifelse: the number of values on the `then` branch (" + thens.size() + ") should be"
                    + " the same as the number of values on the `else` branch (" + elses.size() + ")");
        }
        if (thens.isEmpty()) {
            throw TslException.valueError("ifelse: the branches have no outputs");
        }
        List<Variable> elseFixed = new ArrayList<>();
        List<TensorType> outTypes = new ArrayList<>();
        for (int i = 0; i < thens.size(); i++) {
            Variable e = BranchTypes.unify(thens.get(i), elses.get(i));
            elseFixed.add(e);
            outTypes.add(BranchTypes.join(thens.get(i).type(), e.type()));
        }
        // what the condition needs is computed whatever branch is taken: the branches may share it
        Set<Variable> condAncestors = ancestors(cond);
        InnerGraph.Capture t = InnerGraph.capture(Map.of(), thens, condAncestors::contains);
        InnerGraph.Capture e = InnerGraph.capture(Map.of(), elseFixed, condAncestors::contains);
        Map<Variable, Integer> position = new LinkedHashMap<>();
        List<Variable> nodeInputs = new ArrayList<>();
        nodeInputs.add(cond);
        int[] ti = positions(t.outerInputs(), position, nodeInputs);
        int[] ei = positions(e.outerInputs(), position, nodeInputs);
        List<TensorType> inTypes = new ArrayList<>();
        for (Variable v : nodeInputs.subList(1, nodeInputs.size())) {
            inTypes.add(v.type());
        }
        IfElse op = new IfElse(t.graph(), e.graph(), ti, ei, outTypes, inTypes, name);
        return op.makeNode(nodeInputs).outputs();
    }

    private static int[] positions(List<Variable> outer, Map<Variable, Integer> position, List<Variable> nodeInputs) {
        int[] idx = new int[outer.size()];
        for (int i = 0; i < idx.length; i++) {
            Variable v = outer.get(i);
            Integer p = position.get(v);
            if (p == null) {
                p = nodeInputs.size();
                nodeInputs.add(v);
                position.put(v, p);
            }
            idx[i] = p;
        }
        return idx;
    }

    private static Set<Variable> ancestors(Variable root) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayDeque<Variable> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (seen.add(v) && v.owner() != null) {
                v.owner().inputs().forEach(stack::push);
            }
        }
        return seen;
    }

    public int nOutputs() { return outputTypes.size(); }
    public InnerGraph thenGraph() { return thenGraph; }
    public InnerGraph elseGraph() { return elseGraph; }
    /** The node input index that feeds each inner input of the then-branch. */
    public int[] thenInputs() { return thenInputs.clone(); }
    public int[] elseInputs() { return elseInputs.clone(); }

    @Override
    public Apply makeNode(List<Variable> inputs) {
        if (inputs.size() != inputTypes.size() + 1) {
            throw TslException.typeError(this + " expects " + (inputTypes.size() + 1) + " inputs, got " + inputs.size());
        }
        if (inputs.get(0).ndim() != 0) {
            throw TslException.typeError("ifelse: the condition has to be a scalar, got " + inputs.get(0).type());
        }
        for (int i = 0; i < inputTypes.size(); i++) {
            TensorType want = inputTypes.get(i);
            TensorType got = inputs.get(i + 1).type();
            if (want.dtype() != got.dtype() || want.ndim() != got.ndim()) {
                throw TslException.typeError(this + ": input " + (i + 1) + " must be " + want + ", got " + got);
            }
        }
        return new Apply(this, inputs, outputTypes);
    }

    @Override
    public NDArray[] perform(Apply node, NDArray[] inputs) {
        boolean taken = inputs[0].getDouble(0) != 0;
        int[] idx = taken ? thenInputs : elseInputs;
        NDArray[] args = new NDArray[idx.length];
        for (int i = 0; i < idx.length; i++) {
            args[i] = inputs[idx[i]];
        }
        NDArray[] out = (taken ? thenGraph : elseGraph).run(args);
        NDArray[] result = new NDArray[out.length];
        for (int i = 0; i < out.length; i++) {
            TensorType want = outputTypes.get(i);
            if (!want.fitsShape(out[i].shape())) {
                throw TslException.valueError("ifelse: the " + (taken ? "then" : "else") + " branch output " + i + " has shape "
                        + tsl.tensor.Shapes.format(out[i].shape()) + ", which does not fit " + want);
            }
            result[i] = out[i];
        }
        return result;
    }

    /**
     * Gradients flow through both branches, selected by the same condition: the gradient of an
     * input is {@code ifelse(cond, d then / d input, d else / d input)}, itself lazy. The
     * condition gets none.
     */
    @Override
    public List<Variable> grad(Apply node, List<Variable> outputGrads) {
        List<Variable> outer = node.inputs().subList(1, node.inputs().size());
        // the branches are differentiated on stand-ins for the node's inputs: one input may be computed from another
        // outside (a scan's state and its last row, say), and differentiating on the outer variables would follow that
        // outer path too, which the backward pass through this node's inputs then counts a second time
        List<Variable> standIn = new ArrayList<>(outer.size());
        Map<Variable, Variable> back = new IdentityHashMap<>();
        for (Variable v : outer) {
            Variable p = v.cloneInput();
            standIn.add(p);
            back.put(p, v);
        }
        List<Variable> thenOuts = thenGraph.inline(select(standIn, thenInputs));
        List<Variable> elseOuts = elseGraph.inline(select(standIn, elseInputs));
        List<Variable> wrt = new ArrayList<>();
        List<Integer> wrtIndex = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            if (outer.get(i).dtype().isFloat()) {
                wrt.add(standIn.get(i));
                wrtIndex.add(i + 1);
            }
        }
        List<Variable> result = new ArrayList<>(Collections.nCopies(node.inputs().size(), null));
        if (wrt.isEmpty()) {
            return result;
        }
        List<Variable> gThen = onOuter(Lop.lop(thenOuts, outputGrads, wrt), outer, outputGrads, back);
        List<Variable> gElse = onOuter(Lop.lop(elseOuts, outputGrads, wrt), outer, outputGrads, back);
        List<Variable> g = build(node.input(0), gThen, gElse, name == null ? null : "grad_" + name);
        for (int k = 0; k < wrt.size(); k++) {
            result.set(wrtIndex.get(k), g.get(k));
        }
        return result;
    }

    /** The gradient graphs with the stand-ins replaced by the node's inputs (whose own graphs, like the output gradients', are shared). */
    private static List<Variable> onOuter(List<Variable> grads, List<Variable> outer, List<Variable> outputGrads,
                                          Map<Variable, Variable> back) {
        List<Variable> keep = new ArrayList<>(outer);
        for (Variable g : outputGrads) {
            if (g != null) {
                keep.add(g);
            }
        }
        List<Variable> present = new ArrayList<>();
        for (Variable g : grads) {
            if (g != null) {
                present.add(g);
            }
        }
        List<Variable> cloned = tsl.graph.FunctionGraph.clone(keep, present, back).outputs();
        List<Variable> out = new ArrayList<>(grads.size());
        int k = 0;
        for (Variable g : grads) {
            out.add(g == null ? null : cloned.get(k++));
        }
        return out;
    }

    private static List<Variable> select(List<Variable> outer, int[] idx) {
        List<Variable> s = new ArrayList<>(idx.length);
        for (int i : idx) {
            s.add(outer.get(i - 1));
        }
        return s;
    }

    @Override
    public String toString() {
        return name == null ? "if{}" : "if{" + name + "}";
    }
}
