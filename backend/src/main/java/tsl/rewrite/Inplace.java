package tsl.rewrite;

import java.util.Arrays;
import java.util.List;

import tsl.graph.Apply;
import tsl.graph.FunctionGraph;
import tsl.graph.SourceLocation;
import tsl.graph.Variable;
import tsl.ops.blas.Gemm;
import tsl.ops.blas.Gemv;
import tsl.ops.elemwise.Elemwise;
import tsl.ops.elemwise.FusedElemwise;
import tsl.ops.subtensor.IncSubtensor;

/**
 * In-place rewriting (Theano's inplace_elemwise): an elementwise loop writes its result into
 * the buffer of an input that nothing else reads, instead of allocating one. The rule that
 * makes this safe without a scheduler is deliberately narrow — the destroyed value:
 * <ul>
 * <li>is computed by an op that allocates its results (Elemwise, FusedElemwise, Gemv, Gemm, GemvForwardBackward, or an
 *     IncSubtensor, whose result is a copy or an in-place write into such a value), so it is
 *     never a function input, a shared variable's stored value, a constant, or a view of one
 *     (DimShuffle, Reshape, Subtensor, IfElse and Scan outputs may alias their inputs);</li>
 * <li>has this loop as its only client and is not a graph output, so no other node runs
 *     after it and reads it, and no output or update aliases it.</li>
 * </ul>
 * Nodes are only re-labelled, never moved: an IfElse branch stays inside its IfElse, and a
 * shared variable's new value is still committed only after the whole call succeeded.
 */
final class Inplace {
    private Inplace() {}

    static void elemwise(FunctionGraph g) {
        for (Apply a : g.toposort()) {
            if (!(a.op() instanceof Elemwise e) || e.inplace() >= 0) {
                continue;
            }
            for (int i = 0; i < a.inputs().size(); i++) {
                Variable v = a.input(i);
                if (destroyable(g, v, a) && v.dtype() == a.output().dtype()
                        && Arrays.equals(v.type().shape(), a.output().type().shape())) {
                    Apply nu;
                    SourceLocation prev = SourceLocation.enter(a.location());
                    try {
                        nu = e.withInplace(i).makeNode(a.inputs());
                    } finally {
                        SourceLocation.exit(prev);
                    }
                    g.replace(a.output(), nu.output());
                    break;
                }
            }
        }
    }

    /** inc_subtensor / set_subtensor writes into x itself when x is an intermediate only it reads. */
    static void incSubtensor(FunctionGraph g) {
        for (Apply a : g.toposort()) {
            if (!(a.op() instanceof IncSubtensor op) || op.inplace() || !destroyable(g, a.input(0), a)) {
                continue;
            }
            Apply nu;
            SourceLocation prev = SourceLocation.enter(a.location());
            try {
                nu = op.withInplace().makeNode(a.inputs());
            } finally {
                SourceLocation.exit(prev);
            }
            g.replace(a.output(), nu.output());
        }
    }

    /** Whether {@code v} is a freshly allocated intermediate that only {@code reader} reads, once. */
    static boolean destroyable(FunctionGraph g, Variable v, Apply reader) {
        Apply owner = v.owner();
        if (owner == null || !(owner.op() instanceof Elemwise || owner.op() instanceof FusedElemwise
                || owner.op() instanceof Gemv || owner.op() instanceof Gemm || owner.op() instanceof IncSubtensor
                || owner.op() instanceof tsl.ops.blas.GemvForwardBackward)) {
            return false;
        }
        List<FunctionGraph.Client> clients = g.clients(v);
        return clients.size() == 1 && clients.get(0).node() == reader;
    }
}
