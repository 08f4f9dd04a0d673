package tsl.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * The second step of elementwise fusion: single-output groups whose result feeds another
 * group of the same static output shape are merged into one loop with several outputs
 * (Theano's multi-output Composite). This is what fuses a value with several consumers — the
 * sigmoid that both the prediction and the gradient read — instead of giving it a loop of
 * its own. A merge is refused when it would make a cycle: when the consumer also depends on
 * the producer through a node outside both groups (a reduction, a product).
 */
final class LoopMerge {
    /** Nodes walked per cycle check; past this the merge is refused (keeps fusion linear on huge graphs). */
    private static final int WALK_BUDGET = 4096;

    private final FunctionGraph graph;
    private final Map<Apply, Integer> topo = new IdentityHashMap<>();
    private final Map<Apply, Group> groupOf = new IdentityHashMap<>();
    private final int maxInputs;
    private final Set<Apply> duplicated = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A set of nodes fused into one loop; merged groups point at the group that absorbed them. */
    private static final class Group {
        final Set<Apply> members = Collections.newSetFromMap(new IdentityHashMap<>());
        int minTopo = Integer.MAX_VALUE;
        int[] shape; // the static output shape every result of the loop has
        Group into;

        Group find() {
            Group g = this;
            while (g.into != null) {
                g = g.into;
            }
            return g;
        }
    }

    private LoopMerge(FunctionGraph graph, int maxInputs) {
        this.graph = graph;
        this.maxInputs = maxInputs;
    }

    /**
     * Merges {@code groups} (each listed root first; a node recomputed in several groups may
     * appear in each) and returns the final groups, members in no particular order.
     */
    static List<Set<Apply>> merge(FunctionGraph graph, List<List<Apply>> groups, int maxInputs) {
        return new LoopMerge(graph, maxInputs).run(groups);
    }

    private List<Set<Apply>> run(List<List<Apply>> groups) {
        List<Apply> order = graph.toposort();
        for (int i = 0; i < order.size(); i++) {
            topo.put(order.get(i), i);
        }
        List<Group> all = new ArrayList<>();
        Map<Apply, Integer> copies = new IdentityHashMap<>();
        for (List<Apply> list : groups) {
            Group g = new Group();
            g.shape = list.get(0).output().type().shape();
            for (Apply a : list) {
                g.members.add(a);
                g.minTopo = Math.min(g.minTopo, topo.get(a));
                copies.merge(a, 1, Integer::sum);
            }
            all.add(g);
            groupOf.put(list.get(0), g);
        }
        for (List<Apply> list : groups) {
            for (Apply a : list) {
                if (copies.get(a) == 1) {
                    groupOf.put(a, groupOf.get(list.get(0)));
                } else {
                    duplicated.add(a);
                }
            }
        }
        // producers in topological order: a chain of loops folds into its consumer step by step
        for (Apply a : order) {
            Group home = groupOf.get(a);
            if (home == null) {
                continue; // not fused, or recomputed in several loops
            }
            for (FunctionGraph.Client c : graph.clients(a.output())) {
                Group x = home.find();
                Group y = c.node() == null ? null : groupOf.containsKey(c.node()) ? groupOf.get(c.node()).find() : null;
                if (y != null && x != y && Arrays.equals(x.shape, y.shape) && fitsInputs(x, y) && !cycle(x, y)) {
                    absorb(y, x);
                }
            }
        }
        List<Set<Apply>> result = new ArrayList<>();
        for (Group g : all) {
            if (g.into == null) {
                result.add(g.members);
            }
        }
        return result;
    }

    private static void absorb(Group y, Group x) {
        y.members.addAll(x.members);
        y.minTopo = Math.min(y.minTopo, x.minTopo);
        x.into = y;
        x.members.clear();
    }

    private boolean fitsInputs(Group x, Group y) {
        Set<Variable> ins = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Group g : List.of(x, y)) {
            for (Apply a : g.members) {
                for (Variable v : a.inputs()) {
                    Apply o = v.owner();
                    if (o == null || !(x.members.contains(o) || y.members.contains(o))) {
                        ins.add(v);
                    }
                }
            }
        }
        return ins.size() <= maxInputs;
    }

    /** Whether some input of y from outside both groups is computed from x: merging would make a cycle. */
    private boolean cycle(Group x, Group y) {
        List<Apply> stack = new ArrayList<>();
        Set<Apply> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Apply a : y.members) {
            push(a, x, y, stack, seen);
        }
        int walked = 0;
        while (!stack.isEmpty()) {
            Apply o = stack.remove(stack.size() - 1);
            if (x.members.contains(o) && !duplicated.contains(o)) {
                return true; // a node recomputed in several loops is no edge out of x: walk on through its inputs
            }
            if (++walked > WALK_BUDGET) {
                return true; // unknown: refuse rather than risk a cycle
            }
            push(o, x, y, stack, seen);
        }
        return false;
    }

    /** Pushes the producers of o's inputs that lie outside y and may still depend on x. */
    private void push(Apply o, Group x, Group y, List<Apply> stack, Set<Apply> seen) {
        boolean fromY = y.members.contains(o);
        for (Variable v : o.inputs()) {
            Apply p = v.owner();
            if (p == null || y.members.contains(p) || topo.get(p) < x.minTopo) {
                continue;
            }
            if (fromY && x.members.contains(p)) {
                continue; // the edge the merge makes internal
            }
            if (seen.add(p)) {
                stack.add(p);
            }
        }
    }
}
