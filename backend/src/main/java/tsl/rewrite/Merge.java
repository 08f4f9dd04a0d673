package tsl.rewrite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Constant;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * Common-subexpression elimination (Theano's MergeOptimizer): equal constants become one
 * constant, then nodes applying the same op to the same inputs become one node. One pass
 * in topological order suffices, since merging a node's inputs happens before the node is
 * looked at.
 */
public final class Merge {
    private Merge() {}

    private record NodeKey(OpKey op, List<Variable> inputs) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof NodeKey k) || !op.equals(k.op) || inputs.size() != k.inputs.size()) {
                return false;
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i) != k.inputs.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = op.hashCode();
            for (Variable v : inputs) {
                h = 31 * h + System.identityHashCode(v);
            }
            return h;
        }
    }

    /** Merges in place; returns the number of constants and nodes merged away. */
    public static int run(FunctionGraph graph) {
        int merged = mergeConstants(graph);
        Map<NodeKey, Apply> seen = new HashMap<>();
        Map<Object, OpKey> opKeys = new IdentityHashMap<>();
        for (Apply node : graph.toposort()) {
            if (!graph.contains(node)) {
                continue;
            }
            NodeKey key = new NodeKey(opKeys.computeIfAbsent(node.op(), o -> new OpKey(node.op())), List.copyOf(node.inputs()));
            Apply prior = seen.putIfAbsent(key, node);
            if (prior != null && graph.contains(prior)) {
                for (int i = 0; i < node.outputs().size(); i++) {
                    Variable old = node.outputs().get(i);
                    Variable keep = prior.outputs().get(i);
                    if (!old.type().equals(keep.type())) {
                        continue; // same op and inputs always give the same type; be safe anyway
                    }
                    graph.replace(old, keep);
                }
                merged++;
            }
        }
        return merged;
    }

    private record ConstKey(String dtype, List<Integer> shape, String data) {}

    private static int mergeConstants(FunctionGraph graph) {
        Map<ConstKey, Constant> canon = new HashMap<>();
        Set<Variable> free = graph.freeVariables();
        List<Constant> consts = new ArrayList<>();
        for (Variable v : free) {
            if (v instanceof Constant c && c.value().size() <= 4096) {
                consts.add(c);
            }
        }
        int merged = 0;
        for (Constant c : consts) {
            Constant prior = canon.putIfAbsent(key(c), c);
            if (prior != null && prior != c && prior.type().equals(c.type())) {
                graph.replace(c, prior);
                merged++;
            }
        }
        return merged;
    }

    private static ConstKey key(Constant c) {
        NDArray v = c.value();
        StringBuilder sb = new StringBuilder();
        if (v.dtype().isFloat()) {
            for (double d : v.toDoubleArray()) {
                sb.append(Double.doubleToRawLongBits(d)).append(',');
            }
        } else {
            for (long l : v.toLongArray()) {
                sb.append(l).append(',');
            }
        }
        List<Integer> shape = new ArrayList<>();
        for (int d : v.shape()) {
            shape.add(d);
        }
        return new ConstKey(v.dtype().numpyName() + "|" + c.type(), shape, sb.toString());
    }
}
