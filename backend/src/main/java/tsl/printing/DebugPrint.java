package tsl.printing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.compile.Function;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;

/**
 * Theano's {@code debugprint}: one line per variable, its op, an id ({@code [id A]}) that
 * lets a reader match shared subexpressions, the variable's name in quotes, and its inputs
 * below it, indented with {@code |}. A subgraph printed once is shown again by its id only.
 * For a compiled function the optimized graph is printed, each node with its position in
 * the execution order.
 */
public final class DebugPrint {
    private final boolean printType;
    private final Map<Object, String> ids = new IdentityHashMap<>();
    private final Map<Apply, Boolean> done = new IdentityHashMap<>();
    private Map<Apply, Integer> order;
    private final StringBuilder out = new StringBuilder();

    private DebugPrint(boolean printType) {
        this.printType = printType;
    }

    /** The debugprint of one or more variables (the user's graph, unoptimized). */
    public static String of(List<Variable> vars, boolean printType) {
        DebugPrint p = new DebugPrint(printType);
        for (Variable v : vars) {
            p.print(v, "", "");
        }
        return p.out.toString();
    }

    /** The debugprint of a compiled function: its optimized graph, outputs then updates. */
    public static String of(Function f, boolean printType) {
        FunctionGraph g = f.graph();
        if (g == null) {
            throw TslException.valueError("this function has no graph to print");
        }
        DebugPrint p = new DebugPrint(printType);
        p.order = new IdentityHashMap<>();
        List<Apply> topo = g.toposort();
        for (int i = 0; i < topo.size(); i++) {
            p.order.put(topo.get(i), i);
        }
        for (Variable v : g.outputs()) {
            p.print(v, "", "");
        }
        return p.out.toString();
    }

    private String idOf(Object o) {
        return ids.computeIfAbsent(o, k -> OpNames.id(ids.size()));
    }

    private void print(Variable root, String prefix, String childPrefix) {
        // explicit stack of (variable, line prefix, prefix for its children): graphs can be deep
        record Item(Variable v, String prefix, String childPrefix) {}
        List<Item> stack = new ArrayList<>();
        stack.add(new Item(root, prefix, childPrefix));
        while (!stack.isEmpty()) {
            Item it = stack.remove(stack.size() - 1);
            Variable v = it.v();
            Apply a = v.owner();
            if (a == null) {
                out.append(it.prefix()).append(OpNames.leaf(v)).append(" [id ").append(idOf(v)).append(']');
                if (printType) {
                    out.append(" <").append(OpNames.type(v.type())).append('>');
                }
                out.append('\n');
                continue;
            }
            out.append(it.prefix()).append(OpNames.op(a));
            if (a.outputs().size() > 1) {
                out.append('.').append(v.index());
            }
            out.append(" [id ").append(idOf(a)).append("] ");
            if (printType) {
                out.append('<').append(OpNames.type(v.type())).append("> ");
            }
            out.append('\'').append(v.name() == null ? "" : v.name()).append('\'');
            if (order != null && order.containsKey(a)) {
                out.append("   ").append(order.get(a));
            }
            out.append('\n');
            if (done.put(a, true) != null) {
                continue;
            }
            List<Variable> ins = a.inputs();
            // pushed in reverse so the first input prints first
            for (int i = ins.size() - 1; i >= 0; i--) {
                boolean last = i == ins.size() - 1;
                stack.add(new Item(ins.get(i), it.childPrefix() + " |", it.childPrefix() + (last ? "  " : " |")));
            }
        }
    }
}
