package tsl.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph a compiled function computes: a private copy of the user's graph between the
 * given inputs and outputs (so rewrites never touch the user's variables), with client
 * lists for rewriting. Shared variables and constants are kept as they are; other free
 * variables must be inputs.
 */
public final class FunctionGraph {
    private final List<Variable> inputs;
    private final List<Variable> outputs;
    private final Map<Variable, List<Client>> clients = new IdentityHashMap<>();
    private final Set<Apply> nodes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private Listener listener;

    /** A use of a variable: input {@code index} of {@code node}, or output {@code index} of the graph when node is null. */
    public record Client(Apply node, int index) {}

    private FunctionGraph(List<Variable> inputs, List<Variable> outputs) {
        this.inputs = inputs;
        this.outputs = new ArrayList<>(outputs);
        rebuildClients();
    }

    /**
     * Copies the graph from {@code inputs} to {@code outputs}, substituting {@code givens}
     * (variable → replacement) on the way.
     */
    public static FunctionGraph clone(List<Variable> inputs, List<Variable> outputs, Map<Variable, Variable> givens) {
        Map<Variable, Variable> memo = new IdentityHashMap<>();
        for (Variable in : inputs) {
            memo.put(in, in);
        }
        // givens: the replacement's graph is itself cloned
        Map<Variable, Variable> subst = new IdentityHashMap<>(givens);
        List<Variable> outs = new ArrayList<>();
        for (Variable o : outputs) {
            outs.add(cloneVar(o, memo, subst));
        }
        return new FunctionGraph(List.copyOf(inputs), outs);
    }

    private static Variable cloneVar(Variable root, Map<Variable, Variable> memo, Map<Variable, Variable> subst) {
        // iterative post-order, so deep graphs do not overflow the Java stack
        Deque<Variable> stack = new ArrayDeque<>();
        Set<Variable> substituting = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        stack.push(root);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            if (memo.containsKey(v)) {
                stack.pop();
                continue;
            }
            Variable s = subst.get(v);
            if (s != null && s != v) {
                if (memo.containsKey(s)) {
                    memo.put(v, memo.get(s));
                    stack.pop();
                    continue;
                }
                if (substituting.add(v)) {
                    stack.push(s);
                    continue;
                }
                // a replacement that mentions v itself sees the original v
            }
            Apply owner = v.owner();
            if (owner == null) {
                memo.put(v, v); // input, shared variable or constant
                stack.pop();
                continue;
            }
            boolean ready = true;
            for (Variable in : owner.inputs()) {
                if (!memo.containsKey(in)) {
                    stack.push(in);
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                List<Variable> newInputs = new ArrayList<>();
                for (Variable in : owner.inputs()) {
                    newInputs.add(memo.get(in));
                }
                Apply copy = new Apply(owner.op(), newInputs, types(owner.outputs()), owner.location());
                for (int i = 0; i < owner.outputs().size(); i++) {
                    Variable src = owner.outputs().get(i);
                    Variable dst = copy.outputs().get(i);
                    dst.setName(src.name());
                    memo.put(src, dst);
                }
            }
        }
        return memo.get(root);
    }

    private static List<TensorType> types(List<Variable> vs) {
        List<TensorType> t = new ArrayList<>(vs.size());
        for (Variable v : vs) {
            t.add(v.type());
        }
        return t;
    }

    public List<Variable> inputs() { return inputs; }
    public List<Variable> outputs() { return outputs; }

    public List<Client> clients(Variable v) {
        return clients.getOrDefault(v, List.of());
    }

    /** Apply nodes in an order where every node comes after the nodes it depends on. */
    public List<Apply> toposort() {
        List<Apply> order = new ArrayList<>();
        Set<Apply> done = new HashSet<>();
        Set<Apply> visiting = new HashSet<>();
        Deque<Apply> stack = new ArrayDeque<>();
        for (Variable out : outputs) {
            if (out.owner() != null) {
                stack.push(out.owner());
            }
            while (!stack.isEmpty()) {
                Apply a = stack.peek();
                if (done.contains(a)) {
                    stack.pop();
                    continue;
                }
                boolean ready = true;
                if (visiting.add(a)) {
                    for (Variable in : a.inputs()) {
                        Apply o = in.owner();
                        if (o != null && !done.contains(o)) {
                            stack.push(o);
                            ready = false;
                        }
                    }
                }
                if (ready) {
                    stack.pop();
                    done.add(a);
                    order.add(a);
                }
            }
        }
        return order;
    }

    /** Every variable the outputs depend on that no node computes: inputs, shared variables, constants and stray free variables. */
    public Set<Variable> freeVariables() {
        Set<Variable> free = new LinkedHashSet<>();
        for (Apply a : toposort()) {
            for (Variable in : a.inputs()) {
                if (in.owner() == null) {
                    free.add(in);
                }
            }
        }
        for (Variable o : outputs) {
            if (o.owner() == null) {
                free.add(o);
            }
        }
        return free;
    }

    /**
     * Makes every use of {@code old} a use of {@code replacement} (types must be compatible).
     * Client lists are kept up to date incrementally: nodes of the replacement's graph that
     * are new to this graph are imported, and nodes nothing uses any more are pruned, so a
     * rewrite costs time proportional to what it touches, not to the size of the graph.
     */
    public void replace(Variable old, Variable replacement) {
        if (old == replacement) {
            return;
        }
        importVariable(replacement);
        List<Client> uses = clients.remove(old);
        if (uses == null) {
            return;
        }
        List<Client> target = clients.computeIfAbsent(replacement, k -> new ArrayList<>());
        for (Client c : uses) {
            if (c.node() == null) {
                outputs.set(c.index(), replacement);
            } else {
                c.node().setInput(c.index(), replacement);
                if (listener != null) {
                    listener.onChangeInput(c.node(), c.index(), old, replacement);
                }
            }
            target.add(c);
        }
        pruneIfUnused(old);
    }

    /** Makes output {@code i} of the graph {@code v}, leaving other uses of the old output alone. */
    public void replaceOutput(int i, Variable v) {
        Variable old = outputs.get(i);
        if (old == v) {
            return;
        }
        importVariable(v);
        outputs.set(i, v);
        List<Client> cs = clients.get(old);
        if (cs != null) {
            cs.remove(new Client(null, i));
            if (cs.isEmpty()) {
                clients.remove(old);
            }
        }
        clients.computeIfAbsent(v, k -> new ArrayList<>()).add(new Client(null, i));
        pruneIfUnused(old);
    }

    /** Observes a graph being rewritten: the equilibrium driver uses it to keep its worklist. */
    public interface Listener {
        default void onImport(Apply node) { }
        default void onPrune(Apply node) { }
        default void onChangeInput(Apply node, int index, Variable old, Variable replacement) { }
    }

    public void setListener(Listener l) { this.listener = l; }

    /** Whether {@code node} is currently part of this graph. */
    public boolean contains(Apply node) {
        return nodes.contains(node);
    }

    /** The nodes of the graph, in no particular order (a copy). */
    public List<Apply> nodes() {
        return new ArrayList<>(nodes);
    }

    /** Adds the nodes computing {@code v} that are not in the graph yet, inputs before users. */
    private void importVariable(Variable v) {
        Deque<Apply> stack = new ArrayDeque<>();
        if (v.owner() != null && !nodes.contains(v.owner())) {
            stack.push(v.owner());
        }
        Set<Apply> expanded = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (!stack.isEmpty()) {
            Apply a = stack.peek();
            if (nodes.contains(a)) {
                stack.pop();
                continue;
            }
            if (expanded.add(a)) {
                for (Variable in : a.inputs()) {
                    if (in.owner() != null && !nodes.contains(in.owner())) {
                        stack.push(in.owner());
                    }
                }
                continue;
            }
            stack.pop();
            nodes.add(a);
            for (int i = 0; i < a.inputs().size(); i++) {
                clients.computeIfAbsent(a.inputs().get(i), k -> new ArrayList<>()).add(new Client(a, i));
            }
            if (listener != null) {
                listener.onImport(a);
            }
        }
    }

    /** Removes the node computing {@code v} (and, transitively, its inputs' nodes) once no output of it is used. */
    private void pruneIfUnused(Variable start) {
        Deque<Variable> work = new ArrayDeque<>();
        work.push(start);
        while (!work.isEmpty()) {
            Variable v = work.pop();
            Apply a = v.owner();
            if (a == null || !nodes.contains(a)) {
                continue;
            }
            boolean used = false;
            for (Variable o : a.outputs()) {
                List<Client> cs = clients.get(o);
                if (cs != null && !cs.isEmpty()) {
                    used = true;
                    break;
                }
            }
            if (used) {
                continue;
            }
            nodes.remove(a);
            for (Variable o : a.outputs()) {
                clients.remove(o);
            }
            for (int i = 0; i < a.inputs().size(); i++) {
                Variable in = a.inputs().get(i);
                List<Client> cs = clients.get(in);
                if (cs != null) {
                    cs.remove(new Client(a, i));
                    if (cs.isEmpty()) {
                        clients.remove(in);
                    }
                }
                work.push(in);
            }
            if (listener != null) {
                listener.onPrune(a);
            }
        }
    }

    private void rebuildClients() {
        clients.clear();
        nodes.clear();
        for (Apply a : toposort()) {
            nodes.add(a);
            for (int i = 0; i < a.inputs().size(); i++) {
                clients.computeIfAbsent(a.inputs().get(i), k -> new ArrayList<>()).add(new Client(a, i));
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            clients.computeIfAbsent(outputs.get(i), k -> new ArrayList<>()).add(new Client(null, i));
        }
    }

    /** Number of apply nodes, for tests and profiles. */
    public int size() {
        return nodes.size();
    }
}
