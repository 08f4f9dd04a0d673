package tsl.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Op;
import tsl.graph.SourceLocation;
import tsl.graph.TensorType;
import tsl.graph.Variable;

/**
 * Runs local rewrites until none applies (Theano's EquilibriumOptimizer), with a worklist:
 * every node is visited once, and afterwards only nodes that are new or whose inputs
 * changed are visited again. A rewrite never rescans the graph, so the cost is about
 * (nodes + rewrites applied) × (rewrites tried per node).
 */
public final class Equilibrium {
    private final List<Rewrite> rewrites;
    private final Map<Class<?>, List<Rewrite>> byOpClass = new HashMap<>();

    public Equilibrium(List<Rewrite> rewrites) {
        this.rewrites = List.copyOf(rewrites);
    }

    /** The rewrites to try on nodes of this op class: those tracking it (or a supertype) and those tracking every node. */
    private List<Rewrite> candidates(Op op) {
        return byOpClass.computeIfAbsent(op.getClass(), c -> {
            List<Rewrite> l = new ArrayList<>();
            for (Rewrite r : rewrites) {
                if (r.tracks() == null || r.tracks().isAssignableFrom(c)) {
                    l.add(r);
                }
            }
            return l;
        });
    }

    /** Rewrites {@code graph} in place; returns the number of replacements made. */
    public int run(FunctionGraph graph) {
        if (rewrites.isEmpty()) {
            return 0;
        }
        Deque<Apply> work = new ArrayDeque<>();
        Set<Apply> queued = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Apply a : graph.toposort()) {
            work.add(a);
            queued.add(a);
        }
        graph.setListener(new FunctionGraph.Listener() {
            @Override
            public void onImport(Apply node) {
                if (queued.add(node)) {
                    work.add(node);
                }
            }

            @Override
            public void onChangeInput(Apply node, int index, Variable old, Variable replacement) {
                if (queued.add(node)) {
                    work.add(node);
                }
            }
        });
        int applied = 0;
        // a guard against two rewrites undoing each other forever
        long budget = 50L * (queued.size() + 100);
        try {
            while (!work.isEmpty()) {
                Apply node = work.poll();
                queued.remove(node);
                if (!graph.contains(node)) {
                    continue;
                }
                for (Rewrite r : candidates(node.op())) {
                    if (tryRewrite(graph, r, node)) {
                        applied++;
                        break;
                    }
                }
                if (applied > budget) {
                    RewriteFailures.report("equilibrium", node, "no fixed point after " + applied + " replacements", null);
                    break;
                }
            }
        } finally {
            graph.setListener(null);
        }
        return applied;
    }

    private static boolean tryRewrite(FunctionGraph graph, Rewrite r, Apply node) {
        List<Variable> repl;
        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            repl = r.rewriter().transform(graph, node);
        } catch (RuntimeException e) {
            RewriteFailures.report(r.name(), node, e.toString(), e);
            return false;
        } finally {
            SourceLocation.exit(prev);
        }
        if (repl == null) {
            return false;
        }
        String bad = checkReplacements(graph, node, repl);
        if (bad != null) {
            RewriteFailures.report(r.name(), node, bad, null);
            return false;
        }
        boolean changed = false;
        for (int i = 0; i < repl.size(); i++) {
            Variable old = node.outputs().get(i);
            Variable nu = repl.get(i);
            if (nu != old && graph.contains(node)) {
                if (nu.name() == null && old.name() != null) {
                    nu.setName(old.name());
                }
                graph.replace(old, nu);
                changed = true;
            }
        }
        return changed;
    }

    /** Null when each replacement can stand for its output; else what is wrong. */
    static String checkReplacements(FunctionGraph graph, Apply node, List<Variable> repl) {
        if (repl.size() != node.outputs().size()) {
            return "returned " + repl.size() + " replacements for " + node.outputs().size() + " outputs";
        }
        for (int i = 0; i < repl.size(); i++) {
            Variable nu = repl.get(i);
            if (nu == null) {
                return "returned a null replacement";
            }
            TensorType a = node.outputs().get(i).type();
            TensorType b = nu.type();
            if (a.dtype() != b.dtype() || a.ndim() != b.ndim()) {
                return "replacement of type " + b + " for an output of type " + a;
            }
            for (int d = 0; d < a.ndim(); d++) {
                if (a.dim(d) != TensorType.UNKNOWN && b.dim(d) != TensorType.UNKNOWN && a.dim(d) != b.dim(d)) {
                    return "replacement of shape " + b.shapeString() + " for an output of shape " + a.shapeString();
                }
            }
            if (dependsOn(graph, nu, node)) {
                return "replacement depends on the node it replaces";
            }
        }
        return null;
    }

    /**
     * Whether {@code v} is computed from an output of {@code node} through nodes the rewrite
     * just built (replacing would make a cycle). Nodes already in the graph are not walked:
     * that keeps the check proportional to the size of the replacement.
     */
    private static boolean dependsOn(FunctionGraph graph, Variable v, Apply node) {
        if (v.owner() == node) {
            return false;
        }
        Deque<Variable> stack = new ArrayDeque<>();
        Set<Apply> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        stack.push(v);
        while (!stack.isEmpty()) {
            Apply a = stack.pop().owner();
            if (a == null || !seen.add(a)) {
                continue;
            }
            if (a == node) {
                return true;
            }
            if (graph.contains(a)) {
                continue;
            }
            for (Variable in : a.inputs()) {
                stack.push(in);
            }
        }
        return false;
    }
}
