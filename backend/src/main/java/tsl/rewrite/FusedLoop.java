package tsl.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.TensorType;
import tsl.graph.Variable;
import tsl.ops.elemwise.Composite;
import tsl.ops.elemwise.FusedElemwise;

/** Replaces a loop of Elemwise nodes with several results needed outside it by one {@link FusedElemwise}. */
final class FusedLoop {
    private FusedLoop() {}

    /** {@code members} in topological order; {@code results} those whose values leave the loop. */
    static void fuse(FunctionGraph g, List<Apply> members, List<Apply> results) {
        List<Apply> rootFirst = new ArrayList<>(members);
        Collections.reverse(rootFirst);
        List<Variable> inputs = Fusion.externalInputs(rootFirst);
        Map<Variable, Integer> index = new IdentityHashMap<>();
        List<Composite.Step> steps = Fusion.steps(inputs, members, index);
        int[] res = new int[results.size()];
        TensorType[] types = new TensorType[results.size()];
        for (int r = 0; r < res.length; r++) {
            res[r] = index.get(results.get(r).output());
            types[r] = results.get(r).output().type();
        }
        // no ScalarProgram.simplify here: each result's run-time shape is that of the inputs it
        // depends on, and fill's first argument is such a dependency even though its value is not
        Apply last = results.get(results.size() - 1);
        Apply fused;
        SourceLocation prev = SourceLocation.enter(last.location());
        try {
            fused = new FusedElemwise(inputs.size(), steps, res, types).makeNode(inputs);
        } finally {
            SourceLocation.exit(prev);
        }
        for (int r = 0; r < res.length; r++) {
            Apply old = results.get(r);
            String bad = Equilibrium.checkReplacements(g, old, List.of(fused.outputs().get(r)));
            if (bad != null) {
                RewriteFailures.report("elemwise_fusion", old, bad, null);
                return;
            }
        }
        for (int r = 0; r < res.length; r++) {
            g.replace(results.get(r).output(), fused.outputs().get(r));
        }
    }
}
