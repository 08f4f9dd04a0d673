package tsl.grad;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.Variable;

/** The nodes that compute some variables, inputs first; iterative, so deep graphs do not overflow the stack. */
final class Topo {
    private Topo() {}

    /** The nodes {@code roots} are computed from; a variable in {@code leaves} is treated as an input. */
    static List<Apply> order(Collection<Variable> roots, Set<Variable> leaves) {
        List<Apply> order = new ArrayList<>();
        Set<Apply> done = new HashSet<>();
        Set<Apply> expanded = new HashSet<>();
        Deque<Apply> stack = new ArrayDeque<>();
        for (Variable r : roots) {
            if (r.owner() != null && !leaves.contains(r)) {
                stack.push(r.owner());
            }
        }
        while (!stack.isEmpty()) {
            Apply a = stack.peek();
            if (done.contains(a)) {
                stack.pop();
            } else if (expanded.add(a)) {
                for (Variable in : a.inputs()) {
                    if (in.owner() != null && !done.contains(in.owner()) && !leaves.contains(in)) {
                        stack.push(in.owner());
                    }
                }
            } else {
                stack.pop();
                done.add(a);
                order.add(a);
            }
        }
        return order;
    }
}
