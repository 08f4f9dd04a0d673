package tsl.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tsl.graph.FunctionGraph;
import tsl.graph.Variable;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.ScalarOps;
import tsl.rewrite.Optimizer;

/** The step of {@code function(...)} between building the graph and linking it: the mode's rewrites. */
final class GraphRewriting {
    private GraphRewriting() {}

    /**
     * Rewrites {@code graph} with the optimizer {@code optimizerName} names (and the
     * optimizer_including/excluding flags) and returns its free variables afterwards:
     * rewrites can add constants and drop uses. An output that the rewrites turned into an
     * input, shared variable or constant is copied (Theano's deep copy), so a caller never
     * gets, and then mutates, the stored array itself.
     */
    static Set<Variable> optimize(FunctionGraph graph, String optimizerName) {
        Optimizer opt = Optimizer.forMode(optimizerName);
        if (!opt.isEmpty()) {
            List<Boolean> computed = new ArrayList<>();
            for (Variable o : graph.outputs()) {
                computed.add(o.owner() != null);
            }
            opt.optimize(graph);
            for (int i = 0; i < computed.size(); i++) {
                Variable o = graph.outputs().get(i);
                if (computed.get(i) && o.owner() == null) {
                    graph.replaceOutput(i, new Elemwise(ScalarOps.IDENTITY).makeNode(List.of(o)).output());
                }
            }
        }
        return graph.freeVariables();
    }
}
