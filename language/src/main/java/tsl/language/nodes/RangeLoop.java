package tsl.language.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RepeatingNode;

/**
 * {@code for i in range(start, stop)} as a Truffle {@link LoopNode}, so that a long loop is
 * compiled while it runs (on-stack replacement) — a loop at module level, or in a function
 * called once, would otherwise stay in the AST interpreter however long it runs. The loop's
 * position lives in an auxiliary frame slot, not in the node: the node is shared by every
 * activation (recursion, threads), the frame is not.
 */
final class RangeLoop extends Node {
    @Child private LoopNode loop;

    RangeLoop(Targets.Target target, TslNode body) {
        this.loop = Truffle.getRuntime().createLoopNode(new Step(target, body));
    }

    /** Runs the loop over {@code [start, stop)}; false when the body ended it with break. */
    boolean run(VirtualFrame frame, long start, long stop) {
        Step step = (Step) loop.getRepeatingNode();
        int slot = step.slot(frame);
        Cursor c = new Cursor(start, stop);
        frame.setAuxiliarySlot(slot, c);
        try {
            loop.execute(frame);
        } finally {
            frame.setAuxiliarySlot(slot, null);
        }
        return !c.broke;
    }

    private static final class Cursor {
        long next;
        final long stop;
        boolean broke;

        Cursor(long next, long stop) {
            this.next = next;
            this.stop = stop;
        }
    }

    /** One iteration. The target and body stay the For node's children; this node only runs them. */
    private static final class Step extends Node implements RepeatingNode {
        private final Targets.Target target;
        private final TslNode body;
        @CompilationFinal private int slot = -1;

        Step(Targets.Target target, TslNode body) {
            this.target = target;
            this.body = body;
        }

        int slot(VirtualFrame frame) {
            if (slot < 0) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                slot = frame.getFrameDescriptor().findOrAddAuxiliarySlot(this);
            }
            return slot;
        }

        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            Cursor c = (Cursor) frame.getAuxiliarySlot(slot);
            if (c.next >= c.stop) {
                return false;
            }
            target.assign(frame, c.next++);
            if (!ControlFlow.iteration(frame, body, this)) {
                c.broke = true;
                return false;
            }
            return true;
        }
    }
}
