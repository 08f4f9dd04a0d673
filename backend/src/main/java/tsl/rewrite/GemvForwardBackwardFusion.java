package tsl.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.compile.Config;
import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.blas.Gemv;
import tsl.ops.blas.GemvForwardBackward;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.FusedElemwise;
import tsl.ops.reduce.ReducedCount;
import tsl.ops.shape.Alloc;
import tsl.ops.shape.DimShuffle;
import tsl.ops.shape.Shape;
import tsl.ops.subtensor.Subtensor;
import tsl.tensor.DType;

/**
 * {@code local_gemv_forward_backward}: {@code gemv(c, a2, X.T, f(gemv(z0, a1, X, w, b1), ...), b2)}
 * becomes one {@link GemvForwardBackward}, so native code reads X once instead of twice (the
 * logistic-regression step: X·w forward, Xᵀ·delta back). It fires when f is an elementwise
 * loop over vectors — row r of each of its results depends only on row r of its inputs — and
 * none of f's other inputs, nor c, a2 or b2, needs the forward product or f's results (which
 * would make the one pass impossible). The count of the forward product that a mean reads
 * (ReducedCount) is read from z0 instead when z0 is the zero vector the specialize rewrite
 * allocated with X's row count. Not on device=cuda, which keeps the two cuBLAS calls.
 */
final class GemvForwardBackwardFusion {
    static final String NAME = "local_gemv_forward_backward";

    private GemvForwardBackwardFusion() {}

    static void run(FunctionGraph g) {
        if ("cuda".equals(Config.device())) {
            return;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Apply node : g.toposort()) {
                if (node.op() instanceof Gemv && g.contains(node) && fuse(g, node)) {
                    changed = true;
                    break;
                }
            }
        }
    }

    /** The pieces of one match. */
    private record Match(Apply forward, Apply loop, FusedElemwise body, int zInput, int deltaOutput, Variable x) {}

    private static boolean fuse(FunctionGraph g, Apply backward) {
        Match m = match(backward);
        if (m == null) {
            return false;
        }
        Variable z = m.forward.output();
        Set<Variable> forbidden = Collections.newSetFromMap(new IdentityHashMap<>());
        forbidden.add(z);
        forbidden.addAll(m.loop.outputs());
        forbidden.add(backward.output());
        Variable z0 = m.forward.input(0);
        boolean countFromZ0 = hasRowsOf(z0, m.x);
        List<Variable> inputs = new ArrayList<>(List.of(m.x, m.forward.input(3), z0, m.forward.input(1), m.forward.input(4),
                backward.input(0), backward.input(1), backward.input(4)));
        for (int i = 0; i < m.loop.inputs().size(); i++) {
            if (i != m.zInput) {
                inputs.add(m.loop.input(i));
            }
        }
        for (Variable v : inputs) {
            if (dependsOn(v, forbidden, z, countFromZ0)) {
                return false;
            }
        }
        // the counts that read z's shape now read z0's (the same shape), or the new node would feed itself
        Map<Variable, Variable> recounted = new IdentityHashMap<>();
        for (Variable v : inputs) {
            countsFrom(v, z, z0, g, recounted);
        }
        inputs.replaceAll(v -> recounted.getOrDefault(v, v));
        GemvForwardBackward op = new GemvForwardBackward(m.body, m.zInput, m.deltaOutput, z.type(), backward.output().type());
        Apply fused;
        SourceLocation prev = SourceLocation.enter(backward.location());
        try {
            fused = op.makeNode(inputs);
        } finally {
            SourceLocation.exit(prev);
        }
        List<Variable> olds = new ArrayList<>();
        olds.add(z);
        olds.addAll(m.loop.outputs());
        olds.add(backward.output());
        for (int i = 0; i < olds.size(); i++) {
            if (!g.clients(olds.get(i)).isEmpty() || g.outputs().contains(olds.get(i))) {
                g.replace(olds.get(i), fused.outputs().get(i));
            }
        }
        return true;
    }

    private static Match match(Apply backward) {
        Apply t = backward.input(2).owner();
        if (t == null || !(t.op() instanceof DimShuffle d) || !Arrays.equals(d.pattern(), new int[] {1, 0})) {
            return null;
        }
        Variable x = t.input(0);
        Variable delta = backward.input(3);
        Apply loop = delta.owner();
        if (loop == null || delta.ndim() != 1) {
            return null;
        }
        FusedElemwise body = body(loop);
        if (body == null) {
            return null;
        }
        int zInput = -1;
        for (int i = 0; i < loop.inputs().size(); i++) {
            Apply a = loop.input(i).owner();
            if (a != null && a.op() instanceof Gemv && a.input(2) == x) {
                if (zInput >= 0) {
                    return null; // two forward products (or one read twice): not one pass
                }
                zInput = i;
            }
        }
        if (zInput < 0) {
            return null;
        }
        boolean[][] uses = new boolean[body.results().length][];
        body.neededSteps(uses);
        for (boolean[] u : uses) {
            if (!u[zInput]) {
                return null; // a result not computed from z has its own run-time shape; leave such loops alone
            }
        }
        return new Match(loop.input(zInput).owner(), loop, body, zInput, delta.index(), x);
    }

    /** The loop's scalar program as a FusedElemwise: itself, or a plain Elemwise as a one-step program. */
    private static FusedElemwise body(Apply loop) {
        if (loop.op() instanceof FusedElemwise f) {
            return f;
        }
        if (!(loop.op() instanceof Elemwise e)) {
            return null;
        }
        int n = loop.inputs().size();
        int[] args = new int[n];
        DType[] dts = new DType[n];
        for (int i = 0; i < n; i++) {
            args[i] = i;
            dts[i] = loop.input(i).dtype();
        }
        Composite.Step step = new Composite.Step(e.scalar(), args, dts, loop.output().dtype());
        return new FusedElemwise(n, List.of(step), new int[] {n}, new TensorType[] {loop.output().type()});
    }

    /** Whether z0's shape is (rows of x,): the zeros that dot(x, w) → gemv allocated. */
    private static boolean hasRowsOf(Variable z0, Variable x) {
        Apply alloc = z0.owner();
        if (alloc == null || !(alloc.op() instanceof Alloc) || alloc.inputs().size() != 2 || z0.ndim() != 1) {
            return false;
        }
        Variable len = alloc.input(1);
        if (len instanceof Constant c) {
            return x.type().dim(0) != TensorType.UNKNOWN && c.value().size() == 1 && c.value().getLong(0) == x.type().dim(0);
        }
        Apply sub = len.owner();
        if (sub == null || !(sub.op() instanceof Subtensor) || sub.inputs().size() != 1) {
            return false;
        }
        Apply shape = sub.input(0).owner();
        Variable rows = tsl.ops.T.shapeI(x, 0);
        return shape != null && shape.op() instanceof Shape && shape.input(0) == x && rows.owner() != null
                && rows.owner().op().equals(sub.op());
    }

    /**
     * Whether v needs any of {@code forbidden}; a ReducedCount reading z does not count when
     * {@code countFromZ0} (it will read z0 instead).
     */
    private static boolean dependsOn(Variable v, Set<Variable> forbidden, Variable z, boolean countFromZ0) {
        Deque<Variable> todo = new ArrayDeque<>(List.of(v));
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Variable u = todo.pop();
            if (!seen.add(u)) {
                continue;
            }
            if (forbidden.contains(u)) {
                return true;
            }
            Apply a = u.owner();
            if (a == null) {
                continue;
            }
            for (Variable in : a.inputs()) {
                if (!(in == z && countFromZ0 && a.op() instanceof ReducedCount)) {
                    todo.push(in);
                }
            }
        }
        return false;
    }

    /**
     * Replaces, in the graph, every ReducedCount above v that reads z by one that reads z0;
     * {@code done} maps each replaced count to its replacement (the graph rewires its consumers in place).
     */
    private static void countsFrom(Variable v, Variable z, Variable z0, FunctionGraph g, Map<Variable, Variable> done) {
        Map<Apply, Boolean> counts = new IdentityHashMap<>();
        Deque<Variable> todo = new ArrayDeque<>(List.of(v));
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Variable u = todo.pop();
            Apply a = u.owner();
            if (!seen.add(u) || a == null || done.containsKey(u)) {
                continue;
            }
            if (a.op() instanceof ReducedCount && a.inputs().contains(z)) {
                counts.put(a, true);
                continue;
            }
            a.inputs().forEach(todo::push);
        }
        for (Apply a : counts.keySet()) {
            List<Variable> ins = new ArrayList<>(a.inputs());
            ins.replaceAll(in -> in == z ? z0 : in);
            Variable count = a.cloneWith(ins).output();
            g.replace(a.output(), count);
            done.put(a.output(), count);
        }
    }
}
