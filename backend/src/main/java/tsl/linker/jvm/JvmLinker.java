package tsl.linker.jvm;

import java.util.List;

import tsl.compile.Linker;
import tsl.compile.ProfileStats;
import tsl.compile.SlotPlan;
import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.TslException;
import tsl.graph.Variable;
import tsl.tensor.NDArray;

/**
 * The reference linker: runs each node's Java {@code perform} in topological order over an
 * array of value slots. Errors are reported with the op and the script line that built it.
 */
public final class JvmLinker implements Linker {

    private record Step(Apply node, int[] in, int[] out, ProfileStats.NodeStats stats) {}

    @Override
    public Program link(FunctionGraph graph, List<Variable> freeVariables) {
        return link(graph, freeVariables, null);
    }

    @Override
    public Program link(FunctionGraph graph, List<Variable> freeVariables, ProfileStats profile) {
        SlotPlan plan = SlotPlan.of(graph, freeVariables);
        Step[] steps = new Step[plan.order().size()];
        for (int s = 0; s < steps.length; s++) {
            Apply a = plan.order().get(s);
            steps[s] = new Step(a, plan.inputs()[s], plan.outputs()[s], profile == null ? null : profile.node(a));
        }
        int[] outputSlots = plan.graphOutputs();
        int nslots = plan.size();
        int nfree = freeVariables.size();
        return freeValues -> {
            NDArray[] values = new NDArray[nslots];
            System.arraycopy(freeValues, 0, values, 0, nfree);
            for (Step step : steps) {
                NDArray[] args = new NDArray[step.in.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = values[step.in[i]];
                }
                NDArray[] results;
                if (step.stats == null) {
                    results = perform(step.node, args);
                } else {
                    long t0 = System.nanoTime();
                    results = perform(step.node, args);
                    step.stats.add(System.nanoTime() - t0);
                }
                for (int i = 0; i < step.out.length; i++) {
                    values[step.out[i]] = results[i];
                }
            }
            NDArray[] outs = new NDArray[outputSlots.length];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = values[outputSlots[i]];
            }
            return outs;
        };
    }

    /** Runs one node, turning any failure into a TslException at the node's source line. */
    public static NDArray[] perform(Apply node, NDArray[] args) {
        try {
            return node.op().perform(node, args);
        } catch (TslException e) {
            throw e.inNode(node);
        } catch (tsl.tensor.ArrayMemoryError e) {
            throw new TslException("MemoryError", e.getMessage()).inNode(node);
        } catch (RuntimeException e) {
            throw new TslException("RuntimeError", "error in " + node.op() + ": " + e, node.location(), e);
        }
    }
}
