package tsl.rewrite;

import java.util.List;
import java.util.Set;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.Variable;
import tsl.ops.control.Scan;

/**
 * Runs the function's optimizer on a scan's step (Theano optimizes a scan's inner function
 * when the scan op is made): constant folding, useless fills, fusion of the elementwise
 * chain, gemv formation. The step runs once per iteration, so what the optimizer saves is
 * saved n times. Runs in the fusion phase, after the scan rewrites of the specialize phase
 * (pushout, pruning) have matched the step's plain graph; once per node.
 */
final class ScanInnerOptimize {
    private ScanInnerOptimize() {}

    /**
     * The function's optimizer without the in-place rewrites: a step's value may yet be
     * hoisted out of the loop (scan_pushout_non_seqs), and a hoisted value is read by every
     * step, so no step may overwrite it. (The native linker does not write in place anyway.)
     */
    static Optimizer innerOptimizer() {
        String flag = tsl.compile.Config.get("optimizer");
        Set<String> excluding = new java.util.HashSet<>(RewriteDB.tags(tsl.compile.Config.get("optimizer_excluding")));
        excluding.add(Phase.INPLACE.tag());
        return RewriteDB.defaultDB().query(flag != null ? flag : RewriteDB.FAST_RUN,
                RewriteDB.tags(tsl.compile.Config.get("optimizer_including")), excluding);
    }

    static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof Scan op) || op.innerOptimized()) {
            return null;
        }
        Optimizer inner = innerOptimizer();
        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            return op.withOptimizedInner(op.inner().rewritten(inner::optimize)).makeNode(node.inputs()).outputs();
        } finally {
            SourceLocation.exit(prev);
        }
    }
}
