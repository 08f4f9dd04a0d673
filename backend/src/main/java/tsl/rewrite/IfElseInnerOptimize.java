package tsl.rewrite;

import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.Variable;
import tsl.ops.control.IfElse;

/**
 * Runs the function's optimizer (without in-place rewrites, as for a scan's step) inside
 * each branch of an ifelse. Nothing moves out of a branch, so a branch still computes only
 * when it is taken; inside it, the usual rewrites apply — among them scan_save_mem on a scan
 * that only a branch reads, which is how a while loop (its scan sits in the ifelse on its
 * first condition) gets ring buffers and a C loop. Once per node, in the fusion phase.
 */
final class IfElseInnerOptimize {
    private IfElseInnerOptimize() {}

    static List<Variable> transform(FunctionGraph graph, Apply node) {
        if (!(node.op() instanceof IfElse op) || op.branchesOptimized()) {
            return null;
        }
        Optimizer inner = ScanInnerOptimize.innerOptimizer();
        SourceLocation prev = SourceLocation.enter(node.location());
        try {
            return op.withOptimizedBranches(op.thenGraph().rewritten(inner::optimize), op.elseGraph().rewritten(inner::optimize))
                    .makeNode(node.inputs()).outputs();
        } finally {
            SourceLocation.exit(prev);
        }
    }
}
