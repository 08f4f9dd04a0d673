package tsl.ops.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tsl.compile.Linker;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.linker.jvm.JvmLinker;
import tsl.tensor.NDArray;

/**
 * A private graph held by a control op (a branch of {@code IfElse}, the step of {@code Scan}).
 * Its inputs are fresh placeholder variables; the op feeds them from its own node's inputs, so
 * the inner graph never mentions the outer graph and cloning the outer graph (givens,
 * rewrites) cannot reach into it. It is linked once, on first use, and then run as often as
 * the op needs (once per call for a branch, once per step for a loop).
 */
public final class InnerGraph {
    private final List<Variable> inputs;
    private final FunctionGraph graph;
    private final List<Constant> constants;
    private volatile Linker.Program program;

    private InnerGraph(List<Variable> inputs, FunctionGraph graph, List<Constant> constants) {
        this.inputs = List.copyOf(inputs);
        this.graph = graph;
        this.constants = constants;
    }

    /** What {@link #capture} found: the inner graph and the outer variables that feed its extra inputs. */
    public record Capture(InnerGraph graph, List<Variable> outerInputs) {}

    /**
     * Copies the graph of {@code outputs} into a private inner graph. Each key of {@code fixed}
     * is replaced by its value, which becomes one of the first inner inputs (in map order).
     * The walk stops at every variable {@code cut} accepts and at every free variable that is
     * not a constant: each such outer variable gets a fresh placeholder input after the fixed
     * ones and is listed in {@link Capture#outerInputs} (first use first). Constants stay inside.
     */
    public static Capture capture(Map<Variable, Variable> fixed, List<Variable> outputs, Predicate<Variable> cut) {
        Map<Variable, Variable> outer = new LinkedHashMap<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        for (int i = outputs.size() - 1; i >= 0; i--) {
            stack.push(outputs.get(i));
        }
        Map<Variable, Boolean> isFixed = new IdentityHashMap<>();
        for (Variable k : fixed.keySet()) {
            isFixed.put(k, true);
        }
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (!seen.add(v) || isFixed.containsKey(v) || v instanceof Constant) {
                continue;
            }
            if (v.owner() == null || cut.test(v)) {
                outer.putIfAbsent(v, new Variable(v.type(), v.name()));
                continue;
            }
            List<Variable> ins = v.owner().inputs();
            for (int i = ins.size() - 1; i >= 0; i--) {
                stack.push(ins.get(i));
            }
        }
        List<Variable> inner = new ArrayList<>(fixed.values());
        inner.addAll(outer.values());
        Map<Variable, Variable> givens = new IdentityHashMap<>(fixed);
        givens.putAll(outer);
        FunctionGraph g = FunctionGraph.clone(inner, outputs, givens);
        return new Capture(of(inner, g), new ArrayList<>(outer.keySet()));
    }

    /** The variables in the graphs of {@code outputs} that depend on some of {@code roots} (the roots included). */
    public static Set<Variable> dependents(Set<Variable> roots, List<Variable> outputs) {
        Set<Variable> dep = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Variable> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>(outputs);
        // iterative post-order: a variable is decided once all inputs of its owner are
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            if (done.contains(v)) {
                stack.pop();
                continue;
            }
            if (roots.contains(v) || v.owner() == null) {
                if (roots.contains(v)) {
                    dep.add(v);
                }
                done.add(v);
                stack.pop();
                continue;
            }
            boolean ready = true;
            for (Variable in : v.owner().inputs()) {
                if (!done.contains(in)) {
                    stack.push(in);
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                done.add(v);
                for (Variable in : v.owner().inputs()) {
                    if (dep.contains(in)) {
                        dep.add(v);
                        break;
                    }
                }
            }
        }
        return dep;
    }

    private static InnerGraph of(List<Variable> inputs, FunctionGraph g) {
        Set<Variable> in = Collections.newSetFromMap(new IdentityHashMap<>());
        in.addAll(inputs);
        List<Constant> constants = new ArrayList<>();
        for (Variable v : g.freeVariables()) {
            if (in.contains(v)) {
                continue;
            }
            if (!(v instanceof Constant c)) {
                throw new IllegalStateException("inner graph has a free variable that is not an input: " + v);
            }
            constants.add(c);
        }
        return new InnerGraph(inputs, g, constants);
    }

    public List<Variable> inputs() { return inputs; }
    public List<Variable> outputs() { return graph.outputs(); }
    public FunctionGraph graph() { return graph; }

    /** Runs the graph on values for its inputs (in order). */
    public NDArray[] run(NDArray[] values) {
        Linker.Program p = program;
        if (p == null) {
            p = link();
        }
        if (constants.isEmpty()) {
            return p.run(values);
        }
        NDArray[] all = new NDArray[values.length + constants.size()];
        System.arraycopy(values, 0, all, 0, values.length);
        for (int i = 0; i < constants.size(); i++) {
            all[values.length + i] = constants.get(i).value();
        }
        return p.run(all);
    }

    private synchronized Linker.Program link() {
        if (program == null) {
            List<Variable> free = new ArrayList<>(inputs);
            free.addAll(constants);
            program = new JvmLinker().link(graph, free);
        }
        return program;
    }

    /**
     * A copy of this graph that {@code pass} has rewritten in place: the same inputs, the
     * outputs in the same order (a rewrite may make an output a constant or an input).
     */
    public InnerGraph rewritten(java.util.function.Consumer<FunctionGraph> pass) {
        FunctionGraph g = FunctionGraph.clone(inputs, graph.outputs(), Map.of());
        pass.accept(g);
        if (!g.inputs().equals(inputs) || g.outputs().size() != graph.outputs().size()) {
            throw new IllegalStateException("rewriting an inner graph changed its inputs or outputs");
        }
        return of(inputs, g);
    }

    /**
     * The inner outputs rebuilt over the given outer variables (one per inner input): used to
     * differentiate through the inner graph with the ordinary reverse-mode machinery.
     */
    public List<Variable> inline(List<Variable> outer) {
        if (outer.size() != inputs.size()) {
            throw new IllegalArgumentException("inline: " + outer.size() + " values for " + inputs.size() + " inputs");
        }
        Map<Variable, Variable> givens = new IdentityHashMap<>();
        for (int i = 0; i < outer.size(); i++) {
            Variable o = outer.get(i);
            if (!o.type().isCompatible(inputs.get(i).type()) && (o.dtype() != inputs.get(i).dtype() || o.ndim() != inputs.get(i).ndim())) {
                throw TslException.typeError("inner graph input " + i + " expects " + inputs.get(i).type() + ", got " + o.type());
            }
            givens.put(inputs.get(i), o);
        }
        // the outer variables are inputs of the clone, so their own graphs are shared, not copied
        return FunctionGraph.clone(outer, graph.outputs(), givens).outputs();
    }
}
