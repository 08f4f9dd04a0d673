package tsl.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.Variable;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOp;
import tsl.ops.elemwise.ScalarOps;
import tsl.tensor.DType;

/**
 * Elementwise fusion: each maximal group of Elemwise nodes whose intermediate results are
 * used only inside the group becomes one Elemwise of a {@link Composite} — one loop, no
 * temporary arrays. Groups are found in one pass in reverse topological order: a node
 * joins the group of its clients when all of them are in one group; a cheap node whose
 * clients are in several groups is recomputed inside each of them.
 */
final class Fusion {
    /** Code generators take one argument per input; past this a second loop is cheaper than a huge one. */
    private static final int MAX_INPUTS = 32;

    private Fusion() {}

    static void run(FunctionGraph g) {
        List<Apply> order = g.toposort();
        Map<Apply, List<Apply>> groupOf = new IdentityHashMap<>();
        Map<Apply, List<List<Apply>>> copies = new IdentityHashMap<>(); // the groups a duplicated node went into
        List<List<Apply>> groups = new ArrayList<>();
        // each group's current external inputs, kept as nodes join so that the size limit costs O(1) per node
        Map<List<Apply>, Set<Variable>> inputsOf = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Apply a = order.get(i);
            if (!(a.op() instanceof Elemwise) || a.outputs().size() != 1) {
                continue;
            }
            List<Apply> joined = groupOfAllClients(g, a, groupOf);
            List<List<Apply>> several = joined == null && isCheap(a) ? clientGroups(g, a, groupOf, copies) : null;
            if (joined != null && inputsAfterAdding(inputsOf.get(joined), a) <= MAX_INPUTS) {
                add(joined, a, inputsOf);
                groupOf.put(a, joined);
            } else if (several != null) {
                // cheap work used by several loops is recomputed in each rather than kept in its own loop
                for (List<Apply> grp : several) {
                    add(grp, a, inputsOf);
                }
                groupOf.put(a, DUPLICATED);
                copies.put(a, several);
            } else {
                List<Apply> fresh = new ArrayList<>();
                inputsOf.put(fresh, Collections.newSetFromMap(new IdentityHashMap<>()));
                add(fresh, a, inputsOf);
                groupOf.put(a, fresh);
                groups.add(fresh);
            }
        }
        Map<Apply, Integer> topo = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            topo.put(order.get(i), i);
        }
        List<Set<Apply>> loops = LoopMerge.merge(g, groups, MAX_INPUTS);
        Map<Apply, List<Set<Apply>>> loopsOf = new IdentityHashMap<>();
        for (Set<Apply> loop : loops) {
            for (Apply a : loop) {
                loopsOf.computeIfAbsent(a, k -> new ArrayList<>()).add(loop);
            }
        }
        for (Set<Apply> loop : loops) {
            if (loop.size() >= 2) {
                List<Apply> members = new ArrayList<>(loop);
                members.sort(java.util.Comparator.comparingInt(topo::get));
                List<Apply> results = results(g, loop, members, loopsOf);
                if (results.size() == 1) {
                    List<Apply> rootFirst = new ArrayList<>(members);
                    Collections.reverse(rootFirst);
                    fuse(g, rootFirst);
                } else {
                    FusedLoop.fuse(g, members, results);
                }
            }
        }
    }

    /**
     * The members whose value is needed outside the loop: by a graph output or a node that is
     * neither in this loop nor a loop that recomputes the member itself.
     */
    private static List<Apply> results(FunctionGraph g, Set<Apply> loop, List<Apply> members,
                                       Map<Apply, List<Set<Apply>>> loopsOf) {
        List<Apply> res = new ArrayList<>();
        for (Apply m : members) {
            for (FunctionGraph.Client c : g.clients(m.output())) {
                if (c.node() == null || (!loop.contains(c.node()) && !recomputes(loopsOf.get(c.node()), m))) {
                    res.add(m);
                    break;
                }
            }
        }
        return res;
    }

    private static boolean recomputes(List<Set<Apply>> loopsOfClient, Apply m) {
        if (loopsOfClient == null) {
            return false;
        }
        for (Set<Apply> l : loopsOfClient) {
            if (l.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /** Marks a node recomputed in several groups: nothing may join it. */
    private static final List<Apply> DUPLICATED = List.of();

    /** Scalar ops worth recomputing in each loop that uses them: a few cycles, no transcendental functions. */
    private static final Set<ScalarOp> CHEAP = Set.of(ScalarOps.ADD, ScalarOps.SUB, ScalarOps.MUL, ScalarOps.NEG,
            ScalarOps.IDENTITY, ScalarOps.SQR, ScalarOps.ABS, ScalarOps.MAXIMUM, ScalarOps.MINIMUM, ScalarOps.LT, ScalarOps.GT,
            ScalarOps.LE, ScalarOps.GE, ScalarOps.EQ, ScalarOps.NEQ, ScalarOps.SWITCH, ScalarOps.SECOND);

    private static boolean isCheap(Apply a) {
        return CHEAP.contains(((Elemwise) a.op()).scalar());
    }

    /** The distinct groups of a's clients when every client is a fusable node of the same rank in some group, else null. */
    private static List<List<Apply>> clientGroups(FunctionGraph g, Apply a, Map<Apply, List<Apply>> groupOf,
                                                  Map<Apply, List<List<Apply>>> copies) {
        List<List<Apply>> found = new ArrayList<>();
        for (FunctionGraph.Client c : g.clients(a.output())) {
            if (c.node() == null) {
                return null;
            }
            List<Apply> grp = groupOf.get(c.node());
            if (grp == null || c.node().output().ndim() != a.output().ndim()) {
                return null;
            }
            // a client that is itself recomputed in several groups needs a's value in each of them
            for (List<Apply> one : grp == DUPLICATED ? copies.get(c.node()) : List.of(grp)) {
                if (found.stream().noneMatch(f -> f == one)) {
                    found.add(one);
                }
            }
        }
        return found.size() > 1 ? found : null;
    }

    /** The group every client of a's output belongs to, or null (a graph output, a non-elemwise client, several groups). */
    private static List<Apply> groupOfAllClients(FunctionGraph g, Apply a, Map<Apply, List<Apply>> groupOf) {
        List<Apply> found = null;
        for (FunctionGraph.Client c : g.clients(a.output())) {
            if (c.node() == null) {
                return null;
            }
            List<Apply> grp = groupOf.get(c.node());
            if (grp == null || grp == DUPLICATED || (found != null && grp != found) || c.node().output().ndim() != a.output().ndim()) {
                return null;
            }
            found = grp;
        }
        return found;
    }

    /** How many external inputs a group with these inputs has once {@code a}, which computes one of them, joins. */
    private static int inputsAfterAdding(Set<Variable> inputs, Apply a) {
        int n = inputs.size() - (inputs.contains(a.output()) ? 1 : 0);
        Set<Variable> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable v : a.inputs()) {
            if (!inputs.contains(v) && counted.add(v)) {
                n++;
            }
        }
        return n;
    }

    private static void add(List<Apply> group, Apply a, Map<List<Apply>, Set<Variable>> inputsOf) {
        group.add(a);
        Set<Variable> ins = inputsOf.get(group);
        ins.remove(a.output());
        ins.addAll(a.inputs());
    }

    static List<Variable> externalInputs(List<Apply> group) {
        Map<Apply, Boolean> members = new IdentityHashMap<>();
        for (Apply a : group) {
            members.put(a, true);
        }
        List<Variable> ins = new ArrayList<>();
        Map<Variable, Boolean> seen = new IdentityHashMap<>();
        // group lists run from the root backwards; inputs are numbered in topological order
        List<Apply> topo = new ArrayList<>(group);
        Collections.reverse(topo);
        for (Apply a : topo) {
            for (Variable v : a.inputs()) {
                if ((v.owner() == null || !members.containsKey(v.owner())) && seen.put(v, true) == null) {
                    ins.add(v);
                }
            }
        }
        return ins;
    }

    /**
     * The scalar program of Elemwise nodes in topological order: one step per node, each reading
     * loop inputs (0..n-1) and earlier steps (n, n+1, ...) by index; {@code index} receives the
     * position of every input and node output.
     */
    static List<Composite.Step> steps(List<Variable> inputs, List<Apply> topo, Map<Variable, Integer> index) {
        for (int i = 0; i < inputs.size(); i++) {
            index.put(inputs.get(i), i);
        }
        List<Composite.Step> steps = new ArrayList<>();
        for (Apply a : topo) {
            Elemwise e = (Elemwise) a.op();
            int[] args = new int[a.inputs().size()];
            DType[] dts = new DType[args.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = index.get(a.input(i));
                dts[i] = a.input(i).dtype();
            }
            steps.add(new Composite.Step(e.scalar(), args, dts, a.output().dtype()));
            index.put(a.output(), inputs.size() + steps.size() - 1);
        }
        return steps;
    }

    private static void fuse(FunctionGraph g, List<Apply> group) {
        Apply root = group.get(0);
        List<Variable> inputs = externalInputs(group);
        Map<Variable, Integer> index = new IdentityHashMap<>();
        // members in topological order: the group was built from the root towards the inputs
        List<Apply> topo = new ArrayList<>(group);
        Collections.reverse(topo);
        List<Composite.Step> steps = steps(inputs, topo, index);
        int last = inputs.size() + steps.size() - 1;
        ScalarOp comp = Composite.of(inputs.size(), ScalarProgram.simplify(inputs.size(), steps, new int[] {last}).steps());
        Apply fused;
        SourceLocation prev = SourceLocation.enter(root.location());
        try {
            fused = new Elemwise(comp, root.output().dtype()).makeNode(inputs);
        } finally {
            SourceLocation.exit(prev);
        }
        String bad = Equilibrium.checkReplacements(g, root, fused.outputs());
        if (bad != null) {
            RewriteFailures.report("elemwise_fusion", root, bad, null);
            return;
        }
        g.replace(root.output(), fused.output());
    }
}
