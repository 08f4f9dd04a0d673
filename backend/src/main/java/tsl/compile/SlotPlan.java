package tsl.compile;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.Variable;

/**
 * Where a linked program keeps each value: the free variables take the first slots, then
 * every node's outputs in execution order. Linkers that run nodes one at a time (jvm, cuda)
 * share this plan and differ only in what a step does with its slots.
 *
 * @param order        the nodes in execution order
 * @param inputs       per node, the slots of its inputs
 * @param outputs      per node, the slots of its outputs
 * @param graphOutputs the slots of the graph's outputs
 * @param size         the number of slots
 */
public record SlotPlan(List<Apply> order, int[][] inputs, int[][] outputs, int[] graphOutputs, int size) {

    public static SlotPlan of(FunctionGraph graph, List<Variable> freeVariables) {
        Map<Variable, Integer> slot = new IdentityHashMap<>();
        for (Variable v : freeVariables) {
            slot.put(v, slot.size());
        }
        List<Apply> order = graph.toposort();
        int[][] in = new int[order.size()][];
        int[][] out = new int[order.size()][];
        for (int s = 0; s < in.length; s++) {
            Apply a = order.get(s);
            in[s] = new int[a.inputs().size()];
            for (int i = 0; i < in[s].length; i++) {
                Integer k = slot.get(a.input(i));
                if (k == null) {
                    throw new IllegalStateException("input " + a.input(i) + " of " + a + " has no value slot");
                }
                in[s][i] = k;
            }
            out[s] = new int[a.outputs().size()];
            for (int i = 0; i < out[s].length; i++) {
                out[s][i] = slot.size();
                slot.put(a.outputs().get(i), out[s][i]);
            }
        }
        int[] graphOutputs = new int[graph.outputs().size()];
        for (int i = 0; i < graphOutputs.length; i++) {
            graphOutputs[i] = slot.get(graph.outputs().get(i));
        }
        return new SlotPlan(order, in, out, graphOutputs, slot.size());
    }
}
